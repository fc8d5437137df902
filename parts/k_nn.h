/* ============================================================================================== */
/* >>kernels-nn: convolution, pooling, normalisation, resize                                      */
/* ============================================================================================== */
/* Every floating type is computed in float32: inputs of another type are converted into scratch
   memory and the result is rounded back (infer__nn_inf / infer__nn_outf / infer__nn_outdone). */

#define INFER__NN_MR 6  /* GEMM micro-tile: rows of A (output channels) */
#define INFER__NN_NR 16 /* GEMM micro-tile: columns of B (output pixels) */
#define INFER__NN_LIM ((int64_t)1 << 31) /* bound on kernel sizes, strides, pads, dilations */
/* `omp simd` on hot inner loops: gcc -O2 vectorises them only when asked (with -fopenmp). */
#if INFER__HAS_OPENMP
#define INFER__NN_SIMD INFER__PRAGMA(omp simd)
#define INFER__NN_SIMD_SUM(v) INFER__PRAGMA(omp simd reduction(+:v))
#define INFER__NN_SIMD_MAX(v) INFER__PRAGMA(omp simd reduction(max:v))
#else
#define INFER__NN_SIMD_MAX(v)
#define INFER__NN_SIMD
#define INFER__NN_SIMD_SUM(v)
#endif

static void *infer__nn_scratch(infer__kctx *c, size_t bytes) {
    return infer__k_scratch(c, bytes ? bytes : 16);
}

static int infer__nn_has_out(const infer__kctx *c, int i) {
    return i < c->n_out && c->node->out[i] >= 0;
}

static infer_status infer__nn_oom(infer__kctx *c) {
    return infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of scratch memory");
}

/* Tensor t as float32: its own data, or a converted copy in scratch memory (NULL: out of memory). */
static const float *infer__nn_inf(infer__kctx *c, const infer_tensor *t) {
    int64_t n = infer__numel(t), i;
    float *p;
    if (t->dtype == INFER_DTYPE_FLOAT) return (const float *)t->data;
    p = (float *)infer__nn_scratch(c, (size_t)n * sizeof(float));
    if (!p) return NULL;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT16:
        for (i = 0; i < n; i++) p[i] = infer__f16_to_f32(((const uint16_t *)t->data)[i]);
        break;
    case INFER_DTYPE_BFLOAT16:
        for (i = 0; i < n; i++) p[i] = infer__bf16_to_f32(((const uint16_t *)t->data)[i]);
        break;
    case INFER_DTYPE_DOUBLE:
        for (i = 0; i < n; i++) p[i] = (float)((const double *)t->data)[i];
        break;
    default:
        for (i = 0; i < n; i++) p[i] = (float)infer__get_f64(t, i);
        break;
    }
    return p;
}

/* Output i as a float32 buffer: the output itself, or scratch converted by infer__nn_outdone. */
static float *infer__nn_outf(infer__kctx *c, int i, int dtype, int rank, const int64_t *dims) {
    void *p = infer__k_output(c, i, dtype, rank, dims);
    if (!p) return NULL;
    if (dtype == INFER_DTYPE_FLOAT) return (float *)p;
    return (float *)infer__nn_scratch(c, (size_t)infer__numel(c->out[i]) * sizeof(float));
}

static void infer__nn_outdone(infer__kctx *c, int i, const float *buf) {
    infer_tensor *t = c->out[i];
    int64_t n, k;
    if (!t || t->dtype == INFER_DTYPE_FLOAT) return;
    n = infer__numel(t);
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT16:
        for (k = 0; k < n; k++) ((uint16_t *)t->data)[k] = infer__f32_to_f16(buf[k]);
        break;
    case INFER_DTYPE_BFLOAT16:
        for (k = 0; k < n; k++) ((uint16_t *)t->data)[k] = infer__f32_to_bf16(buf[k]);
        break;
    case INFER_DTYPE_DOUBLE:
        for (k = 0; k < n; k++) ((double *)t->data)[k] = buf[k];
        break;
    default: {
        /* integer outputs (Resize of images, MaxPool of int8): round half to even and saturate */
        double lo = 0, hi = 0;
        switch (t->dtype) {
        case INFER_DTYPE_INT8: lo = -128; hi = 127; break;
        case INFER_DTYPE_UINT8: lo = 0; hi = 255; break;
        case INFER_DTYPE_INT16: lo = -32768; hi = 32767; break;
        case INFER_DTYPE_UINT16: lo = 0; hi = 65535; break;
        case INFER_DTYPE_INT32: lo = -2147483648.0; hi = 2147483647.0; break;
        case INFER_DTYPE_UINT32: lo = 0; hi = 4294967295.0; break;
        case INFER_DTYPE_BOOL: lo = 0; hi = 1; break;
        default: lo = -9.2e18; hi = 9.2e18; break;
        }
        for (k = 0; k < n; k++) {
            double v = buf[k];
            v = v != v ? 0 : v - floor(v) == 0.5 ? 2.0 * floor(v / 2.0 + 0.5) : floor(v + 0.5);
            infer__set_f64(t, k, v < lo ? lo : v > hi ? hi : v);
        }
        break;
    }
    }
}

static int infer__nn_float_type(int dt) {
    return dt == INFER_DTYPE_FLOAT || dt == INFER_DTYPE_DOUBLE || dt == INFER_DTYPE_FLOAT16 ||
           dt == INFER_DTYPE_BFLOAT16;
}

/* ---- GEMM on packed panels ------------------------------------------------------------------ */
/* A (m x k; element (i,j) at a[i*rs + j*cs]) into [ceil(m/MR)][k][MR], zero-padded. */
static void infer__nn_pack_a(const float *a, int64_t rs, int64_t cs, int64_t m, int64_t k, float *pa) {
    int64_t ib, j;
    int r;
    for (ib = 0; ib < m; ib += INFER__NN_MR) {
        float *dst = pa + ib * k;
        for (j = 0; j < k; j++)
            for (r = 0; r < INFER__NN_MR; r++)
                dst[j * INFER__NN_MR + r] = ib + r < m ? a[(ib + r) * rs + j * cs] : 0.0f;
    }
}

/* B (k x n; element (i,j) at b[i*ldb + j]) into [ceil(n/NR)][k][NR], zero-padded. Rows are taken
   in groups of rb: each row is read sequentially across the blocks and each block receives rb
   consecutive rows. rb = 8 for deep, wide B (k >= 64, 32+ blocks), else 1 (whole rows): each
   measured best in its range. Filling one block at a time instead strides across pages and
   stalls on every line. */
static void infer__nn_pack_b(const float *b, int64_t ldb, int64_t k, int64_t n, float *pb, int nt) {
    int64_t nb = (n + INFER__NN_NR - 1) / INFER__NN_NR, rb = k >= 64 && nb >= 32 ? 8 : 1, nib = (k + rb - 1) / rb, ibk;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (ibk = 0; ibk < nib; ibk++) {
        int64_t i0 = ibk * rb, i1 = i0 + rb < k ? i0 + rb : k, jb, i;
        int t;
        for (jb = 0; jb < nb; jb++) {
            int64_t w = n - jb * INFER__NN_NR;
            for (i = i0; i < i1; i++) {
                const float *sr = b + i * ldb + jb * INFER__NN_NR;
                float *d = pb + (jb * k + i) * INFER__NN_NR;
                if (w >= INFER__NN_NR)
                    for (t = 0; t < INFER__NN_NR; t++) d[t] = sr[t];
                else
                    for (t = 0; t < INFER__NN_NR; t++) d[t] = t < w ? sr[t] : 0.0f;
            }
        }
    }
}

/* One MR x NR tile: C = bias + A * B over k; stores mr x nr of it. Row r of A starts at
   a + min(r, mr-1) * ars and steps by aks along k (packed panels: ars 1, aks MR; row-major
   weights: ars = k, aks 1, which saves packing them on every run). Row i of B (NR floats) is at
   pb + i*NR (a packed panel) or, with koff, at pb + koff[i] (implicit GEMM: straight from the
   padded input of a convolution). */
#define INFER__NN_FMA_ROW(bp)                                                                              \
    do {                                                                                                  \
        __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps((bp) + 8), av;                              \
        av = _mm256_broadcast_ss(a0 + o); c00 = _mm256_fmadd_ps(av, b0, c00); c01 = _mm256_fmadd_ps(av, b1, c01); \
        av = _mm256_broadcast_ss(a1 + o); c10 = _mm256_fmadd_ps(av, b0, c10); c11 = _mm256_fmadd_ps(av, b1, c11); \
        av = _mm256_broadcast_ss(a2 + o); c20 = _mm256_fmadd_ps(av, b0, c20); c21 = _mm256_fmadd_ps(av, b1, c21); \
        av = _mm256_broadcast_ss(a3 + o); c30 = _mm256_fmadd_ps(av, b0, c30); c31 = _mm256_fmadd_ps(av, b1, c31); \
        av = _mm256_broadcast_ss(a4 + o); c40 = _mm256_fmadd_ps(av, b0, c40); c41 = _mm256_fmadd_ps(av, b1, c41); \
        av = _mm256_broadcast_ss(a5 + o); c50 = _mm256_fmadd_ps(av, b0, c50); c51 = _mm256_fmadd_ps(av, b1, c51); \
    } while (0)

static void infer__nn_micro(int64_t k, const float *a, int64_t ars, int64_t aks, const float *pb, const int64_t *koff,
                            float *cm, int64_t ldc, int mr, int nr, const float *bias) {
    float acc[INFER__NN_MR][INFER__NN_NR];
    const float *ap[INFER__NN_MR];
    int r, t;
    for (r = 0; r < INFER__NN_MR; r++) ap[r] = a + (r < mr ? r : mr - 1) * ars;
#if INFER__HAS_AVX2
    {
        __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps();
        __m256 c11 = _mm256_setzero_ps(), c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
        __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps(), c40 = _mm256_setzero_ps();
        __m256 c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
        const float *a0 = ap[0], *a1 = ap[1], *a2 = ap[2], *a3 = ap[3], *a4 = ap[4], *a5 = ap[5];
        int64_t i, o = 0;
        if (koff)
            for (i = 0; i < k; i++, o += aks) INFER__NN_FMA_ROW(pb + koff[i]);
        else
            for (i = 0; i < k; i++, o += aks) INFER__NN_FMA_ROW(pb + i * INFER__NN_NR);
        _mm256_storeu_ps(acc[0], c00); _mm256_storeu_ps(acc[0] + 8, c01);
        _mm256_storeu_ps(acc[1], c10); _mm256_storeu_ps(acc[1] + 8, c11);
        _mm256_storeu_ps(acc[2], c20); _mm256_storeu_ps(acc[2] + 8, c21);
        _mm256_storeu_ps(acc[3], c30); _mm256_storeu_ps(acc[3] + 8, c31);
        _mm256_storeu_ps(acc[4], c40); _mm256_storeu_ps(acc[4] + 8, c41);
        _mm256_storeu_ps(acc[5], c50); _mm256_storeu_ps(acc[5] + 8, c51);
    }
#else
    {
        int64_t i;
        for (r = 0; r < INFER__NN_MR; r++)
            for (t = 0; t < INFER__NN_NR; t++) acc[r][t] = 0.0f;
        for (i = 0; i < k; i++) {
            const float *bp = koff ? pb + koff[i] : pb + i * INFER__NN_NR;
            for (r = 0; r < INFER__NN_MR; r++) {
                float av = ap[r][i * aks];
                INFER__NN_SIMD
                for (t = 0; t < INFER__NN_NR; t++) acc[r][t] += av * bp[t];
            }
        }
    }
#endif
    for (r = 0; r < mr; r++) {
        float bv = bias ? bias[r] : 0.0f, *row = cm + r * ldc;
        for (t = 0; t < nr; t++) row[t] = acc[r][t] + bv;
    }
}
#undef INFER__NN_FMA_ROW

/* C (m x n, row stride ldc) = A * packed B (+ bias[row]). A: row-major with row stride lda, or
   (lda 0) packed by infer__nn_pack_a. Tiles go output-channel block fastest, so consecutive tiles
   of a thread share one B panel. (Cutting k into L2-sized blocks measured slower or equal on
   ResNet / MobileNet shapes: the extra passes over C cost more than they save.) */
static void infer__nn_gemm(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda, const float *pb, float *cm,
                           int64_t ldc, const float *bias, int nt) {
    int64_t nmb = (m + INFER__NN_MR - 1) / INFER__NN_MR, nnb = (n + INFER__NN_NR - 1) / INFER__NN_NR;
    int64_t tiles = nmb * nnb, t;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (t = 0; t < tiles; t++) {
        int64_t jb = t / nmb, ib = t % nmb;
        int mr = (int)(m - ib * INFER__NN_MR < INFER__NN_MR ? m - ib * INFER__NN_MR : INFER__NN_MR);
        int nr = (int)(n - jb * INFER__NN_NR < INFER__NN_NR ? n - jb * INFER__NN_NR : INFER__NN_NR);
        const float *bp = pb + jb * k * INFER__NN_NR;
        float *cp = cm + ib * INFER__NN_MR * ldc + jb * INFER__NN_NR;
        const float *bs = bias ? bias + ib * INFER__NN_MR : NULL;
        if (lda)
            infer__nn_micro(k, a + ib * INFER__NN_MR * lda, lda, 1, bp, NULL, cp, ldc, mr, nr, bs);
        else
            infer__nn_micro(k, a + ib * k * INFER__NN_MR, 1, INFER__NN_MR, bp, NULL, cp, ldc, mr, nr, bs);
    }
}

/* ---- Sliding windows (Conv, pools) ----------------------------------------------------------- */
typedef struct infer__nn_win {
    int nd;                                  /* spatial dims */
    int64_t in[INFER_MAX_RANK], out[INFER_MAX_RANK];
    int64_t k[INFER_MAX_RANK], s[INFER_MAX_RANK], d[INFER_MAX_RANK];
    int64_t pb[INFER_MAX_RANK], pe[INFER_MAX_RANK];
} infer__nn_win;

static int64_t infer__nn_prod(const int64_t *v, int n) {
    int64_t p = 1;
    int i;
    for (i = 0; i < n; i++) p *= v[i];
    return p;
}

/* Reads kernel_shape (or kdims when given: from the weights), strides, dilations and pads for
   input x [N, C, spatial...]; infer__nn_window then applies auto_pad and computes the output
   spatial shape. */
