/* ============================================================================================== */
/* >>kernels-movement: shape and data movement (Reshape, Transpose, Slice, Gather, Pad, ...)      */
/* ============================================================================================== */
/* These kernels move bytes: they work on the element size (infer__dtype_size), so every dtype,
   string pointers included, goes through the same code. Reductions (Scatter*) and value-producing
   ops (Range, OneHot, EyeLike, Pad's constant) convert through the typed helpers of >>util.

   Omitted outputs (node->out[i] < 0) are skipped; a NULL from infer__k_output counts as an error
   only when the output has elements. */

#define INFER__MV_MAXCOUNT ((int64_t)1 << 31)
#ifndef INFER__MV_TILE
#define INFER__MV_TILE 32
#endif

/* Output i: sets `p`, returns from the kernel when the executor could not provide it. */
#define INFER__MV_OUT(p, c, i, dt, r, d)                                                           \
    do {                                                                                           \
        (p) = (i) < (c)->node->n_out && (c)->node->out[i] < 0 ? NULL                              \
            : (char *)infer__k_output((c), (i), (dt), (r), (d));                                   \
        if (!(p) && infer__mv_out_needed((c), (i), (r), (d))) return INFER_STATUS_OUT_OF_MEMORY;    \
    } while (0)

/* Returns from the kernel with the status of a failed check. */
#define INFER__MV_TRY(expr)                                                                        \
    do {                                                                                           \
        infer_status st_ = (expr);                                                                 \
        if (st_ != INFER_STATUS_OK) return st_;                                                    \
    } while (0)

/* A required input: fails the node when it is absent. */
#define INFER__MV_NEED(c, i)                                                                       \
    do {                                                                                           \
        if (!INFER__IN((c), (i)))                                                                  \
            return infer__k_fail((c), INFER_STATUS_INVALID_MODEL, "missing required input %d", (i)); \
    } while (0)

static int infer__mv_out_needed(const infer__kctx *c, int i, int rank, const int64_t *dims) {
    int k;
    if (i < c->node->n_out && c->node->out[i] < 0) return 0;
    for (k = 0; k < rank; k++)
        if (dims[k] == 0) return 0;
    return 1;
}

static int infer__mv_is_int(int dt) {
    return dt == INFER_DTYPE_INT64 || dt == INFER_DTYPE_INT32 || dt == INFER_DTYPE_INT16 ||
           dt == INFER_DTYPE_INT8 || dt == INFER_DTYPE_UINT64 || dt == INFER_DTYPE_UINT32 ||
           dt == INFER_DTYPE_UINT16 || dt == INFER_DTYPE_UINT8;
}

/* Element size of t, failing the node for an unknown dtype. */
static infer_status infer__mv_esize(infer__kctx *c, const infer_tensor *t, size_t *es) {
    *es = infer__dtype_size(t->dtype);
    if (!*es) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "unsupported element type %d", t->dtype);
    return INFER_STATUS_OK;
}

/* Shapes read from tensors: no negative dims, at most 2^31 elements. */
static infer_status infer__mv_check_shape(infer__kctx *c, int rank, const int64_t *dims, const char *what) {
    int i;
    int64_t n;
    for (i = 0; i < rank; i++)
        if (dims[i] < 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "%s: dimension %d is negative (%lld)", what, i,
                                 (long long)dims[i]);
    n = infer__count_checked(rank, dims);
    if (n < 0 || n > INFER__MV_MAXCOUNT)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "%s: more than 2^31 elements", what);
    return INFER_STATUS_OK;
}

/* Integer list from an index-typed tensor (shape, axes, pads...) into vals[max]; count in *n. */
static infer_status infer__mv_ints(infer__kctx *c, const infer_tensor *t, int64_t *vals, int max, const char *what, int *n) {
    if (!infer__mv_is_int(t->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "%s must be an integer tensor", what);
    *n = infer__tensor_ints(t, vals, max);
    if (*n < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "%s has more than %d values", what, max);
    return INFER_STATUS_OK;
}

/* A 1-D view of `data` for the typed element helpers (infer__get_f64, infer__set_f64). */
static void infer__mv_tensor1(infer_tensor *t, int dt, void *data) {
    memset(t, 0, sizeof *t);
    t->dtype = dt;
    t->rank = 1;
    t->dims[0] = INT64_MAX;
    t->data = data;
}

static void infer__mv_strides(int rank, const int64_t *dims, int64_t *st) {
    int i;
    int64_t s = 1;
    for (i = rank - 1; i >= 0; i--) {
        st[i] = s;
        s *= dims[i];
    }
}

/* Copies n elements of es bytes with element strides (constant-size memcpy compiles to moves). */
static void infer__mv_copy_elems(char *dst, int64_t dstep, const char *src, int64_t sstep, int64_t n, size_t es) {
    int64_t i;
#define INFER__MV_COPYN(ES)                                                                        \
    for (i = 0; i < n; i++) memcpy(dst + i * dstep * (ES), src + i * sstep * (ES), (ES))
    if (dstep == 1 && sstep == 1) {
        memcpy(dst, src, (size_t)n * es);
        return;
    }
    switch (es) {
    case 1: INFER__MV_COPYN(1); break;
    case 2: INFER__MV_COPYN(2); break;
    case 4: INFER__MV_COPYN(4); break;
    case 8: INFER__MV_COPYN(8); break;
    case 16: INFER__MV_COPYN(16); break;
    default:
        for (i = 0; i < n; i++) memcpy(dst + i * dstep * (int64_t)es, src + i * sstep * (int64_t)es, es);
        break;
    }
#undef INFER__MV_COPYN
}

/* Fills n elements with the es-byte pattern val. */
static void infer__mv_fill(char *dst, int64_t n, const void *val, size_t es) {
    int64_t i;
    size_t k, zero = 1;
    for (k = 0; k < es; k++)
        if (((const unsigned char *)val)[k]) zero = 0;
    if (zero) {
        memset(dst, 0, (size_t)n * es);
        return;
    }
    for (i = 0; i < n; i++) memcpy(dst + i * (int64_t)es, val, es);
}

static int64_t infer__mv_offset(int64_t idx, int r, const int64_t *d, const int64_t *s) {
    int64_t off = 0;
    int i;
    for (i = r - 1; i >= 0; i--) {
        off += (idx % d[i]) * s[i];
        idx /= d[i];
    }
    return off;
}

/* The copy engine: dst (contiguous, shape dims) [i0..] = src[sum(i_k * sst[k])], element strides
   (may be negative or zero). Used by Transpose, Slice, Expand, DepthToSpace, SpaceToDepth. */
static void infer__mv_strided(infer__kctx *c, char *dst, const char *src, size_t es, int rank,
                              const int64_t *dims, const int64_t *sst) {
    int64_t d[INFER_MAX_RANK], s[INFER_MAX_RANK], ds[INFER_MAX_RANK], total = 1, rows;
    int r = 0, i, k = -1, nt;
    const int64_t T = INFER__MV_TILE;
    for (i = 0; i < rank; i++) {
        if (dims[i] == 0) return;
        if (dims[i] == 1) continue;
        if (r > 0 && s[r - 1] == sst[i] * dims[i]) { /* merges with the previous (outer) axis */
            d[r - 1] *= dims[i];
            s[r - 1] = sst[i];
        } else {
            d[r] = dims[i];
            s[r] = sst[i];
            r++;
        }
    }
    if (r == 0) {
        memcpy(dst, src, es);
        return;
    }
    for (i = 0; i < r; i++) total *= d[i];
    infer__mv_strides(r, d, ds);
    if (s[r - 1] != 1)
        for (i = 0; i < r - 1; i++)
            if (s[i] == 1) k = i;
    nt = INFER__THREADS(c, total);
    (void)nt;
    if (k >= 0) {
        /* 2-D blocks between axis k (contiguous in the source) and the last axis (contiguous in
           dst): tiles when both are long, else the inner loop runs along the longer one. */
        int64_t md[INFER_MAX_RANK], ms[INFER_MAX_RANK], mds[INFER_MAX_RANK], A = d[k], B = d[r - 1];
        int64_t TA = A >= 8 && B >= 8 ? T : A, nA = (A + TA - 1) / TA, O = 1, ntask, task, sB = s[r - 1], dA = ds[k];
        int m = 0;
        for (i = 0; i < r - 1; i++)
            if (i != k) {
                md[m] = d[i];
                ms[m] = s[i];
                mds[m] = ds[i];
                O *= d[i];
                m++;
            }
        ntask = O * nA;
        INFER__OMP_FOR(nt)
        for (task = 0; task < ntask; task++) {
            int64_t o = task / nA, a0 = (task % nA) * TA, a1 = a0 + TA < A ? a0 + TA : A, sb = 0, db = 0, a, b, b0, q;
            int j;
            for (j = m - 1; j >= 0; j--) {
                q = o % md[j];
                o /= md[j];
                sb += q * ms[j];
                db += q * mds[j];
            }
            if (B < 8) {
                for (b = 0; b < B; b++)
                    infer__mv_copy_elems(dst + (db + a0 * dA + b) * (int64_t)es, dA, src + (sb + a0 + b * sB) * (int64_t)es, 1,
                                         a1 - a0, es);
                continue;
            }
            for (b0 = 0; b0 < B; b0 += T) {
                int64_t nb = B - b0 < T ? B - b0 : T;
                for (a = a0; a < a1; a++)
                    infer__mv_copy_elems(dst + (db + a * dA + b0) * (int64_t)es, 1,
                                         src + (sb + a + b0 * sB) * (int64_t)es, sB, nb, es);
            }
        }
        return;
    }
    rows = total / d[r - 1];
    {
        int64_t row, n = d[r - 1], sl = s[r - 1];
        INFER__OMP_FOR(nt)
        for (row = 0; row < rows; row++) {
            int64_t off = infer__mv_offset(row, r - 1, d, s);
            infer__mv_copy_elems(dst + row * n * (int64_t)es, 1, src + off * (int64_t)es, sl, n, es);
        }
    }
}

/* ---- Identity, Reshape, Flatten, Squeeze, Unsqueeze: aliases, no copy -------------------------- */

/* Copies a run-time value (sequence / optional) to output i; defined with the executor (>>run). */
static infer_status infer__k_copy_out(infer__kctx *c, int i, const infer__rval *v);

static infer_status infer__k_identity(infer__kctx *c) {
    const infer__rval *v = c->vin && c->n_in > 0 ? c->vin[0] : NULL;
    if (!INFER__IN(c, 0) && v && v->kind != INFER__KIND_TENSOR) return infer__k_copy_out(c, 0, v);
    INFER__MV_NEED(c, 0);
    return infer__k_output_alias(c, 0, 0, c->in[0]->rank, c->in[0]->dims);
}

static infer_status infer__k_reshape(infer__kctx *c) {
    const infer_tensor *x;
    int64_t shp[INFER_MAX_RANK], dims[INFER_MAX_RANK], known = 1, total;
    int n, i, neg = -1, allowzero = c->node->opset >= 14 ? (int)infer__k_attr_i(c, "allowzero", 0) : 0;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    if (c->node->opset < 5 && !INFER__IN(c, 1)) {
        const int64_t *a;
        n = infer__k_attr_ints(c, "shape", &a);
        if (n < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "attribute 'shape' is missing");
        if (n > INFER_MAX_RANK)
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "shape has rank %d > %d", n, INFER_MAX_RANK);
        for (i = 0; i < n; i++) shp[i] = a[i];
    } else {
        INFER__MV_NEED(c, 1);
        INFER__MV_TRY(infer__mv_ints(c, c->in[1], shp, INFER_MAX_RANK, "shape", &n));
    }
    total = infer__numel(x);
    for (i = 0; i < n; i++) {
        int64_t v = shp[i];
        if (v == 0 && !allowzero) {
            if (i >= x->rank)
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "shape[%d] = 0 copies a dimension the input (rank %d) lacks",
                                     i, x->rank);
            v = x->dims[i];
        } else if (v == -1) {
            if (neg >= 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "shape has more than one -1");
            neg = i;
            dims[i] = 1;
            continue;
        } else if (v < 0) {
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "shape[%d] = %lld is negative", i, (long long)v);
        }
        dims[i] = v;
        if (v && known > ((int64_t)1 << 62) / v)
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "shape has too many elements");
        known *= v;
    }
    if (neg >= 0) {
        if (known == 0 || total % known)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot infer the -1 of the shape: %lld elements into %lld",
                                 (long long)total, (long long)known);
        dims[neg] = total / known;
    } else if (known != total) {
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot reshape %lld elements into %lld", (long long)total,
                             (long long)known);
    }
    return infer__k_output_alias(c, 0, 0, n, dims);
}

