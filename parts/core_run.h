/* ============================================================================================== */
/* >>plan: execution state, the memory plan                                                       */
/* ============================================================================================== */
enum { INFER__MODE_PLAN = 0, INFER__MODE_RUN = 1, INFER__MODE_DYN = 2 };

typedef struct infer__exec {
    const infer__graph *g;
    struct infer__exec *parent;
    infer__rval *vals;
    int mode;
    /* per node kernel argument arrays */
    infer_tensor **kin, **kout;
    infer__rval **kvin, **kvout;
    /* planning (top graph) */
    size_t *need, *off;            /* bytes per value, planned offset */
    int *end, *alias;              /* lifetime end (with aliases), alias root or -1 */
    void **tmp;                    /* plan mode: the temporary block of each value */
    size_t *scratch_need, *scratch_off;
    infer__rval **results;         /* subgraph outputs handed to the caller */
} infer__exec;

struct infer_session {
    const infer_model *m;
    infer_allocator a;
    infer_options opts;
    int nthreads;
    infer__exec top;
    infer__rval *bound;            /* per model input */
    int *bound_set;
    infer_tensor *plan_shapes;     /* input shapes the plan was made for */
    int planned;
    uint8_t *arena;
    size_t arena_size;
    int arena_owned;
    void **dyn;                    /* allocations freed at the next run: subgraphs, sequences, overflow */
    size_t n_dyn, cap_dyn;
    /* the running node */
    infer__exec *cur;
    int cur_node;
    void *scratch_tmp[64];         /* plan mode: scratch blocks of the current node */
    int n_scratch_tmp;
    size_t scratch_used;
    int keep_values;               /* plan every value alive to the end (the optimizer's probes) */
    char err[512];
};