static infer_status infer__nn_window_attrs(infer__kctx *c, const infer_tensor *x, const int64_t *kdims, infer__nn_win *w) {
    const int64_t *v = NULL;
    int nd = x->rank - 2, i, n;
    if (nd < 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d, expected >= 3", x->rank);
    w->nd = nd;
    n = infer__k_attr_ints(c, "kernel_shape", &v);
    if (n >= 0 && n != nd)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "kernel_shape has %d values, expected %d", n, nd);
    if (n < 0 && !kdims) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "kernel_shape is required");
    for (i = 0; i < nd; i++) {
        w->in[i] = x->dims[2 + i];
        w->k[i] = n >= 0 ? v[i] : kdims[i];
        if (kdims && w->k[i] != kdims[i])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "kernel_shape does not match the weights");
        w->s[i] = w->d[i] = 1;
        w->pb[i] = w->pe[i] = 0;
    }
    n = infer__k_attr_ints(c, "strides", &v);
    if (n >= 0 && n != nd)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "strides has %d values, expected %d", n, nd);
    for (i = 0; i < n; i++) w->s[i] = v[i];
    n = infer__k_attr_ints(c, "dilations", &v);
    if (n >= 0 && n != nd)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "dilations has %d values, expected %d", n, nd);
    for (i = 0; i < n; i++) w->d[i] = v[i];
    n = infer__k_attr_ints(c, "pads", &v);
    if (n >= 0 && n != 2 * nd)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "pads has %d values, expected %d", n, 2 * nd);
    for (i = 0; i < nd && n > 0; i++) {
        w->pb[i] = v[i];
        w->pe[i] = v[nd + i];
    }
    for (i = 0; i < nd; i++) {
        if (w->k[i] < 1 || w->k[i] > INFER__NN_LIM || w->s[i] < 1 || w->s[i] > INFER__NN_LIM || w->d[i] < 1 ||
            w->d[i] > INFER__NN_LIM || w->pb[i] < 0 || w->pb[i] > INFER__NN_LIM || w->pe[i] < 0 ||
            w->pe[i] > INFER__NN_LIM)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad kernel_shape, strides, dilations or pads");
    }
    return INFER_STATUS_OK;
}

static infer_status infer__nn_window(infer__kctx *c, const infer_tensor *x, const int64_t *kdims, int ceil_mode,
                                     infer__nn_win *w) {
    const char *ap = infer__k_attr_s(c, "auto_pad", "NOTSET");
    int nd, i;
    infer_status st = infer__nn_window_attrs(c, x, kdims, w);
    if (st) return st;
    nd = w->nd;
    for (i = 0; i < nd; i++) {
        int64_t win = (w->k[i] - 1) * w->d[i] + 1, in = w->in[i];
        if (strcmp(ap, "SAME_UPPER") == 0 || strcmp(ap, "SAME_LOWER") == 0) {
            int64_t o = (in + w->s[i] - 1) / w->s[i], tot = (o - 1) * w->s[i] + win - in;
            if (tot < 0) tot = 0;
            if (ap[5] == 'U') w->pb[i] = tot / 2;
            else w->pb[i] = tot - tot / 2;
            w->pe[i] = tot - w->pb[i];
            w->out[i] = o;
        } else if (strcmp(ap, "VALID") == 0) {
            w->pb[i] = w->pe[i] = 0;
            w->out[i] = in >= win ? (in - win) / w->s[i] + 1 : 0;
        } else if (strcmp(ap, "NOTSET") == 0 || ap[0] == 0) {
            int64_t num = in + w->pb[i] + w->pe[i] - win;
            if (num < 0 && in == 0) {
                w->out[i] = 0; /* an empty input gives an empty output */
                continue;
            }
            if (num < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "window larger than the padded input");
            w->out[i] = (ceil_mode ? (num + w->s[i] - 1) / w->s[i] : num / w->s[i]) + 1;
            if (ceil_mode && (w->out[i] - 1) * w->s[i] >= in + w->pb[i]) w->out[i]--;
        } else {
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown auto_pad '%s'", ap);
        }
    }
    return INFER_STATUS_OK;
}

/* Valid output range [lo, hi) of one axis: in = o*s + base lies in [0, n). */
static void infer__nn_range(int64_t base, int64_t s, int64_t n, int64_t nout, int64_t *lo, int64_t *hi) {
    int64_t l = base >= 0 ? 0 : (-base + s - 1) / s, h = n - 1 - base < 0 ? 0 : (n - 1 - base) / s + 1;
    if (h > nout) h = nout;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

/* Kernel offsets [*lo, *hi) of one axis whose input o*s - pb + k*d lies in [lo_b, hi_b). */
static void infer__nn_krange(int64_t start, int64_t d, int64_t k, int64_t lo_b, int64_t hi_b, int64_t *lo, int64_t *hi) {
    int64_t l = start >= lo_b ? 0 : (lo_b - start + d - 1) / d, h = hi_b - 1 - start < 0 ? 0 : (hi_b - 1 - start) / d + 1;
    if (h > k) h = k;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

/* ---- Conv ------------------------------------------------------------------------------------ */
/* im2col straight into the packed B layout of infer__nn_gemm: block jb of NR output pixels holds,
   for each row (channel, kernel offset), the NR input values those pixels see. Each block is
   written sequentially. A block's pixels form segments, each inside one output row. */
static void infer__nn_im2col(const float *x, int64_t cg, const infer__nn_win *w, float *pb, int nt) {
    int nd = w->nd;
    int64_t kprod = infer__nn_prod(w->k, nd), pin = infer__nn_prod(w->in, nd), p = infer__nn_prod(w->out, nd);
    int64_t rows = cg * kprod, wo = w->out[nd - 1], wi = w->in[nd - 1], sl = w->s[nd - 1];
    int64_t nb = (p + INFER__NN_NR - 1) / INFER__NN_NR, jb;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (jb = 0; jb < nb; jb++) {
        int64_t p0 = jb * INFER__NN_NR, cnt = p - p0 < INFER__NN_NR ? p - p0 : INFER__NN_NR, row, t;
        int64_t oc[INFER_MAX_RANK], kk[INFER_MAX_RANK], r2 = p0;
        int64_t sg_t0[INFER__NN_NR + 1], sg_j0[INFER__NN_NR], sg_oc[INFER__NN_NR][INFER_MAX_RANK];
        float *dst = pb + jb * rows * INFER__NN_NR;
        const float *xc = x;
        int nseg = 0, d, sg;
        for (d = nd - 1; d >= 0; d--) {
            oc[d] = r2 % w->out[d];
            r2 /= w->out[d];
        }
        for (t = 0; t < cnt;) {
            int64_t len = wo - oc[nd - 1] < cnt - t ? wo - oc[nd - 1] : cnt - t;
            sg_t0[nseg] = t;
            sg_j0[nseg] = oc[nd - 1];
            for (d = 0; d < nd - 1; d++) sg_oc[nseg][d] = oc[d];
            nseg++;
            t += len;
            oc[nd - 1] += len; /* next output row */
            for (d = nd - 1; d > 0 && oc[d] >= w->out[d]; d--) {
                oc[d] = 0;
                oc[d - 1]++;
            }
        }
        sg_t0[nseg] = cnt;
        for (d = 0; d < nd; d++) kk[d] = 0;
        for (row = 0; row < rows; row++) {
            int64_t base;
            float *dr = dst + row * INFER__NN_NR;
            if (row) { /* next kernel offset (odometer), then the next channel */
                for (d = nd - 1; d >= 0; d--) {
                    if (++kk[d] < w->k[d]) break;
                    kk[d] = 0;
                }
                if (d < 0) xc += pin;
            }
            base = kk[nd - 1] * w->d[nd - 1] - w->pb[nd - 1];
            for (sg = 0; sg < nseg; sg++) {
                int64_t off = 0, stride = wi, iv, i0 = sg_j0[sg] * sl + base, t0 = sg_t0[sg], len = sg_t0[sg + 1] - t0;
                float *ds = dr + t0;
                int ok = 1;
                for (d = nd - 2; d >= 0; d--) {
                    iv = sg_oc[sg][d] * w->s[d] - w->pb[d] + kk[d] * w->d[d];
                    if (iv < 0 || iv >= w->in[d]) ok = 0;
                    off += iv * stride;
                    stride *= w->in[d];
                }
                if (!ok) {
                    for (t = 0; t < len; t++) ds[t] = 0.0f;
                } else if (sl == 1 && i0 >= 0 && i0 + len <= wi) {
                    const float *src = xc + off + i0;
                    for (t = 0; t < len; t++) ds[t] = src[t];
                } else {
                    const float *src = xc + off;
                    for (t = 0; t < len; t++) {
                        int64_t iw = i0 + t * sl;
                        ds[t] = iw >= 0 && iw < wi ? src[iw] : 0.0f;
                    }
                }
            }
            for (t = cnt; t < INFER__NN_NR; t++) dr[t] = 0.0f;
        }
    }
}

/* Depthwise 2-D: one input channel per group; parallel over (batch, output channel). Each plane is
   first copied into a zero-padded per-thread buffer (hp x wp, with slack on the right), so every
   output row is computed in full blocks of 8 without bounds checks. */
#define INFER__NN_DW_JB 8
static void infer__nn_dw_dims(const infer__nn_win *w, int64_t *hp, int64_t *wp) {
    int64_t nbk = (w->out[1] + INFER__NN_DW_JB - 1) / INFER__NN_DW_JB;
    int64_t need = (nbk * INFER__NN_DW_JB - 1) * w->s[1] + (w->k[1] - 1) * w->d[1] + 1;
    *hp = w->in[0] + w->pb[0] + w->pe[0];
    *wp = (w->in[1] + w->pb[1] > need ? w->in[1] + w->pb[1] : need) + INFER__NN_DW_JB; /* slack: stride-2 loads */
}

static void infer__nn_conv_dw2d(const float *x, const float *wt, const float *bias, float *y, int64_t nb, int64_t cin,
                                int64_t m, const infer__nn_win *w, float *bufs, int nt) {
    int64_t mg = m / cin, hi_ = w->in[0], wi = w->in[1], ho = w->out[0], wo = w->out[1];
    int64_t kh = w->k[0], kw = w->k[1], plane, planes = nb * m, hp, wp;
    int64_t s0 = w->s[0], d0 = w->d[0], s1 = w->s[1], d1 = w->d[1];
    infer__nn_dw_dims(w, &hp, &wp);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (plane = 0; plane < planes; plane++) {
        int64_t n = plane / m, oc = plane % m, ic = oc / mg, i, j, a, b, t;
        const float *xp = x + (n * cin + ic) * hi_ * wi, *wq = wt + oc * kh * kw;
        float *yp = y + plane * ho * wo, bv = bias ? bias[oc] : 0.0f;
#if INFER__HAS_OPENMP
        float *buf = bufs + (int64_t)omp_get_thread_num() * hp * wp;
#else
        float *buf = bufs;
#endif
        for (i = 0; i < hp * wp; i++) buf[i] = 0.0f;
        for (i = 0; i < hi_; i++) memcpy(buf + (i + w->pb[0]) * wp + w->pb[1], xp + i * wi, (size_t)wi * sizeof(float));
        for (i = 0; i < ho; i++) {
            float *yr = yp + i * wo;
            const float *rb = buf + i * s0 * wp;
            for (j = 0; j < wo; j += INFER__NN_DW_JB) {
                float blk[INFER__NN_DW_JB];
                int64_t cnt = wo - j < INFER__NN_DW_JB ? wo - j : INFER__NN_DW_JB;
#if INFER__HAS_AVX2
                if (s1 <= 0x7fffffff / INFER__NN_DW_JB) {
                    __m256 v0 = _mm256_set1_ps(bv), v1 = _mm256_setzero_ps();
                    __m256i gi = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int)s1));
                    for (a = 0; a < kh; a++) {
                        const float *src = rb + a * d0 * wp + j * s1, *wr = wq + a * kw;
                        if (s1 == 1) {
                            for (b = 0; b + 1 < kw; b += 2) { /* two chains hide the FMA latency */
                                v0 = _mm256_fmadd_ps(_mm256_set1_ps(wr[b]), _mm256_loadu_ps(src + b * d1), v0);
                                v1 = _mm256_fmadd_ps(_mm256_set1_ps(wr[b + 1]), _mm256_loadu_ps(src + (b + 1) * d1), v1);
                            }
                            if (b < kw) v0 = _mm256_fmadd_ps(_mm256_set1_ps(wr[b]), _mm256_loadu_ps(src + b * d1), v0);
                        } else if (s1 == 2) { /* even elements of 16 consecutive ones */
                            for (b = 0; b < kw; b++) {
                                const float *sb = src + b * d1;
                                __m256 e = _mm256_shuffle_ps(_mm256_loadu_ps(sb), _mm256_loadu_ps(sb + 8), 0x88);
                                e = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xD8));
                                if (b & 1) v1 = _mm256_fmadd_ps(_mm256_set1_ps(wr[b]), e, v1);
                                else v0 = _mm256_fmadd_ps(_mm256_set1_ps(wr[b]), e, v0);
                            }
                        } else {
                            for (b = 0; b < kw; b++)
                                v0 = _mm256_fmadd_ps(_mm256_set1_ps(wr[b]), _mm256_i32gather_ps(src + b * d1, gi, 4), v0);
                        }
                    }
                    v0 = _mm256_add_ps(v0, v1);
                    if (cnt == INFER__NN_DW_JB) {
                        _mm256_storeu_ps(yr + j, v0);
                        continue;
                    }
                    _mm256_storeu_ps(blk, v0);
                    for (t = 0; t < cnt; t++) yr[j + t] = blk[t];
                    continue;
                }
#endif
                for (t = 0; t < INFER__NN_DW_JB; t++) blk[t] = bv;
                for (a = 0; a < kh; a++)
                    for (b = 0; b < kw; b++) {
                        float wv = wq[a * kw + b];
                        const float *src = rb + a * d0 * wp + j * s1 + b * d1;
                        INFER__NN_SIMD
                        for (t = 0; t < INFER__NN_DW_JB; t++) blk[t] += wv * src[t * s1];
                    }
                for (t = 0; t < cnt; t++) yr[j + t] = blk[t];
            }
        }
    }
}

