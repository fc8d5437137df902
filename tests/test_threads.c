/* test_threads.c - several threads, each with its own session of one shared model, running at once:
   every run of every thread must give outputs bit-identical to a single-thread run, and that run must
   match the test directory's reference outputs. Built plain (make test) and with -fsanitize=thread
   (make test-tsan; without OpenMP, since libgomp is not instrumented for ThreadSanitizer).

   usage: test_threads [-t THREADS] [-i ITERS] DIR[:MODEL_FILE]...
   DIR holds MODEL_FILE (default model.onnx) and test_data_set_0/ (an ONNX test or a zoo model). */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <pthread.h>
#define INFER_IMPLEMENTATION
#include "infer.h"
#include "modeldir.h"

typedef struct worker {
    const infer_model *model;
    const md_case *c;
    uint64_t want;
    int iters, runs_ok;
    char why[700];
} worker;

static void *worker_main(void *p) {
    worker *w = (worker *)p;
    infer_options o;
    infer_session *s = NULL;
    infer_error err;
    int it;
    memset(&o, 0, sizeof o);
    o.num_threads = 1;
    memset(&err, 0, sizeof err);
    w->runs_ok = 0;
    if (infer_session_create(w->model, &o, &s, &err) != INFER_STATUS_OK) {
        snprintf(w->why, sizeof w->why, "session: %s", err.message);
        return NULL;
    }
    for (it = 0; it < w->iters; it++) {
        uint64_t h = 0;
        infer_status st;
        /* rebinding each time: the same shapes, so no re-plan after the first run */
        if (md_bind(s, w->c)) {
            snprintf(w->why, sizeof w->why, "bind: %s", infer_session_error(s));
            break;
        }
        st = infer_session_run(s);
        if (st != INFER_STATUS_OK) {
            snprintf(w->why, sizeof w->why, "run %d: %s: %s", it, infer_status_string(st), infer_session_error(s));
            break;
        }
        if (!md_outputs(s, w->c, 0, &h, w->why, sizeof w->why)) break;
        if (h != w->want) {
            snprintf(w->why, sizeof w->why, "run %d: outputs differ from the single-thread run", it);
            break;
        }
        w->runs_ok++;
    }
    infer_session_destroy(s);
    return NULL;
}

static int test_dir(const char *arg, int nthreads, int iters) {
    char dir[1024];
    const char *file = NULL, *colon = strrchr(arg, ':');
    md_case c;
    infer_model *m = NULL;
    infer_session *s = NULL;
    infer_options o;
    infer_error err;
    worker w[64];
    pthread_t th[64];
    uint64_t want = 0;
    char why[700] = "";
    int i, ok = 1;
    snprintf(dir, sizeof dir, "%s", arg);
    if (colon) {
        dir[colon - arg] = 0;
        file = colon + 1;
    }
    if (md_open(&c, dir, file)) {
        printf("FAIL %s: cannot read the test directory\n", arg);
        return 0;
    }
    memset(&o, 0, sizeof o);
    o.num_threads = 1;
    memset(&err, 0, sizeof err);
    if (infer_model_load_memory(c.model, c.model_size, &o, &m, &err) != INFER_STATUS_OK ||
        infer_session_create(m, &o, &s, &err) != INFER_STATUS_OK) {
        printf("FAIL %s: %s\n", arg, err.message);
        if (m) infer_model_destroy(m);
        md_close(&c);
        return 0;
    }
    /* the single-thread run, checked against the references */
    if (md_bind(s, &c) || infer_session_run(s) != INFER_STATUS_OK) {
        printf("FAIL %s: single-thread run: %s\n", arg, infer_session_error(s));
        ok = 0;
    } else if (!md_outputs(s, &c, 1, &want, why, sizeof why)) {
        printf("FAIL %s: single-thread run against the reference: %s\n", arg, why);
        ok = 0;
    }
    infer_session_destroy(s);
    if (ok) {
        int started = 0;
        for (i = 0; i < nthreads; i++) {
            w[i].model = m;
            w[i].c = &c;
            w[i].want = want;
            w[i].iters = iters;
            w[i].runs_ok = 0;
            w[i].why[0] = 0;
            if (pthread_create(&th[i], NULL, worker_main, &w[i]) != 0) break;
            started++;
        }
        for (i = 0; i < started; i++) pthread_join(th[i], NULL);
        if (started != nthreads) {
            printf("FAIL %s: could start only %d threads\n", arg, started);
            ok = 0;
        }
        for (i = 0; i < started; i++)
            if (w[i].runs_ok != iters) {
                printf("FAIL %s: thread %d: %s\n", arg, i, w[i].why);
                ok = 0;
            }
    }
    if (ok) printf("ok   %s: %d threads x %d runs identical to the single-thread run\n", arg, nthreads, iters);
    infer_model_destroy(m);
    md_close(&c);
    return ok;
}

int main(int argc, char **argv) {
    int nthreads = 4, iters = 3, i, pass = 0, total = 0;
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows in logs */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            nthreads = atoi(argv[++i]);
            if (nthreads < 1 || nthreads > 64) nthreads = 4;
        } else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
            iters = atoi(argv[++i]);
            if (iters < 1) iters = 1;
        } else {
            total++;
            pass += test_dir(argv[i], nthreads, iters);
        }
    }
    if (total == 0) {
        fprintf(stderr, "usage: test_threads [-t THREADS] [-i ITERS] DIR[:MODEL_FILE]...\n");
        return 2;
    }
    printf("test_threads: %d of %d models passed\n", pass, total);
    return pass == total ? 0 : 1;
}
