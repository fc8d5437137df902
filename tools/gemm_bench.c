/* gemm_bench.c - SGEMM speed of infer.h through its public API, against this machine's FMA peak.

   Measures, in one run:
   1. the FMA peak: a loop of fused multiply-adds on 12 independent 8-float (ymm) accumulators,
      enough to hide the FMA latency on every current x86 core, timed on 1 thread and on T threads
      (one copy per thread, OpenMP); the best of many 5 ms trials at the start, before each shape and
      at the end;
   2. for each shape, a one-node ONNX model built in memory as a user would write it: MatMul with
      A [M,K] a graph input and B [K,N] an initializer (or Gemm with transB=1 and B [N,K], as
      PyTorch exports Linear), loaded with infer_model_load_memory, A bound once, prepared, then
      infer_session_run timed. GFLOP/s = 2*M*N*K / median run time (best run in brackets), and the
      percentage of the peak measured at the same thread count. A sample of the outputs is checked
      against a double-precision dot product, so a fast wrong kernel fails the run.
   Only the public API is used, so the numbers stay valid whatever the kernels look like inside.

   Build (make bench does):  cc -O2 -march=native -fopenmp -I. tools/gemm_bench.c -o build/gemm_bench -lm
   Usage: gemm_bench [-t 1,2] [--ms MS] [SHAPE ...]
     -t LIST   thread counts (default 1,2)
     --ms MS   timed run time per shape and thread count (default 400; at least 3 runs)
     SHAPE     MxNxK (MatMul) or MxNxK:gemm (Gemm, transB=1); default: the squares 256..2048 and
               ResNet-50 layer shapes
   Prints a Markdown table. Exit status 1 if a model fails or a result is wrong. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#define INFER_IMPLEMENTATION
#include "infer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__AVX__) && defined(__FMA__)
#include <immintrin.h>
#define GB_FMA_KIND "12 independent ymm accumulators, AVX2 FMA"
#else
#define GB_FMA_KIND "12 independent 8-float accumulators, portable C (no x86 FMA at compile time: may understate the peak)"
#endif

#define GB_MAX_THREADS 8

static double gb_now(void) {
#if defined(_OPENMP)
    return omp_get_wtime();
#elif defined(CLOCK_MONOTONIC)
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
#else
    return (double)clock() / (double)CLOCKS_PER_SEC;
#endif
}

/* ---- FMA peak --------------------------------------------------------------------------------- */
/* iters iterations of 12 independent FMA chains of 8 floats: 192 flops per iteration. */
static float gb_fma_loop(long iters, float seed) {
#if defined(__AVX__) && defined(__FMA__)
    __m256 x = _mm256_set1_ps(0.9999999f), y = _mm256_set1_ps(1e-7f);
    __m256 a0 = _mm256_set1_ps(seed), a1 = _mm256_set1_ps(seed + 1), a2 = _mm256_set1_ps(seed + 2);
    __m256 a3 = _mm256_set1_ps(seed + 3), a4 = _mm256_set1_ps(seed + 4), a5 = _mm256_set1_ps(seed + 5);
    __m256 a6 = _mm256_set1_ps(seed + 6), a7 = _mm256_set1_ps(seed + 7), a8 = _mm256_set1_ps(seed + 8);
    __m256 a9 = _mm256_set1_ps(seed + 9), a10 = _mm256_set1_ps(seed + 10), a11 = _mm256_set1_ps(seed + 11);
    float lanes[8], s = 0;
    long i;
    int k;
    for (i = 0; i < iters; i++) {
        a0 = _mm256_fmadd_ps(a0, x, y);
        a1 = _mm256_fmadd_ps(a1, x, y);
        a2 = _mm256_fmadd_ps(a2, x, y);
        a3 = _mm256_fmadd_ps(a3, x, y);
        a4 = _mm256_fmadd_ps(a4, x, y);
        a5 = _mm256_fmadd_ps(a5, x, y);
        a6 = _mm256_fmadd_ps(a6, x, y);
        a7 = _mm256_fmadd_ps(a7, x, y);
        a8 = _mm256_fmadd_ps(a8, x, y);
        a9 = _mm256_fmadd_ps(a9, x, y);
        a10 = _mm256_fmadd_ps(a10, x, y);
        a11 = _mm256_fmadd_ps(a11, x, y);
    }
    a0 = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                       _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    a0 = _mm256_add_ps(a0, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    _mm256_storeu_ps(lanes, a0);
    for (k = 0; k < 8; k++) s += lanes[k];
    return s;
#else
    float a[12][8], s = 0;
    long i;
    int j, k;
    for (j = 0; j < 12; j++)
        for (k = 0; k < 8; k++) a[j][k] = seed + (float)(j + k);
    for (i = 0; i < iters; i++)
        for (j = 0; j < 12; j++)
            for (k = 0; k < 8; k++) a[j][k] = a[j][k] * 0.9999999f + 1e-7f;
    for (j = 0; j < 12; j++)
        for (k = 0; k < 8; k++) s += a[j][k];
    return s;
#endif
}

/* Seconds for `threads` copies of the loop running at once (wall time). */
static double gb_fma_time(long iters, int threads, float *sink) {
    double t0 = gb_now(), t;
    float s = 0;
#if defined(_OPENMP)
#pragma omp parallel num_threads(threads) reduction(+ : s)
    s += gb_fma_loop(iters, (float)omp_get_thread_num());
#else
    (void)threads;
    s = gb_fma_loop(iters, 1.0f);
#endif
    t = gb_now() - t0;
    *sink += s;
    return t;
}

/* Best GFLOP/s of `trials` trials of about trial_s seconds each. Many short trials: on a shared machine
   a short trial often runs undisturbed, as a short GEMM run does, while a long one is time-sliced. */
static double gb_fma_peak(int threads, int trials, double trial_s) {
    long iters = 1 << 16;
    double best = 0, t;
    float sink = 0;
    int i;
#if !defined(_OPENMP)
    if (threads > 1) return 0;
#endif
    while ((t = gb_fma_time(iters, threads, &sink)) < 0.002 && iters < (1L << 40)) iters *= 2;
    iters = (long)((double)iters * trial_s / (t > 1e-6 ? t : 1e-6)) + 1;
    for (i = 0; i < trials; i++) {
        double g;
        t = gb_fma_time(iters, threads, &sink);
        g = 192.0 * (double)iters * threads / t * 1e-9;
        if (g > best) best = g;
    }
    if (sink != sink) fprintf(stderr, "gemm_bench: FMA loop gave NaN\n");
    return best;
}

/* ---- a growable protobuf writer --------------------------------------------------------------- */
typedef struct gb_buf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} gb_buf;