static void *infer__dyn_alloc(infer_session *s, size_t bytes) {
    void *p;
    if (s->n_dyn == s->cap_dyn) {
        size_t cap = s->cap_dyn ? s->cap_dyn * 2 : 64;
        void **nd = (void **)infer__alloc(&s->a, cap * sizeof(void *));
        if (!nd) return NULL;
        if (s->n_dyn) memcpy(nd, s->dyn, s->n_dyn * sizeof(void *));
        infer__free(&s->a, s->dyn);
        s->dyn = nd;
        s->cap_dyn = cap;
    }
    if (s->opts.max_memory && bytes > s->opts.max_memory) return NULL;
    p = infer__alloc(&s->a, bytes + INFER__ALIGN);
    if (!p) return NULL;
    s->dyn[s->n_dyn++] = p;
    return (void *)(((uintptr_t)p + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN);
}

static void infer__dyn_reset(infer_session *s) {
    size_t i;
    for (i = 0; i < s->n_dyn; i++) infer__free(&s->a, s->dyn[i]);
    s->n_dyn = 0;
}

static infer_status infer__sess_fail(infer_session *s, infer_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return st;
}

static infer_status infer__k_fail(infer__kctx *c, infer_status st, const char *fmt, ...) {
    infer_session *s = (infer_session *)c->sess;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(s->err, sizeof s->err, "node '%s' (%s): %s", c->node->name, c->node->op_type, msg);
    return st ? st : INFER_STATUS_RUNTIME_ERROR;
}

/* Memory for value v of the running exec (plan: temporary; run: the arena; dyn: the dyn list). */
static void *infer__value_mem(infer__kctx *c, int v, size_t bytes) {
    infer_session *s = (infer_session *)c->sess;
    infer__exec *e = s->cur;
    void *p;
    if (s->opts.max_memory && bytes > s->opts.max_memory) {
        infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output needs %lu bytes, above max_memory", (unsigned long)bytes);
        return NULL;
    }
    if (e->mode == INFER__MODE_PLAN) {
        if (e->tmp[v]) { infer__free(&s->a, e->tmp[v]); e->tmp[v] = NULL; }
        p = infer__alloc(&s->a, bytes + INFER__ALIGN);
        if (!p) { infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory (%lu bytes)", (unsigned long)bytes); return NULL; }
        e->tmp[v] = p;
        e->need[v] = bytes;
        e->alias[v] = -1;
        return (void *)(((uintptr_t)p + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN);
    }
    if (e->mode == INFER__MODE_RUN && e->alias[v] < 0 && bytes <= e->need[v] && s->arena) return s->arena + e->off[v];
    p = infer__dyn_alloc(s, bytes);
    if (!p) infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory (%lu bytes)", (unsigned long)bytes);
    return p;
}

static int infer__set_shape(infer__kctx *c, infer_tensor *t, int dtype, int rank, const int64_t *dims, size_t *bytes) {
    int64_t n;
    size_t esz = infer__dtype_size(dtype);
    if (rank < 0 || rank > INFER_MAX_RANK) { infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output rank %d above INFER_MAX_RANK", rank); return 0; }
    if (!esz) { infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "output type %d", dtype); return 0; }
    n = infer__count_checked(rank, dims);
    if (n < 0 || n > ((int64_t)1 << 40) / (int64_t)esz || n > infer__max_elements(&((infer_session *)c->sess)->opts)) {
        infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output shape negative or above max_tensor_elements");
        return 0;
    }
    t->dtype = dtype;
    t->rank = rank;
    if (rank) memcpy(t->dims, dims, sizeof(int64_t) * (size_t)rank);
    *bytes = (size_t)n * esz;
    return 1;
}

static void *infer__k_output(infer__kctx *c, int i, int dtype, int rank, const int64_t *dims) {
    infer_session *s = (infer_session *)c->sess;
    int v = c->node->out[i];
    infer__rval *rv = &s->cur->vals[v];
    size_t bytes;
    void *p;
    if (!infer__set_shape(c, &rv->t, dtype, rank, dims, &bytes)) return NULL;
    rv->kind = INFER__KIND_TENSOR;
    p = infer__value_mem(c, v, bytes);
    rv->t.data = p;
    return p;
}

static infer_status infer__k_output_alias(infer__kctx *c, int i, int j, int rank, const int64_t *dims) {
    infer_session *s = (infer_session *)c->sess;
    infer__exec *e = s->cur;
    int v = c->node->out[i], src = c->node->in[j];
    infer__rval *rv = &e->vals[v];
    const infer_tensor *in = c->in[j];
    size_t bytes;
    if (!in) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "input %d missing", j);
    if (!infer__set_shape(c, &rv->t, in->dtype, rank, dims, &bytes)) return INFER_STATUS_LIMIT_EXCEEDED;
    if (bytes != infer__tensor_bytes(in)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot view %lu bytes as %lu", (unsigned long)infer__tensor_bytes(in), (unsigned long)bytes);
    rv->kind = INFER__KIND_TENSOR;
    rv->t.data = in->data;
    if (e->mode == INFER__MODE_PLAN) {
        int root = src;
        while (root >= 0 && e->alias[root] >= 0) root = e->alias[root];
        if (e->tmp[v]) { infer__free(&s->a, e->tmp[v]); e->tmp[v] = NULL; }
        e->need[v] = 0;
        /* only values this graph produced live in the arena; others (inputs, weights) outlive the run */
        e->alias[v] = root >= 0 && e->g->values[root].producer >= 0 ? root : -2;
        if (e->alias[v] >= 0 && e->end[root] < e->end[v]) e->end[root] = e->end[v];
    }
    return INFER_STATUS_OK;
}

static void *infer__k_scratch(infer__kctx *c, size_t bytes) {
    infer_session *s = (infer_session *)c->sess;
    infer__exec *e = s->cur;
    void *p;
    bytes = (bytes + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN;
    if (e->mode == INFER__MODE_PLAN) {
        if (s->n_scratch_tmp >= 64) p = infer__dyn_alloc(s, bytes);
        else {
            p = infer__alloc(&s->a, bytes + INFER__ALIGN);
            if (p) s->scratch_tmp[s->n_scratch_tmp++] = p;
            if (p) p = (void *)(((uintptr_t)p + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN);
        }
        e->scratch_need[s->cur_node] += bytes;
    } else if (e->mode == INFER__MODE_RUN && s->arena && s->scratch_used + bytes <= e->scratch_need[s->cur_node]) {
        p = s->arena + e->scratch_off[s->cur_node] + s->scratch_used;
        s->scratch_used += bytes;
    } else p = infer__dyn_alloc(s, bytes);
    if (!p) infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory (scratch of %lu bytes)", (unsigned long)bytes);
    return p;
}

static infer_status infer__k_output_seq(infer__kctx *c, int i, int count) {
    infer_session *s = (infer_session *)c->sess;
    infer__rval *rv = &s->cur->vals[c->node->out[i]];
    if (count < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "negative sequence length");
    rv->kind = INFER__KIND_SEQUENCE;
    rv->count = count;
    rv->present = 1;
    rv->items = (infer_tensor *)infer__dyn_alloc(s, sizeof(infer_tensor) * (size_t)(count + 1));
    if (!rv->items) return infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    memset(rv->items, 0, sizeof(infer_tensor) * (size_t)(count + 1));
    memset(&rv->t, 0, sizeof rv->t);
    return INFER_STATUS_OK;
}

static void *infer__k_item(infer__kctx *c, int i, int item, int dtype, int rank, const int64_t *dims) {
    infer_session *s = (infer_session *)c->sess;
    infer__rval *rv = &s->cur->vals[c->node->out[i]];
    infer_tensor *t;
    size_t bytes;
    void *p;
    if (rv->kind == INFER__KIND_OPTIONAL && rv->elem_kind == INFER__KIND_TENSOR) t = &rv->t;
    else if (item >= 0 && item < rv->count) t = &rv->items[item];
    else { infer__k_fail(c, INFER_STATUS_RUNTIME_ERROR, "sequence item %d out of range", item); return NULL; }
    if (!infer__set_shape(c, t, dtype, rank, dims, &bytes)) return NULL;
    p = infer__dyn_alloc(s, bytes);
    if (!p) infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    t->data = p;
    return p;
}

static infer_status infer__k_output_opt(infer__kctx *c, int i, int present, int elem_dtype) {
    infer_session *s = (infer_session *)c->sess;
    infer__rval *rv = &s->cur->vals[c->node->out[i]];
    memset(&rv->t, 0, sizeof rv->t);
    rv->kind = INFER__KIND_OPTIONAL;
    rv->present = present;
    rv->elem_kind = INFER__KIND_TENSOR;
    rv->elem_dtype = elem_dtype;
    rv->count = 0;
    rv->items = NULL;
    return INFER_STATUS_OK;
}

/* Greedy by size: biggest blocks first, each at the lowest offset free over its lifetime. */
typedef struct infer__block { size_t size, off; int start, end; } infer__block;

static size_t infer__plan_blocks(infer__block *b, int n, int *order) {
    int i, j, k;
    size_t total = 0;
    for (i = 0; i < n; i++) order[i] = i;
    for (i = 1; i < n; i++) { /* insertion sort by size, descending (stable) */
        int x = order[i];
        for (j = i - 1; j >= 0 && b[order[j]].size < b[x].size; j--) order[j + 1] = order[j];
        order[j + 1] = x;
    }
    for (i = 0; i < n; i++) {
        infer__block *x = &b[order[i]];
        size_t off = 0;
        int moved = 1;
        while (moved) { /* bump past every placed block that overlaps in time and space */
            moved = 0;
            for (k = 0; k < i; k++) {
                const infer__block *y = &b[order[k]];
                if (y->end < x->start || x->end < y->start) continue;
                if (off < y->off + y->size && y->off < off + x->size) { off = y->off + y->size; moved = 1; }
            }
        }
        x->off = off;
        if (off + x->size > total) total = off + x->size;
    }
    return total;
}

/* ============================================================================================== */
/* >>run: executing a graph                                                                       */
/* ============================================================================================== */
static int infer__max_args(const infer__graph *g, int *max_in, int *max_out) {
    int i;
    *max_in = 1; *max_out = 1;
    for (i = 0; i < g->n_nodes; i++) {
        if (g->nodes[i].n_in > *max_in) *max_in = g->nodes[i].n_in;
        if (g->nodes[i].n_out > *max_out) *max_out = g->nodes[i].n_out;
    }
    return 1;
}

/* Points the exec's values at initializers, inputs and outer values. */
static infer_status infer__exec_begin(infer_session *s, infer__exec *e, int n_in, infer__rval *const *inputs) {
    const infer__graph *g = e->g;
    int i;
    for (i = 0; i < g->n_values; i++) {
        const infer__value *val = &g->values[i];
        infer__rval *rv = &e->vals[i];
        memset(rv, 0, sizeof *rv);
        rv->t.rank = 0;
        if (val->init) { rv->t = *val->init; rv->kind = INFER__KIND_TENSOR; }
        if (val->is_outer) {
            if (!e->parent) return infer__sess_fail(s, INFER_STATUS_INVALID_MODEL, "value '%s' refers to an enclosing graph", val->name);
            *rv = e->parent->vals[val->outer_idx];
        }
    }
    if (e->parent) { /* subgraph: positional inputs */
        for (i = 0; i < n_in && i < g->n_inputs; i++) e->vals[g->inputs[i]] = *inputs[i];
    } else { /* top graph: the session's bound inputs */
        const infer_model *m = s->m;
        for (i = 0; i < m->n_inputs; i++) e->vals[m->inputs[i]] = s->bound[i];
    }
    return INFER_STATUS_OK;
}

/* A fused residual add and activation the kernel did not apply itself. */
static infer_status infer__epilogue(infer_session *s, infer__exec *e, const infer__node *n) {
    infer_tensor *y = &e->vals[n->out[0]].t;
    const infer_tensor *r = n->post_add ? &e->vals[n->post_add - 1].t : NULL;
    float *yd = (float *)y->data;
    int64_t i, cnt = infer__numel(y);
    if (y->dtype != INFER_DTYPE_FLOAT || (r && (r->dtype != INFER_DTYPE_FLOAT || infer__numel(r) != cnt)))
        return infer__sess_fail(s, INFER_STATUS_RUNTIME_ERROR, "node '%s' (%s): fused epilogue on mismatched tensors", n->name, n->op_type);
    if (r) {
        const float *rd = (const float *)r->data;
        for (i = 0; i < cnt; i++) yd[i] = infer__act(yd[i] + rd[i], n->post_act, n->post_alpha, n->post_beta);
    } else
        for (i = 0; i < cnt; i++) yd[i] = infer__act(yd[i], n->post_act, n->post_alpha, n->post_beta);
    return INFER_STATUS_OK;
}

static infer_status infer__exec_run(infer_session *s, infer__exec *e) {
    const infer__graph *g = e->g;
    int i, j;
    infer__exec *saved = s->cur;
    int saved_node = s->cur_node;
    infer_status st = INFER_STATUS_OK;
    for (i = 0; i < g->n_nodes && !st; i++) {
        const infer__node *n = &g->nodes[i];
        infer__kctx c;
        c.node = n;
        c.n_in = n->n_in;
        c.n_out = n->n_out;
        c.in = e->kin;
        c.out = e->kout;
        c.vin = e->kvin;
        c.vout = e->kvout;
        c.nthreads = s->nthreads;
        c.sess = s;
        c.epilogue_done = 0;
        for (j = 0; j < n->n_in; j++) {
            infer__rval *rv = n->in[j] >= 0 ? &e->vals[n->in[j]] : NULL;
            e->kvin[j] = rv;
            e->kin[j] = rv && (rv->kind == INFER__KIND_TENSOR || (rv->kind == INFER__KIND_OPTIONAL && rv->present && rv->elem_kind == INFER__KIND_TENSOR)) && (rv->t.data || infer__numel(&rv->t) == 0 || rv->t.dtype) ? &rv->t : NULL;
        }
        for (j = 0; j < n->n_out; j++) {
            infer__rval *rv = &e->vals[n->out[j]];
            rv->kind = INFER__KIND_TENSOR;
            rv->t.data = NULL;
            rv->t.dtype = 0;
            e->kvout[j] = rv;
            e->kout[j] = &rv->t;
        }
        s->cur = e;
        s->cur_node = i;
        if (e->mode != INFER__MODE_DYN) { /* subgraph nodes take scratch from the dyn list */
            s->scratch_used = 0;
            s->n_scratch_tmp = 0;
        }
        s->err[0] = 0;
        st = n->op->fn(&c);
        s->cur = e;
        s->cur_node = i;
        if (e->mode == INFER__MODE_PLAN) {
            int q;
            for (q = 0; q < s->n_scratch_tmp; q++) infer__free(&s->a, s->scratch_tmp[q]);
            s->n_scratch_tmp = 0;
        }
        if (!st && (n->post_act || n->post_add) && !c.epilogue_done) st = infer__epilogue(s, e, n);
        if (st) {
            if (!s->err[0]) snprintf(s->err, sizeof s->err, "node '%s' (%s): %s", n->name, n->op_type, infer_status_string(st));
            break;
        }
        for (j = 0; j < n->n_out; j++) {
            const infer__rval *rv = &e->vals[n->out[j]];
            if (rv->kind == INFER__KIND_TENSOR && !rv->t.dtype) {
                st = infer__sess_fail(s, INFER_STATUS_RUNTIME_ERROR, "node '%s' (%s): kernel did not produce output %d", n->name, n->op_type, j);
                break;
            }
        }
        if (e->mode == INFER__MODE_PLAN) { /* free temporary blocks whose lifetime ended here */
            for (j = 0; j < n->n_in; j++) {
                int v = n->in[j];
                if (v >= 0 && e->tmp[v] && e->end[v] <= i) { infer__free(&s->a, e->tmp[v]); e->tmp[v] = NULL; }
            }
            for (j = 0; j < n->n_out; j++) {
                int v = n->out[j];
                if (e->tmp[v] && e->end[v] <= i) { infer__free(&s->a, e->tmp[v]); e->tmp[v] = NULL; }
            }
            if (n->post_add && e->tmp[n->post_add - 1] && e->end[n->post_add - 1] <= i) {
                infer__free(&s->a, e->tmp[n->post_add - 1]);
                e->tmp[n->post_add - 1] = NULL;
            }
        }
    }
    s->cur = saved;
    s->cur_node = saved_node;
    return st;
}

static infer_status infer__exec_alloc(infer_session *s, infer__exec *e, const infer__graph *g, int dyn) {
    int mi, mo;
    size_t nv = (size_t)g->n_values + 1, bytes = 0;
    uint8_t *p;
    infer__max_args(g, &mi, &mo);
    memset(e, 0, sizeof *e);
    e->g = g;
    bytes = nv * sizeof(infer__rval) + (size_t)(mi + mo) * (sizeof(void *) * 2) + (size_t)g->n_outputs * sizeof(void *) + 64;
    if (!dyn) bytes += nv * (2 * sizeof(size_t) + 2 * sizeof(int) + sizeof(void *)) + (size_t)(g->n_nodes + 1) * 2 * sizeof(size_t);
    p = (uint8_t *)(dyn ? infer__dyn_alloc(s, bytes) : infer__alloc(&s->a, bytes));
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    memset(p, 0, bytes);
    e->vals = (infer__rval *)(void *)p; p += nv * sizeof(infer__rval);
    e->kin = (infer_tensor **)(void *)p; p += (size_t)mi * sizeof(void *);
    e->kvin = (infer__rval **)(void *)p; p += (size_t)mi * sizeof(void *);
    e->kout = (infer_tensor **)(void *)p; p += (size_t)mo * sizeof(void *);
    e->kvout = (infer__rval **)(void *)p; p += (size_t)mo * sizeof(void *);
    e->results = (infer__rval **)(void *)p; p += (size_t)g->n_outputs * sizeof(void *);
    if (!dyn) {
        e->need = (size_t *)(void *)p; p += nv * sizeof(size_t);
        e->off = (size_t *)(void *)p; p += nv * sizeof(size_t);
        e->tmp = (void **)(void *)p; p += nv * sizeof(void *);
        e->scratch_need = (size_t *)(void *)p; p += (size_t)(g->n_nodes + 1) * sizeof(size_t);
        e->scratch_off = (size_t *)(void *)p; p += (size_t)(g->n_nodes + 1) * sizeof(size_t);
        e->end = (int *)(void *)p; p += nv * sizeof(int);
        e->alias = (int *)(void *)p;
    }
    e->mode = dyn ? INFER__MODE_DYN : INFER__MODE_PLAN;
    return INFER_STATUS_OK;
}

static infer_status infer__run_subgraph(infer__kctx *c, const infer__graph *g, int n_in, infer__rval *const *inputs,
                                        infer__rval ***outputs) {
    infer_session *s = (infer_session *)c->sess;
    infer__exec *e = (infer__exec *)infer__dyn_alloc(s, sizeof(infer__exec));
    infer_status st;
    int i;
    if (!e) return infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    if (n_in != g->n_inputs && g->n_inputs) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "subgraph expects %d inputs, got %d", g->n_inputs, n_in);
    st = infer__exec_alloc(s, e, g, 1);
    if (st) return infer__k_fail(c, st, "out of memory");
    e->parent = s->cur;
    st = infer__exec_begin(s, e, n_in, inputs);
    if (!st) st = infer__exec_run(s, e);
    if (st) {
        char inner[512];
        memcpy(inner, s->err, sizeof inner);
        inner[sizeof inner - 1] = 0;
        snprintf(s->err, sizeof s->err, "node '%s' (%s): in subgraph: %.400s", c->node->name, c->node->op_type, inner);
        return st;
    }
    for (i = 0; i < g->n_outputs; i++) e->results[i] = &e->vals[g->outputs[i]];
    *outputs = e->results;
    return INFER_STATUS_OK;
}

/* Plans the arena for the bound input shapes: runs the graph once with temporary blocks,
   recording each value's size and lifetime, then packs them. */
static infer_status infer__plan(infer_session *s) {
    infer__exec *e = &s->top;
    const infer__graph *g = e->g;
    int i, nb = 0;
    infer__block *blocks;
    int *order, *bidx;
    size_t total;
    infer_status st;
    for (i = 0; i < g->n_values; i++) {
        e->end[i] = s->keep_values ? g->n_nodes : g->values[i].last_use;
        e->alias[i] = -1;
        e->need[i] = 0;
        e->tmp[i] = NULL;
    }
    for (i = 0; i < g->n_nodes; i++) e->scratch_need[i] = 0;
    e->mode = INFER__MODE_PLAN;
    st = infer__exec_begin(s, e, 0, NULL);
    if (!st) st = infer__exec_run(s, e);
    for (i = 0; i < g->n_values; i++)
        if (e->tmp[i]) { infer__free(&s->a, e->tmp[i]); e->tmp[i] = NULL; }
    infer__dyn_reset(s);
    if (st) return st;
    blocks = (infer__block *)infer__alloc(&s->a, sizeof(infer__block) * (size_t)(g->n_values + g->n_nodes + 1));
    order = (int *)infer__alloc(&s->a, sizeof(int) * (size_t)(g->n_values + g->n_nodes + 1) * 2);
    if (!blocks || !order) {
        infer__free(&s->a, blocks);
        infer__free(&s->a, order);
        return infer__sess_fail(s, INFER_STATUS_OUT_OF_MEMORY, "out of memory planning the arena");
    }
    bidx = order + g->n_values + g->n_nodes + 1;
    for (i = 0; i < g->n_values; i++) {
        const infer__value *v = &g->values[i];
        if (v->producer < 0 || e->alias[i] != -1 || !e->need[i]) continue;
        blocks[nb].size = (e->need[i] + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN;
        blocks[nb].start = v->producer;
        blocks[nb].end = e->end[i] > v->producer ? e->end[i] : v->producer;
        bidx[nb++] = i;
    }
    for (i = 0; i < g->n_nodes; i++) {
        if (!e->scratch_need[i]) continue;
        blocks[nb].size = e->scratch_need[i];
        blocks[nb].start = blocks[nb].end = i;
        bidx[nb++] = -1 - i;
    }
    total = infer__plan_blocks(blocks, nb, order);
    for (i = 0; i < nb; i++) {
        if (bidx[i] >= 0) e->off[bidx[i]] = blocks[i].off;
        else e->scratch_off[-1 - bidx[i]] = blocks[i].off;
    }
    infer__free(&s->a, blocks);
    infer__free(&s->a, order);
    if (s->opts.max_memory && total > s->opts.max_memory)
        return infer__sess_fail(s, INFER_STATUS_LIMIT_EXCEEDED, "the plan needs %lu bytes, above max_memory", (unsigned long)total);
    if (s->opts.arena) {
        if (total > s->opts.arena_size)
            return infer__sess_fail(s, INFER_STATUS_LIMIT_EXCEEDED, "caller's arena has %lu bytes, the plan needs %lu",
                                    (unsigned long)s->opts.arena_size, (unsigned long)total);
        s->arena = (uint8_t *)(((uintptr_t)s->opts.arena + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN);
        if ((size_t)(s->arena - (uint8_t *)s->opts.arena) + total > s->opts.arena_size) s->arena = (uint8_t *)s->opts.arena;
        s->arena_size = total;
    } else if (total > s->arena_size || !s->arena) {
        if (s->arena_owned) infer__free(&s->a, s->arena);
        s->arena = NULL;
        s->arena_owned = 0;
        s->arena_size = 0;
        {
            void *raw = infer__alloc(&s->a, total + INFER__ALIGN);
            if (!raw) return infer__sess_fail(s, INFER_STATUS_OUT_OF_MEMORY, "out of memory: arena of %lu bytes", (unsigned long)total);
            s->arena = (uint8_t *)raw;
            s->arena_owned = 1;
            s->arena_size = total;
        }
    }
    s->planned = 1;
    for (i = 0; i < s->m->n_inputs; i++) s->plan_shapes[i] = s->bound[i].t;
    return INFER_STATUS_OK;
}

/* Base of the owned arena, aligned */
static uint8_t *infer__arena_base(infer_session *s) {
    if (!s->arena_owned) return s->arena;
    return (uint8_t *)(((uintptr_t)s->arena + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN);
}

/* ============================================================================================== */
/* >>kernels-control: If, Loop, Scan (subgraphs run through infer__run_subgraph)                  */
/* ============================================================================================== */
static infer_status infer__run_subgraph(infer__kctx *c, const infer__graph *g, int n_in, infer__rval *const *inputs,
                                        infer__rval ***outputs);

/* Copies a run-time value into output i of the node (tensor, sequence or optional). */
static infer_status infer__k_copy_out(infer__kctx *c, int i, const infer__rval *v) {
    if (v->kind == INFER__KIND_TENSOR) {
        void *p = infer__k_output(c, i, v->t.dtype, v->t.rank, v->t.dims);
        if (!p) return INFER_STATUS_OUT_OF_MEMORY;
        if (infer__tensor_bytes(&v->t)) memcpy(p, v->t.data, infer__tensor_bytes(&v->t));
        return INFER_STATUS_OK;
    }
    if (v->kind == INFER__KIND_SEQUENCE || (v->kind == INFER__KIND_OPTIONAL && v->present && v->elem_kind == INFER__KIND_SEQUENCE)) {
        int k;
        infer_status st = infer__k_output_seq(c, i, v->count);
        if (st) return st;
        for (k = 0; k < v->count; k++) {
            void *p = infer__k_item(c, i, k, v->items[k].dtype, v->items[k].rank, v->items[k].dims);
            if (!p) return INFER_STATUS_OUT_OF_MEMORY;
            if (infer__tensor_bytes(&v->items[k])) memcpy(p, v->items[k].data, infer__tensor_bytes(&v->items[k]));
        }
        c->vout[i]->elem_dtype = v->elem_dtype;
        if (v->kind == INFER__KIND_OPTIONAL) {
            c->vout[i]->kind = INFER__KIND_OPTIONAL;
            c->vout[i]->present = 1;
            c->vout[i]->elem_kind = INFER__KIND_SEQUENCE;
        }
        return INFER_STATUS_OK;
    }
    {
        infer_status st = infer__k_output_opt(c, i, v->present, v->elem_dtype ? v->elem_dtype : v->t.dtype);
        if (st || !v->present) return st;
        {
            void *p = infer__k_item(c, i, 0, v->t.dtype, v->t.rank, v->t.dims);
            if (!p) return INFER_STATUS_OUT_OF_MEMORY;
            if (infer__tensor_bytes(&v->t)) memcpy(p, v->t.data, infer__tensor_bytes(&v->t));
        }
        return INFER_STATUS_OK;
    }
}

static const infer__graph *infer__k_graph(const infer__kctx *c, const char *name) {
    const infer__attr *a = infer__attr_find(c->node, name);
    return a && a->type == INFER__ATTR_GRAPH && a->n == 1 ? a->graphs[0] : NULL;
}

static infer_status infer__k_if(infer__kctx *c) {
    const infer__graph *g;
    infer__rval **res;
    infer_status st;
    int i;
    if (!c->in[0] || infer__numel(c->in[0]) < 1) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "condition must be a tensor with one element");
    g = infer__k_graph(c, infer__get_f64(c->in[0], 0) != 0 ? "then_branch" : "else_branch");
    if (!g) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing branch graph");
    if (g->n_outputs != c->n_out) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "branch has %d outputs, node has %d", g->n_outputs, c->n_out);
    st = infer__run_subgraph(c, g, 0, NULL, &res);
    if (st) return st;
    for (i = 0; i < c->n_out; i++) {
        st = infer__k_copy_out(c, i, res[i]);
        if (st) return st;
    }
    return INFER_STATUS_OK;
}

/* Loop: inputs M, cond, v_initial...; body (iter, cond, v...) -> (cond, v..., scan_outputs...) */
static infer_status infer__k_loop(infer__kctx *c) {
    const infer__graph *g = infer__k_graph(c, "body");
    int n_state = c->n_in - 2, n_scan, i, k;
    int64_t max_trip = INT64_MAX, it, n_iter = 0;
    int cond = 1;
    infer__rval it_v, cond_v, **state = NULL, **ins, **res = NULL;
    int64_t it_data;
    uint8_t cond_data;
    infer__rval *scan_first = NULL;
    infer_status st;
    if (!g) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing body graph");
    n_scan = g->n_outputs - 1 - n_state;
    if (n_state < 0 || n_scan < 0 || g->n_inputs != 2 + n_state || c->n_out != n_state + n_scan)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "body has %d inputs / %d outputs for %d loop-carried values",
                             g->n_inputs, g->n_outputs, n_state);
    if (INFER__IN(c, 0) && infer__numel(c->in[0]) > 0) max_trip = infer__get_i64(c->in[0], 0);
    if (INFER__IN(c, 1) && infer__numel(c->in[1]) > 0) cond = infer__get_f64(c->in[1], 0) != 0;
    ins = (infer__rval **)infer__k_scratch(c, sizeof(infer__rval *) * (size_t)(2 + n_state) + sizeof(infer__rval) * (size_t)(n_state ? n_state : 1));
    if (!ins) return INFER_STATUS_OUT_OF_MEMORY;
    state = (infer__rval **)infer__k_scratch(c, sizeof(infer__rval *) * (size_t)(n_state + 1));
    if (!state) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n_state; i++) state[i] = c->vin[2 + i];
    memset(&it_v, 0, sizeof it_v);
    memset(&cond_v, 0, sizeof cond_v);
    it_v.t.dtype = INFER_DTYPE_INT64; it_v.t.rank = 0; it_v.t.data = &it_data;
    cond_v.t.dtype = INFER_DTYPE_BOOL; cond_v.t.rank = 0; cond_v.t.data = &cond_data;
    /* scan outputs are stacked: keep every iteration's result (subgraph values live until the next run) */
    {
        infer__rval ***hist = NULL;
        int64_t cap = 0;
        for (it = 0; it < max_trip && cond; it++) {
            it_data = it;
            cond_data = (uint8_t)cond;
            ins[0] = &it_v;
            ins[1] = &cond_v;
            for (i = 0; i < n_state; i++) ins[2 + i] = state[i];
            st = infer__run_subgraph(c, g, 2 + n_state, ins, &res);
            if (st) return st;
            if (!res[0]->t.data || infer__numel(&res[0]->t) < 1) return infer__k_fail(c, INFER_STATUS_RUNTIME_ERROR, "body condition output is empty");
            cond = infer__get_f64(&res[0]->t, 0) != 0;
            for (i = 0; i < n_state; i++) state[i] = res[1 + i];
            if (n_scan) {
                if (n_iter >= cap) {
                    infer__rval ***nh;
                    cap = cap ? cap * 2 : 16;
                    nh = (infer__rval ***)infer__k_scratch(c, sizeof(void *) * (size_t)cap);
                    if (!nh) return INFER_STATUS_OUT_OF_MEMORY;
                    if (n_iter) memcpy(nh, hist, sizeof(void *) * (size_t)n_iter);
                    hist = nh;
                }
                hist[n_iter] = res;
            }
            n_iter++;
            if (n_iter > 100000000) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "more than 1e8 iterations");
        }
        for (i = 0; i < n_state; i++) {
            st = infer__k_copy_out(c, i, state[i]);
            if (st) return st;
        }
        for (k = 0; k < n_scan; k++) {
            int64_t dims[INFER_MAX_RANK];
            const infer_tensor *t0;
            size_t bytes;
            uint8_t *p;
            int r;
            if (n_iter == 0) {
                const infer__typeinfo *ti = &g->values[g->outputs[1 + n_state + k]].type;
                int64_t z = 0;
                if (!infer__k_output(c, n_state + k, ti->dtype ? ti->dtype : INFER_DTYPE_FLOAT, 1, &z)) return INFER_STATUS_OUT_OF_MEMORY;
                continue;
            }
            t0 = &hist[0][1 + n_state + k]->t;
            if (t0->rank + 1 > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "scan output rank too large");
            dims[0] = n_iter;
            for (r = 0; r < t0->rank; r++) dims[r + 1] = t0->dims[r];
            bytes = infer__tensor_bytes(t0);
            p = (uint8_t *)infer__k_output(c, n_state + k, t0->dtype, t0->rank + 1, dims);
            if (!p) return INFER_STATUS_OUT_OF_MEMORY;
            for (it = 0; it < n_iter; it++) {
                const infer_tensor *ti = &hist[it][1 + n_state + k]->t;
                if (ti->rank != t0->rank || ti->dtype != t0->dtype || infer__tensor_bytes(ti) != bytes)
                    return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scan output %d changes shape between iterations", k);
                if (bytes) memcpy(p + (size_t)it * bytes, ti->data, bytes);
            }
        }
    }
    (void)scan_first;
    return INFER_STATUS_OK;
}

/* Scan (opset 9+; opset 8 has a batch axis and sequence_lens). */
static infer_status infer__k_scan(infer__kctx *c) {
    const infer__graph *g = infer__k_graph(c, "body");
    int n_scan_in = (int)infer__k_attr_i(c, "num_scan_inputs", 0), first = c->node->opset < 9 ? 1 : 0;
    int n_state, n_scan_out, i, k;
    const int64_t *in_axes = NULL, *in_dirs = NULL, *out_axes = NULL, *out_dirs = NULL;
    int n_in_axes, n_in_dirs, n_out_axes, n_out_dirs;
    int64_t T = -1, t, b, B = 1;
    infer__rval **ins, *slices, **res = NULL, **state;
    infer_status st;
    if (!g) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing body graph");
    n_state = c->n_in - first - n_scan_in;
    n_scan_out = c->n_out - n_state;
    if (n_state < 0 || n_scan_out < 0 || g->n_inputs != n_state + n_scan_in || g->n_outputs != c->n_out)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "body signature does not match the node");
    n_in_axes = infer__k_attr_ints(c, "scan_input_axes", &in_axes);
    n_in_dirs = infer__k_attr_ints(c, first ? "directions" : "scan_input_directions", &in_dirs);
    n_out_axes = infer__k_attr_ints(c, "scan_output_axes", &out_axes);
    n_out_dirs = infer__k_attr_ints(c, "scan_output_directions", &out_dirs);
    if (first) B = c->in[n_state + first] ? c->in[n_state + first]->dims[0] : 1;
    for (i = 0; i < n_scan_in; i++) {
        const infer_tensor *x = c->in[first + n_state + i];
        int ax = first ? 1 : (i < n_in_axes ? infer__axis(in_axes[i], x ? x->rank : 0) : 0);
        if (!x || ax < 0 || x->rank < 1 + first) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad scan input %d", i);
        if (T < 0) T = x->dims[ax];
        else if (T != x->dims[ax]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scan inputs differ in length");
    }
    if (T < 0) T = 0;
    ins = (infer__rval **)infer__k_scratch(c, sizeof(void *) * (size_t)(n_state + n_scan_in + 1));
    slices = (infer__rval *)infer__k_scratch(c, sizeof(infer__rval) * (size_t)(n_state + n_scan_in + 1));
    state = (infer__rval **)infer__k_scratch(c, sizeof(void *) * (size_t)(n_state + 1));
    if (!ins || !slices || !state) return INFER_STATUS_OUT_OF_MEMORY;
    for (b = 0; b < B; b++) {
        infer__rval ***hist = (infer__rval ***)infer__k_scratch(c, sizeof(void *) * (size_t)(T + 1));
        if (!hist) return INFER_STATUS_OUT_OF_MEMORY;
        for (i = 0; i < n_state; i++) {
            infer__rval *sv = &slices[n_scan_in + i];
            memset(sv, 0, sizeof *sv);
            sv->t = *c->in[first + i];
            if (first) { /* batch slice of the state */
                int r;
                size_t bytes;
                sv->t.rank--;
                for (r = 0; r < sv->t.rank; r++) sv->t.dims[r] = c->in[first + i]->dims[r + 1];
                bytes = infer__tensor_bytes(&sv->t);
                sv->t.data = (uint8_t *)c->in[first + i]->data + (size_t)b * bytes;
            }
            state[i] = sv;
        }
        for (t = 0; t < T; t++) {
            for (i = 0; i < n_scan_in; i++) {
                const infer_tensor *x = c->in[first + n_state + i];
                int ax = first ? 1 : (i < n_in_axes ? infer__axis(in_axes[i], x->rank) : 0), r, q;
                int rev = i < n_in_dirs && in_dirs[i] == 1;
                int64_t tt = rev ? T - 1 - t : t, outer = 1, inner = 1;
                size_t esz = infer__dtype_size(x->dtype);
                infer__rval *sv = &slices[i];
                uint8_t *dst;
                memset(sv, 0, sizeof *sv);
                sv->t.dtype = x->dtype;
                sv->t.rank = x->rank - 1 - first;
                for (r = first, q = 0; r < x->rank; r++) if (r != ax) sv->t.dims[q++] = x->dims[r];
                for (r = first; r < ax; r++) outer *= x->dims[r];
                for (r = ax + 1; r < x->rank; r++) inner *= x->dims[r];
                dst = (uint8_t *)infer__k_scratch(c, (size_t)(outer * inner) * esz + 1);
                if (!dst) return INFER_STATUS_OUT_OF_MEMORY;
                for (q = 0; q < outer; q++)
                    memcpy(dst + (size_t)(q * inner) * esz,
                           (const uint8_t *)x->data + ((size_t)b * (size_t)(outer * T * inner) + (size_t)((q * T + tt) * inner)) * esz,
                           (size_t)inner * esz);
                sv->t.data = dst;
                ins[n_state + i] = sv;
            }
            for (i = 0; i < n_state; i++) ins[i] = state[i];
            st = infer__run_subgraph(c, g, n_state + n_scan_in, ins, &res);
            if (st) return st;
            for (i = 0; i < n_state; i++) state[i] = res[i];
            hist[t] = res;
        }
        /* outputs (batch b) */
        for (i = 0; i < n_state; i++) {
            const infer_tensor *s = &state[i]->t;
            if (!first) { st = infer__k_copy_out(c, i, state[i]); if (st) return st; }
            else {
                int64_t dims[INFER_MAX_RANK];
                int r;
                uint8_t *p;
                dims[0] = B;
                for (r = 0; r < s->rank; r++) dims[r + 1] = s->dims[r];
                p = (uint8_t *)(b == 0 ? infer__k_output(c, i, s->dtype, s->rank + 1, dims) : c->out[i]->data);
                if (!p) return INFER_STATUS_OUT_OF_MEMORY;
                memcpy(p + (size_t)b * infer__tensor_bytes(s), s->data, infer__tensor_bytes(s));
            }
        }
        for (k = 0; k < n_scan_out; k++) {
            const infer_tensor *t0;
            int64_t dims[INFER_MAX_RANK], outer = 1, inner = 1, q;
            int ax, r, rev = k < n_out_dirs && out_dirs[k] == 1;
            size_t esz;
            uint8_t *p;
            if (T == 0) {
                const infer__typeinfo *ti = &g->values[g->outputs[n_state + k]].type;
                int64_t z[2] = {0, 0};
                if (!infer__k_output(c, n_state + k, ti->dtype ? ti->dtype : INFER_DTYPE_FLOAT, 1 + first, z)) return INFER_STATUS_OUT_OF_MEMORY;
                continue;
            }
            t0 = &hist[0][n_state + k]->t;
            ax = k < n_out_axes ? (int)(out_axes[k] < 0 ? out_axes[k] + t0->rank + 1 : out_axes[k]) : 0;
            if (first) ax = 0;
            if (ax < 0 || ax > t0->rank || t0->rank + 1 + first > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad scan_output_axes");
            for (r = 0, q = 0; r <= t0->rank; r++) dims[r] = r == ax ? T : t0->dims[q++];
            for (r = 0; r < ax; r++) outer *= t0->dims[r];
            for (r = ax; r < t0->rank; r++) inner *= t0->dims[r];
            esz = infer__dtype_size(t0->dtype);
            if (first) {
                int64_t d2[INFER_MAX_RANK];
                d2[0] = B;
                for (r = 0; r <= t0->rank; r++) d2[r + 1] = dims[r];
                p = (uint8_t *)(b == 0 ? infer__k_output(c, n_state + k, t0->dtype, t0->rank + 2, d2) : c->out[n_state + k]->data);
                if (!p) return INFER_STATUS_OUT_OF_MEMORY;
                p += (size_t)b * (size_t)(T * outer * inner) * esz;
            } else {
                p = (uint8_t *)infer__k_output(c, n_state + k, t0->dtype, t0->rank + 1, dims);
                if (!p) return INFER_STATUS_OUT_OF_MEMORY;
            }
            for (t = 0; t < T; t++) {
                const infer_tensor *ti = &hist[t][n_state + k]->t;
                int64_t tt = rev ? T - 1 - t : t;
                if (infer__numel(ti) != outer * inner || ti->dtype != t0->dtype)
                    return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "scan output %d changes shape", k);
                for (q = 0; q < outer; q++)
                    memcpy(p + (size_t)((q * T + tt) * inner) * esz, (const uint8_t *)ti->data + (size_t)(q * inner) * esz, (size_t)inner * esz);
            }
        }
    }
    return INFER_STATUS_OK;
}


/* ---- sequences and optionals ---------------------------------------------------------------- */
static char *infer__k_string_alloc(infer__kctx *c, size_t len) {
    char *p = (char *)infer__dyn_alloc((infer_session *)c->sess, len + 1);
    if (!p) infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    return p;
}

/* Input i as a sequence (also an optional holding one); NULL with an error otherwise. */
static const infer__rval *infer__k_seq_in(infer__kctx *c, int i) {
    const infer__rval *v = i < c->n_in ? c->vin[i] : NULL;
    if (v && (v->kind == INFER__KIND_SEQUENCE || (v->kind == INFER__KIND_OPTIONAL && v->present && v->elem_kind == INFER__KIND_SEQUENCE))) return v;
    infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input %d must be a sequence", i);
    return NULL;
}

static infer_status infer__k_seq_item_copy(infer__kctx *c, int out, int item, const infer_tensor *t) {
    void *p = infer__k_item(c, out, item, t->dtype, t->rank, t->dims);
    size_t n = infer__tensor_bytes(t);
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    if (n) memcpy(p, t->data, n);
    return INFER_STATUS_OK;
}

static infer_status infer__k_sequence_empty(infer__kctx *c) {
    infer_status st = infer__k_output_seq(c, 0, 0);
    c->vout[0]->elem_dtype = (int)infer__k_attr_i(c, "dtype", INFER_DTYPE_FLOAT);
    return st;
}

static infer_status infer__k_sequence_construct(infer__kctx *c) {
    int i;
    infer_status st = infer__k_output_seq(c, 0, c->n_in);
    for (i = 0; i < c->n_in && !st; i++) {
        if (!c->in[i]) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "input %d is not a tensor", i);
        if (c->in[i]->dtype != c->in[0]->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs differ in type");
        st = infer__k_seq_item_copy(c, 0, i, c->in[i]);
    }
    if (c->n_in) c->vout[0]->elem_dtype = c->in[0]->dtype;
    return st;
}

/* Position input (optional) normalised into [0, n] (insert) or [0, n) (others). */
static int infer__k_seq_pos(infer__kctx *c, int i, int n, int def, int insert, int *pos) {
    int64_t p = def;
    if (INFER__IN(c, i)) {
        if (infer__numel(c->in[i]) != 1) { infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "position must be a scalar"); return 0; }
        p = infer__get_i64(c->in[i], 0);
        if (p < 0) p += n;
    }
    if (p < 0 || p > n || (!insert && p == n)) { infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "position %lld out of range for %d items", (long long)p, n); return 0; }
    *pos = (int)p;
    return 1;
}

