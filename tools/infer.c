/* infer - the command-line tool of infer.h: run, time, describe and test ONNX models.

   build/infer run   MODEL.onnx (-d DATASET_DIR | -i FILE.pb ...) [-o OUTDIR] [-t THREADS]   [--opt LEVEL]
   build/infer bench MODEL.onnx [-d DATASET_DIR | -i FILE.pb ...] [-t THREADS] [-n RUNS] [-w WARMUP]
   build/infer info  MODEL.onnx [-t THREADS]
   build/infer test  [-q] [-t THREADS] [-j JOBS] [--rtol X] [--atol X] [--timeout SEC] [--no-fork]
                     [--model FILE] [--list-passing FILE] DIR...

   `run` binds DATASET_DIR/input_<k>.pb (a TensorProto, or a SequenceProto / OptionalProto as in the
   ONNX test data) to the k-th graph input that is not an initializer, runs the graph once and writes
   OUTDIR/output_<k>.pb for the k-th graph output (without -o it prints a summary of each output).
   `bench` times infer_session_run (load and prepare are reported apart); the last line it prints is
   exactly `median_ms=<float>`. Without -d / -i it binds zeros of the declared input shapes.
   `info` prints versions, inputs, outputs, the op histogram, the parameter count and the arena size
   planned for the declared shapes (symbolic dims = 1, zero data); a model with unsupported ops fails
   to load and the loader's message lists every one of them.
   `test` runs ONNX backend-test directories (<test>/model.onnx + <test>/test_data_set_<n>/) or
   directories holding such test directories, compares outputs as the ONNX backend runner does
   (rtol 1e-3, atol 1e-7, exact dtype and shape, NaN == NaN, equal infinities, exact strings), prints
   `PASS name` / `FAIL name: reason` / `SKIP name: reason` per test and closes with the line
   `N passed, M failed, K skipped`. On POSIX each test runs in a child process with a time guard, so
   a hang or a crash is one FAIL and the sweep goes on.

   Exit status: 0 success, 1 error (for `test`: a test failed), 2 usage.

   Build: gcc -O2 -march=native -fopenmp -I. -o build/infer tools/infer.c -lm     (or `make`)
*/
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#if !defined(_WIN32) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* glibc: MADV_HUGEPAGE visible to infer.h (huge pages for large blocks) */
#endif

#define INFER_IMPLEMENTATION
#include "infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <errno.h>
#include <stdarg.h>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <direct.h>
#define CLI_WIN32 1
#elif defined(__unix__) || defined(__unix) || defined(__APPLE__)
#include <unistd.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <signal.h>
#define CLI_POSIX 1
#endif

/* Under AddressSanitizer a forked test child checks for leaks before it leaves with _exit (which skips
   LeakSanitizer's own check at exit): the report goes to stderr (make test-asan greps the logs). */
#if defined(__SANITIZE_ADDRESS__)
#define CLI_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_ASAN 1
#endif
#endif
#if defined(CLI_ASAN)
#include <sanitizer/lsan_interface.h>
#define CLI_LEAK_CHECK() ((void)__lsan_do_recoverable_leak_check())
#else
#define CLI_LEAK_CHECK() ((void)0)
#endif

#define CLI_PATH 4096
#define CLI_MSG 1024

/* ============================================================================================== */
/* small utilities                                                                                */
/* ============================================================================================== */
/* snprintf that truncates silently (messages may be cut; that is fine) */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int cli_fmt(char *out, size_t n, const char *fmt, ...) {
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    return r;
}

static const char *cli_prog = "infer";

static void cli_usage(FILE *f) {
    fprintf(f,
            "usage:\n"
            "  %s run   MODEL.onnx (-d DATASET_DIR | -i FILE.pb ...) [-o OUTDIR] [-t THREADS]\n"
            "  %s bench MODEL.onnx [-d DATASET_DIR | -i FILE.pb ...] [-t THREADS] [-n RUNS] [-w WARMUP]\n"
            "  %s info  MODEL.onnx [-t THREADS]\n"
            "  %s test  [options] DIR...\n"
            "  %s optimize IN.onnx -o OUT.onnx [-O LEVEL] [--no-pass NAME] [--external-data | --external-over BYTES]\n"
            "  %s ops   (the operator registry as a Markdown table)\n"
            "\n"
            "run:   binds input_<k>.pb to the k-th model input, runs once, writes OUTDIR/output_<k>.pb\n"
            "       (without -o: prints each output's type, shape and first values)\n"
            "bench: times the run; prints load / prepare time, min / median / p90 and, last,\n"
            "       median_ms=<float> (defaults: -n 20 -w 3; no data given: zeros of the declared shapes);\n"
            "       --serve: after the warm-up, N timed runs per line N read from stdin (tools/bench.js)\n"
            "info:  versions, inputs / outputs, op counts, parameters, arena size, unsupported ops\n"
            "       (--dot FILE also writes a Graphviz picture of the executed graph)\n"
            "optimize: writes the optimised graph as a standard ONNX file (LEVEL 0 none, 1 safe, 2 all)\n"
            "       and prints the op counts before / after and the passes that fired; initializers of\n"
            "       1 KiB or more go to external data in OUT.onnx.data when the file would pass 2 GB\n"
            "       (--external-over BYTES: past BYTES; --external-data: always)\n"
            "test:  each DIR is an ONNX backend test dir (model.onnx + test_data_set_*/) or holds them\n"
            "  -q                 print only failures (and the closing count)\n"
            "  -t THREADS         threads per test (default 1)\n"
            "  -j JOBS            tests run at once (default 1; POSIX only)\n"
            "  --rtol X --atol X  tolerances (default 1e-3 and 1e-7)\n"
            "  --timeout SEC      time guard per test (default 120; 0: none; POSIX only)\n"
            "  --no-fork          run tests in this process (no crash or time guard)\n"
            "  --model FILE       model file name inside each test dir (default model.onnx)\n"
            "  --list-passing F   write the names of the passing tests (category/name) to F\n"
            "\n"
            "all commands: -O LEVEL (or --opt LEVEL)  graph optimisation: 0 none, 1 safe rewrites, 2 all (default)\n"
            "              --no-pass NAME[,NAME...]  turns passes off (repeatable): constant-fold, shape-fold,\n"
            "              dead-code, noop, transpose, bn-fold, affine-fold, cse, layernorm, gelu, matmul-gemm,\n"
            "              epilogue, attention, winograd, all\n"
            "THREADS 0 means OpenMP's default. Exit status: 0 ok, 1 error or failed test, 2 usage.\n",
            cli_prog, cli_prog, cli_prog, cli_prog, cli_prog, cli_prog);
}

static int cli_bad_usage(const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", cli_prog);
    fprintf(stderr, fmt, arg ? arg : "");
    fprintf(stderr, "\n\n");
    cli_usage(stderr);
    return 2;
}

static double cli_now_ms(void) {
#if defined(CLI_WIN32)
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
#elif defined(CLI_POSIX)
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
#else
    return (double)clock() * 1000.0 / (double)CLOCKS_PER_SEC;
#endif
}

/* Integer argument in [lo, hi]; 0 on success. */
static int cli_parse_int(const char *s, long lo, long hi, int *out) {
    char *end;
    long v;
    if (!s || !*s) return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int cli_parse_double(const char *s, double *out) {
    char *end;
    double v;
    if (!s || !*s) return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !(v >= 0)) return -1;
    *out = v;
    return 0;
}

static void cli_join(char *out, size_t n, const char *dir, const char *name) {
    size_t l = strlen(dir);
    if (l && (dir[l - 1] == '/' || dir[l - 1] == '\\'))
        cli_fmt(out, n, "%s%s", dir, name);
    else
        cli_fmt(out, n, "%s/%s", dir, name);
}

static int cli_file_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fclose(f);
    return 1;
}

/* Reads a whole file into a malloc'd buffer; 0 on success, else errno-like message in err. */
static int cli_read_file(const char *path, unsigned char **data, size_t *size, char *err, size_t errn) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, len = 0;
    *data = NULL;
    *size = 0;
    if (!f) {
        cli_fmt(err, errn, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            unsigned char *nb = ncap > cap ? (unsigned char *)realloc(buf, ncap) : NULL;
            if (!nb) {
                free(buf);
                fclose(f);
                cli_fmt(err, errn, "out of memory reading %s", path);
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        cli_fmt(err, errn, "cannot read %s", path);
        return -1;
    }
    fclose(f);
    *data = buf;
    *size = len;
    return 0;
}

static int cli_write_file(const char *path, const void *data, size_t size, char *err, size_t errn) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        cli_fmt(err, errn, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        cli_fmt(err, errn, "cannot write %s", path);
        return -1;
    }
    if (fclose(f) != 0) {
        cli_fmt(err, errn, "cannot write %s", path);
        return -1;
    }
    return 0;
}

/* Creates a directory (one level); an existing one is fine. 0 on success. */
static int cli_mkdir(const char *path) {
#if defined(CLI_WIN32)
    if (_mkdir(path) == 0 || errno == EEXIST) return 0;
    return -1;
#elif defined(CLI_POSIX)
    struct stat st;
    if (mkdir(path, 0777) == 0) return 0;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    return -1;
#else
    (void)path;
    return 0; /* no portable mkdir: the directory must exist */
#endif
}

/* Growable list of strings. */
typedef struct cli_strs {
    char **v;
    int n, cap;
} cli_strs;

static int cli_strs_add(cli_strs *l, const char *s) {
    char *c;
    if (l->n == l->cap) {
        int ncap = l->cap ? l->cap * 2 : 64;
        char **nv = (char **)realloc(l->v, (size_t)ncap * sizeof *nv);
        if (!nv) return -1;
        l->v = nv;
        l->cap = ncap;
    }
    c = (char *)malloc(strlen(s) + 1);
    if (!c) return -1;
    strcpy(c, s);
    l->v[l->n++] = c;
    return 0;
}

