/* modeldir.h - shared by tests/test_threads.c and tests/test_allocfail.c: one ONNX test directory
   (model file + test_data_set_0/{input,output}_N.pb) read into memory, run through the public API,
   outputs hashed (for bit-exact comparisons between runs) and checked against the reference outputs.
   Include after infer.h (with INFER_IMPLEMENTATION in the including file). */
#ifndef MODELDIR_H
#define MODELDIR_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MD_MAX_IO 16

typedef struct md_case {
    unsigned char *model;
    size_t model_size;
    int n_in, n_out;
    infer_value in[MD_MAX_IO];   /* decoded with the default allocator */
    infer_value want[MD_MAX_IO]; /* reference outputs */
} md_case;

static int md_read(const char *path, unsigned char **data, size_t *size) {
    FILE *f = fopen(path, "rb");
    long n;
    *data = NULL;
    if (!f) return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *data = (unsigned char *)malloc((size_t)n + 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
        free(*data);
        *data = NULL;
        fclose(f);
        return -1;
    }
    fclose(f);
    *size = (size_t)n;
    return 0;
}

static void md_close(md_case *c) {
    int i;
    for (i = 0; i < c->n_in; i++) infer_value_free(&c->in[i], NULL);
    for (i = 0; i < c->n_out; i++) infer_value_free(&c->want[i], NULL);
    free(c->model);
    memset(c, 0, sizeof *c);
}

/* Reads dir/model_file and dir/test_data_set_0; the kinds of the .pb files come from the model. */
static int md_open(md_case *c, const char *dir, const char *model_file) {
    char path[1100];
    infer_model *m = NULL;
    infer_error err;
    int i, k;
    memset(c, 0, sizeof *c);
    snprintf(path, sizeof path, "%s/%s", dir, model_file ? model_file : "model.onnx");
    if (md_read(path, &c->model, &c->model_size)) {
        printf("  cannot read %s\n", path);
        return -1;
    }
    memset(&err, 0, sizeof err);
    if (infer_model_load_memory(c->model, c->model_size, NULL, &m, &err) != INFER_STATUS_OK) {
        printf("  %s: %s\n", path, err.message);
        md_close(c);
        return -1;
    }
    for (k = 0; k < 2; k++) {
        int n = k ? infer_model_output_count(m) : infer_model_input_count(m);
        for (i = 0; i < n && i < MD_MAX_IO; i++) {
            unsigned char *data;
            size_t size;
            infer_tensor info;
            int kind = 0;
            infer_value *v = k ? &c->want[i] : &c->in[i];
            snprintf(path, sizeof path, "%s/test_data_set_0/%s_%d.pb", dir, k ? "output" : "input", i);
            if (md_read(path, &data, &size)) break; /* optional inputs may be left out */
            if (k) infer_model_output_info(m, i, &info, &kind);
            else infer_model_input_info(m, i, &info, &kind);
            if (infer_value_decode(data, size, kind, v, NULL, &err) != INFER_STATUS_OK) {
                printf("  %s: %s\n", path, err.message);
                free(data);
                infer_model_destroy(m);
                md_close(c);
                return -1;
            }
            free(data);
            if (k) c->n_out = i + 1;
            else c->n_in = i + 1;
        }
    }
    infer_model_destroy(m);
    return 0;
}

/* Binds every input; returns the first failing status (INFER_STATUS_OK == 0 when all bound). */
static infer_status md_bind(infer_session *s, const md_case *c) {
    int i;
    for (i = 0; i < c->n_in; i++) {
        const infer_value *v = &c->in[i];
        infer_status st = v->kind == 0 ? infer_session_set_input(s, i, &v->items[0])
                                       : infer_session_set_input_items(s, i, v->kind, v->count, v->items);
        if (st != INFER_STATUS_OK) return st;
    }
    return INFER_STATUS_OK;
}

