/* ============================================================================================== */
/* >>kernels-attention: Attention, RotaryEmbedding and the newest transformer ops                 */
/* ============================================================================================== */
/* Attention (opsets 23-25) computes in double: the scores, the bias, the softmax and the product
   with V, then rounds once to the output type (as the ONNX reference does with NumPy 2, whose
   float64 scale promotes the whole computation). Rows are spread over threads in equal chunks,
   each chunk with its own row buffer in scratch. */

static int infer__att_has_out(const infer__kctx *c, int i) {
    return i < c->n_out && c->node->out[i] >= 0;
}

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
    const double *Qd, *Kd, *Vd;   /* (B, qh, Sq, hs) scaled, (B, kvh, T, hs) scaled, (B, kvh, T, vhs) */
    const infer_tensor *mask;     /* NULL or right-aligned on (B, qh, Sq, T), last dim maybe short */
    int64_t mst[4], mlast;        /* mask strides (0 when broadcast) and its last dim */
    int mask_bool;
    const infer_tensor *nonpad;   /* (B,) int64 or NULL */
    int causal;
    int64_t lwin, rwin;           /* -1: unbounded */
    double softcap;
    int mode, sprec;              /* qk_matmul_output_mode; softmax precision dtype (0: none) */
    int dt;                       /* output type */
    int yrank;
    void *y, *qk;                 /* outputs (qk may be NULL) */
} infer__att_cfg;

/* One query row r = (b, h, i): scores, bias, softmax, output. buf holds 2*T doubles. */
static void infer__att_row(const infer__att_cfg *a, int64_t r, double *buf) {
    int64_t T = a->T, i = r % a->Sq, h = (r / a->Sq) % a->qh, b = r / (a->Sq * a->qh);
    int64_t kh = h / (a->qh / a->kvh), j, d, off = 0, lim = 0;
    const double *q = a->Qd + r * a->hs;
    const double *kb = a->Kd + (b * a->kvh + kh) * T * a->hs;
    const double *vb = a->Vd + (b * a->kvh + kh) * T * a->vhs;
    double *s = buf, *bias = buf + T, mx = -INFINITY, sum = 0;
    int all_masked = 1, want_qk = a->qk != NULL;
    infer_tensor yt, qt;
    int64_t ybase, ys;
    memset(&yt, 0, sizeof yt);
    memset(&qt, 0, sizeof qt);
    yt.dtype = qt.dtype = a->dt;
    yt.data = a->y;
    qt.data = a->qk;
    if (a->nonpad) {
        lim = infer__get_i64(a->nonpad, b);
        off = lim - a->Sq;
    } else if (a->P >= 0) off = a->P;
    for (j = 0; j < T; j++) {
        double v = 0, bi = 0;
        for (d = 0; d < a->hs; d++) v += q[d] * kb[j * a->hs + d];
        if (want_qk && a->mode == 0) infer__set_f64(&qt, r * T + j, v);
        if (a->softcap > 0) v = a->softcap * tanh(v / a->softcap);
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
        if (want_qk && a->mode == 2) infer__set_f64(&qt, r * T + j, v);
        if (a->sprec) v = infer__att_round(v, a->sprec);
        s[j] = v;
        bias[j] = bi;
        if (v != v || v > mx) mx = v;
    }
    if (all_masked || mx == -INFINITY) {
        for (j = 0; j < T; j++) s[j] = 0;
    } else {
        for (j = 0; j < T; j++) {
            s[j] = exp(s[j] - mx);
            sum += s[j];
        }
        for (j = 0; j < T; j++) {
            s[j] /= sum;
            if (a->sprec) s[j] = infer__att_round(s[j], a->sprec);
        }
    }
    if (want_qk && a->mode == 3)
        for (j = 0; j < T; j++) infer__set_f64(&qt, r * T + j, s[j]);
    if (a->yrank == 3) {
        ybase = (b * a->Sq + i) * a->qh * a->vhs + h * a->vhs;
    } else {
        ybase = r * a->vhs;
    }
    ys = 1;
    for (d = 0; d < a->vhs; d++) {
        double acc = 0;
        for (j = 0; j < T; j++) acc += s[j] * vb[j * a->vhs + d];
        infer__set_f64(&yt, ybase + d * ys, acc);
    }
}

/* Copies the (B, H, S, D) view of a cache tensor `past` (4-D, may be NULL) followed by `cur`
   (strides cst) into dst (B, H, P + S, D) as raw elements of size es, and/or into dd as doubles
   multiplied by mul. */
