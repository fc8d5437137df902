/* ============================================================================================== */
/* >>arena: the allocator wrapper and the model's memory pool (one free releases everything)      */
/* ============================================================================================== */
static void *infer__alloc(const infer_allocator *a, size_t n) {
    if (n == 0) n = 1;
    return a && a->alloc ? a->alloc(a->user, n) : INFER_MALLOC(n);
}
static void infer__free(const infer_allocator *a, void *p) {
    if (!p) return;
    if (a && a->alloc) { if (a->free) a->free(a->user, p); }
    else INFER_FREE(p);
}

typedef struct infer__chunk {
    struct infer__chunk *next;
    size_t size, used;
} infer__chunk;

/* A bump allocator in chunks; allocations are INFER__ALIGN-aligned and live as long as the pool. */
typedef struct infer__pool {
    infer_allocator a;
    infer__chunk *head;
    size_t total, limit;
    int oom;
} infer__pool;

#define INFER__CHUNK_HDR ((sizeof(infer__chunk) + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN)

static void *infer__pool_alloc(infer__pool *p, size_t n) {
    infer__chunk *c = p->head;
    uintptr_t base;
    size_t off;
    if (p->oom) return NULL;
    n = (n + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN;
    if (n == 0) n = INFER__ALIGN;
    if (!c || c->size - c->used < n) {
        size_t want = n > 65536 ? n : 65536, bytes;
        if (want > ((size_t)-1) / 2 || (p->limit && p->total + want > p->limit)) { p->oom = 1; return NULL; }
        bytes = INFER__CHUNK_HDR + want + INFER__ALIGN;
        c = (infer__chunk *)infer__alloc(&p->a, bytes);
        if (!c) { p->oom = 1; return NULL; }
        c->size = want;
        c->used = 0;
        p->total += bytes;
        if (n > 65536 && p->head) { /* keep filling the current small chunk: put the big one second */
            c->next = p->head->next;
            p->head->next = c;
        } else {
            c->next = p->head;
            p->head = c;
        }
    }
    base = ((uintptr_t)c + INFER__CHUNK_HDR + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN;
    off = c->used;
    c->used += n;
    return (void *)(base + off);
}

static void *infer__pool_zalloc(infer__pool *p, size_t count, size_t size) {
    size_t n;
    void *r;
    if (!infer__mul_size(count, size, &n)) { p->oom = 1; return NULL; }
    r = infer__pool_alloc(p, n);
    if (r) memset(r, 0, n);
    return r;
}

static char *infer__pool_strndup(infer__pool *p, const char *s, size_t n) {
    char *r = (char *)infer__pool_alloc(p, n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

static void infer__pool_free(infer__pool *p) {
    infer__chunk *c = p->head;
    while (c) {
        infer__chunk *n = c->next;
        infer__free(&p->a, c);
        c = n;
    }
    p->head = NULL;
}

/* ============================================================================================== */
/* >>protobuf: a bounded reader with a sticky error, and a small writer                           */
/* ============================================================================================== */
/* Wire types */
enum { INFER__PB_VARINT = 0, INFER__PB_I64 = 1, INFER__PB_LEN = 2, INFER__PB_I32 = 5 };

typedef struct infer__pb {
    const uint8_t *p, *end, *base; /* base: start of the whole buffer, for offsets in messages */
    int err;                       /* sticky: once set, every read returns 0 */
    size_t err_off;
} infer__pb;

static void infer__pb_fail(infer__pb *r) {
    if (!r->err) { r->err = 1; r->err_off = (size_t)(r->p - r->base); }
    r->p = r->end;
}

static uint64_t infer__pb_varint(infer__pb *r) {
    uint64_t v = 0;
    int shift = 0;
    while (r->p < r->end) {
        uint8_t b = *r->p++;
        if (shift == 63 && b > 1) break; /* more than 64 bits */
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
        shift += 7;
        if (shift > 63) break;
    }
    infer__pb_fail(r);
    return 0;
}

static uint32_t infer__pb_fixed32(infer__pb *r) {
    uint32_t v;
    if (r->end - r->p < 4) { infer__pb_fail(r); return 0; }
    v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

static uint64_t infer__pb_fixed64(infer__pb *r) {
    uint64_t lo = infer__pb_fixed32(r);
    uint64_t hi = infer__pb_fixed32(r);
    return lo | hi << 32;
}

/* Next field: 1 and (field, wire) or 0 at the end / on error. */
static int infer__pb_next(infer__pb *r, uint32_t *field, int *wire) {
    uint64_t key;
    if (r->err || r->p >= r->end) return 0;
    key = infer__pb_varint(r);
    if (r->err) return 0;
    *field = (uint32_t)(key >> 3);
    *wire = (int)(key & 7);
    if (*field == 0 || key >> 3 > 0x1fffffff) { infer__pb_fail(r); return 0; }
    return 1;
}

/* Length-delimited payload: pointer and length, checked against the bytes left. */
static const uint8_t *infer__pb_bytes(infer__pb *r, size_t *len) {
    uint64_t n = infer__pb_varint(r);
    const uint8_t *p = r->p;
    if (r->err || n > (uint64_t)(r->end - r->p)) { infer__pb_fail(r); *len = 0; return NULL; }
    r->p += n;
    *len = (size_t)n;
    return p;
}

static infer__pb infer__pb_sub(infer__pb *r) {
    infer__pb s;
    size_t n;
    const uint8_t *p = infer__pb_bytes(r, &n);
    s.base = r->base;
    s.p = p ? p : r->end;
    s.end = p ? p + n : r->end;
    s.err = r->err;
    s.err_off = r->err_off;
    return s;
}

/* Propagates a sub-reader's error into its parent. */
static void infer__pb_join(infer__pb *r, const infer__pb *s) {
    if (s->err && !r->err) { r->err = 1; r->err_off = s->err_off; r->p = r->end; }
}

static void infer__pb_skip(infer__pb *r, int wire) {
    size_t n;
    switch (wire) {
    case INFER__PB_VARINT: infer__pb_varint(r); break;
    case INFER__PB_I64: infer__pb_fixed64(r); break;
    case INFER__PB_I32: infer__pb_fixed32(r); break;
    case INFER__PB_LEN: infer__pb_bytes(r, &n); break;
    default: infer__pb_fail(r); break; /* groups (3, 4) are not used by ONNX */
    }
}

/* Counts the scalars of a repeated numeric field in this occurrence (packed or not). */
static size_t infer__pb_count_scalars(infer__pb *r, int wire, int fixed_size) {
    if (wire != INFER__PB_LEN) { infer__pb_skip(r, wire); return 1; }
    {
        size_t n, count = 0;
        const uint8_t *p = infer__pb_bytes(r, &n);
        if (!p) return 0;
        if (fixed_size) {
            if (n % (size_t)fixed_size) { infer__pb_fail(r); return 0; }
            return n / (size_t)fixed_size;
        }
        while (n--) count += (*p++ & 0x80) == 0;
        return count;
    }
}

static char *infer__pb_str(infer__pb *r, infer__pool *pool) {
    size_t n;
    const uint8_t *p = infer__pb_bytes(r, &n);
    if (!p) return NULL;
    return infer__pool_strndup(pool, (const char *)p, n);
}

/* ---- writer: a growable buffer ----------------------------------------------------------- */
typedef struct infer__pbw {
    uint8_t *buf;
    size_t len, cap;
    const infer_allocator *a;
    int err;
} infer__pbw;

static void infer__pbw_raw(infer__pbw *w, const void *p, size_t n) {
    if (w->err) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        uint8_t *nb;
        while (cap < w->len + n) {
            if (cap > ((size_t)-1) / 2) { w->err = 1; return; }
            cap *= 2;
        }
        nb = (uint8_t *)infer__alloc(w->a, cap);
        if (!nb) { w->err = 1; return; }
        if (w->len) memcpy(nb, w->buf, w->len);
        infer__free(w->a, w->buf);
        w->buf = nb;
        w->cap = cap;
    }
    if (n) memcpy(w->buf + w->len, p, n);
    w->len += n;
}
static void infer__pbw_varint(infer__pbw *w, uint64_t v) {
    uint8_t b[10];
    int n = 0;
    do { b[n] = (uint8_t)(v & 0x7f); v >>= 7; if (v) b[n] |= 0x80; n++; } while (v);
    infer__pbw_raw(w, b, (size_t)n);
}
static void infer__pbw_key(infer__pbw *w, uint32_t field, int wire) { infer__pbw_varint(w, (uint64_t)field << 3 | (uint64_t)wire); }
static void infer__pbw_bytes(infer__pbw *w, uint32_t field, const void *p, size_t n) {
    infer__pbw_key(w, field, INFER__PB_LEN);
    infer__pbw_varint(w, n);
    infer__pbw_raw(w, p, n);
}
static void infer__pbw_int(infer__pbw *w, uint32_t field, int64_t v) {
    infer__pbw_key(w, field, INFER__PB_VARINT);
    infer__pbw_varint(w, (uint64_t)v);
}

/* ============================================================================================== */
/* >>onnx-load: ModelProto -> graph; functions inlined; external data                             */
/* ============================================================================================== */

typedef struct infer__opset { const char *domain; int64_t version; } infer__opset;

/* A function of the model (FunctionProto), inlined where it is called. */
typedef struct infer__func {
    const char *name, *domain;
    int n_in, n_out, n_attr, n_attr_default, n_nodes, n_opsets;
    const char **inputs, **outputs, **attr_names;
    infer__attr *attr_defaults;
    infer__node *nodes;
    infer__opset *opsets;
} infer__func;

struct infer_model {
    infer__pool pool;
    infer__graph *graph;
    int64_t ir_version;
    int n_opsets;
    infer__opset *opsets;
    int n_meta;
    const char **meta_keys, **meta_values;
    int n_funcs;
    infer__func *funcs;
    int n_inputs;                  /* graph inputs without an initializer */
    int *inputs;                   /* their value indices */
    int n_optypes;
    const char **optypes;
    int *optype_counts;
    infer_options opts;
    const char *dir;               /* directory of the model file, for external data */
    int opt_stats[8];              /* what the optimizer did: folded, shape-folded, pruned, BN folded, identities */
    int nodes_before_opt;
};

/* The loader's state */
typedef struct infer__loader {
    const infer_options *opts;     /* never NULL */
    infer__pool *pool;
    infer_error *err;
    infer_model *model;
    const uint8_t *file;           /* whole model buffer */
    int depth;
} infer__loader;

static int64_t infer__max_elements(const infer_options *o) {
    return o && o->max_tensor_elements > 0 ? o->max_tensor_elements : ((int64_t)1 << 32);
}

static infer_status infer__load_fail(infer__loader *L, infer__pb *r, infer_status st, const char *what) {
    if (L->err && L->err->status == INFER_STATUS_OK) {
        if (r && r->err)
            infer__errorf(L->err, st, "%s: malformed protobuf at byte offset %lu", what, (unsigned long)r->err_off);
        else
            infer__errorf(L->err, st, "%s", what);
    }
    return st;
}

static int infer__domain_is_default(const char *d) { return !d || !*d || strcmp(d, "ai.onnx") == 0; }

/* TypeProto */
static void infer__read_shape(infer__pb *r, infer__loader *L, infer__typeinfo *ti) {
    uint32_t f; int w;
    ti->rank = 0;
    while (infer__pb_next(r, &f, &w)) {
        if (f == 1 && w == INFER__PB_LEN) {
            infer__pb d = infer__pb_sub(r);
            uint32_t f2; int w2;
            int64_t v = -1;
            const char *param = NULL;
            while (infer__pb_next(&d, &f2, &w2)) {
                if (f2 == 1 && w2 == INFER__PB_VARINT) v = (int64_t)infer__pb_varint(&d);
                else if (f2 == 2 && w2 == INFER__PB_LEN) param = infer__pb_str(&d, L->pool);
                else infer__pb_skip(&d, w2);
            }
            infer__pb_join(r, &d);
            if (ti->rank >= INFER_MAX_RANK) { ti->rank = INFER_MAX_RANK + 1; continue; }
            ti->dims[ti->rank] = v < 0 ? -1 : v;
            ti->dim_params[ti->rank] = param;
            ti->rank++;
        } else infer__pb_skip(r, w);
    }
}

static void infer__read_type(infer__pb *r, infer__loader *L, infer__typeinfo *ti, int depth) {
    uint32_t f; int w;
    memset(ti, 0, sizeof *ti);
    ti->rank = -1;
    if (depth > INFER_MAX_DEPTH) { infer__pb_fail(r); return; }
    while (infer__pb_next(r, &f, &w)) {
        if ((f == 1 || f == 8) && w == INFER__PB_LEN) { /* tensor_type / sparse_tensor_type */
            infer__pb t = infer__pb_sub(r);
            uint32_t f2; int w2;
            ti->kind = INFER__KIND_TENSOR;
            while (infer__pb_next(&t, &f2, &w2)) {
                if (f2 == 1 && w2 == INFER__PB_VARINT) ti->dtype = (int)infer__pb_varint(&t);
                else if (f2 == 2 && w2 == INFER__PB_LEN) {
                    infer__pb s = infer__pb_sub(&t);
                    infer__read_shape(&s, L, ti);
                    infer__pb_join(&t, &s);
                } else infer__pb_skip(&t, w2);
            }
            infer__pb_join(r, &t);
        } else if ((f == 4 || f == 9) && w == INFER__PB_LEN) { /* sequence_type / optional_type */
            infer__pb t = infer__pb_sub(r);
            uint32_t f2; int w2;
            ti->kind = f == 4 ? INFER__KIND_SEQUENCE : INFER__KIND_OPTIONAL;
            while (infer__pb_next(&t, &f2, &w2)) {
                if (f2 == 1 && w2 == INFER__PB_LEN) {
                    infer__pb e = infer__pb_sub(&t);
                    ti->elem = (infer__typeinfo *)infer__pool_zalloc(L->pool, 1, sizeof *ti->elem);
                    if (ti->elem) infer__read_type(&e, L, ti->elem, depth + 1);
                    infer__pb_join(&t, &e);
                } else infer__pb_skip(&t, w2);
            }
            infer__pb_join(r, &t);
            if (ti->elem && ti->elem->kind == INFER__KIND_TENSOR) ti->dtype = ti->elem->dtype;
        } else if (f == 5 && w == INFER__PB_LEN) {
            ti->kind = INFER__KIND_MAP;
            infer__pb_skip(r, w);
        } else infer__pb_skip(r, w);
    }
}

/* Unpacks 4-bit (or 2-bit) packed elements, one per byte, sign-extended for the signed types. */
static void infer__unpack_small(uint8_t *dst, const uint8_t *src, int64_t n, int dtype) {
    int64_t i;
    int bits = (dtype == INFER_DTYPE_UINT2 || dtype == INFER_DTYPE_INT2) ? 2 : 4;
    int per = 8 / bits, sgn = dtype == INFER_DTYPE_INT4 || dtype == INFER_DTYPE_INT2;
    for (i = n - 1; i >= 0; i--) { /* backwards: dst may alias src */
        int v = (src[i / per] >> ((i % per) * bits)) & ((1 << bits) - 1);
        if (sgn && (v & (1 << (bits - 1)))) v -= 1 << bits;
        dst[i] = (uint8_t)v;
    }
}
static int infer__is_packed_small(int dt) {
    return dt == INFER_DTYPE_UINT4 || dt == INFER_DTYPE_INT4 || dt == INFER_DTYPE_FLOAT4E2M1 ||
           dt == INFER_DTYPE_UINT2 || dt == INFER_DTYPE_INT2;
}
static size_t infer__packed_bytes(int dt, int64_t n) {
    int per = (dt == INFER_DTYPE_UINT2 || dt == INFER_DTYPE_INT2) ? 4 : 2;
    return (size_t)((n + per - 1) / per);
}

typedef struct infer__ext {
    const char *location;
    int64_t offset, length;
} infer__ext;

static infer_status infer__read_external(infer__loader *L, infer_tensor *t, const infer__ext *ext, size_t need);

/* TensorProto -> tensor whose data lives in the pool. name receives the tensor's name. */
static infer_status infer__read_tensor(infer__pb *r, infer__loader *L, infer_tensor *t, const char **name) {
    uint32_t f; int w;
    const uint8_t *raw = NULL;
    size_t raw_len = 0, n_typed = 0, esz;
    int external = 0, have_typed_field = 0;
    infer__ext ext;
    infer__pb start = *r;
    int64_t count;
    memset(t, 0, sizeof *t);
    memset(&ext, 0, sizeof ext);
    ext.length = -1;
    if (name) *name = NULL;
    /* pass 1: dims, type, raw data, count typed values */
    while (infer__pb_next(r, &f, &w)) {
        switch (f) {
        case 1:
            if (w == INFER__PB_LEN) {
                infer__pb s = infer__pb_sub(r);
                while (s.p < s.end && !s.err) {
                    int64_t d = (int64_t)infer__pb_varint(&s);
                    if (t->rank >= INFER_MAX_RANK) { infer__pb_fail(&s); break; }
                    t->dims[t->rank++] = d;
                }
                infer__pb_join(r, &s);
            } else if (w == INFER__PB_VARINT) {
                int64_t d = (int64_t)infer__pb_varint(r);
                if (t->rank >= INFER_MAX_RANK) return infer__load_fail(L, r, INFER_STATUS_LIMIT_EXCEEDED, "tensor rank above INFER_MAX_RANK");
                t->dims[t->rank++] = d;
            } else infer__pb_skip(r, w);
            break;
        case 2: t->dtype = (int)infer__pb_varint(r); break;
        case 8: if (w == INFER__PB_LEN) { const char *s = infer__pb_str(r, L->pool); if (name) *name = s; } else infer__pb_skip(r, w); break;
        case 9: if (w == INFER__PB_LEN) raw = infer__pb_bytes(r, &raw_len); else infer__pb_skip(r, w); break;
        case 4: case 5: case 7: case 10: case 11:
            have_typed_field = 1;
            n_typed += infer__pb_count_scalars(r, w, (f == 4 && w == INFER__PB_LEN) ? 4 : ((f == 10 && w == INFER__PB_LEN) ? 8 : 0));
            break;
        case 6: have_typed_field = 1; n_typed++; infer__pb_skip(r, w); break;
        case 13:
            if (w == INFER__PB_LEN) {
                infer__pb e = infer__pb_sub(r);
                uint32_t f2; int w2;
                const char *key = NULL, *val = NULL;
                while (infer__pb_next(&e, &f2, &w2)) {
                    if (f2 == 1 && w2 == INFER__PB_LEN) key = infer__pb_str(&e, L->pool);
                    else if (f2 == 2 && w2 == INFER__PB_LEN) val = infer__pb_str(&e, L->pool);
                    else infer__pb_skip(&e, w2);
                }
                infer__pb_join(r, &e);
                if (key && val) {
                    if (strcmp(key, "location") == 0) ext.location = val;
                    else if (strcmp(key, "offset") == 0) ext.offset = strtoll(val, NULL, 10);
                    else if (strcmp(key, "length") == 0) ext.length = strtoll(val, NULL, 10);
                }
            } else infer__pb_skip(r, w);
            break;
        case 14: external = infer__pb_varint(r) == 1; break;
        default: infer__pb_skip(r, w); break;
        }
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "TensorProto");
    esz = infer__dtype_size(t->dtype);
    if (esz == 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "tensor '%s': unsupported data type %d", name && *name ? *name : "", t->dtype);
        return infer__load_fail(L, NULL, INFER_STATUS_UNSUPPORTED, msg);
    }
    count = infer__count_checked(t->rank, t->dims);
    if (count < 0 || count > ((int64_t)1 << 40) / (int64_t)esz || count > infer__max_elements(L->opts)) {
        char msg[160];
        snprintf(msg, sizeof msg, "tensor '%s': negative dims or more elements than max_tensor_elements", name && *name ? *name : "");
        return infer__load_fail(L, NULL, INFER_STATUS_LIMIT_EXCEEDED, msg);
    }
    if (!raw && !have_typed_field && !external && count > 0 && t->dtype != INFER_DTYPE_STRING) {
        /* no data at all: only acceptable for an empty tensor */
        char msg[128];
        snprintf(msg, sizeof msg, "tensor '%s': %lld elements declared but no data", name && *name ? *name : "", (long long)count);
        return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
    }
    t->data = infer__pool_alloc(L->pool, (size_t)count * esz);
    if (!t->data) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory reading a tensor");
    if (t->dtype == INFER_DTYPE_STRING) {
        char **strs = (char **)t->data;
        int64_t k = 0;
        r->p = start.p; r->end = start.end; r->err = 0;
        while (infer__pb_next(r, &f, &w)) {
            if (f == 6 && w == INFER__PB_LEN) {
                char *s = infer__pb_str(r, L->pool);
                if (k < count) strs[k] = s;
                k++;
            } else infer__pb_skip(r, w);
        }
        if (k != count) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "string tensor: string_data count differs from dims");
        for (k = 0; k < count; k++) if (!strs[k]) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        return INFER_STATUS_OK;
    }
    if (external) {
        size_t need = infer__is_packed_small(t->dtype) ? infer__packed_bytes(t->dtype, count) : (size_t)count * esz;
        infer_status st = infer__read_external(L, t, &ext, need);
        if (st) return st;
        if (infer__is_packed_small(t->dtype)) infer__unpack_small((uint8_t *)t->data, (const uint8_t *)t->data, count, t->dtype);
        return INFER_STATUS_OK;
    }
    if (raw) {
        size_t need = infer__is_packed_small(t->dtype) ? infer__packed_bytes(t->dtype, count) : (size_t)count * esz;
        if (raw_len != need) {
            char msg[160];
            snprintf(msg, sizeof msg, "tensor '%s': raw_data has %lu bytes, dims and type need %lu",
                     name && *name ? *name : "", (unsigned long)raw_len, (unsigned long)need);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
        memcpy(t->data, raw, raw_len);
        if (infer__is_packed_small(t->dtype)) infer__unpack_small((uint8_t *)t->data, (const uint8_t *)t->data, count, t->dtype);
        return INFER_STATUS_OK;
    }
    /* typed fields: pass 2 */
    {
        int64_t k = 0, expect = count;
        int packed_small = infer__is_packed_small(t->dtype);
        int cplx = t->dtype == INFER_DTYPE_COMPLEX64 || t->dtype == INFER_DTYPE_COMPLEX128;
        if (cplx) expect = count * 2;
        if (packed_small) expect = (int64_t)infer__packed_bytes(t->dtype, count);
        if ((int64_t)n_typed != expect) {
            char msg[160];
            snprintf(msg, sizeof msg, "tensor '%s': %lu typed values, dims need %lld", name && *name ? *name : "",
                     (unsigned long)n_typed, (long long)expect);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
        r->p = start.p; r->end = start.end; r->err = 0;
        while (infer__pb_next(r, &f, &w)) {
            infer__pb s;
            int packed = w == INFER__PB_LEN;
            if (f != 4 && f != 5 && f != 7 && f != 10 && f != 11) { infer__pb_skip(r, w); continue; }
            if (packed) s = infer__pb_sub(r);
            else { s = *r; }
            do {
                uint64_t u = 0;
                float fv = 0;
                double dv = 0;
                int isf = 0, isd = 0;
                if (f == 4) { uint32_t b = infer__pb_fixed32(&s); memcpy(&fv, &b, 4); isf = 1; }
                else if (f == 10) { uint64_t b = infer__pb_fixed64(&s); memcpy(&dv, &b, 8); isd = 1; }
                else u = infer__pb_varint(&s);
                if (s.err || k >= expect) break;
                if (packed_small) ((uint8_t *)t->data)[k] = (uint8_t)u;
                else if (cplx && t->dtype == INFER_DTYPE_COMPLEX64) ((float *)t->data)[k] = isf ? fv : (float)dv;
                else if (cplx) ((double *)t->data)[k] = isd ? dv : fv;
                else if (isf) infer__set_f64(t, k, fv);
                else if (isd) infer__set_f64(t, k, dv);
                else {
                    switch (t->dtype) { /* int32_data carries the bit patterns of the small types */
                    case INFER_DTYPE_FLOAT16: case INFER_DTYPE_BFLOAT16: case INFER_DTYPE_UINT16: ((uint16_t *)t->data)[k] = (uint16_t)u; break;
                    case INFER_DTYPE_INT16: ((int16_t *)t->data)[k] = (int16_t)(int32_t)u; break;
                    case INFER_DTYPE_INT32: ((int32_t *)t->data)[k] = (int32_t)u; break;
                    case INFER_DTYPE_UINT32: ((uint32_t *)t->data)[k] = (uint32_t)u; break;
                    case INFER_DTYPE_INT64: case INFER_DTYPE_UINT64: ((uint64_t *)t->data)[k] = u; break;
                    case INFER_DTYPE_FLOAT: ((float *)t->data)[k] = (float)(int64_t)u; break;
                    case INFER_DTYPE_DOUBLE: ((double *)t->data)[k] = (double)(int64_t)u; break;
                    case INFER_DTYPE_BOOL: ((uint8_t *)t->data)[k] = u != 0; break;
                    default: ((uint8_t *)t->data)[k] = (uint8_t)u; break;
                    }
                }
                k++;
            } while (packed && s.p < s.end && !s.err);
            if (packed) infer__pb_join(r, &s);
            else *r = s;
        }
        if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "TensorProto");
        if (packed_small) infer__unpack_small((uint8_t *)t->data, (const uint8_t *)t->data, count, t->dtype);
    }
    return INFER_STATUS_OK;
}

#ifndef INFER_NO_STDIO
static infer_status infer__read_external(infer__loader *L, infer_tensor *t, const infer__ext *ext, size_t need) {
    char path[INFER__MAX_NAME];
    const char *loc = ext->location, *dir = L->model ? L->model->dir : NULL;
    FILE *fp;
    long size;
    if (!loc || !*loc) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "external data without a location");
    if (loc[0] == '/' || loc[0] == '\\' || strstr(loc, "..") || strchr(loc, ':'))
        return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "external data location must be a relative path without '..'");
    if (!dir) return infer__load_fail(L, NULL, INFER_STATUS_UNSUPPORTED, "external data needs a model loaded from a file");
    if ((size_t)snprintf(path, sizeof path, "%s%s", dir, loc) >= sizeof path)
        return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "external data path too long");
    if (ext->offset < 0 || (ext->length >= 0 && (size_t)ext->length != need))
        return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "external data offset or length does not match the tensor");
    fp = fopen(path, "rb");
    if (!fp) return infer__load_fail(L, NULL, INFER_STATUS_IO_ERROR, "cannot open external data file");
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || (uint64_t)ext->offset + need > (uint64_t)size ||
        fseek(fp, (long)ext->offset, SEEK_SET) != 0 || fread(t->data, 1, need, fp) != need) {
        fclose(fp);
        return infer__load_fail(L, NULL, INFER_STATUS_IO_ERROR, "external data past the end of its file");
    }
    fclose(fp);
    return INFER_STATUS_OK;
}
#else
static infer_status infer__read_external(infer__loader *L, infer_tensor *t, const infer__ext *ext, size_t need) {
    (void)t; (void)ext; (void)need;
    return infer__load_fail(L, NULL, INFER_STATUS_UNSUPPORTED, "external data needs stdio");
}
#endif

