/* ============================================================================================== */
/* >>optimize: load-time graph rewrites: shape and constant folding, pruning, BatchNorm folding   */
/* ============================================================================================== */
/* The passes work on the loaded graph in place: a node is removed by marking it dead, a value is
   replaced by another through repl[] (applied to every node input at the end), a folded value gets
   an initializer. infer__opt_finish() compacts the node list and recomputes lifetimes. */

#define INFER__FOLD_MAX_BYTES ((size_t)64 << 20) /* no folded constant larger than this */

typedef struct infer__opt {
    infer_model *m;
    infer__graph *g;
    char *dead;                    /* per node */
    int *repl;                     /* per value: replacement value, or -1 */
    int *uses;                     /* per value: consumers (nodes, subgraph reads, graph outputs) */
    int folded, shape_folded, pruned, bn_folded, identities, fused, cse;
    infer_tensor *shapes;          /* per value: type and shape seen by the first probe (no data), or NULL */
} infer__opt;

static int infer__opt_is_const(const infer__opt *o, int v) { return v >= 0 && o->g->values[v].init != NULL; }

static int infer__opt_has_subgraph(const infer__node *n) {
    int a;
    for (a = 0; a < n->n_attr; a++)
        if (n->attrs[a].type == INFER__ATTR_GRAPH || n->attrs[a].type == INFER__ATTR_GRAPHS) return 1;
    return 0;
}

/* Ops whose outputs are not a pure function of their inputs, or that must stay in the graph. */
static int infer__opt_foldable(const infer__node *n) {
    static const char *const no[] = {"RandomUniform", "RandomNormal", "RandomUniformLike", "RandomNormalLike",
                                     "Multinomial", "Bernoulli", "Dropout", "If", "Loop", "Scan", "SequenceMap",
                                     "Optional", "OptionalHasElement", "OptionalGetElement", "SequenceEmpty",
                                     "SequenceConstruct", "SequenceInsert", "SequenceErase", "SequenceAt",
                                     "SequenceLength", "SplitToSequence", "ConcatFromSequence"};
    size_t i;
    if (n->domain[0]) return 0;
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(n->op_type, no[i]) == 0) return 0;
    return !infer__opt_has_subgraph(n);
}

static void infer__opt_count_uses(infer__opt *o) {
    infer__graph *g = o->g;
    int i, j;
    memset(o->uses, 0, sizeof(int) * (size_t)g->n_values);
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        if (o->dead[i]) continue;
        for (j = 0; j < n->n_in; j++) if (n->in[j] >= 0) o->uses[n->in[j]]++;
        for (j = 0; j < n->n_outer; j++) o->uses[n->outer[j]]++;
        if (n->post_add) o->uses[n->post_add - 1]++;
    }
    for (i = 0; i < g->n_outputs; i++) o->uses[g->outputs[i]]++;
}

/* Copies a computed tensor into the model's pool as the initializer of value v. */
static int infer__opt_set_const(infer__opt *o, int v, const infer_tensor *t) {
    infer_tensor *c = (infer_tensor *)infer__pool_zalloc(&o->m->pool, 1, sizeof *c);
    size_t bytes = infer__tensor_bytes(t);
    if (!c) return 0;
    *c = *t;
    c->data = infer__pool_alloc(&o->m->pool, bytes ? bytes : 1);
    if (!c->data) return 0;
    if (t->dtype == INFER_DTYPE_STRING) {
        int64_t k, n = infer__numel(t);
        for (k = 0; k < n; k++) {
            const char *s = ((char *const *)t->data)[k];
            ((char **)c->data)[k] = s ? infer__pool_strndup(&o->m->pool, s, strlen(s)) : NULL;
            if (s && !((char **)c->data)[k]) return 0;
        }
    } else if (bytes) memcpy(c->data, t->data, bytes);
    o->g->values[v].init = c;
    o->g->values[v].producer = -1;
    o->g->values[v].type.kind = INFER__KIND_TENSOR;
    o->g->values[v].type.dtype = c->dtype;
    o->g->values[v].type.rank = c->rank;
    memcpy(o->g->values[v].type.dims, c->dims, sizeof c->dims);
    return 1;
}

/* Runs node ni on its constant inputs and turns its outputs into initializers. 1 if folded. */
static int infer__opt_fold_node(infer__opt *o, int ni) {
    const infer__node *n = &o->g->nodes[ni];
    infer__graph fg;
    infer__value fv[33];
    int fin[16], fout[16], j, ok = 1;
    infer__node fn;
    infer_session s;
    infer__exec e, dummy;
    if (n->n_in > 16 || n->n_out > 16 || !n->op) return 0;
    memset(&fg, 0, sizeof fg);
    memset(fv, 0, sizeof fv);
    fn = *n;
    for (j = 0; j < n->n_in; j++) {
        fin[j] = n->in[j] < 0 ? -1 : j;
        if (n->in[j] >= 0) { fv[j].name = o->g->values[n->in[j]].name; fv[j].init = o->g->values[n->in[j]].init; fv[j].producer = -1; }
    }
    for (j = 0; j < n->n_out; j++) { fout[j] = 16 + j; fv[16 + j].name = o->g->values[n->out[j]].name; fv[16 + j].producer = 0; }
    fn.in = fin;
    fn.out = fout;
    fn.n_outer = 0;
    fg.nodes = &fn;
    fg.n_nodes = 1;
    fg.values = fv;
    fg.n_values = 16 + n->n_out;
    memset(&s, 0, sizeof s);
    s.a = o->m->pool.a;
    s.nthreads = 1;
    s.opts.max_memory = INFER__FOLD_MAX_BYTES;
    if (infer__exec_alloc(&s, &e, &fg, 1)) { infer__dyn_reset(&s); infer__free(&s.a, s.dyn); return 0; }
    memset(&dummy, 0, sizeof dummy);
    e.parent = &dummy;
    if (infer__exec_begin(&s, &e, 0, NULL) || infer__exec_run(&s, &e)) ok = 0;
    for (j = 0; ok && j < n->n_out; j++) {
        const infer__rval *rv = &e.vals[16 + j];
        if (rv->kind != INFER__KIND_TENSOR || infer__tensor_bytes(&rv->t) > INFER__FOLD_MAX_BYTES) ok = 0;
    }
    for (j = 0; ok && j < n->n_out; j++)
        if (!infer__opt_set_const(o, n->out[j], &e.vals[16 + j].t)) ok = 0;
    infer__dyn_reset(&s);
    infer__free(&s.a, s.dyn);
    return ok;
}

static void infer__opt_constant_fold(infer__opt *o) {
    infer__graph *g = o->g;
    int i, j;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int all = 1;
        if (o->dead[i] || !infer__opt_foldable(n)) continue;
        for (j = 0; j < n->n_in; j++) if (n->in[j] >= 0 && !infer__opt_is_const(o, n->in[j])) all = 0;
        for (j = 0; j < n->n_out; j++) if (g->values[n->out[j]].is_output) all = 0; /* keep nodes producing outputs */
        if (!all) continue;
        if (infer__opt_fold_node(o, i)) { o->dead[i] = 1; o->folded++; }
    }
}