static void infer__att_cache(const infer_tensor *past, const infer_tensor *cur, const int64_t *cst, int64_t B,
                             int64_t H, int64_t P, int64_t S, int64_t D, size_t es, void *dst, double *dd,
                             double mul) {
    int64_t b, h, t, d, T = P + S;
    for (b = 0; b < B; b++)
        for (h = 0; h < H; h++) {
            int64_t o = (b * H + h) * T * D;
            if (P > 0) {
                int64_t src = (b * H + h) * P * D;
                if (dst) memcpy((char *)dst + (size_t)o * es, (const char *)past->data + (size_t)src * es, (size_t)(P * D) * es);
                if (dd)
                    for (d = 0; d < P * D; d++) dd[o + d] = infer__get_f64(past, src + d) * mul;
            }
            for (t = 0; t < S; t++) {
                int64_t src = b * cst[0] + h * cst[1] + t * cst[2], oo = o + (P + t) * D;
                if (dst) memcpy((char *)dst + (size_t)oo * es, (const char *)cur->data + (size_t)src * es, (size_t)D * es);
                if (dd)
                    for (d = 0; d < D; d++) dd[oo + d] = infer__get_f64(cur, src + d) * mul;
            }
        }
}

static infer_status infer__k_attention(infer__kctx *c) {
    const infer_tensor *Q = INFER__IN(c, 0), *K = INFER__IN(c, 1), *V = INFER__IN(c, 2), *M = INFER__IN(c, 3);
    const infer_tensor *PK = INFER__IN(c, 4), *PV = INFER__IN(c, 5);
    const infer_tensor *NP = c->node->opset >= 24 ? INFER__IN(c, 6) : NULL;
    infer__att_cfg a;
    int rank, dt;
    int64_t Skv, qst[4], kst[4], vst[4], dims[4], R, t;
    double scale, sqs;
    const infer__attr *sa;
    size_t es;
    double *Qd, *Kd, *Vd, *rowbuf;
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
    a.dt = dt;
    a.yrank = rank;
    es = infer__dtype_size(dt);
    /* outputs */
    if (rank == 3) { dims[0] = a.B; dims[1] = a.Sq; dims[2] = a.qh * a.vhs; }
    else { dims[0] = a.B; dims[1] = a.qh; dims[2] = a.Sq; dims[3] = a.vhs; }
    a.y = infer__k_output(c, 0, dt, rank, dims);
    if (!a.y) return INFER_STATUS_OUT_OF_MEMORY;
    dims[0] = a.B; dims[1] = a.kvh; dims[2] = a.T; dims[3] = a.hs;
    if (infer__att_has_out(c, 1) && !(pk = infer__k_output(c, 1, dt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    dims[3] = a.vhs;
    if (infer__att_has_out(c, 2) && !(pv = infer__k_output(c, 2, dt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    dims[0] = a.B; dims[1] = a.qh; dims[2] = a.Sq; dims[3] = a.T;
    if (infer__att_has_out(c, 3) && !(a.qk = infer__k_output(c, 3, dt, 4, dims))) return INFER_STATUS_OUT_OF_MEMORY;
    /* work */
    R = a.B * a.qh * a.Sq;
    nt = INFER__THREADS(c, R * a.T * (a.hs + a.vhs));
    if (nt < 1) nt = 1;
    Qd = (double *)infer__att_scratch(c, (size_t)(R * a.hs) * sizeof(double));
    Kd = (double *)infer__att_scratch(c, (size_t)(a.B * a.kvh * a.T * a.hs) * sizeof(double));
    Vd = (double *)infer__att_scratch(c, (size_t)(a.B * a.kvh * a.T * a.vhs) * sizeof(double));
    rowbuf = (double *)infer__att_scratch(c, (size_t)nt * (size_t)(2 * a.T) * sizeof(double));
    if (!Qd || !Kd || !Vd || !rowbuf) return INFER_STATUS_OUT_OF_MEMORY;
    infer__att_cache(NULL, Q, qst, a.B, a.qh, 0, a.Sq, a.hs, es, NULL, Qd, sqs);
    infer__att_cache(PK, K, kst, a.B, a.kvh, a.P > 0 ? a.P : 0, Skv, a.hs, es, pk, Kd, sqs);
    infer__att_cache(PV, V, vst, a.B, a.kvh, a.P > 0 ? a.P : 0, Skv, a.vhs, es, pv, Vd, 1.0);
    a.Qd = Qd; a.Kd = Kd; a.Vd = Vd;
    INFER__OMP_FOR(nt)
    for (t = 0; t < nt; t++) {
        int64_t r0 = R * t / nt, r1 = R * (t + 1) / nt, r;
        for (r = r0; r < r1; r++) infer__att_row(&a, r, rowbuf + t * 2 * a.T);
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

static const infer__op infer__ops_attention[] = {
    {"", "Attention", 23, 1000, infer__k_attention},
    {"", "RotaryEmbedding", 23, 1000, infer__k_rotary_embedding},
    {NULL, NULL, 0, 0, NULL}
};