static void cli_strs_free(cli_strs *l) {
    int i;
    for (i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int cli_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the subdirectories of dir; 0 on success (an unreadable dir gives an empty list). */
static int cli_list_subdirs(const char *dir, cli_strs *out) {
#if defined(CLI_POSIX)
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) {
        char path[CLI_PATH];
        struct stat st;
        if (e->d_name[0] == '.') continue;
        cli_join(path, sizeof path, dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            if (cli_strs_add(out, e->d_name)) break;
    }
    closedir(d);
#elif defined(CLI_WIN32)
    char pat[CLI_PATH];
    WIN32_FIND_DATAA fd;
    HANDLE h;
    cli_join(pat, sizeof pat, dir, "*");
    h = FindFirstFileA(pat, &fd);
    if (h == INVALID_HANDLE_VALUE) return -1;
    do {
        if (fd.cFileName[0] == '.') continue;
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            if (cli_strs_add(out, fd.cFileName)) break;
    } while (FindNextFileA(h, &fd));
    FindClose(h);
#else
    (void)dir;
    (void)out;
    return -1;
#endif
    if (out->n > 1) qsort(out->v, (size_t)out->n, sizeof *out->v, cli_cmp_str);
    return 0;
}

static const char *cli_kind_name(int kind) {
    switch (kind) {
    case 0: return "tensor";
    case 1: return "sequence";
    case 2: return "optional";
    case 3: return "map";
    default: return "?";
    }
}

static const char *cli_dtype_name(int dtype) {
    const char *s = infer_dtype_name(dtype);
    return s ? s : "?";
}

static void cli_format_shape(char *out, size_t n, int rank, const int64_t *dims) {
    size_t l = 0;
    int i;
    if (rank < 0) {
        cli_fmt(out, n, "[?]");
        return;
    }
    l += (size_t)cli_fmt(out + l, n - l, "[");
    for (i = 0; i < rank && l < n; i++) {
        if (dims[i] < 0)
            l += (size_t)cli_fmt(out + l, n - l, "%s?", i ? ", " : "");
        else
            l += (size_t)cli_fmt(out + l, n - l, "%s%lld", i ? ", " : "", (long long)dims[i]);
    }
    if (l < n) cli_fmt(out + l, n - l, "]");
}

/* ============================================================================================== */
/* element access: any dtype as double (the comparison and the printing use it)                   */
/* ============================================================================================== */
static double cli_f16(uint16_t h) {
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v;
    if (e == 31) v = m ? NAN : INFINITY;
    else if (e == 0) v = ldexp((double)m, -24);
    else v = ldexp((double)(m | 0x400), e - 25);
    return (h & 0x8000) ? -v : v;
}

static double cli_bf16(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* A small float format: sign bit, `eb` exponent bits with `bias`, `mb` mantissa bits. */
static double cli_small_float(unsigned b, int eb, int mb, int bias) {
    unsigned s = (b >> (eb + mb)) & 1u, e = (b >> mb) & ((1u << eb) - 1u), m = b & ((1u << mb) - 1u);
    double v = e == 0 ? ldexp((double)m, 1 - bias - mb) : ldexp((double)(m | (1u << mb)), (int)e - bias - mb);
    return s ? -v : v;
}

static double cli_f8(int dtype, unsigned b) {
    switch (dtype) {
    case INFER_DTYPE_FLOAT8E4M3FN:
        if ((b & 0x7f) == 0x7f) return NAN;
        return cli_small_float(b, 4, 3, 7);
    case INFER_DTYPE_FLOAT8E4M3FNUZ:
        if (b == 0x80) return NAN;
        return cli_small_float(b, 4, 3, 8);
    case INFER_DTYPE_FLOAT8E5M2:
        if ((b & 0x7c) == 0x7c) return (b & 3) ? NAN : ((b & 0x80) ? -INFINITY : INFINITY);
        return cli_small_float(b, 5, 2, 15);
    case INFER_DTYPE_FLOAT8E5M2FNUZ:
        if (b == 0x80) return NAN;
        return cli_small_float(b, 5, 2, 16);
    case INFER_DTYPE_FLOAT8E8M0:
        if (b == 0xff) return NAN;
        return ldexp(1.0, (int)b - 127);
    case INFER_DTYPE_FLOAT4E2M1:
        return cli_small_float(b & 0xf, 2, 1, 1);
    default: return 0;
    }
}

/* Number of scalar values in a tensor as compared (complex: two per element). */
static int64_t cli_scalar_count(const infer_tensor *t) {
    int64_t n = infer_tensor_count(t);
    if (t->dtype == INFER_DTYPE_COMPLEX64 || t->dtype == INFER_DTYPE_COMPLEX128) n *= 2;
    return n;
}

static int cli_is_exact_int(int dtype) {
    switch (dtype) {
    case INFER_DTYPE_UINT8: case INFER_DTYPE_INT8: case INFER_DTYPE_UINT16: case INFER_DTYPE_INT16:
    case INFER_DTYPE_INT32: case INFER_DTYPE_INT64: case INFER_DTYPE_UINT32: case INFER_DTYPE_UINT64:
    case INFER_DTYPE_BOOL: case INFER_DTYPE_UINT4: case INFER_DTYPE_INT4: case INFER_DTYPE_UINT2:
    case INFER_DTYPE_INT2:
        return 1;
    default: return 0;
    }
}

/* Scalar i as double (complex: i indexes the interleaved real / imaginary parts). */
static double cli_get(const infer_tensor *t, int64_t i) {
    const void *p = t->data;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: case INFER_DTYPE_COMPLEX64: return ((const float *)p)[i];
    case INFER_DTYPE_DOUBLE: case INFER_DTYPE_COMPLEX128: return ((const double *)p)[i];
    case INFER_DTYPE_FLOAT16: return cli_f16(((const uint16_t *)p)[i]);
    case INFER_DTYPE_BFLOAT16: return cli_bf16(((const uint16_t *)p)[i]);
    case INFER_DTYPE_UINT8: case INFER_DTYPE_BOOL: return ((const uint8_t *)p)[i];
    case INFER_DTYPE_INT8: return ((const int8_t *)p)[i];
    case INFER_DTYPE_UINT16: return ((const uint16_t *)p)[i];
    case INFER_DTYPE_INT16: return ((const int16_t *)p)[i];
    case INFER_DTYPE_INT32: return ((const int32_t *)p)[i];
    case INFER_DTYPE_UINT32: return ((const uint32_t *)p)[i];
    case INFER_DTYPE_INT64: return (double)((const int64_t *)p)[i];
    case INFER_DTYPE_UINT64: return (double)((const uint64_t *)p)[i];
    case INFER_DTYPE_UINT4: return ((const uint8_t *)p)[i] & 0xf;
    case INFER_DTYPE_INT4: { int v = ((const uint8_t *)p)[i] & 0xf; return v >= 8 ? v - 16 : v; }
    case INFER_DTYPE_UINT2: return ((const uint8_t *)p)[i] & 0x3;
    case INFER_DTYPE_INT2: { int v = ((const uint8_t *)p)[i] & 0x3; return v >= 2 ? v - 4 : v; }
    case INFER_DTYPE_FLOAT8E4M3FN: case INFER_DTYPE_FLOAT8E4M3FNUZ: case INFER_DTYPE_FLOAT8E5M2:
    case INFER_DTYPE_FLOAT8E5M2FNUZ: case INFER_DTYPE_FLOAT8E8M0: case INFER_DTYPE_FLOAT4E2M1:
        return cli_f8(t->dtype, ((const uint8_t *)p)[i]);
    default: return 0;
    }
}

/* Exact equality of integer scalar i (64-bit values without a round trip through double). */
static int cli_int_equal(const infer_tensor *a, const infer_tensor *b, int64_t i) {
    if (a->dtype == INFER_DTYPE_INT64) return ((const int64_t *)a->data)[i] == ((const int64_t *)b->data)[i];
    if (a->dtype == INFER_DTYPE_UINT64) return ((const uint64_t *)a->data)[i] == ((const uint64_t *)b->data)[i];
    return cli_get(a, i) == cli_get(b, i);
}

/* ============================================================================================== */
/* comparison, as onnx.backend.test.runner: np.testing.assert_allclose(out, ref, rtol, atol)     */
/* ============================================================================================== */
typedef struct cli_tol {
    double rtol, atol;
} cli_tol;

/* 0 when `got` matches `want`; else 1 with the reason in why. */
static int cli_compare_tensor(const infer_tensor *got, const infer_tensor *want, cli_tol tol, char *why,
                              size_t n) {
    char s1[256], s2[256];
    int64_t cnt, i, bad = 0, first = -1;
    double max_abs = 0;
    int d;
    if (got->dtype != want->dtype) {
        cli_fmt(why, n, "dtype %s, expected %s", cli_dtype_name(got->dtype), cli_dtype_name(want->dtype));
        return 1;
    }
    if (got->rank != want->rank) {
        cli_format_shape(s1, sizeof s1, got->rank, got->dims);
        cli_format_shape(s2, sizeof s2, want->rank, want->dims);
        cli_fmt(why, n, "shape %s, expected %s", s1, s2);
        return 1;
    }
    for (d = 0; d < got->rank; d++) {
        if (got->dims[d] != want->dims[d]) {
            cli_format_shape(s1, sizeof s1, got->rank, got->dims);
            cli_format_shape(s2, sizeof s2, want->rank, want->dims);
            cli_fmt(why, n, "shape %s, expected %s", s1, s2);
            return 1;
        }
    }
    cnt = cli_scalar_count(want);
    if (cnt <= 0) return 0;
    if (!got->data || !want->data) {
        cli_fmt(why, n, "no data");
        return 1;
    }
    if (want->dtype == INFER_DTYPE_STRING) {
        const char *const *a = (const char *const *)got->data, *const *b = (const char *const *)want->data;
        for (i = 0; i < cnt; i++) {
            const char *x = a[i] ? a[i] : "", *y = b[i] ? b[i] : "";
            if (strcmp(x, y) != 0) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad) {
            const char *x = a[first] ? a[first] : "", *y = b[first] ? b[first] : "";
            cli_fmt(why, n, "%lld/%lld strings differ (first @%lld: \"%.60s\", expected \"%.60s\")",
                     (long long)bad, (long long)cnt, (long long)first, x, y);
            return 1;
        }
        return 0;
    }
    if (infer_dtype_size(want->dtype) == 0 && !cli_is_exact_int(want->dtype)) {
        cli_fmt(why, n, "cannot compare dtype %s", cli_dtype_name(want->dtype));
        return 1;
    }
    for (i = 0; i < cnt; i++) {
        double a, b;
        int good;
        if (cli_is_exact_int(want->dtype) && cli_int_equal(got, want, i)) continue;
        a = cli_get(got, i);
        b = cli_get(want, i);
        if (a != a || b != b) good = (a != a) && (b != b);
        else if (isinf(a) || isinf(b)) good = a == b;
        else {
            double diff = fabs(a - b);
            good = diff <= tol.atol + tol.rtol * fabs(b);
            if (diff > max_abs) max_abs = diff;
        }
        if (!good) {
            if (first < 0) first = i;
            bad++;
        }
    }
    if (bad) {
        cli_fmt(why, n, "%lld/%lld values differ (first @%lld: %.9g, expected %.9g; max abs diff %.3g)",
                 (long long)bad, (long long)cnt, (long long)first, cli_get(got, first), cli_get(want, first),
                 max_abs);
        return 1;
    }
    return 0;
}

/* ============================================================================================== */
/* values: reading input files, binding them, collecting outputs                                 */
/* ============================================================================================== */
/* Reads and decodes a .pb file as `kind` (the declared kind of the model input / output). */
static int cli_load_value(const char *path, int kind, const infer_options *opts, infer_value *v, char *err,
                          size_t errn) {
    unsigned char *data;
    size_t size;
    infer_error e;
    infer_status st;
    memset(v, 0, sizeof *v);
    if (cli_read_file(path, &data, &size, err, errn)) return -1;
    memset(&e, 0, sizeof e);
    st = infer_value_decode(data, size, kind, v, opts, &e);
    free(data);
    if (st != INFER_STATUS_OK) {
        cli_fmt(err, errn, "%s: %s: %s", path, infer_status_string(st), e.message);
        memset(v, 0, sizeof *v);
        return -1;
    }
    return 0;
}

/* The ONNX 1.12 test data stores bfloat16 tensors as uint16 (numpy has no bfloat16): where the model
   declares bfloat16 and the file says uint16, take the bits as bfloat16. */
static void cli_fix_bf16(infer_value *v, int declared_dtype) {
    int i;
    if (declared_dtype != INFER_DTYPE_BFLOAT16) return;
    for (i = 0; i < v->count; i++)
        if (v->items[i].dtype == INFER_DTYPE_UINT16) v->items[i].dtype = INFER_DTYPE_BFLOAT16;
}

static int cli_declared_dtype(const infer_model *m, int k, int is_input) {
    infer_tensor info;
    int kind = 0;
    if (k >= (is_input ? infer_model_input_count(m) : infer_model_output_count(m))) return 0;
    if ((is_input ? infer_model_input_info(m, k, &info, &kind) : infer_model_output_info(m, k, &info, &kind)) !=
        INFER_STATUS_OK)
        return 0;
    return info.dtype;
}

static int cli_input_kind(const infer_model *m, int k) {
    infer_tensor info;
    int kind = 0;
    if (k >= infer_model_input_count(m)) return 0;
    if (infer_model_input_info(m, k, &info, &kind) != INFER_STATUS_OK) return 0;
    return kind;
}

static int cli_output_kind(const infer_model *m, int k) {
    infer_tensor info;
    int kind = 0;
    if (k >= infer_model_output_count(m)) return 0;
    if (infer_model_output_info(m, k, &info, &kind) != INFER_STATUS_OK) return 0;
    return kind;
}

/* Binds a decoded value to input k. */
static int cli_bind(infer_session *s, int k, const infer_value *v, char *err, size_t errn) {
    infer_status st;
    if (v->kind == 0) {
        if (v->count < 1 || !v->items) {
            cli_fmt(err, errn, "input %d: empty tensor value", k);
            return -1;
        }
        st = infer_session_set_input(s, k, &v->items[0]);
    } else {
        st = infer_session_set_input_items(s, k, v->kind, v->count, v->items);
    }
    if (st != INFER_STATUS_OK) {
        const char *msg = infer_session_error(s);
        cli_fmt(err, errn, "binding input %d: %s%s%s", k, infer_status_string(st), msg && *msg ? ": " : "",
                 msg ? msg : "");
        return -1;
    }
    return 0;
}

/* Output k as a value whose items point into the session (free only v->items). */
static int cli_get_output(infer_session *s, const infer_model *m, int k, infer_value *v, char *err, size_t errn) {
    int kind = 0, count = 1, i;
    infer_status st;
    memset(v, 0, sizeof *v);
    st = infer_session_get_output_kind(s, k, &kind, &count);
    if (st != INFER_STATUS_OK) {
        cli_fmt(err, errn, "output %d: %s", k, infer_status_string(st));
        return -1;
    }
    if (kind == 0) count = 1;
    if (count < 0) count = 0;
    v->kind = kind;
    v->count = count;
    v->name = (char *)infer_model_output_name(m, k);
    v->items = (infer_tensor *)calloc((size_t)(count ? count : 1), sizeof(infer_tensor));
    if (!v->items) {
        cli_fmt(err, errn, "out of memory");
        return -1;
    }
    for (i = 0; i < count; i++) {
        st = kind == 0 ? infer_session_get_output(s, k, &v->items[i]) : infer_session_get_output_item(s, k, i, &v->items[i]);
        if (st != INFER_STATUS_OK) {
            cli_fmt(err, errn, "output %d item %d: %s", k, i, infer_status_string(st));
            free(v->items);
            v->items = NULL;
            return -1;
        }
    }
    return 0;
}

/* Zero data for input k of its declared type (symbolic dims = 1); buffers go to *bufs. */
typedef struct cli_zeros {
    infer_tensor t;
    void *data;
} cli_zeros;

static int cli_bind_zeros(const infer_model *m, infer_session *s, int k, cli_zeros *z, char *err, size_t errn) {
    static const char *empty = "";
    infer_tensor info;
    int kind = 0, d, dtype;
    int64_t cnt = 1;
    size_t esz;
    infer_status st;
    memset(z, 0, sizeof *z);
    if (infer_model_input_info(m, k, &info, &kind) != INFER_STATUS_OK) {
        cli_fmt(err, errn, "input %d: no type information", k);
        return -1;
    }
    dtype = info.dtype ? info.dtype : INFER_DTYPE_FLOAT;
    z->t.dtype = dtype;
    z->t.rank = info.rank < 0 ? 0 : info.rank;
    for (d = 0; d < z->t.rank; d++) {
        z->t.dims[d] = info.dims[d] < 0 ? 1 : info.dims[d];
        cnt *= z->t.dims[d];
    }
    esz = dtype == INFER_DTYPE_STRING ? sizeof(char *) : infer_dtype_size(dtype);
    if (!esz) esz = 1;
    z->data = calloc((size_t)(cnt > 0 ? cnt : 1), esz);
    if (!z->data) {
        cli_fmt(err, errn, "input %d: out of memory for %lld elements", k, (long long)cnt);
        return -1;
    }
    if (dtype == INFER_DTYPE_STRING) {
        int64_t i;
        for (i = 0; i < cnt; i++) ((const char **)z->data)[i] = empty;
    }
    z->t.data = z->data;
    if (kind == 0) st = infer_session_set_input(s, k, &z->t);
    else st = infer_session_set_input_items(s, k, kind, 1, &z->t);
    if (st != INFER_STATUS_OK) {
        const char *msg = infer_session_error(s);
        cli_fmt(err, errn, "binding zeros to input %d: %s%s%s", k, infer_status_string(st),
                 msg && *msg ? ": " : "", msg ? msg : "");
        return -1;
    }
    return 0;
}

/* Input files of a data set: DIR/input_0.pb, input_1.pb, ... while they exist. */
static int cli_dataset_inputs(const char *dir, cli_strs *files) {
    int k;
    for (k = 0;; k++) {
        char name[64], path[CLI_PATH];
        cli_fmt(name, sizeof name, "input_%d.pb", k);
        cli_join(path, sizeof path, dir, name);
        if (!cli_file_exists(path)) break;
        if (cli_strs_add(files, path)) return -1;
    }
    return 0;
}

/* Loaded and bound inputs of a session. */
typedef struct cli_bound {
    int n;
    infer_value *vals;
    cli_zeros *zeros;
    int nzeros;
} cli_bound;

static void cli_bound_free(cli_bound *b, const infer_options *opts) {
    int i;
    for (i = 0; i < b->n; i++) infer_value_free(&b->vals[i], opts);
    for (i = 0; i < b->nzeros; i++) free(b->zeros[i].data);
    free(b->vals);
    free(b->zeros);
    memset(b, 0, sizeof *b);
}

/* Binds the files (or zeros when there are none and `zeros` is set). */
static int cli_bind_all(const infer_model *m, infer_session *s, const cli_strs *files, int zeros,
                        const infer_options *opts, cli_bound *b, char *err, size_t errn) {
    int k, nin = infer_model_input_count(m);
    memset(b, 0, sizeof *b);
    if (files->n == 0 && zeros) {
        b->zeros = (cli_zeros *)calloc((size_t)(nin ? nin : 1), sizeof(cli_zeros));
        if (!b->zeros) return cli_fmt(err, errn, "out of memory"), -1;
        for (k = 0; k < nin; k++) {
            b->nzeros = k + 1;
            if (cli_bind_zeros(m, s, k, &b->zeros[k], err, errn)) return -1;
        }
        return 0;
    }
    if (files->n > nin) {
        cli_fmt(err, errn, "%d input files for a model with %d inputs", files->n, nin);
        return -1;
    }
    b->vals = (infer_value *)calloc((size_t)(files->n ? files->n : 1), sizeof(infer_value));
    if (!b->vals) return cli_fmt(err, errn, "out of memory"), -1;
    for (k = 0; k < files->n; k++) {
        if (cli_load_value(files->v[k], cli_input_kind(m, k), opts, &b->vals[k], err, errn)) return -1;
        b->n = k + 1;
        cli_fix_bf16(&b->vals[k], cli_declared_dtype(m, k, 1));
        if (cli_bind(s, k, &b->vals[k], err, errn)) return -1;
    }
    return 0;
}

static int cli_create_session(infer_model *m, const infer_options *opts, infer_session **s, char *err,
                              size_t errn) {
    infer_error e;
    infer_status st;
    memset(&e, 0, sizeof e);
    *s = NULL;
    st = infer_session_create(m, opts, s, &e);
    if (st != INFER_STATUS_OK) {
        cli_fmt(err, errn, "creating a session: %s%s%s", infer_status_string(st), e.message[0] ? ": " : "",
                 e.message);
        *s = NULL;
        return -1;
    }
    return 0;
}

/* Loads the model and (when s is not NULL) creates a session; 0 on success. */
static int cli_load_model(const char *path, const infer_options *opts, infer_model **m, infer_session **s,
                          char *err, size_t errn) {
    infer_error e;
    infer_status st;
    memset(&e, 0, sizeof e);
    *m = NULL;
    if (s) *s = NULL;
    st = infer_model_load_file(path, opts, m, &e);
    if (st != INFER_STATUS_OK) {
        cli_fmt(err, errn, "loading %s: %s%s%s", path, infer_status_string(st), e.message[0] ? ": " : "",
                 e.message);
        *m = NULL;
        return -1;
    }
    if (s && cli_create_session(*m, opts, s, err, errn)) {
        infer_model_destroy(*m);
        *m = NULL;
        return -1;
    }
    return 0;
}

static int cli_session_fail(infer_session *s, const char *what, infer_status st, char *err, size_t errn) {
    const char *msg = infer_session_error(s);
    cli_fmt(err, errn, "%s: %s%s%s", what, infer_status_string(st), msg && *msg ? ": " : "", msg ? msg : "");
    return -1;
}

/* ============================================================================================== */
/* optimisation options: -O LEVEL / --opt LEVEL, --no-pass NAME                                   */
/* ============================================================================================== */
static const struct cli_pass {
    const char *name;
    unsigned bit;
} cli_passes[] = {
    {"constant-fold", INFER_PASS_CONSTANT_FOLD}, {"shape-fold", INFER_PASS_SHAPE_FOLD},
    {"dead-code", INFER_PASS_DEAD_CODE},         {"noop", INFER_PASS_NOOP},
    {"transpose", INFER_PASS_TRANSPOSE},         {"bn-fold", INFER_PASS_BN_FOLD},
    {"affine-fold", INFER_PASS_AFFINE_FOLD},     {"cse", INFER_PASS_CSE},
    {"layernorm", INFER_PASS_LAYERNORM},         {"gelu", INFER_PASS_GELU},
    {"matmul-gemm", INFER_PASS_MATMUL_GEMM},     {"epilogue", INFER_PASS_EPILOGUE},
    {"attention", INFER_PASS_ATTENTION},         {"winograd", INFER_PASS_WINOGRAD},
};

/* Adds the passes named in a comma-separated list to *bits; 0 on success. */
static int cli_parse_passes(const char *list, unsigned *bits) {
    const char *p = list;
    if (!p || !*p) return -1;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p), k;
        int found = 0;
        for (k = 0; k < sizeof cli_passes / sizeof cli_passes[0]; k++)
            if (strlen(cli_passes[k].name) == n && strncmp(cli_passes[k].name, p, n) == 0) {
                *bits |= cli_passes[k].bit;
                found = 1;
            }
        if (n == 3 && strncmp(p, "all", 3) == 0) {
            *bits |= ~0u;
            found = 1;
        }
        if (!found) return -1;
        p += n;
        if (*p == ',') p++;
    }
    return 0;
}