static void gb_raw(gb_buf *b, const void *src, size_t n) {
    if (b->oom) return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        unsigned char *q;
        while (cap < b->n + n) cap *= 2;
        q = (unsigned char *)realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, src, n);
    b->n += n;
}

static void gb_varint(gb_buf *b, uint64_t v) {
    unsigned char c[10];
    size_t n = 0;
    while (v >= 0x80) {
        c[n++] = (unsigned char)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    c[n++] = (unsigned char)v;
    gb_raw(b, c, n);
}

static void gb_tag(gb_buf *b, int field, int wire) { gb_varint(b, ((uint64_t)field << 3) | (uint64_t)wire); }
static void gb_int(gb_buf *b, int field, int64_t v) {
    gb_tag(b, field, 0);
    gb_varint(b, (uint64_t)v);
}
static void gb_bytes(gb_buf *b, int field, const void *p, size_t n) {
    gb_tag(b, field, 2);
    gb_varint(b, n);
    gb_raw(b, p, n);
}
static void gb_str(gb_buf *b, int field, const char *s) { gb_bytes(b, field, s, strlen(s)); }
/* Appends sub as a length-delimited field and empties it. */
static void gb_sub(gb_buf *b, int field, gb_buf *sub) {
    if (sub->oom) b->oom = 1;
    gb_bytes(b, field, sub->p, sub->n);
    sub->n = 0;
}
static void gb_free(gb_buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ValueInfoProto of a float tensor [d0, d1]. */
static void gb_value_info(gb_buf *g, int field, const char *name, int64_t d0, int64_t d1) {
    gb_buf dim = {0}, shape = {0}, tt = {0}, ty = {0}, vi = {0};
    gb_int(&dim, 1, d0);
    gb_sub(&shape, 1, &dim);
    gb_int(&dim, 1, d1);
    gb_sub(&shape, 1, &dim);
    gb_int(&tt, 1, 1);     /* elem_type FLOAT */
    gb_sub(&tt, 2, &shape); /* shape */
    gb_sub(&ty, 1, &tt);    /* tensor_type */
    gb_str(&vi, 1, name);
    gb_sub(&vi, 2, &ty);
    gb_sub(g, field, &vi);
    if (dim.oom || shape.oom || tt.oom || ty.oom || vi.oom) g->oom = 1;
    gb_free(&dim);
    gb_free(&shape);
    gb_free(&tt);
    gb_free(&ty);
    gb_free(&vi);
}

/* Y = A * B (MatMul, B [K,N]) or Y = A * B^T (Gemm transB=1, B [N,K]); B an initializer. */
static int gb_build_model(gb_buf *model, int gemm, int64_t M, int64_t N, int64_t K, const float *B) {
    gb_buf g = {0}, node = {0}, attr = {0}, init = {0}, raw = {0}, os = {0};
    int64_t i, nb = K * N;
    int ok;
    gb_str(&node, 1, "A");
    gb_str(&node, 1, "B");
    gb_str(&node, 2, "Y");
    gb_str(&node, 3, gemm ? "gemm0" : "matmul0");
    gb_str(&node, 4, gemm ? "Gemm" : "MatMul");
    if (gemm) {
        gb_str(&attr, 1, "transB");
        gb_int(&attr, 3, 1);  /* i */
        gb_int(&attr, 20, 2); /* type INT */
        gb_sub(&node, 5, &attr);
    }
    gb_sub(&g, 1, &node);
    gb_str(&g, 2, "sgemm");
    gb_int(&init, 1, gemm ? N : K);
    gb_int(&init, 1, gemm ? K : N);
    gb_int(&init, 2, 1);
    gb_str(&init, 8, "B");
    for (i = 0; i < nb && !raw.oom; i++) {
        uint32_t u;
        unsigned char le[4];
        memcpy(&u, &B[i], 4);
        le[0] = (unsigned char)u;
        le[1] = (unsigned char)(u >> 8);
        le[2] = (unsigned char)(u >> 16);
        le[3] = (unsigned char)(u >> 24);
        gb_raw(&raw, le, 4);
    }
    gb_sub(&init, 9, &raw);
    gb_sub(&g, 5, &init);
    gb_value_info(&g, 11, "A", M, K);
    gb_value_info(&g, 12, "Y", M, N);
    gb_str(&os, 1, "");
    gb_int(&os, 2, 13);
    gb_int(model, 1, 8);
    gb_sub(model, 8, &os);
    gb_sub(model, 7, &g);
    ok = !(g.oom || node.oom || attr.oom || init.oom || raw.oom || os.oom || model->oom);
    gb_free(&g);
    gb_free(&node);
    gb_free(&attr);
    gb_free(&init);
    gb_free(&raw);
    gb_free(&os);
    return ok;
}

/* ---- timing one shape ------------------------------------------------------------------------- */
typedef struct gb_shape {
    int64_t m, n, k;
    int gemm;
    const char *what;
} gb_shape;

static uint32_t gb_rand(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}
static float gb_randf(uint32_t *s) { return (float)gb_rand(s) / 8388608.0f - 1.0f; }

static int gb_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Times one shape at `threads`; *median_s and *best_s get the run times. Returns 0 on success. */
static int gb_time_shape(const gb_shape *sh, int threads, double budget_s, double *median_s, double *best_s) {
    int64_t M = sh->m, N = sh->n, K = sh->k, i;
    float *A = (float *)malloc((size_t)(M * K) * sizeof(float)), *B = (float *)malloc((size_t)(K * N) * sizeof(float));
    double times[200], t0, total = 0;
    int runs = 0, rc = 1, s;
    uint32_t seed = 12345u;
    gb_buf model = {0};
    infer_options opts;
    infer_error err;
    infer_model *mdl = NULL;
    infer_session *sess = NULL;
    infer_tensor a, y;
    infer_status st;
    memset(&opts, 0, sizeof opts);
    memset(&err, 0, sizeof err);
    opts.num_threads = threads;
    if (!A || !B) {
        fprintf(stderr, "gemm_bench: out of memory\n");
        goto done;
    }
    for (i = 0; i < M * K; i++) A[i] = gb_randf(&seed);
    for (i = 0; i < K * N; i++) B[i] = gb_randf(&seed);
    if (!gb_build_model(&model, sh->gemm, M, N, K, B)) {
        fprintf(stderr, "gemm_bench: out of memory building the model\n");
        goto done;
    }
    if (infer_model_load_memory(model.p, model.n, &opts, &mdl, &err) != INFER_STATUS_OK ||
        infer_session_create(mdl, &opts, &sess, &err) != INFER_STATUS_OK) {
        fprintf(stderr, "gemm_bench: %lldx%lldx%lld: %s\n", (long long)M, (long long)N, (long long)K, err.message);
        goto done;
    }
    gb_free(&model);
    {
        int64_t dims[2];
        dims[0] = M;
        dims[1] = K;
        infer_tensor_init(&a, INFER_DTYPE_FLOAT, 2, dims, A);
    }
    st = infer_session_set_input(sess, 0, &a);
    if (st == INFER_STATUS_OK) st = infer_session_prepare(sess);
    if (st == INFER_STATUS_OK) st = infer_session_run(sess); /* warm-up */
    while (st == INFER_STATUS_OK && runs < 200 && (runs < 3 || total < budget_s)) {
        t0 = gb_now();
        st = infer_session_run(sess);
        times[runs] = gb_now() - t0;
        total += times[runs++];
    }
    if (st == INFER_STATUS_OK) st = infer_session_get_output(sess, 0, &y);
    if (st != INFER_STATUS_OK) {
        fprintf(stderr, "gemm_bench: %lldx%lldx%lld: %s\n", (long long)M, (long long)N, (long long)K,
                infer_session_error(sess));
        goto done;
    }
    if (y.dtype != INFER_DTYPE_FLOAT || y.rank != 2 || y.dims[0] != M || y.dims[1] != N) {
        fprintf(stderr, "gemm_bench: %lldx%lldx%lld: output has the wrong type or shape\n", (long long)M, (long long)N,
                (long long)K);
        goto done;
    }
    /* 64 sampled outputs against double-precision dot products */
    for (s = 0; s < 64; s++) {
        int64_t r = (int64_t)(gb_rand(&seed) % (uint32_t)M), c = (int64_t)(gb_rand(&seed) % (uint32_t)N), kk;
        double ref = 0, mag = 0, got = ((const float *)y.data)[r * N + c];
        for (kk = 0; kk < K; kk++) {
            double p = (double)A[r * K + kk] * (sh->gemm ? B[c * K + kk] : B[kk * N + c]);
            ref += p;
            mag += fabs(p);
        }
        if (!(fabs(got - ref) <= 1e-5 * mag + 1e-6)) {
            fprintf(stderr, "gemm_bench: %lldx%lldx%lld at %d threads: Y[%lld,%lld] = %.7g, expected %.7g\n", (long long)M,
                    (long long)N, (long long)K, threads, (long long)r, (long long)c, got, ref);
            goto done;
        }
    }
    qsort(times, (size_t)runs, sizeof times[0], gb_cmp);
    *median_s = runs % 2 ? times[runs / 2] : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
    *best_s = times[0];
    rc = 0;
done:
    if (sess) infer_session_destroy(sess);
    if (mdl) infer_model_destroy(mdl);
    gb_free(&model);
    free(A);
    free(B);
    return rc;
}

typedef struct gb_result {
    double med, best, now;
    int failed;
} gb_result;

/* ---- main ------------------------------------------------------------------------------------- */
static const gb_shape gb_default_shapes[] = {
    {256, 256, 256, 0, "square"},
    {512, 512, 512, 0, "square"},
    {1024, 1024, 1024, 0, "square"},
    {2048, 2048, 2048, 0, "square"},
    {1024, 1024, 1024, 1, "square, Gemm transB=1 (as Linear exports)"},
    {12544, 64, 147, 0, "ResNet-50 conv1 7x7/2 as GEMM"},
    {3136, 64, 576, 0, "ResNet-50 layer1 3x3"},
    {3136, 64, 256, 0, "ResNet-50 layer1 1x1 reduce"},
    {3136, 256, 64, 0, "ResNet-50 layer1 1x1 expand"},
    {784, 128, 1152, 0, "ResNet-50 layer2 3x3"},
    {196, 256, 2304, 0, "ResNet-50 layer3 3x3"},
    {196, 1024, 256, 0, "ResNet-50 layer3 1x1 expand"},
    {49, 512, 4608, 0, "ResNet-50 layer4 3x3"},
};

int main(int argc, char **argv) {
    gb_shape custom[64];
    const gb_shape *shapes = gb_default_shapes;
    int nshapes = (int)(sizeof gb_default_shapes / sizeof gb_default_shapes[0]), ncustom = 0;
    int threads[GB_MAX_THREADS], nthreads = 0, i, j, failed = 0;
    double budget_s = 0.4, peak[GB_MAX_THREADS], peak_start[GB_MAX_THREADS], peak_end[GB_MAX_THREADS];
    gb_result *res;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            const char *p = argv[++i];
            nthreads = 0;
            while (*p && nthreads < GB_MAX_THREADS) {
                char *end;
                long t = strtol(p, &end, 10);
                if (end == p || t < 1 || t > 256) {
                    fprintf(stderr, "gemm_bench: bad thread list %s\n", argv[i]);
                    return 2;
                }
                threads[nthreads++] = (int)t;
                p = *end == ',' ? end + 1 : end;
                if (*end && *end != ',') {
                    fprintf(stderr, "gemm_bench: bad thread list %s\n", argv[i]);
                    return 2;
                }
            }
        } else if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) {
            budget_s = atof(argv[++i]) * 1e-3;
        } else if (argv[i][0] != '-' && ncustom < 64) {
            long long m, n, k;
            char op[8] = "";
            int got = sscanf(argv[i], "%lldx%lldx%lld:%7s", &m, &n, &k, op);
            if (got < 3 || m < 1 || n < 1 || k < 1 || m * k > (1LL << 28) || k * n > (1LL << 28) || m * n > (1LL << 28) ||
                (got == 4 && strcmp(op, "gemm") != 0)) {
                fprintf(stderr, "gemm_bench: bad shape %s (MxNxK or MxNxK:gemm)\n", argv[i]);
                return 2;
            }
            custom[ncustom].m = m;
            custom[ncustom].n = n;
            custom[ncustom].k = k;
            custom[ncustom].gemm = got == 4;
            custom[ncustom].what = "";
            ncustom++;
        } else {
            fprintf(stderr, "usage: %s [-t 1,2] [--ms MS] [MxNxK[:gemm] ...]\n", argv[0]);
            return 2;
        }
    }
    if (!nthreads) {
        threads[0] = 1;
        threads[1] = 2;
        nthreads = 2;
    }
    if (ncustom) {
        shapes = custom;
        nshapes = ncustom;
    }
    /* Measure everything first: the peak is the best FMA rate seen at any point of the run (start,
       before each shape, end), the best estimate of what the machine can do when it is not shared. */
    for (j = 0; j < nthreads; j++) peak_start[j] = peak[j] = gb_fma_peak(threads[j], 40, 0.005);
    res = (gb_result *)calloc((size_t)nshapes * (size_t)nthreads, sizeof *res);
    if (!res) {
        fprintf(stderr, "gemm_bench: out of memory\n");
        return 1;
    }
    for (i = 0; i < nshapes; i++) {
        for (j = 0; j < nthreads; j++) {
            gb_result *r = &res[i * nthreads + j];
            r->now = gb_fma_peak(threads[j], 6, 0.005);
            if (r->now > peak[j]) peak[j] = r->now;
            r->failed = gb_time_shape(&shapes[i], threads[j], budget_s, &r->med, &r->best);
            if (r->failed) failed = 1;
            fprintf(stderr, "gemm_bench: %lldx%lldx%lld at %d thread%s done\n", (long long)shapes[i].m,
                    (long long)shapes[i].n, (long long)shapes[i].k, threads[j], threads[j] > 1 ? "s" : "");
        }
    }
    for (j = 0; j < nthreads; j++) {
        peak_end[j] = gb_fma_peak(threads[j], 40, 0.005);
        if (peak_end[j] > peak[j]) peak[j] = peak_end[j];
    }

    printf("## SGEMM through the public API\n\n");
    printf("FMA peak (%s): the best rate seen in this run,", GB_FMA_KIND);
    for (j = 0; j < nthreads; j++) printf("%s %d thread%s %.1f GFLOP/s", j ? "," : "", threads[j], threads[j] > 1 ? "s" : "", peak[j]);
    printf(" (best of 40 trials of 5 ms at the start:");
    for (j = 0; j < nthreads; j++) printf("%s %.1f", j ? "," : "", peak_start[j]);
    printf("; at the end:");
    for (j = 0; j < nthreads; j++) printf("%s %.1f", j ? "," : "", peak_end[j]);
    printf("; the spread shows how busy the machine was).\n");
    printf("Each shape is a one-node ONNX model built in memory (MatMul: A [M,K] a graph input, B [K,N] an "
           "initializer; Gemm transB=1: B [N,K]), loaded with infer_model_load_memory, prepared, then "
           "infer_session_run timed (one warm-up run, then runs for about %.0f ms, at least 3). "
           "GFLOP/s = 2MNK / median run time (best run in brackets); %% of the peak at the same thread count. "
           "64 sampled outputs are checked against double-precision dot products.\n\n",
           budget_s * 1e3);
    printf("| M x N x K | shape |");
    for (j = 0; j < nthreads; j++) printf(" %dT GFLOP/s | %dT %% peak |", threads[j], threads[j]);
    printf("\n|---|---|");
    for (j = 0; j < nthreads; j++) printf("---:|---:|");
    printf("\n");
    for (i = 0; i < nshapes; i++) {
        const gb_shape *sh = &shapes[i];
        double flop = 2.0 * (double)sh->m * (double)sh->n * (double)sh->k;
        printf("| %lldx%lldx%lld | %s%s |", (long long)sh->m, (long long)sh->n, (long long)sh->k,
               sh->gemm && !sh->what[0] ? "Gemm transB=1" : "", sh->what);
        for (j = 0; j < nthreads; j++) {
            const gb_result *r = &res[i * nthreads + j];
            if (r->failed) {
                printf(" error | |");
            } else {
                double g = flop / r->med * 1e-9;
                printf(" %.1f (%.1f) | %.0f %% |", g, flop / r->best * 1e-9, peak[j] > 0 ? 100.0 * g / peak[j] : 0.0);
            }
        }
        printf("\n");
    }
    free(res);
    return failed;
}