/* SparseTensorProto -> dense tensor */
static infer_status infer__read_sparse(infer__pb *r, infer__loader *L, infer_tensor *t, const char **name) {
    uint32_t f; int w;
    infer_tensor vals, idx;
    int have_v = 0, have_i = 0;
    infer_status st;
    memset(t, 0, sizeof *t);
    memset(&vals, 0, sizeof vals);
    memset(&idx, 0, sizeof idx);
    while (infer__pb_next(r, &f, &w)) {
        if ((f == 1 || f == 2) && w == INFER__PB_LEN) {
            infer__pb s = infer__pb_sub(r);
            st = infer__read_tensor(&s, L, f == 1 ? &vals : &idx, f == 1 ? name : NULL);
            if (st) return st;
            if (f == 1) have_v = 1; else have_i = 1;
        } else if (f == 3) {
            if (w == INFER__PB_LEN) {
                infer__pb s = infer__pb_sub(r);
                while (s.p < s.end && !s.err) {
                    if (t->rank >= INFER_MAX_RANK) { infer__pb_fail(&s); break; }
                    t->dims[t->rank++] = (int64_t)infer__pb_varint(&s);
                }
                infer__pb_join(r, &s);
            } else if (t->rank < INFER_MAX_RANK) t->dims[t->rank++] = (int64_t)infer__pb_varint(r);
            else infer__pb_fail(r);
        } else infer__pb_skip(r, w);
    }
    if (r->err || !have_v || !have_i) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "SparseTensorProto");
    {
        int64_t n = infer__count_checked(t->rank, t->dims), nnz = infer__numel(&vals), k, j;
        size_t esz = infer__dtype_size(vals.dtype);
        if (n < 0 || n > ((int64_t)1 << 32) || esz == 0 || idx.dtype != INFER_DTYPE_INT64)
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "sparse tensor: bad dims or types");
        t->dtype = vals.dtype;
        t->data = infer__pool_zalloc(L->pool, (size_t)n, esz);
        if (!t->data) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        for (k = 0; k < nnz; k++) {
            int64_t lin = 0;
            if (idx.rank == 1) { if (infer__numel(&idx) != nnz) break; lin = ((int64_t *)idx.data)[k]; }
            else if (idx.rank == 2 && idx.dims[0] == nnz && idx.dims[1] == t->rank) {
                for (j = 0; j < t->rank; j++) {
                    int64_t c = ((int64_t *)idx.data)[k * t->rank + j];
                    if (c < 0 || c >= t->dims[j]) { lin = -1; break; }
                    lin = lin * t->dims[j] + c;
                }
            } else break;
            if (lin < 0 || lin >= n) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "sparse tensor: index out of range");
            memcpy((uint8_t *)t->data + lin * (int64_t)esz, (uint8_t *)vals.data + k * (int64_t)esz, esz);
        }
        if (k != nnz) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "sparse tensor: bad indices shape");
    }
    return INFER_STATUS_OK;
}