/* ---- shape folding by probing ------------------------------------------------------------- */
/* A value is shape-derived when it comes from Shape/Size, or from a pure node whose inputs are all
   constant or shape-derived. Running the model twice with different symbolic dims and different
   random data, a shape-derived value that comes out the same both times is a constant. */
static uint64_t infer__opt_rand(uint64_t *st) {
    *st ^= *st << 13; *st ^= *st >> 7; *st ^= *st << 17;
    return *st;
}

static int infer__opt_probe(infer__opt *o, int probe, const char *derived, infer_tensor *snap, void **bufs) {
    const infer_model *m = o->m;
    infer_options opts;
    infer_session *s = NULL;
    infer_error err;
    int i, ok = 1;
    uint64_t rng = 0x9e3779b97f4a7c15ull + (uint64_t)probe * 7919;
    void **data = (void **)infer__alloc(&m->pool.a, sizeof(void *) * (size_t)(m->n_inputs + 1));
    if (!data) return 0;
    memset(data, 0, sizeof(void *) * (size_t)(m->n_inputs + 1));
    memset(&opts, 0, sizeof opts);
    opts.allocator = m->pool.a;
    opts.num_threads = 1;
    opts.max_memory = (size_t)1 << 31;
    if (infer_session_create(m, &opts, &s, &err)) ok = 0;
    else s->keep_values = 1;
    for (i = 0; ok && i < m->n_inputs; i++) {
        const infer__value *v = &m->graph->values[m->inputs[i]];
        infer_tensor t;
        int r;
        int64_t n, k;
        size_t esz;
        if (v->type.kind != INFER__KIND_TENSOR || v->type.rank < 0 || !v->type.dtype || v->type.dtype == INFER_DTYPE_STRING) { ok = 0; break; }
        memset(&t, 0, sizeof t);
        t.dtype = v->type.dtype;
        t.rank = v->type.rank;
        for (r = 0; r < t.rank; r++) t.dims[r] = v->type.dims[r] >= 0 && !v->type.dim_params[r] ? v->type.dims[r] : (probe ? 5 : 3);
        n = infer__count_checked(t.rank, t.dims);
        esz = infer__dtype_size(t.dtype);
        if (n < 0 || n > ((int64_t)1 << 26) || !esz) { ok = 0; break; }
        data[i] = infer__alloc(&m->pool.a, (size_t)n * esz + 8);
        if (!data[i]) { ok = 0; break; }
        t.data = data[i];
        for (k = 0; k < n; k++) {
            uint64_t r64 = infer__opt_rand(&rng);
            if (infer__is_float(t.dtype)) infer__set_f64(&t, k, (double)(r64 % 2001) / 1000.0 - 1.0);
            else infer__set_i64(&t, k, (int64_t)(r64 % 2));
        }
        if (infer_session_set_input(s, i, &t)) ok = 0;
    }
    if (ok && infer_session_run(s)) ok = 0;
    for (i = 0; ok && i < m->graph->n_values; i++) {
        const infer__rval *rv = &s->top.vals[i];
        size_t bytes;
        if (probe == 0 && o->shapes && rv->kind == INFER__KIND_TENSOR) { o->shapes[i] = rv->t; o->shapes[i].data = NULL; }
        if (!derived[i]) continue;
        if (rv->kind != INFER__KIND_TENSOR || !rv->t.dtype || rv->t.dtype == INFER_DTYPE_STRING) { snap[i].dtype = -1; continue; }
        bytes = infer__tensor_bytes(&rv->t);
        if (bytes > 4096) { snap[i].dtype = -1; continue; }
        snap[i] = rv->t;
        bufs[i] = infer__alloc(&m->pool.a, bytes + 8);
        if (!bufs[i]) { ok = 0; break; }
        if (bytes) memcpy(bufs[i], rv->t.data, bytes);
        snap[i].data = bufs[i];
    }
    infer_session_destroy(s);
    for (i = 0; i < m->n_inputs; i++) infer__free(&m->pool.a, data[i]);
    infer__free(&m->pool.a, data);
    return ok;
}


/* Ops whose output shape depends on the values (not only the shapes) of some inputs: the index of
   the first such input (every input from there on counts), or 0 when all inputs do. -1: none. */
static int infer__opt_shape_input(const infer__node *n) {
    static const char *const from1[] = {"Reshape", "Expand", "Tile", "Pad", "Slice", "Resize", "Upsample", "TopK",
                                        "Squeeze", "Unsqueeze", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin",
                                        "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
                                        "ReduceSumSquare", "OneHot", "Split", "CenterCropPad", "DFT", "STFT", "Col2Im",
                                        "MaxUnpool", "SplitToSequence", "GridSample"};
    static const char *const all[] = {"ConstantOfShape", "Range", "NonZero", "Unique", "Compress", "NonMaxSuppression",
                                      "If", "Loop", "Scan", "ConcatFromSequence", "SequenceAt", "StringSplit",
                                      "MelWeightMatrix", "HannWindow", "HammingWindow", "BlackmanWindow", "AffineGrid",
                                      "ImageDecoder", "RandomNormalLike", "RandomUniformLike", "Multinomial",
                                      "SequenceMap", "OptionalGetElement", "TfIdfVectorizer", "Bernoulli"};
    size_t i;
    if (n->domain[0]) return 0; /* other domains: assume the worst */
    for (i = 0; i < sizeof all / sizeof all[0]; i++) if (strcmp(n->op_type, all[i]) == 0) return 0;
    for (i = 0; i < sizeof from1 / sizeof from1[0]; i++) if (strcmp(n->op_type, from1[i]) == 0) return 1;
    return -1;
}

