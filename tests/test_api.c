/* test_api.c - tests of the public API of infer.h on a model built by hand in memory
   (D = (A + B) * A, float32):

   - loading from memory (the buffer may be freed right after), asking about inputs and outputs;
   - running and checking the numbers; re-planning when a bound shape changes;
   - two sessions of one shared model on two threads (pthreads) giving identical results;
   - a counting allocator proving that infer_session_run allocates nothing once prepared, and that a
     custom allocator is used for everything (alloc == free at the end, libc's path never taken);
   - a caller-provided arena (options.arena) holding the activations;
   - an allocator that fails at the n-th call, for every n: a status, never a crash, no leak;
   - API misuse (bad indices, wrong dtype or rank, unbound inputs) gives a status.
   With the ONNX 1.12 test data installed it also loads a conformance model file from memory.

   Build: cc -O2 -fopenmp -pthread -I. tests/test_api.c -o build/test_api -lm   (see the Makefile)
*/
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>

/* The library's default allocator, counted: with a custom allocator in the options it must stay unused. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static long g_libc_calls;
static void *count_malloc(size_t n) {
    pthread_mutex_lock(&g_lock);
    g_libc_calls++;
    pthread_mutex_unlock(&g_lock);
    return malloc(n);
}
static void *count_realloc(void *p, size_t n) {
    pthread_mutex_lock(&g_lock);
    g_libc_calls++;
    pthread_mutex_unlock(&g_lock);
    return realloc(p, n);
}
static void count_free(void *p) {
    if (p) {
        pthread_mutex_lock(&g_lock);
        g_libc_calls++;
        pthread_mutex_unlock(&g_lock);
    }
    free(p);
}
#define INFER_MALLOC(sz) count_malloc(sz)
#define INFER_REALLOC(p, sz) count_realloc(p, sz)
#define INFER_FREE(p) count_free(p)

#define INFER_IMPLEMENTATION
#include "infer.h"
#include "pbw.h"

/* ---- a counting (and optionally failing) allocator ------------------------------------------ */
typedef struct counter {
    pthread_mutex_t lock;
    long allocs, frees, live;
    long fail_at; /* the allocation with this number fails (-1: never) */
} counter;

static void *c_alloc(void *user, size_t size) {
    counter *c = (counter *)user;
    void *p = NULL;
    pthread_mutex_lock(&c->lock);
    if (c->fail_at < 0 || c->allocs != c->fail_at) {
        p = malloc(size ? size : 1);
        if (p) c->live++;
    }
    c->allocs++;
    pthread_mutex_unlock(&c->lock);
    return p;
}

static void c_free(void *user, void *ptr) {
    counter *c = (counter *)user;
    if (!ptr) return;
    pthread_mutex_lock(&c->lock);
    c->frees++;
    c->live--;
    pthread_mutex_unlock(&c->lock);
    free(ptr);
}

static void counter_init(counter *c, infer_options *o) {
    memset(o, 0, sizeof *o);
    pthread_mutex_init(&c->lock, NULL);
    c->allocs = c->frees = c->live = 0;
    c->fail_at = -1;
    o->allocator.alloc = c_alloc;
    o->allocator.free = c_free;
    o->allocator.user = c;
    o->num_threads = 1;
}

/* ---- helpers ---------------------------------------------------------------------------------- */
static pbw g_model_fixed, g_model_sym;
static int g_quiet; /* errors are expected: do not print them */

static infer_model *load(const pbw *w, const infer_options *o) {
    infer_model *m = NULL;
    infer_error err;
    infer_status st;
    memset(&err, 0, sizeof err);
    st = infer_model_load_memory(w->b, w->n, o, &m, &err);
    if (st != INFER_STATUS_OK) {
        printf("  load: %s: %s\n", infer_status_string(st), err.message);
        return NULL;
    }
    return m;
}