/* A graph as read, before names are resolved */
typedef struct infer__rawgraph {
    const char *name;
    int n_nodes, n_inits, n_inputs, n_outputs, n_vinfo;
    infer__node *nodes;
    infer_tensor *inits;
    const char **init_names;
    const char **in_names, **out_names, **vi_names;
    infer__typeinfo *in_types, *out_types, *vi_types;
} infer__rawgraph;


static void infer__read_valueinfo(infer__pb *r, infer__loader *L, const char **name, infer__typeinfo *ti) {
    uint32_t f; int w;
    memset(ti, 0, sizeof *ti);
    ti->rank = -1;
    while (infer__pb_next(r, &f, &w)) {
        if (f == 1 && w == INFER__PB_LEN) *name = infer__pb_str(r, L->pool);
        else if (f == 2 && w == INFER__PB_LEN) {
            infer__pb s = infer__pb_sub(r);
            infer__read_type(&s, L, ti, 0);
            infer__pb_join(r, &s);
        } else infer__pb_skip(r, w);
    }
}

/* AttributeProto. Subgraphs are read raw here and resolved with the node's graph as parent later:
   we keep their bytes and parse them once the enclosing graph's names are known. */
typedef struct infer__pending_graph {
    const uint8_t *p, *end;
} infer__pending_graph;

