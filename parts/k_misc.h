/* ============================================================================================== */
/* >>kernels-misc: losses, quantization, signal processing, strings, detection                    */
/* ============================================================================================== */
/* Ops: NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss; QuantizeLinear, DequantizeLinear,
   DynamicQuantizeLinear, QLinearMatMul, QLinearConv, ConvInteger; NonMaxSuppression, RoiAlign, GridSample,
   AffineGrid, Col2Im, CenterCropPad; DFT, STFT, Hann/Hamming/BlackmanWindow, MelWeightMatrix;
   StringNormalizer, StringConcat, StringSplit, RegexFullMatch, TfIdfVectorizer; ImageDecoder (BMP, PNM,
   uncompressed TIFF, PNG, baseline JPEG); RandomUniform/Normal(+Like), Bernoulli, Multinomial;
   ai.onnx.preview.training Adagrad, Adam, Momentum; ai.onnx.ml LabelEncoder, Binarizer,
   ArrayFeatureExtractor, TreeEnsemble, TreeEnsembleRegressor/Classifier, LinearRegressor/Classifier,
   Scaler, Normalizer, Imputer, OneHotEncoder, CategoryMapper, FeatureVectorizer.
   Reuses from other families (same translation unit): infer__ew_mf_encode / infer__ew_small_decode
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
        int64_t want = i == ax ? (x->dims[i] ? (x->dims[i] - 1) / bs + 1 : 0) : x->dims[i];
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
    if (X->dtype == INFER_DTYPE_FLOAT && S->dtype == INFER_DTYPE_FLOAT && cdt == INFER_DTYPE_FLOAT &&
        (odt == INFER_DTYPE_UINT8 || odt == INFER_DTYPE_INT8) && q.kind != 2) {
        /* fast path: float -> 8-bit, per tensor or per axis (x / scale in float, round half to even) */
        const float *x = (const float *)X->data, *sc = (const float *)S->data;
        int64_t rows = q.kind ? q.outer * q.D : n, inner = q.kind ? q.inner : 1, r;
        int nt = INFER__THREADS(c, n);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (r = 0; r < rows; r++) {
            int64_t qi = q.kind == 1 ? r % q.D : 0, k;
            float s = sc[qi];
            int32_t z = Z ? (int32_t)infer__get_i64(Z, qi) : 0;
            for (k = 0; k < inner; k++) {
                float v = x[r * inner + k] / s;
                int32_t t = v != v ? 0 : v >= 2147483520.0f ? INT32_MAX : v <= -2147483648.0f ? INT32_MIN : (int32_t)rintf(v);
                int64_t w = (int64_t)t + z;
                if (odt == INFER_DTYPE_UINT8) ((uint8_t *)Y->data)[r * inner + k] = (uint8_t)(w < 0 ? 0 : w > 255 ? 255 : w);
                else ((int8_t *)Y->data)[r * inner + k] = (int8_t)(w < -128 ? -128 : w > 127 ? 127 : w);
            }
        }
        return INFER_STATUS_OK;
    }
    for (i = 0; i < n; i++) {
        int64_t qi = infer__misc_qidx(&q, i);
        double v = infer__misc_round_to(infer__misc_round_to(infer__get_f64(X, i), cdt) /
                                            infer__misc_round_to(infer__get_f64(S, qi), cdt), cdt);
        if (infer__misc_is_f8(odt)) {
            if (odt == INFER_DTYPE_FLOAT4E2M1 && Z) v += infer__misc_get(Z, qi);
            ((uint8_t *)Y->data)[i] = infer__ew_mf_encode(v, odt, sat);
        } else {
            int64_t r = infer__misc_rint_clip(v, INT32_MIN, INT32_MAX) + (Z ? (int64_t)infer__misc_get(Z, qi) : 0);
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
    if ((X->dtype == INFER_DTYPE_UINT8 || X->dtype == INFER_DTYPE_INT8) && S->dtype == INFER_DTYPE_FLOAT && odt == INFER_DTYPE_FLOAT && q.kind != 2) {
        /* fast path: 8-bit -> float, per tensor or per axis */
        const float *sc = (const float *)S->data;
        float *y = (float *)Y->data;
        int64_t rows = q.kind ? q.outer * q.D : n, inner = q.kind ? q.inner : 1, r;
        int nt = INFER__THREADS(c, n), u8 = X->dtype == INFER_DTYPE_UINT8;
        (void)nt;
        INFER__OMP_FOR(nt)
        for (r = 0; r < rows; r++) {
            int64_t qi = q.kind == 1 ? r % q.D : 0, k;
            float s = sc[qi];
            int32_t z = Z ? (int32_t)infer__get_i64(Z, qi) : 0;
            if (u8) {
                const uint8_t *x = (const uint8_t *)X->data + r * inner;
                for (k = 0; k < inner; k++) y[r * inner + k] = (float)((int32_t)x[k] - z) * s;
            } else {
                const int8_t *x = (const int8_t *)X->data + r * inner;
                for (k = 0; k < inner; k++) y[r * inner + k] = (float)((int32_t)x[k] - z) * s;
            }
        }
        return INFER_STATUS_OK;
    }
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
    int32_t *ai, *bi32;
    double *accb;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 3);
    INFER__MISC_NEED(c, 4);
    INFER__MISC_NEED(c, 6);
    odt = YZ ? YZ->dtype : A->dtype;
    if ((A->dtype != INFER_DTYPE_INT8 && A->dtype != INFER_DTYPE_UINT8) || (B->dtype != INFER_DTYPE_INT8 && B->dtype != INFER_DTYPE_UINT8) ||
        (odt != INFER_DTYPE_INT8 && odt != INFER_DTYPE_UINT8) || !infer__misc_qrange(odt, &lo, &hi))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "a, b and y must be int8 or uint8");
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
    ai = (int32_t *)infer__k_scratch(c, (size_t)(s.M * s.K + 1) * sizeof(int32_t));
    bi32 = (int32_t *)infer__k_scratch(c, (size_t)(s.K * s.N + 1) * sizeof(int32_t));
    accb = (double *)infer__k_scratch(c, (size_t)(s.M * s.N + 1) * sizeof(double));
    if (!ai || !bi32 || !accb) return INFER_STATUS_OUT_OF_MEMORY;
    for (bi = 0; bi < s.nb; bi++) {
        int64_t oa, ob, i, q;
        int nt = INFER__THREADS(c, (double)s.M * (double)s.N * (double)s.K);
        infer__mm_batch_off(&s, bi, &oa, &ob);
        for (q = 0; q < s.M * s.K; q++)
            ai[q] = (int32_t)infer__get_i64(A, oa + q) - (AZ ? (int32_t)infer__get_i64(AZ, naz == 1 ? 0 : q / s.K) : 0);
        for (q = 0; q < s.K * s.N; q++)
            bi32[q] = (int32_t)infer__get_i64(B, ob + q) - (BZ ? (int32_t)infer__get_i64(BZ, nbz == 1 ? 0 : q % s.N) : 0);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (i = 0; i < s.M; i++) {
            double *yr = accb + i * s.N;
            int64_t k, j;
            for (j = 0; j < s.N; j++) yr[j] = 0;
            for (k = 0; k < s.K; k++) {
                int32_t av = ai[i * s.K + k];
                const int32_t *br = bi32 + k * s.N;
                if (!av) continue;
                for (j = 0; j < s.N; j++) yr[j] += (double)(av * br[j]);
            }
        }
        for (i = 0; i < s.M; i++) {
            int64_t j;
            for (j = 0; j < s.N; j++) {
                double mult = infer__misc_round_to(infer__misc_round_to(infer__get_f64(AS, nas == 1 ? 0 : i) * infer__get_f64(BS, nbs == 1 ? 0 : j), AS->dtype) /
                                                       infer__get_f64(YS, 0), AS->dtype);
                double acc = accb[i * s.N + j] * mult + (YZ ? infer__get_f64(YZ, 0) : 0);
                infer__misc_put_int(Y, (bi * s.M + i) * s.N + j, infer__misc_rint_clip(acc, lo, hi));
            }
        }
    }
    return INFER_STATUS_OK;
}

/* Integer convolution: acc[n, m, out...] = sum (x - xz) * (w - wz[m]) (exact in double), by im2col
   of the zero-point-shifted input and an integer GEMM. acc NULL: only checks shapes and sets odims. */
