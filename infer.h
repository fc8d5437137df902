/* infer.h - ONNX inference in one C header.                    public domain or MIT, see end of file

   QUICK START
   -----------
   Copy infer.h into your project. In exactly one C or C++ file:

       #define INFER_IMPLEMENTATION
       #include "infer.h"

       int main(void) {
           infer_model *model; infer_session *sess; infer_error err;
           float x[1*3*224*224] = {0};
           int64_t dims[4] = {1, 3, 224, 224};
           infer_tensor in, out;
           if (infer_model_load_file("model.onnx", NULL, &model, &err)) { puts(err.message); return 1; }
           if (infer_session_create(model, NULL, &sess, &err))          { puts(err.message); return 1; }
           infer_tensor_init(&in, INFER_DTYPE_FLOAT, 4, dims, x);
           infer_session_set_input(sess, 0, &in);
           if (infer_session_run(sess)) { puts(infer_session_error(sess)); return 1; }
           infer_session_get_output(sess, 0, &out);    (out.data stays valid until the next run)
           infer_session_destroy(sess); infer_model_destroy(model);
           return 0;
       }

   Build:  cc -O2 app.c -lm                                  portable, one thread
           cc -O2 -fopenmp -march=native app.c -lm           OpenMP threads + native SIMD

   CONFIGURATION (all optional; define before including the implementation)
   -------------
   INFER_IMPLEMENTATION   compile the implementation in this translation unit
   INFER_STATIC           make every API function static (a private copy per translation unit)
   INFER_API              decoration of public functions (default: extern, or static with INFER_STATIC)
   INFER_MALLOC/INFER_REALLOC/INFER_FREE  default allocator (all three or none; default libc)
   INFER_ASSERT(x)        check of the library's own invariants (default assert); never used on input
   INFER_NO_STDIO         no file loading (infer_model_load_file returns INFER_STATUS_UNSUPPORTED)
   INFER_NO_OPENMP        ignore -fopenmp: run on the calling thread only
   INFER_MAX_RANK         largest tensor rank (default 8)
   INFER_MAX_DEPTH        deepest subgraph / protobuf nesting accepted (default 64)

   Run-time settings live in infer_options (zero-initialise it: 0 means default): threads,
   allocator, optimisation level, memory limit, caller-provided arena.

   WHAT IT DOES NOT DO
   -------------------
   - Training, gradients, or graph export of trained weights.
   - Operators outside the registry: loading lists each missing (domain, op, opset) at once.
   - Sparse tensors are accepted as initializers only (densified at load).
   - Subgraphs (If / Loop / Scan bodies) run with heap allocations; a flat graph does not.

   PROMISE
   -------
   A malformed or hostile model file gives an error status with a message, never a crash, a hang,
   an out-of-bounds access or an unbounded allocation. Sizes are overflow-checked and bounded.

   TABLE OF CONTENTS (grep -n '>>' infer.h)
   -----------------
   >>api-config   macros, version, status codes
   >>api-types    tensors, data types, options, allocator
   >>api-model    loading a model, asking about it
   >>api-run      sessions: bind inputs, run, read outputs
   >>api-util     .pb tensor files, dtype helpers
   >>backend      graph structures and the kernel interface (what infer_cuda.cu includes)
   >>impl-config  internal feature macros
   >>platform     OpenMP, SIMD selection
   >>util         strings, errors, overflow-checked sizes, float16
   >>arena        the model's memory pool
   >>protobuf     bounded protobuf reader and writer
   >>onnx-load    ModelProto -> graph, functions inlined, external data
   >>validate     names, producers, cycles (topological sort)
   >>registry     operator table: (domain, op, opset range) -> kernel
   >>kernels-*    reference kernels, one section per family
   >>plan         shape pass, lifetimes, one arena
   >>run          executing a session
   >>public       the API functions
*/
#ifndef INFER_H_INCLUDED
#define INFER_H_INCLUDED

/* ============================================================================================== */
/* >>api-config: macros every user of the API sees                                                */
/* ============================================================================================== */
#include <stddef.h>
#include <stdint.h>

#define INFER_VERSION_MAJOR 0
#define INFER_VERSION_MINOR 1
#define INFER_VERSION_PATCH 0

#if defined(__GNUC__) || defined(__clang__)
#define INFER__UNUSED __attribute__((unused))
#else
#define INFER__UNUSED
#endif

#ifndef INFER_API
#ifdef INFER_STATIC
#define INFER_API static INFER__UNUSED
#else
#define INFER_API extern
#endif
#endif

#ifndef INFER_MAX_RANK
#define INFER_MAX_RANK 8
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: one list, the enum and the strings are generated from it. */
#define INFER__STATUS_LIST(X)                                                      \
    X(INFER_STATUS_OK, "ok")                                                       \
    X(INFER_STATUS_INVALID_ARGUMENT, "invalid argument")                           \
    X(INFER_STATUS_OUT_OF_MEMORY, "out of memory")                                 \
    X(INFER_STATUS_IO_ERROR, "i/o error")                                          \
    X(INFER_STATUS_PARSE_ERROR, "malformed protobuf")                              \
    X(INFER_STATUS_INVALID_MODEL, "invalid model")                                 \
    X(INFER_STATUS_UNSUPPORTED, "unsupported")                                     \
    X(INFER_STATUS_SHAPE_MISMATCH, "shape mismatch")                               \
    X(INFER_STATUS_TYPE_MISMATCH, "type mismatch")                                 \
    X(INFER_STATUS_LIMIT_EXCEEDED, "limit exceeded")                               \
    X(INFER_STATUS_RUNTIME_ERROR, "runtime error")