static infer_session *session(const infer_model *m, const infer_options *o) {
    infer_session *s = NULL;
    infer_error err;
    infer_status st;
    memset(&err, 0, sizeof err);
    st = infer_session_create(m, o, &s, &err);
    if (st != INFER_STATUS_OK) {
        printf("  session: %s: %s\n", infer_status_string(st), err.message);
        return NULL;
    }
    return s;
}

static void fill(float *a, float *b, int64_t n, int seed) {
    int64_t i;
    for (i = 0; i < n; i++) {
        a[i] = (float)((i * 7 + seed) % 101) * 0.03125f - 1.5f;
        b[i] = (float)((i * 13 + seed * 3) % 97) * 0.0625f - 3.0f;
    }
}

/* Binds A, B of shape [rows, cols] and runs; returns the output (NULL on error). */
static const float *bind_run(infer_session *s, float *a, float *b, int64_t rows, int64_t cols, infer_tensor *out) {
    infer_tensor ta, tb;
    int64_t dims[2];
    infer_status st;
    dims[0] = rows;
    dims[1] = cols;
    infer_tensor_init(&ta, INFER_DTYPE_FLOAT, 2, dims, a);
    infer_tensor_init(&tb, INFER_DTYPE_FLOAT, 2, dims, b);
    if (infer_session_set_input(s, 0, &ta) != INFER_STATUS_OK || infer_session_set_input(s, 1, &tb) != INFER_STATUS_OK) {
        printf("  set_input: %s\n", infer_session_error(s));
        return NULL;
    }
    st = infer_session_run(s);
    if (st != INFER_STATUS_OK) {
        if (!g_quiet) printf("  run: %s: %s\n", infer_status_string(st), infer_session_error(s));
        return NULL;
    }
    if (infer_session_get_output(s, 0, out) != INFER_STATUS_OK) return NULL;
    return (const float *)out->data;
}

static int check_result(const float *a, const float *b, const float *d, int64_t n) {
    int64_t i;
    for (i = 0; i < n; i++) {
        float want = (a[i] + b[i]) * a[i];
        if (d[i] != want) {
            printf("  element %lld: %g, expected %g\n", (long long)i, d[i], want);
            return 0;
        }
    }
    return 1;
}