static infer_status infer__k_flatten(infer__kctx *c) {
    const infer_tensor *x;
    int64_t axis = infer__k_attr_i(c, "axis", 1), dims[2] = {1, 1};
    int i;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    if (axis < 0) axis += x->rank;
    if (axis < 0 || axis > x->rank)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d",
                             (long long)infer__k_attr_i(c, "axis", 1), x->rank);
    for (i = 0; i < x->rank; i++) dims[i < axis ? 0 : 1] *= x->dims[i];
    return infer__k_output_alias(c, 0, 0, 2, dims);
}

/* Axes of Squeeze / Unsqueeze: attribute before opset 13, input 1 from 13. *n = -1 when absent. */
static infer_status infer__mv_axes(infer__kctx *c, int64_t *axes, int max, int *n) {
    if (c->node->opset < 13 && !INFER__IN(c, 1)) {
        const int64_t *a;
        int i;
        *n = infer__k_attr_ints(c, "axes", &a);
        if (*n > max) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "too many axes (%d)", *n);
        for (i = 0; i < *n; i++) axes[i] = a[i];
        return INFER_STATUS_OK;
    }
    *n = -1;
    if (!INFER__IN(c, 1)) return INFER_STATUS_OK;
    return infer__mv_ints(c, c->in[1], axes, max, "axes", n);
}

static infer_status infer__k_squeeze(infer__kctx *c) {
    const infer_tensor *x;
    int64_t axes[INFER_MAX_RANK], dims[INFER_MAX_RANK];
    int n, i, r = 0, mark[INFER_MAX_RANK];
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_axes(c, axes, INFER_MAX_RANK, &n));
    for (i = 0; i < x->rank; i++) mark[i] = n <= 0 ? x->dims[i] == 1 : 0; /* no (or empty) axes: all 1s */
    for (i = 0; i < n; i++) {
        int a = infer__axis(axes[i], x->rank);
        if (a < 0 || x->rank == 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d",
                                 (long long)axes[i], x->rank);
        if (x->dims[a] != 1)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot squeeze axis %d of size %lld", a,
                                 (long long)x->dims[a]);
        mark[a] = 1;
    }
    for (i = 0; i < x->rank; i++)
        if (!mark[i]) dims[r++] = x->dims[i];
    return infer__k_output_alias(c, 0, 0, r, dims);
}

static infer_status infer__k_unsqueeze(infer__kctx *c) {
    const infer_tensor *x;
    int64_t axes[INFER_MAX_RANK + 1], dims[INFER_MAX_RANK];
    int n, i, j = 0, r, mark[INFER_MAX_RANK];
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_axes(c, axes, INFER_MAX_RANK + 1, &n));
    if (n < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axes are missing");
    r = x->rank + n;
    if (r > INFER_MAX_RANK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank %d exceeds %d", r, INFER_MAX_RANK);
    for (i = 0; i < r; i++) mark[i] = 0;
    for (i = 0; i < n; i++) {
        int a = infer__axis(axes[i], r);
        if (a < 0 || r == 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for output rank %d",
                                 (long long)axes[i], r);
        if (mark[a]) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %d repeated", a);
        mark[a] = 1;
    }
    for (i = 0; i < r; i++) dims[i] = mark[i] ? 1 : x->dims[j++];
    return infer__k_output_alias(c, 0, 0, r, dims);
}

/* ---- Shape, Size ---------------------------------------------------------------------------- */

static infer_status infer__k_shape(infer__kctx *c) {
    const infer_tensor *x;
    int64_t start = 0, end, n, i;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    end = x->rank;
    if (c->node->opset >= 15) {
        start = infer__k_attr_i(c, "start", 0);
        end = infer__k_attr_i(c, "end", x->rank);
    }
    if (start < 0) start += x->rank;
    if (end < 0) end += x->rank;
    start = start < 0 ? 0 : start > x->rank ? x->rank : start;
    end = end < 0 ? 0 : end > x->rank ? x->rank : end;
    n = end > start ? end - start : 0;
    INFER__MV_OUT(p, c, 0, INFER_DTYPE_INT64, 1, &n);
    if (!p) return INFER_STATUS_OK;
    for (i = 0; i < n; i++) ((int64_t *)(void *)p)[i] = x->dims[start + i];
    return INFER_STATUS_OK;
}

static infer_status infer__k_size(infer__kctx *c) {
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_OUT(p, c, 0, INFER_DTYPE_INT64, 0, NULL);
    if (!p) return INFER_STATUS_OK;
    *(int64_t *)(void *)p = infer__numel(c->in[0]);
    return INFER_STATUS_OK;
}

/* ---- Transpose ------------------------------------------------------------------------------ */

static infer_status infer__k_transpose(infer__kctx *c) {
    const infer_tensor *x;
    const int64_t *pa;
    int64_t perm[INFER_MAX_RANK], dims[INFER_MAX_RANK], st[INFER_MAX_RANK], sst[INFER_MAX_RANK];
    int n, i, seen[INFER_MAX_RANK];
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    n = infer__k_attr_ints(c, "perm", &pa);
    if (n >= 0 && n != x->rank)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "perm has %d entries for rank %d", n, x->rank);
    for (i = 0; i < x->rank; i++) seen[i] = 0;
    for (i = 0; i < x->rank; i++) {
        perm[i] = n >= 0 ? pa[i] : x->rank - 1 - i;
        if (perm[i] < 0) perm[i] += x->rank;
        if (perm[i] < 0 || perm[i] >= x->rank || seen[perm[i]])
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "perm is not a permutation");
        seen[perm[i]] = 1;
    }
    infer__mv_strides(x->rank, x->dims, st);
    for (i = 0; i < x->rank; i++) {
        dims[i] = x->dims[perm[i]];
        sst[i] = st[perm[i]];
    }
    INFER__MV_OUT(p, c, 0, x->dtype, x->rank, dims);
    if (p) infer__mv_strided(c, p, (const char *)x->data, es, x->rank, dims, sst);
    return INFER_STATUS_OK;
}

/* ---- Concat, Split ---------------------------------------------------------------------------- */