typedef enum infer_status {
#define INFER__X(name, str) name,
    INFER__STATUS_LIST(INFER__X)
#undef INFER__X
    INFER_STATUS_COUNT_
} infer_status;

/* ============================================================================================== */
/* >>api-types: tensors, element types, options                                                   */
/* ============================================================================================== */

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum infer_dtype {
    INFER_DTYPE_UNDEFINED = 0,
    INFER_DTYPE_FLOAT = 1,
    INFER_DTYPE_UINT8 = 2,
    INFER_DTYPE_INT8 = 3,
    INFER_DTYPE_UINT16 = 4,
    INFER_DTYPE_INT16 = 5,
    INFER_DTYPE_INT32 = 6,
    INFER_DTYPE_INT64 = 7,
    INFER_DTYPE_STRING = 8, /* elements are `char *`, NUL-terminated */
    INFER_DTYPE_BOOL = 9,   /* one byte, 0 or 1 */
    INFER_DTYPE_FLOAT16 = 10,
    INFER_DTYPE_DOUBLE = 11,
    INFER_DTYPE_UINT32 = 12,
    INFER_DTYPE_UINT64 = 13,
    INFER_DTYPE_COMPLEX64 = 14,
    INFER_DTYPE_COMPLEX128 = 15,
    INFER_DTYPE_BFLOAT16 = 16,
    INFER_DTYPE_FLOAT8E4M3FN = 17,
    INFER_DTYPE_FLOAT8E4M3FNUZ = 18,
    INFER_DTYPE_FLOAT8E5M2 = 19,
    INFER_DTYPE_FLOAT8E5M2FNUZ = 20,
    INFER_DTYPE_UINT4 = 21, /* stored one element per byte inside the runtime */
    INFER_DTYPE_INT4 = 22,  /* stored one element per byte inside the runtime */
    INFER_DTYPE_FLOAT4E2M1 = 23,
    INFER_DTYPE_FLOAT8E8M0 = 24,
    INFER_DTYPE_UINT2 = 25,
    INFER_DTYPE_INT2 = 26,
    INFER_DTYPE_COUNT_
} infer_dtype;

/* A dense tensor: row-major, `data` not owned. A rank-0 tensor is a scalar with one element. */
typedef struct infer_tensor {
    int dtype;                     /* infer_dtype */
    int rank;
    int64_t dims[INFER_MAX_RANK];
    void *data;
} infer_tensor;

/* Where an error came from: filled by the functions that take an infer_error * (may be NULL). */
typedef struct infer_error {
    infer_status status;
    char message[512];
} infer_error;

/* Every allocation of the library goes through this; zero it to use malloc/free. */
typedef struct infer_allocator {
    void *(*alloc)(void *user, size_t size);  /* returns NULL on failure; 16-byte aligned at least */
    void (*free)(void *user, void *ptr);      /* ptr may be NULL */
    void *user;
} infer_allocator;

typedef struct infer_options {
    int num_threads;            /* 0: OpenMP's default (all cores); 1: the calling thread only */
    int opt_level;              /* 0: default (2); -1: none; 1: safe rewrites; 2: all */
    infer_allocator allocator;  /* zero: INFER_MALLOC / INFER_FREE */
    size_t max_memory;          /* 0: unlimited; else the largest arena a session may plan */
    size_t max_model_bytes;     /* 0: 4 GiB; the largest model file accepted */
    int64_t max_tensor_elements;/* 0: 2^32; the most elements of one tensor (initializer or computed) */
    int max_nodes;              /* 0: 1000000; the most nodes in one graph */
    int standard_ops_only;      /* 1: only rewrites a standard ONNX file can express (for infer_model_encode) */
    void *arena;                /* optional caller memory for the session's activations ...  */
    size_t arena_size;          /* ... of this many bytes (see infer_session_arena_size) */
} infer_options;

/* ============================================================================================== */
/* >>api-model: loading a model (immutable once loaded; share it between threads freely)         */
/* ============================================================================================== */
typedef struct infer_model infer_model;

INFER_API infer_status infer_model_load_file(const char *path, const infer_options *opts, infer_model **out,
                                             infer_error *err);
/* The buffer is copied: it may be freed once this returns. */
INFER_API infer_status infer_model_load_memory(const void *data, size_t size, const infer_options *opts,
                                               infer_model **out, infer_error *err);
INFER_API void infer_model_destroy(infer_model *model);

/* Graph inputs that are not initializers, and graph outputs. Dims that are symbolic come back as -1. */
INFER_API int infer_model_input_count(const infer_model *model);
INFER_API int infer_model_output_count(const infer_model *model);
INFER_API const char *infer_model_input_name(const infer_model *model, int index);
INFER_API const char *infer_model_output_name(const infer_model *model, int index);
/* dtype and shape as declared (rank -1 when unknown); kind: 0 tensor, 1 sequence, 2 optional */
INFER_API infer_status infer_model_input_info(const infer_model *model, int index, infer_tensor *info, int *kind);
INFER_API infer_status infer_model_output_info(const infer_model *model, int index, infer_tensor *info, int *kind);