/* Implicit GEMM for 1-D / 2-D convolutions with unit stride along the last axis: each group's
   input is copied once into a zero-padded buffer xs [cg][hp][wp] (plus slack), and the GEMM reads
   B straight from it: row (ci, a, b) of the tile of output row oh, columns ow0.. is the NR floats at
   xs + oh*s0*wp + ow0 + koff, koff = ci*hp*wp + a*d0*wp + b*d1. A pointwise convolution reads
   the input itself (hp 1, wp = P); its last partial tile comes from a packed panel instead. */
static void infer__nn_conv_implicit(const float *xg, const float *wg, const float *bg, float *yg, int64_t cg, int64_t mg,
                                    const infer__nn_win *w, int pointwise, float *xs, int64_t *koff, float *tail,
                                    int nt) {
    int nd = w->nd;
    int64_t H = nd == 2 ? w->in[0] : 1, W = w->in[nd - 1], ho = nd == 2 ? w->out[0] : 1, wo = w->out[nd - 1];
    int64_t kh = nd == 2 ? w->k[0] : 1, kw = w->k[nd - 1], s0 = nd == 2 ? w->s[0] : 1, d0 = nd == 2 ? w->d[0] : 1;
    int64_t d1 = w->d[nd - 1], pt = nd == 2 ? w->pb[0] : 0, pl = w->pb[nd - 1];
    int64_t hp, wp, K = cg * kh * kw, P = ho * wo, nmb = (mg + INFER__NN_MR - 1) / INFER__NN_MR, ntr, tiles, t, i;
    const float *src;
    if (pointwise) {
        hp = 1;
        wp = P;
        ho = 1;
        wo = P;
        src = xg;
        for (i = 0; i < K; i++) koff[i] = i * P;
        if (P % INFER__NN_NR) infer__nn_pack_b(xg + P / INFER__NN_NR * INFER__NN_NR, P, K, P % INFER__NN_NR, tail, 1);
    } else {
        int64_t ci, a, b;
        hp = H + pt + (nd == 2 ? w->pe[0] : 0);
        wp = W + pl + w->pe[nd - 1];
        for (i = 0; i < INFER__NN_NR; i++) xs[cg * hp * wp + i] = 0.0f; /* slack read by the last tiles */
        (void)nt;
        INFER__OMP_FOR(nt)
        for (ci = 0; ci < cg; ci++) {
            float *dc = xs + ci * hp * wp;
            int64_t r, q;
            for (r = 0; r < hp; r++) {
                float *dr = dc + r * wp;
                if (r < pt || r >= pt + H) {
                    for (q = 0; q < wp; q++) dr[q] = 0.0f;
                    continue;
                }
                for (q = 0; q < pl; q++) dr[q] = 0.0f;
                memcpy(dr + pl, xg + (ci * H + r - pt) * W, (size_t)W * sizeof(float));
                for (q = pl + W; q < wp; q++) dr[q] = 0.0f;
            }
        }
        i = 0;
        for (ci = 0; ci < cg; ci++)
            for (a = 0; a < kh; a++)
                for (b = 0; b < kw; b++) koff[i++] = ci * hp * wp + a * d0 * wp + b * d1;
        src = xs;
    }
    ntr = (wo + INFER__NN_NR - 1) / INFER__NN_NR;
    tiles = nmb * ho * ntr;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (t = 0; t < tiles; t++) {
        int64_t rt = t / nmb, ib = t % nmb, oh = rt / ntr, ow0 = (rt % ntr) * INFER__NN_NR;
        int mr = (int)(mg - ib * INFER__NN_MR < INFER__NN_MR ? mg - ib * INFER__NN_MR : INFER__NN_MR);
        int nr = (int)(wo - ow0 < INFER__NN_NR ? wo - ow0 : INFER__NN_NR);
        float *cp = yg + ib * INFER__NN_MR * P + oh * wo + ow0;
        const float *ap = wg + ib * INFER__NN_MR * K, *bs = bg ? bg + ib * INFER__NN_MR : NULL;
        if (pointwise && nr < INFER__NN_NR)
            infer__nn_micro(K, ap, K, 1, tail, NULL, cp, P, mr, nr, bs);
        else
            infer__nn_micro(K, ap, K, 1, src + oh * s0 * wp + ow0, koff, cp, P, mr, nr, bs);
    }
}

