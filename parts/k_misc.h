/* ============================================================================================== */
/* >>kernels-misc: losses, quantization, signal processing, strings, detection                    */
/* ============================================================================================== */
/* REQUEST: string output storage: `char *infer__k_string_alloc(infer__kctx *c, size_t len)` returning
   len+1 bytes that live as long as the node's outputs (StringNormalizer, StringConcat, StringSplit
   need new strings). Until it exists, those kernels point outputs at input / attribute strings
   where possible and fail with INFER_STATUS_UNSUPPORTED otherwise. */
/* Reuses from other families (same translation unit): infer__ew_mf_encode / infer__ew_small_decode
   (k_elementwise.h), infer__mm_shape_of / infer__mm_batch_off (k_reduce.h), infer__nn_window and
   the MT19937 generator (k_nn.h). */

#define INFER__MISC_NEED(c, i)                                                                      \
    do {                                                                                            \
        if (!INFER__IN(c, i)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "input %d is missing", i); \
    } while (0)

/* Element i of any numeric tensor (also 8-bit floats, 4-bit ints) as double. */
static double infer__misc_get(const infer_tensor *t, int64_t i) {
    if (infer__ew_is_small(t->dtype)) return infer__ew_small_decode(((const uint8_t *)t->data)[i], t->dtype);
    return infer__get_f64(t, i);
}

/* Rounds v to the precision of dtype dt (what computing in that type would give). */
static double infer__misc_round_to(double v, int dt) {
    switch (dt) {
    case INFER_DTYPE_FLOAT: return (double)(float)v;
    case INFER_DTYPE_FLOAT16: return infer__f16_to_f32(infer__f32_to_f16((float)v));
    case INFER_DTYPE_BFLOAT16: return infer__bf16_to_f32(infer__f32_to_bf16((float)v));
    default: return v;
    }
}

static int infer__misc_has_out(const infer__kctx *c, int i) {
    return i < c->n_out && c->node->out[i] >= 0;
}