typedef struct infer_model_stats {
    int64_t ir_version;
    int64_t opset;            /* of the default domain */
    int node_count;           /* nodes executed (after optimisation) */
    int initializer_count;
    int64_t param_count;      /* elements in initializers */
    size_t param_bytes;
} infer_model_stats;
INFER_API void infer_model_get_stats(const infer_model *model, infer_model_stats *stats);
/* Op histogram of the executed graph: index i in [0, count) -> op type and number of nodes. */
INFER_API int infer_model_op_count(const infer_model *model);
/* Writes the (optimised) model as an ONNX ModelProto into a buffer from the options' allocator
   (free it with infer_buffer_free). Only standard operators are written. */
INFER_API infer_status infer_model_encode(const infer_model *model, void **out, size_t *out_size, const infer_options *opts);
/* What the load-time optimiser did (each count in nodes of the file's graph). */
typedef struct infer_opt_report {
    int nodes_in_file, nodes_after;
    int folded;          /* constant folding: nodes computed at load */
    int shape_folded;    /* shape computations that became constants */
    int pruned;          /* nodes nobody reads */
    int bn_folded;       /* BatchNormalizations folded into the preceding Conv */
    int passthrough;     /* Identity, inference Dropout, no-op Cast */
    int fused;           /* nodes absorbed by fusions (LayerNorm, Gelu, Conv/Gemm/MatMul epilogues) */
    int cse;             /* common subexpressions removed */
} infer_opt_report;
INFER_API void infer_model_opt_report(const infer_model *model, infer_opt_report *report);
/* Graphviz picture of the executed graph. */
INFER_API infer_status infer_model_save_dot(const infer_model *model, const char *path);
INFER_API const char *infer_model_op_type(const infer_model *model, int i, int *count);

/* ============================================================================================== */
/* >>api-run: sessions (one per thread; each holds its arena and bound inputs)                    */
/* ============================================================================================== */
typedef struct infer_session infer_session;

INFER_API infer_status infer_session_create(const infer_model *model, const infer_options *opts,
                                            infer_session **out, infer_error *err);
INFER_API void infer_session_destroy(infer_session *sess);
/* Binds input `index` (as infer_model_input_name). The data is not copied: keep it alive until
   infer_session_run returns. Binding a new shape makes the next run re-plan (allocates). */
INFER_API infer_status infer_session_set_input(infer_session *sess, int index, const infer_tensor *t);
INFER_API int infer_session_find_input(const infer_session *sess, const char *name);
/* Plans memory for the bound input shapes (runs the graph once). infer_session_run calls it when
   the shapes changed; call it yourself to do the allocation ahead of time. */
INFER_API infer_status infer_session_prepare(infer_session *sess);
/* Runs the graph. Once prepared for these input shapes it allocates nothing. */
INFER_API infer_status infer_session_run(infer_session *sess);
/* Output tensor; its data lives in the session's arena until the next run. For a sequence output
   `t` gets item 0 and *count (when not NULL) the item count; use infer_session_get_output_item. */
INFER_API infer_status infer_session_get_output(infer_session *sess, int index, infer_tensor *t);
/* Sequence and optional outputs: kind 0 tensor, 1 sequence, 2 optional; count items (optional: 0 or 1). */
INFER_API infer_status infer_session_get_output_kind(infer_session *sess, int index, int *kind, int *count);
INFER_API infer_status infer_session_get_output_item(infer_session *sess, int index, int item, infer_tensor *t);
/* Sequence / optional inputs: kind 1 sequence of `count` tensors, kind 2 optional (count 0 = none). */
INFER_API infer_status infer_session_set_input_items(infer_session *sess, int index, int kind, int count,
                                                     const infer_tensor *items);
INFER_API const char *infer_session_error(const infer_session *sess);
/* Bytes of activation memory the session planned (0 before the first prepare). */
INFER_API size_t infer_session_arena_size(const infer_session *sess);

/* ============================================================================================== */
/* >>api-util: helpers                                                                            */
/* ============================================================================================== */
INFER_API const char *infer_status_string(infer_status status);
INFER_API const char *infer_dtype_name(int dtype);
INFER_API size_t infer_dtype_size(int dtype);       /* bytes per element as stored; 0 if unknown */
INFER_API int64_t infer_tensor_count(const infer_tensor *t);
INFER_API void infer_tensor_init(infer_tensor *t, int dtype, int rank, const int64_t *dims, void *data);

/* TensorProto / SequenceProto / OptionalProto files (the .pb files of the ONNX test data).
   A decoded value owns its memory: free it with infer_value_free. */
typedef struct infer_value {
    int kind;                 /* 0 tensor, 1 sequence, 2 optional */
    int count;                /* tensors in `items` (tensor: 1; optional: 0 or 1) */
    infer_tensor *items;
    char *name;
    int elem_kind;            /* for an empty optional/sequence: the declared element kind */
    void *storage_;           /* private */
} infer_value;
INFER_API infer_status infer_value_decode(const void *data, size_t size, int kind_hint, infer_value *out,
                                          const infer_options *opts, infer_error *err);