static infer_status infer__read_attr(infer__pb *r, infer__loader *L, infer__attr *a) {
    uint32_t f; int w;
    infer__pb start = *r;
    size_t nf = 0, ni = 0, ns = 0, nt = 0, ng = 0, ntp = 0;
    memset(a, 0, sizeof *a);
    while (infer__pb_next(r, &f, &w)) { /* pass 1: scalars and counts */
        switch (f) {
        case 1: if (w == INFER__PB_LEN) a->name = infer__pb_str(r, L->pool); else infer__pb_skip(r, w); break;
        case 21: if (w == INFER__PB_LEN) a->ref_attr_name = infer__pb_str(r, L->pool); else infer__pb_skip(r, w); break;
        case 20: a->type = (int)infer__pb_varint(r); break;
        case 2: if (w == INFER__PB_I32) { uint32_t b = infer__pb_fixed32(r); memcpy(&a->f, &b, 4); } else infer__pb_skip(r, w); break;
        case 3: a->i = (int64_t)infer__pb_varint(r); break;
        case 4: if (w == INFER__PB_LEN) {
                const uint8_t *p = infer__pb_bytes(r, &a->slen);
                if (p) a->s = infer__pool_strndup(L->pool, (const char *)p, a->slen);
            } else infer__pb_skip(r, w);
            break;
        case 7:
            if (w == INFER__PB_LEN || w == INFER__PB_I32) nf += infer__pb_count_scalars(r, w, w == INFER__PB_LEN ? 4 : 0);
            else infer__pb_skip(r, w);
            break;
        case 8:
            if (w == INFER__PB_LEN || w == INFER__PB_VARINT) ni += infer__pb_count_scalars(r, w, 0);
            else infer__pb_skip(r, w);
            break;
        case 9: ns += w == INFER__PB_LEN; infer__pb_skip(r, w); break;
        case 5: case 10: case 22: case 23: nt += w == INFER__PB_LEN; infer__pb_skip(r, w); break;
        case 6: case 11: ng += w == INFER__PB_LEN; infer__pb_skip(r, w); break;
        case 14: case 15: ntp += w == INFER__PB_LEN; infer__pb_skip(r, w); break;
        default: infer__pb_skip(r, w); break;
        }
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "AttributeProto");
    if (!a->name) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "attribute without a name");
    if (a->type == 0) { /* old files: infer the kind from the field present */
        if (ng) a->type = INFER__ATTR_GRAPH; else if (nt) a->type = INFER__ATTR_TENSOR;
        else if (nf) a->type = INFER__ATTR_FLOATS; else if (ni) a->type = INFER__ATTR_INTS;
        else if (ns) a->type = INFER__ATTR_STRINGS; else if (a->s) a->type = INFER__ATTR_STRING;
        else a->type = INFER__ATTR_INT;
    }
    if (nf) a->floats = (float *)infer__pool_zalloc(L->pool, nf, sizeof(float));
    if (ni) a->ints = (int64_t *)infer__pool_zalloc(L->pool, ni, sizeof(int64_t));
    if (ns) a->strings = (char **)infer__pool_zalloc(L->pool, ns, sizeof(char *));
    if (nt) a->tensors = (infer_tensor *)infer__pool_zalloc(L->pool, nt, sizeof(infer_tensor));
    if (ng) a->graphs = (infer__graph **)infer__pool_zalloc(L->pool, ng, sizeof(infer__graph *));
    if (ntp) a->types = (infer__typeinfo *)infer__pool_zalloc(L->pool, ntp, sizeof(infer__typeinfo));
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    switch (a->type) {
    case INFER__ATTR_FLOATS: a->n = (int)nf; break;
    case INFER__ATTR_INTS: a->n = (int)ni; break;
    case INFER__ATTR_STRINGS: a->n = (int)ns; break;
    case INFER__ATTR_TENSOR: case INFER__ATTR_TENSORS: case INFER__ATTR_SPARSE_TENSOR: case INFER__ATTR_SPARSE_TENSORS: a->n = (int)nt; break;
    case INFER__ATTR_GRAPH: case INFER__ATTR_GRAPHS: a->n = (int)ng; break;
    case INFER__ATTR_TYPE_PROTO: case INFER__ATTR_TYPE_PROTOS: a->n = (int)ntp; break;
    default: a->n = 1; break;
    }
    nf = ni = ns = nt = ng = ntp = 0;
    *r = start;
    while (infer__pb_next(r, &f, &w)) { /* pass 2: lists */
        if (f == 7) {
            if (w == INFER__PB_LEN) {
                infer__pb s = infer__pb_sub(r);
                while (s.p < s.end && !s.err) { uint32_t b = infer__pb_fixed32(&s); memcpy(&a->floats[nf++], &b, 4); }
                infer__pb_join(r, &s);
            } else if (w == INFER__PB_I32) { uint32_t b = infer__pb_fixed32(r); memcpy(&a->floats[nf++], &b, 4); }
            else infer__pb_skip(r, w);
        } else if (f == 8 && (w == INFER__PB_LEN || w == INFER__PB_VARINT)) {
            if (w == INFER__PB_LEN) {
                infer__pb s = infer__pb_sub(r);
                while (s.p < s.end && !s.err) a->ints[ni++] = (int64_t)infer__pb_varint(&s);
                infer__pb_join(r, &s);
            } else a->ints[ni++] = (int64_t)infer__pb_varint(r);
        } else if (f == 9 && w == INFER__PB_LEN) {
            a->strings[ns++] = infer__pb_str(r, L->pool);
        } else if ((f == 5 || f == 10 || f == 22 || f == 23) && w == INFER__PB_LEN) {
            infer__pb s = infer__pb_sub(r);
            infer_status st = (f == 22 || f == 23) ? infer__read_sparse(&s, L, &a->tensors[nt++], NULL)
                                                   : infer__read_tensor(&s, L, &a->tensors[nt++], NULL);
            if (st) return st;
        } else if ((f == 6 || f == 11) && w == INFER__PB_LEN) {
            /* subgraph: remember its bytes; parsed in infer__resolve with the right parent */
            size_t len;
            const uint8_t *p = infer__pb_bytes(r, &len);
            infer__pending_graph *pg = (infer__pending_graph *)infer__pool_alloc(L->pool, sizeof *pg);
            if (!pg) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
            pg->p = p;
            pg->end = p + len;
            a->graphs[ng++] = (infer__graph *)(void *)pg; /* replaced by the parsed graph later */
        } else if ((f == 14 || f == 15) && w == INFER__PB_LEN) {
            infer__pb s = infer__pb_sub(r);
            infer__read_type(&s, L, &a->types[ntp++], 0);
            infer__pb_join(r, &s);
        } else infer__pb_skip(r, w);
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "AttributeProto");
    {   /* the value the type promises must be there */
        int single = a->type == INFER__ATTR_TENSOR || a->type == INFER__ATTR_SPARSE_TENSOR || a->type == INFER__ATTR_GRAPH ||
                     a->type == INFER__ATTR_TYPE_PROTO;
        char msg[160];
        if (a->type == INFER__ATTR_STRING && !a->s) a->s = ""; /* an empty string may be left out */
        if ((single && a->n != 1) || a->type > INFER__ATTR_TYPE_PROTOS) {
            snprintf(msg, sizeof msg, "attribute '%s': type %d without its value", a->name, a->type);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__read_node(infer__pb *r, infer__loader *L, infer__node *n) {
    uint32_t f; int w;
    infer__pb start = *r;
    int ni = 0, no = 0, na = 0;
    memset(n, 0, sizeof *n);
    n->domain = "";
    while (infer__pb_next(r, &f, &w)) {
        if (f == 1 && w == INFER__PB_LEN) n->n_in++;
        else if (f == 2 && w == INFER__PB_LEN) n->n_out++;
        else if (f == 5 && w == INFER__PB_LEN) n->n_attr++;
        else if (f == 3 && w == INFER__PB_LEN) { n->name = infer__pb_str(r, L->pool); continue; }
        else if (f == 4 && w == INFER__PB_LEN) { n->op_type = infer__pb_str(r, L->pool); continue; }
        else if (f == 7 && w == INFER__PB_LEN) { n->domain = infer__pb_str(r, L->pool); continue; }
        infer__pb_skip(r, w);
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "NodeProto");
    if (!n->op_type || !n->op_type[0]) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "node without op_type");
    if (!n->name) n->name = "";
    if (!n->domain) n->domain = "";
    if (infer__domain_is_default(n->domain)) n->domain = "";
    n->in_names = (const char **)infer__pool_zalloc(L->pool, (size_t)n->n_in + 1, sizeof(char *));
    n->out_names = (const char **)infer__pool_zalloc(L->pool, (size_t)n->n_out + 1, sizeof(char *));
    n->attrs = (infer__attr *)infer__pool_zalloc(L->pool, (size_t)n->n_attr + 1, sizeof(infer__attr));
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    *r = start;
    while (infer__pb_next(r, &f, &w)) {
        if (f == 1 && w == INFER__PB_LEN) n->in_names[ni++] = infer__pb_str(r, L->pool);
        else if (f == 2 && w == INFER__PB_LEN) n->out_names[no++] = infer__pb_str(r, L->pool);
        else if (f == 5 && w == INFER__PB_LEN) {
            infer__pb s = infer__pb_sub(r);
            infer_status st = infer__read_attr(&s, L, &n->attrs[na++]);
            if (st) return st;
            infer__pb_join(r, &s);
        } else infer__pb_skip(r, w);
    }
    if (r->err || ni != n->n_in || no != n->n_out) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "NodeProto");
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    return INFER_STATUS_OK;
}

