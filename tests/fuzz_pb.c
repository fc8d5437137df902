/* fuzz_pb.c - libFuzzer target for the .pb value reader (infer_value_decode).

   The first byte of the input picks the kind hint (0 TensorProto, 1 SequenceProto, 2 OptionalProto,
   3 -> -1); the rest is the file. A value that decodes is read back byte by byte, encoded with
   infer_value_encode, decoded again and compared with the first decode (same kind, count, dtypes,
   shapes and bytes): a mismatch aborts.

   Build (libFuzzer):   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. tests/fuzz_pb.c -o build/fuzz_pb -lm
   Build (replay only): gcc -g -O1 -DINFER_FUZZ_MAIN -fsanitize=address,undefined -I. tests/fuzz_pb.c -o build/fuzz_pb_replay -lm
*/
#define INFER_IMPLEMENTATION
#include "infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Element count with a sanity bound; -1 if the tensor handed back is inconsistent. */
static int64_t fuzzpb_count(const infer_tensor *t) {
    int64_t n = 1;
    int d;
    if (t->rank < 0 || t->rank > INFER_MAX_RANK) return -1;
    for (d = 0; d < t->rank; d++) {
        if (t->dims[d] < 0) return -1;
        if (t->dims[d] && n > ((int64_t)1 << 40) / t->dims[d]) return -1;
        n *= t->dims[d];
    }
    return n;
}

static void fuzzpb_bug(const char *what) {
    fprintf(stderr, "fuzz_pb: %s\n", what);
    abort();
}

/* Same tensor (dtype, shape, bytes / strings)? Also reads every byte of both. */
static int fuzzpb_same(const infer_tensor *a, const infer_tensor *b) {
    int64_t n = fuzzpb_count(a), i;
    size_t esz;
    if (n < 0) fuzzpb_bug("decoded tensor has a bad shape");
    if (a->dtype != b->dtype || a->rank != b->rank) return 0;
    if (a->rank && memcmp(a->dims, b->dims, (size_t)a->rank * sizeof a->dims[0]) != 0) return 0;
    if (n == 0) return 1;
    if (!a->data || !b->data) fuzzpb_bug("tensor with elements but no data");
    if (a->dtype == INFER_DTYPE_STRING) {
        for (i = 0; i < n; i++) {
            const char *x = ((char *const *)a->data)[i], *y = ((char *const *)b->data)[i];
            if (strcmp(x ? x : "", y ? y : "") != 0) return 0;
        }
        return 1;
    }
    esz = infer_dtype_size(a->dtype);
    if (!esz) return 1; /* a dtype the library does not size: nothing more to compare */
    if (a->dtype == INFER_DTYPE_UINT4 || a->dtype == INFER_DTYPE_INT4 || a->dtype == INFER_DTYPE_FLOAT4E2M1 ||
        a->dtype == INFER_DTYPE_UINT2 || a->dtype == INFER_DTYPE_INT2) {
        /* packed on disk: only the low bits of each element survive a round trip */
        int bits = (a->dtype == INFER_DTYPE_UINT2 || a->dtype == INFER_DTYPE_INT2) ? 2 : 4;
        for (i = 0; i < n; i++) {
            unsigned x = ((const unsigned char *)a->data)[i], y = ((const unsigned char *)b->data)[i];
            if (((x ^ y) & ((1u << bits) - 1)) != 0) return 0;
        }
        return 1;
    }
    return memcmp(a->data, b->data, (size_t)n * esz) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    infer_value v, w;
    infer_error err;
    infer_status st;
    int hint, i;
    void *buf = NULL;
    size_t blen = 0;
    if (size < 1) return 0;
    hint = data[0] & 3;
    if (hint == 3) hint = -1;
    data++;
    size--;
    memset(&err, 0, sizeof err);
    st = infer_value_decode(data, size, hint, &v, NULL, &err);
    if (st != INFER_STATUS_OK) {
        if (err.message[0] == 0) fuzzpb_bug("decode failed without a message");
        return 0;
    }
    if (v.count < 0 || (v.count > 0 && !v.items)) fuzzpb_bug("decode OK with a bad item list");
    for (i = 0; i < v.count; i++)
        if (!fuzzpb_same(&v.items[i], &v.items[i])) fuzzpb_bug("tensor differs from itself");
    /* round trip */
    if (infer_value_encode(&v, &buf, &blen, NULL) == INFER_STATUS_OK) {
        memset(&err, 0, sizeof err);
        st = infer_value_decode(buf, blen, v.kind, &w, NULL, &err);
        if (st != INFER_STATUS_OK) {
            fprintf(stderr, "fuzz_pb: re-decode of the encoded value failed: %s\n", err.message);
            abort();
        }
        if (w.kind != v.kind || w.count != v.count) fuzzpb_bug("round trip changed kind or count");
        for (i = 0; i < v.count; i++)
            if (!fuzzpb_same(&v.items[i], &w.items[i])) fuzzpb_bug("round trip changed a tensor");
        infer_value_free(&w, NULL);
        infer_buffer_free(buf, NULL);
    }
    infer_value_free(&v, NULL);
    return 0;
}

#ifdef INFER_FUZZ_MAIN
#include "fuzz_main.h"
#endif