/* -O / --opt LEVEL: 0 (or -1) none, 1 safe rewrites, 2 all; as infer_options.opt_level (-1 none). */
static int cli_parse_level(const char *s, int *level) {
    if (cli_parse_int(s, -1, 2, level)) return -1;
    if (*level == 0) *level = -1;
    return 0;
}

/* ============================================================================================== */
/* common options of run / bench / info                                                           */
/* ============================================================================================== */
typedef struct cli_args {
    const char *model;
    const char *dataset;
    const char *outdir;
    cli_strs inputs;
    int threads, runs, warmup, opt_level;
    int serve; /* bench --serve: timed runs on request (lines on stdin), for tools/bench.js */
    unsigned no_pass;
} cli_args;

/* Parses the arguments after the command name; returns 0, or 2 after printing the usage. */
static int cli_parse_common(int argc, char **argv, const char *cmd, cli_args *a) {
    int i;
    int allow_data = strcmp(cmd, "info") != 0, allow_out = strcmp(cmd, "run") == 0,
        allow_n = strcmp(cmd, "bench") == 0;
    memset(a, 0, sizeof *a);
    a->runs = 20;
    a->warmup = 3;
    for (i = 0; i < argc; i++) {
        const char *o = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = (strcmp(o, "-d") == 0 && allow_data) || (strcmp(o, "-i") == 0 && allow_data) ||
                    (strcmp(o, "-o") == 0 && allow_out) || strcmp(o, "-t") == 0 || strcmp(o, "--opt") == 0 ||
                    strcmp(o, "-O") == 0 || strcmp(o, "--no-pass") == 0 ||
                    ((strcmp(o, "-n") == 0 || strcmp(o, "-w") == 0) && allow_n);
        if (takes && !val) return cli_bad_usage("option %s needs a value", o);
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            cli_usage(stdout);
            exit(0);
        } else if (strcmp(o, "--serve") == 0 && allow_n) {
            a->serve = 1;
        } else if (strcmp(o, "-d") == 0 && allow_data) {
            a->dataset = val;
            i++;
        } else if (strcmp(o, "-i") == 0 && allow_data) {
            if (cli_strs_add(&a->inputs, val)) return 1;
            i++;
        } else if (strcmp(o, "-o") == 0 && allow_out) {
            a->outdir = val;
            i++;
        } else if (strcmp(o, "-t") == 0) {
            if (cli_parse_int(val, 0, 4096, &a->threads)) return cli_bad_usage("bad thread count %s", val);
            i++;
        } else if (strcmp(o, "--opt") == 0 || strcmp(o, "-O") == 0) {
            if (cli_parse_level(val, &a->opt_level)) return cli_bad_usage("bad optimisation level %s", val);
            i++;
        } else if (strcmp(o, "--no-pass") == 0) {
            if (cli_parse_passes(val, &a->no_pass)) return cli_bad_usage("unknown pass in %s", val);
            i++;
        } else if (strcmp(o, "-n") == 0 && allow_n) {
            if (cli_parse_int(val, 1, 100000000, &a->runs)) return cli_bad_usage("bad run count %s", val);
            i++;
        } else if (strcmp(o, "-w") == 0 && allow_n) {
            if (cli_parse_int(val, 0, 100000000, &a->warmup)) return cli_bad_usage("bad warm-up count %s", val);
            i++;
        } else if (o[0] == '-' && o[1]) {
            return cli_bad_usage("unknown option %s", o);
        } else if (!a->model) {
            a->model = o;
        } else {
            return cli_bad_usage("unexpected argument %s", o);
        }
    }
    if (!a->model) return cli_bad_usage("%smissing MODEL.onnx", "");
    if (a->dataset && a->inputs.n) return cli_bad_usage("%sgive -d or -i, not both", "");
    if (a->dataset && cli_dataset_inputs(a->dataset, &a->inputs)) return 1;
    return 0;
}