static infer_status infer__k_concat(infer__kctx *c) {
    const infer_tensor *x0;
    int64_t dims[INFER_MAX_RANK], outer = 1, inner = 1, axis, o, off;
    int i, j, r, a, nt;
    size_t es;
    char *p;
    if (c->n_in < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no inputs");
    for (i = 0; i < c->n_in; i++) INFER__MV_NEED(c, i);
    x0 = c->in[0];
    r = x0->rank;
    INFER__MV_TRY(infer__mv_esize(c, x0, &es));
    axis = infer__k_attr_i(c, "axis", c->node->opset < 4 ? 1 : INT64_MIN); /* Concat-1: default 1 */
    if (axis == INT64_MIN) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "attribute 'axis' is missing");
    a = infer__axis(axis, r);
    if (a < 0 || r == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d", (long long)axis, r);
    for (j = 0; j < r; j++) dims[j] = x0->dims[j];
    dims[a] = 0;
    for (i = 0; i < c->n_in; i++) {
        const infer_tensor *t = c->in[i];
        if (t->dtype != x0->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input %d has another type", i);
        if (t->rank != r) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input %d has rank %d, expected %d", i, t->rank, r);
        for (j = 0; j < r; j++)
            if (j != a && t->dims[j] != x0->dims[j])
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input %d: dimension %d is %lld, expected %lld", i, j,
                                     (long long)t->dims[j], (long long)x0->dims[j]);
        dims[a] += t->dims[a];
    }
    INFER__MV_TRY(infer__mv_check_shape(c, r, dims, "output"));
    for (j = 0; j < a; j++) outer *= dims[j];
    for (j = a + 1; j < r; j++) inner *= dims[j];
    INFER__MV_OUT(p, c, 0, x0->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    off = 0;
    for (i = 0; i < c->n_in; i++) {
        const infer_tensor *t = c->in[i];
        int64_t blk = t->dims[a] * inner * (int64_t)es, orow = dims[a] * inner * (int64_t)es;
        const char *s = (const char *)t->data;
        if (blk == 0) continue;
        nt = INFER__THREADS(c, outer * blk / 4);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (o = 0; o < outer; o++) memcpy(p + o * orow + off, s + o * blk, (size_t)blk);
        off += blk;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_split(infer__kctx *c) {
    const infer_tensor *x;
    int64_t axis = infer__k_attr_i(c, "axis", 0), sizes[64], *sz = sizes, outer = 1, inner = 1, sum = 0, off = 0;
    int64_t dims[INFER_MAX_RANK], o;
    int a, i, j, nout = c->n_out, ns = -1, nt;
    size_t es;
    const infer_tensor *sp = INFER__IN(c, 1);
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    a = infer__axis(axis, x->rank);
    if (a < 0 || x->rank == 0)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d", (long long)axis, x->rank);
    if (nout < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no outputs");
    if (nout > 64) {
        sz = (int64_t *)infer__k_scratch(c, (size_t)nout * sizeof(int64_t));
        if (!sz) return INFER_STATUS_OUT_OF_MEMORY;
    }
    if (sp && infer__numel(sp) > 0) {
        INFER__MV_TRY(infer__mv_ints(c, sp, sz, nout, "split", &ns));
    } else if (!sp) {
        const int64_t *av;
        int n = infer__k_attr_ints(c, "split", &av);
        if (n > nout) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "split has %d entries for %d outputs", n, nout);
        if (n >= 0) {
            ns = n;
            for (i = 0; i < n; i++) sz[i] = av[i];
        }
    }
    if (ns >= 0) {
        if (ns != nout) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "split has %d entries for %d outputs", ns, nout);
        for (i = 0; i < ns; i++) {
            if (sz[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "split[%d] is negative", i);
            sum += sz[i];
        }
        if (sum != x->dims[a])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "split sums to %lld, axis has %lld", (long long)sum,
                                 (long long)x->dims[a]);
    } else {
        int64_t n = infer__k_attr_i(c, "num_outputs", nout), chunk;
        if (n != nout)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "num_outputs is %lld but the node has %d outputs",
                                 (long long)n, nout);
        chunk = (x->dims[a] + n - 1) / n;
        if (c->node->opset < 18 && x->dims[a] % n)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "axis of size %lld does not split into %d equal parts",
                                 (long long)x->dims[a], nout);
        for (i = 0; i < nout; i++) {
            int64_t left = x->dims[a] - chunk * i;
            sz[i] = left < 0 ? 0 : left < chunk ? left : chunk;
        }
    }
    for (j = 0; j < a; j++) outer *= x->dims[j];
    for (j = a + 1; j < x->rank; j++) inner *= x->dims[j];
    for (i = 0; i < nout; i++) {
        char *p;
        int64_t blk = sz[i] * inner * (int64_t)es, irow = x->dims[a] * inner * (int64_t)es;
        const char *s = (const char *)x->data;
        for (j = 0; j < x->rank; j++) dims[j] = x->dims[j];
        dims[a] = sz[i];
        INFER__MV_OUT(p, c, i, x->dtype, x->rank, dims);
        if (p && blk) {
            nt = INFER__THREADS(c, outer * blk / 4);
            (void)nt;
            INFER__OMP_FOR(nt)
            for (o = 0; o < outer; o++) memcpy(p + o * blk, s + o * irow + off, (size_t)blk);
        }
        off += blk;
    }
    return INFER_STATUS_OK;
}

/* ---- Slice ---------------------------------------------------------------------------------- */

static infer_status infer__k_slice(infer__kctx *c) {
    const infer_tensor *x;
    int64_t starts[INFER_MAX_RANK], ends[INFER_MAX_RANK], axes[INFER_MAX_RANK], steps[INFER_MAX_RANK];
    int64_t dims[INFER_MAX_RANK], st[INFER_MAX_RANK], sst[INFER_MAX_RANK], step[INFER_MAX_RANK], beg[INFER_MAX_RANK];
    int64_t base = 0;
    int n, i, seen[INFER_MAX_RANK];
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (c->node->opset < 10) {
        const int64_t *sa, *ea, *aa;
        int ne, na;
        n = infer__k_attr_ints(c, "starts", &sa);
        ne = infer__k_attr_ints(c, "ends", &ea);
        na = infer__k_attr_ints(c, "axes", &aa);
        if (n < 0 || ne != n) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "starts and ends attributes are missing or differ");
        if (n > INFER_MAX_RANK || (na >= 0 && na != n))
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad starts/ends/axes lengths");
        for (i = 0; i < n; i++) {
            starts[i] = sa[i];
            ends[i] = ea[i];
            axes[i] = na >= 0 ? aa[i] : i;
            steps[i] = 1;
        }
    } else {
        int ne, na;
        INFER__MV_NEED(c, 1);
        INFER__MV_NEED(c, 2);
        INFER__MV_TRY(infer__mv_ints(c, c->in[1], starts, INFER_MAX_RANK, "starts", &n));
        INFER__MV_TRY(infer__mv_ints(c, c->in[2], ends, INFER_MAX_RANK, "ends", &ne));
        if (ne != n) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "starts has %d values, ends %d", n, ne);
        if (INFER__IN(c, 3)) {
            INFER__MV_TRY(infer__mv_ints(c, c->in[3], axes, INFER_MAX_RANK, "axes", &na));
            if (na != n)
                return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axes must have %d values", n);
        } else {
            for (i = 0; i < n; i++) axes[i] = i;
        }
        if (INFER__IN(c, 4)) {
            INFER__MV_TRY(infer__mv_ints(c, c->in[4], steps, INFER_MAX_RANK, "steps", &na));
            if (na != n)
                return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "steps must have %d values", n);
        } else {
            for (i = 0; i < n; i++) steps[i] = 1;
        }
    }
    for (i = 0; i < x->rank; i++) {
        seen[i] = 0;
        beg[i] = 0;
        step[i] = 1;
        dims[i] = x->dims[i];
    }
    for (i = 0; i < n; i++) {
        int a = infer__axis(axes[i], x->rank);
        int64_t dim, s, e, k = steps[i];
        if (a < 0 || x->rank == 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d", (long long)axes[i], x->rank);
        if (seen[a]) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %d repeated", a);
        if (k == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "step 0 on axis %d", a);
        seen[a] = 1;
        dim = x->dims[a];
        s = starts[i];
        e = ends[i];
        if (s < 0) s += dim;
        if (e < 0) e += dim;
        if (k > 0) {
            s = s < 0 ? 0 : s > dim ? dim : s;
            e = e < 0 ? 0 : e > dim ? dim : e;
            dims[a] = e > s ? (e - s - 1) / k + 1 : 0;
        } else {
            s = s < 0 ? 0 : s > dim - 1 ? dim - 1 : s;
            e = e < -1 ? -1 : e > dim - 1 ? dim - 1 : e;
            dims[a] = s > e && dim > 0 ? (s - e - 1) / (k == INT64_MIN ? INT64_MAX : -k) + 1 : 0;
        }
        beg[a] = s;
        step[a] = dims[a] > 1 ? k : 1; /* |k| < dim when it matters: no overflow below */
    }
    infer__mv_strides(x->rank, x->dims, st);
    for (i = 0; i < x->rank; i++) {
        if (dims[i] > 0) base += beg[i] * st[i];
        sst[i] = st[i] * step[i];
    }
    INFER__MV_OUT(p, c, 0, x->dtype, x->rank, dims);
    if (p) infer__mv_strided(c, p, (const char *)x->data + base * (int64_t)es, es, x->rank, dims, sst);
    return INFER_STATUS_OK;
}

/* ---- Gather, GatherElements, GatherND ------------------------------------------------------- */

/* Index i of an index tensor normalised against dim; -1 when out of range. */
static int64_t infer__mv_index(const infer_tensor *t, int64_t i, int64_t dim) {
    int64_t v = infer__get_i64(t, i);
    if (v < 0) v += dim;
    return v < 0 || v >= dim ? -1 : v;
}

