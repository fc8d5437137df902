/* test_pb.c - unit tests of the protobuf decoder, through the public API only
   (infer_value_decode / infer_value_encode for .pb tensors, infer_model_load_memory for models).

   Every malformed input (truncated at each offset, overlong varints, wrong wire types, lengths past
   the end, sizes that overflow) must give a non-OK status and never crash; `make test` also builds
   this file with AddressSanitizer and UndefinedBehaviorSanitizer so that an out-of-bounds read
   counts as a failure. Round trips encode -> decode check every plain dtype.

   Build: cc -O1 -g -I. tests/test_pb.c -o build/test_pb -lm      (see the Makefile)
*/
#define INFER_IMPLEMENTATION
#include "infer.h"
#include "pbw.h"

#include <math.h>

static infer_status decode(const pbw *w, size_t len, int kind, infer_value *v) {
    infer_error err;
    infer_status st;
    memset(v, 0, sizeof *v);
    memset(&err, 0, sizeof err);
    st = infer_value_decode(w->b, len, kind, v, NULL, &err);
    if (st == INFER_STATUS_OK) {
        /* what an OK decode hands back must be consistent */
        if (v->count < 0 || (v->count > 0 && !v->items)) {
            printf("FAIL %s: decode OK but count %d, items %p\n", t_name, v->count, (void *)v->items);
            t_fail++;
        }
    } else if (err.status != st || err.message[0] == 0) {
        printf("FAIL %s: status %d but error record (%d, \"%s\")\n", t_name, (int)st, (int)err.status, err.message);
        t_fail++;
    }
    return st;
}

/* decode must fail; frees anything an unexpected success returned */
static void expect_fail(const pbw *w, size_t len, int kind, const char *what) {
    infer_value v;
    infer_status st = decode(w, len, kind, &v);
    CHECKF(st != INFER_STATUS_OK, "%s: accepted (len %lu)", what, (unsigned long)len);
    if (st == INFER_STATUS_OK) infer_value_free(&v, NULL);
}

/* A valid float tensor [2,3] = {0.5, 1, ..., 3} with raw_data last. */
static void tensor_float23(pbw *w) {
    float f[6];
    int64_t dims[2] = {2, 3};
    int i;
    for (i = 0; i < 6; i++) f[i] = 0.5f * (float)(i + 1);
    pbw_reset(w);
    pbw_str(w, TP_NAME, "x");
    pbw_packed_varints(w, TP_DIMS, dims, 2);
    pbw_int(w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(w, TP_RAW_DATA, f, sizeof f); /* little-endian host assumed (x86, arm) */
}

static int is_float23(const infer_value *v) {
    const infer_tensor *t;
    int i;
    if (v->kind != 0 || v->count != 1 || !v->items) return 0;
    t = &v->items[0];
    if (t->dtype != INFER_DTYPE_FLOAT || t->rank != 2 || t->dims[0] != 2 || t->dims[1] != 3) return 0;
    for (i = 0; i < 6; i++)
        if (((const float *)t->data)[i] != 0.5f * (float)(i + 1)) return 0;
    return 1;
}

static void test_valid_forms(void) {
    pbw w;
    infer_value v;
    float f[6];
    int64_t dims[2] = {2, 3};
    int i;
    for (i = 0; i < 6; i++) f[i] = 0.5f * (float)(i + 1);

    t_name = "raw_data";
    tensor_float23(&w);
    CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK);
    CHECK(is_float23(&v));
    CHECK(v.name && strcmp(v.name, "x") == 0);
    infer_value_free(&v, NULL);

    t_name = "float_data packed, dims unpacked";
    pbw_reset(&w);
    pbw_int(&w, TP_DIMS, 2);
    pbw_int(&w, TP_DIMS, 3);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_packed_le(&w, TP_FLOAT_DATA, f, 4, 6);
    CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK);
    CHECK(is_float23(&v));
    infer_value_free(&v, NULL);

    t_name = "float_data unpacked";
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    for (i = 0; i < 6; i++) {
        uint32_t u;
        memcpy(&u, &f[i], 4);
        pbw_fixed32(&w, TP_FLOAT_DATA, u);
    }
    CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK);
    CHECK(is_float23(&v));
    infer_value_free(&v, NULL);

    t_name = "unknown fields of every wire type are skipped";
    pbw_reset(&w);
    pbw_int(&w, 99, 12345);
    pbw_fixed64(&w, 98, 7);
    pbw_str(&w, 97, "ignored");
    pbw_fixed32(&w, 96, 7);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, 1000, 1);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
    pbw_str(&w, 536870911, "largest field number");
    CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK);
    CHECK(is_float23(&v));
    infer_value_free(&v, NULL);

    t_name = "scalar (no dims)";
    pbw_reset(&w);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_RAW_DATA, f, 4);
    CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK);
    CHECK(v.count == 1 && v.items && v.items[0].rank == 0 && ((float *)v.items[0].data)[0] == 0.5f);
    infer_value_free(&v, NULL);

    t_name = "empty tensor [0, 3]";
    pbw_reset(&w);
    dims[0] = 0;
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK);
    CHECK(v.count == 1 && v.items && v.items[0].rank == 2 && v.items[0].dims[0] == 0 && v.items[0].dims[1] == 3);
    infer_value_free(&v, NULL);
}