INFER_API void infer_value_free(infer_value *v, const infer_options *opts);
/* Encodes to a buffer allocated with the options' allocator; free it with infer_buffer_free. */
INFER_API infer_status infer_value_encode(const infer_value *v, void **out, size_t *out_size, const infer_options *opts);
INFER_API void infer_buffer_free(void *buf, const infer_options *opts);

#ifdef __cplusplus
}
#endif
#endif /* INFER_H_INCLUDED */

/* ============================================================================================== */
/* >>backend: graph structures and the kernel interface; infer_cuda.cu includes only this part     */
/* ============================================================================================== */
#if (defined(INFER_IMPLEMENTATION) || defined(INFER_BACKEND_INTERFACE)) && !defined(INFER__BACKEND_INCLUDED)
#define INFER__BACKEND_INCLUDED
#ifdef __cplusplus
extern "C" {
#endif

#define INFER_BACKEND_ABI 1

/* Attribute kinds, numbered as ONNX's AttributeProto.AttributeType. */
enum {
    INFER__ATTR_UNDEFINED = 0, INFER__ATTR_FLOAT = 1, INFER__ATTR_INT = 2, INFER__ATTR_STRING = 3,
    INFER__ATTR_TENSOR = 4, INFER__ATTR_GRAPH = 5, INFER__ATTR_FLOATS = 6, INFER__ATTR_INTS = 7,
    INFER__ATTR_STRINGS = 8, INFER__ATTR_TENSORS = 9, INFER__ATTR_GRAPHS = 10,
    INFER__ATTR_SPARSE_TENSOR = 11, INFER__ATTR_SPARSE_TENSORS = 12, INFER__ATTR_TYPE_PROTO = 13,
    INFER__ATTR_TYPE_PROTOS = 14
};

/* Activations fused into a producing node (infer__node.post_act) */
enum { INFER__ACT_NONE = 0, INFER__ACT_RELU, INFER__ACT_CLIP, INFER__ACT_LEAKYRELU, INFER__ACT_SIGMOID,
       INFER__ACT_HARDSIGMOID, INFER__ACT_HARDSWISH, INFER__ACT_TANH, INFER__ACT_SILU };

/* Value kinds */
enum { INFER__KIND_TENSOR = 0, INFER__KIND_SEQUENCE = 1, INFER__KIND_OPTIONAL = 2, INFER__KIND_MAP = 3 };

struct infer__graph;
struct infer__typeinfo;

typedef struct infer__attr {
    const char *name;
    const char *ref_attr_name;     /* inside a function body: refers to the caller's attribute */
    int type;                      /* INFER__ATTR_* */
    int n;                         /* element count of a list kind */
    float f;
    int64_t i;
    const char *s;                 /* STRING: bytes (NUL-terminated copy), length in slen */
    size_t slen;
    float *floats;
    int64_t *ints;
    char **strings;
    infer_tensor *tensors;         /* TENSOR (n = 1) or TENSORS */
    struct infer__graph **graphs;  /* GRAPH (n = 1) or GRAPHS */
    struct infer__typeinfo *types; /* TYPE_PROTO(S) */
} infer__attr;

/* Declared type of a value: a tensor type, or a sequence / optional of one. */
typedef struct infer__typeinfo {
    int kind;                      /* INFER__KIND_*; for sequence / optional see `elem` */
    int dtype;                     /* tensor element type (0 unknown) */
    int rank;                      /* -1: unknown */
    int64_t dims[INFER_MAX_RANK];  /* -1: symbolic or unknown */
    const char *dim_params[INFER_MAX_RANK];
    struct infer__typeinfo *elem;  /* sequence / optional element type */
} infer__typeinfo;

/* A named value of a graph. */
typedef struct infer__value {
    const char *name;
    infer__typeinfo type;          /* declared (input, output, value_info) or inferred */
    int producer;                  /* node index, or -1 */
    int is_input;                  /* graph input fed by the caller (index in the graph's input list + 1) */
    int is_output;                 /* graph output (index + 1) */
    int is_outer;                  /* a subgraph's reference to a value of an enclosing graph */
    int outer_idx;                 /* ... its index in the parent graph's values */
    infer_tensor *init;            /* initializer / constant data, NULL otherwise */
    int last_use;                  /* node index of the last consumer (graph length if an output) */
} infer__value;

struct infer__op;

typedef struct infer__node {
    const char *name;
    const char *op_type;
    const char *domain;            /* "" for ai.onnx */
    int opset;                     /* version of the node's domain imported by the model */
    int n_in, n_out, n_attr;
    int *in;                       /* value indices; -1 for an omitted optional input */
    int *out;                      /* value indices; -1 for an omitted optional output */
    infer__attr *attrs;
    const struct infer__op *op;    /* kernel chosen at load */
    /* run-time fusion (never written out): out = act(out + value post_add), applied by the kernel
       when it sets kctx.epilogue_done, else by the executor */
    int post_act;                  /* INFER__ACT_* (0: none) */
    float post_alpha, post_beta;
    int post_add;                  /* 1 + value index of a residual to add first; 0: none */
    const char **in_names;         /* as written in the file (kept for messages and export) */
    const char **out_names;
    int n_outer;                   /* values of this graph read by the node's subgraphs */
    int *outer;
} infer__node;

typedef struct infer__graph {
    const char *name;
    int n_nodes, n_values, n_inputs, n_outputs, n_inits;
    infer__node *nodes;            /* in execution (topological) order */
    infer__value *values;
    int *inputs;                   /* graph inputs, including ones with an initializer (value idx) */
    int *outputs;
    struct infer__graph *parent;   /* enclosing graph of a subgraph */
    int depth;
} infer__graph;

/* A value at run time: a tensor, or a sequence / optional of tensors. */
typedef struct infer__rval {
    infer_tensor t;                /* the tensor (kind TENSOR, or an optional holding a tensor) */
    int kind;                      /* INFER__KIND_* */
    int present;                   /* OPTIONAL: 1 if it holds a value */
    int elem_kind;                 /* OPTIONAL: kind of the held value (TENSOR or SEQUENCE) */
    int count;                     /* SEQUENCE (or optional sequence): number of items */
    infer_tensor *items;           /* sequence items */
    int elem_dtype;                /* declared element type of an empty sequence / optional */
    int planned;                   /* private to the planner */
} infer__rval;

struct infer__kctx;
typedef infer_status (*infer__kernel_fn)(struct infer__kctx *c);

/* Kernel context: what one node sees while it runs. */
typedef struct infer__kctx {
    const infer__node *node;
    int n_in, n_out;
    infer_tensor **in;             /* NULL for an omitted optional input (or a non-tensor) */
    infer_tensor **out;            /* filled by infer__k_output(); NULL for an omitted output */
    infer__rval **vin;             /* the same inputs as run-time values (sequences, optionals) */
    infer__rval **vout;
    int nthreads;                  /* threads the kernel may use (num_threads clause) */
    int epilogue_done;             /* set by a kernel that applied node->post_add / post_act itself */
    void *sess;                    /* private: the session running the node */
} infer__kctx;

typedef struct infer__op {
    const char *domain;            /* "" = ai.onnx, "ai.onnx.ml", ... */
    const char *op_type;
    int since, until;              /* opset versions the kernel implements, inclusive */
    infer__kernel_fn fn;
} infer__op;

#ifdef __cplusplus
}
#endif
#endif /* backend interface */