static void infer__opt_shape_fold(infer__opt *o) {
    infer__graph *g = o->g;
    const infer_model *m = o->m;
    int i, j, any = 0, symbolic = 0, nv = g->n_values;
    char *derived, *dyn = NULL;
    infer_tensor *snap[2];
    void **bufs[2];
    for (i = 0; i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].op_type, "Shape") == 0 || strcmp(g->nodes[i].op_type, "Size") == 0) any = 1;
    if (g->parent) return;
    if (!o->m->opts.standard_ops_only) {
        o->shapes = (infer_tensor *)infer__pool_zalloc(&o->m->pool, (size_t)nv + 1, sizeof(infer_tensor));
        if (!o->shapes) return;
    }
    for (i = 0; i < m->n_inputs; i++) {
        const infer__typeinfo *ti = &g->values[m->inputs[i]].type;
        for (j = 0; j < ti->rank; j++) if (ti->dims[j] < 0 || ti->dim_params[j]) symbolic = 1;
    }
    derived = (char *)infer__alloc(&m->pool.a, (size_t)nv + 1);
    snap[0] = (infer_tensor *)infer__alloc(&m->pool.a, sizeof(infer_tensor) * (size_t)nv * 2 + 1);
    bufs[0] = (void **)infer__alloc(&m->pool.a, sizeof(void *) * (size_t)nv * 2 + 1);
    if (!derived || !snap[0] || !bufs[0]) goto done;
    snap[1] = snap[0] + nv;
    bufs[1] = bufs[0] + nv;
    memset(derived, 0, (size_t)nv + 1);
    memset(snap[0], 0, sizeof(infer_tensor) * (size_t)nv * 2);
    memset(bufs[0], 0, sizeof(void *) * (size_t)nv * 2);
    /* dyn: the value's shape may depend on input data; such shapes are never folded */
    dyn = (char *)infer__alloc(&m->pool.a, (size_t)nv + 1);
    if (!dyn) goto done;
    memset(dyn, 0, (size_t)nv + 1);
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int first = infer__opt_shape_input(n), dd = 0;
        if (o->dead[i]) continue;
        for (j = 0; j < n->n_in; j++) {
            int v = n->in[j];
            if (v < 0) continue;
            if (dyn[v]) dd = 1;
            if (first >= 0 && j >= first && !infer__opt_is_const(o, v) && !derived[v]) dd = 1;
        }
        if (n->n_outer) dd = 1;
        for (j = 0; j < n->n_out; j++) dyn[n->out[j]] = (char)dd;
        /* derived: computed from shapes (of inputs whose shape is fixed by the graph) and constants only */
        {
            int d = 1, has_derived = 0;
            if (strcmp(n->op_type, "Shape") == 0 || strcmp(n->op_type, "Size") == 0) {
                d = has_derived = n->n_in > 0 && n->in[0] >= 0 && !dyn[n->in[0]];
            } else if (!infer__opt_foldable(n)) d = 0;
            else
                for (j = 0; j < n->n_in; j++) {
                    int v = n->in[j];
                    if (v < 0) continue;
                    if (derived[v]) has_derived = 1;
                    else if (!infer__opt_is_const(o, v)) d = 0;
                }
            if (d && has_derived)
                for (j = 0; j < n->n_out; j++) derived[n->out[j]] = 1;
        }
    }
    if (!infer__opt_probe(o, 0, derived, snap[0], bufs[0])) { o->shapes = NULL; goto done; }
    if (!any) goto done;
    if (symbolic && !infer__opt_probe(o, 1, derived, snap[1], bufs[1])) goto done;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int same = 1;
        if (o->dead[i] || !n->n_out || !derived[n->out[0]]) continue;
        for (j = 0; j < n->n_out && same; j++) {
            const infer_tensor *a = &snap[0][n->out[j]], *b = &snap[1][n->out[j]];
            if (a->dtype <= 0 || g->values[n->out[j]].is_output) same = 0;
            else if (symbolic && (!infer__same_shape(a, b) || memcmp(a->data, b->data, infer__tensor_bytes(a)) != 0)) same = 0;
        }
        if (!same) continue;
        for (j = 0; j < n->n_out; j++)
            if (!infer__opt_set_const(o, n->out[j], &snap[0][n->out[j]])) return;
        o->dead[i] = 1;
        o->shape_folded++;
    }
done:
    if (bufs[0]) for (i = 0; i < 2 * nv; i++) infer__free(&m->pool.a, bufs[0][i]);
    infer__free(&m->pool.a, derived);
    infer__free(&m->pool.a, dyn);
    infer__free(&m->pool.a, snap[0]);
    infer__free(&m->pool.a, bufs[0]);
}

/* Every reader of value `from` reads `to` instead (node input arrays are copied before writing:
   they may be shared with the file's copy). */
static void infer__opt_replace(infer__opt *o, int from, int to) {
    infer__graph *g = o->g;
    int i, j;
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *n = &g->nodes[i];
        int hit = 0;
        if (o->dead[i]) continue;
        for (j = 0; j < n->n_in; j++) hit |= n->in[j] == from;
        if (n->post_add == from + 1) n->post_add = to + 1;
        if (!hit) continue;
        {
            int *nin = (int *)infer__pool_zalloc(&o->m->pool, (size_t)n->n_in + 1, sizeof(int));
            if (!nin) { o->m->pool.oom = 1; return; }
            for (j = 0; j < n->n_in; j++) nin[j] = n->in[j] == from ? to : n->in[j];
            n->in = nin;
        }
    }
    o->repl[from] = to;
}

/* 1 if a subgraph of some node reads value v by name. */
static int infer__opt_outer_read(const infer__graph *g, int v) {
    int i, j;
    for (i = 0; i < g->n_nodes; i++)
        for (j = 0; j < g->nodes[i].n_outer; j++)
            if (g->nodes[i].outer[j] == v) return 1;
    return 0;
}

/* ---- pruning -------------------------------------------------------------------------------- */
/* Identity, inference Dropout and no-op Casts pass their input through: consumers read the input. */
static void infer__opt_passthrough(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int src, dst;
        if (o->dead[i] || n->n_in < 1 || n->in[0] < 0 || n->domain[0]) continue;
        src = n->in[0];
        dst = n->out[0];
        if (strcmp(n->op_type, "Identity") == 0) {}
        else if (strcmp(n->op_type, "Dropout") == 0) {
            if (n->n_out > 1 && o->uses[n->out[1]]) continue;           /* mask used */
            if (n->n_in > 2 && n->in[2] >= 0) {                           /* training_mode must be a constant false */
                const infer_tensor *t = g->values[n->in[2]].init;
                if (!t || infer__numel(t) != 1 || infer__get_f64(t, 0) != 0) continue;
            }
        } else if (strcmp(n->op_type, "Cast") == 0) {
            const infer__typeinfo *ti = &g->values[src].type;
            int to = (int)infer__k_attr_i_node(n, "to", -1);
            if (!ti->dtype || ti->dtype != to || !(g->values[src].init || g->values[src].is_input)) continue; /* type known for sure */
        } else continue;
        if (g->values[dst].is_output || infer__opt_outer_read(g, dst)) continue; /* names read by name must stay */
        o->dead[i] = 1;
        infer__opt_replace(o, dst, src);
        o->identities++;
    }
}

/* Nodes whose outputs nobody reads. */
static void infer__opt_dead_code(infer__opt *o) {
    infer__graph *g = o->g;
    int i, j, changed = 1;
    while (changed) {
        changed = 0;
        infer__opt_count_uses(o);
        for (i = g->n_nodes - 1; i >= 0; i--) {
            const infer__node *n = &g->nodes[i];
            int used = 0;
            if (o->dead[i]) continue;
            for (j = 0; j < n->n_out; j++) if (o->uses[n->out[j]]) used = 1;
            if (used) continue;
            o->dead[i] = 1;
            o->pruned++;
            changed = 1;
        }
    }
}