/* The typed fields: int32_data carries the small ints, bool, float16, bfloat16. */
static void test_typed_fields(void) {
    pbw w;
    infer_value v;
    int64_t dims[1] = {3};
    const infer_tensor *t;

    t_name = "int32_data as int8";
    {
        int64_t vals[3] = {-1, 2, -128};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_INT8);
        pbw_packed_varints(&w, TP_INT32_DATA, vals, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            t = &v.items[0];
            CHECK(t->dtype == INFER_DTYPE_INT8 && ((int8_t *)t->data)[0] == -1 && ((int8_t *)t->data)[1] == 2 &&
                  ((int8_t *)t->data)[2] == -128);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "int32_data as uint8 / bool / int16 / uint16";
    {
        int64_t vals[3] = {255, 0, 7};
        int dts[4] = {INFER_DTYPE_UINT8, INFER_DTYPE_BOOL, INFER_DTYPE_INT16, INFER_DTYPE_UINT16};
        int k;
        for (k = 0; k < 4; k++) {
            if (dts[k] == INFER_DTYPE_BOOL) vals[0] = 1, vals[2] = 1;
            else vals[0] = 255, vals[2] = 7;
            pbw_reset(&w);
            pbw_packed_varints(&w, TP_DIMS, dims, 1);
            pbw_int(&w, TP_DATA_TYPE, dts[k]);
            pbw_packed_varints(&w, TP_INT32_DATA, vals, 3);
            CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
            if (!v.items) continue;
            t = &v.items[0];
            CHECKF(t->dtype == dts[k], "dtype %d", dts[k]);
            if (dts[k] == INFER_DTYPE_INT16 || dts[k] == INFER_DTYPE_UINT16)
                CHECKF(((uint16_t *)t->data)[0] == 255 && ((uint16_t *)t->data)[1] == 0 && ((uint16_t *)t->data)[2] == 7,
                       "dtype %d", dts[k]);
            else
                CHECKF(((uint8_t *)t->data)[0] == vals[0] && ((uint8_t *)t->data)[1] == 0 &&
                           ((uint8_t *)t->data)[2] == vals[2], "dtype %d", dts[k]);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "int32_data as float16 / bfloat16 bits";
    {
        int64_t h[3] = {0x3c00, 0xc000, 0x7c00};  /* 1, -2, inf */
        int64_t bf[3] = {0x3f80, 0xc000, 0x7f80}; /* 1, -2, inf */
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT16);
        pbw_packed_varints(&w, TP_INT32_DATA, h, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const uint16_t *p = (const uint16_t *)v.items[0].data;
            CHECK(v.items[0].dtype == INFER_DTYPE_FLOAT16 && p[0] == 0x3c00 && p[1] == 0xc000 && p[2] == 0x7c00);
            infer_value_free(&v, NULL);
        }
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_BFLOAT16);
        pbw_packed_varints(&w, TP_INT32_DATA, bf, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const uint16_t *p = (const uint16_t *)v.items[0].data;
            CHECK(v.items[0].dtype == INFER_DTYPE_BFLOAT16 && p[0] == 0x3f80 && p[1] == 0xc000 && p[2] == 0x7f80);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "int64_data";
    {
        int64_t vals[3] = {-5, INT64_MAX, INT64_MIN};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_INT64);
        pbw_packed_varints(&w, TP_INT64_DATA, vals, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const int64_t *p = (const int64_t *)v.items[0].data;
            CHECK(p[0] == -5 && p[1] == INT64_MAX && p[2] == INT64_MIN);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "int32_data as int32 (negative: 10-byte varints)";
    {
        int64_t vals[3] = {-1, 2147483647, -2147483647 - 1};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_INT32);
        pbw_packed_varints(&w, TP_INT32_DATA, vals, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const int32_t *p = (const int32_t *)v.items[0].data;
            CHECK(p[0] == -1 && p[1] == 2147483647 && p[2] == -2147483647 - 1);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "double_data";
    {
        double d[3] = {0.25, -1e300, 3.0};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_DOUBLE);
        pbw_packed_le(&w, TP_DOUBLE_DATA, d, 8, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const double *p = (const double *)v.items[0].data;
            CHECK(p[0] == 0.25 && p[1] == -1e300 && p[2] == 3.0);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "uint64_data as uint64 and uint32";
    {
        int64_t vals[3] = {1, (int64_t)UINT64_C(0xffffffffffffffff), 4000000000};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_UINT64);
        pbw_packed_varints(&w, TP_UINT64_DATA, vals, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const uint64_t *p = (const uint64_t *)v.items[0].data;
            CHECK(p[0] == 1 && p[1] == UINT64_C(0xffffffffffffffff) && p[2] == 4000000000u);
            infer_value_free(&v, NULL);
        }
        vals[1] = 77;
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_UINT32);
        pbw_packed_varints(&w, TP_UINT64_DATA, vals, 3);
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            const uint32_t *p = (const uint32_t *)v.items[0].data;
            CHECK(v.items[0].dtype == INFER_DTYPE_UINT32 && p[0] == 1 && p[1] == 77 && p[2] == 4000000000u);
            infer_value_free(&v, NULL);
        }
    }
    t_name = "string_data";
    {
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, dims, 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_STRING);
        pbw_str(&w, TP_STRING_DATA, "alpha");
        pbw_str(&w, TP_STRING_DATA, "");
        pbw_str(&w, TP_STRING_DATA, "gamma delta");
        CHECK(decode(&w, w.n, 0, &v) == INFER_STATUS_OK && v.items);
        if (v.items) {
            char **p = (char **)v.items[0].data;
            CHECK(v.items[0].dtype == INFER_DTYPE_STRING && p[0] && p[1] && p[2] && strcmp(p[0], "alpha") == 0 &&
                  p[1][0] == 0 && strcmp(p[2], "gamma delta") == 0);
            infer_value_free(&v, NULL);
        }
    }
}

/* Every proper prefix of a valid tensor is invalid (the data is missing or cut). */
static void test_truncation(void) {
    pbw w, seq;
    size_t len;
    infer_value v;
    t_name = "tensor truncated at every offset";
    tensor_float23(&w);
    for (len = 0; len < w.n; len++) {
        /* copy into an exact-size heap block so that a read past `len` is caught by ASan */
        unsigned char *p = (unsigned char *)malloc(len ? len : 1);
        infer_error err;
        infer_status st;
        memcpy(p, w.b, len);
        memset(&v, 0, sizeof v);
        st = infer_value_decode(p, len, 0, &v, NULL, &err);
        CHECKF(st != INFER_STATUS_OK, "prefix of %lu of %lu bytes accepted", (unsigned long)len, (unsigned long)w.n);
        if (st == INFER_STATUS_OK) infer_value_free(&v, NULL);
        free(p);
    }
    t_name = "sequence truncated at every offset";
    pbw_reset(&seq);
    pbw_int(&seq, SP_ELEM_TYPE, 1);
    pbw_sub(&seq, SP_TENSOR_VALUES, &w);
    pbw_sub(&seq, SP_TENSOR_VALUES, &w);
    CHECK(decode(&seq, seq.n, 1, &v) == INFER_STATUS_OK);
    if (v.count == 2) infer_value_free(&v, NULL);
    for (len = 0; len < seq.n; len++) {
        unsigned char *p = (unsigned char *)malloc(len ? len : 1);
        infer_status st;
        memcpy(p, seq.b, len);
        memset(&v, 0, sizeof v);
        st = infer_value_decode(p, len, 1, &v, NULL, NULL);
        /* a prefix that ends exactly after the first element is a valid sequence of one: allow it */
        if (st == INFER_STATUS_OK) {
            CHECKF(v.kind == 1 && v.count <= 2, "prefix %lu gave kind %d count %d", (unsigned long)len, v.kind, v.count);
            infer_value_free(&v, NULL);
        } else {
            t_pass++;
        }
        free(p);
    }
}

static void test_malformed(void) {
    pbw w;
    float f[6] = {0, 0, 0, 0, 0, 0};
    int64_t dims[2] = {2, 3};
    int i;

    t_name = "overlong varint (11 bytes) in dims";
    pbw_reset(&w);
    pbw_tag(&w, TP_DIMS, PBW_VARINT);
    for (i = 0; i < 10; i++) pbw_byte(&w, 0x82);
    pbw_byte(&w, 0x00);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
    expect_fail(&w, w.n, 0, "overlong varint");

    t_name = "overlong varint (20 continuation bytes) as tag";
    pbw_reset(&w);
    for (i = 0; i < 20; i++) pbw_byte(&w, 0x80);
    pbw_byte(&w, 0x01);
    expect_fail(&w, w.n, 0, "overlong tag");

    t_name = "varint continuation at the end of input";
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_tag(&w, TP_RAW_DATA, PBW_LEN);
    pbw_byte(&w, 0x98);
    expect_fail(&w, w.n, 0, "unterminated length varint");

    t_name = "wrong wire type: raw_data as varint";
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_int(&w, TP_RAW_DATA, 24);
    expect_fail(&w, w.n, 0, "raw_data varint");

    t_name = "wrong wire type: dims as fixed64";
    pbw_reset(&w);
    pbw_fixed64(&w, TP_DIMS, 6);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
    expect_fail(&w, w.n, 0, "dims fixed64");

    t_name = "wrong wire type: data_type as length-delimited";
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_bytes(&w, TP_DATA_TYPE, "\x01", 1);
    pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
    expect_fail(&w, w.n, 0, "data_type bytes");

    t_name = "invalid wire types 3, 4, 6, 7";
    {
        int wts[4] = {3, 4, 6, 7};
        for (i = 0; i < 4; i++) {
            pbw_reset(&w);
            pbw_packed_varints(&w, TP_DIMS, dims, 2);
            pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
            pbw_tag(&w, 50, wts[i]);
            pbw_byte(&w, 0);
            pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
            expect_fail(&w, w.n, 0, "invalid wire type");
        }
    }

    t_name = "field number 0";
    pbw_reset(&w);
    pbw_tag(&w, 0, PBW_VARINT);
    pbw_byte(&w, 1);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_RAW_DATA, f, sizeof f);
    expect_fail(&w, w.n, 0, "field 0");

    t_name = "length past the end";
    {
        uint64_t lens[4] = {25, 1000, (uint64_t)1 << 62, UINT64_C(0xffffffffffffffff)};
        for (i = 0; i < 4; i++) {
            pbw_reset(&w);
            pbw_packed_varints(&w, TP_DIMS, dims, 2);
            pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
            pbw_tag(&w, TP_RAW_DATA, PBW_LEN);
            pbw_varint(&w, lens[i]);
            pbw_raw(&w, f, sizeof f);
            expect_fail(&w, w.n, 0, "raw_data length");
            pbw_reset(&w);
            pbw_tag(&w, TP_NAME, PBW_LEN);
            pbw_varint(&w, lens[i]);
            pbw_raw(&w, "abc", 3);
            expect_fail(&w, w.n, 0, "name length");
            pbw_reset(&w);
            pbw_tag(&w, TP_DIMS, PBW_LEN); /* packed dims */
            pbw_varint(&w, lens[i]);
            pbw_byte(&w, 2);
            pbw_byte(&w, 3);
            expect_fail(&w, w.n, 0, "packed dims length");
        }
    }

    t_name = "fixed-width field cut";
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_tag(&w, TP_FLOAT_DATA, PBW_I32);
    pbw_byte(&w, 0);
    pbw_byte(&w, 0);
    expect_fail(&w, w.n, 0, "fixed32 cut");

    t_name = "packed float_data length not a multiple of 4";
    pbw_reset(&w);
    dims[0] = 1;
    dims[1] = 1;
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_FLOAT_DATA, f, 6);
    expect_fail(&w, w.n, 0, "float_data 6 bytes");

    t_name = "data size does not match the dims";
    dims[0] = 2;
    dims[1] = 3;
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_bytes(&w, TP_RAW_DATA, f, 20);
    expect_fail(&w, w.n, 0, "raw 20 bytes for 6 floats");
    pbw_reset(&w);
    pbw_packed_varints(&w, TP_DIMS, dims, 2);
    pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
    pbw_packed_le(&w, TP_FLOAT_DATA, f, 4, 5);
    expect_fail(&w, w.n, 0, "5 float_data for 6 elements");

    t_name = "negative dim";
    {
        int64_t d[2] = {-2, -3};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, d, 2);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
        pbw_bytes(&w, TP_RAW_DATA, f, 24);
        expect_fail(&w, w.n, 0, "negative dims");
    }

    t_name = "element count that overflows / huge dims without data";
    {
        int64_t d[4] = {(int64_t)1 << 40, (int64_t)1 << 40, (int64_t)1 << 40, 3};
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, d, 4);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
        expect_fail(&w, w.n, 0, "overflowing dims");
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, d, 2);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
        expect_fail(&w, w.n, 0, "2^80 elements");
    }

    t_name = "rank above INFER_MAX_RANK";
    {
        int64_t d[INFER_MAX_RANK + 1];
        for (i = 0; i < INFER_MAX_RANK + 1; i++) d[i] = 1;
        pbw_reset(&w);
        pbw_packed_varints(&w, TP_DIMS, d, INFER_MAX_RANK + 1);
        pbw_int(&w, TP_DATA_TYPE, INFER_DTYPE_FLOAT);
        pbw_bytes(&w, TP_RAW_DATA, f, 4);
        expect_fail(&w, w.n, 0, "rank 9");
    }

    t_name = "unknown / undefined data_type";
    pbw_reset(&w);
    pbw_int(&w, TP_DATA_TYPE, 999);
    pbw_bytes(&w, TP_RAW_DATA, f, 4);
    expect_fail(&w, w.n, 0, "dtype 999");
    pbw_reset(&w);
    pbw_int(&w, TP_DATA_TYPE, -1);
    pbw_bytes(&w, TP_RAW_DATA, f, 4);
    expect_fail(&w, w.n, 0, "dtype -1");
    pbw_reset(&w);
    expect_fail(&w, 0, 0, "empty input");

    t_name = "NULL arguments";
    {
        infer_value v;
        infer_status st;
        memset(&v, 0, sizeof v);
        st = infer_value_decode(NULL, 10, 0, &v, NULL, NULL);
        CHECK(st != INFER_STATUS_OK);
        tensor_float23(&w);
        st = infer_value_decode(w.b, w.n, 0, NULL, NULL, NULL);
        CHECK(st != INFER_STATUS_OK);
    }
}