static infer_status infer__mv_check_indices(infer__kctx *c, const infer_tensor *idx, int64_t dim) {
    int64_t i, n = infer__numel(idx);
    if (!infer__mv_is_int(idx->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "indices must be an integer tensor");
    for (i = 0; i < n; i++)
        if (infer__mv_index(idx, i, dim) < 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "index %lld (at %lld) out of range [-%lld, %lld)",
                                 (long long)infer__get_i64(idx, i), (long long)i, (long long)dim, (long long)dim);
    return INFER_STATUS_OK;
}

static infer_status infer__k_gather(infer__kctx *c) {
    const infer_tensor *x, *idx;
    int64_t axis = infer__k_attr_i(c, "axis", 0), dims[INFER_MAX_RANK], outer = 1, inner = 1, ni, dim, task, ntask;
    int a, i, r = 0, nt;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    idx = c->in[1];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    a = infer__axis(axis, x->rank);
    if (a < 0 || x->rank == 0)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d", (long long)axis, x->rank);
    if (x->rank - 1 + idx->rank > INFER_MAX_RANK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank exceeds %d", INFER_MAX_RANK);
    dim = x->dims[a];
    INFER__MV_TRY(infer__mv_check_indices(c, idx, dim));
    for (i = 0; i < a; i++) {
        dims[r++] = x->dims[i];
        outer *= x->dims[i];
    }
    for (i = 0; i < idx->rank; i++) dims[r++] = idx->dims[i];
    for (i = a + 1; i < x->rank; i++) {
        dims[r++] = x->dims[i];
        inner *= x->dims[i];
    }
    ni = infer__numel(idx);
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    ntask = outer * ni;
    nt = INFER__THREADS(c, ntask * inner);
    (void)nt;
    {
        const char *s = (const char *)x->data;
        int64_t blk = inner * (int64_t)es;
        INFER__OMP_FOR(nt)
        for (task = 0; task < ntask; task++) {
            int64_t o = task / ni, j = task % ni, v = infer__mv_index(idx, j, dim);
            memcpy(p + task * blk, s + (o * dim + v) * blk, (size_t)blk);
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_gather_elements(infer__kctx *c) {
    const infer_tensor *x, *idx;
    int64_t axis = infer__k_attr_i(c, "axis", 0), st[INFER_MAX_RANK], n, i;
    int a, j, nt;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    idx = c->in[1];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    a = infer__axis(axis, x->rank);
    if (a < 0 || x->rank == 0)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d", (long long)axis, x->rank);
    if (idx->rank != x->rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "indices have rank %d, data %d", idx->rank, x->rank);
    for (j = 0; j < x->rank; j++)
        if (j != a && idx->dims[j] > x->dims[j])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "indices dimension %d (%lld) exceeds the data's (%lld)", j,
                                 (long long)idx->dims[j], (long long)x->dims[j]);
    INFER__MV_TRY(infer__mv_check_indices(c, idx, x->dims[a]));
    infer__mv_strides(x->rank, x->dims, st);
    INFER__MV_OUT(p, c, 0, x->dtype, idx->rank, idx->dims);
    if (!p) return INFER_STATUS_OK;
    n = infer__numel(idx);
    nt = INFER__THREADS(c, n);
    (void)nt;
    {
        const char *s = (const char *)x->data;
        INFER__OMP_FOR(nt)
        for (i = 0; i < n; i++) {
            int64_t rem = i, off = 0, q;
            int k;
            for (k = idx->rank - 1; k >= 0; k--) {
                q = rem % idx->dims[k];
                rem /= idx->dims[k];
                off += (k == a ? infer__mv_index(idx, i, x->dims[a]) : q) * st[k];
            }
            memcpy(p + i * (int64_t)es, s + off * (int64_t)es, es);
        }
    }
    return INFER_STATUS_OK;
}

/* Validates the index tuples of GatherND / ScatterND and returns the element offset of each tuple
   (into off[], ntup entries) for data `x`, the first b dims being batch dims. */
static infer_status infer__mv_nd_offsets(infer__kctx *c, const infer_tensor *x, const infer_tensor *idx, int b,
                                         int64_t *off, int64_t ntup) {
    int64_t k = idx->dims[idx->rank - 1], t, st[INFER_MAX_RANK], per_batch, bsz = 1;
    int j;
    infer__mv_strides(x->rank, x->dims, st);
    for (j = 0; j < b; j++) bsz *= x->dims[j];
    per_batch = bsz ? ntup / bsz : 0;
    for (t = 0; t < ntup; t++) {
        int64_t bi = per_batch ? t / per_batch : 0, o = bi * (b > 0 ? st[b - 1] : 0); /* batch bi's data */
        for (j = 0; j < k; j++) {
            int64_t dim = x->dims[b + j], v = infer__get_i64(idx, t * k + j);
            if (v < 0) v += dim;
            if (v < 0 || v >= dim)
                return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "index %lld out of range for axis %d of size %lld",
                                     (long long)infer__get_i64(idx, t * k + j), b + j, (long long)dim);
            o += v * st[b + j];
        }
        off[t] = o;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_gather_nd(infer__kctx *c) {
    const infer_tensor *x, *idx;
    int64_t b = infer__k_attr_i(c, "batch_dims", 0), k, dims[INFER_MAX_RANK], slice = 1, ntup = 1, *off, t;
    int i, r = 0, nt;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    idx = c->in[1];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (!infer__mv_is_int(idx->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "indices must be integers");
    if (x->rank < 1 || idx->rank < 1 || b < 0 || b >= x->rank || b >= idx->rank)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad ranks (data %d, indices %d, batch_dims %lld)", x->rank,
                             idx->rank, (long long)b);
    k = idx->dims[idx->rank - 1];
    if (k < 1 || k > x->rank - b)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "indices' last dimension %lld not in [1, %lld]", (long long)k,
                             (long long)(x->rank - b));
    for (i = 0; i < b; i++)
        if (idx->dims[i] != x->dims[i])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "batch dimension %d differs", i);
    if (idx->rank - 1 + x->rank - b - k > INFER_MAX_RANK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank exceeds %d", INFER_MAX_RANK);
    for (i = 0; i < idx->rank - 1; i++) {
        dims[r++] = idx->dims[i];
        ntup *= idx->dims[i];
    }
    for (i = (int)(b + k); i < x->rank; i++) {
        dims[r++] = x->dims[i];
        slice *= x->dims[i];
    }
    off = (int64_t *)infer__k_scratch(c, (size_t)(ntup ? ntup : 1) * sizeof(int64_t));
    if (!off) return INFER_STATUS_OUT_OF_MEMORY;
    INFER__MV_TRY(infer__mv_nd_offsets(c, x, idx, (int)b, off, ntup));
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    nt = INFER__THREADS(c, ntup * slice);
    (void)nt;
    {
        const char *s = (const char *)x->data;
        int64_t blk = slice * (int64_t)es;
        INFER__OMP_FOR(nt)
        for (t = 0; t < ntup; t++) memcpy(p + t * blk, s + off[t] * (int64_t)es, (size_t)blk);
    }
    return INFER_STATUS_OK;
}

/* ---- Scatter, ScatterElements, ScatterND ---------------------------------------------------- */

enum { INFER__MV_RED_NONE = 0, INFER__MV_RED_ADD, INFER__MV_RED_MUL, INFER__MV_RED_MAX, INFER__MV_RED_MIN };

static int infer__mv_reduction(infer__kctx *c) {
    const char *s = infer__k_attr_s(c, "reduction", "none");
    if (strcmp(s, "none") == 0) return INFER__MV_RED_NONE;
    if (strcmp(s, "add") == 0) return INFER__MV_RED_ADD;
    if (strcmp(s, "mul") == 0) return INFER__MV_RED_MUL;
    if (strcmp(s, "max") == 0) return INFER__MV_RED_MAX;
    if (strcmp(s, "min") == 0) return INFER__MV_RED_MIN;
    return -1;
}

/* *d = f(*d, *s) for one element of type dt. */
static void infer__mv_reduce(int dt, char *d, const char *s, int red, size_t es) {
#define INFER__MV_RED(T)                                                                           \
    {                                                                                              \
        T a_, b_;                                                                                  \
        memcpy(&a_, d, sizeof a_);                                                                 \
        memcpy(&b_, s, sizeof b_);                                                                 \
        a_ = red == INFER__MV_RED_ADD ? (T)(a_ + b_) : red == INFER__MV_RED_MUL ? (T)(a_ * b_)     \
           : red == INFER__MV_RED_MAX ? (a_ > b_ ? a_ : b_) : (a_ < b_ ? a_ : b_);                 \
        memcpy(d, &a_, sizeof a_);                                                                 \
    }                                                                                              \
    break;
    if (red == INFER__MV_RED_NONE) {
        memcpy(d, s, es);
        return;
    }
    switch (dt) {
    case INFER_DTYPE_FLOAT: INFER__MV_RED(float)
    case INFER_DTYPE_DOUBLE: INFER__MV_RED(double)
    case INFER_DTYPE_INT8: INFER__MV_RED(int8_t)
    case INFER_DTYPE_UINT8: INFER__MV_RED(uint8_t)
    case INFER_DTYPE_INT16: INFER__MV_RED(int16_t)
    case INFER_DTYPE_UINT16: INFER__MV_RED(uint16_t)
    case INFER_DTYPE_INT32: INFER__MV_RED(int32_t)
    case INFER_DTYPE_UINT32: INFER__MV_RED(uint32_t)
    case INFER_DTYPE_INT64: INFER__MV_RED(int64_t)
    case INFER_DTYPE_UINT64: INFER__MV_RED(uint64_t)
    case INFER_DTYPE_BOOL: {
        uint8_t a_ = (uint8_t)(*d != 0), b_ = (uint8_t)(*s != 0);
        a_ = red == INFER__MV_RED_ADD || red == INFER__MV_RED_MAX ? (uint8_t)(a_ | b_) : (uint8_t)(a_ & b_);
        *d = (char)a_;
        break;
    }
    case INFER_DTYPE_FLOAT16:
    case INFER_DTYPE_BFLOAT16: {
        uint16_t ha, hb;
        float a_, b_;
        int bf = dt == INFER_DTYPE_BFLOAT16;
        memcpy(&ha, d, 2);
        memcpy(&hb, s, 2);
        a_ = bf ? infer__bf16_to_f32(ha) : infer__f16_to_f32(ha);
        b_ = bf ? infer__bf16_to_f32(hb) : infer__f16_to_f32(hb);
        a_ = red == INFER__MV_RED_ADD ? a_ + b_ : red == INFER__MV_RED_MUL ? a_ * b_
           : red == INFER__MV_RED_MAX ? (a_ > b_ ? a_ : b_) : (a_ < b_ ? a_ : b_);
        ha = bf ? infer__f32_to_bf16(a_) : infer__f32_to_f16(a_);
        memcpy(d, &ha, 2);
        break;
    }
    default: memcpy(d, s, es); break;
    }
#undef INFER__MV_RED
}

static infer_status infer__mv_reduction_ok(infer__kctx *c, int red, int dt) {
    if (red < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "unknown reduction '%s'", infer__k_attr_s(c, "reduction", ""));
    if (red != INFER__MV_RED_NONE && !infer__is_float(dt) && !infer__mv_is_int(dt) && dt != INFER_DTYPE_BOOL)
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "reduction on element type %d", dt);
    return INFER_STATUS_OK;
}

static infer_status infer__k_scatter_elements(infer__kctx *c) {
    const infer_tensor *x, *idx, *upd;
    int64_t axis = infer__k_attr_i(c, "axis", 0), st[INFER_MAX_RANK], n, i;
    int a, j, red = infer__mv_reduction(c);
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    INFER__MV_NEED(c, 2);
    x = c->in[0];
    idx = c->in[1];
    upd = c->in[2];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    INFER__MV_TRY(infer__mv_reduction_ok(c, red, x->dtype));
    if (upd->dtype != x->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "updates and data differ in type");
    a = infer__axis(axis, x->rank);
    if (a < 0 || x->rank == 0)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range for rank %d", (long long)axis, x->rank);
    if (idx->rank != x->rank || upd->rank != x->rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "data, indices and updates must have the same rank");
    for (j = 0; j < x->rank; j++) {
        if (idx->dims[j] != upd->dims[j])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "indices and updates differ in dimension %d", j);
        if (j != a && idx->dims[j] > x->dims[j])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "indices dimension %d exceeds the data's", j);
    }
    INFER__MV_TRY(infer__mv_check_indices(c, idx, x->dims[a]));
    INFER__MV_OUT(p, c, 0, x->dtype, x->rank, x->dims);
    if (!p) return INFER_STATUS_OK;
    if (p != (char *)x->data) memcpy(p, x->data, infer__tensor_bytes(x));
    infer__mv_strides(x->rank, x->dims, st);
    n = infer__numel(idx);
    for (i = 0; i < n; i++) {
        int64_t rem = i, off = 0, q;
        int k;
        for (k = idx->rank - 1; k >= 0; k--) {
            q = rem % idx->dims[k];
            rem /= idx->dims[k];
            off += (k == a ? infer__mv_index(idx, i, x->dims[a]) : q) * st[k];
        }
        infer__mv_reduce(x->dtype, p + off * (int64_t)es, (const char *)upd->data + i * (int64_t)es, red, es);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_scatter_nd(infer__kctx *c) {
    const infer_tensor *x, *idx, *upd;
    int64_t k, slice = 1, ntup = 1, *off, t, e;
    int i, red = infer__mv_reduction(c), ur;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    INFER__MV_NEED(c, 2);
    x = c->in[0];
    idx = c->in[1];
    upd = c->in[2];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    INFER__MV_TRY(infer__mv_reduction_ok(c, red, x->dtype));
    if (upd->dtype != x->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "updates and data differ in type");
    if (!infer__mv_is_int(idx->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "indices must be integers");
    if (x->rank < 1 || idx->rank < 1) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "data and indices need rank >= 1");
    k = idx->dims[idx->rank - 1];
    if (k < 1 || k > x->rank)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "indices' last dimension %lld not in [1, %d]", (long long)k, x->rank);
    ur = idx->rank - 1 + x->rank - (int)k;
    if (upd->rank != ur) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "updates have rank %d, expected %d", upd->rank, ur);
    for (i = 0; i < idx->rank - 1; i++) {
        if (upd->dims[i] != idx->dims[i]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "updates dimension %d differs", i);
        ntup *= idx->dims[i];
    }
    for (i = (int)k; i < x->rank; i++) {
        if (upd->dims[idx->rank - 1 + i - k] != x->dims[i])
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "updates dimension %d differs", (int)(idx->rank - 1 + i - k));
        slice *= x->dims[i];
    }
    off = (int64_t *)infer__k_scratch(c, (size_t)(ntup ? ntup : 1) * sizeof(int64_t));
    if (!off) return INFER_STATUS_OUT_OF_MEMORY;
    INFER__MV_TRY(infer__mv_nd_offsets(c, x, idx, 0, off, ntup));
    INFER__MV_OUT(p, c, 0, x->dtype, x->rank, x->dims);
    if (!p) return INFER_STATUS_OK;
    if (p != (char *)x->data) memcpy(p, x->data, infer__tensor_bytes(x));
    for (t = 0; t < ntup; t++) {
        char *d = p + off[t] * (int64_t)es;
        const char *s = (const char *)upd->data + t * slice * (int64_t)es;
        if (red == INFER__MV_RED_NONE) memcpy(d, s, (size_t)slice * es);
        else
            for (e = 0; e < slice; e++) infer__mv_reduce(x->dtype, d + e * (int64_t)es, s + e * (int64_t)es, red, es);
    }
    return INFER_STATUS_OK;
}