static infer_status infer__k_sequence_insert(infer__kctx *c) {
    const infer__rval *s = infer__k_seq_in(c, 0);
    int pos, i, k = 0;
    infer_status st;
    if (!s) return INFER_STATUS_TYPE_MISMATCH;
    if (!c->in[1]) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "tensor input missing");
    if (!infer__k_seq_pos(c, 2, s->count, s->count, 1, &pos)) return INFER_STATUS_INVALID_ARGUMENT;
    st = infer__k_output_seq(c, 0, s->count + 1);
    for (i = 0; i <= s->count && !st; i++) {
        if (i == pos) st = infer__k_seq_item_copy(c, 0, i, c->in[1]);
        else st = infer__k_seq_item_copy(c, 0, i, &s->items[k++]);
    }
    c->vout[0]->elem_dtype = c->in[1]->dtype;
    return st;
}

static infer_status infer__k_sequence_erase(infer__kctx *c) {
    const infer__rval *s = infer__k_seq_in(c, 0);
    int pos, i, k = 0;
    infer_status st;
    if (!s) return INFER_STATUS_TYPE_MISMATCH;
    if (!infer__k_seq_pos(c, 1, s->count, s->count - 1, 0, &pos)) return INFER_STATUS_INVALID_ARGUMENT;
    st = infer__k_output_seq(c, 0, s->count - 1);
    for (i = 0; i < s->count && !st; i++)
        if (i != pos) st = infer__k_seq_item_copy(c, 0, k++, &s->items[i]);
    c->vout[0]->elem_dtype = s->elem_dtype;
    return st;
}

