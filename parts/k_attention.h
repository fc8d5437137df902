/* ============================================================================================== */
/* >>kernels-attention: Attention, RotaryEmbedding and the newest transformer ops                 */
/* ============================================================================================== */
/* Ops: Attention (23-25), RotaryEmbedding (23), LinearAttention (27), SwiGLU, TensorScatter (24),
   CumProd, BitCast (26), FlexAttention (ai.onnx.preview 1).

   Attention: Q, K (scaled by sqrt(scale) each, as the spec says) and V are copied into float
   working buffers (double for double inputs) in (batch, head, seq, feature) order, with the past
   cache in front. The products accumulate in that type; the bias, the softmax and the outputs are
   computed in double and rounded once to the output type. bfloat16 rounds after every step as the
   ONNX reference does (its test data depend on it). Rows are spread over threads in equal chunks,
   each chunk with its own row buffer in scratch. Semantics follow the spec and its function body:
   bias = mask (bool: false -> -inf; a mask shorter than the total sequence is padded with -inf /
   false) + causal frontier j <= i + offset (offset = past length, or nonpad_kv_seqlen[b] - Sq) +
   sliding window + padding of nonpad_kv_seqlen; a row whose bias is all -inf gives zeros (Y and
   mode-3 output); qk_matmul_output_mode 0 raw QK, 1 after softcap, 2 plus bias, 3 softmax. Keys
   past the causal frontier or nonpad length are not multiplied unless output 3 is wanted. */

static int infer__att_has_out(const infer__kctx *c, int i) {
    return i < c->n_out && c->node->out[i] >= 0;
}

#if INFER__HAS_OPENMP
#define INFER__ATT_SIMD INFER__PRAGMA(omp simd)
#define INFER__ATT_SIMD_SUM(v) INFER__PRAGMA(omp simd reduction(+ : v))
#define INFER__ATT_SIMD_SUM4(a, b, c, d) INFER__PRAGMA(omp simd reduction(+ : a, b, c, d))
#else
#define INFER__ATT_SIMD_SUM4(a, b, c, d)
#define INFER__ATT_SIMD
#define INFER__ATT_SIMD_SUM(v)
#endif

static void *infer__att_scratch(infer__kctx *c, size_t bytes) {
    return infer__k_scratch(c, bytes ? bytes : 16);
}

/* v rounded to the precision of dtype dt (float types; others unchanged). */
static double infer__att_round(double v, int dt) {
    switch (dt) {
    case INFER_DTYPE_FLOAT: return (double)(float)v;
    case INFER_DTYPE_FLOAT16: return infer__f16_to_f32(infer__f32_to_f16((float)v));
    case INFER_DTYPE_BFLOAT16: return infer__bf16_to_f32(infer__f32_to_bf16((float)v));
    default: return v;
    }
}

/* Element strides (batch, head, sequence, feature) of a 3-D (B, S, H*D) or 4-D (B, H, S, D)
   tensor seen as (B, H, S, D). */
static void infer__att_strides(int rank, int64_t H, int64_t S, int64_t D, int64_t *st) {
    if (rank == 3) {
        st[0] = S * H * D; st[1] = D; st[2] = H * D; st[3] = 1;
    } else {
        st[0] = H * S * D; st[1] = S * D; st[2] = D; st[3] = 1;
    }
}

typedef struct infer__att_cfg {
    int64_t B, qh, kvh, Sq, T, hs, vhs, P;
    const void *Qd, *Kd, *Vd;     /* (B, qh, Sq, hs) scaled, (B, kvh, T, hs) scaled, (B, kvh, T, vhs) */
    int wd;                       /* working copies are double (else float) */
    const infer_tensor *mask;     /* NULL or right-aligned on (B, qh, Sq, T), last dim maybe short */
    int64_t mst[4], mlast;        /* mask strides (0 when broadcast) and its last dim */
    int mask_bool;
    const infer_tensor *nonpad;   /* (B,) int64 or NULL */
    int causal;
    int64_t lwin, rwin;           /* -1: unbounded */
    double softcap;
    int mode, sprec;              /* qk_matmul_output_mode; softmax precision dtype (0: none) */
    int emu;                      /* round every step to the output type (bfloat16) */
    int dt;                       /* output type */
    int yrank;
    void *y, *qk;                 /* outputs (qk may be NULL) */
} infer__att_cfg;

/* The two hot loops, for float (float, float16, bfloat16 inputs) and double working copies:
   s[j] = q . k_j for j < jend (four keys at a time), and acc += sum_j s[j] v_j (acc zeroed here). */
#define INFER__ATT_LOOPS(SUF, TY)                                                                     \
    static void infer__att_dots_##SUF(const TY *q, const TY *kb, int64_t hs, int64_t jend, double *s) { \
        int64_t j, d;                                                                                 \
        for (j = 0; j + 4 <= jend; j += 4) {                                                          \
            const TY *k0 = kb + j * hs, *k1 = k0 + hs, *k2 = k1 + hs, *k3 = k2 + hs;                  \
            TY v0 = 0, v1 = 0, v2 = 0, v3 = 0;                                                        \
            INFER__ATT_SIMD_SUM4(v0, v1, v2, v3)                                                      \
            for (d = 0; d < hs; d++) {                                                                \
                v0 += q[d] * k0[d];                                                                   \
                v1 += q[d] * k1[d];                                                                   \
                v2 += q[d] * k2[d];                                                                   \
                v3 += q[d] * k3[d];                                                                   \
            }                                                                                         \
            s[j] = v0; s[j + 1] = v1; s[j + 2] = v2; s[j + 3] = v3;                                   \
        }                                                                                             \
        for (; j < jend; j++) {                                                                       \
            const TY *kr = kb + j * hs;                                                               \
            TY v = 0;                                                                                 \
            INFER__ATT_SIMD_SUM(v)                                                                    \
            for (d = 0; d < hs; d++) v += q[d] * kr[d];                                               \
            s[j] = v;                                                                                 \
        }                                                                                             \
    }                                                                                                 \
    static void infer__att_pv_##SUF(const double *s, const TY *vb, int64_t T, int64_t vhs, TY *acc) { \
        int64_t j, d;                                                                                 \
        for (d = 0; d < vhs; d++) acc[d] = 0;                                                         \
        for (j = 0; j + 4 <= T; j += 4) {                                                             \
            const TY *v0 = vb + j * vhs, *v1 = v0 + vhs, *v2 = v1 + vhs, *v3 = v2 + vhs;              \
            TY p0 = (TY)s[j], p1 = (TY)s[j + 1], p2 = (TY)s[j + 2], p3 = (TY)s[j + 3];                \
            if (p0 == 0 && p1 == 0 && p2 == 0 && p3 == 0) continue;                                   \
            INFER__ATT_SIMD                                                                           \
            for (d = 0; d < vhs; d++) acc[d] += p0 * v0[d] + p1 * v1[d] + p2 * v2[d] + p3 * v3[d];    \
        }                                                                                             \
        for (; j < T; j++) {                                                                          \
            const TY *vr = vb + j * vhs;                                                              \
            TY p = (TY)s[j];                                                                          \
            if (p == 0) continue;                                                                     \
            INFER__ATT_SIMD                                                                           \
            for (d = 0; d < vhs; d++) acc[d] += p * vr[d];                                            \
        }                                                                                             \
    }