/* ---- tests ------------------------------------------------------------------------------------ */
static void test_load_and_run(void) {
    infer_model *m;
    infer_session *s;
    infer_tensor info, out;
    float a[6], b[6];
    const float *d;
    int kind = -1;
    unsigned char *copy;
    t_name = "load from memory (buffer freed after load)";
    copy = (unsigned char *)malloc(g_model_fixed.n);
    memcpy(copy, g_model_fixed.b, g_model_fixed.n);
    m = NULL;
    {
        infer_error err;
        CHECK(infer_model_load_memory(copy, g_model_fixed.n, NULL, &m, &err) == INFER_STATUS_OK);
    }
    memset(copy, 0xee, g_model_fixed.n);
    free(copy);
    if (!m) return;
    CHECK(infer_model_input_count(m) == 2);
    CHECK(infer_model_output_count(m) == 1);
    CHECK(infer_model_input_name(m, 0) && strcmp(infer_model_input_name(m, 0), "A") == 0);
    CHECK(infer_model_input_name(m, 1) && strcmp(infer_model_input_name(m, 1), "B") == 0);
    CHECK(infer_model_output_name(m, 0) && strcmp(infer_model_output_name(m, 0), "D") == 0);
    CHECK(infer_model_input_name(m, 2) == NULL);
    CHECK(infer_model_input_info(m, 0, &info, &kind) == INFER_STATUS_OK);
    CHECK(kind == 0 && info.dtype == INFER_DTYPE_FLOAT && info.rank == 2 && info.dims[0] == 2 && info.dims[1] == 3);
    CHECK(infer_model_output_info(m, 0, &info, &kind) == INFER_STATUS_OK && info.rank == 2);
    {
        infer_model_stats st;
        int i, total = 0, cnt;
        memset(&st, 0, sizeof st);
        infer_model_get_stats(m, &st);
        CHECK(st.ir_version == 8 && st.opset == 13 && st.param_count == 0);
        for (i = 0; i < infer_model_op_count(m); i++) {
            cnt = 0;
            CHECK(infer_model_op_type(m, i, &cnt) != NULL);
            total += cnt;
        }
        CHECK(total == st.node_count && total >= 1);
    }

    t_name = "run";
    s = session(m, NULL);
    CHECK(s != NULL);
    if (!s) {
        infer_model_destroy(m);
        return;
    }
    fill(a, b, 6, 1);
    d = bind_run(s, a, b, 2, 3, &out);
    CHECK(d != NULL);
    if (d) {
        CHECK(out.dtype == INFER_DTYPE_FLOAT && out.rank == 2 && out.dims[0] == 2 && out.dims[1] == 3);
        CHECK(check_result(a, b, d, 6));
    }
    CHECK(infer_session_arena_size(s) > 0);
    CHECK(infer_session_find_input(s, "B") == 1);
    CHECK(infer_session_find_input(s, "nope") < 0);

    t_name = "run again with new data, same shape";
    fill(a, b, 6, 5);
    d = bind_run(s, a, b, 2, 3, &out);
    CHECK(d && check_result(a, b, d, 6));

    t_name = "misuse gives a status";
    {
        infer_tensor t;
        int64_t dims[3] = {2, 3, 1};
        double dd[6] = {0, 0, 0, 0, 0, 0};
        CHECK(infer_session_set_input(s, 2, NULL) != INFER_STATUS_OK);
        infer_tensor_init(&t, INFER_DTYPE_FLOAT, 2, dims, a);
        CHECK(infer_session_set_input(s, -1, &t) != INFER_STATUS_OK);
        CHECK(infer_session_set_input(s, 7, &t) != INFER_STATUS_OK);
        CHECK(infer_session_get_output(s, 3, &out) != INFER_STATUS_OK);
        /* wrong dtype: refused when bound or when run */
        infer_tensor_init(&t, INFER_DTYPE_DOUBLE, 2, dims, dd);
        CHECK(infer_session_set_input(s, 0, &t) != INFER_STATUS_OK || infer_session_run(s) != INFER_STATUS_OK);
        /* wrong rank against the declared [2, 3] */
        infer_tensor_init(&t, INFER_DTYPE_FLOAT, 3, dims, a);
        CHECK(infer_session_set_input(s, 0, &t) != INFER_STATUS_OK || infer_session_run(s) != INFER_STATUS_OK);
        /* a good binding works again afterwards */
        fill(a, b, 6, 9);
        d = bind_run(s, a, b, 2, 3, &out);
        CHECK(d && check_result(a, b, d, 6));
    }
    infer_session_destroy(s);

    t_name = "run without binding the inputs";
    s = session(m, NULL);
    if (s) {
        CHECK(infer_session_run(s) != INFER_STATUS_OK);
        CHECK(infer_session_error(s) && infer_session_error(s)[0]);
        infer_session_destroy(s);
    }
    infer_model_destroy(m);
}

static void test_replan(void) {
    infer_model *m;
    infer_session *s;
    infer_tensor info, out;
    static float a[64 * 3], b[64 * 3];
    const float *d;
    int kind;
    t_name = "symbolic dims: re-plan on a new shape";
    m = load(&g_model_sym, NULL);
    CHECK(m != NULL);
    if (!m) return;
    CHECK(infer_model_input_info(m, 0, &info, &kind) == INFER_STATUS_OK && info.rank == 2 && info.dims[0] == -1 &&
          info.dims[1] == 3);
    s = session(m, NULL);
    if (s) {
        int64_t rows[4] = {2, 64, 1, 7};
        int i;
        for (i = 0; i < 4; i++) {
            fill(a, b, rows[i] * 3, i);
            d = bind_run(s, a, b, rows[i], 3, &out);
            CHECKF(d && out.dims[0] == rows[i] && check_result(a, b, d, rows[i] * 3), "rows %lld", (long long)rows[i]);
        }
        infer_session_destroy(s);
    }
    infer_model_destroy(m);
}

