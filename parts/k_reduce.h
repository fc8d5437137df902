/* ============================================================================================== */
/* >>kernels-reduce: reductions, ArgMax/ArgMin, Softmax family, MatMul / Gemm / MatMulInteger,      */
/* Einsum, CumSum, TopK, Det, LayerNormalization, RMSNormalization                                 */
/* ============================================================================================== */

/* REQUEST (performance, not needed for correctness): MatMul / Gemm repack their constant weight
   operand (B) into 16-column panels on every run; a per-node buffer filled once at prepare time for
   initializer inputs would save that copy (about 10-20% of a ViT / transformer MatMul). Until then the
   kernels stay pure functions of their inputs. */

/* ---- shared helpers ---------------------------------------------------------------------------- */

/* Output i exists in the node (optional outputs may be omitted). */
static int infer__reduce_want(const infer__kctx *c, int i) {
    return i < c->n_out && c->node->out[i] >= 0;
}

static int infer__reduce_is_int(int dt) {
    switch (dt) {
    case INFER_DTYPE_INT8: case INFER_DTYPE_UINT8: case INFER_DTYPE_INT16: case INFER_DTYPE_UINT16:
    case INFER_DTYPE_INT32: case INFER_DTYPE_UINT32: case INFER_DTYPE_INT64: case INFER_DTYPE_UINT64:
    case INFER_DTYPE_BOOL:
        return 1;
    default: return 0;
    }
}

/* An integer element as an order-preserving int64 key (uint64 gets its sign bit flipped). */
static int64_t infer__reduce_ikey(const infer_tensor *t, int64_t i) {
    int64_t v = infer__get_i64(t, i);
    if (t->dtype == INFER_DTYPE_UINT64) v = (int64_t)((uint64_t)v ^ UINT64_C(0x8000000000000000));
    return v;
}
static int64_t infer__reduce_unkey(int dt, int64_t v) {
    return dt == INFER_DTYPE_UINT64 ? (int64_t)((uint64_t)v ^ UINT64_C(0x8000000000000000)) : v;
}

/* Smallest and largest key of an integer type. */
static void infer__reduce_irange(int dt, int64_t *lo, int64_t *hi) {
    switch (dt) {
    case INFER_DTYPE_BOOL: *lo = 0; *hi = 1; break;
    case INFER_DTYPE_INT8: *lo = INT8_MIN; *hi = INT8_MAX; break;
    case INFER_DTYPE_UINT8: *lo = 0; *hi = UINT8_MAX; break;
    case INFER_DTYPE_INT16: *lo = INT16_MIN; *hi = INT16_MAX; break;
    case INFER_DTYPE_UINT16: *lo = 0; *hi = UINT16_MAX; break;
    case INFER_DTYPE_INT32: *lo = INT32_MIN; *hi = INT32_MAX; break;
    case INFER_DTYPE_UINT32: *lo = 0; *hi = (int64_t)UINT32_MAX; break;
    default: *lo = INT64_MIN; *hi = INT64_MAX; break;
    }
}

/* Splits a shape at `axis` into outer (before), the axis, inner (after). */
static void infer__reduce_split(const infer_tensor *t, int axis, int64_t *O, int64_t *R, int64_t *I) {
    int i;
    *O = 1; *R = 1; *I = 1;
    for (i = 0; i < t->rank; i++) {
        if (i < axis) *O *= t->dims[i];
        else if (i == axis) *R = t->dims[i];
        else *I *= t->dims[i];
    }
}

static int64_t infer__reduce_prod(const int64_t *d, int from, int to) {
    int64_t p = 1;
    int i;
    for (i = from; i < to; i++) p *= d[i];
    return p;
}

#define INFER__REQ_INPUT(c, i)                                                                      \
    do {                                                                                            \
        if (!INFER__IN(c, i)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "input %d is missing", i); \
    } while (0)

/* ---- Reduce* --------------------------------------------------------------------------------- */
enum {
    INFER__RED_SUM, INFER__RED_MEAN, INFER__RED_MAX, INFER__RED_MIN, INFER__RED_PROD, INFER__RED_L1,
    INFER__RED_L2, INFER__RED_LOGSUM, INFER__RED_LOGSUMEXP, INFER__RED_SUMSQ
};

/* One output of a floating-point (or double-computed) reduction. */
static double infer__reduce_row_f(int op, const infer_tensor *x, int64_t base, const int64_t *roff, int64_t R) {
    const float *xf = x->dtype == INFER_DTYPE_FLOAT ? (const float *)x->data : NULL;
    double s = 0, m, v;
    int64_t r;
#define INFER__RED_LD(r)                                                                             \
    (xf ? (double)xf[base + (roff ? roff[r] : (r))] : infer__get_f64(x, base + (roff ? roff[r] : (r))))
    switch (op) {
    case INFER__RED_MAX:
        m = -HUGE_VAL;
        for (r = 0; r < R; r++) { v = INFER__RED_LD(r); if (v > m || v != v) m = v; }
        return m;
    case INFER__RED_MIN:
        m = HUGE_VAL;
        for (r = 0; r < R; r++) { v = INFER__RED_LD(r); if (v < m || v != v) m = v; }
        return m;
    case INFER__RED_PROD:
        s = 1;
        for (r = 0; r < R; r++) s *= INFER__RED_LD(r);
        return s;
    case INFER__RED_L1:
        for (r = 0; r < R; r++) s += fabs(INFER__RED_LD(r));
        return s;
    case INFER__RED_L2:
    case INFER__RED_SUMSQ:
        for (r = 0; r < R; r++) { v = INFER__RED_LD(r); s += v * v; }
        return op == INFER__RED_L2 ? sqrt(s) : s;
    case INFER__RED_LOGSUMEXP:
        m = -HUGE_VAL;
        for (r = 0; r < R; r++) { v = INFER__RED_LD(r); if (v > m || v != v) m = v; }
        if (m != m || m == HUGE_VAL || m == -HUGE_VAL) return m;
        for (r = 0; r < R; r++) s += exp(INFER__RED_LD(r) - m);
        return log(s) + m;
    default:
        for (r = 0; r < R; r++) s += INFER__RED_LD(r);
        if (op == INFER__RED_LOGSUM) return log(s);
        if (op == INFER__RED_MEAN) return s / (double)R;
        return s;
    }
#undef INFER__RED_LD
}

/* One output of an integer reduction (exact, wrapping like the fixed-width type). */
static int64_t infer__reduce_row_i(int op, const infer_tensor *x, int64_t base, const int64_t *roff, int64_t R,
                                   int64_t lo, int64_t hi) {
    uint64_t s = 0;
    int64_t m, v, r;
    int uns = x->dtype == INFER_DTYPE_UINT64;
#define INFER__RED_IX(r) (base + (roff ? roff[r] : (r)))
    switch (op) {
    case INFER__RED_MAX:
        m = lo;
        for (r = 0; r < R; r++) { v = infer__reduce_ikey(x, INFER__RED_IX(r)); if (v > m) m = v; }
        return infer__reduce_unkey(x->dtype, m);
    case INFER__RED_MIN:
        m = hi;
        for (r = 0; r < R; r++) { v = infer__reduce_ikey(x, INFER__RED_IX(r)); if (v < m) m = v; }
        return infer__reduce_unkey(x->dtype, m);
    case INFER__RED_PROD:
        s = 1;
        for (r = 0; r < R; r++) s *= (uint64_t)infer__get_i64(x, INFER__RED_IX(r));
        return (int64_t)s;
    case INFER__RED_L1:
        for (r = 0; r < R; r++) {
            v = infer__get_i64(x, INFER__RED_IX(r));
            s += (!uns && v < 0) ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        }
        return (int64_t)s;
    case INFER__RED_SUMSQ:
        for (r = 0; r < R; r++) { v = infer__get_i64(x, INFER__RED_IX(r)); s += (uint64_t)v * (uint64_t)v; }
        return (int64_t)s;
    default:
        for (r = 0; r < R; r++) s += (uint64_t)infer__get_i64(x, INFER__RED_IX(r));
        if (op == INFER__RED_MEAN) {
            if (R == 0) return 0;
            return uns ? (int64_t)(s / (uint64_t)R) : (int64_t)s / R;
        }
        return (int64_t)s;
    }
#undef INFER__RED_IX
}