INFER__ATT_LOOPS(f, float)
INFER__ATT_LOOPS(d, double)
#undef INFER__ATT_LOOPS

/* One query row r = (b, h, i): scores, bias, softmax, output. buf holds T + vhs doubles.
   With a->emu (bfloat16) every step is rounded to the output type as the ONNX reference does
   (float32 products rounded after each op, sequential bfloat16 sums in the softmax). */
static void infer__att_row(const infer__att_cfg *a, int64_t r, double *buf) {
    int64_t T = a->T, i = r % a->Sq, h = (r / a->Sq) % a->qh, b = r / (a->Sq * a->qh);
    int64_t kh = h / (a->qh / a->kvh), j, jend, d, off = 0, lim = 0, hs = a->hs, vhs = a->vhs;
    int64_t qo = r * hs, ko = (b * a->kvh + kh) * T * hs, vo = (b * a->kvh + kh) * T * vhs;
    double *s = buf, mx = -INFINITY, sum = 0;
    int all_masked = 1, want_qk = a->qk != NULL, emu = a->emu, dt = a->dt;
    int smdt = a->sprec ? a->sprec : (emu ? dt : 0); /* rounding inside the softmax */
    infer_tensor yt, qt;
    int64_t ybase;
    memset(&yt, 0, sizeof yt);
    memset(&qt, 0, sizeof qt);
    yt.dtype = qt.dtype = dt;
    yt.data = a->y;
    qt.data = a->qk;
    if (a->nonpad) {
        lim = infer__get_i64(a->nonpad, b);
        off = lim - a->Sq;
    } else if (a->P >= 0) off = a->P;
    /* raw scores, four keys at a time (independent sums); keys that the causal frontier or the
       padding masks anyway are skipped unless the scores are an output */
    jend = T;
    if (!want_qk) {
        if (a->causal && i + off + 1 < jend) jend = i + off + 1 < 0 ? 0 : i + off + 1;
        if (a->nonpad && lim < jend) jend = lim < 0 ? 0 : lim;
    }
    for (j = jend; j < T; j++) s[j] = 0;
    if (a->wd) infer__att_dots_d((const double *)a->Qd + qo, (const double *)a->Kd + ko, hs, jend, s);
    else infer__att_dots_f((const float *)a->Qd + qo, (const float *)a->Kd + ko, hs, jend, s);
    for (j = 0; j < T; j++) {
        double v = s[j], bi = 0;
        if (emu) v = infer__att_round(v, dt);
        if (want_qk && a->mode == 0) infer__set_f64(&qt, r * T + j, v);
        if (a->softcap > 0) {
            if (emu) v = infer__att_round(a->softcap * infer__att_round(tanh(infer__att_round(v / a->softcap, dt)), dt), dt);
            else v = a->softcap * tanh(v / a->softcap);
        }
        if (want_qk && a->mode == 1) infer__set_f64(&qt, r * T + j, v);
        if (a->mask) {
            double m;
            if (j >= a->mlast) m = a->mask_bool ? 0 : -INFINITY;
            else m = infer__get_f64(a->mask, b * a->mst[0] + h * a->mst[1] + i * a->mst[2] + j * a->mst[3]);
            bi = a->mask_bool ? (m != 0 ? 0.0 : -INFINITY) : m;
        }
        if (a->causal && j > i + off) bi += -INFINITY;
        if (a->lwin >= 0 || a->rwin >= 0) {
            int64_t diff = i + off - j;
            if ((a->lwin >= 0 && diff > a->lwin) || (a->rwin >= 0 && -diff > a->rwin)) bi += -INFINITY;
        }
        if (a->nonpad && j >= lim) bi += -INFINITY;
        if (!(bi == -INFINITY)) all_masked = 0;
        v += bi;
        if (emu) v = infer__att_round(v, dt);
        if (want_qk && a->mode == 2) infer__set_f64(&qt, r * T + j, v);
        if (smdt) v = infer__att_round(v, smdt);
        s[j] = v;
        if (v != v || v > mx) mx = v;
    }
    if (all_masked || mx == -INFINITY) {
        for (j = 0; j < T; j++) s[j] = 0;
    } else if (smdt) {
        for (j = 0; j < T; j++) {
            s[j] = infer__att_round(exp(infer__att_round(s[j] - mx, smdt)), smdt);
            /* NumPy sums bfloat16 (ml_dtypes) one element at a time, float16 pairwise in float */
            sum = smdt == INFER_DTYPE_BFLOAT16 ? infer__att_round(sum + s[j], smdt) : sum + s[j];
        }
        sum = infer__att_round(sum, smdt);
        for (j = 0; j < T; j++) s[j] = infer__att_round(s[j] / sum, smdt);
    } else {
        for (j = 0; j < T; j++) {
            s[j] = exp(s[j] - mx);
            sum += s[j];
        }
        for (j = 0; j < T; j++) s[j] /= sum;
    }
    if (want_qk && a->mode == 3)
        for (j = 0; j < T; j++) infer__set_f64(&qt, r * T + j, s[j]);
    if (emu)
        for (j = 0; j < T; j++) s[j] = infer__att_round(s[j], dt);
    ybase = a->yrank == 3 ? (b * a->Sq + i) * a->qh * vhs + h * vhs : r * vhs;
    if (a->wd) {
        double *acc = buf + T;
        infer__att_pv_d(s, (const double *)a->Vd + vo, T, vhs, acc);
        for (d = 0; d < vhs; d++) infer__set_f64(&yt, ybase + d, acc[d]);
    } else {
        float *acc = (float *)(void *)(buf + T);
        infer__att_pv_f(s, (const float *)a->Vd + vo, T, vhs, acc);
        for (d = 0; d < vhs; d++) infer__set_f64(&yt, ybase + d, acc[d]);
    }
}

static void infer__att_put(void *p, int wd, int64_t i, double v) {
    if (wd) ((double *)p)[i] = v;
    else ((float *)p)[i] = (float)v;
}