/* Conv (constant W, B) followed by BatchNormalization (constant parameters) -> one Conv. */
static void infer__opt_fold_bn(infer__opt *o) {
    infer__graph *g = o->g;
    int i, k;
    infer__opt_count_uses(o);
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *bn = &g->nodes[i], *cv;
        const infer_tensor *sc, *bi, *mu, *va, *w, *b;
        int x, c, p;
        int64_t C, per, q;
        float eps;
        infer_tensor nw, nb;
        float *wd, *bd;
        if (o->dead[i] || strcmp(bn->op_type, "BatchNormalization") || bn->domain[0] || bn->n_in < 5 || bn->n_out != 1) continue;
        if (infer__k_attr_i_node(bn, "training_mode", 0)) continue;
        x = bn->in[0];
        if (x < 0 || (p = g->values[x].producer) < 0 || o->dead[p] || o->uses[x] != 1 || g->values[x].is_output) continue;
        cv = &g->nodes[p];
        if (strcmp(cv->op_type, "Conv") || cv->domain[0] || cv->n_in < 2 || cv->n_out != 1) continue;
        for (k = 1; k < 5; k++) if (!infer__opt_is_const(o, bn->in[k])) break;
        if (k < 5 || !infer__opt_is_const(o, cv->in[1]) || (cv->n_in > 2 && cv->in[2] >= 0 && !infer__opt_is_const(o, cv->in[2]))) continue;
        sc = g->values[bn->in[1]].init; bi = g->values[bn->in[2]].init;
        mu = g->values[bn->in[3]].init; va = g->values[bn->in[4]].init;
        w = g->values[cv->in[1]].init;
        b = cv->n_in > 2 && cv->in[2] >= 0 ? g->values[cv->in[2]].init : NULL;
        if (w->dtype != INFER_DTYPE_FLOAT || w->rank < 3) continue;
        C = w->dims[0];
        if (sc->dtype != INFER_DTYPE_FLOAT || bi->dtype != INFER_DTYPE_FLOAT || mu->dtype != INFER_DTYPE_FLOAT || va->dtype != INFER_DTYPE_FLOAT ||
            infer__numel(sc) != C || infer__numel(bi) != C || infer__numel(mu) != C || infer__numel(va) != C || (b && (b->dtype != INFER_DTYPE_FLOAT || infer__numel(b) != C)))
            continue;
        eps = infer__k_attr_f_node(bn, "epsilon", 1e-5f);
        per = infer__numel(w) / (C ? C : 1);
        nw = *w;
        memset(&nb, 0, sizeof nb);
        nb.dtype = INFER_DTYPE_FLOAT;
        nb.rank = 1;
        nb.dims[0] = C;
        wd = (float *)infer__pool_alloc(&o->m->pool, (size_t)infer__numel(w) * sizeof(float) + 4);
        bd = (float *)infer__pool_alloc(&o->m->pool, (size_t)C * sizeof(float) + 4);
        if (!wd || !bd) return;
        for (c = 0; c < C; c++) {
            double s = ((const float *)sc->data)[c] / sqrt((double)((const float *)va->data)[c] + eps);
            for (q = 0; q < per; q++) wd[c * per + q] = (float)(((const float *)w->data)[c * per + q] * s);
            bd[c] = (float)(((b ? (double)((const float *)b->data)[c] : 0.0) - ((const float *)mu->data)[c]) * s + ((const float *)bi->data)[c]);
        }
        nw.data = wd;
        nb.data = bd;
        {   /* the Conv now writes the BatchNorm's output, with new weight and bias values */
            int *nin = (int *)infer__pool_zalloc(&o->m->pool, 4, sizeof(int));
            int vw = bn->in[1], vb = bn->in[2]; /* reuse the BN's scale / bias value slots for W and B */
            if (!nin) return;
            if (!infer__opt_set_const(o, vw, &nw) || !infer__opt_set_const(o, vb, &nb)) return;
            nin[0] = cv->in[0];
            nin[1] = vw;
            nin[2] = vb;
            cv->in = nin;
            cv->n_in = 3;
            cv->out = bn->out;
            o->dead[i] = 1;
            o->bn_folded++;
        }
    }
}


/* ---- pattern fusions ------------------------------------------------------------------------ */
/* The unique consumer of value v, or -1. */
static int infer__opt_consumer(const infer__opt *o, int v, int skip) {
    const infer__graph *g = o->g;
    int i, j, found = -1;
    if (v < 0 || g->values[v].is_output) return -1;
    for (i = skip + 1; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        if (o->dead[i]) continue;
        for (j = 0; j < n->n_in; j++)
            if (n->in[j] == v) { if (found >= 0 && found != i) return -1; found = i; }
        for (j = 0; j < n->n_outer; j++) if (n->outer[j] == v) return -1;
        if (n->post_add == v + 1) return -1;
    }
    return found;
}

static int infer__opt_scalar(const infer__opt *o, int v, double *val) {
    const infer_tensor *t;
    if (!infer__opt_is_const(o, v)) return 0;
    t = o->g->values[v].init;
    if (infer__numel(t) != 1 || !infer__dtype_size(t->dtype) || t->dtype == INFER_DTYPE_STRING) return 0;
    *val = infer__get_f64(t, 0);
    return 1;
}

static int infer__opt_is(const infer__node *n, const char *op) { return !n->domain[0] && strcmp(n->op_type, op) == 0; }

/* The other input of a two-input node, given one of them. */
static int infer__opt_other(const infer__node *n, int v) {
    if (n->n_in != 2) return -2;
    return n->in[0] == v ? n->in[1] : n->in[1] == v ? n->in[0] : -2;
}

static int infer__opt_axes_last(const infer__opt *o, const infer__node *n) {
    const infer__attr *a = infer__attr_find(n, "axes");
    if (a && a->type == INFER__ATTR_INTS) return a->n == 1 && a->ints[0] == -1;
    if (n->n_in > 1 && infer__opt_is_const(o, n->in[1])) {
        const infer_tensor *t = o->g->values[n->in[1]].init;
        return infer__numel(t) == 1 && infer__get_i64(t, 0) == -1;
    }
    return 0;
}

/* Turns node `at` into op(inputs) with the given attributes; it keeps its output. */
static int infer__opt_rewrite(infer__opt *o, int at, const char *op, int n_in, const int *ins, int n_attr, const infer__attr *attrs) {
    infer__node *n = &o->g->nodes[at];
    int *in = (int *)infer__pool_zalloc(&o->m->pool, (size_t)n_in + 1, sizeof(int));
    infer__attr *a = (infer__attr *)infer__pool_zalloc(&o->m->pool, (size_t)n_attr + 1, sizeof(infer__attr));
    const infer__op *k = infer__registry_find("", op, n->opset);
    if (!in || !a || !k) return 0;
    memcpy(in, ins, sizeof(int) * (size_t)n_in);
    if (n_attr) memcpy(a, attrs, sizeof(infer__attr) * (size_t)n_attr);
    n->op_type = op;
    n->domain = "";
    n->in = in;
    n->n_in = n_in;
    n->attrs = a;
    n->n_attr = n_attr;
    n->op = k;
    return 1;
}

/* ReduceMean -> Sub -> Pow 2 -> ReduceMean -> Add eps -> Sqrt -> Div -> Mul gamma -> Add beta
   becomes LayerNormalization(x, gamma, beta, axis -1, epsilon). */