/* ---- Tile, Expand ------------------------------------------------------------------------------ */

static infer_status infer__k_tile(infer__kctx *c) {
    const infer_tensor *x;
    int64_t rep[INFER_MAX_RANK], dims[INFER_MAX_RANK], st[INFER_MAX_RANK], rows = 1, row, rl;
    int i, r, n, nt;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    r = x->rank;
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (c->node->opset < 6 && INFER__IN(c, 2)) { /* Tile-1: scalar `tiles` along scalar `axis` */
        int a;
        if (infer__numel(c->in[1]) != 1 || infer__numel(c->in[2]) != 1)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "tiles and axis must be scalars");
        a = infer__axis(infer__get_i64(c->in[2], 0), r);
        if (a < 0 || r == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range");
        for (i = 0; i < r; i++) rep[i] = i == a ? infer__get_i64(c->in[1], 0) : 1;
        n = r;
    } else {
        INFER__MV_TRY(infer__mv_ints(c, c->in[1], rep, INFER_MAX_RANK, "repeats", &n));
    }
    if (n != r) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "repeats has %d values for rank %d", n, r);
    for (i = 0; i < r; i++) {
        if (rep[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "repeats[%d] is negative", i);
        if (x->dims[i] && rep[i] > ((int64_t)1 << 62) / x->dims[i])
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output has more than 2^31 elements");
        dims[i] = x->dims[i] * rep[i];
    }
    INFER__MV_TRY(infer__mv_check_shape(c, r, dims, "output"));
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    if (r == 0) {
        memcpy(p, x->data, es);
        return INFER_STATUS_OK;
    }
    if (infer__count_checked(r, dims) == 0) return INFER_STATUS_OK;
    infer__mv_strides(r, x->dims, st);
    for (i = 0; i < r - 1; i++) rows *= dims[i];
    rl = x->dims[r - 1] * (int64_t)es;
    nt = INFER__THREADS(c, rows * dims[r - 1]);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (row = 0; row < rows; row++) {
        int64_t rem = row, off = 0, q, k;
        int j;
        char *d = p + row * dims[r - 1] * (int64_t)es;
        for (j = r - 2; j >= 0; j--) {
            q = rem % dims[j];
            rem /= dims[j];
            off += (q % x->dims[j]) * st[j];
        }
        for (k = 0; k < rep[r - 1]; k++) memcpy(d + k * rl, (const char *)x->data + off * (int64_t)es, (size_t)rl);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_expand(infer__kctx *c) {
    const infer_tensor *x;
    int64_t shp[INFER_MAX_RANK], dims[INFER_MAX_RANK], sst[INFER_MAX_RANK];
    int n, r;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    INFER__MV_TRY(infer__mv_ints(c, c->in[1], shp, INFER_MAX_RANK, "shape", &n));
    INFER__MV_TRY(infer__mv_check_shape(c, n, shp, "shape"));
    if (!infer__broadcast(x->rank, x->dims, n, shp, &r, dims))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input shape does not broadcast to the shape given");
    INFER__MV_TRY(infer__mv_check_shape(c, r, dims, "output"));
    infer__bstrides(x, r, sst);
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (p) infer__mv_strided(c, p, (const char *)x->data, es, r, dims, sst);
    return INFER_STATUS_OK;
}

/* ---- Pad -------------------------------------------------------------------------------------- */

enum { INFER__MV_PAD_CONSTANT = 0, INFER__MV_PAD_REFLECT, INFER__MV_PAD_EDGE, INFER__MV_PAD_WRAP };

/* Source index for coordinate x (relative to the input) along an axis of size dim; -1: constant. */
static int64_t infer__mv_pad_map(int64_t x, int64_t dim, int mode) {
    if (x >= 0 && x < dim) return x;
    switch (mode) {
    case INFER__MV_PAD_EDGE: return x < 0 ? 0 : dim - 1;
    case INFER__MV_PAD_REFLECT: {
        int64_t per;
        if (dim == 1) return 0;
        per = 2 * (dim - 1);
        x %= per;
        if (x < 0) x += per;
        return x < dim ? x : per - x;
    }
    case INFER__MV_PAD_WRAP:
        x %= dim;
        return x < 0 ? x + dim : x;
    default: return -1;
    }
}

static infer_status infer__k_pad(infer__kctx *c) {
    static const char infer__mv_empty[1] = {0};
    const infer_tensor *x;
    int64_t pads[2 * INFER_MAX_RANK], raw[2 * INFER_MAX_RANK], axes[INFER_MAX_RANK], dims[INFER_MAX_RANK];
    int64_t st[INFER_MAX_RANK], rows = 1, row;
    int i, r, np, na, mode, nt;
    size_t es;
    const char *ms;
    unsigned char val[16];
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    r = x->rank;
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    ms = infer__k_attr_s(c, "mode", "constant");
    if (strcmp(ms, "constant") == 0) mode = INFER__MV_PAD_CONSTANT;
    else if (strcmp(ms, "reflect") == 0) mode = INFER__MV_PAD_REFLECT;
    else if (strcmp(ms, "edge") == 0) mode = INFER__MV_PAD_EDGE;
    else if (strcmp(ms, "wrap") == 0) mode = INFER__MV_PAD_WRAP;
    else return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "unknown mode '%s'", ms);
    memset(val, 0, sizeof val);
    if (es > sizeof val) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "element type %d", x->dtype);
    if (x->dtype == INFER_DTYPE_STRING) {
        const char *e = infer__mv_empty;
        memcpy(val, &e, sizeof e);
    }
    if (c->node->opset < 11) {
        const int64_t *pa;
        infer_tensor vt;
        np = infer__k_attr_ints(c, "pads", &pa);
        if (np < 0) np = infer__k_attr_ints(c, "paddings", &pa);
        if (np < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "attribute 'pads' is missing");
        if (np > 2 * INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "too many pads");
        for (i = 0; i < np; i++) raw[i] = pa[i];
        infer__mv_tensor1(&vt, x->dtype, val);
        if (infer__is_float(x->dtype) || infer__mv_is_int(x->dtype) || x->dtype == INFER_DTYPE_BOOL)
            infer__set_f64(&vt, 0, infer__k_attr_f(c, "value", 0.0f));
        na = -1;
    } else {
        const infer_tensor *cv = INFER__IN(c, 2);
        INFER__MV_NEED(c, 1);
        INFER__MV_TRY(infer__mv_ints(c, c->in[1], raw, 2 * INFER_MAX_RANK, "pads", &np));
        if (cv && infer__numel(cv) > 0) {
            if (cv->dtype != x->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "constant_value has another type");
            memcpy(val, cv->data, es);
        }
        na = -1;
        if (INFER__IN(c, 3)) {
            INFER__MV_TRY(infer__mv_ints(c, c->in[3], axes, INFER_MAX_RANK, "axes", &na));
        }
    }
    if (na < 0) {
        na = r;
        for (i = 0; i < r; i++) axes[i] = i;
    }
    if (np != 2 * na) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "pads has %d values, expected %d", np, 2 * na);
    for (i = 0; i < 2 * r; i++) pads[i] = 0;
    for (i = 0; i < na; i++) {
        int a = infer__axis(axes[i], r);
        if (a < 0 || r == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range", (long long)axes[i]);
        pads[a] = raw[i];
        pads[r + a] = raw[na + i];
    }
    for (i = 0; i < r; i++) {
        if (pads[i] > INFER__MV_MAXCOUNT || pads[r + i] > INFER__MV_MAXCOUNT || pads[i] < -INFER__MV_MAXCOUNT ||
            pads[r + i] < -INFER__MV_MAXCOUNT)
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "pads too large");
        dims[i] = x->dims[i] + pads[i] + pads[r + i];
        if (dims[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "pads make axis %d negative", i);
        if (mode != INFER__MV_PAD_CONSTANT && x->dims[i] == 0 && dims[i] > 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "cannot pad the empty axis %d in mode %s", i, ms);
    }
    INFER__MV_TRY(infer__mv_check_shape(c, r, dims, "output"));
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    if (r == 0) {
        memcpy(p, x->data, es);
        return INFER_STATUS_OK;
    }
    if (infer__count_checked(r, dims) == 0) return INFER_STATUS_OK;
    infer__mv_strides(r, x->dims, st);
    for (i = 0; i < r - 1; i++) rows *= dims[i];
    nt = INFER__THREADS(c, rows * dims[r - 1]);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (row = 0; row < rows; row++) {
        int64_t rem = row, off = 0, q, j, n = dims[r - 1], dim = x->dims[r - 1], pb = pads[r - 1];
        int64_t m0 = pb > 0 ? pb : 0, m1 = pb + dim < n ? pb + dim : n;
        int k, cst = 0;
        char *d = p + row * n * (int64_t)es;
        const char *s;
        for (k = r - 2; k >= 0; k--) {
            q = rem % dims[k];
            rem /= dims[k];
            q = infer__mv_pad_map(q - pads[k], x->dims[k], mode);
            if (q < 0) cst = 1;
            else off += q * st[k];
        }
        if (cst || dim == 0) {
            infer__mv_fill(d, n, val, es);
            continue;
        }
        s = (const char *)x->data + off * (int64_t)es;
        for (j = 0; j < m0 && j < n; j++) {
            int64_t v = infer__mv_pad_map(j - pb, dim, mode);
            memcpy(d + j * (int64_t)es, v < 0 ? (const void *)val : (const void *)(s + v * (int64_t)es), es);
        }
        if (m1 > m0) memcpy(d + m0 * (int64_t)es, s + (m0 - pb) * (int64_t)es, (size_t)(m1 - m0) * es);
        for (j = m1 > m0 ? m1 : m0; j < n; j++) {
            int64_t v = infer__mv_pad_map(j - pb, dim, mode);
            memcpy(d + j * (int64_t)es, v < 0 ? (const void *)val : (const void *)(s + v * (int64_t)es), es);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- ConstantOfShape, Range, EyeLike, OneHot, Trilu ----------------------------------------- */

static infer_status infer__k_constant_of_shape(infer__kctx *c) {
    const infer__attr *va = infer__attr_find(c->node, "value");
    int64_t dims[INFER_MAX_RANK];
    int n, dt = INFER_DTYPE_FLOAT;
    float zero = 0.0f;
    const void *v = &zero;
    size_t es = 4;
    char *p;
    INFER__MV_NEED(c, 0);
    if (va) {
        if (va->type != INFER__ATTR_TENSOR || !va->tensors || infer__numel(&va->tensors[0]) != 1)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "attribute 'value' must be a one-element tensor");
        dt = va->tensors[0].dtype;
        v = va->tensors[0].data;
        es = infer__dtype_size(dt);
        if (!es) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "value of type %d", dt);
    }
    INFER__MV_TRY(infer__mv_ints(c, c->in[0], dims, INFER_MAX_RANK, "shape", &n));
    INFER__MV_TRY(infer__mv_check_shape(c, n, dims, "shape"));
    INFER__MV_OUT(p, c, 0, dt, n, dims);
    if (p) infer__mv_fill(p, infer__count_checked(n, dims), v, es);
    return INFER_STATUS_OK;
}

static infer_status infer__k_range(infer__kctx *c) {
    const infer_tensor *ts, *tl, *td;
    int64_t n = 0, i;
    int dt;
    infer_tensor out;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    INFER__MV_NEED(c, 2);
    ts = c->in[0];
    tl = c->in[1];
    td = c->in[2];
    dt = ts->dtype;
    if (tl->dtype != dt || td->dtype != dt) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs differ in type");
    if (infer__numel(ts) != 1 || infer__numel(tl) != 1 || infer__numel(td) != 1)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "start, limit and delta must be scalars");
    if (infer__mv_is_int(dt)) {
        int64_t s = infer__get_i64(ts, 0), l = infer__get_i64(tl, 0), d = infer__get_i64(td, 0);
        uint64_t diff, ad;
        if (d == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "delta is 0");
        if ((d > 0 && l > s) || (d < 0 && l < s)) {
            diff = d > 0 ? (uint64_t)l - (uint64_t)s : (uint64_t)s - (uint64_t)l;
            ad = d > 0 ? (uint64_t)d : (uint64_t)0 - (uint64_t)d;
            diff = diff / ad + (diff % ad != 0);
            if (diff > (uint64_t)INFER__MV_MAXCOUNT)
                return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "more than 2^31 elements");
            n = (int64_t)diff;
        }
        INFER__MV_OUT(p, c, 0, dt, 1, &n);
        if (!p) return INFER_STATUS_OK;
        infer__mv_tensor1(&out, dt, p);
        for (i = 0; i < n; i++) infer__set_i64(&out, i, (int64_t)((uint64_t)s + (uint64_t)i * (uint64_t)d));
        return INFER_STATUS_OK;
    }
    if (infer__is_float(dt)) {
        double s = infer__get_f64(ts, 0), l = infer__get_f64(tl, 0), d = infer__get_f64(td, 0), cnt;
        if (d == 0 || d != d || s != s || l != l)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "delta is 0 or an input is NaN");
        cnt = ceil((l - s) / d);
        if (cnt > (double)INFER__MV_MAXCOUNT) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "more than 2^31 elements");
        n = cnt > 0 ? (int64_t)cnt : 0;
        INFER__MV_OUT(p, c, 0, dt, 1, &n);
        if (!p) return INFER_STATUS_OK;
        infer__mv_tensor1(&out, dt, p);
        if (dt == INFER_DTYPE_FLOAT || dt == INFER_DTYPE_FLOAT16 || dt == INFER_DTYPE_BFLOAT16) {
            float fs = (float)s, fd = (float)d;
            for (i = 0; i < n; i++) infer__set_f64(&out, i, (double)(fs + (float)i * fd));
        } else {
            for (i = 0; i < n; i++) infer__set_f64(&out, i, s + (double)i * d);
        }
        return INFER_STATUS_OK;
    }
    return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "element type %d", dt);
}