/* Copies the (B, H, S, D) view of a cache tensor `past` (4-D, may be NULL) followed by `cur`
   (strides cst) into dst (B, H, P + S, D) as raw elements of size es, and/or into dd as doubles
   multiplied by mul (rounded to type rdt when not 0), double when wd else float. */
static void infer__att_cache(const infer_tensor *past, const infer_tensor *cur, const int64_t *cst, int64_t B,
                             int64_t H, int64_t P, int64_t S, int64_t D, size_t es, void *dst, void *dd,
                             int wd, double mul, int rdt) {
    int64_t b, h, t, d, T = P + S;
    if (D == 0 || (!dst && !dd)) return; /* nothing to copy (bounds the loops on empty tensors) */
    for (b = 0; b < B; b++)
        for (h = 0; h < H; h++) {
            int64_t o = (b * H + h) * T * D;
            if (P > 0) {
                int64_t src = (b * H + h) * P * D;
                if (dst) memcpy((char *)dst + (size_t)o * es, (const char *)past->data + (size_t)src * es, (size_t)(P * D) * es);
                if (dd)
                    for (d = 0; d < P * D; d++) infer__att_put(dd, wd, o + d, infer__att_round(infer__get_f64(past, src + d) * mul, rdt));
            }
            for (t = 0; t < S; t++) {
                int64_t src = b * cst[0] + h * cst[1] + t * cst[2], oo = o + (P + t) * D;
                if (dst) memcpy((char *)dst + (size_t)oo * es, (const char *)cur->data + (size_t)src * es, (size_t)D * es);
                if (dd)
                    for (d = 0; d < D; d++) infer__att_put(dd, wd, oo + d, infer__att_round(infer__get_f64(cur, src + d) * mul, rdt));
            }
        }
}