/* ---- NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss ------------------------------------- */
static infer_status infer__misc_loss(infer__kctx *c, int softmax) {
    const infer_tensor *X = INFER__IN(c, 0), *T = INFER__IN(c, 1), *W = INFER__IN(c, 2);
    const char *red = infer__k_attr_s(c, "reduction", "mean");
    const infer__attr *ia = infer__attr_find(c->node, "ignore_index");
    int has_ign = ia && ia->type == INFER__ATTR_INT, rmode, i;
    int64_t ign = has_ign ? ia->i : 0, N, C, D, n, d, k;
    double *lp = NULL, sum = 0, wsum = 0;
    infer_tensor *L, *LP = NULL;
    int64_t zero = 0;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be a float type");
    if (T->dtype != INFER_DTYPE_INT32 && T->dtype != INFER_DTYPE_INT64)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "target must be int32 or int64");
    if (X->rank < 2 || T->rank != X->rank - 1)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input rank %d, target rank %d", X->rank, T->rank);
    if (T->dims[0] != X->dims[0]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "batch sizes differ");
    for (i = 1; i < T->rank; i++)
        if (T->dims[i] != X->dims[i + 1]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "target dim %d differs", i);
    N = X->dims[0];
    C = X->dims[1];
    D = N && C ? infer__numel(X) / (N * C) : 0;
    if (W && (W->rank != 1 || W->dims[0] != C || W->dtype != X->dtype))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "weight must be a vector of C elements of the input type");
    if (strcmp(red, "none") == 0) rmode = 0;
    else if (strcmp(red, "sum") == 0) rmode = 1;
    else if (strcmp(red, "mean") == 0) rmode = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown reduction '%s'", red);
    L = NULL;
    if (!infer__k_output(c, 0, X->dtype, rmode ? 0 : T->rank, rmode ? &zero : T->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    L = c->out[0];
    if (softmax && infer__misc_has_out(c, 1)) {
        if (!infer__k_output(c, 1, X->dtype, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
        LP = c->out[1];
    }
    if (softmax) {
        int64_t tot = infer__numel(X);
        lp = (double *)infer__k_scratch(c, (size_t)(tot > 0 ? tot : 1) * sizeof(double));
        if (!lp) return INFER_STATUS_OUT_OF_MEMORY;
        for (n = 0; n < N; n++)
            for (d = 0; d < D; d++) {
                double mx = -HUGE_VAL, s = 0;
                int64_t base = n * C * D + d;
                for (k = 0; k < C; k++) {
                    double v = infer__get_f64(X, base + k * D);
                    if (v > mx) mx = v;
                }
                for (k = 0; k < C; k++) s += exp(infer__get_f64(X, base + k * D) - mx);
                s = log(s);
                for (k = 0; k < C; k++) lp[base + k * D] = infer__get_f64(X, base + k * D) - mx - s;
            }
        if (LP)
            for (n = 0; n < tot; n++) infer__set_f64(LP, n, lp[n]);
    }
    for (n = 0; n < N; n++)
        for (d = 0; d < D; d++) {
            int64_t t = infer__get_i64(T, n * D + d);
            double w = 1, l = 0;
            if (has_ign && t == ign) {
                w = 0;
            } else {
                if (t < 0 || t >= C)
                    return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "target %lld out of range [0, %lld)", (long long)t, (long long)C);
                if (W) w = infer__get_f64(W, t);
                l = -(softmax ? lp[(n * C + t) * D + d] : infer__get_f64(X, (n * C + t) * D + d)) * w;
            }
            if (rmode == 0) infer__set_f64(L, n * D + d, l);
            sum += l;
            wsum += w;
        }
    if (rmode == 1) infer__set_f64(L, 0, sum);
    else if (rmode == 2) infer__set_f64(L, 0, sum / wsum);
    return INFER_STATUS_OK;
}
static infer_status infer__k_nllloss(infer__kctx *c) { return infer__misc_loss(c, 0); }
static infer_status infer__k_sceloss(infer__kctx *c) { return infer__misc_loss(c, 1); }

/* ---- Quantization ---------------------------------------------------------------------------- */
static int infer__misc_qrange(int dt, int64_t *lo, int64_t *hi) {
    switch (dt) {
    case INFER_DTYPE_UINT8: *lo = 0; *hi = 255; return 1;
    case INFER_DTYPE_INT8: *lo = -128; *hi = 127; return 1;
    case INFER_DTYPE_UINT16: *lo = 0; *hi = 65535; return 1;
    case INFER_DTYPE_INT16: *lo = -32768; *hi = 32767; return 1;
    case INFER_DTYPE_INT32: *lo = INT32_MIN; *hi = INT32_MAX; return 1;
    case INFER_DTYPE_UINT4: *lo = 0; *hi = 15; return 1;
    case INFER_DTYPE_INT4: *lo = -8; *hi = 7; return 1;
    case INFER_DTYPE_UINT2: *lo = 0; *hi = 3; return 1;
    case INFER_DTYPE_INT2: *lo = -2; *hi = 1; return 1;
    default: return 0;
    }
}

static int infer__misc_is_f8(int dt) {
    return dt == INFER_DTYPE_FLOAT8E4M3FN || dt == INFER_DTYPE_FLOAT8E4M3FNUZ || dt == INFER_DTYPE_FLOAT8E5M2 ||
           dt == INFER_DTYPE_FLOAT8E5M2FNUZ || dt == INFER_DTYPE_FLOAT4E2M1;
}

/* Stores integer v (already clipped) into element i of an integer tensor (any width, 4-bit one per byte). */
static void infer__misc_put_int(infer_tensor *t, int64_t i, int64_t v) {
    if (infer__ew_is_small(t->dtype)) ((uint8_t *)t->data)[i] = (uint8_t)(int8_t)v;
    else infer__set_i64(t, i, v);
}

static int64_t infer__misc_rint_clip(double v, int64_t lo, int64_t hi) {
    if (v != v) return 0;
    v = rint(v);
    if (v < (double)lo) return lo;
    if (v > (double)hi) return hi;
    return (int64_t)v;
}

/* Layout of a scale / zero point for x: per tensor (kind 0), per axis (1) or blocked (2).
   Index of the parameter of x element i: see infer__misc_qidx. */
typedef struct infer__misc_qp {
    int kind;
    int64_t outer, D, inner, bs, nblk;
} infer__misc_qp;

static infer_status infer__misc_qlayout(infer__kctx *c, const infer_tensor *x, const infer_tensor *s, infer__misc_qp *q) {
    int64_t axis_a = infer__k_attr_i(c, "axis", 1), bs = infer__k_attr_i(c, "block_size", 0), n = infer__numel(s);
    int ax, i;
    q->kind = 0;
    q->outer = q->D = q->inner = q->bs = q->nblk = 1;
    if (n == 1 && s->rank <= 1) return INFER_STATUS_OK;
    ax = infer__axis(axis_a, x->rank);
    if (ax < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axis %lld out of range", (long long)axis_a);
    q->D = x->dims[ax];
    for (i = 0; i < ax; i++) q->outer *= x->dims[i];
    for (i = ax + 1; i < x->rank; i++) q->inner *= x->dims[i];
    if (bs <= 0) {
        if (s->rank != 1 || s->dims[0] != q->D)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "per-axis scale must have %lld elements", (long long)q->D);
        q->kind = 1;
        return INFER_STATUS_OK;
    }
    if (s->rank != x->rank) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "blocked scale must have the rank of x");
    for (i = 0; i < x->rank; i++) {
        int64_t want = i == ax ? (x->dims[i] + bs - 1) / bs : x->dims[i];
        if (s->dims[i] != want) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "blocked scale dim %d is %lld, expected %lld", i, (long long)s->dims[i], (long long)want);
    }
    q->kind = 2;
    q->bs = bs;
    q->nblk = s->dims[ax];
    return INFER_STATUS_OK;
}