/* ============================================================================================== */
/*                                       IMPLEMENTATION                                           */
/* ============================================================================================== */
#if defined(INFER_IMPLEMENTATION) && !defined(INFER__IMPLEMENTATION_DONE)
#define INFER__IMPLEMENTATION_DONE

/* ============================================================================================== */
/* >>impl-config: internal feature macros, derived once                                           */
/* ============================================================================================== */
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <float.h>
#include <limits.h>

#if defined(INFER_MALLOC) && defined(INFER_FREE) && defined(INFER_REALLOC)
#elif !defined(INFER_MALLOC) && !defined(INFER_FREE) && !defined(INFER_REALLOC)
#define INFER_MALLOC(sz) malloc(sz)
#define INFER_REALLOC(p, sz) realloc(p, sz)
#define INFER_FREE(p) free(p)
#else
#error "define all of INFER_MALLOC, INFER_REALLOC and INFER_FREE, or none"
#endif

#ifndef INFER_ASSERT
#include <assert.h>
#define INFER_ASSERT(x) assert(x)
#endif

#ifndef INFER_MAX_DEPTH
#define INFER_MAX_DEPTH 64
#endif

#define INFER__ALIGN 64
#define INFER__MAX_NAME 4096

/* ============================================================================================== */
/* >>platform: OpenMP and SIMD                                                                    */
/* ============================================================================================== */
#if defined(_OPENMP) && !defined(INFER_NO_OPENMP)
#include <omp.h>
#define INFER__HAS_OPENMP 1
#define INFER__PRAGMA(x) _Pragma(#x)
/* Parallel loop over the next `for` with nt threads (never omp_set_num_threads). */
#define INFER__OMP_FOR(nt) INFER__PRAGMA(omp parallel for num_threads(nt) schedule(static))
#define INFER__OMP_FOR_DYN(nt) INFER__PRAGMA(omp parallel for num_threads(nt) schedule(dynamic))
#else
#define INFER__HAS_OPENMP 0
#define INFER__OMP_FOR(nt)
#define INFER__OMP_FOR_DYN(nt)
#endif

#if defined(__AVX2__) && defined(__FMA__) && !defined(INFER_NO_SIMD)
#include <immintrin.h>
#define INFER__HAS_AVX2 1
#else
#define INFER__HAS_AVX2 0
#endif

#ifdef __cplusplus
#define INFER__CAST(T, x) ((T)(x))
#else
#define INFER__CAST(T, x) (x)
#endif

/* Threads for a loop of `work` elementary operations: small work stays on one thread. */
#define INFER__THREADS(c, work) ((work) < 32768 ? 1 : (c)->nthreads)

