/* pbw.h - a tiny protobuf writer for the tests: builds TensorProto / ModelProto bytes by hand,
   so the tests need no .onnx files. Not part of the library. */
#ifndef PBW_H
#define PBW_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PBW_CAP (1 << 15)

#if defined(__GNUC__)
#define PBW_FN static __attribute__((unused))
#else
#define PBW_FN static
#endif

typedef struct pbw {
    unsigned char b[PBW_CAP];
    size_t n;
    int overflow;
} pbw;

/* wire types */
enum { PBW_VARINT = 0, PBW_I64 = 1, PBW_LEN = 2, PBW_SGROUP = 3, PBW_EGROUP = 4, PBW_I32 = 5 };

PBW_FN void pbw_reset(pbw *w) {
    w->n = 0;
    w->overflow = 0;
}

PBW_FN void pbw_raw(pbw *w, const void *p, size_t n) {
    if (w->n + n > PBW_CAP) {
        w->overflow = 1;
        return;
    }
    if (n) memcpy(w->b + w->n, p, n);
    w->n += n;
}

PBW_FN void pbw_byte(pbw *w, unsigned v) {
    unsigned char c = (unsigned char)v;
    pbw_raw(w, &c, 1);
}

PBW_FN void pbw_varint(pbw *w, uint64_t v) {
    while (v >= 0x80) {
        pbw_byte(w, (unsigned)(v & 0x7f) | 0x80u);
        v >>= 7;
    }
    pbw_byte(w, (unsigned)v);
}

PBW_FN void pbw_tag(pbw *w, int field, int wt) { pbw_varint(w, ((uint64_t)field << 3) | (uint64_t)wt); }

PBW_FN void pbw_int(pbw *w, int field, int64_t v) {
    pbw_tag(w, field, PBW_VARINT);
    pbw_varint(w, (uint64_t)v);
}

PBW_FN void pbw_bytes(pbw *w, int field, const void *p, size_t n) {
    pbw_tag(w, field, PBW_LEN);
    pbw_varint(w, n);
    pbw_raw(w, p, n);
}

PBW_FN void pbw_str(pbw *w, int field, const char *s) { pbw_bytes(w, field, s, strlen(s)); }

PBW_FN void pbw_sub(pbw *w, int field, const pbw *sub) { pbw_bytes(w, field, sub->b, sub->n); }