static infer_status infer__reduce_run(infer__kctx *c, int op) {
    const infer_tensor *x = INFER__IN(c, 0);
    int64_t axes[INFER_MAX_RANK], odims[INFER_MAX_RANK] = {0}, kd[INFER_MAX_RANK], ks[INFER_MAX_RANK];
    int64_t rd[INFER_MAX_RANK], rs[INFER_MAX_RANK], st[INFER_MAX_RANK];
    int red[INFER_MAX_RANK];
    int nax = 0, i, orank = 0, nk = 0, nr = 0, contig = 1, seen_red = 0, isint, intpath, keepdims, noop, nt;
    int64_t O = 1, R = 1, s, o, lo = 0, hi = 0;
    int64_t *roff = NULL;
    infer_tensor *Y;

    INFER__REQ_INPUT(c, 0);
    isint = infer__reduce_is_int(x->dtype);
    if (!isint && !infer__is_float(x->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    keepdims = infer__k_attr_i(c, "keepdims", 1) != 0;
    noop = infer__k_attr_i(c, "noop_with_empty_axes", 0) != 0;
    if (c->node->opset >= (op == INFER__RED_SUM ? 13 : 18)) {
        const infer_tensor *a = INFER__IN(c, 1);
        if (a) {
            nax = infer__tensor_ints(a, axes, INFER_MAX_RANK);
            if (nax < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "too many axes");
        }
    } else {
        const int64_t *av;
        int n = infer__k_attr_ints(c, "axes", &av);
        if (n > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "too many axes");
        for (i = 0; i < n; i++) axes[i] = av[i];
        nax = n < 0 ? 0 : n;
    }
    if (nax == 0 && noop) return infer__k_output_alias(c, 0, 0, x->rank, x->dims);
    for (i = 0; i < x->rank; i++) red[i] = nax == 0;
    for (i = 0; i < nax; i++) {
        int a = infer__axis(axes[i], x->rank);
        if (a < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d",
                                        (long long)axes[i], x->rank);
        if (x->rank) red[a] = 1;
    }
    for (s = 1, i = x->rank - 1; i >= 0; i--) { st[i] = s; s *= x->dims[i]; }
    for (i = 0; i < x->rank; i++) {
        if (red[i]) {
            rd[nr] = x->dims[i]; rs[nr++] = st[i]; R *= x->dims[i];
            if (keepdims) odims[orank++] = 1;
            if (x->dims[i] > 1) seen_red = 1;
        } else {
            kd[nk] = x->dims[i]; ks[nk++] = st[i]; O *= x->dims[i];
            odims[orank++] = x->dims[i];
            if (x->dims[i] > 1 && seen_red) contig = 0;
        }
    }
    if (!infer__k_output(c, 0, x->dtype, orank, odims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    if (O == 0) return INFER_STATUS_OK;
    if (!contig && R > 0) {
        int64_t idx[INFER_MAX_RANK], off = 0, r;
        int j;
        roff = (int64_t *)infer__k_scratch(c, (size_t)R * sizeof(int64_t));
        if (!roff) return INFER_STATUS_OUT_OF_MEMORY;
        for (j = 0; j < nr; j++) idx[j] = 0;
        for (r = 0; r < R; r++) {
            roff[r] = off;
            for (j = nr - 1; j >= 0; j--) {
                off += rs[j];
                if (++idx[j] < rd[j]) break;
                off -= rs[j] * rd[j];
                idx[j] = 0;
            }
        }
    }
    intpath = isint && op != INFER__RED_L2 && op != INFER__RED_LOGSUM && op != INFER__RED_LOGSUMEXP;
    if (isint) infer__reduce_irange(x->dtype, &lo, &hi);
    if (x->dtype == INFER_DTYPE_UINT64) { lo = INT64_MIN; hi = INT64_MAX; }
    nt = INFER__THREADS(c, (double)O * (double)(R ? R : 1));
    (void)nt;
    INFER__OMP_FOR(nt)
    for (o = 0; o < O; o++) {
        int64_t base = 0, q = o;
        int j;
        if (contig) base = o * R;
        else
            for (j = nk - 1; j >= 0; j--) { base += (q % kd[j]) * ks[j]; q /= kd[j]; }
        if (intpath) infer__set_i64(Y, o, infer__reduce_row_i(op, x, base, roff, R, lo, hi));
        else if (Y->dtype == INFER_DTYPE_FLOAT) ((float *)Y->data)[o] = (float)infer__reduce_row_f(op, x, base, roff, R);
        else infer__set_f64(Y, o, infer__reduce_row_f(op, x, base, roff, R));
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_reduce_sum(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_SUM); }
static infer_status infer__k_reduce_mean(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_MEAN); }
static infer_status infer__k_reduce_max(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_MAX); }
static infer_status infer__k_reduce_min(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_MIN); }
static infer_status infer__k_reduce_prod(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_PROD); }
static infer_status infer__k_reduce_l1(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_L1); }
static infer_status infer__k_reduce_l2(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_L2); }
static infer_status infer__k_reduce_log_sum(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_LOGSUM); }
static infer_status infer__k_reduce_log_sum_exp(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_LOGSUMEXP); }
static infer_status infer__k_reduce_sum_square(infer__kctx *c) { return infer__reduce_run(c, INFER__RED_SUMSQ); }