/* ---- two threads ------------------------------------------------------------------------------ */
#define TH_ROWS 1000
#define TH_COLS 64
#define TH_ITERS 30
typedef struct thread_arg {
    const infer_model *model;
    const float *a, *b;
    float *result;
    int ok, threads;
} thread_arg;

static void *thread_main(void *p) {
    thread_arg *t = (thread_arg *)p;
    infer_options o;
    infer_session *s;
    infer_tensor out;
    int it;
    memset(&o, 0, sizeof o);
    o.num_threads = t->threads;
    t->ok = 0;
    s = session(t->model, &o);
    if (!s) return NULL;
    for (it = 0; it < TH_ITERS; it++) {
        const float *d = bind_run(s, (float *)t->a, (float *)t->b, TH_ROWS, TH_COLS, &out);
        if (!d) break;
        if (it == 0) memcpy(t->result, d, sizeof(float) * TH_ROWS * TH_COLS);
        else if (memcmp(t->result, d, sizeof(float) * TH_ROWS * TH_COLS) != 0) break;
    }
    t->ok = it == TH_ITERS;
    infer_session_destroy(s);
    return NULL;
}

static void test_threads(void) {
    static float a[TH_ROWS * TH_COLS], b[TH_ROWS * TH_COLS], r0[TH_ROWS * TH_COLS], r1[TH_ROWS * TH_COLS];
    pbw *w = (pbw *)malloc(sizeof *w);
    infer_model *m;
    pthread_t th[2];
    thread_arg args[2];
    int i;
    t_name = "two sessions on two threads share one model";
    pbw_model_addmul(w, -1, -2);
    m = load(w, NULL);
    free(w);
    CHECK(m != NULL);
    if (!m) return;
    fill(a, b, TH_ROWS * TH_COLS, 3);
    for (i = 0; i < 2; i++) {
        args[i].model = m;
        args[i].a = a;
        args[i].b = b;
        args[i].result = i ? r1 : r0;
        args[i].ok = 0;
        args[i].threads = i ? 2 : 1; /* one session single-threaded, one with an OpenMP team */
        CHECK(pthread_create(&th[i], NULL, thread_main, &args[i]) == 0);
    }
    for (i = 0; i < 2; i++) pthread_join(th[i], NULL);
    CHECK(args[0].ok && args[1].ok);
    CHECK(memcmp(r0, r1, sizeof r0) == 0);
    CHECK(check_result(a, b, r0, TH_ROWS * TH_COLS));
    infer_model_destroy(m);
}