/* ============================================================================================== */
/* >>util: strings, errors, overflow-checked sizes, float16 / bfloat16                            */
/* ============================================================================================== */
static void infer__errorf(infer_error *err, infer_status st, const char *fmt, ...) {
    va_list ap;
    if (!err) return;
    err->status = st;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* a * b into *out; 0 on overflow (of size_t). */
static int infer__mul_size(size_t a, size_t b, size_t *out) {
    if (a && b > (size_t)-1 / a) return 0;
    *out = a * b;
    return 1;
}

static int64_t infer__numel(const infer_tensor *t) {
    int64_t n = 1;
    int i;
    for (i = 0; i < t->rank; i++) n *= t->dims[i];
    return n;
}

/* Element count of dims, or -1 if negative or beyond 2^62. */
static int64_t infer__count_checked(int rank, const int64_t *dims) {
    int64_t n = 1;
    int i;
    for (i = 0; i < rank; i++) {
        if (dims[i] < 0) return -1;
        if (dims[i] && n > ((int64_t)1 << 62) / dims[i]) return -1;
        n *= dims[i];
    }
    return n;
}

static size_t infer__dtype_size(int dt) {
    switch (dt) {
    case INFER_DTYPE_FLOAT: case INFER_DTYPE_INT32: case INFER_DTYPE_UINT32: return 4;
    case INFER_DTYPE_UINT8: case INFER_DTYPE_INT8: case INFER_DTYPE_BOOL:
    case INFER_DTYPE_FLOAT8E4M3FN: case INFER_DTYPE_FLOAT8E4M3FNUZ: case INFER_DTYPE_FLOAT8E5M2:
    case INFER_DTYPE_FLOAT8E5M2FNUZ: case INFER_DTYPE_UINT4: case INFER_DTYPE_INT4:
    case INFER_DTYPE_FLOAT4E2M1: case INFER_DTYPE_FLOAT8E8M0: case INFER_DTYPE_UINT2: case INFER_DTYPE_INT2:
        return 1;
    case INFER_DTYPE_UINT16: case INFER_DTYPE_INT16: case INFER_DTYPE_FLOAT16: case INFER_DTYPE_BFLOAT16: return 2;
    case INFER_DTYPE_INT64: case INFER_DTYPE_UINT64: case INFER_DTYPE_DOUBLE: case INFER_DTYPE_COMPLEX64: return 8;
    case INFER_DTYPE_COMPLEX128: return 16;
    case INFER_DTYPE_STRING: return sizeof(char *);
    default: return 0;
    }
}

static size_t infer__tensor_bytes(const infer_tensor *t) {
    return (size_t)infer__numel(t) * infer__dtype_size(t->dtype);
}

static float infer__f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    float f;
    if (exp == 0) {
        f = (float)man * (1.0f / 16777216.0f); /* subnormal: man * 2^-24 */
        return sign ? -f : f;
    }
    if (exp == 31) bits = sign | 0x7f800000u | (man << 13);
    else bits = sign | ((exp + 112) << 23) | (man << 13);
    memcpy(&f, &bits, 4);
    return f;
}

/* Round to nearest even. */
static uint16_t infer__f32_to_f16(float f) {
    uint32_t x, sign, mant;
    int exp;
    memcpy(&x, &f, 4);
    sign = (x >> 16) & 0x8000;
    exp = (int)((x >> 23) & 0xff);
    mant = x & 0x7fffff;
    if (exp == 255) return (uint16_t)(sign | 0x7c00 | (mant ? 0x200 | (mant >> 13) : 0));
    exp = exp - 127 + 15;
    if (exp >= 31) return (uint16_t)(sign | 0x7c00);
    if (exp <= 0) {
        uint32_t m, shift, r, half;
        if (exp < -10) return (uint16_t)sign;
        m = mant | 0x800000;
        shift = (uint32_t)(14 - exp);
        r = m >> shift;
        half = 1u << (shift - 1);
        if ((m & ((1u << shift) - 1)) > half || ((m & ((1u << shift) - 1)) == half && (r & 1))) r++;
        return (uint16_t)(sign | r);
    } else {
        uint32_t r = ((uint32_t)exp << 10) | (mant >> 13);
        uint32_t rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (r & 1))) r++;
        return (uint16_t)(sign | r);
    }
}

static float infer__bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static uint16_t infer__f32_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffff) > 0x7f800000) return (uint16_t)((x >> 16) | 0x40);
    x += 0x7fff + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}

/* Element i of a numeric tensor as double / int64 (any stored numeric type). */
static double infer__get_f64(const infer_tensor *t, int64_t i) {
    const void *p = t->data;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: return ((const float *)p)[i];
    case INFER_DTYPE_DOUBLE: return ((const double *)p)[i];
    case INFER_DTYPE_FLOAT16: return infer__f16_to_f32(((const uint16_t *)p)[i]);
    case INFER_DTYPE_BFLOAT16: return infer__bf16_to_f32(((const uint16_t *)p)[i]);
    case INFER_DTYPE_INT8: return ((const int8_t *)p)[i];
    case INFER_DTYPE_UINT8: case INFER_DTYPE_BOOL: return ((const uint8_t *)p)[i];
    case INFER_DTYPE_INT16: return ((const int16_t *)p)[i];
    case INFER_DTYPE_UINT16: return ((const uint16_t *)p)[i];
    case INFER_DTYPE_INT32: return ((const int32_t *)p)[i];
    case INFER_DTYPE_UINT32: return ((const uint32_t *)p)[i];
    case INFER_DTYPE_INT64: return (double)((const int64_t *)p)[i];
    case INFER_DTYPE_UINT64: return (double)((const uint64_t *)p)[i];
    default: return 0;
    }
}