static infer_status infer__read_rawgraph(infer__pb *r, infer__loader *L, infer__rawgraph *g) {
    uint32_t f; int w;
    infer__pb start = *r;
    int k[6] = {0, 0, 0, 0, 0, 0};
    infer_status st;
    memset(g, 0, sizeof *g);
    while (infer__pb_next(r, &f, &w)) {
        if (w == INFER__PB_LEN) {
            if (f == 1) g->n_nodes++;
            else if (f == 5 || f == 15) g->n_inits++;
            else if (f == 11) g->n_inputs++;
            else if (f == 12) g->n_outputs++;
            else if (f == 13) g->n_vinfo++;
            else if (f == 2) { g->name = infer__pb_str(r, L->pool); continue; }
        }
        infer__pb_skip(r, w);
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "GraphProto");
    if (g->n_nodes > (L->opts->max_nodes > 0 ? L->opts->max_nodes : 1000000))
        return infer__load_fail(L, NULL, INFER_STATUS_LIMIT_EXCEEDED, "graph has more nodes than max_nodes");
    g->nodes = (infer__node *)infer__pool_zalloc(L->pool, (size_t)g->n_nodes + 1, sizeof(infer__node));
    g->inits = (infer_tensor *)infer__pool_zalloc(L->pool, (size_t)g->n_inits + 1, sizeof(infer_tensor));
    g->init_names = (const char **)infer__pool_zalloc(L->pool, (size_t)g->n_inits + 1, sizeof(char *));
    g->in_names = (const char **)infer__pool_zalloc(L->pool, (size_t)g->n_inputs + 1, sizeof(char *));
    g->out_names = (const char **)infer__pool_zalloc(L->pool, (size_t)g->n_outputs + 1, sizeof(char *));
    g->vi_names = (const char **)infer__pool_zalloc(L->pool, (size_t)g->n_vinfo + 1, sizeof(char *));
    g->in_types = (infer__typeinfo *)infer__pool_zalloc(L->pool, (size_t)g->n_inputs + 1, sizeof(infer__typeinfo));
    g->out_types = (infer__typeinfo *)infer__pool_zalloc(L->pool, (size_t)g->n_outputs + 1, sizeof(infer__typeinfo));
    g->vi_types = (infer__typeinfo *)infer__pool_zalloc(L->pool, (size_t)g->n_vinfo + 1, sizeof(infer__typeinfo));
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    *r = start;
    while (infer__pb_next(r, &f, &w)) {
        infer__pb s;
        if (w != INFER__PB_LEN || (f != 1 && f != 5 && f != 15 && f != 11 && f != 12 && f != 13)) { infer__pb_skip(r, w); continue; }
        s = infer__pb_sub(r);
        switch (f) {
        case 1: st = infer__read_node(&s, L, &g->nodes[k[0]++]); if (st) return st; break;
        case 5: st = infer__read_tensor(&s, L, &g->inits[k[1]], &g->init_names[k[1]]); k[1]++; if (st) return st; break;
        case 15: st = infer__read_sparse(&s, L, &g->inits[k[1]], &g->init_names[k[1]]); k[1]++; if (st) return st; break;
        case 11: infer__read_valueinfo(&s, L, &g->in_names[k[2]], &g->in_types[k[2]]); k[2]++; break;
        case 12: infer__read_valueinfo(&s, L, &g->out_names[k[3]], &g->out_types[k[3]]); k[3]++; break;
        case 13: infer__read_valueinfo(&s, L, &g->vi_names[k[4]], &g->vi_types[k[4]]); k[4]++; break;
        }
        infer__pb_join(r, &s);
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "GraphProto");
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    for (k[5] = 0; k[5] < g->n_inits; k[5]++)
        if (!g->init_names[k[5]] || !g->init_names[k[5]][0]) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "initializer without a name");
    for (k[5] = 0; k[5] < g->n_inputs; k[5]++)
        if (!g->in_names[k[5]]) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "graph input without a name");
    for (k[5] = 0; k[5] < g->n_outputs; k[5]++)
        if (!g->out_names[k[5]]) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "graph output without a name");
    return INFER_STATUS_OK;
}