/* ============================================================================================== */
/* run                                                                                            */
/* ============================================================================================== */
static void cli_print_output(const infer_value *v, int k) {
    int i;
    printf("output %d '%s': %s", k, v->name ? v->name : "", cli_kind_name(v->kind));
    if (v->kind != 0) printf(" of %d", v->count);
    printf("\n");
    for (i = 0; i < v->count; i++) {
        const infer_tensor *t = &v->items[i];
        char shape[256];
        int64_t n = infer_tensor_count(t), j, show = n < 8 ? n : 8;
        cli_format_shape(shape, sizeof shape, t->rank, t->dims);
        printf("  %s %s:", cli_dtype_name(t->dtype), shape);
        for (j = 0; j < show && t->data; j++) {
            if (t->dtype == INFER_DTYPE_STRING) printf(" \"%.40s\"", ((char *const *)t->data)[j] ? ((char *const *)t->data)[j] : "");
            else printf(" %.6g", cli_get(t, j));
        }
        printf("%s\n", n > show ? " ..." : "");
    }
}

static int cli_cmd_run(int argc, char **argv) {
    cli_args a;
    infer_options opts;
    infer_model *m = NULL;
    infer_session *s = NULL;
    cli_bound b;
    char err[CLI_MSG];
    int rc = cli_parse_common(argc, argv, "run", &a), k, nout;
    infer_status st;
    if (rc) {
        cli_strs_free(&a.inputs);
        return rc;
    }
    memset(&opts, 0, sizeof opts);
    memset(&b, 0, sizeof b);
    opts.num_threads = a.threads;
    opts.opt_level = a.opt_level;
    opts.disable_passes = a.no_pass;
    if (cli_load_model(a.model, &opts, &m, &s, err, sizeof err)) goto fail;
    if (a.inputs.n == 0 && infer_model_input_count(m) > 0) {
        cli_fmt(err, sizeof err, "no input files (give -d DATASET_DIR with input_<k>.pb, or -i FILE.pb)");
        goto fail;
    }
    if (cli_bind_all(m, s, &a.inputs, 0, &opts, &b, err, sizeof err)) goto fail;
    st = infer_session_run(s);
    if (st != INFER_STATUS_OK) {
        cli_session_fail(s, "run", st, err, sizeof err);
        goto fail;
    }
    if (a.outdir && cli_mkdir(a.outdir)) {
        cli_fmt(err, sizeof err, "cannot create directory %s: %s", a.outdir, strerror(errno));
        goto fail;
    }
    nout = infer_model_output_count(m);
    for (k = 0; k < nout; k++) {
        infer_value v;
        if (cli_get_output(s, m, k, &v, err, sizeof err)) goto fail;
        if (a.outdir) {
            void *buf = NULL;
            size_t size = 0;
            char name[64], path[CLI_PATH];
            st = infer_value_encode(&v, &buf, &size, &opts);
            if (st != INFER_STATUS_OK) {
                free(v.items);
                cli_fmt(err, sizeof err, "encoding output %d: %s", k, infer_status_string(st));
                goto fail;
            }
            cli_fmt(name, sizeof name, "output_%d.pb", k);
            cli_join(path, sizeof path, a.outdir, name);
            rc = cli_write_file(path, buf, size, err, sizeof err);
            infer_buffer_free(buf, &opts);
            if (rc) {
                free(v.items);
                goto fail;
            }
        } else {
            cli_print_output(&v, k);
        }
        free(v.items);
    }
    cli_bound_free(&b, &opts);
    infer_session_destroy(s);
    infer_model_destroy(m);
    cli_strs_free(&a.inputs);
    return 0;
fail:
    fprintf(stderr, "%s run: %s\n", cli_prog, err);
    cli_bound_free(&b, &opts);
    if (s) infer_session_destroy(s);
    if (m) infer_model_destroy(m);
    cli_strs_free(&a.inputs);
    return 1;
}