static int64_t infer__get_i64(const infer_tensor *t, int64_t i) {
    const void *p = t->data;
    switch (t->dtype) {
    case INFER_DTYPE_INT64: return ((const int64_t *)p)[i];
    case INFER_DTYPE_INT32: return ((const int32_t *)p)[i];
    case INFER_DTYPE_UINT64: return (int64_t)((const uint64_t *)p)[i];
    case INFER_DTYPE_UINT32: return ((const uint32_t *)p)[i];
    case INFER_DTYPE_INT16: return ((const int16_t *)p)[i];
    case INFER_DTYPE_UINT16: return ((const uint16_t *)p)[i];
    case INFER_DTYPE_INT8: return ((const int8_t *)p)[i];
    case INFER_DTYPE_UINT8: case INFER_DTYPE_BOOL: return ((const uint8_t *)p)[i];
    default: {
        double d = infer__get_f64(t, i);
        if (d != d) return 0;
        if (d >= 9.2e18) return INT64_MAX;
        if (d <= -9.2e18) return INT64_MIN;
        return (int64_t)d;
    }
    }
}

/* Writes v into element i of a numeric tensor, converting as Cast does. */
static void infer__set_f64(infer_tensor *t, int64_t i, double v) {
    void *p = t->data;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: ((float *)p)[i] = (float)v; break;
    case INFER_DTYPE_DOUBLE: ((double *)p)[i] = v; break;
    case INFER_DTYPE_FLOAT16: ((uint16_t *)p)[i] = infer__f32_to_f16((float)v); break;
    case INFER_DTYPE_BFLOAT16: ((uint16_t *)p)[i] = infer__f32_to_bf16((float)v); break;
    case INFER_DTYPE_BOOL: ((uint8_t *)p)[i] = v != 0; break;
    case INFER_DTYPE_INT8: ((int8_t *)p)[i] = (int8_t)(int64_t)v; break;
    case INFER_DTYPE_UINT8: ((uint8_t *)p)[i] = (uint8_t)(int64_t)v; break;
    case INFER_DTYPE_INT16: ((int16_t *)p)[i] = (int16_t)(int64_t)v; break;
    case INFER_DTYPE_UINT16: ((uint16_t *)p)[i] = (uint16_t)(int64_t)v; break;
    case INFER_DTYPE_INT32: ((int32_t *)p)[i] = (int32_t)(int64_t)v; break;
    case INFER_DTYPE_UINT32: ((uint32_t *)p)[i] = (uint32_t)(int64_t)v; break;
    case INFER_DTYPE_INT64: ((int64_t *)p)[i] = (int64_t)v; break;
    case INFER_DTYPE_UINT64: ((uint64_t *)p)[i] = (uint64_t)v; break;
    default: break;
    }
}

static void infer__set_i64(infer_tensor *t, int64_t i, int64_t v) {
    void *p = t->data;
    switch (t->dtype) {
    case INFER_DTYPE_INT64: ((int64_t *)p)[i] = v; break;
    case INFER_DTYPE_UINT64: ((uint64_t *)p)[i] = (uint64_t)v; break;
    case INFER_DTYPE_INT32: ((int32_t *)p)[i] = (int32_t)v; break;
    case INFER_DTYPE_UINT32: ((uint32_t *)p)[i] = (uint32_t)v; break;
    default: infer__set_f64(t, i, (double)v); break;
    }
}

static int infer__is_float(int dt) {
    return dt == INFER_DTYPE_FLOAT || dt == INFER_DTYPE_DOUBLE || dt == INFER_DTYPE_FLOAT16 ||
           dt == INFER_DTYPE_BFLOAT16;
}

/* Numpy-style broadcast of two shapes; 0 if incompatible. dout may alias da or db. */
static int infer__broadcast(int ra, const int64_t *da, int rb, const int64_t *db, int *rout, int64_t *dout) {
    int r = ra > rb ? ra : rb, i;
    int64_t tmp[INFER_MAX_RANK];
    if (r > INFER_MAX_RANK) return 0;
    for (i = 0; i < r; i++) {
        int64_t a = i < r - ra ? 1 : da[i - (r - ra)];
        int64_t b = i < r - rb ? 1 : db[i - (r - rb)];
        if (a == b || b == 1) tmp[i] = a;
        else if (a == 1) tmp[i] = b;
        else return 0;
    }
    for (i = 0; i < r; i++) dout[i] = tmp[i];
    *rout = r;
    return 1;
}

/* Strides (in elements) of `t` broadcast to rank r (right-aligned): 0 along broadcast axes. */
static void infer__bstrides(const infer_tensor *t, int r, int64_t *st) {
    int i, off = r - t->rank;
    int64_t s = 1;
    for (i = r - 1; i >= 0; i--) {
        if (i < off) { st[i] = 0; continue; }
        st[i] = t->dims[i - off] == 1 ? 0 : s;
        s *= t->dims[i - off];
    }
}

/* Normalises a possibly negative axis against rank; -1 (caller reports) if out of range. */
static int infer__axis(int64_t axis, int rank) {
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= (rank ? rank : 1)) return -1;
    return (int)axis;
}