static infer_status infer__read_function(infer__pb *r, infer__loader *L, infer__func *fn) {
    uint32_t f; int w;
    infer__pb start = *r;
    int k[6] = {0, 0, 0, 0, 0, 0};
    memset(fn, 0, sizeof *fn);
    fn->domain = "";
    while (infer__pb_next(r, &f, &w)) {
        if (f == 1 && w == INFER__PB_LEN) { fn->name = infer__pb_str(r, L->pool); continue; }
        if (f == 10 && w == INFER__PB_LEN) { fn->domain = infer__pb_str(r, L->pool); continue; }
        if (w != INFER__PB_LEN) {}
        else if (f == 4) fn->n_in++;
        else if (f == 5) fn->n_out++;
        else if (f == 6) fn->n_attr++;
        else if (f == 11) fn->n_attr_default++;
        else if (f == 7) fn->n_nodes++;
        else if (f == 9) fn->n_opsets++;
        infer__pb_skip(r, w);
    }
    if (r->err || !fn->name) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "FunctionProto");
    if (!fn->domain) fn->domain = "";
    fn->inputs = (const char **)infer__pool_zalloc(L->pool, (size_t)fn->n_in + 1, sizeof(char *));
    fn->outputs = (const char **)infer__pool_zalloc(L->pool, (size_t)fn->n_out + 1, sizeof(char *));
    fn->attr_names = (const char **)infer__pool_zalloc(L->pool, (size_t)fn->n_attr + 1, sizeof(char *));
    fn->attr_defaults = (infer__attr *)infer__pool_zalloc(L->pool, (size_t)fn->n_attr_default + 1, sizeof(infer__attr));
    fn->nodes = (infer__node *)infer__pool_zalloc(L->pool, (size_t)fn->n_nodes + 1, sizeof(infer__node));
    fn->opsets = (infer__opset *)infer__pool_zalloc(L->pool, (size_t)fn->n_opsets + 1, sizeof(infer__opset));
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    *r = start;
    while (infer__pb_next(r, &f, &w)) {
        infer__pb s;
        infer_status st;
        if (w != INFER__PB_LEN) { infer__pb_skip(r, w); continue; }
        switch (f) {
        case 4: fn->inputs[k[0]++] = infer__pb_str(r, L->pool); break;
        case 5: fn->outputs[k[1]++] = infer__pb_str(r, L->pool); break;
        case 6: fn->attr_names[k[2]++] = infer__pb_str(r, L->pool); break;
        case 11: s = infer__pb_sub(r); st = infer__read_attr(&s, L, &fn->attr_defaults[k[3]++]); if (st) return st; break;
        case 7: s = infer__pb_sub(r); st = infer__read_node(&s, L, &fn->nodes[k[4]++]); if (st) return st; break;
        case 9: {
            uint32_t f2; int w2;
            s = infer__pb_sub(r);
            fn->opsets[k[5]].domain = "";
            while (infer__pb_next(&s, &f2, &w2)) {
                if (f2 == 1 && w2 == INFER__PB_LEN) fn->opsets[k[5]].domain = infer__pb_str(&s, L->pool);
                else if (f2 == 2 && w2 == INFER__PB_VARINT) fn->opsets[k[5]].version = (int64_t)infer__pb_varint(&s);
                else infer__pb_skip(&s, w2);
            }
            infer__pb_join(r, &s);
            k[5]++;
            break;
        }
        default: infer__pb_skip(r, w); break;
        }
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, "FunctionProto");
    if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    return INFER_STATUS_OK;
}

/* ============================================================================================== */
/* >>validate: name resolution, function inlining, topological order, checks                      */
/* ============================================================================================== */

/* Open-addressing name table (FNV-1a), sized at twice the names. */
typedef struct infer__names {
    const char **keys;
    int *vals;
    size_t cap;
} infer__names;

