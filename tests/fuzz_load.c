/* fuzz_load.c - libFuzzer target: a model file from the fuzz input is loaded, prepared and run.

   The bytes go through infer_model_load_memory with limits in the options (max_model_bytes,
   max_memory), then a session is created, every graph input gets a small zero tensor of its
   declared shape (symbolic or unknown dims -> 1; sequences get one item, optionals one value),
   the graph runs twice (plan + run, then the planned path), every output is read back byte by byte
   (so a bad output pointer shows up under AddressSanitizer), the model is written back with
   infer_model_encode and must load again, and everything is destroyed. The optimiser level
   (-1, 1, 2, 2 + standard_ops_only) is picked by the input's length modulo 4. Any status is fine; a crash, a sanitizer
   report, a leak or a timeout is a bug.

   Build (libFuzzer):   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. tests/fuzz_load.c -o build/fuzz_load -lm
   Build (replay only): gcc -g -O1 -DINFER_FUZZ_MAIN -fsanitize=address,undefined -I. tests/fuzz_load.c -o build/fuzz_load_replay -lm
                        build/fuzz_load_replay FILE_OR_DIR...
   See tests/fuzz.mk for the make targets.
*/
#define INFER_IMPLEMENTATION
#include "infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_MAX_MODEL_BYTES
#define FUZZ_MAX_MODEL_BYTES ((size_t)16 << 20)
#endif
#ifndef FUZZ_MAX_MEMORY
#define FUZZ_MAX_MEMORY ((size_t)256 << 20)
#endif
/* inputs larger than this many elements are not bound (the run is skipped) */
#ifndef FUZZ_MAX_INPUT_ELEMS
#define FUZZ_MAX_INPUT_ELEMS ((int64_t)1 << 16)
#endif

static const char fuzz_empty_string[1] = {0};

/* Reads every byte of a tensor the library handed back; returns a checksum so it is not optimised out. */
static unsigned fuzz_touch(const infer_tensor *t) {
    unsigned acc = 0;
    int64_t n = 1, i;
    size_t esz, nbytes, b;
    int d;
    if (t->rank < 0 || t->rank > INFER_MAX_RANK) return 0xdead;
    for (d = 0; d < t->rank; d++) {
        if (t->dims[d] < 0) return 0xbad;
        if (t->dims[d] && n > ((int64_t)1 << 40) / t->dims[d]) return 0xbad;
        n *= t->dims[d];
    }
    if (n == 0) return 0;
    if (!t->data) return 0xbad;
    if (t->dtype == INFER_DTYPE_STRING) {
        for (i = 0; i < n; i++) {
            const char *s = ((char *const *)t->data)[i];
            if (s) acc += (unsigned)strlen(s);
        }
        return acc;
    }
    esz = infer_dtype_size(t->dtype);
    if (!esz) return 0xbad;
    nbytes = (size_t)n * esz;
    for (b = 0; b < nbytes; b++) acc = acc * 31u + ((const unsigned char *)t->data)[b];
    return acc;
}

typedef struct fuzz_input {
    infer_tensor t;
    void *data;
} fuzz_input;

/* Zero tensor of the declared shape; 0 on success, -1 to skip the run. */
static int fuzz_make_input(const infer_model *m, int k, fuzz_input *in, int *kind) {
    infer_tensor info;
    int64_t dims[INFER_MAX_RANK];
    int64_t cnt = 1;
    int rank, d, dtype;
    size_t esz;
    memset(&info, 0, sizeof info);
    *kind = 0;
    if (infer_model_input_info(m, k, &info, kind) != INFER_STATUS_OK) return -1;
    dtype = info.dtype ? info.dtype : INFER_DTYPE_FLOAT;
    rank = info.rank < 0 ? 0 : info.rank;
    if (rank > INFER_MAX_RANK) return -1;
    for (d = 0; d < rank; d++) {
        dims[d] = info.dims[d] < 0 ? 1 : info.dims[d];
        if (dims[d] && cnt > FUZZ_MAX_INPUT_ELEMS / dims[d]) return -1;
        cnt *= dims[d];
    }
    if (cnt > FUZZ_MAX_INPUT_ELEMS) return -1;
    esz = dtype == INFER_DTYPE_STRING ? sizeof(char *) : infer_dtype_size(dtype);
    if (!esz) esz = 8;
    in->data = calloc((size_t)(cnt > 0 ? cnt : 1), esz);
    if (!in->data) return -1;
    if (dtype == INFER_DTYPE_STRING) {
        int64_t i;
        for (i = 0; i < cnt; i++) ((const char **)in->data)[i] = fuzz_empty_string;
    }
    infer_tensor_init(&in->t, dtype, rank, dims, in->data);
    return 0;
}