/* ---- allocators --------------------------------------------------------------------------- */
static void test_counting_allocator(void) {
    counter c;
    infer_options o;
    infer_model *m;
    infer_session *s;
    infer_tensor out, ta, tb;
    static float a[64 * 3], b[64 * 3];
    int64_t dims[2] = {64, 3};
    long before, libc_before = g_libc_calls;
    int i, ok = 1;
    t_name = "custom allocator: zero allocations in run after prepare";
    counter_init(&c, &o);
    m = load(&g_model_sym, &o);
    CHECK(m != NULL);
    if (!m) return;
    s = session(m, &o);
    CHECK(s != NULL);
    if (s) {
        fill(a, b, 64 * 3, 2);
        infer_tensor_init(&ta, INFER_DTYPE_FLOAT, 2, dims, a);
        infer_tensor_init(&tb, INFER_DTYPE_FLOAT, 2, dims, b);
        CHECK(infer_session_set_input(s, 0, &ta) == INFER_STATUS_OK);
        CHECK(infer_session_set_input(s, 1, &tb) == INFER_STATUS_OK);
        CHECK(infer_session_prepare(s) == INFER_STATUS_OK);
        before = c.allocs;
        for (i = 0; i < 20; i++) {
            fill(a, b, 64 * 3, i);
            /* rebinding the same shape is allowed inside the no-allocation window */
            ok &= infer_session_set_input(s, 0, &ta) == INFER_STATUS_OK;
            ok &= infer_session_set_input(s, 1, &tb) == INFER_STATUS_OK;
            ok &= infer_session_run(s) == INFER_STATUS_OK;
            ok &= infer_session_get_output(s, 0, &out) == INFER_STATUS_OK && check_result(a, b, (const float *)out.data, 64 * 3);
        }
        CHECK(ok);
        CHECKF(c.allocs == before, "%ld allocations during 20 runs", c.allocs - before);
        infer_session_destroy(s);
    }
    infer_model_destroy(m);
    t_name = "custom allocator used for everything";
    CHECKF(c.live == 0 && c.allocs == c.frees, "allocs %ld frees %ld live %ld", c.allocs, c.frees, c.live);
    CHECKF(c.allocs > 0, "the custom allocator was never called");
    CHECKF(g_libc_calls == libc_before, "%ld calls of the default allocator", g_libc_calls - libc_before);

    t_name = "custom allocator: values decoded and encoded with it";
    {
        pbw w;
        float f[2] = {1, 2};
        int64_t d1[1] = {2};
        infer_value v;
        void *buf = NULL;
        size_t size = 0;
        infer_tensor t;
        long la = c.allocs;
        libc_before = g_libc_calls;
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, d1, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
        pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
        memset(&v, 0, sizeof v);
        CHECK(infer_value_decode(w.b, w.n, 0, &v, &o, NULL) == INFER_STATUS_OK);
        infer_value_free(&v, &o);
        infer_tensor_init(&t, INFER_DTYPE_FLOAT, 1, d1, f);
        memset(&v, 0, sizeof v);
        v.count = 1;
        v.items = &t;
        CHECK(infer_value_encode(&v, &buf, &size, &o) == INFER_STATUS_OK);
        infer_buffer_free(buf, &o);
        CHECK(c.allocs > la && c.live == 0);
        CHECK(g_libc_calls == libc_before);
    }
    pthread_mutex_destroy(&c.lock);
}

static void test_caller_arena(void) {
    infer_model *m;
    infer_session *s;
    infer_options o;
    infer_tensor out;
    static float a[64 * 3], b[64 * 3];
    const float *d;
    size_t need = 0;
    unsigned char *mem;
    t_name = "caller-provided arena";
    m = load(&g_model_sym, NULL);
    if (!m) {
        CHECK(m != NULL);
        return;
    }
    s = session(m, NULL);
    if (s) {
        fill(a, b, 64 * 3, 4);
        d = bind_run(s, a, b, 64, 3, &out);
        CHECK(d != NULL);
        need = infer_session_arena_size(s);
        infer_session_destroy(s);
    }
    CHECK(need > 0);
    mem = (unsigned char *)malloc(need + 64);
    if (mem && need) {
        unsigned char *aligned = mem + (64 - ((uintptr_t)mem & 63)) % 64;
        memset(&o, 0, sizeof o);
        o.arena = aligned;
        o.arena_size = need;
        s = session(m, &o);
        CHECK(s != NULL);
        if (s) {
            fill(a, b, 64 * 3, 8);
            d = bind_run(s, a, b, 64, 3, &out);
            CHECK(d && check_result(a, b, d, 64 * 3));
            CHECKF(d && (const unsigned char *)d >= aligned && (const unsigned char *)d < aligned + need,
                   "output at %p, arena [%p, %p)", (const void *)d, (void *)aligned, (void *)(aligned + need));
            infer_session_destroy(s);
        }
        t_name = "caller-provided arena too small";
        o.arena_size = need / 2;
        s = session(m, &o);
        if (s) {
            /* either a clean error or a correct result that does not write past the given size */
            memset(aligned + need / 2, 0x5a, need - need / 2);
            g_quiet = 1;
            d = bind_run(s, a, b, 64, 3, &out);
            g_quiet = 0;
            if (d) {
                size_t i;
                int intact = 1;
                CHECK(check_result(a, b, d, 64 * 3));
                for (i = need / 2; i < need; i++) intact &= aligned[i] == 0x5a;
                CHECK(intact);
            } else {
                CHECK(infer_session_error(s)[0] != 0);
            }
            infer_session_destroy(s);
        } else {
            t_pass++;
        }
    }
    free(mem);
    infer_model_destroy(m);
}