PBW_FN void pbw_fixed32(pbw *w, int field, uint32_t v) {
    unsigned char b[4];
    int i;
    for (i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
    pbw_tag(w, field, PBW_I32);
    pbw_raw(w, b, 4);
}

PBW_FN void pbw_fixed64(pbw *w, int field, uint64_t v) {
    unsigned char b[8];
    int i;
    for (i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    pbw_tag(w, field, PBW_I64);
    pbw_raw(w, b, 8);
}

/* Packed repeated varints (int64 dims, int32_data, int64_data, uint64_data). */
PBW_FN void pbw_packed_varints(pbw *w, int field, const int64_t *v, int n) {
    pbw tmp;
    int i;
    pbw_reset(&tmp);
    for (i = 0; i < n; i++) pbw_varint(&tmp, (uint64_t)v[i]);
    pbw_sub(w, field, &tmp);
}

/* Packed little-endian fixed-width values (float_data, double_data). */
PBW_FN void pbw_packed_le(pbw *w, int field, const void *p, size_t elem, int n) {
    pbw tmp;
    int i;
    size_t j;
    const unsigned char *s = (const unsigned char *)p;
    pbw_reset(&tmp);
    for (i = 0; i < n; i++) {
        /* values are in host order; the wire is little-endian */
        unsigned char e[8];
        uint64_t u = 0;
        if (elem == 4) {
            uint32_t x;
            memcpy(&x, s + (size_t)i * 4, 4);
            u = x;
        } else {
            memcpy(&u, s + (size_t)i * 8, 8);
        }
        for (j = 0; j < elem; j++) e[j] = (unsigned char)(u >> (8 * j));
        pbw_raw(&tmp, e, elem);
    }
    pbw_sub(w, field, &tmp);
}

/* ONNX field numbers used by the tests */
enum {
    /* TensorProto */
    TP_DIMS = 1, TP_DATA_TYPE = 2, TP_FLOAT_DATA = 4, TP_INT32_DATA = 5, TP_STRING_DATA = 6, TP_INT64_DATA = 7,
    TP_NAME = 8, TP_RAW_DATA = 9, TP_DOUBLE_DATA = 10, TP_UINT64_DATA = 11,
    /* SequenceProto / OptionalProto */
    SP_NAME = 1, SP_ELEM_TYPE = 2, SP_TENSOR_VALUES = 3, OP_TENSOR_VALUE = 3,
    /* ModelProto */
    MP_IR_VERSION = 1, MP_PRODUCER_NAME = 2, MP_GRAPH = 7, MP_OPSET_IMPORT = 8,
    /* OperatorSetIdProto */
    OS_DOMAIN = 1, OS_VERSION = 2,
    /* GraphProto */
    GP_NODE = 1, GP_NAME = 2, GP_INITIALIZER = 5, GP_INPUT = 11, GP_OUTPUT = 12,
    /* NodeProto */
    NP_INPUT = 1, NP_OUTPUT = 2, NP_NAME = 3, NP_OP_TYPE = 4, NP_ATTRIBUTE = 5,
    /* ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, Dimension */
    VI_NAME = 1, VI_TYPE = 2, TY_TENSOR = 1, TT_ELEM_TYPE = 1, TT_SHAPE = 2, SH_DIM = 1, DIM_VALUE = 1,
    DIM_PARAM = 2
};

/* ValueInfoProto of a tensor: dims >= 0 fixed, < 0 symbolic (named "N", "M", ...). */
PBW_FN void pbw_value_info(pbw *w, int field, const char *name, int elem_type, int rank, const int64_t *dims) {
    pbw vi, ty, tt, sh, dim;
    int i;
    pbw_reset(&sh);
    for (i = 0; i < rank; i++) {
        pbw_reset(&dim);
        if (dims[i] >= 0) pbw_int(&dim, DIM_VALUE, dims[i]);
        else {
            char p[2];
            p[0] = (char)('N' - 1 - (int)dims[i]);
            p[1] = 0;
            pbw_str(&dim, DIM_PARAM, p);
        }
        pbw_sub(&sh, SH_DIM, &dim);
    }
    pbw_reset(&tt);
    pbw_int(&tt, TT_ELEM_TYPE, elem_type);
    pbw_sub(&tt, TT_SHAPE, &sh);
    pbw_reset(&ty);
    pbw_sub(&ty, TY_TENSOR, &tt);
    pbw_reset(&vi);
    pbw_str(&vi, VI_NAME, name);
    pbw_sub(&vi, VI_TYPE, &ty);
    pbw_sub(w, field, &vi);
}

/* NodeProto with up to 3 inputs and one output. */
PBW_FN void pbw_node(pbw *w, const char *op, const char *name, const char *in0, const char *in1, const char *out) {
    pbw n;
    pbw_reset(&n);
    if (in0) pbw_str(&n, NP_INPUT, in0);
    if (in1) pbw_str(&n, NP_INPUT, in1);
    pbw_str(&n, NP_OUTPUT, out);
    pbw_str(&n, NP_NAME, name);
    pbw_str(&n, NP_OP_TYPE, op);
    pbw_sub(w, GP_NODE, &n);
}

/* The test model: D = (A + B) * A, float32, A and B of shape [d0, d1] (negative: symbolic).
   Fields in the order ir_version, opset_import, graph, so that every proper prefix lacks the graph
   or cuts it. */
PBW_FN void pbw_model_addmul(pbw *w, int64_t d0, int64_t d1) {
    pbw g, os;
    int64_t dims[2];
    dims[0] = d0;
    dims[1] = d1;
    pbw_reset(&g);
    pbw_node(&g, "Add", "add0", "A", "B", "C");
    pbw_node(&g, "Mul", "mul0", "C", "A", "D");
    pbw_str(&g, GP_NAME, "addmul");
    pbw_value_info(&g, GP_INPUT, "A", 1, 2, dims);
    pbw_value_info(&g, GP_INPUT, "B", 1, 2, dims);
    pbw_value_info(&g, GP_OUTPUT, "D", 1, 2, dims);
    pbw_reset(&os);
    pbw_str(&os, OS_DOMAIN, "");
    pbw_int(&os, OS_VERSION, 13);
    pbw_reset(w);
    pbw_int(w, MP_IR_VERSION, 8);
    pbw_sub(w, MP_OPSET_IMPORT, &os);
    pbw_sub(w, MP_GRAPH, &g);
}

/* ---- a minimal test harness ------------------------------------------------------------------ */
static int t_pass, t_fail;
static const char *t_name = "";

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (cond) t_pass++;                                                                  \
        else {                                                                               \
            t_fail++;                                                                        \
            printf("FAIL %s (%s:%d): %s\n", t_name, __FILE__, __LINE__, #cond);              \
        }                                                                                    \
    } while (0)

#define CHECKF(cond, ...)                                                                    \
    do {                                                                                     \
        if (cond) t_pass++;                                                                  \
        else {                                                                               \
            t_fail++;                                                                        \
            printf("FAIL %s (%s:%d): %s: ", t_name, __FILE__, __LINE__, #cond);              \
            printf(__VA_ARGS__);                                                             \
            printf("\n");                                                                    \
        }                                                                                    \
    } while (0)

PBW_FN int t_summary(void) {
    printf("%d passed, %d failed\n", t_pass, t_fail);
    return t_fail ? 1 : 0;
}

#endif