static void infer__opt_fuse_layernorm(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *r1 = &g->nodes[i];
        int x, sub, pw, r2, add, sq, dv, mu, ad, chain[8], k, gam, bet, ins[3];
        double two, eps;
        infer__attr at[2];
        if (o->dead[i] || !infer__opt_is(r1, "ReduceMean") || !infer__opt_axes_last(o, r1) || infer__k_attr_i_node(r1, "keepdims", 1) != 1) continue;
        x = r1->in[0];
        if ((sub = infer__opt_consumer(o, r1->out[0], -1)) < 0 || !infer__opt_is(&g->nodes[sub], "Sub") || g->nodes[sub].in[0] != x || g->nodes[sub].in[1] != r1->out[0]) continue;
        /* Sub's output feeds Pow and Div */
        pw = dv = -1;
        for (k = 0; k < g->n_nodes; k++) {
            const infer__node *n = &g->nodes[k];
            if (o->dead[k] || n->n_in < 1) continue;
            if (infer__opt_is(n, "Pow") && n->in[0] == g->nodes[sub].out[0]) pw = k;
            if (infer__opt_is(n, "Div") && n->in[0] == g->nodes[sub].out[0]) dv = k;
        }
        if (pw < 0 || dv < 0 || !infer__opt_scalar(o, g->nodes[pw].in[1], &two) || two != 2.0) continue;
        if ((r2 = infer__opt_consumer(o, g->nodes[pw].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[r2], "ReduceMean") || !infer__opt_axes_last(o, &g->nodes[r2])) continue;
        if ((add = infer__opt_consumer(o, g->nodes[r2].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[add], "Add")) continue;
        if (!infer__opt_scalar(o, infer__opt_other(&g->nodes[add], g->nodes[r2].out[0]), &eps)) continue;
        if ((sq = infer__opt_consumer(o, g->nodes[add].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[sq], "Sqrt")) continue;
        if (g->nodes[dv].in[1] != g->nodes[sq].out[0] || infer__opt_consumer(o, g->nodes[sq].out[0], -1) != dv) continue;
        if ((mu = infer__opt_consumer(o, g->nodes[dv].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[mu], "Mul")) continue;
        gam = infer__opt_other(&g->nodes[mu], g->nodes[dv].out[0]);
        if ((ad = infer__opt_consumer(o, g->nodes[mu].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[ad], "Add")) continue;
        bet = infer__opt_other(&g->nodes[ad], g->nodes[mu].out[0]);
        if (!infer__opt_is_const(o, gam) || !infer__opt_is_const(o, bet) || g->values[gam].init->rank != 1 || g->values[bet].init->rank != 1) continue;
        /* every intermediate has exactly the consumers of the pattern */
        { int subuses = 0, q, j2;
          for (q = 0; q < g->n_nodes; q++) if (!o->dead[q]) for (j2 = 0; j2 < g->nodes[q].n_in; j2++) subuses += g->nodes[q].in[j2] == g->nodes[sub].out[0];
          if (subuses != 2 || g->values[g->nodes[sub].out[0]].is_output) continue; }
        memset(at, 0, sizeof at);
        at[0].name = "axis"; at[0].type = INFER__ATTR_INT; at[0].i = -1; at[0].n = 1;
        at[1].name = "epsilon"; at[1].type = INFER__ATTR_FLOAT; at[1].f = (float)eps; at[1].n = 1;
        ins[0] = x; ins[1] = gam; ins[2] = bet;
        if (o->m->opts.standard_ops_only && g->nodes[ad].opset < 17) continue;
        if (!infer__opt_rewrite(o, ad, "LayerNormalization", 3, ins, 2, at)) continue;
        chain[0] = i; chain[1] = sub; chain[2] = pw; chain[3] = r2; chain[4] = add; chain[5] = sq; chain[6] = dv; chain[7] = mu;
        for (k = 0; k < 8; k++) o->dead[chain[k]] = 1;
        o->fused += 8;
    }
}

/* x / sqrt(2) -> Erf -> + 1 -> * x -> * 0.5   becomes Gelu(x). */
static void infer__opt_fuse_gelu(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *dv = &g->nodes[i];
        int x, erf, add, m1, m2, ins[1];
        double c;
        if (o->dead[i] || !infer__opt_is(dv, "Div") || !infer__opt_scalar(o, dv->in[1], &c) || fabs(c - 1.41421356) > 1e-3) continue;
        x = dv->in[0];
        if ((erf = infer__opt_consumer(o, dv->out[0], -1)) < 0 || !infer__opt_is(&g->nodes[erf], "Erf")) continue;
        if ((add = infer__opt_consumer(o, g->nodes[erf].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[add], "Add")) continue;
        if (!infer__opt_scalar(o, infer__opt_other(&g->nodes[add], g->nodes[erf].out[0]), &c) || c != 1.0) continue;
        if ((m1 = infer__opt_consumer(o, g->nodes[add].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[m1], "Mul") || infer__opt_other(&g->nodes[m1], g->nodes[add].out[0]) != x) continue;
        if ((m2 = infer__opt_consumer(o, g->nodes[m1].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[m2], "Mul")) continue;
        if (!infer__opt_scalar(o, infer__opt_other(&g->nodes[m2], g->nodes[m1].out[0]), &c) || c != 0.5) continue;
        if (o->m->opts.standard_ops_only && g->nodes[m2].opset < 20) continue;
        ins[0] = x;
        if (!infer__opt_rewrite(o, m2, "Gelu", 1, ins, 0, NULL)) continue;
        o->dead[i] = o->dead[erf] = o->dead[add] = o->dead[m1] = 1;
        o->fused += 4;
    }
}

/* Activation of a node as (act, alpha, beta); 0 if it is not one we fuse. */
static int infer__opt_act_of(const infer__opt *o, const infer__node *n, int *act, float *alpha, float *beta) {
    *alpha = 0; *beta = 0;
    if (n->domain[0] || n->n_out != 1) return 0;
    if (infer__opt_is(n, "Relu")) *act = INFER__ACT_RELU;
    else if (infer__opt_is(n, "Sigmoid")) *act = INFER__ACT_SIGMOID;
    else if (infer__opt_is(n, "Tanh")) *act = INFER__ACT_TANH;
    else if (infer__opt_is(n, "HardSwish")) *act = INFER__ACT_HARDSWISH;
    else if (infer__opt_is(n, "LeakyRelu")) { *act = INFER__ACT_LEAKYRELU; *alpha = infer__k_attr_f_node(n, "alpha", 0.01f); }
    else if (infer__opt_is(n, "HardSigmoid")) { *act = INFER__ACT_HARDSIGMOID; *alpha = infer__k_attr_f_node(n, "alpha", 0.2f); *beta = infer__k_attr_f_node(n, "beta", 0.5f); }
    else if (infer__opt_is(n, "Clip")) {
        double lo = -FLT_MAX, hi = FLT_MAX;
        *act = INFER__ACT_CLIP;
        if (n->opset < 11) { lo = infer__k_attr_f_node(n, "min", -FLT_MAX); hi = infer__k_attr_f_node(n, "max", FLT_MAX); }
        else {
            if (n->n_in > 1 && n->in[1] >= 0 && !infer__opt_scalar(o, n->in[1], &lo)) return 0;
            if (n->n_in > 2 && n->in[2] >= 0 && !infer__opt_scalar(o, n->in[2], &hi)) return 0;
        }
        *alpha = (float)lo; *beta = (float)hi;
    } else return 0;
    return 1;
}

static int infer__opt_same_probe_shape(const infer__opt *o, int a, int b) {
    if (!o->shapes) return 0;
    return o->shapes[a].dtype == INFER_DTYPE_FLOAT && infer__same_shape(&o->shapes[a], &o->shapes[b]);
}

/* Conv / Gemm / MatMul (float) followed by a residual Add and / or an activation: one node. */
static void infer__opt_fuse_epilogue(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    if (!o->shapes) return;
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *p = &g->nodes[i];
        int y, q, act = 0, *no;
        float al = 0, be = 0;
        if (o->dead[i] || p->post_act || p->post_add || p->n_out != 1) continue;
        if (!infer__opt_is(p, "Conv") && !infer__opt_is(p, "Gemm") && !infer__opt_is(p, "MatMul")) continue;
        y = p->out[0];
        if (o->shapes[y].dtype != INFER_DTYPE_FLOAT) continue;
        q = infer__opt_consumer(o, y, -1);
        if (q >= 0 && infer__opt_is(&g->nodes[q], "Add")) { /* residual of the same shape, computed earlier */
            int r = infer__opt_other(&g->nodes[q], y);
            if (r >= 0 && r != y && infer__opt_same_probe_shape(o, y, r) && g->values[r].producer < i && !g->values[r].is_outer &&
                infer__opt_same_probe_shape(o, y, g->nodes[q].out[0])) {
                p->post_add = r + 1;
                o->dead[q] = 1;
                y = g->nodes[q].out[0];
                o->fused++;
                q = infer__opt_consumer(o, y, -1);
            } else q = -1;
        }
        if (q >= 0 && infer__opt_act_of(o, &g->nodes[q], &act, &al, &be) && g->nodes[q].in[0] == y) {
            p->post_act = act; p->post_alpha = al; p->post_beta = be;
            o->dead[q] = 1;
            y = g->nodes[q].out[0];
            o->fused++;
        } else if (!p->post_add) { /* SiLU: y * Sigmoid(y) */
            int k, sg = -1, mu = -1, uses = 0, j;
            for (k = i + 1; k < g->n_nodes; k++) {
                if (o->dead[k]) continue;
                for (j = 0; j < g->nodes[k].n_in; j++) if (g->nodes[k].in[j] == y) { uses++; if (infer__opt_is(&g->nodes[k], "Sigmoid")) sg = k; else if (infer__opt_is(&g->nodes[k], "Mul")) mu = k; }
            }
            if (uses == 2 && sg >= 0 && mu >= 0 && !g->values[y].is_output && infer__opt_other(&g->nodes[mu], y) == g->nodes[sg].out[0] &&
                infer__opt_consumer(o, g->nodes[sg].out[0], -1) == mu) {
                p->post_act = INFER__ACT_SILU;
                o->dead[sg] = o->dead[mu] = 1;
                y = g->nodes[mu].out[0];
                o->fused += 2;
            }
        }
        if (y == p->out[0]) continue;
        no = (int *)infer__pool_zalloc(&o->m->pool, 1, sizeof(int));
        if (!no) return;
        no[0] = y;
        p->out = no;
    }
}

/* Common subexpressions: identical pure nodes on identical inputs. */
static int infer__opt_attr_equal(const infer__attr *a, const infer__attr *b) {
    int k;
    if (strcmp(a->name, b->name) || a->type != b->type || a->n != b->n) return 0;
    switch (a->type) {
    case INFER__ATTR_FLOAT: return memcmp(&a->f, &b->f, sizeof a->f) == 0;
    case INFER__ATTR_INT: return a->i == b->i;
    case INFER__ATTR_STRING: return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
    case INFER__ATTR_FLOATS: return memcmp(a->floats, b->floats, sizeof(float) * (size_t)a->n) == 0;
    case INFER__ATTR_INTS: return memcmp(a->ints, b->ints, sizeof(int64_t) * (size_t)a->n) == 0;
    case INFER__ATTR_STRINGS: for (k = 0; k < a->n; k++) if (strcmp(a->strings[k], b->strings[k])) return 0; return 1;
    case INFER__ATTR_TENSOR:
        return a->n == 1 && infer__same_shape(&a->tensors[0], &b->tensors[0]) && a->tensors[0].dtype != INFER_DTYPE_STRING &&
               memcmp(a->tensors[0].data, b->tensors[0].data, infer__tensor_bytes(&a->tensors[0])) == 0;
    default: return 0;
    }
}

static void infer__opt_cse(infer__opt *o) {
    infer__graph *g = o->g;
    int i, j, k;
    for (j = 0; j < g->n_nodes; j++) {
        const infer__node *b = &g->nodes[j];
        if (o->dead[j] || !infer__opt_foldable(b) || b->post_act || b->post_add) continue;
        for (i = 0; i < j; i++) {
            const infer__node *a = &g->nodes[i];
            int same = 1;
            if (o->dead[i] || a->n_in != b->n_in || a->n_out != b->n_out || a->n_attr != b->n_attr || a->post_act || a->post_add ||
                strcmp(a->op_type, b->op_type) || strcmp(a->domain, b->domain) || a->opset != b->opset)
                continue;
            for (k = 0; k < a->n_in && same; k++) {
                same = a->in[k] == b->in[k];
            }
            for (k = 0; k < a->n_attr && same; k++) same = infer__opt_attr_equal(&a->attrs[k], &b->attrs[k]);
            for (k = 0; k < b->n_out && same; k++) same = !g->values[b->out[k]].is_output && !infer__opt_outer_read(g, b->out[k]);
            if (!same) continue;
            o->dead[j] = 1;
            for (k = 0; k < b->n_out; k++) infer__opt_replace(o, b->out[k], a->out[k]);
            o->cse++;
            break;
        }
    }
}

/* Compacts the node list and recomputes producers and lifetimes. */
static infer_status infer__opt_finish(infer__opt *o) {
    infer__graph *g = o->g;
    int i, j, k = 0;
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *n = &g->nodes[i];
        if (o->dead[i]) continue;
        g->nodes[k++] = *n;
    }
    g->n_nodes = k;
    memset(o->dead, 0, (size_t)k + 1);
    for (i = 0; i < g->n_values; i++) {
        infer__value *v = &g->values[i];
        if (!v->init && !v->is_input && !v->is_outer) v->producer = -1;
    }
    for (i = 0; i < k; i++)
        for (j = 0; j < g->nodes[i].n_out; j++) g->values[g->nodes[i].out[j]].producer = i;
    for (i = 0; i < g->n_values; i++)
        g->values[i].last_use = g->values[i].is_output ? k : (g->values[i].producer >= 0 ? g->values[i].producer : -1);
    for (i = 0; i < k; i++) {
        const infer__node *n = &g->nodes[i];
        for (j = 0; j < n->n_in; j++) if (n->in[j] >= 0 && g->values[n->in[j]].last_use < i) g->values[n->in[j]].last_use = i;
        for (j = 0; j < n->n_outer; j++) if (g->values[n->outer[j]].last_use < i) g->values[n->outer[j]].last_use = i;
        if (n->post_add && g->values[n->post_add - 1].last_use < i) g->values[n->post_add - 1].last_use = i;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__optimize(infer_model *m, infer_error *err) {
    infer__opt o;
    infer__graph *g = m->graph;
    int level = m->opts.opt_level == 0 ? 2 : m->opts.opt_level;
    infer_status st;
    (void)err;
    if (level < 1) return INFER_STATUS_OK;
    memset(&o, 0, sizeof o);
    o.m = m;
    o.g = g;
    o.dead = (char *)infer__pool_zalloc(&m->pool, (size_t)g->n_nodes + 1, 1);
    o.repl = (int *)infer__pool_zalloc(&m->pool, (size_t)g->n_values + 1, sizeof(int));
    o.uses = (int *)infer__pool_zalloc(&m->pool, (size_t)g->n_values + 1, sizeof(int));
    if (!o.dead || !o.repl || !o.uses) return INFER_STATUS_OUT_OF_MEMORY;
    memset(o.repl, 0xff, sizeof(int) * (size_t)g->n_values);
    infer__opt_constant_fold(&o);
    st = infer__opt_finish(&o);
    if (st) return st;
    if (level >= 2) {
        infer__opt_shape_fold(&o);
        infer__opt_constant_fold(&o);
        infer__opt_count_uses(&o);
        infer__opt_passthrough(&o);
        infer__opt_fold_bn(&o);
        infer__opt_cse(&o);
        infer__opt_fuse_layernorm(&o);
        infer__opt_fuse_gelu(&o);
        if (!m->opts.standard_ops_only) infer__opt_fuse_epilogue(&o);
    }
    infer__opt_dead_code(&o);
    st = infer__opt_finish(&o);
    m->opt_stats[0] = o.folded;
    m->opt_stats[1] = o.shape_folded;
    m->opt_stats[2] = o.pruned;
    m->opt_stats[3] = o.bn_folded;
    m->opt_stats[4] = o.identities;
    m->opt_stats[5] = o.fused;
    m->opt_stats[6] = o.cse;
    return st;
}

/* ---- writing a model back out (ModelProto) -------------------------------------------------- */
static void infer__enc_type(infer__pbw *w, const infer__typeinfo *ti, int depth) {
    infer__pbw t;
    memset(&t, 0, sizeof t);
    t.a = w->a;
    if (depth > INFER_MAX_DEPTH) return;
    if (ti->kind == INFER__KIND_SEQUENCE || ti->kind == INFER__KIND_OPTIONAL) {
        infer__pbw e;
        memset(&e, 0, sizeof e);
        e.a = w->a;
        if (ti->elem) infer__enc_type(&e, ti->elem, depth + 1);
        infer__pbw_bytes(&t, 1, e.buf ? (const void *)e.buf : (const void *)"", e.len);
        infer__free(w->a, e.buf);
        infer__pbw_bytes(w, ti->kind == INFER__KIND_SEQUENCE ? 4 : 9, t.buf ? (const void *)t.buf : (const void *)"", t.len);
    } else {
        infer__pbw sh;
        int r;
        memset(&sh, 0, sizeof sh);
        sh.a = w->a;
        if (ti->dtype) infer__pbw_int(&t, 1, ti->dtype);
        for (r = 0; r < ti->rank && r < INFER_MAX_RANK; r++) {
            infer__pbw d;
            memset(&d, 0, sizeof d);
            d.a = w->a;
            if (ti->dim_params[r]) infer__pbw_bytes(&d, 2, ti->dim_params[r], strlen(ti->dim_params[r]));
            else if (ti->dims[r] >= 0) infer__pbw_int(&d, 1, ti->dims[r]);
            infer__pbw_bytes(&sh, 1, d.buf ? (const void *)d.buf : (const void *)"", d.len);
            infer__free(w->a, d.buf);
        }
        if (ti->rank >= 0) infer__pbw_bytes(&t, 2, sh.buf ? (const void *)sh.buf : (const void *)"", sh.len);
        infer__free(w->a, sh.buf);
        infer__pbw_bytes(w, 1, t.buf ? (const void *)t.buf : (const void *)"", t.len);
    }
    if (t.err) w->err = 1;
    infer__free(w->a, t.buf);
}

/* Appends field `field` holding a sub-message written by fn(arg). */
#define INFER__ENC_SUB(w, field, code) do { infer__pbw sub_; memset(&sub_, 0, sizeof sub_); sub_.a = (w)->a; \
        { infer__pbw *const ws_ = &sub_; code; } \
        if (sub_.err) (w)->err = 1; \
        infer__pbw_bytes((w), (field), sub_.buf ? (const void *)sub_.buf : (const void *)"", sub_.len); \
        infer__free((w)->a, sub_.buf); } while (0)

static void infer__enc_graph(infer__pbw *w, const infer__graph *g, int depth);

static const char *infer__enc_name(const char *s) { return strncmp(s, "__unused_", 9) == 0 ? "" : s; }

static void infer__enc_attr(infer__pbw *w, const infer__attr *a, int depth) {
    int k;
    infer__pbw_bytes(w, 1, a->name, strlen(a->name));
    infer__pbw_int(w, 20, a->type == INFER__ATTR_SPARSE_TENSOR ? INFER__ATTR_TENSOR : a->type);
    switch (a->type) {
    case INFER__ATTR_FLOAT: { uint32_t b; memcpy(&b, &a->f, 4); infer__pbw_key(w, 2, INFER__PB_I32); infer__pbw_raw(w, &b, 4); break; }
    case INFER__ATTR_INT: infer__pbw_int(w, 3, a->i); break;
    case INFER__ATTR_STRING: infer__pbw_bytes(w, 4, a->s ? a->s : "", a->s ? a->slen : 0); break;
    case INFER__ATTR_TENSOR: case INFER__ATTR_SPARSE_TENSOR:
        if (a->n > 0) INFER__ENC_SUB(w, 5, infer__encode_tensor(ws_, &a->tensors[0], NULL));
        break;
    case INFER__ATTR_TENSORS: for (k = 0; k < a->n; k++) INFER__ENC_SUB(w, 10, infer__encode_tensor(ws_, &a->tensors[k], NULL)); break;
    case INFER__ATTR_GRAPH: if (a->n > 0) INFER__ENC_SUB(w, 6, infer__enc_graph(ws_, a->graphs[0], depth + 1)); break;
    case INFER__ATTR_GRAPHS: for (k = 0; k < a->n; k++) INFER__ENC_SUB(w, 11, infer__enc_graph(ws_, a->graphs[k], depth + 1)); break;
    case INFER__ATTR_FLOATS:
        infer__pbw_key(w, 7, INFER__PB_LEN);
        infer__pbw_varint(w, (uint64_t)a->n * 4);
        for (k = 0; k < a->n; k++) { uint32_t b; memcpy(&b, &a->floats[k], 4); infer__pbw_raw(w, &b, 4); }
        break;
    case INFER__ATTR_INTS:
        INFER__ENC_SUB(w, 8, for (k = 0; k < a->n; k++) infer__pbw_varint(ws_, (uint64_t)a->ints[k]));
        break;
    case INFER__ATTR_STRINGS: for (k = 0; k < a->n; k++) infer__pbw_bytes(w, 9, a->strings[k] ? a->strings[k] : "", a->strings[k] ? strlen(a->strings[k]) : 0); break;
    case INFER__ATTR_TYPE_PROTO: if (a->n > 0) INFER__ENC_SUB(w, 14, infer__enc_type(ws_, &a->types[0], 0)); break;
    case INFER__ATTR_TYPE_PROTOS: for (k = 0; k < a->n; k++) INFER__ENC_SUB(w, 15, infer__enc_type(ws_, &a->types[k], 0)); break;
    default: break;
    }
}

static void infer__enc_value_info(infer__pbw *w, const infer__value *v) {
    infer__pbw_bytes(w, 1, v->name, strlen(v->name));
    if (v->type.kind != INFER__KIND_TENSOR || v->type.dtype || v->type.rank >= 0) INFER__ENC_SUB(w, 2, infer__enc_type(ws_, &v->type, 0));
}

static void infer__enc_graph(infer__pbw *w, const infer__graph *g, int depth) {
    int i, j, k;
    if (depth > INFER_MAX_DEPTH) { w->err = 1; return; }
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        INFER__ENC_SUB(w, 1, {
            for (j = 0; j < n->n_in; j++) {
                const char *nm = n->in[j] >= 0 ? g->values[n->in[j]].name : "";
                infer__pbw_bytes(ws_, 1, nm, strlen(nm));
            }
            for (j = 0; j < n->n_out; j++) {
                const char *nm = infer__enc_name(g->values[n->out[j]].name);
                infer__pbw_bytes(ws_, 2, nm, strlen(nm));
            }
            if (n->name[0]) infer__pbw_bytes(ws_, 3, n->name, strlen(n->name));
            infer__pbw_bytes(ws_, 4, n->op_type, strlen(n->op_type));
            if (n->domain[0]) infer__pbw_bytes(ws_, 7, n->domain, strlen(n->domain));
            for (k = 0; k < n->n_attr; k++) INFER__ENC_SUB(ws_, 5, infer__enc_attr(ws_, &n->attrs[k], depth));
        });
    }
    infer__pbw_bytes(w, 2, g->name, strlen(g->name));
    /* initializers still read by some node, subgraph or output */
    {
        char *used = (char *)infer__alloc(w->a, (size_t)g->n_values + 1);
        if (!used) { w->err = 1; return; }
        memset(used, 0, (size_t)g->n_values + 1);
        for (i = 0; i < g->n_nodes; i++) {
            for (j = 0; j < g->nodes[i].n_in; j++) if (g->nodes[i].in[j] >= 0) used[g->nodes[i].in[j]] = 1;
            for (j = 0; j < g->nodes[i].n_outer; j++) used[g->nodes[i].outer[j]] = 1;
        }
        for (i = 0; i < g->n_outputs; i++) used[g->outputs[i]] = 1;
        for (i = 0; i < g->n_inputs; i++) used[g->inputs[i]] = 1;
        for (i = 0; i < g->n_values; i++)
            if (g->values[i].init && used[i] && !g->values[i].is_outer)
                INFER__ENC_SUB(w, 5, infer__encode_tensor(ws_, g->values[i].init, g->values[i].name));
        infer__free(w->a, used);
    }
    for (i = 0; i < g->n_inputs; i++) INFER__ENC_SUB(w, 11, infer__enc_value_info(ws_, &g->values[g->inputs[i]]));
    for (i = 0; i < g->n_outputs; i++) INFER__ENC_SUB(w, 12, infer__enc_value_info(ws_, &g->values[g->outputs[i]]));
}

INFER_API infer_status infer_model_encode(const infer_model *m, void **out, size_t *out_size, const infer_options *opts) {
    infer__pbw w;
    infer_allocator a;
    int i;
    if (!m || !out || !out_size) return INFER_STATUS_INVALID_ARGUMENT;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    memset(&w, 0, sizeof w);
    w.a = &a;
    infer__pbw_int(&w, 1, m->ir_version ? m->ir_version : 8);
    infer__pbw_bytes(&w, 2, "infer.h", 7);
    for (i = 0; i < m->n_opsets; i++)
        INFER__ENC_SUB(&w, 8, {
            if (m->opsets[i].domain[0]) infer__pbw_bytes(ws_, 1, m->opsets[i].domain, strlen(m->opsets[i].domain));
            infer__pbw_int(ws_, 2, m->opsets[i].version);
        });
    for (i = 0; i < m->n_meta; i++)
        if (m->meta_keys[i] && m->meta_values[i])
            INFER__ENC_SUB(&w, 14, {
                infer__pbw_bytes(ws_, 1, m->meta_keys[i], strlen(m->meta_keys[i]));
                infer__pbw_bytes(ws_, 2, m->meta_values[i], strlen(m->meta_values[i]));
            });
    INFER__ENC_SUB(&w, 7, infer__enc_graph(ws_, m->graph, 0));
    if (w.err) { infer__free(&a, w.buf); return INFER_STATUS_OUT_OF_MEMORY; }
    *out = w.buf;
    *out_size = w.len;
    return INFER_STATUS_OK;
}

INFER_API void infer_model_opt_report(const infer_model *m, infer_opt_report *r) {
    if (!r) return;
    memset(r, 0, sizeof *r);
    if (!m) return;
    r->nodes_in_file = m->nodes_before_opt;
    r->nodes_after = m->graph->n_nodes;
    r->folded = m->opt_stats[0];
    r->shape_folded = m->opt_stats[1];
    r->pruned = m->opt_stats[2];
    r->bn_folded = m->opt_stats[3];
    r->passthrough = m->opt_stats[4];
    r->fused = m->opt_stats[5];
    r->cse = m->opt_stats[6];
}

#ifndef INFER_NO_STDIO
/* Graphviz picture of the executed graph: ops as boxes, values as edges. */
INFER_API infer_status infer_model_save_dot(const infer_model *m, const char *path) {
    FILE *fp;
    const infer__graph *g;
    int i, j;
    if (!m || !path) return INFER_STATUS_INVALID_ARGUMENT;
    fp = fopen(path, "w");
    if (!fp) return INFER_STATUS_IO_ERROR;
    g = m->graph;
    fprintf(fp, "digraph infer {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n");
    for (i = 0; i < g->n_inputs; i++)
        if (!g->values[g->inputs[i]].init) fprintf(fp, "  v%d [shape=ellipse, label=\"%s\"];\n", g->inputs[i], g->values[g->inputs[i]].name);
    for (i = 0; i < g->n_outputs; i++) fprintf(fp, "  v%d [shape=ellipse, label=\"%s\"];\n", g->outputs[i], g->values[g->outputs[i]].name);
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        fprintf(fp, "  n%d [label=\"%s\"];\n", i, n->op_type);
        for (j = 0; j < n->n_in; j++) {
            int v = n->in[j];
            if (v < 0 || g->values[v].init) continue;
            if (g->values[v].producer >= 0) fprintf(fp, "  n%d -> n%d;\n", g->values[v].producer, i);
            else fprintf(fp, "  v%d -> n%d;\n", v, i);
        }
        for (j = 0; j < n->n_out; j++)
            if (g->values[n->out[j]].is_output) fprintf(fp, "  n%d -> v%d;\n", i, n->out[j]);
    }
    fprintf(fp, "}\n");
    return fclose(fp) == 0 ? INFER_STATUS_OK : INFER_STATUS_IO_ERROR;
}
#endif
#ifdef INFER_NO_STDIO
INFER_API infer_status infer_model_save_dot(const infer_model *m, const char *path) {
    (void)m; (void)path;
    return INFER_STATUS_UNSUPPORTED;
}
#endif