static infer_status infer__k_attention(infer__kctx *c) {
    const infer_tensor *Q = INFER__IN(c, 0), *K = INFER__IN(c, 1), *V = INFER__IN(c, 2), *M = INFER__IN(c, 3);
    const infer_tensor *PK = INFER__IN(c, 4), *PV = INFER__IN(c, 5);
    const infer_tensor *NP = c->node->opset >= 24 ? INFER__IN(c, 6) : NULL;
    infer__att_cfg a;
    int rank, dt;
    int64_t Skv, qst[4], kst[4], vst[4], dims[4], R, t, ycount;
    double scale, sqs;
    const infer__attr *sa;
    size_t es;
    void *Qd, *Kd, *Vd;
    double *rowbuf;
    size_t ws;
    void *pk = NULL, *pv = NULL;
    int nt;
    memset(&a, 0, sizeof a);
    if (!Q || !K || !V) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "Q, K and V are required");
    dt = Q->dtype;
    if (!infer__is_float(dt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "Q must be a float type, got %s", infer_dtype_name(dt));
    if (K->dtype != dt || V->dtype != dt) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "Q, K and V must have one type");
    rank = Q->rank;
    if ((rank != 3 && rank != 4) || K->rank != rank || V->rank != rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "Q, K, V must all be 3-D or all 4-D (ranks %d, %d, %d)", Q->rank, K->rank, V->rank);
    a.B = Q->dims[0];
    if (K->dims[0] != a.B || V->dims[0] != a.B) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "batch sizes of Q, K, V differ");
    if (rank == 3) {
        int64_t qn = infer__k_attr_i(c, "q_num_heads", 0), kn = infer__k_attr_i(c, "kv_num_heads", 0);
        if (qn <= 0 || kn <= 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "3-D inputs need q_num_heads and kv_num_heads");
        if (Q->dims[2] % qn || K->dims[2] % kn || V->dims[2] % kn)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "hidden sizes %lld, %lld, %lld are not multiples of the head counts %lld, %lld",
                                 (long long)Q->dims[2], (long long)K->dims[2], (long long)V->dims[2], (long long)qn, (long long)kn);
        a.qh = qn; a.kvh = kn;
        a.Sq = Q->dims[1]; Skv = K->dims[1];
        a.hs = Q->dims[2] / qn;
        if (K->dims[2] / kn != a.hs) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "head sizes of Q and K differ");
        if (V->dims[1] != Skv) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "K and V sequence lengths differ");
        a.vhs = V->dims[2] / kn;
    } else {
        a.qh = Q->dims[1]; a.kvh = K->dims[1];
        a.Sq = Q->dims[2]; Skv = K->dims[2];
        a.hs = Q->dims[3];
        if (K->dims[3] != a.hs) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "head sizes of Q and K differ");
        if (V->dims[1] != a.kvh || V->dims[2] != Skv) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "K and V shapes disagree");
        a.vhs = V->dims[3];
    }
    if (a.kvh <= 0 || a.qh % a.kvh)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "q heads (%lld) must be a multiple of kv heads (%lld)", (long long)a.qh, (long long)a.kvh);
    infer__att_strides(rank, a.qh, a.Sq, a.hs, qst);
    infer__att_strides(rank, a.kvh, Skv, a.hs, kst);
    infer__att_strides(rank, a.kvh, Skv, a.vhs, vst);
    /* caches */
    if ((PK != NULL) != (PV != NULL)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "past_key and past_value go together");
    a.P = -1;
    if (PK) {
        if (NP) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "nonpad_kv_seqlen cannot be combined with past_key");
        if (PK->dtype != dt || PV->dtype != dt) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "past_key / past_value type differs from Q");
        if (PK->rank != 4 || PV->rank != 4 || PK->dims[0] != a.B || PK->dims[1] != a.kvh || PK->dims[3] != a.hs ||
            PV->dims[0] != a.B || PV->dims[1] != a.kvh || PV->dims[2] != PK->dims[2] || PV->dims[3] != a.vhs)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "past_key / past_value must be (batch, kv_heads, past, head_size)");
        a.P = PK->dims[2];
    }
    a.T = (a.P > 0 ? a.P : 0) + Skv;
    if (NP) {
        if (NP->dtype != INFER_DTYPE_INT64 && NP->dtype != INFER_DTYPE_INT32)
            return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "nonpad_kv_seqlen must be int64");
        if (infer__numel(NP) != a.B) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "nonpad_kv_seqlen must have batch_size elements");
        a.nonpad = NP;
    }
    if (M) {
        int mr = M->rank, k;
        int64_t tgt[4], s = 1;
        if (M->dtype != INFER_DTYPE_BOOL && !infer__is_float(M->dtype))
            return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "attn_mask must be bool or float, got %s", infer_dtype_name(M->dtype));
        if (mr < 1 || mr > 4) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "attn_mask has rank %d", mr);
        tgt[0] = a.B; tgt[1] = a.qh; tgt[2] = a.Sq; tgt[3] = a.T;
        a.mask_bool = M->dtype == INFER_DTYPE_BOOL;
        a.mlast = M->dims[mr - 1];
        if (a.mlast > a.T)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "attn_mask's last dim %lld exceeds the total sequence %lld", (long long)a.mlast, (long long)a.T);
        for (k = 3; k >= 0; k--) {
            int mk = k - (4 - mr);
            int64_t md;
            if (mk < 0) { a.mst[k] = 0; continue; }
            md = M->dims[mk];
            if (k < 3 && md != 1 && md != tgt[k])
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "attn_mask dim %d (%lld) does not broadcast to %lld", mk, (long long)md, (long long)tgt[k]);
            a.mst[k] = (md == 1 && k < 3) ? 0 : s;
            s *= md;
        }
        a.mask = M;
    }
    a.causal = infer__k_attr_i(c, "is_causal", 0) != 0;
    a.lwin = infer__k_attr_i(c, "left_window_size", -1);
    a.rwin = infer__k_attr_i(c, "right_window_size", -1);
    if (a.lwin < -1 || a.rwin < -1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "window sizes must be -1 or nonnegative");
    a.softcap = infer__k_attr_f(c, "softcap", 0.0f);
    a.mode = (int)infer__k_attr_i(c, "qk_matmul_output_mode", 0);
    if (a.mode < 0 || a.mode > 3) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "qk_matmul_output_mode %d", a.mode);
    a.sprec = (int)infer__k_attr_i(c, "softmax_precision", 0);
    if (a.sprec && !infer__is_float(a.sprec)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "softmax_precision %d is not a float type", a.sprec);
    sa = infer__attr_find(c->node, "scale");
    scale = sa && sa->type == INFER__ATTR_FLOAT ? (double)sa->f : 1.0 / sqrt((double)a.hs);
    sqs = sqrt(scale);
    a.emu = dt == INFER_DTYPE_BFLOAT16;
    if (a.emu) sqs = infer__att_round(sqs, dt);
    a.dt = dt;
    a.yrank = rank;
    es = infer__dtype_size(dt);
    /* outputs */
    if (rank == 3) { dims[0] = a.B; dims[1] = a.Sq; dims[2] = a.qh * a.vhs; }
    else { dims[0] = a.B; dims[1] = a.qh; dims[2] = a.Sq; dims[3] = a.vhs; }
    a.y = infer__k_output(c, 0, dt, rank, dims);
    ycount = infer__count_checked(rank, dims);
    if (!a.y) return INFER_STATUS_OUT_OF_MEMORY;
    dims[0] = a.B; dims[1] = a.kvh; dims[2] = a.T; dims[3] = a.hs;
    if (infer__att_has_out(c, 1) && !(pk = infer__k_output(c, 1, dt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    dims[3] = a.vhs;
    if (infer__att_has_out(c, 2) && !(pv = infer__k_output(c, 2, dt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    dims[0] = a.B; dims[1] = a.qh; dims[2] = a.Sq; dims[3] = a.T;
    if (infer__att_has_out(c, 3) && !(a.qk = infer__k_output(c, 3, dt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    /* work: rows only when they produce something (bounds R by an allocated output) */
    a.wd = dt == INFER_DTYPE_DOUBLE;
    if (ycount == 0 && !(a.qk && a.T > 0 && a.Sq > 0 && a.qh > 0 && a.B > 0)) {
        infer__att_cache(PK, K, kst, a.B, a.kvh, a.P > 0 ? a.P : 0, Skv, a.hs, es, pk, NULL, a.wd, 1.0, 0);
        infer__att_cache(PV, V, vst, a.B, a.kvh, a.P > 0 ? a.P : 0, Skv, a.vhs, es, pv, NULL, a.wd, 1.0, 0);
        return INFER_STATUS_OK;
    }
    R = a.B * a.qh * a.Sq;
    nt = INFER__THREADS(c, R * a.T * (a.hs + a.vhs));
    if (nt < 1) nt = 1;
    ws = a.wd ? sizeof(double) : sizeof(float);
    Qd = infer__att_scratch(c, (size_t)(R * a.hs) * ws);
    Kd = infer__att_scratch(c, (size_t)(a.B * a.kvh * a.T * a.hs) * ws);
    Vd = infer__att_scratch(c, (size_t)(a.B * a.kvh * a.T * a.vhs) * ws);
    rowbuf = (double *)infer__att_scratch(c, (size_t)nt * (size_t)(a.T + a.vhs) * sizeof(double));
    if (!Qd || !Kd || !Vd || !rowbuf) return INFER_STATUS_OUT_OF_MEMORY;
    infer__att_cache(NULL, Q, qst, a.B, a.qh, 0, a.Sq, a.hs, es, NULL, Qd, a.wd, sqs, a.emu ? dt : 0);
    infer__att_cache(PK, K, kst, a.B, a.kvh, a.P > 0 ? a.P : 0, Skv, a.hs, es, pk, Kd, a.wd, sqs, a.emu ? dt : 0);
    infer__att_cache(PV, V, vst, a.B, a.kvh, a.P > 0 ? a.P : 0, Skv, a.vhs, es, pv, Vd, a.wd, 1.0, 0);
    a.Qd = Qd; a.Kd = Kd; a.Vd = Vd;
    INFER__OMP_FOR(nt)
    for (t = 0; t < nt; t++) {
        int64_t r0 = R * t / nt, r1 = R * (t + 1) / nt, r;
        for (r = r0; r < r1; r++) infer__att_row(&a, r, rowbuf + t * (a.T + a.vhs));
    }
    return INFER_STATUS_OK;
}

/* ---- RotaryEmbedding (opset 23) --------------------------------------------------------------- */
static infer_status infer__k_rotary_embedding(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *C = INFER__IN(c, 1), *S = INFER__IN(c, 2), *PI = INFER__IN(c, 3);
    int64_t B, H, L, D, rd, half, npos = 0, xst[4], n, t;
    int inter = infer__k_attr_i(c, "interleaved", 0) != 0, nt;
    void *y;
    infer_tensor yt;
    if (!X || !C || !S) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "input, cos_cache and sin_cache are required");
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be a float type");
    if (!infer__is_float(C->dtype) || !infer__is_float(S->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "caches must be a float type");
    if (X->rank == 3) {
        H = infer__k_attr_i(c, "num_heads", 0);
        if (H <= 0 || X->dims[2] % H) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "3-D input needs num_heads dividing the hidden size");
        B = X->dims[0]; L = X->dims[1]; D = X->dims[2] / H;
    } else if (X->rank == 4) {
        B = X->dims[0]; H = X->dims[1]; L = X->dims[2]; D = X->dims[3];
    } else return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d, expected 3 or 4", X->rank);
    infer__att_strides(X->rank, H, L, D, xst);
    rd = infer__k_attr_i(c, "rotary_embedding_dim", 0);
    if (rd == 0) rd = D;
    if (rd < 0 || rd > D || rd % 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "rotary_embedding_dim %lld invalid for head size %lld", (long long)rd, (long long)D);
    half = rd / 2;
    if (PI) {
        if (PI->rank != 2 || PI->dims[0] != B || PI->dims[1] != L)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "position_ids must be (batch, sequence)");
        if (C->rank != 2 || S->rank != 2 || C->dims[1] != half || S->dims[1] != half || S->dims[0] != C->dims[0])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "caches must be (max_position, %lld)", (long long)half);
        npos = C->dims[0];
    } else {
        if (C->rank != 3 || S->rank != 3 || C->dims[0] != B || C->dims[1] != L || C->dims[2] != half ||
            S->dims[0] != B || S->dims[1] != L || S->dims[2] != half)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "caches must be (batch, sequence, %lld) without position_ids", (long long)half);
    }
    y = infer__k_output(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__numel(X) == 0) return INFER_STATUS_OK;
    memset(&yt, 0, sizeof yt);
    yt.dtype = X->dtype;
    yt.data = y;
    if (PI) {
        int64_t k, m = infer__numel(PI);
        for (k = 0; k < m; k++) {
            int64_t p = infer__get_i64(PI, k);
            if (p < 0 || p >= npos) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "position id %lld out of range [0, %lld)", (long long)p, (long long)npos);
        }
    }
    n = B * L * H;
    nt = INFER__THREADS(c, n * D);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (t = 0; t < n; t++) {
        int64_t h = t % H, l = (t / H) % L, b = t / (H * L), k;
        int64_t xo = b * xst[0] + h * xst[1] + l * xst[2];
        int64_t co = (PI ? infer__get_i64(PI, b * L + l) : b * L + l) * half;
        for (k = 0; k < half; k++) {
            int64_t i1 = inter ? 2 * k : k, i2 = inter ? 2 * k + 1 : k + half;
            double cs = infer__get_f64(C, co + k), sn = infer__get_f64(S, co + k);
            double x1 = infer__get_f64(X, xo + i1), x2 = infer__get_f64(X, xo + i2);
            infer__set_f64(&yt, xo + i1, cs * x1 - sn * x2);
            infer__set_f64(&yt, xo + i2, sn * x1 + cs * x2);
        }
        for (k = rd; k < D; k++) infer__set_f64(&yt, xo + k, infer__get_f64(X, xo + k));
    }
    return INFER_STATUS_OK;
}

/* ---- LinearAttention (opset 27): linear / gated / delta / gated_delta recurrences ------------- */
/* Per (batch, kv head) pair a dk x dv state in double: decay (gated), delta correction with beta,
   rank-1 write k (x) v, then each query head of the group reads scale * q^T S. */
static infer_status infer__k_linear_attention(infer__kctx *c) {
    const infer_tensor *Qt = INFER__IN(c, 0), *Kt = INFER__IN(c, 1), *Vt = INFER__IN(c, 2), *PS = INFER__IN(c, 3);
    const infer_tensor *Dt = INFER__IN(c, 4), *Bt = INFER__IN(c, 5);
    const char *rule = infer__k_attr_s(c, "update_rule", "gated_delta");
    int64_t qn = infer__k_attr_i(c, "q_num_heads", 0), kn = infer__k_attr_i(c, "kv_num_heads", 0);
    int64_t B, L, dk, dv, G, dims[4], pairs, p;
    int gating, delta, nt, sdt;
    double scale;
    double *st, *tmp;
    void *y, *ps;
    if (!Qt || !Kt || !Vt) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "query, key and value are required");
    if (strcmp(rule, "linear") == 0) { gating = 0; delta = 0; }
    else if (strcmp(rule, "gated") == 0) { gating = 1; delta = 0; }
    else if (strcmp(rule, "delta") == 0) { gating = 0; delta = 1; }
    else if (strcmp(rule, "gated_delta") == 0) { gating = 1; delta = 1; }
    else return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "update_rule '%s'", rule);
    if (qn <= 0 || kn <= 0 || qn % kn) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "q_num_heads must be a positive multiple of kv_num_heads");
    if (gating != (Dt != NULL)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "update_rule '%s' %s the decay input", rule, gating ? "requires" : "forbids");
    if (delta != (Bt != NULL)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "update_rule '%s' %s the beta input", rule, delta ? "requires" : "forbids");
    if (Qt->rank != 3 || Kt->rank != 3 || Vt->rank != 3) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "query, key, value must be 3-D");
    if (!infer__is_float(Qt->dtype) || Kt->dtype != Qt->dtype || Vt->dtype != Qt->dtype)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "query, key, value must share one float type");
    B = Qt->dims[0]; L = Qt->dims[1];
    if (Qt->dims[2] % qn || Vt->dims[2] % kn) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "hidden sizes are not multiples of the head counts");
    dk = Qt->dims[2] / qn; dv = Vt->dims[2] / kn; G = qn / kn;
    if (Kt->dims[0] != B || Vt->dims[0] != B || Kt->dims[1] != L || Vt->dims[1] != L || Kt->dims[2] != kn * dk)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "key must be (%lld, %lld, %lld) and value (%lld, %lld, *)", (long long)B, (long long)L, (long long)(kn * dk), (long long)B, (long long)L);
    if (Dt && (Dt->rank != 3 || Dt->dims[0] != B || Dt->dims[1] != L || (Dt->dims[2] != kn && Dt->dims[2] != kn * dk) || !infer__is_float(Dt->dtype)))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "decay must be (batch, seq, kv_num_heads[*d_k])");
    if (Bt && (Bt->rank != 3 || Bt->dims[0] != B || Bt->dims[1] != L || (Bt->dims[2] != kn && Bt->dims[2] != 1) || !infer__is_float(Bt->dtype)))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "beta must be (batch, seq, kv_num_heads or 1)");
    if (PS && (PS->rank != 4 || PS->dims[0] != B || PS->dims[1] != kn || PS->dims[2] != dk || PS->dims[3] != dv || !infer__is_float(PS->dtype)))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "past_state must be (%lld, %lld, %lld, %lld)", (long long)B, (long long)kn, (long long)dk, (long long)dv);
    scale = infer__k_attr_f(c, "scale", 0.0f);
    if (scale == 0) scale = 1.0 / sqrt((double)dk);
    sdt = PS ? PS->dtype : Qt->dtype;
    dims[0] = B; dims[1] = L; dims[2] = qn * dv;
    y = infer__k_output(c, 0, Qt->dtype, 3, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    dims[0] = B; dims[1] = kn; dims[2] = dk; dims[3] = dv;
    ps = NULL;
    if (infer__att_has_out(c, 1) && !(ps = infer__k_output(c, 1, sdt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    if (dk == 0 || dv == 0) { /* empty state: the output is zeros (or empty) */
        memset(y, 0, (size_t)(B * L * qn * dv) * infer__dtype_size(Qt->dtype));
        return INFER_STATUS_OK;
    }
    pairs = B * kn;
    st = (double *)infer__att_scratch(c, (size_t)(pairs * dk * dv) * sizeof(double));
    tmp = (double *)infer__att_scratch(c, (size_t)(pairs * (dv + 2 * dk)) * sizeof(double));
    if (!st || !tmp) return INFER_STATUS_OUT_OF_MEMORY;
    nt = INFER__THREADS(c, pairs * L * dk * dv * (G + 2));
    (void)nt;
    INFER__OMP_FOR(nt)
    for (p = 0; p < pairs; p++) {
        int64_t b = p / kn, kh = p % kn, t, d, m, g;
        double *S = st + p * dk * dv, *vt = tmp + p * (dv + 2 * dk), *kv = vt + dv, *qv = kv + dk;
        infer_tensor yt, pt;
        memset(&yt, 0, sizeof yt);
        yt.dtype = Qt->dtype;
        yt.data = y;
        for (d = 0; d < dk * dv; d++) S[d] = PS ? infer__get_f64(PS, p * dk * dv + d) : 0.0;
        for (t = 0; t < L; t++) {
            int64_t kbase = (b * L + t) * kn * dk + kh * dk, vbase = (b * L + t) * kn * dv + kh * dv;
            if (gating) {
                int per_dim = Dt->dims[2] != kn;
                for (d = 0; d < dk; d++) {
                    double e = exp(infer__get_f64(Dt, per_dim ? kbase + d : (b * L + t) * kn + kh));
                    for (m = 0; m < dv; m++) S[d * dv + m] *= e;
                }
            }
            for (m = 0; m < dv; m++) vt[m] = infer__get_f64(Vt, vbase + m);
            for (d = 0; d < dk; d++) kv[d] = infer__get_f64(Kt, kbase + d);
            if (delta) {
                double be = infer__get_f64(Bt, (b * L + t) * Bt->dims[2] + (Bt->dims[2] == 1 ? 0 : kh));
                for (m = 0; m < dv; m++) {
                    double r = 0;
                    for (d = 0; d < dk; d++) r += S[d * dv + m] * kv[d];
                    vt[m] = be * (vt[m] - r);
                }
            }
            for (d = 0; d < dk; d++) {
                double kd = kv[d];
                for (m = 0; m < dv; m++) S[d * dv + m] += kd * vt[m];
            }
            for (g = 0; g < G; g++) {
                int64_t h = kh * G + g, qbase = (b * L + t) * qn * dk + h * dk, obase = (b * L + t) * qn * dv + h * dv;
                for (d = 0; d < dk; d++) qv[d] = infer__get_f64(Qt, qbase + d);
                for (m = 0; m < dv; m++) {
                    double acc = 0;
                    for (d = 0; d < dk; d++) acc += qv[d] * S[d * dv + m];
                    infer__set_f64(&yt, obase + m, scale * acc);
                }
            }
        }
        if (ps) {
            memset(&pt, 0, sizeof pt);
            pt.dtype = sdt;
            pt.data = ps;
            for (d = 0; d < dk * dv; d++) infer__set_f64(&pt, p * dk * dv + d, S[d]);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- SwiGLU: y = a * sigmoid(alpha * a) * b ------------------------------------------------- */
static infer_status infer__k_swiglu(infer__kctx *c) {
    const infer_tensor *A = INFER__IN(c, 0), *Bt = INFER__IN(c, 1);
    double alpha = infer__k_attr_f(c, "alpha", 1.0f);
    int64_t n, i;
    int k, nt;
    void *y;
    infer_tensor yt;
    if (!A || !Bt) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "SwiGLU needs A and B");
    if (!infer__is_float(A->dtype) || Bt->dtype != A->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "A and B must share one float type");
    if (A->rank != Bt->rank) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "A and B must have the same shape");
    for (k = 0; k < A->rank; k++)
        if (A->dims[k] != Bt->dims[k]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "A and B must have the same shape");
    y = infer__k_output(c, 0, A->dtype, A->rank, A->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    memset(&yt, 0, sizeof yt);
    yt.dtype = A->dtype;
    yt.data = y;
    n = infer__numel(A);
    nt = INFER__THREADS(c, n * 8);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (i = 0; i < n; i++) {
        double a = infer__get_f64(A, i), sg = infer__att_round(1.0 / (1.0 + exp(-alpha * a)), A->dtype);
        infer__set_f64(&yt, i, infer__att_round(a * sg, A->dtype) * infer__get_f64(Bt, i));
    }
    return INFER_STATUS_OK;
}

/* ---- TensorScatter (opset 24): writes `update` into a copy of the cache at per-batch offsets -- */
static infer_status infer__k_tensor_scatter(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *U = INFER__IN(c, 1), *W = INFER__IN(c, 2);
    const char *mode = infer__k_attr_s(c, "mode", "linear");
    int circ, axis, k;
    int64_t outer = 1, inner = 1, S, Su, o, s, B;
    size_t es;
    void *y;
    if (!X || !U) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "past_cache and update are required");
    if (strcmp(mode, "linear") == 0) circ = 0;
    else if (strcmp(mode, "circular") == 0) circ = 1;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "mode '%s'", mode);
    if (U->dtype != X->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "update type differs from past_cache");
    if (X->rank < 2 || U->rank != X->rank) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "past_cache and update need one rank >= 2");
    axis = infer__axis(infer__k_attr_i(c, "axis", -2), X->rank);
    if (axis < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axis must select a dimension after the batch axis");
    for (k = 0; k < X->rank; k++) {
        if (k != axis && X->dims[k] != U->dims[k]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "update dim %d differs from past_cache", k);
        if (k < axis) outer *= X->dims[k];
        if (k > axis) inner *= X->dims[k];
    }
    S = X->dims[axis]; Su = U->dims[axis]; B = X->dims[0];
    if (Su > S) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "update is longer than the cache along axis %d", axis);
    if (W && (!(W->dtype == INFER_DTYPE_INT64 || W->dtype == INFER_DTYPE_INT32) || infer__numel(W) != B))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "write_indices must be %lld integers", (long long)B);
    for (k = 0; W && k < B; k++) {
        int64_t w = infer__get_i64(W, k);
        if (w < 0 || (!circ && w > S - Su) || (circ && w >= S))
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "write index %lld out of range", (long long)w);
    }
    y = infer__k_output(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    es = infer__dtype_size(X->dtype);
    if (infer__numel(U) == 0) {
        if (y != X->data) memcpy(y, X->data, infer__tensor_bytes(X));
        return INFER_STATUS_OK;
    }
    if (y != X->data) memcpy(y, X->data, infer__tensor_bytes(X));
    for (o = 0; o < outer; o++) {
        int64_t b = o / (outer / B), w = W ? infer__get_i64(W, b) : 0;
        for (s = 0; s < Su; s++) {
            int64_t pos = (w + s) % S;
            memcpy((char *)y + (size_t)((o * S + pos) * inner) * es, (const char *)U->data + (size_t)((o * Su + s) * inner) * es, (size_t)inner * es);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- CumProd (opset 26) ------------------------------------------------------------------------ */
static infer_status infer__k_cumprod(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *A = INFER__IN(c, 1);
    int excl = infer__k_attr_i(c, "exclusive", 0) != 0, rev = infer__k_attr_i(c, "reverse", 0) != 0, ax, k, isf;
    int64_t outer = 1, inner = 1, n, o, in;
    void *y;
    infer_tensor yt;
    if (!X || !A) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "CumProd needs x and axis");
    if (infer__numel(A) != 1 || (A->dtype != INFER_DTYPE_INT32 && A->dtype != INFER_DTYPE_INT64))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis must be one int32/int64 value");
    isf = infer__is_float(X->dtype);
    switch (X->dtype) {
    case INFER_DTYPE_FLOAT: case INFER_DTYPE_DOUBLE: case INFER_DTYPE_FLOAT16: case INFER_DTYPE_BFLOAT16:
    case INFER_DTYPE_INT32: case INFER_DTYPE_INT64: case INFER_DTYPE_UINT32: case INFER_DTYPE_UINT64:
    case INFER_DTYPE_INT8: case INFER_DTYPE_UINT8: case INFER_DTYPE_INT16: case INFER_DTYPE_UINT16: break;
    default: return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "CumProd of %s", infer_dtype_name(X->dtype));
    }
    ax = infer__axis(infer__get_i64(A, 0), X->rank);
    if (ax < 0 || X->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range", (long long)infer__get_i64(A, 0));
    for (k = 0; k < X->rank; k++) {
        if (k < ax) outer *= X->dims[k];
        if (k > ax) inner *= X->dims[k];
    }
    n = X->dims[ax];
    if (infer__numel(X) == 0) return infer__k_output(c, 0, X->dtype, X->rank, X->dims) ? INFER_STATUS_OK : INFER_STATUS_OUT_OF_MEMORY;
    y = infer__k_output(c, 0, X->dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    memset(&yt, 0, sizeof yt);
    yt.dtype = X->dtype;
    yt.data = y;
    for (o = 0; o < outer; o++)
        for (in = 0; in < inner; in++) {
            double facc = 1;
            uint64_t iacc = 1;
            int64_t s;
            for (s = 0; s < n; s++) {
                int64_t pos = rev ? n - 1 - s : s, idx = (o * n + pos) * inner + in;
                double fv = isf ? infer__get_f64(X, idx) : 0;
                uint64_t iv = isf ? 0 : (uint64_t)infer__get_i64(X, idx);
                if (!excl) {
                    if (isf) facc = infer__att_round(facc * fv, X->dtype);
                    else iacc *= iv;
                }
                if (isf) infer__set_f64(&yt, idx, facc);
                else infer__set_i64(&yt, idx, (int64_t)iacc);
                if (excl) {
                    if (isf) facc = infer__att_round(facc * fv, X->dtype);
                    else iacc *= iv;
                }
            }
        }
    return INFER_STATUS_OK;
}

/* ---- BitCast (opset 26): reinterprets the bits of each element -------------------------------- */
static int infer__att_bits(int dt) {
    switch (dt) {
    case INFER_DTYPE_UINT4: case INFER_DTYPE_INT4: case INFER_DTYPE_FLOAT4E2M1: return 4;
    case INFER_DTYPE_UINT2: case INFER_DTYPE_INT2: return 2;
    case INFER_DTYPE_STRING: case INFER_DTYPE_UNDEFINED: return 0;
    default: return (int)infer__dtype_size(dt) * 8;
    }
}

static infer_status infer__k_bitcast(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int to = (int)infer__k_attr_i(c, "to", 0), bits;
    int64_t n, i;
    uint8_t *y;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "BitCast needs an input");
    bits = infer__att_bits(to);
    if (to <= 0 || to >= INFER_DTYPE_COUNT_ || bits == 0 || X->dtype == INFER_DTYPE_STRING)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "BitCast to type %d", to);
    if (bits != infer__att_bits(X->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "BitCast from %s to %s changes the bit width", infer_dtype_name(X->dtype), infer_dtype_name(to));
    y = (uint8_t *)infer__k_output(c, 0, to, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    if (bits >= 8) {
        if ((void *)y != X->data) memcpy(y, X->data, infer__tensor_bytes(X));
        if (to == INFER_DTYPE_BOOL)
            for (i = 0; i < n; i++) y[i] = y[i] != 0;
    } else {
        const uint8_t *x = (const uint8_t *)X->data;
        uint8_t m = (uint8_t)((1u << bits) - 1);
        for (i = 0; i < n; i++) {
            uint8_t v = (uint8_t)(x[i] & m);
            if ((to == INFER_DTYPE_INT4 || to == INFER_DTYPE_INT2) && (v >> (bits - 1)))
                v = (uint8_t)(v | (uint8_t)~m);
            y[i] = v;
        }
    }
    return INFER_STATUS_OK;
}

/* ---- FlexAttention (ai.onnx.preview 1): attention with score_mod / prob_mod subgraphs ---------- */
/* The scores (B, Hq, L, S) are materialised in the softmax precision (float32 unless the input is
   double or softmax_precision says otherwise) so that the mod graphs can run on the whole tensor. */
static infer_status infer__run_subgraph(infer__kctx *c, const infer__graph *g, int n_in, infer__rval *const *inputs,
                                        infer__rval ***outputs);

/* Runs graph attribute `name` (if any) on the tensor t (compute type) and copies the result back. */
static infer_status infer__att_mod(infer__kctx *c, const char *name, infer_tensor *t) {
    const infer__attr *at = infer__attr_find(c->node, name);
    const infer__graph *g;
    infer__rval in, *inp = &in, **res = NULL;
    const infer_tensor *o;
    infer_status st;
    int64_t n, i;
    int k;
    if (!at) return INFER_STATUS_OK;
    if (at->type != INFER__ATTR_GRAPH || at->n != 1 || !at->graphs) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "attribute %s must be a graph", name);
    g = at->graphs[0];
    if (g->n_inputs != 1 || g->n_outputs != 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "%s must have one input and one output", name);
    memset(&in, 0, sizeof in);
    in.kind = INFER__KIND_TENSOR;
    in.t = *t;
    st = infer__run_subgraph(c, g, 1, &inp, &res);
    if (st) return st;
    if (!res || !res[0] || res[0]->kind != INFER__KIND_TENSOR) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "%s did not produce a tensor", name);
    o = &res[0]->t;
    if (o->rank != t->rank) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "%s changed the scores' shape", name);
    for (k = 0; k < t->rank; k++)
        if (o->dims[k] != t->dims[k]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "%s changed the scores' shape", name);
    n = infer__numel(t);
    if (o->data != t->data)
        for (i = 0; i < n; i++) infer__set_f64(t, i, infer__get_f64(o, i));
    return INFER_STATUS_OK;
}

static infer_status infer__k_flex_attention(infer__kctx *c) {
    const infer_tensor *Q = INFER__IN(c, 0), *K = INFER__IN(c, 1), *V = INFER__IN(c, 2);
    const infer__attr *sa = infer__attr_find(c->node, "scale");
    int64_t B, Hq, Hkv, L, S, E, Ev, G, dims[4], r, R;
    int dt, cdt, sp, nt;
    double sqs;
    infer_tensor sc, yt;
    void *y, *buf;
    infer_status st;
    if (!Q || !K || !V) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "Q, K and V are required");
    dt = Q->dtype;
    if (!infer__is_float(dt) || K->dtype != dt || V->dtype != dt) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "Q, K, V must share one float type");
    if (Q->rank != 4 || K->rank != 4 || V->rank != 4) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "Q, K, V must be 4-D");
    B = Q->dims[0]; Hq = Q->dims[1]; L = Q->dims[2]; E = Q->dims[3];
    Hkv = K->dims[1]; S = K->dims[2]; Ev = V->dims[3];
    if (K->dims[0] != B || V->dims[0] != B || V->dims[1] != Hkv || V->dims[2] != S || K->dims[3] != E)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "Q, K, V shapes disagree");
    if (Hkv <= 0 || Hq % Hkv) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "query heads must be a multiple of key heads");
    G = Hq / Hkv;
    sp = (int)infer__k_attr_i(c, "softmax_precision", 0);
    if (sp && !infer__is_float(sp)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "softmax_precision %d", sp);
    cdt = sp ? sp : (dt == INFER_DTYPE_DOUBLE ? INFER_DTYPE_DOUBLE : INFER_DTYPE_FLOAT);
    sqs = infer__att_round(sqrt((double)(float)(sa && sa->type == INFER__ATTR_FLOAT ? sa->f : 1.0 / sqrt((double)E))), INFER_DTYPE_FLOAT);
    sqs = infer__att_round(sqs, dt);
    dims[0] = B; dims[1] = Hq; dims[2] = L; dims[3] = Ev;
    y = infer__k_output(c, 0, dt, 4, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__count_checked(4, dims) == 0) return INFER_STATUS_OK;
    R = B * Hq * L;
    if (S > ((int64_t)1 << 40) / (R ? R : 1))
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "scores of %lld x %lld are too large", (long long)R, (long long)S);
    nt = INFER__THREADS(c, R * S * (E + Ev + 4));
    (void)nt;
    buf = infer__att_scratch(c, (size_t)(R * S) * infer__dtype_size(cdt));
    if (!buf) return INFER_STATUS_OUT_OF_MEMORY;
    memset(&sc, 0, sizeof sc);
    sc.dtype = cdt; sc.rank = 4; sc.dims[0] = B; sc.dims[1] = Hq; sc.dims[2] = L; sc.dims[3] = S; sc.data = buf;
    INFER__OMP_FOR(nt)
    for (r = 0; r < R; r++) {
        int64_t b = r / (Hq * L), h = (r / L) % Hq, kb = (b * Hkv + h / G) * S * E, j, d;
        for (j = 0; j < S; j++) {
            double v = 0;
            for (d = 0; d < E; d++)
                v += infer__att_round(infer__get_f64(Q, r * E + d) * sqs, dt) * infer__att_round(infer__get_f64(K, kb + j * E + d) * sqs, dt);
            infer__set_f64(&sc, r * S + j, infer__att_round(v, dt));
        }
    }
    if ((st = infer__att_mod(c, "score_mod", &sc)) != INFER_STATUS_OK) return st;
    INFER__OMP_FOR(nt)
    for (r = 0; r < R; r++) {
        double mx = -INFINITY, sum = 0;
        int64_t j;
        for (j = 0; j < S; j++) {
            double v = infer__get_f64(&sc, r * S + j);
            if (v != v || v > mx) mx = v;
        }
        for (j = 0; j < S; j++) sum += exp(infer__get_f64(&sc, r * S + j) - mx);
        for (j = 0; j < S; j++) infer__set_f64(&sc, r * S + j, exp(infer__get_f64(&sc, r * S + j) - mx) / sum);
    }
    if ((st = infer__att_mod(c, "prob_mod", &sc)) != INFER_STATUS_OK) return st;
    memset(&yt, 0, sizeof yt);
    yt.dtype = dt;
    yt.data = y;
    INFER__OMP_FOR(nt)
    for (r = 0; r < R; r++) {
        int64_t b = r / (Hq * L), h = (r / L) % Hq, vb = (b * Hkv + h / G) * S * Ev, j, d;
        for (d = 0; d < Ev; d++) {
            double acc = 0;
            for (j = 0; j < S; j++) acc += infer__get_f64(&sc, r * S + j) * infer__get_f64(V, vb + j * Ev + d);
            infer__set_f64(&yt, r * Ev + d, infer__att_round(acc, cdt));
        }
    }
    return INFER_STATUS_OK;
}

static const infer__op infer__ops_attention[] = {
    {"", "Attention", 23, 1000, infer__k_attention},
    {"", "RotaryEmbedding", 23, 1000, infer__k_rotary_embedding},
    {"", "LinearAttention", 1, 1000, infer__k_linear_attention},
    {"", "SwiGLU", 1, 1000, infer__k_swiglu},
    {"", "TensorScatter", 24, 1000, infer__k_tensor_scatter},
    {"", "CumProd", 1, 1000, infer__k_cumprod},
    {"", "BitCast", 1, 1000, infer__k_bitcast},
    {"ai.onnx.preview", "FlexAttention", 1, 1000, infer__k_flex_attention},
    {NULL, NULL, 0, 0, NULL}
};