static infer_status infer__k_sequence_at(infer__kctx *c) {
    const infer__rval *s = infer__k_seq_in(c, 0);
    int pos;
    const infer_tensor *t;
    void *p;
    if (!s) return INFER_STATUS_TYPE_MISMATCH;
    if (!INFER__IN(c, 1)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "position missing");
    if (!infer__k_seq_pos(c, 1, s->count, 0, 0, &pos)) return INFER_STATUS_INVALID_ARGUMENT;
    t = &s->items[pos];
    p = infer__k_output(c, 0, t->dtype, t->rank, t->dims);
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__tensor_bytes(t)) memcpy(p, t->data, infer__tensor_bytes(t));
    return INFER_STATUS_OK;
}

static infer_status infer__k_sequence_length(infer__kctx *c) {
    const infer__rval *s = infer__k_seq_in(c, 0);
    int64_t *p;
    if (!s) return INFER_STATUS_TYPE_MISMATCH;
    p = (int64_t *)infer__k_output(c, 0, INFER_DTYPE_INT64, 0, NULL);
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    *p = s->count;
    return INFER_STATUS_OK;
}

/* Copies the slab [start, start + len) along axis of x into out item (keeping the axis if keep). */
static infer_status infer__k_slab_item(infer__kctx *c, int item, const infer_tensor *x, int axis, int64_t start, int64_t len, int keep) {
    int64_t dims[INFER_MAX_RANK] = {0}, outer = 1, inner = 1, q;
    int r, k = 0;
    size_t esz = infer__dtype_size(x->dtype);
    uint8_t *p;
    for (r = 0; r < x->rank; r++) {
        if (r == axis) { if (keep) dims[k++] = len; }
        else dims[k++] = x->dims[r];
    }
    for (r = 0; r < axis; r++) outer *= x->dims[r];
    for (r = axis + 1; r < x->rank; r++) inner *= x->dims[r];
    p = (uint8_t *)infer__k_item(c, 0, item, x->dtype, k, dims);
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    for (q = 0; q < outer; q++)
        memcpy(p + (size_t)(q * len * inner) * esz, (const uint8_t *)x->data + (size_t)((q * x->dims[axis] + start) * inner) * esz, (size_t)(len * inner) * esz);
    return INFER_STATUS_OK;
}