static uint64_t infer__hash(const char *s) {
    uint64_t h = 1469598103934665603ull;
    while (*s) { h ^= (uint8_t)*s++; h *= 1099511628211ull; }
    return h;
}
static int infer__names_init(infer__names *t, infer__pool *p, size_t n) {
    t->cap = 16;
    while (t->cap < n * 2 + 1) t->cap *= 2;
    t->keys = (const char **)infer__pool_zalloc(p, t->cap, sizeof(char *));
    t->vals = (int *)infer__pool_zalloc(p, t->cap, sizeof(int));
    return t->keys && t->vals;
}
static int infer__names_get(const infer__names *t, const char *k) {
    size_t i = (size_t)(infer__hash(k) & (t->cap - 1));
    while (t->keys[i]) {
        if (strcmp(t->keys[i], k) == 0) return t->vals[i];
        i = (i + 1) & (t->cap - 1);
    }
    return -1;
}
static void infer__names_put(infer__names *t, const char *k, int v) {
    size_t i = (size_t)(infer__hash(k) & (t->cap - 1));
    while (t->keys[i]) {
        if (strcmp(t->keys[i], k) == 0) { t->vals[i] = v; return; }
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = k;
    t->vals[i] = v;
}

static int64_t infer__opset_of(const infer__opset *ops, int n, const char *domain) {
    int i;
    for (i = 0; i < n; i++) {
        const char *d = ops[i].domain ? ops[i].domain : "";
        if (strcmp(d, domain) == 0 || (infer__domain_is_default(d) && infer__domain_is_default(domain))) return ops[i].version;
    }
    return -1;
}

static const infer__func *infer__find_func(const infer_model *m, const infer__node *n) {
    int i;
    for (i = 0; i < m->n_funcs; i++) {
        const char *fd = infer__domain_is_default(m->funcs[i].domain) ? "" : m->funcs[i].domain;
        if (strcmp(m->funcs[i].name, n->op_type) == 0 && strcmp(fd, n->domain) == 0) return &m->funcs[i];
    }
    return NULL;
}

static const char *infer__prefixed(infer__pool *p, const char *prefix, const char *name) {
    size_t a = strlen(prefix), b = strlen(name);
    char *s;
    if (!*name) return name;
    s = (char *)infer__pool_alloc(p, a + b + 1);
    if (!s) return NULL;
    memcpy(s, prefix, a);
    memcpy(s + a, name, b + 1);
    return s;
}

/* Expands calls to model-local functions into their bodies (repeatedly, for nested calls). */
static infer_status infer__inline_functions(infer__loader *L, infer__rawgraph *g) {
    infer_model *m = L->model;
    int round;
    if (!m->n_funcs) return INFER_STATUS_OK;
    for (round = 0; round < 16; round++) {
        int i, extra = 0, calls = 0, k;
        infer__node *nn;
        for (i = 0; i < g->n_nodes; i++) {
            const infer__func *fn = infer__find_func(m, &g->nodes[i]);
            if (fn) { extra += fn->n_nodes; calls++; }
        }
        if (!calls) return INFER_STATUS_OK;
        nn = (infer__node *)infer__pool_zalloc(L->pool, (size_t)(g->n_nodes + extra) + 1, sizeof(infer__node));
        if (!nn) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        k = 0;
        for (i = 0; i < g->n_nodes; i++) {
            const infer__node *call = &g->nodes[i];
            const infer__func *fn = infer__find_func(m, call);
            int j, q, a;
            char prefix[64];
            if (!fn) { nn[k++] = *call; continue; }
            snprintf(prefix, sizeof prefix, "__f%d_%d/", round, i);
            for (j = 0; j < fn->n_nodes; j++) {
                infer__node *d = &nn[k++];
                const infer__node *s = &fn->nodes[j];
                *d = *s;
                d->opset = (int)infer__opset_of(fn->opsets, fn->n_opsets, s->domain);
                d->name = infer__prefixed(L->pool, prefix, s->name[0] ? s->name : s->op_type);
                d->in_names = (const char **)infer__pool_zalloc(L->pool, (size_t)s->n_in + 1, sizeof(char *));
                d->out_names = (const char **)infer__pool_zalloc(L->pool, (size_t)s->n_out + 1, sizeof(char *));
                d->attrs = (infer__attr *)infer__pool_zalloc(L->pool, (size_t)s->n_attr + 1, sizeof(infer__attr));
                if (L->pool->oom) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
                for (q = 0; q < s->n_in + s->n_out; q++) {
                    const char *nm = q < s->n_in ? s->in_names[q] : s->out_names[q - s->n_in];
                    const char *mapped = NULL;
                    for (a = 0; a < fn->n_in && !mapped; a++)
                        if (strcmp(fn->inputs[a], nm) == 0) mapped = a < call->n_in ? call->in_names[a] : "";
                    for (a = 0; a < fn->n_out && !mapped; a++)
                        if (strcmp(fn->outputs[a], nm) == 0) mapped = a < call->n_out ? call->out_names[a] : "";
                    if (!mapped) mapped = infer__prefixed(L->pool, prefix, nm);
                    if (!mapped) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
                    if (q < s->n_in) d->in_names[q] = mapped; else d->out_names[q - s->n_in] = mapped;
                }
                d->n_attr = 0;
                for (q = 0; q < s->n_attr; q++) {
                    const infer__attr *sa = &s->attrs[q];
                    if (sa->ref_attr_name) { /* caller's attribute, else the function's default */
                        const infer__attr *ca = infer__attr_find(call, sa->ref_attr_name);
                        for (a = 0; !ca && a < fn->n_attr_default; a++)
                            if (strcmp(fn->attr_defaults[a].name, sa->ref_attr_name) == 0) ca = &fn->attr_defaults[a];
                        if (ca) { d->attrs[d->n_attr] = *ca; d->attrs[d->n_attr].name = sa->name; d->n_attr++; }
                    } else d->attrs[d->n_attr++] = *sa;
                }
            }
        }
        g->nodes = nn;
        g->n_nodes = k;
    }
    return infer__load_fail(L, NULL, INFER_STATUS_LIMIT_EXCEEDED, "model-local functions nested too deep");
}

static const infer__op *infer__registry_find(const char *domain, const char *op_type, int opset);

static infer_status infer__build_graph(infer__loader *L, infer__rawgraph *rg, infer__graph *parent, infer__graph **out);

/* Looks a name up in the enclosing graphs; creates outer-reference values on the way down. */
static int infer__outer_ref(infer__graph *g, infer__names *tab, const char *name) {
    (void)tab;
    while (g) {
        int i;
        for (i = 0; i < g->n_values; i++)
            if (strcmp(g->values[i].name, name) == 0) return 1;
        g = g->parent;
    }
    return 0;
}

/* Builds the resolved graph: value table, node in/out indices, topological order, checks. */
static infer_status infer__build_graph(infer__loader *L, infer__rawgraph *rg, infer__graph *parent, infer__graph **out) {
    infer__graph *g;
    infer__names tab;
    int i, j, max_values, nv = 0;
    char msg[600];
    infer_status st;
    if (L->depth > INFER_MAX_DEPTH) return infer__load_fail(L, NULL, INFER_STATUS_LIMIT_EXCEEDED, "subgraphs nested deeper than INFER_MAX_DEPTH");
    st = infer__inline_functions(L, rg);
    if (st) return st;
    g = (infer__graph *)infer__pool_zalloc(L->pool, 1, sizeof *g);
    if (!g) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    g->name = rg->name ? rg->name : "";
    g->parent = parent;
    g->depth = L->depth;
    max_values = rg->n_inits + rg->n_inputs + 1;
    for (i = 0; i < rg->n_nodes; i++) max_values += rg->nodes[i].n_out + rg->nodes[i].n_in;
    g->values = (infer__value *)infer__pool_zalloc(L->pool, (size_t)max_values, sizeof(infer__value));
    if (!g->values || !infer__names_init(&tab, L->pool, (size_t)max_values))
        return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
#define INFER__NEWVAL(nm) (g->values[nv].name = (nm), g->values[nv].producer = -1, g->values[nv].type.rank = -1, \
                           infer__names_put(&tab, (nm), nv), nv++)
    for (i = 0; i < rg->n_inits; i++) {
        int v = infer__names_get(&tab, rg->init_names[i]);
        if (v >= 0) {
            snprintf(msg, sizeof msg, "initializer '%s' is defined twice", rg->init_names[i]);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
        v = INFER__NEWVAL(rg->init_names[i]);
        g->values[v].init = &rg->inits[i];
        g->values[v].type.dtype = rg->inits[i].dtype;
        g->values[v].type.rank = rg->inits[i].rank;
        memcpy(g->values[v].type.dims, rg->inits[i].dims, sizeof rg->inits[i].dims);
    }
    g->n_inits = rg->n_inits;
    g->inputs = (int *)infer__pool_zalloc(L->pool, (size_t)rg->n_inputs + 1, sizeof(int));
    g->outputs = (int *)infer__pool_zalloc(L->pool, (size_t)rg->n_outputs + 1, sizeof(int));
    if (!g->inputs || !g->outputs) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < rg->n_inputs; i++) {
        int v = infer__names_get(&tab, rg->in_names[i]);
        if (v < 0) v = INFER__NEWVAL(rg->in_names[i]);
        else if (!g->values[v].init || g->values[v].is_input) {
            snprintf(msg, sizeof msg, "graph input '%s' is listed twice", rg->in_names[i]);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
        g->values[v].is_input = i + 1;
        if (!g->values[v].init) g->values[v].type = rg->in_types[i];
        g->inputs[i] = v;
    }
    g->n_inputs = rg->n_inputs;
    for (i = 0; i < rg->n_nodes; i++) {
        infer__node *n = &rg->nodes[i];
        n->out = (int *)infer__pool_zalloc(L->pool, (size_t)n->n_out + 1, sizeof(int));
        if (!n->out) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        for (j = 0; j < n->n_out; j++) {
            const char *nm = n->out_names[j];
            int v;
            if (!nm[0]) { /* an omitted output still gets a slot the kernel can write */
                char tmp[48];
                snprintf(tmp, sizeof tmp, "__unused_%d_%d", i, j);
                nm = infer__pool_strndup(L->pool, tmp, strlen(tmp));
                if (!nm) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
            }
            v = infer__names_get(&tab, nm);
            if (v >= 0) {
                snprintf(msg, sizeof msg, "node '%s' (%s): output '%s' is already produced by %s", n->name, n->op_type, nm,
                         g->values[v].init ? "an initializer" : g->values[v].is_input ? "a graph input" : "another node");
                return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
            }
            v = INFER__NEWVAL(nm);
            g->values[v].producer = i;
            n->out[j] = v;
        }
    }
    /* inputs: local names, else an enclosing graph's value (recorded as an outer reference) */
    for (i = 0; i < rg->n_nodes; i++) {
        infer__node *n = &rg->nodes[i];
        for (j = 0; j < n->n_in; j++) {
            const char *nm = n->in_names[j];
            if (!nm[0]) continue;
            if (infer__names_get(&tab, nm) >= 0) continue;
            if (parent && infer__outer_ref(parent, NULL, nm)) {
                int v = INFER__NEWVAL(nm);
                g->values[v].is_outer = 1;
                continue;
            }
            snprintf(msg, sizeof msg, "node '%s' (%s): input %d '%s' is not produced by any node, initializer or graph input",
                     n->name, n->op_type, j, nm);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
    }
    for (i = 0; i < rg->n_outputs; i++) {
        int v = infer__names_get(&tab, rg->out_names[i]);
        if (v < 0 && parent && infer__outer_ref(parent, NULL, rg->out_names[i])) {
            v = INFER__NEWVAL(rg->out_names[i]);
            g->values[v].is_outer = 1;
        }
        if (v < 0) {
            snprintf(msg, sizeof msg, "graph output '%s' is not produced by any node, initializer or input", rg->out_names[i]);
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
        if (!g->values[v].is_output) g->values[v].is_output = i + 1;
        if (rg->out_types[i].rank >= 0 || rg->out_types[i].dtype || rg->out_types[i].kind) {
            if (g->values[v].producer >= 0) g->values[v].type = rg->out_types[i];
        }
        g->outputs[i] = v;
    }
    g->n_outputs = rg->n_outputs;
    for (i = 0; i < rg->n_vinfo; i++) {
        int v = rg->vi_names[i] ? infer__names_get(&tab, rg->vi_names[i]) : -1;
        if (v >= 0 && g->values[v].producer >= 0 && g->values[v].type.rank < 0 && !g->values[v].type.dtype)
            g->values[v].type = rg->vi_types[i];
    }
    g->n_values = nv;
#undef INFER__NEWVAL
    /* subgraph attributes: parsed now that this graph's names are known; their reads of this
       graph's values (outer references) count as inputs of the node for order and lifetimes */
    {
        int a, q;
        for (i = 0; i < rg->n_nodes; i++) {
            infer__node *n = &rg->nodes[i];
            int cnt = 0;
            for (a = 0; a < n->n_attr; a++) {
                infer__attr *at = &n->attrs[a];
                if (at->type != INFER__ATTR_GRAPH && at->type != INFER__ATTR_GRAPHS) continue;
                for (q = 0; q < at->n; q++) {
                    infer__pending_graph *pg = (infer__pending_graph *)(void *)at->graphs[q];
                    infer__pb r;
                    infer__rawgraph sub;
                    r.base = L->file; r.p = pg->p; r.end = pg->end; r.err = 0; r.err_off = 0;
                    g->n_values = nv;
                    L->depth++;
                    st = infer__read_rawgraph(&r, L, &sub);
                    if (!st) st = infer__build_graph(L, &sub, g, &at->graphs[q]);
                    L->depth--;
                    if (st) return st;
                    for (j = 0; j < at->graphs[q]->n_values; j++) cnt += at->graphs[q]->values[j].is_outer;
                }
            }
            if (!cnt) continue;
            n->outer = (int *)infer__pool_zalloc(L->pool, (size_t)cnt, sizeof(int));
            if (!n->outer) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
            for (a = 0; a < n->n_attr; a++) {
                infer__attr *at = &n->attrs[a];
                if (at->type != INFER__ATTR_GRAPH && at->type != INFER__ATTR_GRAPHS) continue;
                for (q = 0; q < at->n; q++) {
                    infer__graph *sg = at->graphs[q];
                    for (j = 0; j < sg->n_values; j++) {
                        int v;
                        if (!sg->values[j].is_outer) continue;
                        v = infer__names_get(&tab, sg->values[j].name);
                        if (v < 0) { /* lives further out: this graph references it too */
                            if (nv >= max_values) {
                                infer__value *nvv = (infer__value *)infer__pool_zalloc(L->pool, (size_t)max_values * 2, sizeof(infer__value));
                                if (!nvv) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
                                memcpy(nvv, g->values, (size_t)nv * sizeof *nvv);
                                g->values = nvv;
                                max_values *= 2;
                                if (!infer__names_init(&tab, L->pool, (size_t)max_values)) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
                                for (v = 0; v < nv; v++) infer__names_put(&tab, g->values[v].name, v);
                            }
                            g->values[nv].name = sg->values[j].name;
                            g->values[nv].producer = -1;
                            g->values[nv].type.rank = -1;
                            g->values[nv].is_outer = 1;
                            infer__names_put(&tab, g->values[nv].name, nv);
                            v = nv++;
                            g->n_values = nv;
                        }
                        sg->values[j].outer_idx = v;
                        n->outer[n->n_outer++] = v;
                    }
                }
            }
        }
    }
    /* topological order (Kahn), stable: ready nodes in file order */
    {
        int n = rg->n_nodes, head = 0, tail = 0, total = 0;
        int *indeg = (int *)infer__pool_zalloc(L->pool, (size_t)n + 1, sizeof(int));
        int *order = (int *)infer__pool_zalloc(L->pool, (size_t)n + 1, sizeof(int));
        int *newidx = (int *)infer__pool_zalloc(L->pool, (size_t)n + 1, sizeof(int));
        int *cons_start = (int *)infer__pool_zalloc(L->pool, (size_t)nv + 2, sizeof(int));
        int *fill = (int *)infer__pool_zalloc(L->pool, (size_t)nv + 1, sizeof(int));
        int *cons;
        if (!indeg || !order || !newidx || !cons_start || !fill) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        for (i = 0; i < n; i++) { /* node inputs: names now; subgraph reads: outer[] */
            infer__node *nd = &rg->nodes[i];
            nd->in = (int *)infer__pool_zalloc(L->pool, (size_t)nd->n_in + 1, sizeof(int));
            if (!nd->in) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
            for (j = 0; j < nd->n_in; j++) nd->in[j] = nd->in_names[j][0] ? infer__names_get(&tab, nd->in_names[j]) : -1;
        }
#define INFER__DEPS(nd, body) do { int dq_; \
            for (dq_ = 0; dq_ < (nd)->n_in + (nd)->n_outer; dq_++) { \
                int v = dq_ < (nd)->n_in ? (nd)->in[dq_] : (nd)->outer[dq_ - (nd)->n_in]; \
                if (v >= 0) { body; } } } while (0)
        for (i = 0; i < n; i++) INFER__DEPS(&rg->nodes[i], cons_start[v + 1]++; total++);
        for (i = 0; i < nv; i++) cons_start[i + 1] += cons_start[i];
        cons = (int *)infer__pool_zalloc(L->pool, (size_t)total + 1, sizeof(int));
        if (!cons) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        for (i = 0; i < n; i++)
            INFER__DEPS(&rg->nodes[i], cons[cons_start[v] + fill[v]++] = i; if (g->values[v].producer >= 0) indeg[i]++);
        for (i = 0; i < n; i++) if (!indeg[i]) order[tail++] = i;
        while (head < tail) {
            int u = order[head++], q;
            for (j = 0; j < rg->nodes[u].n_out; j++) {
                int v = rg->nodes[u].out[j];
                for (q = cons_start[v]; q < cons_start[v + 1]; q++)
                    if (--indeg[cons[q]] == 0) order[tail++] = cons[q];
            }
        }
        if (tail != n) {
            for (i = 0; i < n && !indeg[i]; i++) {}
            snprintf(msg, sizeof msg, "node '%s' (%s) is part of a cycle", i < n ? rg->nodes[i].name : "?", i < n ? rg->nodes[i].op_type : "?");
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, msg);
        }
        g->nodes = (infer__node *)infer__pool_zalloc(L->pool, (size_t)n + 1, sizeof(infer__node));
        if (!g->nodes) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        for (i = 0; i < n; i++) { g->nodes[i] = rg->nodes[order[i]]; newidx[order[i]] = i; }
        g->n_nodes = n;
        for (i = 0; i < nv; i++) if (g->values[i].producer >= 0) g->values[i].producer = newidx[g->values[i].producer];
        /* last uses */
        for (i = 0; i < nv; i++)
            g->values[i].last_use = g->values[i].is_output ? n : (g->values[i].producer >= 0 ? g->values[i].producer : -1);
        for (i = 0; i < n; i++)
            INFER__DEPS(&g->nodes[i], if (g->values[v].last_use < i) g->values[v].last_use = i);
#undef INFER__DEPS
    }
    g->n_values = nv;
    *out = g;
    return INFER_STATUS_OK;
}