static void test_seq_opt(void) {
    pbw t, w;
    infer_value v;
    t_name = "SequenceProto of two tensors";
    tensor_float23(&t);
    pbw_reset(&w);
    pbw_str(&w, SP_NAME, "seq");
    pbw_int(&w, SP_ELEM_TYPE, 1);
    pbw_sub(&w, SP_TENSOR_VALUES, &t);
    pbw_sub(&w, SP_TENSOR_VALUES, &t);
    CHECK(decode(&w, w.n, 1, &v) == INFER_STATUS_OK);
    CHECK(v.kind == 1 && v.count == 2);
    if (v.count == 2 && v.items) {
        infer_value one;
        memset(&one, 0, sizeof one);
        one.kind = 0;
        one.count = 1;
        one.items = &v.items[1];
        CHECK(is_float23(&one));
    }
    infer_value_free(&v, NULL);

    t_name = "empty SequenceProto";
    pbw_reset(&w);
    pbw_int(&w, SP_ELEM_TYPE, 1);
    CHECK(decode(&w, w.n, 1, &v) == INFER_STATUS_OK);
    CHECK(v.kind == 1 && v.count == 0);
    infer_value_free(&v, NULL);

    t_name = "OptionalProto holding a tensor";
    pbw_reset(&w);
    pbw_int(&w, SP_ELEM_TYPE, 1);
    pbw_sub(&w, OP_TENSOR_VALUE, &t);
    CHECK(decode(&w, w.n, 2, &v) == INFER_STATUS_OK);
    CHECK(v.kind == 2 && v.count == 1);
    infer_value_free(&v, NULL);

    t_name = "empty OptionalProto";
    pbw_reset(&w);
    pbw_int(&w, SP_ELEM_TYPE, 1);
    CHECK(decode(&w, w.n, 2, &v) == INFER_STATUS_OK);
    CHECK(v.kind == 2 && v.count == 0);
    infer_value_free(&v, NULL);

    t_name = "sequence holding a malformed tensor";
    pbw_reset(&w);
    pbw_int(&w, SP_ELEM_TYPE, 1);
    pbw_sub(&w, SP_TENSOR_VALUES, &t);
    t.n -= 3; /* cut the raw data of the second element */
    pbw_sub(&w, SP_TENSOR_VALUES, &t);
    expect_fail(&w, w.n, 1, "sequence with a cut tensor");
}