/* A fused activation (infer__node.post_act) on one value; kernels call it in their store loops. */
static float infer__act(float v, int act, float alpha, float beta) {
    switch (act) {
    case INFER__ACT_RELU: return v > 0 ? v : 0;
    case INFER__ACT_CLIP: return v < alpha ? alpha : v > beta ? beta : v;
    case INFER__ACT_LEAKYRELU: return v >= 0 ? v : v * alpha;
    case INFER__ACT_SIGMOID: return 1.0f / (1.0f + expf(-v));
    case INFER__ACT_HARDSIGMOID: { float h = alpha * v + beta; return h < 0 ? 0 : h > 1 ? 1 : h; }
    case INFER__ACT_HARDSWISH: { float h = v / 6.0f + 0.5f; return v * (h < 0 ? 0 : h > 1 ? 1 : h); }
    case INFER__ACT_TANH: return tanhf(v);
    case INFER__ACT_SILU: return v / (1.0f + expf(-v));
    default: return v;
    }
}

/* ---- The kernel support API (implemented in >>run) ------------------------------------------ */
/* Output i with this type and shape; returns its data (NULL: error already set on the session). */
static void *infer__k_output(infer__kctx *c, int i, int dtype, int rank, const int64_t *dims);
/* Output i shares input j's memory with a new shape (Reshape, Squeeze, Identity...): no copy. */
static infer_status infer__k_output_alias(infer__kctx *c, int i, int j, int rank, const int64_t *dims);
/* Temporary memory for this node only, 64-byte aligned, planned like the outputs. */
static void *infer__k_scratch(infer__kctx *c, size_t bytes);
/* Sets the session's error "node 'NAME' (OP): <message>" and returns st. */
static infer_status infer__k_fail(infer__kctx *c, infer_status st, const char *fmt, ...);
/* Sequence output i with `count` items; fill each item with infer__k_item(). */
static infer_status infer__k_output_seq(infer__kctx *c, int i, int count);
static void *infer__k_item(infer__kctx *c, int i, int item, int dtype, int rank, const int64_t *dims);
/* Bytes for a string output element (len + 1, NUL added by the caller); valid until the next run. */
static char *infer__k_string_alloc(infer__kctx *c, size_t len);
/* Optional output i: present (1) holding a tensor set with infer__k_item(c, i, 0, ...), or none (0). */
static infer_status infer__k_output_opt(infer__kctx *c, int i, int present, int elem_dtype);

/* Attributes of the running node */
static const infer__attr *infer__attr_find(const infer__node *n, const char *name) {
    int i;
    for (i = 0; i < n->n_attr; i++)
        if (strcmp(n->attrs[i].name, name) == 0) return &n->attrs[i];
    return NULL;
}
static int64_t infer__k_attr_i(const infer__kctx *c, const char *name, int64_t def) {
    const infer__attr *a = infer__attr_find(c->node, name);
    return a && a->type == INFER__ATTR_INT ? a->i : def;
}
static float infer__k_attr_f(const infer__kctx *c, const char *name, float def) {
    const infer__attr *a = infer__attr_find(c->node, name);
    return a && a->type == INFER__ATTR_FLOAT ? a->f : def;
}
static const char *infer__k_attr_s(const infer__kctx *c, const char *name, const char *def) {
    const infer__attr *a = infer__attr_find(c->node, name);
    return a && a->type == INFER__ATTR_STRING ? a->s : def;
}
static int64_t infer__k_attr_i_node(const infer__node *n, const char *name, int64_t def) {
    const infer__attr *a = infer__attr_find(n, name);
    return a && a->type == INFER__ATTR_INT ? a->i : def;
}
static float infer__k_attr_f_node(const infer__node *n, const char *name, float def) {
    const infer__attr *a = infer__attr_find(n, name);
    return a && a->type == INFER__ATTR_FLOAT ? a->f : def;
}
/* INTS attribute: count (vals set), or -1 when absent. */
static int infer__k_attr_ints(const infer__kctx *c, const char *name, const int64_t **vals) {
    const infer__attr *a = infer__attr_find(c->node, name);
    if (!a || a->type != INFER__ATTR_INTS) return -1;
    *vals = a->ints;
    return a->n;
}
static int infer__k_attr_floats(const infer__kctx *c, const char *name, const float **vals) {
    const infer__attr *a = infer__attr_find(c->node, name);
    if (!a || a->type != INFER__ATTR_FLOATS) return -1;
    *vals = a->floats;
    return a->n;
}
/* Input i if present (non-NULL, tensor). */
#define INFER__IN(c, i) ((i) < (c)->n_in ? (c)->in[i] : NULL)
/* Reads an integer tensor (any int type) into vals[max]; its count, or -1 if too long. */
static int infer__tensor_ints(const infer_tensor *t, int64_t *vals, int max) {
    int64_t n = infer__numel(t), i;
    if (n > max) return -1;
    for (i = 0; i < n; i++) vals[i] = infer__get_i64(t, i);
    return (int)n;
}

#include "parts/core_load.h"

/* The kernel families; each defines a table infer__ops_<family>[] ended by a NULL entry. */
#include "parts/k_elementwise.h"
#include "parts/k_reduce.h"
#include "parts/k_movement.h"
#include "parts/k_nn.h"
#include "parts/k_rnn.h"
#include "parts/k_misc.h"
#include "parts/k_attention.h"
#include "parts/core_run.h"
#include "parts/optimize.h"
#endif /* INFER_IMPLEMENTATION */