/* ============================================================================================== */
/* bench                                                                                          */
/* ============================================================================================== */
static int cli_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#ifdef INFER_PROFILE
/* Developer build (-DINFER_PROFILE): time per op type and the slowest nodes, averaged per run. */
static void cli_profile_print(const infer_session *s, int runs) {
    const infer__graph *g = s->top.g;
    double tot = 0, by[256];
    const char *names[256];
    int nn = 0, i, j, order[4096];
    for (i = 0; i < g->n_nodes && i < 4096; i++) {
        const char *op = g->nodes[i].op_type;
        tot += s->prof_ms[i];
        for (j = 0; j < nn && strcmp(names[j], op); j++) {}
        if (j == nn && nn < 256) { names[nn] = op; by[nn++] = 0; }
        if (j < nn) by[j] += s->prof_ms[i];
        order[i] = i;
    }
    printf("profile (ms per run, %d runs): total %.3f\n", runs, tot / runs);
    for (j = 0; j < nn; j++) printf("  %-24s %9.3f  %5.1f%%\n", names[j], by[j] / runs, 100 * by[j] / (tot > 0 ? tot : 1));
    for (i = 0; i < g->n_nodes && i < 4096; i++)
        for (j = i + 1; j < g->n_nodes && j < 4096; j++)
            if (s->prof_ms[order[j]] > s->prof_ms[order[i]]) { int t = order[i]; order[i] = order[j]; order[j] = t; }
    if (getenv("INFER_PROFILE_ORDER")) /* every node in graph order (to line up with other profilers) */
        for (i = 0; i < g->n_nodes && i < 4096; i++) order[i] = i;
    for (i = 0; i < (getenv("INFER_PROFILE_ORDER") ? 4096 : 40) && i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[order[i]];
        const infer__value *x = n->n_in > 0 && n->in[0] >= 0 ? &g->values[n->in[0]] : NULL;
        const infer__value *w = n->n_in > 1 && n->in[1] >= 0 ? &g->values[n->in[1]] : NULL;
        const infer__value *y = n->n_out > 0 && n->out[0] >= 0 ? &g->values[n->out[0]] : NULL;
        double gf = 0;
        if (!strcmp(n->op_type, "Conv") && w && y && w->type.rank >= 3) {
            int d;
            gf = 2.0 * (double)w->type.dims[1];
            for (d = 2; d < w->type.rank; d++) gf *= (double)w->type.dims[d];
            for (d = 0; d < y->type.rank; d++) gf *= (double)y->type.dims[d];
        }
        printf("  %8.3f ms  %-12s %-30s in0 rank %d [%lld %lld %lld %lld] w [%lld %lld %lld %lld] %.1f GF/s\n", s->prof_ms[order[i]] / runs, n->op_type, n->name,
               x ? x->type.rank : -1, x ? (long long)x->type.dims[0] : 0, x ? (long long)x->type.dims[1] : 0,
               x ? (long long)x->type.dims[2] : 0, x ? (long long)x->type.dims[3] : 0,
               w ? (long long)w->type.dims[0] : 0, w ? (long long)w->type.dims[1] : 0, w ? (long long)w->type.dims[2] : 0,
               w ? (long long)w->type.dims[3] : 0, gf / 1e6 / (s->prof_ms[order[i]] / runs + 1e-9));
    }
}
#endif

static int cli_cmd_bench(int argc, char **argv) {
    cli_args a;
    infer_options opts;
    infer_model *m = NULL;
    infer_session *s = NULL;
    cli_bound b;
    char err[CLI_MSG];
    double t0, load_ms, create_ms, prepare_ms, *times = NULL, *cpu = NULL, median, p90;
    int rc = cli_parse_common(argc, argv, "bench", &a), i, i90;
    infer_status st;
    if (rc) {
        cli_strs_free(&a.inputs);
        return rc;
    }
    memset(&opts, 0, sizeof opts);
    memset(&b, 0, sizeof b);
    opts.num_threads = a.threads;
    opts.opt_level = a.opt_level;
    opts.disable_passes = a.no_pass;
    t0 = cli_now_ms();
    if (cli_load_model(a.model, &opts, &m, NULL, err, sizeof err)) goto fail;
    load_ms = cli_now_ms() - t0;
    t0 = cli_now_ms();
    if (cli_create_session(m, &opts, &s, err, sizeof err)) goto fail;
    create_ms = cli_now_ms() - t0;
    if (cli_bind_all(m, s, &a.inputs, 1, &opts, &b, err, sizeof err)) goto fail;
    t0 = cli_now_ms();
    st = infer_session_prepare(s);
    prepare_ms = cli_now_ms() - t0;
    if (st != INFER_STATUS_OK) {
        cli_session_fail(s, "prepare", st, err, sizeof err);
        goto fail;
    }
    for (i = 0; i < a.warmup; i++) {
        st = infer_session_run(s);
        if (st != INFER_STATUS_OK) {
            cli_session_fail(s, "run", st, err, sizeof err);
            goto fail;
        }
    }
    if (a.serve) {
        /* --serve: after the warm-up, each line "N" on stdin gets N timed runs, answered by one line
           "times MS MS ..."; end of input (or "q") ends. bench.js alternates blocks of infer's and
           ORT's runs this way, so that both meet the machine's slow and fast spells alike. */
        char line[64];
        printf("load %.3f ms, session %.3f ms, prepare %.3f ms, arena %lu bytes\nready\n", load_ms, create_ms, prepare_ms,
               (unsigned long)infer_session_arena_size(s));
        fflush(stdout);
        while (fgets(line, sizeof line, stdin) && line[0] != 'q') {
            int n = atoi(line);
            printf("times");
            for (i = 0; i < n && i < 100000; i++) {
                t0 = cli_now_ms();
                st = infer_session_run(s);
                if (st != INFER_STATUS_OK) {
                    printf("\n");
                    cli_session_fail(s, "run", st, err, sizeof err);
                    goto fail;
                }
                printf(" %.4f", cli_now_ms() - t0);
            }
            printf("\n");
            fflush(stdout);
        }
        goto done;
    }
    times = (double *)malloc((size_t)a.runs * sizeof *times);
    if (!times) {
        cli_fmt(err, sizeof err, "out of memory");
        goto fail;
    }
    cpu = (double *)malloc((size_t)a.runs * sizeof *cpu);
    if (!cpu) {
        cli_fmt(err, sizeof err, "out of memory");
        goto fail;
    }
    for (i = 0; i < a.runs; i++) {
        clock_t c0 = clock();
        t0 = cli_now_ms();
        st = infer_session_run(s);
        times[i] = cli_now_ms() - t0;
        cpu[i] = (double)(clock() - c0) * 1e3 / CLOCKS_PER_SEC;
        if (st != INFER_STATUS_OK) {
            cli_session_fail(s, "run", st, err, sizeof err);
            goto fail;
        }
    }
    qsort(times, (size_t)a.runs, sizeof *times, cli_cmp_double);
    median = a.runs % 2 ? times[a.runs / 2] : 0.5 * (times[a.runs / 2 - 1] + times[a.runs / 2]);
    i90 = (int)ceil(0.9 * a.runs) - 1;
    if (i90 < 0) i90 = 0;
    p90 = times[i90];
    printf("model: %s\n", a.model);
    printf("inputs: %s\n", a.inputs.n ? (a.dataset ? a.dataset : "files") : "zeros of the declared shapes");
    printf("threads: %d, runs: %d, warm-up: %d\n", a.threads, a.runs, a.warmup);
    printf("load %.3f ms, session %.3f ms, prepare %.3f ms, arena %lu bytes\n", load_ms, create_ms, prepare_ms,
           (unsigned long)infer_session_arena_size(s));
    qsort(cpu, (size_t)a.runs, sizeof *cpu, cli_cmp_double);
    printf("min %.3f ms, median %.3f ms, p90 %.3f ms, cpu median %.3f ms (all threads)\n", times[0], median, p90,
           a.runs % 2 ? cpu[a.runs / 2] : 0.5 * (cpu[a.runs / 2 - 1] + cpu[a.runs / 2]));
    printf("median_ms=%.4f\n", median);
#ifdef INFER_PROFILE
    cli_profile_print(s, a.runs + a.warmup);
#endif
done:
    free(times);
    free(cpu);
    cli_bound_free(&b, &opts);
    infer_session_destroy(s);
    infer_model_destroy(m);
    cli_strs_free(&a.inputs);
    return 0;
fail:
    fprintf(stderr, "%s bench: %s\n", cli_prog, err);
    free(times);
    free(cpu);
    cli_bound_free(&b, &opts);
    if (s) infer_session_destroy(s);
    if (m) infer_model_destroy(m);
    cli_strs_free(&a.inputs);
    return 1;
}