/* Encode -> decode of each plain dtype; the bytes must come back unchanged. */
static void test_round_trip(void) {
    static const int dts[] = {INFER_DTYPE_FLOAT,  INFER_DTYPE_DOUBLE, INFER_DTYPE_INT8,    INFER_DTYPE_UINT8,
                              INFER_DTYPE_INT16,  INFER_DTYPE_UINT16, INFER_DTYPE_INT32,   INFER_DTYPE_INT64,
                              INFER_DTYPE_UINT32, INFER_DTYPE_UINT64, INFER_DTYPE_BOOL,    INFER_DTYPE_FLOAT16,
                              INFER_DTYPE_BFLOAT16, INFER_DTYPE_FLOAT8E4M3FN, INFER_DTYPE_STRING};
    static const char *strs[6] = {"a", "", "hello", "x y", "\xc3\xa9t\xc3\xa9", "last"};
    unsigned char data[6 * 8];
    int k, i;
    for (k = 0; k < (int)(sizeof dts / sizeof dts[0]); k++) {
        infer_tensor t;
        infer_value v, back;
        int64_t dims[2] = {2, 3};
        void *buf = NULL;
        size_t size = 0, esz;
        infer_status st;
        char label[64];
        snprintf(label, sizeof label, "round trip %s", infer_dtype_name(dts[k]));
        t_name = label;
        esz = dts[k] == INFER_DTYPE_STRING ? sizeof(char *) : infer_dtype_size(dts[k]);
        CHECK(esz > 0 && esz <= 8);
        if (esz == 0 || esz > 8) continue;
        for (i = 0; i < (int)sizeof data; i++) data[i] = (unsigned char)(i * 37 + 11);
        if (dts[k] == INFER_DTYPE_BOOL)
            for (i = 0; i < 6; i++) data[i] = (unsigned char)(i & 1);
        if (dts[k] == INFER_DTYPE_FLOAT || dts[k] == INFER_DTYPE_DOUBLE)
            for (i = 0; i < 6; i++) {
                if (dts[k] == INFER_DTYPE_FLOAT) ((float *)(void *)data)[i] = (float)i * -1.25f + 0.1f;
                else ((double *)(void *)data)[i] = (double)i * 1e-300 - 3.5;
            }
        if (dts[k] == INFER_DTYPE_FLOAT8E4M3FN)
            for (i = 0; i < 6; i++) data[i] = (unsigned char)(0x38 + i); /* ordinary values, no NaN */
        if (dts[k] == INFER_DTYPE_STRING) memcpy(data, strs, sizeof strs);
        infer_tensor_init(&t, dts[k], 2, dims, data);
        memset(&v, 0, sizeof v);
        v.kind = 0;
        v.count = 1;
        v.items = &t;
        v.name = (char *)"rt";
        st = infer_value_encode(&v, &buf, &size, NULL);
        CHECKF(st == INFER_STATUS_OK && buf && size > 0, "encode: %s", infer_status_string(st));
        if (st != INFER_STATUS_OK) continue;
        memset(&back, 0, sizeof back);
        st = infer_value_decode(buf, size, 0, &back, NULL, NULL);
        CHECKF(st == INFER_STATUS_OK, "decode: %s", infer_status_string(st));
        if (st == INFER_STATUS_OK && back.count == 1 && back.items) {
            const infer_tensor *r = &back.items[0];
            CHECK(r->dtype == dts[k] && r->rank == 2 && r->dims[0] == 2 && r->dims[1] == 3);
            CHECK(back.name && strcmp(back.name, "rt") == 0);
            if (dts[k] == INFER_DTYPE_STRING) {
                int same = 1;
                for (i = 0; i < 6; i++) same &= ((char **)r->data)[i] && strcmp(((char **)r->data)[i], strs[i]) == 0;
                CHECK(same);
            } else {
                CHECK(memcmp(r->data, data, 6 * esz) == 0);
            }
        }
        if (st == INFER_STATUS_OK) infer_value_free(&back, NULL);
        infer_buffer_free(buf, NULL);
    }

    t_name = "round trip sequence and optional";
    {
        float a[2] = {1, 2}, b[3] = {3, 4, 5};
        int64_t da[1] = {2}, db[1] = {3};
        infer_tensor items[2];
        infer_value v, back;
        void *buf = NULL;
        size_t size = 0;
        infer_tensor_init(&items[0], INFER_DTYPE_FLOAT, 1, da, a);
        infer_tensor_init(&items[1], INFER_DTYPE_FLOAT, 1, db, b);
        memset(&v, 0, sizeof v);
        v.kind = 1;
        v.count = 2;
        v.items = items;
        CHECK(infer_value_encode(&v, &buf, &size, NULL) == INFER_STATUS_OK);
        memset(&back, 0, sizeof back);
        CHECK(buf && infer_value_decode(buf, size, 1, &back, NULL, NULL) == INFER_STATUS_OK);
        CHECK(back.kind == 1 && back.count == 2 && back.items && back.items[1].dims[0] == 3 &&
              ((float *)back.items[1].data)[2] == 5);
        infer_value_free(&back, NULL);
        infer_buffer_free(buf, NULL);
        buf = NULL;
        v.kind = 2;
        v.count = 1;
        CHECK(infer_value_encode(&v, &buf, &size, NULL) == INFER_STATUS_OK);
        memset(&back, 0, sizeof back);
        CHECK(buf && infer_value_decode(buf, size, 2, &back, NULL, NULL) == INFER_STATUS_OK);
        CHECK(back.kind == 2 && back.count == 1 && back.items && ((float *)back.items[0].data)[1] == 2);
        infer_value_free(&back, NULL);
        infer_buffer_free(buf, NULL);
        buf = NULL;
        v.count = 0;
        v.items = NULL;
        v.elem_kind = 0;
        CHECK(infer_value_encode(&v, &buf, &size, NULL) == INFER_STATUS_OK);
        memset(&back, 0, sizeof back);
        CHECK(buf && infer_value_decode(buf, size, 2, &back, NULL, NULL) == INFER_STATUS_OK);
        CHECK(back.kind == 2 && back.count == 0);
        infer_value_free(&back, NULL);
        infer_buffer_free(buf, NULL);
    }
}