/* The value 1 (or 0) of a dtype as es bytes. */
static int infer__mv_scalar(int dt, double v, void *buf) {
    infer_tensor t;
    memset(buf, 0, 16);
    if (!infer__is_float(dt) && !infer__mv_is_int(dt) && dt != INFER_DTYPE_BOOL) return 0;
    infer__mv_tensor1(&t, dt, buf);
    infer__set_f64(&t, 0, v);
    return 1;
}

static infer_status infer__k_eye_like(infer__kctx *c) {
    const infer_tensor *x;
    int dt;
    int64_t k = infer__k_attr_i(c, "k", 0), i;
    unsigned char one[16];
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    dt = (int)infer__k_attr_i(c, "dtype", x->dtype);
    if (x->rank != 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d, expected 2", x->rank);
    es = infer__dtype_size(dt);
    if (!es || !infer__mv_scalar(dt, 1.0, one)) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "dtype %d", dt);
    INFER__MV_OUT(p, c, 0, dt, 2, x->dims);
    if (!p) return INFER_STATUS_OK;
    memset(p, 0, (size_t)infer__numel(x) * es);
    for (i = 0; i < x->dims[0] && k < x->dims[1] && k > -x->dims[0]; i++) {
        int64_t j = i + k;
        if (j >= 0 && j < x->dims[1]) memcpy(p + (i * x->dims[1] + j) * (int64_t)es, one, es);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_one_hot(infer__kctx *c) {
    const infer_tensor *idx, *tdep, *vals;
    int64_t axis = infer__k_attr_i(c, "axis", -1), depth, dims[INFER_MAX_RANK], inner = 1, i, n;
    int a, r, j;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    INFER__MV_NEED(c, 2);
    idx = c->in[0];
    tdep = c->in[1];
    vals = c->in[2];
    INFER__MV_TRY(infer__mv_esize(c, vals, &es));
    if (infer__numel(vals) != 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "values must have 2 elements");
    if (infer__numel(tdep) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "depth must be a scalar");
    if (!infer__mv_is_int(idx->dtype) && !infer__is_float(idx->dtype))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "indices must be numeric");
    depth = infer__get_i64(tdep, 0);
    if (depth < 1 || depth > INFER__MV_MAXCOUNT) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "depth %lld", (long long)depth);
    r = idx->rank + 1;
    if (r > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank exceeds %d", INFER_MAX_RANK);
    a = infer__axis(axis, r);
    if (a < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range", (long long)axis);
    for (j = 0; j < r; j++) {
        dims[j] = j < a ? idx->dims[j] : j == a ? depth : idx->dims[j - 1];
        if (j > a) inner *= dims[j];
    }
    INFER__MV_TRY(infer__mv_check_shape(c, r, dims, "output"));
    INFER__MV_OUT(p, c, 0, vals->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    n = infer__numel(idx);
    infer__mv_fill(p, n * depth, vals->data, es);
    for (i = 0; i < n; i++) {
        int64_t v = infer__get_i64(idx, i), o = i / (inner ? inner : 1), in = i % (inner ? inner : 1);
        if (v < 0) v += depth;
        if (v < 0 || v >= depth) continue;
        memcpy(p + ((o * depth + v) * inner + in) * (int64_t)es, (const char *)vals->data + es, es);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_trilu(infer__kctx *c) {
    static const char infer__mv_empty[1] = {0};
    const infer_tensor *x;
    int64_t k = 0, upper = infer__k_attr_i(c, "upper", 1), N, M, mats = 1, b, i, j;
    unsigned char zero[16];
    size_t es;
    char *p;
    int q;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (es > sizeof zero) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "element type %d", x->dtype);
    if (x->rank < 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d, expected >= 2", x->rank);
    if (INFER__IN(c, 1)) {
        if (infer__numel(c->in[1]) != 1 || !infer__mv_is_int(c->in[1]->dtype))
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "k must be an integer scalar");
        k = infer__get_i64(c->in[1], 0);
    }
    memset(zero, 0, sizeof zero);
    if (x->dtype == INFER_DTYPE_STRING) {
        const char *e = infer__mv_empty;
        memcpy(zero, &e, sizeof e);
    }
    N = x->dims[x->rank - 2];
    M = x->dims[x->rank - 1];
    for (q = 0; q < x->rank - 2; q++) mats *= x->dims[q];
    INFER__MV_OUT(p, c, 0, x->dtype, x->rank, x->dims);
    if (!p) return INFER_STATUS_OK;
    for (b = 0; b < mats; b++)
        for (i = 0; i < N; i++) {
            int64_t o = (b * N + i) * M;
            for (j = 0; j < M; j++) {
                int keep = upper ? j - i >= k : j - i <= k;
                memcpy(p + (o + j) * (int64_t)es, keep ? (const char *)x->data + (o + j) * (int64_t)es : (const char *)zero, es);
            }
        }
    return INFER_STATUS_OK;
}

/* ---- NonZero, Compress ------------------------------------------------------------------------ */

static int infer__mv_nonzero_at(const infer_tensor *t, int64_t i, size_t es) {
    const unsigned char *b = (const unsigned char *)t->data + i * (int64_t)es;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: { float v; memcpy(&v, b, 4); return v != 0; }
    case INFER_DTYPE_DOUBLE: { double v; memcpy(&v, b, 8); return v != 0; }
    case INFER_DTYPE_FLOAT16: case INFER_DTYPE_BFLOAT16: { uint16_t v; memcpy(&v, b, 2); return (v & 0x7fff) != 0; }
    case INFER_DTYPE_STRING: { const char *s; memcpy(&s, b, sizeof s); return s && *s; }
    default: {
        size_t k;
        for (k = 0; k < es; k++)
            if (b[k]) return 1;
        return 0;
    }
    }
}

static infer_status infer__k_nonzero(infer__kctx *c) {
    const infer_tensor *x;
    int64_t n, i, nnz = 0, dims[2], k = 0;
    size_t es;
    int r, j;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    n = infer__numel(x);
    r = x->rank;
    for (i = 0; i < n; i++) nnz += infer__mv_nonzero_at(x, i, es);
    dims[0] = r;
    dims[1] = nnz;
    INFER__MV_OUT(p, c, 0, INFER_DTYPE_INT64, 2, dims);
    if (!p) return INFER_STATUS_OK;
    for (i = 0; i < n; i++) {
        int64_t rem = i;
        if (!infer__mv_nonzero_at(x, i, es)) continue;
        for (j = r - 1; j >= 0; j--) {
            ((int64_t *)(void *)p)[j * nnz + k] = rem % x->dims[j];
            rem /= x->dims[j];
        }
        k++;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_compress(infer__kctx *c) {
    const infer_tensor *x, *cond;
    const infer__attr *aa = infer__attr_find(c->node, "axis");
    int64_t dims[INFER_MAX_RANK], outer = 1, inner = 1, len, nc, cnt = 0, i, o, k;
    int a = -1, r, j;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    cond = c->in[1];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (cond->rank != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "condition must be 1-D");
    if (aa) {
        a = infer__axis(aa->i, x->rank);
        if (a < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range", (long long)aa->i);
        len = x->dims[a];
        for (j = 0; j < a; j++) outer *= x->dims[j];
        for (j = a + 1; j < x->rank; j++) inner *= x->dims[j];
    } else {
        len = infer__numel(x);
    }
    nc = cond->dims[0];
    for (i = 0; i < nc; i++)
        if (infer__get_f64(cond, i) != 0) {
            if (i >= len) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "condition selects index %lld beyond %lld", (long long)i, (long long)len);
            cnt++;
        }
    if (aa) {
        r = x->rank;
        for (j = 0; j < r; j++) dims[j] = x->dims[j];
        dims[a] = cnt;
    } else {
        r = 1;
        dims[0] = cnt;
    }
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (!p) return INFER_STATUS_OK;
    for (o = 0; o < outer; o++) {
        k = 0;
        for (i = 0; i < nc && i < len; i++)
            if (infer__get_f64(cond, i) != 0) {
                memcpy(p + (o * cnt + k) * inner * (int64_t)es, (const char *)x->data + (o * len + i) * inner * (int64_t)es,
                       (size_t)inner * es);
                k++;
            }
    }
    return INFER_STATUS_OK;
}

/* ---- ReverseSequence, DepthToSpace, SpaceToDepth ------------------------------------------------ */

static infer_status infer__k_reverse_sequence(infer__kctx *c) {
    const infer_tensor *x, *sl;
    int64_t ba = infer__k_attr_i(c, "batch_axis", 1), ta = infer__k_attr_i(c, "time_axis", 0), B, T, inner = 1, b, t;
    int j;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    INFER__MV_NEED(c, 1);
    x = c->in[0];
    sl = c->in[1];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (x->rank < 2 || (ba != 0 && ba != 1) || (ta != 0 && ta != 1) || ba == ta)
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad rank or batch_axis/time_axis");
    B = x->dims[ba];
    T = x->dims[ta];
    if (sl->rank != 1 || sl->dims[0] != B || !infer__mv_is_int(sl->dtype))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "sequence_lens must be integers of shape [%lld]", (long long)B);
    for (b = 0; b < B; b++) {
        int64_t l = infer__get_i64(sl, b);
        if (l < 0 || l > T)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "sequence_lens[%lld] = %lld not in [0, %lld]", (long long)b,
                                 (long long)l, (long long)T);
    }
    for (j = 2; j < x->rank; j++) inner *= x->dims[j];
    INFER__MV_OUT(p, c, 0, x->dtype, x->rank, x->dims);
    if (!p) return INFER_STATUS_OK;
    for (b = 0; b < B; b++) {
        int64_t l = infer__get_i64(sl, b);
        for (t = 0; t < T; t++) {
            int64_t st = t < l ? l - 1 - t : t;
            int64_t di = ta == 0 ? t * B + b : b * T + t, si = ta == 0 ? st * B + b : b * T + st;
            memcpy(p + di * inner * (int64_t)es, (const char *)x->data + si * inner * (int64_t)es, (size_t)inner * es);
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__mv_space_depth(infer__kctx *c, int to_space) {
    const infer_tensor *x;
    int64_t bs = infer__k_attr_i(c, "blocksize", 0), N, C, H, W, dims[4], d6[6], s6[6];
    const char *mode = infer__k_attr_s(c, "mode", "DCR");
    int crd;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    if (x->rank != 4) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input has rank %d, expected 4", x->rank);
    if (bs < 1 || bs > 65536) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "blocksize %lld", (long long)bs);
    if (strcmp(mode, "DCR") == 0) crd = 0;
    else if (strcmp(mode, "CRD") == 0) crd = 1;
    else return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "unknown mode '%s'", mode);
    N = x->dims[0];
    C = x->dims[1];
    H = x->dims[2];
    W = x->dims[3];
    if (N > INFER__MV_MAXCOUNT || C > INFER__MV_MAXCOUNT || H > INFER__MV_MAXCOUNT || W > INFER__MV_MAXCOUNT)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "input dimensions too large");
    if (to_space) {
        int64_t Cp;
        if (C % (bs * bs)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "channels %lld not divisible by blocksize^2", (long long)C);
        Cp = C / (bs * bs);
        dims[0] = N; dims[1] = Cp; dims[2] = H * bs; dims[3] = W * bs;
        /* output viewed as [N, C', H, b1, W, b2] */
        d6[0] = N; d6[1] = Cp; d6[2] = H; d6[3] = bs; d6[4] = W; d6[5] = bs;
        s6[0] = C * H * W;
        s6[2] = W;
        s6[4] = 1;
        if (!crd) { /* input [N, b1, b2, C', H, W] */
            s6[3] = bs * Cp * H * W; s6[5] = Cp * H * W; s6[1] = H * W;
        } else {   /* input [N, C', b1, b2, H, W] */
            s6[1] = bs * bs * H * W; s6[3] = bs * H * W; s6[5] = H * W;
        }
    } else {
        int64_t Hp, Wp;
        if (H % bs || W % bs) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "spatial size not divisible by blocksize");
        Hp = H / bs;
        Wp = W / bs;
        dims[0] = N; dims[1] = C * bs * bs; dims[2] = Hp; dims[3] = Wp;
        /* input viewed as [N, C, H', b1, W', b2]: strides */
        if (!crd) { /* output [N, b1, b2, C, H', W'] */
            d6[0] = N; d6[1] = bs; d6[2] = bs; d6[3] = C; d6[4] = Hp; d6[5] = Wp;
            s6[0] = C * H * W; s6[1] = W; s6[2] = 1; s6[3] = H * W; s6[4] = bs * W; s6[5] = bs;
        } else {   /* output [N, C, b1, b2, H', W'] */
            d6[0] = N; d6[1] = C; d6[2] = bs; d6[3] = bs; d6[4] = Hp; d6[5] = Wp;
            s6[0] = C * H * W; s6[1] = H * W; s6[2] = W; s6[3] = 1; s6[4] = bs * W; s6[5] = bs;
        }
    }
    INFER__MV_OUT(p, c, 0, x->dtype, 4, dims);
    if (p) infer__mv_strided(c, p, (const char *)x->data, es, 6, d6, s6);
    return INFER_STATUS_OK;
}

static infer_status infer__k_depth_to_space(infer__kctx *c) { return infer__mv_space_depth(c, 1); }
static infer_status infer__k_space_to_depth(infer__kctx *c) { return infer__mv_space_depth(c, 0); }

/* ---- Unique ----------------------------------------------------------------------------------- */

/* Three-way comparison of two elements of type dt (NaN after everything, NaN == NaN). */
static int infer__mv_cmp(int dt, const char *a, const char *b) {
#define INFER__MV_CMP(T)                                                                           \
    {                                                                                              \
        T x_, y_;                                                                                  \
        memcpy(&x_, a, sizeof x_);                                                                 \
        memcpy(&y_, b, sizeof y_);                                                                 \
        return x_ < y_ ? -1 : x_ > y_ ? 1 : 0;                                                     \
    }
    switch (dt) {
    case INFER_DTYPE_INT8: INFER__MV_CMP(int8_t)
    case INFER_DTYPE_UINT8: case INFER_DTYPE_BOOL: INFER__MV_CMP(uint8_t)
    case INFER_DTYPE_INT16: INFER__MV_CMP(int16_t)
    case INFER_DTYPE_UINT16: INFER__MV_CMP(uint16_t)
    case INFER_DTYPE_INT32: INFER__MV_CMP(int32_t)
    case INFER_DTYPE_UINT32: INFER__MV_CMP(uint32_t)
    case INFER_DTYPE_INT64: INFER__MV_CMP(int64_t)
    case INFER_DTYPE_UINT64: INFER__MV_CMP(uint64_t)
    case INFER_DTYPE_STRING: {
        const char *x_, *y_;
        int r;
        memcpy(&x_, a, sizeof x_);
        memcpy(&y_, b, sizeof y_);
        r = strcmp(x_ ? x_ : "", y_ ? y_ : "");
        return r < 0 ? -1 : r > 0;
    }
    case INFER_DTYPE_FLOAT: case INFER_DTYPE_DOUBLE: case INFER_DTYPE_FLOAT16: case INFER_DTYPE_BFLOAT16: {
        infer_tensor t;
        double x_, y_;
        infer__mv_tensor1(&t, dt, (void *)a);
        x_ = infer__get_f64(&t, 0);
        t.data = (void *)b;
        y_ = infer__get_f64(&t, 0);
        if (x_ != x_) return y_ != y_ ? 0 : 1;
        if (y_ != y_) return -1;
        return x_ < y_ ? -1 : x_ > y_ ? 1 : 0;
    }
    default: {
        int r = memcmp(a, b, infer__dtype_size(dt));
        return r < 0 ? -1 : r > 0;
    }
    }
#undef INFER__MV_CMP
}

typedef struct infer__mv_items {
    const char *data;
    int dt;
    size_t es;
    int64_t n, outer, inner; /* item i = elements (o * n + i) * inner + in, for o < outer, in < inner */
} infer__mv_items;

static int infer__mv_item_cmp(const infer__mv_items *it, int64_t a, int64_t b) {
    int64_t o, k;
    for (o = 0; o < it->outer; o++) {
        const char *pa = it->data + (o * it->n + a) * it->inner * (int64_t)it->es;
        const char *pb = it->data + (o * it->n + b) * it->inner * (int64_t)it->es;
        for (k = 0; k < it->inner; k++) {
            int r = infer__mv_cmp(it->dt, pa + k * (int64_t)it->es, pb + k * (int64_t)it->es);
            if (r) return r;
        }
    }
    return 0;
}

static infer_status infer__k_unique(infer__kctx *c) {
    const infer_tensor *x;
    const infer__attr *aa = infer__attr_find(c->node, "axis");
    int64_t sorted = infer__k_attr_i(c, "sorted", 1), *ord, *tmp, *grp, *first, *cnt, *nid, u = 0, i, w, g, o;
    int64_t dims[INFER_MAX_RANK], one;
    infer__mv_items it;
    int a = -1, r, j;
    size_t es;
    char *p;
    INFER__MV_NEED(c, 0);
    x = c->in[0];
    INFER__MV_TRY(infer__mv_esize(c, x, &es));
    it.data = (const char *)x->data;
    it.dt = x->dtype;
    it.es = es;
    it.outer = 1;
    it.inner = 1;
    if (aa) {
        a = infer__axis(aa->i, x->rank);
        if (a < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis %lld out of range", (long long)aa->i);
        it.n = x->dims[a];
        for (j = 0; j < a; j++) it.outer *= x->dims[j];
        for (j = a + 1; j < x->rank; j++) it.inner *= x->dims[j];
    } else {
        it.n = infer__numel(x);
    }
    one = it.n ? it.n : 1;
    ord = (int64_t *)infer__k_scratch(c, (size_t)one * 6 * sizeof(int64_t));
    if (!ord) return INFER_STATUS_OUT_OF_MEMORY;
    tmp = ord + one;
    grp = tmp + one;
    first = grp + one;
    cnt = first + one;
    nid = cnt + one;
    /* stable bottom-up merge sort of item indices */
    for (i = 0; i < it.n; i++) ord[i] = i;
    for (w = 1; w < it.n; w *= 2) {
        int64_t lo;
        for (lo = 0; lo < it.n; lo += 2 * w) {
            int64_t mid = lo + w < it.n ? lo + w : it.n, hi = lo + 2 * w < it.n ? lo + 2 * w : it.n;
            int64_t l = lo, rr = mid, k = lo;
            while (l < mid && rr < hi) tmp[k++] = infer__mv_item_cmp(&it, ord[rr], ord[l]) < 0 ? ord[rr++] : ord[l++];
            while (l < mid) tmp[k++] = ord[l++];
            while (rr < hi) tmp[k++] = ord[rr++];
        }
        memcpy(ord, tmp, (size_t)it.n * sizeof(int64_t));
    }
    for (i = 0; i < it.n; i++) {
        if (i == 0 || infer__mv_item_cmp(&it, ord[i - 1], ord[i]) != 0) {
            first[u] = ord[i];
            cnt[u] = 0;
            u++;
        }
        grp[ord[i]] = u - 1;
        cnt[u - 1]++;
    }
    if (sorted) {
        for (g = 0; g < u; g++) nid[g] = g;
    } else {
        int64_t next = 0;
        for (i = 0; i < it.n; i++)
            if (first[grp[i]] == i) nid[grp[i]] = next++;
    }
    /* Y */
    if (aa) {
        r = x->rank;
        for (j = 0; j < r; j++) dims[j] = x->dims[j];
        dims[a] = u;
    } else {
        r = 1;
        dims[0] = u;
    }
    INFER__MV_OUT(p, c, 0, x->dtype, r, dims);
    if (p)
        for (g = 0; g < u; g++)
            for (o = 0; o < it.outer; o++)
                memcpy(p + (o * u + nid[g]) * it.inner * (int64_t)es, it.data + (o * it.n + first[g]) * it.inner * (int64_t)es,
                       (size_t)it.inner * es);
    if (c->n_out > 1) {
        INFER__MV_OUT(p, c, 1, INFER_DTYPE_INT64, 1, &u);
        if (p)
            for (g = 0; g < u; g++) ((int64_t *)(void *)p)[nid[g]] = first[g];
    }
    if (c->n_out > 2) {
        INFER__MV_OUT(p, c, 2, INFER_DTYPE_INT64, 1, &it.n);
        if (p)
            for (i = 0; i < it.n; i++) ((int64_t *)(void *)p)[i] = nid[grp[i]];
    }
    if (c->n_out > 3) {
        INFER__MV_OUT(p, c, 3, INFER_DTYPE_INT64, 1, &u);
        if (p)
            for (g = 0; g < u; g++) ((int64_t *)(void *)p)[nid[g]] = cnt[g];
    }
    return INFER_STATUS_OK;
}

static const infer__op infer__ops_movement[] = {
    {"", "Identity", 1, 1000, infer__k_identity},
    {"", "Reshape", 1, 1000, infer__k_reshape},
    {"", "Flatten", 1, 1000, infer__k_flatten},
    {"", "Squeeze", 1, 1000, infer__k_squeeze},
    {"", "Unsqueeze", 1, 1000, infer__k_unsqueeze},
    {"", "Shape", 1, 1000, infer__k_shape},
    {"", "Size", 1, 1000, infer__k_size},
    {"", "Transpose", 1, 1000, infer__k_transpose},
    {"", "Concat", 1, 1000, infer__k_concat},
    {"", "Split", 1, 1000, infer__k_split},
    {"", "Slice", 1, 1000, infer__k_slice},
    {"", "Gather", 1, 1000, infer__k_gather},
    {"", "GatherElements", 1, 1000, infer__k_gather_elements},
    {"", "GatherND", 1, 1000, infer__k_gather_nd},
    {"", "Scatter", 1, 1000, infer__k_scatter_elements},
    {"", "ScatterElements", 1, 1000, infer__k_scatter_elements},
    {"", "ScatterND", 1, 1000, infer__k_scatter_nd},
    {"", "Tile", 1, 1000, infer__k_tile},
    {"", "Expand", 1, 1000, infer__k_expand},
    {"", "Pad", 1, 1000, infer__k_pad},
    {"", "ConstantOfShape", 1, 1000, infer__k_constant_of_shape},
    {"", "Range", 1, 1000, infer__k_range},
    {"", "NonZero", 1, 1000, infer__k_nonzero},
    {"", "Compress", 1, 1000, infer__k_compress},
    {"", "OneHot", 1, 1000, infer__k_one_hot},
    {"", "Trilu", 1, 1000, infer__k_trilu},
    {"", "EyeLike", 1, 1000, infer__k_eye_like},
    {"", "ReverseSequence", 1, 1000, infer__k_reverse_sequence},
    {"", "DepthToSpace", 1, 1000, infer__k_depth_to_space},
    {"", "SpaceToDepth", 1, 1000, infer__k_space_to_depth},
    {"", "Unique", 1, 1000, infer__k_unique},
    {NULL, NULL, 0, 0, NULL}
};