/* ============================================================================================== */
/* info                                                                                           */
/* ============================================================================================== */
static void cli_print_io(const infer_model *m, int k, int is_input) {
    infer_tensor info;
    int kind = 0;
    char shape[256];
    const char *name = is_input ? infer_model_input_name(m, k) : infer_model_output_name(m, k);
    infer_status st = is_input ? infer_model_input_info(m, k, &info, &kind) : infer_model_output_info(m, k, &info, &kind);
    if (st != INFER_STATUS_OK) {
        printf("  [%d] %s: (no type information)\n", k, name ? name : "");
        return;
    }
    cli_format_shape(shape, sizeof shape, info.rank, info.dims);
    if (kind == 0)
        printf("  [%d] %s: %s %s\n", k, name ? name : "", cli_dtype_name(info.dtype), shape);
    else
        printf("  [%d] %s: %s of %s %s\n", k, name ? name : "", cli_kind_name(kind), cli_dtype_name(info.dtype),
               shape);
}

static void cli_print_bytes(size_t b) {
    if (b >= (size_t)1 << 30) printf("%lu bytes (%.2f GiB)", (unsigned long)b, (double)b / (1024.0 * 1024 * 1024));
    else if (b >= (size_t)1 << 20) printf("%lu bytes (%.2f MiB)", (unsigned long)b, (double)b / (1024.0 * 1024));
    else if (b >= 1024) printf("%lu bytes (%.2f KiB)", (unsigned long)b, (double)b / 1024.0);
    else printf("%lu bytes", (unsigned long)b);
}

static int cli_cmd_info(int argc, char **argv) {
    cli_args a;
    infer_options opts;
    infer_model *m = NULL;
    infer_session *s = NULL;
    infer_model_stats stats;
    cli_bound b;
    cli_strs none;
    char err[CLI_MSG];
    const char *dot = NULL;
    int rc, k, n;
    infer_error e;
    infer_status st;
    for (k = 0; k + 1 < argc; k++) /* --dot FILE: take it out before the common options */
        if (strcmp(argv[k], "--dot") == 0) {
            dot = argv[k + 1];
            for (n = k; n + 2 < argc; n++) argv[n] = argv[n + 2];
            argc -= 2;
            break;
        }
    rc = cli_parse_common(argc, argv, "info", &a);
    if (rc) {
        cli_strs_free(&a.inputs);
        return rc;
    }
    memset(&opts, 0, sizeof opts);
    memset(&b, 0, sizeof b);
    memset(&none, 0, sizeof none);
    memset(&e, 0, sizeof e);
    opts.num_threads = a.threads;
    opts.opt_level = a.opt_level;
    opts.disable_passes = a.no_pass;
    printf("model: %s\n", a.model);
    st = infer_model_load_file(a.model, &opts, &m, &e);
    if (st == INFER_STATUS_OK && dot) {
        if (infer_model_save_dot(m, dot)) fprintf(stderr, "%s info: cannot write %s\n", cli_prog, dot);
        else printf("graphviz: %s\n", dot);
    }
    if (st == INFER_STATUS_OK) {
        infer_opt_report rep;
        infer_model_opt_report(m, &rep);
        printf("optimised: %d nodes in the file, %d executed (constant-fold %d, shape-fold %d, prune %d, "
               "batchnorm-fold %d, pass-through %d, noop %d, transpose %d, affine-fold %d, matmul-gemm %d, fused %d, "
               "cse %d)\n",
               rep.nodes_in_file, rep.nodes_after, rep.folded, rep.shape_folded, rep.pruned, rep.bn_folded,
               rep.passthrough, rep.noop, rep.transposes, rep.affine_folded, rep.gemm, rep.fused, rep.cse);
    }
    if (st != INFER_STATUS_OK) {
        if (st == INFER_STATUS_UNSUPPORTED) printf("unsupported ops: %s\n", e.message);
        fprintf(stderr, "%s info: loading %s: %s%s%s\n", cli_prog, a.model, infer_status_string(st),
                e.message[0] ? ": " : "", e.message);
        cli_strs_free(&a.inputs);
        return 1;
    }
    memset(&stats, 0, sizeof stats);
    infer_model_get_stats(m, &stats);
    printf("ir_version: %lld\n", (long long)stats.ir_version);
    printf("opset: %lld\n", (long long)stats.opset);
    n = infer_model_input_count(m);
    printf("inputs: %d\n", n);
    for (k = 0; k < n; k++) cli_print_io(m, k, 1);
    n = infer_model_output_count(m);
    printf("outputs: %d\n", n);
    for (k = 0; k < n; k++) cli_print_io(m, k, 0);
    n = infer_model_op_count(m);
    printf("nodes: %d (%d op types)\n", stats.node_count, n);
    for (k = 0; k < n; k++) {
        int count = 0;
        const char *op = infer_model_op_type(m, k, &count);
        printf("  %-24s %d\n", op ? op : "?", count);
    }
    printf("initializers: %d\n", stats.initializer_count);
    printf("parameters: %lld, ", (long long)stats.param_count);
    cli_print_bytes(stats.param_bytes);
    printf("\npacked weights: ");
    cli_print_bytes(stats.packed_bytes);
    printf("; model memory in all: ");
    cli_print_bytes(stats.model_bytes);
    printf("\n");
    if (cli_create_session(m, &opts, &s, err, sizeof err) == 0 &&
        cli_bind_all(m, s, &none, 1, &opts, &b, err, sizeof err) == 0) {
        st = infer_session_prepare(s);
        if (st == INFER_STATUS_OK) {
            printf("arena: ");
            cli_print_bytes(infer_session_arena_size(s));
            printf(" (declared input shapes, symbolic dims = 1)\n");
        } else {
            cli_session_fail(s, "prepare", st, err, sizeof err);
            printf("arena: unknown (%s)\n", err);
        }
    } else {
        printf("arena: unknown (%s)\n", err);
    }
    printf("unsupported ops: none\n");
    cli_bound_free(&b, &opts);
    if (s) infer_session_destroy(s);
    infer_model_destroy(m);
    cli_strs_free(&a.inputs);
    return 0;
}

/* ============================================================================================== */
/* test: the conformance runner                                                                   */
/* ============================================================================================== */
typedef struct cli_test_cfg {
    cli_tol tol;
    int threads, jobs, timeout, fork, quiet, opt_level;
    unsigned no_pass;
    const char *model_name;
    const char *list_passing;
    void *children; /* the parent's table of children, kept in memory here: a forked child's leak check
                       must find it (held only in a register, it was reported as leaked) */
} cli_test_cfg;

typedef struct cli_test {
    char *dir, *name;
    char status; /* 'P', 'F', 'S'; 0 while pending */
    char msg[CLI_MSG];
} cli_test;

/* Compares one data set's outputs; 0 when all match. */
static int cli_check_outputs(infer_session *s, const infer_model *m, const char *set, const cli_test_cfg *cfg,
                             const infer_options *opts, char *why, size_t n) {
    int k, nexp = 0, nout = infer_model_output_count(m);
    for (;; nexp++) {
        char name[64], path[CLI_PATH];
        cli_fmt(name, sizeof name, "output_%d.pb", nexp);
        cli_join(path, sizeof path, set, name);
        if (!cli_file_exists(path)) break;
    }
    if (nexp != nout) {
        cli_fmt(why, n, "model has %d outputs, test data %d", nout, nexp);
        return 1;
    }
    for (k = 0; k < nout; k++) {
        char name[64], path[CLI_PATH], err[CLI_MSG], sub[CLI_MSG];
        infer_value want, got;
        int i, bad = 0;
        cli_fmt(name, sizeof name, "output_%d.pb", k);
        cli_join(path, sizeof path, set, name);
        if (cli_load_value(path, cli_output_kind(m, k), opts, &want, err, sizeof err)) {
            cli_fmt(why, n, "reading expected output %d: %s", k, err);
            return 1;
        }
        cli_fix_bf16(&want, cli_declared_dtype(m, k, 0));
        if (cli_get_output(s, m, k, &got, err, sizeof err)) {
            infer_value_free(&want, opts);
            cli_fmt(why, n, "%s", err);
            return 1;
        }
        if (got.kind != want.kind) {
            cli_fmt(why, n, "output %d: %s, expected %s", k, cli_kind_name(got.kind), cli_kind_name(want.kind));
            bad = 1;
        } else if (got.count != want.count) {
            cli_fmt(why, n, "output %d: %d items, expected %d", k, got.count, want.count);
            bad = 1;
        }
        for (i = 0; !bad && i < want.count; i++) {
            if (cli_compare_tensor(&got.items[i], &want.items[i], cfg->tol, sub, sizeof sub)) {
                if (want.kind == 1)
                    cli_fmt(why, n, "output %d '%s' item %d: %s", k, infer_model_output_name(m, k), i, sub);
                else
                    cli_fmt(why, n, "output %d '%s': %s", k, infer_model_output_name(m, k), sub);
                bad = 1;
            }
        }
        free(got.items);
        infer_value_free(&want, opts);
        if (bad) return 1;
    }
    return 0;
}