static void fuzz_read_outputs(const infer_model *m, infer_session *s) {
    volatile unsigned sink = 0;
    int k, nout = infer_model_output_count(m);
    for (k = 0; k < nout; k++) {
        int kind = 0, count = 0, i;
        infer_tensor t, info;
        infer_model_output_info(m, k, &info, &kind);
        (void)infer_model_output_name(m, k);
        if (infer_session_get_output_kind(s, k, &kind, &count) != INFER_STATUS_OK) continue;
        if (kind == 0) {
            if (infer_session_get_output(s, k, &t) == INFER_STATUS_OK) sink += fuzz_touch(&t);
        } else {
            for (i = 0; i < count && i < 1024; i++)
                if (infer_session_get_output_item(s, k, i, &t) == INFER_STATUS_OK) sink += fuzz_touch(&t);
        }
    }
    (void)sink;
}

static void fuzz_model(infer_model *m, const infer_options *mopts) {
    infer_options opts = *mopts;
    infer_session *s = NULL;
    infer_error err;
    infer_model_stats stats;
    fuzz_input *ins = NULL;
    int nin, k, i, ok = 1;
    volatile size_t sink = 0;

    infer_model_get_stats(m, &stats);
    for (i = 0; i < infer_model_op_count(m); i++) {
        int c = 0;
        const char *op = infer_model_op_type(m, i, &c);
        if (op) sink += strlen(op) + (size_t)c;
    }
    memset(&err, 0, sizeof err);
    if (infer_session_create(m, &opts, &s, &err) != INFER_STATUS_OK) return;

    nin = infer_model_input_count(m);
    if (nin > 0) ins = (fuzz_input *)calloc((size_t)nin, sizeof *ins);
    if (nin > 0 && !ins) ok = 0;
    for (k = 0; ok && k < nin; k++) {
        int kind = 0;
        const char *name = infer_model_input_name(m, k);
        if (name) sink += strlen(name);
        if (fuzz_make_input(m, k, &ins[k], &kind)) { ok = 0; break; }
        if (kind == 0) {
            if (infer_session_set_input(s, k, &ins[k].t) != INFER_STATUS_OK) ok = 0;
        } else {
            if (infer_session_set_input_items(s, k, kind, 1, &ins[k].t) != INFER_STATUS_OK) ok = 0;
        }
    }
    if (ok && infer_session_run(s) == INFER_STATUS_OK) {
        sink += infer_session_arena_size(s);
        fuzz_read_outputs(m, s);
        /* a second run with the same shapes takes the planned path */
        if (infer_session_run(s) == INFER_STATUS_OK) fuzz_read_outputs(m, s);
    } else {
        const char *msg = infer_session_error(s);
        if (msg) sink += strlen(msg);
    }
    infer_session_destroy(s);
    for (k = 0; ins && k < nin; k++) free(ins[k].data);
    free(ins);
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Options of one fuzz input. The optimiser level comes from the input's length (so a file always
   replays the same way): -1 none, 1 safe rewrites, 2 all, 2 with standard_ops_only. */
static void fuzz_options(infer_options *opts, size_t size) {
    static const int levels[4] = {-1, 1, 2, 2};
    memset(opts, 0, sizeof *opts);
    opts->num_threads = 1;
    opts->max_model_bytes = FUZZ_MAX_MODEL_BYTES;
    opts->max_memory = FUZZ_MAX_MEMORY;
    opts->opt_level = levels[size % 4];
    opts->standard_ops_only = size % 4 == 3;
}

#ifndef FUZZ_NO_ENCODE
/* The model the library writes back must load again (same options). */
static void fuzz_reencode(const infer_model *m, const infer_options *opts) {
    void *buf = NULL;
    size_t len = 0;
    infer_model *m2 = NULL;
    infer_error err;
    infer_options o2 = *opts;
    if (infer_model_encode(m, &buf, &len, opts) != INFER_STATUS_OK) return;
    if (len > o2.max_model_bytes) o2.max_model_bytes = len; /* folded constants may have grown it */
    memset(&err, 0, sizeof err);
    if (infer_model_load_memory(buf, len, &o2, &m2, &err) != INFER_STATUS_OK) {
        fprintf(stderr, "fuzz_load: the re-encoded model (%lu bytes) does not load: %s\n", (unsigned long)len, err.message);
        abort();
    }
    infer_model_destroy(m2);
    infer_buffer_free(buf, opts);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    infer_options opts;
    infer_model *m = NULL;
    infer_error err;
    infer_status st;
    fuzz_options(&opts, size);
    memset(&err, 0, sizeof err);
    st = infer_model_load_memory(data, size, &opts, &m, &err);
    if (st != INFER_STATUS_OK) {
        /* a failure must say why */
        if (err.message[0] == 0 || m != NULL) {
            fprintf(stderr, "fuzz_load: status %d without a message or with a model\n", (int)st);
            abort();
        }
        return 0;
    }
    if (!m) abort();
    fuzz_model(m, &opts);
#ifndef FUZZ_NO_ENCODE
    fuzz_reencode(m, &opts);
#endif
    infer_model_destroy(m);
    return 0;
}

#ifdef INFER_FUZZ_MAIN
#include "fuzz_main.h"
#endif