static infer_status infer__k_conv(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *W = INFER__IN(c, 1), *B = INFER__IN(c, 2);
    infer__nn_win w;
    int64_t dims[INFER_MAX_RANK], G = infer__k_attr_i(c, "group", 1), N, C, M, cg, mg, kprod, K, P, pin, n, g;
    const float *x, *wt, *bias = NULL;
    float *y, *pb = NULL;
    int i, nt;
    infer_status st;
    if (!X || !W) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "Conv needs X and W");
    if (!infer__nn_float_type(X->dtype) || W->dtype != X->dtype || (B && B->dtype != X->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input types");
    if (X->rank < 3 || W->rank != X->rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X rank %d and W rank %d", X->rank, W->rank);
    N = X->dims[0]; C = X->dims[1]; M = W->dims[0];
    if (G < 1 || C % G || M % G || W->dims[1] * G != C)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "channels %lld, weight channels %lld, group %lld",
                             (long long)C, (long long)W->dims[1], (long long)G);
    if (B && infer__numel(B) != M) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bias has the wrong size");
    st = infer__nn_window(c, X, W->dims + 2, 0, &w);
    if (st) return st;
    dims[0] = N; dims[1] = M;
    for (i = 0; i < w.nd; i++) dims[2 + i] = w.out[i];
    y = infer__nn_outf(c, 0, X->dtype, X->rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    wt = infer__nn_inf(c, W);
    if (B) bias = infer__nn_inf(c, B);
    if (!x || !wt || (B && !bias)) return infer__nn_oom(c);
    cg = C / G; mg = M / G;
    kprod = infer__nn_prod(w.k, w.nd);
    K = cg * kprod;
    P = infer__nn_prod(w.out, w.nd);
    pin = infer__nn_prod(w.in, w.nd);
    if (N * M * P == 0) goto done;
    nt = INFER__THREADS(c, N * M * P * K);
    if (cg == 1 && w.nd <= 2) {
        infer__nn_win w2 = w;
        int64_t hp, wp;
        if (w.nd == 1) { /* as 2-D with a height of one */
            w2.nd = 2;
            w2.in[1] = w.in[0]; w2.out[1] = w.out[0]; w2.k[1] = w.k[0]; w2.s[1] = w.s[0]; w2.d[1] = w.d[0];
            w2.pb[1] = w.pb[0]; w2.pe[1] = w.pe[0];
            w2.in[0] = w2.out[0] = w2.k[0] = w2.s[0] = w2.d[0] = 1;
            w2.pb[0] = w2.pe[0] = 0;
        }
        infer__nn_dw_dims(&w2, &hp, &wp);
        if (hp * wp <= ((int64_t)1 << 24)) {
            float *bufs = (float *)infer__nn_scratch(c, (size_t)(nt * hp * wp) * sizeof(float));
            if (!bufs) return infer__nn_oom(c);
            infer__nn_conv_dw2d(x, wt, bias, y, N, C, M, &w2, bufs, nt);
            goto done;
        }
    }
    if (K == 0) {
        for (n = 0; n < N * M * P; n++) y[n] = bias ? bias[(n / P) % M] : 0.0f;
        goto done;
    }
    if (K > ((int64_t)1 << 40) / (P + INFER__NN_NR))
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "convolution too large");
    {
        int pointwise = 1;
        for (i = 0; i < w.nd; i++)
            if (w.k[i] != 1 || w.s[i] != 1 || w.pb[i] || w.pe[i]) pointwise = 0;
        /* implicit GEMM (no im2col) pays off for wide rows; for narrow ones, padding the tiles to NR
           columns and reading B scattered cost more than im2col (measured). Pointwise convolutions
           pack B instead: reading it at a stride of whole planes defeats the prefetchers. */
        int implicit = w.nd <= 2 && w.s[w.nd - 1] == 1 && !pointwise && w.out[w.nd - 1] >= 24;
        float *xs = NULL;
        int64_t *koff = NULL;
        if (implicit) {
            int64_t hp = w.nd == 2 ? w.in[0] + w.pb[0] + w.pe[0] : 1, wp = w.in[w.nd - 1] + w.pb[w.nd - 1] + w.pe[w.nd - 1];
            if (cg * hp * wp > ((int64_t)1 << 26)) implicit = 0;
            else {
                xs = (float *)infer__nn_scratch(c, (size_t)(pointwise ? K * INFER__NN_NR : cg * hp * wp + INFER__NN_NR) * sizeof(float));
                koff = (int64_t *)infer__nn_scratch(c, (size_t)K * sizeof(int64_t));
                if (!xs || !koff) return infer__nn_oom(c);
            }
        }
        if (!implicit) {
            pb = (float *)infer__nn_scratch(c, (size_t)(((P + INFER__NN_NR - 1) / INFER__NN_NR) * INFER__NN_NR * K) * sizeof(float));
            if (!pb) return infer__nn_oom(c);
        }
        for (n = 0; n < N; n++)
            for (g = 0; g < G; g++) {
                const float *xg = x + (n * C + g * cg) * pin;
                if (pointwise && P <= 2) { /* matrix-vector: 1x1 convolutions of 1x1 maps (SE blocks, heads) */
                    int64_t oc;
                    float *yg = y + (n * M + g * mg) * P;
                    const float *wg = wt + g * mg * K;
                    (void)nt;
                    INFER__OMP_FOR(nt)
                    for (oc = 0; oc < mg; oc++) {
                        int64_t q, kk;
                        for (q = 0; q < P; q++) {
                            float acc = 0.0f;
                            const float *wr = wg + oc * K;
                            if (P == 1) {
                                INFER__NN_SIMD_SUM(acc)
                                for (kk = 0; kk < K; kk++) acc += wr[kk] * xg[kk];
                            } else {
                                for (kk = 0; kk < K; kk++) acc += wr[kk] * xg[kk * P + q];
                            }
                            yg[oc * P + q] = acc + (bias ? bias[g * mg + oc] : 0.0f);
                        }
                    }
                    continue;
                }
                if (implicit) {
                    infer__nn_conv_implicit(xg, wt + g * mg * K, bias ? bias + g * mg : NULL, y + (n * M + g * mg) * P, cg,
                                            mg, &w, pointwise, xs, koff, xs, nt);
                    continue;
                }
                if (pointwise) {
                    infer__nn_pack_b(xg, pin, K, P, pb, nt);
                } else {
                    infer__nn_im2col(xg, cg, &w, pb, nt);
                }
                infer__nn_gemm(mg, P, K, wt + g * mg * K, K, pb, y + (n * M + g * mg) * P, P,
                               bias ? bias + g * mg : NULL, nt);
            }
    }
done:
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

/* ---- ConvTranspose --------------------------------------------------------------------------- */
static infer_status infer__k_conv_transpose(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *W = INFER__IN(c, 1), *B = INFER__IN(c, 2);
    const int64_t *v = NULL;
    const char *ap = infer__k_attr_s(c, "auto_pad", "NOTSET");
    int64_t G = infer__k_attr_i(c, "group", 1), N, C, M, cg, mg, kprod, Kr, P, pin, n, g;
    int64_t k[INFER_MAX_RANK], s[INFER_MAX_RANK], d[INFER_MAX_RANK], pb_[INFER_MAX_RANK], pe[INFER_MAX_RANK];
    int64_t op[INFER_MAX_RANK], in[INFER_MAX_RANK], out[INFER_MAX_RANK], dims[INFER_MAX_RANK];
    int nd, i, cnt, has_os = 0, nt;
    const float *x, *wt, *bias = NULL;
    float *y, *pa, *pbuf, *col;
    if (!X || !W) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "ConvTranspose needs X and W");
    if (!infer__nn_float_type(X->dtype) || W->dtype != X->dtype || (B && B->dtype != X->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input types");
    if (X->rank < 3 || W->rank != X->rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X rank %d and W rank %d", X->rank, W->rank);
    nd = X->rank - 2;
    N = X->dims[0]; C = X->dims[1];
    if (G < 1 || C % G || W->dims[0] != C)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "channels %lld, weight rows %lld, group %lld",
                             (long long)C, (long long)W->dims[0], (long long)G);
    M = W->dims[1] * G;
    if (B && infer__numel(B) != M) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bias has the wrong size");
    for (i = 0; i < nd; i++) {
        in[i] = X->dims[2 + i];
        k[i] = W->dims[2 + i];
        s[i] = d[i] = 1;
        pb_[i] = pe[i] = op[i] = 0;
    }
    cnt = infer__k_attr_ints(c, "kernel_shape", &v);
    if (cnt >= 0) {
        if (cnt != nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "kernel_shape has %d values", cnt);
        for (i = 0; i < nd; i++)
            if (v[i] != k[i]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "kernel_shape does not match W");
    }
#define INFER__NN_READ(name, arr, mult)                                                                       \
    cnt = infer__k_attr_ints(c, name, &v);                                                                    \
    if (cnt >= 0 && cnt != (mult) * nd)                                                                       \
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "%s has %d values, expected %d", name, cnt, (mult) * nd); \
    for (i = 0; i < cnt && i < nd; i++) arr[i] = v[i];
    INFER__NN_READ("strides", s, 1)
    INFER__NN_READ("dilations", d, 1)
    INFER__NN_READ("output_padding", op, 1)
    INFER__NN_READ("pads", pb_, 2)
    for (i = 0; i < cnt && i < nd; i++) pe[i] = v[nd + i];
    cnt = infer__k_attr_ints(c, "output_shape", &v);
    if (cnt >= 0) {
        if (cnt != nd && cnt != nd + 2)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "output_shape has %d values", cnt);
        for (i = 0; i < nd; i++) out[i] = v[cnt - nd + i];
        has_os = 1;
    }
#undef INFER__NN_READ
    for (i = 0; i < nd; i++) {
        int64_t full;
        if (k[i] < 1 || k[i] > INFER__NN_LIM || s[i] < 1 || s[i] > INFER__NN_LIM || d[i] < 1 || d[i] > INFER__NN_LIM ||
            pb_[i] < 0 || pb_[i] > INFER__NN_LIM || pe[i] < 0 || pe[i] > INFER__NN_LIM || op[i] < 0 ||
            op[i] > INFER__NN_LIM || in[i] > INFER__NN_LIM)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad kernel, strides, dilations or pads");
        full = s[i] * (in[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1;
        if (has_os || strcmp(ap, "SAME_UPPER") == 0 || strcmp(ap, "SAME_LOWER") == 0) {
            int64_t tot;
            if (!has_os) out[i] = in[i] * s[i];
            if (out[i] < 0 || out[i] > INFER__NN_LIM)
                return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad output_shape");
            tot = full - out[i];
            if (tot < 0) tot = 0; /* the output grows past the computed part: zeros there */
            if (strcmp(ap, "SAME_UPPER") == 0) { /* NOTSET with output_shape splits as SAME_LOWER (spec) */
                pb_[i] = tot / 2;
                pe[i] = tot - tot / 2;
            } else {
                pb_[i] = tot - tot / 2;
                pe[i] = tot / 2;
            }
        } else if (strcmp(ap, "VALID") == 0) {
            pb_[i] = pe[i] = 0;
            out[i] = full;
        } else {
            out[i] = full - pb_[i] - pe[i];
            if (out[i] < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "negative output size");
        }
    }
    dims[0] = N; dims[1] = M;
    for (i = 0; i < nd; i++) dims[2 + i] = out[i];
    y = infer__nn_outf(c, 0, X->dtype, X->rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    wt = infer__nn_inf(c, W);
    if (B) bias = infer__nn_inf(c, B);
    if (!x || !wt || (B && !bias)) return infer__nn_oom(c);
    cg = C / G; mg = M / G;
    kprod = infer__nn_prod(k, nd);
    Kr = mg * kprod; /* rows of the column matrix */
    P = infer__nn_prod(out, nd);
    pin = infer__nn_prod(in, nd);
    {
        int64_t pl, j;
        for (pl = 0; pl < N * M; pl++) {
            float bv = bias ? bias[pl % M] : 0.0f, *yp = y + pl * P;
            for (j = 0; j < P; j++) yp[j] = bv;
        }
    }
    if (N * M * P == 0 || pin == 0 || Kr == 0) goto done;
    if (Kr > ((int64_t)1 << 40) / (pin + INFER__NN_NR) || cg > ((int64_t)1 << 40) / (pin + Kr + INFER__NN_NR))
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "convolution too large");
    nt = INFER__THREADS(c, N * Kr * pin * cg);
    pa = (float *)infer__nn_scratch(c, (size_t)(((Kr + INFER__NN_MR - 1) / INFER__NN_MR) * INFER__NN_MR * cg) * sizeof(float));
    pbuf = (float *)infer__nn_scratch(c, (size_t)(((pin + INFER__NN_NR - 1) / INFER__NN_NR) * INFER__NN_NR * cg) * sizeof(float));
    col = (float *)infer__nn_scratch(c, (size_t)(Kr * pin) * sizeof(float));
    if (!pa || !pbuf || !col) return infer__nn_oom(c);
    for (g = 0; g < G; g++) {
        /* A = W_g^T: W_g is [cg][Kr] */
        infer__nn_pack_a(wt + g * cg * Kr, 1, Kr, Kr, cg, pa);
        for (n = 0; n < N; n++) {
            int64_t oc;
            infer__nn_pack_b(x + (n * C + g * cg) * pin, pin, cg, pin, pbuf, nt);
            infer__nn_gemm(Kr, pin, cg, pa, 0, pbuf, col, pin, NULL, nt);
            /* col2im: scatter-add rows (oc, kernel offset) into the output planes */
            INFER__OMP_FOR(nt)
            for (oc = 0; oc < mg; oc++) {
                float *yp = y + (n * M + g * mg + oc) * P;
                int64_t kidx;
                for (kidx = 0; kidx < kprod; kidx++) {
                    const float *cr = col + (oc * kprod + kidx) * pin;
                    int64_t kk[INFER_MAX_RANK], rem = kidx, q, wi = in[nd - 1], base, lo, hi, j, outer = pin / wi;
                    int dd;
                    for (dd = nd - 1; dd >= 0; dd--) {
                        kk[dd] = rem % k[dd];
                        rem /= k[dd];
                    }
                    base = kk[nd - 1] * d[nd - 1] - pb_[nd - 1];
                    /* input index j -> output j*s + base in [0, out) */
                    {
                        int64_t l = base >= 0 ? 0 : (-base + s[nd - 1] - 1) / s[nd - 1];
                        int64_t h = out[nd - 1] - 1 - base < 0 ? 0 : (out[nd - 1] - 1 - base) / s[nd - 1] + 1;
                        if (h > wi) h = wi;
                        if (l > h) l = h;
                        lo = l;
                        hi = h;
                    }
                    for (q = 0; q < outer; q++) {
                        int64_t off = 0, r2 = q, stride = out[nd - 1], iv, o;
                        int ok = 1;
                        float *yr;
                        const float *crr = cr + q * wi;
                        for (dd = nd - 2; dd >= 0; dd--) {
                            iv = r2 % in[dd];
                            r2 /= in[dd];
                            o = iv * s[dd] - pb_[dd] + kk[dd] * d[dd];
                            if (o < 0 || o >= out[dd]) ok = 0;
                            off += o * stride;
                            stride *= out[dd];
                        }
                        if (!ok) continue;
                        yr = yp + off + base;
                        INFER__NN_SIMD
                        for (j = lo; j < hi; j++) yr[j * s[nd - 1]] += crr[j];
                    }
                }
            }
        }
    }
done:
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

/* ---- Pooling --------------------------------------------------------------------------------- */
enum { INFER__NN_MAX = 0, INFER__NN_AVG = 1, INFER__NN_LP = 2 };

static infer_status infer__nn_pool(infer__kctx *c, int kind) {
    const infer_tensor *X = c->in[0];
    infer__nn_win w;
    int64_t dims[INFER_MAX_RANK], in3[3], out3[3], k3[3], s3[3], d3[3], pb3[3], pe3[3], planes, plane, pin, pout;
    int64_t *tab, *tb[3];
    int i, nt, ceil_mode = (int)infer__k_attr_i(c, "ceil_mode", 0), want_idx = infer__nn_has_out(c, 1);
    int cip = (int)infer__k_attr_i(c, "count_include_pad", 0), so = (int)infer__k_attr_i(c, "storage_order", 0);
    double p = 2.0;
    const float *x;
    float *y;
    int64_t *yi = NULL;
    infer_status st;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    if (!infer__nn_float_type(X->dtype) &&
        !(kind == INFER__NN_MAX && (X->dtype == INFER_DTYPE_INT8 || X->dtype == INFER_DTYPE_UINT8)))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %d", X->dtype);
    if (kind == INFER__NN_LP) {
        const infer__attr *a = infer__attr_find(c->node, "p");
        if (a && a->type == INFER__ATTR_INT) p = (double)a->i;
        else if (a && a->type == INFER__ATTR_FLOAT) p = a->f;
        if (!(p > 0 && p < 1e6)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad p");
    }
    st = infer__nn_window(c, X, NULL, ceil_mode, &w);
    if (st) return st;
    if (w.nd > 3) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "pooling over %d dims", w.nd);
    for (i = 0; i < 3; i++) {
        int j = i - (3 - w.nd);
        in3[i] = j >= 0 ? w.in[j] : 1;
        out3[i] = j >= 0 ? w.out[j] : 1;
        k3[i] = j >= 0 ? w.k[j] : 1;
        s3[i] = j >= 0 ? w.s[j] : 1;
        d3[i] = j >= 0 ? w.d[j] : 1;
        pb3[i] = j >= 0 ? w.pb[j] : 0;
        pe3[i] = j >= 0 ? w.pe[j] : 0;
    }
    dims[0] = X->dims[0];
    dims[1] = X->dims[1];
    for (i = 0; i < w.nd; i++) dims[2 + i] = w.out[i];
    y = infer__nn_outf(c, 0, X->dtype, X->rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    if (want_idx) {
        if (kind != INFER__NN_MAX) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "too many outputs");
        yi = (int64_t *)infer__k_output(c, 1, INFER_DTYPE_INT64, X->rank, dims);
        if (!yi) return INFER_STATUS_OUT_OF_MEMORY;
    }
    x = infer__nn_inf(c, X);
    if (!x) return infer__nn_oom(c);
    planes = X->dims[0] * X->dims[1];
    pin = in3[0] * in3[1] * in3[2];
    pout = out3[0] * out3[1] * out3[2];
    if (planes == 0 || pout == 0) goto done;
    if (out3[0] + out3[1] + out3[2] > ((int64_t)1 << 36))
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    nt = INFER__THREADS(c, planes * pout * (k3[0] * k3[1] > (1 << 20) ? (1 << 20) : k3[0] * k3[1]) * 8);
    /* per axis and output index: window start, valid kernel range [lo, hi), divisor factor */
    tab = (int64_t *)infer__nn_scratch(c, (size_t)(out3[0] + out3[1] + out3[2]) * 4 * sizeof(int64_t));
    if (!tab) return infer__nn_oom(c);
    {
        int64_t *tp = tab, o;
        int ax;
        for (ax = 0; ax < 3; ax++) {
            tb[ax] = tp;
            for (o = 0; o < out3[ax]; o++, tp += 4) {
                int64_t clo, chi;
                tp[0] = o * s3[ax] - pb3[ax];
                infer__nn_krange(tp[0], d3[ax], k3[ax], 0, in3[ax], &tp[1], &tp[2]);
                if (kind != INFER__NN_MAX && cip) {
                    infer__nn_krange(tp[0], d3[ax], k3[ax], -pb3[ax], in3[ax] + pe3[ax], &clo, &chi);
                    tp[3] = chi - clo;
                } else {
                    tp[3] = tp[2] - tp[1];
                }
            }
        }
    }
    (void)nt;
    if (!yi && kind != INFER__NN_LP) {
        /* row at a time: each input row updates a whole output row (independent lanes, no chain) */
        INFER__OMP_FOR(nt)
        for (plane = 0; plane < planes; plane++) {
            const float *xp = x + plane * pin;
            float *yp = y + plane * pout;
            int64_t a, b, e, kd, kh, kw, lo, hi;
            for (a = 0; a < out3[0]; a++) {
                const int64_t *ta = tb[0] + 4 * a;
                for (b = 0; b < out3[1]; b++) {
                    const int64_t *tbb = tb[1] + 4 * b;
                    float *yr = yp + (a * out3[1] + b) * out3[2];
                    for (e = 0; e < out3[2]; e++) yr[e] = kind == INFER__NN_MAX ? -INFINITY : 0.0f;
                    for (kd = ta[1]; kd < ta[2]; kd++)
                        for (kh = tbb[1]; kh < tbb[2]; kh++) {
                            const float *xr = xp + ((ta[0] + kd * d3[0]) * in3[1] + tbb[0] + kh * d3[1]) * in3[2];
                            for (kw = 0; kw < k3[2]; kw++) {
                                int64_t base = kw * d3[2] - pb3[2], st = s3[2];
                                infer__nn_range(base, st, in3[2], out3[2], &lo, &hi);
                                if (kind == INFER__NN_MAX) {
                                    if (st == 1) {
                                        INFER__NN_SIMD
                                        for (e = lo; e < hi; e++) yr[e] = xr[e + base] > yr[e] ? xr[e + base] : yr[e];
                                    } else {
                                        for (e = lo; e < hi; e++) yr[e] = xr[e * st + base] > yr[e] ? xr[e * st + base] : yr[e];
                                    }
                                } else {
                                    INFER__NN_SIMD
                                    for (e = lo; e < hi; e++) yr[e] += xr[e * st + base];
                                }
                            }
                        }
                    if (kind == INFER__NN_AVG)
                        for (e = 0; e < out3[2]; e++) {
                            int64_t cnt = ta[3] * tbb[3] * tb[2][4 * e + 3];
                            yr[e] = cnt ? yr[e] / (float)cnt : 0.0f;
                        }
                }
            }
        }
        goto done;
    }
    INFER__OMP_FOR(nt)
    for (plane = 0; plane < planes; plane++) {
        const float *xp = x + plane * pin;
        float *yp = y + plane * pout;
        int64_t a, b, e, o = 0, kd, kh, kw;
        for (a = 0; a < out3[0]; a++) {
            const int64_t *ta = tb[0] + 4 * a;
            for (b = 0; b < out3[1]; b++) {
                const int64_t *tbb = tb[1] + 4 * b;
                for (e = 0; e < out3[2]; e++, o++) {
                    const int64_t *te = tb[2] + 4 * e;
                    int64_t cnt = ta[3] * tbb[3] * te[3], best = -1, lo2 = te[1], hi2 = te[2], dw = d3[2];
                    double acc = 0;
                    float mx = -INFINITY;
                    for (kd = ta[1]; kd < ta[2]; kd++)
                        for (kh = tbb[1]; kh < tbb[2]; kh++) {
                            int64_t row = ((ta[0] + kd * d3[0]) * in3[1] + tbb[0] + kh * d3[1]) * in3[2] + te[0];
                            const float *xr = xp + row;
                            if (kind == INFER__NN_MAX) {
                                if (yi) {
                                    for (kw = lo2; kw < hi2; kw++)
                                        if (xr[kw * dw] > mx || best < 0) {
                                            mx = xr[kw * dw];
                                            best = row + kw * dw;
                                        }
                                } else {
                                    for (kw = lo2; kw < hi2; kw++) mx = xr[kw * dw] > mx ? xr[kw * dw] : mx;
                                }
                            } else if (kind == INFER__NN_AVG) {
                                for (kw = lo2; kw < hi2; kw++) acc += xr[kw * dw];
                            } else if (p == 2.0) {
                                for (kw = lo2; kw < hi2; kw++) acc += (double)xr[kw * dw] * xr[kw * dw];
                            } else {
                                for (kw = lo2; kw < hi2; kw++) acc += pow(fabs((double)xr[kw * dw]), p);
                            }
                        }
                    if (kind == INFER__NN_MAX) {
                        yp[o] = mx;
                        if (yi) {
                            int64_t idx = best < 0 ? 0 : best;
                            if (so && best >= 0) {
                                /* column-major inside the spatial block */
                                int64_t iw = idx % in3[2], ih = (idx / in3[2]) % in3[1], id = idx / (in3[1] * in3[2]);
                                if (w.nd == 1) idx = iw;
                                else if (w.nd == 2) idx = ih + iw * in3[1];
                                else idx = id + (ih + iw * in3[1]) * in3[0];
                            }
                            yi[plane * pout + o] = plane * pin + idx;
                        }
                    } else if (kind == INFER__NN_AVG) {
                        yp[o] = cnt ? (float)(acc / (double)cnt) : 0.0f;
                    } else {
                        yp[o] = (float)(p == 2.0 ? sqrt(acc) : pow(acc, 1.0 / p));
                    }
                }
            }
        }
    }
done:
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_maxpool(infer__kctx *c) { return infer__nn_pool(c, INFER__NN_MAX); }
static infer_status infer__k_avgpool(infer__kctx *c) { return infer__nn_pool(c, INFER__NN_AVG); }
static infer_status infer__k_lppool(infer__kctx *c) { return infer__nn_pool(c, INFER__NN_LP); }

static infer_status infer__nn_global_pool(infer__kctx *c, int kind) {
    const infer_tensor *X = c->in[0];
    int64_t dims[INFER_MAX_RANK], planes, plane, sp;
    int i, nt;
    double p = (double)infer__k_attr_i(c, "p", 2);
    const float *x;
    float *y;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    if (!infer__nn_float_type(X->dtype) && !(kind == INFER__NN_MAX && (X->dtype == INFER_DTYPE_INT8 || X->dtype == INFER_DTYPE_UINT8)))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %d", X->dtype);
    if (X->rank < 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d", X->rank);
    if (kind == INFER__NN_LP) {
        const infer__attr *a = infer__attr_find(c->node, "p");
        if (a && a->type == INFER__ATTR_FLOAT) p = a->f;
        if (!(p > 0 && p < 1e6)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad p");
    }
    dims[0] = X->dims[0];
    dims[1] = X->dims[1];
    for (i = 2; i < X->rank; i++) dims[i] = 1;
    y = infer__nn_outf(c, 0, X->dtype, X->rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    if (!x) return infer__nn_oom(c);
    planes = X->dims[0] * X->dims[1];
    sp = planes ? infer__numel(X) / planes : 0;
    nt = INFER__THREADS(c, planes * sp);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (plane = 0; plane < planes; plane++) {
        const float *xp = x + plane * sp;
        int64_t j;
        if (kind == INFER__NN_MAX) {
            float m = -INFINITY;
            INFER__NN_SIMD_MAX(m)
            for (j = 0; j < sp; j++) m = xp[j] > m ? xp[j] : m;
            y[plane] = m;
        } else if (kind == INFER__NN_AVG) {
            double s = 0;
            INFER__NN_SIMD_SUM(s)
            for (j = 0; j < sp; j++) s += xp[j];
            y[plane] = sp ? (float)(s / (double)sp) : 0.0f;
        } else {
            double s = 0;
            for (j = 0; j < sp; j++) s += pow(fabs((double)xp[j]), p);
            y[plane] = (float)pow(s, 1.0 / p);
        }
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_global_maxpool(infer__kctx *c) { return infer__nn_global_pool(c, INFER__NN_MAX); }
static infer_status infer__k_global_avgpool(infer__kctx *c) { return infer__nn_global_pool(c, INFER__NN_AVG); }
static infer_status infer__k_global_lppool(infer__kctx *c) { return infer__nn_global_pool(c, INFER__NN_LP); }

static infer_status infer__k_maxunpool(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *I = INFER__IN(c, 1), *S = INFER__IN(c, 2);
    infer__nn_win w;
    int64_t inf[INFER_MAX_RANK], dims[INFER_MAX_RANK], total_inf, n, j, i64;
    int i;
    const float *x;
    float *y, *tmp;
    infer_status st;
    if (!X || !I) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "MaxUnpool needs X and I");
    if (!infer__nn_float_type(X->dtype) || (I->dtype != INFER_DTYPE_INT64 && I->dtype != INFER_DTYPE_INT32))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported types");
    if (I->rank != X->rank || memcmp(I->dims, X->dims, sizeof(int64_t) * (size_t)X->rank))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "I and X differ in shape");
    st = infer__nn_window_attrs(c, X, NULL, &w);
    if (st) return st;
    inf[0] = X->dims[0];
    inf[1] = X->dims[1];
    for (i = 0; i < w.nd; i++) {
        inf[2 + i] = (w.in[i] - 1) * w.s[i] - (w.pb[i] + w.pe[i]) + w.k[i];
        if (inf[2 + i] < 0 || inf[2 + i] > INFER__NN_LIM)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bad output size");
    }
    memcpy(dims, inf, sizeof(int64_t) * (size_t)X->rank);
    if (S) {
        int64_t sv[INFER_MAX_RANK];
        if (infer__tensor_ints(S, sv, INFER_MAX_RANK) != X->rank)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "output_shape has the wrong length");
        for (i = 0; i < X->rank; i++) {
            if (sv[i] < 0 || sv[i] > INFER__NN_LIM)
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bad output_shape");
            dims[i] = sv[i];
        }
    }
    total_inf = infer__count_checked(X->rank, inf);
    if (total_inf < 0 || total_inf > ((int64_t)1 << 40))
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = infer__nn_outf(c, 0, X->dtype, X->rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    tmp = (float *)infer__nn_scratch(c, (size_t)total_inf * sizeof(float));
    if (!x || !tmp) return infer__nn_oom(c);
    for (j = 0; j < total_inf; j++) tmp[j] = 0.0f;
    n = infer__numel(X);
    for (j = 0; j < n; j++) {
        i64 = infer__get_i64(I, j);
        if (i64 < 0 || i64 >= total_inf)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "index %lld out of range", (long long)i64);
        tmp[i64] = x[j];
    }
    /* place the inferred block at the origin of the requested output */
    n = infer__numel(c->out[0]);
    for (j = 0; j < n; j++) {
        int64_t rem = j, src = 0, mul = 1;
        int ok = 1, d;
        for (d = X->rank - 1; d >= 0; d--) {
            int64_t id = rem % dims[d];
            rem /= dims[d];
            if (id >= inf[d]) ok = 0;
            src += id * mul;
            mul *= inf[d];
        }
        y[j] = ok ? tmp[src] : 0.0f;
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

/* ---- Normalisation ---------------------------------------------------------------------------- */
static infer_status infer__k_batchnorm(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *S = INFER__IN(c, 1), *B = INFER__IN(c, 2), *Mn = INFER__IN(c, 3), *V = INFER__IN(c, 4);
    double eps = infer__k_attr_f(c, "epsilon", 1e-5f), mom = infer__k_attr_f(c, "momentum", 0.9f);
    int training = c->node->opset >= 14 && infer__k_attr_i(c, "training_mode", 0) != 0;
    int64_t C, sp, N, ch, n, j;
    const float *x, *sc, *bi, *mean, *var;
    float *y, *a, *b, *bm = NULL, *bv = NULL;
    if (!X || !S || !B || !Mn || !V)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "BatchNormalization needs 5 inputs");
    if (!infer__nn_float_type(X->dtype) || !infer__nn_float_type(S->dtype) || !infer__nn_float_type(B->dtype) ||
        !infer__nn_float_type(Mn->dtype) || !infer__nn_float_type(V->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported types");
    if (X->rank < 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scalar input");
    N = X->dims[0];
    C = X->rank > 1 ? X->dims[1] : 1;
    if (infer__numel(S) != C || infer__numel(B) != C || infer__numel(Mn) != C || infer__numel(V) != C)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scale/bias/mean/var must have %lld elements", (long long)C);
    sp = N * C != 0 ? infer__numel(X) / (N * C) : 0;
    y = infer__nn_outf(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X); sc = infer__nn_inf(c, S); bi = infer__nn_inf(c, B);
    mean = infer__nn_inf(c, Mn); var = infer__nn_inf(c, V);
    a = (float *)infer__nn_scratch(c, (size_t)C * 2 * sizeof(float));
    if (!x || !sc || !bi || !mean || !var || !a) return infer__nn_oom(c);
    b = a + C;
    if (training) {
        bm = (float *)infer__nn_scratch(c, (size_t)C * 2 * sizeof(float));
        if (!bm) return infer__nn_oom(c);
        bv = bm + C;
        for (ch = 0; ch < C; ch++) {
            double s = 0, q = 0, cnt = (double)(N * sp), mu;
            for (n = 0; n < N; n++) {
                const float *xp = x + (n * C + ch) * sp;
                for (j = 0; j < sp; j++) s += xp[j];
            }
            mu = cnt > 0 ? s / cnt : 0;
            for (n = 0; n < N; n++) {
                const float *xp = x + (n * C + ch) * sp;
                for (j = 0; j < sp; j++) q += (xp[j] - mu) * (xp[j] - mu);
            }
            bm[ch] = (float)mu;
            bv[ch] = (float)(cnt > 0 ? q / cnt : 0);
        }
    }
    for (ch = 0; ch < C; ch++) {
        double m = training ? bm[ch] : mean[ch], v = training ? bv[ch] : var[ch];
        double k = sc[ch] / sqrt(v + eps);
        a[ch] = (float)k;
        b[ch] = (float)(bi[ch] - m * k);
    }
    {
        int64_t planes = N * C, p;
        int nt = INFER__THREADS(c, planes * sp);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (p = 0; p < planes; p++) {
            const float *xp = x + p * sp;
            float *yp = y + p * sp, ka = a[p % C], kb = b[p % C];
            int64_t q;
            INFER__NN_SIMD
            for (q = 0; q < sp; q++) yp[q] = xp[q] * ka + kb;
        }
    }
    infer__nn_outdone(c, 0, y);
    /* training outputs: running mean / var (opset 14+); older opsets' extra outputs get the inputs' stats */
    for (j = 1; j < c->n_out && j < 5; j++) {
        float *o;
        const infer_tensor *src = j == 1 || j == 3 ? Mn : V;
        if (!infer__nn_has_out(c, (int)j)) continue;
        o = infer__nn_outf(c, (int)j, src->dtype, src->rank, src->dims);
        if (!o) return INFER_STATUS_OUT_OF_MEMORY;
        for (ch = 0; ch < C; ch++) {
            const float *in_stat = (j == 1 || j == 3) ? mean : var;
            if (training) {
                float cur = (j == 1 || j == 3) ? bm[ch] : bv[ch];
                o[ch] = (float)(in_stat[ch] * mom + cur * (1.0 - mom));
            } else {
                o[ch] = in_stat[ch];
            }
        }
        infer__nn_outdone(c, (int)j, o);
    }
    return INFER_STATUS_OK;
}

/* mean / (1/sqrt(var+eps)) over count elements at x[i*stride] ... helper for plane statistics */
static void infer__nn_stats(const float *x, int64_t n, double *mean, double *var) {
    double s = 0, q = 0, mu;
    int64_t i;
    for (i = 0; i < n; i++) s += x[i];
    mu = n ? s / (double)n : 0;
    for (i = 0; i < n; i++) q += (x[i] - mu) * (x[i] - mu);
    *mean = mu;
    *var = n ? q / (double)n : 0;
}

static infer_status infer__k_instancenorm(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *S = INFER__IN(c, 1), *B = INFER__IN(c, 2);
    double eps = infer__k_attr_f(c, "epsilon", 1e-5f);
    int64_t C, sp, planes, p;
    int nt;
    const float *x, *sc, *bi;
    float *y;
    if (!X || !S || !B) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "InstanceNormalization needs 3 inputs");
    if (!infer__nn_float_type(X->dtype) || !infer__nn_float_type(S->dtype) || !infer__nn_float_type(B->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported types");
    if (X->rank < 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d", X->rank);
    C = X->dims[1];
    if (infer__numel(S) != C || infer__numel(B) != C)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scale/bias size");
    planes = X->dims[0] * C;
    sp = planes ? infer__numel(X) / planes : 0;
    y = infer__nn_outf(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X); sc = infer__nn_inf(c, S); bi = infer__nn_inf(c, B);
    if (!x || !sc || !bi) return infer__nn_oom(c);
    nt = INFER__THREADS(c, planes * sp);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (p = 0; p < planes; p++) {
        double mu, var, k;
        float ka, kb;
        int64_t q;
        infer__nn_stats(x + p * sp, sp, &mu, &var);
        k = sc[p % C] / sqrt(var + eps);
        ka = (float)k;
        kb = (float)(bi[p % C] - mu * k);
        INFER__NN_SIMD
        for (q = 0; q < sp; q++) y[p * sp + q] = x[p * sp + q] * ka + kb;
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_groupnorm(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *S = INFER__IN(c, 1), *B = INFER__IN(c, 2);
    double eps = infer__k_attr_f(c, "epsilon", 1e-5f);
    int64_t G = infer__k_attr_i(c, "num_groups", 0), C, sp, cg, N, blocks, blk;
    int nt, per_ch;
    const float *x, *sc, *bi;
    float *y;
    if (!X || !S || !B) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "GroupNormalization needs 3 inputs");
    if (!infer__nn_float_type(X->dtype) || !infer__nn_float_type(S->dtype) || !infer__nn_float_type(B->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported types");
    if (X->rank < 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d", X->rank);
    N = X->dims[0];
    C = X->dims[1];
    if (G < 1 || C % G)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "num_groups %lld does not divide %lld channels", (long long)G, (long long)C);
    /* opset 18: scale/bias per group; opset 21: per channel */
    if (infer__numel(S) == C && infer__numel(B) == C) per_ch = 1;
    else if (infer__numel(S) == G && infer__numel(B) == G) per_ch = 0;
    else return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scale/bias size");
    cg = C / G;
    sp = N * C != 0 ? infer__numel(X) / (N * C) : 0;
    y = infer__nn_outf(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X); sc = infer__nn_inf(c, S); bi = infer__nn_inf(c, B);
    if (!x || !sc || !bi) return infer__nn_oom(c);
    blocks = N * G;
    nt = INFER__THREADS(c, blocks * cg * sp);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (blk = 0; blk < blocks; blk++) {
        double mu, var, inv;
        int64_t g = blk % G, ch, q, len = cg * sp;
        const float *xp = x + blk * len;
        float *yp = y + blk * len;
        infer__nn_stats(xp, len, &mu, &var);
        inv = 1.0 / sqrt(var + eps);
        for (ch = 0; ch < cg; ch++) {
            int64_t ci = per_ch ? g * cg + ch : g;
            float ka = (float)(sc[ci] * inv), kb = (float)(bi[ci] - mu * sc[ci] * inv);
            INFER__NN_SIMD
            for (q = 0; q < sp; q++) yp[ch * sp + q] = xp[ch * sp + q] * ka + kb;
        }
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_lrn(infer__kctx *c) {
    const infer_tensor *X = c->in[0];
    double alpha = infer__k_attr_f(c, "alpha", 1e-4f), beta = infer__k_attr_f(c, "beta", 0.75f);
    double bias = infer__k_attr_f(c, "bias", 1.0f);
    int64_t size = infer__k_attr_i(c, "size", 0), C, sp, N, planes, p, lo, hi;
    int nt;
    const float *x;
    float *y;
    if (!X || !infer__nn_float_type(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input");
    if (X->rank < 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d", X->rank);
    if (size < 1 || size > INFER__NN_LIM) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad size");
    N = X->dims[0];
    C = X->dims[1];
    sp = N * C != 0 ? infer__numel(X) / (N * C) : 0;
    lo = (size - 1) / 2;
    hi = size - 1 - lo;
    y = infer__nn_outf(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    if (!x) return infer__nn_oom(c);
    planes = N * C;
    nt = INFER__THREADS(c, planes * sp * size);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (p = 0; p < planes; p++) {
        int64_t n = p / C, ch = p % C, c0 = ch - lo < 0 ? 0 : ch - lo, c1 = ch + hi >= C ? C - 1 : ch + hi, q, cc;
        for (q = 0; q < sp; q++) {
            double s = 0;
            for (cc = c0; cc <= c1; cc++) {
                double v = x[(n * C + cc) * sp + q];
                s += v * v;
            }
            y[p * sp + q] = (float)(x[p * sp + q] / pow(bias + alpha / (double)size * s, beta));
        }
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_lpnorm(infer__kctx *c) {
    const infer_tensor *X = c->in[0];
    int axis, pw = (int)infer__k_attr_i(c, "p", 2);
    int64_t outer = 1, len, inner = 1, o;
    int i;
    const float *x;
    float *y;
    if (!X || !infer__nn_float_type(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input");
    axis = infer__axis(infer__k_attr_i(c, "axis", -1), X->rank);
    if (axis < 0 || X->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad axis");
    if (pw != 1 && pw != 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "p must be 1 or 2");
    for (i = 0; i < axis; i++) outer *= X->dims[i];
    len = X->dims[axis];
    for (i = axis + 1; i < X->rank; i++) inner *= X->dims[i];
    y = infer__nn_outf(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    if (!x) return infer__nn_oom(c);
    for (o = 0; o < outer * inner; o++) {
        int64_t a = o / inner, b = o % inner, j;
        const float *xp = x + a * len * inner + b;
        float *yp = y + a * len * inner + b;
        double s = 0;
        for (j = 0; j < len; j++) s += pw == 1 ? fabs((double)xp[j * inner]) : (double)xp[j * inner] * xp[j * inner];
        if (pw == 2) s = sqrt(s);
        for (j = 0; j < len; j++) yp[j * inner] = s > 0 ? (float)(xp[j * inner] / s) : 0.0f;
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_mvn(infer__kctx *c) {
    const infer_tensor *X = c->in[0];
    const int64_t *av = NULL;
    int64_t def_axes[3] = {0, 2, 3}, kept = 1, n, i, stride[INFER_MAX_RANK], kstride[INFER_MAX_RANK];
    int na = infer__k_attr_ints(c, "axes", &av), red[INFER_MAX_RANK], d, r;
    const float *x;
    float *y;
    double *acc;
    if (!X || !infer__nn_float_type(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input");
    r = X->rank;
    if (na < 0) { av = def_axes; na = 3; }
    for (d = 0; d < r; d++) red[d] = 0;
    for (i = 0; i < na; i++) {
        int ax = infer__axis(av[i], r);
        if (ax < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axis %lld out of range", (long long)av[i]);
        red[ax] = 1;
    }
    for (d = r - 1; d >= 0; d--) {
        kstride[d] = red[d] ? 0 : kept;
        if (!red[d]) kept *= X->dims[d];
    }
    y = infer__nn_outf(c, 0, X->dtype, r, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    acc = (double *)infer__nn_scratch(c, (size_t)kept * 3 * sizeof(double));
    if (!x || !acc) return infer__nn_oom(c);
    n = infer__numel(X);
    for (i = 0; i < 3 * kept; i++) acc[i] = 0;
    {
        int64_t s = 1;
        for (d = r - 1; d >= 0; d--) { stride[d] = s; s *= X->dims[d]; }
    }
    for (i = 0; i < n; i++) {
        int64_t k = 0;
        for (d = 0; d < r; d++) k += ((i / stride[d]) % X->dims[d]) * kstride[d];
        acc[3 * k] += x[i];
        acc[3 * k + 1] += (double)x[i] * x[i];
        acc[3 * k + 2] += 1;
    }
    for (i = 0; i < kept; i++) {
        double cnt = acc[3 * i + 2] > 0 ? acc[3 * i + 2] : 1, mu = acc[3 * i] / cnt, v = acc[3 * i + 1] / cnt - mu * mu;
        acc[3 * i] = mu;
        acc[3 * i + 1] = sqrt(v > 0 ? v : 0) + 1e-9;
    }
    for (i = 0; i < n; i++) {
        int64_t k = 0;
        for (d = 0; d < r; d++) k += ((i / stride[d]) % X->dims[d]) * kstride[d];
        y[i] = (float)((x[i] - acc[3 * k]) / acc[3 * k + 1]);
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

/* MT19937 as numpy's legacy RandomState(seed): training-mode Dropout reproduces the reference. */
typedef struct infer__nn_mt {
    uint32_t key[624];
    int pos;
} infer__nn_mt;

static void infer__nn_mt_seed(infer__nn_mt *m, uint32_t seed) {
    int i;
    m->key[0] = seed;
    for (i = 1; i < 624; i++) m->key[i] = 1812433253u * (m->key[i - 1] ^ (m->key[i - 1] >> 30)) + (uint32_t)i;
    m->pos = 624;
}

static uint32_t infer__nn_mt_next(infer__nn_mt *m) {
    uint32_t y;
    if (m->pos >= 624) {
        int i;
        for (i = 0; i < 624; i++) {
            y = (m->key[i] & 0x80000000u) | (m->key[(i + 1) % 624] & 0x7fffffffu);
            m->key[i] = m->key[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
        }
        m->pos = 0;
    }
    y = m->key[m->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

static double infer__nn_mt_double(infer__nn_mt *m) {
    uint32_t a = infer__nn_mt_next(m) >> 5, b = infer__nn_mt_next(m) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

static infer_status infer__k_dropout(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *R = INFER__IN(c, 1), *T = INFER__IN(c, 2);
    double ratio = infer__k_attr_f(c, "ratio", 0.5f);
    int training = 0, want_mask = infer__nn_has_out(c, 1), mdt;
    int64_t n, i;
    uint8_t *mask8 = NULL;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    if (c->node->opset >= 12) {
        if (R && infer__numel(R) >= 1) ratio = infer__get_f64(R, 0);
        if (T && infer__numel(T) >= 1) training = infer__get_f64(T, 0) != 0;
    }
    /* opsets < 12 are inference-only here (is_test is ignored) */
    mdt = c->node->opset >= 10 ? INFER_DTYPE_BOOL : X->dtype;
    n = infer__numel(X);
    if (!training || ratio == 0) {
        infer_status st = infer__k_output_alias(c, 0, 0, X->rank, X->dims);
        if (st) return st;
        if (want_mask) {
            void *m = infer__k_output(c, 1, mdt, X->rank, X->dims);
            if (!m) return INFER_STATUS_OUT_OF_MEMORY;
            if (mdt == INFER_DTYPE_BOOL) memset(m, 1, (size_t)n);
            else for (i = 0; i < n; i++) infer__set_f64(c->out[1], i, 1.0);
        }
        return INFER_STATUS_OK;
    }
    if (!(ratio >= 0 && ratio < 1))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "ratio %g not in [0, 1)", ratio);
    if (!infer__nn_float_type(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type");
    {
        infer__nn_mt mt;
        double scale = 1.0 / (1.0 - ratio);
        const float *x = infer__nn_inf(c, X);
        float *y = infer__nn_outf(c, 0, X->dtype, X->rank, X->dims);
        if (!y) return INFER_STATUS_OUT_OF_MEMORY;
        if (want_mask) {
            mask8 = (uint8_t *)infer__k_output(c, 1, INFER_DTYPE_BOOL, X->rank, X->dims);
            if (!mask8) return INFER_STATUS_OUT_OF_MEMORY;
        }
        if (!x) return infer__nn_oom(c);
        infer__nn_mt_seed(&mt, (uint32_t)infer__k_attr_i(c, "seed", 0));
        for (i = 0; i < n; i++) {
            int keep = infer__nn_mt_double(&mt) >= ratio;
            y[i] = keep ? (float)(x[i] * scale) : 0.0f;
            if (mask8) mask8[i] = (uint8_t)keep;
        }
        infer__nn_outdone(c, 0, y);
    }
    return INFER_STATUS_OK;
}

/* ---- Resize / Upsample ------------------------------------------------------------------------- */
/* Resize is separable: each resized axis gets a table of taps (input index, weight) per output
   index, applied one axis at a time as the ONNX reference does. */
enum { INFER__NN_NEAREST = 0, INFER__NN_LINEAR = 1, INFER__NN_CUBIC = 2 };
enum {
    INFER__NN_CT_HALF_PIXEL, INFER__NN_CT_HALF_PIXEL_SYM, INFER__NN_CT_PYTORCH, INFER__NN_CT_ALIGN,
    INFER__NN_CT_ASYM, INFER__NN_CT_TF_CROP, INFER__NN_CT_TF_HALF_NN
};
enum { INFER__NN_NM_PREFER_FLOOR, INFER__NN_NM_PREFER_CEIL, INFER__NN_NM_FLOOR, INFER__NN_NM_CEIL, INFER__NN_NM_SIMPLE };

typedef struct infer__nn_rsz {
    int mode, ctm, nearest, antialias, exclude;
    double a, extrap;
} infer__nn_rsz;

static double infer__nn_cubic_w(double x, double A) {
    x = fabs(x);
    if (x <= 1) return ((A + 2) * x - (A + 3)) * x * x + 1;
    if (x < 2) return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    return 0;
}

/* Taps per output index: 1 (nearest), 2 (linear), 4 (cubic), more when antialiasing a downscale. */
static int64_t infer__nn_taps(const infer__nn_rsz *r, double scale) {
    double se = r->antialias && scale < 1 ? scale : 1.0;
    int64_t start;
    if (r->mode == INFER__NN_NEAREST) return 1;
    start = (int64_t)floor((r->mode == INFER__NN_LINEAR ? -1.0 : -2.0) / se) + 1;
    return 2 - 2 * start;
}

/* Taps of one axis (in -> out): idx / w get out * taps entries, ext flags the outputs that
   tf_crop_and_resize extrapolates. */
static void infer__nn_fill_taps(const infer__nn_rsz *r, int64_t in, int64_t out, double scale, double roi0, double roi1,
                                int64_t taps, int64_t *idx, float *w, uint8_t *ext) {
    double se = r->antialias && scale < 1 ? scale : 1.0, ow = scale * (double)in;
    int64_t j, t, start = 1 - taps / 2;
    for (j = 0; j < out; j++) {
        double y = (double)j, x, sum = 0;
        int64_t *ix = idx + j * taps;
        float *wx = w + j * taps;
        ext[j] = 0;
        switch (r->ctm) {
        case INFER__NN_CT_ALIGN: x = ow == 1 ? 0.0 : y * (double)(in - 1) / (ow - 1); break;
        case INFER__NN_CT_ASYM: x = y / scale; break;
        case INFER__NN_CT_TF_CROP:
            x = ow == 1 ? (roi1 - roi0) * (double)(in - 1) / 2 : y * (roi1 - roi0) * (double)(in - 1) / (ow - 1);
            x += roi0 * (double)(in - 1);
            if (x < 0 || x > (double)(in - 1)) ext[j] = 1;
            break;
        case INFER__NN_CT_PYTORCH: x = ow == 1 ? -0.5 : (y + 0.5) / scale - 0.5; break;
        case INFER__NN_CT_HALF_PIXEL_SYM: {
            double adj = (double)out / ow, center = (double)in / 2, off = center * (1 - adj);
            x = off + (y + 0.5) / scale - 0.5;
            break;
        }
        case INFER__NN_CT_TF_HALF_NN: x = (y + 0.5) / scale; break;
        default: x = (y + 0.5) / scale - 0.5; break;
        }
        if (x != x) x = 0;
        if (x > 4e18) x = 4e18;
        if (x < -4e18) x = -4e18;
        if (r->mode == INFER__NN_NEAREST) {
            double fl = floor(x), ratio = x - fl;
            int64_t k = (int64_t)fl;
            if (ratio != 0) {
                switch (r->nearest) {
                case INFER__NN_NM_PREFER_CEIL: k += ratio >= 0.5; break;
                case INFER__NN_NM_FLOOR: break;
                case INFER__NN_NM_CEIL: k += 1; break;
                case INFER__NN_NM_SIMPLE: k += scale < 1; break;
                default: k += ratio > 0.5; break;
                }
            }
            ix[0] = k < 0 ? 0 : k >= in ? in - 1 : k;
            wx[0] = 1.0f;
            continue;
        }
        {
            double fl = floor(x);
            double wd[64];
            int64_t base;
            if (fl == x) fl -= 1; /* prefer the left pixel: ratio in (0, 1] */
            base = (int64_t)fl + start;
            for (t = 0; t < taps; t++) {
                int64_t k = base + t;
                double d = ((double)k - x) * se, v;
                if (r->mode == INFER__NN_LINEAR) {
                    v = 1 - fabs(d);
                    if (v < 0) v = 0;
                } else {
                    v = infer__nn_cubic_w(d, r->a);
                }
                if (r->exclude && (k < 0 || k >= in)) v = 0;
                if (t < 64) wd[t] = v;
                wx[t] = (float)v;
                sum += v;
                ix[t] = k < 0 ? 0 : k >= in ? in - 1 : k;
            }
            if ((r->antialias || r->exclude) && sum != 0)
                for (t = 0; t < taps; t++) wx[t] = (float)((t < 64 ? wd[t] : (double)wx[t]) / sum);
        }
    }
}

/* One axis: src [outer, L, inner] -> dst [outer, O, inner]. */
static void infer__nn_resize_axis(const float *src, float *dst, int64_t outer, int64_t L, int64_t inner, int64_t O,
                                  int64_t taps, const int64_t *idx, const float *w, const uint8_t *ext, float extrap,
                                  int nt) {
    int64_t rows = outer * O, rj;
    (void)nt;
    if (inner == 1) { /* the last axis: one output element per index, no division per element */
        int64_t o;
        INFER__OMP_FOR(nt)
        for (o = 0; o < outer; o++) {
            const float *s0 = src + o * L;
            float *d = dst + o * O;
            int64_t j, t;
            if (taps == 1) {
                for (j = 0; j < O; j++) d[j] = ext[j] ? extrap : s0[idx[j]];
                continue;
            }
            for (j = 0; j < O; j++) {
                float acc = 0;
                const int64_t *ix = idx + j * taps;
                const float *wx = w + j * taps;
                for (t = 0; t < taps; t++) acc += wx[t] * s0[ix[t]];
                d[j] = ext[j] ? extrap : acc;
            }
        }
        return;
    }
    INFER__OMP_FOR(nt)
    for (rj = 0; rj < rows; rj++) {
        int64_t o = rj / O, j = rj % O, i, t;
        float *d = dst + rj * inner;
        if (ext[j]) {
            for (i = 0; i < inner; i++) d[i] = extrap;
            continue;
        }
        if (taps == 1) {
            const float *s0 = src + (o * L + idx[j]) * inner;
            for (i = 0; i < inner; i++) d[i] = s0[i];
            continue;
        }
        for (i = 0; i < inner; i++) d[i] = 0.0f;
        for (t = 0; t < taps; t++) {
            float wv = w[j * taps + t];
            const float *s0 = src + (o * L + idx[j * taps + t]) * inner;
            if (wv == 0.0f) continue;
            INFER__NN_SIMD
            for (i = 0; i < inner; i++) d[i] += wv * s0[i];
        }
    }
}

/* Shared body: scales[r] / out[r] per axis (already resolved), roi[2r]. */
static infer_status infer__nn_resize_run(infer__kctx *c, const infer__nn_rsz *rz, const int64_t *outd, const double *scales,
                                         const double *roi, const int *order, int norder) {
    const infer_tensor *X = c->in[0];
    int r = X->rank, k, last = -1;
    int64_t cur[INFER_MAX_RANK];
    const float *x;
    float *y, *buf[2];
    int nb = 0;
    for (k = 0; k < norder; k++) {
        int a = order[k];
        if (!(fabs(scales[a] - 1.0) < 1e-9 && outd[a] == X->dims[a] && (rz->ctm != INFER__NN_CT_TF_CROP ||
              (fabs(roi[a]) < 1e-9 && fabs(roi[r + a] - 1.0) < 1e-9))))
            last = k;
    }
    y = infer__nn_outf(c, 0, X->dtype, r, outd);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X);
    if (!x) return infer__nn_oom(c);
    if (infer__numel(c->out[0]) == 0) goto done;
    if (last < 0) {
        memcpy(y, x, (size_t)infer__numel(X) * sizeof(float));
        goto done;
    }
    memcpy(cur, X->dims, sizeof(int64_t) * (size_t)r);
    {
        /* the largest intermediate: sizes grow axis by axis */
        int64_t mx = 1, tmpd[INFER_MAX_RANK];
        memcpy(tmpd, X->dims, sizeof(int64_t) * (size_t)r);
        for (k = 0; k <= last; k++) {
            int64_t n;
            tmpd[order[k]] = outd[order[k]];
            n = infer__count_checked(r, tmpd);
            if (n < 0 || n > ((int64_t)1 << 40))
                return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "resize too large");
            if (n > mx) mx = n;
        }
        buf[0] = (float *)infer__nn_scratch(c, (size_t)mx * sizeof(float));
        buf[1] = (float *)infer__nn_scratch(c, (size_t)mx * sizeof(float));
        if (!buf[0] || !buf[1]) return infer__nn_oom(c);
    }
    for (k = 0; k <= last; k++) {
        int a = order[k], d;
        int64_t L = cur[a], O = outd[a], outer = 1, inner = 1, taps;
        int64_t *idx;
        float *w, *dst;
        uint8_t *ext;
        if (k < last && fabs(scales[a] - 1.0) < 1e-9 && O == L &&
            (rz->ctm != INFER__NN_CT_TF_CROP || (fabs(roi[a]) < 1e-9 && fabs(roi[r + a] - 1.0) < 1e-9)))
            continue;
        if (L == 0)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot resize an empty axis to %lld", (long long)O);
        taps = infer__nn_taps(rz, scales[a]);
        if (taps < 1 || taps > 2 * L + 8) taps = taps < 1 ? 1 : 2 * L + 8;
        if (taps > ((int64_t)1 << 30) / (O + 1))
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "resize too large");
        idx = (int64_t *)infer__nn_scratch(c, (size_t)(O * taps) * sizeof(int64_t));
        w = (float *)infer__nn_scratch(c, (size_t)(O * taps) * sizeof(float));
        ext = (uint8_t *)infer__nn_scratch(c, (size_t)O);
        if (!idx || !w || !ext) return infer__nn_oom(c);
        infer__nn_fill_taps(rz, L, O, scales[a], roi[a], roi[r + a], taps, idx, w, ext);
        for (d = 0; d < a; d++) outer *= cur[d];
        for (d = a + 1; d < r; d++) inner *= cur[d];
        dst = k == last ? y : buf[nb];
        infer__nn_resize_axis(x, dst, outer, L, inner, O, taps, idx, w, ext, (float)rz->extrap,
                              INFER__THREADS(c, outer * O * inner * taps));
        cur[a] = O;
        x = dst;
        nb ^= 1;
    }
done:
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static int infer__nn_ctm(const char *s) {
    if (!strcmp(s, "half_pixel")) return INFER__NN_CT_HALF_PIXEL;
    if (!strcmp(s, "half_pixel_symmetric")) return INFER__NN_CT_HALF_PIXEL_SYM;
    if (!strcmp(s, "pytorch_half_pixel")) return INFER__NN_CT_PYTORCH;
    if (!strcmp(s, "align_corners")) return INFER__NN_CT_ALIGN;
    if (!strcmp(s, "asymmetric")) return INFER__NN_CT_ASYM;
    if (!strcmp(s, "tf_crop_and_resize")) return INFER__NN_CT_TF_CROP;
    if (!strcmp(s, "tf_half_pixel_for_nn")) return INFER__NN_CT_TF_HALF_NN;
    return -1;
}

static int infer__nn_rmode(const char *s) {
    if (!strcmp(s, "nearest")) return INFER__NN_NEAREST;
    if (!strcmp(s, "linear") || !strcmp(s, "bilinear") || !strcmp(s, "trilinear")) return INFER__NN_LINEAR;
    if (!strcmp(s, "cubic") || !strcmp(s, "bicubic")) return INFER__NN_CUBIC;
    return -1;
}

static infer_status infer__k_resize(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *Roi = NULL, *Sc = NULL, *Sz = NULL;
    infer__nn_rsz rz;
    const char *nm;
    const int64_t *axv = NULL;
    int r, i, naxes, axes[INFER_MAX_RANK], seen[INFER_MAX_RANK];
    int64_t outd[INFER_MAX_RANK];
    double scales[INFER_MAX_RANK], roi[2 * INFER_MAX_RANK];
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    if (!infer__nn_float_type(X->dtype) && X->dtype != INFER_DTYPE_UINT8 && X->dtype != INFER_DTYPE_INT8 &&
        X->dtype != INFER_DTYPE_INT32 && X->dtype != INFER_DTYPE_INT64 && X->dtype != INFER_DTYPE_UINT16 &&
        X->dtype != INFER_DTYPE_INT16 && X->dtype != INFER_DTYPE_UINT32 && X->dtype != INFER_DTYPE_BOOL)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported type %d", X->dtype);
    r = X->rank;
    if (r < 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scalar input");
    memset(&rz, 0, sizeof rz);
    rz.mode = infer__nn_rmode(infer__k_attr_s(c, "mode", "nearest"));
    if (rz.mode < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode");
    rz.a = infer__k_attr_f(c, "cubic_coeff_a", -0.75f);
    rz.exclude = infer__k_attr_i(c, "exclude_outside", 0) != 0;
    rz.extrap = infer__k_attr_f(c, "extrapolation_value", 0.0f);
    rz.antialias = infer__k_attr_i(c, "antialias", 0) != 0;
    if (rz.mode == INFER__NN_NEAREST) rz.antialias = 0;
    if (c->node->opset < 11) {
        rz.ctm = INFER__NN_CT_ASYM;
        rz.nearest = INFER__NN_NM_SIMPLE;
        Sc = INFER__IN(c, 1);
    } else {
        rz.ctm = infer__nn_ctm(infer__k_attr_s(c, "coordinate_transformation_mode", "half_pixel"));
        if (rz.ctm < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown coordinate_transformation_mode");
        nm = infer__k_attr_s(c, "nearest_mode", "round_prefer_floor");
        if (!strcmp(nm, "round_prefer_floor")) rz.nearest = INFER__NN_NM_PREFER_FLOOR;
        else if (!strcmp(nm, "round_prefer_ceil")) rz.nearest = INFER__NN_NM_PREFER_CEIL;
        else if (!strcmp(nm, "floor")) rz.nearest = INFER__NN_NM_FLOOR;
        else if (!strcmp(nm, "ceil")) rz.nearest = INFER__NN_NM_CEIL;
        else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown nearest_mode");
        Roi = INFER__IN(c, 1);
        Sc = INFER__IN(c, 2);
        Sz = INFER__IN(c, 3);
    }
    if (Roi && infer__numel(Roi) == 0) Roi = NULL;
    if (Sc && infer__numel(Sc) == 0) Sc = NULL;
    if (Sz && infer__numel(Sz) == 0) Sz = NULL;
    if (!Sc == !Sz) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "exactly one of scales and sizes is needed");
    naxes = infer__k_attr_ints(c, "axes", &axv);
    for (i = 0; i < r; i++) seen[i] = 0;
    if (naxes < 0) {
        naxes = r;
        for (i = 0; i < r; i++) axes[i] = i;
    } else {
        if (naxes > r) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "too many axes");
        for (i = 0; i < naxes; i++) {
            axes[i] = infer__axis(axv[i], r);
            if (axes[i] < 0 || seen[axes[i]]) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad axes");
            seen[axes[i]] = 1;
        }
    }
    for (i = 0; i < r; i++) {
        scales[i] = 1.0;
        outd[i] = X->dims[i];
        roi[i] = 0.0;
        roi[r + i] = 1.0;
    }
    if (Roi && rz.ctm == INFER__NN_CT_TF_CROP) {
        if (infer__numel(Roi) != 2 * naxes || !infer__nn_float_type(Roi->dtype))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "roi has %lld values, expected %d", (long long)infer__numel(Roi), 2 * naxes);
        for (i = 0; i < naxes; i++) {
            roi[axes[i]] = infer__get_f64(Roi, i);
            roi[r + axes[i]] = infer__get_f64(Roi, naxes + i);
        }
    }
    if (Sc) {
        if (infer__numel(Sc) != naxes || !infer__nn_float_type(Sc->dtype))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scales has %lld values, expected %d", (long long)infer__numel(Sc), naxes);
        for (i = 0; i < naxes; i++) {
            double sv = infer__get_f64(Sc, i), o;
            if (!(sv > 0 && sv < 1e9)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad scale %g", sv);
            o = floor(sv * (double)X->dims[axes[i]]);
            if (o > (double)INFER__NN_LIM) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
            scales[axes[i]] = sv;
            outd[axes[i]] = (int64_t)o;
        }
    } else {
        const char *pol = infer__k_attr_s(c, "keep_aspect_ratio_policy", "stretch");
        if (infer__numel(Sz) != naxes)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "sizes has %lld values, expected %d", (long long)infer__numel(Sz), naxes);
        for (i = 0; i < naxes; i++) {
            int64_t sv = infer__get_i64(Sz, i), a = axes[i];
            if (sv < 0 || sv > INFER__NN_LIM)
                return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad size %lld", (long long)sv);
            outd[a] = sv;
            scales[a] = X->dims[a] ? (double)sv / (double)X->dims[a] : 1.0;
        }
        if (strcmp(pol, "stretch") != 0) {
            double sc = scales[axes[0]];
            int larger = !strcmp(pol, "not_smaller");
            if (!larger && strcmp(pol, "not_larger"))
                return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown keep_aspect_ratio_policy");
            for (i = 1; i < naxes; i++) {
                double v = scales[axes[i]];
                if (larger ? v > sc : v < sc) sc = v;
            }
            for (i = 0; i < naxes; i++) {
                scales[axes[i]] = sc;
                outd[axes[i]] = (int64_t)(sc * (double)X->dims[axes[i]] + 0.5);
            }
        }
    }
    return infer__nn_resize_run(c, &rz, outd, scales, roi, axes, naxes);
}

static infer_status infer__k_upsample(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *Sc = INFER__IN(c, 1);
    infer__nn_rsz rz;
    int r, i, axes[INFER_MAX_RANK];
    int64_t outd[INFER_MAX_RANK];
    double scales[INFER_MAX_RANK], roi[2 * INFER_MAX_RANK];
    const float *fs = NULL;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    r = X->rank;
    memset(&rz, 0, sizeof rz);
    rz.mode = infer__nn_rmode(infer__k_attr_s(c, "mode", "nearest"));
    if (rz.mode < 0 || rz.mode == INFER__NN_CUBIC) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode");
    rz.ctm = INFER__NN_CT_ASYM;
    rz.nearest = INFER__NN_NM_SIMPLE;
    if (Sc) {
        if (infer__numel(Sc) != r) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scales needs %d values", r);
        for (i = 0; i < r; i++) scales[i] = infer__get_f64(Sc, i);
    } else if (infer__k_attr_floats(c, "scales", &fs) == r) {
        for (i = 0; i < r; i++) scales[i] = fs[i];
    } else if (r == 4 && infer__attr_find(c->node, "height_scale")) {
        scales[0] = scales[1] = 1;
        scales[2] = infer__k_attr_f(c, "height_scale", 1);
        scales[3] = infer__k_attr_f(c, "width_scale", 1);
    } else {
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "Upsample needs scales");
    }
    for (i = 0; i < r; i++) {
        double o;
        if (!(scales[i] > 0 && scales[i] < 1e9)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad scale");
        o = floor(scales[i] * (double)X->dims[i]);
        if (o > (double)INFER__NN_LIM) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
        outd[i] = (int64_t)o;
        axes[i] = i;
        roi[i] = 0;
        roi[r + i] = 1;
    }
    return infer__nn_resize_run(c, &rz, outd, scales, roi, axes, r);
}

/* ---- DeformConv (2-D), CausalConvWithState, MaxRoiPool ---------------------------------------- */
/* Bilinear sample of plane x [h, w] at (py, px); corners outside the plane count as zero. */
static float infer__nn_bilinear0(const float *x, int64_t h, int64_t w, double py, double px) {
    double fy = floor(py), fx = floor(px), ly = py - fy, lx = px - fx, v = 0;
    int64_t y0, x0;
    if (!(py > -2.0 && py < (double)h + 1 && px > -2.0 && px < (double)w + 1)) return 0.0f;
    y0 = (int64_t)fy;
    x0 = (int64_t)fx;
    if (y0 >= 0 && y0 < h && x0 >= 0 && x0 < w) v += (1 - ly) * (1 - lx) * x[y0 * w + x0];
    if (y0 >= 0 && y0 < h && x0 + 1 >= 0 && x0 + 1 < w) v += (1 - ly) * lx * x[y0 * w + x0 + 1];
    if (y0 + 1 >= 0 && y0 + 1 < h && x0 >= 0 && x0 < w) v += ly * (1 - lx) * x[(y0 + 1) * w + x0];
    if (y0 + 1 >= 0 && y0 + 1 < h && x0 + 1 >= 0 && x0 + 1 < w) v += ly * lx * x[(y0 + 1) * w + x0 + 1];
    return (float)v;
}

static infer_status infer__k_deform_conv(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *W = INFER__IN(c, 1), *O = INFER__IN(c, 2), *B = INFER__IN(c, 3), *Mk = INFER__IN(c, 4);
    infer__nn_win w;
    int64_t G = infer__k_attr_i(c, "group", 1), OG = infer__k_attr_i(c, "offset_group", 1);
    int64_t N, C, M, H, Wd, oh, ow, kh, kw, cg, mg, K, P, n, g, dims[4];
    const float *x, *wt, *off, *bias = NULL, *mask = NULL;
    float *y, *col, *pb;
    int nt;
    infer_status st;
    if (!X || !W || !O) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "DeformConv needs X, W and offset");
    if (!infer__nn_float_type(X->dtype) || W->dtype != X->dtype || O->dtype != X->dtype || (B && B->dtype != X->dtype) ||
        (Mk && Mk->dtype != X->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input types");
    if (X->rank != 4 || W->rank != 4 || O->rank != 4)
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "DeformConv is implemented for 2-D inputs only");
    N = X->dims[0]; C = X->dims[1]; H = X->dims[2]; Wd = X->dims[3]; M = W->dims[0];
    if (G < 1 || OG < 1 || C % G || M % G || W->dims[1] * G != C || C % OG)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "channels, group and offset_group disagree");
    if (B && infer__numel(B) != M) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bias has the wrong size");
    st = infer__nn_window(c, X, W->dims + 2, 0, &w);
    if (st) return st;
    kh = w.k[0]; kw = w.k[1];
    oh = w.out[0]; ow = w.out[1];
    if (O->dims[0] != N || O->dims[1] != OG * kh * kw * 2 || O->dims[2] != oh || O->dims[3] != ow)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "offset has the wrong shape");
    if (Mk && (Mk->rank != 4 || Mk->dims[0] != N || Mk->dims[1] != OG * kh * kw || Mk->dims[2] != oh || Mk->dims[3] != ow))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "mask has the wrong shape");
    dims[0] = N; dims[1] = M; dims[2] = oh; dims[3] = ow;
    y = infer__nn_outf(c, 0, X->dtype, 4, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X); wt = infer__nn_inf(c, W); off = infer__nn_inf(c, O);
    if (B) bias = infer__nn_inf(c, B);
    if (Mk) mask = infer__nn_inf(c, Mk);
    if (!x || !wt || !off || (B && !bias) || (Mk && !mask)) return infer__nn_oom(c);
    cg = C / G; mg = M / G; K = cg * kh * kw; P = oh * ow;
    if (N * M * P == 0) goto done;
    if (K == 0) {
        for (n = 0; n < N * M * P; n++) y[n] = bias ? bias[(n / P) % M] : 0.0f;
        goto done;
    }
    if (K > ((int64_t)1 << 40) / (P + INFER__NN_NR)) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "too large");
    col = (float *)infer__nn_scratch(c, (size_t)(K * P) * sizeof(float));
    pb = (float *)infer__nn_scratch(c, (size_t)(((P + INFER__NN_NR - 1) / INFER__NN_NR) * INFER__NN_NR * K) * sizeof(float));
    if (!col || !pb) return infer__nn_oom(c);
    nt = INFER__THREADS(c, N * M * P * K);
    for (n = 0; n < N; n++)
        for (g = 0; g < G; g++) {
            int64_t row;
            (void)nt;
            INFER__OMP_FOR(nt)
            for (row = 0; row < K; row++) {
                int64_t ci = g * cg + row / (kh * kw), a = (row / kw) % kh, b = row % kw, og = ci / (C / OG), i, j;
                const float *xp = x + (n * C + ci) * H * Wd;
                const float *offy = off + ((n * OG + og) * kh * kw * 2 + (a * kw + b) * 2) * P, *offx = offy + P;
                const float *mp = mask ? mask + ((n * OG + og) * kh * kw + a * kw + b) * P : NULL;
                float *cr = col + row * P;
                for (i = 0; i < oh; i++)
                    for (j = 0; j < ow; j++) {
                        int64_t q = i * ow + j;
                        double py = (double)(i * w.s[0] - w.pb[0] + a * w.d[0]) + offy[q];
                        double px = (double)(j * w.s[1] - w.pb[1] + b * w.d[1]) + offx[q];
                        float v = infer__nn_bilinear0(xp, H, Wd, py, px);
                        cr[q] = mp ? v * mp[q] : v;
                    }
            }
            infer__nn_pack_b(col, P, K, P, pb, nt);
            infer__nn_gemm(mg, P, K, wt + g * mg * K, K, pb, y + (n * M + g * mg) * P, P, bias ? bias + g * mg : NULL, nt);
        }
done:
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static infer_status infer__k_causal_conv_state(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *W = INFER__IN(c, 1), *B = INFER__IN(c, 2), *S = INFER__IN(c, 3);
    const char *act = infer__k_attr_s(c, "activation", "none");
    int silu = !strcmp(act, "silu") || !strcmp(act, "swish");
    int64_t N, C, L, k, dims[3], sdims[3], bc;
    const float *x, *wt, *bias = NULL, *past = NULL;
    float *y, *ps;
    if (!X || !W) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "needs input and weight");
    if (!silu && strcmp(act, "none"))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown activation '%s'", act);
    if (!infer__nn_float_type(X->dtype) || W->dtype != X->dtype || (B && B->dtype != X->dtype) || (S && S->dtype != X->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input types");
    if (X->rank != 3 || W->rank != 3)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input and weight must have rank 3");
    N = X->dims[0]; C = X->dims[1]; L = X->dims[2]; k = W->dims[2];
    if (W->dims[0] != C || W->dims[1] != 1 || k < 1)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "weight must be [C, 1, k]");
    if (B && infer__numel(B) != C) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bias must have C values");
    if (S && (S->rank != 3 || S->dims[0] != N || S->dims[1] != C || S->dims[2] != k - 1))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "past_state must be [N, C, k-1]");
    dims[0] = sdims[0] = N; dims[1] = sdims[1] = C; dims[2] = L; sdims[2] = k - 1;
    y = infer__nn_outf(c, 0, X->dtype, 3, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    ps = NULL;
    if (infer__nn_has_out(c, 1)) {
        ps = infer__nn_outf(c, 1, X->dtype, 3, sdims);
        if (!ps) return INFER_STATUS_OUT_OF_MEMORY;
    }
    x = infer__nn_inf(c, X); wt = infer__nn_inf(c, W);
    if (B) bias = infer__nn_inf(c, B);
    if (S) past = infer__nn_inf(c, S);
    if (!x || !wt || (B && !bias) || (S && !past)) return infer__nn_oom(c);
    for (bc = 0; bc < N * C; bc++) {
        const float *xr = x + bc * L, *pr = past ? past + bc * (k - 1) : NULL, *wr = wt + (bc % C) * k;
        float *yr = y + bc * L;
        int64_t t, j;
        /* padded[t] = t < k-1 ? past[t] : x[t - (k-1)] */
        for (t = 0; t < L; t++) {
            double acc = bias ? bias[bc % C] : 0.0;
            for (j = 0; j < k; j++) {
                int64_t pi = t + j;
                double v = pi < k - 1 ? (pr ? pr[pi] : 0.0) : xr[pi - (k - 1)];
                acc += wr[j] * v;
            }
            if (silu) {
                float a = (float)acc;
                acc = a / (1.0f + expf(-a));
            }
            yr[t] = (float)acc;
        }
        if (ps) {
            float *sr = ps + bc * (k - 1);
            for (t = 0; t < k - 1; t++) {
                int64_t pi = L + t; /* last k-1 entries of the padded sequence */
                sr[t] = pi < k - 1 ? (pr ? pr[pi] : 0.0f) : xr[pi - (k - 1)];
            }
        }
    }
    infer__nn_outdone(c, 0, y);
    if (ps) infer__nn_outdone(c, 1, ps);
    return INFER_STATUS_OK;
}

static infer_status infer__k_maxroipool(infer__kctx *c) {
    const infer_tensor *X = c->in[0], *R = INFER__IN(c, 1);
    const int64_t *ps = NULL;
    double scale = infer__k_attr_f(c, "spatial_scale", 1.0f);
    int np = infer__k_attr_ints(c, "pooled_shape", &ps);
    int64_t N, C, H, Wd, ph, pw, nr, r, dims[4];
    const float *x, *rois;
    float *y;
    if (!X || !R) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "MaxRoiPool needs X and rois");
    if (!infer__nn_float_type(X->dtype) || R->dtype != X->dtype)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported types");
    if (X->rank != 4 || R->rank != 2 || R->dims[1] != 5)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X [N,C,H,W], rois [R,5]");
    if (np != 2 || ps[0] < 1 || ps[1] < 1 || ps[0] > INFER__NN_LIM || ps[1] > INFER__NN_LIM)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "pooled_shape must have 2 positive values");
    N = X->dims[0]; C = X->dims[1]; H = X->dims[2]; Wd = X->dims[3]; ph = ps[0]; pw = ps[1]; nr = R->dims[0];
    dims[0] = nr; dims[1] = C; dims[2] = ph; dims[3] = pw;
    y = infer__nn_outf(c, 0, X->dtype, 4, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = infer__nn_inf(c, X); rois = infer__nn_inf(c, R);
    if (!x || !rois) return infer__nn_oom(c);
    for (r = 0; r < nr; r++) {
        const float *ro = rois + r * 5;
        int64_t b, x1, y1, x2, y2, ch, i, j;
        double rh, rw, cv[4];
        if (!(ro[0] >= 0 && ro[0] < (double)N))
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "roi batch index %g out of range", (double)ro[0]);
        b = (int64_t)ro[0];
        for (i = 0; i < 4; i++) { /* rounded and clamped before any conversion to an integer */
            double v = floor(ro[1 + i] * scale + 0.5);
            cv[i] = v != v ? 0 : v < -1e9 ? -1e9 : v > 1e9 ? 1e9 : v;
        }
        x1 = (int64_t)cv[0]; y1 = (int64_t)cv[1]; x2 = (int64_t)cv[2]; y2 = (int64_t)cv[3];
        rh = (double)(y2 - y1 + 1 > 1 ? y2 - y1 + 1 : 1) / (double)ph;
        rw = (double)(x2 - x1 + 1 > 1 ? x2 - x1 + 1 : 1) / (double)pw;
        for (ch = 0; ch < C; ch++) {
            const float *xp = x + (b * C + ch) * H * Wd;
            for (i = 0; i < ph; i++)
                for (j = 0; j < pw; j++) {
                    int64_t hs = (int64_t)floor((double)i * rh) + y1, he = (int64_t)ceil((double)(i + 1) * rh) + y1;
                    int64_t ws = (int64_t)floor((double)j * rw) + x1, we = (int64_t)ceil((double)(j + 1) * rw) + x1, a, e;
                    float m = -INFINITY;
                    int any = 0;
                    hs = hs < 0 ? 0 : hs > H ? H : hs; he = he < 0 ? 0 : he > H ? H : he;
                    ws = ws < 0 ? 0 : ws > Wd ? Wd : ws; we = we < 0 ? 0 : we > Wd ? Wd : we;
                    for (a = hs; a < he; a++)
                        for (e = ws; e < we; e++) {
                            float v = xp[a * Wd + e];
                            if (!any || v > m) m = v;
                            any = 1;
                        }
                    y[((r * C + ch) * ph + i) * pw + j] = any ? m : 0.0f;
                }
        }
    }
    infer__nn_outdone(c, 0, y);
    return INFER_STATUS_OK;
}

static const infer__op infer__ops_nn[] = {
    {"", "Conv", 1, 1000, infer__k_conv},
    {"", "ConvTranspose", 1, 1000, infer__k_conv_transpose},
    {"", "MaxPool", 1, 1000, infer__k_maxpool},
    {"", "AveragePool", 1, 1000, infer__k_avgpool},
    {"", "LpPool", 1, 1000, infer__k_lppool},
    {"", "GlobalMaxPool", 1, 1000, infer__k_global_maxpool},
    {"", "GlobalAveragePool", 1, 1000, infer__k_global_avgpool},
    {"", "GlobalLpPool", 1, 1000, infer__k_global_lppool},
    {"", "MaxUnpool", 1, 1000, infer__k_maxunpool},
    {"", "BatchNormalization", 1, 1000, infer__k_batchnorm},
    {"", "InstanceNormalization", 1, 1000, infer__k_instancenorm},
    {"", "GroupNormalization", 1, 1000, infer__k_groupnorm},
    {"", "LRN", 1, 1000, infer__k_lrn},
    {"", "LpNormalization", 1, 1000, infer__k_lpnorm},
    {"", "MeanVarianceNormalization", 1, 1000, infer__k_mvn},
    {"", "Dropout", 1, 1000, infer__k_dropout},
    {"", "Resize", 10, 1000, infer__k_resize},
    {"", "Upsample", 1, 1000, infer__k_upsample},
    {"", "DeformConv", 19, 1000, infer__k_deform_conv},
    {"", "CausalConvWithState", 1, 1000, infer__k_causal_conv_state},
    {"", "MaxRoiPool", 1, 1000, infer__k_maxroipool},
    {NULL, NULL, 0, 0, NULL}
};