static infer_status infer__misc_conv_int(infer__kctx *c, const infer_tensor *X, const infer_tensor *XZ,
                                        const infer_tensor *W, const infer_tensor *WZ, double *acc, int64_t *odims) {
    infer__nn_win w;
    int64_t G = infer__k_attr_i(c, "group", 1), N, C, M, cg, mg, kprod, opix, ipix, K, nwz, n, g, k, ostr;
    int i;
    int32_t *xs, *wsb;
    int16_t *col;
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
    ipix = infer__nn_prod(w.in, w.nd);
    K = cg * kprod;
    xs = (int32_t *)infer__k_scratch(c, (size_t)(N * C * ipix + 1) * sizeof(int32_t));
    wsb = (int32_t *)infer__k_scratch(c, (size_t)(M * K + 1) * sizeof(int32_t));
    ostr = (opix + 255) / 256 * 256; /* im2col row stride: whole blocks of 256 (fixed-length inner loops vectorize) */
    col = (int16_t *)infer__k_scratch(c, (size_t)(K * ostr + 1) * sizeof(int16_t));
    if (!xs || !wsb || !col) return INFER_STATUS_OUT_OF_MEMORY;
    {
        int32_t xz = XZ ? (int32_t)infer__get_i64(XZ, 0) : 0;
        int64_t m;
        if (X->dtype == INFER_DTYPE_UINT8) { const uint8_t *x = (const uint8_t *)X->data; for (k = 0; k < N * C * ipix; k++) xs[k] = (int32_t)x[k] - xz; }
        else if (X->dtype == INFER_DTYPE_INT8) { const int8_t *x = (const int8_t *)X->data; for (k = 0; k < N * C * ipix; k++) xs[k] = (int32_t)x[k] - xz; }
        else for (k = 0; k < N * C * ipix; k++) xs[k] = (int32_t)infer__get_i64(X, k) - xz;
        for (m = 0; m < M; m++) {
            int32_t wz = WZ ? (int32_t)infer__get_i64(WZ, nwz == 1 ? 0 : m) : 0;
            for (k = 0; k < K; k++) wsb[m * K + k] = (int32_t)infer__get_i64(W, m * K + k) - wz;
        }
    }
    for (n = 0; n < N; n++)
        for (g = 0; g < G; g++) {
            int64_t pb, nblk;
            int nt;
            /* im2col: row (ci, kk), column = output pixel; padding reads 0 (= the zero point) */
            nt = INFER__THREADS(c, (double)K * (double)opix);
            (void)nt;
            INFER__OMP_FOR(nt)
            for (k = 0; k < K; k++) {
                int64_t ci = k / kprod, kk = k % kprod, kd[INFER_MAX_RANK], oc[INFER_MAX_RANK], p, rem = kk;
                int e;
                const int32_t *xp = xs + (n * C + g * cg + ci) * ipix;
                int16_t *cr = col + k * ostr;
                for (e = w.nd - 1; e >= 0; e--) { kd[e] = rem % w.k[e]; rem /= w.k[e]; oc[e] = 0; }
                for (p = 0; p < opix; p++) {
                    int64_t off = 0, ok = 1;
                    for (e = 0; e < w.nd; e++) {
                        int64_t pos = oc[e] * w.s[e] + kd[e] * w.d[e] - w.pb[e];
                        if (pos < 0 || pos >= w.in[e]) { ok = 0; break; }
                        off = off * w.in[e] + pos;
                    }
                    cr[p] = (int16_t)(ok ? xp[off] : 0);
                    for (e = w.nd - 1; e >= 0; e--) { if (++oc[e] < w.out[e]) break; oc[e] = 0; }
                }
                for (p = opix; p < ostr; p++) cr[p] = 0;
            }
            nblk = (opix + 255) / 256;
            nt = INFER__THREADS(c, (double)mg * (double)K * (double)opix);
            if (nt > nblk) nt = (int)(nblk > 0 ? nblk : 1);
            (void)nt;
            INFER__OMP_FOR(nt)
            /* blocks of 256 output pixels (their im2col slice stays in cache) x all filters of the group;
               8-bit operands: |product| <= 65025, so runs of 32768 rows sum exactly in int32 */
            for (pb = 0; pb < nblk; pb++) {
                int64_t p0 = pb * 256, pn = opix - p0 < 256 ? opix - p0 : 256, m2;
                for (m2 = g * mg; m2 < (g + 1) * mg; m2++) {
                    double *yr = acc + (n * M + m2) * opix + p0;
                    const int32_t *wr = wsb + m2 * K;
                    int32_t part[256];
                    int64_t kq, p, k0;
                    for (p = 0; p < pn; p++) yr[p] = 0;
                    for (k0 = 0; k0 < K; k0 += 32768) {
                        int64_t k1 = K - k0 < 32768 ? K : k0 + 32768;
                        for (p = 0; p < 256; p++) part[p] = 0;
                        for (kq = k0; kq < k1; kq++) {
                            int32_t wv = wr[kq];
                            const int16_t *cr = col + kq * ostr + p0;
                            if (!wv) continue;
                            for (p = 0; p < 256; p++) part[p] += wv * (int32_t)cr[p];
                        }
                        for (p = 0; p < pn; p++) yr[p] += (double)part[p];
                    }
                }
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
    int64_t odims[INFER_MAX_RANK], n, lo, hi, M, opix, nws;
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
    if ((X->dtype != INFER_DTYPE_INT8 && X->dtype != INFER_DTYPE_UINT8) || (W->dtype != INFER_DTYPE_INT8 && W->dtype != INFER_DTYPE_UINT8) ||
        (odt != INFER_DTYPE_INT8 && odt != INFER_DTYPE_UINT8) || !infer__misc_qrange(odt, &lo, &hi))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x, w and y must be int8 or uint8");
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
    {
        double yz = YZ ? infer__get_f64(YZ, 0) : 0;
        int64_t nm, NM = odims[0] * M;
        int nt = INFER__THREADS(c, n);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (nm = 0; nm < NM; nm++) {
            int64_t m = nm % M, p;
            double mult = infer__misc_round_to(infer__misc_round_to(infer__get_f64(XS, 0) * infer__get_f64(WS, nws == 1 ? 0 : m), XS->dtype) /
                                                   infer__get_f64(YS, 0), XS->dtype);
            double bias = B ? infer__get_f64(B, m) : 0;
            for (p = 0; p < opix; p++) {
                int64_t q = infer__misc_rint_clip((acc[nm * opix + p] + bias) * mult + yz, lo, hi);
                if (odt == INFER_DTYPE_UINT8) ((uint8_t *)Y->data)[nm * opix + p] = (uint8_t)q;
                else ((int8_t *)Y->data)[nm * opix + p] = (int8_t)q;
            }
        }
    }
    return INFER_STATUS_OK;
}

/* ---- NonMaxSuppression ----------------------------------------------------------------------- */
/* Box b as (xmin, ymin, xmax, ymax). */
static void infer__misc_box(const infer_tensor *B, int64_t off, int cpb, double *o) {
    double a = infer__get_f64(B, off), b = infer__get_f64(B, off + 1), d = infer__get_f64(B, off + 2),
           e = infer__get_f64(B, off + 3);
    if (cpb) {
        o[0] = a - d / 2; o[2] = a + d / 2; o[1] = b - e / 2; o[3] = b + e / 2;
    } else {
        o[1] = a < d ? a : d; o[3] = a < d ? d : a; o[0] = b < e ? b : e; o[2] = b < e ? e : b;
    }
}

static int infer__misc_iou_over(const double *p, const double *q, double thr) {
    double x0 = p[0] > q[0] ? p[0] : q[0], x1 = p[2] < q[2] ? p[2] : q[2];
    double y0 = p[1] > q[1] ? p[1] : q[1], y1 = p[3] < q[3] ? p[3] : q[3], inter, a1, a2, uni;
    if (x1 <= x0 || y1 <= y0) return 0;
    inter = (x1 - x0) * (y1 - y0);
    a1 = (p[2] - p[0]) * (p[3] - p[1]);
    a2 = (q[2] - q[0]) * (q[3] - q[1]);
    uni = a1 + a2 - inter;
    if (inter <= 0 || a1 <= 0 || a2 <= 0 || uni <= 0) return 0;
    return inter / uni > thr;
}

static infer_status infer__k_nms(infer__kctx *c) {
    const infer_tensor *B = INFER__IN(c, 0), *S = INFER__IN(c, 1), *MO = INFER__IN(c, 2), *IT = INFER__IN(c, 3),
                       *ST = INFER__IN(c, 4);
    int cpb = (int)infer__k_attr_i(c, "center_point_box", 0);
    int64_t nb, nc, ns, maxo = 0, b, k, cnt = 0, dims[2];
    double iou = IT && infer__numel(IT) ? infer__get_f64(IT, 0) : 0, sth = ST && infer__numel(ST) ? infer__get_f64(ST, 0) : 0;
    int has_st = ST && infer__numel(ST) > 0;
    int64_t *sel, *ord, *y;
    double *boxes, *sc;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(B->dtype) || !infer__is_float(S->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "boxes and scores must be float");
    if (B->rank != 3 || B->dims[2] != 4 || S->rank != 3 || S->dims[0] != B->dims[0] || S->dims[2] != B->dims[1])
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "boxes must be [B, S, 4] and scores [B, C, S]");
    nb = B->dims[0]; nc = S->dims[1]; ns = B->dims[1];
    if (MO && infer__numel(MO)) maxo = infer__get_i64(MO, 0);
    if (maxo < 0) maxo = 0;
    if (maxo > ns) maxo = ns;
    sel = (int64_t *)infer__k_scratch(c, (size_t)(nb * nc * (maxo ? maxo : 1)) * 3 * sizeof(int64_t) + 8);
    ord = (int64_t *)infer__k_scratch(c, (size_t)(ns ? ns : 1) * sizeof(int64_t));
    boxes = (double *)infer__k_scratch(c, (size_t)(ns ? ns : 1) * 4 * sizeof(double));
    sc = (double *)infer__k_scratch(c, (size_t)(ns ? ns : 1) * sizeof(double));
    if (!sel || !ord || !boxes || !sc) return INFER_STATUS_OUT_OF_MEMORY;
    for (b = 0; b < nb && maxo > 0; b++) {
        for (k = 0; k < ns; k++) infer__misc_box(B, (b * ns + k) * 4, cpb, boxes + 4 * k);
        for (k = 0; k < nc; k++) {
            int64_t nk = 0, i, j, nsel = 0, first = cnt;
            for (i = 0; i < ns; i++) {
                double v = infer__get_f64(S, (b * nc + k) * ns + i);
                sc[i] = v;
                if (!has_st || v > sth) ord[nk++] = i;
            }
            /* stable insertion sort by descending score (ties: lower index first) */
            for (i = 1; i < nk; i++) {
                int64_t t = ord[i];
                j = i;
                while (j > 0 && sc[ord[j - 1]] < sc[t]) { ord[j] = ord[j - 1]; j--; }
                ord[j] = t;
            }
            for (i = 0; i < nk && nsel < maxo; i++) {
                int64_t q, keep = 1;
                for (q = first; q < cnt; q++)
                    if (infer__misc_iou_over(boxes + 4 * ord[i], boxes + 4 * sel[3 * q + 2], iou)) { keep = 0; break; }
                if (!keep) continue;
                sel[3 * cnt] = b; sel[3 * cnt + 1] = k; sel[3 * cnt + 2] = ord[i];
                cnt++; nsel++;
            }
        }
    }
    dims[0] = cnt; dims[1] = 3;
    y = (int64_t *)infer__k_output(c, 0, INFER_DTYPE_INT64, 2, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    for (k = 0; k < 3 * cnt; k++) y[k] = sel[k];
    return INFER_STATUS_OK;
}

/* ---- RoiAlign ------------------------------------------------------------------------------- */
static infer_status infer__k_roialign(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *R = INFER__IN(c, 1), *BI = INFER__IN(c, 2);
    const char *ctm = infer__k_attr_s(c, "coordinate_transformation_mode", c->node->opset >= 16 ? "half_pixel" : "output_half_pixel");
    const char *mode = infer__k_attr_s(c, "mode", "avg");
    int64_t oh = infer__k_attr_i(c, "output_height", 1), ow = infer__k_attr_i(c, "output_width", 1);
    int64_t sr = infer__k_attr_i(c, "sampling_ratio", 0), nr, C, H, W, r, dims[4];
    double scale = infer__k_attr_f(c, "spatial_scale", 1.0f), off;
    int half = strcmp(ctm, "half_pixel") == 0, mx = strcmp(mode, "max") == 0;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 2);
    if (!infer__is_float(X->dtype) || !infer__is_float(R->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "X and rois must be float");
    if (X->rank != 4 || R->rank != 2 || R->dims[1] != 4 || BI->rank != 1 || BI->dims[0] != R->dims[0])
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be [N,C,H,W], rois [R,4], batch_indices [R]");
    if (oh < 1 || ow < 1 || oh > ((int64_t)1 << 24) || ow > ((int64_t)1 << 24) || sr < 0 || sr > 4096)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad output size or sampling_ratio");
    if (!mx && strcmp(mode, "avg") != 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    nr = R->dims[0]; C = X->dims[1]; H = X->dims[2]; W = X->dims[3];
    dims[0] = nr; dims[1] = C; dims[2] = oh; dims[3] = ow;
    if (!infer__k_output(c, 0, X->dtype, 4, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    off = half ? 0.5 : 0.0;
    for (r = 0; r < nr; r++) {
        int64_t bi = infer__get_i64(BI, r), ch, ph, pw, gh, gw;
        double sw = infer__get_f64(R, 4 * r) * scale - off, sh = infer__get_f64(R, 4 * r + 1) * scale - off;
        double ew = infer__get_f64(R, 4 * r + 2) * scale - off, eh = infer__get_f64(R, 4 * r + 3) * scale - off;
        double rw = ew - sw, rh = eh - sh, bw, bh, cnt;
        if (bi < 0 || bi >= X->dims[0]) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "batch index %lld out of range", (long long)bi);
        if (!half) { if (rw < 1) rw = 1; if (rh < 1) rh = 1; }
        bh = rh / (double)oh; bw = rw / (double)ow;
        if (sr <= 0 && !(ceil(rh / (double)oh) <= 4096 && ceil(rw / (double)ow) <= 4096 && ceil(rh / (double)oh) > -1e9 && ceil(rw / (double)ow) > -1e9))
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "roi sampling grid too large");
        gh = sr > 0 ? sr : (int64_t)ceil(rh / (double)oh);
        gw = sr > 0 ? sr : (int64_t)ceil(rw / (double)ow);
        if (gh < 0) gh = 0;
        if (gw < 0) gw = 0;
        cnt = (double)(gh * gw > 1 ? gh * gw : 1);
        for (ch = 0; ch < C; ch++) {
            int64_t base = (bi * C + ch) * H * W;
            for (ph = 0; ph < oh; ph++)
                for (pw = 0; pw < ow; pw++) {
                    double acc = 0;
                    int first = 1;
                    int64_t iy, ix;
                    for (iy = 0; iy < gh; iy++) {
                        double y = sh + (double)ph * bh + ((double)iy + 0.5) * bh / (double)gh;
                        for (ix = 0; ix < gw; ix++) {
                            double x = sw + (double)pw * bw + ((double)ix + 0.5) * bw / (double)gw;
                            double yy = y, xx = x, ly, lx, w1, w2, w3, w4, v1 = 0, v2 = 0, v3 = 0, v4 = 0;
                            int64_t yl, xl, yh, xh;
                            if (!(yy >= -1.0 && yy <= (double)H && xx >= -1.0 && xx <= (double)W) || H == 0 || W == 0) {
                                w1 = w2 = w3 = w4 = 0;
                            } else {
                                if (yy <= 0) yy = 0;
                                if (xx <= 0) xx = 0;
                                yl = (int64_t)yy; xl = (int64_t)xx;
                                if (yl >= H - 1) { yh = yl = H - 1; yy = (double)yl; } else yh = yl + 1;
                                if (xl >= W - 1) { xh = xl = W - 1; xx = (double)xl; } else xh = xl + 1;
                                ly = yy - (double)yl; lx = xx - (double)xl;
                                w1 = (1 - ly) * (1 - lx); w2 = (1 - ly) * lx; w3 = ly * (1 - lx); w4 = ly * lx;
                                v1 = infer__get_f64(X, base + yl * W + xl); v2 = infer__get_f64(X, base + yl * W + xh);
                                v3 = infer__get_f64(X, base + yh * W + xl); v4 = infer__get_f64(X, base + yh * W + xh);
                            }
                            if (mx) {
                                double m = w1 * v1;
                                if (w2 * v2 > m) m = w2 * v2;
                                if (w3 * v3 > m) m = w3 * v3;
                                if (w4 * v4 > m) m = w4 * v4;
                                if (first || m > acc) acc = m;
                                first = 0;
                            } else {
                                acc += w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
                            }
                        }
                    }
                    infer__set_f64(Y, ((r * C + ch) * oh + ph) * ow + pw, mx ? acc : acc / cnt);
                }
        }
    }
    return INFER_STATUS_OK;
}

/* ---- GridSample / AffineGrid ----------------------------------------------------------------- */
static double infer__misc_reflect(double x, double lo, double hi) {
    double rng = hi - lo, dx, r, n;
    if (!(rng > 0) || x != x) return lo;
    if (x < lo) {
        dx = lo - x;
        n = floor(dx / rng);
        r = dx - n * rng;
        return fmod(n, 2.0) == 0 ? lo + r : hi - r;
    }
    if (x > hi) {
        dx = x - hi;
        n = floor(dx / rng);
        r = dx - n * rng;
        return fmod(n, 2.0) == 0 ? hi - r : lo + r;
    }
    return x;
}

static void infer__misc_cubic_coeffs(double x, double *cf) {
    const double A = -0.75;
    x = fabs(x);
    cf[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
    cf[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
    cf[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
    cf[3] = ((A * (2 - x) - 5 * A) * (2 - x) + 8 * A) * (2 - x) - 4 * A;
}

static infer_status infer__k_grid_sample(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *G = INFER__IN(c, 1);
    const char *mode = infer__k_attr_s(c, "mode", c->node->opset >= 20 ? "linear" : "bilinear");
    const char *pad = infer__k_attr_s(c, "padding_mode", "zeros");
    int ac = (int)infer__k_attr_i(c, "align_corners", 0), nd, i, m, pm;
    int64_t dims[INFER_MAX_RANK], N, C, P, n, ch, p, sp = 1;
    double lo[INFER_MAX_RANK], hi[INFER_MAX_RANK];
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype) || !infer__is_float(G->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "X and grid must be float");
    nd = X->rank - 2;
    if (nd < 1 || G->rank != X->rank || G->dims[0] != X->dims[0] || G->dims[G->rank - 1] != nd)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X rank %d does not match grid rank %d", X->rank, G->rank);
    if (strcmp(mode, "bilinear") == 0 || strcmp(mode, "linear") == 0) m = 1;
    else if (strcmp(mode, "nearest") == 0) m = 0;
    else if (strcmp(mode, "bicubic") == 0 || strcmp(mode, "cubic") == 0) m = 3;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    if (strcmp(pad, "zeros") == 0) pm = 0;
    else if (strcmp(pad, "border") == 0) pm = 1;
    else if (strcmp(pad, "reflection") == 0) pm = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown padding_mode '%s'", pad);
    if (m == 3 && nd > 4) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "cubic mode supports at most 4 spatial dims");
    N = X->dims[0]; C = X->dims[1];
    dims[0] = N; dims[1] = C;
    P = 1;
    for (i = 0; i < nd; i++) { dims[2 + i] = G->dims[1 + i]; P *= G->dims[1 + i]; sp *= X->dims[2 + i]; }
    if (!infer__k_output(c, 0, X->dtype, X->rank, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (i = 0; i < nd; i++) {
        double d = (double)X->dims[2 + i];
        lo[i] = ac ? 0.0 : -0.5;
        hi[i] = ac ? d - 1.0 : d - 0.5;
    }
    for (n = 0; n < N; n++)
        for (p = 0; p < P; p++) {
            double x[INFER_MAX_RANK], wts[INFER_MAX_RANK][4];
            int64_t idx[INFER_MAX_RANK][4];
            int taps = m == 0 ? 1 : m == 1 ? 2 : 4, ok[INFER_MAX_RANK][4];
            int64_t ncomb = 1, q;
            for (i = 0; i < nd; i++) {
                /* grid's last axis is (x, y, z...) = reversed spatial order */
                double g = infer__get_f64(G, (n * P + p) * nd + (nd - 1 - i)), d = (double)X->dims[2 + i], v;
                v = ac ? (g + 1) / 2.0 * (d - 1) : ((g + 1) * d - 1) / 2.0;
                v = (double)(float)v;
                /* NaN or far outside: keep it out of range but finite (indices stay representable) */
                if (v != v) v = -4.0 * d - 1e6;
                if (v < -4.0 * d - 1e6) v = -4.0 * d - 1e6;
                if (v > 4.0 * d + 1e6) v = 4.0 * d + 1e6;
                if (m == 0) v = rint(v);
                if (v < lo[i] || v > hi[i]) {
                    if (pm == 1) v = v < 0 ? 0 : v > d - 1 ? d - 1 : v;
                    else if (pm == 2) v = infer__misc_reflect(v, lo[i], hi[i]);
                }
                x[i] = v;
            }
            for (i = 0; i < nd; i++) {
                int t;
                int64_t d = X->dims[2 + i], b;
                if (m == 0) {
                    idx[i][0] = (int64_t)x[i];
                    wts[i][0] = 1;
                } else {
                    double f = floor(x[i]);
                    b = (int64_t)f - (m == 3 ? 1 : 0);
                    if (m == 1) { wts[i][0] = 1 - (x[i] - f); wts[i][1] = x[i] - f; }
                    else infer__misc_cubic_coeffs(x[i] - f, wts[i]);
                    for (t = 0; t < taps; t++) idx[i][t] = b + t;
                }
                for (t = 0; t < taps; t++) {
                    int64_t j = idx[i][t];
                    ok[i][t] = 1;
                    if (pm == 0) ok[i][t] = j >= 0 && j < d;
                    else if (pm == 1) j = j < 0 ? 0 : j >= d ? d - 1 : j;
                    else {
                        j = (int64_t)infer__misc_reflect((double)j, lo[i], hi[i]);
                        if (j < 0) j = 0;
                        if (j >= d) j = d - 1;
                    }
                    if (d == 0) ok[i][t] = 0;
                    idx[i][t] = j;
                }
                ncomb *= taps;
            }
            for (ch = 0; ch < C; ch++) {
                double acc = 0;
                for (q = 0; q < ncomb; q++) {
                    int64_t rem = q, off = 0;
                    double w = 1;
                    int good = 1;
                    for (i = nd - 1; i >= 0; i--) {
                        int t = (int)(rem % taps);
                        rem /= taps;
                        if (!ok[i][t]) { good = 0; break; }
                        w *= wts[i][t];
                    }
                    if (!good) continue;
                    rem = q;
                    {
                        int64_t mul = 1;
                        for (i = nd - 1; i >= 0; i--) {
                            int t = (int)(rem % taps);
                            rem /= taps;
                            off += idx[i][t] * mul;
                            mul *= X->dims[2 + i];
                        }
                    }
                    acc += w * infer__get_f64(X, (n * C + ch) * sp + off);
                }
                infer__set_f64(Y, (n * C + ch) * P + p, acc);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_affine_grid(infer__kctx *c) {
    const infer_tensor *T = INFER__IN(c, 0), *S = INFER__IN(c, 1);
    int ac = (int)infer__k_attr_i(c, "align_corners", 0), nd, i;
    int64_t sz[5], dims[5], N, P = 1, n, p;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(T->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "theta must be float");
    i = infer__tensor_ints(S, sz, 5);
    if (i != 4 && i != 5) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "size must have 4 or 5 elements");
    nd = i - 2;
    if (T->rank != 3 || T->dims[0] != sz[0] || T->dims[1] != nd || T->dims[2] != nd + 1)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "theta must be [N, %d, %d]", nd, nd + 1);
    N = sz[0];
    dims[0] = N;
    for (i = 0; i < nd; i++) {
        if (sz[2 + i] < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "negative size");
        dims[1 + i] = sz[2 + i];
    }
    dims[1 + nd] = nd;
    if (infer__count_checked(nd + 2, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "grid too large");
    for (i = 0; i < nd; i++) P *= sz[2 + i];
    if (!infer__k_output(c, 0, T->dtype, nd + 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (n = 0; n < N; n++)
        for (p = 0; p < P; p++) {
            double base[4];
            int64_t rem = p;
            int r, k;
            /* spatial index i (0 = outermost) gives coordinate nd-1-i of (x, y, z) */
            for (i = nd - 1; i >= 0; i--) {
                int64_t L = sz[2 + i], j = rem % L;
                rem /= L;
                base[nd - 1 - i] = ac ? (L > 1 ? -1.0 + 2.0 * (double)j / (double)(L - 1) : -1.0)
                                      : -1.0 + (2.0 * (double)j + 1.0) / (double)L;
            }
            base[nd] = 1.0;
            for (r = 0; r < nd; r++) {
                double s = 0;
                for (k = 0; k <= nd; k++) s += infer__get_f64(T, (n * nd + r) * (nd + 1) + k) * base[k];
                infer__set_f64(Y, (n * P + p) * nd + r, s);
            }
        }
    return INFER_STATUS_OK;
}

/* ---- Col2Im ---------------------------------------------------------------------------------- */
static infer_status infer__k_col2im(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *IS = INFER__IN(c, 1), *BS = INFER__IN(c, 2);
    int64_t img[INFER_MAX_RANK], blk[INFER_MAX_RANK], dil[INFER_MAX_RANK], str[INFER_MAX_RANK], pads[2 * INFER_MAX_RANK];
    int64_t nbl[INFER_MAX_RANK], dims[INFER_MAX_RANK + 2], N, C, kp = 1, L = 1, ip = 1, n, ch, k, l;
    const int64_t *v;
    int nd, i, cnt;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 2);
    nd = infer__tensor_ints(IS, img, INFER_MAX_RANK - 2);
    if (nd < 1 || infer__tensor_ints(BS, blk, INFER_MAX_RANK - 2) != nd)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "image_shape and block_shape must have the same length");
    for (i = 0; i < nd; i++) { dil[i] = 1; str[i] = 1; pads[i] = pads[nd + i] = 0; }
    cnt = infer__k_attr_ints(c, "dilations", &v);
    if (cnt >= 0 && cnt != nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "dilations length");
    for (i = 0; i < cnt; i++) dil[i] = v[i];
    cnt = infer__k_attr_ints(c, "strides", &v);
    if (cnt >= 0 && cnt != nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "strides length");
    for (i = 0; i < cnt; i++) str[i] = v[i];
    cnt = infer__k_attr_ints(c, "pads", &v);
    if (cnt >= 0 && cnt != 2 * nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "pads length");
    for (i = 0; i < cnt; i++) pads[i] = v[i];
    for (i = 0; i < nd; i++) {
        int64_t eff;
        if (img[i] < 0 || img[i] > ((int64_t)1 << 31) || blk[i] < 1 || blk[i] > ((int64_t)1 << 31) || dil[i] < 1 ||
            dil[i] > ((int64_t)1 << 31) || str[i] < 1 || str[i] > ((int64_t)1 << 31) || pads[i] < 0 || pads[nd + i] < 0 ||
            pads[i] > ((int64_t)1 << 31) || pads[nd + i] > ((int64_t)1 << 31))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad shapes or attributes");
        eff = dil[i] * (blk[i] - 1) + 1;
        nbl[i] = img[i] + pads[i] + pads[nd + i] - eff;
        nbl[i] = nbl[i] < 0 ? 0 : nbl[i] / str[i] + 1;
        if (kp > ((int64_t)1 << 40) / blk[i] || (nbl[i] && L > ((int64_t)1 << 40) / nbl[i]) || (img[i] && ip > ((int64_t)1 << 40) / img[i]))
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "sizes too large");
        kp *= blk[i]; L *= nbl[i]; ip *= img[i];
    }
    if (X->rank != 3 || kp == 0 || X->dims[1] % kp || X->dims[2] != L)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [N, C*%lld, %lld]", (long long)kp, (long long)L);
    N = X->dims[0]; C = X->dims[1] / kp;
    dims[0] = N; dims[1] = C;
    for (i = 0; i < nd; i++) dims[2 + i] = img[i];
    if (infer__count_checked(nd + 2, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if (!infer__k_output(c, 0, X->dtype, nd + 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (k = 0; k < N * C * ip; k++) infer__set_f64(Y, k, 0);
    for (n = 0; n < N; n++)
        for (ch = 0; ch < C; ch++)
            for (k = 0; k < kp; k++)
                for (l = 0; l < L; l++) {
                    int64_t kr = k, lr = l, off = 0, mul = 1, ok = 1, o;
                    for (i = nd - 1; i >= 0; i--) {
                        int64_t kd = kr % blk[i], ld = lr % nbl[i], pos;
                        kr /= blk[i]; lr /= nbl[i];
                        pos = ld * str[i] + kd * dil[i] - pads[i];
                        if (pos < 0 || pos >= img[i]) { ok = 0; break; }
                        off += pos * mul;
                        mul *= img[i];
                    }
                    if (!ok) continue;
                    o = (n * C + ch) * ip + off;
                    infer__set_f64(Y, o, infer__get_f64(Y, o) + infer__get_f64(X, ((n * C + ch) * kp + k) * L + l));
                }
    return INFER_STATUS_OK;
}

/* ---- CenterCropPad --------------------------------------------------------------------------- */
static infer_status infer__k_center_crop_pad(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1);
    int64_t sh[INFER_MAX_RANK], dims[INFER_MAX_RANK], src0[INFER_MAX_RANK], dst0[INFER_MAX_RANK], len[INFER_MAX_RANK];
    const int64_t *axv;
    int nax, ns, i, r;
    int64_t n, k;
    size_t es;
    int seen[INFER_MAX_RANK];
    char *y;
    const char *x;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    r = X->rank;
    es = infer__dtype_size(X->dtype);
    ns = infer__tensor_ints(S, sh, INFER_MAX_RANK);
    nax = infer__k_attr_ints(c, "axes", &axv);
    if (ns < 0 || (nax < 0 && ns != r) || (nax >= 0 && nax != ns) || es == 0)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "shape has %d values for rank %d", ns, r);
    for (i = 0; i < r; i++) { dims[i] = X->dims[i]; seen[i] = 0; }
    for (i = 0; i < ns; i++) {
        int a = nax < 0 ? i : infer__axis(axv[i], r);
        if (a < 0 || seen[a]) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad or repeated axis");
        seen[a] = 1;
        if (sh[i] < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "negative target size");
        dims[a] = sh[i];
    }
    for (i = 0; i < r; i++) {
        if (dims[i] <= X->dims[i]) { src0[i] = (X->dims[i] - dims[i]) / 2; dst0[i] = 0; len[i] = dims[i]; }
        else { src0[i] = 0; dst0[i] = (dims[i] - X->dims[i]) / 2; len[i] = X->dims[i]; }
    }
    if (infer__count_checked(r, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = (char *)infer__k_output(c, 0, X->dtype, r, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = (const char *)X->data;
    n = infer__numel(c->out[0]);
    if (X->dtype == INFER_DTYPE_STRING)
        for (k = 0; k < n; k++) ((const char **)(void *)y)[k] = "";
    else
        memset(y, 0, (size_t)n * es);
    n = infer__count_checked(r, len);
    for (k = 0; k < n; k++) {
        int64_t rem = k, so = 0, dof = 0, sm = 1, dm = 1;
        for (i = r - 1; i >= 0; i--) {
            int64_t j = rem % len[i];
            rem /= len[i];
            so += (src0[i] + j) * sm;
            dof += (dst0[i] + j) * dm;
            sm *= X->dims[i];
            dm *= dims[i];
        }
        memcpy(y + (size_t)dof * es, x + (size_t)so * es, es);
    }
    return INFER_STATUS_OK;
}

/* ---- DFT / STFT / windows / MelWeightMatrix ------------------------------------------------- */
#define INFER__MISC_PI 3.14159265358979323846
#define INFER__MISC_MAX_WORK 1.7e10 /* bound on multiply-adds of the direct DFT (no hang on hostile sizes) */

/* DFT of length L of the complex sequence (re, im) (n_in values, zero padded / truncated to L),
   writing bins [0, nout) into (ore, oim); inverse: +sign and 1/L. */
static void infer__misc_dft1(const double *re, const double *im, int64_t n_in, int64_t L, int64_t nout, int inv,
                             const double *cs, const double *sn, double *ore, double *oim) {
    int64_t k, n, m = n_in < L ? n_in : L;
    for (k = 0; k < nout; k++) {
        double sr = 0, si = 0;
        int64_t idx = 0;
        for (n = 0; n < m; n++) {
            double c = cs[idx], s = inv ? sn[idx] : -sn[idx];
            sr += re[n] * c - im[n] * s;
            si += re[n] * s + im[n] * c;
            idx += k;
            if (idx >= L) idx %= L;
        }
        if (inv) { sr /= (double)L; si /= (double)L; }
        ore[k] = sr;
        oim[k] = si;
    }
}

static infer_status infer__misc_twiddles(infer__kctx *c, int64_t L, double **cs, double **sn) {
    int64_t k;
    *cs = (double *)infer__k_scratch(c, (size_t)(L > 0 ? L : 1) * sizeof(double));
    *sn = (double *)infer__k_scratch(c, (size_t)(L > 0 ? L : 1) * sizeof(double));
    if (!*cs || !*sn) return INFER_STATUS_OUT_OF_MEMORY;
    for (k = 0; k < L; k++) {
        double a = 2.0 * INFER__MISC_PI * (double)k / (double)L;
        (*cs)[k] = cos(a);
        (*sn)[k] = sin(a);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_dft(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *DL = INFER__IN(c, 1), *AX = c->node->opset >= 20 ? INFER__IN(c, 2) : NULL;
    int inv = (int)infer__k_attr_i(c, "inverse", 0), one = (int)infer__k_attr_i(c, "onesided", 0), r, ax, i, cplx, irfft;
    int64_t axis = c->node->opset >= 20 ? -2 : infer__k_attr_i(c, "axis", 1), L, nin, nout, outer = 1, inner = 1, o, q;
    int64_t dims[INFER_MAX_RANK];
    double *cs, *sn, *bre, *bim, *ore, *oim;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be float");
    r = X->rank;
    if (r < 2 || (X->dims[r - 1] != 1 && X->dims[r - 1] != 2))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must have a last dimension of 1 or 2");
    cplx = X->dims[r - 1] == 2;
    if (AX && infer__numel(AX) == 1) axis = infer__get_i64(AX, 0);
    if (c->node->opset >= 20 && axis < 0) axis += r;
    if (axis < 0 || axis > r - 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axis %lld out of range", (long long)axis);
    ax = (int)axis;
    nin = X->dims[ax];
    irfft = inv && one; /* inverse of a one-sided spectrum: a real signal of dft_length samples */
    L = DL && infer__numel(DL) == 1 ? infer__get_i64(DL, 0) : irfft ? 2 * (nin - 1) : nin;
    if (L < 1 || L > ((int64_t)1 << 24)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad dft_length %lld", (long long)L);
    nout = irfft ? L : one ? L / 2 + 1 : L;
    for (i = 0; i < r; i++) dims[i] = X->dims[i];
    dims[ax] = nout;
    dims[r - 1] = irfft ? 1 : 2;
    for (i = 0; i < ax; i++) outer *= X->dims[i];
    for (i = ax + 1; i < r - 1; i++) inner *= X->dims[i];
    if (infer__count_checked(r, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if ((double)outer * (double)inner * (double)nout * (double)(irfft ? L : nin < L ? nin : L) > INFER__MISC_MAX_WORK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "DFT too costly for the direct method");
    if (!infer__k_output(c, 0, X->dtype, r, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    st = infer__misc_twiddles(c, L, &cs, &sn);
    if (st) return st;
    bre = (double *)infer__k_scratch(c, (size_t)(nin + L + 1) * sizeof(double));
    bim = (double *)infer__k_scratch(c, (size_t)(nin + L + 1) * sizeof(double));
    ore = (double *)infer__k_scratch(c, (size_t)(L + 1) * sizeof(double));
    oim = (double *)infer__k_scratch(c, (size_t)(L + 1) * sizeof(double));
    if (!bre || !bim || !ore || !oim) return INFER_STATUS_OUT_OF_MEMORY;
    for (o = 0; o < outer; o++)
        for (q = 0; q < inner; q++) {
            int64_t n;
            for (n = 0; n < nin; n++) {
                int64_t e = ((o * nin + n) * inner + q) * (cplx ? 2 : 1);
                bre[n] = infer__get_f64(X, e);
                bim[n] = cplx ? infer__get_f64(X, e + 1) : 0;
            }
            if (irfft) { /* Hermitian extension of the half spectrum */
                for (n = L - 1; n >= 0; n--) {
                    int64_t k = n <= L / 2 ? n : L - n;
                    double vr = k < nin ? bre[k] : 0, vi = k < nin ? bim[k] : 0;
                    bre[n] = vr;
                    bim[n] = n <= L / 2 ? vi : -vi;
                }
                infer__misc_dft1(bre, bim, L, L, L, 1, cs, sn, ore, oim);
                for (n = 0; n < L; n++) infer__set_f64(Y, (o * L + n) * inner + q, ore[n]);
                continue;
            }
            infer__misc_dft1(bre, bim, nin, L, nout, inv, cs, sn, ore, oim);
            for (n = 0; n < nout; n++) {
                int64_t e = ((o * nout + n) * inner + q) * 2;
                infer__set_f64(Y, e, ore[n]);
                infer__set_f64(Y, e + 1, oim[n]);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_stft(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *FS = INFER__IN(c, 1), *WN = INFER__IN(c, 2), *FL = INFER__IN(c, 3);
    int one = (int)infer__k_attr_i(c, "onesided", 1), cplx;
    int64_t B, S, step, flen, nf, nbins, dims[4], b, f, n;
    double *cs, *sn, *bre, *bim, *ore, *oim;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "signal must be float");
    if (X->rank != 3 || (X->dims[2] != 1 && X->dims[2] != 2))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "signal must be [batch, length, 1 or 2]");
    cplx = X->dims[2] == 2;
    B = X->dims[0]; S = X->dims[1];
    step = infer__numel(FS) == 1 ? infer__get_i64(FS, 0) : 0;
    if (WN && WN->rank != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "window must be 1-D");
    flen = FL && infer__numel(FL) == 1 ? infer__get_i64(FL, 0) : WN ? WN->dims[0] : 0;
    if (WN && WN->dims[0] != flen) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "window length differs from frame_length");
    if (step < 1 || flen < 1 || flen > S || flen > ((int64_t)1 << 24))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad frame_step %lld or frame_length %lld", (long long)step, (long long)flen);
    nf = (S - flen) / step + 1;
    nbins = one ? flen / 2 + 1 : flen;
    dims[0] = B; dims[1] = nf; dims[2] = nbins; dims[3] = 2;
    if ((double)B * (double)nf * (double)nbins * (double)flen > INFER__MISC_MAX_WORK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "STFT too costly for the direct method");
    if (!infer__k_output(c, 0, X->dtype, 4, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    st = infer__misc_twiddles(c, flen, &cs, &sn);
    if (st) return st;
    bre = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    bim = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    ore = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    oim = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    if (!bre || !bim || !ore || !oim) return INFER_STATUS_OUT_OF_MEMORY;
    for (b = 0; b < B; b++)
        for (f = 0; f < nf; f++) {
            for (n = 0; n < flen; n++) {
                int64_t e = (b * S + f * step + n) * (cplx ? 2 : 1);
                double w = WN ? infer__get_f64(WN, n) : 1;
                bre[n] = infer__get_f64(X, e) * w;
                bim[n] = cplx ? infer__get_f64(X, e + 1) * w : 0;
            }
            infer__misc_dft1(bre, bim, flen, flen, nbins, 0, cs, sn, ore, oim);
            for (n = 0; n < nbins; n++) {
                int64_t e = ((b * nf + f) * nbins + n) * 2;
                infer__set_f64(Y, e, ore[n]);
                infer__set_f64(Y, e + 1, oim[n]);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__misc_window(infer__kctx *c, int kind) {
    const infer_tensor *S = INFER__IN(c, 0);
    int per = (int)infer__k_attr_i(c, "periodic", 1), odt = (int)infer__k_attr_i(c, "output_datatype", INFER_DTYPE_FLOAT);
    int64_t n, i;
    double D;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (infer__numel(S) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "size must be a scalar");
    n = infer__get_i64(S, 0);
    if (n < 0 || n > ((int64_t)1 << 28)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad window size %lld", (long long)n);
    if (!infer__dtype_size(odt) || odt == INFER_DTYPE_STRING || infer__ew_is_small(odt) || odt == INFER_DTYPE_COMPLEX64 || odt == INFER_DTYPE_COMPLEX128)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported output_datatype %d", odt);
    if (!infer__k_output(c, 0, odt, 1, &n)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    D = per ? (double)n : (double)(n - 1);
    for (i = 0; i < n; i++) {
        double a = 2.0 * INFER__MISC_PI * (double)i / D, v;
        if (kind == 0) v = 0.5 - 0.5 * cos(a);
        else if (kind == 1) v = 25.0 / 46.0 - (1.0 - 25.0 / 46.0) * cos(a);
        else v = 0.42 - 0.5 * cos(a) + 0.08 * cos(2 * a);
        infer__set_f64(Y, i, v);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_hann_window(infer__kctx *c) { return infer__misc_window(c, 0); }
static infer_status infer__k_hamming_window(infer__kctx *c) { return infer__misc_window(c, 1); }
static infer_status infer__k_blackman_window(infer__kctx *c) { return infer__misc_window(c, 2); }

static infer_status infer__k_mel_weight_matrix(infer__kctx *c) {
    int odt = (int)infer__k_attr_i(c, "output_datatype", INFER_DTYPE_FLOAT), i;
    int64_t nmel, dftl, nspec, dims[2], *fb, j;
    double sr, lo, hi, lmel, hmel, step;
    infer_tensor *Y;
    for (i = 0; i < 5; i++) {
        INFER__MISC_NEED(c, i);
        if (infer__numel(c->in[i]) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input %d must be a scalar", i);
    }
    nmel = infer__get_i64(c->in[0], 0);
    dftl = infer__get_i64(c->in[1], 0);
    sr = infer__get_f64(c->in[2], 0);
    lo = infer__get_f64(c->in[3], 0);
    hi = infer__get_f64(c->in[4], 0);
    if (nmel < 0 || nmel > (1 << 20) || dftl < 0 || dftl > (1 << 28) || !(sr > 0))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad num_mel_bins, dft_length or sample_rate");
    if (!infer__is_float(odt) && !(infer__dtype_size(odt) && odt != INFER_DTYPE_STRING && !infer__ew_is_small(odt) &&
                                   odt != INFER_DTYPE_COMPLEX64 && odt != INFER_DTYPE_COMPLEX128))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported output_datatype %d", odt);
    nspec = dftl / 2 + 1;
    dims[0] = nspec; dims[1] = nmel;
    if (nspec * nmel > ((int64_t)1 << 28)) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if (!infer__k_output(c, 0, odt, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (j = 0; j < nspec * nmel; j++) infer__set_f64(Y, j, 0);
    fb = (int64_t *)infer__k_scratch(c, (size_t)(nmel + 2) * sizeof(int64_t));
    if (!fb) return INFER_STATUS_OUT_OF_MEMORY;
    lmel = 2595.0 * log10(1.0 + lo / 700.0);
    hmel = 2595.0 * log10(1.0 + hi / 700.0);
    step = (hmel - lmel) / (double)(nmel + 2);
    for (j = 0; j < nmel + 2; j++) {
        double f = 700.0 * (pow(10.0, ((double)j * step + lmel) / 2595.0) - 1.0);
        f = floor((double)(dftl + 1) * f / sr);
        fb[j] = f != f ? 0 : f < -1e15 ? -1000000000000000LL : f > 1e15 ? 1000000000000000LL : (int64_t)f;
    }
    for (i = 0; i < nmel; i++) {
        int64_t l = fb[i], ce = fb[i + 1], h = fb[i + 2];
        if (ce - l == 0) {
            if (ce >= 0 && ce < nspec) infer__set_f64(Y, ce * nmel + i, 1);
        } else {
            for (j = l < 0 ? 0 : l; j <= ce && j < nspec; j++)
                infer__set_f64(Y, j * nmel + i, (double)(j - l) / (double)(ce - l));
        }
        if (h - ce > 0)
            for (j = ce < 0 ? 0 : ce; j < h && j < nspec; j++)
                infer__set_f64(Y, j * nmel + i, (double)(h - j) / (double)(h - ce));
    }
    return INFER_STATUS_OK;
}

/* ---- Strings -------------------------------------------------------------------------------- */
static char *infer__misc_strdup(infer__kctx *c, const char *src, size_t len) {
    char *p = infer__k_string_alloc(c, len);
    if (!p) return NULL;
    if (len) memcpy(p, src, len);
    p[len] = 0;
    return p;
}

static int infer__misc_streq_nocase(const char *a, const char *b) {
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return 0;
        if (!x) return 1;
    }
}

static const char *infer__misc_str(const infer_tensor *t, int64_t i) {
    const char *s = ((char *const *)t->data)[i];
    return s ? s : "";
}

static infer_status infer__k_string_normalizer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *act = infer__k_attr_s(c, "case_change_action", "NONE");
    int cs = (int)infer__k_attr_i(c, "is_case_sensitive", 0), mode, two;
    const infer__attr *sw = infer__attr_find(c->node, "stopwords");
    int nsw = sw && sw->type == INFER__ATTR_STRINGS ? sw->n : 0;
    int64_t n, i, k, cnt = 0, dims[2];
    int64_t *keep;
    char **y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be strings");
    two = X->rank == 2;
    if (!(X->rank == 1 || (two && X->dims[0] == 1)))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [C] or [1, C]");
    if (strcmp(act, "NONE") == 0) mode = 0;
    else if (strcmp(act, "LOWER") == 0) mode = 1;
    else if (strcmp(act, "UPPER") == 0) mode = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown case_change_action '%s'", act);
    n = infer__numel(X);
    keep = (int64_t *)infer__k_scratch(c, (size_t)(n + 1) * sizeof(int64_t));
    if (!keep) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        const char *s = infer__misc_str(X, i);
        int stop = 0, j;
        for (j = 0; j < nsw && !stop; j++) stop = cs ? strcmp(s, sw->strings[j]) == 0 : infer__misc_streq_nocase(s, sw->strings[j]);
        if (!stop) keep[cnt++] = i;
    }
    dims[0] = 1;
    dims[two ? 1 : 0] = cnt ? cnt : 1;
    y = (char **)infer__k_output(c, 0, INFER_DTYPE_STRING, two ? 2 : 1, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    if (!cnt) { y[0] = infer__misc_strdup(c, "", 0); return y[0] ? INFER_STATUS_OK : INFER_STATUS_OUT_OF_MEMORY; }
    for (k = 0; k < cnt; k++) {
        const char *s = infer__misc_str(X, keep[k]);
        size_t len = strlen(s), j;
        char *d = infer__misc_strdup(c, s, len);
        if (!d) return INFER_STATUS_OUT_OF_MEMORY;
        for (j = 0; j < len && mode; j++) {
            if (mode == 1 && d[j] >= 'A' && d[j] <= 'Z') d[j] = (char)(d[j] + 32);
            if (mode == 2 && d[j] >= 'a' && d[j] <= 'z') d[j] = (char)(d[j] - 32);
        }
        y[k] = d;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_string_concat(infer__kctx *c) {
    const infer_tensor *A = INFER__IN(c, 0), *B = INFER__IN(c, 1);
    int64_t dims[INFER_MAX_RANK], sa[INFER_MAX_RANK], sb[INFER_MAX_RANK], n, i;
    int r, k;
    char **y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (A->dtype != INFER_DTYPE_STRING || B->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs must be strings");
    if (!infer__broadcast(A->rank, A->dims, B->rank, B->dims, &r, dims)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "inputs do not broadcast");
    y = (char **)infer__k_output(c, 0, INFER_DTYPE_STRING, r, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    infer__bstrides(A, r, sa);
    infer__bstrides(B, r, sb);
    n = infer__count_checked(r, dims);
    for (i = 0; i < n; i++) {
        int64_t rem = i, ia = 0, ib = 0;
        const char *p, *q;
        size_t lp, lq;
        for (k = r - 1; k >= 0; k--) {
            int64_t d = rem % dims[k];
            rem /= dims[k];
            ia += d * sa[k];
            ib += d * sb[k];
        }
        p = infer__misc_str(A, ia);
        q = infer__misc_str(B, ib);
        lp = strlen(p);
        lq = strlen(q);
        y[i] = infer__k_string_alloc(c, lp + lq);
        if (!y[i]) return INFER_STATUS_OUT_OF_MEMORY;
        memcpy(y[i], p, lp);
        memcpy(y[i] + lp, q, lq);
        y[i][lp + lq] = 0;
    }
    return INFER_STATUS_OK;
}

static int infer__misc_isspace(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

/* Python str.split semantics. Pieces as (start, length) into pos/len when not NULL; returns the count. */
static int64_t infer__misc_split(const char *s, const char *sep, int64_t maxsplit, int64_t *pos, int64_t *len) {
    int64_t n = 0, L = (int64_t)strlen(s), i = 0;
    if (sep && sep[0]) {
        int64_t sl = (int64_t)strlen(sep), st = 0;
        while (i + sl <= L && (maxsplit < 0 || n < maxsplit)) {
            if (memcmp(s + i, sep, (size_t)sl) == 0) {
                if (pos) { pos[n] = st; len[n] = i - st; }
                n++;
                i += sl;
                st = i;
            } else {
                i++;
            }
        }
        if (pos) { pos[n] = st; len[n] = L - st; }
        return n + 1;
    }
    while (i < L && infer__misc_isspace(s[i])) i++;
    while (i < L) {
        int64_t st = i;
        if (maxsplit >= 0 && n >= maxsplit) {
            if (pos) { pos[n] = st; len[n] = L - st; }
            return n + 1;
        }
        while (i < L && !infer__misc_isspace(s[i])) i++;
        if (pos) { pos[n] = st; len[n] = i - st; }
        n++;
        while (i < L && infer__misc_isspace(s[i])) i++;
    }
    return n;
}

static infer_status infer__k_string_split(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *sep = infer__k_attr_s(c, "delimiter", "");
    const infer__attr *ma = infer__attr_find(c->node, "maxsplit");
    int64_t maxsplit = ma && ma->type == INFER__ATTR_INT ? ma->i : -1, n, i, mx = 0, dims[INFER_MAX_RANK + 1];
    int64_t *pos, *len, *cnt;
    char **y;
    int k;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be strings");
    if (X->rank >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "rank too large");
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        int64_t m = infer__misc_split(infer__misc_str(X, i), sep, maxsplit, NULL, NULL);
        if (m > mx) mx = m;
    }
    for (k = 0; k < X->rank; k++) dims[k] = X->dims[k];
    dims[X->rank] = mx;
    if (infer__count_checked(X->rank + 1, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = (char **)infer__k_output(c, 0, INFER_DTYPE_STRING, X->rank + 1, dims);
    cnt = (int64_t *)infer__k_output(c, 1, INFER_DTYPE_INT64, X->rank, X->dims);
    pos = (int64_t *)infer__k_scratch(c, (size_t)(mx + 1) * sizeof(int64_t));
    len = (int64_t *)infer__k_scratch(c, (size_t)(mx + 1) * sizeof(int64_t));
    if (!y || !cnt || !pos || !len) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        const char *s = infer__misc_str(X, i);
        int64_t m = infer__misc_split(s, sep, maxsplit, pos, len), j;
        cnt[i] = m;
        for (j = 0; j < mx; j++) {
            y[i * mx + j] = j < m ? infer__misc_strdup(c, s + pos[j], (size_t)len[j]) : infer__misc_strdup(c, "", 0);
            if (!y[i * mx + j]) return INFER_STATUS_OUT_OF_MEMORY;
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_tfidf(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int64_t mn = infer__k_attr_i(c, "min_gram_length", 1), mxg = infer__k_attr_i(c, "max_gram_length", 1);
    int64_t msk = infer__k_attr_i(c, "max_skip_count", 0), osz = 0, rows, C, dims[2], r, i;
    const char *mode = infer__k_attr_s(c, "mode", "TF");
    const int64_t *cnts = NULL, *idxs = NULL, *pint = NULL;
    const float *wts = NULL;
    const infer__attr *ps = infer__attr_find(c->node, "pool_strings");
    int ncnt = infer__k_attr_ints(c, "ngram_counts", &cnts), nidx = infer__k_attr_ints(c, "ngram_indexes", &idxs);
    int npi = infer__k_attr_ints(c, "pool_int64s", &pint), nw = infer__k_attr_floats(c, "weights", &wts), md, str;
    int64_t npool, g, *gstart, *gsize, ng = 0;
    double *fr;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    str = X->dtype == INFER_DTYPE_STRING;
    if (!str && X->dtype != INFER_DTYPE_INT32 && X->dtype != INFER_DTYPE_INT64)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be string, int32 or int64");
    if (strcmp(mode, "TF") == 0) md = 1;
    else if (strcmp(mode, "IDF") == 0) md = 2;
    else if (strcmp(mode, "TFIDF") == 0) md = 3;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    if (ps && ps->type != INFER__ATTR_STRINGS) ps = NULL;
    if (str != (ps != NULL) || ncnt < 0 || nidx < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad pool / ngram attributes");
    npool = str ? ps->n : (npi < 0 ? 0 : npi);
    if (nw < 0) nw = 0;
    if (mn < 1 || mxg < mn || mxg > 64 || msk < 0 || msk > (1 << 20)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad gram lengths or max_skip_count");
    for (i = 0; i < nidx; i++) {
        if (idxs[i] < 0 || idxs[i] > (1 << 28)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad ngram_indexes");
        if (idxs[i] + 1 > osz) osz = idxs[i] + 1;
    }
    if (nw && nw < osz) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "weights too short");
    /* n-grams of the pool: start and size, numbered in order */
    gstart = (int64_t *)infer__k_scratch(c, (size_t)(npool + 1) * sizeof(int64_t));
    gsize = (int64_t *)infer__k_scratch(c, (size_t)(npool + 1) * sizeof(int64_t));
    if (!gstart || !gsize) return INFER_STATUS_OUT_OF_MEMORY;
    for (g = 0; g < ncnt; g++) {
        int64_t st = cnts[g], en = g + 1 < ncnt ? cnts[g + 1] : npool, sz = g + 1, q;
        if (st < 0 || en > npool || st > en) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad ngram_counts");
        for (q = st; q + sz <= en; q += sz) { gstart[ng] = q; gsize[ng] = sz; ng++; }
    }
    if (ng > nidx) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "ngram_indexes too short");
    if (X->rank == 0) { rows = 1; C = 1; }
    else if (X->rank == 1) { rows = 1; C = X->dims[0]; }
    else if (X->rank == 2) { rows = X->dims[0]; C = X->dims[1]; }
    else return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [C] or [N, C]");
    dims[0] = rows; dims[1] = osz;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank == 2 ? 2 : 1, X->rank == 2 ? dims : dims + 1)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    fr = (double *)infer__k_scratch(c, (size_t)(rows * osz + 1) * sizeof(double));
    if (!fr) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < rows * osz; i++) fr[i] = 0;
    for (r = 0; r < rows; r++) {
        int64_t sd, start_n = mn, base = r * C;
        for (sd = 1; sd <= msk + 1; sd++) {
            int64_t st;
            for (st = 0; st < C; st++) {
                int64_t nn;
                if (st + sd * (start_n - 1) >= C) break;
                for (nn = start_n; nn <= mxg && st + sd * (nn - 1) < C; nn++) {
                    int64_t hit = -1, q;
                    for (q = 0; q < ng; q++) {
                        int64_t e, ok = 1;
                        if (gsize[q] != nn) continue;
                        for (e = 0; e < nn && ok; e++) {
                            int64_t xi = base + st + e * sd, pi = gstart[q] + e;
                            ok = str ? strcmp(infer__misc_str(X, xi), ps->strings[pi]) == 0 : infer__get_i64(X, xi) == pint[pi];
                        }
                        if (ok) hit = q;
                    }
                    if (hit >= 0) fr[r * osz + idxs[hit]] += 1;
                }
            }
            if (start_n == 1) {
                start_n++;
                if (start_n > mxg) break;
            }
        }
    }
    for (r = 0; r < rows; r++)
        for (i = 0; i < osz; i++) {
            double f = fr[r * osz + i], v;
            if (md == 1) v = f;
            else if (md == 2) v = f > 0 ? (nw ? wts[i] : 1) : 0;
            else v = nw ? wts[i] * f : f;
            infer__set_f64(Y, r * osz + i, v);
        }
    return INFER_STATUS_OK;
}

/* ---- Random generators: MT19937 as numpy's RandomState(seed); without a seed a fixed one, so that
   a kernel stays a pure function of its inputs (the values cannot match another runtime anyway). -- */
static void infer__misc_rng_init(infer__kctx *c, infer__nn_mt *m) {
    const infer__attr *a = infer__attr_find(c->node, "seed");
    double sd = a && a->type == INFER__ATTR_FLOAT ? (double)a->f : 0.0;
    uint32_t s = sd == sd && sd >= 0 && sd < 4294967296.0 ? (uint32_t)sd : (uint32_t)(sd == sd && sd < 0 && sd > -2147483648.0 ? (int32_t)sd : 0);
    infer__nn_mt_seed(m, s);
}

/* numpy legacy_gauss (polar method); *saved holds the second value (NAN when empty). */
static double infer__misc_gauss(infer__nn_mt *m, double *saved) {
    double x1, x2, r2, f;
    if (*saved == *saved) { f = *saved; *saved = NAN; return f; }
    do {
        x1 = 2.0 * infer__nn_mt_double(m) - 1.0;
        x2 = 2.0 * infer__nn_mt_double(m) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    f = sqrt(-2.0 * log(r2) / r2);
    *saved = f * x1;
    return f * x2;
}

static int infer__misc_rand_dtype_ok(int dt) {
    return infer__is_float(dt) || dt == INFER_DTYPE_INT8 || dt == INFER_DTYPE_UINT8 || dt == INFER_DTYPE_INT16 ||
           dt == INFER_DTYPE_UINT16 || dt == INFER_DTYPE_INT32 || dt == INFER_DTYPE_UINT32 || dt == INFER_DTYPE_INT64 ||
           dt == INFER_DTYPE_UINT64 || dt == INFER_DTYPE_BOOL;
}

/* kind 0 uniform, 1 normal; like: shape (and default dtype) from input 0. */
static infer_status infer__misc_random(infer__kctx *c, int kind, int like) {
    const infer_tensor *X = like ? INFER__IN(c, 0) : NULL;
    int64_t dims[INFER_MAX_RANK], n, i;
    int rank, dt;
    double a, b, saved = NAN;
    infer__nn_mt m;
    infer_tensor *Y;
    if (like) {
        INFER__MISC_NEED(c, 0);
        rank = X->rank;
        for (i = 0; i < rank; i++) dims[i] = X->dims[i];
        dt = (int)infer__k_attr_i(c, "dtype", X->dtype);
    } else {
        const int64_t *sh;
        rank = infer__k_attr_ints(c, "shape", &sh);
        if (rank < 0 || rank > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing or too long attribute 'shape'");
        for (i = 0; i < rank; i++) dims[i] = sh[i];
        dt = (int)infer__k_attr_i(c, "dtype", INFER_DTYPE_FLOAT);
    }
    if (!infer__misc_rand_dtype_ok(dt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported dtype %d", dt);
    if (infer__count_checked(rank, dims) < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bad shape");
    if (!infer__k_output(c, 0, dt, rank, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(Y);
    if (kind == 0) { a = infer__k_attr_f(c, "low", 0.0f); b = infer__k_attr_f(c, "high", 1.0f); }
    else { a = infer__k_attr_f(c, "mean", 0.0f); b = infer__k_attr_f(c, "scale", 1.0f); }
    infer__misc_rng_init(c, &m);
    for (i = 0; i < n; i++) {
        double v = kind == 0 ? infer__nn_mt_double(&m) * (b - a) + a : infer__misc_gauss(&m, &saved) * b + a;
        infer__set_f64(Y, i, v);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_random_uniform(infer__kctx *c) { return infer__misc_random(c, 0, 0); }
static infer_status infer__k_random_normal(infer__kctx *c) { return infer__misc_random(c, 1, 0); }
static infer_status infer__k_random_uniform_like(infer__kctx *c) { return infer__misc_random(c, 0, 1); }
static infer_status infer__k_random_normal_like(infer__kctx *c) { return infer__misc_random(c, 1, 1); }

static infer_status infer__k_bernoulli(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int dt;
    int64_t n, i;
    infer__nn_mt m;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be float");
    dt = (int)infer__k_attr_i(c, "dtype", X->dtype);
    if (!infer__misc_rand_dtype_ok(dt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported dtype %d", dt);
    if (!infer__k_output(c, 0, dt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    infer__misc_rng_init(c, &m);
    for (i = 0; i < n; i++) {
        /* numpy binomial(1, p) by inversion */
        double p = infer__get_f64(X, i), u = infer__nn_mt_double(&m), v;
        if (!(p >= 0 && p <= 1)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "probability %g outside [0, 1]", p);
        v = p <= 0.5 ? (u > 1.0 - p ? 1 : 0) : (u > p ? 0 : 1);
        infer__set_f64(Y, i, v);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_multinomial(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int dt = (int)infer__k_attr_i(c, "dtype", INFER_DTYPE_INT32);
    int64_t ns = infer__k_attr_i(c, "sample_size", 1), dims[2], B, K, b, s, k;
    double *cum;
    infer__nn_mt m;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype) || X->rank != 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be a float [batch, classes] tensor");
    if (dt != INFER_DTYPE_INT32 && dt != INFER_DTYPE_INT64) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "dtype must be int32 or int64");
    B = X->dims[0]; K = X->dims[1];
    if (ns < 0 || ns > ((int64_t)1 << 30)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad sample_size");
    dims[0] = B; dims[1] = ns;
    if (infer__count_checked(2, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if (!infer__k_output(c, 0, dt, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    cum = (double *)infer__k_scratch(c, (size_t)(K + 1) * sizeof(double));
    if (!cum) return INFER_STATUS_OUT_OF_MEMORY;
    infer__misc_rng_init(c, &m);
    for (b = 0; b < B; b++) {
        double mx = -HUGE_VAL, tot = 0;
        for (k = 0; k < K; k++) if (infer__get_f64(X, b * K + k) > mx) mx = infer__get_f64(X, b * K + k);
        for (k = 0; k < K; k++) { tot += exp(infer__get_f64(X, b * K + k) - mx); cum[k] = tot; }
        for (s = 0; s < ns; s++) {
            double u = infer__nn_mt_double(&m) * tot;
            int64_t pick = K - 1;
            for (k = 0; k < K; k++) if (u < cum[k]) { pick = k; break; }
            infer__set_i64(Y, b * ns + s, K ? pick : 0);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.preview.training: Adagrad, Adam, Momentum --------------------------------------- */
/* Inputs R, T, then `groups` lists of n tensors (X, G, state...); outputs X_new..., state_new.... */
static infer_status infer__misc_train_check(infer__kctx *c, int groups, int *nout_t) {
    int n, g, i;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (infer__numel(c->in[0]) != 1 || infer__numel(c->in[1]) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "R and T must be scalars");
    if ((c->n_in - 2) % groups || c->n_in <= 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad input count %d", c->n_in);
    n = (c->n_in - 2) / groups;
    if (c->n_out != n * (groups - 1)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad output count %d", c->n_out);
    for (i = 0; i < n; i++)
        for (g = 0; g < groups; g++) {
            const infer_tensor *t = INFER__IN(c, 2 + g * n + i), *x = INFER__IN(c, 2 + i);
            if (!t || !x) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
            if (!infer__is_float(t->dtype) || !infer__misc_same_shape(t, x) || infer__numel(t) != infer__numel(x))
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "tensor lists must have matching float shapes");
        }
    for (i = 0; i < c->n_out; i++) {
        const infer_tensor *x = c->in[2 + (i % n)];
        if (!infer__k_output(c, i, INFER__IN(c, 2 + (i / n + 1) * n + i % n) && i >= n ? c->in[2 + (i / n + 1) * n + i % n]->dtype : x->dtype, x->rank, x->dims))
            return INFER_STATUS_OUT_OF_MEMORY;
    }
    *nout_t = n;
    return INFER_STATUS_OK;
}

static infer_status infer__k_adagrad(infer__kctx *c) {
    double decay = infer__k_attr_f(c, "decay_factor", 0.0f), eps = infer__k_attr_f(c, "epsilon", 1e-6f);
    double nc = infer__k_attr_f(c, "norm_coefficient", 0.0f), r;
    int n, i;
    infer_status st = infer__misc_train_check(c, 3, &n);
    if (st) return st;
    r = infer__get_f64(c->in[0], 0) / (1.0 + (double)infer__get_i64(c->in[1], 0) * decay);
    for (i = 0; i < n; i++) {
        const infer_tensor *X = c->in[2 + i], *G = c->in[2 + n + i], *H = c->in[2 + 2 * n + i];
        int64_t k, cnt = infer__numel(X);
        for (k = 0; k < cnt; k++) {
            double x = infer__get_f64(X, k), g = nc * x + infer__get_f64(G, k), h = infer__get_f64(H, k) + g * g;
            infer__set_f64(c->out[n + i], k, h);
            infer__set_f64(c->out[i], k, x - r * g / (sqrt(h) + eps));
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_adam(infer__kctx *c) {
    double al = infer__k_attr_f(c, "alpha", 0.9f), be = infer__k_attr_f(c, "beta", 0.999f), eps = infer__k_attr_f(c, "epsilon", 1e-6f);
    double nc = infer__k_attr_f(c, "norm_coefficient", 0.0f), ncp = infer__k_attr_f(c, "norm_coefficient_post", 0.0f), r;
    int64_t T;
    int n, i;
    infer_status st = infer__misc_train_check(c, 4, &n);
    if (st) return st;
    r = infer__get_f64(c->in[0], 0);
    T = infer__get_i64(c->in[1], 0);
    if (T > 0) r = r * sqrt(1.0 - pow(be, (double)T)) / (1.0 - pow(al, (double)T));
    for (i = 0; i < n; i++) {
        const infer_tensor *X = c->in[2 + i], *G = c->in[2 + n + i], *V = c->in[2 + 2 * n + i], *H = c->in[2 + 3 * n + i];
        int64_t k, cnt = infer__numel(X);
        for (k = 0; k < cnt; k++) {
            double x = infer__get_f64(X, k), g = nc * x + infer__get_f64(G, k);
            double v = al * infer__get_f64(V, k) + (1 - al) * g, h = be * infer__get_f64(H, k) + (1 - be) * g * g;
            infer__set_f64(c->out[n + i], k, v);
            infer__set_f64(c->out[2 * n + i], k, h);
            infer__set_f64(c->out[i], k, (1 - ncp) * (x - r * (v / (sqrt(h) + eps))));
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_momentum(infer__kctx *c) {
    double al = infer__k_attr_f(c, "alpha", 0.0f), be = infer__k_attr_f(c, "beta", 0.0f), nc = infer__k_attr_f(c, "norm_coefficient", 0.0f), r;
    const char *mode = infer__k_attr_s(c, "mode", "standard");
    int n, i, nest = strcmp(mode, "nesterov") == 0;
    infer_status st;
    if (!nest && strcmp(mode, "standard") != 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    st = infer__misc_train_check(c, 3, &n);
    if (st) return st;
    r = infer__get_f64(c->in[0], 0);
    if (infer__get_i64(c->in[1], 0) <= 0) be = 1;
    for (i = 0; i < n; i++) {
        const infer_tensor *X = c->in[2 + i], *G = c->in[2 + n + i], *V = c->in[2 + 2 * n + i];
        int64_t k, cnt = infer__numel(X);
        for (k = 0; k < cnt; k++) {
            double x = infer__get_f64(X, k), g = nc * x + infer__get_f64(G, k), v = al * infer__get_f64(V, k) + be * g;
            infer__set_f64(c->out[n + i], k, v);
            infer__set_f64(c->out[i], k, nest ? x - r * (g + al * v) : x - r * v);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- RegexFullMatch: a small backtracking matcher for an RE2 subset (bytes; ASCII classes):
   literals, ., [...], [^...], \w \W \d \D \s \S \b \B, ^ $, ( ), (?: ), |, * + ? {m} {m,} {m,n}, lazy ?.
   Steps and depth are bounded: a pathological pattern fails cleanly. --------------------------- */
enum { INFER__RX_CLASS, INFER__RX_BOL, INFER__RX_EOL, INFER__RX_WB, INFER__RX_NWB, INFER__RX_GROUP, INFER__RX_REP };

typedef struct infer__rx_node {
    int type;
    int greedy;
    int64_t min, max;                 /* REP */
    unsigned char set[32];            /* CLASS */
    struct infer__rx_node *next;      /* next node of the sequence; NULL: end of the sequence */
    struct infer__rx_node *child;     /* REP: the repeated sequence; GROUP: the first alternative */
    struct infer__rx_node *alt;       /* head of an alternative: the next alternative's head */
} infer__rx_node;

typedef struct infer__rx {
    infer__rx_node *nodes;
    int n, cap;
    const char *p;                    /* parse position */
    const char *err;
    const unsigned char *s;           /* subject */
    int64_t len, steps, depth;
    int fail;                         /* step or depth limit hit */
} infer__rx;

typedef struct infer__rx_cont {
    const infer__rx_node *n;          /* the GROUP or REP whose sub-match ended */
    int64_t count, start;
    const struct infer__rx_cont *up;
} infer__rx_cont;

static infer__rx_node *infer__rx_new(infer__rx *r, int type) {
    infer__rx_node *n;
    if (r->n >= r->cap) { r->err = "pattern too long"; return NULL; }
    n = &r->nodes[r->n++];
    memset(n, 0, sizeof *n);
    n->type = type;
    return n;
}

static void infer__rx_set(unsigned char *set, int ch) { set[(ch & 255) >> 3] |= (unsigned char)(1u << (ch & 7)); }
static int infer__rx_has(const unsigned char *set, int ch) { return (set[(ch & 255) >> 3] >> (ch & 7)) & 1; }
static int infer__rx_word(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'; }

/* Adds the class of escape letter e (w d s W D S) or the literal it stands for; 0 if not a class. */
static int infer__rx_escape_class(unsigned char *set, int e) {
    int ch, neg = e == 'W' || e == 'D' || e == 'S', lo = e | 32;
    if (lo != 'w' && lo != 'd' && lo != 's') return 0;
    for (ch = 0; ch < 256; ch++) {
        int in = lo == 'w' ? infer__rx_word(ch) : lo == 'd' ? (ch >= '0' && ch <= '9') : infer__misc_isspace((char)ch);
        if (in != neg) infer__rx_set(set, ch);
    }
    return 1;
}

static int infer__rx_escape_char(int e) {
    switch (e) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    default: return e;
    }
}

static infer__rx_node *infer__rx_alt(infer__rx *r, int depth);

static infer__rx_node *infer__rx_atom(infer__rx *r, int depth) {
    infer__rx_node *n;
    char ch = *r->p;
    if (ch == '(') {
        r->p++;
        if (r->p[0] == '?' && r->p[1] == ':') r->p += 2;
        else if (r->p[0] == '?') { r->err = "unsupported group"; return NULL; }
        n = infer__rx_alt(r, depth + 1);
        if (!n) return NULL;
        if (*r->p != ')') { r->err = "missing )"; return NULL; }
        r->p++;
        return n;
    }
    if (ch == '^') { r->p++; return infer__rx_new(r, INFER__RX_BOL); }
    if (ch == '$') { r->p++; return infer__rx_new(r, INFER__RX_EOL); }
    n = infer__rx_new(r, INFER__RX_CLASS);
    if (!n) return NULL;
    if (ch == '.') {
        int k;
        for (k = 0; k < 256; k++) if (k != '\n') infer__rx_set(n->set, k);
        r->p++;
    } else if (ch == '\\') {
        int e = (unsigned char)r->p[1];
        if (!e) { r->err = "trailing \\"; return NULL; }
        r->p += 2;
        if (e == 'b') n->type = INFER__RX_WB;
        else if (e == 'B') n->type = INFER__RX_NWB;
        else if (!infer__rx_escape_class(n->set, e)) infer__rx_set(n->set, infer__rx_escape_char(e));
    } else if (ch == '[') {
        int neg = 0, first = 1, k;
        unsigned char tmp[32];
        r->p++;
        memset(tmp, 0, sizeof tmp);
        if (*r->p == '^') { neg = 1; r->p++; }
        while (*r->p && (*r->p != ']' || first)) {
            int a = (unsigned char)*r->p, b;
            first = 0;
            if (a == '\\') {
                int e = (unsigned char)r->p[1];
                if (!e) { r->err = "trailing \\"; return NULL; }
                r->p += 2;
                if (infer__rx_escape_class(tmp, e)) continue;
                a = infer__rx_escape_char(e);
            } else {
                r->p++;
            }
            b = a;
            if (r->p[0] == '-' && r->p[1] && r->p[1] != ']') {
                b = (unsigned char)r->p[1];
                r->p += 2;
                if (b == '\\') {
                    if (!*r->p) { r->err = "trailing \\"; return NULL; }
                    b = infer__rx_escape_char((unsigned char)*r->p);
                    r->p++;
                }
                if (b < a) { r->err = "bad range"; return NULL; }
            }
            for (k = a; k <= b; k++) infer__rx_set(tmp, k);
        }
        if (*r->p != ']') { r->err = "missing ]"; return NULL; }
        r->p++;
        for (k = 0; k < 32; k++) n->set[k] = (unsigned char)(neg ? ~tmp[k] : tmp[k]);
    } else {
        if (ch == '*' || ch == '+' || ch == '?' || ch == ')' || ch == '|') { r->err = "unexpected character"; return NULL; }
        infer__rx_set(n->set, (unsigned char)ch);
        r->p++;
    }
    return n;
}

static int infer__rx_num(infer__rx *r, int64_t *v) {
    int64_t x = 0;
    int d = 0;
    while (*r->p >= '0' && *r->p <= '9' && d < 6) { x = x * 10 + (*r->p - '0'); r->p++; d++; }
    *v = x;
    return d > 0 && !(*r->p >= '0' && *r->p <= '9');
}

/* A sequence up to | or ) or the end: returns its first node (NULL with r->err unset: empty). */
static infer__rx_node *infer__rx_seq(infer__rx *r, int depth) {
    infer__rx_node *head = NULL, *tail = NULL;
    while (*r->p && *r->p != '|' && *r->p != ')') {
        infer__rx_node *a = infer__rx_atom(r, depth), *q;
        if (!a) return NULL;
        for (;;) {
            int64_t mn, mx;
            char ch = *r->p;
            if (ch == '*') { mn = 0; mx = -1; r->p++; }
            else if (ch == '+') { mn = 1; mx = -1; r->p++; }
            else if (ch == '?') { mn = 0; mx = 1; r->p++; }
            else if (ch == '{' && r->p[1] >= '0' && r->p[1] <= '9') {
                r->p++;
                if (!infer__rx_num(r, &mn)) { r->err = "bad repeat"; return NULL; }
                mx = mn;
                if (*r->p == ',') {
                    r->p++;
                    if (*r->p == '}') mx = -1;
                    else if (!infer__rx_num(r, &mx) || mx < mn) { r->err = "bad repeat"; return NULL; }
                }
                if (*r->p != '}') { r->err = "bad repeat"; return NULL; }
                r->p++;
            } else {
                break;
            }
            q = infer__rx_new(r, INFER__RX_REP);
            if (!q) return NULL;
            q->child = a;
            q->min = mn;
            q->max = mx;
            q->greedy = 1;
            if (*r->p == '?') { q->greedy = 0; r->p++; }
            a = q;
        }
        if (tail) tail->next = a;
        else head = a;
        tail = a;
    }
    if (!head && !r->err) {
        /* empty sequence: an empty group stands for it */
        head = infer__rx_new(r, INFER__RX_GROUP);
    }
    return head;
}

static infer__rx_node *infer__rx_alt(infer__rx *r, int depth) {
    infer__rx_node *g, *first, *last = NULL;
    if (depth > 64) { r->err = "pattern nests too deeply"; return NULL; }
    g = infer__rx_new(r, INFER__RX_GROUP);
    if (!g) return NULL;
    for (;;) {
        first = infer__rx_seq(r, depth);
        if (!first) return NULL;
        if (last) last->alt = first;
        else g->child = first;
        last = first;
        if (*r->p != '|') break;
        r->p++;
    }
    return g;
}

static int infer__rx_match(infer__rx *r, const infer__rx_node *n, int64_t pos, const infer__rx_cont *k);

static int infer__rx_rep(infer__rx *r, const infer__rx_node *R, int64_t pos, int64_t cnt, const infer__rx_cont *up) {
    infer__rx_cont f;
    int can_more = R->max < 0 || cnt < R->max;
    f.n = R; f.count = cnt + 1; f.start = pos; f.up = up;
    if (R->greedy) {
        if (can_more && infer__rx_match(r, R->child, pos, &f)) return 1;
        return cnt >= R->min && infer__rx_match(r, R->next, pos, up);
    }
    if (cnt >= R->min && infer__rx_match(r, R->next, pos, up)) return 1;
    return can_more && infer__rx_match(r, R->child, pos, &f);
}

static int infer__rx_match(infer__rx *r, const infer__rx_node *n, int64_t pos, const infer__rx_cont *k) {
    int res = 0;
    if (r->fail) return 0;
    if (++r->steps > 2000000 || ++r->depth > 10000) { r->fail = 1; r->depth--; return 0; }
    for (;;) {
        if (!n) {
            const infer__rx_node *o;
            if (!k) { res = pos == r->len; break; }
            o = k->n;
            if (o->type == INFER__RX_GROUP) { n = o->next; k = k->up; continue; }
            /* end of one repetition: a zero-width one does not loop again */
            if (pos == k->start) {
                if (k->count >= o->min) { n = o->next; k = k->up; continue; }
                res = infer__rx_rep(r, o, pos, o->min, k->up);
                break;
            }
            res = infer__rx_rep(r, o, pos, k->count, k->up);
            break;
        }
        if (n->type == INFER__RX_CLASS) {
            if (pos >= r->len || !infer__rx_has(n->set, r->s[pos])) break;
            pos++;
            n = n->next;
        } else if (n->type == INFER__RX_BOL) {
            if (pos != 0) break;
            n = n->next;
        } else if (n->type == INFER__RX_EOL) {
            if (pos != r->len) break;
            n = n->next;
        } else if (n->type == INFER__RX_WB || n->type == INFER__RX_NWB) {
            int a = pos > 0 && infer__rx_word(r->s[pos - 1]), b = pos < r->len && infer__rx_word(r->s[pos]);
            if ((a != b) != (n->type == INFER__RX_WB)) break;
            n = n->next;
        } else if (n->type == INFER__RX_GROUP) {
            const infer__rx_node *a;
            infer__rx_cont f;
            if (!n->child) { n = n->next; continue; }
            f.n = n; f.count = 0; f.start = pos; f.up = k;
            for (a = n->child; a && !res; a = a->alt) res = infer__rx_match(r, a, pos, &f);
            break;
        } else {
            res = infer__rx_rep(r, n, pos, 0, k);
            break;
        }
    }
    r->depth--;
    return res;
}

static infer_status infer__k_regex_full_match(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *pat = infer__k_attr_s(c, "pattern", NULL);
    infer__rx r;
    infer__rx_node *root;
    size_t plen;
    int64_t n, i;
    uint8_t *y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be strings");
    if (!pat) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing attribute 'pattern'");
    plen = strlen(pat);
    if (plen > 65536) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "pattern too long");
    memset(&r, 0, sizeof r);
    r.cap = (int)(3 * plen + 8);
    r.nodes = (infer__rx_node *)infer__k_scratch(c, (size_t)r.cap * sizeof(infer__rx_node));
    if (!r.nodes) return INFER_STATUS_OUT_OF_MEMORY;
    r.p = pat;
    root = infer__rx_alt(&r, 0);
    if (root && *r.p) r.err = "unbalanced )";
    if (!root || r.err) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad pattern: %s", r.err ? r.err : "?");
    y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_BOOL, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        r.s = (const unsigned char *)infer__misc_str(X, i);
        r.len = (int64_t)strlen((const char *)r.s);
        r.steps = r.depth = 0;
        r.fail = 0;
        y[i] = (uint8_t)infer__rx_match(&r, root, 0, NULL);
        if (r.fail) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "regex match too costly on element %lld", (long long)i);
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml: LabelEncoder, TreeEnsemble, ArrayFeatureExtractor, Binarizer --------------- */
static const infer_tensor *infer__misc_attr_t(const infer__kctx *c, const char *name) {
    const infer__attr *a = infer__attr_find(c->node, name);
    return a && a->type == INFER__ATTR_TENSOR && a->n >= 1 && a->tensors ? &a->tensors[0] : NULL;
}

/* A list attribute (FLOATS / INTS / STRINGS) or a TENSOR one seen as a tensor view in *t. */
static int infer__misc_attr_list(const infer__kctx *c, const char *name, const char *tname, infer_tensor *t) {
    const infer__attr *a = infer__attr_find(c->node, name);
    const infer_tensor *at = tname ? infer__misc_attr_t(c, tname) : NULL;
    memset(t, 0, sizeof *t);
    t->rank = 1;
    if (at) { *t = *at; t->rank = 1; t->dims[0] = infer__numel(at); return 1; }
    if (!a) return 0;
    if (a->type == INFER__ATTR_FLOATS) { t->dtype = INFER_DTYPE_FLOAT; t->data = a->floats; }
    else if (a->type == INFER__ATTR_INTS) { t->dtype = INFER_DTYPE_INT64; t->data = a->ints; }
    else if (a->type == INFER__ATTR_STRINGS) { t->dtype = INFER_DTYPE_STRING; t->data = a->strings; }
    else return 0;
    t->dims[0] = a->n;
    return 1;
}

static int infer__misc_val_eq(const infer_tensor *a, int64_t i, const infer_tensor *b, int64_t j) {
    if (a->dtype == INFER_DTYPE_STRING || b->dtype == INFER_DTYPE_STRING) {
        if (a->dtype != b->dtype) return 0;
        return strcmp(infer__misc_str(a, i), infer__misc_str(b, j)) == 0;
    }
    if (infer__is_float(a->dtype) || infer__is_float(b->dtype)) {
        double x = infer__get_f64(a, i), y = infer__get_f64(b, j);
        return x == y || (x != x && y != y);
    }
    return infer__get_i64(a, i) == infer__get_i64(b, j);
}

static infer_status infer__k_label_encoder(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *dt = infer__misc_attr_t(c, "default_tensor");
    infer_tensor K, V, D, *Y;
    int64_t n, i, nk, j;
    int odt;
    float dflt_f;
    int64_t dflt_i;
    const char *dflt_s;
    INFER__MISC_NEED(c, 0);
    if (!infer__misc_attr_list(c, "keys_floats", NULL, &K) && !infer__misc_attr_list(c, "keys_int64s", NULL, &K) &&
        !infer__misc_attr_list(c, "keys_strings", "keys_tensor", &K))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no keys");
    if (!infer__misc_attr_list(c, "values_floats", NULL, &V) && !infer__misc_attr_list(c, "values_int64s", NULL, &V) &&
        !infer__misc_attr_list(c, "values_strings", "values_tensor", &V))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no values");
    nk = K.dims[0];
    if (V.dims[0] != nk) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "keys and values differ in length");
    if ((K.dtype == INFER_DTYPE_STRING) != (X->dtype == INFER_DTYPE_STRING))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input type does not match the keys");
    odt = V.dtype;
    dflt_f = infer__k_attr_f(c, "default_float", -0.0f);
    dflt_i = infer__k_attr_i(c, "default_int64", -1);
    dflt_s = infer__k_attr_s(c, "default_string", "_Unused");
    memset(&D, 0, sizeof D);
    D.rank = 1; D.dims[0] = 1; D.dtype = odt;
    if (dt) {
        if (dt->dtype != odt || infer__numel(dt) < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad default_tensor");
        D.data = dt->data;
    } else if (odt == INFER_DTYPE_STRING) {
        D.data = (void *)&dflt_s;
    } else if (odt == INFER_DTYPE_FLOAT) {
        D.data = &dflt_f;
    } else if (odt == INFER_DTYPE_INT64) {
        D.data = &dflt_i;
    } else {
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "values_tensor needs default_tensor");
    }
    if (!infer__k_output(c, 0, odt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        const infer_tensor *src = &D;
        int64_t si = 0;
        for (j = 0; j < nk; j++)
            if (infer__misc_val_eq(X, i, &K, j)) { src = &V; si = j; break; }
        if (odt == INFER_DTYPE_STRING) ((const char **)Y->data)[i] = infer__misc_str(src, si);
        else memcpy((char *)Y->data + (size_t)i * infer__dtype_size(odt), (const char *)src->data + (size_t)si * infer__dtype_size(odt), infer__dtype_size(odt));
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_binarizer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    double th = infer__k_attr_f(c, "threshold", 0.0f);
    int64_t n, i;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype == INFER_DTYPE_STRING || infer__ew_is_small(X->dtype) || !infer__dtype_size(X->dtype) ||
        X->dtype == INFER_DTYPE_BOOL || X->dtype == INFER_DTYPE_COMPLEX64 || X->dtype == INFER_DTYPE_COMPLEX128)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input type");
    if (!infer__k_output(c, 0, X->dtype, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    for (i = 0; i < n; i++) infer__set_f64(Y, i, infer__get_f64(X, i) > th ? 1 : 0);
    return INFER_STATUS_OK;
}

static infer_status infer__k_array_feature_extractor(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *I = INFER__IN(c, 1);
    int64_t dims[INFER_MAX_RANK], C, k, rows, r, j;
    size_t es;
    int rank, q;
    char *y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    es = infer__dtype_size(X->dtype);
    if (!es || (I->dtype != INFER_DTYPE_INT64 && I->dtype != INFER_DTYPE_INT32)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "bad types");
    if (X->rank < 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must have rank >= 1");
    C = X->dims[X->rank - 1];
    k = infer__numel(I);
    for (j = 0; j < k; j++) {
        int64_t v = infer__get_i64(I, j);
        if (v < 0 || v >= C) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "index %lld out of range [0, %lld)", (long long)v, (long long)C);
    }
    if (X->rank == 1) { rank = 2; dims[0] = 1; dims[1] = k; }
    else { rank = X->rank; for (q = 0; q < rank; q++) dims[q] = X->dims[q]; dims[rank - 1] = k; }
    y = (char *)infer__k_output(c, 0, X->dtype, rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    rows = C ? infer__numel(X) / C : 0;
    if (X->rank > 1 && C == 0) { rows = 1; for (q = 0; q < X->rank - 1; q++) rows *= X->dims[q]; }
    for (r = 0; r < rows; r++)
        for (j = 0; j < k; j++)
            memcpy(y + (size_t)(r * k + j) * es, (const char *)X->data + (size_t)(r * C + infer__get_i64(I, j)) * es, es);
    return INFER_STATUS_OK;
}

/* Inverse error function as ONNX Runtime computes it for PROBIT (Winitzki's approximation, a = 0.147). */
static double infer__misc_erfinv(double x) {
    double sgn = x < 0 ? -1.0 : 1.0, ln, v, v2;
    x = (1.0 - x) * (1.0 + x);
    if (x == 0) return 0;
    ln = log(x);
    v = 2.0 / (INFER__MISC_PI * 0.147) + 0.5 * ln;
    v2 = 1.0 / 0.147 * ln;
    return sgn * sqrt(-v + sqrt(v * v - v2));
}

/* post_transform of tree ensembles / linear models on one row of n scores. */
static void infer__misc_post(double *v, int64_t n, int pt) {
    int64_t i;
    if (pt == 1 || pt == 3) { /* SOFTMAX; SOFTMAX_ZERO keeps (near) zeros at zero */
        double mx = -HUGE_VAL, s = 0;
        for (i = 0; i < n; i++) if (v[i] > mx) mx = v[i];
        for (i = 0; i < n; i++) {
            if (pt == 3 && v[i] <= 1e-7 && v[i] >= -1e-7) v[i] *= exp(-mx);
            else v[i] = exp(v[i] - mx);
            s += v[i];
        }
        for (i = 0; i < n; i++) v[i] = s == 0 ? 0.5 : v[i] / s;
    } else if (pt == 2) {
        for (i = 0; i < n; i++) v[i] = 1.0 / (1.0 + exp(-v[i]));
    } else if (pt == 4) {
        for (i = 0; i < n; i++) v[i] = 1.4142135623730951 * infer__misc_erfinv(2.0 * v[i] - 1.0);
    }
}

static infer_status infer__k_tree_ensemble(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    infer_tensor SP, MV, LW;
    const int64_t *fid, *tid, *fidn, *tl, *fl, *ltid, *roots, *mtt = NULL;
    infer_tensor MD;
    int nn = infer__k_attr_ints(c, "nodes_featureids", &fid), nm = infer__misc_attr_list(c, "nodes_modes", "nodes_modes", &MD) ? (int)MD.dims[0] : -1;
    int nt = infer__k_attr_ints(c, "nodes_truenodeids", &tid), nf = infer__k_attr_ints(c, "nodes_falsenodeids", &fidn);
    int ntl = infer__k_attr_ints(c, "nodes_trueleafs", &tl), nfl = infer__k_attr_ints(c, "nodes_falseleafs", &fl);
    int nl = infer__k_attr_ints(c, "leaf_targetids", &ltid), nr = infer__k_attr_ints(c, "tree_roots", &roots);
    int nmt = infer__k_attr_ints(c, "nodes_missing_value_tracks_true", &mtt);
    int64_t ntg = infer__k_attr_i(c, "n_targets", 0), agg = infer__k_attr_i(c, "aggregate_function", 1);
    int pt = (int)infer__k_attr_i(c, "post_transform", 0);
    int64_t N, F, dims[2], *moff, *stack, r, i, row;
    int has_mv;
    double *acc;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype) || X->rank != 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a 2-D float tensor");
    if (!infer__misc_attr_list(c, "nodes_splits", "nodes_splits", &SP) || !infer__misc_attr_list(c, "leaf_weights", "leaf_weights", &LW))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing nodes_splits or leaf_weights");
    has_mv = infer__misc_attr_list(c, "membership_values", "membership_values", &MV);
    if (nn < 0 || nm != nn || nt != nn || nf != nn || ntl != nn || nfl != nn || SP.dims[0] != nn || nl < 0 ||
        LW.dims[0] != nl || nr < 0 || (nmt >= 0 && nmt != nn) || ntg < 1 || ntg > (1 << 24) || agg < 0 || agg > 3 || pt < 0 || pt > 4 ||
        !infer__is_float(SP.dtype) || !infer__is_float(LW.dtype) || (has_mv && !infer__is_float(MV.dtype)))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent tree attributes");
    if (nmt < 0) mtt = NULL;
    if (MD.dtype == INFER_DTYPE_STRING || MD.dtype == INFER_DTYPE_FLOAT16 || MD.dtype == INFER_DTYPE_BFLOAT16 || infer__ew_is_small(MD.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad nodes_modes");
    N = X->dims[0]; F = X->dims[1];
    for (i = 0; i < nn; i++) {
        if (fid[i] < 0 || fid[i] >= F || infer__get_i64(&MD, i) < 0 || infer__get_i64(&MD, i) > 6 || (infer__get_i64(&MD, i) == 6 && !has_mv) ||
            tid[i] < 0 || tid[i] >= (tl[i] ? nl : nn) || fidn[i] < 0 || fidn[i] >= (fl[i] ? nl : nn))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "node %lld is inconsistent", (long long)i);
    }
    for (i = 0; i < nl; i++)
        if (ltid[i] < 0 || ltid[i] >= ntg) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "leaf %lld has a bad target", (long long)i);
    for (i = 0; i < nr; i++)
        if (roots[i] < 0 || roots[i] >= (nn > nl ? nn : nl) || (roots[i] >= nn && roots[i] >= nl))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree root");
    dims[0] = N; dims[1] = ntg;
    if (!infer__k_output(c, 0, X->dtype, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    /* offsets of the member sets: nodes in depth-first order (true branch first), as the spec lists them */
    moff = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    stack = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    acc = (double *)infer__k_scratch(c, (size_t)ntg * sizeof(double));
    if (!moff || !stack || !acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < nn; i++) moff[i] = -1;
    if (has_mv) {
        int64_t pos = 0, sp = 0, nmv = MV.dims[0];
        for (r = 0; r < nr; r++) {
            int64_t root = roots[r];
            if (root >= nn || (tl[root] && fl[root] && tid[root] == fidn[root])) continue;
            stack[sp++] = root;
            while (sp > 0) {
                int64_t k = stack[--sp];
                if (moff[k] != -1) continue;
                moff[k] = -2;
                if (infer__get_i64(&MD, k) == 6) {
                    moff[k] = pos;
                    while (pos < nmv && infer__get_f64(&MV, pos) == infer__get_f64(&MV, pos)) pos++;
                    if (pos >= nmv) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "membership_values too short");
                    pos++;
                }
                if (sp + 2 > nn + 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree structure");
                if (!fl[k]) stack[sp++] = fidn[k];
                if (!tl[k]) stack[sp++] = tid[k];
            }
        }
    }
    for (row = 0; row < N; row++) {
        double init = agg == 2 ? DBL_MAX : agg == 3 ? -DBL_MAX : 0;
        int64_t t;
        if (X->dtype != INFER_DTYPE_DOUBLE) init = agg == 2 ? (double)FLT_MAX : agg == 3 ? -(double)FLT_MAX : 0;
        for (t = 0; t < ntg; t++) acc[t] = init;
        for (r = 0; r < nr; r++) {
            int64_t k = roots[r], steps = 0, leaf;
            int is_leaf = k < nn ? (tl[k] && fl[k] && tid[k] == fidn[k]) : 1;
            double w;
            while (!is_leaf) {
                double x = infer__get_f64(X, row * F + fid[k]), sv = infer__get_f64(&SP, k);
                int res, md = (int)infer__get_i64(&MD, k);
                if (++steps > nn) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "tree has a cycle");
                if (x != x && mtt && mtt[k]) res = 1;
                else if (md == 0) res = x <= sv;
                else if (md == 1) res = x < sv;
                else if (md == 2) res = x >= sv;
                else if (md == 3) res = x > sv;
                else if (md == 4) res = x == sv;
                else if (md == 5) res = x != sv;
                else {
                    int64_t q = moff[k];
                    res = 0;
                    if (q < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "member set not found");
                    for (; infer__get_f64(&MV, q) == infer__get_f64(&MV, q); q++)
                        if (infer__get_f64(&MV, q) == x) { res = 1; break; }
                }
                if (res) { is_leaf = (int)tl[k]; k = tid[k]; }
                else { is_leaf = (int)fl[k]; k = fidn[k]; }
            }
            leaf = k;
            if (leaf >= nl) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad leaf index");
            w = infer__get_f64(&LW, leaf);
            t = ltid[leaf];
            if (agg == 1) acc[t] += w;
            else if (agg == 0) acc[t] += w / (double)nr;
            else if (agg == 2) { if (w < acc[t]) acc[t] = w; }
            else if (w > acc[t]) acc[t] = w;
        }
        infer__misc_post(acc, ntg, pt);
        for (t = 0; t < ntg; t++) infer__set_f64(Y, row * ntg + t, acc[t]);
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier (the node-list form) ----------- */
/* Merge sort of (key, idx) pairs by key (stable); tmp has room for n pairs. */
static void infer__misc_sort_pairs(int64_t *key, int64_t *idx, int64_t *tk, int64_t *ti, int64_t n) {
    int64_t w, i;
    for (w = 1; w < n; w *= 2) {
        for (i = 0; i < n; i += 2 * w) {
            int64_t a = i, am = i + w < n ? i + w : n, b = am, bm = i + 2 * w < n ? i + 2 * w : n, o = i;
            while (a < am || b < bm) {
                if (b >= bm || (a < am && key[a] <= key[b])) { tk[o] = key[a]; ti[o++] = idx[a++]; }
                else { tk[o] = key[b]; ti[o++] = idx[b++]; }
            }
        }
        memcpy(key, tk, (size_t)n * sizeof(int64_t));
        memcpy(idx, ti, (size_t)n * sizeof(int64_t));
    }
}

static int64_t infer__misc_find_key(const int64_t *key, const int64_t *idx, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (key[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && key[lo] == k ? idx[lo] : -1;
}

typedef struct infer__misc_forest {
    int64_t nn, ntree, *feat, *tru, *fal, *root, *estart, *eidx;
    int *mode, *mtt;
    infer_tensor V;                    /* nodes_values */
} infer__misc_forest;

static int infer__misc_mode_code(const char *m) {
    static const char *names[7] = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ", "LEAF"};
    int k;
    for (k = 0; k < 7; k++)
        if (strcmp(m, names[k]) == 0) return k;
    return -1;
}

/* Builds the forest; entries (pfx "target" or "class"): their (treeid, nodeid) mapped to leaves. */
static infer_status infer__misc_forest_build(infer__kctx *c, infer__misc_forest *f, const char *pfx, int64_t *nent) {
    const int64_t *tid, *nid, *fid, *tt, *ft, *mt = NULL, *etid, *enid;
    const infer__attr *ma = infer__attr_find(c->node, "nodes_modes");
    char name[64];
    int nn = infer__k_attr_ints(c, "nodes_treeids", &tid), ne, ne2, nmt;
    int64_t *key, *idx, *tk, *ti, i, *cnt;
    if (infer__k_attr_ints(c, "nodes_nodeids", &nid) != nn || infer__k_attr_ints(c, "nodes_featureids", &fid) != nn ||
        infer__k_attr_ints(c, "nodes_truenodeids", &tt) != nn || infer__k_attr_ints(c, "nodes_falsenodeids", &ft) != nn ||
        nn < 1 || !ma || ma->type != INFER__ATTR_STRINGS || ma->n != nn ||
        !infer__misc_attr_list(c, "nodes_values", "nodes_values_as_tensor", &f->V) || f->V.dims[0] != nn || !infer__is_float(f->V.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent nodes_* attributes");
    nmt = infer__k_attr_ints(c, "nodes_missing_value_tracks_true", &mt);
    if (nmt >= 0 && nmt != nn) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad nodes_missing_value_tracks_true");
    snprintf(name, sizeof name, "%s_treeids", pfx);
    ne = infer__k_attr_ints(c, name, &etid);
    snprintf(name, sizeof name, "%s_nodeids", pfx);
    ne2 = infer__k_attr_ints(c, name, &enid);
    if (ne < 0 || ne2 != ne) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent %s_* attributes", pfx);
    f->nn = nn;
    key = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    idx = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    tk = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    ti = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->feat = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->tru = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->fal = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->root = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->estart = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    f->eidx = (int64_t *)infer__k_scratch(c, (size_t)(ne + 1) * sizeof(int64_t));
    cnt = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    f->mode = (int *)infer__k_scratch(c, (size_t)nn * sizeof(int));
    f->mtt = (int *)infer__k_scratch(c, (size_t)nn * sizeof(int));
    if (!key || !idx || !tk || !ti || !f->feat || !f->tru || !f->fal || !f->root || !f->estart || !f->eidx || !cnt || !f->mode || !f->mtt)
        return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < nn; i++) {
        if (tid[i] < 0 || tid[i] >= ((int64_t)1 << 31) || nid[i] < 0 || nid[i] >= ((int64_t)1 << 31) || fid[i] < 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree / node id");
        key[i] = tid[i] * ((int64_t)1 << 31) + nid[i];
        idx[i] = i;
        f->feat[i] = fid[i];
        f->mode[i] = infer__misc_mode_code(ma->strings[i]);
        f->mtt[i] = mt && nmt == nn ? mt[i] != 0 : 0;
        if (f->mode[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown node mode '%s'", ma->strings[i]);
    }
    infer__misc_sort_pairs(key, idx, tk, ti, nn);
    for (i = 1; i < nn; i++)
        if (key[i] == key[i - 1]) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "duplicate (tree, node) id");
    /* roots: the smallest node index of each tree, trees in increasing id */
    f->ntree = 0;
    for (i = 0; i < nn; i++) {
        int64_t t = key[i] / ((int64_t)1 << 31);
        if (i == 0 || t != key[i - 1] / ((int64_t)1 << 31)) f->root[f->ntree++] = idx[i];
        else if (idx[i] < f->root[f->ntree - 1]) f->root[f->ntree - 1] = idx[i];
    }
    for (i = 0; i < nn; i++) {
        if (f->mode[i] == 6) { f->tru[i] = f->fal[i] = -1; continue; }
        if (tt[i] < 0 || tt[i] >= ((int64_t)1 << 31) || ft[i] < 0 || ft[i] >= ((int64_t)1 << 31))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad child id");
        f->tru[i] = infer__misc_find_key(key, idx, nn, tid[i] * ((int64_t)1 << 31) + tt[i]);
        f->fal[i] = infer__misc_find_key(key, idx, nn, tid[i] * ((int64_t)1 << 31) + ft[i]);
        if (f->tru[i] < 0 || f->fal[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "child node not found");
    }
    /* entries grouped by leaf (counting sort) */
    for (i = 0; i <= nn; i++) cnt[i] = 0;
    for (i = 0; i < ne; i++) {
        int64_t li;
        if (etid[i] < 0 || etid[i] >= ((int64_t)1 << 31) || enid[i] < 0 || enid[i] >= ((int64_t)1 << 31))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad %s node id", pfx);
        li = infer__misc_find_key(key, idx, nn, etid[i] * ((int64_t)1 << 31) + enid[i]);
        if (li < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "%s entry %lld names no node", pfx, (long long)i);
        cnt[li + 1]++;
    }
    for (i = 0; i < nn; i++) cnt[i + 1] += cnt[i];
    for (i = 0; i <= nn; i++) f->estart[i] = cnt[i];
    for (i = 0; i < ne; i++) {
        int64_t li = infer__misc_find_key(key, idx, nn, etid[i] * ((int64_t)1 << 31) + enid[i]);
        f->eidx[cnt[li]++] = i;
    }
    *nent = ne;
    return INFER_STATUS_OK;
}

/* Leaf index reached by row x of tree t; -1 on a cycle. */
static int64_t infer__misc_forest_leaf(const infer__misc_forest *f, const infer_tensor *X, int64_t off, int64_t F, int64_t t) {
    int64_t k = f->root[t], steps = 0;
    while (f->mode[k] != 6) {
        double x, v;
        int r;
        if (++steps > f->nn || f->feat[k] >= F) return -1;
        x = infer__get_f64(X, off + f->feat[k]);
        v = infer__get_f64(&f->V, k);
        if (x != x) r = f->mtt[k];
        else switch (f->mode[k]) {
            case 0: r = x <= v; break;
            case 1: r = x < v; break;
            case 2: r = x >= v; break;
            case 3: r = x > v; break;
            case 4: r = x == v; break;
            default: r = x != v; break;
            }
        k = r ? f->tru[k] : f->fal[k];
    }
    return k;
}

static int infer__misc_post_code(const char *s) {
    if (strcmp(s, "NONE") == 0) return 0;
    if (strcmp(s, "SOFTMAX") == 0) return 1;
    if (strcmp(s, "LOGISTIC") == 0) return 2;
    if (strcmp(s, "SOFTMAX_ZERO") == 0) return 3;
    if (strcmp(s, "PROBIT") == 0) return 4;
    return -1;
}

static infer_status infer__k_tree_ensemble_regressor(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *aggs = infer__k_attr_s(c, "aggregate_function", "SUM");
    int pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE")), agg;
    int64_t ntg = infer__k_attr_i(c, "n_targets", 1), ne, N, F, dims[2], row, t, q, nbase;
    const int64_t *tids;
    infer_tensor W, BV;
    infer__misc_forest f;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (strcmp(aggs, "SUM") == 0) agg = 1;
    else if (strcmp(aggs, "AVERAGE") == 0) agg = 0;
    else if (strcmp(aggs, "MIN") == 0) agg = 2;
    else if (strcmp(aggs, "MAX") == 0) agg = 3;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown aggregate_function '%s'", aggs);
    if (pt < 0 || ntg < 1 || ntg > (1 << 24)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad post_transform or n_targets");
    if (X->dtype == INFER_DTYPE_STRING || !infer__dtype_size(X->dtype) || X->rank < 1 || X->rank > 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a numeric [N, F] tensor");
    st = infer__misc_forest_build(c, &f, "target", &ne);
    if (st) return st;
    if (infer__k_attr_ints(c, "target_ids", &tids) != ne || !infer__misc_attr_list(c, "target_weights", "target_weights_as_tensor", &W) ||
        W.dims[0] != ne || !infer__is_float(W.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent target_* attributes");
    for (q = 0; q < ne; q++) if (tids[q] < 0 || tids[q] >= ntg) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad target id");
    nbase = infer__misc_attr_list(c, "base_values", "base_values_as_tensor", &BV) ? BV.dims[0] : 0;
    if (nbase && (nbase != ntg || !infer__is_float(BV.dtype))) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad base_values");
    N = X->rank == 2 ? X->dims[0] : 1;
    F = X->dims[X->rank - 1];
    dims[0] = N; dims[1] = ntg;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)ntg * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (row = 0; row < N; row++) {
        for (t = 0; t < ntg; t++) acc[t] = agg == 2 ? (double)FLT_MAX : agg == 3 ? -(double)FLT_MAX : 0;
        for (t = 0; t < f.ntree; t++) {
            int64_t leaf = infer__misc_forest_leaf(&f, X, row * F, F, t), e;
            if (leaf < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree (cycle or feature index)");
            for (e = f.estart[leaf]; e < f.estart[leaf + 1]; e++) {
                int64_t it = f.eidx[e];
                double w = infer__get_f64(&W, it);
                int64_t tg = tids[it];
                if (agg <= 1) acc[tg] += w;
                else if (agg == 2) { if (w < acc[tg]) acc[tg] = w; }
                else if (w > acc[tg]) acc[tg] = w;
            }
        }
        for (t = 0; t < ntg; t++) {
            if (agg == 0) acc[t] /= (double)f.ntree;
            if (nbase) acc[t] += infer__get_f64(&BV, t);
        }
        infer__misc_post(acc, ntg, pt);
        for (t = 0; t < ntg; t++) ((float *)c->out[0]->data)[row * ntg + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_tree_ensemble_classifier(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE"));
    const int64_t *cids, *lint = NULL;
    const infer__attr *ls = infer__attr_find(c->node, "classlabels_strings");
    int nli = infer__k_attr_ints(c, "classlabels_int64s", &lint), binary, strl;
    int64_t ne, N, F, dims[2], row, t, q, nbase, ncls, width;
    infer_tensor W, BV;
    infer__misc_forest f;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (ls && ls->type != INFER__ATTR_STRINGS) ls = NULL;
    strl = ls != NULL;
    ncls = strl ? ls->n : nli;
    if (pt < 0 || ncls < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad post_transform or class labels");
    if (X->dtype == INFER_DTYPE_STRING || !infer__dtype_size(X->dtype) || X->rank < 1 || X->rank > 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a numeric [N, F] tensor");
    st = infer__misc_forest_build(c, &f, "class", &ne);
    if (st) return st;
    if (infer__k_attr_ints(c, "class_ids", &cids) != ne || !infer__misc_attr_list(c, "class_weights", "class_weights_as_tensor", &W) ||
        W.dims[0] != ne || !infer__is_float(W.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent class_* attributes");
    binary = ne > 0;
    for (q = 0; q < ne; q++) {
        if (cids[q] < 0 || cids[q] >= (ncls > 2 ? ncls : 2)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad class id");
        if (cids[q] != cids[0]) binary = 0;
    }
    width = binary && ncls == 1 ? 2 : ncls;
    if (binary && width < 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad class labels");
    nbase = infer__misc_attr_list(c, "base_values", "base_values_as_tensor", &BV) ? BV.dims[0] : 0;
    if (nbase && (nbase != ncls || !infer__is_float(BV.dtype))) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad base_values");
    N = X->rank == 2 ? X->dims[0] : 1;
    F = X->dims[X->rank - 1];
    dims[0] = N; dims[1] = width;
    if (!infer__k_output(c, 0, strl ? INFER_DTYPE_STRING : INFER_DTYPE_INT64, 1, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__misc_has_out(c, 1) && !infer__k_output(c, 1, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)(width + 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (row = 0; row < N; row++) {
        int64_t best = 0;
        for (t = 0; t < width; t++) acc[t] = 0;
        for (t = 0; t < nbase && t < ncls; t++) acc[t] = infer__get_f64(&BV, t);
        for (t = 0; t < f.ntree; t++) {
            int64_t leaf = infer__misc_forest_leaf(&f, X, row * F, F, t), e;
            if (leaf < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree (cycle or feature index)");
            for (e = f.estart[leaf]; e < f.estart[leaf + 1]; e++) acc[cids[f.eidx[e]]] += infer__get_f64(&W, f.eidx[e]);
        }
        if (binary) {
            acc[1] = acc[0];
            acc[0] = pt == 0 || pt == 4 ? 1 - acc[1] : -acc[1];
        }
        infer__misc_post(acc, width, pt);
        for (t = 1; t < width; t++) if (acc[t] > acc[best]) best = t;
        if (strl) ((const char **)c->out[0]->data)[row] = ls->strings[best < ncls ? best : 0];
        else ((int64_t *)c->out[0]->data)[row] = ncls == 1 ? (lint[0] == 1 && best == 1 ? 1 : 0) : lint[best];
        if (infer__misc_has_out(c, 1))
            for (t = 0; t < width; t++) ((float *)c->out[1]->data)[row * width + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml LinearRegressor / LinearClassifier / Scaler / Normalizer --------------------- */
static infer_status infer__misc_ml_x(infer__kctx *c, const infer_tensor *X, int64_t *N, int64_t *C) {
    if (X->dtype == INFER_DTYPE_STRING || X->dtype == INFER_DTYPE_BOOL || !infer__dtype_size(X->dtype) || infer__ew_is_small(X->dtype) ||
        X->rank < 1 || X->rank > 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a numeric [N, C] or [C] tensor");
    *N = X->rank == 2 ? X->dims[0] : 1;
    *C = X->dims[X->rank - 1];
    return INFER_STATUS_OK;
}

static infer_status infer__k_linear_regressor(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *cf, *ic = NULL;
    int ncf = infer__k_attr_floats(c, "coefficients", &cf), nic = infer__k_attr_floats(c, "intercepts", &ic);
    int pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE"));
    int64_t T = infer__k_attr_i(c, "targets", 1), N, C, dims[2], r, t, k;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    if (pt < 0 || T < 1 || ncf < 0 || (int64_t)ncf != T * C || (nic > 0 && nic != T))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "coefficients / intercepts / targets do not fit X");
    dims[0] = N; dims[1] = T;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)T * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++) {
        for (t = 0; t < T; t++) {
            double sacc = nic > 0 ? ic[t] : 0;
            for (k = 0; k < C; k++) sacc += infer__get_f64(X, r * C + k) * cf[t * C + k];
            acc[t] = sacc;
        }
        infer__misc_post(acc, T, pt);
        for (t = 0; t < T; t++) ((float *)c->out[0]->data)[r * T + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_linear_classifier(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *cf, *ic = NULL;
    const int64_t *li = NULL;
    const infer__attr *ls = infer__attr_find(c->node, "classlabels_strings");
    int ncf = infer__k_attr_floats(c, "coefficients", &cf), nic = infer__k_attr_floats(c, "intercepts", &ic);
    int nli = infer__k_attr_ints(c, "classlabels_ints", &li), pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE"));
    int64_t N, C, R, ncls, width, dims[2], r, t, k;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (ls && ls->type != INFER__ATTR_STRINGS) ls = NULL;
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    ncls = ls ? ls->n : nli > 0 ? nli : 0;
    if (pt < 0 || ncf < 0 || C < 1 || ncf % C || (R = ncf / C) < 1 || (nic > 0 && nic != R))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "coefficients / intercepts do not fit X");
    width = R == 1 && ncls == 2 ? 2 : R;
    if (width > 1 && ncls < width) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "too few class labels");
    dims[0] = N; dims[1] = width;
    if (!infer__k_output(c, 0, ls ? INFER_DTYPE_STRING : INFER_DTYPE_INT64, 1, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__misc_has_out(c, 1) && !infer__k_output(c, 1, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)(width + 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++) {
        int64_t best = 0;
        for (t = 0; t < R; t++) {
            double sacc = nic > 0 ? ic[t] : 0;
            for (k = 0; k < C; k++) sacc += infer__get_f64(X, r * C + k) * cf[t * C + k];
            acc[t] = sacc;
        }
        if (width == 2 && R == 1) { acc[1] = acc[0]; acc[0] = -acc[1]; }
        infer__misc_post(acc, width, pt);
        if (width > 1) {
            for (t = 1; t < width; t++) if (acc[t] > acc[best]) best = t;
            if (ls) ((const char **)c->out[0]->data)[r] = ls->strings[best];
            else ((int64_t *)c->out[0]->data)[r] = nli > 0 ? li[best] : best;
        } else {
            int pos = acc[0] >= (pt == 0 ? 0.0 : 0.5);
            if (ls) ((const char **)c->out[0]->data)[r] = pos && ls->n ? ls->strings[0] : "";
            else ((int64_t *)c->out[0]->data)[r] = pos ? (nli > 0 ? li[0] : 1) : 0;
        }
        if (infer__misc_has_out(c, 1))
            for (t = 0; t < width; t++) ((float *)c->out[1]->data)[r * width + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_scaler(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *of = NULL, *sc = NULL;
    int no = infer__k_attr_floats(c, "offset", &of), ns = infer__k_attr_floats(c, "scale", &sc);
    int64_t N, C, r, k;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    if ((no > 1 && no != C) || (ns > 1 && ns != C)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "offset / scale do not fit X");
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++)
        for (k = 0; k < C; k++) {
            double v = infer__get_f64(X, r * C + k) - (no > 0 ? of[no == 1 ? 0 : k] : 0);
            ((float *)c->out[0]->data)[r * C + k] = (float)(v * (ns > 0 ? sc[ns == 1 ? 0 : k] : 1));
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_normalizer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *nm = infer__k_attr_s(c, "norm", "MAX");
    int64_t N, C, r, k;
    int mode;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    if (strcmp(nm, "MAX") == 0) mode = 0;
    else if (strcmp(nm, "L1") == 0) mode = 1;
    else if (strcmp(nm, "L2") == 0) mode = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown norm '%s'", nm);
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++) {
        double d = mode == 0 ? -HUGE_VAL : 0;
        for (k = 0; k < C; k++) {
            double v = infer__get_f64(X, r * C + k);
            if (mode == 0) { if (v > d) d = v; }
            else if (mode == 1) d += fabs(v);
            else d += v * v;
        }
        if (mode == 2) d = sqrt(d);
        for (k = 0; k < C; k++) {
            double v = infer__get_f64(X, r * C + k);
            ((float *)c->out[0]->data)[r * C + k] = (float)(d != 0 ? v / d : v);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml Imputer / OneHotEncoder / CategoryMapper / FeatureVectorizer ----------------- */
static infer_status infer__k_imputer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *fv = NULL;
    const int64_t *iv = NULL;
    int nf = infer__k_attr_floats(c, "imputed_value_floats", &fv), ni = infer__k_attr_ints(c, "imputed_value_int64s", &iv);
    double rf = infer__k_attr_f(c, "replaced_value_float", 0.0f);
    int64_t ri = infer__k_attr_i(c, "replaced_value_int64", 0), N, C, r, k;
    int isf;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    isf = infer__is_float(X->dtype);
    if (isf ? (nf < 1 || (nf > 1 && nf != C)) : (ni < 1 || (ni > 1 && ni != C)))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "imputed values do not fit X");
    if (!infer__k_output(c, 0, X->dtype, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    memcpy(Y->data, X->data, infer__tensor_bytes(X));
    for (r = 0; r < N; r++)
        for (k = 0; k < C; k++) {
            int64_t e = r * C + k;
            if (isf) {
                double v = infer__get_f64(X, e);
                if (v == rf || (v != v && rf != rf)) infer__set_f64(Y, e, fv[nf == 1 ? 0 : k]);
            } else if (infer__get_i64(X, e) == ri) {
                infer__set_i64(Y, e, iv[ni == 1 ? 0 : k]);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_one_hot_encoder(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const int64_t *ci = NULL;
    const infer__attr *cs = infer__attr_find(c->node, "cats_strings");
    int nci = infer__k_attr_ints(c, "cats_int64s", &ci), str, q;
    int64_t zeros = infer__k_attr_i(c, "zeros", 1), ncat, n, i, j, dims[INFER_MAX_RANK];
    float *y;
    INFER__MISC_NEED(c, 0);
    if (cs && cs->type != INFER__ATTR_STRINGS) cs = NULL;
    str = X->dtype == INFER_DTYPE_STRING;
    if (str ? !cs : nci < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "categories of the input's type are missing");
    if (X->rank >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "rank too large");
    ncat = str ? cs->n : nci;
    for (q = 0; q < X->rank; q++) dims[q] = X->dims[q];
    dims[X->rank] = ncat;
    if (infer__count_checked(X->rank + 1, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = (float *)infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank + 1, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        int found = 0;
        for (j = 0; j < ncat; j++) {
            int hit = str ? strcmp(infer__misc_str(X, i), cs->strings[j]) == 0 : infer__get_i64(X, i) == ci[j];
            y[i * ncat + j] = hit ? 1.0f : 0.0f;
            found |= hit;
        }
        if (!found && !zeros) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "unknown category in element %lld", (long long)i);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_category_mapper(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const int64_t *ci = NULL;
    const infer__attr *cs = infer__attr_find(c->node, "cats_strings");
    int nci = infer__k_attr_ints(c, "cats_int64s", &ci);
    int64_t di = infer__k_attr_i(c, "default_int64", -1), n, i, j;
    const char *ds = infer__k_attr_s(c, "default_string", "_Unused");
    int str;
    INFER__MISC_NEED(c, 0);
    if (!cs || cs->type != INFER__ATTR_STRINGS || nci != cs->n) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "cats_int64s and cats_strings must have the same length");
    str = X->dtype == INFER_DTYPE_STRING;
    if (!str && X->dtype != INFER_DTYPE_INT64) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be string or int64");
    if (!infer__k_output(c, 0, str ? INFER_DTYPE_INT64 : INFER_DTYPE_STRING, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        if (str) {
            int64_t v = di;
            const char *x = infer__misc_str(X, i);
            for (j = 0; j < nci; j++) if (strcmp(x, cs->strings[j]) == 0) { v = ci[j]; break; }
            ((int64_t *)c->out[0]->data)[i] = v;
        } else {
            const char *v = ds;
            int64_t x = ((const int64_t *)X->data)[i];
            for (j = 0; j < nci; j++) if (x == ci[j]) { v = cs->strings[j]; break; }
            ((const char **)c->out[0]->data)[i] = v;
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_feature_vectorizer(infer__kctx *c) {
    const int64_t *idim = NULL;
    int nd = infer__k_attr_ints(c, "inputdimensions", &idim), k;
    int64_t N = -1, tot = 0, dims[2], r, off = 0;
    float *y;
    if (nd != c->n_in || nd < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inputdimensions must have one value per input");
    for (k = 0; k < nd; k++) {
        const infer_tensor *t = INFER__IN(c, k);
        int64_t n;
        if (!t || t->dtype == INFER_DTYPE_STRING || !infer__dtype_size(t->dtype) || t->rank < 1 || idim[k] < 0 || idim[k] > ((int64_t)1 << 30))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad input %d", k);
        n = t->rank == 1 ? 1 : t->dims[0];
        if (N >= 0 && n != N) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "inputs differ in batch size");
        N = n;
        tot += idim[k];
    }
    dims[0] = N; dims[1] = tot;
    y = (float *)infer__k_output(c, 0, INFER_DTYPE_FLOAT, 2, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    for (k = 0; k < nd; k++) {
        const infer_tensor *t = c->in[k];
        int64_t per = N ? infer__numel(t) / N : 0, j;
        for (r = 0; r < N; r++)
            for (j = 0; j < idim[k]; j++) y[r * tot + off + j] = j < per ? (float)infer__get_f64(t, r * per + j) : 0.0f;
        off += idim[k];
    }
    return INFER_STATUS_OK;
}

/* ---- ImageDecoder: BMP, PNM, uncompressed TIFF, PNG (own inflate) ---------------------------- */
typedef struct infer__img {
    const uint8_t *p;
    size_t n;
    int64_t w, h;
    int ch;              /* channels of the decoded buffer (1, 3 or 4) */
    uint8_t *pix;        /* decoded h*w*ch */
} infer__img;

static uint32_t infer__img_le(const uint8_t *p, int n) {
    uint32_t v = 0;
    int i;
    for (i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static uint32_t infer__img_be(const uint8_t *p, int n) {
    uint32_t v = 0;
    int i;
    for (i = 0; i < n; i++) v = (v << 8) | p[i];
    return v;
}

#define INFER__IMG_MAXDIM 65536
#define INFER__IMG_MAXPIX ((int64_t)1 << 26)

static int infer__img_dims_ok(int64_t w, int64_t h) {
    return w > 0 && h > 0 && w <= INFER__IMG_MAXDIM && h <= INFER__IMG_MAXDIM && w * h <= INFER__IMG_MAXPIX;
}

/* BMP: uncompressed 24 / 32 bit, or 8-bit paletted. pass 0: header only. */
static const char *infer__img_bmp(infer__img *im, int pass) {
    const uint8_t *p = im->p;
    uint32_t off, hs, bpp, comp, ncol;
    int32_t w, h;
    int64_t y, x, stride;
    if (im->n < 54) return "truncated BMP";
    off = infer__img_le(p + 10, 4);
    hs = infer__img_le(p + 14, 4);
    if (hs < 40) return "unsupported BMP header";
    w = (int32_t)infer__img_le(p + 18, 4);
    h = (int32_t)infer__img_le(p + 22, 4);
    bpp = infer__img_le(p + 28, 2);
    comp = infer__img_le(p + 30, 4);
    ncol = infer__img_le(p + 46, 4);
    if ((comp != 0 && !(comp == 3 && bpp == 32)) || (bpp != 24 && bpp != 32 && bpp != 8)) return "unsupported BMP format";
    im->w = w;
    im->h = h < 0 ? -(int64_t)h : h;
    im->ch = 3;
    if (!infer__img_dims_ok(im->w, im->h)) return "bad BMP size";
    stride = ((im->w * bpp + 31) / 32) * 4;
    if (off > im->n || (uint64_t)stride * (uint64_t)im->h > im->n - off) return "truncated BMP";
    if (bpp == 8) {
        if (ncol == 0) ncol = 256;
        if (ncol > 256 || 14 + hs + 4 * (uint64_t)ncol > im->n) return "bad BMP palette";
    }
    if (!pass) return NULL;
    for (y = 0; y < im->h; y++) {
        const uint8_t *row = p + off + (size_t)((h < 0 ? y : im->h - 1 - y) * stride);
        uint8_t *o = im->pix + (size_t)(y * im->w * 3);
        for (x = 0; x < im->w; x++) {
            const uint8_t *q;
            if (bpp == 8) {
                uint32_t idx = row[x];
                if (idx >= ncol) idx = 0;
                q = p + 14 + hs + 4 * idx;
            } else {
                q = row + x * (bpp / 8);
            }
            o[3 * x] = q[2]; o[3 * x + 1] = q[1]; o[3 * x + 2] = q[0];
        }
    }
    return NULL;
}

/* PNM: P5 / P6 binary, maxval <= 255. */
static const char *infer__img_pnm(infer__img *im, int pass) {
    const uint8_t *p = im->p;
    size_t i = 2;
    int64_t v[3];
    int k;
    for (k = 0; k < 3; k++) {
        int64_t x = 0;
        int d = 0;
        for (;;) {
            while (i < im->n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
            if (i < im->n && p[i] == '#') { while (i < im->n && p[i] != '\n') i++; continue; }
            break;
        }
        while (i < im->n && p[i] >= '0' && p[i] <= '9' && d < 9) { x = x * 10 + (p[i] - '0'); i++; d++; }
        if (!d) return "bad PNM header";
        v[k] = x;
    }
    i++; /* one whitespace byte */
    im->w = v[0]; im->h = v[1];
    im->ch = p[1] == '5' ? 1 : 3;
    if (!infer__img_dims_ok(im->w, im->h) || v[2] < 1 || v[2] > 255) return "unsupported PNM size or maxval";
    if (i > im->n || (uint64_t)(im->w * im->h * im->ch) > im->n - i) return "truncated PNM";
    if (!pass) return NULL;
    if (v[2] == 255) memcpy(im->pix, p + i, (size_t)(im->w * im->h * im->ch));
    else {
        int64_t q;
        for (q = 0; q < im->w * im->h * im->ch; q++) im->pix[q] = (uint8_t)((p[i + q] > v[2] ? v[2] : p[i + q]) * 255 / v[2]);
    }
    return NULL;
}

/* TIFF: uncompressed, 8-bit chunky RGB(A) or gray, strips. */
static const char *infer__img_tiff(infer__img *im, int pass) {
    const uint8_t *p = im->p;
    int be = p[0] == 'M', k;
    uint32_t ifd, nent, comp = 1, photo = 2, spp = 1, bps = 8, planar = 1, rps = 0xFFFFFFFFu;
    uint32_t so_cnt = 0, so_type = 0, so_off = 0, sb_cnt = 0, sb_type = 0, sb_off = 0;
    int64_t y, rowbytes;
    if (im->n < 8) return "truncated TIFF";
#define INFER__TIFF_U(o, n) (be ? infer__img_be(p + (o), (n)) : infer__img_le(p + (o), (n)))
    ifd = INFER__TIFF_U(4, 4);
    if ((uint64_t)ifd + 2 > im->n) return "bad TIFF";
    nent = INFER__TIFF_U(ifd, 2);
    if ((uint64_t)ifd + 2 + 12 * (uint64_t)nent > im->n) return "bad TIFF";
    im->w = im->h = 0;
    for (k = 0; k < (int)nent; k++) {
        size_t e = ifd + 2 + 12 * (size_t)k;
        uint32_t tag = INFER__TIFF_U(e, 2), typ = INFER__TIFF_U(e + 2, 2), cnt = INFER__TIFF_U(e + 4, 4);
        uint32_t val = typ == 3 ? INFER__TIFF_U(e + 8, 2) : INFER__TIFF_U(e + 8, 4);
        switch (tag) {
        case 256: im->w = val; break;
        case 257: im->h = val; break;
        case 258: bps = cnt == 1 ? val : (cnt * 2 <= 4 ? INFER__TIFF_U(e + 8, 2) : ((uint64_t)val + 2 <= im->n ? INFER__TIFF_U(val, 2) : 0)); break;
        case 259: comp = val; break;
        case 262: photo = val; break;
        case 273: so_cnt = cnt; so_type = typ; so_off = (uint32_t)e + 8; if ((typ == 3 ? 2u : 4u) * (uint64_t)cnt > 4) so_off = val; break;
        case 277: spp = val; break;
        case 278: rps = val; break;
        case 279: sb_cnt = cnt; sb_type = typ; sb_off = (uint32_t)e + 8; if ((typ == 3 ? 2u : 4u) * (uint64_t)cnt > 4) sb_off = val; break;
        case 284: planar = val; break;
        default: break;
        }
    }
    (void)sb_cnt; (void)sb_type; (void)sb_off;
    if (comp != 1 || bps != 8 || planar != 1 || (photo != 2 && photo != 1) || spp < 1 || spp > 4 || so_cnt == 0)
        return "unsupported TIFF (only uncompressed 8-bit chunky RGB / gray)";
    if (!infer__img_dims_ok(im->w, im->h)) return "bad TIFF size";
    if (rps == 0 || rps > im->h) rps = (uint32_t)im->h;
    if ((uint64_t)(im->h + rps - 1) / rps > so_cnt || (uint64_t)so_off + (uint64_t)so_cnt * (so_type == 3 ? 2 : 4) > im->n) return "bad TIFF strips";
    im->ch = photo == 2 ? 3 : 1;
    if (photo == 2 && spp < 3) return "bad TIFF samples";
    rowbytes = im->w * spp;
    for (y = 0; y < im->h; y++) {
        int64_t st = y / rps, x;
        uint64_t soff = so_type == 3 ? INFER__TIFF_U(so_off + 2 * (size_t)st, 2) : INFER__TIFF_U(so_off + 4 * (size_t)st, 4);
        uint64_t o = soff + (uint64_t)((y % rps) * rowbytes);
        if (o + (uint64_t)rowbytes > im->n) return "truncated TIFF";
        if (!pass) continue;
        for (x = 0; x < im->w; x++) {
            int q;
            for (q = 0; q < im->ch; q++) im->pix[(y * im->w + x) * im->ch + q] = p[o + (size_t)(x * spp + q)];
        }
    }
#undef INFER__TIFF_U
    return NULL;
}

/* Inflate (RFC 1951), bounded output. */
typedef struct infer__infl {
    const uint8_t *in;
    size_t n, pos;
    uint32_t bitbuf;
    int bitcnt;
    uint8_t *out;
    size_t olen, ocap;
    int err;
} infer__infl;

typedef struct infer__huff {
    int16_t count[16];
    int16_t sym[288];
} infer__huff;

static int infer__infl_bits(infer__infl *s, int need) {
    uint32_t v = s->bitbuf;
    while (s->bitcnt < need) {
        if (s->pos >= s->n) { s->err = 1; return 0; }
        v |= (uint32_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    s->bitbuf = v >> need;
    s->bitcnt -= need;
    return (int)(v & ((1u << need) - 1));
}

static int infer__infl_decode(infer__infl *s, const infer__huff *h) {
    int code = 0, first = 0, index = 0, len;
    for (len = 1; len < 16; len++) {
        int cnt;
        code |= infer__infl_bits(s, 1);
        if (s->err) return -1;
        cnt = h->count[len];
        if (code - cnt < first) return h->sym[index + (code - first)];
        index += cnt;
        first += cnt;
        first <<= 1;
        code <<= 1;
    }
    s->err = 1;
    return -1;
}

static int infer__infl_build(infer__huff *h, const int16_t *lens, int n) {
    int16_t offs[16];
    int len, sym, left = 1;
    for (len = 0; len < 16; len++) h->count[len] = 0;
    for (sym = 0; sym < n; sym++) h->count[lens[sym]]++;
    if (h->count[0] == n) return 0;
    for (len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0) return -1;
    }
    offs[1] = 0;
    for (len = 1; len < 15; len++) offs[len + 1] = (int16_t)(offs[len] + h->count[len]);
    for (sym = 0; sym < n; sym++)
        if (lens[sym]) h->sym[offs[lens[sym]]++] = (int16_t)sym;
    return left;
}

static int infer__infl_codes(infer__infl *s, const infer__huff *lc, const infer__huff *dc) {
    static const int16_t lbase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const int16_t lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    static const int16_t dbase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    static const int16_t dext[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    for (;;) {
        int sym = infer__infl_decode(s, lc);
        if (sym < 0) return -1;
        if (sym < 256) {
            if (s->olen >= s->ocap) return -1;
            s->out[s->olen++] = (uint8_t)sym;
        } else if (sym == 256) {
            return 0;
        } else {
            int len, dist;
            sym -= 257;
            if (sym >= 29) return -1;
            len = lbase[sym] + infer__infl_bits(s, lext[sym]);
            sym = infer__infl_decode(s, dc);
            if (sym < 0 || sym >= 30) return -1;
            dist = dbase[sym] + infer__infl_bits(s, dext[sym]);
            if (s->err || (size_t)dist > s->olen || s->olen + (size_t)len > s->ocap) return -1;
            while (len--) { s->out[s->olen] = s->out[s->olen - (size_t)dist]; s->olen++; }
        }
    }
}

static int infer__inflate(infer__infl *s) {
    infer__huff lc, dc;
    int16_t lens[320];
    int last, type, k;
    do {
        last = infer__infl_bits(s, 1);
        type = infer__infl_bits(s, 2);
        if (s->err) return -1;
        if (type == 0) {
            size_t len;
            s->bitbuf = 0; s->bitcnt = 0;
            if (s->pos + 4 > s->n) return -1;
            len = s->in[s->pos] | ((size_t)s->in[s->pos + 1] << 8);
            if ((s->in[s->pos + 2] ^ 0xFF) != (len & 0xFF) || (s->in[s->pos + 3] ^ 0xFF) != (len >> 8)) return -1;
            s->pos += 4;
            if (s->pos + len > s->n || s->olen + len > s->ocap) return -1;
            memcpy(s->out + s->olen, s->in + s->pos, len);
            s->pos += len; s->olen += len;
        } else if (type == 1) {
            for (k = 0; k < 144; k++) lens[k] = 8;
            for (; k < 256; k++) lens[k] = 9;
            for (; k < 280; k++) lens[k] = 7;
            for (; k < 288; k++) lens[k] = 8;
            infer__infl_build(&lc, lens, 288);
            for (k = 0; k < 30; k++) lens[k] = 5;
            infer__infl_build(&dc, lens, 30);
            if (infer__infl_codes(s, &lc, &dc)) return -1;
        } else if (type == 2) {
            static const uint8_t ord[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
            int nlen = infer__infl_bits(s, 5) + 257, ndist = infer__infl_bits(s, 5) + 1, ncode = infer__infl_bits(s, 4) + 4, idx;
            if (s->err || nlen > 286 || ndist > 30) return -1;
            for (k = 0; k < 19; k++) lens[k] = 0;
            for (k = 0; k < ncode; k++) lens[ord[k]] = (int16_t)infer__infl_bits(s, 3);
            if (s->err || infer__infl_build(&lc, lens, 19) != 0) return -1;
            for (idx = 0; idx < nlen + ndist;) {
                int sym = infer__infl_decode(s, &lc), rep, v = 0;
                if (sym < 0) return -1;
                if (sym < 16) { lens[idx++] = (int16_t)sym; continue; }
                if (sym == 16) { if (!idx) return -1; v = lens[idx - 1]; rep = 3 + infer__infl_bits(s, 2); }
                else if (sym == 17) rep = 3 + infer__infl_bits(s, 3);
                else rep = 11 + infer__infl_bits(s, 7);
                if (s->err || idx + rep > nlen + ndist) return -1;
                while (rep--) lens[idx++] = (int16_t)v;
            }
            if (lens[256] == 0) return -1;
            k = infer__infl_build(&lc, lens, nlen);
            if (k < 0 || (k > 0 && nlen - lc.count[0] != 1)) return -1;
            k = infer__infl_build(&dc, lens + nlen, ndist);
            if (k < 0 || (k > 0 && ndist - dc.count[0] != 1)) return -1;
            if (infer__infl_codes(s, &lc, &dc)) return -1;
        } else {
            return -1;
        }
    } while (!last);
    return 0;
}

static int infer__png_paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* PNG: 8-bit, not interlaced; gray, RGB, palette, gray+alpha, RGBA (alpha dropped). */
static const char *infer__img_png(infer__kctx *c, infer__img *im, int pass) {
    const uint8_t *p = im->p;
    size_t pos = 8, zlen = 0, plte = 0, nplte = 0;
    int depth, ctype, inter, spp, k;
    int64_t y, x, stride;
    uint8_t *z, *raw;
    infer__infl s;
    if (im->n < 33 || memcmp(p + 12, "IHDR", 4) != 0) return "bad PNG";
    im->w = infer__img_be(p + 16, 4);
    im->h = infer__img_be(p + 20, 4);
    depth = p[24]; ctype = p[25]; inter = p[28];
    if (!infer__img_dims_ok(im->w, im->h)) return "bad PNG size";
    if (depth != 8 || inter != 0 || (ctype != 0 && ctype != 2 && ctype != 3 && ctype != 4 && ctype != 6))
        return "unsupported PNG (only 8-bit, non-interlaced)";
    spp = ctype == 0 || ctype == 3 ? 1 : ctype == 4 ? 2 : ctype == 2 ? 3 : 4;
    im->ch = ctype == 0 || ctype == 4 ? 1 : 3;
    if (!pass) return NULL;
    /* gather the IDAT payload */
    while (pos + 12 <= im->n) {
        uint32_t len = infer__img_be(p + pos, 4);
        if ((uint64_t)len + 12 > im->n - pos) return "truncated PNG";
        if (memcmp(p + pos + 4, "IDAT", 4) == 0) zlen += len;
        if (memcmp(p + pos + 4, "PLTE", 4) == 0) { plte = pos + 8; nplte = len / 3; }
        if (memcmp(p + pos + 4, "IEND", 4) == 0) break;
        pos += 12 + (size_t)len;
    }
    if (ctype == 3 && !plte) return "PNG palette missing";
    z = (uint8_t *)infer__k_scratch(c, zlen + 1);
    stride = im->w * spp;
    raw = (uint8_t *)infer__k_scratch(c, (size_t)((stride + 1) * im->h));
    if (!z || !raw) return "out of memory";
    pos = 8; zlen = 0;
    while (pos + 12 <= im->n) {
        uint32_t len = infer__img_be(p + pos, 4);
        if (memcmp(p + pos + 4, "IDAT", 4) == 0) { memcpy(z + zlen, p + pos + 8, len); zlen += len; }
        if (memcmp(p + pos + 4, "IEND", 4) == 0) break;
        pos += 12 + (size_t)len;
    }
    if (zlen < 2 || (z[0] & 15) != 8 || ((z[0] << 8) | z[1]) % 31 != 0 || (z[1] & 32)) return "bad zlib stream";
    memset(&s, 0, sizeof s);
    s.in = z + 2; s.n = zlen - 2; s.out = raw; s.ocap = (size_t)((stride + 1) * im->h);
    if (infer__inflate(&s) || s.olen != s.ocap) return "corrupt PNG data";
    for (y = 0; y < im->h; y++) {
        uint8_t *row = raw + y * (stride + 1) + 1, *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
        int f = row[-1];
        for (x = 0; x < stride; x++) {
            int a = x >= spp ? row[x - spp] : 0, b = prev ? prev[x] : 0, cc = prev && x >= spp ? prev[x - spp] : 0, v;
            switch (f) {
            case 0: v = 0; break;
            case 1: v = a; break;
            case 2: v = b; break;
            case 3: v = (a + b) >> 1; break;
            case 4: v = infer__png_paeth(a, b, cc); break;
            default: return "bad PNG filter";
            }
            row[x] = (uint8_t)(row[x] + v);
        }
        for (x = 0; x < im->w; x++) {
            uint8_t *o = im->pix + (y * im->w + x) * im->ch;
            if (ctype == 3) {
                size_t idx = row[x] < nplte ? row[x] : 0;
                for (k = 0; k < 3; k++) o[k] = p[plte + 3 * idx + (size_t)k];
            } else {
                for (k = 0; k < im->ch; k++) o[k] = row[x * spp + k];
            }
        }
    }
    return NULL;
}

/* Baseline JPEG (SOF0/SOF1, Huffman, 8-bit) decoded as libjpeg does by default: the "islow" integer
   IDCT, fancy (triangle) upsampling of h2v1 / h2v2 chroma, fixed-point YCbCr -> RGB. */
typedef struct infer__jhuff {
    uint8_t bits[17];
    uint8_t vals[256];
    int present;
} infer__jhuff;

typedef struct infer__jpg {
    const uint8_t *p;
    size_t n, pos;
    uint32_t bitbuf;
    int bitcnt, marker_hit;
    uint16_t q[4][64];
    infer__jhuff dc[4], ac[4];
    int ncomp, hmax, vmax, restart;
    int cid[4], hs[4], vs[4], tq[4], td[4], ta[4], pred[4];
    int64_t bw[4], bh[4];       /* blocks per line / column of each component's buffer */
    int64_t dw[4], dh[4];       /* downsampled width / height */
    uint8_t *plane[4];
} infer__jpg;

static int infer__jpg_bit(infer__jpg *j) {
    if (j->bitcnt == 0) {
        uint8_t b = 0;
        if (!j->marker_hit && j->pos < j->n) {
            b = j->p[j->pos++];
            if (b == 0xFF) {
                uint8_t nx = j->pos < j->n ? j->p[j->pos] : 0;
                if (nx == 0) j->pos++;
                else { j->marker_hit = 1; j->pos--; b = 0; }
            }
        }
        j->bitbuf = b;
        j->bitcnt = 8;
    }
    j->bitcnt--;
    return (int)((j->bitbuf >> j->bitcnt) & 1);
}

static int infer__jpg_bits(infer__jpg *j, int n) {
    int v = 0;
    while (n--) v = (v << 1) | infer__jpg_bit(j);
    return v;
}

static int infer__jpg_huff(infer__jpg *j, const infer__jhuff *h) {
    int code = 0, first = 0, idx = 0, len;
    for (len = 1; len <= 16; len++) {
        code |= infer__jpg_bit(j);
        if (code - first < h->bits[len]) return h->vals[idx + code - first];
        idx += h->bits[len];
        first = (first + h->bits[len]) << 1;
        code <<= 1;
    }
    return -1;
}

static int infer__jpg_extend(int v, int t) { return t && v < (1 << (t - 1)) ? v - (1 << t) + 1 : v; }

static const uint8_t infer__jpg_zz[64] = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
                                          41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
                                          30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

static uint8_t infer__jpg_limit(int64_t v) {
    int idx = (int)(v & 1023);
    return (uint8_t)(idx < 128 ? idx + 128 : idx < 512 ? 255 : idx < 896 ? 0 : idx - 896);
}

#define INFER__JD(x, n) (((x) + ((int64_t)1 << ((n) - 1))) >> (n))
static void infer__jpg_idct(const int16_t *in, const uint16_t *q, uint8_t *out, int64_t stride) {
    int64_t ws[64], tmp0, tmp1, tmp2, tmp3, tmp10, tmp11, tmp12, tmp13, z1, z2, z3, z4, z5; /* 64-bit: corrupt data cannot overflow */
    int k;
    for (k = 0; k < 8; k++) {
        const int16_t *ip = in + k;
        const uint16_t *qp = q + k;
        int64_t *w = ws + k;
        if (!ip[8] && !ip[16] && !ip[24] && !ip[32] && !ip[40] && !ip[48] && !ip[56]) {
            int64_t dc = ((int64_t)ip[0] * qp[0]) * 4;
            w[0] = w[8] = w[16] = w[24] = w[32] = w[40] = w[48] = w[56] = dc;
            continue;
        }
        z2 = ip[16] * qp[16]; z3 = ip[48] * qp[48];
        z1 = (z2 + z3) * 4433;
        tmp2 = z1 + z3 * (-15137);
        tmp3 = z1 + z2 * 6270;
        z2 = ip[0] * qp[0]; z3 = ip[32] * qp[32];
        tmp0 = (z2 + z3) * 8192; tmp1 = (z2 - z3) * 8192;
        tmp10 = tmp0 + tmp3; tmp13 = tmp0 - tmp3; tmp11 = tmp1 + tmp2; tmp12 = tmp1 - tmp2;
        tmp0 = ip[56] * qp[56]; tmp1 = ip[40] * qp[40]; tmp2 = ip[24] * qp[24]; tmp3 = ip[8] * qp[8];
        z1 = tmp0 + tmp3; z2 = tmp1 + tmp2; z3 = tmp0 + tmp2; z4 = tmp1 + tmp3;
        z5 = (z3 + z4) * 9633;
        tmp0 *= 2446; tmp1 *= 16819; tmp2 *= 25172; tmp3 *= 12299;
        z1 *= -7373; z2 *= -20995; z3 *= -16069; z4 *= -3196;
        z3 += z5; z4 += z5;
        tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4;
        w[0] = INFER__JD(tmp10 + tmp3, 11); w[56] = INFER__JD(tmp10 - tmp3, 11);
        w[8] = INFER__JD(tmp11 + tmp2, 11); w[48] = INFER__JD(tmp11 - tmp2, 11);
        w[16] = INFER__JD(tmp12 + tmp1, 11); w[40] = INFER__JD(tmp12 - tmp1, 11);
        w[24] = INFER__JD(tmp13 + tmp0, 11); w[32] = INFER__JD(tmp13 - tmp0, 11);
    }
    for (k = 0; k < 8; k++) {
        const int64_t *w = ws + 8 * k;
        uint8_t *o = out + k * stride;
        z2 = w[2]; z3 = w[6];
        z1 = (z2 + z3) * 4433;
        tmp2 = z1 + z3 * (-15137);
        tmp3 = z1 + z2 * 6270;
        tmp0 = (w[0] + w[4]) * 8192; tmp1 = (w[0] - w[4]) * 8192;
        tmp10 = tmp0 + tmp3; tmp13 = tmp0 - tmp3; tmp11 = tmp1 + tmp2; tmp12 = tmp1 - tmp2;
        tmp0 = w[7]; tmp1 = w[5]; tmp2 = w[3]; tmp3 = w[1];
        z1 = tmp0 + tmp3; z2 = tmp1 + tmp2; z3 = tmp0 + tmp2; z4 = tmp1 + tmp3;
        z5 = (z3 + z4) * 9633;
        tmp0 *= 2446; tmp1 *= 16819; tmp2 *= 25172; tmp3 *= 12299;
        z1 *= -7373; z2 *= -20995; z3 *= -16069; z4 *= -3196;
        z3 += z5; z4 += z5;
        tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4;
        o[0] = infer__jpg_limit(INFER__JD(tmp10 + tmp3, 18)); o[7] = infer__jpg_limit(INFER__JD(tmp10 - tmp3, 18));
        o[1] = infer__jpg_limit(INFER__JD(tmp11 + tmp2, 18)); o[6] = infer__jpg_limit(INFER__JD(tmp11 - tmp2, 18));
        o[2] = infer__jpg_limit(INFER__JD(tmp12 + tmp1, 18)); o[5] = infer__jpg_limit(INFER__JD(tmp12 - tmp1, 18));
        o[3] = infer__jpg_limit(INFER__JD(tmp13 + tmp0, 18)); o[4] = infer__jpg_limit(INFER__JD(tmp13 - tmp0, 18));
    }
}
#undef INFER__JD

static int infer__jpg_block(infer__jpg *j, int ci, uint8_t *out, int64_t stride) {
    int16_t coef[64];
    int k, t;
    memset(coef, 0, sizeof coef);
    t = infer__jpg_huff(j, &j->dc[j->td[ci]]);
    if (t < 0 || t > 11) return -1;
    j->pred[ci] += infer__jpg_extend(infer__jpg_bits(j, t), t);
    if (j->pred[ci] > 32767 || j->pred[ci] < -32768) j->pred[ci] = (int16_t)(j->pred[ci] & 0xFFFF) ; /* corrupt data: wrap */
    coef[0] = (int16_t)j->pred[ci];
    for (k = 1; k < 64;) {
        int rs = infer__jpg_huff(j, &j->ac[j->ta[ci]]), r, sz;
        if (rs < 0) return -1;
        r = rs >> 4; sz = rs & 15;
        if (!sz) {
            if (r != 15) break;
            k += 16;
            continue;
        }
        k += r;
        if (k > 63 || sz > 10) return -1;
        coef[infer__jpg_zz[k++]] = (int16_t)infer__jpg_extend(infer__jpg_bits(j, sz), sz);
    }
    infer__jpg_idct(coef, j->q[j->tq[ci]], out, stride);
    return 0;
}

/* pass 0: headers up to SOS; pass 1: also the entropy-coded data into planes (allocated by caller). */
static const char *infer__img_jpeg(infer__kctx *c, infer__img *im, infer__jpg *j, int pass) {
    const uint8_t *p = im->p;
    size_t pos = 2;
    int k, sof = 0;
    memset(j, 0, sizeof *j);
    j->p = p; j->n = im->n;
    while (pos + 4 <= im->n) {
        int m;
        size_t len;
        if (p[pos] != 0xFF) return "bad JPEG marker";
        m = p[pos + 1];
        if (m == 0xFF) { pos++; continue; }
        len = infer__img_be(p + pos + 2, 2);
        if (len < 2 || pos + 2 + len > im->n) return "truncated JPEG";
        if (m == 0xDB) {
            size_t q = pos + 4;
            while (q < pos + 2 + len) {
                int pq = p[q] >> 4, tq = p[q] & 15;
                if (tq > 3 || pq > 1 || q + 1 + 64 * (size_t)(pq + 1) > pos + 2 + len) return "bad JPEG DQT";
                for (k = 0; k < 64; k++) j->q[tq][infer__jpg_zz[k]] = (uint16_t)(pq ? infer__img_be(p + q + 1 + 2 * k, 2) : p[q + 1 + k]);
                q += 1 + 64 * (size_t)(pq + 1);
            }
        } else if (m == 0xC4) {
            size_t q = pos + 4;
            while (q < pos + 2 + len) {
                int tc = p[q] >> 4, th = p[q] & 15, tot = 0;
                infer__jhuff *h;
                if (tc > 1 || th > 3 || q + 17 > pos + 2 + len) return "bad JPEG DHT";
                h = tc ? &j->ac[th] : &j->dc[th];
                for (k = 1; k <= 16; k++) { h->bits[k] = p[q + (size_t)k]; tot += h->bits[k]; }
                if (tot > 256 || q + 17 + (size_t)tot > pos + 2 + len) return "bad JPEG DHT";
                memcpy(h->vals, p + q + 17, (size_t)tot);
                h->present = 1;
                q += 17 + (size_t)tot;
            }
        } else if (m == 0xDD) {
            j->restart = (int)infer__img_be(p + pos + 4, 2);
        } else if (m == 0xC0 || m == 0xC1) {
            if (len < 8 || p[pos + 4] != 8) return "unsupported JPEG precision";
            im->h = infer__img_be(p + pos + 5, 2);
            im->w = infer__img_be(p + pos + 7, 2);
            j->ncomp = p[pos + 9];
            if ((j->ncomp != 1 && j->ncomp != 3) || len < 8 + 3 * (size_t)j->ncomp) return "unsupported JPEG components";
            if (!infer__img_dims_ok(im->w, im->h)) return "bad JPEG size";
            j->hmax = j->vmax = 1;
            for (k = 0; k < j->ncomp; k++) {
                const uint8_t *cp = p + pos + 10 + 3 * k;
                j->cid[k] = cp[0]; j->hs[k] = cp[1] >> 4; j->vs[k] = cp[1] & 15; j->tq[k] = cp[2] & 3;
                if (j->hs[k] < 1 || j->hs[k] > 2 || j->vs[k] < 1 || j->vs[k] > 2) return "unsupported JPEG sampling";
                if (j->hs[k] > j->hmax) j->hmax = j->hs[k];
                if (j->vs[k] > j->vmax) j->vmax = j->vs[k];
            }
            for (k = 0; k < j->ncomp; k++) {
                if (j->ncomp == 3 && k > 0 && (j->hs[k] != 1 || j->vs[k] != 1)) return "unsupported JPEG sampling";
                j->dw[k] = (im->w * j->hs[k] + j->hmax - 1) / j->hmax;
                j->dh[k] = (im->h * j->vs[k] + j->vmax - 1) / j->vmax;
                j->bw[k] = ((im->w + 8 * j->hmax - 1) / (8 * j->hmax)) * j->hs[k];
                j->bh[k] = ((im->h + 8 * j->vmax - 1) / (8 * j->vmax)) * j->vs[k];
            }
            if (j->ncomp == 1) { j->bw[0] = (im->w + 7) / 8; j->bh[0] = (im->h + 7) / 8; }
            im->ch = j->ncomp == 1 ? 1 : 3;
            sof = 1;
        } else if (m >= 0xC2 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            return "unsupported JPEG (progressive or arithmetic)";
        } else if (m == 0xDA) {
            int ns = p[pos + 4];
            int64_t mx, my, mcux, mcuy, nmcu = 0;
            if (!sof) return "JPEG scan before frame";
            if (!pass) return NULL;
            if (ns != j->ncomp || len < 6 + 2 * (size_t)ns) return "unsupported JPEG scan";
            for (k = 0; k < ns; k++) {
                int id = p[pos + 5 + 2 * k], q;
                for (q = 0; q < j->ncomp; q++)
                    if (j->cid[q] == id) break;
                if (q != k) return "unsupported JPEG component order";
                j->td[k] = p[pos + 6 + 2 * k] >> 4; j->ta[k] = p[pos + 6 + 2 * k] & 15;
                if (j->td[k] > 3 || j->ta[k] > 3 || !j->dc[j->td[k]].present || !j->ac[j->ta[k]].present) return "missing JPEG Huffman table";
            }
            for (k = 0; k < j->ncomp; k++) {
                j->plane[k] = (uint8_t *)infer__k_scratch(c, (size_t)(j->bw[k] * 8 * j->bh[k] * 8));
                if (!j->plane[k]) return "out of memory";
            }
            j->pos = pos + 2 + len;
            if (j->ncomp == 1) { mcux = j->bw[0]; mcuy = j->bh[0]; }
            else { mcux = j->bw[0] / j->hs[0]; mcuy = j->bh[0] / j->vs[0]; }
            for (my = 0; my < mcuy; my++)
                for (mx = 0; mx < mcux; mx++) {
                    if (j->restart && nmcu && nmcu % j->restart == 0) {
                        /* byte align, expect RSTn */
                        j->bitcnt = 0;
                        j->marker_hit = 0;
                        if (j->pos + 2 <= j->n && j->p[j->pos] == 0xFF && j->p[j->pos + 1] >= 0xD0 && j->p[j->pos + 1] <= 0xD7) j->pos += 2;
                        for (k = 0; k < j->ncomp; k++) j->pred[k] = 0;
                    }
                    nmcu++;
                    for (k = 0; k < j->ncomp; k++) {
                        int bx, by, hh = j->ncomp == 1 ? 1 : j->hs[k], vv = j->ncomp == 1 ? 1 : j->vs[k];
                        for (by = 0; by < vv; by++)
                            for (bx = 0; bx < hh; bx++) {
                                int64_t X0 = (mx * hh + bx) * 8, Y0 = (my * vv + by) * 8, st = j->bw[k] * 8;
                                if (infer__jpg_block(j, k, j->plane[k] + Y0 * st + X0, st)) return "corrupt JPEG data";
                            }
                    }
                }
            return NULL;
        }
        pos += 2 + len;
    }
    return "JPEG without image data";
}

/* Component k upsampled to full size, row y into out[w]. */
static void infer__jpg_uprow(const infer__jpg *j, int k, int64_t y, int64_t W, uint8_t *out, int *tmp) {
    const uint8_t *pl = j->plane[k];
    int64_t st = j->bw[k] * 8, dw = j->dw[k], dh = j->dh[k], x;
    int h2 = j->hs[k] < j->hmax, v2 = j->vs[k] < j->vmax;
    if (!h2 && !v2) { memcpy(out, pl + y * st, (size_t)W); return; }
    if (v2) {
        int64_t iy = y / 2, ny = (y & 1) ? (iy + 1 < dh ? iy + 1 : dh - 1) : (iy > 0 ? iy - 1 : 0);
        const uint8_t *r0 = pl + iy * st, *r1 = pl + ny * st;
        for (x = 0; x < dw; x++) tmp[x] = r0[x] * 3 + r1[x];
        if (!h2) { for (x = 0; x < W; x++) out[x] = (uint8_t)((tmp[x] * 4 + 8) >> 4); return; }
        if (dw == 1) { out[0] = (uint8_t)((tmp[0] * 4 + 8) >> 4); if (W > 1) out[1] = (uint8_t)((tmp[0] * 4 + 7) >> 4); return; }
        for (x = 0; x < dw; x++) {
            int th = tmp[x], lt = x > 0 ? tmp[x - 1] : th, nx = x + 1 < dw ? tmp[x + 1] : th, a, b;
            a = x == 0 ? (th * 4 + 8) >> 4 : (th * 3 + lt + 8) >> 4;
            b = x == dw - 1 ? (th * 4 + 7) >> 4 : (th * 3 + nx + 7) >> 4;
            if (2 * x < W) out[2 * x] = (uint8_t)a;
            if (2 * x + 1 < W) out[2 * x + 1] = (uint8_t)b;
        }
        return;
    }
    {
        const uint8_t *r = pl + y * st;
        if (dw == 1) { out[0] = r[0]; if (W > 1) out[1] = r[0]; return; }
        for (x = 0; x < dw; x++) {
            int v = r[x], a, b;
            a = x == 0 ? v : (v * 3 + r[x - 1] + 1) >> 2;
            b = x == dw - 1 ? v : (v * 3 + r[x + 1] + 2) >> 2;
            if (2 * x < W) out[2 * x] = (uint8_t)a;
            if (2 * x + 1 < W) out[2 * x + 1] = (uint8_t)b;
        }
    }
}

static const char *infer__img_jpeg_color(infer__kctx *c, infer__img *im, const infer__jpg *j) {
    int64_t y, x, W = im->w;
    uint8_t *rows;
    int *tmp;
    if (j->ncomp == 1) {
        for (y = 0; y < im->h; y++) memcpy(im->pix + y * W, j->plane[0] + y * j->bw[0] * 8, (size_t)W);
        return NULL;
    }
    rows = (uint8_t *)infer__k_scratch(c, (size_t)(3 * (W + 2)));
    tmp = (int *)infer__k_scratch(c, (size_t)(W + 2) * sizeof(int));
    if (!rows || !tmp) return "out of memory";
    for (y = 0; y < im->h; y++) {
        int k;
        for (k = 0; k < 3; k++) infer__jpg_uprow(j, k, y, W, rows + k * (W + 2), tmp);
        for (x = 0; x < W; x++) {
            int Y = rows[x], cb = rows[W + 2 + x] - 128, cr = rows[2 * (W + 2) + x] - 128, r, g, b;
            r = Y + (int)((91881 * cr + 32768) >> 16);
            g = Y + (int)(((-22554) * cb + 32768 + (-46802) * cr) >> 16);
            b = Y + (int)((116130 * cb + 32768) >> 16);
            im->pix[(y * W + x) * 3] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
            im->pix[(y * W + x) * 3 + 1] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
            im->pix[(y * W + x) * 3 + 2] = (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b);
        }
    }
    return NULL;
}

static infer_status infer__k_image_decoder(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *fmt = infer__k_attr_s(c, "pixel_format", "RGB"), *err = NULL;
    int pf, kind, pass;
    int64_t dims[3], i, npix;
    infer__img im;
    infer__jpg jp;
    uint8_t *y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_UINT8 || X->rank != 1) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be a 1-D uint8 tensor");
    if (strcmp(fmt, "RGB") == 0) pf = 0;
    else if (strcmp(fmt, "BGR") == 0) pf = 1;
    else if (strcmp(fmt, "Grayscale") == 0) pf = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown pixel_format '%s'", fmt);
    memset(&im, 0, sizeof im);
    im.p = (const uint8_t *)X->data;
    im.n = (size_t)X->dims[0];
    if (im.n >= 2 && im.p[0] == 'B' && im.p[1] == 'M') kind = 0;
    else if (im.n >= 2 && im.p[0] == 'P' && (im.p[1] == '5' || im.p[1] == '6')) kind = 1;
    else if (im.n >= 4 && ((im.p[0] == 'I' && im.p[1] == 'I' && im.p[2] == 42 && im.p[3] == 0) || (im.p[0] == 'M' && im.p[1] == 'M' && im.p[2] == 0 && im.p[3] == 42))) kind = 2;
    else if (im.n >= 8 && memcmp(im.p, "\x89PNG\r\n\x1a\n", 8) == 0) kind = 3;
    else if (im.n >= 4 && im.p[0] == 0xFF && im.p[1] == 0xD8) kind = 4;
    else return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "unsupported image format");
    for (pass = 0; pass < 2 && !err; pass++) {
        if (pass) {
            npix = im.w * im.h;
            im.pix = (uint8_t *)infer__k_scratch(c, (size_t)(npix * 4));
            if (!im.pix) return INFER_STATUS_OUT_OF_MEMORY;
        }
        switch (kind) {
        case 0: err = infer__img_bmp(&im, pass); break;
        case 1: err = infer__img_pnm(&im, pass); break;
        case 2: err = infer__img_tiff(&im, pass); break;
        case 3: err = infer__img_png(c, &im, pass); break;
        default:
            err = infer__img_jpeg(c, &im, &jp, pass);
            if (!err && pass) err = infer__img_jpeg_color(c, &im, &jp);
            break;
        }
    }
    if (err) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "%s", err);
    dims[0] = im.h; dims[1] = im.w; dims[2] = pf == 2 ? 1 : 3;
    y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_UINT8, 3, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    npix = im.w * im.h;
    for (i = 0; i < npix; i++) {
        const uint8_t *q = im.pix + i * im.ch;
        int r = q[0], g = im.ch == 1 ? q[0] : q[1], b = im.ch == 1 ? q[0] : q[2];
        if (pf == 2) y[i] = im.ch == 1 ? q[0] : (uint8_t)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        else if (pf == 0) { y[3 * i] = (uint8_t)r; y[3 * i + 1] = (uint8_t)g; y[3 * i + 2] = (uint8_t)b; }
        else { y[3 * i] = (uint8_t)b; y[3 * i + 1] = (uint8_t)g; y[3 * i + 2] = (uint8_t)r; }
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
    {"", "NonMaxSuppression", 1, 1000, infer__k_nms},
    {"", "RoiAlign", 1, 1000, infer__k_roialign},
    {"", "GridSample", 1, 1000, infer__k_grid_sample},
    {"", "AffineGrid", 1, 1000, infer__k_affine_grid},
    {"", "Col2Im", 1, 1000, infer__k_col2im},
    {"", "CenterCropPad", 1, 1000, infer__k_center_crop_pad},
    {"", "DFT", 1, 1000, infer__k_dft},
    {"", "STFT", 1, 1000, infer__k_stft},
    {"", "HannWindow", 1, 1000, infer__k_hann_window},
    {"", "HammingWindow", 1, 1000, infer__k_hamming_window},
    {"", "BlackmanWindow", 1, 1000, infer__k_blackman_window},
    {"", "MelWeightMatrix", 1, 1000, infer__k_mel_weight_matrix},
    {"", "StringNormalizer", 1, 1000, infer__k_string_normalizer},
    {"", "StringConcat", 1, 1000, infer__k_string_concat},
    {"", "StringSplit", 1, 1000, infer__k_string_split},
    {"", "TfIdfVectorizer", 1, 1000, infer__k_tfidf},
    {"", "RegexFullMatch", 1, 1000, infer__k_regex_full_match},
    {"", "RandomUniform", 1, 1000, infer__k_random_uniform},
    {"", "RandomNormal", 1, 1000, infer__k_random_normal},
    {"", "RandomUniformLike", 1, 1000, infer__k_random_uniform_like},
    {"", "RandomNormalLike", 1, 1000, infer__k_random_normal_like},
    {"", "Bernoulli", 1, 1000, infer__k_bernoulli},
    {"", "Multinomial", 1, 1000, infer__k_multinomial},
    {"", "ImageDecoder", 1, 1000, infer__k_image_decoder},
    {"ai.onnx.ml", "LabelEncoder", 1, 1000, infer__k_label_encoder},
    {"ai.onnx.ml", "Binarizer", 1, 1000, infer__k_binarizer},
    {"ai.onnx.ml", "ArrayFeatureExtractor", 1, 1000, infer__k_array_feature_extractor},
    {"ai.onnx.ml", "TreeEnsemble", 1, 1000, infer__k_tree_ensemble},
    {"ai.onnx.ml", "TreeEnsembleRegressor", 1, 1000, infer__k_tree_ensemble_regressor},
    {"ai.onnx.ml", "TreeEnsembleClassifier", 1, 1000, infer__k_tree_ensemble_classifier},
    {"ai.onnx.ml", "LinearRegressor", 1, 1000, infer__k_linear_regressor},
    {"ai.onnx.ml", "LinearClassifier", 1, 1000, infer__k_linear_classifier},
    {"ai.onnx.ml", "Scaler", 1, 1000, infer__k_scaler},
    {"ai.onnx.ml", "Normalizer", 1, 1000, infer__k_normalizer},
    {"ai.onnx.ml", "Imputer", 1, 1000, infer__k_imputer},
    {"ai.onnx.ml", "OneHotEncoder", 1, 1000, infer__k_one_hot_encoder},
    {"ai.onnx.ml", "CategoryMapper", 1, 1000, infer__k_category_mapper},
    {"ai.onnx.ml", "FeatureVectorizer", 1, 1000, infer__k_feature_vectorizer},
    {"ai.onnx.preview.training", "Adagrad", 1, 1000, infer__k_adagrad},
    {"ai.onnx.preview.training", "Adam", 1, 1000, infer__k_adam},
    {"ai.onnx.preview.training", "Momentum", 1, 1000, infer__k_momentum},
    {NULL, NULL, 0, 0, NULL}
};