static infer_status infer__k_split_to_sequence(infer__kctx *c) {
    const infer_tensor *x = c->in[0], *sp = INFER__IN(c, 1);
    int axis, keep = (int)infer__k_attr_i(c, "keepdims", 1), n, i;
    int64_t D, start = 0;
    infer_status st;
    if (!x) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "input missing");
    axis = infer__axis(infer__k_attr_i(c, "axis", 0), x->rank);
    if (axis < 0 || x->rank < 1) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range");
    D = x->dims[axis];
    if (!sp) {
        n = (int)D;
        st = infer__k_output_seq(c, 0, n);
        for (i = 0; i < n && !st; i++) st = infer__k_slab_item(c, i, x, axis, i, 1, keep);
    } else if (sp->rank == 0) {
        int64_t chunk = infer__get_i64(sp, 0);
        if (chunk <= 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "split must be positive");
        n = (int)((D + chunk - 1) / chunk);
        st = infer__k_output_seq(c, 0, n);
        for (i = 0; i < n && !st; i++, start += chunk) st = infer__k_slab_item(c, i, x, axis, start, start + chunk > D ? D - start : chunk, 1);
    } else {
        int64_t total = 0;
        n = (int)infer__numel(sp);
        for (i = 0; i < n; i++) {
            int64_t v = infer__get_i64(sp, i);
            if (v < 0) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "negative split");
            total += v;
        }
        if (total != D) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "split sums to %lld, axis has %lld", (long long)total, (long long)D);
        st = infer__k_output_seq(c, 0, n);
        for (i = 0; i < n && !st; i++) {
            int64_t len = infer__get_i64(sp, i);
            st = infer__k_slab_item(c, i, x, axis, start, len, 1);
            start += len;
        }
    }
    c->vout[0]->elem_dtype = x->dtype;
    return st;
}

static infer_status infer__k_concat_from_sequence(infer__kctx *c) {
    const infer__rval *s = infer__k_seq_in(c, 0);
    int new_axis = (int)infer__k_attr_i(c, "new_axis", 0), axis, r, i;
    int64_t dims[INFER_MAX_RANK], total = 0, outer = 1, inner, off = 0, q;
    const infer_tensor *t0;
    size_t esz;
    uint8_t *p;
    if (!s) return INFER_STATUS_TYPE_MISMATCH;
    if (s->count < 1) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "empty sequence");
    t0 = &s->items[0];
    axis = infer__axis(infer__k_attr_i(c, "axis", 0), t0->rank + (new_axis ? 1 : 0));
    if (axis < 0 || t0->rank + 1 > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "axis out of range");
    for (i = 0; i < s->count; i++) {
        const infer_tensor *t = &s->items[i];
        if (t->rank != t0->rank || t->dtype != t0->dtype) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "items differ in rank or type");
        for (r = 0; r < t->rank; r++)
            if ((new_axis || r != axis) && t->dims[r] != t0->dims[r]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "items differ in shape");
        total += new_axis ? 1 : t->dims[axis];
    }
    for (r = 0, q = 0; r < t0->rank + (new_axis ? 1 : 0); r++) {
        if (r == axis) { dims[r] = total; if (!new_axis) q++; }
        else dims[r] = t0->dims[q++];
    }
    for (r = 0; r < axis; r++) outer *= dims[r];
    esz = infer__dtype_size(t0->dtype);
    p = (uint8_t *)infer__k_output(c, 0, t0->dtype, t0->rank + (new_axis ? 1 : 0), dims);
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    inner = 1;
    for (r = axis + 1; r < t0->rank + (new_axis ? 1 : 0); r++) inner *= dims[r];
    for (i = 0; i < s->count; i++) {
        const infer_tensor *t = &s->items[i];
        int64_t len = new_axis ? 1 : t->dims[axis];
        for (q = 0; q < outer; q++)
            memcpy(p + (size_t)((q * total + off) * inner) * esz, (const uint8_t *)t->data + (size_t)(q * len * inner) * esz, (size_t)(len * inner) * esz);
        off += len;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_sequence_map(infer__kctx *c) {
    const infer__graph *g = infer__k_graph(c, "body");
    const infer__rval *s0 = infer__k_seq_in(c, 0);
    infer__rval **ins, *tmp, **res;
    int n, i, j, k;
    infer_status st;
    if (!g || !s0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "needs a sequence input and a body");
    n = s0->count;
    if (g->n_inputs != c->n_in || g->n_outputs != c->n_out) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "body signature does not match");
    ins = (infer__rval **)infer__k_scratch(c, sizeof(void *) * (size_t)c->n_in);
    tmp = (infer__rval *)infer__k_scratch(c, sizeof(infer__rval) * (size_t)c->n_in);
    if (!ins || !tmp) return INFER_STATUS_OUT_OF_MEMORY;
    for (j = 0; j < c->n_out; j++) {
        st = infer__k_output_seq(c, j, n);
        if (st) return st;
    }
    for (k = 0; k < n; k++) {
        for (i = 0; i < c->n_in; i++) {
            const infer__rval *v = c->vin[i];
            memset(&tmp[i], 0, sizeof tmp[i]);
            tmp[i].kind = INFER__KIND_TENSOR;
            if (v && v->kind == INFER__KIND_SEQUENCE) {
                if (v->count != n) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "sequences differ in length");
                tmp[i].t = v->items[k];
            } else if (v) tmp[i].t = v->t;
            ins[i] = &tmp[i];
        }
        st = infer__run_subgraph(c, g, c->n_in, ins, &res);
        if (st) return st;
        for (j = 0; j < c->n_out; j++) {
            st = infer__k_seq_item_copy(c, j, k, &res[j]->t);
            if (st) return st;
            c->vout[j]->elem_dtype = res[j]->t.dtype;
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_optional(infer__kctx *c) {
    const infer__rval *v = INFER__IN(c, 0) || (c->n_in > 0 && c->vin[0]) ? c->vin[0] : NULL;
    const infer__attr *ta = infer__attr_find(c->node, "type");
    int dt = ta && ta->type == INFER__ATTR_TYPE_PROTO && ta->n > 0 ? ta->types[0].dtype : 0;
    if (!v) {
        infer_status st = infer__k_output_opt(c, 0, 0, dt);
        if (ta && ta->n > 0 && ta->types[0].kind == INFER__KIND_SEQUENCE) c->vout[0]->elem_kind = INFER__KIND_SEQUENCE;
        return st;
    }
    if (v->kind == INFER__KIND_SEQUENCE) {
        infer__rval w = *v;
        w.kind = INFER__KIND_OPTIONAL;
        w.present = 1;
        w.elem_kind = INFER__KIND_SEQUENCE;
        return infer__k_copy_out(c, 0, &w);
    } else {
        infer__rval w = *v;
        w.kind = INFER__KIND_OPTIONAL;
        w.present = 1;
        w.elem_kind = INFER__KIND_TENSOR;
        w.elem_dtype = v->t.dtype;
        return infer__k_copy_out(c, 0, &w);
    }
}

static infer_status infer__k_optional_has_element(infer__kctx *c) {
    const infer__rval *v = c->n_in > 0 ? c->vin[0] : NULL;
    uint8_t *p = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_BOOL, 0, NULL);
    if (!p) return INFER_STATUS_OUT_OF_MEMORY;
    *p = v && (v->kind != INFER__KIND_OPTIONAL || v->present);
    return INFER_STATUS_OK;
}

static infer_status infer__k_optional_get_element(infer__kctx *c) {
    const infer__rval *v = c->n_in > 0 ? c->vin[0] : NULL;
    infer__rval w;
    if (!v) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "input missing");
    if (v->kind == INFER__KIND_OPTIONAL && !v->present) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "the optional is empty");
    w = *v;
    if (v->kind == INFER__KIND_OPTIONAL) w.kind = v->elem_kind;
    return infer__k_copy_out(c, 0, &w);
}

static const infer__op infer__ops_control[] = {
    {"", "If", 1, 1000, infer__k_if},
    {"", "SequenceEmpty", 11, 1000, infer__k_sequence_empty},
    {"", "SequenceConstruct", 11, 1000, infer__k_sequence_construct},
    {"", "SequenceInsert", 11, 1000, infer__k_sequence_insert},
    {"", "SequenceErase", 11, 1000, infer__k_sequence_erase},
    {"", "SequenceAt", 11, 1000, infer__k_sequence_at},
    {"", "SequenceLength", 11, 1000, infer__k_sequence_length},
    {"", "SplitToSequence", 11, 1000, infer__k_split_to_sequence},
    {"", "ConcatFromSequence", 11, 1000, infer__k_concat_from_sequence},
    {"", "SequenceMap", 17, 1000, infer__k_sequence_map},
    {"", "Optional", 15, 1000, infer__k_optional},
    {"", "OptionalHasElement", 15, 1000, infer__k_optional_has_element},
    {"", "OptionalGetElement", 15, 1000, infer__k_optional_get_element},
    {"", "Loop", 1, 1000, infer__k_loop},
    {"", "Scan", 8, 1000, infer__k_scan},
    {NULL, NULL, 0, 0, NULL}
};

/* ============================================================================================== */
/* >>registry: (domain, op_type, opset) -> kernel                                                 */
/* ============================================================================================== */
static const infer__op *const infer__op_tables[] = {
    infer__ops_control, infer__ops_elementwise, infer__ops_reduce, infer__ops_movement, infer__ops_nn, infer__ops_rnn, infer__ops_misc, infer__ops_attention
};

static const infer__op *infer__registry_find(const char *domain, const char *op_type, int opset) {
    size_t t;
    for (t = 0; t < sizeof infer__op_tables / sizeof infer__op_tables[0]; t++) {
        const infer__op *op;
        for (op = infer__op_tables[t]; op->op_type; op++)
            if (strcmp(op->op_type, op_type) == 0 && strcmp(op->domain, domain) == 0 && opset >= op->since && opset <= op->until)
                return op;
    }
    return NULL;
}

/* Chooses kernels for every node of g and its subgraphs; lists every missing (domain, op, opset). */
static void infer__bind_kernels(infer_model *m, infer__graph *g, char *missing, size_t cap, int *n_missing) {
    int i, a, q;
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *n = &g->nodes[i];
        if (n->opset <= 0) n->opset = (int)infer__opset_of(m->opsets, m->n_opsets, n->domain);
        if (n->opset <= 0 && n->domain[0] == 0) n->opset = 1;
        n->op = infer__registry_find(n->domain, n->op_type, n->opset);
        if (!n->op) {
            char one[256];
            size_t len = strlen(missing);
            snprintf(one, sizeof one, "%s%s:%s:%d", *n_missing ? ", " : "", n->domain[0] ? n->domain : "ai.onnx", n->op_type, n->opset);
            if (!strstr(missing, one + (*n_missing ? 2 : 0))) {
                if (len + strlen(one) + 1 < cap) memcpy(missing + len, one, strlen(one) + 1);
                (*n_missing)++;
            }
        }
        for (a = 0; a < n->n_attr; a++)
            if (n->attrs[a].type == INFER__ATTR_GRAPH || n->attrs[a].type == INFER__ATTR_GRAPHS)
                for (q = 0; q < n->attrs[a].n; q++) infer__bind_kernels(m, n->attrs[a].graphs[q], missing, cap, n_missing);
    }
}