/* Models: every proper prefix of a valid model is rejected; corrupted bytes never crash. */
static void test_model_bytes(void) {
    pbw w;
    size_t len;
    infer_model *m = NULL;
    infer_error err;
    infer_status st;
    int pos, k, accepted = 0;

    t_name = "valid hand-built model";
    pbw_model_addmul(&w, 2, 3);
    memset(&err, 0, sizeof err);
    st = infer_model_load_memory(w.b, w.n, NULL, &m, &err);
    CHECKF(st == INFER_STATUS_OK, "%s: %s", infer_status_string(st), err.message);
    if (st == INFER_STATUS_OK) infer_model_destroy(m);

    t_name = "model truncated at every offset";
    for (len = 0; len < w.n; len++) {
        unsigned char *p = (unsigned char *)malloc(len ? len : 1);
        memcpy(p, w.b, len);
        m = NULL;
        st = infer_model_load_memory(p, len, NULL, &m, &err);
        CHECKF(st != INFER_STATUS_OK, "prefix %lu of %lu accepted", (unsigned long)len, (unsigned long)w.n);
        if (st == INFER_STATUS_OK) infer_model_destroy(m);
        free(p);
    }

    t_name = "model with corrupted bytes (must not crash)";
    for (pos = 0; pos < (int)w.n; pos++) {
        static const unsigned char vals[5] = {0x00, 0xff, 0x80, 0x7f, 0x02};
        for (k = 0; k < 5; k++) {
            unsigned char *p = (unsigned char *)malloc(w.n);
            memcpy(p, w.b, w.n);
            p[pos] = vals[k];
            m = NULL;
            st = infer_model_load_memory(p, w.n, NULL, &m, &err);
            if (st == INFER_STATUS_OK) {
                infer_session *s = NULL;
                accepted++;
                if (infer_session_create(m, NULL, &s, &err) == INFER_STATUS_OK) infer_session_destroy(s);
                infer_model_destroy(m);
            } else {
                CHECKF(err.message[0] != 0, "no message for status %d", (int)st);
            }
            free(p);
        }
    }
    t_pass++; /* reaching this line is the test */

    t_name = "model garbage";
    {
        static const unsigned char junk[] = {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01};
        st = infer_model_load_memory(junk, sizeof junk, NULL, &m, &err);
        CHECK(st != INFER_STATUS_OK);
        st = infer_model_load_memory(junk, 0, NULL, &m, &err);
        CHECK(st != INFER_STATUS_OK);
        st = infer_model_load_memory(NULL, 0, NULL, &m, &err);
        CHECK(st != INFER_STATUS_OK);
    }

    t_name = "graph nested deeper than INFER_MAX_DEPTH in an attribute";
    {
        /* node(If){attribute{name,type=GRAPH,g=graph{node(If){attribute{...}}}}} nested 200 deep */
        static pbw a, b;
        int d;
        pbw_reset(&a);
        pbw_str(&a, GP_NAME, "leaf");
        for (d = 0; d < 200; d++) {
            pbw attr, node;
            pbw_reset(&attr);
            pbw_str(&attr, 1, "then_branch");
            pbw_int(&attr, 20, 5); /* type GRAPH */
            pbw_sub(&attr, 6, &a); /* g */
            pbw_reset(&node);
            pbw_str(&node, NP_OUTPUT, "y");
            pbw_str(&node, NP_OP_TYPE, "If");
            pbw_sub(&node, NP_ATTRIBUTE, &attr);
            pbw_reset(&b);
            pbw_sub(&b, GP_NODE, &node);
            if (b.overflow) break;
            a = b;
        }
        pbw_model_addmul(&w, 2, 3);
        pbw_sub(&w, MP_GRAPH, &a); /* a second graph field: the last one wins or it is an error */
        if (!w.overflow) {
            m = NULL;
            st = infer_model_load_memory(w.b, w.n, NULL, &m, &err);
            if (st == INFER_STATUS_OK) infer_model_destroy(m);
        }
        t_pass++;
    }
}

int main(void) {
    test_valid_forms();
    test_typed_fields();
    test_truncation();
    test_malformed();
    test_seq_opt();
    test_round_trip();
    test_model_bytes();
    return t_summary();
}