/* Runs one test directory; returns 'P', 'F' or 'S' with the reason in msg. */
static char cli_run_test(const char *dir, const cli_test_cfg *cfg, char *msg, size_t n) {
    char path[CLI_PATH], err[CLI_MSG];
    infer_options opts;
    infer_model *m = NULL;
    infer_session *s = NULL;
    int nsets = 0, i;
    char result = 'P';
    msg[0] = 0;
    memset(&opts, 0, sizeof opts);
    opts.num_threads = cfg->threads;
    opts.opt_level = cfg->opt_level;
    opts.disable_passes = cfg->no_pass;
    for (i = 0; i < 10000; i++) {
        char set[64], p2[CLI_PATH];
        cli_fmt(set, sizeof set, "test_data_set_%d", i);
        cli_join(path, sizeof path, dir, set);
        cli_join(p2, sizeof p2, path, "output_0.pb");
        if (!cli_file_exists(p2)) {
            cli_join(p2, sizeof p2, path, "input_0.pb");
            if (!cli_file_exists(p2)) break;
        }
        nsets++;
    }
    if (nsets == 0) {
        cli_fmt(msg, n, "no test_data_set_*");
        return 'S';
    }
    cli_join(path, sizeof path, dir, cfg->model_name);
    if (cli_load_model(path, &opts, &m, &s, err, sizeof err)) {
        cli_fmt(msg, n, "%s", err);
        return 'F';
    }
    for (i = 0; i < nsets && result == 'P'; i++) {
        char set[64], setdir[CLI_PATH], why[CLI_MSG];
        cli_strs files;
        cli_bound b;
        infer_status st;
        memset(&files, 0, sizeof files);
        memset(&b, 0, sizeof b);
        cli_fmt(set, sizeof set, "test_data_set_%d", i);
        cli_join(setdir, sizeof setdir, dir, set);
        if (cli_dataset_inputs(setdir, &files) || cli_bind_all(m, s, &files, 0, &opts, &b, err, sizeof err)) {
            cli_fmt(msg, n, "%s: %s", set, err);
            result = 'F';
        } else if ((st = infer_session_run(s)) != INFER_STATUS_OK) {
            cli_session_fail(s, "run", st, err, sizeof err);
            cli_fmt(msg, n, "%s: %s", set, err);
            result = 'F';
        } else if (cli_check_outputs(s, m, setdir, cfg, &opts, why, sizeof why)) {
            if (nsets > 1) cli_fmt(msg, n, "%s: %s", set, why);
            else cli_fmt(msg, n, "%s", why);
            result = 'F';
        }
        cli_bound_free(&b, &opts);
        cli_strs_free(&files);
    }
    infer_session_destroy(s);
    infer_model_destroy(m);
    return result;
}

/* category/name from the last two components of a test dir's path. */
static void cli_test_name(const char *dir, char *out, size_t n) {
    char tmp[CLI_PATH];
    size_t l;
    char *last, *prev;
    cli_fmt(tmp, sizeof tmp, "%s", dir);
    l = strlen(tmp);
    while (l > 1 && (tmp[l - 1] == '/' || tmp[l - 1] == '\\')) tmp[--l] = 0;
    last = strrchr(tmp, '/');
    if (!last) {
        cli_fmt(out, n, "%s", tmp);
        return;
    }
    *last = 0;
    prev = strrchr(tmp, '/');
    cli_fmt(out, n, "%s/%s", prev ? prev + 1 : tmp, last + 1);
}

static int cli_collect_tests(const char *path, const cli_test_cfg *cfg, int depth, cli_strs *dirs) {
    char p[CLI_PATH];
    cli_strs subs;
    int i, rc = 0;
    cli_join(p, sizeof p, path, cfg->model_name);
    if (cli_file_exists(p)) return cli_strs_add(dirs, path);
    if (depth >= 3) return 0;
    memset(&subs, 0, sizeof subs);
    if (cli_list_subdirs(path, &subs)) return 0;
    for (i = 0; i < subs.n && rc == 0; i++) {
        cli_join(p, sizeof p, path, subs.v[i]);
        rc = cli_collect_tests(p, cfg, depth + 1, dirs);
    }
    cli_strs_free(&subs);
    return rc;
}

#if defined(CLI_POSIX)
/* Runs tests[i] in a child process with a time guard; results come back through a pipe. */
typedef struct cli_child {
    pid_t pid;
    int fd, index;
} cli_child;

static pid_t cli_spawn(cli_test *t, const cli_test_cfg *cfg, int *fd_out) {
    int fds[2];
    pid_t pid;
    if (pipe(fds) != 0) return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        char buf[CLI_MSG + 2];
        size_t len, off = 0;
        close(fds[0]);
        if (cfg->timeout > 0) alarm((unsigned)cfg->timeout);
        buf[0] = cli_run_test(t->dir, cfg, buf + 1, CLI_MSG);
        len = 1 + strlen(buf + 1);
        while (off < len) {
            ssize_t w = write(fds[1], buf + off, len - off);
            if (w <= 0) break;
            off += (size_t)w;
        }
        CLI_LEAK_CHECK();
        _exit(0);
    }
    close(fds[1]);
    *fd_out = fds[0];
    return pid;
}

static void cli_reap(cli_test *t, int fd, int wstatus, const cli_test_cfg *cfg) {
    char buf[CLI_MSG + 2];
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
        if (r <= 0) break;
        len += (size_t)r;
        if (len >= sizeof buf - 1) break;
    }
    close(fd);
    buf[len] = 0;
    if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        t->status = 'F';
        if (sig == SIGALRM) cli_fmt(t->msg, sizeof t->msg, "timeout after %d s", cfg->timeout);
        else cli_fmt(t->msg, sizeof t->msg, "crashed (signal %d%s)", sig,
                      sig == SIGSEGV ? ", segmentation fault" : sig == SIGABRT ? ", abort" :
                      sig == SIGFPE ? ", arithmetic exception" : sig == SIGBUS ? ", bus error" : "");
    } else if (len == 0 || (buf[0] != 'P' && buf[0] != 'F' && buf[0] != 'S')) {
        t->status = 'F';
        cli_fmt(t->msg, sizeof t->msg, "test process exited with status %d and no result",
                 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    } else {
        t->status = buf[0];
        cli_fmt(t->msg, sizeof t->msg, "%s", buf + 1);
    }
}
#endif

static void cli_report(const cli_test *t, const cli_test_cfg *cfg) {
    if (t->status == 'P') {
        if (!cfg->quiet) printf("PASS %s\n", t->name);
    } else if (t->status == 'S') {
        if (!cfg->quiet) printf("SKIP %s: %s\n", t->name, t->msg);
    } else {
        printf("FAIL %s: %s\n", t->name, t->msg);
    }
    fflush(stdout);
}

static int cli_cmd_test(int argc, char **argv) {
    cli_test_cfg cfg;
    cli_strs roots, dirs;
    cli_test *tests = NULL;
    int i, npass = 0, nfail = 0, nskip = 0, printed = 0;
    memset(&cfg, 0, sizeof cfg);
    memset(&roots, 0, sizeof roots);
    memset(&dirs, 0, sizeof dirs);
    cfg.tol.rtol = 1e-3;
    cfg.tol.atol = 1e-7;
    cfg.threads = 1;
    cfg.jobs = 1;
    cfg.timeout = 120;
    cfg.model_name = "model.onnx";
#if defined(CLI_POSIX)
    cfg.fork = 1;
#endif
    for (i = 0; i < argc; i++) {
        const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = strcmp(o, "-t") == 0 || strcmp(o, "-j") == 0 || strcmp(o, "--rtol") == 0 ||
                    strcmp(o, "--atol") == 0 || strcmp(o, "--timeout") == 0 || strcmp(o, "--model") == 0 ||
                    strcmp(o, "--opt") == 0 || strcmp(o, "-O") == 0 || strcmp(o, "--no-pass") == 0 ||
                    strcmp(o, "--list-passing") == 0;
        if (takes && !val) {
            cli_strs_free(&roots);
            return cli_bad_usage("option %s needs a value", o);
        }
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            cli_usage(stdout);
            cli_strs_free(&roots);
            return 0;
        } else if (strcmp(o, "-q") == 0) cfg.quiet = 1;
        else if (strcmp(o, "--no-fork") == 0) cfg.fork = 0;
        else if (takes) {
            int bad = 0;
            i++;
            if (strcmp(o, "-t") == 0) bad = cli_parse_int(val, 0, 4096, &cfg.threads);
            else if (strcmp(o, "-j") == 0) bad = cli_parse_int(val, 1, 256, &cfg.jobs);
            else if (strcmp(o, "--timeout") == 0) bad = cli_parse_int(val, 0, 86400, &cfg.timeout);
            else if (strcmp(o, "--opt") == 0 || strcmp(o, "-O") == 0) bad = cli_parse_level(val, &cfg.opt_level);
            else if (strcmp(o, "--no-pass") == 0) bad = cli_parse_passes(val, &cfg.no_pass);
            else if (strcmp(o, "--rtol") == 0) bad = cli_parse_double(val, &cfg.tol.rtol);
            else if (strcmp(o, "--atol") == 0) bad = cli_parse_double(val, &cfg.tol.atol);
            else if (strcmp(o, "--model") == 0) cfg.model_name = val;
            else cfg.list_passing = val;
            if (bad) {
                cli_strs_free(&roots);
                return cli_bad_usage("bad value %s", val);
            }
        } else if (o[0] == '-' && o[1]) {
            cli_strs_free(&roots);
            return cli_bad_usage("unknown option %s", o);
        } else if (cli_strs_add(&roots, o)) {
            return 1;
        }
    }
    if (roots.n == 0) return cli_bad_usage("%stest needs at least one DIR", "");
    for (i = 0; i < roots.n; i++) {
        int before = dirs.n;
        if (cli_collect_tests(roots.v[i], &cfg, 0, &dirs)) {
            fprintf(stderr, "%s test: out of memory\n", cli_prog);
            return 1;
        }
        if (dirs.n == before) {
            fprintf(stderr, "%s test: no test directories (with %s) under %s\n", cli_prog, cfg.model_name, roots.v[i]);
            cli_strs_free(&roots);
            cli_strs_free(&dirs);
            return 1;
        }
    }
    tests = (cli_test *)calloc((size_t)dirs.n, sizeof *tests);
    if (!tests) return 1;
    for (i = 0; i < dirs.n; i++) {
        char name[CLI_PATH];
        tests[i].dir = dirs.v[i];
        cli_test_name(dirs.v[i], name, sizeof name);
        tests[i].name = (char *)malloc(strlen(name) + 1);
        if (!tests[i].name) return 1;
        strcpy(tests[i].name, name);
    }