static void test_failing_allocator(void) {
    counter c;
    infer_options o;
    long total, n;
    int crashes_avoided = 0, leaks = 0, ok_runs = 0;
    static float a[8 * 3], b[8 * 3];
    t_name = "allocator failing at the n-th call, every n";
    counter_init(&c, &o);
    /* count the allocations of one full cycle */
    {
        infer_model *m = load(&g_model_sym, &o);
        infer_session *s = m ? session(m, &o) : NULL;
        infer_tensor out;
        fill(a, b, 24, 1);
        if (s) {
            CHECK(bind_run(s, a, b, 8, 3, &out) != NULL);
            infer_session_destroy(s);
        }
        if (m) infer_model_destroy(m);
        total = c.allocs;
    }
    CHECK(total > 0);
    for (n = 0; n < total; n++) {
        infer_model *m = NULL;
        infer_session *s = NULL;
        infer_error err;
        infer_tensor out;
        c.allocs = c.frees = c.live = 0;
        c.fail_at = n;
        memset(&err, 0, sizeof err);
        if (infer_model_load_memory(g_model_sym.b, g_model_sym.n, &o, &m, &err) == INFER_STATUS_OK) {
            if (infer_session_create(m, &o, &s, &err) == INFER_STATUS_OK) {
                const float *d;
                infer_tensor ta, tb;
                int64_t dims[2] = {8, 3};
                infer_tensor_init(&ta, INFER_DTYPE_FLOAT, 2, dims, a);
                infer_tensor_init(&tb, INFER_DTYPE_FLOAT, 2, dims, b);
                if (infer_session_set_input(s, 0, &ta) == INFER_STATUS_OK &&
                    infer_session_set_input(s, 1, &tb) == INFER_STATUS_OK && infer_session_run(s) == INFER_STATUS_OK &&
                    infer_session_get_output(s, 0, &out) == INFER_STATUS_OK) {
                    d = (const float *)out.data;
                    CHECKF(check_result(a, b, d, 24), "fail_at %ld: wrong result", n);
                    ok_runs++;
                }
                infer_session_destroy(s);
            } else {
                CHECKF(err.message[0] != 0, "fail_at %ld: no message", n);
            }
            infer_model_destroy(m);
        } else {
            CHECKF(err.message[0] != 0, "fail_at %ld: no message", n);
        }
        if (c.live != 0) leaks++;
        crashes_avoided++;
    }
    CHECKF(leaks == 0, "%d of %ld cycles leaked", leaks, total);
    CHECK(crashes_avoided == total);
    /* the run after a failed allocation may succeed only if that allocation was optional */
    (void)ok_runs;
    pthread_mutex_destroy(&c.lock);
}

/* A conformance model file loaded from memory, checked against its expected output. */
static int read_all(const char *path, unsigned char **data, size_t *size) {
    FILE *f = fopen(path, "rb");
    long n;
    if (!f) return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *data = (unsigned char *)malloc((size_t)n + 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
        free(*data);
        fclose(f);
        return -1;
    }
    fclose(f);
    *size = (size_t)n;
    return 0;
}