static uint64_t md_fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t md_hash_tensor(uint64_t h, const infer_tensor *t) {
    int64_t n = infer_tensor_count(t), i;
    h = md_fnv(h, &t->dtype, sizeof t->dtype);
    h = md_fnv(h, &t->rank, sizeof t->rank);
    h = md_fnv(h, t->dims, sizeof(int64_t) * (size_t)t->rank);
    if (t->dtype == INFER_DTYPE_STRING) {
        for (i = 0; i < n; i++) {
            const char *s = ((char *const *)t->data)[i];
            h = md_fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
        }
    } else if (n > 0) {
        h = md_fnv(h, t->data, (size_t)n * infer_dtype_size(t->dtype));
    }
    return h;
}

/* Compares one output tensor with its reference: float / double within rtol 1e-3, atol 1e-4,
   everything else exactly. */
static int md_compare(const infer_tensor *got, const infer_tensor *want, char *why, size_t whyn) {
    int64_t n = infer_tensor_count(want), i;
    int d;
    if (got->dtype != want->dtype || got->rank != want->rank) {
        snprintf(why, whyn, "dtype %d rank %d, expected dtype %d rank %d", got->dtype, got->rank, want->dtype, want->rank);
        return 0;
    }
    for (d = 0; d < got->rank; d++)
        if (got->dims[d] != want->dims[d]) {
            snprintf(why, whyn, "dim %d is %lld, expected %lld", d, (long long)got->dims[d], (long long)want->dims[d]);
            return 0;
        }
    for (i = 0; i < n; i++) {
        int same;
        if (want->dtype == INFER_DTYPE_FLOAT || want->dtype == INFER_DTYPE_DOUBLE) {
            double x = want->dtype == INFER_DTYPE_FLOAT ? ((const float *)got->data)[i] : ((const double *)got->data)[i];
            double y = want->dtype == INFER_DTYPE_FLOAT ? ((const float *)want->data)[i] : ((const double *)want->data)[i];
            same = (x != x && y != y) || fabs(x - y) <= 1e-4 + 1e-3 * fabs(y);
        } else if (want->dtype == INFER_DTYPE_STRING) {
            same = strcmp(((char *const *)got->data)[i], ((char *const *)want->data)[i]) == 0;
        } else {
            size_t es = infer_dtype_size(want->dtype);
            same = memcmp((const char *)got->data + (size_t)i * es, (const char *)want->data + (size_t)i * es, es) == 0;
        }
        if (!same) {
            snprintf(why, whyn, "element %lld differs", (long long)i);
            return 0;
        }
    }
    return 1;
}

/* Hash of every output of a session that has run; with check != 0 also compares with the references
   (returns 0 and fills why on a mismatch). */
static int md_outputs(infer_session *s, const md_case *c, int check, uint64_t *hash, char *why, size_t whyn) {
    uint64_t h = 14695981039346656037ull;
    int i, j;
    for (i = 0; i < c->n_out; i++) {
        int kind = 0, count = 1;
        if (infer_session_get_output_kind(s, i, &kind, &count) != INFER_STATUS_OK) {
            snprintf(why, whyn, "output %d: no kind", i);
            return 0;
        }
        if (kind == 0) count = 1;
        h = md_fnv(h, &kind, sizeof kind);
        h = md_fnv(h, &count, sizeof count);
        if (check && (kind != c->want[i].kind || count != c->want[i].count)) {
            snprintf(why, whyn, "output %d: kind %d count %d, expected kind %d count %d", i, kind, count,
                     c->want[i].kind, c->want[i].count);
            return 0;
        }
        for (j = 0; j < count; j++) {
            infer_tensor t;
            infer_status st = kind == 0 ? infer_session_get_output(s, i, &t) : infer_session_get_output_item(s, i, j, &t);
            if (st != INFER_STATUS_OK) {
                snprintf(why, whyn, "output %d item %d: %s", i, j, infer_status_string(st));
                return 0;
            }
            h = md_hash_tensor(h, &t);
            if (check && !md_compare(&t, &c->want[i].items[j], why, whyn)) return 0;
        }
    }
    *hash = h;
    return 1;
}
#endif
