/* hello.c - the quick start of infer.h, made real.

   Loads the ONNX model named on the command line, binds an input of zeros to every graph input in
   its declared shape (a symbolic dimension such as the batch size is taken as 1; a string input gets
   empty strings), runs the graph once and prints the type and shape of each output. It shows the
   whole life cycle of the API: infer_model_load_file -> infer_session_create ->
   infer_session_set_input -> infer_session_run -> infer_session_get_output -> destroy, with the
   error handling a real program needs (every call that can fail returns an infer_status, and the
   message says where). Sequence / optional inputs and outputs are handled too.

   Build (from the repository root; one line, no dependency beyond libc and libm):
       cc -O2 -I. examples/hello.c -o hello -lm                        (or add -fopenmp -march=native)
   Run:
       ./hello /usr/share/libonnx-testdata/data/node/test_conv_with_strides_padding/model.onnx
*/
#define INFER_IMPLEMENTATION
#include "infer.h"

#include <stdio.h>
#include <stdlib.h>

static void print_shape(const infer_tensor *t) {
    int d;
    printf("%s [", infer_dtype_name(t->dtype));
    for (d = 0; d < t->rank; d++) printf(d ? ", %lld" : "%lld", (long long)t->dims[d]);
    printf("]");
}

int main(int argc, char **argv) {
    static const char *empty = "";
    infer_model *model;
    infer_session *sess;
    infer_error err;
    void **buffers;
    infer_tensor *inputs;
    int n_in, n_out, i, rc = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s MODEL.onnx\n", argv[0]);
        return 2;
    }
    if (infer_model_load_file(argv[1], NULL, &model, &err)) {
        fprintf(stderr, "%s: %s\n", argv[1], err.message);
        return 1;
    }
    if (infer_session_create(model, NULL, &sess, &err)) {
        fprintf(stderr, "session: %s\n", err.message);
        infer_model_destroy(model);
        return 1;
    }

    /* One zero-filled tensor per input, in the declared shape. The data must stay alive until
       infer_session_run returns: the session does not copy it. */
    n_in = infer_model_input_count(model);
    buffers = (void **)calloc((size_t)n_in + 1, sizeof *buffers);
    inputs = (infer_tensor *)calloc((size_t)n_in + 1, sizeof *inputs);
    if (!buffers || !inputs) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (i = 0; i < n_in; i++) {
        infer_tensor decl;
        int kind = 0, d, rank;
        int64_t dims[INFER_MAX_RANK], count = 1, k;
        size_t esize;
        if (infer_model_input_info(model, i, &decl, &kind) != INFER_STATUS_OK) decl.rank = 0, decl.dtype = 0;
        rank = decl.rank < 0 ? 0 : decl.rank;
        for (d = 0; d < rank; d++) {
            dims[d] = decl.dims[d] < 0 ? 1 : decl.dims[d];   /* symbolic dimension: take 1 */
            count *= dims[d];
        }
        if (decl.dtype == 0) decl.dtype = INFER_DTYPE_FLOAT;
        esize = decl.dtype == INFER_DTYPE_STRING ? sizeof(char *) : infer_dtype_size(decl.dtype);
        buffers[i] = calloc((size_t)(count ? count : 1), esize ? esize : 1);
        if (!buffers[i]) {
            fprintf(stderr, "input %d: out of memory\n", i);
            rc = 1;
            goto done;
        }
        if (decl.dtype == INFER_DTYPE_STRING)
            for (k = 0; k < count; k++) ((const char **)buffers[i])[k] = empty;
        infer_tensor_init(&inputs[i], decl.dtype, rank, dims, buffers[i]);
        printf("input  %d %-12s ", i, infer_model_input_name(model, i));
        print_shape(&inputs[i]);
        printf(" (zeros)\n");
        if ((kind == 0 ? infer_session_set_input(sess, i, &inputs[i])
                       : infer_session_set_input_items(sess, i, kind, 1, &inputs[i])) != INFER_STATUS_OK) {
            fprintf(stderr, "input %d: %s\n", i, infer_session_error(sess));
            rc = 1;
            goto done;
        }
    }

    if (infer_session_run(sess)) {
        fprintf(stderr, "run: %s\n", infer_session_error(sess));
        rc = 1;
        goto done;
    }

    /* Outputs live in the session's arena until the next run. */
    n_out = infer_model_output_count(model);
    for (i = 0; i < n_out; i++) {
        int kind = 0, count = 1, j;
        infer_session_get_output_kind(sess, i, &kind, &count);
        printf("output %d %-12s ", i, infer_model_output_name(model, i));
        if (kind == 0) {
            infer_tensor out;
            if (infer_session_get_output(sess, i, &out) == INFER_STATUS_OK) print_shape(&out);
        } else {
            printf("%s of %d:", kind == 1 ? "sequence" : "optional", count);
            for (j = 0; j < count; j++) {
                infer_tensor item;
                if (infer_session_get_output_item(sess, i, j, &item) != INFER_STATUS_OK) break;
                printf(" ");
                print_shape(&item);
            }
        }
        printf("\n");
    }
    printf("arena: %lu bytes\n", (unsigned long)infer_session_arena_size(sess));

done:
    for (i = 0; i < n_in; i++) free(buffers[i]);
    free(buffers);
    free(inputs);
    infer_session_destroy(sess);
    infer_model_destroy(model);
    return rc;
}