static infer_status infer__optimize(infer_model *m, infer_error *err);

static infer_status infer__load_model(infer_model *m, const uint8_t *buf, size_t size, infer_error *err) {
    infer__loader L;
    infer__pb r;
    uint32_t f; int w;
    const uint8_t *graph_p = NULL;
    size_t graph_n = 0;
    int k_op = 0, k_meta = 0, k_fn = 0, i;
    infer__rawgraph rg;
    infer_status st;
    memset(&L, 0, sizeof L);
    L.pool = &m->pool;
    L.opts = &m->opts;
    L.err = err;
    L.model = m;
    L.file = buf;
    r.base = buf; r.p = buf; r.end = buf + size; r.err = 0; r.err_off = 0;
    while (infer__pb_next(&r, &f, &w)) {
        if (f == 1 && w == INFER__PB_VARINT) m->ir_version = (int64_t)infer__pb_varint(&r);
        else if (f == 8 && w == INFER__PB_LEN) { m->n_opsets++; infer__pb_skip(&r, w); }
        else if (f == 14 && w == INFER__PB_LEN) { m->n_meta++; infer__pb_skip(&r, w); }
        else if (f == 25 && w == INFER__PB_LEN) { m->n_funcs++; infer__pb_skip(&r, w); }
        else if (f == 7 && w == INFER__PB_LEN) graph_p = infer__pb_bytes(&r, &graph_n);
        else infer__pb_skip(&r, w);
    }
    if (r.err) return infer__load_fail(&L, &r, INFER_STATUS_PARSE_ERROR, "ModelProto");
    if (!graph_p) return infer__load_fail(&L, NULL, INFER_STATUS_INVALID_MODEL, "ModelProto has no graph");
    m->opsets = (infer__opset *)infer__pool_zalloc(&m->pool, (size_t)m->n_opsets + 1, sizeof(infer__opset));
    m->meta_keys = (const char **)infer__pool_zalloc(&m->pool, (size_t)m->n_meta + 1, sizeof(char *));
    m->meta_values = (const char **)infer__pool_zalloc(&m->pool, (size_t)m->n_meta + 1, sizeof(char *));
    m->funcs = (infer__func *)infer__pool_zalloc(&m->pool, (size_t)m->n_funcs + 1, sizeof(infer__func));
    if (m->pool.oom) return infer__load_fail(&L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    r.p = buf; r.end = buf + size;
    while (infer__pb_next(&r, &f, &w)) {
        infer__pb s;
        uint32_t f2; int w2;
        if (w != INFER__PB_LEN || (f != 8 && f != 14 && f != 25)) { infer__pb_skip(&r, w); continue; }
        s = infer__pb_sub(&r);
        if (f == 8) {
            m->opsets[k_op].domain = "";
            while (infer__pb_next(&s, &f2, &w2)) {
                if (f2 == 1 && w2 == INFER__PB_LEN) m->opsets[k_op].domain = infer__pb_str(&s, &m->pool);
                else if (f2 == 2 && w2 == INFER__PB_VARINT) m->opsets[k_op].version = (int64_t)infer__pb_varint(&s);
                else infer__pb_skip(&s, w2);
            }
            if (!m->opsets[k_op].domain) m->opsets[k_op].domain = "";
            k_op++;
        } else if (f == 14) {
            while (infer__pb_next(&s, &f2, &w2)) {
                if (f2 == 1 && w2 == INFER__PB_LEN) m->meta_keys[k_meta] = infer__pb_str(&s, &m->pool);
                else if (f2 == 2 && w2 == INFER__PB_LEN) m->meta_values[k_meta] = infer__pb_str(&s, &m->pool);
                else infer__pb_skip(&s, w2);
            }
            k_meta++;
        } else {
            st = infer__read_function(&s, &L, &m->funcs[k_fn++]);
            if (st) return st;
        }
        infer__pb_join(&r, &s);
    }
    if (r.err) return infer__load_fail(&L, &r, INFER_STATUS_PARSE_ERROR, "ModelProto");
    if (infer__opset_of(m->opsets, m->n_opsets, "") < 0 && m->n_opsets == 0) {
        /* very old files have no opset_import: opset 1 */
        m->opsets = (infer__opset *)infer__pool_zalloc(&m->pool, 1, sizeof(infer__opset));
        if (!m->opsets) return infer__load_fail(&L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        m->opsets[0].domain = "";
        m->opsets[0].version = 1;
        m->n_opsets = 1;
    }
    r.p = graph_p; r.end = graph_p + graph_n;
    st = infer__read_rawgraph(&r, &L, &rg);
    if (st) return st;
    st = infer__build_graph(&L, &rg, NULL, &m->graph);
    if (st) return st;
    {
        char missing[400];
        int n_missing = 0;
        missing[0] = 0;
        infer__bind_kernels(m, m->graph, missing, sizeof missing, &n_missing);
        if (n_missing) {
            infer__errorf(err, INFER_STATUS_UNSUPPORTED, "%d unsupported operator%s (domain:op:opset): %s", n_missing, n_missing > 1 ? "s" : "", missing);
            return INFER_STATUS_UNSUPPORTED;
        }
    }
    /* the caller's inputs: graph inputs without an initializer */
    m->inputs = (int *)infer__pool_zalloc(&m->pool, (size_t)m->graph->n_inputs + 1, sizeof(int));
    if (!m->inputs) return infer__load_fail(&L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < m->graph->n_inputs; i++) {
        int v = m->graph->inputs[i];
        if (!m->graph->values[v].init) m->inputs[m->n_inputs++] = v;
    }
    /* graph rewrites */
    m->nodes_before_opt = m->graph->n_nodes;
    st = infer__optimize(m, err);
    if (st) return infer__load_fail(&L, NULL, st, "optimizer failed");
    /* op histogram */
    m->optypes = (const char **)infer__pool_zalloc(&m->pool, (size_t)m->graph->n_nodes + 1, sizeof(char *));
    m->optype_counts = (int *)infer__pool_zalloc(&m->pool, (size_t)m->graph->n_nodes + 1, sizeof(int));
    if (m->pool.oom) return infer__load_fail(&L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < m->graph->n_nodes; i++) {
        int j;
        for (j = 0; j < m->n_optypes; j++) if (strcmp(m->optypes[j], m->graph->nodes[i].op_type) == 0) break;
        if (j == m->n_optypes) m->optypes[m->n_optypes++] = m->graph->nodes[i].op_type;
        m->optype_counts[j]++;
    }
    return INFER_STATUS_OK;
}

/* ============================================================================================== */
/* >>public: the API functions                                                                    */
/* ============================================================================================== */
INFER_API const char *infer_status_string(infer_status status) {
    static const char *const names[] = {
#define INFER__X(name, str) str,
        INFER__STATUS_LIST(INFER__X)
#undef INFER__X
    };
    if ((int)status < 0 || (int)status >= (int)INFER_STATUS_COUNT_) return "unknown status";
    return names[status];
}

INFER_API const char *infer_dtype_name(int dtype) {
    static const char *const names[] = {"undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64",
                                        "string", "bool", "float16", "double", "uint32", "uint64", "complex64",
                                        "complex128", "bfloat16", "float8e4m3fn", "float8e4m3fnuz", "float8e5m2",
                                        "float8e5m2fnuz", "uint4", "int4", "float4e2m1", "float8e8m0", "uint2", "int2"};
    if (dtype < 0 || dtype >= (int)(sizeof names / sizeof names[0])) return "unknown";
    return names[dtype];
}

INFER_API size_t infer_dtype_size(int dtype) { return infer__dtype_size(dtype); }
INFER_API int64_t infer_tensor_count(const infer_tensor *t) { return infer__numel(t); }

INFER_API void infer_tensor_init(infer_tensor *t, int dtype, int rank, const int64_t *dims, void *data) {
    int i;
    memset(t, 0, sizeof *t);
    t->dtype = dtype;
    t->rank = rank < 0 ? 0 : rank > INFER_MAX_RANK ? INFER_MAX_RANK : rank;
    for (i = 0; i < t->rank; i++) t->dims[i] = dims[i];
    t->data = data;
}

static infer_status infer__model_new(const infer_options *opts, infer_model **out, infer_error *err) {
    infer_allocator a;
    infer_model *m;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    m = (infer_model *)infer__alloc(&a, sizeof *m);
    if (!m) { infer__errorf(err, INFER_STATUS_OUT_OF_MEMORY, "out of memory"); return INFER_STATUS_OUT_OF_MEMORY; }
    memset(m, 0, sizeof *m);
    if (opts) m->opts = *opts;
    m->pool.a = a;
    *out = m;
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_model_load_memory(const void *data, size_t size, const infer_options *opts,
                                               infer_model **out, infer_error *err) {
    infer_model *m;
    infer_status st;
    if (err) { err->status = INFER_STATUS_OK; err->message[0] = 0; }
    if (!out || (!data && size)) { infer__errorf(err, INFER_STATUS_INVALID_ARGUMENT, "NULL argument"); return INFER_STATUS_INVALID_ARGUMENT; }
    *out = NULL;
    if (size > (opts && opts->max_model_bytes ? opts->max_model_bytes : ((size_t)1 << 32) - 1) + 0) {
        infer__errorf(err, INFER_STATUS_LIMIT_EXCEEDED, "model of %lu bytes is above max_model_bytes", (unsigned long)size);
        return INFER_STATUS_LIMIT_EXCEEDED;
    }
    st = infer__model_new(opts, &m, err);
    if (st) return st;
    if (opts && opts->max_model_bytes) m->pool.limit = opts->max_model_bytes * 4 + ((size_t)64 << 20);
    st = infer__load_model(m, (const uint8_t *)data, size, err);
    if (st) {
        if (err && err->status == INFER_STATUS_OK) infer__errorf(err, st, "%s", infer_status_string(st));
        infer_model_destroy(m);
        return st;
    }
    *out = m;
    return INFER_STATUS_OK;
}

#ifndef INFER_NO_STDIO
INFER_API infer_status infer_model_load_file(const char *path, const infer_options *opts, infer_model **out, infer_error *err) {
    FILE *fp;
    long size;
    uint8_t *buf;
    infer_model *m;
    infer_status st;
    infer_allocator a;
    size_t limit = opts && opts->max_model_bytes ? opts->max_model_bytes : ((size_t)1 << 32) - 1;
    if (err) { err->status = INFER_STATUS_OK; err->message[0] = 0; }
    if (!path || !out) { infer__errorf(err, INFER_STATUS_INVALID_ARGUMENT, "NULL argument"); return INFER_STATUS_INVALID_ARGUMENT; }
    *out = NULL;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    fp = fopen(path, "rb");
    if (!fp) { infer__errorf(err, INFER_STATUS_IO_ERROR, "cannot open '%s'", path); return INFER_STATUS_IO_ERROR; }
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        infer__errorf(err, INFER_STATUS_IO_ERROR, "cannot read '%s'", path);
        return INFER_STATUS_IO_ERROR;
    }
    if ((unsigned long)size > limit) {
        fclose(fp);
        infer__errorf(err, INFER_STATUS_LIMIT_EXCEEDED, "'%s' has %ld bytes, above max_model_bytes", path, size);
        return INFER_STATUS_LIMIT_EXCEEDED;
    }
    buf = (uint8_t *)infer__alloc(&a, (size_t)size + 1);
    if (!buf) { fclose(fp); infer__errorf(err, INFER_STATUS_OUT_OF_MEMORY, "out of memory"); return INFER_STATUS_OUT_OF_MEMORY; }
    if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        fclose(fp);
        infer__free(&a, buf);
        infer__errorf(err, INFER_STATUS_IO_ERROR, "cannot read '%s'", path);
        return INFER_STATUS_IO_ERROR;
    }
    fclose(fp);
    st = infer__model_new(opts, &m, err);
    if (st) { infer__free(&a, buf); return st; }
    {   /* directory of the file, for external data */
        const char *slash = strrchr(path, '/');
        size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
        m->dir = dl ? infer__pool_strndup(&m->pool, path, dl) : "";
        if (!m->dir) st = INFER_STATUS_OUT_OF_MEMORY;
    }
    if (!st) st = infer__load_model(m, buf, (size_t)size, err);
    infer__free(&a, buf);
    if (st) {
        if (err && err->status == INFER_STATUS_OK) infer__errorf(err, st, "%s", infer_status_string(st));
        infer_model_destroy(m);
        return st;
    }
    *out = m;
    return INFER_STATUS_OK;
}
#else
INFER_API infer_status infer_model_load_file(const char *path, const infer_options *opts, infer_model **out, infer_error *err) {
    (void)path; (void)opts; (void)out;
    infer__errorf(err, INFER_STATUS_UNSUPPORTED, "built with INFER_NO_STDIO");
    return INFER_STATUS_UNSUPPORTED;
}
#endif

INFER_API void infer_model_destroy(infer_model *m) {
    infer_allocator a;
    if (!m) return;
    a = m->pool.a;
    infer__pool_free(&m->pool);
    infer__free(&a, m);
}

INFER_API int infer_model_input_count(const infer_model *m) { return m ? m->n_inputs : 0; }
INFER_API int infer_model_output_count(const infer_model *m) { return m ? m->graph->n_outputs : 0; }
INFER_API const char *infer_model_input_name(const infer_model *m, int i) {
    return m && i >= 0 && i < m->n_inputs ? m->graph->values[m->inputs[i]].name : NULL;
}
INFER_API const char *infer_model_output_name(const infer_model *m, int i) {
    return m && i >= 0 && i < m->graph->n_outputs ? m->graph->values[m->graph->outputs[i]].name : NULL;
}

static void infer__typeinfo_to_tensor(const infer__typeinfo *ti, infer_tensor *t, int *kind) {
    const infer__typeinfo *e = ti;
    int i;
    if (kind) *kind = ti->kind;
    while (e->elem && e->kind != INFER__KIND_TENSOR) e = e->elem;
    memset(t, 0, sizeof *t);
    t->dtype = e->dtype;
    t->rank = e->rank > INFER_MAX_RANK ? INFER_MAX_RANK : e->rank;
    for (i = 0; i < t->rank; i++) t->dims[i] = e->dims[i];
}

INFER_API infer_status infer_model_input_info(const infer_model *m, int i, infer_tensor *info, int *kind) {
    if (!m || !info || i < 0 || i >= m->n_inputs) return INFER_STATUS_INVALID_ARGUMENT;
    infer__typeinfo_to_tensor(&m->graph->values[m->inputs[i]].type, info, kind);
    return INFER_STATUS_OK;
}
INFER_API infer_status infer_model_output_info(const infer_model *m, int i, infer_tensor *info, int *kind) {
    if (!m || !info || i < 0 || i >= m->graph->n_outputs) return INFER_STATUS_INVALID_ARGUMENT;
    infer__typeinfo_to_tensor(&m->graph->values[m->graph->outputs[i]].type, info, kind);
    return INFER_STATUS_OK;
}

INFER_API void infer_model_get_stats(const infer_model *m, infer_model_stats *st) {
    int i;
    memset(st, 0, sizeof *st);
    if (!m) return;
    st->ir_version = m->ir_version;
    st->opset = infer__opset_of(m->opsets, m->n_opsets, "");
    st->node_count = m->graph->n_nodes;
    for (i = 0; i < m->graph->n_values; i++) {
        const infer_tensor *t = m->graph->values[i].init;
        if (!t) continue;
        st->initializer_count++;
        st->param_count += infer__numel(t);
        st->param_bytes += infer__tensor_bytes(t);
    }
}
INFER_API int infer_model_op_count(const infer_model *m) { return m ? m->n_optypes : 0; }
INFER_API const char *infer_model_op_type(const infer_model *m, int i, int *count) {
    if (!m || i < 0 || i >= m->n_optypes) return NULL;
    if (count) *count = m->optype_counts[i];
    return m->optypes[i];
}

INFER_API infer_status infer_session_create(const infer_model *m, const infer_options *opts, infer_session **out, infer_error *err) {
    infer_session *s;
    infer_allocator a;
    infer_status st;
    size_t ni;
    if (err) { err->status = INFER_STATUS_OK; err->message[0] = 0; }
    if (!m || !out) { infer__errorf(err, INFER_STATUS_INVALID_ARGUMENT, "NULL argument"); return INFER_STATUS_INVALID_ARGUMENT; }
    *out = NULL;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    s = (infer_session *)infer__alloc(&a, sizeof *s);
    if (!s) { infer__errorf(err, INFER_STATUS_OUT_OF_MEMORY, "out of memory"); return INFER_STATUS_OUT_OF_MEMORY; }
    memset(s, 0, sizeof *s);
    s->m = m;
    s->a = a;
    if (opts) s->opts = *opts;
    s->nthreads = s->opts.num_threads > 0 ? s->opts.num_threads : 1;
#if INFER__HAS_OPENMP
    if (s->opts.num_threads <= 0) s->nthreads = omp_get_max_threads();
#endif
    ni = (size_t)m->n_inputs + 1;
    s->bound = (infer__rval *)infer__alloc(&a, ni * sizeof(infer__rval));
    s->bound_set = (int *)infer__alloc(&a, ni * sizeof(int));
    s->plan_shapes = (infer_tensor *)infer__alloc(&a, ni * sizeof(infer_tensor));
    st = s->bound && s->bound_set && s->plan_shapes ? infer__exec_alloc(s, &s->top, m->graph, 0) : INFER_STATUS_OUT_OF_MEMORY;
    if (st) {
        infer_session_destroy(s);
        infer__errorf(err, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        return INFER_STATUS_OUT_OF_MEMORY;
    }
    memset(s->bound, 0, ni * sizeof(infer__rval));
    memset(s->bound_set, 0, ni * sizeof(int));
    memset(s->plan_shapes, 0, ni * sizeof(infer_tensor));
    *out = s;
    return INFER_STATUS_OK;
}

INFER_API void infer_session_destroy(infer_session *s) {
    if (!s) return;
    infer__dyn_reset(s);
    infer__free(&s->a, s->dyn);
    infer__free(&s->a, s->bound);
    infer__free(&s->a, s->bound_set);
    infer__free(&s->a, s->plan_shapes);
    infer__free(&s->a, s->top.vals);
    if (s->arena_owned) infer__free(&s->a, s->arena);
    infer__free(&s->a, s);
}

INFER_API int infer_session_find_input(const infer_session *s, const char *name) {
    int i;
    if (!s || !name) return -1;
    for (i = 0; i < s->m->n_inputs; i++)
        if (strcmp(s->m->graph->values[s->m->inputs[i]].name, name) == 0) return i;
    return -1;
}

static int infer__same_shape(const infer_tensor *a, const infer_tensor *b) {
    return a->dtype == b->dtype && a->rank == b->rank && memcmp(a->dims, b->dims, sizeof(int64_t) * (size_t)a->rank) == 0;
}

INFER_API infer_status infer_session_set_input(infer_session *s, int index, const infer_tensor *t) {
    const infer__value *v;
    int i;
    if (!s) return INFER_STATUS_INVALID_ARGUMENT;
    if (index < 0 || index >= s->m->n_inputs || !t)
        return infer__sess_fail(s, INFER_STATUS_INVALID_ARGUMENT, "input index %d out of range (model has %d inputs)", index, s->m->n_inputs);
    v = &s->m->graph->values[s->m->inputs[index]];
    if (t->rank < 0 || t->rank > INFER_MAX_RANK || !infer__dtype_size(t->dtype) || infer__count_checked(t->rank, t->dims) < 0 ||
        (!t->data && infer__numel(t) > 0))
        return infer__sess_fail(s, INFER_STATUS_INVALID_ARGUMENT, "input '%s': invalid tensor", v->name);
    if (v->type.kind != INFER__KIND_TENSOR && v->type.kind != INFER__KIND_OPTIONAL)
        return infer__sess_fail(s, INFER_STATUS_TYPE_MISMATCH, "input '%s' is a sequence: use infer_session_set_input_items", v->name);
    if (v->type.kind == INFER__KIND_TENSOR && v->type.dtype && v->type.dtype != t->dtype)
        return infer__sess_fail(s, INFER_STATUS_TYPE_MISMATCH, "input '%s' is %s, got %s", v->name, infer_dtype_name(v->type.dtype), infer_dtype_name(t->dtype));
    if (v->type.kind == INFER__KIND_TENSOR && v->type.rank >= 0) {
        if (v->type.rank != t->rank)
            return infer__sess_fail(s, INFER_STATUS_SHAPE_MISMATCH, "input '%s' has rank %d, got %d", v->name, v->type.rank, t->rank);
        for (i = 0; i < t->rank; i++)
            if (v->type.dims[i] >= 0 && !v->type.dim_params[i] && v->type.dims[i] != t->dims[i])
                return infer__sess_fail(s, INFER_STATUS_SHAPE_MISMATCH, "input '%s' dim %d is %lld, got %lld", v->name, i,
                                        (long long)v->type.dims[i], (long long)t->dims[i]);
    }
    memset(&s->bound[index], 0, sizeof s->bound[index]);
    s->bound[index].t = *t;
    if (v->type.kind == INFER__KIND_OPTIONAL) {
        s->bound[index].kind = INFER__KIND_OPTIONAL;
        s->bound[index].present = 1;
        s->bound[index].elem_kind = INFER__KIND_TENSOR;
    }
    s->bound_set[index] = 1;
    if (!infer__same_shape(t, &s->plan_shapes[index])) s->planned = 0;
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_session_set_input_items(infer_session *s, int index, int kind, int count, const infer_tensor *items) {
    infer__rval *rv;
    const infer__value *v;
    if (!s) return INFER_STATUS_INVALID_ARGUMENT;
    if (index < 0 || index >= s->m->n_inputs || count < 0 || (count && !items) || (kind != INFER__KIND_SEQUENCE && kind != INFER__KIND_OPTIONAL))
        return infer__sess_fail(s, INFER_STATUS_INVALID_ARGUMENT, "infer_session_set_input_items: bad arguments");
    v = &s->m->graph->values[s->m->inputs[index]];
    rv = &s->bound[index];
    memset(rv, 0, sizeof *rv);
    rv->elem_dtype = v->type.dtype;
    if (kind == INFER__KIND_OPTIONAL) {
        rv->kind = INFER__KIND_OPTIONAL;
        rv->present = count > 0;
        if (v->type.elem && v->type.elem->kind == INFER__KIND_SEQUENCE) {
            rv->elem_kind = INFER__KIND_SEQUENCE;
            rv->count = count;
            rv->items = (infer_tensor *)items;
        } else {
            rv->elem_kind = INFER__KIND_TENSOR;
            if (count) rv->t = items[0];
        }
    } else {
        rv->kind = INFER__KIND_SEQUENCE;
        rv->present = 1;
        rv->count = count;
        rv->items = (infer_tensor *)items;
    }
    s->bound_set[index] = 1;
    s->planned = 0; /* sequences have no static plan */
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_session_prepare(infer_session *s) {
    int i;
    infer_status st;
    if (!s) return INFER_STATUS_INVALID_ARGUMENT;
    for (i = 0; i < s->m->n_inputs; i++)
        if (!s->bound_set[i])
            return infer__sess_fail(s, INFER_STATUS_INVALID_ARGUMENT, "input %d '%s' is not bound", i, s->m->graph->values[s->m->inputs[i]].name);
    infer__dyn_reset(s);
    st = infer__plan(s);
    if (st) { s->planned = 0; return st; }
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_session_run(infer_session *s) {
    infer_status st;
    int i;
    uint8_t *base;
    if (!s) return INFER_STATUS_INVALID_ARGUMENT;
    for (i = 0; i < s->m->n_inputs && s->planned; i++)
        if (s->bound[i].kind != INFER__KIND_TENSOR || !infer__same_shape(&s->bound[i].t, &s->plan_shapes[i])) s->planned = 0;
    if (!s->planned) {
        st = infer_session_prepare(s);
        if (st) return st;
    }
    if (s->n_dyn) infer__dyn_reset(s);
    base = s->arena;
    s->arena = infer__arena_base(s);
    s->top.mode = INFER__MODE_RUN;
    st = infer__exec_begin(s, &s->top, 0, NULL);
    if (!st) st = infer__exec_run(s, &s->top);
    s->arena = base;
    s->top.mode = INFER__MODE_PLAN;
    return st;
}

static const infer__rval *infer__output_rval(infer_session *s, int index) {
    if (!s || index < 0 || index >= s->m->graph->n_outputs) return NULL;
    return &s->top.vals[s->m->graph->outputs[index]];
}

INFER_API infer_status infer_session_get_output(infer_session *s, int index, infer_tensor *t) {
    const infer__rval *rv = infer__output_rval(s, index);
    if (!rv || !t) return INFER_STATUS_INVALID_ARGUMENT;
    if (rv->kind == INFER__KIND_TENSOR || (rv->kind == INFER__KIND_OPTIONAL && rv->present && rv->elem_kind == INFER__KIND_TENSOR)) { *t = rv->t; return INFER_STATUS_OK; }
    if (rv->count > 0 && rv->items) { *t = rv->items[0]; return INFER_STATUS_OK; }
    return infer__sess_fail(s, INFER_STATUS_TYPE_MISMATCH, "output %d is not a tensor", index);
}

INFER_API infer_status infer_session_get_output_kind(infer_session *s, int index, int *kind, int *count) {
    const infer__rval *rv = infer__output_rval(s, index);
    if (!rv) return INFER_STATUS_INVALID_ARGUMENT;
    if (kind) *kind = rv->kind;
    if (count) {
        if (rv->kind == INFER__KIND_TENSOR) *count = 1;
        else if (rv->kind == INFER__KIND_OPTIONAL) *count = rv->present ? (rv->elem_kind == INFER__KIND_SEQUENCE ? rv->count : 1) : 0;
        else *count = rv->count;
    }
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_session_get_output_item(infer_session *s, int index, int item, infer_tensor *t) {
    const infer__rval *rv = infer__output_rval(s, index);
    if (!rv || !t) return INFER_STATUS_INVALID_ARGUMENT;
    if (rv->kind == INFER__KIND_TENSOR || (rv->kind == INFER__KIND_OPTIONAL && rv->elem_kind == INFER__KIND_TENSOR)) {
        if (item != 0 || (rv->kind == INFER__KIND_OPTIONAL && !rv->present)) return INFER_STATUS_INVALID_ARGUMENT;
        *t = rv->t;
        return INFER_STATUS_OK;
    }
    if (item < 0 || item >= rv->count) return INFER_STATUS_INVALID_ARGUMENT;
    *t = rv->items[item];
    return INFER_STATUS_OK;
}

INFER_API const char *infer_session_error(const infer_session *s) { return s ? s->err : "NULL session"; }
INFER_API size_t infer_session_arena_size(const infer_session *s) { return s && s->planned ? s->arena_size : 0; }

/* ---- .pb value files -------------------------------------------------------------------- */
typedef struct infer__valstore {
    infer__pool pool;
    infer_options opts;
} infer__valstore;

static infer_status infer__decode_value(infer__pb *r, infer__loader *L, infer_value *v, int kind, int depth) {
    uint32_t f; int w;
    infer__pb start = *r;
    int n = 0, k = 0;
    infer_status st;
    if (depth > 8) return infer__load_fail(L, NULL, INFER_STATUS_LIMIT_EXCEEDED, "nested too deep");
    if (kind == INFER__KIND_TENSOR) {
        const char *name = NULL;
        v->kind = 0;
        v->count = 1;
        v->items = (infer_tensor *)infer__pool_zalloc(L->pool, 1, sizeof(infer_tensor));
        if (!v->items) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
        st = infer__read_tensor(r, L, v->items, &name);
        v->name = (char *)name;
        return st;
    }
    /* SequenceProto (1 name, 2 elem_type, 3 tensor_values) / OptionalProto (1 name, 2 elem_type, 3 tensor_value, 5 sequence_value) */
    v->kind = kind;
    while (infer__pb_next(r, &f, &w)) {
        if (f == 3 && w == INFER__PB_LEN) n++;
        if (f == 1 && w == INFER__PB_LEN) { v->name = infer__pb_str(r, L->pool); continue; }
        if (f == 2 && w == INFER__PB_VARINT) { v->elem_kind = (int)infer__pb_varint(r); continue; }
        if (f == 5 && w == INFER__PB_LEN && kind == INFER__KIND_OPTIONAL) { /* optional(sequence) */
            infer__pb s = infer__pb_sub(r);
            infer_value inner;
            memset(&inner, 0, sizeof inner);
            st = infer__decode_value(&s, L, &inner, INFER__KIND_SEQUENCE, depth + 1);
            if (st) return st;
            v->count = inner.count;
            v->items = inner.items;
            v->elem_kind = 3;
            return INFER_STATUS_OK;
        }
        infer__pb_skip(r, w);
    }
    if (r->err) return infer__load_fail(L, r, INFER_STATUS_PARSE_ERROR, kind == INFER__KIND_SEQUENCE ? "SequenceProto" : "OptionalProto");
    v->items = (infer_tensor *)infer__pool_zalloc(L->pool, (size_t)n + 1, sizeof(infer_tensor));
    if (!v->items) return infer__load_fail(L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory");
    *r = start;
    while (infer__pb_next(r, &f, &w)) {
        if (f == 3 && w == INFER__PB_LEN) {
            infer__pb s = infer__pb_sub(r);
            st = infer__read_tensor(&s, L, &v->items[k++], NULL);
            if (st) return st;
        } else infer__pb_skip(r, w);
    }
    v->count = k;
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_value_decode(const void *data, size_t size, int kind_hint, infer_value *out,
                                          const infer_options *opts, infer_error *err) {
    infer__valstore *vs;
    infer_allocator a;
    infer__loader L;
    infer__pb r;
    infer_status st;
    if (err) { err->status = INFER_STATUS_OK; err->message[0] = 0; }
    if (!out || (!data && size)) return INFER_STATUS_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    vs = (infer__valstore *)infer__alloc(&a, sizeof *vs);
    if (!vs) { infer__errorf(err, INFER_STATUS_OUT_OF_MEMORY, "out of memory"); return INFER_STATUS_OUT_OF_MEMORY; }
    memset(vs, 0, sizeof *vs);
    vs->pool.a = a;
    memset(&L, 0, sizeof L);
    memset(&vs->opts, 0, sizeof vs->opts);
    if (opts) vs->opts = *opts;
    L.opts = &vs->opts;
    L.pool = &vs->pool;
    L.err = err;
    L.file = (const uint8_t *)data;
    r.base = r.p = (const uint8_t *)data;
    r.end = r.p + size;
    r.err = 0;
    r.err_off = 0;
    out->storage_ = vs;
    st = infer__decode_value(&r, &L, out, kind_hint < 0 ? 0 : kind_hint, 0);
    if (st) {
        if (err && err->status == INFER_STATUS_OK) infer__errorf(err, st, "%s", infer_status_string(st));
        infer_value_free(out, opts);
    }
    return st;
}

INFER_API void infer_value_free(infer_value *v, const infer_options *opts) {
    infer__valstore *vs;
    infer_allocator a;
    (void)opts;
    if (!v || !v->storage_) return;
    vs = (infer__valstore *)v->storage_;
    a = vs->pool.a;
    infer__pool_free(&vs->pool);
    infer__free(&a, vs);
    memset(v, 0, sizeof *v);
}

static void infer__encode_tensor(infer__pbw *w, const infer_tensor *t, const char *name) {
    int i;
    int64_t n = infer__numel(t);
    infer__pbw d;
    memset(&d, 0, sizeof d);
    d.a = w->a;
    for (i = 0; i < t->rank; i++) infer__pbw_varint(&d, (uint64_t)t->dims[i]);
    if (t->rank) infer__pbw_bytes(w, 1, d.buf, d.len);
    if (d.err) w->err = 1;
    infer__free(w->a, d.buf);
    infer__pbw_int(w, 2, t->dtype);
    if (name && *name) infer__pbw_bytes(w, 8, name, strlen(name));
    if (t->dtype == INFER_DTYPE_STRING) {
        int64_t k;
        for (k = 0; k < n; k++) {
            const char *s = ((char *const *)t->data)[k];
            infer__pbw_bytes(w, 6, s ? s : "", s ? strlen(s) : 0);
        }
    } else if (infer__is_packed_small(t->dtype)) {
        size_t nb = infer__packed_bytes(t->dtype, n), k;
        int bits = (t->dtype == INFER_DTYPE_UINT2 || t->dtype == INFER_DTYPE_INT2) ? 2 : 4, per = 8 / bits;
        infer__pbw_key(w, 9, INFER__PB_LEN);
        infer__pbw_varint(w, nb);
        for (k = 0; k < nb; k++) {
            uint8_t b = 0;
            int q;
            for (q = 0; q < per; q++) {
                int64_t idx = (int64_t)k * per + q;
                if (idx < n) b |= (uint8_t)((((const uint8_t *)t->data)[idx] & ((1 << bits) - 1)) << (q * bits));
            }
            infer__pbw_raw(w, &b, 1);
        }
    } else {
        infer__pbw_bytes(w, 9, t->data, infer__tensor_bytes(t));
    }
}

INFER_API infer_status infer_value_encode(const infer_value *v, void **out, size_t *out_size, const infer_options *opts) {
    infer__pbw w;
    infer_allocator a;
    int i;
    if (!v || !out || !out_size) return INFER_STATUS_INVALID_ARGUMENT;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    memset(&w, 0, sizeof w);
    w.a = &a;
    if (v->kind == 0) {
        if (v->count < 1 || !v->items) return INFER_STATUS_INVALID_ARGUMENT;
        infer__encode_tensor(&w, &v->items[0], v->name);
    } else {
        infer__pbw inner;
        if (v->name && *v->name) infer__pbw_bytes(&w, 1, v->name, strlen(v->name));
        if (v->kind == 1 || (v->kind == 2 && v->elem_kind == 3)) {
            memset(&inner, 0, sizeof inner);
            inner.a = &a;
            infer__pbw_int(v->kind == 1 ? &w : &inner, 2, 1);
            for (i = 0; i < v->count; i++) {
                infer__pbw t;
                memset(&t, 0, sizeof t);
                t.a = &a;
                infer__encode_tensor(&t, &v->items[i], NULL);
                infer__pbw_bytes(v->kind == 1 ? &w : &inner, 3, t.buf, t.len);
                if (t.err) w.err = 1;
                infer__free(&a, t.buf);
            }
            if (v->kind == 2) {
                infer__pbw_int(&w, 2, 3);
                infer__pbw_bytes(&w, 5, inner.buf ? (const void *)inner.buf : (const void *)"", inner.len);
                if (inner.err) w.err = 1;
                infer__free(&a, inner.buf);
            }
        } else { /* optional tensor */
            infer__pbw_int(&w, 2, 1);
            if (v->count > 0) {
                infer__pbw t;
                memset(&t, 0, sizeof t);
                t.a = &a;
                infer__encode_tensor(&t, &v->items[0], NULL);
                infer__pbw_bytes(&w, 3, t.buf, t.len);
                if (t.err) w.err = 1;
                infer__free(&a, t.buf);
            }
        }
    }
    if (w.err) { infer__free(&a, w.buf); return INFER_STATUS_OUT_OF_MEMORY; }
    if (!w.buf) { w.buf = (uint8_t *)infer__alloc(&a, 1); if (!w.buf) return INFER_STATUS_OUT_OF_MEMORY; }
    *out = w.buf;
    *out_size = w.len;
    return INFER_STATUS_OK;
}

INFER_API void infer_buffer_free(void *buf, const infer_options *opts) {
    infer_allocator a;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    infer__free(&a, buf);
}