/* ---- ArgMax / ArgMin ------------------------------------------------------------------------- */
static infer_status infer__arg_run(infer__kctx *c, int want_min) {
    const infer_tensor *x = INFER__IN(c, 0);
    int64_t odims[INFER_MAX_RANK] = {0}, O, R, I, q, *y;
    int ax, i, orank = 0, keepdims, last, isint, nt;

    INFER__REQ_INPUT(c, 0);
    isint = infer__reduce_is_int(x->dtype);
    if (!isint && !infer__is_float(x->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    ax = infer__axis(infer__k_attr_i(c, "axis", 0), x->rank);
    if (ax < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range for rank %d", x->rank);
    keepdims = infer__k_attr_i(c, "keepdims", 1) != 0;
    last = infer__k_attr_i(c, "select_last_index", 0) != 0;
    infer__reduce_split(x, ax, &O, &R, &I);
    if (x->rank == 0) R = 1;
    for (i = 0; i < x->rank; i++) {
        if (i != ax) odims[orank++] = x->dims[i];
        else if (keepdims) odims[orank++] = 1;
    }
    if (R == 0 && O * I > 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "reduction over an empty axis");
    y = (int64_t *)infer__k_output(c, 0, INFER_DTYPE_INT64, orank, odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    nt = INFER__THREADS(c, (double)O * (double)R * (double)I);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < O * I; q++) {
        int64_t base = (q / I) * R * I + q % I, r, best = 0;
        if (isint) {
            int64_t bv = infer__reduce_ikey(x, base), v;
            for (r = 1; r < R; r++) {
                v = infer__reduce_ikey(x, base + r * I);
                if (want_min ? (v < bv || (last && v == bv)) : (v > bv || (last && v == bv))) { bv = v; best = r; }
            }
        } else {
            double bv = infer__get_f64(x, base), v;
            for (r = 1; r < R && bv == bv; r++) {
                v = infer__get_f64(x, base + r * I);
                if (v != v || (want_min ? (v < bv || (last && v == bv)) : (v > bv || (last && v == bv)))) {
                    bv = v; best = r;
                }
            }
        }
        y[q] = best;
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_argmax(infer__kctx *c) { return infer__arg_run(c, 0); }
static infer_status infer__k_argmin(infer__kctx *c) { return infer__arg_run(c, 1); }

/* ---- Softmax / LogSoftmax / Hardmax ---------------------------------------------------------- */
enum { INFER__SM_SOFTMAX, INFER__SM_LOG, INFER__SM_HARD };

#if INFER__HAS_AVX2
/* exp(x) for 8 floats (Cephes-style polynomial, about 1 ulp; inputs clamped to [-87.3, 88.7]). */
static __m256 infer__exp256(__m256 x) {
    __m256 fx, y, z;
    __m256i e;
    x = _mm256_min_ps(_mm256_set1_ps(88.7f), _mm256_max_ps(_mm256_set1_ps(-87.3f), x)); /* NaN stays NaN */
    fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
    z = _mm256_mul_ps(x, x);
    y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_fmadd_ps(y, z, _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
    e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}

static float infer__hsum256(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

/* Contiguous softmax of n floats given their maximum m (log-softmax keeps the double path). */
static void infer__softmax_contig_avx2(const float *x, float *y, int64_t n, float m) {
    __m256 vm = _mm256_set1_ps(m), vs = _mm256_setzero_ps(), vi;
    int64_t r = 0;
    float sum, tail = 0;
    for (; r + 8 <= n; r += 8) {
        __m256 e = infer__exp256(_mm256_sub_ps(_mm256_loadu_ps(x + r), vm));
        _mm256_storeu_ps(y + r, e);
        vs = _mm256_add_ps(vs, e);
    }
    for (; r < n; r++) {
        y[r] = expf(x[r] - m);
        tail += y[r];
    }
    sum = infer__hsum256(vs) + tail;
    vi = _mm256_set1_ps(1.0f / sum);
    for (r = 0; r + 8 <= n; r += 8) _mm256_storeu_ps(y + r, _mm256_mul_ps(_mm256_loadu_ps(y + r), vi));
    for (; r < n; r++) y[r] *= 1.0f / sum;
}
#endif

static void infer__softmax_row_f32(int kind, const float *x, float *y, int64_t R, int64_t s) {
    int64_t r, best = 0;
    float m = x[0];
    double sum = 0;
    for (r = 1; r < R; r++)
        if (x[r * s] > m) { m = x[r * s]; best = r; }
    if (kind == INFER__SM_HARD) {
        for (r = 0; r < R; r++) y[r * s] = r == best ? 1.0f : 0.0f;
        return;
    }
#if INFER__HAS_AVX2
    if (kind == INFER__SM_SOFTMAX && s == 1 && m == m && m != HUGE_VALF && m != -HUGE_VALF) {
        infer__softmax_contig_avx2(x, y, R, m);
        return;
    }
#endif
    if (kind == INFER__SM_SOFTMAX) {
        float inv;
        for (r = 0; r < R; r++) { float e = expf(x[r * s] - m); y[r * s] = e; sum += e; }
        inv = (float)(1.0 / sum);
        for (r = 0; r < R; r++) y[r * s] *= inv;
    } else {
        float ls;
        for (r = 0; r < R; r++) sum += expf(x[r * s] - m);
        ls = (float)log(sum);
        for (r = 0; r < R; r++) y[r * s] = x[r * s] - m - ls;
    }
}

static void infer__softmax_row_any(int kind, const infer_tensor *x, infer_tensor *y, int64_t base, int64_t R, int64_t s) {
    int64_t r, best = 0;
    double m = infer__get_f64(x, base), sum = 0, v;
    for (r = 1; r < R; r++) {
        v = infer__get_f64(x, base + r * s);
        if (v > m) { m = v; best = r; }
    }
    if (kind == INFER__SM_HARD) {
        for (r = 0; r < R; r++) infer__set_f64(y, base + r * s, r == best ? 1.0 : 0.0);
    } else if (kind == INFER__SM_SOFTMAX && (x->dtype == INFER_DTYPE_FLOAT16 || x->dtype == INFER_DTYPE_BFLOAT16)) {
        /* rounded to the element type after every step, as the ONNX reference computes in that type
           (float16 sums accumulate in float32, bfloat16 sums round after each addition) */
        int bf = x->dtype == INFER_DTYPE_BFLOAT16;
        float fs = 0, e;
#define INFER__SM_RND(v) (bf ? infer__bf16_to_f32(infer__f32_to_bf16(v)) : infer__f16_to_f32(infer__f32_to_f16(v)))
        for (r = 0; r < R; r++) {
            e = INFER__SM_RND(expf(INFER__SM_RND((float)(infer__get_f64(x, base + r * s) - m))));
            fs = bf ? INFER__SM_RND(fs + e) : fs + e;
        }
        fs = INFER__SM_RND(fs);
        for (r = 0; r < R; r++) {
            e = INFER__SM_RND(expf(INFER__SM_RND((float)(infer__get_f64(x, base + r * s) - m))));
            infer__set_f64(y, base + r * s, e / fs);
        }
#undef INFER__SM_RND
    } else {
        for (r = 0; r < R; r++) sum += exp(infer__get_f64(x, base + r * s) - m);
        for (r = 0; r < R; r++) {
            v = infer__get_f64(x, base + r * s) - m;
            infer__set_f64(y, base + r * s, kind == INFER__SM_SOFTMAX ? exp(v) / sum : v - log(sum));
        }
    }
}

static infer_status infer__softmax_run(infer__kctx *c, int kind) {
    const infer_tensor *x = INFER__IN(c, 0);
    infer_tensor *Y;
    int64_t O, R, I, q;
    int ax, nt;

    INFER__REQ_INPUT(c, 0);
    if (!infer__is_float(x->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    if (c->node->opset < 13) {
        ax = infer__axis(infer__k_attr_i(c, "axis", 1), x->rank);
        if (ax < 0 && infer__k_attr_i(c, "axis", 1) == x->rank) ax = x->rank; /* flattening at r: rows of 1 */
        if (ax < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range for rank %d", x->rank);
        O = infer__reduce_prod(x->dims, 0, ax);
        R = infer__reduce_prod(x->dims, ax, x->rank);
        I = 1;
    } else {
        ax = infer__axis(infer__k_attr_i(c, "axis", -1), x->rank);
        if (ax < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range for rank %d", x->rank);
        infer__reduce_split(x, ax, &O, &R, &I);
        if (x->rank == 0) R = 1;
    }
    if (!infer__k_output(c, 0, x->dtype, x->rank, x->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    if (R == 0) return INFER_STATUS_OK;
    nt = INFER__THREADS(c, (double)O * (double)R * (double)I * 8);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < O * I; q++) {
        int64_t base = (q / I) * R * I + q % I;
        if (x->dtype == INFER_DTYPE_FLOAT)
            infer__softmax_row_f32(kind, (const float *)x->data + base, (float *)Y->data + base, R, I);
        else
            infer__softmax_row_any(kind, x, Y, base, R, I);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_softmax(infer__kctx *c) { return infer__softmax_run(c, INFER__SM_SOFTMAX); }
static infer_status infer__k_logsoftmax(infer__kctx *c) { return infer__softmax_run(c, INFER__SM_LOG); }
static infer_status infer__k_hardmax(infer__kctx *c) { return infer__softmax_run(c, INFER__SM_HARD); }

/* ---- float32 GEMM: C += alpha * op(A) * op(B), cache-blocked, packed, OpenMP over tiles -------- */
#define INFER__MM_MR 6
#define INFER__MM_NR 16
#define INFER__MM_KC 256
#define INFER__MM_MC 120
#define INFER__MM_NC 2048

typedef struct infer__mm_args {
    int64_t M, N, K;
    const float *A; int64_t lda; int ta;  /* A(i,k) = ta ? A[k*lda+i] : A[i*lda+k] */
    const float *B; int64_t ldb; int tb;  /* B(k,j) = tb ? B[j*ldb+k] : B[k*ldb+j] */
    float *C; int64_t ldc;
    float alpha;
    int nthreads;
} infer__mm_args;

/* Floats of scratch infer__mm_f32 needs (0 for a matrix-vector product). */
static size_t infer__mm_scratch_floats(int64_t M, int64_t N, int64_t K) {
    int64_t mc = M < INFER__MM_MC ? M : INFER__MM_MC, nc = N < INFER__MM_NC ? N : INFER__MM_NC;
    int64_t kc = K < INFER__MM_KC ? K : INFER__MM_KC;
    if (M <= 1 || N == 0 || K == 0) return 0;
    mc = (mc + INFER__MM_MR - 1) / INFER__MM_MR * INFER__MM_MR;
    nc = (nc + INFER__MM_NR - 1) / INFER__MM_NR * INFER__MM_NR;
    return (size_t)(mc * kc + kc * nc + 16);
}

#if INFER__HAS_AVX2
static void infer__mm_store2(float *r, __m256 va, __m256 c0, __m256 c1) {
    _mm256_storeu_ps(r, _mm256_fmadd_ps(va, c0, _mm256_loadu_ps(r)));
    _mm256_storeu_ps(r + 8, _mm256_fmadd_ps(va, c1, _mm256_loadu_ps(r + 8)));
}
#endif

/* 6x16 register tile: C[0:mr, 0:nr] += alpha * Ap(6 x kc panel) * Bp(kc x 16 panel). */
static void infer__mm_micro(int64_t kc, const float *ap, const float *bp, float *cp, int64_t ldc, int mr, int nr,
                            float alpha) {
    float t[INFER__MM_MR * INFER__MM_NR];
    int i, j;
    int64_t k;
#if INFER__HAS_AVX2
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, va = _mm256_set1_ps(alpha);
    for (k = 0; k < kc; k++) {
        __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8), a;
        a = _mm256_broadcast_ss(ap + 0); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(ap + 1); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(ap + 2); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(ap + 3); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(ap + 4); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(ap + 5); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
        ap += INFER__MM_MR;
        bp += INFER__MM_NR;
    }
    if (mr == INFER__MM_MR && nr == INFER__MM_NR) {
        infer__mm_store2(cp, va, c00, c01); infer__mm_store2(cp + ldc, va, c10, c11);
        infer__mm_store2(cp + 2 * ldc, va, c20, c21); infer__mm_store2(cp + 3 * ldc, va, c30, c31);
        infer__mm_store2(cp + 4 * ldc, va, c40, c41); infer__mm_store2(cp + 5 * ldc, va, c50, c51);
        return;
    }
    _mm256_storeu_ps(t, c00); _mm256_storeu_ps(t + 8, c01); _mm256_storeu_ps(t + 16, c10);
    _mm256_storeu_ps(t + 24, c11); _mm256_storeu_ps(t + 32, c20); _mm256_storeu_ps(t + 40, c21);
    _mm256_storeu_ps(t + 48, c30); _mm256_storeu_ps(t + 56, c31); _mm256_storeu_ps(t + 64, c40);
    _mm256_storeu_ps(t + 72, c41); _mm256_storeu_ps(t + 80, c50); _mm256_storeu_ps(t + 88, c51);
#else
    for (i = 0; i < INFER__MM_MR * INFER__MM_NR; i++) t[i] = 0;
    for (k = 0; k < kc; k++) {
        for (i = 0; i < INFER__MM_MR; i++) {
            float a = ap[i];
            for (j = 0; j < INFER__MM_NR; j++) t[i * INFER__MM_NR + j] += a * bp[j];
        }
        ap += INFER__MM_MR;
        bp += INFER__MM_NR;
    }
#endif
    for (i = 0; i < mr; i++)
        for (j = 0; j < nr; j++) cp[i * ldc + j] += alpha * t[i * INFER__MM_NR + j];
}

/* y[0:n] += a * x[0:n] */
static void infer__mm_axpy(float *y, const float *x, float a, int64_t n) {
    int64_t j = 0;
#if INFER__HAS_AVX2
    __m256 va = _mm256_set1_ps(a);
    for (; j + 16 <= n; j += 16) {
        _mm256_storeu_ps(y + j, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
        _mm256_storeu_ps(y + j + 8, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + j + 8), _mm256_loadu_ps(y + j + 8)));
    }
#endif
    for (; j < n; j++) y[j] += a * x[j];
}

/* y[0:n] += a0*x0 + a1*x1 + a2*x2 + a3*x3 (rows d apart) */
static void infer__mm_axpy4(float *y, const float *x, int64_t d, const float *a, int64_t n) {
    int64_t j = 0;
#if INFER__HAS_AVX2
    __m256 a0 = _mm256_set1_ps(a[0]), a1 = _mm256_set1_ps(a[1]), a2 = _mm256_set1_ps(a[2]), a3 = _mm256_set1_ps(a[3]);
    for (; j + 8 <= n; j += 8) {
        __m256 s = _mm256_loadu_ps(y + j);
        s = _mm256_fmadd_ps(a0, _mm256_loadu_ps(x + j), s);
        s = _mm256_fmadd_ps(a1, _mm256_loadu_ps(x + d + j), s);
        s = _mm256_fmadd_ps(a2, _mm256_loadu_ps(x + 2 * d + j), s);
        s = _mm256_fmadd_ps(a3, _mm256_loadu_ps(x + 3 * d + j), s);
        _mm256_storeu_ps(y + j, s);
    }
#endif
    for (; j < n; j++) y[j] += a[0] * x[j] + a[1] * x[d + j] + a[2] * x[2 * d + j] + a[3] * x[3 * d + j];
}

static float infer__mm_dot(const float *a, const float *b, int64_t n) {
    int64_t j = 0;
    float s = 0;
#if INFER__HAS_AVX2
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    __m128 h;
    for (; j + 16 <= n; j += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8), s1);
    }
    s0 = _mm256_add_ps(s0, s1);
    h = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    s = _mm_cvtss_f32(h);
#endif
    for (; j < n; j++) s += a[j] * b[j];
    return s;
}

/* Matrix-vector product (M == 1): reads B once, threads over columns. */
static void infer__mm_gemv(const infer__mm_args *g) {
    int64_t N = g->N, K = g->K, q, nch;
    int nt = (double)N * (double)K < 65536.0 ? 1 : g->nthreads;
    const float *a = g->A;
    int64_t as = g->ta ? g->lda : 1;
    if (g->tb) {
        (void)nt;
        INFER__OMP_FOR(nt)
        for (q = 0; q < N; q++) {
            const float *b = g->B + q * g->ldb;
            float s;
            if (as == 1) s = infer__mm_dot(a, b, K);
            else {
                int64_t k;
                s = 0;
                for (k = 0; k < K; k++) s += a[k * as] * b[k];
            }
            g->C[q] += g->alpha * s;
        }
        return;
    }
    nch = (N + 255) / 256;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < nch; q++) {
        int64_t j0 = q * 256, n = N - j0 < 256 ? N - j0 : 256, k = 0;
        float *y = g->C + j0, av[4];
        for (; k + 4 <= K; k += 4) {
            av[0] = g->alpha * a[k * as]; av[1] = g->alpha * a[(k + 1) * as];
            av[2] = g->alpha * a[(k + 2) * as]; av[3] = g->alpha * a[(k + 3) * as];
            infer__mm_axpy4(y, g->B + k * g->ldb + j0, g->ldb, av, n);
        }
        for (; k < K; k++) infer__mm_axpy(y, g->B + k * g->ldb + j0, g->alpha * a[k * as], n);
    }
}

static void infer__mm_pack_b(const infer__mm_args *g, float *bp, int64_t pc, int64_t kc, int64_t jc, int64_t nc, int nt) {
    int64_t q, k, npan = (nc + INFER__MM_NR - 1) / INFER__MM_NR, nfull = nc / INFER__MM_NR;
    (void)nt;
    if (!g->tb) { /* row by row: contiguous reads, one 16-float store per panel */
        INFER__OMP_FOR(nt)
        for (k = 0; k < kc; k++) {
            const float *src = g->B + (pc + k) * g->ldb + jc;
            float *d = bp + k * INFER__MM_NR;
            int64_t p, j;
            for (p = 0; p < nfull; p++) memcpy(d + p * kc * INFER__MM_NR, src + p * INFER__MM_NR, INFER__MM_NR * sizeof(float));
            if (nfull < npan) {
                float *dd = d + nfull * kc * INFER__MM_NR;
                for (j = 0; j < nc - nfull * INFER__MM_NR; j++) dd[j] = src[nfull * INFER__MM_NR + j];
                for (; j < INFER__MM_NR; j++) dd[j] = 0;
            }
        }
        return;
    }
    INFER__OMP_FOR(nt)
    for (q = 0; q < npan; q++) {
        float *d = bp + q * kc * INFER__MM_NR;
        int64_t j0 = jc + q * INFER__MM_NR, nr = jc + nc - j0 < INFER__MM_NR ? jc + nc - j0 : INFER__MM_NR, kk, j;
        const float *src = g->B + j0 * g->ldb + pc;
        for (kk = 0; kk < kc; kk++, d += INFER__MM_NR) {
            for (j = 0; j < nr; j++) d[j] = src[j * g->ldb + kk];
            for (; j < INFER__MM_NR; j++) d[j] = 0;
        }
    }
}

static void infer__mm_pack_a(const infer__mm_args *g, float *ap, int64_t ic, int64_t mc, int64_t pc, int64_t kc) {
    int64_t p, mpan = (mc + INFER__MM_MR - 1) / INFER__MM_MR, k, i;
    for (p = 0; p < mpan; p++) {
        float *d = ap + p * kc * INFER__MM_MR;
        int64_t i0 = ic + p * INFER__MM_MR, mr = ic + mc - i0 < INFER__MM_MR ? ic + mc - i0 : INFER__MM_MR;
        if (g->ta) {
            for (k = 0; k < kc; k++) {
                const float *s = g->A + (pc + k) * g->lda + i0;
                for (i = 0; i < mr; i++) d[k * INFER__MM_MR + i] = s[i];
                for (; i < INFER__MM_MR; i++) d[k * INFER__MM_MR + i] = 0;
            }
        } else if (mr == INFER__MM_MR) {
            const float *s0 = g->A + i0 * g->lda + pc, *s1 = s0 + g->lda, *s2 = s1 + g->lda;
            const float *s3 = s2 + g->lda, *s4 = s3 + g->lda, *s5 = s4 + g->lda;
            for (k = 0; k < kc; k++, d += INFER__MM_MR) {
                d[0] = s0[k]; d[1] = s1[k]; d[2] = s2[k]; d[3] = s3[k]; d[4] = s4[k]; d[5] = s5[k];
            }
        } else {
            for (k = 0; k < kc; k++)
                for (i = 0; i < INFER__MM_MR; i++) d[k * INFER__MM_MR + i] = i < mr ? g->A[(i0 + i) * g->lda + pc + k] : 0;
        }
    }
}

/* C += alpha * op(A) op(B); scratch holds infer__mm_scratch_floats(M, N, K) floats. */
static void infer__mm_f32(const infer__mm_args *g, float *scratch) {
    int64_t M = g->M, N = g->N, K = g->K, jc, pc, ic;
    float *ap, *bp;
    if (M == 0 || N == 0 || K == 0) return;
    if (M == 1) { infer__mm_gemv(g); return; }
    ap = scratch;
    bp = scratch + ((M < INFER__MM_MC ? M : INFER__MM_MC) + INFER__MM_MR - 1) / INFER__MM_MR * INFER__MM_MR *
                       (K < INFER__MM_KC ? K : INFER__MM_KC);
    for (jc = 0; jc < N; jc += INFER__MM_NC) {
        int64_t nc = N - jc < INFER__MM_NC ? N - jc : INFER__MM_NC, npan = (nc + INFER__MM_NR - 1) / INFER__MM_NR;
        for (pc = 0; pc < K; pc += INFER__MM_KC) {
            int64_t kc = K - pc < INFER__MM_KC ? K - pc : INFER__MM_KC;
            infer__mm_pack_b(g, bp, pc, kc, jc, nc, (double)kc * (double)nc < 65536.0 ? 1 : g->nthreads);
            for (ic = 0; ic < M; ic += INFER__MM_MC) {
                int64_t mc = M - ic < INFER__MM_MC ? M - ic : INFER__MM_MC, mpan = (mc + INFER__MM_MR - 1) / INFER__MM_MR;
                int64_t t, ntiles = mpan * npan;
                int nt = (double)mc * (double)nc * (double)kc < 65536.0 ? 1 : g->nthreads;
                infer__mm_pack_a(g, ap, ic, mc, pc, kc);
                (void)nt;
                INFER__OMP_FOR(nt)
                for (t = 0; t < ntiles; t++) {
                    int64_t q = t / mpan, p = t % mpan, i0 = p * INFER__MM_MR, j0 = q * INFER__MM_NR;
                    int mr = (int)(mc - i0 < INFER__MM_MR ? mc - i0 : INFER__MM_MR);
                    int nr = (int)(nc - j0 < INFER__MM_NR ? nc - j0 : INFER__MM_NR);
                    infer__mm_micro(kc, ap + p * kc * INFER__MM_MR, bp + q * kc * INFER__MM_NR,
                                    g->C + (ic + i0) * g->ldc + jc + j0, g->ldc, mr, nr, g->alpha);
                }
            }
        }
    }
}

/* Small products without packing (used when many tiny matrices run in parallel over the batch). */
static void infer__mm_f32_small(const infer__mm_args *g) {
    int64_t i, k, j;
    for (i = 0; i < g->M; i++) {
        float *y = g->C + i * g->ldc;
        for (k = 0; k < g->K; k++) {
            float a = g->alpha * (g->ta ? g->A[k * g->lda + i] : g->A[i * g->lda + k]);
            if (g->tb)
                for (j = 0; j < g->N; j++) y[j] += a * g->B[j * g->ldb + k];
            else
                infer__mm_axpy(y, g->B + k * g->ldb, a, g->N);
        }
    }
}

/* Reference product for other types: Y[oy + i*N + j] = alpha * sum_k A(i,k) B(k,j) (+ beta * C(i,j)). */
static void infer__mm_ref(const infer_tensor *A, int64_t oa, int64_t lda, int ta, const infer_tensor *B, int64_t ob,
                          int64_t ldb, int tb, infer_tensor *Y, int64_t oy, int64_t M, int64_t N, int64_t K,
                          double alpha, const infer_tensor *C, const int64_t *cs, double beta, int nthreads) {
    int isint = infer__reduce_is_int(Y->dtype), nt = (double)M * (double)N * (double)K < 32768.0 ? 1 : nthreads;
    int64_t q;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < M * N; q++) {
        int64_t i = q / N, j = q % N, k;
        int64_t ia = oa + (ta ? i : i * lda), ka = ta ? lda : 1, ib = ob + (tb ? j * ldb : j), kb = tb ? 1 : ldb;
        if (isint) {
            uint64_t s = 0;
            for (k = 0; k < K; k++)
                s += (uint64_t)infer__get_i64(A, ia + k * ka) * (uint64_t)infer__get_i64(B, ib + k * kb);
            if (alpha == 1.0 && (!C || beta == 1.0))
                infer__set_i64(Y, oy + q, (int64_t)(s + (C ? (uint64_t)infer__get_i64(C, i * cs[0] + j * cs[1]) : 0)));
            else
                infer__set_f64(Y, oy + q, alpha * (double)(int64_t)s + (C ? beta * infer__get_f64(C, i * cs[0] + j * cs[1]) : 0));
        } else {
            double s = 0;
            for (k = 0; k < K; k++) s += infer__get_f64(A, ia + k * ka) * infer__get_f64(B, ib + k * kb);
            infer__set_f64(Y, oy + q, alpha * s + (C ? beta * infer__get_f64(C, i * cs[0] + j * cs[1]) : 0));
        }
    }
}

static int infer__mm_type_ok(int dt) {
    return infer__is_float(dt) || dt == INFER_DTYPE_INT32 || dt == INFER_DTYPE_INT64 || dt == INFER_DTYPE_UINT32 ||
           dt == INFER_DTYPE_UINT64;
}

/* Shapes of a numpy matmul: M, K, N, broadcast batch dims; output dims. 0 on mismatch. */
typedef struct infer__mm_shape {
    int64_t M, K, N, nb;
    int brank, orank;
    int64_t bdims[INFER_MAX_RANK], sa[INFER_MAX_RANK], sb[INFER_MAX_RANK], odims[INFER_MAX_RANK];
} infer__mm_shape;

static void infer__mm_batch_strides(int rs, const int64_t *ds, int r, const int64_t *bd, int64_t unit, int64_t *st) {
    int i, off = r - rs;
    int64_t s = unit;
    for (i = r - 1; i >= 0; i--) {
        if (i < off || ds[i - off] == 1 || bd[i] == 1) st[i] = 0;
        else st[i] = s;
        if (i >= off) s *= ds[i - off];
    }
}

static int infer__mm_shape_of(const infer_tensor *a, const infer_tensor *b, infer__mm_shape *s) {
    int ra = a->rank, rb = b->rank, i, ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0;
    int64_t kb;
    if (ra < 1 || rb < 1) return 0;
    s->M = ra >= 2 ? a->dims[ra - 2] : 1;
    s->K = a->dims[ra - 1];
    kb = rb >= 2 ? b->dims[rb - 2] : b->dims[0];
    s->N = rb >= 2 ? b->dims[rb - 1] : 1;
    if (kb != s->K) return 0;
    if (!infer__broadcast(ba, a->dims, bb, b->dims, &s->brank, s->bdims)) return 0;
    infer__mm_batch_strides(ba, a->dims, s->brank, s->bdims, s->M * s->K, s->sa);
    infer__mm_batch_strides(bb, b->dims, s->brank, s->bdims, s->K * s->N, s->sb);
    s->nb = 1;
    for (i = 0; i < s->brank; i++) { s->odims[i] = s->bdims[i]; s->nb *= s->bdims[i]; }
    s->orank = s->brank;
    if (ra >= 2) s->odims[s->orank++] = s->M;
    if (rb >= 2) s->odims[s->orank++] = s->N;
    return 1;
}

/* Offsets of batch b into A and B. */
static void infer__mm_batch_off(const infer__mm_shape *s, int64_t b, int64_t *oa, int64_t *ob) {
    int i;
    *oa = 0; *ob = 0;
    for (i = s->brank - 1; i >= 0; i--) {
        int64_t d = b % s->bdims[i];
        b /= s->bdims[i];
        *oa += d * s->sa[i];
        *ob += d * s->sb[i];
    }
}

/* float16 / bfloat16 <-> float32 for the fast path (computed in float32, rounded once at the end). */
static int infer__mm_half(int dt) { return dt == INFER_DTYPE_FLOAT16 || dt == INFER_DTYPE_BFLOAT16; }
static void infer__mm_to_f32(const infer_tensor *t, float *d) {
    int64_t i, n = infer__numel(t);
    const uint16_t *p = (const uint16_t *)t->data;
    if (t->dtype == INFER_DTYPE_FLOAT16)
        for (i = 0; i < n; i++) d[i] = infer__f16_to_f32(p[i]);
    else
        for (i = 0; i < n; i++) d[i] = infer__bf16_to_f32(p[i]);
}
static void infer__mm_from_f32(infer_tensor *t, const float *s) {
    int64_t i, n = infer__numel(t);
    uint16_t *p = (uint16_t *)t->data;
    if (t->dtype == INFER_DTYPE_FLOAT16)
        for (i = 0; i < n; i++) p[i] = infer__f32_to_f16(s[i]);
    else
        for (i = 0; i < n; i++) p[i] = infer__f32_to_bf16(s[i]);
}

static infer_status infer__k_matmul(infer__kctx *c) {
    const infer_tensor *a = INFER__IN(c, 0), *b = INFER__IN(c, 1);
    infer__mm_shape s;
    infer_tensor *Y;
    void *y;
    int64_t bi;
    INFER__REQ_INPUT(c, 0);
    INFER__REQ_INPUT(c, 1);
    if (a->dtype != b->dtype || !infer__mm_type_ok(a->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported types %s, %s", infer_dtype_name(a->dtype),
                             infer_dtype_name(b->dtype));
    if (!infer__mm_shape_of(a, b, &s))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot multiply shapes of rank %d and %d (K %lld)",
                             a->rank, b->rank, (long long)s.K);
    y = infer__k_output(c, 0, a->dtype, s.orank, s.odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    if (s.nb * s.M * s.N == 0) return INFER_STATUS_OK;
    if (a->dtype == INFER_DTYPE_FLOAT || infer__mm_half(a->dtype)) {
        infer__mm_args g;
        float *scr = NULL, *py = (float *)y;
        const float *pa = (const float *)a->data, *pb = (const float *)b->data;
        size_t nf;
        int small;
        if (a->dtype != INFER_DTYPE_FLOAT) {
            float *t = (float *)infer__k_scratch(c, (size_t)(infer__numel(a) + infer__numel(b) + s.nb * s.M * s.N) * sizeof(float));
            if (!t) return INFER_STATUS_OUT_OF_MEMORY;
            infer__mm_to_f32(a, t);
            infer__mm_to_f32(b, t + infer__numel(a));
            pa = t; pb = t + infer__numel(a); py = t + infer__numel(a) + infer__numel(b);
        }
        memset(py, 0, (size_t)(s.nb * s.M * s.N) * sizeof(float));
        if (s.nb > 1 && a->rank == s.brank + 2) { /* B shared by every batch, A dense: one tall product */
            int shared = 1, i;
            for (i = 0; i < s.brank; i++) shared &= s.sb[i] == 0 && a->dims[i] == s.bdims[i];
            if (shared) { s.M *= s.nb; s.nb = 1; }
        }
        nf = infer__mm_scratch_floats(s.M, s.N, s.K);
        small = s.nb > 1 && (double)s.M * (double)s.N * (double)s.K <= 32768.0;
        g.M = s.M; g.N = s.N; g.K = s.K; g.lda = s.K; g.ta = 0; g.ldb = s.N; g.tb = 0; g.ldc = s.N;
        g.alpha = 1.0f; g.nthreads = c->nthreads;
        if (small) {
            int nt = INFER__THREADS(c, (double)s.nb * (double)s.M * (double)s.N * (double)s.K);
            (void)nt;
            INFER__OMP_FOR(nt)
            for (bi = 0; bi < s.nb; bi++) {
                infer__mm_args h = g;
                int64_t oa, ob;
                infer__mm_batch_off(&s, bi, &oa, &ob);
                h.A = pa + oa; h.B = pb + ob;
                h.C = py + bi * s.M * s.N;
                infer__mm_f32_small(&h);
            }
        } else {
            if (nf) {
                scr = (float *)infer__k_scratch(c, nf * sizeof(float));
                if (!scr) return INFER_STATUS_OUT_OF_MEMORY;
            }
            for (bi = 0; bi < s.nb; bi++) {
                int64_t oa, ob;
                infer__mm_batch_off(&s, bi, &oa, &ob);
                g.A = pa + oa; g.B = pb + ob;
                g.C = py + bi * s.M * s.N;
                infer__mm_f32(&g, scr);
            }
        }
        if (a->dtype != INFER_DTYPE_FLOAT) infer__mm_from_f32(Y, py);
        return INFER_STATUS_OK;
    }
    for (bi = 0; bi < s.nb; bi++) {
        int64_t oa, ob;
        infer__mm_batch_off(&s, bi, &oa, &ob);
        infer__mm_ref(a, oa, s.K, 0, b, ob, s.N, 0, Y, bi * s.M * s.N, s.M, s.N, s.K, 1.0, NULL, NULL, 0.0,
                      c->nthreads);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_gemm(infer__kctx *c) {
    const infer_tensor *a = INFER__IN(c, 0), *b = INFER__IN(c, 1), *C = INFER__IN(c, 2);
    int ta = infer__k_attr_i(c, "transA", 0) != 0, tb = infer__k_attr_i(c, "transB", 0) != 0, i;
    double alpha = infer__k_attr_f(c, "alpha", 1.0f), beta = infer__k_attr_f(c, "beta", 1.0f);
    int64_t M, N, K, odims[2], cs[INFER_MAX_RANK];
    infer_tensor *Y;
    void *y;
    INFER__REQ_INPUT(c, 0);
    INFER__REQ_INPUT(c, 1);
    if (a->dtype != b->dtype || !infer__mm_type_ok(a->dtype) || (C && C->dtype != a->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported or mixed types");
    if (a->rank != 2 || b->rank != 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "A and B must be 2-D (got rank %d and %d)", a->rank, b->rank);
    M = ta ? a->dims[1] : a->dims[0];
    K = ta ? a->dims[0] : a->dims[1];
    N = tb ? b->dims[0] : b->dims[1];
    if ((tb ? b->dims[1] : b->dims[0]) != K)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "inner dimensions differ: %lld and %lld", (long long)K,
                             (long long)(tb ? b->dims[1] : b->dims[0]));
    odims[0] = M; odims[1] = N;
    if (C) {
        if (C->rank > 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "C has rank %d", C->rank);
        for (i = 0; i < C->rank; i++) {
            int64_t d = C->dims[i], t = odims[2 - C->rank + i];
            if (d != t && d != 1)
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "C (dim %lld) does not broadcast to %lldx%lld",
                                     (long long)d, (long long)M, (long long)N);
        }
        infer__bstrides(C, 2, cs);
    }
    y = infer__k_output(c, 0, a->dtype, 2, odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    if (M * N == 0) return INFER_STATUS_OK;
    if (a->dtype == INFER_DTYPE_FLOAT || infer__mm_half(a->dtype)) {
        infer__mm_args g;
        float *yf = (float *)y, *scr = NULL;
        const float *pa = (const float *)a->data, *pb = (const float *)b->data;
        size_t nf = infer__mm_scratch_floats(M, N, K);
        int64_t q;
        if (a->dtype != INFER_DTYPE_FLOAT) {
            float *t = (float *)infer__k_scratch(c, (size_t)(infer__numel(a) + infer__numel(b) + M * N) * sizeof(float));
            if (!t) return INFER_STATUS_OUT_OF_MEMORY;
            infer__mm_to_f32(a, t);
            infer__mm_to_f32(b, t + infer__numel(a));
            pa = t; pb = t + infer__numel(a); yf = t + infer__numel(a) + infer__numel(b);
        }
        if (C && C->dtype == INFER_DTYPE_FLOAT) {
            const float *cf = (const float *)C->data;
            for (q = 0; q < M * N; q++) yf[q] = (float)beta * cf[(q / N) * cs[0] + (q % N) * cs[1]];
        } else if (C) {
            for (q = 0; q < M * N; q++) yf[q] = (float)(beta * infer__get_f64(C, (q / N) * cs[0] + (q % N) * cs[1]));
        } else
            memset(yf, 0, (size_t)(M * N) * sizeof(float));
        if (nf) {
            scr = (float *)infer__k_scratch(c, nf * sizeof(float));
            if (!scr) return INFER_STATUS_OUT_OF_MEMORY;
        }
        g.M = M; g.N = N; g.K = K;
        g.A = pa; g.lda = a->dims[1]; g.ta = ta;
        g.B = pb; g.ldb = b->dims[1]; g.tb = tb;
        g.C = yf; g.ldc = N; g.alpha = (float)alpha; g.nthreads = c->nthreads;
        infer__mm_f32(&g, scr);
        if (a->dtype != INFER_DTYPE_FLOAT) infer__mm_from_f32(Y, yf);
        return INFER_STATUS_OK;
    }
    infer__mm_ref(a, 0, a->dims[1], ta, b, 0, b->dims[1], tb, Y, 0, M, N, K, alpha, C, cs, beta, c->nthreads);
    return INFER_STATUS_OK;
}

static infer_status infer__k_matmul_integer(infer__kctx *c) {
    const infer_tensor *a = INFER__IN(c, 0), *b = INFER__IN(c, 1), *za = INFER__IN(c, 2), *zb = INFER__IN(c, 3);
    infer__mm_shape s;
    int32_t *y, *bz;
    int64_t bi, nza = 0, nzb = 0;
    INFER__REQ_INPUT(c, 0);
    INFER__REQ_INPUT(c, 1);
    if ((a->dtype != INFER_DTYPE_INT8 && a->dtype != INFER_DTYPE_UINT8) ||
        (b->dtype != INFER_DTYPE_INT8 && b->dtype != INFER_DTYPE_UINT8))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "A and B must be int8 or uint8");
    if (!infer__mm_shape_of(a, b, &s))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot multiply shapes of rank %d and %d", a->rank, b->rank);
    if (za) {
        nza = infer__numel(za);
        if (za->dtype != a->dtype || (nza != 1 && nza != s.M))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "a_zero_point must be a scalar or have M elements");
    }
    if (zb) {
        nzb = infer__numel(zb);
        if (zb->dtype != b->dtype || (nzb != 1 && nzb != s.N))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "b_zero_point must be a scalar or have N elements");
    }
    y = (int32_t *)infer__k_output(c, 0, INFER_DTYPE_INT32, s.orank, s.odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    if (s.nb * s.M * s.N == 0) return INFER_STATUS_OK;
    bz = (int32_t *)infer__k_scratch(c, (size_t)(s.K * s.N > 0 ? s.K * s.N : 1) * sizeof(int32_t));
    if (!bz) return INFER_STATUS_OUT_OF_MEMORY;
    for (bi = 0; bi < s.nb; bi++) {
        int64_t oa, ob, q, i;
        int nt = INFER__THREADS(c, (double)s.M * (double)s.N * (double)s.K);
        infer__mm_batch_off(&s, bi, &oa, &ob);
        for (q = 0; q < s.K * s.N; q++)
            bz[q] = (int32_t)infer__get_i64(b, ob + q) - (zb ? (int32_t)infer__get_i64(zb, nzb == 1 ? 0 : q % s.N) : 0);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (i = 0; i < s.M; i++) {
            int32_t *yr = y + (bi * s.M + i) * s.N, zav = za ? (int32_t)infer__get_i64(za, nza == 1 ? 0 : i) : 0;
            int64_t k, j;
            for (j = 0; j < s.N; j++) yr[j] = 0;
            for (k = 0; k < s.K; k++) {
                int32_t av = (int32_t)infer__get_i64(a, oa + i * s.K + k) - zav;
                const int32_t *br = bz + k * s.N;
                for (j = 0; j < s.N; j++) yr[j] += av * br[j];
            }
        }
    }
    return INFER_STATUS_OK;
}

/* ---- Einsum: parse, then a loop over output indices and contracted indices -------------------- */
#define INFER__EIN_MAXIN 16
#define INFER__EIN_NL (52 + INFER_MAX_RANK)

static int infer__einsum_letter(char ch) {
    if (ch >= 'a' && ch <= 'z') return ch - 'a';
    if (ch >= 'A' && ch <= 'Z') return 26 + (ch - 'A');
    return -1;
}

static infer_status infer__k_einsum(infer__kctx *c) {
    const char *eq = infer__k_attr_s(c, "equation", NULL), *p, *arrow;
    int lab[INFER__EIN_MAXIN][INFER_MAX_RANK + 1], nl[INFER__EIN_MAXIN], erank[INFER__EIN_MAXIN];
    int axl[INFER__EIN_MAXIN][INFER_MAX_RANK];
    int64_t size[INFER__EIN_NL], st[INFER__EIN_MAXIN][INFER__EIN_NL], odims[INFER_MAX_RANK] = {0}, csz[INFER__EIN_NL];
    int count[INFER__EIN_NL], inout[INFER__EIN_NL], olab[INFER__EIN_NL], clab[INFER__EIN_NL];
    int nt = 0, t, i, j, E = 0, no = 0, ncl = 0, dt, isint, nth;
    int64_t O = 1, CC = 1, o;
    const float *fp[INFER__EIN_MAXIN];
    infer_tensor *Y;

    if (!eq) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing attribute 'equation'");
    if (c->n_in < 1 || c->n_in > INFER__EIN_MAXIN)
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "%d inputs (at most %d supported)", c->n_in, INFER__EIN_MAXIN);
    for (t = 0; t < c->n_in; t++) {
        INFER__REQ_INPUT(c, t);
        if (c->in[t]->dtype != c->in[0]->dtype)
            return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs have different types");
    }
    dt = c->in[0]->dtype;
    isint = infer__reduce_is_int(dt) && dt != INFER_DTYPE_BOOL;
    if (!isint && !infer__is_float(dt))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(dt));
    /* parse the input terms */
    arrow = strstr(eq, "->");
    for (t = 0; t < INFER__EIN_MAXIN; t++) nl[t] = 0;
    for (p = eq; *p && p != arrow; p++) {
        if (*p == ' ') continue;
        if (*p == ',') {
            if (++nt >= INFER__EIN_MAXIN) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "too many operands");
            continue;
        }
        if (nl[nt] > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "term %d is too long", nt);
        if (*p == '.') {
            if (p[1] != '.' || p[2] != '.')
                return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad ellipsis in '%s'", eq);
            for (i = 0; i < nl[nt]; i++)
                if (lab[nt][i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "two ellipses in a term");
            lab[nt][nl[nt]++] = -1;
            p += 2;
            continue;
        }
        if (infer__einsum_letter(*p) < 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad character '%c' in equation", *p);
        lab[nt][nl[nt]++] = infer__einsum_letter(*p);
    }
    if (nt + 1 != c->n_in)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "equation has %d terms for %d inputs", nt + 1, c->n_in);
    /* ellipsis ranks */
    for (t = 0; t < c->n_in; t++) {
        int letters = 0, has_ell = 0;
        for (i = 0; i < nl[t]; i++) {
            if (lab[t][i] < 0) has_ell = 1;
            else letters++;
        }
        erank[t] = c->in[t]->rank - letters;
        if (erank[t] < 0 || (!has_ell && erank[t] != 0))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "term %d does not match input rank %d", t, c->in[t]->rank);
        if (erank[t] > E) E = erank[t];
    }
    for (i = 0; i < INFER__EIN_NL; i++) { size[i] = -1; count[i] = 0; inout[i] = 0; }
    for (t = 0; t < c->n_in; t++) {
        int ax = 0;
        for (i = 0; i < nl[t]; i++) {
            if (lab[t][i] >= 0) axl[t][ax++] = lab[t][i];
            else
                for (j = 0; j < erank[t]; j++) axl[t][ax++] = 52 + (E - erank[t]) + j;
        }
        for (ax = 0; ax < c->in[t]->rank; ax++) {
            int l = axl[t][ax];
            int64_t d = c->in[t]->dims[ax];
            count[l]++;
            if (size[l] < 0 || size[l] == 1) size[l] = size[l] == 1 && d != 1 ? d : (size[l] < 0 ? d : size[l]);
            else if (d != size[l] && d != 1)
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "dimension %lld of input %d does not match %lld",
                                     (long long)d, t, (long long)size[l]);
        }
    }
    /* output labels */
    if (arrow) {
        int seen_ell = 0;
        for (p = arrow + 2; *p; p++) {
            int l;
            if (*p == ' ') continue;
            if (*p == '.') {
                if (p[1] != '.' || p[2] != '.' || seen_ell)
                    return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad ellipsis in output of '%s'", eq);
                seen_ell = 1;
                for (j = 0; j < E; j++) {
                    if (no >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank too large");
                    olab[no++] = 52 + j; inout[52 + j] = 1;
                }
                p += 2;
                continue;
            }
            l = infer__einsum_letter(*p);
            if (l < 0 || size[l] < 0 || inout[l])
                return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad output label '%c'", *p);
            if (no >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank too large");
            olab[no++] = l; inout[l] = 1;
        }
    } else {
        for (j = 0; j < E; j++) { olab[no++] = 52 + j; inout[52 + j] = 1; }
        for (i = 0; i < 52; i++) {
            int l = i < 26 ? 26 + i : i - 26; /* 'A'..'Z' sort before 'a'..'z' */
            if (count[l] == 1) {
                if (no >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank too large");
                olab[no++] = l; inout[l] = 1;
            }
        }
    }
    for (i = 0; i < INFER__EIN_NL; i++)
        if (size[i] >= 0 && !inout[i]) { clab[ncl] = i; csz[ncl++] = size[i]; CC *= size[i]; }
    for (i = 0; i < no; i++) { odims[i] = size[olab[i]]; O *= odims[i]; }
    /* strides of every operand along every label (repeated labels add: diagonals) */
    for (t = 0; t < c->n_in; t++) {
        int64_t s = 1;
        for (i = 0; i < INFER__EIN_NL; i++) st[t][i] = 0;
        for (i = c->in[t]->rank - 1; i >= 0; i--) {
            if (c->in[t]->dims[i] != 1) st[t][axl[t][i]] += s;
            s *= c->in[t]->dims[i];
        }
        fp[t] = dt == INFER_DTYPE_FLOAT ? (const float *)c->in[t]->data : NULL;
    }
    if (!infer__k_output(c, 0, dt, no, odims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    nth = INFER__THREADS(c, (double)O * (double)CC * (double)c->n_in);
    (void)nth;
    INFER__OMP_FOR(nth)
    for (o = 0; o < O; o++) {
        int64_t base[INFER__EIN_MAXIN], off[INFER__EIN_MAXIN], idx[INFER__EIN_NL], q = o, cc;
        int u, v;
        double sf = 0;
        uint64_t si = 0;
        for (u = 0; u < c->n_in; u++) base[u] = 0;
        for (v = no - 1; v >= 0; v--) {
            int64_t d = q % odims[v];
            q /= odims[v];
            for (u = 0; u < c->n_in; u++) base[u] += d * st[u][olab[v]];
        }
        for (v = 0; v < ncl; v++) idx[v] = 0;
        for (u = 0; u < c->n_in; u++) off[u] = base[u];
        for (cc = 0; cc < CC; cc++) {
            if (isint) {
                uint64_t pr = 1;
                for (u = 0; u < c->n_in; u++) pr *= (uint64_t)infer__get_i64(c->in[u], off[u]);
                si += pr;
            } else {
                double pr = 1;
                for (u = 0; u < c->n_in; u++) pr *= fp[u] ? (double)fp[u][off[u]] : infer__get_f64(c->in[u], off[u]);
                sf += pr;
            }
            for (v = ncl - 1; v >= 0; v--) {
                for (u = 0; u < c->n_in; u++) off[u] += st[u][clab[v]];
                if (++idx[v] < csz[v]) break;
                for (u = 0; u < c->n_in; u++) off[u] -= st[u][clab[v]] * csz[v];
                idx[v] = 0;
            }
        }
        if (isint) infer__set_i64(Y, o, (int64_t)si);
        else infer__set_f64(Y, o, sf);
    }
    return INFER_STATUS_OK;
}

/* ---- CumSum ---------------------------------------------------------------------------------- */
static infer_status infer__k_cumsum(infer__kctx *c) {
    const infer_tensor *x = INFER__IN(c, 0), *at = INFER__IN(c, 1);
    int excl = infer__k_attr_i(c, "exclusive", 0) != 0, rev = infer__k_attr_i(c, "reverse", 0) != 0, ax, isint, nt;
    int64_t O, R, I, q;
    infer_tensor *Y;
    INFER__REQ_INPUT(c, 0);
    INFER__REQ_INPUT(c, 1);
    isint = infer__reduce_is_int(x->dtype) && x->dtype != INFER_DTYPE_BOOL;
    if (!isint && !infer__is_float(x->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    if (infer__numel(at) != 1 || !infer__reduce_is_int(at->dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis must be an integer scalar");
    ax = infer__axis(infer__get_i64(at, 0), x->rank);
    if (ax < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range for rank %d", x->rank);
    infer__reduce_split(x, ax, &O, &R, &I);
    if (!infer__k_output(c, 0, x->dtype, x->rank, x->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    nt = INFER__THREADS(c, (double)O * (double)R * (double)I);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < O * I; q++) {
        int64_t base = (q / I) * R * I + q % I, r, e;
        double sf = 0;
        uint64_t si = 0;
        for (r = 0; r < R; r++) {
            e = base + (rev ? R - 1 - r : r) * I;
            if (isint) {
                uint64_t v = (uint64_t)infer__get_i64(x, e);
                if (!excl) si += v;
                infer__set_i64(Y, e, (int64_t)si);
                if (excl) si += v;
            } else {
                double v = infer__get_f64(x, e);
                if (!excl) sf += v;
                infer__set_f64(Y, e, sf);
                if (excl) sf += v;
            }
        }
    }
    return INFER_STATUS_OK;
}

/* ---- TopK ------------------------------------------------------------------------------------ */
/* Is element a ranked before element b? (ties: the lower index first) */
static int infer__topk_before(const double *fk, const int64_t *ik, int largest, int64_t a, int64_t b) {
    if (fk) {
        double va = fk[a], vb = fk[b];
        if (va != vb) {
            if (va != va) return largest;  /* NaN counts as the largest value */
            if (vb != vb) return !largest;
            return largest ? va > vb : va < vb;
        }
    } else if (ik[a] != ik[b])
        return largest ? ik[a] > ik[b] : ik[a] < ik[b];
    return a < b;
}

static void infer__topk_sift(int64_t *h, int64_t n, int64_t i, const double *fk, const int64_t *ik, int largest) {
    for (;;) {
        int64_t l = 2 * i + 1, best = i, tmp;
        if (l < n && infer__topk_before(fk, ik, largest, h[l], h[best])) best = l;
        if (l + 1 < n && infer__topk_before(fk, ik, largest, h[l + 1], h[best])) best = l + 1;
        if (best == i) return;
        tmp = h[i]; h[i] = h[best]; h[best] = tmp;
        i = best;
    }
}

static infer_status infer__k_topk(infer__kctx *c) {
    const infer_tensor *x = INFER__IN(c, 0);
    int largest = infer__k_attr_i(c, "largest", 1) != 0, ax, isint, i;
    int64_t k, O, R, I, q, odims[INFER_MAX_RANK], *yi, *h, *ik = NULL;
    double *fk = NULL;
    infer_tensor *V;
    INFER__REQ_INPUT(c, 0);
    isint = infer__reduce_is_int(x->dtype);
    if (!isint && !infer__is_float(x->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    if (c->node->opset < 10) k = infer__k_attr_i(c, "k", -1);
    else {
        const infer_tensor *kt = INFER__IN(c, 1);
        if (!kt || infer__numel(kt) != 1 || !infer__reduce_is_int(kt->dtype))
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "K must be a one-element integer tensor");
        k = infer__get_i64(kt, 0);
    }
    ax = infer__axis(infer__k_attr_i(c, "axis", -1), x->rank);
    if (ax < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range for rank %d", x->rank);
    infer__reduce_split(x, ax, &O, &R, &I);
    if (k < 0 || k > R)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "k = %lld outside [0, %lld]", (long long)k, (long long)R);
    for (i = 0; i < x->rank; i++) odims[i] = i == ax ? k : x->dims[i];
    if (!infer__k_output(c, 0, x->dtype, x->rank, odims)) return INFER_STATUS_OUT_OF_MEMORY;
    V = c->out[0];
    yi = (int64_t *)infer__k_output(c, 1, INFER_DTYPE_INT64, x->rank, odims);
    if (!yi) return INFER_STATUS_OUT_OF_MEMORY;
    if (O * I * k == 0) return INFER_STATUS_OK;
    h = (int64_t *)infer__k_scratch(c, (size_t)R * 2 * sizeof(int64_t));
    if (!h) return INFER_STATUS_OUT_OF_MEMORY;
    if (isint) ik = h + R;
    else fk = (double *)(void *)(h + R);
    for (q = 0; q < O * I; q++) {
        int64_t base = (q / I) * R * I + q % I, obase = (q / I) * k * I + q % I, r, n = R;
        for (r = 0; r < R; r++) {
            h[r] = r;
            if (isint) ik[r] = infer__reduce_ikey(x, base + r * I);
            else fk[r] = infer__get_f64(x, base + r * I);
        }
        for (r = R / 2 - 1; r >= 0; r--) infer__topk_sift(h, R, r, fk, ik, largest);
        for (r = 0; r < k; r++) {
            int64_t e = h[0];
            if (isint) infer__set_i64(V, obase + r * I, infer__get_i64(x, base + e * I));
            else infer__set_f64(V, obase + r * I, fk[e]);
            yi[obase + r * I] = e;
            h[0] = h[--n];
            infer__topk_sift(h, n, 0, fk, ik, largest);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- Det ------------------------------------------------------------------------------------- */
static infer_status infer__k_det(infer__kctx *c) {
    const infer_tensor *x = INFER__IN(c, 0);
    int64_t n, nb, bi;
    double *m;
    infer_tensor *Y;
    INFER__REQ_INPUT(c, 0);
    if (!infer__is_float(x->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    if (x->rank < 2 || x->dims[x->rank - 1] != x->dims[x->rank - 2])
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [..., M, M]");
    n = x->dims[x->rank - 1];
    nb = infer__reduce_prod(x->dims, 0, x->rank - 2);
    if (!infer__k_output(c, 0, x->dtype, x->rank - 2, x->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    if (nb == 0) return INFER_STATUS_OK;
    m = (double *)infer__k_scratch(c, (size_t)(n * n > 0 ? n * n : 1) * sizeof(double));
    if (!m) return INFER_STATUS_OUT_OF_MEMORY;
    for (bi = 0; bi < nb; bi++) {
        double det = 1;
        int64_t i, j, r, col;
        for (i = 0; i < n * n; i++) m[i] = infer__get_f64(x, bi * n * n + i);
        for (col = 0; col < n && det != 0; col++) {
            int64_t piv = col;
            for (r = col + 1; r < n; r++)
                if (fabs(m[r * n + col]) > fabs(m[piv * n + col])) piv = r;
            if (m[piv * n + col] == 0) { det = 0; break; }
            if (piv != col) {
                for (j = 0; j < n; j++) { double t = m[col * n + j]; m[col * n + j] = m[piv * n + j]; m[piv * n + j] = t; }
                det = -det;
            }
            det *= m[col * n + col];
            for (r = col + 1; r < n; r++) {
                double f = m[r * n + col] / m[col * n + col];
                for (j = col; j < n; j++) m[r * n + j] -= f * m[col * n + j];
            }
        }
        infer__set_f64(Y, bi, det);
    }
    return INFER_STATUS_OK;
}

/* ---- LayerNormalization / RMSNormalization ---------------------------------------------------- */
/* How a scale / bias tensor p maps onto the normalised block of x (axes >= ax): 0 absent, 1 one value,
   2 the whole block (D values in order), 3 general broadcast (strides in st). -1: not broadcastable. */
static int infer__norm_param(const infer_tensor *p, const infer_tensor *x, int ax, int64_t D, int64_t *st) {
    int i, off;
    int64_t n;
    if (!p) return 0;
    n = infer__numel(p);
    if (p->rank > x->rank) return -1;
    off = x->rank - p->rank;
    for (i = 0; i < p->rank; i++)
        if (p->dims[i] != 1 && p->dims[i] != x->dims[off + i]) return -1;
    if (n == 1) return 1;
    infer__bstrides(p, x->rank, st);
    if (n == D) {
        for (i = 0; i < ax; i++)
            if (st[i] != 0 && x->dims[i] != 1) return 3;
        for (i = ax; i < x->rank; i++)
            if (x->dims[i] != 1 && st[i] == 0) return 3;
        return 2;
    }
    return 3;
}

static double infer__norm_pval(const infer_tensor *p, int mode, const int64_t *st, const infer_tensor *x, int64_t e,
                               int64_t d, double def) {
    int64_t off = 0, q = e;
    int i;
    if (mode == 0) return def;
    if (mode == 1) return infer__get_f64(p, 0);
    if (mode == 2) return infer__get_f64(p, d);
    for (i = x->rank - 1; i >= 0; i--) { off += (q % x->dims[i]) * st[i]; q /= x->dims[i]; }
    return infer__get_f64(p, off);
}

static infer_status infer__norm_run(infer__kctx *c, int rms) {
    const infer_tensor *x = INFER__IN(c, 0), *w = INFER__IN(c, 1), *b = rms ? NULL : INFER__IN(c, 2);
    int64_t O, D, ws[INFER_MAX_RANK], bs[INFER_MAX_RANK], sdims[INFER_MAX_RANK] = {0}, q;
    int ax, wm, bm, i, nt, udt = (int)infer__k_attr_i(c, "stash_type", 1);
    double eps = infer__k_attr_f(c, "epsilon", 1e-5f);
    infer_tensor *Y, *Mt = NULL, *St = NULL;
    INFER__REQ_INPUT(c, 0);
    INFER__REQ_INPUT(c, 1);
    if (!infer__is_float(x->dtype) || !infer__is_float(w->dtype) || (b && !infer__is_float(b->dtype)))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %s", infer_dtype_name(x->dtype));
    ax = infer__axis(infer__k_attr_i(c, "axis", -1), x->rank);
    if (ax < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range for rank %d", x->rank);
    O = infer__reduce_prod(x->dims, 0, ax);
    D = infer__reduce_prod(x->dims, ax, x->rank);
    wm = infer__norm_param(w, x, ax, D, ws);
    bm = infer__norm_param(b, x, ax, D, bs);
    if (wm < 0 || bm < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scale or bias does not broadcast to the input");
    if (!infer__is_float(udt)) udt = INFER_DTYPE_FLOAT;
    if (!infer__k_output(c, 0, x->dtype, x->rank, x->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (i = 0; i < x->rank; i++) sdims[i] = i < ax ? x->dims[i] : 1;
    if (!rms && infer__reduce_want(c, 1)) {
        if (!infer__k_output(c, 1, udt, x->rank, sdims)) return INFER_STATUS_OUT_OF_MEMORY;
        Mt = c->out[1];
    }
    if (!rms && infer__reduce_want(c, 2)) {
        if (!infer__k_output(c, 2, udt, x->rank, sdims)) return INFER_STATUS_OUT_OF_MEMORY;
        St = c->out[2];
    }
    if (D == 0) { /* mean and deviation of nothing: NaN, as the reference gives */
        for (q = 0; q < O; q++) {
            if (Mt) infer__set_f64(Mt, q, NAN);
            if (St) infer__set_f64(St, q, NAN);
        }
        return INFER_STATUS_OK;
    }
    nt = INFER__THREADS(c, (double)O * (double)D * 4);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < O; q++) {
        int64_t base = q * D, d;
        double mean = 0, var = 0, inv, v;
        if (x->dtype == INFER_DTYPE_FLOAT && w->dtype == INFER_DTYPE_FLOAT && wm == 2 &&
            (bm == 0 || (bm == 2 && b->dtype == INFER_DTYPE_FLOAT))) {
            const float *xf = (const float *)x->data + base, *wf = (const float *)w->data;
            const float *bf = bm ? (const float *)b->data : NULL;
            float *yf = (float *)Y->data + base, fm, fi;
            if (!rms) {
                for (d = 0; d < D; d++) mean += xf[d];
                mean /= (double)D;
            }
            for (d = 0; d < D; d++) { v = xf[d] - mean; var += v * v; }
            inv = 1.0 / sqrt(var / (double)D + eps);
            fm = (float)mean; fi = (float)inv;
            if (bf)
                for (d = 0; d < D; d++) yf[d] = (xf[d] - fm) * fi * wf[d] + bf[d];
            else
                for (d = 0; d < D; d++) yf[d] = (xf[d] - fm) * fi * wf[d];
        } else {
            if (!rms) {
                for (d = 0; d < D; d++) mean += infer__get_f64(x, base + d);
                mean /= (double)D;
            }
            for (d = 0; d < D; d++) { v = infer__get_f64(x, base + d) - mean; var += v * v; }
            inv = 1.0 / sqrt(var / (double)D + eps);
            for (d = 0; d < D; d++) {
                double wv = infer__norm_pval(w, wm, ws, x, base + d, d, 1.0);
                double bv = infer__norm_pval(b, bm, bs, x, base + d, d, 0.0);
                infer__set_f64(Y, base + d, (infer__get_f64(x, base + d) - mean) * inv * wv + bv);
            }
        }
        if (Mt) infer__set_f64(Mt, q, mean);
        if (St) infer__set_f64(St, q, inv);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_layer_norm(infer__kctx *c) { return infer__norm_run(c, 0); }
static infer_status infer__k_rms_norm(infer__kctx *c) { return infer__norm_run(c, 1); }

static const infer__op infer__ops_reduce[] = {
    {"", "ReduceSum", 1, 1000, infer__k_reduce_sum},
    {"", "ReduceMean", 1, 1000, infer__k_reduce_mean},
    {"", "ReduceMax", 1, 1000, infer__k_reduce_max},
    {"", "ReduceMin", 1, 1000, infer__k_reduce_min},
    {"", "ReduceProd", 1, 1000, infer__k_reduce_prod},
    {"", "ReduceL1", 1, 1000, infer__k_reduce_l1},
    {"", "ReduceL2", 1, 1000, infer__k_reduce_l2},
    {"", "ReduceLogSum", 1, 1000, infer__k_reduce_log_sum},
    {"", "ReduceLogSumExp", 1, 1000, infer__k_reduce_log_sum_exp},
    {"", "ReduceSumSquare", 1, 1000, infer__k_reduce_sum_square},
    {"", "ArgMax", 1, 1000, infer__k_argmax},
    {"", "ArgMin", 1, 1000, infer__k_argmin},
    {"", "Softmax", 1, 1000, infer__k_softmax},
    {"", "LogSoftmax", 1, 1000, infer__k_logsoftmax},
    {"", "Hardmax", 1, 1000, infer__k_hardmax},
    {"", "MatMul", 1, 1000, infer__k_matmul},
    {"", "Gemm", 1, 1000, infer__k_gemm},
    {"", "MatMulInteger", 1, 1000, infer__k_matmul_integer},
    {"", "Einsum", 1, 1000, infer__k_einsum},
    {"", "CumSum", 1, 1000, infer__k_cumsum},
    {"", "TopK", 1, 1000, infer__k_topk},
    {"", "Det", 1, 1000, infer__k_det},
    {"", "LayerNormalization", 1, 1000, infer__k_layer_norm},
    {"", "RMSNormalization", 1, 1000, infer__k_rms_norm},
    {NULL, NULL, 0, 0, NULL}
};