static void test_conformance_file(void) {
    const char *dir = "/usr/share/libonnx-testdata/data/node/test_add";
    char path[512];
    unsigned char *mbytes = NULL, *i0 = NULL, *i1 = NULL, *o0 = NULL;
    size_t ms, s0, s1, so;
    infer_value v0, v1, vo;
    infer_model *m = NULL;
    infer_session *s = NULL;
    infer_error err;
    t_name = "conformance model from memory (node/test_add)";
    snprintf(path, sizeof path, "%s/model.onnx", dir);
    if (read_all(path, &mbytes, &ms)) {
        printf("  (skipped: %s not found)\n", path);
        return;
    }
    snprintf(path, sizeof path, "%s/test_data_set_0/input_0.pb", dir);
    CHECK(read_all(path, &i0, &s0) == 0);
    snprintf(path, sizeof path, "%s/test_data_set_0/input_1.pb", dir);
    CHECK(read_all(path, &i1, &s1) == 0);
    snprintf(path, sizeof path, "%s/test_data_set_0/output_0.pb", dir);
    CHECK(read_all(path, &o0, &so) == 0);
    memset(&v0, 0, sizeof v0);
    memset(&v1, 0, sizeof v1);
    memset(&vo, 0, sizeof vo);
    if (i0 && i1 && o0 && infer_value_decode(i0, s0, 0, &v0, NULL, NULL) == INFER_STATUS_OK &&
        infer_value_decode(i1, s1, 0, &v1, NULL, NULL) == INFER_STATUS_OK &&
        infer_value_decode(o0, so, 0, &vo, NULL, NULL) == INFER_STATUS_OK) {
        CHECK(infer_model_load_memory(mbytes, ms, NULL, &m, &err) == INFER_STATUS_OK);
        free(mbytes);
        mbytes = NULL;
        if (m && infer_session_create(m, NULL, &s, &err) == INFER_STATUS_OK) {
            infer_tensor out;
            CHECK(infer_session_set_input(s, 0, &v0.items[0]) == INFER_STATUS_OK);
            CHECK(infer_session_set_input(s, 1, &v1.items[0]) == INFER_STATUS_OK);
            CHECK(infer_session_run(s) == INFER_STATUS_OK);
            if (infer_session_get_output(s, 0, &out) == INFER_STATUS_OK) {
                int64_t n = infer_tensor_count(&out), i;
                int same = out.dtype == vo.items[0].dtype && n == infer_tensor_count(&vo.items[0]);
                for (i = 0; same && i < n; i++) {
                    float x = ((float *)out.data)[i], y = ((float *)vo.items[0].data)[i];
                    same = fabsf(x - y) <= 1e-7f + 1e-3f * fabsf(y);
                }
                CHECK(same);
            } else {
                CHECK(0);
            }
            infer_session_destroy(s);
        }
        if (m) infer_model_destroy(m);
    } else {
        CHECK(0);
    }
    infer_value_free(&v0, NULL);
    infer_value_free(&v1, NULL);
    infer_value_free(&vo, NULL);
    free(mbytes);
    free(i0);
    free(i1);
    free(o0);
}

static void test_helpers(void) {
    int64_t dims[3] = {2, 3, 4};
    infer_tensor t;
    t_name = "helpers";
    CHECK(strcmp(infer_status_string(INFER_STATUS_OK), "ok") == 0);
    CHECK(infer_status_string((infer_status)1000) != NULL);
    CHECK(infer_dtype_size(INFER_DTYPE_FLOAT) == 4 && infer_dtype_size(INFER_DTYPE_INT64) == 8 &&
          infer_dtype_size(INFER_DTYPE_BOOL) == 1 && infer_dtype_size(INFER_DTYPE_FLOAT16) == 2);
    CHECK(infer_dtype_name(INFER_DTYPE_FLOAT) != NULL);
    infer_tensor_init(&t, INFER_DTYPE_FLOAT, 3, dims, NULL);
    CHECK(infer_tensor_count(&t) == 24 && t.rank == 3 && t.dims[2] == 4);
    infer_tensor_init(&t, INFER_DTYPE_FLOAT, 0, NULL, NULL);
    CHECK(infer_tensor_count(&t) == 1);
}

int main(void) {
    (void)count_realloc; /* INFER_REALLOC may be unused by the library */
    pbw_model_addmul(&g_model_fixed, 2, 3);
    pbw_model_addmul(&g_model_sym, -1, 3);
    test_helpers();
    test_load_and_run();
    test_replan();
    test_threads();
    test_counting_allocator();
    test_caller_arena();
    test_failing_allocator();
    test_conformance_file();
    return t_summary();
}