#if defined(CLI_POSIX)
    if (cfg.fork) {
        cli_child *kids = (cli_child *)calloc((size_t)cfg.jobs, sizeof *kids);
        int next = 0, running = 0, j;
        if (!kids) return 1;
        cfg.children = kids;
        signal(SIGPIPE, SIG_IGN);
        while (printed < dirs.n) {
            while (running < cfg.jobs && next < dirs.n) {
                for (j = 0; j < cfg.jobs && kids[j].pid > 0; j++) {}
                kids[j].pid = cli_spawn(&tests[next], &cfg, &kids[j].fd);
                if (kids[j].pid < 0) {
                    kids[j].pid = 0;
                    tests[next].status = 'F';
                    cli_fmt(tests[next].msg, sizeof tests[next].msg, "cannot fork: %s", strerror(errno));
                } else {
                    kids[j].index = next;
                    running++;
                }
                next++;
            }
            if (running > 0) {
                int wstatus = 0;
                pid_t pid = waitpid(-1, &wstatus, 0);
                if (pid < 0) {
                    if (errno == EINTR) continue;
                    break;
                }
                for (j = 0; j < cfg.jobs; j++) {
                    if (kids[j].pid == pid) {
                        cli_reap(&tests[kids[j].index], kids[j].fd, wstatus, &cfg);
                        kids[j].pid = 0;
                        running--;
                        break;
                    }
                }
            }
            while (printed < next && tests[printed].status) cli_report(&tests[printed++], &cfg);
        }
        free(kids);
    }
#endif
    for (i = printed; i < dirs.n; i++) {
        tests[i].status = cli_run_test(tests[i].dir, &cfg, tests[i].msg, sizeof tests[i].msg);
        cli_report(&tests[i], &cfg);
    }
    for (i = 0; i < dirs.n; i++) {
        if (tests[i].status == 'P') npass++;
        else if (tests[i].status == 'S') nskip++;
        else nfail++;
    }
    if (cfg.list_passing) {
        FILE *f = fopen(cfg.list_passing, "w");
        if (!f) {
            fprintf(stderr, "%s test: cannot write %s: %s\n", cli_prog, cfg.list_passing, strerror(errno));
            nfail++;
        } else {
            for (i = 0; i < dirs.n; i++)
                if (tests[i].status == 'P') fprintf(f, "%s\n", tests[i].name);
            fclose(f);
        }
    }
    if (nskip) printf("%d passed, %d failed, %d skipped\n", npass, nfail, nskip);
    else printf("%d passed, %d failed\n", npass, nfail);
    for (i = 0; i < dirs.n; i++) free(tests[i].name);
    free(tests);
    cli_strs_free(&dirs);
    cli_strs_free(&roots);
    return nfail ? 1 : 0;
}

/* ============================================================================================== */
/* main                                                                                           */
/* ============================================================================================== */

/* optimize IN.onnx -o OUT.onnx [-O LEVEL] [--no-pass NAMES] [--external-data]: writes the optimised graph as a standard ONNX file and
   prints the op counts before and after and which passes fired. */
static int cli_cmd_optimize(int argc, char **argv) {
    const char *in = NULL, *out = NULL;
    int level = 2, i, j, k, ext = 0;
    size_t ext_over = 0; /* 0: external data past 2 GB */
    unsigned no_pass = 0;
    infer_options o0, o1;
    infer_model *before = NULL, *after = NULL;
    infer_error err;
    infer_opt_report rep;
    infer_status st;
    for (i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0) && i + 1 < argc) out = argv[++i];
        else if (strcmp(argv[i], "--external-data") == 0) ext_over = 1;
        else if (strcmp(argv[i], "--external-over") == 0 && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (!*argv[i] || *end || v == 0) return cli_bad_usage("bad byte count %s", argv[i]);
            ext_over = (size_t)v;
        }
        else if ((strcmp(argv[i], "-O") == 0 || strcmp(argv[i], "--opt") == 0) && i + 1 < argc) {
            if (cli_parse_level(argv[++i], &level)) return cli_bad_usage("bad optimisation level %s", argv[i]);
        } else if (strcmp(argv[i], "--no-pass") == 0 && i + 1 < argc) {
            if (cli_parse_passes(argv[++i], &no_pass)) return cli_bad_usage("unknown pass in %s", argv[i]);
        } else if (argv[i][0] == '-') return cli_bad_usage("unknown option %s", argv[i]);
        else if (!in) in = argv[i];
        else return cli_bad_usage("unexpected argument %s", argv[i]);
    }
    if (!in || !out) return cli_bad_usage("%soptimize needs IN.onnx and -o OUT.onnx", "");
    memset(&o0, 0, sizeof o0);
    memset(&o1, 0, sizeof o1);
    o0.opt_level = -1;
    o1.opt_level = level;
    o1.disable_passes = no_pass;
    o1.standard_ops_only = 1; /* only what a standard ONNX file can express */
    if (infer_model_load_file(in, &o0, &before, &err) || infer_model_load_file(in, &o1, &after, &err)) {
        fprintf(stderr, "%s optimize: loading %s: %s\n", cli_prog, in, err.message);
        infer_model_destroy(before);
        return 1;
    }
    st = infer_model_save_file(after, out, ext_over, NULL, &ext);
    if (st) {
        fprintf(stderr, "%s optimize: cannot write %s: %s\n", cli_prog, out, infer_status_string(st));
        infer_model_destroy(before);
        infer_model_destroy(after);
        return 1;
    }
    printf("%-28s %8s %8s\n", "op", "before", "after");
    for (i = 0; i < infer_model_op_count(before); i++) {
        int nb = 0, na = 0;
        const char *op = infer_model_op_type(before, i, &nb);
        for (j = 0; j < infer_model_op_count(after); j++) {
            int c;
            if (strcmp(infer_model_op_type(after, j, &c), op) == 0) na = c;
        }
        printf("%-28s %8d %8d\n", op, nb, na);
    }
    for (j = 0; j < infer_model_op_count(after); j++) {
        int c, seen = 0;
        const char *op = infer_model_op_type(after, j, &c);
        for (k = 0; k < infer_model_op_count(before); k++) if (strcmp(infer_model_op_type(before, k, NULL), op) == 0) seen = 1;
        if (!seen) printf("%-28s %8d %8d\n", op, 0, c);
    }
    infer_model_opt_report(after, &rep);
    printf("%-28s %8d %8d\n", "total", rep.nodes_in_file, rep.nodes_after);
    printf("passes: constant-fold %d, shape-fold %d, prune %d, batchnorm-fold %d, pass-through %d, noop %d, transpose %d, "
           "affine-fold %d, matmul-gemm %d, fused %d, cse %d\n",
           rep.folded, rep.shape_folded, rep.pruned, rep.bn_folded, rep.passthrough, rep.noop, rep.transposes,
           rep.affine_folded, rep.gemm, rep.fused, rep.cse);
    if (ext) printf("wrote %s with external data in %s.data\n", out, out);
    else printf("wrote %s\n", out);
    infer_model_destroy(before);
    infer_model_destroy(after);
    return 0;
}

int main(int argc, char **argv) {
    const char *cmd;
    if (argc > 0 && argv[0]) {
        const char *slash = strrchr(argv[0], '/');
        cli_prog = slash ? slash + 1 : argv[0];
    }
    if (argc < 2) {
        cli_usage(stderr);
        return 2;
    }
    cmd = argv[1];
    if (strcmp(cmd, "run") == 0) return cli_cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "bench") == 0) return cli_cmd_bench(argc - 2, argv + 2);
    if (strcmp(cmd, "info") == 0) return cli_cmd_info(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0) return cli_cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "optimize") == 0) return cli_cmd_optimize(argc - 2, argv + 2);
    if (strcmp(cmd, "ops") == 0) { /* the operator registry as a Markdown table */
        int i, since, until;
        const char *dom;
        printf("| op | domain | opsets |\n|---|---|---|\n");
        for (i = 0; i < infer_op_count(); i++) {
            const char *op = infer_op_entry(i, &dom, &since, &until);
            printf("| %s | %s | %d%s |\n", op, dom[0] ? dom : "ai.onnx", since, until >= 1000 ? "+" : "");
        }
        return 0;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        cli_usage(stdout);
        return 0;
    }
    return cli_bad_usage("unknown command %s", cmd);
}
