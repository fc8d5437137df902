/* test_allocfail.c - allocation-failure sweep over model files: for each test directory, one full
   cycle (load with the default optimiser level, create a session, bind, prepare, run, read the
   outputs, destroy) with a counting allocator gives the number N of allocations; then the cycle is
   repeated N times with allocation n failing (n = 0 .. N-1). Every cycle must end in a clean status
   with a message (OUT_OF_MEMORY: no other status may come out of an allocation failure) or in a run
   whose outputs are bit-identical to the full cycle's, and every cycle must free every block it
   allocated (live blocks counted). The full cycle is checked against the directory's reference
   outputs; with -z before it, a model's run after prepare must allocate nothing (models with Loop / If /
   Scan, sequences or strings allocate their run-time values while running: leave -z off for them).

   usage: test_allocfail [-s STEP] [-z | -Z] DIR[:MODEL_FILE]...
   -s STEP: only every STEP-th n, for quick runs; -z: the following models must run allocation-free;
   -Z: the following models may allocate in run (the default). */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdlib.h>
#define INFER_IMPLEMENTATION
#include "infer.h"
#include "modeldir.h"

typedef struct counter {
    long allocs, live, fail_at, failed;
} counter;

static void *c_alloc(void *user, size_t size) {
    counter *c = (counter *)user;
    void *p = NULL;
    if (c->allocs++ == c->fail_at) {
        c->failed++;
        return NULL;
    }
    p = malloc(size ? size : 1);
    if (p) c->live++;
    return p;
}

static void c_free(void *user, void *ptr) {
    counter *c = (counter *)user;
    if (!ptr) return;
    c->live--;
    free(ptr);
}

/* One cycle; returns the status of the first failing step (OK when all went through) and fills
   *hash with the outputs' hash on success. *run_allocs: allocations made by the run after prepare. */
static infer_status cycle(const md_case *c, counter *cnt, uint64_t *hash, long *run_allocs, int check, char *msg,
                          size_t msgn) {
    infer_options o;
    infer_model *m = NULL;
    infer_session *s = NULL;
    infer_error err;
    infer_status st;
    memset(&o, 0, sizeof o);
    o.allocator.alloc = c_alloc;
    o.allocator.free = c_free;
    o.allocator.user = cnt;
    o.num_threads = 1;
    memset(&err, 0, sizeof err);
    msg[0] = 0;
    st = infer_model_load_memory(c->model, c->model_size, &o, &m, &err);
    if (st != INFER_STATUS_OK) {
        snprintf(msg, msgn, "load: %s", err.message);
        return st;
    }
    st = infer_session_create(m, &o, &s, &err);
    if (st != INFER_STATUS_OK) {
        snprintf(msg, msgn, "session: %s", err.message);
        infer_model_destroy(m);
        return st;
    }
    if ((st = md_bind(s, c)) != INFER_STATUS_OK) {
        snprintf(msg, msgn, "bind: %s", infer_session_error(s));
    } else if ((st = infer_session_prepare(s)) != INFER_STATUS_OK) {
        snprintf(msg, msgn, "prepare: %s", infer_session_error(s));
    } else {
        long before = cnt->allocs;
        st = infer_session_run(s);
        *run_allocs = cnt->allocs - before;
        if (st != INFER_STATUS_OK) {
            snprintf(msg, msgn, "run: %s", infer_session_error(s));
        } else if (!md_outputs(s, c, check, hash, msg, msgn)) {
            st = INFER_STATUS_RUNTIME_ERROR;
        }
    }
    infer_session_destroy(s);
    infer_model_destroy(m);
    return st;
}

static int test_dir(const char *arg, long step, int zero_run) {
    char dir[1024], msg[600];
    const char *file = NULL, *colon = strrchr(arg, ':');
    md_case c;
    counter cnt;
    uint64_t want = 0, h;
    long total, n, run_allocs = 0, full_run_allocs, cycles = 0, oom = 0, passed_through = 0;
    int ok = 1;
    infer_status st;
    snprintf(dir, sizeof dir, "%s", arg);
    if (colon) {
        dir[colon - arg] = 0;
        file = colon + 1;
    }
    if (md_open(&c, dir, file)) {
        printf("FAIL %s: cannot read the test directory\n", arg);
        return 0;
    }
    memset(&cnt, 0, sizeof cnt);
    cnt.fail_at = -1;
    st = cycle(&c, &cnt, &want, &run_allocs, 1, msg, sizeof msg);
    total = cnt.allocs;
    full_run_allocs = run_allocs;
    if (st != INFER_STATUS_OK) {
        printf("FAIL %s: full cycle: %s: %s\n", arg, infer_status_string(st), msg);
        md_close(&c);
        return 0;
    }
    if (cnt.live != 0) {
        printf("FAIL %s: full cycle leaks %ld blocks\n", arg, cnt.live);
        ok = 0;
    }
    if (zero_run && run_allocs != 0) {
        printf("FAIL %s: the run after prepare made %ld allocations\n", arg, run_allocs);
        ok = 0;
    }
    for (n = 0; n < total; n += step) {
        memset(&cnt, 0, sizeof cnt);
        cnt.fail_at = n;
        h = 0;
        st = cycle(&c, &cnt, &h, &run_allocs, 0, msg, sizeof msg);
        cycles++;
        if (st == INFER_STATUS_OK) {
            passed_through++;
            if (h != want) {
                printf("FAIL %s: allocation %ld failed, the run succeeded with different outputs\n", arg, n);
                ok = 0;
            }
        } else if (st != INFER_STATUS_OUT_OF_MEMORY) {
            printf("FAIL %s: allocation %ld failed: status %s (%s)\n", arg, n, infer_status_string(st), msg);
            ok = 0;
        } else if (!strchr(msg, ':') || msg[strlen(msg) - 1] == ' ') {
            printf("FAIL %s: allocation %ld failed: no message\n", arg, n);
            ok = 0;
        } else {
            oom++;
        }
        if (cnt.live != 0) {
            printf("FAIL %s: allocation %ld failed: %ld blocks leaked (%s)\n", arg, n, cnt.live, msg[0] ? msg : "ok");
            ok = 0;
        }
        if (!ok) break;
    }
    if (ok)
        printf("ok   %s: %ld allocations (%ld in run), %ld failure points: %ld out of memory, %ld recovered, no leaks\n",
               arg, total, full_run_allocs, cycles, oom, passed_through);
    md_close(&c);
    return ok;
}

int main(int argc, char **argv) {
    long step = 1;
    int i, pass = 0, total = 0, zero_run = 0;
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows in logs */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            step = atol(argv[++i]);
            if (step < 1) step = 1;
        } else if (strcmp(argv[i], "-z") == 0 || strcmp(argv[i], "-Z") == 0) {
            zero_run = argv[i][1] == 'z';
        } else {
            total++;
            pass += test_dir(argv[i], step, zero_run);
        }
    }
    if (total == 0) {
        fprintf(stderr, "usage: test_allocfail [-s STEP] [-z | -Z] DIR[:MODEL_FILE]...\n");
        return 2;
    }
    printf("test_allocfail: %d of %d models passed\n", pass, total);
    return pass == total ? 0 : 1;
}