static int64_t infer__misc_qidx(const infer__misc_qp *q, int64_t i) {
    int64_t d, o, in;
    if (q->kind == 0) return 0;
    in = i % q->inner;
    d = (i / q->inner) % q->D;
    if (q->kind == 1) return d;
    o = i / (q->inner * q->D);
    return (o * q->nblk + d / q->bs) * q->inner + in;
}

static int infer__misc_same_shape(const infer_tensor *a, const infer_tensor *b) {
    int i;
    if (a->rank != b->rank) {
        return infer__numel(a) == 1 && infer__numel(b) == 1 && a->rank <= 1 && b->rank <= 1;
    }
    for (i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i]) return 0;
    return 1;
}

static infer_status infer__k_quantize_linear(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1), *Z = INFER__IN(c, 2);
    int64_t odt_a = infer__k_attr_i(c, "output_dtype", 0), prec = infer__k_attr_i(c, "precision", 0), n, i, lo = 0, hi = 0;
    int sat = (int)infer__k_attr_i(c, "saturate", 1), odt, cdt;
    infer__misc_qp q;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype) && X->dtype != INFER_DTYPE_INT32)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x must be float or int32");
    if (!infer__is_float(S->dtype) && S->dtype != INFER_DTYPE_INT32)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "y_scale must be a float type");
    odt = Z ? Z->dtype : odt_a ? (int)odt_a : INFER_DTYPE_UINT8;
    if (Z && odt_a && odt_a != Z->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "output_dtype differs from the zero point's type");
    if (odt == INFER_DTYPE_INT32 && c->node->opset < 21) odt = -1;
    if (!infer__misc_qrange(odt, &lo, &hi) && !infer__misc_is_f8(odt))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported output type %d", odt);
    st = infer__misc_qlayout(c, X, S, &q);
    if (st) return st;
    if (Z && !infer__misc_same_shape(Z, S)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "zero point and scale shapes differ");
    if (!infer__k_output(c, 0, odt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    cdt = prec ? (int)prec : X->dtype == INFER_DTYPE_INT32 ? INFER_DTYPE_DOUBLE : X->dtype;
    for (i = 0; i < n; i++) {
        int64_t qi = infer__misc_qidx(&q, i);
        double v = infer__misc_round_to(infer__misc_round_to(infer__get_f64(X, i), cdt) /
                                            infer__misc_round_to(infer__get_f64(S, qi), cdt), cdt);
        if (infer__misc_is_f8(odt)) {
            if (odt == INFER_DTYPE_FLOAT4E2M1 && Z) v += infer__misc_get(Z, qi);
            ((uint8_t *)Y->data)[i] = infer__ew_mf_encode(v, odt, sat);
        } else {
            int64_t r = infer__misc_rint_clip(v, INT32_MIN, INT32_MAX) + (Z ? infer__get_i64(Z, qi) : 0);
            infer__misc_put_int(Y, i, r < lo ? lo : r > hi ? hi : r);
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_dequantize_linear(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1), *Z = INFER__IN(c, 2);
    int64_t odt_a = infer__k_attr_i(c, "output_dtype", 0), n, i;
    int odt;
    infer__misc_qp q;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (infer__is_float(X->dtype) || X->dtype == INFER_DTYPE_STRING || X->dtype == INFER_DTYPE_BOOL)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x must be a quantized type");
    if (!infer__is_float(S->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x_scale must be a float type");
    if (Z && Z->dtype != X->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "zero point type differs from x");
    odt = odt_a ? (int)odt_a : S->dtype;
    if (!infer__is_float(odt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "output_dtype must be a float type");
    st = infer__misc_qlayout(c, X, S, &q);
    if (st) return st;
    if (Z && !infer__misc_same_shape(Z, S)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "zero point and scale shapes differ");
    if (!infer__k_output(c, 0, odt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        int64_t qi = infer__misc_qidx(&q, i);
        double v = infer__misc_get(X, i) - (Z ? infer__misc_get(Z, qi) : 0);
        infer__set_f64(Y, i, infer__misc_round_to(v, S->dtype) * infer__get_f64(S, qi));
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_dynamic_quantize_linear(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int64_t n, i, zero = 0;
    double mn = 0, mx = 0;
    float scale;
    int64_t zp;
    uint8_t *y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x must be float");
    n = infer__numel(X);
    y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_UINT8, X->rank, X->dims);
    if (!y || !infer__k_output(c, 1, INFER_DTYPE_FLOAT, 0, &zero) || !infer__k_output(c, 2, INFER_DTYPE_UINT8, 0, &zero))
        return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        double v = infer__get_f64(X, i);
        if (v < mn) mn = v;
        if (v > mx) mx = v;
    }
    scale = (float)((float)((float)mx - (float)mn) / 255.0f);
    zp = scale != 0 ? infer__misc_rint_clip((double)(float)((float)(0.0 - mn) / scale), 0, 255) : 0;
    for (i = 0; i < n; i++) {
        float v = scale != 0 ? (float)infer__get_f64(X, i) / scale : 0.0f;
        int64_t r = infer__misc_rint_clip(v, INT32_MIN, INT32_MAX) + zp;
        y[i] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
    }
    *(float *)c->out[1]->data = scale;
    *(uint8_t *)c->out[2]->data = (uint8_t)zp;
    return INFER_STATUS_OK;
}

/* Scale or zero point of a QLinear op: a scalar, or one value per row (along axis `dim` of size n). */
static infer_status infer__misc_qparam(infer__kctx *c, const infer_tensor *t, int64_t n, const char *what) {
    int64_t k;
    if (!t) return INFER_STATUS_OK;
    k = infer__numel(t);
    if (k != 1 && k != n) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "%s has %lld elements, expected 1 or %lld", what, (long long)k, (long long)n);
    return INFER_STATUS_OK;
}

static infer_status infer__k_qlinear_matmul(infer__kctx *c) {
    const infer_tensor *A = INFER__IN(c, 0), *AS = INFER__IN(c, 1), *AZ = INFER__IN(c, 2), *B = INFER__IN(c, 3),
                       *BS = INFER__IN(c, 4), *BZ = INFER__IN(c, 5), *YS = INFER__IN(c, 6), *YZ = INFER__IN(c, 7);
    infer__mm_shape s;
    int64_t bi, lo, hi, nas, nbs, naz, nbz;
    int odt;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 3);
    INFER__MISC_NEED(c, 4);
    INFER__MISC_NEED(c, 6);
    odt = YZ ? YZ->dtype : A->dtype;
    if (!infer__misc_qrange(A->dtype, &lo, &hi) || !infer__misc_qrange(B->dtype, &lo, &hi) || !infer__misc_qrange(odt, &lo, &hi))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported quantized types");
    if (!infer__mm_shape_of(A, B, &s))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot multiply shapes of rank %d and %d", A->rank, B->rank);
    if (infer__misc_qparam(c, AS, s.M, "a_scale") || infer__misc_qparam(c, AZ, s.M, "a_zero_point") ||
        infer__misc_qparam(c, BS, s.N, "b_scale") || infer__misc_qparam(c, BZ, s.N, "b_zero_point") ||
        infer__misc_qparam(c, YS, 1, "y_scale") || infer__misc_qparam(c, YZ, 1, "y_zero_point"))
        return INFER_STATUS_SHAPE_MISMATCH;
    nas = infer__numel(AS); nbs = infer__numel(BS);
    naz = AZ ? infer__numel(AZ) : 0; nbz = BZ ? infer__numel(BZ) : 0;
    if (!infer__k_output(c, 0, odt, s.orank, s.odims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (bi = 0; bi < s.nb; bi++) {
        int64_t oa, ob, i, j, k;
        infer__mm_batch_off(&s, bi, &oa, &ob);
        for (i = 0; i < s.M; i++) {
            double az = AZ ? infer__get_f64(AZ, naz == 1 ? 0 : i) : 0;
            for (j = 0; j < s.N; j++) {
                double bz = BZ ? infer__get_f64(BZ, nbz == 1 ? 0 : j) : 0, acc = 0, mult;
                for (k = 0; k < s.K; k++)
                    acc += (infer__get_f64(A, oa + i * s.K + k) - az) * (infer__get_f64(B, ob + k * s.N + j) - bz);
                mult = infer__misc_round_to(infer__misc_round_to(infer__get_f64(AS, nas == 1 ? 0 : i) * infer__get_f64(BS, nbs == 1 ? 0 : j), AS->dtype) /
                                                infer__get_f64(YS, 0), AS->dtype);
                acc = acc * mult + (YZ ? infer__get_f64(YZ, 0) : 0);
                infer__misc_put_int(Y, (bi * s.M + i) * s.N + j, infer__misc_rint_clip(acc, lo, hi));
            }
        }
    }
    return INFER_STATUS_OK;
}

/* Integer convolution: y[n, m, out...] = sum (x - xz) * (w - wz[m]) as int32 (or double acc). */
static infer_status infer__misc_conv_int(infer__kctx *c, const infer_tensor *X, const infer_tensor *XZ,
                                        const infer_tensor *W, const infer_tensor *WZ, double *acc, int64_t *odims) {
    infer__nn_win w;
    int64_t G = infer__k_attr_i(c, "group", 1), N, C, M, cg, mg, kprod, opix, n, m, nwz;
    int i;
    infer_status st;
    if (X->rank < 3 || W->rank != X->rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X rank %d and W rank %d", X->rank, W->rank);
    N = X->dims[0]; C = X->dims[1]; M = W->dims[0];
    if (G < 1 || C % G || M % G || W->dims[1] * G != C)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "channels %lld, weight channels %lld, group %lld",
                             (long long)C, (long long)W->dims[1], (long long)G);
    if (XZ && infer__numel(XZ) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "x zero point must be a scalar");
    nwz = WZ ? infer__numel(WZ) : 0;
    if (WZ && nwz != 1 && nwz != M) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "w zero point must be a scalar or have M elements");
    st = infer__nn_window(c, X, W->dims + 2, 0, &w);
    if (st) return st;
    odims[0] = N; odims[1] = M;
    for (i = 0; i < w.nd; i++) odims[2 + i] = w.out[i];
    if (!acc) return INFER_STATUS_OK;
    cg = C / G; mg = M / G;
    kprod = infer__nn_prod(w.k, w.nd);
    opix = infer__nn_prod(w.out, w.nd);
    for (n = 0; n < N; n++)
        for (m = 0; m < M; m++) {
            int64_t g = m / mg, p;
            double xz = XZ ? infer__get_f64(XZ, 0) : 0, wz = WZ ? infer__get_f64(WZ, nwz == 1 ? 0 : m) : 0;
            for (p = 0; p < opix; p++) {
                int64_t oc[INFER_MAX_RANK], rem = p, ci, kk;
                double s = 0;
                for (i = w.nd - 1; i >= 0; i--) { oc[i] = rem % w.out[i]; rem /= w.out[i]; }
                for (ci = 0; ci < cg; ci++)
                    for (kk = 0; kk < kprod; kk++) {
                        int64_t kr = kk, xoff = 0, ok = 1;
                        for (i = w.nd - 1; i >= 0; i--) {
                            int64_t kd = kr % w.k[i], pos = oc[i] * w.s[i] + kd * w.d[i] - w.pb[i];
                            kr /= w.k[i];
                            if (pos < 0 || pos >= w.in[i]) { ok = 0; break; }
                        }
                        if (!ok) continue;
                        kr = kk;
                        {
                            int64_t mul = 1;
                            for (i = w.nd - 1; i >= 0; i--) {
                                int64_t kd = kr % w.k[i], pos = oc[i] * w.s[i] + kd * w.d[i] - w.pb[i];
                                kr /= w.k[i];
                                xoff += pos * mul;
                                mul *= w.in[i];
                            }
                        }
                        s += (infer__get_f64(X, ((n * C + g * cg + ci) * infer__nn_prod(w.in, w.nd)) + xoff) - xz) *
                             (infer__get_f64(W, (m * cg + ci) * kprod + kk) - wz);
                    }
                acc[(n * M + m) * opix + p] = s;
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_conv_integer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *W = INFER__IN(c, 1);
    int64_t odims[INFER_MAX_RANK], n, i;
    double *acc;
    int32_t *y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if ((X->dtype != INFER_DTYPE_INT8 && X->dtype != INFER_DTYPE_UINT8) || (W->dtype != INFER_DTYPE_INT8 && W->dtype != INFER_DTYPE_UINT8))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x and w must be int8 or uint8");
    st = infer__misc_conv_int(c, X, INFER__IN(c, 2), W, INFER__IN(c, 3), NULL, odims);
    if (st) return st;
    y = (int32_t *)infer__k_output(c, 0, INFER_DTYPE_INT32, X->rank, odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__count_checked(X->rank, odims);
    acc = (double *)infer__k_scratch(c, (size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    st = infer__misc_conv_int(c, X, INFER__IN(c, 2), W, INFER__IN(c, 3), acc, odims);
    if (st) return st;
    for (i = 0; i < n; i++) y[i] = (int32_t)acc[i];
    return INFER_STATUS_OK;
}

static infer_status infer__k_qlinear_conv(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *XS = INFER__IN(c, 1), *XZ = INFER__IN(c, 2), *W = INFER__IN(c, 3),
                       *WS = INFER__IN(c, 4), *WZ = INFER__IN(c, 5), *YS = INFER__IN(c, 6), *YZ = INFER__IN(c, 7),
                       *B = INFER__IN(c, 8);
    int64_t odims[INFER_MAX_RANK], n, i, lo, hi, M, opix, nws;
    double *acc;
    int odt;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 3);
    INFER__MISC_NEED(c, 4);
    INFER__MISC_NEED(c, 6);
    odt = YZ ? YZ->dtype : X->dtype;
    if (!infer__misc_qrange(X->dtype, &lo, &hi) || !infer__misc_qrange(W->dtype, &lo, &hi) || !infer__misc_qrange(odt, &lo, &hi))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported quantized types");
    st = infer__misc_conv_int(c, X, XZ, W, WZ, NULL, odims);
    if (st) return st;
    M = odims[1];
    nws = infer__numel(WS);
    if ((nws != 1 && nws != M) || infer__numel(XS) != 1 || infer__numel(YS) != 1 || (YZ && infer__numel(YZ) != 1) ||
        (B && infer__numel(B) != M))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bad scale, zero point or bias shape");
    if (!infer__k_output(c, 0, odt, X->rank, odims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__count_checked(X->rank, odims);
    acc = (double *)infer__k_scratch(c, (size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    st = infer__misc_conv_int(c, X, XZ, W, WZ, acc, odims);
    if (st) return st;
    opix = M && odims[0] ? n / (odims[0] * M) : 0;
    for (i = 0; i < n; i++) {
        int64_t m = opix ? (i / opix) % M : 0;
        double mult = infer__misc_round_to(infer__misc_round_to(infer__get_f64(XS, 0) * infer__get_f64(WS, nws == 1 ? 0 : m), XS->dtype) /
                                               infer__get_f64(YS, 0), XS->dtype);
        double v = (acc[i] + (B ? infer__get_f64(B, m) : 0)) * mult + (YZ ? infer__get_f64(YZ, 0) : 0);
        infer__misc_put_int(Y, i, infer__misc_rint_clip(v, lo, hi));
    }
    return INFER_STATUS_OK;
}

static const infer__op infer__ops_misc[] = {
    {"", "NegativeLogLikelihoodLoss", 1, 1000, infer__k_nllloss},
    {"", "SoftmaxCrossEntropyLoss", 1, 1000, infer__k_sceloss},
    {"", "QuantizeLinear", 1, 1000, infer__k_quantize_linear},
    {"", "DequantizeLinear", 1, 1000, infer__k_dequantize_linear},
    {"", "DynamicQuantizeLinear", 1, 1000, infer__k_dynamic_quantize_linear},
    {"", "QLinearMatMul", 1, 1000, infer__k_qlinear_matmul},
    {"", "QLinearConv", 1, 1000, infer__k_qlinear_conv},
    {"", "ConvInteger", 1, 1000, infer__k_conv_integer},
    {NULL, NULL, 0, 0, NULL}
};
