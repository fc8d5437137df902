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
   >>api-model    loading a model, asking about it, writing it back out
   >>api-run      sessions: bind inputs, run, read outputs
   >>api-util     .pb tensor files, dtype helpers
   >>backend      graph structures and the kernel interface (what infer_cuda.cu includes)
   >>impl-config  internal feature macros
   >>platform     OpenMP, SIMD selection
   >>util         errors, overflow-checked sizes, float16, the kernel support API
   >>arena        the model's memory pool
   >>protobuf     bounded protobuf reader and writer
   >>onnx-load    ModelProto -> graph, functions inlined, external data
   >>validate     names, producers, subgraph reads, cycles (topological sort)
   >>kernels-*    reference kernels, one section per family: elementwise, reduce, movement, nn,
                  rnn, misc, attention, control
   >>plan         execution state, lifetimes, one arena
   >>run          executing a graph (and subgraphs)
   >>registry     operator table: (domain, op, opset range) -> kernel; the model loader
   >>public       the API functions
   >>optimize     load-time graph rewrites and the ModelProto writer

   CHANGES
   -------
   0.1  first release: loader, planner, reference kernels for the ONNX suites, optimiser, CLI.
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

/* Load-time optimisation passes, for infer_options.disable_passes (level 1 runs constant folding and
   dead-code pruning only; level 2 all of them). */
#define INFER_PASS_CONSTANT_FOLD 0x0001u /* nodes whose inputs are all constant computed at load */
#define INFER_PASS_SHAPE_FOLD    0x0002u /* shape arithmetic over known dims becomes constants */
#define INFER_PASS_DEAD_CODE     0x0004u /* nodes whose outputs nobody reads removed */
#define INFER_PASS_NOOP          0x0008u /* Identity, inference Dropout, no-op Cast/Reshape/Transpose/Expand/Pad/Slice */
#define INFER_PASS_TRANSPOSE     0x0010u /* Transpose pairs cancelled, chains composed into one */
#define INFER_PASS_BN_FOLD       0x0020u /* BatchNormalization into a preceding Conv/ConvTranspose/Gemm/MatMul */
#define INFER_PASS_AFFINE_FOLD   0x0040u /* Mul/Add by per-channel constants into the preceding Conv */
#define INFER_PASS_CSE           0x0080u /* common subexpressions (identical nodes on identical inputs) */
#define INFER_PASS_LAYERNORM     0x0100u /* decomposed LayerNormalization recognised */
#define INFER_PASS_GELU          0x0200u /* decomposed GELU (erf and tanh forms) recognised */
#define INFER_PASS_MATMUL_GEMM   0x0400u /* MatMul (2-D input) + Add(constant bias) -> Gemm */
#define INFER_PASS_EPILOGUE      0x0800u /* run time only: Conv/Gemm/MatMul + bias (MatMul of any rank) + residual Add + activation / SiLU */
#define INFER_PASS_ATTENTION     0x1000u /* run time only: MatMul -> scale -> Add(mask) -> Softmax -> MatMul as one kernel */
#define INFER_PASS_WINOGRAD      0x2000u /* run time only: 3x3 stride-1 Conv in the Winograd domain F(4x4, 3x3) */

typedef struct infer_options {
    int num_threads;            /* 0: OpenMP's default (all cores); 1: the calling thread only */
    int opt_level;              /* 0: default (2); -1: none; 1: safe rewrites; 2: all */
    unsigned disable_passes;    /* INFER_PASS_* bits: passes turned off (0: every pass of the level) */
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
    size_t packed_bytes;      /* weights repacked at load for the GEMM kernels (Conv, Gemm, MatMul) */
    size_t model_bytes;       /* all memory the loaded model holds (graph, weights, packed weights) */
} infer_model_stats;
INFER_API void infer_model_get_stats(const infer_model *model, infer_model_stats *stats);
/* Op histogram of the executed graph: index i in [0, count) -> op type and number of nodes. */
INFER_API int infer_model_op_count(const infer_model *model);
/* Writes the (optimised) model as an ONNX ModelProto into a buffer from the options' allocator
   (free it with infer_buffer_free). Only standard operators are written. */
/* INFER_STATUS_UNSUPPORTED for a model optimised with run-time-only fusions: load it with
   infer_options.standard_ops_only = 1 to write it. */
INFER_API infer_status infer_model_encode(const infer_model *model, void **out, size_t *out_size, const infer_options *opts);
/* Writes the model (as infer_model_encode) to the file `path`. When the file would be larger than
   external_over bytes (0: 2 GB - 1, the protobuf limit; 1: always), every initializer of 1 KiB or more
   goes to ONNX external data: raw bytes in PATH.data next to it (location = that file's name, with
   offset and length). *external (may be NULL): 1 when it did. */
INFER_API infer_status infer_model_save_file(const infer_model *model, const char *path, size_t external_over,
                                             const infer_options *opts, int *external);
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
    int noop;            /* no-op Reshape / Transpose / Expand / Pad / Slice removed */
    int transposes;      /* Transposes cancelled or composed with the one before */
    int affine_folded;   /* Mul / Add by per-channel constants folded into the preceding Conv */
    int gemm;            /* MatMul + Add(bias) rewritten as Gemm */
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
/* The operator registry: entry i in [0, infer_op_count()) -> op type, domain ("" = ai.onnx) and the
   opset versions its kernel implements. */
INFER_API int infer_op_count(void);
INFER_API const char *infer_op_entry(int i, const char **domain, int *since, int *until);
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
/* kind_hint says which message the bytes hold: 0 TensorProto, 1 SequenceProto, 2 OptionalProto
   (the files do not say; take it from the model input or output the file belongs to). */
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
    const float *packed;           /* constant weights packed for the GEMM at load (Conv: A panels per
                                      group; Gemm / MatMul: B panels), or NULL */
    const void *packed_src;        /* ... valid while the weight input's data is this pointer */
    int packed_wino;               /* Conv: packed holds Winograd-transformed weights (infer__wino_pack) */
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
    int shape_only;                /* only the output shapes (and scratch sizes) are wanted: a heavy
                                      float kernel may zero its outputs instead of computing them
                                      (memory planning, the optimizer's shape probes) */
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
/* NEON (AArch64: Advanced SIMD is always there, with vfmaq_laneq_f32): the GEMM micro-kernels, the
   3x3 depthwise kernel and the GEMM epilogue. Every SIMD path keeps its scalar fallback
   (INFER_NO_SIMD selects the fallbacks everywhere). */
#if defined(__ARM_NEON) && defined(__aarch64__) && !defined(INFER_NO_SIMD) && !INFER__HAS_AVX2
#include <arm_neon.h>
#define INFER__HAS_NEON 1
#else
#define INFER__HAS_NEON 0
#endif

#ifdef __cplusplus
#define INFER__CAST(T, x) ((T)(x))
#else
#define INFER__CAST(T, x) (x)
#endif

/* Threads for a loop of `work` elementary operations: small work stays on one thread. */
#define INFER__THREADS(c, work) ((work) < 262144 ? 1 : (c)->nthreads) /* small ops stay on one thread */

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
/* double -> int64 without undefined behaviour: NaN gives 0, out of range saturates. */
static int64_t infer__f2i(double v) {
    if (v != v) return 0;
    if (v >= 9223372036854775807.0) return INT64_MAX;
    if (v <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}

static void infer__set_f64(infer_tensor *t, int64_t i, double v) {
    void *p = t->data;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: ((float *)p)[i] = (float)v; break;
    case INFER_DTYPE_DOUBLE: ((double *)p)[i] = v; break;
    case INFER_DTYPE_FLOAT16: ((uint16_t *)p)[i] = infer__f32_to_f16((float)v); break;
    case INFER_DTYPE_BFLOAT16: ((uint16_t *)p)[i] = infer__f32_to_bf16((float)v); break;
    case INFER_DTYPE_BOOL: ((uint8_t *)p)[i] = v != 0; break;
    case INFER_DTYPE_INT8: ((int8_t *)p)[i] = (int8_t)infer__f2i(v); break;
    case INFER_DTYPE_UINT8: ((uint8_t *)p)[i] = (uint8_t)infer__f2i(v); break;
    case INFER_DTYPE_INT16: ((int16_t *)p)[i] = (int16_t)infer__f2i(v); break;
    case INFER_DTYPE_UINT16: ((uint16_t *)p)[i] = (uint16_t)infer__f2i(v); break;
    case INFER_DTYPE_INT32: ((int32_t *)p)[i] = (int32_t)infer__f2i(v); break;
    case INFER_DTYPE_UINT32: ((uint32_t *)p)[i] = (uint32_t)infer__f2i(v); break;
    case INFER_DTYPE_INT64: ((int64_t *)p)[i] = infer__f2i(v); break;
    case INFER_DTYPE_UINT64: ((uint64_t *)p)[i] = v >= 18446744073709551615.0 ? UINT64_MAX : v > 0 ? (uint64_t)v : 0; break;
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
/* The residual of a fused epilogue (node->post_add), or NULL. */
static const infer_tensor *infer__k_post_add(infer__kctx *c);
/* In shape-only mode (c->shape_only) a heavy kernel calls this once its outputs and scratch are
   requested: zeroes the float outputs and returns 1 (the kernel then returns OK without computing). */
static int infer__k_shape_only(infer__kctx *c) {
    int i;
    if (!c->shape_only) return 0;
    for (i = 0; i < c->n_out; i++)
        if (c->out[i] && c->out[i]->data) memset(c->out[i]->data, 0, infer__tensor_bytes(c->out[i]));
    c->epilogue_done = 1;
    return 1;
}

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
/* The seed of a random node without a `seed` attribute: FNV-1a of its first output's name, so that the
   kernel stays a pure function of its inputs while two unseeded nodes draw different values. */
static uint32_t infer__node_seed(const infer__node *n) {
    const unsigned char *p = n->n_out > 0 && n->out_names && n->out_names[0] ? (const unsigned char *)n->out_names[0]
                                                                             : (const unsigned char *)"";
    uint32_t s = 2166136261u;
    while (*p) s = (s ^ *p++) * 16777619u;
    return s;
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
    struct infer__extw *ext;       /* model writer: where large initializers go (external data), or NULL */
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
    int opt_stats[12];             /* what the optimizer did: folded, shape-folded, pruned, BN folded, identities */
    int plan_shapes_only;          /* no output shape depends on tensor values: planning may skip compute */
    size_t packed_bytes;           /* weights packed for the GEMM (infer__prepack) */
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
    if (L->pool && L->pool->oom && st != INFER_STATUS_OUT_OF_MEMORY && st != INFER_STATUS_LIMIT_EXCEEDED) {
        /* a string or array the exhausted pool could not give looks like a missing field: say why */
        if (L->err && L->err->status == INFER_STATUS_OK)
            infer__errorf(L->err, INFER_STATUS_OUT_OF_MEMORY, "out of memory (then: %s)", what);
        return INFER_STATUS_OUT_OF_MEMORY;
    }
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
    size_t raw_len = 0, n_typed = 0, n_str = 0, esz;
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
        case 6: have_typed_field = 1; n_str++; infer__pb_skip(r, w); break; /* string_data: STRING tensors only */
        case 13:
            if (w == INFER__PB_LEN) {
                infer__pb e = infer__pb_sub(r);
                uint32_t f2; int w2;
                const char *key = NULL, *val = NULL;
                while (infer__pb_next(&e, &f2, &w2)) {
                    if (f2 == 1 && w2 == INFER__PB_LEN) key = infer__pb_str(&e, L->pool);
                    else if (f2 == 2 && w2 == INFER__PB_LEN) {
                        size_t vl;
                        const uint8_t *vp = infer__pb_bytes(&e, &vl);
                        if (vp && memchr(vp, 0, vl)) return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "external data entry with a NUL byte");
                        val = vp ? infer__pool_strndup(L->pool, (const char *)vp, vl) : NULL;
                    } else infer__pb_skip(&e, w2);
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
    {   /* the data present must match the dims before anything is allocated for them */
        int64_t expect = count;
        if (t->dtype == INFER_DTYPE_COMPLEX64 || t->dtype == INFER_DTYPE_COMPLEX128) expect = count * 2;
        if (infer__is_packed_small(t->dtype)) expect = (int64_t)infer__packed_bytes(t->dtype, count);
        if (!external && raw && raw_len != (infer__is_packed_small(t->dtype) ? infer__packed_bytes(t->dtype, count) : (size_t)count * esz))
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "tensor: raw_data size does not match its dims and type");
        if (!external && !raw && t->dtype != INFER_DTYPE_STRING && (int64_t)n_typed != expect && count > 0)
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "tensor: number of typed values does not match its dims");
        if (t->dtype == INFER_DTYPE_STRING && (int64_t)n_str != count)
            return infer__load_fail(L, NULL, INFER_STATUS_INVALID_MODEL, "string tensor: string_data count differs from dims");
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

/* The kernel families below each define a table infer__ops_<family>[] ended by a NULL entry;
   >>registry lists the tables. */
/* ============================================================================================== */
/* >>kernels-elementwise: unary math, activations, broadcast binary ops, variadic, Where, Cast     */
/* ============================================================================================== */
/* REQUEST: a support call for string outputs, e.g. `char **infer__k_output_strings(c, i, rank, dims,
   text_bytes, &text)` returning the pointer array plus `text_bytes` of planned memory for the
   characters. Until then infer__ew_string_output (Cast to STRING) asks infer__k_output for one
   UINT8 block and relabels c->out[0] as a STRING tensor whose pointers lead into that block. */
/* Design. Every element type is computed in one of three "domains":
     F32  float32 in and out, for the hot ops (Add, Mul, Relu, Sigmoid, Tanh, Erf, Gelu...): blocks
          of 32 floats in stack buffers with fixed-count loops that gcc / clang vectorise at -O2
          (exp is a polynomial, see infer__ew_vexp); float16 / bfloat16 rows are converted to
          float32 and take the same path;
     F64  any other floating case (double, mixed Pow, float Cast, the rarer ops): rows are loaded
          into double buffers, computed there and stored back with conversion;
     I64  integer and bool types: the same with int64 buffers (uint64 flagged where the signedness
          matters: division, comparison, right shift). Integer division / modulo by zero give 0.
   Broadcasting collapses the output shape and the inputs' strides to the fewest dims (merging dims
   that stay contiguous or stay broadcast for every input), so the innermost stride of each input
   is 0 or 1; the output is then cut into work items of INFER__EW_ITEM elements (one OpenMP loop)
   and each item walks its rows with an odometer. Same shape, scalar and per-channel / trailing
   vector operands all become long rows with stride 0 or 1. */

#define INFER__EW_BLK 1024 /* elements per row segment (the size of the conversion buffers) */

enum {
    /* unary */
    INFER__EW_ABS, INFER__EW_NEG, INFER__EW_EXP, INFER__EW_LOG, INFER__EW_SQRT, INFER__EW_RECIP,
    INFER__EW_FLOOR, INFER__EW_CEIL, INFER__EW_ROUND, INFER__EW_SIGN, INFER__EW_ERF, INFER__EW_SIN,
    INFER__EW_COS, INFER__EW_TAN, INFER__EW_ASIN, INFER__EW_ACOS, INFER__EW_ATAN, INFER__EW_SINH,
    INFER__EW_COSH, INFER__EW_ASINH, INFER__EW_ACOSH, INFER__EW_ATANH, INFER__EW_ISNAN,
    INFER__EW_ISINF, INFER__EW_NOT, INFER__EW_BITNOT, INFER__EW_RELU, INFER__EW_LEAKY, INFER__EW_ELU,
    INFER__EW_SELU, INFER__EW_CELU, INFER__EW_SIGMOID, INFER__EW_HARDSIGMOID, INFER__EW_HARDSWISH,
    INFER__EW_SOFTPLUS, INFER__EW_SOFTSIGN, INFER__EW_TANH, INFER__EW_THRELU, INFER__EW_GELU,
    INFER__EW_GELU_TANH, INFER__EW_MISH, INFER__EW_SHRINK, INFER__EW_CLIP, INFER__EW_SWISH,
    INFER__EW_COPY,
    /* binary */
    INFER__EW_ADD, INFER__EW_SUB, INFER__EW_MUL, INFER__EW_DIV, INFER__EW_POW, INFER__EW_MOD,
    INFER__EW_EQ, INFER__EW_LT, INFER__EW_GT, INFER__EW_LE, INFER__EW_GE, INFER__EW_AND,
    INFER__EW_OR, INFER__EW_XOR, INFER__EW_BAND, INFER__EW_BOR, INFER__EW_BXOR, INFER__EW_SHL,
    INFER__EW_SHR, INFER__EW_MAX, INFER__EW_MIN, INFER__EW_PRELU, INFER__EW_TAKEB
};

typedef struct infer__ew_par {
    double alpha, beta, gamma, lo, hi; /* op attributes; lo / hi: Clip bounds (F64 domain) */
    int64_t ilo, ihi;                  /* Clip bounds (I64 domain) */
    int flag1, flag2;                  /* IsInf detect_negative / positive; Mod fmod */
    int uns;                           /* I64 domain holds uint64 values */
    int bits;                          /* BitShift: width of the element type */
} infer__ew_par;

static void infer__ew_par_init(infer__ew_par *p) {
    memset(p, 0, sizeof *p);
    p->lo = -HUGE_VAL;
    p->hi = HUGE_VAL;
    p->ilo = INT64_MIN;
    p->ihi = INT64_MAX;
    p->bits = 64;
}

/* ---- type helpers ---------------------------------------------------------------------------- */
static int infer__ew_is_int(int dt) {
    switch (dt) {
    case INFER_DTYPE_UINT8: case INFER_DTYPE_INT8: case INFER_DTYPE_UINT16: case INFER_DTYPE_INT16:
    case INFER_DTYPE_INT32: case INFER_DTYPE_INT64: case INFER_DTYPE_UINT32: case INFER_DTYPE_UINT64:
    case INFER_DTYPE_BOOL:
        return 1;
    default: return 0;
    }
}
/* The types the F64 / I64 domains load and store. */
static int infer__ew_numeric(int dt) { return infer__is_float(dt) || infer__ew_is_int(dt); }

/* Float to int64 without undefined behaviour (NaN and out of range give INT64_MIN, as x86 does). */
static int64_t infer__ew_d2i(double v) {
    if (!(v > -9.2233720368547758e18 && v < 9.2233720368547758e18)) return INT64_MIN;
    return (int64_t)v;
}
static uint64_t infer__ew_d2u(double v) {
    if (v >= 9.2233720368547758e18 && v < 1.8446744073709552e19) return (uint64_t)v;
    return (uint64_t)infer__ew_d2i(v);
}

static int64_t infer__ew_h2i(uint16_t h) { return infer__ew_d2i(infer__f16_to_f32(h)); }
static int64_t infer__ew_bh2i(uint16_t h) { return infer__ew_d2i(infer__bf16_to_f32(h)); }
#define INFER__EW_F16(x) infer__f16_to_f32(x)
#define INFER__EW_BF16(x) infer__bf16_to_f32(x)
#define INFER__EW_NOCONV(x) (x)
#define INFER__EW_U64D(x) ((double)(x))

/* d[0..n) = elements off, off+st, ... of t converted to DT */
#define INFER__EW_LOAD(T, DT, CONV)                                                                \
    {                                                                                              \
        const T *s_ = (const T *)t->data + off;                                                    \
        if (st == 1)                                                                               \
            for (i = 0; i < n; i++) d[i] = (DT)CONV(s_[i]);                                        \
        else if (st == 0) {                                                                        \
            DT v_ = (DT)CONV(s_[0]);                                                               \
            for (i = 0; i < n; i++) d[i] = v_;                                                     \
        } else                                                                                     \
            for (i = 0; i < n; i++) d[i] = (DT)CONV(s_[i * st]);                                   \
    }                                                                                              \
    break

static int infer__ew_is_small(int dt);
static double infer__ew_small_decode(uint8_t c, int dt);
static void infer__ew_load_f64(const infer_tensor *t, int64_t off, int64_t st, int n, double *d) {
    int i;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: INFER__EW_LOAD(float, double, INFER__EW_NOCONV);
    case INFER_DTYPE_DOUBLE: INFER__EW_LOAD(double, double, INFER__EW_NOCONV);
    case INFER_DTYPE_FLOAT16: INFER__EW_LOAD(uint16_t, double, INFER__EW_F16);
    case INFER_DTYPE_BFLOAT16: INFER__EW_LOAD(uint16_t, double, INFER__EW_BF16);
    case INFER_DTYPE_INT8: INFER__EW_LOAD(int8_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT8: case INFER_DTYPE_BOOL: INFER__EW_LOAD(uint8_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_INT16: INFER__EW_LOAD(int16_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT16: INFER__EW_LOAD(uint16_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_INT32: INFER__EW_LOAD(int32_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT32: INFER__EW_LOAD(uint32_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_INT64: INFER__EW_LOAD(int64_t, double, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT64: INFER__EW_LOAD(uint64_t, double, INFER__EW_U64D);
    default:
        if (infer__ew_is_small(t->dtype))
            for (i = 0; i < n; i++) d[i] = infer__ew_small_decode(((const uint8_t *)t->data)[off + i * st], t->dtype);
        else
            for (i = 0; i < n; i++) d[i] = 0;
        break;
    }
}

static void infer__ew_load_i64(const infer_tensor *t, int64_t off, int64_t st, int n, int64_t *d) {
    int i;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: INFER__EW_LOAD(float, int64_t, infer__ew_d2i);
    case INFER_DTYPE_DOUBLE: INFER__EW_LOAD(double, int64_t, infer__ew_d2i);
    case INFER_DTYPE_FLOAT16: INFER__EW_LOAD(uint16_t, int64_t, infer__ew_h2i);
    case INFER_DTYPE_BFLOAT16: INFER__EW_LOAD(uint16_t, int64_t, infer__ew_bh2i);
    case INFER_DTYPE_INT8: INFER__EW_LOAD(int8_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT8: case INFER_DTYPE_BOOL: INFER__EW_LOAD(uint8_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_INT16: INFER__EW_LOAD(int16_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT16: INFER__EW_LOAD(uint16_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_INT32: INFER__EW_LOAD(int32_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT32: INFER__EW_LOAD(uint32_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_INT64: INFER__EW_LOAD(int64_t, int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT64: INFER__EW_LOAD(uint64_t, int64_t, INFER__EW_NOCONV);
    default: for (i = 0; i < n; i++) d[i] = 0; break;
    }
}

#define INFER__EW_STORE(T, CONV)                                                                   \
    {                                                                                              \
        T *o_ = (T *)t->data + off;                                                                \
        for (i = 0; i < n; i++) o_[i] = (T)CONV(s[i]);                                             \
    }                                                                                              \
    break
#define INFER__EW_TOF16(x) infer__f32_to_f16((float)(x))
#define INFER__EW_TOBF16(x) infer__f32_to_bf16((float)(x))
#define INFER__EW_TOBOOL(x) ((x) != 0)

static void infer__ew_store_f64(infer_tensor *t, int64_t off, int n, const double *s) {
    int i;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: INFER__EW_STORE(float, INFER__EW_NOCONV);
    case INFER_DTYPE_DOUBLE: INFER__EW_STORE(double, INFER__EW_NOCONV);
    case INFER_DTYPE_FLOAT16: INFER__EW_STORE(uint16_t, INFER__EW_TOF16);
    case INFER_DTYPE_BFLOAT16: INFER__EW_STORE(uint16_t, INFER__EW_TOBF16);
    case INFER_DTYPE_BOOL: INFER__EW_STORE(uint8_t, INFER__EW_TOBOOL);
    case INFER_DTYPE_INT8: INFER__EW_STORE(int8_t, infer__ew_d2i);
    case INFER_DTYPE_UINT8: INFER__EW_STORE(uint8_t, infer__ew_d2i);
    case INFER_DTYPE_INT16: INFER__EW_STORE(int16_t, infer__ew_d2i);
    case INFER_DTYPE_UINT16: INFER__EW_STORE(uint16_t, infer__ew_d2i);
    case INFER_DTYPE_INT32: INFER__EW_STORE(int32_t, infer__ew_d2i);
    case INFER_DTYPE_UINT32: INFER__EW_STORE(uint32_t, infer__ew_d2i);
    case INFER_DTYPE_INT64: INFER__EW_STORE(int64_t, infer__ew_d2i);
    case INFER_DTYPE_UINT64: INFER__EW_STORE(uint64_t, infer__ew_d2u);
    default: break;
    }
}

#define INFER__EW_I2D(x) (uns ? (double)(uint64_t)(x) : (double)(x))
static void infer__ew_store_i64(infer_tensor *t, int64_t off, int n, const int64_t *s, int uns) {
    int i;
    switch (t->dtype) {
    case INFER_DTYPE_FLOAT: INFER__EW_STORE(float, INFER__EW_I2D);
    case INFER_DTYPE_DOUBLE: INFER__EW_STORE(double, INFER__EW_I2D);
    case INFER_DTYPE_FLOAT16: INFER__EW_STORE(uint16_t, INFER__EW_TOF16);
    case INFER_DTYPE_BFLOAT16: INFER__EW_STORE(uint16_t, INFER__EW_TOBF16);
    case INFER_DTYPE_BOOL: INFER__EW_STORE(uint8_t, INFER__EW_TOBOOL);
    case INFER_DTYPE_INT8: INFER__EW_STORE(int8_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT8: INFER__EW_STORE(uint8_t, INFER__EW_NOCONV);
    case INFER_DTYPE_INT16: INFER__EW_STORE(int16_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT16: INFER__EW_STORE(uint16_t, INFER__EW_NOCONV);
    case INFER_DTYPE_INT32: INFER__EW_STORE(int32_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT32: INFER__EW_STORE(uint32_t, INFER__EW_NOCONV);
    case INFER_DTYPE_INT64: INFER__EW_STORE(int64_t, INFER__EW_NOCONV);
    case INFER_DTYPE_UINT64: INFER__EW_STORE(uint64_t, INFER__EW_NOCONV);
    default: break;
    }
}

/* ---- sub-byte and 8-bit float types (Cast only) ---------------------------------------------- */
static int infer__ew_is_small(int dt) {
    return dt == INFER_DTYPE_FLOAT8E4M3FN || dt == INFER_DTYPE_FLOAT8E4M3FNUZ || dt == INFER_DTYPE_FLOAT8E5M2 ||
           dt == INFER_DTYPE_FLOAT8E5M2FNUZ || dt == INFER_DTYPE_FLOAT4E2M1 || dt == INFER_DTYPE_FLOAT8E8M0 ||
           dt == INFER_DTYPE_INT4 || dt == INFER_DTYPE_UINT4 || dt == INFER_DTYPE_INT2 || dt == INFER_DTYPE_UINT2;
}

/* Layout of the minifloats: mantissa bits, exponent bias, "uz" (no -0 / inf, NaN = sign alone),
   largest finite code, sign bit. */
static void infer__ew_mf_fmt(int dt, int *mb, int *eb, int *bias, int *uz, int *cmax, int *sbit) {
    *uz = 0;
    *sbit = 0x80;
    switch (dt) {
    case INFER_DTYPE_FLOAT8E4M3FN: *mb = 3; *eb = 4; *bias = 7; *cmax = 0x7E; break;
    case INFER_DTYPE_FLOAT8E4M3FNUZ: *mb = 3; *eb = 4; *bias = 8; *uz = 1; *cmax = 0x7F; break;
    case INFER_DTYPE_FLOAT8E5M2: *mb = 2; *eb = 5; *bias = 15; *cmax = 0x7B; break;
    case INFER_DTYPE_FLOAT8E5M2FNUZ: *mb = 2; *eb = 5; *bias = 16; *uz = 1; *cmax = 0x7F; break;
    default: *mb = 1; *eb = 2; *bias = 1; *cmax = 0x7; *sbit = 0x8; break; /* FLOAT4E2M1 */
    }
}

static double infer__ew_mf_decode(uint8_t c, int dt) {
    int mb, eb, bias, uz, cmax, sbit, e, m;
    double v;
    infer__ew_mf_fmt(dt, &mb, &eb, &bias, &uz, &cmax, &sbit);
    if (uz && c == 0x80) return NAN;
    if (dt == INFER_DTYPE_FLOAT8E4M3FN && (c & 0x7F) == 0x7F) return NAN;
    e = (c & (sbit - 1)) >> mb;
    m = c & ((1 << mb) - 1);
    if (dt == INFER_DTYPE_FLOAT8E5M2 && e == 31) v = m ? NAN : HUGE_VAL;
    else if (e == 0) v = ldexp((double)m, 1 - bias - mb);
    else v = ldexp(1.0 + (double)m / (double)(1 << mb), e - bias);
    return (c & sbit) ? -v : v;
}

/* Round to nearest even; out of range saturates to the largest finite value or gives inf / NaN. */
static uint8_t infer__ew_mf_encode(double x, int dt, int saturate) {
    int mb, eb, bias, uz, cmax, sbit, k, e, emin;
    uint8_t sign, nan;
    double a, q, r, maxv;
    infer__ew_mf_fmt(dt, &mb, &eb, &bias, &uz, &cmax, &sbit);
    if (dt == INFER_DTYPE_FLOAT4E2M1) saturate = 1;
    sign = (uint8_t)(signbit(x) ? sbit : 0);
    nan = (uint8_t)(uz ? 0x80 : dt == INFER_DTYPE_FLOAT4E2M1 ? 0x8 : dt == INFER_DTYPE_FLOAT8E5M2 ? (sign | 0x7E)
                                                                                              : (sign | 0x7F));
    if (x != x) return nan;
    maxv = infer__ew_mf_decode((uint8_t)cmax, dt);
    a = fabs(x);
    if (a == HUGE_VAL || a > 2 * maxv) {
        if (saturate) return (uint8_t)(sign | cmax);
        return dt == INFER_DTYPE_FLOAT8E5M2 ? (uint8_t)(sign | 0x7C) : nan;
    }
    emin = 1 - bias;
    (void)frexp(a, &k);
    e = k - 1 < emin ? emin : k - 1;
    q = ldexp(1.0, e - mb);
    r = rint(a / q) * q;
    if (r > maxv) {
        if (saturate) return (uint8_t)(sign | cmax);
        return dt == INFER_DTYPE_FLOAT8E5M2 ? (uint8_t)(sign | 0x7C) : nan;
    }
    if (r == 0) return uz ? 0 : sign;
    if (r < ldexp(1.0, emin)) return (uint8_t)(sign | (int)(r / ldexp(1.0, emin - mb)));
    (void)frexp(r, &k);
    e = k - 1;
    return (uint8_t)(sign | ((e + bias) << mb) | (int)((r / ldexp(1.0, e) - 1.0) * (double)(1 << mb)));
}

/* FLOAT8E8M0: a power of two 2^(c-127); 0xFF is NaN. round: 0 up, 1 down, 2 nearest. */
static uint8_t infer__ew_e8m0_encode(double x, int saturate, int round) {
    float f = (float)x;
    uint32_t b, e, m;
    memcpy(&b, &f, 4);
    e = (b >> 23) & 0xFF;
    m = b & 0x7FFFFF;
    if (e == 0xFF) return (uint8_t)(m ? 0xFF : saturate ? 0xFE : 0xFF);
    if ((round == 0 && m) || (round == 2 && (m & 0x400000))) {
        e++;
        if (e == 0xFF) e = saturate ? 0xFE : 0xFF;
    }
    return (uint8_t)e;
}

static double infer__ew_small_decode(uint8_t c, int dt) {
    switch (dt) {
    case INFER_DTYPE_INT4: case INFER_DTYPE_INT2: return (double)(int8_t)c;
    case INFER_DTYPE_UINT4: case INFER_DTYPE_UINT2: return (double)c;
    case INFER_DTYPE_FLOAT8E8M0: return c == 0xFF ? NAN : ldexp(1.0, (int)c - 127);
    default: return infer__ew_mf_decode(c, dt);
    }
}

static void infer__ew_store_small(infer_tensor *t, int64_t off, int n, const double *s, int saturate, int round) {
    uint8_t *o = (uint8_t *)t->data + off;
    int i, dt = t->dtype;
    for (i = 0; i < n; i++) {
        int64_t v;
        switch (dt) {
        case INFER_DTYPE_INT4: v = infer__ew_d2i(s[i]); o[i] = (uint8_t)(int8_t)(((v & 15) ^ 8) - 8); break;
        case INFER_DTYPE_UINT4: o[i] = (uint8_t)(infer__ew_d2i(s[i]) & 15); break;
        case INFER_DTYPE_INT2: v = infer__ew_d2i(s[i]); o[i] = (uint8_t)(int8_t)(((v & 3) ^ 2) - 2); break;
        case INFER_DTYPE_UINT2: o[i] = (uint8_t)(infer__ew_d2i(s[i]) & 3); break;
        case INFER_DTYPE_FLOAT8E8M0: o[i] = infer__ew_e8m0_encode(s[i], saturate, round); break;
        default: o[i] = infer__ew_mf_encode(s[i], dt, saturate); break;
        }
    }
}

/* ---- unary math on buffers ------------------------------------------------------------------- */
static double infer__ew_sigmoid(double x) {
    return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

/* Runs `op` on n doubles (x and y may alias). */
static void infer__ew_unary_f64(int op, const infer__ew_par *p, const double *x, double *y, int n) {
    int i;
    double a = p->alpha, b = p->beta, g = p->gamma;
#define INFER__EW_MAP(EXPR) for (i = 0; i < n; i++) { double v = x[i]; y[i] = (EXPR); } break
    switch (op) {
    case INFER__EW_ABS: INFER__EW_MAP(fabs(v));
    case INFER__EW_NEG: INFER__EW_MAP(-v);
    case INFER__EW_EXP: INFER__EW_MAP(exp(v));
    case INFER__EW_LOG: INFER__EW_MAP(log(v));
    case INFER__EW_SQRT: INFER__EW_MAP(sqrt(v));
    case INFER__EW_RECIP: INFER__EW_MAP(1.0 / v);
    case INFER__EW_FLOOR: INFER__EW_MAP(floor(v));
    case INFER__EW_CEIL: INFER__EW_MAP(ceil(v));
    case INFER__EW_ROUND: INFER__EW_MAP(rint(v)); /* default rounding mode: half to even */
    case INFER__EW_SIGN: INFER__EW_MAP(v > 0 ? 1.0 : v < 0 ? -1.0 : v);
    case INFER__EW_ERF: INFER__EW_MAP(erf(v));
    case INFER__EW_SIN: INFER__EW_MAP(sin(v));
    case INFER__EW_COS: INFER__EW_MAP(cos(v));
    case INFER__EW_TAN: INFER__EW_MAP(tan(v));
    case INFER__EW_ASIN: INFER__EW_MAP(asin(v));
    case INFER__EW_ACOS: INFER__EW_MAP(acos(v));
    case INFER__EW_ATAN: INFER__EW_MAP(atan(v));
    case INFER__EW_SINH: INFER__EW_MAP(sinh(v));
    case INFER__EW_COSH: INFER__EW_MAP(cosh(v));
    case INFER__EW_ASINH: INFER__EW_MAP(asinh(v));
    case INFER__EW_ACOSH: INFER__EW_MAP(acosh(v));
    case INFER__EW_ATANH: INFER__EW_MAP(atanh(v));
    case INFER__EW_ISNAN: INFER__EW_MAP(v != v ? 1.0 : 0.0);
    case INFER__EW_ISINF:
        INFER__EW_MAP(((p->flag1 && v == -HUGE_VAL) || (p->flag2 && v == HUGE_VAL)) ? 1.0 : 0.0);
    case INFER__EW_NOT: INFER__EW_MAP(v == 0 ? 1.0 : 0.0);
    case INFER__EW_RELU: INFER__EW_MAP(v > 0 ? v : (v == v ? 0.0 : v));
    case INFER__EW_LEAKY: INFER__EW_MAP(v < 0 ? a * v : v);
    case INFER__EW_ELU: INFER__EW_MAP(v < 0 ? a * (exp(v) - 1.0) : v);
    case INFER__EW_SELU: INFER__EW_MAP(v > 0 ? g * v : g * (a * exp(v) - a));
    case INFER__EW_CELU: INFER__EW_MAP((v > 0 ? v : 0.0) + (v < 0 ? a * (exp(v / a) - 1.0) : 0.0));
    case INFER__EW_SIGMOID: INFER__EW_MAP(infer__ew_sigmoid(v));
    case INFER__EW_HARDSIGMOID: INFER__EW_MAP(v != v ? v : fmax(0.0, fmin(1.0, a * v + b)));
    case INFER__EW_HARDSWISH: INFER__EW_MAP(v != v ? v : v * fmax(0.0, fmin(1.0, v / 6.0 + 0.5)));
    case INFER__EW_SOFTPLUS: INFER__EW_MAP(v > 30 ? v : log1p(exp(v)));
    case INFER__EW_SOFTSIGN: INFER__EW_MAP(v / (1.0 + fabs(v)));
    case INFER__EW_TANH: INFER__EW_MAP(tanh(v));
    case INFER__EW_THRELU: INFER__EW_MAP(v > a ? v : 0.0);
    case INFER__EW_GELU: INFER__EW_MAP(0.5 * v * (1.0 + erf(v * 0.70710678118654752440)));
    case INFER__EW_GELU_TANH:
        INFER__EW_MAP(0.5 * v * (1.0 + tanh(0.79788456080286535588 * (v + 0.044715 * v * v * v))));
    case INFER__EW_MISH: INFER__EW_MAP(v * tanh(v > 30 ? v : log1p(exp(v))));
    case INFER__EW_SHRINK: INFER__EW_MAP(v < -a ? v + b : v > a ? v - b : 0.0);
    case INFER__EW_CLIP: INFER__EW_MAP(v < p->lo ? p->lo : v > p->hi ? p->hi : v);
    case INFER__EW_SWISH: INFER__EW_MAP(v * infer__ew_sigmoid(a * v));
    default: INFER__EW_MAP(v);
    }
#undef INFER__EW_MAP
}

/* Integer unary ops (the rest go through F64). */
static int infer__ew_unary_is_int_op(int op) {
    return op == INFER__EW_ABS || op == INFER__EW_NEG || op == INFER__EW_SIGN || op == INFER__EW_RELU ||
           op == INFER__EW_CLIP || op == INFER__EW_NOT || op == INFER__EW_BITNOT || op == INFER__EW_COPY;
}

static void infer__ew_unary_i64(int op, const infer__ew_par *p, const int64_t *x, int64_t *y, int n) {
    int i;
#define INFER__EW_MAP(EXPR) for (i = 0; i < n; i++) { int64_t v = x[i]; y[i] = (EXPR); } break
    switch (op) {
    case INFER__EW_ABS: INFER__EW_MAP(p->uns ? v : v < 0 ? (int64_t)(0 - (uint64_t)v) : v);
    case INFER__EW_NEG: INFER__EW_MAP((int64_t)(0 - (uint64_t)v));
    case INFER__EW_SIGN: INFER__EW_MAP(p->uns ? (v != 0) : v > 0 ? 1 : v < 0 ? -1 : 0);
    case INFER__EW_RELU: INFER__EW_MAP(v > 0 ? v : 0);
    case INFER__EW_CLIP:
        INFER__EW_MAP(p->uns ? ((uint64_t)v < (uint64_t)p->ilo ? p->ilo : (uint64_t)v > (uint64_t)p->ihi ? p->ihi : v)
                             : (v < p->ilo ? p->ilo : v > p->ihi ? p->ihi : v));
    case INFER__EW_NOT: INFER__EW_MAP(v == 0);
    case INFER__EW_BITNOT: INFER__EW_MAP(~v);
    default: INFER__EW_MAP(v);
    }
#undef INFER__EW_MAP
}

/* ---- float32 fast paths ---------------------------------------------------------------------- */
/* Blocks of INFER__EW_VB floats go through a stack buffer: every step is a fixed-count loop with no
   aliasing and no calls, which gcc / clang vectorise at -O2 (the default cost model of gcc 12 does not
   vectorise a loop of unknown count). exp is a Cephes-style polynomial (about 2 ulp), so the
   transcendental activations vectorise too. */
#define INFER__EW_VB 32
#define INFER__EW_VLOOP for (k = 0; k < INFER__EW_VB; k++)

/* t = exp(t): |error| ~2 ulp; overflow gives inf, NaN stays NaN, below -87 gives ~0. */
static void infer__ew_vexp(float *t) {
    float c[INFER__EW_VB];
    int k;
    INFER__EW_VLOOP { float v = t[k]; c[k] = v > -87.0f ? (v < 88.7228f ? v : 88.7228f) : -87.0f; } /* NaN: -87 */
    INFER__EW_VLOOP {
        float xc = c[k], n, r, q, s1, s2;
        int32_t ni, n1;
        uint32_t u1, u2;
        n = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f; /* round to nearest */
        r = xc - n * 0.693359375f;
        r = r + n * 2.12194440e-4f;
        q = 1.9875691500e-4f;
        q = q * r + 1.3981999507e-3f;
        q = q * r + 8.3334519073e-3f;
        q = q * r + 4.1665795894e-2f;
        q = q * r + 1.6666665459e-1f;
        q = q * r + 5.0000001201e-1f;
        q = q * r * r + r + 1.0f;
        ni = (int32_t)n; /* in [-126, 128]: 2^n as 2^n1 * 2^(n-n1), each in range */
        n1 = ni / 2;
        u1 = (uint32_t)(n1 + 127) << 23;
        u2 = (uint32_t)(ni - n1 + 127) << 23;
        memcpy(&s1, &u1, 4);
        memcpy(&s2, &u2, 4);
        c[k] = q * s1 * s2;
    }
    INFER__EW_VLOOP { float v = t[k]; t[k] = v > 88.7228f ? HUGE_VALF : v != v ? v : c[k]; }
}
#if INFER__HAS_AVX2
static __m256 infer__sigmoid256(__m256 x, float s, int mul_x);
#endif
/* t = 1 / (1 + exp(-s * t)) * (mul_x ? x : 1) */
static void infer__ew_vsigmoid(float *t, float s, int mul_x) {
    float e[INFER__EW_VB];
    int k;
#if INFER__HAS_AVX2
    for (k = 0; k < INFER__EW_VB; k += 8) _mm256_storeu_ps(t + k, infer__sigmoid256(_mm256_loadu_ps(t + k), s, mul_x));
    return;
#endif
    INFER__EW_VLOOP e[k] = -s * t[k];
    infer__ew_vexp(e);
    if (mul_x) INFER__EW_VLOOP t[k] = t[k] / (1.0f + e[k]);
    else INFER__EW_VLOOP t[k] = 1.0f / (1.0f + e[k]);
}
/* Selects below only pick between values already stored in arrays: with -ftrapping-math (the
   default) gcc will not if-convert a select whose arm computes something, and the loop stays scalar. */
static void infer__ew_vtanh(float *t) {
    float e[INFER__EW_VB], q[INFER__EW_VB];
    int k;
    INFER__EW_VLOOP e[k] = 2.0f * fabsf(t[k]);
    infer__ew_vexp(e);
    INFER__EW_VLOOP {
        float v = t[k], x2 = v * v, sg = v < 0 ? -1.0f : 1.0f;
        e[k] = sg * (1.0f - 2.0f / (e[k] + 1.0f));
        q[k] = v * (1.0f + x2 * (-0.333333333f + x2 * (0.133333333f + x2 * -0.0539682540f)));
    }
    INFER__EW_VLOOP { float v = t[k]; t[k] = fabsf(v) < 0.0625f ? q[k] : e[k]; }
}
/* t = erf(t) (ec = 0) or 1 + erf(t) (ec = 1), relative error ~1e-6: Taylor series below 0.5,
   else erfc(z) = u exp(-z^2 + P(u)), u = 1 / (1 + z/2) (Numerical Recipes' erfcc). */
static void infer__ew_verf(float *t, int ec) {
    float e[INFER__EW_VB], u[INFER__EW_VB], q[INFER__EW_VB], q1[INFER__EW_VB], o[INFER__EW_VB];
    int k;
    INFER__EW_VLOOP {
        float z = fabsf(t[k]), w;
        u[k] = w = 1.0f / (1.0f + 0.5f * z);
        e[k] = -z * z - 1.26551223f +
               w * (1.00002368f + w * (0.37409196f + w * (0.09678418f + w * (-0.18628806f + w * (0.27886807f +
               w * (-1.13520398f + w * (1.48851587f + w * (-0.82215223f + w * 0.17087277f))))))));
    }
    infer__ew_vexp(e);
    INFER__EW_VLOOP {
        float v = t[k], x2 = v * v, erfc = u[k] * e[k];
        e[k] = erfc;
        u[k] = 2.0f - erfc;
        q[k] = 1.12837917f * v * (1.0f + x2 * (-0.333333333f + x2 * (0.1f + x2 * (-0.0238095238f +
               x2 * (0.00462962963f + x2 * -0.000757575758f)))));
        q1[k] = 1.0f + q[k];
    }
    INFER__EW_VLOOP { float v = t[k], big = v < 0 ? e[k] : u[k]; o[k] = fabsf(v) < 0.5f ? q1[k] : big; } /* 1 + erf */
    if (ec) INFER__EW_VLOOP { float v = t[k]; t[k] = v != v ? v : o[k]; }
    else {
        INFER__EW_VLOOP o[k] = o[k] - 1.0f;
        INFER__EW_VLOOP { float v = t[k], r = fabsf(v) < 0.5f ? q[k] : o[k]; t[k] = v != v ? v : r; }
    }
}

/* The elementwise op of a parameter-free fused activation (SiLU, Sigmoid, Tanh, HardSwish); -1: none */
static int infer__act_ew(int act) {
    return act == INFER__ACT_SILU ? INFER__EW_SWISH : act == INFER__ACT_SIGMOID ? INFER__EW_SIGMOID :
           act == INFER__ACT_TANH ? INFER__EW_TANH : act == INFER__ACT_HARDSWISH ? INFER__EW_HARDSWISH : -1;
}
static int infer__ew_vunary(int op, const infer__ew_par *p, float *t);
static void infer__ew_par_init(infer__ew_par *p);
/* y[0..n) = act(y) in place for an act with infer__act_ew(act) >= 0: whole blocks vectorised */
static void infer__act_span(float *y, int64_t n, int act) {
    infer__ew_par par;
    int64_t i = 0;
    infer__ew_par_init(&par);
    par.alpha = 1.0;
    for (; i + INFER__EW_VB <= n; i += INFER__EW_VB) infer__ew_vunary(infer__act_ew(act), &par, y + i);
    if (i < n) { /* the tail through a zero-padded block */
        float t[INFER__EW_VB];
        memset(t, 0, sizeof t);
        memcpy(t, y + i, (size_t)(n - i) * sizeof(float));
        infer__ew_vunary(infer__act_ew(act), &par, t);
        memcpy(y + i, t, (size_t)(n - i) * sizeof(float));
    }
}

static int infer__ew_vunary_ok(int op) {
    switch (op) {
    case INFER__EW_RELU: case INFER__EW_LEAKY: case INFER__EW_NEG: case INFER__EW_ABS: case INFER__EW_RECIP:
    case INFER__EW_EXP: case INFER__EW_SIGMOID: case INFER__EW_SWISH: case INFER__EW_TANH: case INFER__EW_ERF:
    case INFER__EW_GELU: case INFER__EW_GELU_TANH: case INFER__EW_HARDSIGMOID: case INFER__EW_HARDSWISH:
    case INFER__EW_CLIP:
        return 1;
    default: return 0;
    }
}
/* One block of a unary op in place (an op infer__ew_vunary_ok accepts). */
static int infer__ew_vunary(int op, const infer__ew_par *p, float *t) {
    float a = (float)p->alpha, b = (float)p->beta, lo, hi;
    int k;
    switch (op) {
    case INFER__EW_RELU: INFER__EW_VLOOP { float v = t[k]; t[k] = v > 0.0f ? v : (v == v ? 0.0f : v); } return 1;
    case INFER__EW_LEAKY: {
        float c[INFER__EW_VB];
        INFER__EW_VLOOP c[k] = a * t[k];
        INFER__EW_VLOOP { float v = t[k]; t[k] = v < 0.0f ? c[k] : v; }
        return 1;
    }
    case INFER__EW_NEG: INFER__EW_VLOOP t[k] = -t[k]; return 1;
    case INFER__EW_ABS: INFER__EW_VLOOP t[k] = fabsf(t[k]); return 1;
    case INFER__EW_RECIP: INFER__EW_VLOOP t[k] = 1.0f / t[k]; return 1;
    case INFER__EW_EXP: infer__ew_vexp(t); return 1;
    case INFER__EW_SIGMOID: infer__ew_vsigmoid(t, 1.0f, 0); return 1;
    case INFER__EW_SWISH: infer__ew_vsigmoid(t, a, 1); return 1;
    case INFER__EW_TANH: infer__ew_vtanh(t); return 1;
    case INFER__EW_ERF: infer__ew_verf(t, 0); return 1;
    case INFER__EW_GELU: {
        float x[INFER__EW_VB];
        INFER__EW_VLOOP { x[k] = t[k]; t[k] *= 0.70710678f; }
        infer__ew_verf(t, 1);
        INFER__EW_VLOOP t[k] = 0.5f * x[k] * t[k];
        return 1;
    }
    case INFER__EW_GELU_TANH: { /* 0.5 x (1 + tanh(u)) = x sigmoid(2u) */
        float x[INFER__EW_VB];
        INFER__EW_VLOOP { float v = t[k]; x[k] = v; t[k] = 1.59576912f * (v + 0.044715f * v * v * v); }
        infer__ew_vsigmoid(t, 1.0f, 0);
        INFER__EW_VLOOP t[k] = x[k] * t[k];
        return 1;
    }
    case INFER__EW_HARDSIGMOID:
        INFER__EW_VLOOP { float v = a * t[k] + b; v = v > 1.0f ? 1.0f : v; t[k] = v > 0.0f ? v : (v == v ? 0.0f : v); }
        return 1;
    case INFER__EW_HARDSWISH:
    {
        float c[INFER__EW_VB];
        INFER__EW_VLOOP {
            float v = t[k] * (1.0f / 6.0f) + 0.5f;
            v = v > 1.0f ? 1.0f : v;
            c[k] = v > 0.0f ? v : (v == v ? 0.0f : v);
        }
        INFER__EW_VLOOP t[k] = t[k] * c[k];
        return 1;
    }
    case INFER__EW_CLIP:
        lo = p->lo < -FLT_MAX ? -HUGE_VALF : (float)p->lo;
        hi = p->hi > FLT_MAX ? HUGE_VALF : (float)p->hi;
        INFER__EW_VLOOP { float v = t[k]; v = v < lo ? lo : v; t[k] = v > hi ? hi : v; }
        return 1;
    default: return 0;
    }
}

/* y = op(x) on n floats (x may be y); 0 when op has no fast path. */
static int infer__ew_unary_f32(int op, const infer__ew_par *p, const float *x, float *y, int64_t n) {
    float t[INFER__EW_VB];
    int64_t i;
    if (!infer__ew_vunary_ok(op)) return 0;
    for (i = 0; i < n; i += INFER__EW_VB) {
        int64_t m = n - i < INFER__EW_VB ? n - i : INFER__EW_VB;
        if (m == INFER__EW_VB) memcpy(t, x + i, sizeof t);
        else memcpy(t, x + i, (size_t)m * sizeof(float));
        infer__ew_vunary(op, p, t);
        memcpy(y + i, t, (size_t)m * sizeof(float));
    }
    return 1;
}

/* ---- binary math on buffers ------------------------------------------------------------------ */
static double infer__ew_fmax(double a, double b) { return (a != a || a > b) ? a : b; }
static double infer__ew_fmin(double a, double b) { return (a != a || a < b) ? a : b; }
static double infer__ew_pymod(double a, double b) {
    double r = fmod(a, b);
    if (r != 0) {
        if ((r < 0) != (b < 0)) r += b;
    } else r = copysign(0.0, b);
    return r;
}

static void infer__ew_binary_f64(int op, const infer__ew_par *p, const double *x, const double *w, double *y,
                                 int n) {
    int i;
#define INFER__EW_MAP(EXPR) for (i = 0; i < n; i++) { double a = x[i], b = w[i]; y[i] = (EXPR); } break
    switch (op) {
    case INFER__EW_ADD: INFER__EW_MAP(a + b);
    case INFER__EW_SUB: INFER__EW_MAP(a - b);
    case INFER__EW_MUL: INFER__EW_MAP(a * b);
    case INFER__EW_DIV: INFER__EW_MAP(a / b);
    case INFER__EW_POW: INFER__EW_MAP(pow(a, b));
    case INFER__EW_MOD:
        INFER__EW_MAP(p->flag2 ? fmod(a, b) : infer__ew_pymod(a, b));
    case INFER__EW_EQ: INFER__EW_MAP(a == b);
    case INFER__EW_LT: INFER__EW_MAP(a < b);
    case INFER__EW_GT: INFER__EW_MAP(a > b);
    case INFER__EW_LE: INFER__EW_MAP(a <= b);
    case INFER__EW_GE: INFER__EW_MAP(a >= b);
    case INFER__EW_AND: INFER__EW_MAP(a != 0 && b != 0);
    case INFER__EW_OR: INFER__EW_MAP(a != 0 || b != 0);
    case INFER__EW_XOR: INFER__EW_MAP((a != 0) != (b != 0));
    case INFER__EW_MAX: INFER__EW_MAP(infer__ew_fmax(a, b));
    case INFER__EW_MIN: INFER__EW_MAP(infer__ew_fmin(a, b));
    case INFER__EW_PRELU: INFER__EW_MAP(a < 0 ? a * b : a);
    default: INFER__EW_MAP(((void)a, b)); /* TAKEB */
    }
#undef INFER__EW_MAP
}

static int64_t infer__ew_ipow(int64_t a, int64_t b) {
    uint64_t r = 1, base = (uint64_t)a;
    if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
    while (b) {
        if (b & 1) r *= base;
        base *= base;
        b >>= 1;
    }
    return (int64_t)r;
}
static int64_t infer__ew_idiv(int64_t a, int64_t b, int uns) {
    if (b == 0) return 0;
    if (uns) return (int64_t)((uint64_t)a / (uint64_t)b);
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    return a / b;
}
static int64_t infer__ew_imod(int64_t a, int64_t b, int uns, int cmod) {
    int64_t r;
    if (b == 0) return 0;
    if (uns) return (int64_t)((uint64_t)a % (uint64_t)b);
    if (b == -1) return 0;
    r = a % b;
    if (!cmod && r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
static int64_t infer__ew_shift(int64_t a, int64_t b, int left, int uns, int bits) {
    if (b < 0 || b >= bits) return left ? 0 : (!uns && a < 0) ? -1 : 0;
    if (left) return (int64_t)((uint64_t)a << b);
    return uns ? (int64_t)((uint64_t)a >> b) : (a < 0 ? ~(~a >> b) : a >> b);
}

static void infer__ew_binary_i64(int op, const infer__ew_par *p, const int64_t *x, const int64_t *w, int64_t *y,
                                 int n) {
    int i, u = p->uns;
#define INFER__EW_MAP(EXPR) for (i = 0; i < n; i++) { int64_t a = x[i], b = w[i]; y[i] = (EXPR); } break
#define INFER__EW_UA ((uint64_t)a)
#define INFER__EW_UB ((uint64_t)b)
    switch (op) {
    case INFER__EW_ADD: INFER__EW_MAP((int64_t)(INFER__EW_UA + INFER__EW_UB));
    case INFER__EW_SUB: INFER__EW_MAP((int64_t)(INFER__EW_UA - INFER__EW_UB));
    case INFER__EW_MUL: INFER__EW_MAP((int64_t)(INFER__EW_UA * INFER__EW_UB));
    case INFER__EW_DIV: INFER__EW_MAP(infer__ew_idiv(a, b, u));
    case INFER__EW_POW: INFER__EW_MAP(infer__ew_ipow(a, b));
    case INFER__EW_MOD: INFER__EW_MAP(infer__ew_imod(a, b, u, p->flag2));
    case INFER__EW_EQ: INFER__EW_MAP(a == b);
    case INFER__EW_LT: INFER__EW_MAP(u ? INFER__EW_UA < INFER__EW_UB : a < b);
    case INFER__EW_GT: INFER__EW_MAP(u ? INFER__EW_UA > INFER__EW_UB : a > b);
    case INFER__EW_LE: INFER__EW_MAP(u ? INFER__EW_UA <= INFER__EW_UB : a <= b);
    case INFER__EW_GE: INFER__EW_MAP(u ? INFER__EW_UA >= INFER__EW_UB : a >= b);
    case INFER__EW_AND: INFER__EW_MAP(a != 0 && b != 0);
    case INFER__EW_OR: INFER__EW_MAP(a != 0 || b != 0);
    case INFER__EW_XOR: INFER__EW_MAP((a != 0) != (b != 0));
    case INFER__EW_BAND: INFER__EW_MAP(a & b);
    case INFER__EW_BOR: INFER__EW_MAP(a | b);
    case INFER__EW_BXOR: INFER__EW_MAP(a ^ b);
    case INFER__EW_SHL: INFER__EW_MAP(infer__ew_shift(a, b, 1, u, p->bits));
    case INFER__EW_SHR: INFER__EW_MAP(infer__ew_shift(a, b, 0, u, p->bits));
    case INFER__EW_MAX: INFER__EW_MAP((u ? INFER__EW_UA >= INFER__EW_UB : a >= b) ? a : b);
    case INFER__EW_MIN: INFER__EW_MAP((u ? INFER__EW_UA <= INFER__EW_UB : a <= b) ? a : b);
    case INFER__EW_PRELU: INFER__EW_MAP(a < 0 ? (int64_t)(INFER__EW_UA * INFER__EW_UB) : a);
    default: INFER__EW_MAP(((void)a, b)); /* TAKEB */
    }
#undef INFER__EW_MAP
#undef INFER__EW_UA
#undef INFER__EW_UB
}

/* Float32 rows: a and b with strides 0 or 1 (sa, sb), in blocks as the unary fast paths. */
static int infer__ew_binary_f32_ok(int op) {
    return op == INFER__EW_ADD || op == INFER__EW_SUB || op == INFER__EW_MUL || op == INFER__EW_DIV ||
           op == INFER__EW_MAX || op == INFER__EW_MIN || op == INFER__EW_PRELU || op == INFER__EW_TAKEB;
}
static void infer__ew_binary_f32(int op, const float *x, int64_t sa, const float *w, int64_t sb, float *y,
                                 int64_t n) {
    float ta[INFER__EW_VB], tb[INFER__EW_VB], tc[INFER__EW_VB];
    int64_t i;
    int k;
    if (n < 16) { /* short rows (small inner broadcast dims): plain scalar loop, no block set-up */
        for (i = 0; i < n; i++) {
            float a = x[i * sa], b = w[i * sb], r;
            switch (op) {
            case INFER__EW_ADD: r = a + b; break;
            case INFER__EW_SUB: r = a - b; break;
            case INFER__EW_MUL: r = a * b; break;
            case INFER__EW_DIV: r = a / b; break;
            case INFER__EW_MAX: r = (a != a || a > b) ? a : b; break;
            case INFER__EW_MIN: r = (a != a || a < b) ? a : b; break;
            case INFER__EW_PRELU: r = a < 0 ? a * b : a; break;
            default: r = b; break;
            }
            y[i] = r;
        }
        return;
    }
    if (!sa) INFER__EW_VLOOP ta[k] = x[0];
    if (!sb) INFER__EW_VLOOP tb[k] = w[0];
    for (i = 0; i < n; i += INFER__EW_VB) {
        int64_t m = n - i < INFER__EW_VB ? n - i : INFER__EW_VB;
        if (sa) {
            if (m == INFER__EW_VB) memcpy(ta, x + i, sizeof ta);
            else memcpy(ta, x + i, (size_t)m * sizeof(float));
        }
        if (sb) {
            if (m == INFER__EW_VB) memcpy(tb, w + i, sizeof tb);
            else memcpy(tb, w + i, (size_t)m * sizeof(float));
        }
        switch (op) {
        case INFER__EW_ADD: INFER__EW_VLOOP ta[k] = ta[k] + tb[k]; break;
        case INFER__EW_SUB: INFER__EW_VLOOP ta[k] = ta[k] - tb[k]; break;
        case INFER__EW_MUL: INFER__EW_VLOOP ta[k] = ta[k] * tb[k]; break;
        case INFER__EW_DIV: INFER__EW_VLOOP ta[k] = ta[k] / tb[k]; break;
        case INFER__EW_MAX: INFER__EW_VLOOP { float a = ta[k], b = tb[k]; ta[k] = ((a != a) | (a > b)) ? a : b; } break;
        case INFER__EW_MIN: INFER__EW_VLOOP { float a = ta[k], b = tb[k]; ta[k] = ((a != a) | (a < b)) ? a : b; } break;
        case INFER__EW_PRELU:
            INFER__EW_VLOOP tc[k] = ta[k] * tb[k];
            INFER__EW_VLOOP { float a = ta[k]; ta[k] = a < 0 ? tc[k] : a; }
            break;
        default: INFER__EW_VLOOP ta[k] = tb[k]; break;
        }
        memcpy(y + i, ta, (size_t)m * sizeof(float));
        if (!sa) INFER__EW_VLOOP ta[k] = x[0];
    }
}

/* ---- broadcast iteration --------------------------------------------------------------------- */
#define INFER__EW_ITEM 16384 /* output elements per parallel work item */

typedef struct infer__ew_iter {
    int rank;                    /* after collapsing; >= 1 */
    int64_t dims[INFER_MAX_RANK];
    int64_t st[3][INFER_MAX_RANK];
    int64_t total, len, items;   /* elements; len = the innermost (row) dim; work items */
} infer__ew_iter;

/* Sets up iteration of the output shape (rank, dims) over nin inputs broadcast to it. */
static void infer__ew_iter_init(infer__ew_iter *it, int nin, const infer_tensor *const *ins, int rank,
                                const int64_t *dims) {
    int64_t st[3][INFER_MAX_RANK];
    int k, i, r = 0;
    for (k = 0; k < nin; k++) infer__bstrides(ins[k], rank, st[k]);
    for (i = 0; i < rank; i++) {
        if (dims[i] == 1) continue; /* size-1 output dims carry nothing */
        if (r > 0) {
            int merge = 1;
            for (k = 0; k < nin; k++)
                if (it->st[k][r - 1] != st[k][i] * dims[i]) merge = 0;
            if (merge) {
                it->dims[r - 1] *= dims[i];
                for (k = 0; k < nin; k++) it->st[k][r - 1] = st[k][i];
                continue;
            }
        }
        it->dims[r] = dims[i];
        for (k = 0; k < nin; k++) it->st[k][r] = st[k][i];
        r++;
    }
    if (r == 0) {
        it->dims[0] = 1;
        for (k = 0; k < nin; k++) it->st[k][0] = 0;
        r = 1;
    }
    it->rank = r;
    it->len = it->dims[r - 1];
    it->total = 1;
    for (i = 0; i < r; i++) it->total *= it->dims[i];
    it->items = (it->total + INFER__EW_ITEM - 1) / INFER__EW_ITEM;
}

/* A walk over output elements [pos, end) in row segments (short rows cost a few adds each). */
typedef struct infer__ew_walk {
    int64_t pos, end, col;
    int64_t idx[INFER_MAX_RANK]; /* odometer of the row */
    int64_t row[3];              /* input offsets of the row's first element */
} infer__ew_walk;

static void infer__ew_walk_init(const infer__ew_iter *it, int nin, int64_t item, infer__ew_walk *w) {
    int64_t r;
    int d, k;
    w->pos = item * INFER__EW_ITEM;
    w->end = w->pos + INFER__EW_ITEM < it->total ? w->pos + INFER__EW_ITEM : it->total;
    w->col = w->pos % it->len;
    r = w->pos / it->len;
    for (k = 0; k < nin; k++) w->row[k] = 0;
    for (d = it->rank - 2; d >= 0; d--) {
        w->idx[d] = r % it->dims[d];
        r /= it->dims[d];
        for (k = 0; k < nin; k++) w->row[k] += w->idx[d] * it->st[k][d];
    }
}

/* Next segment: output offset *oo, input offsets io[], count (<= INFER__EW_BLK); 0 at the end. */
static int infer__ew_walk_next(const infer__ew_iter *it, int nin, infer__ew_walk *w, int64_t *oo, int64_t *io) {
    int64_t n;
    int k, d;
    if (w->pos >= w->end) return 0;
    if (w->col == it->len) { /* next row: advance the odometer */
        w->col = 0;
        for (d = it->rank - 2; d >= 0; d--) {
            w->idx[d]++;
            for (k = 0; k < nin; k++) w->row[k] += it->st[k][d];
            if (w->idx[d] < it->dims[d]) break;
            for (k = 0; k < nin; k++) w->row[k] -= it->st[k][d] * it->dims[d];
            w->idx[d] = 0;
        }
    }
    n = it->len - w->col;
    if (n > w->end - w->pos) n = w->end - w->pos;
    if (n > INFER__EW_BLK) n = INFER__EW_BLK;
    *oo = w->pos;
    for (k = 0; k < nin; k++) io[k] = w->row[k] + w->col * it->st[k][it->rank - 1];
    w->pos += n;
    w->col += n;
    return (int)n;
}

/* float16 / bfloat16 rows as float32 (the fast paths then run on them). */
static int infer__ew_is_half(int dt) { return dt == INFER_DTYPE_FLOAT16 || dt == INFER_DTYPE_BFLOAT16; }
static void infer__ew_load_half(const infer_tensor *t, int64_t off, int64_t st, int n, float *d) {
    const uint16_t *s = (const uint16_t *)t->data + off;
    int i;
    if (t->dtype == INFER_DTYPE_FLOAT16)
        for (i = 0; i < n; i++) d[i] = infer__f16_to_f32(s[i * st]);
    else
        for (i = 0; i < n; i++) d[i] = infer__bf16_to_f32(s[i * st]);
}
static void infer__ew_store_half(infer_tensor *t, int64_t off, int n, const float *s) {
    uint16_t *o = (uint16_t *)t->data + off;
    int i;
    if (t->dtype == INFER_DTYPE_FLOAT16)
        for (i = 0; i < n; i++) o[i] = infer__f32_to_f16(s[i]);
    else
        for (i = 0; i < n; i++) o[i] = infer__f32_to_bf16(s[i]);
}

/* One output segment of a binary op: n elements at output offset oo, inputs at io[] with the
   iterator's innermost strides. */
static void infer__ew_binary_seg(int dom, int op, const infer__ew_par *p, const infer_tensor *A,
                                 const infer_tensor *B, infer_tensor *Y, int64_t sa, int64_t sb, int64_t oo,
                                 const int64_t *io, int n) {
    if (dom == 0) {
        infer__ew_binary_f32(op, (const float *)A->data + io[0], sa, (const float *)B->data + io[1], sb,
                             (float *)Y->data + oo, n);
    } else if (dom == 3) {
        float fa[INFER__EW_BLK], fb[INFER__EW_BLK];
        infer__ew_load_half(A, io[0], sa, n, fa);
        infer__ew_load_half(B, io[1], sb, n, fb);
        infer__ew_binary_f32(op, fa, 1, fb, 1, fa, n);
        infer__ew_store_half(Y, oo, n, fa);
    } else if (dom == 1) {
        double ba[INFER__EW_BLK], bb[INFER__EW_BLK];
        infer__ew_load_f64(A, io[0], sa, n, ba);
        infer__ew_load_f64(B, io[1], sb, n, bb);
        infer__ew_binary_f64(op, p, ba, bb, ba, n);
        infer__ew_store_f64(Y, oo, n, ba);
    } else {
        int64_t ba[INFER__EW_BLK], bb[INFER__EW_BLK];
        infer__ew_load_i64(A, io[0], sa, n, ba);
        infer__ew_load_i64(B, io[1], sb, n, bb);
        infer__ew_binary_i64(op, p, ba, bb, ba, n);
        infer__ew_store_i64(Y, oo, n, ba, p->uns && Y->dtype != INFER_DTYPE_BOOL);
    }
}

/* Y = op(A, B) with A and B broadcast to Y's shape (Y allocated; A may be Y itself). Domains: 0 F32,
   3 float16 / bfloat16 through F32, 1 F64, 2 I64. */
static void infer__ew_binary_run(infer__kctx *c, int op, const infer__ew_par *p, const infer_tensor *A,
                                 const infer_tensor *B, infer_tensor *Y) {
    infer__ew_iter it;
    const infer_tensor *ins[2];
    int64_t item, total = infer__numel(Y), sa, sb;
    int nt, dom;
    ins[0] = A;
    ins[1] = B;
    if (total == 0) return;
    infer__ew_iter_init(&it, 2, ins, Y->rank, Y->dims);
    sa = it.st[0][it.rank - 1];
    sb = it.st[1][it.rank - 1];
    nt = INFER__THREADS(c, total);
    (void)nt;
    if (A->dtype == INFER_DTYPE_FLOAT && B->dtype == INFER_DTYPE_FLOAT && Y->dtype == INFER_DTYPE_FLOAT &&
        infer__ew_binary_f32_ok(op) && sa <= 1 && sb <= 1)
        dom = 0;
    else if (infer__ew_is_half(A->dtype) && B->dtype == A->dtype && Y->dtype == A->dtype && infer__ew_binary_f32_ok(op))
        dom = 3;
    else if (infer__is_float(A->dtype) || infer__is_float(B->dtype))
        dom = 1;
    else
        dom = 2;
    INFER__OMP_FOR(nt)
    for (item = 0; item < it.items; item++) {
        int64_t oo, io[2];
        infer__ew_walk w;
        int n;
        infer__ew_walk_init(&it, 2, item, &w);
        while ((n = infer__ew_walk_next(&it, 2, &w, &oo, io)) > 0)
            infer__ew_binary_seg(dom, op, p, A, B, Y, sa, sb, oo, io, n);
    }
}

/* Y = op(X) elementwise, Y allocated with X's shape (Y may be X). */
static void infer__ew_unary_apply(infer__kctx *c, int op, const infer__ew_par *p, const infer_tensor *X,
                                  infer_tensor *Y) {
    int64_t total = infer__numel(X), items = (total + INFER__EW_BLK - 1) / INFER__EW_BLK, item;
    int cheap = op == INFER__EW_RELU || op == INFER__EW_LEAKY || op == INFER__EW_NEG || op == INFER__EW_ABS ||
                op == INFER__EW_CLIP || op == INFER__EW_NOT || op == INFER__EW_BITNOT || op == INFER__EW_COPY;
    int nt = INFER__THREADS(c, cheap ? total : total * 8), dom;
    (void)nt;
    if (X->dtype == INFER_DTYPE_FLOAT && Y->dtype == INFER_DTYPE_FLOAT && infer__ew_vunary_ok(op))
        dom = 0;
    else if (infer__ew_is_half(X->dtype) && Y->dtype == X->dtype && infer__ew_vunary_ok(op))
        dom = 3;
    else if (infer__ew_is_int(X->dtype) && infer__ew_unary_is_int_op(op))
        dom = 2;
    else
        dom = 1;
    INFER__OMP_FOR(nt)
    for (item = 0; item < items; item++) {
        int64_t off = item * INFER__EW_BLK;
        int n = (int)(total - off < INFER__EW_BLK ? total - off : INFER__EW_BLK);
        if (dom == 0) {
            infer__ew_unary_f32(op, p, (const float *)X->data + off, (float *)Y->data + off, n);
        } else if (dom == 3) {
            float b[INFER__EW_BLK];
            infer__ew_load_half(X, off, 1, n, b);
            infer__ew_unary_f32(op, p, b, b, n);
            infer__ew_store_half(Y, off, n, b);
        } else if (dom == 1) {
            double b[INFER__EW_BLK];
            infer__ew_load_f64(X, off, 1, n, b);
            infer__ew_unary_f64(op, p, b, b, n);
            infer__ew_store_f64(Y, off, n, b);
        } else {
            int64_t b[INFER__EW_BLK];
            infer__ew_load_i64(X, off, 1, n, b);
            infer__ew_unary_i64(op, p, b, b, n);
            infer__ew_store_i64(Y, off, n, b, p->uns);
        }
    }
}

/* ---- unary kernels --------------------------------------------------------------------------- */
static infer_status infer__ew_unary(infer__kctx *c, int op, const infer__ew_par *p, int out_dtype) {
    const infer_tensor *X = INFER__IN(c, 0);
    void *y;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input 0");
    if (!infer__ew_numeric(X->dtype))
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "input type %s not supported", infer_dtype_name(X->dtype));
    y = infer__k_output(c, 0, out_dtype < 0 ? X->dtype : out_dtype, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    infer__ew_unary_apply(c, op, p, X, c->out[0]);
    return INFER_STATUS_OK;
}

#define INFER__EW_UNARY_KERNEL(NAME, OP, OUT)                                                      \
    static infer_status infer__k_##NAME(infer__kctx *c) {                                          \
        infer__ew_par p;                                                                           \
        infer__ew_par_init(&p);                                                                    \
        if (INFER__IN(c, 0)) p.uns = c->in[0]->dtype == INFER_DTYPE_UINT64;                        \
        return infer__ew_unary(c, OP, &p, OUT);                                                    \
    }
INFER__EW_UNARY_KERNEL(abs, INFER__EW_ABS, -1)
INFER__EW_UNARY_KERNEL(neg, INFER__EW_NEG, -1)
INFER__EW_UNARY_KERNEL(exp, INFER__EW_EXP, -1)
INFER__EW_UNARY_KERNEL(log, INFER__EW_LOG, -1)
INFER__EW_UNARY_KERNEL(sqrt, INFER__EW_SQRT, -1)
INFER__EW_UNARY_KERNEL(reciprocal, INFER__EW_RECIP, -1)
INFER__EW_UNARY_KERNEL(floor, INFER__EW_FLOOR, -1)
INFER__EW_UNARY_KERNEL(ceil, INFER__EW_CEIL, -1)
INFER__EW_UNARY_KERNEL(round, INFER__EW_ROUND, -1)
INFER__EW_UNARY_KERNEL(sign, INFER__EW_SIGN, -1)
INFER__EW_UNARY_KERNEL(erf, INFER__EW_ERF, -1)
INFER__EW_UNARY_KERNEL(sin, INFER__EW_SIN, -1)
INFER__EW_UNARY_KERNEL(cos, INFER__EW_COS, -1)
INFER__EW_UNARY_KERNEL(tan, INFER__EW_TAN, -1)
INFER__EW_UNARY_KERNEL(asin, INFER__EW_ASIN, -1)
INFER__EW_UNARY_KERNEL(acos, INFER__EW_ACOS, -1)
INFER__EW_UNARY_KERNEL(atan, INFER__EW_ATAN, -1)
INFER__EW_UNARY_KERNEL(sinh, INFER__EW_SINH, -1)
INFER__EW_UNARY_KERNEL(cosh, INFER__EW_COSH, -1)
INFER__EW_UNARY_KERNEL(asinh, INFER__EW_ASINH, -1)
INFER__EW_UNARY_KERNEL(acosh, INFER__EW_ACOSH, -1)
INFER__EW_UNARY_KERNEL(atanh, INFER__EW_ATANH, -1)
INFER__EW_UNARY_KERNEL(isnan, INFER__EW_ISNAN, INFER_DTYPE_BOOL)
INFER__EW_UNARY_KERNEL(not, INFER__EW_NOT, INFER_DTYPE_BOOL)
INFER__EW_UNARY_KERNEL(bitwisenot, INFER__EW_BITNOT, -1)
INFER__EW_UNARY_KERNEL(relu, INFER__EW_RELU, -1)
INFER__EW_UNARY_KERNEL(sigmoid, INFER__EW_SIGMOID, -1)
INFER__EW_UNARY_KERNEL(hardswish, INFER__EW_HARDSWISH, -1)
INFER__EW_UNARY_KERNEL(softplus, INFER__EW_SOFTPLUS, -1)
INFER__EW_UNARY_KERNEL(softsign, INFER__EW_SOFTSIGN, -1)
INFER__EW_UNARY_KERNEL(tanh, INFER__EW_TANH, -1)
INFER__EW_UNARY_KERNEL(mish, INFER__EW_MISH, -1)

/* Kernels with attributes */
static infer_status infer__k_isinf(infer__kctx *c) {
    infer__ew_par p;
    infer__ew_par_init(&p);
    p.flag1 = (int)infer__k_attr_i(c, "detect_negative", 1) != 0;
    p.flag2 = (int)infer__k_attr_i(c, "detect_positive", 1) != 0;
    return infer__ew_unary(c, INFER__EW_ISINF, &p, INFER_DTYPE_BOOL);
}
#define INFER__EW_ALPHA_KERNEL(NAME, OP, DEF)                                                      \
    static infer_status infer__k_##NAME(infer__kctx *c) {                                          \
        infer__ew_par p;                                                                           \
        infer__ew_par_init(&p);                                                                    \
        p.alpha = infer__k_attr_f(c, "alpha", DEF);                                                \
        return infer__ew_unary(c, OP, &p, -1);                                                     \
    }
INFER__EW_ALPHA_KERNEL(leakyrelu, INFER__EW_LEAKY, 0.01f)
INFER__EW_ALPHA_KERNEL(elu, INFER__EW_ELU, 1.0f)
INFER__EW_ALPHA_KERNEL(celu, INFER__EW_CELU, 1.0f)
INFER__EW_ALPHA_KERNEL(thresholdedrelu, INFER__EW_THRELU, 1.0f)
INFER__EW_ALPHA_KERNEL(swish, INFER__EW_SWISH, 1.0f)

static infer_status infer__k_selu(infer__kctx *c) {
    infer__ew_par p;
    infer__ew_par_init(&p);
    p.alpha = infer__k_attr_f(c, "alpha", 1.67326319217681884765625f);
    p.gamma = infer__k_attr_f(c, "gamma", 1.05070102214813232421875f);
    return infer__ew_unary(c, INFER__EW_SELU, &p, -1);
}
static infer_status infer__k_hardsigmoid(infer__kctx *c) {
    infer__ew_par p;
    infer__ew_par_init(&p);
    p.alpha = infer__k_attr_f(c, "alpha", 0.2f);
    p.beta = infer__k_attr_f(c, "beta", 0.5f);
    return infer__ew_unary(c, INFER__EW_HARDSIGMOID, &p, -1);
}
static infer_status infer__k_shrink(infer__kctx *c) {
    infer__ew_par p;
    infer__ew_par_init(&p);
    p.alpha = infer__k_attr_f(c, "lambd", 0.5f);
    p.beta = infer__k_attr_f(c, "bias", 0.0f);
    return infer__ew_unary(c, INFER__EW_SHRINK, &p, -1);
}
static infer_status infer__k_gelu(infer__kctx *c) {
    infer__ew_par p;
    const char *approx = infer__k_attr_s(c, "approximate", "none");
    infer__ew_par_init(&p);
    if (strcmp(approx, "tanh") == 0) return infer__ew_unary(c, INFER__EW_GELU_TANH, &p, -1);
    if (strcmp(approx, "none") != 0)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "approximate '%s' is not none or tanh", approx);
    return infer__ew_unary(c, INFER__EW_GELU, &p, -1);
}

/* Clip: attributes min/max before opset 11, optional inputs 1 and 2 from it on. */
static infer_status infer__k_clip(infer__kctx *c) {
    infer__ew_par p;
    const infer_tensor *X = INFER__IN(c, 0);
    infer__ew_par_init(&p);
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input 0");
    p.uns = X->dtype == INFER_DTYPE_UINT64;
    if (c->node->opset < 11) {
        p.lo = infer__k_attr_f(c, "min", -FLT_MAX);
        p.hi = infer__k_attr_f(c, "max", FLT_MAX);
    } else {
        int k;
        for (k = 1; k <= 2; k++) {
            const infer_tensor *b = INFER__IN(c, k);
            if (!b) continue;
            if (infer__numel(b) != 1)
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input %d ('%s') must have one element", k,
                                     k == 1 ? "min" : "max");
            if (!infer__ew_numeric(b->dtype))
                return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "bound type %s", infer_dtype_name(b->dtype));
            if (k == 1) {
                p.lo = infer__get_f64(b, 0);
                p.ilo = infer__get_i64(b, 0);
            } else {
                p.hi = infer__get_f64(b, 0);
                p.ihi = infer__get_i64(b, 0);
            }
        }
        if (p.uns && !INFER__IN(c, 1)) p.ilo = 0;
        if (p.uns && !INFER__IN(c, 2)) p.ihi = -1; /* UINT64_MAX */
    }
    if (p.lo != p.lo || p.hi != p.hi) { /* NaN bound: everything NaN, like numpy */
        p.lo = p.hi = p.lo != p.lo ? p.lo : p.hi;
    }
    if (p.lo > p.hi) p.lo = p.hi; /* min(max(x, lo), hi) gives hi */
    if (!p.uns && p.ilo > p.ihi) p.ilo = p.ihi;
    if (p.uns && (uint64_t)p.ilo > (uint64_t)p.ihi) p.ilo = p.ihi;
    return infer__ew_unary(c, INFER__EW_CLIP, &p, -1);
}

/* ---- binary kernels -------------------------------------------------------------------------- */
/* Opset < 7 `broadcast`/`axis`: B is laid along A's dims from `axis` (default: the trailing ones). */
static infer_status infer__ew_legacy_bcast(infer__kctx *c, const infer_tensor *A, const infer_tensor *B,
                                           infer_tensor *Bv) {
    *Bv = *B;
    if (c->node->opset < 7 && infer__k_attr_i(c, "broadcast", 0) != 0) {
        int64_t axis = infer__k_attr_i(c, "axis", A->rank - B->rank);
        int i, ax;
        if (B->rank == 0 || (B->rank == 1 && B->dims[0] == 1)) return INFER_STATUS_OK; /* scalar */
        if (axis < 0) axis += A->rank;
        if (axis < 0 || axis + B->rank > A->rank)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "legacy broadcast axis %d out of range",
                                 (int)axis);
        ax = (int)axis;
        Bv->rank = A->rank;
        for (i = 0; i < A->rank; i++)
            Bv->dims[i] = (i >= ax && i < ax + B->rank) ? B->dims[i - ax] : 1;
    }
    return INFER_STATUS_OK;
}

/* Output type: -1 = A's type. */
static infer_status infer__ew_binary_ab(infer__kctx *c, int op, infer__ew_par *p, int out_dtype,
                                       const infer_tensor *A, const infer_tensor *B) {
    infer_tensor Bv;
    int rank;
    int64_t dims[INFER_MAX_RANK];
    infer_status st;
    if (!A || !B) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    if (!infer__ew_numeric(A->dtype) || !infer__ew_numeric(B->dtype))
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "input types %s, %s not supported",
                             infer_dtype_name(A->dtype), infer_dtype_name(B->dtype));
    if (op != INFER__EW_POW && A->dtype != B->dtype)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs have types %s and %s",
                             infer_dtype_name(A->dtype), infer_dtype_name(B->dtype));
    st = infer__ew_legacy_bcast(c, A, B, &Bv);
    if (st) return st;
    if (!infer__broadcast(A->rank, A->dims, Bv.rank, Bv.dims, &rank, dims))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "shapes of inputs 0 and 1 do not broadcast");
    if (!infer__k_output(c, 0, out_dtype < 0 ? A->dtype : out_dtype, rank, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    p->uns = A->dtype == INFER_DTYPE_UINT64;
    if (op == INFER__EW_POW && infer__ew_is_int(A->dtype) && infer__ew_is_int(B->dtype))
        p->uns = 0; /* exponent read as signed */
    if (op == INFER__EW_POW && infer__is_float(A->dtype) && infer__ew_numeric(B->dtype) && infer__numel(B) == 1 &&
        infer__numel(c->out[0]) == infer__numel(A)) { /* x^2 (LayerNorm, RMSNorm) without pow() */
        double e = infer__get_f64(B, 0);
        if (e == 2.0) {
            infer__ew_binary_run(c, INFER__EW_MUL, p, A, A, c->out[0]);
            return INFER_STATUS_OK;
        }
    }
    infer__ew_binary_run(c, op, p, A, &Bv, c->out[0]);
    return INFER_STATUS_OK;
}

static infer_status infer__ew_binary(infer__kctx *c, int op, infer__ew_par *p, int out_dtype) {
    return infer__ew_binary_ab(c, op, p, out_dtype, INFER__IN(c, 0), INFER__IN(c, 1));
}

#define INFER__EW_BINARY_KERNEL(NAME, OP, OUT)                                                     \
    static infer_status infer__k_##NAME(infer__kctx *c) {                                          \
        infer__ew_par p;                                                                           \
        infer__ew_par_init(&p);                                                                    \
        return infer__ew_binary(c, OP, &p, OUT);                                                   \
    }
INFER__EW_BINARY_KERNEL(add, INFER__EW_ADD, -1)
INFER__EW_BINARY_KERNEL(sub, INFER__EW_SUB, -1)
INFER__EW_BINARY_KERNEL(mul, INFER__EW_MUL, -1)
INFER__EW_BINARY_KERNEL(div, INFER__EW_DIV, -1)
INFER__EW_BINARY_KERNEL(pow, INFER__EW_POW, -1)
INFER__EW_BINARY_KERNEL(less, INFER__EW_LT, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(greater, INFER__EW_GT, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(lessorequal, INFER__EW_LE, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(greaterorequal, INFER__EW_GE, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(and, INFER__EW_AND, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(or, INFER__EW_OR, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(xor, INFER__EW_XOR, INFER_DTYPE_BOOL)
INFER__EW_BINARY_KERNEL(bitwiseand, INFER__EW_BAND, -1)
INFER__EW_BINARY_KERNEL(bitwiseor, INFER__EW_BOR, -1)
INFER__EW_BINARY_KERNEL(bitwisexor, INFER__EW_BXOR, -1)

/* PRelu before opset 7: a slope of shape [C] applies along axis 1 (the channels). */
static infer_status infer__k_prelu(infer__kctx *c) {
    infer__ew_par p;
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1);
    infer__ew_par_init(&p);
    if (X && S && c->node->opset < 7 && S->rank == 1 && X->rank >= 2 && S->dims[0] == X->dims[1] &&
        S->dims[0] != 1) {
        infer_tensor Sv = *S;
        int i;
        Sv.rank = X->rank - 1;
        for (i = 1; i < Sv.rank; i++) Sv.dims[i] = 1;
        return infer__ew_binary_ab(c, INFER__EW_PRELU, &p, -1, X, &Sv);
    }
    return infer__ew_binary(c, INFER__EW_PRELU, &p, -1);
}

static infer_status infer__k_mod(infer__kctx *c) {
    infer__ew_par p;
    infer__ew_par_init(&p);
    p.flag2 = infer__k_attr_i(c, "fmod", 0) != 0;
    return infer__ew_binary(c, INFER__EW_MOD, &p, -1);
}

static infer_status infer__k_bitshift(infer__kctx *c) {
    infer__ew_par p;
    const char *dir = infer__k_attr_s(c, "direction", "");
    int op;
    infer__ew_par_init(&p);
    if (strcmp(dir, "LEFT") == 0) op = INFER__EW_SHL;
    else if (strcmp(dir, "RIGHT") == 0) op = INFER__EW_SHR;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "direction '%s' is not LEFT or RIGHT", dir);
    if (INFER__IN(c, 0)) {
        if (!infer__ew_is_int(c->in[0]->dtype))
            return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "input type %s", infer_dtype_name(c->in[0]->dtype));
        p.bits = (int)infer__dtype_size(c->in[0]->dtype) * 8;
    }
    return infer__ew_binary(c, op, &p, -1);
}

/* Equal also compares strings. */
static infer_status infer__k_equal(infer__kctx *c) {
    infer__ew_par p;
    const infer_tensor *A = INFER__IN(c, 0), *B = INFER__IN(c, 1);
    infer__ew_par_init(&p);
    if (A && B && A->dtype == INFER_DTYPE_STRING && B->dtype == INFER_DTYPE_STRING) {
        infer__ew_iter it;
        const infer_tensor *ins[2];
        int rank;
        int64_t dims[INFER_MAX_RANK], item, items;
        uint8_t *y;
        if (!infer__broadcast(A->rank, A->dims, B->rank, B->dims, &rank, dims))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "shapes of inputs 0 and 1 do not broadcast");
        y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_BOOL, rank, dims);
        if (!y) return INFER_STATUS_OUT_OF_MEMORY;
        if (infer__count_checked(rank, dims) == 0) return INFER_STATUS_OK;
        ins[0] = A;
        ins[1] = B;
        infer__ew_iter_init(&it, 2, ins, rank, dims);
        items = it.items;
        for (item = 0; item < items; item++) {
            int64_t oo, io[2], i, sa = it.st[0][it.rank - 1], sb = it.st[1][it.rank - 1];
            infer__ew_walk w;
            int n;
            infer__ew_walk_init(&it, 2, item, &w);
            while ((n = infer__ew_walk_next(&it, 2, &w, &oo, io)) > 0) {
                const char *const *a = (const char *const *)A->data + io[0];
                const char *const *b = (const char *const *)B->data + io[1];
                for (i = 0; i < n; i++) {
                    const char *s = a[i * sa], *t = b[i * sb];
                    y[oo + i] = (uint8_t)(s && t ? strcmp(s, t) == 0 : s == t);
                }
            }
        }
        return INFER_STATUS_OK;
    }
    return infer__ew_binary(c, INFER__EW_EQ, &p, INFER_DTYPE_BOOL);
}

/* Broadcasts (rank, dims) in place with another shape (infer__broadcast must not alias). */
static int infer__ew_bcast_into(int *rank, int64_t *dims, int r2, const int64_t *d2) {
    int64_t tmp[INFER_MAX_RANK];
    if (*rank) memcpy(tmp, dims, sizeof(int64_t) * (size_t)*rank);
    return infer__broadcast(*rank, tmp, r2, d2, rank, dims);
}

/* ---- variadic: Sum, Mean, Max, Min ----------------------------------------------------------- */
static infer_status infer__ew_variadic(infer__kctx *c, int op, int mean) {
    infer__ew_par p;
    int rank = 0, k, dt;
    int64_t dims[INFER_MAX_RANK];
    infer_tensor *Y;
    infer__ew_par_init(&p);
    if (c->n_in < 1 || !c->in[0]) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "needs at least one input");
    dt = c->in[0]->dtype;
    if (!infer__ew_numeric(dt))
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "input type %s not supported", infer_dtype_name(dt));
    for (k = 0; k < c->n_in; k++) {
        const infer_tensor *t = c->in[k];
        if (!t) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input %d", k);
        if (t->dtype != dt)
            return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input %d has type %s, input 0 %s", k,
                                 infer_dtype_name(t->dtype), infer_dtype_name(dt));
        if (k == 0) {
            rank = t->rank;
            memcpy(dims, t->dims, sizeof(int64_t) * (size_t)t->rank);
        } else if (!infer__ew_bcast_into(&rank, dims, t->rank, t->dims))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input %d does not broadcast", k);
    }
    if (!infer__k_output(c, 0, dt, rank, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    p.uns = dt == INFER_DTYPE_UINT64;
    if (c->n_in == 1) infer__ew_binary_run(c, INFER__EW_TAKEB, &p, c->in[0], c->in[0], Y);
    else infer__ew_binary_run(c, op, &p, c->in[0], c->in[1], Y);
    for (k = 2; k < c->n_in; k++) infer__ew_binary_run(c, op, &p, Y, c->in[k], Y);
    if (mean && c->n_in > 1) {
        infer_tensor s;
        float f = (float)c->n_in;
        double d = (double)c->n_in;
        int64_t i64 = c->n_in;
        memset(&s, 0, sizeof s);
        s.rank = 0;
        if (dt == INFER_DTYPE_FLOAT) { s.dtype = INFER_DTYPE_FLOAT; s.data = &f; }
        else if (infer__is_float(dt)) { s.dtype = INFER_DTYPE_DOUBLE; s.data = &d; }
        else { s.dtype = INFER_DTYPE_INT64; s.data = &i64; }
        infer__ew_binary_run(c, INFER__EW_DIV, &p, Y, &s, Y);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_sum(infer__kctx *c) { return infer__ew_variadic(c, INFER__EW_ADD, 0); }
static infer_status infer__k_mean(infer__kctx *c) { return infer__ew_variadic(c, INFER__EW_ADD, 1); }
static infer_status infer__k_max(infer__kctx *c) { return infer__ew_variadic(c, INFER__EW_MAX, 0); }
static infer_status infer__k_min(infer__kctx *c) { return infer__ew_variadic(c, INFER__EW_MIN, 0); }

/* ---- Where ----------------------------------------------------------------------------------- */
/* One output segment of Where: elements of size es (1, 2, 4, 8 or any). */
static void infer__ew_where_seg(size_t es, const uint8_t *cd, int64_t sc, const char *xd, int64_t sx, const char *yd,
                                int64_t sy, char *od, int n) {
    int i;
#define INFER__EW_WHERE(T)                                                                         \
    {                                                                                              \
        const T *x_ = (const T *)(const void *)xd, *y_ = (const T *)(const void *)yd;              \
        T *o_ = (T *)(void *)od;                                                                   \
        for (i = 0; i < n; i++) o_[i] = cd[i * sc] ? x_[i * sx] : y_[i * sy];                      \
    }                                                                                              \
    break
    if (es == 4 && n >= 16 && sc <= 1 && sx <= 1 && sy <= 1) { /* float32 / int32 masks: vectorised selects */
        uint32_t tx[INFER__EW_VB], ty[INFER__EW_VB];
        uint8_t tc[INFER__EW_VB];
        int k, j;
        if (!sx) INFER__EW_VLOOP memcpy(&tx[k], xd, 4);
        if (!sy) INFER__EW_VLOOP memcpy(&ty[k], yd, 4);
        if (!sc) INFER__EW_VLOOP tc[k] = cd[0];
        for (j = 0; j < n; j += INFER__EW_VB) {
            int m = n - j < INFER__EW_VB ? n - j : INFER__EW_VB;
            if (sx) memcpy(tx, xd + (size_t)j * 4, (size_t)m * 4);
            if (sy) memcpy(ty, yd + (size_t)j * 4, (size_t)m * 4);
            if (sc) memcpy(tc, cd + j, (size_t)m);
            INFER__EW_VLOOP ty[k] = tc[k] ? tx[k] : ty[k];
            memcpy(od + (size_t)j * 4, ty, (size_t)m * 4);
            if (!sy) INFER__EW_VLOOP memcpy(&ty[k], yd, 4);
        }
        return;
    }
    switch (es) {
    case 1: INFER__EW_WHERE(uint8_t);
    case 2: INFER__EW_WHERE(uint16_t);
    case 4: INFER__EW_WHERE(uint32_t);
    case 8: INFER__EW_WHERE(uint64_t);
    default:
        for (i = 0; i < n; i++)
            memcpy(od + (size_t)i * es, cd[i * sc] ? xd + (size_t)(i * sx) * es : yd + (size_t)(i * sy) * es, es);
        break;
    }
#undef INFER__EW_WHERE
}

static infer_status infer__k_where(infer__kctx *c) {
    const infer_tensor *C = INFER__IN(c, 0), *X = INFER__IN(c, 1), *Yn = INFER__IN(c, 2);
    const infer_tensor *ins[3];
    infer__ew_iter it;
    int rank, nt;
    int64_t dims[INFER_MAX_RANK], item, total;
    size_t es;
    char *out;
    if (!C || !X || !Yn) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
    if (C->dtype != INFER_DTYPE_BOOL)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "condition has type %s", infer_dtype_name(C->dtype));
    if (X->dtype != Yn->dtype)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "X is %s and Y %s", infer_dtype_name(X->dtype),
                             infer_dtype_name(Yn->dtype));
    es = infer__dtype_size(X->dtype);
    if (!es) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "type %s", infer_dtype_name(X->dtype));
    if (!infer__broadcast(C->rank, C->dims, X->rank, X->dims, &rank, dims) ||
        !infer__ew_bcast_into(&rank, dims, Yn->rank, Yn->dims))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "inputs do not broadcast");
    out = (char *)infer__k_output(c, 0, X->dtype, rank, dims);
    if (!out) return INFER_STATUS_OUT_OF_MEMORY;
    total = infer__numel(c->out[0]);
    if (total == 0) return INFER_STATUS_OK;
    ins[0] = C;
    ins[1] = X;
    ins[2] = Yn;
    infer__ew_iter_init(&it, 3, ins, rank, dims);
    nt = INFER__THREADS(c, total);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (item = 0; item < it.items; item++) {
        int64_t oo, io[3];
        infer__ew_walk w;
        int n;
        infer__ew_walk_init(&it, 3, item, &w);
        while ((n = infer__ew_walk_next(&it, 3, &w, &oo, io)) > 0)
            infer__ew_where_seg(es, (const uint8_t *)C->data + io[0], it.st[0][it.rank - 1],
                                (const char *)X->data + (size_t)io[1] * es, it.st[1][it.rank - 1],
                                (const char *)Yn->data + (size_t)io[2] * es, it.st[2][it.rank - 1],
                                out + (size_t)oo * es, n);
    }
    return INFER_STATUS_OK;
}

/* ---- Cast / CastLike ------------------------------------------------------------------------- */
/* String outputs (see the REQUEST at the top of this file): one planned byte block holding the
   pointer array and then the characters, relabelled as a STRING tensor. */
static char **infer__ew_string_output(infer__kctx *c, int rank, const int64_t *dims, int64_t n, size_t text,
                                      char **chars) {
    int64_t bytes = n * (int64_t)sizeof(char *) + (int64_t)text;
    char **p = (char **)infer__k_output(c, 0, INFER_DTYPE_UINT8, 1, &bytes);
    infer_tensor *t = c->out[0];
    if (!p) return NULL;
    t->dtype = INFER_DTYPE_STRING;
    t->rank = rank;
    if (rank) memcpy(t->dims, dims, sizeof(int64_t) * (size_t)rank);
    *chars = (char *)(p + n);
    return p;
}

/* Element i of a numeric tensor as numpy's str() writes it (shortest round-trip repr). */
static int infer__ew_num_str(const infer_tensor *X, int64_t i, char *buf, size_t cap) {
    int dt = X->dtype, prec, maxp, len = 0;
    double v;
    if (dt == INFER_DTYPE_BOOL) return snprintf(buf, cap, "%s", ((const uint8_t *)X->data)[i] ? "True" : "False");
    if (infer__ew_is_int(dt)) {
        if (dt == INFER_DTYPE_UINT64) return snprintf(buf, cap, "%llu", (unsigned long long)((const uint64_t *)X->data)[i]);
        return snprintf(buf, cap, "%lld", (long long)infer__get_i64(X, i));
    }
    v = infer__get_f64(X, i);
    if (v != v) return snprintf(buf, cap, "nan");
    if (v == HUGE_VAL || v == -HUGE_VAL) return snprintf(buf, cap, "%sinf", v < 0 ? "-" : "");
    maxp = dt == INFER_DTYPE_DOUBLE ? 17 : dt == INFER_DTYPE_FLOAT ? 9 : 5;
    for (prec = 1; prec <= maxp; prec++) {
        double back;
        len = snprintf(buf, cap, "%.*g", prec, v);
        back = strtod(buf, NULL);
        if (dt == INFER_DTYPE_DOUBLE ? back == v
            : dt == INFER_DTYPE_FLOAT ? (float)back == (float)v
            : dt == INFER_DTYPE_FLOAT16 ? infer__f32_to_f16((float)back) == infer__f32_to_f16((float)v)
                                        : infer__f32_to_bf16((float)back) == infer__f32_to_bf16((float)v))
            break;
    }
    if (!strpbrk(buf, ".e") && len + 2 < (int)cap) {
        buf[len++] = '.';
        buf[len++] = '0';
        buf[len] = 0;
    }
    return len;
}

static infer_status infer__ew_cast_string(infer__kctx *c, const infer_tensor *X, int to) {
    int64_t n = infer__numel(X), i;
    if (X->dtype == INFER_DTYPE_STRING) { /* parse */
        const char *const *s = (const char *const *)X->data;
        if (!infer__ew_numeric(to) || !infer__k_output(c, 0, to, X->rank, X->dims))
            return infer__ew_numeric(to) ? INFER_STATUS_OUT_OF_MEMORY
                                         : infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "cast from string to %s",
                                                         infer_dtype_name(to));
        for (i = 0; i < n; i++) {
            const char *p = s[i] ? s[i] : "";
            if (to == INFER_DTYPE_BOOL) {
                ((uint8_t *)c->out[0]->data)[i] = (uint8_t)(strcmp(p, "True") == 0 || strcmp(p, "true") == 0 ||
                                                            strtod(p, NULL) != 0);
            } else if (infer__ew_is_int(to)) { /* wraps like a cast of the int64 value */
                int64_t v = to == INFER_DTYPE_UINT64 ? (int64_t)strtoull(p, NULL, 10) : (int64_t)strtoll(p, NULL, 10);
                infer__ew_store_i64(c->out[0], i, 1, &v, to == INFER_DTYPE_UINT64);
            } else if (to == INFER_DTYPE_FLOAT) {
                ((float *)c->out[0]->data)[i] = strtof(p, NULL);
            } else {
                double d = strtod(p, NULL);
                infer__ew_store_f64(c->out[0], i, 1, &d);
            }
        }
        return INFER_STATUS_OK;
    } else {
        char buf[64], *text, **out;
        size_t total = 0;
        if (!infer__ew_numeric(X->dtype))
            return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "cast from %s to string", infer_dtype_name(X->dtype));
        for (i = 0; i < n; i++) total += (size_t)infer__ew_num_str(X, i, buf, sizeof buf) + 1;
        out = infer__ew_string_output(c, X->rank, X->dims, n, total, &text);
        if (!out) return INFER_STATUS_OUT_OF_MEMORY;
        for (i = 0; i < n; i++) {
            int len = infer__ew_num_str(X, i, buf, sizeof buf);
            memcpy(text, buf, (size_t)len + 1);
            out[i] = text;
            text += len + 1;
        }
        return INFER_STATUS_OK;
    }
}

static int infer__ew_dtype_from_name(const char *s) {
    static const char *const names[] = {"", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
                                        "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64"};
    int i;
    for (i = 1; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(s, names[i]) == 0) return i;
    if (strcmp(s, "BFLOAT16") == 0) return INFER_DTYPE_BFLOAT16;
    return -1;
}

static infer_status infer__ew_cast(infer__kctx *c, int to) {
    const infer_tensor *X = INFER__IN(c, 0);
    int64_t total, items, item;
    int nt, dom, saturate, round = 0, bf16_trunc;
    const char *rm;
    infer_tensor *Y;
    if (!X) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input 0");
    if (X->dtype == to) return infer__k_output_alias(c, 0, 0, X->rank, X->dims);
    if (X->dtype == INFER_DTYPE_STRING || to == INFER_DTYPE_STRING) return infer__ew_cast_string(c, X, to);
    if (!(infer__ew_numeric(X->dtype) || infer__ew_is_small(X->dtype)) ||
        !(infer__ew_numeric(to) || infer__ew_is_small(to)))
        return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "cast from %s to %s", infer_dtype_name(X->dtype),
                             infer_dtype_name(to));
    saturate = infer__k_attr_i(c, "saturate", 1) != 0;
    rm = infer__k_attr_s(c, "round_mode", "up");
    if (strcmp(rm, "down") == 0) round = 1;
    else if (strcmp(rm, "nearest") == 0) round = 2;
    /* The ONNX reference truncated float -> bfloat16 before opset 19 (test data of ONNX <= 1.13). */
    bf16_trunc = to == INFER_DTYPE_BFLOAT16 && c->node->opset < 19;
    if (!infer__k_output(c, 0, to, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    dom = infer__ew_is_int(X->dtype) && infer__ew_is_int(to) ? 2 : infer__ew_is_small(to) ? 3 : 1;
    if (bf16_trunc) dom = 4;
    total = infer__numel(X);
    items = (total + INFER__EW_BLK - 1) / INFER__EW_BLK;
    nt = INFER__THREADS(c, total);
    (void)nt;
    INFER__OMP_FOR(nt)
    for (item = 0; item < items; item++) {
        int64_t off = item * INFER__EW_BLK;
        int n = (int)(total - off < INFER__EW_BLK ? total - off : INFER__EW_BLK), i;
        if (dom == 2) {
            int64_t b[INFER__EW_BLK];
            infer__ew_load_i64(X, off, 1, n, b);
            infer__ew_store_i64(Y, off, n, b, X->dtype == INFER_DTYPE_UINT64);
        } else {
            double b[INFER__EW_BLK];
            infer__ew_load_f64(X, off, 1, n, b);
            if (dom == 1) infer__ew_store_f64(Y, off, n, b);
            else if (dom == 3) infer__ew_store_small(Y, off, n, b, saturate, round);
            else
                for (i = 0; i < n; i++) {
                    float f = (float)b[i];
                    uint32_t u;
                    memcpy(&u, &f, 4);
                    ((uint16_t *)Y->data)[off + i] = f != f ? infer__f32_to_bf16(f) : (uint16_t)(u >> 16);
                }
        }
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_cast(infer__kctx *c) {
    const infer__attr *a = infer__attr_find(c->node, "to");
    int64_t to = -1;
    if (a && a->type == INFER__ATTR_INT) to = a->i;
    else if (a && a->type == INFER__ATTR_STRING) to = infer__ew_dtype_from_name(a->s); /* Cast-1 */
    if (to <= 0 || to >= INFER_DTYPE_COUNT_)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "attribute 'to' is missing or not a type");
    return infer__ew_cast(c, (int)to);
}
static infer_status infer__k_castlike(infer__kctx *c) {
    const infer_tensor *T = INFER__IN(c, 1);
    if (!T) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input 1 (target_type)");
    return infer__ew_cast(c, T->dtype);
}

static const infer__op infer__ops_elementwise[] = {
    {"", "Abs", 1, 1000, infer__k_abs},
    {"", "Neg", 1, 1000, infer__k_neg},
    {"", "Exp", 1, 1000, infer__k_exp},
    {"", "Log", 1, 1000, infer__k_log},
    {"", "Sqrt", 1, 1000, infer__k_sqrt},
    {"", "Reciprocal", 1, 1000, infer__k_reciprocal},
    {"", "Floor", 1, 1000, infer__k_floor},
    {"", "Ceil", 1, 1000, infer__k_ceil},
    {"", "Round", 1, 1000, infer__k_round},
    {"", "Sign", 1, 1000, infer__k_sign},
    {"", "Erf", 1, 1000, infer__k_erf},
    {"", "Sin", 1, 1000, infer__k_sin},
    {"", "Cos", 1, 1000, infer__k_cos},
    {"", "Tan", 1, 1000, infer__k_tan},
    {"", "Asin", 1, 1000, infer__k_asin},
    {"", "Acos", 1, 1000, infer__k_acos},
    {"", "Atan", 1, 1000, infer__k_atan},
    {"", "Sinh", 1, 1000, infer__k_sinh},
    {"", "Cosh", 1, 1000, infer__k_cosh},
    {"", "Asinh", 1, 1000, infer__k_asinh},
    {"", "Acosh", 1, 1000, infer__k_acosh},
    {"", "Atanh", 1, 1000, infer__k_atanh},
    {"", "IsNaN", 1, 1000, infer__k_isnan},
    {"", "IsInf", 1, 1000, infer__k_isinf},
    {"", "Not", 1, 1000, infer__k_not},
    {"", "BitwiseNot", 1, 1000, infer__k_bitwisenot},
    {"", "Relu", 1, 1000, infer__k_relu},
    {"", "LeakyRelu", 1, 1000, infer__k_leakyrelu},
    {"", "PRelu", 1, 1000, infer__k_prelu},
    {"", "Elu", 1, 1000, infer__k_elu},
    {"", "Selu", 1, 1000, infer__k_selu},
    {"", "Celu", 1, 1000, infer__k_celu},
    {"", "Sigmoid", 1, 1000, infer__k_sigmoid},
    {"", "HardSigmoid", 1, 1000, infer__k_hardsigmoid},
    {"", "HardSwish", 1, 1000, infer__k_hardswish},
    {"", "Softplus", 1, 1000, infer__k_softplus},
    {"", "Softsign", 1, 1000, infer__k_softsign},
    {"", "Tanh", 1, 1000, infer__k_tanh},
    {"", "ThresholdedRelu", 1, 1000, infer__k_thresholdedrelu},
    {"", "Gelu", 1, 1000, infer__k_gelu},
    {"", "Mish", 1, 1000, infer__k_mish},
    {"", "Swish", 1, 1000, infer__k_swish},
    {"", "Shrink", 1, 1000, infer__k_shrink},
    {"", "Clip", 1, 1000, infer__k_clip},
    {"", "Add", 1, 1000, infer__k_add},
    {"", "Sub", 1, 1000, infer__k_sub},
    {"", "Mul", 1, 1000, infer__k_mul},
    {"", "Div", 1, 1000, infer__k_div},
    {"", "Pow", 1, 1000, infer__k_pow},
    {"", "Mod", 1, 1000, infer__k_mod},
    {"", "Equal", 1, 1000, infer__k_equal},
    {"", "Less", 1, 1000, infer__k_less},
    {"", "Greater", 1, 1000, infer__k_greater},
    {"", "LessOrEqual", 1, 1000, infer__k_lessorequal},
    {"", "GreaterOrEqual", 1, 1000, infer__k_greaterorequal},
    {"", "And", 1, 1000, infer__k_and},
    {"", "Or", 1, 1000, infer__k_or},
    {"", "Xor", 1, 1000, infer__k_xor},
    {"", "BitShift", 1, 1000, infer__k_bitshift},
    {"", "BitwiseAnd", 1, 1000, infer__k_bitwiseand},
    {"", "BitwiseOr", 1, 1000, infer__k_bitwiseor},
    {"", "BitwiseXor", 1, 1000, infer__k_bitwisexor},
    {"", "Sum", 1, 1000, infer__k_sum},
    {"", "Mean", 1, 1000, infer__k_mean},
    {"", "Max", 1, 1000, infer__k_max},
    {"", "Min", 1, 1000, infer__k_min},
    {"", "Where", 1, 1000, infer__k_where},
    {"", "Cast", 1, 1000, infer__k_cast},
    {"", "CastLike", 1, 1000, infer__k_castlike},
    {NULL, NULL, 0, 0, NULL}
};
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

/* 1 / (1 + exp(-s x)), times x when mul_x (SiLU / Swish), for 8 floats. exp(-s x) past its range is
   +inf, as in infer__ew_vexp: x / (1 + inf) is 0, or NaN for x = -inf (as -inf * sigmoid(-inf)). */
static __m256 infer__sigmoid256(__m256 x, float s, int mul_x) {
    __m256 one = _mm256_set1_ps(1.0f), z = _mm256_mul_ps(_mm256_set1_ps(-s), x);
    __m256 ez = _mm256_blendv_ps(infer__exp256(z), _mm256_set1_ps(INFINITY), _mm256_cmp_ps(z, _mm256_set1_ps(88.7228f), _CMP_GT_OQ));
    return _mm256_div_ps(mul_x ? x : one, _mm256_add_ps(one, ez));
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

/* y[0:n] = act(y + r) for the branch-free activations (NONE, RELU, CLIP); r may be NULL. NaN stays
   NaN (max/min take the NaN operand second). */
static void infer__epi_span(float *y, const float *r, int64_t n, int act, float lo, float hi) {
    int64_t i = 0;
    if (act == INFER__ACT_RELU) { lo = 0.0f; hi = INFINITY; }
    else if (act != INFER__ACT_CLIP) { lo = -INFINITY; hi = INFINITY; }
#if INFER__HAS_AVX2
    {
        __m256 vl = _mm256_set1_ps(lo), vh = _mm256_set1_ps(hi);
        for (; i + 8 <= n; i += 8) {
            __m256 v = _mm256_loadu_ps(y + i);
            if (r) v = _mm256_add_ps(v, _mm256_loadu_ps(r + i));
            _mm256_storeu_ps(y + i, _mm256_min_ps(vh, _mm256_max_ps(vl, v)));
        }
    }
#elif INFER__HAS_NEON
    {
        float32x4_t vl = vdupq_n_f32(lo), vh = vdupq_n_f32(hi);
        for (; i + 4 <= n; i += 4) {
            float32x4_t v = vld1q_f32(y + i);
            if (r) v = vaddq_f32(v, vld1q_f32(r + i));
            vst1q_f32(y + i, vminq_f32(vh, vmaxq_f32(vl, v))); /* NaN stays NaN */
        }
    }
#endif
    for (; i < n; i++) {
        float v = r ? y[i] + r[i] : y[i];
        y[i] = v < lo ? lo : v > hi ? hi : v;
    }
}

/* ---- The packed SGEMM: C = A * B (+ bias) (+ residual), activation, applied in the store -------- */
/* Conv, Gemm and MatMul share this driver. Operands come packed in full-depth panels: A as
   [ceil(M/MR)][K][MR] (row panels), B as [ceil(N/NR)][K][NR] (column panels), zero-padded. Weights
   are packed once when the model loads (infer__node.packed), activations per run. The driver walks K
   in KC-deep slices so that an MC x KC block of A stays in L2 and each KC x NR slice of B in L1, and
   hands (column panel, up to four row panels) tiles to the threads, column panel slowest, so a
   thread's consecutive tiles reuse one slice of B. The 6 x 16 micro-tile keeps 12 ymm accumulators.
   The epilogue runs in the store: bias (per row or per column) with the first slice, the residual and
   a clamp (Relu, Clip) with the last, so the output is written once in the common case.
   Implicit-GEMM convolutions read B straight from a padded input: row k of column panel q is then at
   pb + (q / ntr) * irow + (q % ntr) * NR + koff[k]. */
#define INFER__G_MR 6
#define INFER__G_NR 16
#ifndef INFER__G_KC
#define INFER__G_KC 256
#endif
#ifndef INFER__G_MC
#define INFER__G_MC 72
#endif
#ifndef INFER__G_GRP
#define INFER__G_GRP 4 /* row panels per tile */
#endif

typedef struct infer__gemm {
    int64_t M, N, K;
    const float *pa;                  /* packed A */
    const float *pb;                  /* packed B, or the source of an implicit B */
    const int64_t *koff;              /* implicit B: row offsets (NULL: packed B) */
    int64_t iw, irow, ntr;            /* implicit B: output row width, source step per output row, panels per row */
    float *C; int64_t ldc;
    int accumulate;                   /* add to C's contents (else overwrite) */
    const float *bias; int bias_col;  /* bias per row of C (bias_col 0) or per column */
    const float *res; int64_t ldr;    /* residual indexed like C, or NULL */
    float lo, hi;                     /* clamp applied last (-inf, inf: none) */
    int act;                          /* then INFER__ACT_SILU or INFER__ACT_HARDSWISH (0: none) */
} infer__gemm;

static int64_t infer__gemm_panels(int64_t n, int64_t r) { return (n + r - 1) / r; }

/* Floats a packed A (m x k) or B (k x n) takes. */
static size_t infer__gemm_pack_size_a(int64_t m, int64_t k) { return (size_t)(infer__gemm_panels(m, INFER__G_MR) * INFER__G_MR * k); }
static size_t infer__gemm_pack_size_b(int64_t k, int64_t n) { return (size_t)(infer__gemm_panels(n, INFER__G_NR) * INFER__G_NR * k); }

/* A (m x k; element (i,j) at a[i*rs + j*cs]) times alpha into row panels. */
static void infer__gemm_pack_a(const float *a, int64_t rs, int64_t cs, int64_t m, int64_t k, float alpha, float *pa, int nt) {
    int64_t np = infer__gemm_panels(m, INFER__G_MR), p;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (p = 0; p < np; p++) {
        float *d = pa + p * k * INFER__G_MR;
        int64_t i0 = p * INFER__G_MR, mr = m - i0 < INFER__G_MR ? m - i0 : INFER__G_MR, j;
        int r;
        if (cs == 1 && mr == INFER__G_MR && alpha == 1.0f) {
            const float *s0 = a + i0 * rs, *s1 = s0 + rs, *s2 = s1 + rs, *s3 = s2 + rs, *s4 = s3 + rs, *s5 = s4 + rs;
            for (j = 0; j < k; j++, d += INFER__G_MR) {
                d[0] = s0[j]; d[1] = s1[j]; d[2] = s2[j]; d[3] = s3[j]; d[4] = s4[j]; d[5] = s5[j];
            }
        } else {
            for (j = 0; j < k; j++, d += INFER__G_MR)
                for (r = 0; r < INFER__G_MR; r++) d[r] = r < mr ? alpha * a[(i0 + r) * rs + j * cs] : 0.0f;
        }
    }
}

/* B (k x n; element (i,j) at b[i*rs + j*cs]) into column panels. Row-major B (cs 1) is read row by
   row, in groups of eight rows for deep and wide matrices, so the reads stay sequential. */
static void infer__gemm_pack_b(const float *b, int64_t rs, int64_t cs, int64_t k, int64_t n, float *pb, int nt) {
    int64_t nb = infer__gemm_panels(n, INFER__G_NR);
    (void)nt;
    if (cs == 1) {
        int64_t rb = k >= 64 && nb >= 32 ? 8 : 1, nib = (k + rb - 1) / rb, ibk;
        INFER__OMP_FOR(nt)
        for (ibk = 0; ibk < nib; ibk++) {
            int64_t i0 = ibk * rb, i1 = i0 + rb < k ? i0 + rb : k, jb, i;
            int t;
            for (jb = 0; jb < nb; jb++) {
                int64_t w = n - jb * INFER__G_NR;
                for (i = i0; i < i1; i++) {
                    const float *sr = b + i * rs + jb * INFER__G_NR;
                    float *d = pb + (jb * k + i) * INFER__G_NR;
                    if (w >= INFER__G_NR) memcpy(d, sr, INFER__G_NR * sizeof(float));
                    else for (t = 0; t < INFER__G_NR; t++) d[t] = t < w ? sr[t] : 0.0f;
                }
            }
        }
    } else {
        int64_t jb;
        INFER__OMP_FOR(nt)
        for (jb = 0; jb < nb; jb++) {
            int64_t j0 = jb * INFER__G_NR, w = n - j0 < INFER__G_NR ? n - j0 : INFER__G_NR, i;
            float *d = pb + jb * k * INFER__G_NR;
            int t;
            for (i = 0; i < k; i++, d += INFER__G_NR)
                for (t = 0; t < INFER__G_NR; t++) d[t] = t < w ? b[i * rs + (j0 + t) * cs] : 0.0f;
        }
    }
}

/* The store of one tile row: v (nr values) combined with C, bias, residual and clamp. */
/* The epilogue of nr values v[0..nr) (v holds INFER__G_NR floats) of row row into c (columns col..) */
static void infer__gemm_store_row(const infer__gemm *g, const float *v, float *c, int64_t row, int64_t col, int nr,
                                  int first, int last) {
    int t;
    for (t = 0; t < nr; t++) {
        float x = v[t];
        if (!first) x += c[t];
        if (first && g->bias) x += g->bias_col ? g->bias[col + t] : g->bias[row];
        if (last) {
            if (g->res) x += g->res[row * g->ldr + col + t];
            x = x < g->lo ? g->lo : x > g->hi ? g->hi : x;
            if (g->act) x = infer__act(x, g->act, 0.0f, 0.0f);
        }
        c[t] = x;
    }
}

#if INFER__HAS_AVX2
#define INFER__G_FMA_ROW(bp)                                                                                   \
    do {                                                                                                       \
        __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps((bp) + 8), av;                                   \
        av = _mm256_broadcast_ss(a + 0); c00 = _mm256_fmadd_ps(av, b0, c00); c01 = _mm256_fmadd_ps(av, b1, c01); \
        av = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(av, b0, c10); c11 = _mm256_fmadd_ps(av, b1, c11); \
        av = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(av, b0, c20); c21 = _mm256_fmadd_ps(av, b1, c21); \
        av = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(av, b0, c30); c31 = _mm256_fmadd_ps(av, b1, c31); \
        av = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(av, b0, c40); c41 = _mm256_fmadd_ps(av, b1, c41); \
        av = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(av, b0, c50); c51 = _mm256_fmadd_ps(av, b1, c51); \
        a += INFER__G_MR;                                                                                      \
    } while (0)

static void infer__gemm_store8x2(const infer__gemm *g, __m256 v0, __m256 v1, float *c, int64_t row, int64_t col,
                                 int first, int last) {
    if (!first) { v0 = _mm256_add_ps(v0, _mm256_loadu_ps(c)); v1 = _mm256_add_ps(v1, _mm256_loadu_ps(c + 8)); }
    if (first && g->bias) {
        if (g->bias_col) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(g->bias + col));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(g->bias + col + 8));
        } else {
            __m256 bv = _mm256_broadcast_ss(g->bias + row);
            v0 = _mm256_add_ps(v0, bv);
            v1 = _mm256_add_ps(v1, bv);
        }
    }
    if (last) {
        __m256 lo = _mm256_set1_ps(g->lo), hi = _mm256_set1_ps(g->hi);
        if (g->res) {
            const float *r = g->res + row * g->ldr + col;
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(r));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(r + 8));
        }
        v0 = _mm256_min_ps(hi, _mm256_max_ps(lo, v0)); /* NaN passes: it is the second operand */
        v1 = _mm256_min_ps(hi, _mm256_max_ps(lo, v1));
        if (g->act == INFER__ACT_SILU) {
            v0 = infer__sigmoid256(v0, 1.0f, 1);
            v1 = infer__sigmoid256(v1, 1.0f, 1);
        } else if (g->act == INFER__ACT_HARDSWISH) { /* x * clamp(x / 6 + 1/2, 0, 1) */
            __m256 k6 = _mm256_set1_ps(1.0f / 6), hf = _mm256_set1_ps(0.5f), z = _mm256_setzero_ps(), on = _mm256_set1_ps(1.0f);
            v0 = _mm256_mul_ps(v0, _mm256_min_ps(on, _mm256_max_ps(z, _mm256_fmadd_ps(v0, k6, hf))));
            v1 = _mm256_mul_ps(v1, _mm256_min_ps(on, _mm256_max_ps(z, _mm256_fmadd_ps(v1, k6, hf))));
        }
    }
    _mm256_storeu_ps(c, v0);
    _mm256_storeu_ps(c + 8, v1);
}
#elif INFER__HAS_NEON
/* 6 x 16 with 24 of the 32 q registers as accumulators (row r: cr0..cr3), four for the B row and
   two for the six A values (lanes of a 4- and a 2-vector). */
#define INFER__G_NEON_ROW(bp)                                                                                  \
    do {                                                                                                       \
        float32x4_t b0 = vld1q_f32(bp), b1 = vld1q_f32((bp) + 4), b2 = vld1q_f32((bp) + 8), b3 = vld1q_f32((bp) + 12); \
        float32x4_t a03 = vld1q_f32(a);                                                                        \
        float32x2_t a45 = vld1_f32(a + 4);                                                                     \
        c00 = vfmaq_laneq_f32(c00, b0, a03, 0); c01 = vfmaq_laneq_f32(c01, b1, a03, 0);                        \
        c02 = vfmaq_laneq_f32(c02, b2, a03, 0); c03 = vfmaq_laneq_f32(c03, b3, a03, 0);                        \
        c10 = vfmaq_laneq_f32(c10, b0, a03, 1); c11 = vfmaq_laneq_f32(c11, b1, a03, 1);                        \
        c12 = vfmaq_laneq_f32(c12, b2, a03, 1); c13 = vfmaq_laneq_f32(c13, b3, a03, 1);                        \
        c20 = vfmaq_laneq_f32(c20, b0, a03, 2); c21 = vfmaq_laneq_f32(c21, b1, a03, 2);                        \
        c22 = vfmaq_laneq_f32(c22, b2, a03, 2); c23 = vfmaq_laneq_f32(c23, b3, a03, 2);                        \
        c30 = vfmaq_laneq_f32(c30, b0, a03, 3); c31 = vfmaq_laneq_f32(c31, b1, a03, 3);                        \
        c32 = vfmaq_laneq_f32(c32, b2, a03, 3); c33 = vfmaq_laneq_f32(c33, b3, a03, 3);                        \
        c40 = vfmaq_lane_f32(c40, b0, a45, 0); c41 = vfmaq_lane_f32(c41, b1, a45, 0);                          \
        c42 = vfmaq_lane_f32(c42, b2, a45, 0); c43 = vfmaq_lane_f32(c43, b3, a45, 0);                          \
        c50 = vfmaq_lane_f32(c50, b0, a45, 1); c51 = vfmaq_lane_f32(c51, b1, a45, 1);                          \
        c52 = vfmaq_lane_f32(c52, b2, a45, 1); c53 = vfmaq_lane_f32(c53, b3, a45, 1);                          \
        a += INFER__G_MR;                                                                                      \
    } while (0)

static void infer__gemm_store4x4(const infer__gemm *g, float32x4_t v0, float32x4_t v1, float32x4_t v2, float32x4_t v3,
                                 float *c, int64_t row, int64_t col, int first, int last) {
    if (!first) {
        v0 = vaddq_f32(v0, vld1q_f32(c)); v1 = vaddq_f32(v1, vld1q_f32(c + 4));
        v2 = vaddq_f32(v2, vld1q_f32(c + 8)); v3 = vaddq_f32(v3, vld1q_f32(c + 12));
    }
    if (first && g->bias) {
        if (g->bias_col) {
            const float *bc = g->bias + col;
            v0 = vaddq_f32(v0, vld1q_f32(bc)); v1 = vaddq_f32(v1, vld1q_f32(bc + 4));
            v2 = vaddq_f32(v2, vld1q_f32(bc + 8)); v3 = vaddq_f32(v3, vld1q_f32(bc + 12));
        } else {
            float32x4_t bv = vdupq_n_f32(g->bias[row]);
            v0 = vaddq_f32(v0, bv); v1 = vaddq_f32(v1, bv); v2 = vaddq_f32(v2, bv); v3 = vaddq_f32(v3, bv);
        }
    }
    if (last) {
        float32x4_t lo = vdupq_n_f32(g->lo), hi = vdupq_n_f32(g->hi);
        if (g->res) {
            const float *r = g->res + row * g->ldr + col;
            v0 = vaddq_f32(v0, vld1q_f32(r)); v1 = vaddq_f32(v1, vld1q_f32(r + 4));
            v2 = vaddq_f32(v2, vld1q_f32(r + 8)); v3 = vaddq_f32(v3, vld1q_f32(r + 12));
        }
        v0 = vminq_f32(hi, vmaxq_f32(lo, v0)); /* NaN passes: NEON min / max return it */
        v1 = vminq_f32(hi, vmaxq_f32(lo, v1));
        v2 = vminq_f32(hi, vmaxq_f32(lo, v2));
        v3 = vminq_f32(hi, vmaxq_f32(lo, v3));
    }
    vst1q_f32(c, v0); vst1q_f32(c + 4, v1); vst1q_f32(c + 8, v2); vst1q_f32(c + 12, v3);
    if (last && g->act) {
        int t;
        for (t = 0; t < 16; t++) c[t] = infer__act(c[t], g->act, 0.0f, 0.0f);
    }
}
#endif

/* One MR x NR tile over a kc-deep slice: a is the packed A slice ([kc][MR]); B rows are b + k*NR
   (packed) or b + koff[k] (implicit). Stores mr x nr values at c (row row, column col of C). */
static void infer__gemm_micro(const infer__gemm *g, int64_t kc, const float *a, const float *b, const int64_t *koff,
                              float *c, int64_t row, int64_t col, int mr, int nr, int first, int last) {
    float acc[INFER__G_MR * INFER__G_NR];
    int r;
    int64_t k;
#if INFER__HAS_AVX2
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    if (koff)
        for (k = 0; k < kc; k++) INFER__G_FMA_ROW(b + koff[k]);
    else
        for (k = 0; k < kc; k++, b += INFER__G_NR) INFER__G_FMA_ROW(b);
    if (nr == INFER__G_NR) {
        int64_t ld = g->ldc;
        infer__gemm_store8x2(g, c00, c01, c, row, col, first, last);
        if (mr > 1) infer__gemm_store8x2(g, c10, c11, c + ld, row + 1, col, first, last);
        if (mr > 2) infer__gemm_store8x2(g, c20, c21, c + 2 * ld, row + 2, col, first, last);
        if (mr > 3) infer__gemm_store8x2(g, c30, c31, c + 3 * ld, row + 3, col, first, last);
        if (mr > 4) infer__gemm_store8x2(g, c40, c41, c + 4 * ld, row + 4, col, first, last);
        if (mr > 5) infer__gemm_store8x2(g, c50, c51, c + 5 * ld, row + 5, col, first, last);
        return;
    }
    _mm256_storeu_ps(acc, c00); _mm256_storeu_ps(acc + 8, c01); _mm256_storeu_ps(acc + 16, c10);
    _mm256_storeu_ps(acc + 24, c11); _mm256_storeu_ps(acc + 32, c20); _mm256_storeu_ps(acc + 40, c21);
    _mm256_storeu_ps(acc + 48, c30); _mm256_storeu_ps(acc + 56, c31); _mm256_storeu_ps(acc + 64, c40);
    _mm256_storeu_ps(acc + 72, c41); _mm256_storeu_ps(acc + 80, c50); _mm256_storeu_ps(acc + 88, c51);
#elif INFER__HAS_NEON
    float32x4_t c00 = vdupq_n_f32(0.0f), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    float32x4_t c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    float32x4_t c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
    if (koff)
        for (k = 0; k < kc; k++) INFER__G_NEON_ROW(b + koff[k]);
    else
        for (k = 0; k < kc; k++, b += INFER__G_NR) INFER__G_NEON_ROW(b);
    if (nr == INFER__G_NR) {
        int64_t ld = g->ldc;
        infer__gemm_store4x4(g, c00, c01, c02, c03, c, row, col, first, last);
        if (mr > 1) infer__gemm_store4x4(g, c10, c11, c12, c13, c + ld, row + 1, col, first, last);
        if (mr > 2) infer__gemm_store4x4(g, c20, c21, c22, c23, c + 2 * ld, row + 2, col, first, last);
        if (mr > 3) infer__gemm_store4x4(g, c30, c31, c32, c33, c + 3 * ld, row + 3, col, first, last);
        if (mr > 4) infer__gemm_store4x4(g, c40, c41, c42, c43, c + 4 * ld, row + 4, col, first, last);
        if (mr > 5) infer__gemm_store4x4(g, c50, c51, c52, c53, c + 5 * ld, row + 5, col, first, last);
        return;
    }
    vst1q_f32(acc, c00); vst1q_f32(acc + 4, c01); vst1q_f32(acc + 8, c02); vst1q_f32(acc + 12, c03);
    vst1q_f32(acc + 16, c10); vst1q_f32(acc + 20, c11); vst1q_f32(acc + 24, c12); vst1q_f32(acc + 28, c13);
    vst1q_f32(acc + 32, c20); vst1q_f32(acc + 36, c21); vst1q_f32(acc + 40, c22); vst1q_f32(acc + 44, c23);
    vst1q_f32(acc + 48, c30); vst1q_f32(acc + 52, c31); vst1q_f32(acc + 56, c32); vst1q_f32(acc + 60, c33);
    vst1q_f32(acc + 64, c40); vst1q_f32(acc + 68, c41); vst1q_f32(acc + 72, c42); vst1q_f32(acc + 76, c43);
    vst1q_f32(acc + 80, c50); vst1q_f32(acc + 84, c51); vst1q_f32(acc + 88, c52); vst1q_f32(acc + 92, c53);
#else
    for (r = 0; r < INFER__G_MR * INFER__G_NR; r++) acc[r] = 0.0f;
    for (k = 0; k < kc; k++, a += INFER__G_MR) {
        const float *bp = koff ? b + koff[k] : b + k * INFER__G_NR;
        for (r = 0; r < INFER__G_MR; r++) {
            float av = a[r];
            int t;
            for (t = 0; t < INFER__G_NR; t++) acc[r * INFER__G_NR + t] += av * bp[t];
        }
    }
#endif
    for (r = 0; r < mr; r++) infer__gemm_store_row(g, acc + r * INFER__G_NR, c + r * g->ldc, row + r, col, nr, first, last);
}

static void infer__gemm_run(const infer__gemm *g, int nthreads) {
    int64_t M = g->M, N = g->N, K = g->K, mpan = infer__gemm_panels(M, INFER__G_MR), nq;
    if (M <= 0 || N <= 0) return;
    nq = g->koff ? (N / g->iw) * g->ntr : infer__gemm_panels(N, INFER__G_NR);
    if (K <= 0) { /* no products: bias, residual and clamp only */
        int64_t i;
        float z[INFER__G_NR];
        for (i = 0; i < INFER__G_NR; i++) z[i] = 0.0f;
        for (i = 0; i < M; i++) {
            int64_t j;
            for (j = 0; j < N; j += INFER__G_NR)
                infer__gemm_store_row(g, z, g->C + i * g->ldc + j, i, j, (int)(N - j < INFER__G_NR ? N - j : INFER__G_NR),
                                      !g->accumulate, 1);
        }
        return;
    }
    {
        int64_t ngrp = (mpan + INFER__G_GRP - 1) / INFER__G_GRP, tiles = nq * ngrp, t;
        int nt = (double)M * (double)N * (double)K < 262144.0 ? 1 : nthreads;
        (void)nt;
        INFER__OMP_FOR_DYN(nt)
        for (t = 0; t < tiles; t++) {
            /* tall products (M > N) and shallow ones (one K slice, packed B: 1x1 convolutions) walk
               row groups slowest, so that a group of A is reused across every column panel and C is
               written row by row; wide and deep ones (convolutions) walk column panels slowest */
            int rf = M > N || (K <= INFER__G_KC && !g->koff);
            int64_t q = rf ? t % nq : t / ngrp, p0 = (rf ? t / nq : t % ngrp) * INFER__G_GRP;
            int64_t p1 = p0 + INFER__G_GRP < mpan ? p0 + INFER__G_GRP : mpan;
            int64_t p, col, oh = 0, ow0 = 0, pc;
            int nr;
            if (g->koff) {
                oh = q / g->ntr;
                ow0 = (q % g->ntr) * INFER__G_NR;
                col = oh * g->iw + ow0;
                nr = (int)(g->iw - ow0 < INFER__G_NR ? g->iw - ow0 : INFER__G_NR);
            } else {
                col = q * INFER__G_NR;
                nr = (int)(N - col < INFER__G_NR ? N - col : INFER__G_NR);
            }
            /* a partial column panel accumulates in a full-width tile here (vector stores) and
               gets the epilogue once, when it is copied out */
            infer__gemm plain, *gt = (infer__gemm *)g;
            float tile[INFER__G_GRP * INFER__G_MR * INFER__G_NR];
            if (nr < INFER__G_NR) {
                plain = *g;
                plain.C = tile; plain.ldc = INFER__G_NR;
                plain.accumulate = 0; plain.bias = NULL; plain.res = NULL;
                plain.lo = -INFINITY; plain.hi = INFINITY; plain.act = 0;
                gt = &plain;
            }
            for (pc = 0; pc < K; pc += INFER__G_KC) {
                int64_t kc = K - pc < INFER__G_KC ? K - pc : INFER__G_KC;
                int first = pc == 0 && !gt->accumulate, last = pc + kc >= K;
                const float *bq;
                const int64_t *ko = NULL;
                if (!g->koff) bq = g->pb + q * K * INFER__G_NR + pc * INFER__G_NR;
                else { bq = g->pb + oh * g->irow + ow0; ko = g->koff + pc; }
                for (p = p0; p < p1; p++) {
                    int mr = (int)(M - p * INFER__G_MR < INFER__G_MR ? M - p * INFER__G_MR : INFER__G_MR);
                    if (gt != g)
                        infer__gemm_micro(gt, kc, g->pa + (p * K + pc) * INFER__G_MR, bq, ko,
                                          tile + (p - p0) * INFER__G_MR * INFER__G_NR, 0, 0, mr, INFER__G_NR, first, last);
                    else
                        infer__gemm_micro(g, kc, g->pa + (p * K + pc) * INFER__G_MR, bq, ko, g->C + p * INFER__G_MR * g->ldc + col,
                                          p * INFER__G_MR, col, mr, nr, first, last);
                }
            }
            if (gt != g)
                for (p = p0; p < p1; p++) {
                    int r, mr = (int)(M - p * INFER__G_MR < INFER__G_MR ? M - p * INFER__G_MR : INFER__G_MR);
                    for (r = 0; r < mr; r++)
                        infer__gemm_store_row(g, tile + ((p - p0) * INFER__G_MR + r) * INFER__G_NR,
                                              g->C + (p * INFER__G_MR + r) * g->ldc + col, p * INFER__G_MR + r, col, nr,
                                              !g->accumulate, 1);
                }
        }
    }
}
#undef INFER__G_FMA_ROW

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
#elif INFER__HAS_NEON
/* r[0:16] += alpha * (c0, c1, c2, c3) */
static void infer__mm_store4(float *r, float alpha, float32x4_t c0, float32x4_t c1, float32x4_t c2, float32x4_t c3) {
    vst1q_f32(r, vfmaq_n_f32(vld1q_f32(r), c0, alpha));
    vst1q_f32(r + 4, vfmaq_n_f32(vld1q_f32(r + 4), c1, alpha));
    vst1q_f32(r + 8, vfmaq_n_f32(vld1q_f32(r + 8), c2, alpha));
    vst1q_f32(r + 12, vfmaq_n_f32(vld1q_f32(r + 12), c3, alpha));
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
#elif INFER__HAS_NEON
    float32x4_t c00 = vdupq_n_f32(0.0f), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    float32x4_t c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    float32x4_t c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
    {
        const float *a = ap;
        for (k = 0; k < kc; k++, bp += INFER__MM_NR) INFER__G_NEON_ROW(bp);
    }
    if (mr == INFER__MM_MR && nr == INFER__MM_NR) {
        infer__mm_store4(cp, alpha, c00, c01, c02, c03); infer__mm_store4(cp + ldc, alpha, c10, c11, c12, c13);
        infer__mm_store4(cp + 2 * ldc, alpha, c20, c21, c22, c23); infer__mm_store4(cp + 3 * ldc, alpha, c30, c31, c32, c33);
        infer__mm_store4(cp + 4 * ldc, alpha, c40, c41, c42, c43); infer__mm_store4(cp + 5 * ldc, alpha, c50, c51, c52, c53);
        return;
    }
    vst1q_f32(t, c00); vst1q_f32(t + 4, c01); vst1q_f32(t + 8, c02); vst1q_f32(t + 12, c03);
    vst1q_f32(t + 16, c10); vst1q_f32(t + 20, c11); vst1q_f32(t + 24, c12); vst1q_f32(t + 28, c13);
    vst1q_f32(t + 32, c20); vst1q_f32(t + 36, c21); vst1q_f32(t + 40, c22); vst1q_f32(t + 44, c23);
    vst1q_f32(t + 48, c30); vst1q_f32(t + 52, c31); vst1q_f32(t + 56, c32); vst1q_f32(t + 60, c33);
    vst1q_f32(t + 64, c40); vst1q_f32(t + 68, c41); vst1q_f32(t + 72, c42); vst1q_f32(t + 76, c43);
    vst1q_f32(t + 80, c50); vst1q_f32(t + 84, c51); vst1q_f32(t + 88, c52); vst1q_f32(t + 92, c53);
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
#if INFER__HAS_NEON
#undef INFER__G_NEON_ROW
#endif

/* y[0:n] += a * x[0:n] */
static void infer__mm_axpy(float *y, const float *x, float a, int64_t n) {
    int64_t j = 0;
#if INFER__HAS_AVX2
    __m256 va = _mm256_set1_ps(a);
    for (; j + 16 <= n; j += 16) {
        _mm256_storeu_ps(y + j, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
        _mm256_storeu_ps(y + j + 8, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + j + 8), _mm256_loadu_ps(y + j + 8)));
    }
#elif INFER__HAS_NEON
    for (; j + 8 <= n; j += 8) {
        vst1q_f32(y + j, vfmaq_n_f32(vld1q_f32(y + j), vld1q_f32(x + j), a));
        vst1q_f32(y + j + 4, vfmaq_n_f32(vld1q_f32(y + j + 4), vld1q_f32(x + j + 4), a));
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
#elif INFER__HAS_NEON
    {
        float32x4_t av = vld1q_f32(a);
        for (; j + 4 <= n; j += 4) {
            float32x4_t s = vld1q_f32(y + j);
            s = vfmaq_laneq_f32(s, vld1q_f32(x + j), av, 0);
            s = vfmaq_laneq_f32(s, vld1q_f32(x + d + j), av, 1);
            s = vfmaq_laneq_f32(s, vld1q_f32(x + 2 * d + j), av, 2);
            s = vfmaq_laneq_f32(s, vld1q_f32(x + 3 * d + j), av, 3);
            vst1q_f32(y + j, s);
        }
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
#elif INFER__HAS_NEON
    {
        float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
        for (; j + 16 <= n; j += 16) {
            s0 = vfmaq_f32(s0, vld1q_f32(a + j), vld1q_f32(b + j));
            s1 = vfmaq_f32(s1, vld1q_f32(a + j + 4), vld1q_f32(b + j + 4));
            s2 = vfmaq_f32(s2, vld1q_f32(a + j + 8), vld1q_f32(b + j + 8));
            s3 = vfmaq_f32(s3, vld1q_f32(a + j + 12), vld1q_f32(b + j + 12));
        }
        s = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
    }
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

/* The fused epilogue of node c (residual add, Relu / Clip) set on gm when the GEMM can apply it to a
   float32 output of `count` elements; 1 when it did (the caller then sets c->epilogue_done). */
static int infer__gemm_epilogue(infer__kctx *c, infer__gemm *gm, int64_t count) {
    int act = c->node->post_act;
    const infer_tensor *R = infer__k_post_add(c);
    gm->lo = -INFINITY; gm->hi = INFINITY;
    gm->res = NULL;
    if (act != INFER__ACT_NONE && act != INFER__ACT_RELU && act != INFER__ACT_CLIP) return 0;
    if (c->node->post_add && !(R && R->dtype == INFER_DTYPE_FLOAT && infer__numel(R) == count && R->data)) return 0;
    if (act == INFER__ACT_RELU) gm->lo = 0.0f;
    if (act == INFER__ACT_CLIP) { gm->lo = c->node->post_alpha; gm->hi = c->node->post_beta; }
    gm->res = R && c->node->post_add ? (const float *)R->data : NULL;
    return 1;
}

/* One row of A times packed B (M = 1: a matrix-vector product at memory speed), with the epilogue of g
   (accumulate, bias per column, residual, clamp). */
static void infer__gemm_row_packed(const infer__gemm *g, const float *a, float alpha, int nt) {
    int64_t N = g->N, K = g->K, nq = infer__gemm_panels(N, INFER__G_NR), q;
    (void)nt;
    INFER__OMP_FOR(nt)
    for (q = 0; q < nq; q++) {
        const float *b = g->pb + q * K * INFER__G_NR;
        float acc[INFER__G_NR];
        int64_t k, col = q * INFER__G_NR;
        int t, nr = (int)(N - col < INFER__G_NR ? N - col : INFER__G_NR);
#if INFER__HAS_AVX2
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (k = 0; k + 1 < K; k += 2, b += 2 * INFER__G_NR) {
            __m256 a0 = _mm256_set1_ps(a[k]), a1 = _mm256_set1_ps(a[k + 1]);
            s0 = _mm256_fmadd_ps(a0, _mm256_loadu_ps(b), s0);
            s1 = _mm256_fmadd_ps(a0, _mm256_loadu_ps(b + 8), s1);
            s2 = _mm256_fmadd_ps(a1, _mm256_loadu_ps(b + 16), s2);
            s3 = _mm256_fmadd_ps(a1, _mm256_loadu_ps(b + 24), s3);
        }
        if (k < K) {
            __m256 a0 = _mm256_set1_ps(a[k]);
            s0 = _mm256_fmadd_ps(a0, _mm256_loadu_ps(b), s0);
            s1 = _mm256_fmadd_ps(a0, _mm256_loadu_ps(b + 8), s1);
        }
        _mm256_storeu_ps(acc, _mm256_add_ps(s0, s2));
        _mm256_storeu_ps(acc + 8, _mm256_add_ps(s1, s3));
#elif INFER__HAS_NEON
        float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (k = 0; k + 1 < K; k += 2, b += 2 * INFER__G_NR) {
            float32x2_t av = vld1_f32(a + k);
            s0 = vfmaq_lane_f32(s0, vld1q_f32(b), av, 0);
            s1 = vfmaq_lane_f32(s1, vld1q_f32(b + 4), av, 0);
            s2 = vfmaq_lane_f32(s2, vld1q_f32(b + 8), av, 0);
            s3 = vfmaq_lane_f32(s3, vld1q_f32(b + 12), av, 0);
            s4 = vfmaq_lane_f32(s4, vld1q_f32(b + 16), av, 1);
            s5 = vfmaq_lane_f32(s5, vld1q_f32(b + 20), av, 1);
            s6 = vfmaq_lane_f32(s6, vld1q_f32(b + 24), av, 1);
            s7 = vfmaq_lane_f32(s7, vld1q_f32(b + 28), av, 1);
        }
        if (k < K) {
            s0 = vfmaq_n_f32(s0, vld1q_f32(b), a[k]);
            s1 = vfmaq_n_f32(s1, vld1q_f32(b + 4), a[k]);
            s2 = vfmaq_n_f32(s2, vld1q_f32(b + 8), a[k]);
            s3 = vfmaq_n_f32(s3, vld1q_f32(b + 12), a[k]);
        }
        vst1q_f32(acc, vaddq_f32(s0, s4));
        vst1q_f32(acc + 4, vaddq_f32(s1, s5));
        vst1q_f32(acc + 8, vaddq_f32(s2, s6));
        vst1q_f32(acc + 12, vaddq_f32(s3, s7));
#else
        for (t = 0; t < INFER__G_NR; t++) acc[t] = 0.0f;
        for (k = 0; k < K; k++, b += INFER__G_NR)
            for (t = 0; t < INFER__G_NR; t++) acc[t] += a[k] * b[t];
#endif
        for (t = 0; t < nr; t++) acc[t] *= alpha;
        infer__gemm_store_row(g, acc, g->C + col, 0, col, nr, !g->accumulate, 1);
    }
}

/* Y (M x N) = alpha * A * B [+ bias per column] with B packed at load (node->packed); A (element (i,k)
   at A[i*rs + k*cs]) is packed here. accumulate: Y already holds beta * C. */
static infer_status infer__gemm_with_packed_b(infer__kctx *c, const float *A, int64_t rs, int64_t cs, int64_t M, int64_t K,
                                              int64_t N, float alpha, float *Y, const float *bias, int accumulate) {
    infer__gemm gm;
    int nt = INFER__THREADS(c, (double)M * (double)N * (double)K);
    float *pa = M == 1 && cs == 1 ? NULL : (float *)infer__k_scratch(c, infer__gemm_pack_size_a(M, K) * sizeof(float));
    if (!pa && !(M == 1 && cs == 1)) return INFER_STATUS_OUT_OF_MEMORY;
    if (!pa) { /* a matrix-vector product */
        memset(&gm, 0, sizeof gm);
        gm.M = 1; gm.N = N; gm.K = K; gm.pb = c->node->packed; gm.C = Y; gm.ldc = N; gm.ldr = N;
        gm.accumulate = accumulate; gm.bias = bias; gm.bias_col = 1;
        if (infer__k_shape_only(c)) return INFER_STATUS_OK;
        if (infer__gemm_epilogue(c, &gm, N)) c->epilogue_done = 1;
        infer__gemm_row_packed(&gm, A, alpha, (double)N * (double)K > 262144.0 ? nt : 1);
        return INFER_STATUS_OK;
    }
    if (infer__k_shape_only(c)) return INFER_STATUS_OK;
    infer__gemm_pack_a(A, rs, cs, M, K, alpha, pa, (double)M * (double)K > 65536.0 ? nt : 1);
    memset(&gm, 0, sizeof gm);
    gm.M = M; gm.N = N; gm.K = K;
    gm.pa = pa; gm.pb = c->node->packed;
    gm.C = Y; gm.ldc = N; gm.ldr = N;
    gm.accumulate = accumulate;
    gm.bias = bias; gm.bias_col = 1;
    if (infer__gemm_epilogue(c, &gm, M * N)) c->epilogue_done = 1;
    infer__gemm_run(&gm, nt);
    return INFER_STATUS_OK;
}

/* Domain of the optimiser's run-time-only fused nodes (never written to a file). */
#define INFER__FUSED_DOMAIN "infer.fused"

/* MatMul. A third input (float32, N elements) is the optimiser's run-time fusion of a following
   Add(bias) (infer__opt_matmul_bias; never in a file): added per column in the GEMM's store. */
static infer_status infer__k_matmul(infer__kctx *c) {
    const infer_tensor *a = INFER__IN(c, 0), *b = INFER__IN(c, 1), *bias = INFER__IN(c, 2);
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
    if (bias && (a->dtype != INFER_DTYPE_FLOAT || bias->dtype != INFER_DTYPE_FLOAT || infer__numel(bias) != s.N || !bias->data))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "fused bias must be float32 with %lld elements", (long long)s.N);
    y = infer__k_output(c, 0, a->dtype, s.orank, s.odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    if (s.nb * s.M * s.N == 0) return INFER_STATUS_OK;
    if (a->dtype == INFER_DTYPE_FLOAT && c->node->packed && c->node->packed_src == b->data && b->rank == 2)
        return infer__gemm_with_packed_b(c, (const float *)a->data, s.K, 1, infer__numel(a) / s.K, s.K, s.N, 1.0f, (float *)y,
                                         bias ? (const float *)bias->data : NULL, 0);
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
        if (!small && nf) {
            scr = (float *)infer__k_scratch(c, nf * sizeof(float));
            if (!scr) return INFER_STATUS_OUT_OF_MEMORY;
        }
        if (infer__k_shape_only(c)) return INFER_STATUS_OK;
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
            for (bi = 0; bi < s.nb; bi++) {
                int64_t oa, ob;
                infer__mm_batch_off(&s, bi, &oa, &ob);
                g.A = pa + oa; g.B = pb + ob;
                g.C = py + bi * s.M * s.N;
                infer__mm_f32(&g, scr);
            }
        }
        if (bias) { /* the fused bias when B was not packed */
            const float *bv = (const float *)bias->data;
            int64_t r, rows = infer__numel(Y) / s.N, j;
            for (r = 0; r < rows; r++)
                for (j = 0; j < s.N; j++) py[r * s.N + j] += bv[j];
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

/* ---- SoftmaxAttention (run-time-only fusion, infer__opt_fuse_attention) ----------------------- */
/* Y = Softmax(scale * (Q x Kt) + mask, last axis) x V for Q [..., S, D], Kt [..., D, T],
   V [..., T, Dv] and an optional float mask broadcast to [..., S, T] (batch dims broadcast as
   MatMul does). Per (batch, block of query rows) the scores of the block are computed, scaled,
   masked, normalised and multiplied by V in a small per-thread buffer: the [..., S, T] tensor is
   never materialised. float32 only (the optimiser fuses only float graphs). */
#define INFER__ATTN_ROWS 32

/* C (R x N, row stride ldc) = A (R x K, lda) x B (K x N, ldb). */
static void infer__attn_mm(const float *A, int64_t lda, const float *B, int64_t ldb, float *C, int64_t ldc, int64_t R,
                           int64_t K, int64_t N) {
    int64_t i = 0, j, k;
#if INFER__HAS_AVX2
    for (; i + 4 <= R; i += 4) {
        const float *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        float *c0 = C + i * ldc;
        for (j = 0; j + 24 <= N; j += 24) {
            __m256 s00 = _mm256_setzero_ps(), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
            __m256 s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
            for (k = 0; k < K; k++) {
                const float *b = B + k * ldb + j;
                __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), b2 = _mm256_loadu_ps(b + 16), a;
                a = _mm256_set1_ps(a0[k]);
                s00 = _mm256_fmadd_ps(a, b0, s00); s01 = _mm256_fmadd_ps(a, b1, s01); s02 = _mm256_fmadd_ps(a, b2, s02);
                a = _mm256_set1_ps(a1[k]);
                s10 = _mm256_fmadd_ps(a, b0, s10); s11 = _mm256_fmadd_ps(a, b1, s11); s12 = _mm256_fmadd_ps(a, b2, s12);
                a = _mm256_set1_ps(a2[k]);
                s20 = _mm256_fmadd_ps(a, b0, s20); s21 = _mm256_fmadd_ps(a, b1, s21); s22 = _mm256_fmadd_ps(a, b2, s22);
                a = _mm256_set1_ps(a3[k]);
                s30 = _mm256_fmadd_ps(a, b0, s30); s31 = _mm256_fmadd_ps(a, b1, s31); s32 = _mm256_fmadd_ps(a, b2, s32);
            }
            _mm256_storeu_ps(c0 + j, s00); _mm256_storeu_ps(c0 + j + 8, s01); _mm256_storeu_ps(c0 + j + 16, s02);
            _mm256_storeu_ps(c0 + ldc + j, s10); _mm256_storeu_ps(c0 + ldc + j + 8, s11); _mm256_storeu_ps(c0 + ldc + j + 16, s12);
            _mm256_storeu_ps(c0 + 2 * ldc + j, s20); _mm256_storeu_ps(c0 + 2 * ldc + j + 8, s21);
            _mm256_storeu_ps(c0 + 2 * ldc + j + 16, s22);
            _mm256_storeu_ps(c0 + 3 * ldc + j, s30); _mm256_storeu_ps(c0 + 3 * ldc + j + 8, s31);
            _mm256_storeu_ps(c0 + 3 * ldc + j + 16, s32);
        }
        for (; j + 16 <= N; j += 16) {
            __m256 s00 = _mm256_setzero_ps(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
            for (k = 0; k < K; k++) {
                const float *b = B + k * ldb + j;
                __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), a;
                a = _mm256_set1_ps(a0[k]); s00 = _mm256_fmadd_ps(a, b0, s00); s01 = _mm256_fmadd_ps(a, b1, s01);
                a = _mm256_set1_ps(a1[k]); s10 = _mm256_fmadd_ps(a, b0, s10); s11 = _mm256_fmadd_ps(a, b1, s11);
                a = _mm256_set1_ps(a2[k]); s20 = _mm256_fmadd_ps(a, b0, s20); s21 = _mm256_fmadd_ps(a, b1, s21);
                a = _mm256_set1_ps(a3[k]); s30 = _mm256_fmadd_ps(a, b0, s30); s31 = _mm256_fmadd_ps(a, b1, s31);
            }
            _mm256_storeu_ps(c0 + j, s00); _mm256_storeu_ps(c0 + j + 8, s01);
            _mm256_storeu_ps(c0 + ldc + j, s10); _mm256_storeu_ps(c0 + ldc + j + 8, s11);
            _mm256_storeu_ps(c0 + 2 * ldc + j, s20); _mm256_storeu_ps(c0 + 2 * ldc + j + 8, s21);
            _mm256_storeu_ps(c0 + 3 * ldc + j, s30); _mm256_storeu_ps(c0 + 3 * ldc + j + 8, s31);
        }
        for (; j + 8 <= N; j += 8) {
            __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
            for (k = 0; k < K; k++) {
                __m256 b0 = _mm256_loadu_ps(B + k * ldb + j);
                s0 = _mm256_fmadd_ps(_mm256_set1_ps(a0[k]), b0, s0);
                s1 = _mm256_fmadd_ps(_mm256_set1_ps(a1[k]), b0, s1);
                s2 = _mm256_fmadd_ps(_mm256_set1_ps(a2[k]), b0, s2);
                s3 = _mm256_fmadd_ps(_mm256_set1_ps(a3[k]), b0, s3);
            }
            _mm256_storeu_ps(c0 + j, s0); _mm256_storeu_ps(c0 + ldc + j, s1);
            _mm256_storeu_ps(c0 + 2 * ldc + j, s2); _mm256_storeu_ps(c0 + 3 * ldc + j, s3);
        }
        for (; j < N; j++) {
            float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (k = 0; k < K; k++) {
                float b = B[k * ldb + j];
                t0 += a0[k] * b; t1 += a1[k] * b; t2 += a2[k] * b; t3 += a3[k] * b;
            }
            c0[j] = t0; c0[ldc + j] = t1; c0[2 * ldc + j] = t2; c0[3 * ldc + j] = t3;
        }
    }
#endif
    for (; i < R; i++) {
        const float *a = A + i * lda;
        float *c = C + i * ldc;
        for (j = 0; j < N; j++) c[j] = 0.0f;
        for (k = 0; k < K; k++) {
            const float *b = B + k * ldb;
            float ak = a[k];
            for (j = 0; j < N; j++) c[j] += ak * b[j];
        }
    }
}

/* One row of scores: s = scale * s + mask (mask element j at m[j * mcol], or no mask), then
   exp(s - max) in place; returns 1 / sum (the caller scales the row's output by it). A row whose
   max is not finite goes through the plain Softmax (NaN as the unfused graph gives) and returns 1. */
static float infer__attn_exp_row(float *s, int64_t T, float scale, const float *m, int64_t mcol) {
    int64_t j = 0;
    float mx = -HUGE_VALF, sum = 0.0f;
#if INFER__HAS_AVX2
    __m256 vs = _mm256_set1_ps(scale), vm = _mm256_set1_ps(-HUGE_VALF), acc = _mm256_setzero_ps();
    if (!m || mcol == 1) {
        for (; j + 8 <= T; j += 8) {
            __m256 x = _mm256_mul_ps(_mm256_loadu_ps(s + j), vs);
            if (m) x = _mm256_add_ps(x, _mm256_loadu_ps(m + j));
            _mm256_storeu_ps(s + j, x);
            vm = _mm256_max_ps(vm, x);
        }
        {
            float t[8];
            int k;
            _mm256_storeu_ps(t, vm);
            for (k = 0; k < 8; k++) mx = t[k] > mx ? t[k] : mx;
        }
    }
#endif
    for (; j < T; j++) {
        s[j] = s[j] * scale + (m ? m[j * mcol] : 0.0f);
        if (s[j] > mx) mx = s[j];
    }
    if (!(mx > -HUGE_VALF && mx < HUGE_VALF)) { /* -inf everywhere, +inf or NaN */
        infer__softmax_row_f32(INFER__SM_SOFTMAX, s, s, T, 1);
        return 1.0f;
    }
    j = 0;
#if INFER__HAS_AVX2
    vm = _mm256_set1_ps(mx);
    for (; j + 8 <= T; j += 8) {
        __m256 e = infer__exp256(_mm256_sub_ps(_mm256_loadu_ps(s + j), vm));
        _mm256_storeu_ps(s + j, e);
        acc = _mm256_add_ps(acc, e);
    }
    sum = infer__hsum256(acc);
#endif
    for (; j < T; j++) {
        s[j] = expf(s[j] - mx);
        sum += s[j];
    }
    return 1.0f / sum;
}

/* Element strides of tensor t's batch dims (all but the last two, right-aligned to nb output batch
   dims; 0 where t has no such dim or it is 1) into st; 0 if a dim neither matches ob nor is 1. */
static int infer__attn_bstrides(const infer_tensor *t, int nb, const int64_t *ob, int64_t *st) {
    int k, tb = t->rank - 2;
    int64_t step = t->rank >= 2 ? t->dims[t->rank - 1] * t->dims[t->rank - 2] : 1;
    for (k = nb - 1; k >= 0; k--) {
        int d = tb - (nb - k);
        int64_t n = d >= 0 ? t->dims[d] : 1;
        if (n != ob[k] && n != 1) return 0;
        st[k] = n == 1 ? 0 : step;
        step *= n;
    }
    return 1;
}

static infer_status infer__k_softmax_attention(infer__kctx *c) {
    const infer_tensor *q = INFER__IN(c, 0), *kt = INFER__IN(c, 1), *v = INFER__IN(c, 2), *mk = INFER__IN(c, 3);
    const infer_tensor *ts[4];
    int64_t ob[INFER_MAX_RANK], odims[INFER_MAX_RANK], sq[INFER_MAX_RANK], sk[INFER_MAX_RANK], sv[INFER_MAX_RANK],
        sm[INFER_MAX_RANK];
    int64_t S, D, T, Dv, NB = 1, nblk, item, mrow = 0, mcol = 0;
    int nb = 0, i, k, nt;
    float scale = infer__k_attr_f(c, "scale", 1.0f), *scr;
    INFER__REQ_INPUT(c, 0);
    INFER__REQ_INPUT(c, 1);
    INFER__REQ_INPUT(c, 2);
    ts[0] = q; ts[1] = kt; ts[2] = v; ts[3] = mk;
    for (i = 0; i < 4; i++)
        if (ts[i] && (ts[i]->dtype != INFER_DTYPE_FLOAT || (i < 3 && ts[i]->rank < 2)))
            return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input %d must be float32%s", i, i < 3 ? " of rank 2 or more" : "");
    S = q->dims[q->rank - 2]; D = q->dims[q->rank - 1];
    T = kt->dims[kt->rank - 1]; Dv = v->dims[v->rank - 1];
    if (kt->dims[kt->rank - 2] != D || v->dims[v->rank - 2] != T)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "Q [.., %lld, %lld], K^T [.., %lld, %lld], V [.., %lld, %lld] do not multiply",
                             (long long)S, (long long)D, (long long)kt->dims[kt->rank - 2], (long long)T,
                             (long long)v->dims[v->rank - 2], (long long)Dv);
    for (i = 0; i < 4; i++) /* output batch dims: all batch dims broadcast */
        if (ts[i] && ts[i]->rank - 2 > nb) nb = ts[i]->rank - 2;
    for (k = 0; k < nb; k++) {
        ob[k] = 1;
        for (i = 0; i < 4; i++) {
            int d;
            if (!ts[i]) continue;
            d = ts[i]->rank - 2 - (nb - k);
            if (d >= 0 && ts[i]->dims[d] != 1) {
                if (ob[k] != 1 && ob[k] != ts[i]->dims[d])
                    return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "batch dims do not broadcast");
                ob[k] = ts[i]->dims[d];
            }
        }
        odims[k] = ob[k];
        NB *= ob[k];
    }
    if (!infer__attn_bstrides(q, nb, ob, sq) || !infer__attn_bstrides(kt, nb, ob, sk) || !infer__attn_bstrides(v, nb, ob, sv))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "batch dims do not broadcast");
    if (mk) { /* the mask's last two dims against [S, T]; lower ranks broadcast */
        int64_t mr = mk->rank >= 2 ? mk->dims[mk->rank - 2] : 1, mc = mk->rank >= 1 ? mk->dims[mk->rank - 1] : 1;
        infer_tensor m2 = *mk;
        if ((mr != S && mr != 1) || (mc != T && mc != 1))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "mask [.., %lld, %lld] does not broadcast to [.., %lld, %lld]",
                                 (long long)mr, (long long)mc, (long long)S, (long long)T);
        mcol = mc == 1 ? 0 : 1;
        mrow = mr == 1 ? 0 : mc;
        if (m2.rank < 2) { /* as [1, mc] */
            m2.rank = 2; m2.dims[0] = 1; m2.dims[1] = mc;
        }
        if (!infer__attn_bstrides(&m2, nb, ob, sm)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "mask batch dims do not broadcast");
    }
    odims[nb] = S; odims[nb + 1] = Dv;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, nb + 2, odims)) return INFER_STATUS_OUT_OF_MEMORY;
    if (NB * S * Dv == 0) return INFER_STATUS_OK;
    nblk = (S + INFER__ATTN_ROWS - 1) / INFER__ATTN_ROWS;
    nt = INFER__THREADS(c, (double)NB * (double)S * (double)T * (double)(D + Dv));
    if (nt > NB * nblk) nt = (int)(NB * nblk);
    if (nt < 1) nt = 1;
    scr = (float *)infer__k_scratch(c, (size_t)nt * (size_t)(INFER__ATTN_ROWS * (T > 0 ? T : 1)) * sizeof(float));
    if (!scr) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__k_shape_only(c)) return INFER_STATUS_OK;
    INFER__OMP_FOR(nt)
    for (item = 0; item < NB * nblk; item++) {
        int64_t b = item / nblk, r0 = (item % nblk) * INFER__ATTN_ROWS, rows = S - r0 < INFER__ATTN_ROWS ? S - r0 : INFER__ATTN_ROWS;
        int64_t oq = 0, ok = 0, ov = 0, om = 0, rem = b, r, j;
        float *y = (float *)c->out[0]->data + (b * S + r0) * Dv, inv[INFER__ATTN_ROWS];
        int kk;
#if INFER__HAS_OPENMP
        float *sc = scr + (int64_t)omp_get_thread_num() * INFER__ATTN_ROWS * T;
#else
        float *sc = scr;
#endif
        for (kk = nb - 1; kk >= 0; kk--) {
            int64_t ix = rem % ob[kk];
            rem /= ob[kk];
            oq += ix * sq[kk]; ok += ix * sk[kk]; ov += ix * sv[kk];
            if (mk) om += ix * sm[kk];
        }
        if (T == 0) { /* softmax over nothing times nothing: zeros */
            for (r = 0; r < rows * Dv; r++) y[r] = 0.0f;
            continue;
        }
        infer__attn_mm((const float *)q->data + oq + r0 * D, D, (const float *)kt->data + ok, T, sc, T, rows, D, T);
        for (r = 0; r < rows; r++)
            inv[r] = infer__attn_exp_row(sc + r * T, T, scale, mk ? (const float *)mk->data + om + (r0 + r) * mrow : NULL, mcol);
        infer__attn_mm(sc, T, (const float *)v->data + ov, Dv, y, Dv, rows, T, Dv);
        for (r = 0; r < rows; r++)
            if (inv[r] != 1.0f)
                for (j = 0; j < Dv; j++) y[r * Dv + j] *= inv[r];
    }
    return INFER_STATUS_OK;
}

static const infer__op infer__op_softmax_attention = {INFER__FUSED_DOMAIN, "SoftmaxAttention", 1, 1000, infer__k_softmax_attention};

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
    if (a->dtype == INFER_DTYPE_FLOAT && c->node->packed && c->node->packed_src == b->data) {
        const float *bias = NULL;
        int accumulate = 0;
        if (C && beta == 1.0 && infer__numel(C) == N && (C->rank == 1 || C->dims[0] == 1)) bias = (const float *)C->data;
        else if (C) {
            const float *cf = (const float *)C->data;
            int64_t q;
            for (q = 0; q < M * N; q++) ((float *)y)[q] = (float)beta * cf[(q / N) * cs[0] + (q % N) * cs[1]];
            accumulate = 1;
        }
        return infer__gemm_with_packed_b(c, (const float *)a->data, ta ? 1 : a->dims[1], ta ? a->dims[1] : 1, M, K, N,
                                         (float)alpha, (float *)y, bias, accumulate);
    }
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
        if (infer__k_shape_only(c)) return INFER_STATUS_OK;
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
/* ============================================================================================== */
/* >>kernels-nn: convolution, pooling, normalisation, resize                                      */
/* ============================================================================================== */
/* Every floating type is computed in float32: inputs of another type are converted into scratch
   memory and the result is rounded back (infer__nn_inf / infer__nn_outf / infer__nn_outdone). */

#define INFER__NN_MR 6  /* GEMM micro-tile: rows of A (output channels) */
#define INFER__NN_NR 16 /* GEMM micro-tile: columns of B (output pixels) */
#define INFER__NN_LIM ((int64_t)1 << 31) /* bound on kernel sizes, strides, pads, dilations */
/* `omp simd` on hot inner loops: gcc -O2 vectorises them only when asked (with -fopenmp). clang
   vectorises by itself and warns where it cannot honour the request: not used there. */
#if INFER__HAS_OPENMP && !defined(__clang__)
#define INFER__NN_SIMD INFER__PRAGMA(omp simd)
#define INFER__NN_SIMD_SUM(v) INFER__PRAGMA(omp simd reduction(+:v))
#define INFER__NN_SIMD_MAX(v) INFER__PRAGMA(omp simd reduction(max:v))
#else
#define INFER__NN_SIMD_MAX(v)
#define INFER__NN_SIMD
#define INFER__NN_SIMD_SUM(v)
#endif

#if INFER__HAS_AVX2
/* The even (odd) elements of the 16 floats u, v in order: stride-2 windows (depthwise, MaxPool). */
static __m256 infer__nn_even8(__m256 u, __m256 v) {
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(u, v, 0x88)), 0xD8));
}
static __m256 infer__nn_odd8(__m256 u, __m256 v) {
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(u, v, 0xDD)), 0xD8));
}
#endif

/* dst[t] = src[t * step] for t < n (a strided row gather: stride-2 im2col rows and column phases);
   src[0 .. avail) may be read (avail >= (n - 1) * step + 1). */
static void infer__nn_gather(float *dst, const float *src, int64_t n, int64_t step, int64_t avail) {
    int64_t t = 0;
    if (step == 1) {
        memcpy(dst, src, (size_t)n * sizeof(float));
        return;
    }
#if INFER__HAS_AVX2
    if (step == 2)
        for (; t + 8 <= n && 2 * t + 16 <= avail; t += 8)
            _mm256_storeu_ps(dst + t, infer__nn_even8(_mm256_loadu_ps(src + 2 * t), _mm256_loadu_ps(src + 2 * t + 8)));
#else
    (void)avail;
#endif
    for (; t < n; t++) dst[t] = src[t * step];
}

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
#elif INFER__HAS_NEON
    {
        float32x4_t c00 = vdupq_n_f32(0.0f), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        float32x4_t c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        float32x4_t c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        const float *a0 = ap[0], *a1 = ap[1], *a2 = ap[2], *a3 = ap[3], *a4 = ap[4], *a5 = ap[5];
        int64_t i, o = 0;
        for (i = 0; i < k; i++, o += aks) {
            const float *bp = koff ? pb + koff[i] : pb + i * INFER__NN_NR;
            float32x4_t b0 = vld1q_f32(bp), b1 = vld1q_f32(bp + 4), b2 = vld1q_f32(bp + 8), b3 = vld1q_f32(bp + 12);
            float av;
#define INFER__NN_NEON_ROW(ar, x0, x1, x2, x3)                                                          \
            av = (ar)[o];                                                                               \
            x0 = vfmaq_n_f32(x0, b0, av); x1 = vfmaq_n_f32(x1, b1, av);                                 \
            x2 = vfmaq_n_f32(x2, b2, av); x3 = vfmaq_n_f32(x3, b3, av);
            INFER__NN_NEON_ROW(a0, c00, c01, c02, c03)
            INFER__NN_NEON_ROW(a1, c10, c11, c12, c13)
            INFER__NN_NEON_ROW(a2, c20, c21, c22, c23)
            INFER__NN_NEON_ROW(a3, c30, c31, c32, c33)
            INFER__NN_NEON_ROW(a4, c40, c41, c42, c43)
            INFER__NN_NEON_ROW(a5, c50, c51, c52, c53)
#undef INFER__NN_NEON_ROW
        }
        vst1q_f32(acc[0], c00); vst1q_f32(acc[0] + 4, c01); vst1q_f32(acc[0] + 8, c02); vst1q_f32(acc[0] + 12, c03);
        vst1q_f32(acc[1], c10); vst1q_f32(acc[1] + 4, c11); vst1q_f32(acc[1] + 8, c12); vst1q_f32(acc[1] + 12, c13);
        vst1q_f32(acc[2], c20); vst1q_f32(acc[2] + 4, c21); vst1q_f32(acc[2] + 8, c22); vst1q_f32(acc[2] + 12, c23);
        vst1q_f32(acc[3], c30); vst1q_f32(acc[3] + 4, c31); vst1q_f32(acc[3] + 8, c32); vst1q_f32(acc[3] + 12, c33);
        vst1q_f32(acc[4], c40); vst1q_f32(acc[4] + 4, c41); vst1q_f32(acc[4] + 8, c42); vst1q_f32(acc[4] + 12, c43);
        vst1q_f32(acc[5], c50); vst1q_f32(acc[5] + 4, c51); vst1q_f32(acc[5] + 8, c52); vst1q_f32(acc[5] + 12, c53);
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
                } else { /* [ta, tb): the outputs whose input column lies inside the row */
                    const float *src = xc + off + i0;
                    int64_t ta = i0 >= 0 ? 0 : (-i0 + sl - 1) / sl, tb = i0 < wi ? (wi - i0 + sl - 1) / sl : 0;
                    if (tb > len) tb = len;
                    if (ta > tb) ta = tb;
                    for (t = 0; t < ta; t++) ds[t] = 0.0f;
                    if (tb > ta) infer__nn_gather(ds + ta, src + ta * sl, tb - ta, sl, wi - i0 - ta * sl);
                    for (t = tb; t < len; t++) ds[t] = 0.0f;
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
/* The vector plane kernels apply: 3x3 (infer__nn_dw3x3_plane) or, with AVX2, 5x5 (infer__nn_dw5x5_plane);
   dilation 1, equal strides 1 or 2. */
static int infer__nn_dwv_ok(const infer__nn_win *w) {
    int k3 = (INFER__HAS_AVX2 || INFER__HAS_NEON) && w->k[0] == 3, k5 = INFER__HAS_AVX2 && w->k[0] == 5;
    return (k3 || k5) && w->k[1] == w->k[0] && w->d[0] == 1 && w->d[1] == 1 && w->s[0] == w->s[1] && (w->s[0] == 1 || w->s[0] == 2);
}

static void infer__nn_dw_dims(const infer__nn_win *w, int64_t *hp, int64_t *wp) {
    int64_t nbk = (w->out[1] + INFER__NN_DW_JB - 1) / INFER__NN_DW_JB;
    int64_t need = (nbk * INFER__NN_DW_JB - 1) * w->s[1] + (w->k[1] - 1) * w->d[1] + 1;
    *hp = w->in[0] + w->pb[0] + w->pe[0];
    *wp = (w->in[1] + w->pb[1] > need ? w->in[1] + w->pb[1] : need) + INFER__NN_DW_JB; /* slack: stride-2 loads */
    if (infer__nn_dwv_ok(w)) { /* 16 outputs a step; stride 2: two halves (even, odd columns) */
        int64_t full = w->in[1] + w->pb[1] + w->pe[1], o16 = (w->out[1] + 15) / 16 * 16, half, k = w->k[1];
        if (w->s[1] == 1) {
            half = (full > o16 + k - 1 ? full : o16 + k - 1) + 8;
            if (half > *wp) *wp = half;
        } else {
            half = ((full + 1) / 2 > o16 + (k - 1) / 2 ? (full + 1) / 2 : o16 + (k - 1) / 2) + 8;
            if (2 * half > *wp) *wp = 2 * half;
        }
        if (*wp % 2) (*wp)++;
    }
}

#if INFER__HAS_AVX2
/* acc + one kernel row (weights wa wb wc) over 8 outputs of row r (stride 2: deinterleaved halves) */
static __m256 infer__dw3_row8(__m256 acc, const float *r, int s, int64_t half, __m256 wa, __m256 wb, __m256 wc) {
    acc = _mm256_fmadd_ps(wa, _mm256_loadu_ps(r), acc);
    acc = _mm256_fmadd_ps(wb, _mm256_loadu_ps(s == 1 ? r + 1 : r + half), acc);
    return _mm256_fmadd_ps(wc, _mm256_loadu_ps(s == 1 ? r + 2 : r + 1), acc);
}

/* bias + a 5x5 window over 8 outputs: rows r + a * wp, column b of the window at offset o[b] (b for
   stride 1; in the even / odd half for stride 2). One FMA chain per kernel row. */
static __m256 infer__dw5_out8(const float *r, int64_t wp, const int64_t *o, const float *wq, __m256 vb) {
    const float *r1 = r + wp, *r2 = r1 + wp, *r3 = r2 + wp, *r4 = r3 + wp;
    __m256 a0 = _mm256_mul_ps(_mm256_broadcast_ss(wq), _mm256_loadu_ps(r + o[0]));
    __m256 a1 = _mm256_mul_ps(_mm256_broadcast_ss(wq + 5), _mm256_loadu_ps(r1 + o[0]));
    __m256 a2 = _mm256_mul_ps(_mm256_broadcast_ss(wq + 10), _mm256_loadu_ps(r2 + o[0]));
    __m256 a3 = _mm256_mul_ps(_mm256_broadcast_ss(wq + 15), _mm256_loadu_ps(r3 + o[0]));
    __m256 a4 = _mm256_mul_ps(_mm256_broadcast_ss(wq + 20), _mm256_loadu_ps(r4 + o[0]));
    int b;
    for (b = 1; b < 5; b++) {
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(wq + b), _mm256_loadu_ps(r + o[b]), a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(wq + 5 + b), _mm256_loadu_ps(r1 + o[b]), a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(wq + 10 + b), _mm256_loadu_ps(r2 + o[b]), a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(wq + 15 + b), _mm256_loadu_ps(r3 + o[b]), a3);
        a4 = _mm256_fmadd_ps(_mm256_broadcast_ss(wq + 20 + b), _mm256_loadu_ps(r4 + o[b]), a4);
    }
    return _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(vb, a0), _mm256_add_ps(a1, a2)), _mm256_add_ps(a3, a4));
}

/* Depthwise 5x5, the layout and store of infer__nn_dw3x3_plane below, weights broadcast from memory:
   16 outputs a step, or two rows of up to 8 on narrow maps. */
static void infer__nn_dw5x5_plane(const float *buf, int64_t wp, int s, const float *wq, float bv, float *yp, int64_t ho,
                                  int64_t wo, float lo, float hi) {
    __m256 vb = _mm256_set1_ps(bv), vl = _mm256_set1_ps(lo), vh = _mm256_set1_ps(hi);
    int64_t i, j, half = wp / 2, o[5];
    int t;
    float tmp[16];
    for (t = 0; t < 5; t++) o[t] = s == 1 ? t : (t & 1) * half + t / 2;
    if (wo <= 8) {
        for (i = 0; i < ho; i += 2) {
            int two = i + 1 < ho;
            __m256 u = infer__dw5_out8(buf + i * s * wp, wp, o, wq, vb);
            __m256 v = two ? infer__dw5_out8(buf + (i + 1) * s * wp, wp, o, wq, vb) : vb;
            _mm256_storeu_ps(tmp, _mm256_min_ps(vh, _mm256_max_ps(vl, u)));
            _mm256_storeu_ps(tmp + 8, _mm256_min_ps(vh, _mm256_max_ps(vl, v)));
            for (t = 0; t < wo; t++) yp[i * wo + t] = tmp[t];
            if (two)
                for (t = 0; t < wo; t++) yp[(i + 1) * wo + t] = tmp[8 + t];
        }
        return;
    }
    for (i = 0; i < ho; i++)
        for (j = 0; j < wo; j += 16) {
            const float *r = buf + i * s * wp + j;
            __m256 u = infer__dw5_out8(r, wp, o, wq, vb), v = infer__dw5_out8(r + 8, wp, o, wq, vb);
            u = _mm256_min_ps(vh, _mm256_max_ps(vl, u));
            v = _mm256_min_ps(vh, _mm256_max_ps(vl, v));
            if (j + 16 <= wo) {
                _mm256_storeu_ps(yp + i * wo + j, u);
                _mm256_storeu_ps(yp + i * wo + j + 8, v);
                continue;
            }
            _mm256_storeu_ps(tmp, u);
            _mm256_storeu_ps(tmp + 8, v);
            for (t = 0; t < 16 && j + t < wo; t++) yp[i * wo + j + t] = tmp[t];
        }
}

/* Depthwise 3x3, dilation 1, stride 1 or 2, one plane: the padded plane buf (hp x wp; for stride 2
   deinterleaved by the caller into even columns then odd columns, each wp/2 wide) with the nine
   weights in registers, two 8-wide output blocks per step (two FMA chains), bias and the clamp
   [lo, hi] in the store. */
static void infer__nn_dw3x3_plane(const float *buf, int64_t wp, int s, const float *wq, float bv, float *yp, int64_t ho,
                                  int64_t wo, float lo, float hi) {
    __m256 w0 = _mm256_set1_ps(wq[0]), w1 = _mm256_set1_ps(wq[1]), w2 = _mm256_set1_ps(wq[2]);
    __m256 w3 = _mm256_set1_ps(wq[3]), w4 = _mm256_set1_ps(wq[4]), w5 = _mm256_set1_ps(wq[5]);
    __m256 w6 = _mm256_set1_ps(wq[6]), w7 = _mm256_set1_ps(wq[7]), w8 = _mm256_set1_ps(wq[8]);
    __m256 vb = _mm256_set1_ps(bv), vl = _mm256_set1_ps(lo), vh = _mm256_set1_ps(hi);
    int64_t i, j, half = wp / 2;
    if (wo <= 8) { /* narrow maps (7x7): two output rows a step, one per FMA chain */
        for (i = 0; i < ho; i += 2) {
            const float *r = buf + i * s * wp;
            __m256 a = infer__dw3_row8(vb, r, s, half, w0, w1, w2), b = vb;
            float tmp[8];
            int t, two = i + 1 < ho;
            a = infer__dw3_row8(a, r + wp, s, half, w3, w4, w5);
            a = infer__dw3_row8(a, r + 2 * wp, s, half, w6, w7, w8);
            if (two) {
                r += s * wp;
                b = infer__dw3_row8(b, r, s, half, w0, w1, w2);
                b = infer__dw3_row8(b, r + wp, s, half, w3, w4, w5);
                b = infer__dw3_row8(b, r + 2 * wp, s, half, w6, w7, w8);
            }
            a = _mm256_min_ps(vh, _mm256_max_ps(vl, a));
            b = _mm256_min_ps(vh, _mm256_max_ps(vl, b));
            _mm256_storeu_ps(tmp, a);
            for (t = 0; t < wo; t++) yp[i * wo + t] = tmp[t];
            if (!two) break;
            _mm256_storeu_ps(tmp, b);
            for (t = 0; t < wo; t++) yp[(i + 1) * wo + t] = tmp[t];
        }
        return;
    }
    for (i = 0; i < ho; i++) {
        const float *r0 = buf + i * s * wp, *r1 = r0 + wp, *r2 = r1 + wp;
        float *yr = yp + i * wo;
        for (j = 0; j < wo; j += 16) {
            __m256 a = vb, b = vb;
            float tmp[16];
            int t;
#define INFER__DW_ROW(r, wa, wb, wc)                                                                    \
            if (s == 1) {                                                                               \
                a = _mm256_fmadd_ps(wa, _mm256_loadu_ps(r + j), a);                                     \
                b = _mm256_fmadd_ps(wa, _mm256_loadu_ps(r + j + 8), b);                                 \
                a = _mm256_fmadd_ps(wb, _mm256_loadu_ps(r + j + 1), a);                                 \
                b = _mm256_fmadd_ps(wb, _mm256_loadu_ps(r + j + 9), b);                                 \
                a = _mm256_fmadd_ps(wc, _mm256_loadu_ps(r + j + 2), a);                                 \
                b = _mm256_fmadd_ps(wc, _mm256_loadu_ps(r + j + 10), b);                                \
            } else { /* even columns at r[0..half), odd ones at r[half..) */                            \
                a = _mm256_fmadd_ps(wa, _mm256_loadu_ps(r + j), a);                                     \
                b = _mm256_fmadd_ps(wa, _mm256_loadu_ps(r + j + 8), b);                                 \
                a = _mm256_fmadd_ps(wb, _mm256_loadu_ps(r + half + j), a);                              \
                b = _mm256_fmadd_ps(wb, _mm256_loadu_ps(r + half + j + 8), b);                          \
                a = _mm256_fmadd_ps(wc, _mm256_loadu_ps(r + j + 1), a);                                 \
                b = _mm256_fmadd_ps(wc, _mm256_loadu_ps(r + j + 9), b);                                 \
            }
            INFER__DW_ROW(r0, w0, w1, w2)
            INFER__DW_ROW(r1, w3, w4, w5)
            INFER__DW_ROW(r2, w6, w7, w8)
#undef INFER__DW_ROW
            a = _mm256_min_ps(vh, _mm256_max_ps(vl, a));
            b = _mm256_min_ps(vh, _mm256_max_ps(vl, b));
            if (j + 16 <= wo) {
                _mm256_storeu_ps(yr + j, a);
                _mm256_storeu_ps(yr + j + 8, b);
                continue;
            }
            _mm256_storeu_ps(tmp, a);
            _mm256_storeu_ps(tmp + 8, b);
            for (t = 0; t < 16 && j + t < wo; t++) yr[j + t] = tmp[t];
        }
    }
}
#elif INFER__HAS_NEON
/* The same with NEON: 16 outputs a step in four 4-wide FMA chains. */
static void infer__nn_dw3x3_plane(const float *buf, int64_t wp, int s, const float *wq, float bv, float *yp, int64_t ho,
                                  int64_t wo, float lo, float hi) {
    float32x4_t w03 = vld1q_f32(wq), w47 = vld1q_f32(wq + 4), w8 = vdupq_n_f32(wq[8]);
    float32x4_t vb = vdupq_n_f32(bv), vl = vdupq_n_f32(lo), vh = vdupq_n_f32(hi);
    int64_t i, j, half = wp / 2;
    for (i = 0; i < ho; i++) {
        const float *r0 = buf + i * s * wp, *r1 = r0 + wp, *r2 = r1 + wp;
        float *yr = yp + i * wo;
        for (j = 0; j < wo; j += 16) {
            float32x4_t v0 = vb, v1 = vb, v2 = vb, v3 = vb;
            float tmp[16];
            int t;
            /* tap at column offset o of row r times weight wv (a lane of wv4) */
#define INFER__DW_TAP(r, o, wv4, ln)                                                                    \
            v0 = vfmaq_laneq_f32(v0, vld1q_f32((r) + (o)), wv4, ln);                                    \
            v1 = vfmaq_laneq_f32(v1, vld1q_f32((r) + (o) + 4), wv4, ln);                                \
            v2 = vfmaq_laneq_f32(v2, vld1q_f32((r) + (o) + 8), wv4, ln);                                \
            v3 = vfmaq_laneq_f32(v3, vld1q_f32((r) + (o) + 12), wv4, ln);
#define INFER__DW_ROW(r, wa4, la, wb4, lb, wc4, lc)                                                     \
            if (s == 1) {                                                                               \
                INFER__DW_TAP(r, j, wa4, la) INFER__DW_TAP(r, j + 1, wb4, lb) INFER__DW_TAP(r, j + 2, wc4, lc) \
            } else { /* even columns at r[0..half), odd ones at r[half..) */                            \
                INFER__DW_TAP(r, j, wa4, la) INFER__DW_TAP(r, half + j, wb4, lb) INFER__DW_TAP(r, j + 1, wc4, lc) \
            }
            INFER__DW_ROW(r0, w03, 0, w03, 1, w03, 2)
            INFER__DW_ROW(r1, w03, 3, w47, 0, w47, 1)
            INFER__DW_ROW(r2, w47, 2, w47, 3, w8, 0)
#undef INFER__DW_ROW
#undef INFER__DW_TAP
            v0 = vminq_f32(vh, vmaxq_f32(vl, v0));
            v1 = vminq_f32(vh, vmaxq_f32(vl, v1));
            v2 = vminq_f32(vh, vmaxq_f32(vl, v2));
            v3 = vminq_f32(vh, vmaxq_f32(vl, v3));
            if (j + 16 <= wo) {
                vst1q_f32(yr + j, v0); vst1q_f32(yr + j + 4, v1); vst1q_f32(yr + j + 8, v2); vst1q_f32(yr + j + 12, v3);
                continue;
            }
            vst1q_f32(tmp, v0); vst1q_f32(tmp + 4, v1); vst1q_f32(tmp + 8, v2); vst1q_f32(tmp + 12, v3);
            for (t = 0; t < 16 && j + t < wo; t++) yr[j + t] = tmp[t];
        }
    }
}
#endif

static void infer__nn_conv_dw2d(const float *x, const float *wt, const float *bias, float *y, int64_t nb, int64_t cin,
                                int64_t m, const infer__nn_win *w, float *bufs, float lo, float hi, int act, int nt) {
    int64_t mg = m / cin, hi_ = w->in[0], wi = w->in[1], ho = w->out[0], wo = w->out[1];
    int64_t kh = w->k[0], kw = w->k[1], plane, planes = nb * m, hp, wp;
    int64_t s0 = w->s[0], d0 = w->d[0], s1 = w->s[1], d1 = w->d[1];
    infer__nn_dw_dims(w, &hp, &wp);
    /* every plane writes the same interior of its thread's buffer: the zero border is set once */
    memset(bufs, 0, (size_t)(nt > 1 ? nt : 1) * (size_t)(hp * wp) * sizeof(float));
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
#if INFER__HAS_AVX2 || INFER__HAS_NEON
        if (infer__nn_dwv_ok(w)) {
            if (s1 == 1)
                for (i = 0; i < hi_; i++) {
                    float *row = buf + (i + w->pb[0]) * wp + w->pb[1];
                    const float *src = xp + i * wi;
                    j = 0;
#if INFER__HAS_AVX2 /* short rows: vectors, the last one masked (zeros past the row fall on the padding) */
                    for (; j + 8 <= wi; j += 8) _mm256_storeu_ps(row + j, _mm256_loadu_ps(src + j));
                    if (j < wi) {
                        __m256i left = _mm256_set1_epi32((int)(wi - j));
                        _mm256_storeu_ps(row + j, _mm256_maskload_ps(src + j, _mm256_cmpgt_epi32(left, _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))));
                        j = wi;
                    }
#endif
                    if (j < wi) memcpy(row + j, src + j, (size_t)(wi - j) * sizeof(float));
                }
            else
                for (i = 0; i < hi_; i++) {
                    float *row = buf + (i + w->pb[0]) * wp;
                    const float *src = xp + i * wi;
                    int64_t pl = w->pb[1];
                    j = 0;
#if INFER__HAS_AVX2
                    { /* 16 columns a step: the even ones to one half, the odd ones to the other */
                        float *de = row + (pl & 1) * (wp / 2) + pl / 2, *dodd = row + (1 - (pl & 1)) * (wp / 2) + (pl + 1) / 2;
                        for (; j < wi; j += 16) { /* the last step loads zeros past the row (padding there) */
                            __m256 u, v;
                            if (j + 16 <= wi) u = _mm256_loadu_ps(src + j), v = _mm256_loadu_ps(src + j + 8);
                            else {
                                __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), left = _mm256_set1_epi32((int)(wi - j));
                                u = _mm256_maskload_ps(src + j, _mm256_cmpgt_epi32(left, lane));
                                v = _mm256_maskload_ps(src + j + 8, _mm256_cmpgt_epi32(left, _mm256_add_epi32(lane, _mm256_set1_epi32(8))));
                            }
                            _mm256_storeu_ps(de + j / 2, infer__nn_even8(u, v));
                            _mm256_storeu_ps(dodd + j / 2, infer__nn_odd8(u, v));
                        }
                    }
#endif
                    for (; j < wi; j++) {
                        int64_t pc = j + pl;
                        row[(pc & 1) * (wp / 2) + pc / 2] = src[j];
                    }
                }
#if INFER__HAS_AVX2
            if (kw != 3) infer__nn_dw5x5_plane(buf, wp, (int)s1, wq, bv, yp, ho, wo, lo, hi);
            else
#endif
                infer__nn_dw3x3_plane(buf, wp, (int)s1, wq, bv, yp, ho, wo, lo, hi);
            if (act) infer__act_span(yp, ho * wo, act); /* SiLU / HardSwish on the plane, still in L1 */
            continue;
        }
#endif
        (void)lo; (void)hi; (void)act;
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

/* xs [cg][hp][wp] = the planes x [cg][H][W] placed at row pt, column pl, zeros around. */
static void infer__nn_pad2d(const float *x, int64_t cg, int64_t H, int64_t W, int64_t pt, int64_t pl, int64_t hp,
                            int64_t wp, float *xs, int nt) {
    int64_t ci;
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
            memcpy(dr + pl, x + (ci * H + r - pt) * W, (size_t)W * sizeof(float));
            for (q = pl + W; q < wp; q++) dr[q] = 0.0f;
        }
    }
}

/* Implicit GEMM for 1-D / 2-D convolutions: each group's input is copied once into a zero-padded
   buffer xs, split by column phase for a stride s1 > 1 along the rows: xs [cg][s1][hp][wp2] holds padded
   column s1*q + phase at q (wp2 = ceil(wp / s1)), so that every output row reads unit-stride runs. The
   GEMM reads B straight from it: row (ci, a, b) of the tile of output row oh, columns ow0.. is the NR
   floats at xs + oh*s0*wp2 + ow0 + koff, koff = ((ci*s1 + (b*d1) % s1)*hp + a*d0)*wp2 + (b*d1) / s1. */
static void infer__nn_conv_implicit(const float *xg, int64_t cg, const infer__nn_win *w, float *xs, int64_t *koff,
                                    infer__gemm *gm, int nt) {
    int nd = w->nd;
    int64_t H = nd == 2 ? w->in[0] : 1, W = w->in[nd - 1], wo = w->out[nd - 1];
    int64_t kh = nd == 2 ? w->k[0] : 1, kw = w->k[nd - 1], s0 = nd == 2 ? w->s[0] : 1, d0 = nd == 2 ? w->d[0] : 1;
    int64_t s1 = w->s[nd - 1], d1 = w->d[nd - 1], pt = nd == 2 ? w->pb[0] : 0, pl = w->pb[nd - 1];
    int64_t hp = H + pt + (nd == 2 ? w->pe[0] : 0), wp = W + pl + w->pe[nd - 1], wp2 = (wp + s1 - 1) / s1, i = 0, ci, a, b;
    for (b = 0; b < INFER__G_NR; b++) xs[cg * s1 * hp * wp2 + b] = 0.0f; /* slack read by the last tiles */
    if (s1 == 1) infer__nn_pad2d(xg, cg, H, W, pt, pl, hp, wp, xs, nt);
    else {
        (void)nt;
        INFER__OMP_FOR(nt)
        for (ci = 0; ci < cg; ci++) {
            int64_t ph, r, q;
            for (ph = 0; ph < s1; ph++)
                for (r = 0; r < hp; r++) {
                    float *dr = xs + ((ci * s1 + ph) * hp + r) * wp2;
                    const float *sr = xg + (ci * H + r - pt) * W;
                    int64_t b0 = ph - pl; /* dr[q] = sr[q * s1 + b0] inside the row, else 0 */
                    int64_t qa = b0 >= 0 ? 0 : (-b0 + s1 - 1) / s1, qb = b0 < W ? (W - b0 + s1 - 1) / s1 : 0;
                    if (qb > wp2) qb = wp2;
                    if (qa > qb || r < pt || r >= pt + H) qa = qb = 0;
                    for (q = 0; q < qa; q++) dr[q] = 0.0f;
                    if (qb > qa) infer__nn_gather(dr + qa, sr + qa * s1 + b0, qb - qa, s1, W - qa * s1 - b0);
                    for (q = qb; q < wp2; q++) dr[q] = 0.0f;
                }
        }
    }
    for (ci = 0; ci < cg; ci++)
        for (a = 0; a < kh; a++)
            for (b = 0; b < kw; b++) koff[i++] = ((ci * s1 + (b * d1) % s1) * hp + a * d0) * wp2 + (b * d1) / s1;
    gm->pb = xs;
    gm->iw = wo;
    gm->irow = s0 * wp2;
    gm->koff = koff;
    gm->ntr = infer__gemm_panels(gm->iw, INFER__G_NR);
    infer__gemm_run(gm, nt);
}

/* ---- Winograd F(4x4, 3x3) for 3x3 stride-1 convolutions ------------------------------------- */
/* A 3x3 stride-1 convolution (group 1, enough channels) can multiply in the Winograd domain. Each
   4x4 block of outputs (a tile) comes from a 6x6 input tile d; with the F(4,3) points 0, +-1, +-2,
   oo:  V = Bt d B,  U = G g Gt (per input and output channel, once at load),  Y = At (sum_ci U . V) A.
   The sums over input channels are 36 matrix products (one per point xi of the 6x6 domain),
   Cout x Cin times Cin x tiles, run by the packed micro-kernel: U[xi] is packed as A panels at load,
   and the input transform writes V straight into B panels. That is 36 multiply-adds per 16 outputs
   instead of 144 (transforms aside), at a rounding cost of a few bits (F(6,3) would cost about 12).
   Tiles go in blocks of INFER__WINO_TB (a multiple of 16) per work item; a work item transforms its
   block, runs the 36 products into a private buffer and transforms the result back into Y with the
   bias, the residual and the clamp, so Y is written once. When there are fewer blocks than threads
   need, the output channels are split as well (each part transforms the block's input itself). */
#ifndef INFER__WINO_TB
#define INFER__WINO_TB 32
#endif
#define INFER__WINO_L 8 /* tiles transformed together (one vector of lanes) */
/* Floats between the 36 matrices of a block: 64 bytes more than their size, so that the 36 streams
   of the transforms do not fall into one cache set when the size is a power of two. */
#define INFER__WINO_STEP(n) ((n) + 16)

/* Floats of the transformed weights: 36 packed A matrices Cout x Cin. */
static size_t infer__wino_size(int64_t cout, int64_t cin) { return 36 * infer__gemm_pack_size_a(cout, cin); }

/* The weights [cout][cin][3][3] into U (36 x A panels), at load, in double precision. */
static void infer__wino_pack(const float *w, int64_t cout, int64_t cin, float *u) {
    static const double G[6][3] = {{1.0 / 4, 0, 0},
                                   {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                   {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                   {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                   {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                   {0, 0, 1}};
    size_t psz = infer__gemm_pack_size_a(cout, cin);
    int64_t co, ci;
    memset(u, 0, 36 * psz * sizeof(float));
    for (co = 0; co < cout; co++)
        for (ci = 0; ci < cin; ci++) {
            const float *g = w + (co * cin + ci) * 9;
            double t[6][3];
            int r, c, k;
            for (r = 0; r < 6; r++)
                for (c = 0; c < 3; c++) t[r][c] = G[r][0] * g[c] + G[r][1] * g[3 + c] + G[r][2] * g[6 + c];
            for (r = 0; r < 6; r++)
                for (c = 0; c < 6; c++) {
                    double s = 0;
                    for (k = 0; k < 3; k++) s += t[r][k] * G[c][k];
                    u[(size_t)(r * 6 + c) * psz + (size_t)((co / INFER__G_MR) * cin + ci) * INFER__G_MR + co % INFER__G_MR] = (float)s;
                }
        }
}

/* A Conv node whose weights (cout, cin, 3, 3) go the Winograd way: group 1, strides and dilations 1,
   at least 16 channels in and out (fewer leave the products too small), and transformed weights
   of at most 9.4 MB (4x the original: the largest, 512 x 512 layers, run on 7x7 maps in the usual
   networks, where the block of tiles is too small to pay back the weight traffic). */
#ifndef INFER__WINO_MAX_CC
#define INFER__WINO_MAX_CC 65536
#endif
static int infer__wino_node_ok(const infer__node *n, const infer_tensor *w) {
    const infer__attr *a;
    int i;
    if (w->rank != 4 || w->dims[2] != 3 || w->dims[3] != 3 || w->dims[0] < 16 || w->dims[1] < 16 ||
        w->dims[0] * w->dims[1] > INFER__WINO_MAX_CC || infer__k_attr_i_node(n, "group", 1) != 1)
        return 0;
    a = infer__attr_find(n, "strides");
    if (a && a->type == INFER__ATTR_INTS)
        for (i = 0; i < a->n; i++)
            if (a->ints[i] != 1) return 0;
    a = infer__attr_find(n, "dilations");
    if (a && a->type == INFER__ATTR_INTS)
        for (i = 0; i < a->n; i++)
            if (a->ints[i] != 1) return 0;
    return 1;
}

typedef struct infer__wino {
    int64_t cin, cout, ho, wo, tw, T, hp, wp, tb;
    const float *xs;   /* the image, zero-padded to [cin][hp][wp] (hp = 4*th + 2, wp = 4*tw + 2) */
    const float *u;    /* infer__wino_pack */
    const float *bias, *res;
    float *y;
    float lo, hi;
} infer__wino;

#if !INFER__HAS_AVX2
/* Bt applied to d[0..5] (one column or row of a tile), lane by lane. */
#define INFER__WINO_BT(d, r, l)                                                                   \
    do {                                                                                          \
        float a_ = d[4][l] - 4.0f * d[2][l], b_ = d[3][l] - 4.0f * d[1][l];                       \
        float c_ = d[4][l] - d[2][l], e_ = 2.0f * (d[3][l] - d[1][l]);                            \
        r[0][l] = 4.0f * d[0][l] - 5.0f * d[2][l] + d[4][l];                                      \
        r[1][l] = a_ + b_; r[2][l] = a_ - b_; r[3][l] = c_ + e_; r[4][l] = c_ - e_;               \
        r[5][l] = 4.0f * d[1][l] - 5.0f * d[3][l] + d[5][l];                                      \
    } while (0)

/* The input transform of one group of eight tiles (element offsets base[l] in each plane, -1: past
   the last tile, zeros) for every channel, into the packed B panels at vq. */
static void infer__wino_input_ref(const infer__wino *p, const int64_t *base, float *vq) {
    int64_t cin = p->cin, tb = p->tb, hw = p->hp * p->wp, ci;
    int l;
    for (ci = 0; ci < cin; ci++) {
        const float *xc = p->xs + ci * hw;
        float rw[6][6][INFER__WINO_L]; /* rows transformed: rw[c][i] = (d B)[i][c] */
        int i, c, j;
        for (i = 0; i < 6; i++) {
            float d[6][INFER__WINO_L], r[6][INFER__WINO_L];
            for (l = 0; l < INFER__WINO_L; l++)
                for (j = 0; j < 6; j++) d[j][l] = base[l] >= 0 ? xc[base[l] + i * p->wp + j] : 0.0f;
            INFER__NN_SIMD
            for (l = 0; l < INFER__WINO_L; l++) INFER__WINO_BT(d, r, l);
            for (c = 0; c < 6; c++)
                for (l = 0; l < INFER__WINO_L; l++) rw[c][i][l] = r[c][l];
        }
        for (c = 0; c < 6; c++) {
            float r[6][INFER__WINO_L];
            float (*d)[INFER__WINO_L] = rw[c];
            INFER__NN_SIMD
            for (l = 0; l < INFER__WINO_L; l++) INFER__WINO_BT(d, r, l);
            for (i = 0; i < 6; i++) {
                float *dst = vq + (size_t)(i * 6 + c) * INFER__WINO_STEP(cin * tb) + ci * INFER__G_NR;
                for (l = 0; l < INFER__WINO_L; l++) dst[l] = r[i][l];
            }
        }
    }
}
#undef INFER__WINO_BT

/* At applied to m[0..5], lane by lane. */
#define INFER__WINO_AT(m, o, l)                                                                   \
    do {                                                                                          \
        float s12 = m[1][l] + m[2][l], d12 = m[1][l] - m[2][l];                                   \
        float s34 = m[3][l] + m[4][l], d34 = m[3][l] - m[4][l];                                   \
        o[0][l] = m[0][l] + s12 + s34; o[1][l] = d12 + 2.0f * d34;                                \
        o[2][l] = s12 + 4.0f * s34; o[3][l] = d12 + 8.0f * d34 + m[5][l];                         \
    } while (0)

/* The output transform of one group of eight tiles (output rows oy[l], columns ox[l]; oy -1: no tile)
   from the block's products mc (36 matrices rows x tb, row r = channel co0 + r) into Y, channels
   co0 .. co1-1, with bias, residual and clamp. */
static void infer__wino_output_ref(const infer__wino *p, const float *mc, int64_t rows, const int64_t *oy,
                                   const int64_t *ox, int64_t co0, int64_t co1) {
    int64_t tb = p->tb, hwo = p->ho * p->wo, co;
    for (co = co0; co < co1; co++, mc += tb) {
        float f[6][4][INFER__WINO_L], o[4][4][INFER__WINO_L], bv = p->bias ? p->bias[co] : 0.0f;
        int r, i, j, l;
        for (r = 0; r < 6; r++) {
            float m[6][INFER__WINO_L], q[4][INFER__WINO_L];
            for (j = 0; j < 6; j++)
                for (l = 0; l < INFER__WINO_L; l++) m[j][l] = mc[(size_t)(r * 6 + j) * INFER__WINO_STEP(rows * tb) + l];
            INFER__NN_SIMD
            for (l = 0; l < INFER__WINO_L; l++) INFER__WINO_AT(m, q, l);
            for (j = 0; j < 4; j++)
                for (l = 0; l < INFER__WINO_L; l++) f[r][j][l] = q[j][l];
        }
        for (j = 0; j < 4; j++) {
            float m[6][INFER__WINO_L], q[4][INFER__WINO_L];
            for (r = 0; r < 6; r++)
                for (l = 0; l < INFER__WINO_L; l++) m[r][l] = f[r][j][l];
            INFER__NN_SIMD
            for (l = 0; l < INFER__WINO_L; l++) INFER__WINO_AT(m, q, l);
            for (i = 0; i < 4; i++)
                for (l = 0; l < INFER__WINO_L; l++) o[i][j][l] = q[i][l] + bv;
        }
        for (l = 0; l < INFER__WINO_L && oy[l] >= 0; l++)
            for (i = 0; i < 4 && oy[l] + i < p->ho; i++) {
                int64_t off = co * hwo + (oy[l] + i) * p->wo + ox[l];
                float *yr = p->y + off;
                const float *rr = p->res ? p->res + off : NULL;
                for (j = 0; j < 4 && ox[l] + j < p->wo; j++) {
                    float x = o[i][j][l] + (rr ? rr[j] : 0.0f);
                    yr[j] = x < p->lo ? p->lo : x > p->hi ? p->hi : x;
                }
            }
    }
}
#undef INFER__WINO_AT
#endif

#if INFER__HAS_AVX2
/* Bt applied to d[0..5] (eight tiles per vector). */
static void infer__wino_bt8(const __m256 *d, __m256 *r) {
    __m256 four = _mm256_set1_ps(4.0f), five = _mm256_set1_ps(5.0f), two = _mm256_set1_ps(2.0f);
    __m256 a = _mm256_fnmadd_ps(four, d[2], d[4]), b = _mm256_fnmadd_ps(four, d[1], d[3]);
    __m256 c = _mm256_sub_ps(d[4], d[2]), e = _mm256_mul_ps(two, _mm256_sub_ps(d[3], d[1]));
    r[0] = _mm256_fmadd_ps(four, d[0], _mm256_fnmadd_ps(five, d[2], d[4]));
    r[1] = _mm256_add_ps(a, b);
    r[2] = _mm256_sub_ps(a, b);
    r[3] = _mm256_add_ps(c, e);
    r[4] = _mm256_sub_ps(c, e);
    r[5] = _mm256_fmadd_ps(four, d[1], _mm256_fnmadd_ps(five, d[3], d[5]));
}
/* At applied to m[0..5]. */
static void infer__wino_at8(const __m256 *m, __m256 *o) {
    __m256 s12 = _mm256_add_ps(m[1], m[2]), d12 = _mm256_sub_ps(m[1], m[2]);
    __m256 s34 = _mm256_add_ps(m[3], m[4]), d34 = _mm256_sub_ps(m[3], m[4]);
    o[0] = _mm256_add_ps(_mm256_add_ps(m[0], s12), s34);
    o[1] = _mm256_fmadd_ps(_mm256_set1_ps(2.0f), d34, d12);
    o[2] = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), s34, s12);
    o[3] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8.0f), d34, d12), m[5]);
}

/* The input transform of one group of eight tiles (element offsets base[l] in each plane) for every
   channel, into the packed B panels at vq. */
static void infer__wino_input8(const infer__wino *p, const int64_t *base, float *vq) {
    int64_t cin = p->cin, tb = p->tb, hw = p->hp * p->wp, ci;
    __m256i idx = _mm256_setr_epi32((int)base[0], (int)base[1], (int)base[2], (int)base[3], (int)base[4], (int)base[5],
                                    (int)base[6], (int)base[7]);
    for (ci = 0; ci < cin; ci++) {
        const float *xc = p->xs + ci * hw;
        __m256 e[6][6], d[6], r[6];
        int i, j;
        for (i = 0; i < 6; i++) {
            for (j = 0; j < 6; j++) d[j] = _mm256_i32gather_ps(xc + i * p->wp + j, idx, 4);
            infer__wino_bt8(d, r);
            for (j = 0; j < 6; j++) e[j][i] = r[j];
        }
        for (j = 0; j < 6; j++) {
            infer__wino_bt8(e[j], r);
            for (i = 0; i < 6; i++) _mm256_storeu_ps(vq + (size_t)(i * 6 + j) * INFER__WINO_STEP(cin * tb) + ci * INFER__G_NR, r[i]);
        }
    }
}

/* The output transform of one group of eight tiles (as infer__wino_output_ref) for channels co0..co1-1. */
static void infer__wino_output8(const infer__wino *p, const float *mc, int64_t rows, const int64_t *oy, const int64_t *ox,
                                int64_t co0, int64_t co1) {
    int64_t tb = p->tb, hwo = p->ho * p->wo, co;
    __m128 lo = _mm_set1_ps(p->lo), hi = _mm_set1_ps(p->hi);
    for (co = co0; co < co1; co++, mc += tb) {
        __m256 f[4][6], m[6], o[4], bv = _mm256_set1_ps(p->bias ? p->bias[co] : 0.0f);
        int r, j, i, l;
        for (r = 0; r < 6; r++) {
            for (j = 0; j < 6; j++) m[j] = _mm256_loadu_ps(mc + (size_t)(r * 6 + j) * INFER__WINO_STEP(rows * tb));
            infer__wino_at8(m, o);
            for (j = 0; j < 4; j++) f[j][r] = o[j];
        }
        for (j = 0; j < 4; j++) {
            __m256 q[4];
            infer__wino_at8(f[j], q);
            for (i = 0; i < 4; i++) f[j][i] = _mm256_add_ps(q[i], bv); /* f[j][i]: output row i, column j */
        }
        for (i = 0; i < 4; i++) {
            __m256 t0 = _mm256_unpacklo_ps(f[0][i], f[1][i]), t1 = _mm256_unpackhi_ps(f[0][i], f[1][i]);
            __m256 t2 = _mm256_unpacklo_ps(f[2][i], f[3][i]), t3 = _mm256_unpackhi_ps(f[2][i], f[3][i]);
            __m256 u[4];
            u[0] = _mm256_shuffle_ps(t0, t2, 0x44); u[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
            u[2] = _mm256_shuffle_ps(t1, t3, 0x44); u[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
            for (l = 0; l < 8 && oy[l] >= 0 && oy[l] + i < p->ho; l++) {
                int64_t at = co * hwo + (oy[l] + i) * p->wo + ox[l];
                __m128 v = l < 4 ? _mm256_castps256_ps128(u[l]) : _mm256_extractf128_ps(u[l - 4], 1);
                if (ox[l] + 4 <= p->wo) {
                    if (p->res) v = _mm_add_ps(v, _mm_loadu_ps(p->res + at));
                    _mm_storeu_ps(p->y + at, _mm_min_ps(hi, _mm_max_ps(lo, v)));
                } else { /* a tile across the right edge */
                    float t[4];
                    int64_t k;
                    _mm_storeu_ps(t, v);
                    for (k = 0; k < p->wo - ox[l]; k++) {
                        float x = t[k] + (p->res ? p->res[at + k] : 0.0f);
                        p->y[at + k] = x < p->lo ? p->lo : x > p->hi ? p->hi : x;
                    }
                }
            }
        }
    }
}
#endif

/* Input transform of tiles t0 .. t0+tb-1 into v: 36 packed B matrices cin x tb. */
static void infer__wino_input(const infer__wino *p, int64_t t0, float *v) {
    int64_t g8;
    for (g8 = 0; g8 < p->tb; g8 += INFER__WINO_L) {
        int64_t base[INFER__WINO_L];
        float *vq = v + (g8 / INFER__G_NR) * p->cin * INFER__G_NR + g8 % INFER__G_NR;
        int l;
        for (l = 0; l < INFER__WINO_L; l++) {
            int64_t t = t0 + g8 + l;
            base[l] = t < p->T ? 4 * (t / p->tw) * p->wp + 4 * (t % p->tw) : -1;
        }
#if INFER__HAS_AVX2
        for (l = 0; l < INFER__WINO_L; l++)
            if (base[l] < 0) base[l] = 0; /* past the last tile: any data (the column is never stored) */
        infer__wino_input8(p, base, vq);
#else
        infer__wino_input_ref(p, base, vq);
#endif
    }
}

/* Output transform of the block of tiles from t0 (products mb: 36 x rows x tb) for channels co0..co1-1. */
static void infer__wino_output(const infer__wino *p, int64_t t0, const float *mb, int64_t rows, int64_t co0,
                               int64_t co1) {
    int64_t g8;
    for (g8 = 0; g8 < p->tb && t0 + g8 < p->T; g8 += INFER__WINO_L) {
        int64_t oy[INFER__WINO_L], ox[INFER__WINO_L];
        int l;
        for (l = 0; l < INFER__WINO_L; l++) {
            int64_t t = t0 + g8 + l;
            oy[l] = t < p->T ? 4 * (t / p->tw) : -1;
            ox[l] = t < p->T ? 4 * (t % p->tw) : -1;
        }
#if INFER__HAS_AVX2
        infer__wino_output8(p, mb + g8, rows, oy, ox, co0, co1);
#else
        infer__wino_output_ref(p, mb + g8, rows, oy, ox, co0, co1);
#endif
    }
}

/* One image: Y [cout][ho][wo] from the padded input p->xs. scratch: nt x infer__wino_scratch floats. */
static size_t infer__wino_scratch(int64_t cin, int64_t cout, int64_t tb) {
    return (size_t)(36 * (INFER__WINO_STEP(tb * cin) + INFER__WINO_STEP(tb * infer__gemm_panels(cout, INFER__G_MR) * INFER__G_MR)));
}

static void infer__wino_run(const infer__wino *p, float *scratch, int nt) {
    int64_t nblk = (p->T + p->tb - 1) / p->tb, cpan = infer__gemm_panels(p->cout, INFER__G_MR), nch = 1, cpc, items, it;
    size_t per = infer__wino_scratch(p->cin, p->cout, p->tb), psz = infer__gemm_pack_size_a(p->cout, p->cin);
    if (nt > 1 && nblk < 3 * nt) nch = (3 * nt + nblk - 1) / nblk;
    if (nch > cpan) nch = cpan;
    cpc = (cpan + nch - 1) / nch; /* row panels per channel part */
    nch = (cpan + cpc - 1) / cpc;
    items = nblk * nch;
    (void)nt;
    (void)per;
    INFER__OMP_FOR_DYN(nt)
    for (it = 0; it < items; it++) {
        int64_t blk = it / nch, ch = it % nch, t0 = blk * p->tb, p0 = ch * cpc, p1 = p0 + cpc < cpan ? p0 + cpc : cpan;
        int64_t co0 = p0 * INFER__G_MR, co1 = p1 * INFER__G_MR < p->cout ? p1 * INFER__G_MR : p->cout, rows = (p1 - p0) * INFER__G_MR;
        int64_t cin = p->cin, tb = p->tb, xi, q, pp, pc;
#if INFER__HAS_OPENMP
        float *v = scratch + (size_t)omp_get_thread_num() * per;
#else
        float *v = scratch;
#endif
        float *mb = v + 36 * INFER__WINO_STEP(cin * tb);
        infer__gemm gm;
        memset(&gm, 0, sizeof gm);
        gm.M = rows; gm.N = tb; gm.K = cin; gm.ldc = tb;
        gm.lo = -INFINITY; gm.hi = INFINITY;
        infer__wino_input(p, t0, v);
        for (xi = 0; xi < 36; xi++) {
            const float *ua = p->u + (size_t)xi * psz + p0 * cin * INFER__G_MR, *vb = v + xi * INFER__WINO_STEP(cin * tb);
            float *cm = mb + xi * INFER__WINO_STEP(rows * tb);
            for (q = 0; q < tb / INFER__G_NR; q++)
                for (pp = 0; pp < p1 - p0; pp++)
                    for (pc = 0; pc < cin; pc += INFER__G_KC) {
                        int64_t kc = cin - pc < INFER__G_KC ? cin - pc : INFER__G_KC;
                        infer__gemm_micro(&gm, kc, ua + (pp * cin + pc) * INFER__G_MR, vb + (q * cin + pc) * INFER__G_NR, NULL,
                                          cm + pp * INFER__G_MR * tb + q * INFER__G_NR, pp * INFER__G_MR, q * INFER__G_NR,
                                          INFER__G_MR, INFER__G_NR, pc == 0, pc + kc >= cin);
                    }
        }
        infer__wino_output(p, t0, mb, rows, co0, co1);
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
    if (c->node->packed_wino && c->node->packed && c->node->packed_src == W->data && X->dtype == INFER_DTYPE_FLOAT &&
        G == 1 && w.nd == 2 && w.k[0] == 3 && w.k[1] == 3 && w.s[0] == 1 && w.s[1] == 1 && w.d[0] == 1 && w.d[1] == 1) {
        int act = c->node->post_act, fuse;
        const infer_tensor *R = infer__k_post_add(c);
        infer__wino p;
        int64_t th = (w.out[0] + 3) / 4;
        float *xs, *sc;
        memset(&p, 0, sizeof p);
        p.cin = C; p.cout = M; p.ho = w.out[0]; p.wo = w.out[1];
        p.tw = (w.out[1] + 3) / 4; p.T = th * p.tw; p.hp = 4 * th + 2; p.wp = 4 * p.tw + 2;
        p.tb = p.T < INFER__WINO_TB ? infer__gemm_panels(p.T, INFER__G_NR) * INFER__G_NR : INFER__WINO_TB;
        if (p.hp * p.wp > ((int64_t)1 << 26) / C) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "convolution too large");
        xs = (float *)infer__nn_scratch(c, (size_t)(C * p.hp * p.wp) * sizeof(float));
        sc = (float *)infer__nn_scratch(c, (size_t)nt * infer__wino_scratch(C, M, p.tb) * sizeof(float));
        if (!xs || !sc) return infer__nn_oom(c);
        fuse = (act == INFER__ACT_NONE || act == INFER__ACT_RELU || act == INFER__ACT_CLIP) &&
               (!c->node->post_add || (R && R->dtype == INFER_DTYPE_FLOAT && infer__numel(R) == N * M * P && R->data));
        p.lo = -INFINITY; p.hi = INFINITY;
        if (fuse && act == INFER__ACT_RELU) p.lo = 0.0f;
        if (fuse && act == INFER__ACT_CLIP) { p.lo = c->node->post_alpha; p.hi = c->node->post_beta; }
        if (infer__k_shape_only(c)) return INFER_STATUS_OK;
        p.xs = xs; p.u = c->node->packed; p.bias = bias;
        for (n = 0; n < N; n++) {
            infer__nn_pad2d(x + n * C * pin, C, w.in[0], w.in[1], w.pb[0], w.pb[1], p.hp, p.wp, xs, nt);
            p.y = y + n * M * P;
            p.res = fuse && R ? (const float *)R->data + n * M * P : NULL;
            infer__wino_run(&p, sc, nt);
        }
        if (fuse) c->epilogue_done = 1;
        goto done;
    }
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
            int act = c->node->post_act, fuse = X->dtype == INFER_DTYPE_FLOAT && infer__nn_dwv_ok(&w2) && !c->node->post_add &&
                                              (act == INFER__ACT_NONE || act == INFER__ACT_RELU || act == INFER__ACT_CLIP ||
                                               act == INFER__ACT_SILU || act == INFER__ACT_HARDSWISH);
            float lo = -INFINITY, hi = INFINITY;
            if (fuse && act == INFER__ACT_RELU) lo = 0.0f;
            if (fuse && act == INFER__ACT_CLIP) { lo = c->node->post_alpha; hi = c->node->post_beta; }
            if (infer__k_shape_only(c)) return INFER_STATUS_OK;
            infer__nn_conv_dw2d(x, wt, bias, y, N, C, M, &w2, bufs, lo, hi,
                                fuse && (act == INFER__ACT_SILU || act == INFER__ACT_HARDSWISH) ? act : 0, nt);
            if (fuse) c->epilogue_done = 1;
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
        int pointwise = 1, act = c->node->post_act;
        /* implicit GEMM (no im2col) pays off for wide rows; for narrow ones, padding the tiles to NR
           columns and reading B scattered cost more than im2col (measured). Pointwise convolutions
           pack B (reading it in place, at a stride of whole planes, defeats the prefetchers; and a
           packed B lets the driver walk row groups slowest, writing C row by row: measured faster). */
        int implicit, fuse;
        float *xs = NULL, *pa;
        int64_t *koff = NULL;
        size_t psz = infer__gemm_pack_size_a(mg, K);
        const infer_tensor *R = infer__k_post_add(c);
        infer__gemm gm;
        for (i = 0; i < w.nd; i++)
            if (w.k[i] != 1 || w.s[i] != 1 || w.pb[i] || w.pe[i]) pointwise = 0;
        /* strided: deep ones, and stems over few channels into at most 32 (3x3 stride-2 3->16: 0.26 ms
           implicit, 0.49 im2col; 3->64 is faster through im2col, where row groups go slowest) */
        implicit = w.nd <= 2 && (w.s[w.nd - 1] == 1 || (w.s[w.nd - 1] <= 4 && (K >= 64 || (cg <= 4 && mg <= 32)))) && !pointwise && w.out[w.nd - 1] >= 24;
        if (implicit) {
            int64_t hp = w.nd == 2 ? w.in[0] + w.pb[0] + w.pe[0] : 1, wp = w.in[w.nd - 1] + w.pb[w.nd - 1] + w.pe[w.nd - 1];
            int64_t s1 = w.s[w.nd - 1], wp2 = (wp + s1 - 1) / s1;
            if (cg * s1 * hp * wp2 > ((int64_t)1 << 26)) implicit = 0;
            else {
                xs = (float *)infer__nn_scratch(c, (size_t)(cg * s1 * hp * wp2 + INFER__NN_NR) * sizeof(float));
                koff = (int64_t *)infer__nn_scratch(c, (size_t)K * sizeof(int64_t));
                if (!xs || !koff) return infer__nn_oom(c);
            }
        } else {
            pb = (float *)infer__nn_scratch(c, infer__gemm_pack_size_b(K, P) * sizeof(float));
            if (!pb) return infer__nn_oom(c);
        }
        /* the weights: packed at load, or here */
        if (c->node->packed && !c->node->packed_wino && c->node->packed_src == W->data && X->dtype == INFER_DTYPE_FLOAT)
            pa = (float *)c->node->packed;
        else {
            pa = (float *)infer__nn_scratch(c, psz * (size_t)G * sizeof(float));
            if (!pa) return infer__nn_oom(c);
            for (g = 0; g < G; g++) infer__gemm_pack_a(wt + g * mg * K, K, 1, mg, K, 1.0f, pa + g * psz, 1);
        }
        /* the epilogue in the store: residual and Relu / Clip on float32 outputs */
        fuse = X->dtype == INFER_DTYPE_FLOAT &&
               (act == INFER__ACT_NONE || act == INFER__ACT_RELU || act == INFER__ACT_CLIP || act == INFER__ACT_SILU ||
                act == INFER__ACT_HARDSWISH) &&
               (!c->node->post_add || (R && R->dtype == INFER_DTYPE_FLOAT && infer__numel(R) == N * M * P && R->data));
        memset(&gm, 0, sizeof gm);
        gm.M = mg; gm.N = P; gm.K = K; gm.ldc = P; gm.ldr = P;
        gm.lo = -INFINITY; gm.hi = INFINITY;
        gm.act = fuse && (act == INFER__ACT_SILU || act == INFER__ACT_HARDSWISH) ? act : 0;
        if (fuse && act == INFER__ACT_RELU) gm.lo = 0.0f;
        if (fuse && act == INFER__ACT_CLIP) { gm.lo = c->node->post_alpha; gm.hi = c->node->post_beta; }
        if (infer__k_shape_only(c)) return INFER_STATUS_OK;
        for (n = 0; n < N; n++)
            for (g = 0; g < G; g++) {
                const float *xg = x + (n * C + g * cg) * pin;
                float *yg = y + (n * M + g * mg) * P;
                const float *rg = fuse && R ? (const float *)R->data + (n * M + g * mg) * P : NULL;
                gm.pa = pa + g * psz;
                gm.C = yg;
                gm.bias = bias ? bias + g * mg : NULL;
                gm.res = rg;
                if (pointwise && P <= 2) { /* matrix-vector: 1x1 convolutions of 1x1 maps (SE blocks, heads) */
                    int64_t oc;
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
                    if (fuse) infer__epi_span(yg, rg, mg * P, act, gm.lo, gm.hi);
                    if (gm.act)
                        for (oc = 0; oc < mg * P; oc++) yg[oc] = infer__act(yg[oc], gm.act, 0.0f, 0.0f);
                    continue;
                }
                if (implicit) {
                    infer__nn_conv_implicit(xg, cg, &w, xs, koff, &gm, nt);
                    continue;
                }
                if (pointwise) infer__gemm_pack_b(xg, pin, 1, K, P, pb, nt);
                else infer__nn_im2col(xg, cg, &w, pb, nt);
                gm.pb = pb;
                gm.koff = NULL;
                infer__gemm_run(&gm, nt);
            }
        if (fuse) c->epilogue_done = 1;
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
                                        e = lo;
#if INFER__HAS_AVX2
                                        if (st == 2) /* eight outputs from 16 inputs: the even ones (NaN kept as below) */
                                            for (; e + 8 <= hi && 2 * e + base + 16 <= in3[2]; e += 8) {
                                                __m256 u = _mm256_loadu_ps(xr + 2 * e + base), v = _mm256_loadu_ps(xr + 2 * e + base + 8);
                                                _mm256_storeu_ps(yr + e, _mm256_max_ps(infer__nn_even8(u, v), _mm256_loadu_ps(yr + e)));
                                            }
#endif
                                        for (; e < hi; e++) yr[e] = xr[e * st + base] > yr[e] ? xr[e * st + base] : yr[e];
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
    if (!training && c->n_out == 1 && infer__k_shape_only(c)) return INFER_STATUS_OK;
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
        int nt = INFER__THREADS(c, planes * sp), act = c->node->post_act;
        /* a fused Relu / Clip (infer__opt_fuse_epilogue) in the same pass */
        int clamp = c->out[0]->dtype == INFER_DTYPE_FLOAT && !training && !c->node->post_add && (act == INFER__ACT_RELU || act == INFER__ACT_CLIP);
        float lo = act == INFER__ACT_CLIP ? c->node->post_alpha : 0.0f, hi = act == INFER__ACT_CLIP ? c->node->post_beta : INFINITY;
        (void)nt;
        INFER__OMP_FOR(nt)
        for (p = 0; p < planes; p++) {
            const float *xp = x + p * sp;
            float *yp = y + p * sp, ka = a[p % C], kb = b[p % C];
            int64_t q;
            if (clamp) {
                INFER__NN_SIMD
                for (q = 0; q < sp; q++) {
                    float v = xp[q] * ka + kb;
                    yp[q] = v < lo ? lo : v > hi ? hi : v;
                }
            } else {
                INFER__NN_SIMD
                for (q = 0; q < sp; q++) yp[q] = xp[q] * ka + kb;
            }
        }
        if (clamp) c->epilogue_done = 1;
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
        infer__nn_mt_seed(&mt, infer__attr_find(c->node, "seed") ? (uint32_t)infer__k_attr_i(c, "seed", 0) : infer__node_seed(c->node));
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
/* ============================================================================================== */
/* >>kernels-rnn: RNN, GRU, LSTM (all opsets, layout 0/1, every direction), Constant               */
/* ============================================================================================== */
/* The recurrent ops compute in float32 (float16 / bfloat16 / double inputs are converted into
   scratch and the outputs rounded back). Per direction: the input projection X*W^T (+ both biases
   where they can be folded) is one matrix product over all time steps into scratch; each step then
   multiplies the state by R^T (a GEMV at batch 1: dot products along contiguous rows of R) and
   applies the gates elementwise.
   sequence_lens: a batch entry of length L runs steps 0..L-1 (reverse: L-1..0); Y is zero beyond L
   and Y_h / Y_c hold the last computed state (zeros when L = 0, as ONNX Runtime does).
   activation_alpha / activation_beta are consumed in the order of the activations that take them
   (as ONNX Runtime does); an activation left without a value takes the default of the ONNX operator
   of that name (Affine 1/0, ThresholdedRelu 1, LeakyRelu 0.01, HardSigmoid 0.2/0.5, Elu 1,
   ScaledTanh 1/1) as the spec says, where ONNX Runtime uses 0 for Affine, ThresholdedRelu and
   ScaledTanh. With AVX2, Sigmoid and Tanh use a vectorised exp (about 2 ulp), else libm. */

enum {
    INFER__RNN_RELU, INFER__RNN_TANH, INFER__RNN_SIGMOID, INFER__RNN_AFFINE, INFER__RNN_LEAKYRELU,
    INFER__RNN_THRESHOLDEDRELU, INFER__RNN_SCALEDTANH, INFER__RNN_HARDSIGMOID, INFER__RNN_ELU,
    INFER__RNN_SOFTSIGN, INFER__RNN_SOFTPLUS
};

typedef struct infer__rnn_act {
    int fn;
    float alpha, beta;
} infer__rnn_act;

typedef struct infer__rnn_cfg {
    int kind;            /* 0 RNN, 1 GRU, 2 LSTM */
    int G;               /* gates: 1, 3, 4 */
    int nact;            /* activations per direction: 1, 2, 3 */
    int ndir, reverse, layout, input_forget, lbr;
    float clip;          /* 0: none */
    infer__rnn_act act[2][3];
} infer__rnn_cfg;

/* Case-insensitive string equality (ASCII). */
static int infer__rnn_ieq(const char *a, const char *b) {
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return 0;
        if (!x) return 1;
    }
}

/* Parses one activation name; consumes alpha / beta values as the function needs them. */
static int infer__rnn_act_parse(const char *name, infer__rnn_act *a, const float *al, int nal, int *ial,
                                const float *be, int nbe, int *ibe) {
    static const struct { const char *name; int fn, na, nb; float da, db; } tab[] = {
        {"Relu", INFER__RNN_RELU, 0, 0, 0.0f, 0.0f},
        {"Tanh", INFER__RNN_TANH, 0, 0, 0.0f, 0.0f},
        {"Sigmoid", INFER__RNN_SIGMOID, 0, 0, 0.0f, 0.0f},
        {"Affine", INFER__RNN_AFFINE, 1, 1, 1.0f, 0.0f},
        {"LeakyRelu", INFER__RNN_LEAKYRELU, 1, 0, 0.01f, 0.0f},
        {"ThresholdedRelu", INFER__RNN_THRESHOLDEDRELU, 1, 0, 1.0f, 0.0f},
        {"ScaledTanh", INFER__RNN_SCALEDTANH, 1, 1, 1.0f, 1.0f},
        {"HardSigmoid", INFER__RNN_HARDSIGMOID, 1, 1, 0.2f, 0.5f},
        {"Elu", INFER__RNN_ELU, 1, 0, 1.0f, 0.0f},
        {"Softsign", INFER__RNN_SOFTSIGN, 0, 0, 0.0f, 0.0f},
        {"Softplus", INFER__RNN_SOFTPLUS, 0, 0, 0.0f, 0.0f}
    };
    size_t i;
    if (!name) return 0;
    for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        if (!infer__rnn_ieq(name, tab[i].name)) continue;
        a->fn = tab[i].fn;
        a->alpha = tab[i].da;
        a->beta = tab[i].db;
        if (tab[i].na && *ial < nal) a->alpha = al[(*ial)++];
        if (tab[i].nb && *ibe < nbe) a->beta = be[(*ibe)++];
        return 1;
    }
    return 0;
}

#if INFER__HAS_AVX2
/* Lanes [0, rem) of a 256-bit load, rem in 1..7 (the rest read as 0, never touched in memory). */
static __m256i infer__rnn_tailmask(int64_t rem) {
    static const int32_t tab[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(const void *)(tab + 8 - rem));
}

#endif

static INFER__UNUSED float infer__rnn_sigmoid(float x) {
    if (x >= 0) return 1.0f / (1.0f + expf(-x));
    else {
        float e = expf(x);
        return e / (1.0f + e);
    }
}

#if INFER__HAS_AVX2
/* 2^n * (1 + q) = e^x with q = e^r - 1, |r| <= ln2/2 (Cody-Waite reduction, Cephes polynomial,
   about 1 ulp); x must lie in [-87.3, 88.3]. */
static __m256 infer__rnn_v_expparts(__m256 x, __m256 *pow2n) {
    const __m256 log2e = _mm256_set1_ps(1.44269504088896341f);
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x), p;
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    p = _mm256_fmadd_ps(_mm256_set1_ps(1.9875691500e-4f), r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r);
    *pow2n = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
    return p;
}

static __m256 infer__rnn_v_sigmoid(__m256 x) {
    __m256 s, q, e;
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-88.3f)), _mm256_set1_ps(87.3f));
    q = infer__rnn_v_expparts(_mm256_sub_ps(_mm256_setzero_ps(), x), &s);
    e = _mm256_fmadd_ps(s, q, s); /* e^-x */
    return _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

/* tanh(|x|) = m / (m + 2) with m = e^(2|x|) - 1, computed without cancellation near 0. */
static __m256 infer__rnn_v_tanh(__m256 x) {
    const __m256 sign = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
    __m256 a = _mm256_min_ps(_mm256_andnot_ps(sign, x), _mm256_set1_ps(10.0f)), s, q, m, t;
    q = infer__rnn_v_expparts(_mm256_add_ps(a, a), &s);
    m = _mm256_fmadd_ps(s, q, _mm256_sub_ps(s, one));
    t = _mm256_div_ps(m, _mm256_add_ps(m, _mm256_set1_ps(2.0f)));
    return _mm256_or_ps(t, _mm256_and_ps(sign, x));
}

/* x[0..n) = sigmoid (fn 0) or tanh (fn 1) in place; the tail through masked loads. */
static void infer__rnn_v_apply(int fn, float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        _mm256_storeu_ps(x + i, fn ? infer__rnn_v_tanh(v) : infer__rnn_v_sigmoid(v));
    }
    if (i < n) {
        __m256i mk = infer__rnn_tailmask(n - i);
        __m256 v = _mm256_maskload_ps(x + i, mk);
        _mm256_maskstore_ps(x + i, mk, fn ? infer__rnn_v_tanh(v) : infer__rnn_v_sigmoid(v));
    }
}
#endif

/* x[0..n) = act(clip(x)) in place. */
static void infer__rnn_apply(const infer__rnn_act *a, float *x, int64_t n, float clip) {
    int64_t i;
    float al = a->alpha, be = a->beta;
    if (clip > 0)
        for (i = 0; i < n; i++) x[i] = x[i] < -clip ? -clip : (x[i] > clip ? clip : x[i]);
    switch (a->fn) {
    case INFER__RNN_RELU: for (i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : 0.0f; break;
#if INFER__HAS_AVX2
    case INFER__RNN_TANH: infer__rnn_v_apply(1, x, n); break;
    case INFER__RNN_SIGMOID: infer__rnn_v_apply(0, x, n); break;
#else
    case INFER__RNN_TANH: for (i = 0; i < n; i++) x[i] = tanhf(x[i]); break;
    case INFER__RNN_SIGMOID: for (i = 0; i < n; i++) x[i] = infer__rnn_sigmoid(x[i]); break;
#endif
    case INFER__RNN_AFFINE: for (i = 0; i < n; i++) x[i] = al * x[i] + be; break;
    case INFER__RNN_LEAKYRELU: for (i = 0; i < n; i++) x[i] = x[i] >= 0 ? x[i] : al * x[i]; break;
    case INFER__RNN_THRESHOLDEDRELU: for (i = 0; i < n; i++) x[i] = x[i] > al ? x[i] : 0.0f; break;
    case INFER__RNN_SCALEDTANH: for (i = 0; i < n; i++) x[i] = al * tanhf(be * x[i]); break;
    case INFER__RNN_HARDSIGMOID:
        for (i = 0; i < n; i++) {
            float v = al * x[i] + be;
            x[i] = v < 0 ? 0.0f : (v > 1 ? 1.0f : v);
        }
        break;
    case INFER__RNN_ELU: for (i = 0; i < n; i++) x[i] = x[i] >= 0 ? x[i] : al * (expf(x[i]) - 1.0f); break;
    case INFER__RNN_SOFTSIGN: for (i = 0; i < n; i++) x[i] = x[i] / (1.0f + fabsf(x[i])); break;
    case INFER__RNN_SOFTPLUS:
        for (i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] + log1pf(expf(-x[i])) : log1pf(expf(x[i]));
        break;
    default: break;
    }
}

/* ---- C[m, n] = bias[n] + dot(A[m, :], Wm[n, :]): both operands row-major along K, so the weights
   (W [G*H, I] and R [G*H, H] of one direction) are used as stored, without any transposition. -- */
#if INFER__HAS_AVX2
/* [sum(a), sum(b), sum(c), sum(d)] */
static __m128 infer__rnn_hsum4(__m256 a, __m256 b, __m256 c, __m256 d) {
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

/* rows m, m+1 (nr = 1 or 2) of A against rows n..n+3 of Wm: 8 dot products. */
static void infer__rnn_mk_dot(int nr, int64_t K, const float *a, int64_t lda, const float *w, int64_t ldw, float *cp,
                              int64_t ldc, const float *bias) {
    __m256 s00 = _mm256_setzero_ps(), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
    const float *a1 = nr > 1 ? a + lda : a;
    int64_t k = 0, K8 = K & ~(int64_t)7;
    __m128 r;
    for (; k < K8; k += 8) {
        __m256 w0 = _mm256_loadu_ps(w + k), w1 = _mm256_loadu_ps(w + ldw + k);
        __m256 w2 = _mm256_loadu_ps(w + 2 * ldw + k), w3 = _mm256_loadu_ps(w + 3 * ldw + k);
        __m256 x0 = _mm256_loadu_ps(a + k), x1 = _mm256_loadu_ps(a1 + k);
        s00 = _mm256_fmadd_ps(x0, w0, s00); s01 = _mm256_fmadd_ps(x0, w1, s01);
        s02 = _mm256_fmadd_ps(x0, w2, s02); s03 = _mm256_fmadd_ps(x0, w3, s03);
        s10 = _mm256_fmadd_ps(x1, w0, s10); s11 = _mm256_fmadd_ps(x1, w1, s11);
        s12 = _mm256_fmadd_ps(x1, w2, s12); s13 = _mm256_fmadd_ps(x1, w3, s13);
    }
    if (k < K) {
        __m256i mk = infer__rnn_tailmask(K - k);
        __m256 w0 = _mm256_maskload_ps(w + k, mk), w1 = _mm256_maskload_ps(w + ldw + k, mk);
        __m256 w2 = _mm256_maskload_ps(w + 2 * ldw + k, mk), w3 = _mm256_maskload_ps(w + 3 * ldw + k, mk);
        __m256 x0 = _mm256_maskload_ps(a + k, mk), x1 = _mm256_maskload_ps(a1 + k, mk);
        s00 = _mm256_fmadd_ps(x0, w0, s00); s01 = _mm256_fmadd_ps(x0, w1, s01);
        s02 = _mm256_fmadd_ps(x0, w2, s02); s03 = _mm256_fmadd_ps(x0, w3, s03);
        s10 = _mm256_fmadd_ps(x1, w0, s10); s11 = _mm256_fmadd_ps(x1, w1, s11);
        s12 = _mm256_fmadd_ps(x1, w2, s12); s13 = _mm256_fmadd_ps(x1, w3, s13);
    }
    r = infer__rnn_hsum4(s00, s01, s02, s03);
    if (bias) r = _mm_add_ps(r, _mm_loadu_ps(bias));
    _mm_storeu_ps(cp, r);
    if (nr > 1) {
        r = infer__rnn_hsum4(s10, s11, s12, s13);
        if (bias) r = _mm_add_ps(r, _mm_loadu_ps(bias));
        _mm_storeu_ps(cp + ldc, r);
    }
}

/* One row of A against rows n..n+7 of Wm (the batch-1 GEMV of each step). */
#define INFER__RNN_DOT8(LD)                                                                        \
    x = LD(a + k);                                                                                 \
    s0 = _mm256_fmadd_ps(x, LD(w + k), s0); s1 = _mm256_fmadd_ps(x, LD(w + ldw + k), s1);         \
    s2 = _mm256_fmadd_ps(x, LD(w + 2 * ldw + k), s2); s3 = _mm256_fmadd_ps(x, LD(w + 3 * ldw + k), s3); \
    s4 = _mm256_fmadd_ps(x, LD(w + 4 * ldw + k), s4); s5 = _mm256_fmadd_ps(x, LD(w + 5 * ldw + k), s5); \
    s6 = _mm256_fmadd_ps(x, LD(w + 6 * ldw + k), s6); s7 = _mm256_fmadd_ps(x, LD(w + 7 * ldw + k), s7)
#define INFER__RNN_LDU(p) _mm256_loadu_ps(p)
#define INFER__RNN_LDM(p) _mm256_maskload_ps((p), mk)
static void infer__rnn_mk_dot1x8(int64_t K, const float *a, const float *w, int64_t ldw, float *cp, const float *bias) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, x;
    int64_t k = 0, K8 = K & ~(int64_t)7;
    __m128 lo, hi;
    for (; k < K8; k += 8) {
        INFER__RNN_DOT8(INFER__RNN_LDU);
    }
    if (k < K) {
        __m256i mk = infer__rnn_tailmask(K - k);
        INFER__RNN_DOT8(INFER__RNN_LDM);
    }
    lo = infer__rnn_hsum4(s0, s1, s2, s3);
    hi = infer__rnn_hsum4(s4, s5, s6, s7);
    if (bias) lo = _mm_add_ps(lo, _mm_loadu_ps(bias)), hi = _mm_add_ps(hi, _mm_loadu_ps(bias + 4));
    _mm_storeu_ps(cp, lo);
    _mm_storeu_ps(cp + 4, hi);
}
#undef INFER__RNN_DOT8
#undef INFER__RNN_LDU
#undef INFER__RNN_LDM

/* One dot product (column tails). */
static float infer__rnn_dot1(int64_t K, const float *a, const float *w) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    int64_t k = 0;
    __m128 r;
    for (; k + 16 <= K; k += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(w + k), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(w + k + 8), s1);
    }
    for (; k + 8 <= K; k += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(w + k), s0);
    if (k < K) {
        __m256i mk = infer__rnn_tailmask(K - k);
        s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + k, mk), _mm256_maskload_ps(w + k, mk), s1);
    }
    s0 = _mm256_add_ps(s0, s1);
    r = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}
#else
#if !defined(INFER_NO_SIMD) && (defined(__SSE2__) || defined(_M_X64))
#include <emmintrin.h>
#define INFER__RNN_SSE2 1
/* One row of A against rows n..n+3 of Wm, 4 lanes (x86-64 baseline builds). */
static void infer__rnn_sse_dot4(int64_t K, const float *a, const float *w, int64_t ldw, float *cp, const float *bias) {
    __m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, x;
    const float *w1 = w + ldw, *w2 = w + 2 * ldw, *w3 = w + 3 * ldw;
    float t[4];
    int64_t k = 0;
    for (; k + 4 <= K; k += 4) {
        x = _mm_loadu_ps(a + k);
        s0 = _mm_add_ps(s0, _mm_mul_ps(x, _mm_loadu_ps(w + k)));
        s1 = _mm_add_ps(s1, _mm_mul_ps(x, _mm_loadu_ps(w1 + k)));
        s2 = _mm_add_ps(s2, _mm_mul_ps(x, _mm_loadu_ps(w2 + k)));
        s3 = _mm_add_ps(s3, _mm_mul_ps(x, _mm_loadu_ps(w3 + k)));
    }
    _MM_TRANSPOSE4_PS(s0, s1, s2, s3);
    s0 = _mm_add_ps(_mm_add_ps(s0, s1), _mm_add_ps(s2, s3));
    t[0] = t[1] = t[2] = t[3] = 0.0f;
    for (; k < K; k++) {
        t[0] += a[k] * w[k]; t[1] += a[k] * w1[k];
        t[2] += a[k] * w2[k]; t[3] += a[k] * w3[k];
    }
    s0 = _mm_add_ps(s0, _mm_loadu_ps(t));
    if (bias) s0 = _mm_add_ps(s0, _mm_loadu_ps(bias));
    _mm_storeu_ps(cp, s0);
}
#endif
static float infer__rnn_dot1(int64_t K, const float *a, const float *w) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t k = 0;
    for (; k + 4 <= K; k += 4) {
        s0 += a[k] * w[k]; s1 += a[k + 1] * w[k + 1];
        s2 += a[k + 2] * w[k + 2]; s3 += a[k + 3] * w[k + 3];
    }
    for (; k < K; k++) s0 += a[k] * w[k];
    return (s0 + s1) + (s2 + s3);
}
#endif

/* Rows [m0, m1) x columns [n0, n1). */
static void infer__rnn_block(int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t K, const float *A, int64_t lda,
                             const float *Wm, int64_t ldw, float *C, int64_t ldc, const float *bias) {
    int64_t m = m0, n;
#if INFER__HAS_AVX2
    for (; m < m1; m += 2) {
        int nr = m + 1 < m1 ? 2 : 1, q;
        n = n0;
        if (nr == 1)
            for (; n + 8 <= n1; n += 8)
                infer__rnn_mk_dot1x8(K, A + m * lda, Wm + n * ldw, ldw, C + m * ldc + n, bias ? bias + n : NULL);
        for (; n + 4 <= n1; n += 4)
            infer__rnn_mk_dot(nr, K, A + m * lda, lda, Wm + n * ldw, ldw, C + m * ldc + n, ldc, bias ? bias + n : NULL);
        for (; n < n1; n++)
            for (q = 0; q < nr; q++)
                C[(m + q) * ldc + n] = infer__rnn_dot1(K, A + (m + q) * lda, Wm + n * ldw) + (bias ? bias[n] : 0.0f);
    }
#else
    for (; m < m1; m++) {
        n = n0;
#ifdef INFER__RNN_SSE2
        for (; n + 4 <= n1; n += 4)
            infer__rnn_sse_dot4(K, A + m * lda, Wm + n * ldw, ldw, C + m * ldc + n, bias ? bias + n : NULL);
#endif
        for (; n < n1; n++) C[m * ldc + n] = infer__rnn_dot1(K, A + m * lda, Wm + n * ldw) + (bias ? bias[n] : 0.0f);
    }
#endif
}

/* C[M, N] (row stride ldc) = A[M, K] * Wm[N, K]^T (+ bias[N]); column panels (and row blocks) are
   the tasks when the product is large enough to share between threads. */
static void infer__rnn_gemm(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *Wm,
                            int64_t ldw, float *C, int64_t ldc, const float *bias, int nthreads) {
    const int64_t NB = 64, MB = 32;
    int64_t npan = (N + NB - 1) / NB, nrow = (M + MB - 1) / MB, ntask = npan * nrow, task;
    int nt = (M * N * K >= ((int64_t)1 << 19) && ntask > 1) ? nthreads : 1;
    if (M <= 0 || N <= 0) return;
    if (nt > 1) {
        INFER__OMP_FOR(nt)
        for (task = 0; task < ntask; task++) {
            int64_t p = task % npan, r = task / npan;
            int64_t m1 = (r + 1) * MB < M ? (r + 1) * MB : M, n1 = (p + 1) * NB < N ? (p + 1) * NB : N;
            infer__rnn_block(r * MB, m1, p * NB, n1, K, A, lda, Wm, ldw, C, ldc, bias);
        }
    } else {
        for (task = 0; task < ntask; task++) {
            int64_t p = task % npan, r = task / npan;
            int64_t m1 = (r + 1) * MB < M ? (r + 1) * MB : M, n1 = (p + 1) * NB < N ? (p + 1) * NB : N;
            infer__rnn_block(r * MB, m1, p * NB, n1, K, A, lda, Wm, ldw, C, ldc, bias);
        }
    }
}

/* ---- helpers: float views of inputs, output stores ------------------------------------------ */
static const float *infer__rnn_f32(infer__kctx *c, const infer_tensor *t) {
    int64_t n = infer__numel(t), i;
    float *p;
    if (t->dtype == INFER_DTYPE_FLOAT) return (const float *)t->data;
    p = (float *)infer__k_scratch(c, (size_t)(n > 0 ? n : 1) * sizeof(float));
    if (!p) return NULL;
    for (i = 0; i < n; i++) p[i] = (float)infer__get_f64(t, i);
    return p;
}

/* dst (of dtype) [off, off+n) = src */
static void infer__rnn_store(void *dst, int dtype, int64_t off, const float *src, int64_t n) {
    int64_t i;
    switch (dtype) {
    case INFER_DTYPE_FLOAT: memcpy((float *)dst + off, src, (size_t)n * sizeof(float)); break;
    case INFER_DTYPE_DOUBLE: for (i = 0; i < n; i++) ((double *)dst)[off + i] = src[i]; break;
    case INFER_DTYPE_FLOAT16: for (i = 0; i < n; i++) ((uint16_t *)dst)[off + i] = infer__f32_to_f16(src[i]); break;
    case INFER_DTYPE_BFLOAT16: for (i = 0; i < n; i++) ((uint16_t *)dst)[off + i] = infer__f32_to_bf16(src[i]); break;
    default: break;
    }
}

/* Checked product of non-negative counts; -1 beyond 2^40 elements (scratch can never hold it). */
static int64_t infer__rnn_mul(int64_t a, int64_t b) {
    if (a < 0 || b < 0) return -1;
    if (a && b > ((int64_t)1 << 40) / a) return -1;
    return a * b;
}

/* ---- the shared driver ---------------------------------------------------------------------- */
static infer_status infer__rnn_run(infer__kctx *c, int kind) {
    infer__rnn_cfg cf;
    const infer_tensor *X = INFER__IN(c, 0), *W = INFER__IN(c, 1), *R = INFER__IN(c, 2), *Bt = INFER__IN(c, 3);
    const infer_tensor *SL = INFER__IN(c, 4), *H0 = INFER__IN(c, 5);
    const infer_tensor *C0 = kind == 2 ? INFER__IN(c, 6) : NULL, *P = kind == 2 ? INFER__IN(c, 7) : NULL;
    const char *dir;
    const float *alphas = NULL, *betas = NULL;
    int nal, nbe, ial = 0, ibe = 0, dt, i, d, nacts_given;
    int64_t S, Bn, I, H, G, GH, b, s, maxlen, hs;
    int64_t ydims[4], hdims[3];
    const float *x, *w, *r, *bias = NULL, *h0 = NULL, *c0 = NULL, *p = NULL;
    float *Y = NULL, *yf, *xw, *rec, *hst, *cst = NULL, *rh = NULL, *pb;
    void *yout[3] = {NULL, NULL, NULL};
    int64_t *lens;
    const infer__attr *acts;
    int64_t nxw, nY, nrec, nst;

    memset(&cf, 0, sizeof cf);
    cf.kind = kind;
    cf.G = kind == 0 ? 1 : (kind == 1 ? 3 : 4);
    cf.nact = kind == 0 ? 1 : (kind == 1 ? 2 : 3);
    G = cf.G;
    if (!X || !W || !R) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "inputs X, W and R are required");
    if (c->n_out > (kind == 2 ? 3 : 2) || c->n_out < 1)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "has %d outputs", c->n_out);
    dt = X->dtype;
    if (dt != INFER_DTYPE_FLOAT && dt != INFER_DTYPE_DOUBLE && dt != INFER_DTYPE_FLOAT16 && dt != INFER_DTYPE_BFLOAT16)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported element type %s", infer_dtype_name(dt));
    if (W->dtype != dt || R->dtype != dt || (Bt && Bt->dtype != dt) || (H0 && H0->dtype != dt) ||
        (C0 && C0->dtype != dt) || (P && P->dtype != dt))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs differ in element type");
    if (SL && SL->dtype != INFER_DTYPE_INT32 && SL->dtype != INFER_DTYPE_INT64)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "sequence_lens must be int32");

    /* attributes */
    dir = infer__k_attr_s(c, "direction", "forward");
    if (strcmp(dir, "forward") == 0) cf.ndir = 1;
    else if (strcmp(dir, "reverse") == 0) cf.ndir = 1, cf.reverse = 1;
    else if (strcmp(dir, "bidirectional") == 0) cf.ndir = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown direction '%s'", dir);
    cf.layout = c->node->opset >= 14 ? (int)infer__k_attr_i(c, "layout", 0) : 0;
    if (cf.layout != 0 && cf.layout != 1)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "layout must be 0 or 1");
    cf.input_forget = kind == 2 && infer__k_attr_i(c, "input_forget", 0) != 0;
    cf.lbr = kind == 1 && infer__k_attr_i(c, "linear_before_reset", 0) != 0;
    if (infer__attr_find(c->node, "clip")) {
        cf.clip = infer__k_attr_f(c, "clip", 0.0f);
        if (!(cf.clip > 0)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "clip must be positive");
    }
    nal = infer__k_attr_floats(c, "activation_alpha", &alphas);
    nbe = infer__k_attr_floats(c, "activation_beta", &betas);
    if (nal < 0) nal = 0;
    if (nbe < 0) nbe = 0;
    acts = infer__attr_find(c->node, "activations");
    nacts_given = acts && acts->type == INFER__ATTR_STRINGS ? acts->n : 0;
    if (nacts_given) {
        if (nacts_given != cf.nact && nacts_given != cf.nact * cf.ndir)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "%d activations given, expected %d", nacts_given,
                                 cf.nact * cf.ndir);
        for (d = 0; d < cf.ndir; d++)
            for (i = 0; i < cf.nact; i++) {
                int idx = d * cf.nact + i;
                if (idx >= nacts_given) cf.act[d][i] = cf.act[0][i];
                else if (!infer__rnn_act_parse(acts->strings[idx], &cf.act[d][i], alphas, nal, &ial, betas, nbe, &ibe))
                    return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "unknown activation '%s'",
                                         acts->strings[idx] ? acts->strings[idx] : "");
            }
    } else {
        for (d = 0; d < 2; d++) {
            cf.act[d][0].fn = kind == 0 ? INFER__RNN_TANH : INFER__RNN_SIGMOID;
            cf.act[d][1].fn = INFER__RNN_TANH;
            cf.act[d][2].fn = INFER__RNN_TANH;
        }
    }

    /* shapes */
    if (X->rank != 3 || W->rank != 3 || R->rank != 3)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X, W and R must have rank 3");
    S = cf.layout ? X->dims[1] : X->dims[0];
    Bn = cf.layout ? X->dims[0] : X->dims[1];
    I = X->dims[2];
    hs = infer__k_attr_i(c, "hidden_size", -1);
    H = hs >= 0 ? hs : R->dims[2];
    if (H <= 0 || H > ((int64_t)1 << 30))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "hidden_size %lld is invalid", (long long)H);
    GH = G * H;
    if (W->dims[0] != cf.ndir || W->dims[1] != GH || W->dims[2] != I)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "W has shape [%lld,%lld,%lld], expected [%d,%lld,%lld]",
                             (long long)W->dims[0], (long long)W->dims[1], (long long)W->dims[2], cf.ndir,
                             (long long)GH, (long long)I);
    if (R->dims[0] != cf.ndir || R->dims[1] != GH || R->dims[2] != H)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "R has shape [%lld,%lld,%lld], expected [%d,%lld,%lld]",
                             (long long)R->dims[0], (long long)R->dims[1], (long long)R->dims[2], cf.ndir,
                             (long long)GH, (long long)H);
    if (Bt && (Bt->rank != 2 || Bt->dims[0] != cf.ndir || Bt->dims[1] != 2 * GH))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "B must have shape [%d,%lld]", cf.ndir, (long long)(2 * GH));
    if (SL && (SL->rank != 1 || SL->dims[0] != Bn))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "sequence_lens must have shape [%lld]", (long long)Bn);
    for (i = 0; i < 2; i++) {
        const infer_tensor *t = i ? C0 : H0;
        int64_t e0 = cf.layout ? Bn : cf.ndir, e1 = cf.layout ? cf.ndir : Bn;
        if (t && (t->rank != 3 || t->dims[0] != e0 || t->dims[1] != e1 || t->dims[2] != H))
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "%s must have shape [%lld,%lld,%lld]",
                                 i ? "initial_c" : "initial_h", (long long)e0, (long long)e1, (long long)H);
    }
    if (P && (P->rank != 2 || P->dims[0] != cf.ndir || P->dims[1] != 3 * H))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "P must have shape [%d,%lld]", cf.ndir, (long long)(3 * H));

    nxw = infer__rnn_mul(infer__rnn_mul(S, Bn), GH);
    nY = infer__rnn_mul(infer__rnn_mul(infer__rnn_mul(S, Bn), H), cf.ndir);
    nrec = infer__rnn_mul(Bn, GH);
    nst = infer__rnn_mul(infer__rnn_mul(Bn, H), cf.ndir);
    if (nxw < 0 || nY < 0 || nrec < 0 || nst < 0)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "sizes too large");

    /* outputs */
    if (cf.layout) ydims[0] = Bn, ydims[1] = S, ydims[2] = cf.ndir, ydims[3] = H;
    else ydims[0] = S, ydims[1] = cf.ndir, ydims[2] = Bn, ydims[3] = H;
    if (cf.layout) hdims[0] = Bn, hdims[1] = cf.ndir, hdims[2] = H;
    else hdims[0] = cf.ndir, hdims[1] = Bn, hdims[2] = H;
    for (i = 0; i < c->n_out; i++) {
        yout[i] = infer__k_output(c, i, dt, i ? 3 : 4, i ? hdims : ydims);
        if (!yout[i]) return INFER_STATUS_OUT_OF_MEMORY;
    }

    /* float views and scratch */
    x = infer__rnn_f32(c, X);
    w = infer__rnn_f32(c, W);
    r = infer__rnn_f32(c, R);
    if (Bt) bias = infer__rnn_f32(c, Bt);
    if (H0) h0 = infer__rnn_f32(c, H0);
    if (C0) c0 = infer__rnn_f32(c, C0);
    if (P) p = infer__rnn_f32(c, P);
    if (!x || !w || !r || (Bt && !bias) || (H0 && !h0) || (C0 && !c0) || (P && !p)) return INFER_STATUS_OUT_OF_MEMORY;
    yf = dt == INFER_DTYPE_FLOAT ? (float *)yout[0] : (float *)infer__k_scratch(c, (size_t)(nY + 1) * sizeof(float));
    xw = (float *)infer__k_scratch(c, (size_t)(nxw + 1) * sizeof(float));
    rec = (float *)infer__k_scratch(c, (size_t)(nrec + 1) * sizeof(float));
    hst = (float *)infer__k_scratch(c, (size_t)(nst + 1) * sizeof(float));
    pb = (float *)infer__k_scratch(c, (size_t)(GH + 1) * sizeof(float));
    lens = (int64_t *)infer__k_scratch(c, (size_t)(Bn + 1) * sizeof(int64_t));
    if (kind == 2) cst = (float *)infer__k_scratch(c, (size_t)(nst + 1) * sizeof(float));
    if (kind == 1 && !cf.lbr) rh = (float *)infer__k_scratch(c, (size_t)(Bn * H + 1) * sizeof(float));
    if ((!yf && c->n_out > 0) || !xw || !rec || !hst || !pb || !lens || (kind == 2 && !cst) ||
        (kind == 1 && !cf.lbr && !rh))
        return INFER_STATUS_OUT_OF_MEMORY;
    Y = yf;

    maxlen = 0;
    for (b = 0; b < Bn; b++) {
        lens[b] = SL ? infer__get_i64(SL, b) : S;
        if (lens[b] < 0 || lens[b] > S)
            return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "sequence_lens[%lld] = %lld is outside [0, %lld]",
                                 (long long)b, (long long)lens[b], (long long)S);
        if (lens[b] > maxlen) maxlen = lens[b];
    }
    if (Y) memset(Y, 0, (size_t)nY * sizeof(float));

    for (d = 0; d < cf.ndir; d++) {
        int rev = cf.reverse || d == 1;
        const infer__rnn_act *af = &cf.act[d][0], *ag = &cf.act[d][1], *ah = &cf.act[d][2];
        const float *wb = bias ? bias + (int64_t)d * 2 * GH : NULL, *rb = wb ? wb + GH : NULL;
        const float *rbh = cf.lbr && rb ? rb + 2 * H : NULL;
        const float *pi = p ? p + (int64_t)d * 3 * H : NULL, *po = pi ? pi + H : NULL, *pf = pi ? pi + 2 * H : NULL;
        const float *wd = w + (int64_t)d * GH * I, *rd = r + (int64_t)d * GH * H;
        float *hd = hst + (int64_t)d * Bn * H, *cd = cst ? cst + (int64_t)d * Bn * H : NULL;
        int64_t j;

        /* weights, folded bias */
        for (j = 0; j < GH; j++) pb[j] = wb ? wb[j] + ((cf.lbr && j >= 2 * H) ? 0.0f : rb[j]) : 0.0f;
        /* input projection for all steps: rows (t, b) in X's own order */
        infer__rnn_gemm(S * Bn, GH, I, x, I, wd, I, xw, GH, pb, c->nthreads);
        /* initial state */
        for (b = 0; b < Bn; b++) {
            int64_t off = (cf.layout ? b * cf.ndir + d : (int64_t)d * Bn + b) * H;
            if (h0) memcpy(hd + b * H, h0 + off, (size_t)H * sizeof(float));
            else memset(hd + b * H, 0, (size_t)H * sizeof(float));
            if (cd) {
                if (c0) memcpy(cd + b * H, c0 + off, (size_t)H * sizeof(float));
                else memset(cd + b * H, 0, (size_t)H * sizeof(float));
            }
        }
        for (s = 0; s < maxlen; s++) {
            /* recurrence product (GRU without linear_before_reset: the z and r parts first) */
            infer__rnn_gemm(Bn, (kind == 1 && !cf.lbr) ? 2 * H : GH, H, hd, H, rd, H, rec, GH, NULL, c->nthreads);
            for (b = 0; b < Bn; b++) {
                int64_t t, row;
                const float *g;
                float *q = rec + b * GH, *h = hd + b * H;
                if (s >= lens[b]) {
                    if (rh) memset(rh + b * H, 0, (size_t)H * sizeof(float));
                    continue;
                }
                t = rev ? lens[b] - 1 - s : s;
                row = cf.layout ? b * S + t : t * Bn + b;
                g = xw + row * GH;
                if (kind == 0) {
                    for (j = 0; j < H; j++) q[j] += g[j];
                    infer__rnn_apply(af, q, H, cf.clip);
                    memcpy(h, q, (size_t)H * sizeof(float));
                } else if (kind == 1) {
                    for (j = 0; j < 2 * H; j++) q[j] += g[j];
                    infer__rnn_apply(af, q, 2 * H, cf.clip); /* z, r */
                    if (cf.lbr) {
                        for (j = 0; j < H; j++) q[2 * H + j] = g[2 * H + j] + q[H + j] * (q[2 * H + j] + (rbh ? rbh[j] : 0.0f));
                        infer__rnn_apply(ag, q + 2 * H, H, cf.clip);
                        for (j = 0; j < H; j++) h[j] = (1.0f - q[j]) * q[2 * H + j] + q[j] * h[j];
                    } else {
                        for (j = 0; j < H; j++) rh[b * H + j] = q[H + j] * h[j];
                    }
                } else {
                    float *qi = q, *qo = q + H, *qf = q + 2 * H, *qc = q + 3 * H, *cc = cd + b * H;
                    for (j = 0; j < GH; j++) q[j] += g[j];
                    if (pi) for (j = 0; j < H; j++) qi[j] += pi[j] * cc[j];
                    infer__rnn_apply(af, qi, H, cf.clip);
                    if (cf.input_forget) {
                        for (j = 0; j < H; j++) qf[j] = 1.0f - qi[j];
                    } else {
                        if (pf) for (j = 0; j < H; j++) qf[j] += pf[j] * cc[j];
                        infer__rnn_apply(af, qf, H, cf.clip);
                    }
                    infer__rnn_apply(ag, qc, H, cf.clip);
                    for (j = 0; j < H; j++) cc[j] = qf[j] * cc[j] + qi[j] * qc[j];
                    if (po) for (j = 0; j < H; j++) qo[j] += po[j] * cc[j];
                    infer__rnn_apply(af, qo, H, cf.clip);
                    memcpy(qc, cc, (size_t)H * sizeof(float));
                    infer__rnn_apply(ah, qc, H, 0.0f);
                    for (j = 0; j < H; j++) h[j] = qo[j] * qc[j];
                }
            }
            if (kind == 1 && !cf.lbr) {
                infer__rnn_gemm(Bn, H, H, rh, H, rd + 2 * H * H, H, rec + 2 * H, GH, NULL, c->nthreads);
                for (b = 0; b < Bn; b++) {
                    int64_t t, row;
                    float *q = rec + b * GH, *h = hd + b * H;
                    const float *g;
                    if (s >= lens[b]) continue;
                    t = rev ? lens[b] - 1 - s : s;
                    row = cf.layout ? b * S + t : t * Bn + b;
                    g = xw + row * GH;
                    for (j = 0; j < H; j++) q[2 * H + j] += g[2 * H + j];
                    infer__rnn_apply(ag, q + 2 * H, H, cf.clip);
                    for (j = 0; j < H; j++) h[j] = (1.0f - q[j]) * q[2 * H + j] + q[j] * h[j];
                }
            }
            /* Y */
            if (Y)
                for (b = 0; b < Bn; b++) {
                    int64_t t;
                    if (s >= lens[b]) continue;
                    t = rev ? lens[b] - 1 - s : s;
                    memcpy(Y + (cf.layout ? (b * S + t) * cf.ndir + d : (t * cf.ndir + d) * Bn + b) * H, hd + b * H,
                           (size_t)H * sizeof(float));
                }
        }
        /* empty sequences end with zero states */
        for (b = 0; b < Bn; b++)
            if (lens[b] == 0) {
                memset(hd + b * H, 0, (size_t)H * sizeof(float));
                if (cd) memset(cd + b * H, 0, (size_t)H * sizeof(float));
            }
    }

    /* outputs beyond Y: Y_h, Y_c from the final states */
    if (Y && dt != INFER_DTYPE_FLOAT) infer__rnn_store(yout[0], dt, 0, Y, nY);
    for (i = 1; i < c->n_out; i++) {
        const float *st = i == 1 ? hst : cst;
        for (d = 0; d < cf.ndir; d++)
            for (b = 0; b < Bn; b++) {
                int64_t off = (cf.layout ? b * cf.ndir + d : (int64_t)d * Bn + b) * H;
                infer__rnn_store(yout[i], dt, off, st + ((int64_t)d * Bn + b) * H, H);
            }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_rnn(infer__kctx *c) { return infer__rnn_run(c, 0); }
static infer_status infer__k_gru(infer__kctx *c) { return infer__rnn_run(c, 1); }
static infer_status infer__k_lstm(infer__kctx *c) { return infer__rnn_run(c, 2); }

/* ---- Constant ------------------------------------------------------------------------------- */
static infer_status infer__k_constant(infer__kctx *c) {
    const infer__node *n = c->node;
    int k;
    for (k = 0; k < n->n_attr; k++) {
        const infer__attr *a = &n->attrs[k];
        const char *nm = a->name;
        void *out;
        int64_t dim;
        if (strcmp(nm, "value") == 0 && a->type == INFER__ATTR_TENSOR && a->tensors) {
            const infer_tensor *t = &a->tensors[0];
            int64_t cnt = infer__count_checked(t->rank, t->dims);
            size_t es = infer__dtype_size(t->dtype);
            if (cnt < 0 || t->rank < 0 || t->rank > INFER_MAX_RANK || !es)
                return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad value tensor");
            out = infer__k_output(c, 0, t->dtype, t->rank, t->dims);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            if (cnt && t->data) memcpy(out, t->data, (size_t)cnt * es);
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "value_float") == 0 && a->type == INFER__ATTR_FLOAT) {
            out = infer__k_output(c, 0, INFER_DTYPE_FLOAT, 0, NULL);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            memcpy(out, &a->f, sizeof(float));
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "value_int") == 0 && a->type == INFER__ATTR_INT) {
            out = infer__k_output(c, 0, INFER_DTYPE_INT64, 0, NULL);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            memcpy(out, &a->i, sizeof(int64_t));
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "value_string") == 0 && a->type == INFER__ATTR_STRING) {
            out = infer__k_output(c, 0, INFER_DTYPE_STRING, 0, NULL);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            memcpy(out, &a->s, sizeof(char *));
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "value_floats") == 0 && a->type == INFER__ATTR_FLOATS) {
            dim = a->n;
            out = infer__k_output(c, 0, INFER_DTYPE_FLOAT, 1, &dim);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            if (dim) memcpy(out, a->floats, (size_t)dim * sizeof(float));
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "value_ints") == 0 && a->type == INFER__ATTR_INTS) {
            dim = a->n;
            out = infer__k_output(c, 0, INFER_DTYPE_INT64, 1, &dim);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            if (dim) memcpy(out, a->ints, (size_t)dim * sizeof(int64_t));
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "value_strings") == 0 && a->type == INFER__ATTR_STRINGS) {
            dim = a->n;
            out = infer__k_output(c, 0, INFER_DTYPE_STRING, 1, &dim);
            if (!out) return INFER_STATUS_OUT_OF_MEMORY;
            if (dim) memcpy(out, a->strings, (size_t)dim * sizeof(char *));
            return INFER_STATUS_OK;
        }
        if (strcmp(nm, "sparse_value") == 0)
            return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "sparse_value is not supported");
    }
    return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no value attribute");
}

static const infer__op infer__ops_rnn[] = {
    {"", "RNN", 1, 1000, infer__k_rnn},
    {"", "GRU", 1, 1000, infer__k_gru},
    {"", "LSTM", 1, 1000, infer__k_lstm},
    {"", "Constant", 1, 1000, infer__k_constant},
    {NULL, NULL, 0, 0, NULL}
};
/* ============================================================================================== */
/* >>kernels-misc: losses, quantization, signal processing, strings, detection                    */
/* ============================================================================================== */
/* Ops: NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss; QuantizeLinear, DequantizeLinear,
   DynamicQuantizeLinear, QLinearMatMul, QLinearConv, ConvInteger; NonMaxSuppression, RoiAlign, GridSample,
   AffineGrid, Col2Im, CenterCropPad; DFT, STFT, Hann/Hamming/BlackmanWindow, MelWeightMatrix;
   StringNormalizer, StringConcat, StringSplit, RegexFullMatch, TfIdfVectorizer; ImageDecoder (BMP, PNM,
   uncompressed TIFF, PNG, baseline JPEG); RandomUniform/Normal(+Like), Bernoulli, Multinomial;
   ai.onnx.preview.training Adagrad, Adam, Momentum; ai.onnx.ml LabelEncoder, Binarizer,
   ArrayFeatureExtractor, TreeEnsemble, TreeEnsembleRegressor/Classifier, LinearRegressor/Classifier,
   Scaler, Normalizer, Imputer, OneHotEncoder, CategoryMapper, FeatureVectorizer.
   Reuses from other families (same translation unit): infer__ew_mf_encode / infer__ew_small_decode
   (k_elementwise.h), infer__mm_shape_of / infer__mm_batch_off (k_reduce.h), infer__nn_window and
   the MT19937 generator (k_nn.h). */

#define INFER__MISC_NEED(c, i)                                                                      \
    do {                                                                                            \
        if (!INFER__IN(c, i)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "input %d is missing", i); \
    } while (0)

/* Element i of any numeric tensor (also 8-bit floats, 4-bit ints) as double. */
static double infer__misc_get(const infer_tensor *t, int64_t i) {
    if (infer__ew_is_small(t->dtype)) return infer__ew_small_decode(((const uint8_t *)t->data)[i], t->dtype);
    return infer__get_f64(t, i);
}

/* Rounds v to the precision of dtype dt (what computing in that type would give). */
static double infer__misc_round_to(double v, int dt) {
    switch (dt) {
    case INFER_DTYPE_FLOAT: return (double)(float)v;
    case INFER_DTYPE_FLOAT16: return infer__f16_to_f32(infer__f32_to_f16((float)v));
    case INFER_DTYPE_BFLOAT16: return infer__bf16_to_f32(infer__f32_to_bf16((float)v));
    default: return v;
    }
}

static int infer__misc_has_out(const infer__kctx *c, int i) {
    return i < c->n_out && c->node->out[i] >= 0;
}

/* ---- NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss ------------------------------------- */
static infer_status infer__misc_loss(infer__kctx *c, int softmax) {
    const infer_tensor *X = INFER__IN(c, 0), *T = INFER__IN(c, 1), *W = INFER__IN(c, 2);
    const char *red = infer__k_attr_s(c, "reduction", "mean");
    const infer__attr *ia = infer__attr_find(c->node, "ignore_index");
    int has_ign = ia && ia->type == INFER__ATTR_INT, rmode, i;
    int64_t ign = has_ign ? ia->i : 0, N, C, D, n, d, k;
    double *lp = NULL, sum = 0, wsum = 0;
    infer_tensor *L, *LP = NULL;
    int64_t zero = 0;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be a float type");
    if (T->dtype != INFER_DTYPE_INT32 && T->dtype != INFER_DTYPE_INT64)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "target must be int32 or int64");
    if (X->rank < 2 || T->rank != X->rank - 1)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input rank %d, target rank %d", X->rank, T->rank);
    if (T->dims[0] != X->dims[0]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "batch sizes differ");
    for (i = 1; i < T->rank; i++)
        if (T->dims[i] != X->dims[i + 1]) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "target dim %d differs", i);
    N = X->dims[0];
    C = X->dims[1];
    D = N && C ? infer__numel(X) / (N * C) : 0;
    if (W && (W->rank != 1 || W->dims[0] != C || W->dtype != X->dtype))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "weight must be a vector of C elements of the input type");
    if (strcmp(red, "none") == 0) rmode = 0;
    else if (strcmp(red, "sum") == 0) rmode = 1;
    else if (strcmp(red, "mean") == 0) rmode = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown reduction '%s'", red);
    L = NULL;
    if (!infer__k_output(c, 0, X->dtype, rmode ? 0 : T->rank, rmode ? &zero : T->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    L = c->out[0];
    if (softmax && infer__misc_has_out(c, 1)) {
        if (!infer__k_output(c, 1, X->dtype, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
        LP = c->out[1];
    }
    if (softmax) {
        int64_t tot = infer__numel(X);
        lp = (double *)infer__k_scratch(c, (size_t)(tot > 0 ? tot : 1) * sizeof(double));
        if (!lp) return INFER_STATUS_OUT_OF_MEMORY;
        for (n = 0; n < N; n++)
            for (d = 0; d < D; d++) {
                double mx = -HUGE_VAL, s = 0;
                int64_t base = n * C * D + d;
                for (k = 0; k < C; k++) {
                    double v = infer__get_f64(X, base + k * D);
                    if (v > mx) mx = v;
                }
                for (k = 0; k < C; k++) s += exp(infer__get_f64(X, base + k * D) - mx);
                s = log(s);
                for (k = 0; k < C; k++) lp[base + k * D] = infer__get_f64(X, base + k * D) - mx - s;
            }
        if (LP)
            for (n = 0; n < tot; n++) infer__set_f64(LP, n, lp[n]);
    }
    for (n = 0; n < N; n++)
        for (d = 0; d < D; d++) {
            int64_t t = infer__get_i64(T, n * D + d);
            double w = 1, l = 0;
            if (has_ign && t == ign) {
                w = 0;
            } else {
                if (t < 0 || t >= C)
                    return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "target %lld out of range [0, %lld)", (long long)t, (long long)C);
                if (W) w = infer__get_f64(W, t);
                l = -(softmax ? lp[(n * C + t) * D + d] : infer__get_f64(X, (n * C + t) * D + d)) * w;
            }
            if (rmode == 0) infer__set_f64(L, n * D + d, l);
            sum += l;
            wsum += w;
        }
    if (rmode == 1) infer__set_f64(L, 0, sum);
    else if (rmode == 2) infer__set_f64(L, 0, sum / wsum);
    return INFER_STATUS_OK;
}
static infer_status infer__k_nllloss(infer__kctx *c) { return infer__misc_loss(c, 0); }
static infer_status infer__k_sceloss(infer__kctx *c) { return infer__misc_loss(c, 1); }

/* ---- Quantization ---------------------------------------------------------------------------- */
static int infer__misc_qrange(int dt, int64_t *lo, int64_t *hi) {
    switch (dt) {
    case INFER_DTYPE_UINT8: *lo = 0; *hi = 255; return 1;
    case INFER_DTYPE_INT8: *lo = -128; *hi = 127; return 1;
    case INFER_DTYPE_UINT16: *lo = 0; *hi = 65535; return 1;
    case INFER_DTYPE_INT16: *lo = -32768; *hi = 32767; return 1;
    case INFER_DTYPE_INT32: *lo = INT32_MIN; *hi = INT32_MAX; return 1;
    case INFER_DTYPE_UINT4: *lo = 0; *hi = 15; return 1;
    case INFER_DTYPE_INT4: *lo = -8; *hi = 7; return 1;
    case INFER_DTYPE_UINT2: *lo = 0; *hi = 3; return 1;
    case INFER_DTYPE_INT2: *lo = -2; *hi = 1; return 1;
    default: return 0;
    }
}

static int infer__misc_is_f8(int dt) {
    return dt == INFER_DTYPE_FLOAT8E4M3FN || dt == INFER_DTYPE_FLOAT8E4M3FNUZ || dt == INFER_DTYPE_FLOAT8E5M2 ||
           dt == INFER_DTYPE_FLOAT8E5M2FNUZ || dt == INFER_DTYPE_FLOAT4E2M1;
}

/* Stores integer v (already clipped) into element i of an integer tensor (any width, 4-bit one per byte). */
static void infer__misc_put_int(infer_tensor *t, int64_t i, int64_t v) {
    if (infer__ew_is_small(t->dtype)) ((uint8_t *)t->data)[i] = (uint8_t)(int8_t)v;
    else infer__set_i64(t, i, v);
}

static int64_t infer__misc_rint_clip(double v, int64_t lo, int64_t hi) {
    if (v != v) return 0;
    v = rint(v);
    if (v < (double)lo) return lo;
    if (v > (double)hi) return hi;
    return (int64_t)v;
}

/* Layout of a scale / zero point for x: per tensor (kind 0), per axis (1) or blocked (2).
   Index of the parameter of x element i: see infer__misc_qidx. */
typedef struct infer__misc_qp {
    int kind;
    int64_t outer, D, inner, bs, nblk;
} infer__misc_qp;

static infer_status infer__misc_qlayout(infer__kctx *c, const infer_tensor *x, const infer_tensor *s, infer__misc_qp *q) {
    int64_t axis_a = infer__k_attr_i(c, "axis", 1), bs = infer__k_attr_i(c, "block_size", 0), n = infer__numel(s);
    int ax, i;
    q->kind = 0;
    q->outer = q->D = q->inner = q->bs = q->nblk = 1;
    if (n == 1 && s->rank <= 1) return INFER_STATUS_OK;
    ax = infer__axis(axis_a, x->rank);
    if (ax < 0 || x->rank == 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axis %lld out of range", (long long)axis_a);
    q->D = x->dims[ax];
    for (i = 0; i < ax; i++) q->outer *= x->dims[i];
    for (i = ax + 1; i < x->rank; i++) q->inner *= x->dims[i];
    if (bs <= 0) {
        if (s->rank != 1 || s->dims[0] != q->D)
            return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "per-axis scale must have %lld elements", (long long)q->D);
        q->kind = 1;
        return INFER_STATUS_OK;
    }
    if (s->rank != x->rank) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "blocked scale must have the rank of x");
    for (i = 0; i < x->rank; i++) {
        int64_t want = i == ax ? (x->dims[i] ? (x->dims[i] - 1) / bs + 1 : 0) : x->dims[i];
        if (s->dims[i] != want) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "blocked scale dim %d is %lld, expected %lld", i, (long long)s->dims[i], (long long)want);
    }
    q->kind = 2;
    q->bs = bs;
    q->nblk = s->dims[ax];
    return INFER_STATUS_OK;
}

static int64_t infer__misc_qidx(const infer__misc_qp *q, int64_t i) {
    int64_t d, o, in;
    if (q->kind == 0) return 0;
    in = i % q->inner;
    d = (i / q->inner) % q->D;
    if (q->kind == 1) return d;
    o = i / (q->inner * q->D);
    return (o * q->nblk + d / q->bs) * q->inner + in;
}

static int infer__misc_same_shape(const infer_tensor *a, const infer_tensor *b) {
    int i;
    if (a->rank != b->rank) {
        return infer__numel(a) == 1 && infer__numel(b) == 1 && a->rank <= 1 && b->rank <= 1;
    }
    for (i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i]) return 0;
    return 1;
}

static infer_status infer__k_quantize_linear(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1), *Z = INFER__IN(c, 2);
    int64_t odt_a = infer__k_attr_i(c, "output_dtype", 0), prec = infer__k_attr_i(c, "precision", 0), n, i, lo = 0, hi = 0;
    int sat = (int)infer__k_attr_i(c, "saturate", 1), odt, cdt;
    infer__misc_qp q;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype) && X->dtype != INFER_DTYPE_INT32)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x must be float or int32");
    if (!infer__is_float(S->dtype) && S->dtype != INFER_DTYPE_INT32)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "y_scale must be a float type");
    odt = Z ? Z->dtype : odt_a ? (int)odt_a : INFER_DTYPE_UINT8;
    if (Z && odt_a && odt_a != Z->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "output_dtype differs from the zero point's type");
    if (odt == INFER_DTYPE_INT32 && c->node->opset < 21) odt = -1;
    if (!infer__misc_qrange(odt, &lo, &hi) && !infer__misc_is_f8(odt))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported output type %d", odt);
    st = infer__misc_qlayout(c, X, S, &q);
    if (st) return st;
    if (Z && !infer__misc_same_shape(Z, S)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "zero point and scale shapes differ");
    if (!infer__k_output(c, 0, odt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    cdt = prec ? (int)prec : X->dtype == INFER_DTYPE_INT32 ? INFER_DTYPE_DOUBLE : X->dtype;
    if (X->dtype == INFER_DTYPE_FLOAT && S->dtype == INFER_DTYPE_FLOAT && cdt == INFER_DTYPE_FLOAT &&
        (odt == INFER_DTYPE_UINT8 || odt == INFER_DTYPE_INT8) && q.kind != 2) {
        /* fast path: float -> 8-bit, per tensor or per axis (x / scale in float, round half to even) */
        const float *x = (const float *)X->data, *sc = (const float *)S->data;
        int64_t rows = q.kind ? q.outer * q.D : n, inner = q.kind ? q.inner : 1, r;
        int nt = INFER__THREADS(c, n);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (r = 0; r < rows; r++) {
            int64_t qi = q.kind == 1 ? r % q.D : 0, k;
            float s = sc[qi];
            int32_t z = Z ? (int32_t)infer__get_i64(Z, qi) : 0;
            for (k = 0; k < inner; k++) {
                float v = x[r * inner + k] / s;
                int32_t t = v != v ? 0 : v >= 2147483520.0f ? INT32_MAX : v <= -2147483648.0f ? INT32_MIN : (int32_t)rintf(v);
                int64_t w = (int64_t)t + z;
                if (odt == INFER_DTYPE_UINT8) ((uint8_t *)Y->data)[r * inner + k] = (uint8_t)(w < 0 ? 0 : w > 255 ? 255 : w);
                else ((int8_t *)Y->data)[r * inner + k] = (int8_t)(w < -128 ? -128 : w > 127 ? 127 : w);
            }
        }
        return INFER_STATUS_OK;
    }
    for (i = 0; i < n; i++) {
        int64_t qi = infer__misc_qidx(&q, i);
        double v = infer__misc_round_to(infer__misc_round_to(infer__get_f64(X, i), cdt) /
                                            infer__misc_round_to(infer__get_f64(S, qi), cdt), cdt);
        if (infer__misc_is_f8(odt)) {
            if (odt == INFER_DTYPE_FLOAT4E2M1 && Z) v += infer__misc_get(Z, qi);
            ((uint8_t *)Y->data)[i] = infer__ew_mf_encode(v, odt, sat);
        } else {
            int64_t r = infer__misc_rint_clip(v, INT32_MIN, INT32_MAX) + (Z ? (int64_t)infer__misc_get(Z, qi) : 0);
            infer__misc_put_int(Y, i, r < lo ? lo : r > hi ? hi : r);
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_dequantize_linear(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1), *Z = INFER__IN(c, 2);
    int64_t odt_a = infer__k_attr_i(c, "output_dtype", 0), n, i;
    int odt;
    infer__misc_qp q;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (infer__is_float(X->dtype) || X->dtype == INFER_DTYPE_STRING || X->dtype == INFER_DTYPE_BOOL)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x must be a quantized type");
    if (!infer__is_float(S->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x_scale must be a float type");
    if (Z && Z->dtype != X->dtype) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "zero point type differs from x");
    odt = odt_a ? (int)odt_a : S->dtype;
    if (!infer__is_float(odt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "output_dtype must be a float type");
    st = infer__misc_qlayout(c, X, S, &q);
    if (st) return st;
    if (Z && !infer__misc_same_shape(Z, S)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "zero point and scale shapes differ");
    if (!infer__k_output(c, 0, odt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    if ((X->dtype == INFER_DTYPE_UINT8 || X->dtype == INFER_DTYPE_INT8) && S->dtype == INFER_DTYPE_FLOAT && odt == INFER_DTYPE_FLOAT && q.kind != 2) {
        /* fast path: 8-bit -> float, per tensor or per axis */
        const float *sc = (const float *)S->data;
        float *y = (float *)Y->data;
        int64_t rows = q.kind ? q.outer * q.D : n, inner = q.kind ? q.inner : 1, r;
        int nt = INFER__THREADS(c, n), u8 = X->dtype == INFER_DTYPE_UINT8;
        (void)nt;
        INFER__OMP_FOR(nt)
        for (r = 0; r < rows; r++) {
            int64_t qi = q.kind == 1 ? r % q.D : 0, k;
            float s = sc[qi];
            int32_t z = Z ? (int32_t)infer__get_i64(Z, qi) : 0;
            if (u8) {
                const uint8_t *x = (const uint8_t *)X->data + r * inner;
                for (k = 0; k < inner; k++) y[r * inner + k] = (float)((int32_t)x[k] - z) * s;
            } else {
                const int8_t *x = (const int8_t *)X->data + r * inner;
                for (k = 0; k < inner; k++) y[r * inner + k] = (float)((int32_t)x[k] - z) * s;
            }
        }
        return INFER_STATUS_OK;
    }
    for (i = 0; i < n; i++) {
        int64_t qi = infer__misc_qidx(&q, i);
        double v = infer__misc_get(X, i) - (Z ? infer__misc_get(Z, qi) : 0);
        infer__set_f64(Y, i, infer__misc_round_to(v, S->dtype) * infer__get_f64(S, qi));
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_dynamic_quantize_linear(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int64_t n, i, zero = 0;
    double mn = 0, mx = 0;
    float scale;
    int64_t zp;
    uint8_t *y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x must be float");
    n = infer__numel(X);
    y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_UINT8, X->rank, X->dims);
    if (!y || !infer__k_output(c, 1, INFER_DTYPE_FLOAT, 0, &zero) || !infer__k_output(c, 2, INFER_DTYPE_UINT8, 0, &zero))
        return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        double v = infer__get_f64(X, i);
        if (v < mn) mn = v;
        if (v > mx) mx = v;
    }
    scale = (float)((float)((float)mx - (float)mn) / 255.0f);
    zp = scale != 0 ? infer__misc_rint_clip((double)(float)((float)(0.0 - mn) / scale), 0, 255) : 0;
    for (i = 0; i < n; i++) {
        float v = scale != 0 ? (float)infer__get_f64(X, i) / scale : 0.0f;
        int64_t r = infer__misc_rint_clip(v, INT32_MIN, INT32_MAX) + zp;
        y[i] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
    }
    *(float *)c->out[1]->data = scale;
    *(uint8_t *)c->out[2]->data = (uint8_t)zp;
    return INFER_STATUS_OK;
}

/* Scale or zero point of a QLinear op: a scalar, or one value per row (along axis `dim` of size n). */
static infer_status infer__misc_qparam(infer__kctx *c, const infer_tensor *t, int64_t n, const char *what) {
    int64_t k;
    if (!t) return INFER_STATUS_OK;
    k = infer__numel(t);
    if (k != 1 && k != n) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "%s has %lld elements, expected 1 or %lld", what, (long long)k, (long long)n);
    return INFER_STATUS_OK;
}

static infer_status infer__k_qlinear_matmul(infer__kctx *c) {
    const infer_tensor *A = INFER__IN(c, 0), *AS = INFER__IN(c, 1), *AZ = INFER__IN(c, 2), *B = INFER__IN(c, 3),
                       *BS = INFER__IN(c, 4), *BZ = INFER__IN(c, 5), *YS = INFER__IN(c, 6), *YZ = INFER__IN(c, 7);
    infer__mm_shape s;
    int64_t bi, lo, hi, nas, nbs, naz, nbz;
    int odt;
    int32_t *ai, *bi32;
    double *accb;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 3);
    INFER__MISC_NEED(c, 4);
    INFER__MISC_NEED(c, 6);
    odt = YZ ? YZ->dtype : A->dtype;
    if ((A->dtype != INFER_DTYPE_INT8 && A->dtype != INFER_DTYPE_UINT8) || (B->dtype != INFER_DTYPE_INT8 && B->dtype != INFER_DTYPE_UINT8) ||
        (odt != INFER_DTYPE_INT8 && odt != INFER_DTYPE_UINT8) || !infer__misc_qrange(odt, &lo, &hi))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "a, b and y must be int8 or uint8");
    if (!infer__mm_shape_of(A, B, &s))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "cannot multiply shapes of rank %d and %d", A->rank, B->rank);
    if (infer__misc_qparam(c, AS, s.M, "a_scale") || infer__misc_qparam(c, AZ, s.M, "a_zero_point") ||
        infer__misc_qparam(c, BS, s.N, "b_scale") || infer__misc_qparam(c, BZ, s.N, "b_zero_point") ||
        infer__misc_qparam(c, YS, 1, "y_scale") || infer__misc_qparam(c, YZ, 1, "y_zero_point"))
        return INFER_STATUS_SHAPE_MISMATCH;
    nas = infer__numel(AS); nbs = infer__numel(BS);
    naz = AZ ? infer__numel(AZ) : 0; nbz = BZ ? infer__numel(BZ) : 0;
    if (!infer__k_output(c, 0, odt, s.orank, s.odims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    ai = (int32_t *)infer__k_scratch(c, (size_t)(s.M * s.K + 1) * sizeof(int32_t));
    bi32 = (int32_t *)infer__k_scratch(c, (size_t)(s.K * s.N + 1) * sizeof(int32_t));
    accb = (double *)infer__k_scratch(c, (size_t)(s.M * s.N + 1) * sizeof(double));
    if (!ai || !bi32 || !accb) return INFER_STATUS_OUT_OF_MEMORY;
    for (bi = 0; bi < s.nb; bi++) {
        int64_t oa, ob, i, q;
        int nt = INFER__THREADS(c, (double)s.M * (double)s.N * (double)s.K);
        infer__mm_batch_off(&s, bi, &oa, &ob);
        for (q = 0; q < s.M * s.K; q++)
            ai[q] = (int32_t)infer__get_i64(A, oa + q) - (AZ ? (int32_t)infer__get_i64(AZ, naz == 1 ? 0 : q / s.K) : 0);
        for (q = 0; q < s.K * s.N; q++)
            bi32[q] = (int32_t)infer__get_i64(B, ob + q) - (BZ ? (int32_t)infer__get_i64(BZ, nbz == 1 ? 0 : q % s.N) : 0);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (i = 0; i < s.M; i++) {
            double *yr = accb + i * s.N;
            int64_t k, j;
            for (j = 0; j < s.N; j++) yr[j] = 0;
            for (k = 0; k < s.K; k++) {
                int32_t av = ai[i * s.K + k];
                const int32_t *br = bi32 + k * s.N;
                if (!av) continue;
                for (j = 0; j < s.N; j++) yr[j] += (double)(av * br[j]);
            }
        }
        for (i = 0; i < s.M; i++) {
            int64_t j;
            for (j = 0; j < s.N; j++) {
                double mult = infer__misc_round_to(infer__misc_round_to(infer__get_f64(AS, nas == 1 ? 0 : i) * infer__get_f64(BS, nbs == 1 ? 0 : j), AS->dtype) /
                                                       infer__get_f64(YS, 0), AS->dtype);
                double acc = accb[i * s.N + j] * mult + (YZ ? infer__get_f64(YZ, 0) : 0);
                infer__misc_put_int(Y, (bi * s.M + i) * s.N + j, infer__misc_rint_clip(acc, lo, hi));
            }
        }
    }
    return INFER_STATUS_OK;
}

/* Integer convolution: acc[n, m, out...] = sum (x - xz) * (w - wz[m]) (exact in double), by im2col
   of the zero-point-shifted input and an integer GEMM. acc NULL: only checks shapes and sets odims. */
static infer_status infer__misc_conv_int(infer__kctx *c, const infer_tensor *X, const infer_tensor *XZ,
                                        const infer_tensor *W, const infer_tensor *WZ, double *acc, int64_t *odims) {
    infer__nn_win w;
    int64_t G = infer__k_attr_i(c, "group", 1), N, C, M, cg, mg, kprod, opix, ipix, K, nwz, n, g, k, ostr;
    int i;
    int32_t *xs, *wsb;
    int16_t *col;
    infer_status st;
    if (X->rank < 3 || W->rank != X->rank)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X rank %d and W rank %d", X->rank, W->rank);
    N = X->dims[0]; C = X->dims[1]; M = W->dims[0];
    if (G < 1 || C % G || M % G || W->dims[1] * G != C)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "channels %lld, weight channels %lld, group %lld",
                             (long long)C, (long long)W->dims[1], (long long)G);
    if (XZ && infer__numel(XZ) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "x zero point must be a scalar");
    nwz = WZ ? infer__numel(WZ) : 0;
    if (WZ && nwz != 1 && nwz != M) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "w zero point must be a scalar or have M elements");
    st = infer__nn_window(c, X, W->dims + 2, 0, &w);
    if (st) return st;
    odims[0] = N; odims[1] = M;
    for (i = 0; i < w.nd; i++) odims[2 + i] = w.out[i];
    if (!acc) return INFER_STATUS_OK;
    cg = C / G; mg = M / G;
    kprod = infer__nn_prod(w.k, w.nd);
    opix = infer__nn_prod(w.out, w.nd);
    ipix = infer__nn_prod(w.in, w.nd);
    K = cg * kprod;
    xs = (int32_t *)infer__k_scratch(c, (size_t)(N * C * ipix + 1) * sizeof(int32_t));
    wsb = (int32_t *)infer__k_scratch(c, (size_t)(M * K + 1) * sizeof(int32_t));
    ostr = (opix + 255) / 256 * 256; /* im2col row stride: whole blocks of 256 (fixed-length inner loops vectorize) */
    col = (int16_t *)infer__k_scratch(c, (size_t)(K * ostr + 1) * sizeof(int16_t));
    if (!xs || !wsb || !col) return INFER_STATUS_OUT_OF_MEMORY;
    {
        int32_t xz = XZ ? (int32_t)infer__get_i64(XZ, 0) : 0;
        int64_t m;
        if (X->dtype == INFER_DTYPE_UINT8) { const uint8_t *x = (const uint8_t *)X->data; for (k = 0; k < N * C * ipix; k++) xs[k] = (int32_t)x[k] - xz; }
        else if (X->dtype == INFER_DTYPE_INT8) { const int8_t *x = (const int8_t *)X->data; for (k = 0; k < N * C * ipix; k++) xs[k] = (int32_t)x[k] - xz; }
        else for (k = 0; k < N * C * ipix; k++) xs[k] = (int32_t)infer__get_i64(X, k) - xz;
        for (m = 0; m < M; m++) {
            int32_t wz = WZ ? (int32_t)infer__get_i64(WZ, nwz == 1 ? 0 : m) : 0;
            for (k = 0; k < K; k++) wsb[m * K + k] = (int32_t)infer__get_i64(W, m * K + k) - wz;
        }
    }
    for (n = 0; n < N; n++)
        for (g = 0; g < G; g++) {
            int64_t pb, nblk;
            int nt;
            /* im2col: row (ci, kk), column = output pixel; padding reads 0 (= the zero point) */
            nt = INFER__THREADS(c, (double)K * (double)opix);
            (void)nt;
            INFER__OMP_FOR(nt)
            for (k = 0; k < K; k++) {
                int64_t ci = k / kprod, kk = k % kprod, kd[INFER_MAX_RANK], oc[INFER_MAX_RANK], p, rem = kk;
                int e;
                const int32_t *xp = xs + (n * C + g * cg + ci) * ipix;
                int16_t *cr = col + k * ostr;
                for (e = w.nd - 1; e >= 0; e--) { kd[e] = rem % w.k[e]; rem /= w.k[e]; oc[e] = 0; }
                for (p = 0; p < opix; p++) {
                    int64_t off = 0, ok = 1;
                    for (e = 0; e < w.nd; e++) {
                        int64_t pos = oc[e] * w.s[e] + kd[e] * w.d[e] - w.pb[e];
                        if (pos < 0 || pos >= w.in[e]) { ok = 0; break; }
                        off = off * w.in[e] + pos;
                    }
                    cr[p] = (int16_t)(ok ? xp[off] : 0);
                    for (e = w.nd - 1; e >= 0; e--) { if (++oc[e] < w.out[e]) break; oc[e] = 0; }
                }
                for (p = opix; p < ostr; p++) cr[p] = 0;
            }
            nblk = (opix + 255) / 256;
            nt = INFER__THREADS(c, (double)mg * (double)K * (double)opix);
            if (nt > nblk) nt = (int)(nblk > 0 ? nblk : 1);
            (void)nt;
            INFER__OMP_FOR(nt)
            /* blocks of 256 output pixels (their im2col slice stays in cache) x all filters of the group;
               8-bit operands: |product| <= 65025, so runs of 32768 rows sum exactly in int32 */
            for (pb = 0; pb < nblk; pb++) {
                int64_t p0 = pb * 256, pn = opix - p0 < 256 ? opix - p0 : 256, m2;
                for (m2 = g * mg; m2 < (g + 1) * mg; m2++) {
                    double *yr = acc + (n * M + m2) * opix + p0;
                    const int32_t *wr = wsb + m2 * K;
                    int32_t part[256];
                    int64_t kq, p, k0;
                    for (p = 0; p < pn; p++) yr[p] = 0;
                    for (k0 = 0; k0 < K; k0 += 32768) {
                        int64_t k1 = K - k0 < 32768 ? K : k0 + 32768;
                        for (p = 0; p < 256; p++) part[p] = 0;
                        for (kq = k0; kq < k1; kq++) {
                            int32_t wv = wr[kq];
                            const int16_t *cr = col + kq * ostr + p0;
                            if (!wv) continue;
                            for (p = 0; p < 256; p++) part[p] += wv * (int32_t)cr[p];
                        }
                        for (p = 0; p < pn; p++) yr[p] += (double)part[p];
                    }
                }
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_conv_integer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *W = INFER__IN(c, 1);
    int64_t odims[INFER_MAX_RANK], n, i;
    double *acc;
    int32_t *y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if ((X->dtype != INFER_DTYPE_INT8 && X->dtype != INFER_DTYPE_UINT8) || (W->dtype != INFER_DTYPE_INT8 && W->dtype != INFER_DTYPE_UINT8))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x and w must be int8 or uint8");
    st = infer__misc_conv_int(c, X, INFER__IN(c, 2), W, INFER__IN(c, 3), NULL, odims);
    if (st) return st;
    y = (int32_t *)infer__k_output(c, 0, INFER_DTYPE_INT32, X->rank, odims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__count_checked(X->rank, odims);
    acc = (double *)infer__k_scratch(c, (size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    st = infer__misc_conv_int(c, X, INFER__IN(c, 2), W, INFER__IN(c, 3), acc, odims);
    if (st) return st;
    for (i = 0; i < n; i++) y[i] = (int32_t)acc[i];
    return INFER_STATUS_OK;
}

static infer_status infer__k_qlinear_conv(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *XS = INFER__IN(c, 1), *XZ = INFER__IN(c, 2), *W = INFER__IN(c, 3),
                       *WS = INFER__IN(c, 4), *WZ = INFER__IN(c, 5), *YS = INFER__IN(c, 6), *YZ = INFER__IN(c, 7),
                       *B = INFER__IN(c, 8);
    int64_t odims[INFER_MAX_RANK], n, lo, hi, M, opix, nws;
    double *acc;
    int odt;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 3);
    INFER__MISC_NEED(c, 4);
    INFER__MISC_NEED(c, 6);
    odt = YZ ? YZ->dtype : X->dtype;
    if ((X->dtype != INFER_DTYPE_INT8 && X->dtype != INFER_DTYPE_UINT8) || (W->dtype != INFER_DTYPE_INT8 && W->dtype != INFER_DTYPE_UINT8) ||
        (odt != INFER_DTYPE_INT8 && odt != INFER_DTYPE_UINT8) || !infer__misc_qrange(odt, &lo, &hi))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "x, w and y must be int8 or uint8");
    st = infer__misc_conv_int(c, X, XZ, W, WZ, NULL, odims);
    if (st) return st;
    M = odims[1];
    nws = infer__numel(WS);
    if ((nws != 1 && nws != M) || infer__numel(XS) != 1 || infer__numel(YS) != 1 || (YZ && infer__numel(YZ) != 1) ||
        (B && infer__numel(B) != M))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bad scale, zero point or bias shape");
    if (!infer__k_output(c, 0, odt, X->rank, odims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__count_checked(X->rank, odims);
    acc = (double *)infer__k_scratch(c, (size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    st = infer__misc_conv_int(c, X, XZ, W, WZ, acc, odims);
    if (st) return st;
    opix = M && odims[0] ? n / (odims[0] * M) : 0;
    {
        double yz = YZ ? infer__get_f64(YZ, 0) : 0;
        int64_t nm, NM = odims[0] * M;
        int nt = INFER__THREADS(c, n);
        (void)nt;
        INFER__OMP_FOR(nt)
        for (nm = 0; nm < NM; nm++) {
            int64_t m = nm % M, p;
            double mult = infer__misc_round_to(infer__misc_round_to(infer__get_f64(XS, 0) * infer__get_f64(WS, nws == 1 ? 0 : m), XS->dtype) /
                                                   infer__get_f64(YS, 0), XS->dtype);
            double bias = B ? infer__get_f64(B, m) : 0;
            for (p = 0; p < opix; p++) {
                int64_t q = infer__misc_rint_clip((acc[nm * opix + p] + bias) * mult + yz, lo, hi);
                if (odt == INFER_DTYPE_UINT8) ((uint8_t *)Y->data)[nm * opix + p] = (uint8_t)q;
                else ((int8_t *)Y->data)[nm * opix + p] = (int8_t)q;
            }
        }
    }
    return INFER_STATUS_OK;
}

/* ---- NonMaxSuppression ----------------------------------------------------------------------- */
/* Box b as (xmin, ymin, xmax, ymax). */
static void infer__misc_box(const infer_tensor *B, int64_t off, int cpb, double *o) {
    double a = infer__get_f64(B, off), b = infer__get_f64(B, off + 1), d = infer__get_f64(B, off + 2),
           e = infer__get_f64(B, off + 3);
    if (cpb) {
        o[0] = a - d / 2; o[2] = a + d / 2; o[1] = b - e / 2; o[3] = b + e / 2;
    } else {
        o[1] = a < d ? a : d; o[3] = a < d ? d : a; o[0] = b < e ? b : e; o[2] = b < e ? e : b;
    }
}

static int infer__misc_iou_over(const double *p, const double *q, double thr) {
    double x0 = p[0] > q[0] ? p[0] : q[0], x1 = p[2] < q[2] ? p[2] : q[2];
    double y0 = p[1] > q[1] ? p[1] : q[1], y1 = p[3] < q[3] ? p[3] : q[3], inter, a1, a2, uni;
    if (x1 <= x0 || y1 <= y0) return 0;
    inter = (x1 - x0) * (y1 - y0);
    a1 = (p[2] - p[0]) * (p[3] - p[1]);
    a2 = (q[2] - q[0]) * (q[3] - q[1]);
    uni = a1 + a2 - inter;
    if (inter <= 0 || a1 <= 0 || a2 <= 0 || uni <= 0) return 0;
    return inter / uni > thr;
}

static infer_status infer__k_nms(infer__kctx *c) {
    const infer_tensor *B = INFER__IN(c, 0), *S = INFER__IN(c, 1), *MO = INFER__IN(c, 2), *IT = INFER__IN(c, 3),
                       *ST = INFER__IN(c, 4);
    int cpb = (int)infer__k_attr_i(c, "center_point_box", 0);
    int64_t nb, nc, ns, maxo = 0, b, k, cnt = 0, dims[2];
    double iou = IT && infer__numel(IT) ? infer__get_f64(IT, 0) : 0, sth = ST && infer__numel(ST) ? infer__get_f64(ST, 0) : 0;
    int has_st = ST && infer__numel(ST) > 0;
    int64_t *sel, *ord, *y;
    double *boxes, *sc;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(B->dtype) || !infer__is_float(S->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "boxes and scores must be float");
    if (B->rank != 3 || B->dims[2] != 4 || S->rank != 3 || S->dims[0] != B->dims[0] || S->dims[2] != B->dims[1])
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "boxes must be [B, S, 4] and scores [B, C, S]");
    nb = B->dims[0]; nc = S->dims[1]; ns = B->dims[1];
    if (MO && infer__numel(MO)) maxo = infer__get_i64(MO, 0);
    if (maxo < 0) maxo = 0;
    if (maxo > ns) maxo = ns;
    sel = (int64_t *)infer__k_scratch(c, (size_t)(nb * nc * (maxo ? maxo : 1)) * 3 * sizeof(int64_t) + 8);
    ord = (int64_t *)infer__k_scratch(c, (size_t)(ns ? ns : 1) * sizeof(int64_t));
    boxes = (double *)infer__k_scratch(c, (size_t)(ns ? ns : 1) * 4 * sizeof(double));
    sc = (double *)infer__k_scratch(c, (size_t)(ns ? ns : 1) * sizeof(double));
    if (!sel || !ord || !boxes || !sc) return INFER_STATUS_OUT_OF_MEMORY;
    for (b = 0; b < nb && maxo > 0; b++) {
        for (k = 0; k < ns; k++) infer__misc_box(B, (b * ns + k) * 4, cpb, boxes + 4 * k);
        for (k = 0; k < nc; k++) {
            int64_t nk = 0, i, j, nsel = 0, first = cnt;
            for (i = 0; i < ns; i++) {
                double v = infer__get_f64(S, (b * nc + k) * ns + i);
                sc[i] = v;
                if (!has_st || v > sth) ord[nk++] = i;
            }
            /* stable insertion sort by descending score (ties: lower index first) */
            for (i = 1; i < nk; i++) {
                int64_t t = ord[i];
                j = i;
                while (j > 0 && sc[ord[j - 1]] < sc[t]) { ord[j] = ord[j - 1]; j--; }
                ord[j] = t;
            }
            for (i = 0; i < nk && nsel < maxo; i++) {
                int64_t q, keep = 1;
                for (q = first; q < cnt; q++)
                    if (infer__misc_iou_over(boxes + 4 * ord[i], boxes + 4 * sel[3 * q + 2], iou)) { keep = 0; break; }
                if (!keep) continue;
                sel[3 * cnt] = b; sel[3 * cnt + 1] = k; sel[3 * cnt + 2] = ord[i];
                cnt++; nsel++;
            }
        }
    }
    dims[0] = cnt; dims[1] = 3;
    y = (int64_t *)infer__k_output(c, 0, INFER_DTYPE_INT64, 2, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    for (k = 0; k < 3 * cnt; k++) y[k] = sel[k];
    return INFER_STATUS_OK;
}

/* ---- RoiAlign ------------------------------------------------------------------------------- */
static infer_status infer__k_roialign(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *R = INFER__IN(c, 1), *BI = INFER__IN(c, 2);
    const char *ctm = infer__k_attr_s(c, "coordinate_transformation_mode", c->node->opset >= 16 ? "half_pixel" : "output_half_pixel");
    const char *mode = infer__k_attr_s(c, "mode", "avg");
    int64_t oh = infer__k_attr_i(c, "output_height", 1), ow = infer__k_attr_i(c, "output_width", 1);
    int64_t sr = infer__k_attr_i(c, "sampling_ratio", 0), nr, C, H, W, r, dims[4];
    double scale = infer__k_attr_f(c, "spatial_scale", 1.0f), off;
    int half = strcmp(ctm, "half_pixel") == 0, mx = strcmp(mode, "max") == 0;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 2);
    if (!infer__is_float(X->dtype) || !infer__is_float(R->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "X and rois must be float");
    if (X->rank != 4 || R->rank != 2 || R->dims[1] != 4 || BI->rank != 1 || BI->dims[0] != R->dims[0])
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be [N,C,H,W], rois [R,4], batch_indices [R]");
    if (oh < 1 || ow < 1 || oh > ((int64_t)1 << 24) || ow > ((int64_t)1 << 24) || sr < 0 || sr > 4096)
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad output size or sampling_ratio");
    if (!mx && strcmp(mode, "avg") != 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    nr = R->dims[0]; C = X->dims[1]; H = X->dims[2]; W = X->dims[3];
    dims[0] = nr; dims[1] = C; dims[2] = oh; dims[3] = ow;
    if (!infer__k_output(c, 0, X->dtype, 4, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    off = half ? 0.5 : 0.0;
    for (r = 0; r < nr; r++) {
        int64_t bi = infer__get_i64(BI, r), ch, ph, pw, gh, gw;
        double sw = infer__get_f64(R, 4 * r) * scale - off, sh = infer__get_f64(R, 4 * r + 1) * scale - off;
        double ew = infer__get_f64(R, 4 * r + 2) * scale - off, eh = infer__get_f64(R, 4 * r + 3) * scale - off;
        double rw = ew - sw, rh = eh - sh, bw, bh, cnt;
        if (bi < 0 || bi >= X->dims[0]) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "batch index %lld out of range", (long long)bi);
        if (!half) { if (rw < 1) rw = 1; if (rh < 1) rh = 1; }
        bh = rh / (double)oh; bw = rw / (double)ow;
        if (sr <= 0 && !(ceil(rh / (double)oh) <= 4096 && ceil(rw / (double)ow) <= 4096 && ceil(rh / (double)oh) > -1e9 && ceil(rw / (double)ow) > -1e9))
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "roi sampling grid too large");
        gh = sr > 0 ? sr : (int64_t)ceil(rh / (double)oh);
        gw = sr > 0 ? sr : (int64_t)ceil(rw / (double)ow);
        if (gh < 0) gh = 0;
        if (gw < 0) gw = 0;
        cnt = (double)(gh * gw > 1 ? gh * gw : 1);
        for (ch = 0; ch < C; ch++) {
            int64_t base = (bi * C + ch) * H * W;
            for (ph = 0; ph < oh; ph++)
                for (pw = 0; pw < ow; pw++) {
                    double acc = 0;
                    int first = 1;
                    int64_t iy, ix;
                    for (iy = 0; iy < gh; iy++) {
                        double y = sh + (double)ph * bh + ((double)iy + 0.5) * bh / (double)gh;
                        for (ix = 0; ix < gw; ix++) {
                            double x = sw + (double)pw * bw + ((double)ix + 0.5) * bw / (double)gw;
                            double yy = y, xx = x, ly, lx, w1, w2, w3, w4, v1 = 0, v2 = 0, v3 = 0, v4 = 0;
                            int64_t yl, xl, yh, xh;
                            if (!(yy >= -1.0 && yy <= (double)H && xx >= -1.0 && xx <= (double)W) || H == 0 || W == 0) {
                                w1 = w2 = w3 = w4 = 0;
                            } else {
                                if (yy <= 0) yy = 0;
                                if (xx <= 0) xx = 0;
                                yl = (int64_t)yy; xl = (int64_t)xx;
                                if (yl >= H - 1) { yh = yl = H - 1; yy = (double)yl; } else yh = yl + 1;
                                if (xl >= W - 1) { xh = xl = W - 1; xx = (double)xl; } else xh = xl + 1;
                                ly = yy - (double)yl; lx = xx - (double)xl;
                                w1 = (1 - ly) * (1 - lx); w2 = (1 - ly) * lx; w3 = ly * (1 - lx); w4 = ly * lx;
                                v1 = infer__get_f64(X, base + yl * W + xl); v2 = infer__get_f64(X, base + yl * W + xh);
                                v3 = infer__get_f64(X, base + yh * W + xl); v4 = infer__get_f64(X, base + yh * W + xh);
                            }
                            if (mx) {
                                double m = w1 * v1;
                                if (w2 * v2 > m) m = w2 * v2;
                                if (w3 * v3 > m) m = w3 * v3;
                                if (w4 * v4 > m) m = w4 * v4;
                                if (first || m > acc) acc = m;
                                first = 0;
                            } else {
                                acc += w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4;
                            }
                        }
                    }
                    infer__set_f64(Y, ((r * C + ch) * oh + ph) * ow + pw, mx ? acc : acc / cnt);
                }
        }
    }
    return INFER_STATUS_OK;
}

/* ---- GridSample / AffineGrid ----------------------------------------------------------------- */
static double infer__misc_reflect(double x, double lo, double hi) {
    double rng = hi - lo, dx, r, n;
    if (!(rng > 0) || x != x) return lo;
    if (x < lo) {
        dx = lo - x;
        n = floor(dx / rng);
        r = dx - n * rng;
        return fmod(n, 2.0) == 0 ? lo + r : hi - r;
    }
    if (x > hi) {
        dx = x - hi;
        n = floor(dx / rng);
        r = dx - n * rng;
        return fmod(n, 2.0) == 0 ? hi - r : lo + r;
    }
    return x;
}

static void infer__misc_cubic_coeffs(double x, double *cf) {
    const double A = -0.75;
    x = fabs(x);
    cf[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
    cf[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
    cf[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
    cf[3] = ((A * (2 - x) - 5 * A) * (2 - x) + 8 * A) * (2 - x) - 4 * A;
}

static infer_status infer__k_grid_sample(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *G = INFER__IN(c, 1);
    const char *mode = infer__k_attr_s(c, "mode", c->node->opset >= 20 ? "linear" : "bilinear");
    const char *pad = infer__k_attr_s(c, "padding_mode", "zeros");
    int ac = (int)infer__k_attr_i(c, "align_corners", 0), nd, i, m, pm;
    int64_t dims[INFER_MAX_RANK], N, C, P, n, ch, p, sp = 1;
    double lo[INFER_MAX_RANK], hi[INFER_MAX_RANK];
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype) || !infer__is_float(G->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "X and grid must be float");
    nd = X->rank - 2;
    if (nd < 1 || G->rank != X->rank || G->dims[0] != X->dims[0] || G->dims[G->rank - 1] != nd)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X rank %d does not match grid rank %d", X->rank, G->rank);
    if (strcmp(mode, "bilinear") == 0 || strcmp(mode, "linear") == 0) m = 1;
    else if (strcmp(mode, "nearest") == 0) m = 0;
    else if (strcmp(mode, "bicubic") == 0 || strcmp(mode, "cubic") == 0) m = 3;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    if (strcmp(pad, "zeros") == 0) pm = 0;
    else if (strcmp(pad, "border") == 0) pm = 1;
    else if (strcmp(pad, "reflection") == 0) pm = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown padding_mode '%s'", pad);
    if (m == 3 && nd > 4) return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "cubic mode supports at most 4 spatial dims");
    N = X->dims[0]; C = X->dims[1];
    dims[0] = N; dims[1] = C;
    P = 1;
    for (i = 0; i < nd; i++) { dims[2 + i] = G->dims[1 + i]; P *= G->dims[1 + i]; sp *= X->dims[2 + i]; }
    if (!infer__k_output(c, 0, X->dtype, X->rank, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (i = 0; i < nd; i++) {
        double d = (double)X->dims[2 + i];
        lo[i] = ac ? 0.0 : -0.5;
        hi[i] = ac ? d - 1.0 : d - 0.5;
    }
    for (n = 0; n < N; n++)
        for (p = 0; p < P; p++) {
            double x[INFER_MAX_RANK], wts[INFER_MAX_RANK][4];
            int64_t idx[INFER_MAX_RANK][4];
            int taps = m == 0 ? 1 : m == 1 ? 2 : 4, ok[INFER_MAX_RANK][4];
            int64_t ncomb = 1, q;
            for (i = 0; i < nd; i++) {
                /* grid's last axis is (x, y, z...) = reversed spatial order */
                double g = infer__get_f64(G, (n * P + p) * nd + (nd - 1 - i)), d = (double)X->dims[2 + i], v;
                v = ac ? (g + 1) / 2.0 * (d - 1) : ((g + 1) * d - 1) / 2.0;
                v = (double)(float)v;
                /* NaN or far outside: keep it out of range but finite (indices stay representable) */
                if (v != v) v = -4.0 * d - 1e6;
                if (v < -4.0 * d - 1e6) v = -4.0 * d - 1e6;
                if (v > 4.0 * d + 1e6) v = 4.0 * d + 1e6;
                if (m == 0) v = rint(v);
                if (v < lo[i] || v > hi[i]) {
                    if (pm == 1) v = v < 0 ? 0 : v > d - 1 ? d - 1 : v;
                    else if (pm == 2) v = infer__misc_reflect(v, lo[i], hi[i]);
                }
                x[i] = v;
            }
            for (i = 0; i < nd; i++) {
                int t;
                int64_t d = X->dims[2 + i], b;
                if (m == 0) {
                    idx[i][0] = (int64_t)x[i];
                    wts[i][0] = 1;
                } else {
                    double f = floor(x[i]);
                    b = (int64_t)f - (m == 3 ? 1 : 0);
                    if (m == 1) { wts[i][0] = 1 - (x[i] - f); wts[i][1] = x[i] - f; }
                    else infer__misc_cubic_coeffs(x[i] - f, wts[i]);
                    for (t = 0; t < taps; t++) idx[i][t] = b + t;
                }
                for (t = 0; t < taps; t++) {
                    int64_t j = idx[i][t];
                    ok[i][t] = 1;
                    if (pm == 0) ok[i][t] = j >= 0 && j < d;
                    else if (pm == 1) j = j < 0 ? 0 : j >= d ? d - 1 : j;
                    else {
                        j = (int64_t)infer__misc_reflect((double)j, lo[i], hi[i]);
                        if (j < 0) j = 0;
                        if (j >= d) j = d - 1;
                    }
                    if (d == 0) ok[i][t] = 0;
                    idx[i][t] = j;
                }
                ncomb *= taps;
            }
            for (ch = 0; ch < C; ch++) {
                double acc = 0;
                for (q = 0; q < ncomb; q++) {
                    int64_t rem = q, off = 0;
                    double w = 1;
                    int good = 1;
                    for (i = nd - 1; i >= 0; i--) {
                        int t = (int)(rem % taps);
                        rem /= taps;
                        if (!ok[i][t]) { good = 0; break; }
                        w *= wts[i][t];
                    }
                    if (!good) continue;
                    rem = q;
                    {
                        int64_t mul = 1;
                        for (i = nd - 1; i >= 0; i--) {
                            int t = (int)(rem % taps);
                            rem /= taps;
                            off += idx[i][t] * mul;
                            mul *= X->dims[2 + i];
                        }
                    }
                    acc += w * infer__get_f64(X, (n * C + ch) * sp + off);
                }
                infer__set_f64(Y, (n * C + ch) * P + p, acc);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_affine_grid(infer__kctx *c) {
    const infer_tensor *T = INFER__IN(c, 0), *S = INFER__IN(c, 1);
    int ac = (int)infer__k_attr_i(c, "align_corners", 0), nd, i;
    int64_t sz[5], dims[5], N, P = 1, n, p;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(T->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "theta must be float");
    i = infer__tensor_ints(S, sz, 5);
    if (i != 4 && i != 5) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "size must have 4 or 5 elements");
    nd = i - 2;
    if (T->rank != 3 || T->dims[0] != sz[0] || T->dims[1] != nd || T->dims[2] != nd + 1)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "theta must be [N, %d, %d]", nd, nd + 1);
    N = sz[0];
    dims[0] = N;
    for (i = 0; i < nd; i++) {
        if (sz[2 + i] < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "negative size");
        dims[1 + i] = sz[2 + i];
    }
    dims[1 + nd] = nd;
    if (infer__count_checked(nd + 2, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "grid too large");
    for (i = 0; i < nd; i++) P *= sz[2 + i];
    if (!infer__k_output(c, 0, T->dtype, nd + 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (n = 0; n < N; n++)
        for (p = 0; p < P; p++) {
            double base[4];
            int64_t rem = p;
            int r, k;
            /* spatial index i (0 = outermost) gives coordinate nd-1-i of (x, y, z) */
            for (i = nd - 1; i >= 0; i--) {
                int64_t L = sz[2 + i], j = rem % L;
                rem /= L;
                base[nd - 1 - i] = ac ? (L > 1 ? -1.0 + 2.0 * (double)j / (double)(L - 1) : -1.0)
                                      : -1.0 + (2.0 * (double)j + 1.0) / (double)L;
            }
            base[nd] = 1.0;
            for (r = 0; r < nd; r++) {
                double s = 0;
                for (k = 0; k <= nd; k++) s += infer__get_f64(T, (n * nd + r) * (nd + 1) + k) * base[k];
                infer__set_f64(Y, (n * P + p) * nd + r, s);
            }
        }
    return INFER_STATUS_OK;
}

/* ---- Col2Im ---------------------------------------------------------------------------------- */
static infer_status infer__k_col2im(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *IS = INFER__IN(c, 1), *BS = INFER__IN(c, 2);
    int64_t img[INFER_MAX_RANK], blk[INFER_MAX_RANK], dil[INFER_MAX_RANK], str[INFER_MAX_RANK], pads[2 * INFER_MAX_RANK];
    int64_t nbl[INFER_MAX_RANK], dims[INFER_MAX_RANK + 2], N, C, kp = 1, L = 1, ip = 1, n, ch, k, l;
    const int64_t *v;
    int nd, i, cnt;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    INFER__MISC_NEED(c, 2);
    nd = infer__tensor_ints(IS, img, INFER_MAX_RANK - 2);
    if (nd < 1 || infer__tensor_ints(BS, blk, INFER_MAX_RANK - 2) != nd)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "image_shape and block_shape must have the same length");
    for (i = 0; i < nd; i++) { dil[i] = 1; str[i] = 1; pads[i] = pads[nd + i] = 0; }
    cnt = infer__k_attr_ints(c, "dilations", &v);
    if (cnt >= 0 && cnt != nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "dilations length");
    for (i = 0; i < cnt; i++) dil[i] = v[i];
    cnt = infer__k_attr_ints(c, "strides", &v);
    if (cnt >= 0 && cnt != nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "strides length");
    for (i = 0; i < cnt; i++) str[i] = v[i];
    cnt = infer__k_attr_ints(c, "pads", &v);
    if (cnt >= 0 && cnt != 2 * nd) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "pads length");
    for (i = 0; i < cnt; i++) pads[i] = v[i];
    for (i = 0; i < nd; i++) {
        int64_t eff;
        if (img[i] < 0 || img[i] > ((int64_t)1 << 31) || blk[i] < 1 || blk[i] > ((int64_t)1 << 31) || dil[i] < 1 ||
            dil[i] > ((int64_t)1 << 31) || str[i] < 1 || str[i] > ((int64_t)1 << 31) || pads[i] < 0 || pads[nd + i] < 0 ||
            pads[i] > ((int64_t)1 << 31) || pads[nd + i] > ((int64_t)1 << 31))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad shapes or attributes");
        eff = dil[i] * (blk[i] - 1) + 1;
        nbl[i] = img[i] + pads[i] + pads[nd + i] - eff;
        nbl[i] = nbl[i] < 0 ? 0 : nbl[i] / str[i] + 1;
        if (kp > ((int64_t)1 << 40) / blk[i] || (nbl[i] && L > ((int64_t)1 << 40) / nbl[i]) || (img[i] && ip > ((int64_t)1 << 40) / img[i]))
            return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "sizes too large");
        kp *= blk[i]; L *= nbl[i]; ip *= img[i];
    }
    if (X->rank != 3 || kp == 0 || X->dims[1] % kp || X->dims[2] != L)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [N, C*%lld, %lld]", (long long)kp, (long long)L);
    N = X->dims[0]; C = X->dims[1] / kp;
    dims[0] = N; dims[1] = C;
    for (i = 0; i < nd; i++) dims[2 + i] = img[i];
    if (infer__count_checked(nd + 2, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if (!infer__k_output(c, 0, X->dtype, nd + 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (k = 0; k < N * C * ip; k++) infer__set_f64(Y, k, 0);
    for (n = 0; n < N; n++)
        for (ch = 0; ch < C; ch++)
            for (k = 0; k < kp; k++)
                for (l = 0; l < L; l++) {
                    int64_t kr = k, lr = l, off = 0, mul = 1, ok = 1, o;
                    for (i = nd - 1; i >= 0; i--) {
                        int64_t kd = kr % blk[i], ld = lr % nbl[i], pos;
                        kr /= blk[i]; lr /= nbl[i];
                        pos = ld * str[i] + kd * dil[i] - pads[i];
                        if (pos < 0 || pos >= img[i]) { ok = 0; break; }
                        off += pos * mul;
                        mul *= img[i];
                    }
                    if (!ok) continue;
                    o = (n * C + ch) * ip + off;
                    infer__set_f64(Y, o, infer__get_f64(Y, o) + infer__get_f64(X, ((n * C + ch) * kp + k) * L + l));
                }
    return INFER_STATUS_OK;
}

/* ---- CenterCropPad --------------------------------------------------------------------------- */
static infer_status infer__k_center_crop_pad(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *S = INFER__IN(c, 1);
    int64_t sh[INFER_MAX_RANK], dims[INFER_MAX_RANK], src0[INFER_MAX_RANK], dst0[INFER_MAX_RANK], len[INFER_MAX_RANK];
    const int64_t *axv;
    int nax, ns, i, r;
    int64_t n, k;
    size_t es;
    int seen[INFER_MAX_RANK];
    char *y;
    const char *x;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    r = X->rank;
    es = infer__dtype_size(X->dtype);
    ns = infer__tensor_ints(S, sh, INFER_MAX_RANK);
    nax = infer__k_attr_ints(c, "axes", &axv);
    if (ns < 0 || (nax < 0 && ns != r) || (nax >= 0 && nax != ns) || es == 0)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "shape has %d values for rank %d", ns, r);
    for (i = 0; i < r; i++) { dims[i] = X->dims[i]; seen[i] = 0; }
    for (i = 0; i < ns; i++) {
        int a = nax < 0 ? i : infer__axis(axv[i], r);
        if (a < 0 || seen[a]) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad or repeated axis");
        seen[a] = 1;
        if (sh[i] < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "negative target size");
        dims[a] = sh[i];
    }
    for (i = 0; i < r; i++) {
        if (dims[i] <= X->dims[i]) { src0[i] = (X->dims[i] - dims[i]) / 2; dst0[i] = 0; len[i] = dims[i]; }
        else { src0[i] = 0; dst0[i] = (dims[i] - X->dims[i]) / 2; len[i] = X->dims[i]; }
    }
    if (infer__count_checked(r, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = (char *)infer__k_output(c, 0, X->dtype, r, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    x = (const char *)X->data;
    n = infer__numel(c->out[0]);
    if (X->dtype == INFER_DTYPE_STRING)
        for (k = 0; k < n; k++) ((const char **)(void *)y)[k] = "";
    else
        memset(y, 0, (size_t)n * es);
    n = infer__count_checked(r, len);
    for (k = 0; k < n; k++) {
        int64_t rem = k, so = 0, dof = 0, sm = 1, dm = 1;
        for (i = r - 1; i >= 0; i--) {
            int64_t j = rem % len[i];
            rem /= len[i];
            so += (src0[i] + j) * sm;
            dof += (dst0[i] + j) * dm;
            sm *= X->dims[i];
            dm *= dims[i];
        }
        memcpy(y + (size_t)dof * es, x + (size_t)so * es, es);
    }
    return INFER_STATUS_OK;
}

/* ---- DFT / STFT / windows / MelWeightMatrix ------------------------------------------------- */
#define INFER__MISC_PI 3.14159265358979323846
#define INFER__MISC_MAX_WORK 1.7e10 /* bound on multiply-adds of the direct DFT (no hang on hostile sizes) */

/* DFT of length L of the complex sequence (re, im) (n_in values, zero padded / truncated to L),
   writing bins [0, nout) into (ore, oim); inverse: +sign and 1/L. */
static void infer__misc_dft1(const double *re, const double *im, int64_t n_in, int64_t L, int64_t nout, int inv,
                             const double *cs, const double *sn, double *ore, double *oim) {
    int64_t k, n, m = n_in < L ? n_in : L;
    for (k = 0; k < nout; k++) {
        double sr = 0, si = 0;
        int64_t idx = 0;
        for (n = 0; n < m; n++) {
            double c = cs[idx], s = inv ? sn[idx] : -sn[idx];
            sr += re[n] * c - im[n] * s;
            si += re[n] * s + im[n] * c;
            idx += k;
            if (idx >= L) idx %= L;
        }
        if (inv) { sr /= (double)L; si /= (double)L; }
        ore[k] = sr;
        oim[k] = si;
    }
}

static infer_status infer__misc_twiddles(infer__kctx *c, int64_t L, double **cs, double **sn) {
    int64_t k;
    *cs = (double *)infer__k_scratch(c, (size_t)(L > 0 ? L : 1) * sizeof(double));
    *sn = (double *)infer__k_scratch(c, (size_t)(L > 0 ? L : 1) * sizeof(double));
    if (!*cs || !*sn) return INFER_STATUS_OUT_OF_MEMORY;
    for (k = 0; k < L; k++) {
        double a = 2.0 * INFER__MISC_PI * (double)k / (double)L;
        (*cs)[k] = cos(a);
        (*sn)[k] = sin(a);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_dft(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *DL = INFER__IN(c, 1), *AX = c->node->opset >= 20 ? INFER__IN(c, 2) : NULL;
    int inv = (int)infer__k_attr_i(c, "inverse", 0), one = (int)infer__k_attr_i(c, "onesided", 0), r, ax, i, cplx, irfft;
    int64_t axis = c->node->opset >= 20 ? -2 : infer__k_attr_i(c, "axis", 1), L, nin, nout, outer = 1, inner = 1, o, q;
    int64_t dims[INFER_MAX_RANK];
    double *cs, *sn, *bre, *bim, *ore, *oim;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be float");
    r = X->rank;
    if (r < 2 || (X->dims[r - 1] != 1 && X->dims[r - 1] != 2))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must have a last dimension of 1 or 2");
    cplx = X->dims[r - 1] == 2;
    if (AX && infer__numel(AX) == 1) axis = infer__get_i64(AX, 0);
    if (c->node->opset >= 20 && axis < 0) axis += r;
    if (axis < 0 || axis > r - 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "axis %lld out of range", (long long)axis);
    ax = (int)axis;
    nin = X->dims[ax];
    irfft = inv && one; /* inverse of a one-sided spectrum: a real signal of dft_length samples */
    L = DL && infer__numel(DL) == 1 ? infer__get_i64(DL, 0) : irfft ? 2 * (nin - 1) : nin;
    if (L < 1 || L > ((int64_t)1 << 24)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad dft_length %lld", (long long)L);
    nout = irfft ? L : one ? L / 2 + 1 : L;
    for (i = 0; i < r; i++) dims[i] = X->dims[i];
    dims[ax] = nout;
    dims[r - 1] = irfft ? 1 : 2;
    for (i = 0; i < ax; i++) outer *= X->dims[i];
    for (i = ax + 1; i < r - 1; i++) inner *= X->dims[i];
    if (infer__count_checked(r, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if ((double)outer * (double)inner * (double)nout * (double)(irfft ? L : nin < L ? nin : L) > INFER__MISC_MAX_WORK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "DFT too costly for the direct method");
    if (!infer__k_output(c, 0, X->dtype, r, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    st = infer__misc_twiddles(c, L, &cs, &sn);
    if (st) return st;
    bre = (double *)infer__k_scratch(c, (size_t)(nin + L + 1) * sizeof(double));
    bim = (double *)infer__k_scratch(c, (size_t)(nin + L + 1) * sizeof(double));
    ore = (double *)infer__k_scratch(c, (size_t)(L + 1) * sizeof(double));
    oim = (double *)infer__k_scratch(c, (size_t)(L + 1) * sizeof(double));
    if (!bre || !bim || !ore || !oim) return INFER_STATUS_OUT_OF_MEMORY;
    for (o = 0; o < outer; o++)
        for (q = 0; q < inner; q++) {
            int64_t n;
            for (n = 0; n < nin; n++) {
                int64_t e = ((o * nin + n) * inner + q) * (cplx ? 2 : 1);
                bre[n] = infer__get_f64(X, e);
                bim[n] = cplx ? infer__get_f64(X, e + 1) : 0;
            }
            if (irfft) { /* Hermitian extension of the half spectrum */
                for (n = L - 1; n >= 0; n--) {
                    int64_t k = n <= L / 2 ? n : L - n;
                    double vr = k < nin ? bre[k] : 0, vi = k < nin ? bim[k] : 0;
                    bre[n] = vr;
                    bim[n] = n <= L / 2 ? vi : -vi;
                }
                infer__misc_dft1(bre, bim, L, L, L, 1, cs, sn, ore, oim);
                for (n = 0; n < L; n++) infer__set_f64(Y, (o * L + n) * inner + q, ore[n]);
                continue;
            }
            infer__misc_dft1(bre, bim, nin, L, nout, inv, cs, sn, ore, oim);
            for (n = 0; n < nout; n++) {
                int64_t e = ((o * nout + n) * inner + q) * 2;
                infer__set_f64(Y, e, ore[n]);
                infer__set_f64(Y, e + 1, oim[n]);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_stft(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *FS = INFER__IN(c, 1), *WN = INFER__IN(c, 2), *FL = INFER__IN(c, 3);
    int one = (int)infer__k_attr_i(c, "onesided", 1), cplx;
    int64_t B, S, step, flen, nf, nbins, dims[4], b, f, n;
    double *cs, *sn, *bre, *bim, *ore, *oim;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "signal must be float");
    if (X->rank != 3 || (X->dims[2] != 1 && X->dims[2] != 2))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "signal must be [batch, length, 1 or 2]");
    cplx = X->dims[2] == 2;
    B = X->dims[0]; S = X->dims[1];
    step = infer__numel(FS) == 1 ? infer__get_i64(FS, 0) : 0;
    if (WN && WN->rank != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "window must be 1-D");
    flen = FL && infer__numel(FL) == 1 ? infer__get_i64(FL, 0) : WN ? WN->dims[0] : 0;
    if (WN && WN->dims[0] != flen) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "window length differs from frame_length");
    if (step < 1 || flen < 1 || flen > S || flen > ((int64_t)1 << 24))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad frame_step %lld or frame_length %lld", (long long)step, (long long)flen);
    nf = (S - flen) / step + 1;
    nbins = one ? flen / 2 + 1 : flen;
    dims[0] = B; dims[1] = nf; dims[2] = nbins; dims[3] = 2;
    if ((double)B * (double)nf * (double)nbins * (double)flen > INFER__MISC_MAX_WORK)
        return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "STFT too costly for the direct method");
    if (!infer__k_output(c, 0, X->dtype, 4, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    st = infer__misc_twiddles(c, flen, &cs, &sn);
    if (st) return st;
    bre = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    bim = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    ore = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    oim = (double *)infer__k_scratch(c, (size_t)flen * sizeof(double));
    if (!bre || !bim || !ore || !oim) return INFER_STATUS_OUT_OF_MEMORY;
    for (b = 0; b < B; b++)
        for (f = 0; f < nf; f++) {
            for (n = 0; n < flen; n++) {
                int64_t e = (b * S + f * step + n) * (cplx ? 2 : 1);
                double w = WN ? infer__get_f64(WN, n) : 1;
                bre[n] = infer__get_f64(X, e) * w;
                bim[n] = cplx ? infer__get_f64(X, e + 1) * w : 0;
            }
            infer__misc_dft1(bre, bim, flen, flen, nbins, 0, cs, sn, ore, oim);
            for (n = 0; n < nbins; n++) {
                int64_t e = ((b * nf + f) * nbins + n) * 2;
                infer__set_f64(Y, e, ore[n]);
                infer__set_f64(Y, e + 1, oim[n]);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__misc_window(infer__kctx *c, int kind) {
    const infer_tensor *S = INFER__IN(c, 0);
    int per = (int)infer__k_attr_i(c, "periodic", 1), odt = (int)infer__k_attr_i(c, "output_datatype", INFER_DTYPE_FLOAT);
    int64_t n, i;
    double D;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (infer__numel(S) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "size must be a scalar");
    n = infer__get_i64(S, 0);
    if (n < 0 || n > ((int64_t)1 << 28)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad window size %lld", (long long)n);
    if (!infer__dtype_size(odt) || odt == INFER_DTYPE_STRING || infer__ew_is_small(odt) || odt == INFER_DTYPE_COMPLEX64 || odt == INFER_DTYPE_COMPLEX128)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported output_datatype %d", odt);
    if (!infer__k_output(c, 0, odt, 1, &n)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    D = per ? (double)n : (double)(n - 1);
    for (i = 0; i < n; i++) {
        double a = 2.0 * INFER__MISC_PI * (double)i / D, v;
        if (kind == 0) v = 0.5 - 0.5 * cos(a);
        else if (kind == 1) v = 25.0 / 46.0 - (1.0 - 25.0 / 46.0) * cos(a);
        else v = 0.42 - 0.5 * cos(a) + 0.08 * cos(2 * a);
        infer__set_f64(Y, i, v);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_hann_window(infer__kctx *c) { return infer__misc_window(c, 0); }
static infer_status infer__k_hamming_window(infer__kctx *c) { return infer__misc_window(c, 1); }
static infer_status infer__k_blackman_window(infer__kctx *c) { return infer__misc_window(c, 2); }

static infer_status infer__k_mel_weight_matrix(infer__kctx *c) {
    int odt = (int)infer__k_attr_i(c, "output_datatype", INFER_DTYPE_FLOAT), i;
    int64_t nmel, dftl, nspec, dims[2], *fb, j;
    double sr, lo, hi, lmel, hmel, step;
    infer_tensor *Y;
    for (i = 0; i < 5; i++) {
        INFER__MISC_NEED(c, i);
        if (infer__numel(c->in[i]) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input %d must be a scalar", i);
    }
    nmel = infer__get_i64(c->in[0], 0);
    dftl = infer__get_i64(c->in[1], 0);
    sr = infer__get_f64(c->in[2], 0);
    lo = infer__get_f64(c->in[3], 0);
    hi = infer__get_f64(c->in[4], 0);
    if (nmel < 0 || nmel > (1 << 20) || dftl < 0 || dftl > (1 << 28) || !(sr > 0))
        return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "bad num_mel_bins, dft_length or sample_rate");
    if (!infer__is_float(odt) && !(infer__dtype_size(odt) && odt != INFER_DTYPE_STRING && !infer__ew_is_small(odt) &&
                                   odt != INFER_DTYPE_COMPLEX64 && odt != INFER_DTYPE_COMPLEX128))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported output_datatype %d", odt);
    nspec = dftl / 2 + 1;
    dims[0] = nspec; dims[1] = nmel;
    if (nspec * nmel > ((int64_t)1 << 28)) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if (!infer__k_output(c, 0, odt, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    for (j = 0; j < nspec * nmel; j++) infer__set_f64(Y, j, 0);
    fb = (int64_t *)infer__k_scratch(c, (size_t)(nmel + 2) * sizeof(int64_t));
    if (!fb) return INFER_STATUS_OUT_OF_MEMORY;
    lmel = 2595.0 * log10(1.0 + lo / 700.0);
    hmel = 2595.0 * log10(1.0 + hi / 700.0);
    step = (hmel - lmel) / (double)(nmel + 2);
    for (j = 0; j < nmel + 2; j++) {
        double f = 700.0 * (pow(10.0, ((double)j * step + lmel) / 2595.0) - 1.0);
        f = floor((double)(dftl + 1) * f / sr);
        fb[j] = f != f ? 0 : f < -1e15 ? -1000000000000000LL : f > 1e15 ? 1000000000000000LL : (int64_t)f;
    }
    for (i = 0; i < nmel; i++) {
        int64_t l = fb[i], ce = fb[i + 1], h = fb[i + 2];
        if (ce - l == 0) {
            if (ce >= 0 && ce < nspec) infer__set_f64(Y, ce * nmel + i, 1);
        } else {
            for (j = l < 0 ? 0 : l; j <= ce && j < nspec; j++)
                infer__set_f64(Y, j * nmel + i, (double)(j - l) / (double)(ce - l));
        }
        if (h - ce > 0)
            for (j = ce < 0 ? 0 : ce; j < h && j < nspec; j++)
                infer__set_f64(Y, j * nmel + i, (double)(h - j) / (double)(h - ce));
    }
    return INFER_STATUS_OK;
}

/* ---- Strings -------------------------------------------------------------------------------- */
static char *infer__misc_strdup(infer__kctx *c, const char *src, size_t len) {
    char *p = infer__k_string_alloc(c, len);
    if (!p) return NULL;
    if (len) memcpy(p, src, len);
    p[len] = 0;
    return p;
}

static int infer__misc_streq_nocase(const char *a, const char *b) {
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return 0;
        if (!x) return 1;
    }
}

static const char *infer__misc_str(const infer_tensor *t, int64_t i) {
    const char *s = ((char *const *)t->data)[i];
    return s ? s : "";
}

static infer_status infer__k_string_normalizer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *act = infer__k_attr_s(c, "case_change_action", "NONE");
    int cs = (int)infer__k_attr_i(c, "is_case_sensitive", 0), mode, two;
    const infer__attr *sw = infer__attr_find(c->node, "stopwords");
    int nsw = sw && sw->type == INFER__ATTR_STRINGS ? sw->n : 0;
    int64_t n, i, k, cnt = 0, dims[2];
    int64_t *keep;
    char **y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be strings");
    two = X->rank == 2;
    if (!(X->rank == 1 || (two && X->dims[0] == 1)))
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [C] or [1, C]");
    if (strcmp(act, "NONE") == 0) mode = 0;
    else if (strcmp(act, "LOWER") == 0) mode = 1;
    else if (strcmp(act, "UPPER") == 0) mode = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown case_change_action '%s'", act);
    n = infer__numel(X);
    keep = (int64_t *)infer__k_scratch(c, (size_t)(n + 1) * sizeof(int64_t));
    if (!keep) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        const char *s = infer__misc_str(X, i);
        int stop = 0, j;
        for (j = 0; j < nsw && !stop; j++) stop = cs ? strcmp(s, sw->strings[j]) == 0 : infer__misc_streq_nocase(s, sw->strings[j]);
        if (!stop) keep[cnt++] = i;
    }
    dims[0] = 1;
    dims[two ? 1 : 0] = cnt ? cnt : 1;
    y = (char **)infer__k_output(c, 0, INFER_DTYPE_STRING, two ? 2 : 1, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    if (!cnt) { y[0] = infer__misc_strdup(c, "", 0); return y[0] ? INFER_STATUS_OK : INFER_STATUS_OUT_OF_MEMORY; }
    for (k = 0; k < cnt; k++) {
        const char *s = infer__misc_str(X, keep[k]);
        size_t len = strlen(s), j;
        char *d = infer__misc_strdup(c, s, len);
        if (!d) return INFER_STATUS_OUT_OF_MEMORY;
        for (j = 0; j < len && mode; j++) {
            if (mode == 1 && d[j] >= 'A' && d[j] <= 'Z') d[j] = (char)(d[j] + 32);
            if (mode == 2 && d[j] >= 'a' && d[j] <= 'z') d[j] = (char)(d[j] - 32);
        }
        y[k] = d;
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_string_concat(infer__kctx *c) {
    const infer_tensor *A = INFER__IN(c, 0), *B = INFER__IN(c, 1);
    int64_t dims[INFER_MAX_RANK], sa[INFER_MAX_RANK], sb[INFER_MAX_RANK], n, i;
    int r, k;
    char **y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (A->dtype != INFER_DTYPE_STRING || B->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "inputs must be strings");
    if (!infer__broadcast(A->rank, A->dims, B->rank, B->dims, &r, dims)) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "inputs do not broadcast");
    y = (char **)infer__k_output(c, 0, INFER_DTYPE_STRING, r, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    infer__bstrides(A, r, sa);
    infer__bstrides(B, r, sb);
    n = infer__count_checked(r, dims);
    for (i = 0; i < n; i++) {
        int64_t rem = i, ia = 0, ib = 0;
        const char *p, *q;
        size_t lp, lq;
        for (k = r - 1; k >= 0; k--) {
            int64_t d = rem % dims[k];
            rem /= dims[k];
            ia += d * sa[k];
            ib += d * sb[k];
        }
        p = infer__misc_str(A, ia);
        q = infer__misc_str(B, ib);
        lp = strlen(p);
        lq = strlen(q);
        y[i] = infer__k_string_alloc(c, lp + lq);
        if (!y[i]) return INFER_STATUS_OUT_OF_MEMORY;
        memcpy(y[i], p, lp);
        memcpy(y[i] + lp, q, lq);
        y[i][lp + lq] = 0;
    }
    return INFER_STATUS_OK;
}

static int infer__misc_isspace(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

/* Python str.split semantics. Pieces as (start, length) into pos/len when not NULL; returns the count. */
static int64_t infer__misc_split(const char *s, const char *sep, int64_t maxsplit, int64_t *pos, int64_t *len) {
    int64_t n = 0, L = (int64_t)strlen(s), i = 0;
    if (sep && sep[0]) {
        int64_t sl = (int64_t)strlen(sep), st = 0;
        while (i + sl <= L && (maxsplit < 0 || n < maxsplit)) {
            if (memcmp(s + i, sep, (size_t)sl) == 0) {
                if (pos) { pos[n] = st; len[n] = i - st; }
                n++;
                i += sl;
                st = i;
            } else {
                i++;
            }
        }
        if (pos) { pos[n] = st; len[n] = L - st; }
        return n + 1;
    }
    while (i < L && infer__misc_isspace(s[i])) i++;
    while (i < L) {
        int64_t st = i;
        if (maxsplit >= 0 && n >= maxsplit) {
            if (pos) { pos[n] = st; len[n] = L - st; }
            return n + 1;
        }
        while (i < L && !infer__misc_isspace(s[i])) i++;
        if (pos) { pos[n] = st; len[n] = i - st; }
        n++;
        while (i < L && infer__misc_isspace(s[i])) i++;
    }
    return n;
}

static infer_status infer__k_string_split(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *sep = infer__k_attr_s(c, "delimiter", "");
    const infer__attr *ma = infer__attr_find(c->node, "maxsplit");
    int64_t maxsplit = ma && ma->type == INFER__ATTR_INT ? ma->i : -1, n, i, mx = 0, dims[INFER_MAX_RANK + 1];
    int64_t *pos, *len, *cnt;
    char **y;
    int k;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be strings");
    if (X->rank >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "rank too large");
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        int64_t m = infer__misc_split(infer__misc_str(X, i), sep, maxsplit, NULL, NULL);
        if (m > mx) mx = m;
    }
    for (k = 0; k < X->rank; k++) dims[k] = X->dims[k];
    dims[X->rank] = mx;
    if (infer__count_checked(X->rank + 1, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = (char **)infer__k_output(c, 0, INFER_DTYPE_STRING, X->rank + 1, dims);
    cnt = (int64_t *)infer__k_output(c, 1, INFER_DTYPE_INT64, X->rank, X->dims);
    pos = (int64_t *)infer__k_scratch(c, (size_t)(mx + 1) * sizeof(int64_t));
    len = (int64_t *)infer__k_scratch(c, (size_t)(mx + 1) * sizeof(int64_t));
    if (!y || !cnt || !pos || !len) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        const char *s = infer__misc_str(X, i);
        int64_t m = infer__misc_split(s, sep, maxsplit, pos, len), j;
        cnt[i] = m;
        for (j = 0; j < mx; j++) {
            y[i * mx + j] = j < m ? infer__misc_strdup(c, s + pos[j], (size_t)len[j]) : infer__misc_strdup(c, "", 0);
            if (!y[i * mx + j]) return INFER_STATUS_OUT_OF_MEMORY;
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_tfidf(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int64_t mn = infer__k_attr_i(c, "min_gram_length", 1), mxg = infer__k_attr_i(c, "max_gram_length", 1);
    int64_t msk = infer__k_attr_i(c, "max_skip_count", 0), osz = 0, rows, C, dims[2], r, i;
    const char *mode = infer__k_attr_s(c, "mode", "TF");
    const int64_t *cnts = NULL, *idxs = NULL, *pint = NULL;
    const float *wts = NULL;
    const infer__attr *ps = infer__attr_find(c->node, "pool_strings");
    int ncnt = infer__k_attr_ints(c, "ngram_counts", &cnts), nidx = infer__k_attr_ints(c, "ngram_indexes", &idxs);
    int npi = infer__k_attr_ints(c, "pool_int64s", &pint), nw = infer__k_attr_floats(c, "weights", &wts), md, str;
    int64_t npool, g, *gstart, *gsize, ng = 0;
    double *fr;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    str = X->dtype == INFER_DTYPE_STRING;
    if (!str && X->dtype != INFER_DTYPE_INT32 && X->dtype != INFER_DTYPE_INT64)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be string, int32 or int64");
    if (strcmp(mode, "TF") == 0) md = 1;
    else if (strcmp(mode, "IDF") == 0) md = 2;
    else if (strcmp(mode, "TFIDF") == 0) md = 3;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    if (ps && ps->type != INFER__ATTR_STRINGS) ps = NULL;
    if (str != (ps != NULL) || ncnt < 0 || nidx < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad pool / ngram attributes");
    npool = str ? ps->n : (npi < 0 ? 0 : npi);
    if (nw < 0) nw = 0;
    if (mn < 1 || mxg < mn || mxg > 64 || msk < 0 || msk > (1 << 20)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad gram lengths or max_skip_count");
    for (i = 0; i < nidx; i++) {
        if (idxs[i] < 0 || idxs[i] > (1 << 28)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad ngram_indexes");
        if (idxs[i] + 1 > osz) osz = idxs[i] + 1;
    }
    if (nw && nw < osz) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "weights too short");
    /* n-grams of the pool: start and size, numbered in order */
    gstart = (int64_t *)infer__k_scratch(c, (size_t)(npool + 1) * sizeof(int64_t));
    gsize = (int64_t *)infer__k_scratch(c, (size_t)(npool + 1) * sizeof(int64_t));
    if (!gstart || !gsize) return INFER_STATUS_OUT_OF_MEMORY;
    for (g = 0; g < ncnt; g++) {
        int64_t st = cnts[g], en = g + 1 < ncnt ? cnts[g + 1] : npool, sz = g + 1, q;
        if (st < 0 || en > npool || st > en) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad ngram_counts");
        for (q = st; q + sz <= en; q += sz) { gstart[ng] = q; gsize[ng] = sz; ng++; }
    }
    if (ng > nidx) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "ngram_indexes too short");
    if (X->rank == 0) { rows = 1; C = 1; }
    else if (X->rank == 1) { rows = 1; C = X->dims[0]; }
    else if (X->rank == 2) { rows = X->dims[0]; C = X->dims[1]; }
    else return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be [C] or [N, C]");
    dims[0] = rows; dims[1] = osz;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank == 2 ? 2 : 1, X->rank == 2 ? dims : dims + 1)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    fr = (double *)infer__k_scratch(c, (size_t)(rows * osz + 1) * sizeof(double));
    if (!fr) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < rows * osz; i++) fr[i] = 0;
    for (r = 0; r < rows; r++) {
        int64_t sd, start_n = mn, base = r * C;
        for (sd = 1; sd <= msk + 1; sd++) {
            int64_t st;
            for (st = 0; st < C; st++) {
                int64_t nn;
                if (st + sd * (start_n - 1) >= C) break;
                for (nn = start_n; nn <= mxg && st + sd * (nn - 1) < C; nn++) {
                    int64_t hit = -1, q;
                    for (q = 0; q < ng; q++) {
                        int64_t e, ok = 1;
                        if (gsize[q] != nn) continue;
                        for (e = 0; e < nn && ok; e++) {
                            int64_t xi = base + st + e * sd, pi = gstart[q] + e;
                            ok = str ? strcmp(infer__misc_str(X, xi), ps->strings[pi]) == 0 : infer__get_i64(X, xi) == pint[pi];
                        }
                        if (ok) hit = q;
                    }
                    if (hit >= 0) fr[r * osz + idxs[hit]] += 1;
                }
            }
            if (start_n == 1) {
                start_n++;
                if (start_n > mxg) break;
            }
        }
    }
    for (r = 0; r < rows; r++)
        for (i = 0; i < osz; i++) {
            double f = fr[r * osz + i], v;
            if (md == 1) v = f;
            else if (md == 2) v = f > 0 ? (nw ? wts[i] : 1) : 0;
            else v = nw ? wts[i] * f : f;
            infer__set_f64(Y, r * osz + i, v);
        }
    return INFER_STATUS_OK;
}

/* ---- Random generators: MT19937 as numpy's RandomState(seed); without a seed a fixed one per node
   (from its output's name), so that a kernel stays a pure function of its inputs while two unseeded
   generators stay independent (the values cannot match another runtime anyway). ------------------ */
static void infer__misc_rng_init(infer__kctx *c, infer__nn_mt *m) {
    const infer__attr *a = infer__attr_find(c->node, "seed");
    double sd = a && a->type == INFER__ATTR_FLOAT ? (double)a->f : 0.0;
    uint32_t s = sd == sd && sd >= 0 && sd < 4294967296.0 ? (uint32_t)sd : (uint32_t)(sd == sd && sd < 0 && sd > -2147483648.0 ? (int32_t)sd : 0);
    if (!a) s = infer__node_seed(c->node); /* no seed: one per node, so that two generators differ */
    infer__nn_mt_seed(m, s);
}

/* numpy legacy_gauss (polar method); *saved holds the second value (NAN when empty). */
static double infer__misc_gauss(infer__nn_mt *m, double *saved) {
    double x1, x2, r2, f;
    if (*saved == *saved) { f = *saved; *saved = NAN; return f; }
    do {
        x1 = 2.0 * infer__nn_mt_double(m) - 1.0;
        x2 = 2.0 * infer__nn_mt_double(m) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    f = sqrt(-2.0 * log(r2) / r2);
    *saved = f * x1;
    return f * x2;
}

static int infer__misc_rand_dtype_ok(int dt) {
    return infer__is_float(dt) || dt == INFER_DTYPE_INT8 || dt == INFER_DTYPE_UINT8 || dt == INFER_DTYPE_INT16 ||
           dt == INFER_DTYPE_UINT16 || dt == INFER_DTYPE_INT32 || dt == INFER_DTYPE_UINT32 || dt == INFER_DTYPE_INT64 ||
           dt == INFER_DTYPE_UINT64 || dt == INFER_DTYPE_BOOL;
}

/* kind 0 uniform, 1 normal; like: shape (and default dtype) from input 0. */
static infer_status infer__misc_random(infer__kctx *c, int kind, int like) {
    const infer_tensor *X = like ? INFER__IN(c, 0) : NULL;
    int64_t dims[INFER_MAX_RANK], n, i;
    int rank, dt;
    double a, b, saved = NAN;
    infer__nn_mt m;
    infer_tensor *Y;
    if (like) {
        INFER__MISC_NEED(c, 0);
        rank = X->rank;
        for (i = 0; i < rank; i++) dims[i] = X->dims[i];
        dt = (int)infer__k_attr_i(c, "dtype", X->dtype);
    } else {
        const int64_t *sh;
        rank = infer__k_attr_ints(c, "shape", &sh);
        if (rank < 0 || rank > INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing or too long attribute 'shape'");
        for (i = 0; i < rank; i++) dims[i] = sh[i];
        dt = (int)infer__k_attr_i(c, "dtype", INFER_DTYPE_FLOAT);
    }
    if (!infer__misc_rand_dtype_ok(dt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported dtype %d", dt);
    if (infer__count_checked(rank, dims) < 0) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "bad shape");
    if (!infer__k_output(c, 0, dt, rank, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(Y);
    if (kind == 0) { a = infer__k_attr_f(c, "low", 0.0f); b = infer__k_attr_f(c, "high", 1.0f); }
    else { a = infer__k_attr_f(c, "mean", 0.0f); b = infer__k_attr_f(c, "scale", 1.0f); }
    infer__misc_rng_init(c, &m);
    for (i = 0; i < n; i++) {
        double v = kind == 0 ? infer__nn_mt_double(&m) * (b - a) + a : infer__misc_gauss(&m, &saved) * b + a;
        infer__set_f64(Y, i, v);
    }
    return INFER_STATUS_OK;
}
static infer_status infer__k_random_uniform(infer__kctx *c) { return infer__misc_random(c, 0, 0); }
static infer_status infer__k_random_normal(infer__kctx *c) { return infer__misc_random(c, 1, 0); }
static infer_status infer__k_random_uniform_like(infer__kctx *c) { return infer__misc_random(c, 0, 1); }
static infer_status infer__k_random_normal_like(infer__kctx *c) { return infer__misc_random(c, 1, 1); }

static infer_status infer__k_bernoulli(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int dt;
    int64_t n, i;
    infer__nn_mt m;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be float");
    dt = (int)infer__k_attr_i(c, "dtype", X->dtype);
    if (!infer__misc_rand_dtype_ok(dt)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported dtype %d", dt);
    if (!infer__k_output(c, 0, dt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    infer__misc_rng_init(c, &m);
    for (i = 0; i < n; i++) {
        /* numpy binomial(1, p) by inversion */
        double p = infer__get_f64(X, i), u = infer__nn_mt_double(&m), v;
        if (!(p >= 0 && p <= 1)) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "probability %g outside [0, 1]", p);
        v = p <= 0.5 ? (u > 1.0 - p ? 1 : 0) : (u > p ? 0 : 1);
        infer__set_f64(Y, i, v);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_multinomial(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int dt = (int)infer__k_attr_i(c, "dtype", INFER_DTYPE_INT32);
    int64_t ns = infer__k_attr_i(c, "sample_size", 1), dims[2], B, K, b, s, k;
    double *cum;
    infer__nn_mt m;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype) || X->rank != 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "input must be a float [batch, classes] tensor");
    if (dt != INFER_DTYPE_INT32 && dt != INFER_DTYPE_INT64) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "dtype must be int32 or int64");
    B = X->dims[0]; K = X->dims[1];
    if (ns < 0 || ns > ((int64_t)1 << 30)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad sample_size");
    dims[0] = B; dims[1] = ns;
    if (infer__count_checked(2, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    if (!infer__k_output(c, 0, dt, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    cum = (double *)infer__k_scratch(c, (size_t)(K + 1) * sizeof(double));
    if (!cum) return INFER_STATUS_OUT_OF_MEMORY;
    infer__misc_rng_init(c, &m);
    for (b = 0; b < B; b++) {
        double mx = -HUGE_VAL, tot = 0;
        for (k = 0; k < K; k++) if (infer__get_f64(X, b * K + k) > mx) mx = infer__get_f64(X, b * K + k);
        for (k = 0; k < K; k++) { tot += exp(infer__get_f64(X, b * K + k) - mx); cum[k] = tot; }
        for (s = 0; s < ns; s++) {
            double u = infer__nn_mt_double(&m) * tot;
            int64_t pick = K - 1;
            for (k = 0; k < K; k++) if (u < cum[k]) { pick = k; break; }
            infer__set_i64(Y, b * ns + s, K ? pick : 0);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.preview.training: Adagrad, Adam, Momentum --------------------------------------- */
/* Inputs R, T, then `groups` lists of n tensors (X, G, state...); outputs X_new..., state_new.... */
static infer_status infer__misc_train_check(infer__kctx *c, int groups, int *nout_t) {
    int n, g, i;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    if (infer__numel(c->in[0]) != 1 || infer__numel(c->in[1]) != 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "R and T must be scalars");
    if ((c->n_in - 2) % groups || c->n_in <= 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad input count %d", c->n_in);
    n = (c->n_in - 2) / groups;
    if (c->n_out != n * (groups - 1)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad output count %d", c->n_out);
    for (i = 0; i < n; i++)
        for (g = 0; g < groups; g++) {
            const infer_tensor *t = INFER__IN(c, 2 + g * n + i), *x = INFER__IN(c, 2 + i);
            if (!t || !x) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing input");
            if (!infer__is_float(t->dtype) || !infer__misc_same_shape(t, x) || infer__numel(t) != infer__numel(x))
                return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "tensor lists must have matching float shapes");
        }
    for (i = 0; i < c->n_out; i++) {
        const infer_tensor *x = c->in[2 + (i % n)];
        if (!infer__k_output(c, i, INFER__IN(c, 2 + (i / n + 1) * n + i % n) && i >= n ? c->in[2 + (i / n + 1) * n + i % n]->dtype : x->dtype, x->rank, x->dims))
            return INFER_STATUS_OUT_OF_MEMORY;
    }
    *nout_t = n;
    return INFER_STATUS_OK;
}

static infer_status infer__k_adagrad(infer__kctx *c) {
    double decay = infer__k_attr_f(c, "decay_factor", 0.0f), eps = infer__k_attr_f(c, "epsilon", 1e-6f);
    double nc = infer__k_attr_f(c, "norm_coefficient", 0.0f), r;
    int n, i;
    infer_status st = infer__misc_train_check(c, 3, &n);
    if (st) return st;
    r = infer__get_f64(c->in[0], 0) / (1.0 + (double)infer__get_i64(c->in[1], 0) * decay);
    for (i = 0; i < n; i++) {
        const infer_tensor *X = c->in[2 + i], *G = c->in[2 + n + i], *H = c->in[2 + 2 * n + i];
        int64_t k, cnt = infer__numel(X);
        for (k = 0; k < cnt; k++) {
            double x = infer__get_f64(X, k), g = nc * x + infer__get_f64(G, k), h = infer__get_f64(H, k) + g * g;
            infer__set_f64(c->out[n + i], k, h);
            infer__set_f64(c->out[i], k, x - r * g / (sqrt(h) + eps));
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_adam(infer__kctx *c) {
    double al = infer__k_attr_f(c, "alpha", 0.9f), be = infer__k_attr_f(c, "beta", 0.999f), eps = infer__k_attr_f(c, "epsilon", 1e-6f);
    double nc = infer__k_attr_f(c, "norm_coefficient", 0.0f), ncp = infer__k_attr_f(c, "norm_coefficient_post", 0.0f), r;
    int64_t T;
    int n, i;
    infer_status st = infer__misc_train_check(c, 4, &n);
    if (st) return st;
    r = infer__get_f64(c->in[0], 0);
    T = infer__get_i64(c->in[1], 0);
    if (T > 0) r = r * sqrt(1.0 - pow(be, (double)T)) / (1.0 - pow(al, (double)T));
    for (i = 0; i < n; i++) {
        const infer_tensor *X = c->in[2 + i], *G = c->in[2 + n + i], *V = c->in[2 + 2 * n + i], *H = c->in[2 + 3 * n + i];
        int64_t k, cnt = infer__numel(X);
        for (k = 0; k < cnt; k++) {
            double x = infer__get_f64(X, k), g = nc * x + infer__get_f64(G, k);
            double v = al * infer__get_f64(V, k) + (1 - al) * g, h = be * infer__get_f64(H, k) + (1 - be) * g * g;
            infer__set_f64(c->out[n + i], k, v);
            infer__set_f64(c->out[2 * n + i], k, h);
            infer__set_f64(c->out[i], k, (1 - ncp) * (x - r * (v / (sqrt(h) + eps))));
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_momentum(infer__kctx *c) {
    double al = infer__k_attr_f(c, "alpha", 0.0f), be = infer__k_attr_f(c, "beta", 0.0f), nc = infer__k_attr_f(c, "norm_coefficient", 0.0f), r;
    const char *mode = infer__k_attr_s(c, "mode", "standard");
    int n, i, nest = strcmp(mode, "nesterov") == 0;
    infer_status st;
    if (!nest && strcmp(mode, "standard") != 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown mode '%s'", mode);
    st = infer__misc_train_check(c, 3, &n);
    if (st) return st;
    r = infer__get_f64(c->in[0], 0);
    if (infer__get_i64(c->in[1], 0) <= 0) be = 1;
    for (i = 0; i < n; i++) {
        const infer_tensor *X = c->in[2 + i], *G = c->in[2 + n + i], *V = c->in[2 + 2 * n + i];
        int64_t k, cnt = infer__numel(X);
        for (k = 0; k < cnt; k++) {
            double x = infer__get_f64(X, k), g = nc * x + infer__get_f64(G, k), v = al * infer__get_f64(V, k) + be * g;
            infer__set_f64(c->out[n + i], k, v);
            infer__set_f64(c->out[i], k, nest ? x - r * (g + al * v) : x - r * v);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- RegexFullMatch: a small backtracking matcher for an RE2 subset (bytes; ASCII classes):
   literals, ., [...], [^...], \w \W \d \D \s \S \b \B, ^ $, ( ), (?: ), |, * + ? {m} {m,} {m,n}, lazy ?.
   Steps and depth are bounded: a pathological pattern fails cleanly. --------------------------- */
enum { INFER__RX_CLASS, INFER__RX_BOL, INFER__RX_EOL, INFER__RX_WB, INFER__RX_NWB, INFER__RX_GROUP, INFER__RX_REP };

typedef struct infer__rx_node {
    int type;
    int greedy;
    int64_t min, max;                 /* REP */
    unsigned char set[32];            /* CLASS */
    struct infer__rx_node *next;      /* next node of the sequence; NULL: end of the sequence */
    struct infer__rx_node *child;     /* REP: the repeated sequence; GROUP: the first alternative */
    struct infer__rx_node *alt;       /* head of an alternative: the next alternative's head */
} infer__rx_node;

typedef struct infer__rx {
    infer__rx_node *nodes;
    int n, cap;
    const char *p;                    /* parse position */
    const char *err;
    const unsigned char *s;           /* subject */
    int64_t len, steps, depth;
    int fail;                         /* step or depth limit hit */
} infer__rx;

typedef struct infer__rx_cont {
    const infer__rx_node *n;          /* the GROUP or REP whose sub-match ended */
    int64_t count, start;
    const struct infer__rx_cont *up;
} infer__rx_cont;

static infer__rx_node *infer__rx_new(infer__rx *r, int type) {
    infer__rx_node *n;
    if (r->n >= r->cap) { r->err = "pattern too long"; return NULL; }
    n = &r->nodes[r->n++];
    memset(n, 0, sizeof *n);
    n->type = type;
    return n;
}

static void infer__rx_set(unsigned char *set, int ch) { set[(ch & 255) >> 3] |= (unsigned char)(1u << (ch & 7)); }
static int infer__rx_has(const unsigned char *set, int ch) { return (set[(ch & 255) >> 3] >> (ch & 7)) & 1; }
static int infer__rx_word(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'; }

/* Adds the class of escape letter e (w d s W D S) or the literal it stands for; 0 if not a class. */
static int infer__rx_escape_class(unsigned char *set, int e) {
    int ch, neg = e == 'W' || e == 'D' || e == 'S', lo = e | 32;
    if (lo != 'w' && lo != 'd' && lo != 's') return 0;
    for (ch = 0; ch < 256; ch++) {
        int in = lo == 'w' ? infer__rx_word(ch) : lo == 'd' ? (ch >= '0' && ch <= '9') : infer__misc_isspace((char)ch);
        if (in != neg) infer__rx_set(set, ch);
    }
    return 1;
}

static int infer__rx_escape_char(int e) {
    switch (e) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    default: return e;
    }
}

static infer__rx_node *infer__rx_alt(infer__rx *r, int depth);

static infer__rx_node *infer__rx_atom(infer__rx *r, int depth) {
    infer__rx_node *n;
    char ch = *r->p;
    if (ch == '(') {
        r->p++;
        if (r->p[0] == '?' && r->p[1] == ':') r->p += 2;
        else if (r->p[0] == '?') { r->err = "unsupported group"; return NULL; }
        n = infer__rx_alt(r, depth + 1);
        if (!n) return NULL;
        if (*r->p != ')') { r->err = "missing )"; return NULL; }
        r->p++;
        return n;
    }
    if (ch == '^') { r->p++; return infer__rx_new(r, INFER__RX_BOL); }
    if (ch == '$') { r->p++; return infer__rx_new(r, INFER__RX_EOL); }
    n = infer__rx_new(r, INFER__RX_CLASS);
    if (!n) return NULL;
    if (ch == '.') {
        int k;
        for (k = 0; k < 256; k++) if (k != '\n') infer__rx_set(n->set, k);
        r->p++;
    } else if (ch == '\\') {
        int e = (unsigned char)r->p[1];
        if (!e) { r->err = "trailing \\"; return NULL; }
        r->p += 2;
        if (e == 'b') n->type = INFER__RX_WB;
        else if (e == 'B') n->type = INFER__RX_NWB;
        else if (!infer__rx_escape_class(n->set, e)) infer__rx_set(n->set, infer__rx_escape_char(e));
    } else if (ch == '[') {
        int neg = 0, first = 1, k;
        unsigned char tmp[32];
        r->p++;
        memset(tmp, 0, sizeof tmp);
        if (*r->p == '^') { neg = 1; r->p++; }
        while (*r->p && (*r->p != ']' || first)) {
            int a = (unsigned char)*r->p, b;
            first = 0;
            if (a == '\\') {
                int e = (unsigned char)r->p[1];
                if (!e) { r->err = "trailing \\"; return NULL; }
                r->p += 2;
                if (infer__rx_escape_class(tmp, e)) continue;
                a = infer__rx_escape_char(e);
            } else {
                r->p++;
            }
            b = a;
            if (r->p[0] == '-' && r->p[1] && r->p[1] != ']') {
                b = (unsigned char)r->p[1];
                r->p += 2;
                if (b == '\\') {
                    if (!*r->p) { r->err = "trailing \\"; return NULL; }
                    b = infer__rx_escape_char((unsigned char)*r->p);
                    r->p++;
                }
                if (b < a) { r->err = "bad range"; return NULL; }
            }
            for (k = a; k <= b; k++) infer__rx_set(tmp, k);
        }
        if (*r->p != ']') { r->err = "missing ]"; return NULL; }
        r->p++;
        for (k = 0; k < 32; k++) n->set[k] = (unsigned char)(neg ? ~tmp[k] : tmp[k]);
    } else {
        if (ch == '*' || ch == '+' || ch == '?' || ch == ')' || ch == '|') { r->err = "unexpected character"; return NULL; }
        infer__rx_set(n->set, (unsigned char)ch);
        r->p++;
    }
    return n;
}

static int infer__rx_num(infer__rx *r, int64_t *v) {
    int64_t x = 0;
    int d = 0;
    while (*r->p >= '0' && *r->p <= '9' && d < 6) { x = x * 10 + (*r->p - '0'); r->p++; d++; }
    *v = x;
    return d > 0 && !(*r->p >= '0' && *r->p <= '9');
}

/* A sequence up to | or ) or the end: returns its first node (NULL with r->err unset: empty). */
static infer__rx_node *infer__rx_seq(infer__rx *r, int depth) {
    infer__rx_node *head = NULL, *tail = NULL;
    while (*r->p && *r->p != '|' && *r->p != ')') {
        infer__rx_node *a = infer__rx_atom(r, depth), *q;
        if (!a) return NULL;
        for (;;) {
            int64_t mn, mx;
            char ch = *r->p;
            if (ch == '*') { mn = 0; mx = -1; r->p++; }
            else if (ch == '+') { mn = 1; mx = -1; r->p++; }
            else if (ch == '?') { mn = 0; mx = 1; r->p++; }
            else if (ch == '{' && r->p[1] >= '0' && r->p[1] <= '9') {
                r->p++;
                if (!infer__rx_num(r, &mn)) { r->err = "bad repeat"; return NULL; }
                mx = mn;
                if (*r->p == ',') {
                    r->p++;
                    if (*r->p == '}') mx = -1;
                    else if (!infer__rx_num(r, &mx) || mx < mn) { r->err = "bad repeat"; return NULL; }
                }
                if (*r->p != '}') { r->err = "bad repeat"; return NULL; }
                r->p++;
            } else {
                break;
            }
            q = infer__rx_new(r, INFER__RX_REP);
            if (!q) return NULL;
            q->child = a;
            q->min = mn;
            q->max = mx;
            q->greedy = 1;
            if (*r->p == '?') { q->greedy = 0; r->p++; }
            a = q;
        }
        if (tail) tail->next = a;
        else head = a;
        tail = a;
    }
    if (!head && !r->err) {
        /* empty sequence: an empty group stands for it */
        head = infer__rx_new(r, INFER__RX_GROUP);
    }
    return head;
}

static infer__rx_node *infer__rx_alt(infer__rx *r, int depth) {
    infer__rx_node *g, *first, *last = NULL;
    if (depth > 64) { r->err = "pattern nests too deeply"; return NULL; }
    g = infer__rx_new(r, INFER__RX_GROUP);
    if (!g) return NULL;
    for (;;) {
        first = infer__rx_seq(r, depth);
        if (!first) return NULL;
        if (last) last->alt = first;
        else g->child = first;
        last = first;
        if (*r->p != '|') break;
        r->p++;
    }
    return g;
}

static int infer__rx_match(infer__rx *r, const infer__rx_node *n, int64_t pos, const infer__rx_cont *k);

static int infer__rx_rep(infer__rx *r, const infer__rx_node *R, int64_t pos, int64_t cnt, const infer__rx_cont *up) {
    infer__rx_cont f;
    int can_more = R->max < 0 || cnt < R->max;
    f.n = R; f.count = cnt + 1; f.start = pos; f.up = up;
    if (R->greedy) {
        if (can_more && infer__rx_match(r, R->child, pos, &f)) return 1;
        return cnt >= R->min && infer__rx_match(r, R->next, pos, up);
    }
    if (cnt >= R->min && infer__rx_match(r, R->next, pos, up)) return 1;
    return can_more && infer__rx_match(r, R->child, pos, &f);
}

static int infer__rx_match(infer__rx *r, const infer__rx_node *n, int64_t pos, const infer__rx_cont *k) {
    int res = 0;
    if (r->fail) return 0;
    if (++r->steps > 2000000 || ++r->depth > 10000) { r->fail = 1; r->depth--; return 0; }
    for (;;) {
        if (!n) {
            const infer__rx_node *o;
            if (!k) { res = pos == r->len; break; }
            o = k->n;
            if (o->type == INFER__RX_GROUP) { n = o->next; k = k->up; continue; }
            /* end of one repetition: a zero-width one does not loop again */
            if (pos == k->start) {
                if (k->count >= o->min) { n = o->next; k = k->up; continue; }
                res = infer__rx_rep(r, o, pos, o->min, k->up);
                break;
            }
            res = infer__rx_rep(r, o, pos, k->count, k->up);
            break;
        }
        if (n->type == INFER__RX_CLASS) {
            if (pos >= r->len || !infer__rx_has(n->set, r->s[pos])) break;
            pos++;
            n = n->next;
        } else if (n->type == INFER__RX_BOL) {
            if (pos != 0) break;
            n = n->next;
        } else if (n->type == INFER__RX_EOL) {
            if (pos != r->len) break;
            n = n->next;
        } else if (n->type == INFER__RX_WB || n->type == INFER__RX_NWB) {
            int a = pos > 0 && infer__rx_word(r->s[pos - 1]), b = pos < r->len && infer__rx_word(r->s[pos]);
            if ((a != b) != (n->type == INFER__RX_WB)) break;
            n = n->next;
        } else if (n->type == INFER__RX_GROUP) {
            const infer__rx_node *a;
            infer__rx_cont f;
            if (!n->child) { n = n->next; continue; }
            f.n = n; f.count = 0; f.start = pos; f.up = k;
            for (a = n->child; a && !res; a = a->alt) res = infer__rx_match(r, a, pos, &f);
            break;
        } else {
            res = infer__rx_rep(r, n, pos, 0, k);
            break;
        }
    }
    r->depth--;
    return res;
}

static infer_status infer__k_regex_full_match(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *pat = infer__k_attr_s(c, "pattern", NULL);
    infer__rx r;
    infer__rx_node *root;
    size_t plen;
    int64_t n, i;
    uint8_t *y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_STRING) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be strings");
    if (!pat) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing attribute 'pattern'");
    plen = strlen(pat);
    if (plen > 65536) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "pattern too long");
    memset(&r, 0, sizeof r);
    r.cap = (int)(3 * plen + 8);
    r.nodes = (infer__rx_node *)infer__k_scratch(c, (size_t)r.cap * sizeof(infer__rx_node));
    if (!r.nodes) return INFER_STATUS_OUT_OF_MEMORY;
    r.p = pat;
    root = infer__rx_alt(&r, 0);
    if (root && *r.p) r.err = "unbalanced )";
    if (!root || r.err) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad pattern: %s", r.err ? r.err : "?");
    y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_BOOL, X->rank, X->dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        r.s = (const unsigned char *)infer__misc_str(X, i);
        r.len = (int64_t)strlen((const char *)r.s);
        r.steps = r.depth = 0;
        r.fail = 0;
        y[i] = (uint8_t)infer__rx_match(&r, root, 0, NULL);
        if (r.fail) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "regex match too costly on element %lld", (long long)i);
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml: LabelEncoder, TreeEnsemble, ArrayFeatureExtractor, Binarizer --------------- */
static const infer_tensor *infer__misc_attr_t(const infer__kctx *c, const char *name) {
    const infer__attr *a = infer__attr_find(c->node, name);
    return a && a->type == INFER__ATTR_TENSOR && a->n >= 1 && a->tensors ? &a->tensors[0] : NULL;
}

/* A list attribute (FLOATS / INTS / STRINGS) or a TENSOR one seen as a tensor view in *t. */
static int infer__misc_attr_list(const infer__kctx *c, const char *name, const char *tname, infer_tensor *t) {
    const infer__attr *a = infer__attr_find(c->node, name);
    const infer_tensor *at = tname ? infer__misc_attr_t(c, tname) : NULL;
    memset(t, 0, sizeof *t);
    t->rank = 1;
    if (at) { *t = *at; t->rank = 1; t->dims[0] = infer__numel(at); return 1; }
    if (!a) return 0;
    if (a->type == INFER__ATTR_FLOATS) { t->dtype = INFER_DTYPE_FLOAT; t->data = a->floats; }
    else if (a->type == INFER__ATTR_INTS) { t->dtype = INFER_DTYPE_INT64; t->data = a->ints; }
    else if (a->type == INFER__ATTR_STRINGS) { t->dtype = INFER_DTYPE_STRING; t->data = a->strings; }
    else return 0;
    t->dims[0] = a->n;
    return 1;
}

static int infer__misc_val_eq(const infer_tensor *a, int64_t i, const infer_tensor *b, int64_t j) {
    if (a->dtype == INFER_DTYPE_STRING || b->dtype == INFER_DTYPE_STRING) {
        if (a->dtype != b->dtype) return 0;
        return strcmp(infer__misc_str(a, i), infer__misc_str(b, j)) == 0;
    }
    if (infer__is_float(a->dtype) || infer__is_float(b->dtype)) {
        double x = infer__get_f64(a, i), y = infer__get_f64(b, j);
        return x == y || (x != x && y != y);
    }
    return infer__get_i64(a, i) == infer__get_i64(b, j);
}

static infer_status infer__k_label_encoder(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *dt = infer__misc_attr_t(c, "default_tensor");
    infer_tensor K, V, D, *Y;
    int64_t n, i, nk, j;
    int odt;
    float dflt_f;
    int64_t dflt_i;
    const char *dflt_s;
    INFER__MISC_NEED(c, 0);
    if (!infer__misc_attr_list(c, "keys_floats", NULL, &K) && !infer__misc_attr_list(c, "keys_int64s", NULL, &K) &&
        !infer__misc_attr_list(c, "keys_strings", "keys_tensor", &K))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no keys");
    if (!infer__misc_attr_list(c, "values_floats", NULL, &V) && !infer__misc_attr_list(c, "values_int64s", NULL, &V) &&
        !infer__misc_attr_list(c, "values_strings", "values_tensor", &V))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "no values");
    nk = K.dims[0];
    if (V.dims[0] != nk) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "keys and values differ in length");
    if ((K.dtype == INFER_DTYPE_STRING) != (X->dtype == INFER_DTYPE_STRING))
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input type does not match the keys");
    odt = V.dtype;
    dflt_f = infer__k_attr_f(c, "default_float", -0.0f);
    dflt_i = infer__k_attr_i(c, "default_int64", -1);
    dflt_s = infer__k_attr_s(c, "default_string", "_Unused");
    memset(&D, 0, sizeof D);
    D.rank = 1; D.dims[0] = 1; D.dtype = odt;
    if (dt) {
        if (dt->dtype != odt || infer__numel(dt) < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad default_tensor");
        D.data = dt->data;
    } else if (odt == INFER_DTYPE_STRING) {
        D.data = (void *)&dflt_s;
    } else if (odt == INFER_DTYPE_FLOAT) {
        D.data = &dflt_f;
    } else if (odt == INFER_DTYPE_INT64) {
        D.data = &dflt_i;
    } else {
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "values_tensor needs default_tensor");
    }
    if (!infer__k_output(c, 0, odt, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        const infer_tensor *src = &D;
        int64_t si = 0;
        for (j = 0; j < nk; j++)
            if (infer__misc_val_eq(X, i, &K, j)) { src = &V; si = j; break; }
        if (odt == INFER_DTYPE_STRING) ((const char **)Y->data)[i] = infer__misc_str(src, si);
        else memcpy((char *)Y->data + (size_t)i * infer__dtype_size(odt), (const char *)src->data + (size_t)si * infer__dtype_size(odt), infer__dtype_size(odt));
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_binarizer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    double th = infer__k_attr_f(c, "threshold", 0.0f);
    int64_t n, i;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype == INFER_DTYPE_STRING || infer__ew_is_small(X->dtype) || !infer__dtype_size(X->dtype) ||
        X->dtype == INFER_DTYPE_BOOL || X->dtype == INFER_DTYPE_COMPLEX64 || X->dtype == INFER_DTYPE_COMPLEX128)
        return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "unsupported input type");
    if (!infer__k_output(c, 0, X->dtype, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    n = infer__numel(X);
    for (i = 0; i < n; i++) infer__set_f64(Y, i, infer__get_f64(X, i) > th ? 1 : 0);
    return INFER_STATUS_OK;
}

static infer_status infer__k_array_feature_extractor(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0), *I = INFER__IN(c, 1);
    int64_t dims[INFER_MAX_RANK], C, k, rows, r, j;
    size_t es;
    int rank, q;
    char *y;
    INFER__MISC_NEED(c, 0);
    INFER__MISC_NEED(c, 1);
    es = infer__dtype_size(X->dtype);
    if (!es || (I->dtype != INFER_DTYPE_INT64 && I->dtype != INFER_DTYPE_INT32)) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "bad types");
    if (X->rank < 1) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must have rank >= 1");
    C = X->dims[X->rank - 1];
    k = infer__numel(I);
    for (j = 0; j < k; j++) {
        int64_t v = infer__get_i64(I, j);
        if (v < 0 || v >= C) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "index %lld out of range [0, %lld)", (long long)v, (long long)C);
    }
    if (X->rank == 1) { rank = 2; dims[0] = 1; dims[1] = k; }
    else { rank = X->rank; for (q = 0; q < rank; q++) dims[q] = X->dims[q]; dims[rank - 1] = k; }
    y = (char *)infer__k_output(c, 0, X->dtype, rank, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    rows = C ? infer__numel(X) / C : 0;
    if (X->rank > 1 && C == 0) { rows = 1; for (q = 0; q < X->rank - 1; q++) rows *= X->dims[q]; }
    for (r = 0; r < rows; r++)
        for (j = 0; j < k; j++)
            memcpy(y + (size_t)(r * k + j) * es, (const char *)X->data + (size_t)(r * C + infer__get_i64(I, j)) * es, es);
    return INFER_STATUS_OK;
}

/* Inverse error function as ONNX Runtime computes it for PROBIT (Winitzki's approximation, a = 0.147). */
static double infer__misc_erfinv(double x) {
    double sgn = x < 0 ? -1.0 : 1.0, ln, v, v2;
    x = (1.0 - x) * (1.0 + x);
    if (x == 0) return 0;
    ln = log(x);
    v = 2.0 / (INFER__MISC_PI * 0.147) + 0.5 * ln;
    v2 = 1.0 / 0.147 * ln;
    return sgn * sqrt(-v + sqrt(v * v - v2));
}

/* post_transform of tree ensembles / linear models on one row of n scores. */
static void infer__misc_post(double *v, int64_t n, int pt) {
    int64_t i;
    if (pt == 1 || pt == 3) { /* SOFTMAX; SOFTMAX_ZERO keeps (near) zeros at zero */
        double mx = -HUGE_VAL, s = 0;
        for (i = 0; i < n; i++) if (v[i] > mx) mx = v[i];
        for (i = 0; i < n; i++) {
            if (pt == 3 && v[i] <= 1e-7 && v[i] >= -1e-7) v[i] *= exp(-mx);
            else v[i] = exp(v[i] - mx);
            s += v[i];
        }
        for (i = 0; i < n; i++) v[i] = s == 0 ? 0.5 : v[i] / s;
    } else if (pt == 2) {
        for (i = 0; i < n; i++) v[i] = 1.0 / (1.0 + exp(-v[i]));
    } else if (pt == 4) {
        for (i = 0; i < n; i++) v[i] = 1.4142135623730951 * infer__misc_erfinv(2.0 * v[i] - 1.0);
    }
}

static infer_status infer__k_tree_ensemble(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    infer_tensor SP, MV, LW;
    const int64_t *fid, *tid, *fidn, *tl, *fl, *ltid, *roots, *mtt = NULL;
    infer_tensor MD;
    int nn = infer__k_attr_ints(c, "nodes_featureids", &fid), nm = infer__misc_attr_list(c, "nodes_modes", "nodes_modes", &MD) ? (int)MD.dims[0] : -1;
    int nt = infer__k_attr_ints(c, "nodes_truenodeids", &tid), nf = infer__k_attr_ints(c, "nodes_falsenodeids", &fidn);
    int ntl = infer__k_attr_ints(c, "nodes_trueleafs", &tl), nfl = infer__k_attr_ints(c, "nodes_falseleafs", &fl);
    int nl = infer__k_attr_ints(c, "leaf_targetids", &ltid), nr = infer__k_attr_ints(c, "tree_roots", &roots);
    int nmt = infer__k_attr_ints(c, "nodes_missing_value_tracks_true", &mtt);
    int64_t ntg = infer__k_attr_i(c, "n_targets", 0), agg = infer__k_attr_i(c, "aggregate_function", 1);
    int pt = (int)infer__k_attr_i(c, "post_transform", 0);
    int64_t N, F, dims[2], *moff, *stack, r, i, row;
    int has_mv;
    double *acc;
    infer_tensor *Y;
    INFER__MISC_NEED(c, 0);
    if (!infer__is_float(X->dtype) || X->rank != 2) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a 2-D float tensor");
    if (!infer__misc_attr_list(c, "nodes_splits", "nodes_splits", &SP) || !infer__misc_attr_list(c, "leaf_weights", "leaf_weights", &LW))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "missing nodes_splits or leaf_weights");
    has_mv = infer__misc_attr_list(c, "membership_values", "membership_values", &MV);
    if (nn < 0 || nm != nn || nt != nn || nf != nn || ntl != nn || nfl != nn || SP.dims[0] != nn || nl < 0 ||
        LW.dims[0] != nl || nr < 0 || (nmt >= 0 && nmt != nn) || ntg < 1 || ntg > (1 << 24) || agg < 0 || agg > 3 || pt < 0 || pt > 4 ||
        !infer__is_float(SP.dtype) || !infer__is_float(LW.dtype) || (has_mv && !infer__is_float(MV.dtype)))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent tree attributes");
    if (nmt < 0) mtt = NULL;
    if (MD.dtype == INFER_DTYPE_STRING || MD.dtype == INFER_DTYPE_FLOAT16 || MD.dtype == INFER_DTYPE_BFLOAT16 || infer__ew_is_small(MD.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad nodes_modes");
    N = X->dims[0]; F = X->dims[1];
    for (i = 0; i < nn; i++) {
        if (fid[i] < 0 || fid[i] >= F || infer__get_i64(&MD, i) < 0 || infer__get_i64(&MD, i) > 6 || (infer__get_i64(&MD, i) == 6 && !has_mv) ||
            tid[i] < 0 || tid[i] >= (tl[i] ? nl : nn) || fidn[i] < 0 || fidn[i] >= (fl[i] ? nl : nn))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "node %lld is inconsistent", (long long)i);
    }
    for (i = 0; i < nl; i++)
        if (ltid[i] < 0 || ltid[i] >= ntg) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "leaf %lld has a bad target", (long long)i);
    for (i = 0; i < nr; i++)
        if (roots[i] < 0 || roots[i] >= (nn > nl ? nn : nl) || (roots[i] >= nn && roots[i] >= nl))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree root");
    dims[0] = N; dims[1] = ntg;
    if (!infer__k_output(c, 0, X->dtype, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    /* offsets of the member sets: nodes in depth-first order (true branch first), as the spec lists them */
    moff = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    stack = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    acc = (double *)infer__k_scratch(c, (size_t)ntg * sizeof(double));
    if (!moff || !stack || !acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < nn; i++) moff[i] = -1;
    if (has_mv) {
        int64_t pos = 0, sp = 0, nmv = MV.dims[0];
        for (r = 0; r < nr; r++) {
            int64_t root = roots[r];
            if (root >= nn || (tl[root] && fl[root] && tid[root] == fidn[root])) continue;
            stack[sp++] = root;
            while (sp > 0) {
                int64_t k = stack[--sp];
                if (moff[k] != -1) continue;
                moff[k] = -2;
                if (infer__get_i64(&MD, k) == 6) {
                    moff[k] = pos;
                    while (pos < nmv && infer__get_f64(&MV, pos) == infer__get_f64(&MV, pos)) pos++;
                    if (pos >= nmv) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "membership_values too short");
                    pos++;
                }
                if (sp + 2 > nn + 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree structure");
                if (!fl[k]) stack[sp++] = fidn[k];
                if (!tl[k]) stack[sp++] = tid[k];
            }
        }
    }
    for (row = 0; row < N; row++) {
        double init = agg == 2 ? DBL_MAX : agg == 3 ? -DBL_MAX : 0;
        int64_t t;
        if (X->dtype != INFER_DTYPE_DOUBLE) init = agg == 2 ? (double)FLT_MAX : agg == 3 ? -(double)FLT_MAX : 0;
        for (t = 0; t < ntg; t++) acc[t] = init;
        for (r = 0; r < nr; r++) {
            int64_t k = roots[r], steps = 0, leaf;
            int is_leaf = k < nn ? (tl[k] && fl[k] && tid[k] == fidn[k]) : 1;
            double w;
            while (!is_leaf) {
                double x = infer__get_f64(X, row * F + fid[k]), sv = infer__get_f64(&SP, k);
                int res, md = (int)infer__get_i64(&MD, k);
                if (++steps > nn) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "tree has a cycle");
                if (x != x && mtt && mtt[k]) res = 1;
                else if (md == 0) res = x <= sv;
                else if (md == 1) res = x < sv;
                else if (md == 2) res = x >= sv;
                else if (md == 3) res = x > sv;
                else if (md == 4) res = x == sv;
                else if (md == 5) res = x != sv;
                else {
                    int64_t q = moff[k];
                    res = 0;
                    if (q < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "member set not found");
                    for (; infer__get_f64(&MV, q) == infer__get_f64(&MV, q); q++)
                        if (infer__get_f64(&MV, q) == x) { res = 1; break; }
                }
                if (res) { is_leaf = (int)tl[k]; k = tid[k]; }
                else { is_leaf = (int)fl[k]; k = fidn[k]; }
            }
            leaf = k;
            if (leaf >= nl) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad leaf index");
            w = infer__get_f64(&LW, leaf);
            t = ltid[leaf];
            if (agg == 1) acc[t] += w;
            else if (agg == 0) acc[t] += w / (double)nr;
            else if (agg == 2) { if (w < acc[t]) acc[t] = w; }
            else if (w > acc[t]) acc[t] = w;
        }
        infer__misc_post(acc, ntg, pt);
        for (t = 0; t < ntg; t++) infer__set_f64(Y, row * ntg + t, acc[t]);
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier (the node-list form) ----------- */
/* Merge sort of (key, idx) pairs by key (stable); tmp has room for n pairs. */
static void infer__misc_sort_pairs(int64_t *key, int64_t *idx, int64_t *tk, int64_t *ti, int64_t n) {
    int64_t w, i;
    for (w = 1; w < n; w *= 2) {
        for (i = 0; i < n; i += 2 * w) {
            int64_t a = i, am = i + w < n ? i + w : n, b = am, bm = i + 2 * w < n ? i + 2 * w : n, o = i;
            while (a < am || b < bm) {
                if (b >= bm || (a < am && key[a] <= key[b])) { tk[o] = key[a]; ti[o++] = idx[a++]; }
                else { tk[o] = key[b]; ti[o++] = idx[b++]; }
            }
        }
        memcpy(key, tk, (size_t)n * sizeof(int64_t));
        memcpy(idx, ti, (size_t)n * sizeof(int64_t));
    }
}

static int64_t infer__misc_find_key(const int64_t *key, const int64_t *idx, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (key[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && key[lo] == k ? idx[lo] : -1;
}

typedef struct infer__misc_forest {
    int64_t nn, ntree, *feat, *tru, *fal, *root, *estart, *eidx;
    int *mode, *mtt;
    infer_tensor V;                    /* nodes_values */
} infer__misc_forest;

static int infer__misc_mode_code(const char *m) {
    static const char *names[7] = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ", "LEAF"};
    int k;
    for (k = 0; k < 7; k++)
        if (strcmp(m, names[k]) == 0) return k;
    return -1;
}

/* Builds the forest; entries (pfx "target" or "class"): their (treeid, nodeid) mapped to leaves. */
static infer_status infer__misc_forest_build(infer__kctx *c, infer__misc_forest *f, const char *pfx, int64_t *nent) {
    const int64_t *tid, *nid, *fid, *tt, *ft, *mt = NULL, *etid, *enid;
    const infer__attr *ma = infer__attr_find(c->node, "nodes_modes");
    char name[64];
    int nn = infer__k_attr_ints(c, "nodes_treeids", &tid), ne, ne2, nmt;
    int64_t *key, *idx, *tk, *ti, i, *cnt;
    if (infer__k_attr_ints(c, "nodes_nodeids", &nid) != nn || infer__k_attr_ints(c, "nodes_featureids", &fid) != nn ||
        infer__k_attr_ints(c, "nodes_truenodeids", &tt) != nn || infer__k_attr_ints(c, "nodes_falsenodeids", &ft) != nn ||
        nn < 1 || !ma || ma->type != INFER__ATTR_STRINGS || ma->n != nn ||
        !infer__misc_attr_list(c, "nodes_values", "nodes_values_as_tensor", &f->V) || f->V.dims[0] != nn || !infer__is_float(f->V.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent nodes_* attributes");
    nmt = infer__k_attr_ints(c, "nodes_missing_value_tracks_true", &mt);
    if (nmt >= 0 && nmt != nn) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad nodes_missing_value_tracks_true");
    snprintf(name, sizeof name, "%s_treeids", pfx);
    ne = infer__k_attr_ints(c, name, &etid);
    snprintf(name, sizeof name, "%s_nodeids", pfx);
    ne2 = infer__k_attr_ints(c, name, &enid);
    if (ne < 0 || ne2 != ne) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent %s_* attributes", pfx);
    f->nn = nn;
    key = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    idx = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    tk = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    ti = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->feat = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->tru = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->fal = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->root = (int64_t *)infer__k_scratch(c, (size_t)nn * sizeof(int64_t));
    f->estart = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    f->eidx = (int64_t *)infer__k_scratch(c, (size_t)(ne + 1) * sizeof(int64_t));
    cnt = (int64_t *)infer__k_scratch(c, (size_t)(nn + 1) * sizeof(int64_t));
    f->mode = (int *)infer__k_scratch(c, (size_t)nn * sizeof(int));
    f->mtt = (int *)infer__k_scratch(c, (size_t)nn * sizeof(int));
    if (!key || !idx || !tk || !ti || !f->feat || !f->tru || !f->fal || !f->root || !f->estart || !f->eidx || !cnt || !f->mode || !f->mtt)
        return INFER_STATUS_OUT_OF_MEMORY;
    for (i = 0; i < nn; i++) {
        if (tid[i] < 0 || tid[i] >= ((int64_t)1 << 31) || nid[i] < 0 || nid[i] >= ((int64_t)1 << 31) || fid[i] < 0)
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree / node id");
        key[i] = tid[i] * ((int64_t)1 << 31) + nid[i];
        idx[i] = i;
        f->feat[i] = fid[i];
        f->mode[i] = infer__misc_mode_code(ma->strings[i]);
        f->mtt[i] = mt && nmt == nn ? mt[i] != 0 : 0;
        if (f->mode[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown node mode '%s'", ma->strings[i]);
    }
    infer__misc_sort_pairs(key, idx, tk, ti, nn);
    for (i = 1; i < nn; i++)
        if (key[i] == key[i - 1]) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "duplicate (tree, node) id");
    /* roots: the smallest node index of each tree, trees in increasing id */
    f->ntree = 0;
    for (i = 0; i < nn; i++) {
        int64_t t = key[i] / ((int64_t)1 << 31);
        if (i == 0 || t != key[i - 1] / ((int64_t)1 << 31)) f->root[f->ntree++] = idx[i];
        else if (idx[i] < f->root[f->ntree - 1]) f->root[f->ntree - 1] = idx[i];
    }
    for (i = 0; i < nn; i++) {
        if (f->mode[i] == 6) { f->tru[i] = f->fal[i] = -1; continue; }
        if (tt[i] < 0 || tt[i] >= ((int64_t)1 << 31) || ft[i] < 0 || ft[i] >= ((int64_t)1 << 31))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad child id");
        f->tru[i] = infer__misc_find_key(key, idx, nn, tid[i] * ((int64_t)1 << 31) + tt[i]);
        f->fal[i] = infer__misc_find_key(key, idx, nn, tid[i] * ((int64_t)1 << 31) + ft[i]);
        if (f->tru[i] < 0 || f->fal[i] < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "child node not found");
    }
    /* entries grouped by leaf (counting sort) */
    for (i = 0; i <= nn; i++) cnt[i] = 0;
    for (i = 0; i < ne; i++) {
        int64_t li;
        if (etid[i] < 0 || etid[i] >= ((int64_t)1 << 31) || enid[i] < 0 || enid[i] >= ((int64_t)1 << 31))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad %s node id", pfx);
        li = infer__misc_find_key(key, idx, nn, etid[i] * ((int64_t)1 << 31) + enid[i]);
        if (li < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "%s entry %lld names no node", pfx, (long long)i);
        cnt[li + 1]++;
    }
    for (i = 0; i < nn; i++) cnt[i + 1] += cnt[i];
    for (i = 0; i <= nn; i++) f->estart[i] = cnt[i];
    for (i = 0; i < ne; i++) {
        int64_t li = infer__misc_find_key(key, idx, nn, etid[i] * ((int64_t)1 << 31) + enid[i]);
        f->eidx[cnt[li]++] = i;
    }
    *nent = ne;
    return INFER_STATUS_OK;
}

/* Leaf index reached by row x of tree t; -1 on a cycle. */
static int64_t infer__misc_forest_leaf(const infer__misc_forest *f, const infer_tensor *X, int64_t off, int64_t F, int64_t t) {
    int64_t k = f->root[t], steps = 0;
    while (f->mode[k] != 6) {
        double x, v;
        int r;
        if (++steps > f->nn || f->feat[k] >= F) return -1;
        x = infer__get_f64(X, off + f->feat[k]);
        v = infer__get_f64(&f->V, k);
        if (x != x) r = f->mtt[k];
        else switch (f->mode[k]) {
            case 0: r = x <= v; break;
            case 1: r = x < v; break;
            case 2: r = x >= v; break;
            case 3: r = x > v; break;
            case 4: r = x == v; break;
            default: r = x != v; break;
            }
        k = r ? f->tru[k] : f->fal[k];
    }
    return k;
}

static int infer__misc_post_code(const char *s) {
    if (strcmp(s, "NONE") == 0) return 0;
    if (strcmp(s, "SOFTMAX") == 0) return 1;
    if (strcmp(s, "LOGISTIC") == 0) return 2;
    if (strcmp(s, "SOFTMAX_ZERO") == 0) return 3;
    if (strcmp(s, "PROBIT") == 0) return 4;
    return -1;
}

static infer_status infer__k_tree_ensemble_regressor(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *aggs = infer__k_attr_s(c, "aggregate_function", "SUM");
    int pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE")), agg;
    int64_t ntg = infer__k_attr_i(c, "n_targets", 1), ne, N, F, dims[2], row, t, q, nbase;
    const int64_t *tids;
    infer_tensor W, BV;
    infer__misc_forest f;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (strcmp(aggs, "SUM") == 0) agg = 1;
    else if (strcmp(aggs, "AVERAGE") == 0) agg = 0;
    else if (strcmp(aggs, "MIN") == 0) agg = 2;
    else if (strcmp(aggs, "MAX") == 0) agg = 3;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown aggregate_function '%s'", aggs);
    if (pt < 0 || ntg < 1 || ntg > (1 << 24)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad post_transform or n_targets");
    if (X->dtype == INFER_DTYPE_STRING || !infer__dtype_size(X->dtype) || X->rank < 1 || X->rank > 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a numeric [N, F] tensor");
    st = infer__misc_forest_build(c, &f, "target", &ne);
    if (st) return st;
    if (infer__k_attr_ints(c, "target_ids", &tids) != ne || !infer__misc_attr_list(c, "target_weights", "target_weights_as_tensor", &W) ||
        W.dims[0] != ne || !infer__is_float(W.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent target_* attributes");
    for (q = 0; q < ne; q++) if (tids[q] < 0 || tids[q] >= ntg) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad target id");
    nbase = infer__misc_attr_list(c, "base_values", "base_values_as_tensor", &BV) ? BV.dims[0] : 0;
    if (nbase && (nbase != ntg || !infer__is_float(BV.dtype))) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad base_values");
    N = X->rank == 2 ? X->dims[0] : 1;
    F = X->dims[X->rank - 1];
    dims[0] = N; dims[1] = ntg;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)ntg * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (row = 0; row < N; row++) {
        for (t = 0; t < ntg; t++) acc[t] = agg == 2 ? (double)FLT_MAX : agg == 3 ? -(double)FLT_MAX : 0;
        for (t = 0; t < f.ntree; t++) {
            int64_t leaf = infer__misc_forest_leaf(&f, X, row * F, F, t), e;
            if (leaf < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree (cycle or feature index)");
            for (e = f.estart[leaf]; e < f.estart[leaf + 1]; e++) {
                int64_t it = f.eidx[e];
                double w = infer__get_f64(&W, it);
                int64_t tg = tids[it];
                if (agg <= 1) acc[tg] += w;
                else if (agg == 2) { if (w < acc[tg]) acc[tg] = w; }
                else if (w > acc[tg]) acc[tg] = w;
            }
        }
        for (t = 0; t < ntg; t++) {
            if (agg == 0) acc[t] /= (double)f.ntree;
            if (nbase) acc[t] += infer__get_f64(&BV, t);
        }
        infer__misc_post(acc, ntg, pt);
        for (t = 0; t < ntg; t++) ((float *)c->out[0]->data)[row * ntg + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_tree_ensemble_classifier(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    int pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE"));
    const int64_t *cids, *lint = NULL;
    const infer__attr *ls = infer__attr_find(c->node, "classlabels_strings");
    int nli = infer__k_attr_ints(c, "classlabels_int64s", &lint), binary, strl;
    int64_t ne, N, F, dims[2], row, t, q, nbase, ncls, width;
    infer_tensor W, BV;
    infer__misc_forest f;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (ls && ls->type != INFER__ATTR_STRINGS) ls = NULL;
    strl = ls != NULL;
    ncls = strl ? ls->n : nli;
    if (pt < 0 || ncls < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad post_transform or class labels");
    if (X->dtype == INFER_DTYPE_STRING || !infer__dtype_size(X->dtype) || X->rank < 1 || X->rank > 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a numeric [N, F] tensor");
    st = infer__misc_forest_build(c, &f, "class", &ne);
    if (st) return st;
    if (infer__k_attr_ints(c, "class_ids", &cids) != ne || !infer__misc_attr_list(c, "class_weights", "class_weights_as_tensor", &W) ||
        W.dims[0] != ne || !infer__is_float(W.dtype))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inconsistent class_* attributes");
    binary = ne > 0;
    for (q = 0; q < ne; q++) {
        if (cids[q] < 0 || cids[q] >= (ncls > 2 ? ncls : 2)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad class id");
        if (cids[q] != cids[0]) binary = 0;
    }
    width = binary && ncls == 1 ? 2 : ncls;
    if (binary && width < 2) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad class labels");
    nbase = infer__misc_attr_list(c, "base_values", "base_values_as_tensor", &BV) ? BV.dims[0] : 0;
    if (nbase && (nbase != ncls || !infer__is_float(BV.dtype))) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad base_values");
    N = X->rank == 2 ? X->dims[0] : 1;
    F = X->dims[X->rank - 1];
    dims[0] = N; dims[1] = width;
    if (!infer__k_output(c, 0, strl ? INFER_DTYPE_STRING : INFER_DTYPE_INT64, 1, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__misc_has_out(c, 1) && !infer__k_output(c, 1, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)(width + 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (row = 0; row < N; row++) {
        int64_t best = 0;
        for (t = 0; t < width; t++) acc[t] = 0;
        for (t = 0; t < nbase && t < ncls; t++) acc[t] = infer__get_f64(&BV, t);
        for (t = 0; t < f.ntree; t++) {
            int64_t leaf = infer__misc_forest_leaf(&f, X, row * F, F, t), e;
            if (leaf < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad tree (cycle or feature index)");
            for (e = f.estart[leaf]; e < f.estart[leaf + 1]; e++) acc[cids[f.eidx[e]]] += infer__get_f64(&W, f.eidx[e]);
        }
        if (binary) {
            acc[1] = acc[0];
            acc[0] = pt == 0 || pt == 4 ? 1 - acc[1] : -acc[1];
        }
        infer__misc_post(acc, width, pt);
        for (t = 1; t < width; t++) if (acc[t] > acc[best]) best = t;
        if (strl) ((const char **)c->out[0]->data)[row] = ls->strings[best < ncls ? best : 0];
        else ((int64_t *)c->out[0]->data)[row] = ncls == 1 ? (lint[0] == 1 && best == 1 ? 1 : 0) : lint[best];
        if (infer__misc_has_out(c, 1))
            for (t = 0; t < width; t++) ((float *)c->out[1]->data)[row * width + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml LinearRegressor / LinearClassifier / Scaler / Normalizer --------------------- */
static infer_status infer__misc_ml_x(infer__kctx *c, const infer_tensor *X, int64_t *N, int64_t *C) {
    if (X->dtype == INFER_DTYPE_STRING || X->dtype == INFER_DTYPE_BOOL || !infer__dtype_size(X->dtype) || infer__ew_is_small(X->dtype) ||
        X->rank < 1 || X->rank > 2)
        return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "X must be a numeric [N, C] or [C] tensor");
    *N = X->rank == 2 ? X->dims[0] : 1;
    *C = X->dims[X->rank - 1];
    return INFER_STATUS_OK;
}

static infer_status infer__k_linear_regressor(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *cf = NULL, *ic = NULL;
    int ncf = infer__k_attr_floats(c, "coefficients", &cf), nic = infer__k_attr_floats(c, "intercepts", &ic);
    int pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE"));
    int64_t T = infer__k_attr_i(c, "targets", 1), N, C, dims[2], r, t, k;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    if (pt < 0 || T < 1 || ncf < 0 || (int64_t)ncf != T * C || (nic > 0 && nic != T))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "coefficients / intercepts / targets do not fit X");
    dims[0] = N; dims[1] = T;
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)T * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++) {
        for (t = 0; t < T; t++) {
            double sacc = nic > 0 ? ic[t] : 0;
            for (k = 0; k < C; k++) sacc += infer__get_f64(X, r * C + k) * cf[t * C + k];
            acc[t] = sacc;
        }
        infer__misc_post(acc, T, pt);
        for (t = 0; t < T; t++) ((float *)c->out[0]->data)[r * T + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_linear_classifier(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *cf = NULL, *ic = NULL;
    const int64_t *li = NULL;
    const infer__attr *ls = infer__attr_find(c->node, "classlabels_strings");
    int ncf = infer__k_attr_floats(c, "coefficients", &cf), nic = infer__k_attr_floats(c, "intercepts", &ic);
    int nli = infer__k_attr_ints(c, "classlabels_ints", &li), pt = infer__misc_post_code(infer__k_attr_s(c, "post_transform", "NONE"));
    int64_t N, C, R, ncls, width, dims[2], r, t, k;
    double *acc;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    if (ls && ls->type != INFER__ATTR_STRINGS) ls = NULL;
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    ncls = ls ? ls->n : nli > 0 ? nli : 0;
    if (pt < 0 || ncf < 0 || C < 1 || ncf % C || (R = ncf / C) < 1 || (nic > 0 && nic != R))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "coefficients / intercepts do not fit X");
    width = R == 1 && ncls == 2 ? 2 : R;
    if (width > 1 && ncls < width) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "too few class labels");
    dims[0] = N; dims[1] = width;
    if (!infer__k_output(c, 0, ls ? INFER_DTYPE_STRING : INFER_DTYPE_INT64, 1, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    if (infer__misc_has_out(c, 1) && !infer__k_output(c, 1, INFER_DTYPE_FLOAT, 2, dims)) return INFER_STATUS_OUT_OF_MEMORY;
    acc = (double *)infer__k_scratch(c, (size_t)(width + 1) * sizeof(double));
    if (!acc) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++) {
        int64_t best = 0;
        for (t = 0; t < R; t++) {
            double sacc = nic > 0 ? ic[t] : 0;
            for (k = 0; k < C; k++) sacc += infer__get_f64(X, r * C + k) * cf[t * C + k];
            acc[t] = sacc;
        }
        if (width == 2 && R == 1) { acc[1] = acc[0]; acc[0] = -acc[1]; }
        infer__misc_post(acc, width, pt);
        if (width > 1) {
            for (t = 1; t < width; t++) if (acc[t] > acc[best]) best = t;
            if (ls) ((const char **)c->out[0]->data)[r] = ls->strings[best];
            else ((int64_t *)c->out[0]->data)[r] = nli > 0 ? li[best] : best;
        } else {
            int pos = acc[0] >= (pt == 0 ? 0.0 : 0.5);
            if (ls) ((const char **)c->out[0]->data)[r] = pos && ls->n ? ls->strings[0] : "";
            else ((int64_t *)c->out[0]->data)[r] = pos ? (nli > 0 ? li[0] : 1) : 0;
        }
        if (infer__misc_has_out(c, 1))
            for (t = 0; t < width; t++) ((float *)c->out[1]->data)[r * width + t] = (float)acc[t];
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_scaler(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *of = NULL, *sc = NULL;
    int no = infer__k_attr_floats(c, "offset", &of), ns = infer__k_attr_floats(c, "scale", &sc);
    int64_t N, C, r, k;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    if ((no > 1 && no != C) || (ns > 1 && ns != C)) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "offset / scale do not fit X");
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++)
        for (k = 0; k < C; k++) {
            double v = infer__get_f64(X, r * C + k) - (no > 0 ? of[no == 1 ? 0 : k] : 0);
            ((float *)c->out[0]->data)[r * C + k] = (float)(v * (ns > 0 ? sc[ns == 1 ? 0 : k] : 1));
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_normalizer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *nm = infer__k_attr_s(c, "norm", "MAX");
    int64_t N, C, r, k;
    int mode;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    if (strcmp(nm, "MAX") == 0) mode = 0;
    else if (strcmp(nm, "L1") == 0) mode = 1;
    else if (strcmp(nm, "L2") == 0) mode = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown norm '%s'", nm);
    if (!infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    for (r = 0; r < N; r++) {
        double d = mode == 0 ? -HUGE_VAL : 0;
        for (k = 0; k < C; k++) {
            double v = infer__get_f64(X, r * C + k);
            if (mode == 0) { if (v > d) d = v; }
            else if (mode == 1) d += fabs(v);
            else d += v * v;
        }
        if (mode == 2) d = sqrt(d);
        for (k = 0; k < C; k++) {
            double v = infer__get_f64(X, r * C + k);
            ((float *)c->out[0]->data)[r * C + k] = (float)(d != 0 ? v / d : v);
        }
    }
    return INFER_STATUS_OK;
}

/* ---- ai.onnx.ml Imputer / OneHotEncoder / CategoryMapper / FeatureVectorizer ----------------- */
static infer_status infer__k_imputer(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const float *fv = NULL;
    const int64_t *iv = NULL;
    int nf = infer__k_attr_floats(c, "imputed_value_floats", &fv), ni = infer__k_attr_ints(c, "imputed_value_int64s", &iv);
    double rf = infer__k_attr_f(c, "replaced_value_float", 0.0f);
    int64_t ri = infer__k_attr_i(c, "replaced_value_int64", 0), N, C, r, k;
    int isf;
    infer_tensor *Y;
    infer_status st;
    INFER__MISC_NEED(c, 0);
    st = infer__misc_ml_x(c, X, &N, &C);
    if (st) return st;
    isf = infer__is_float(X->dtype);
    if (isf ? (nf < 1 || (nf > 1 && nf != C)) : (ni < 1 || (ni > 1 && ni != C)))
        return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "imputed values do not fit X");
    if (!infer__k_output(c, 0, X->dtype, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    Y = c->out[0];
    memcpy(Y->data, X->data, infer__tensor_bytes(X));
    for (r = 0; r < N; r++)
        for (k = 0; k < C; k++) {
            int64_t e = r * C + k;
            if (isf) {
                double v = infer__get_f64(X, e);
                if (v == rf || (v != v && rf != rf)) infer__set_f64(Y, e, fv[nf == 1 ? 0 : k]);
            } else if (infer__get_i64(X, e) == ri) {
                infer__set_i64(Y, e, iv[ni == 1 ? 0 : k]);
            }
        }
    return INFER_STATUS_OK;
}

static infer_status infer__k_one_hot_encoder(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const int64_t *ci = NULL;
    const infer__attr *cs = infer__attr_find(c->node, "cats_strings");
    int nci = infer__k_attr_ints(c, "cats_int64s", &ci), str, q;
    int64_t zeros = infer__k_attr_i(c, "zeros", 1), ncat, n, i, j, dims[INFER_MAX_RANK];
    float *y;
    INFER__MISC_NEED(c, 0);
    if (cs && cs->type != INFER__ATTR_STRINGS) cs = NULL;
    str = X->dtype == INFER_DTYPE_STRING;
    if (str ? !cs : nci < 0) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "categories of the input's type are missing");
    if (X->rank >= INFER_MAX_RANK) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "rank too large");
    ncat = str ? cs->n : nci;
    for (q = 0; q < X->rank; q++) dims[q] = X->dims[q];
    dims[X->rank] = ncat;
    if (infer__count_checked(X->rank + 1, dims) < 0) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "output too large");
    y = (float *)infer__k_output(c, 0, INFER_DTYPE_FLOAT, X->rank + 1, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        int found = 0;
        for (j = 0; j < ncat; j++) {
            int hit = str ? strcmp(infer__misc_str(X, i), cs->strings[j]) == 0 : infer__get_i64(X, i) == ci[j];
            y[i * ncat + j] = hit ? 1.0f : 0.0f;
            found |= hit;
        }
        if (!found && !zeros) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "unknown category in element %lld", (long long)i);
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_category_mapper(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const int64_t *ci = NULL;
    const infer__attr *cs = infer__attr_find(c->node, "cats_strings");
    int nci = infer__k_attr_ints(c, "cats_int64s", &ci);
    int64_t di = infer__k_attr_i(c, "default_int64", -1), n, i, j;
    const char *ds = infer__k_attr_s(c, "default_string", "_Unused");
    int str;
    INFER__MISC_NEED(c, 0);
    if (!cs || cs->type != INFER__ATTR_STRINGS || nci != cs->n) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "cats_int64s and cats_strings must have the same length");
    str = X->dtype == INFER_DTYPE_STRING;
    if (!str && X->dtype != INFER_DTYPE_INT64) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be string or int64");
    if (!infer__k_output(c, 0, str ? INFER_DTYPE_INT64 : INFER_DTYPE_STRING, X->rank, X->dims)) return INFER_STATUS_OUT_OF_MEMORY;
    n = infer__numel(X);
    for (i = 0; i < n; i++) {
        if (str) {
            int64_t v = di;
            const char *x = infer__misc_str(X, i);
            for (j = 0; j < nci; j++) if (strcmp(x, cs->strings[j]) == 0) { v = ci[j]; break; }
            ((int64_t *)c->out[0]->data)[i] = v;
        } else {
            const char *v = ds;
            int64_t x = ((const int64_t *)X->data)[i];
            for (j = 0; j < nci; j++) if (x == ci[j]) { v = cs->strings[j]; break; }
            ((const char **)c->out[0]->data)[i] = v;
        }
    }
    return INFER_STATUS_OK;
}

static infer_status infer__k_feature_vectorizer(infer__kctx *c) {
    const int64_t *idim = NULL;
    int nd = infer__k_attr_ints(c, "inputdimensions", &idim), k;
    int64_t N = -1, tot = 0, dims[2], r, off = 0;
    float *y;
    if (nd != c->n_in || nd < 1) return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "inputdimensions must have one value per input");
    for (k = 0; k < nd; k++) {
        const infer_tensor *t = INFER__IN(c, k);
        int64_t n;
        if (!t || t->dtype == INFER_DTYPE_STRING || !infer__dtype_size(t->dtype) || t->rank < 1 || idim[k] < 0 || idim[k] > ((int64_t)1 << 30))
            return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "bad input %d", k);
        n = t->rank == 1 ? 1 : t->dims[0];
        if (N >= 0 && n != N) return infer__k_fail(c, INFER_STATUS_SHAPE_MISMATCH, "inputs differ in batch size");
        N = n;
        tot += idim[k];
    }
    dims[0] = N; dims[1] = tot;
    y = (float *)infer__k_output(c, 0, INFER_DTYPE_FLOAT, 2, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    for (k = 0; k < nd; k++) {
        const infer_tensor *t = c->in[k];
        int64_t per = N ? infer__numel(t) / N : 0, j;
        for (r = 0; r < N; r++)
            for (j = 0; j < idim[k]; j++) y[r * tot + off + j] = j < per ? (float)infer__get_f64(t, r * per + j) : 0.0f;
        off += idim[k];
    }
    return INFER_STATUS_OK;
}

/* ---- ImageDecoder: BMP, PNM, uncompressed TIFF, PNG (own inflate) ---------------------------- */
typedef struct infer__img {
    const uint8_t *p;
    size_t n;
    int64_t w, h;
    int ch;              /* channels of the decoded buffer (1, 3 or 4) */
    uint8_t *pix;        /* decoded h*w*ch */
} infer__img;

static uint32_t infer__img_le(const uint8_t *p, int n) {
    uint32_t v = 0;
    int i;
    for (i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static uint32_t infer__img_be(const uint8_t *p, int n) {
    uint32_t v = 0;
    int i;
    for (i = 0; i < n; i++) v = (v << 8) | p[i];
    return v;
}

#define INFER__IMG_MAXDIM 65536
#define INFER__IMG_MAXPIX ((int64_t)1 << 26)

static int infer__img_dims_ok(int64_t w, int64_t h) {
    return w > 0 && h > 0 && w <= INFER__IMG_MAXDIM && h <= INFER__IMG_MAXDIM && w * h <= INFER__IMG_MAXPIX;
}

/* BMP: uncompressed 24 / 32 bit, or 8-bit paletted. pass 0: header only. */
static const char *infer__img_bmp(infer__img *im, int pass) {
    const uint8_t *p = im->p;
    uint32_t off, hs, bpp, comp, ncol;
    int32_t w, h;
    int64_t y, x, stride;
    if (im->n < 54) return "truncated BMP";
    off = infer__img_le(p + 10, 4);
    hs = infer__img_le(p + 14, 4);
    if (hs < 40) return "unsupported BMP header";
    w = (int32_t)infer__img_le(p + 18, 4);
    h = (int32_t)infer__img_le(p + 22, 4);
    bpp = infer__img_le(p + 28, 2);
    comp = infer__img_le(p + 30, 4);
    ncol = infer__img_le(p + 46, 4);
    if ((comp != 0 && !(comp == 3 && bpp == 32)) || (bpp != 24 && bpp != 32 && bpp != 8)) return "unsupported BMP format";
    im->w = w;
    im->h = h < 0 ? -(int64_t)h : h;
    im->ch = 3;
    if (!infer__img_dims_ok(im->w, im->h)) return "bad BMP size";
    stride = ((im->w * bpp + 31) / 32) * 4;
    if (off > im->n || (uint64_t)stride * (uint64_t)im->h > im->n - off) return "truncated BMP";
    if (bpp == 8) {
        if (ncol == 0) ncol = 256;
        if (ncol > 256 || 14 + hs + 4 * (uint64_t)ncol > im->n) return "bad BMP palette";
    }
    if (!pass) return NULL;
    for (y = 0; y < im->h; y++) {
        const uint8_t *row = p + off + (size_t)((h < 0 ? y : im->h - 1 - y) * stride);
        uint8_t *o = im->pix + (size_t)(y * im->w * 3);
        for (x = 0; x < im->w; x++) {
            const uint8_t *q;
            if (bpp == 8) {
                uint32_t idx = row[x];
                if (idx >= ncol) idx = 0;
                q = p + 14 + hs + 4 * idx;
            } else {
                q = row + x * (bpp / 8);
            }
            o[3 * x] = q[2]; o[3 * x + 1] = q[1]; o[3 * x + 2] = q[0];
        }
    }
    return NULL;
}

/* PNM: P5 / P6 binary, maxval <= 255. */
static const char *infer__img_pnm(infer__img *im, int pass) {
    const uint8_t *p = im->p;
    size_t i = 2;
    int64_t v[3];
    int k;
    for (k = 0; k < 3; k++) {
        int64_t x = 0;
        int d = 0;
        for (;;) {
            while (i < im->n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
            if (i < im->n && p[i] == '#') { while (i < im->n && p[i] != '\n') i++; continue; }
            break;
        }
        while (i < im->n && p[i] >= '0' && p[i] <= '9' && d < 9) { x = x * 10 + (p[i] - '0'); i++; d++; }
        if (!d) return "bad PNM header";
        v[k] = x;
    }
    i++; /* one whitespace byte */
    im->w = v[0]; im->h = v[1];
    im->ch = p[1] == '5' ? 1 : 3;
    if (!infer__img_dims_ok(im->w, im->h) || v[2] < 1 || v[2] > 255) return "unsupported PNM size or maxval";
    if (i > im->n || (uint64_t)(im->w * im->h * im->ch) > im->n - i) return "truncated PNM";
    if (!pass) return NULL;
    if (v[2] == 255) memcpy(im->pix, p + i, (size_t)(im->w * im->h * im->ch));
    else {
        int64_t q;
        for (q = 0; q < im->w * im->h * im->ch; q++) im->pix[q] = (uint8_t)((p[i + q] > v[2] ? v[2] : p[i + q]) * 255 / v[2]);
    }
    return NULL;
}

/* TIFF: uncompressed, 8-bit chunky RGB(A) or gray, strips. */
static const char *infer__img_tiff(infer__img *im, int pass) {
    const uint8_t *p = im->p;
    int be = p[0] == 'M', k;
    uint32_t ifd, nent, comp = 1, photo = 2, spp = 1, bps = 8, planar = 1, rps = 0xFFFFFFFFu;
    uint32_t so_cnt = 0, so_type = 0, so_off = 0, sb_cnt = 0, sb_type = 0, sb_off = 0;
    int64_t y, rowbytes;
    if (im->n < 8) return "truncated TIFF";
#define INFER__TIFF_U(o, n) (be ? infer__img_be(p + (o), (n)) : infer__img_le(p + (o), (n)))
    ifd = INFER__TIFF_U(4, 4);
    if ((uint64_t)ifd + 2 > im->n) return "bad TIFF";
    nent = INFER__TIFF_U(ifd, 2);
    if ((uint64_t)ifd + 2 + 12 * (uint64_t)nent > im->n) return "bad TIFF";
    im->w = im->h = 0;
    for (k = 0; k < (int)nent; k++) {
        size_t e = ifd + 2 + 12 * (size_t)k;
        uint32_t tag = INFER__TIFF_U(e, 2), typ = INFER__TIFF_U(e + 2, 2), cnt = INFER__TIFF_U(e + 4, 4);
        uint32_t val = typ == 3 ? INFER__TIFF_U(e + 8, 2) : INFER__TIFF_U(e + 8, 4);
        switch (tag) {
        case 256: im->w = val; break;
        case 257: im->h = val; break;
        case 258: bps = cnt == 1 ? val : (cnt * 2 <= 4 ? INFER__TIFF_U(e + 8, 2) : ((uint64_t)val + 2 <= im->n ? INFER__TIFF_U(val, 2) : 0)); break;
        case 259: comp = val; break;
        case 262: photo = val; break;
        case 273: so_cnt = cnt; so_type = typ; so_off = (uint32_t)e + 8; if ((typ == 3 ? 2u : 4u) * (uint64_t)cnt > 4) so_off = val; break;
        case 277: spp = val; break;
        case 278: rps = val; break;
        case 279: sb_cnt = cnt; sb_type = typ; sb_off = (uint32_t)e + 8; if ((typ == 3 ? 2u : 4u) * (uint64_t)cnt > 4) sb_off = val; break;
        case 284: planar = val; break;
        default: break;
        }
    }
    (void)sb_cnt; (void)sb_type; (void)sb_off;
    if (comp != 1 || bps != 8 || planar != 1 || (photo != 2 && photo != 1) || spp < 1 || spp > 4 || so_cnt == 0)
        return "unsupported TIFF (only uncompressed 8-bit chunky RGB / gray)";
    if (!infer__img_dims_ok(im->w, im->h)) return "bad TIFF size";
    if (rps == 0 || rps > im->h) rps = (uint32_t)im->h;
    if ((uint64_t)(im->h + rps - 1) / rps > so_cnt || (uint64_t)so_off + (uint64_t)so_cnt * (so_type == 3 ? 2 : 4) > im->n) return "bad TIFF strips";
    im->ch = photo == 2 ? 3 : 1;
    if (photo == 2 && spp < 3) return "bad TIFF samples";
    rowbytes = im->w * spp;
    for (y = 0; y < im->h; y++) {
        int64_t st = y / rps, x;
        uint64_t soff = so_type == 3 ? INFER__TIFF_U(so_off + 2 * (size_t)st, 2) : INFER__TIFF_U(so_off + 4 * (size_t)st, 4);
        uint64_t o = soff + (uint64_t)((y % rps) * rowbytes);
        if (o + (uint64_t)rowbytes > im->n) return "truncated TIFF";
        if (!pass) continue;
        for (x = 0; x < im->w; x++) {
            int q;
            for (q = 0; q < im->ch; q++) im->pix[(y * im->w + x) * im->ch + q] = p[o + (size_t)(x * spp + q)];
        }
    }
#undef INFER__TIFF_U
    return NULL;
}

/* Inflate (RFC 1951), bounded output. */
typedef struct infer__infl {
    const uint8_t *in;
    size_t n, pos;
    uint32_t bitbuf;
    int bitcnt;
    uint8_t *out;
    size_t olen, ocap;
    int err;
} infer__infl;

typedef struct infer__huff {
    int16_t count[16];
    int16_t sym[288];
} infer__huff;

static int infer__infl_bits(infer__infl *s, int need) {
    uint32_t v = s->bitbuf;
    while (s->bitcnt < need) {
        if (s->pos >= s->n) { s->err = 1; return 0; }
        v |= (uint32_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    s->bitbuf = v >> need;
    s->bitcnt -= need;
    return (int)(v & ((1u << need) - 1));
}

static int infer__infl_decode(infer__infl *s, const infer__huff *h) {
    int code = 0, first = 0, index = 0, len;
    for (len = 1; len < 16; len++) {
        int cnt;
        code |= infer__infl_bits(s, 1);
        if (s->err) return -1;
        cnt = h->count[len];
        if (code - cnt < first) return h->sym[index + (code - first)];
        index += cnt;
        first += cnt;
        first <<= 1;
        code <<= 1;
    }
    s->err = 1;
    return -1;
}

static int infer__infl_build(infer__huff *h, const int16_t *lens, int n) {
    int16_t offs[16];
    int len, sym, left = 1;
    for (len = 0; len < 16; len++) h->count[len] = 0;
    for (sym = 0; sym < n; sym++) h->count[lens[sym]]++;
    if (h->count[0] == n) return 0;
    for (len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0) return -1;
    }
    offs[1] = 0;
    for (len = 1; len < 15; len++) offs[len + 1] = (int16_t)(offs[len] + h->count[len]);
    for (sym = 0; sym < n; sym++)
        if (lens[sym]) h->sym[offs[lens[sym]]++] = (int16_t)sym;
    return left;
}

static int infer__infl_codes(infer__infl *s, const infer__huff *lc, const infer__huff *dc) {
    static const int16_t lbase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const int16_t lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    static const int16_t dbase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    static const int16_t dext[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    for (;;) {
        int sym = infer__infl_decode(s, lc);
        if (sym < 0) return -1;
        if (sym < 256) {
            if (s->olen >= s->ocap) return -1;
            s->out[s->olen++] = (uint8_t)sym;
        } else if (sym == 256) {
            return 0;
        } else {
            int len, dist;
            sym -= 257;
            if (sym >= 29) return -1;
            len = lbase[sym] + infer__infl_bits(s, lext[sym]);
            sym = infer__infl_decode(s, dc);
            if (sym < 0 || sym >= 30) return -1;
            dist = dbase[sym] + infer__infl_bits(s, dext[sym]);
            if (s->err || (size_t)dist > s->olen || s->olen + (size_t)len > s->ocap) return -1;
            while (len--) { s->out[s->olen] = s->out[s->olen - (size_t)dist]; s->olen++; }
        }
    }
}

static int infer__inflate(infer__infl *s) {
    infer__huff lc, dc;
    int16_t lens[320];
    int last, type, k;
    do {
        last = infer__infl_bits(s, 1);
        type = infer__infl_bits(s, 2);
        if (s->err) return -1;
        if (type == 0) {
            size_t len;
            s->bitbuf = 0; s->bitcnt = 0;
            if (s->pos + 4 > s->n) return -1;
            len = s->in[s->pos] | ((size_t)s->in[s->pos + 1] << 8);
            if ((s->in[s->pos + 2] ^ 0xFF) != (len & 0xFF) || (s->in[s->pos + 3] ^ 0xFF) != (len >> 8)) return -1;
            s->pos += 4;
            if (s->pos + len > s->n || s->olen + len > s->ocap) return -1;
            memcpy(s->out + s->olen, s->in + s->pos, len);
            s->pos += len; s->olen += len;
        } else if (type == 1) {
            for (k = 0; k < 144; k++) lens[k] = 8;
            for (; k < 256; k++) lens[k] = 9;
            for (; k < 280; k++) lens[k] = 7;
            for (; k < 288; k++) lens[k] = 8;
            infer__infl_build(&lc, lens, 288);
            for (k = 0; k < 30; k++) lens[k] = 5;
            infer__infl_build(&dc, lens, 30);
            if (infer__infl_codes(s, &lc, &dc)) return -1;
        } else if (type == 2) {
            static const uint8_t ord[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
            int nlen = infer__infl_bits(s, 5) + 257, ndist = infer__infl_bits(s, 5) + 1, ncode = infer__infl_bits(s, 4) + 4, idx;
            if (s->err || nlen > 286 || ndist > 30) return -1;
            for (k = 0; k < 19; k++) lens[k] = 0;
            for (k = 0; k < ncode; k++) lens[ord[k]] = (int16_t)infer__infl_bits(s, 3);
            if (s->err || infer__infl_build(&lc, lens, 19) != 0) return -1;
            for (idx = 0; idx < nlen + ndist;) {
                int sym = infer__infl_decode(s, &lc), rep, v = 0;
                if (sym < 0) return -1;
                if (sym < 16) { lens[idx++] = (int16_t)sym; continue; }
                if (sym == 16) { if (!idx) return -1; v = lens[idx - 1]; rep = 3 + infer__infl_bits(s, 2); }
                else if (sym == 17) rep = 3 + infer__infl_bits(s, 3);
                else rep = 11 + infer__infl_bits(s, 7);
                if (s->err || idx + rep > nlen + ndist) return -1;
                while (rep--) lens[idx++] = (int16_t)v;
            }
            if (lens[256] == 0) return -1;
            k = infer__infl_build(&lc, lens, nlen);
            if (k < 0 || (k > 0 && nlen - lc.count[0] != 1)) return -1;
            k = infer__infl_build(&dc, lens + nlen, ndist);
            if (k < 0 || (k > 0 && ndist - dc.count[0] != 1)) return -1;
            if (infer__infl_codes(s, &lc, &dc)) return -1;
        } else {
            return -1;
        }
    } while (!last);
    return 0;
}

static int infer__png_paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* PNG: 8-bit, not interlaced; gray, RGB, palette, gray+alpha, RGBA (alpha dropped). */
static const char *infer__img_png(infer__kctx *c, infer__img *im, int pass) {
    const uint8_t *p = im->p;
    size_t pos = 8, zlen = 0, plte = 0, nplte = 0;
    int depth, ctype, inter, spp, k;
    int64_t y, x, stride;
    uint8_t *z, *raw;
    infer__infl s;
    if (im->n < 33 || memcmp(p + 12, "IHDR", 4) != 0) return "bad PNG";
    im->w = infer__img_be(p + 16, 4);
    im->h = infer__img_be(p + 20, 4);
    depth = p[24]; ctype = p[25]; inter = p[28];
    if (!infer__img_dims_ok(im->w, im->h)) return "bad PNG size";
    if (depth != 8 || inter != 0 || (ctype != 0 && ctype != 2 && ctype != 3 && ctype != 4 && ctype != 6))
        return "unsupported PNG (only 8-bit, non-interlaced)";
    spp = ctype == 0 || ctype == 3 ? 1 : ctype == 4 ? 2 : ctype == 2 ? 3 : 4;
    im->ch = ctype == 0 || ctype == 4 ? 1 : 3;
    if (!pass) return NULL;
    /* gather the IDAT payload */
    while (pos + 12 <= im->n) {
        uint32_t len = infer__img_be(p + pos, 4);
        if ((uint64_t)len + 12 > im->n - pos) return "truncated PNG";
        if (memcmp(p + pos + 4, "IDAT", 4) == 0) zlen += len;
        if (memcmp(p + pos + 4, "PLTE", 4) == 0) { plte = pos + 8; nplte = len / 3; }
        if (memcmp(p + pos + 4, "IEND", 4) == 0) break;
        pos += 12 + (size_t)len;
    }
    if (ctype == 3 && !plte) return "PNG palette missing";
    z = (uint8_t *)infer__k_scratch(c, zlen + 1);
    stride = im->w * spp;
    raw = (uint8_t *)infer__k_scratch(c, (size_t)((stride + 1) * im->h));
    if (!z || !raw) return "out of memory";
    pos = 8; zlen = 0;
    while (pos + 12 <= im->n) {
        uint32_t len = infer__img_be(p + pos, 4);
        if (memcmp(p + pos + 4, "IDAT", 4) == 0) { memcpy(z + zlen, p + pos + 8, len); zlen += len; }
        if (memcmp(p + pos + 4, "IEND", 4) == 0) break;
        pos += 12 + (size_t)len;
    }
    if (zlen < 2 || (z[0] & 15) != 8 || ((z[0] << 8) | z[1]) % 31 != 0 || (z[1] & 32)) return "bad zlib stream";
    memset(&s, 0, sizeof s);
    s.in = z + 2; s.n = zlen - 2; s.out = raw; s.ocap = (size_t)((stride + 1) * im->h);
    if (infer__inflate(&s) || s.olen != s.ocap) return "corrupt PNG data";
    for (y = 0; y < im->h; y++) {
        uint8_t *row = raw + y * (stride + 1) + 1, *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
        int f = row[-1];
        for (x = 0; x < stride; x++) {
            int a = x >= spp ? row[x - spp] : 0, b = prev ? prev[x] : 0, cc = prev && x >= spp ? prev[x - spp] : 0, v;
            switch (f) {
            case 0: v = 0; break;
            case 1: v = a; break;
            case 2: v = b; break;
            case 3: v = (a + b) >> 1; break;
            case 4: v = infer__png_paeth(a, b, cc); break;
            default: return "bad PNG filter";
            }
            row[x] = (uint8_t)(row[x] + v);
        }
        for (x = 0; x < im->w; x++) {
            uint8_t *o = im->pix + (y * im->w + x) * im->ch;
            if (ctype == 3) {
                size_t idx = row[x] < nplte ? row[x] : 0;
                for (k = 0; k < 3; k++) o[k] = p[plte + 3 * idx + (size_t)k];
            } else {
                for (k = 0; k < im->ch; k++) o[k] = row[x * spp + k];
            }
        }
    }
    return NULL;
}

/* Baseline JPEG (SOF0/SOF1, Huffman, 8-bit) decoded as libjpeg does by default: the "islow" integer
   IDCT, fancy (triangle) upsampling of h2v1 / h2v2 chroma, fixed-point YCbCr -> RGB. */
typedef struct infer__jhuff {
    uint8_t bits[17];
    uint8_t vals[256];
    int present;
} infer__jhuff;

typedef struct infer__jpg {
    const uint8_t *p;
    size_t n, pos;
    uint32_t bitbuf;
    int bitcnt, marker_hit;
    uint16_t q[4][64];
    infer__jhuff dc[4], ac[4];
    int ncomp, hmax, vmax, restart;
    int cid[4], hs[4], vs[4], tq[4], td[4], ta[4], pred[4];
    int64_t bw[4], bh[4];       /* blocks per line / column of each component's buffer */
    int64_t dw[4], dh[4];       /* downsampled width / height */
    uint8_t *plane[4];
} infer__jpg;

static int infer__jpg_bit(infer__jpg *j) {
    if (j->bitcnt == 0) {
        uint8_t b = 0;
        if (!j->marker_hit && j->pos < j->n) {
            b = j->p[j->pos++];
            if (b == 0xFF) {
                uint8_t nx = j->pos < j->n ? j->p[j->pos] : 0;
                if (nx == 0) j->pos++;
                else { j->marker_hit = 1; j->pos--; b = 0; }
            }
        }
        j->bitbuf = b;
        j->bitcnt = 8;
    }
    j->bitcnt--;
    return (int)((j->bitbuf >> j->bitcnt) & 1);
}

static int infer__jpg_bits(infer__jpg *j, int n) {
    int v = 0;
    while (n--) v = (v << 1) | infer__jpg_bit(j);
    return v;
}

static int infer__jpg_huff(infer__jpg *j, const infer__jhuff *h) {
    int code = 0, first = 0, idx = 0, len;
    for (len = 1; len <= 16; len++) {
        code |= infer__jpg_bit(j);
        if (code - first < h->bits[len]) return h->vals[idx + code - first];
        idx += h->bits[len];
        first = (first + h->bits[len]) << 1;
        code <<= 1;
    }
    return -1;
}

static int infer__jpg_extend(int v, int t) { return t && v < (1 << (t - 1)) ? v - (1 << t) + 1 : v; }

static const uint8_t infer__jpg_zz[64] = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
                                          41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
                                          30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

static uint8_t infer__jpg_limit(int64_t v) {
    int idx = (int)(v & 1023);
    return (uint8_t)(idx < 128 ? idx + 128 : idx < 512 ? 255 : idx < 896 ? 0 : idx - 896);
}

#define INFER__JD(x, n) (((x) + ((int64_t)1 << ((n) - 1))) >> (n))
static void infer__jpg_idct(const int16_t *in, const uint16_t *q, uint8_t *out, int64_t stride) {
    int64_t ws[64], tmp0, tmp1, tmp2, tmp3, tmp10, tmp11, tmp12, tmp13, z1, z2, z3, z4, z5; /* 64-bit: corrupt data cannot overflow */
    int k;
    for (k = 0; k < 8; k++) {
        const int16_t *ip = in + k;
        const uint16_t *qp = q + k;
        int64_t *w = ws + k;
        if (!ip[8] && !ip[16] && !ip[24] && !ip[32] && !ip[40] && !ip[48] && !ip[56]) {
            int64_t dc = ((int64_t)ip[0] * qp[0]) * 4;
            w[0] = w[8] = w[16] = w[24] = w[32] = w[40] = w[48] = w[56] = dc;
            continue;
        }
        z2 = ip[16] * qp[16]; z3 = ip[48] * qp[48];
        z1 = (z2 + z3) * 4433;
        tmp2 = z1 + z3 * (-15137);
        tmp3 = z1 + z2 * 6270;
        z2 = ip[0] * qp[0]; z3 = ip[32] * qp[32];
        tmp0 = (z2 + z3) * 8192; tmp1 = (z2 - z3) * 8192;
        tmp10 = tmp0 + tmp3; tmp13 = tmp0 - tmp3; tmp11 = tmp1 + tmp2; tmp12 = tmp1 - tmp2;
        tmp0 = ip[56] * qp[56]; tmp1 = ip[40] * qp[40]; tmp2 = ip[24] * qp[24]; tmp3 = ip[8] * qp[8];
        z1 = tmp0 + tmp3; z2 = tmp1 + tmp2; z3 = tmp0 + tmp2; z4 = tmp1 + tmp3;
        z5 = (z3 + z4) * 9633;
        tmp0 *= 2446; tmp1 *= 16819; tmp2 *= 25172; tmp3 *= 12299;
        z1 *= -7373; z2 *= -20995; z3 *= -16069; z4 *= -3196;
        z3 += z5; z4 += z5;
        tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4;
        w[0] = INFER__JD(tmp10 + tmp3, 11); w[56] = INFER__JD(tmp10 - tmp3, 11);
        w[8] = INFER__JD(tmp11 + tmp2, 11); w[48] = INFER__JD(tmp11 - tmp2, 11);
        w[16] = INFER__JD(tmp12 + tmp1, 11); w[40] = INFER__JD(tmp12 - tmp1, 11);
        w[24] = INFER__JD(tmp13 + tmp0, 11); w[32] = INFER__JD(tmp13 - tmp0, 11);
    }
    for (k = 0; k < 8; k++) {
        const int64_t *w = ws + 8 * k;
        uint8_t *o = out + k * stride;
        z2 = w[2]; z3 = w[6];
        z1 = (z2 + z3) * 4433;
        tmp2 = z1 + z3 * (-15137);
        tmp3 = z1 + z2 * 6270;
        tmp0 = (w[0] + w[4]) * 8192; tmp1 = (w[0] - w[4]) * 8192;
        tmp10 = tmp0 + tmp3; tmp13 = tmp0 - tmp3; tmp11 = tmp1 + tmp2; tmp12 = tmp1 - tmp2;
        tmp0 = w[7]; tmp1 = w[5]; tmp2 = w[3]; tmp3 = w[1];
        z1 = tmp0 + tmp3; z2 = tmp1 + tmp2; z3 = tmp0 + tmp2; z4 = tmp1 + tmp3;
        z5 = (z3 + z4) * 9633;
        tmp0 *= 2446; tmp1 *= 16819; tmp2 *= 25172; tmp3 *= 12299;
        z1 *= -7373; z2 *= -20995; z3 *= -16069; z4 *= -3196;
        z3 += z5; z4 += z5;
        tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4;
        o[0] = infer__jpg_limit(INFER__JD(tmp10 + tmp3, 18)); o[7] = infer__jpg_limit(INFER__JD(tmp10 - tmp3, 18));
        o[1] = infer__jpg_limit(INFER__JD(tmp11 + tmp2, 18)); o[6] = infer__jpg_limit(INFER__JD(tmp11 - tmp2, 18));
        o[2] = infer__jpg_limit(INFER__JD(tmp12 + tmp1, 18)); o[5] = infer__jpg_limit(INFER__JD(tmp12 - tmp1, 18));
        o[3] = infer__jpg_limit(INFER__JD(tmp13 + tmp0, 18)); o[4] = infer__jpg_limit(INFER__JD(tmp13 - tmp0, 18));
    }
}
#undef INFER__JD

static int infer__jpg_block(infer__jpg *j, int ci, uint8_t *out, int64_t stride) {
    int16_t coef[64];
    int k, t;
    memset(coef, 0, sizeof coef);
    t = infer__jpg_huff(j, &j->dc[j->td[ci]]);
    if (t < 0 || t > 11) return -1;
    j->pred[ci] += infer__jpg_extend(infer__jpg_bits(j, t), t);
    if (j->pred[ci] > 32767 || j->pred[ci] < -32768) j->pred[ci] = (int16_t)(j->pred[ci] & 0xFFFF) ; /* corrupt data: wrap */
    coef[0] = (int16_t)j->pred[ci];
    for (k = 1; k < 64;) {
        int rs = infer__jpg_huff(j, &j->ac[j->ta[ci]]), r, sz;
        if (rs < 0) return -1;
        r = rs >> 4; sz = rs & 15;
        if (!sz) {
            if (r != 15) break;
            k += 16;
            continue;
        }
        k += r;
        if (k > 63 || sz > 10) return -1;
        coef[infer__jpg_zz[k++]] = (int16_t)infer__jpg_extend(infer__jpg_bits(j, sz), sz);
    }
    infer__jpg_idct(coef, j->q[j->tq[ci]], out, stride);
    return 0;
}

/* pass 0: headers up to SOS; pass 1: also the entropy-coded data into planes (allocated by caller). */
static const char *infer__img_jpeg(infer__kctx *c, infer__img *im, infer__jpg *j, int pass) {
    const uint8_t *p = im->p;
    size_t pos = 2;
    int k, sof = 0;
    memset(j, 0, sizeof *j);
    j->p = p; j->n = im->n;
    while (pos + 4 <= im->n) {
        int m;
        size_t len;
        if (p[pos] != 0xFF) return "bad JPEG marker";
        m = p[pos + 1];
        if (m == 0xFF) { pos++; continue; }
        len = infer__img_be(p + pos + 2, 2);
        if (len < 2 || pos + 2 + len > im->n) return "truncated JPEG";
        if (m == 0xDB) {
            size_t q = pos + 4;
            while (q < pos + 2 + len) {
                int pq = p[q] >> 4, tq = p[q] & 15;
                if (tq > 3 || pq > 1 || q + 1 + 64 * (size_t)(pq + 1) > pos + 2 + len) return "bad JPEG DQT";
                for (k = 0; k < 64; k++) j->q[tq][infer__jpg_zz[k]] = (uint16_t)(pq ? infer__img_be(p + q + 1 + 2 * k, 2) : p[q + 1 + k]);
                q += 1 + 64 * (size_t)(pq + 1);
            }
        } else if (m == 0xC4) {
            size_t q = pos + 4;
            while (q < pos + 2 + len) {
                int tc = p[q] >> 4, th = p[q] & 15, tot = 0;
                infer__jhuff *h;
                if (tc > 1 || th > 3 || q + 17 > pos + 2 + len) return "bad JPEG DHT";
                h = tc ? &j->ac[th] : &j->dc[th];
                for (k = 1; k <= 16; k++) { h->bits[k] = p[q + (size_t)k]; tot += h->bits[k]; }
                if (tot > 256 || q + 17 + (size_t)tot > pos + 2 + len) return "bad JPEG DHT";
                memcpy(h->vals, p + q + 17, (size_t)tot);
                h->present = 1;
                q += 17 + (size_t)tot;
            }
        } else if (m == 0xDD) {
            j->restart = (int)infer__img_be(p + pos + 4, 2);
        } else if (m == 0xC0 || m == 0xC1) {
            if (len < 8 || p[pos + 4] != 8) return "unsupported JPEG precision";
            im->h = infer__img_be(p + pos + 5, 2);
            im->w = infer__img_be(p + pos + 7, 2);
            j->ncomp = p[pos + 9];
            if ((j->ncomp != 1 && j->ncomp != 3) || len < 8 + 3 * (size_t)j->ncomp) return "unsupported JPEG components";
            if (!infer__img_dims_ok(im->w, im->h)) return "bad JPEG size";
            j->hmax = j->vmax = 1;
            for (k = 0; k < j->ncomp; k++) {
                const uint8_t *cp = p + pos + 10 + 3 * k;
                j->cid[k] = cp[0]; j->hs[k] = cp[1] >> 4; j->vs[k] = cp[1] & 15; j->tq[k] = cp[2] & 3;
                if (j->hs[k] < 1 || j->hs[k] > 2 || j->vs[k] < 1 || j->vs[k] > 2) return "unsupported JPEG sampling";
                if (j->hs[k] > j->hmax) j->hmax = j->hs[k];
                if (j->vs[k] > j->vmax) j->vmax = j->vs[k];
            }
            for (k = 0; k < j->ncomp; k++) {
                if (j->ncomp == 3 && k > 0 && (j->hs[k] != 1 || j->vs[k] != 1)) return "unsupported JPEG sampling";
                j->dw[k] = (im->w * j->hs[k] + j->hmax - 1) / j->hmax;
                j->dh[k] = (im->h * j->vs[k] + j->vmax - 1) / j->vmax;
                j->bw[k] = ((im->w + 8 * j->hmax - 1) / (8 * j->hmax)) * j->hs[k];
                j->bh[k] = ((im->h + 8 * j->vmax - 1) / (8 * j->vmax)) * j->vs[k];
            }
            if (j->ncomp == 1) { j->bw[0] = (im->w + 7) / 8; j->bh[0] = (im->h + 7) / 8; }
            im->ch = j->ncomp == 1 ? 1 : 3;
            sof = 1;
        } else if (m >= 0xC2 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            return "unsupported JPEG (progressive or arithmetic)";
        } else if (m == 0xDA) {
            int ns = p[pos + 4];
            int64_t mx, my, mcux, mcuy, nmcu = 0;
            if (!sof) return "JPEG scan before frame";
            if (!pass) return NULL;
            if (ns != j->ncomp || len < 6 + 2 * (size_t)ns) return "unsupported JPEG scan";
            for (k = 0; k < ns; k++) {
                int id = p[pos + 5 + 2 * k], q;
                for (q = 0; q < j->ncomp; q++)
                    if (j->cid[q] == id) break;
                if (q != k) return "unsupported JPEG component order";
                j->td[k] = p[pos + 6 + 2 * k] >> 4; j->ta[k] = p[pos + 6 + 2 * k] & 15;
                if (j->td[k] > 3 || j->ta[k] > 3 || !j->dc[j->td[k]].present || !j->ac[j->ta[k]].present) return "missing JPEG Huffman table";
            }
            for (k = 0; k < j->ncomp; k++) {
                j->plane[k] = (uint8_t *)infer__k_scratch(c, (size_t)(j->bw[k] * 8 * j->bh[k] * 8));
                if (!j->plane[k]) return "out of memory";
            }
            j->pos = pos + 2 + len;
            if (j->ncomp == 1) { mcux = j->bw[0]; mcuy = j->bh[0]; }
            else { mcux = j->bw[0] / j->hs[0]; mcuy = j->bh[0] / j->vs[0]; }
            for (my = 0; my < mcuy; my++)
                for (mx = 0; mx < mcux; mx++) {
                    if (j->restart && nmcu && nmcu % j->restart == 0) {
                        /* byte align, expect RSTn */
                        j->bitcnt = 0;
                        j->marker_hit = 0;
                        if (j->pos + 2 <= j->n && j->p[j->pos] == 0xFF && j->p[j->pos + 1] >= 0xD0 && j->p[j->pos + 1] <= 0xD7) j->pos += 2;
                        for (k = 0; k < j->ncomp; k++) j->pred[k] = 0;
                    }
                    nmcu++;
                    for (k = 0; k < j->ncomp; k++) {
                        int bx, by, hh = j->ncomp == 1 ? 1 : j->hs[k], vv = j->ncomp == 1 ? 1 : j->vs[k];
                        for (by = 0; by < vv; by++)
                            for (bx = 0; bx < hh; bx++) {
                                int64_t X0 = (mx * hh + bx) * 8, Y0 = (my * vv + by) * 8, st = j->bw[k] * 8;
                                if (infer__jpg_block(j, k, j->plane[k] + Y0 * st + X0, st)) return "corrupt JPEG data";
                            }
                    }
                }
            return NULL;
        }
        pos += 2 + len;
    }
    return "JPEG without image data";
}

/* Component k upsampled to full size, row y into out[w]. */
static void infer__jpg_uprow(const infer__jpg *j, int k, int64_t y, int64_t W, uint8_t *out, int *tmp) {
    const uint8_t *pl = j->plane[k];
    int64_t st = j->bw[k] * 8, dw = j->dw[k], dh = j->dh[k], x;
    int h2 = j->hs[k] < j->hmax, v2 = j->vs[k] < j->vmax;
    if (!h2 && !v2) { memcpy(out, pl + y * st, (size_t)W); return; }
    if (v2) {
        int64_t iy = y / 2, ny = (y & 1) ? (iy + 1 < dh ? iy + 1 : dh - 1) : (iy > 0 ? iy - 1 : 0);
        const uint8_t *r0 = pl + iy * st, *r1 = pl + ny * st;
        for (x = 0; x < dw; x++) tmp[x] = r0[x] * 3 + r1[x];
        if (!h2) { for (x = 0; x < W; x++) out[x] = (uint8_t)((tmp[x] * 4 + 8) >> 4); return; }
        if (dw == 1) { out[0] = (uint8_t)((tmp[0] * 4 + 8) >> 4); if (W > 1) out[1] = (uint8_t)((tmp[0] * 4 + 7) >> 4); return; }
        for (x = 0; x < dw; x++) {
            int th = tmp[x], lt = x > 0 ? tmp[x - 1] : th, nx = x + 1 < dw ? tmp[x + 1] : th, a, b;
            a = x == 0 ? (th * 4 + 8) >> 4 : (th * 3 + lt + 8) >> 4;
            b = x == dw - 1 ? (th * 4 + 7) >> 4 : (th * 3 + nx + 7) >> 4;
            if (2 * x < W) out[2 * x] = (uint8_t)a;
            if (2 * x + 1 < W) out[2 * x + 1] = (uint8_t)b;
        }
        return;
    }
    {
        const uint8_t *r = pl + y * st;
        if (dw == 1) { out[0] = r[0]; if (W > 1) out[1] = r[0]; return; }
        for (x = 0; x < dw; x++) {
            int v = r[x], a, b;
            a = x == 0 ? v : (v * 3 + r[x - 1] + 1) >> 2;
            b = x == dw - 1 ? v : (v * 3 + r[x + 1] + 2) >> 2;
            if (2 * x < W) out[2 * x] = (uint8_t)a;
            if (2 * x + 1 < W) out[2 * x + 1] = (uint8_t)b;
        }
    }
}

static const char *infer__img_jpeg_color(infer__kctx *c, infer__img *im, const infer__jpg *j) {
    int64_t y, x, W = im->w;
    uint8_t *rows;
    int *tmp;
    if (j->ncomp == 1) {
        for (y = 0; y < im->h; y++) memcpy(im->pix + y * W, j->plane[0] + y * j->bw[0] * 8, (size_t)W);
        return NULL;
    }
    rows = (uint8_t *)infer__k_scratch(c, (size_t)(3 * (W + 2)));
    tmp = (int *)infer__k_scratch(c, (size_t)(W + 2) * sizeof(int));
    if (!rows || !tmp) return "out of memory";
    for (y = 0; y < im->h; y++) {
        int k;
        for (k = 0; k < 3; k++) infer__jpg_uprow(j, k, y, W, rows + k * (W + 2), tmp);
        for (x = 0; x < W; x++) {
            int Y = rows[x], cb = rows[W + 2 + x] - 128, cr = rows[2 * (W + 2) + x] - 128, r, g, b;
            r = Y + (int)((91881 * cr + 32768) >> 16);
            g = Y + (int)(((-22554) * cb + 32768 + (-46802) * cr) >> 16);
            b = Y + (int)((116130 * cb + 32768) >> 16);
            im->pix[(y * W + x) * 3] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
            im->pix[(y * W + x) * 3 + 1] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
            im->pix[(y * W + x) * 3 + 2] = (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b);
        }
    }
    return NULL;
}

static infer_status infer__k_image_decoder(infer__kctx *c) {
    const infer_tensor *X = INFER__IN(c, 0);
    const char *fmt = infer__k_attr_s(c, "pixel_format", "RGB"), *err = NULL;
    int pf, kind, pass;
    int64_t dims[3], i, npix;
    infer__img im;
    infer__jpg jp;
    uint8_t *y;
    INFER__MISC_NEED(c, 0);
    if (X->dtype != INFER_DTYPE_UINT8 || X->rank != 1) return infer__k_fail(c, INFER_STATUS_TYPE_MISMATCH, "input must be a 1-D uint8 tensor");
    if (strcmp(fmt, "RGB") == 0) pf = 0;
    else if (strcmp(fmt, "BGR") == 0) pf = 1;
    else if (strcmp(fmt, "Grayscale") == 0) pf = 2;
    else return infer__k_fail(c, INFER_STATUS_INVALID_MODEL, "unknown pixel_format '%s'", fmt);
    memset(&im, 0, sizeof im);
    im.p = (const uint8_t *)X->data;
    im.n = (size_t)X->dims[0];
    if (im.n >= 2 && im.p[0] == 'B' && im.p[1] == 'M') kind = 0;
    else if (im.n >= 2 && im.p[0] == 'P' && (im.p[1] == '5' || im.p[1] == '6')) kind = 1;
    else if (im.n >= 4 && ((im.p[0] == 'I' && im.p[1] == 'I' && im.p[2] == 42 && im.p[3] == 0) || (im.p[0] == 'M' && im.p[1] == 'M' && im.p[2] == 0 && im.p[3] == 42))) kind = 2;
    else if (im.n >= 8 && memcmp(im.p, "\x89PNG\r\n\x1a\n", 8) == 0) kind = 3;
    else if (im.n >= 4 && im.p[0] == 0xFF && im.p[1] == 0xD8) kind = 4;
    else return infer__k_fail(c, INFER_STATUS_UNSUPPORTED, "unsupported image format");
    for (pass = 0; pass < 2 && !err; pass++) {
        if (pass) {
            npix = im.w * im.h;
            im.pix = (uint8_t *)infer__k_scratch(c, (size_t)(npix * 4));
            if (!im.pix) return INFER_STATUS_OUT_OF_MEMORY;
        }
        switch (kind) {
        case 0: err = infer__img_bmp(&im, pass); break;
        case 1: err = infer__img_pnm(&im, pass); break;
        case 2: err = infer__img_tiff(&im, pass); break;
        case 3: err = infer__img_png(c, &im, pass); break;
        default:
            err = infer__img_jpeg(c, &im, &jp, pass);
            if (!err && pass) err = infer__img_jpeg_color(c, &im, &jp);
            break;
        }
    }
    if (err) return infer__k_fail(c, INFER_STATUS_INVALID_ARGUMENT, "%s", err);
    dims[0] = im.h; dims[1] = im.w; dims[2] = pf == 2 ? 1 : 3;
    y = (uint8_t *)infer__k_output(c, 0, INFER_DTYPE_UINT8, 3, dims);
    if (!y) return INFER_STATUS_OUT_OF_MEMORY;
    npix = im.w * im.h;
    for (i = 0; i < npix; i++) {
        const uint8_t *q = im.pix + i * im.ch;
        int r = q[0], g = im.ch == 1 ? q[0] : q[1], b = im.ch == 1 ? q[0] : q[2];
        if (pf == 2) y[i] = im.ch == 1 ? q[0] : (uint8_t)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        else if (pf == 0) { y[3 * i] = (uint8_t)r; y[3 * i + 1] = (uint8_t)g; y[3 * i + 2] = (uint8_t)b; }
        else { y[3 * i] = (uint8_t)b; y[3 * i + 1] = (uint8_t)g; y[3 * i + 2] = (uint8_t)r; }
    }
    return INFER_STATUS_OK;
}

static const infer__op infer__ops_misc[] = {
    {"", "NegativeLogLikelihoodLoss", 1, 1000, infer__k_nllloss},
    {"", "SoftmaxCrossEntropyLoss", 1, 1000, infer__k_sceloss},
    {"", "QuantizeLinear", 1, 1000, infer__k_quantize_linear},
    {"", "DequantizeLinear", 1, 1000, infer__k_dequantize_linear},
    {"", "DynamicQuantizeLinear", 1, 1000, infer__k_dynamic_quantize_linear},
    {"", "QLinearMatMul", 1, 1000, infer__k_qlinear_matmul},
    {"", "QLinearConv", 1, 1000, infer__k_qlinear_conv},
    {"", "ConvInteger", 1, 1000, infer__k_conv_integer},
    {"", "NonMaxSuppression", 1, 1000, infer__k_nms},
    {"", "RoiAlign", 1, 1000, infer__k_roialign},
    {"", "GridSample", 1, 1000, infer__k_grid_sample},
    {"", "AffineGrid", 1, 1000, infer__k_affine_grid},
    {"", "Col2Im", 1, 1000, infer__k_col2im},
    {"", "CenterCropPad", 1, 1000, infer__k_center_crop_pad},
    {"", "DFT", 1, 1000, infer__k_dft},
    {"", "STFT", 1, 1000, infer__k_stft},
    {"", "HannWindow", 1, 1000, infer__k_hann_window},
    {"", "HammingWindow", 1, 1000, infer__k_hamming_window},
    {"", "BlackmanWindow", 1, 1000, infer__k_blackman_window},
    {"", "MelWeightMatrix", 1, 1000, infer__k_mel_weight_matrix},
    {"", "StringNormalizer", 1, 1000, infer__k_string_normalizer},
    {"", "StringConcat", 1, 1000, infer__k_string_concat},
    {"", "StringSplit", 1, 1000, infer__k_string_split},
    {"", "TfIdfVectorizer", 1, 1000, infer__k_tfidf},
    {"", "RegexFullMatch", 1, 1000, infer__k_regex_full_match},
    {"", "RandomUniform", 1, 1000, infer__k_random_uniform},
    {"", "RandomNormal", 1, 1000, infer__k_random_normal},
    {"", "RandomUniformLike", 1, 1000, infer__k_random_uniform_like},
    {"", "RandomNormalLike", 1, 1000, infer__k_random_normal_like},
    {"", "Bernoulli", 1, 1000, infer__k_bernoulli},
    {"", "Multinomial", 1, 1000, infer__k_multinomial},
    {"", "ImageDecoder", 1, 1000, infer__k_image_decoder},
    {"ai.onnx.ml", "LabelEncoder", 1, 1000, infer__k_label_encoder},
    {"ai.onnx.ml", "Binarizer", 1, 1000, infer__k_binarizer},
    {"ai.onnx.ml", "ArrayFeatureExtractor", 1, 1000, infer__k_array_feature_extractor},
    {"ai.onnx.ml", "TreeEnsemble", 1, 1000, infer__k_tree_ensemble},
    {"ai.onnx.ml", "TreeEnsembleRegressor", 1, 1000, infer__k_tree_ensemble_regressor},
    {"ai.onnx.ml", "TreeEnsembleClassifier", 1, 1000, infer__k_tree_ensemble_classifier},
    {"ai.onnx.ml", "LinearRegressor", 1, 1000, infer__k_linear_regressor},
    {"ai.onnx.ml", "LinearClassifier", 1, 1000, infer__k_linear_classifier},
    {"ai.onnx.ml", "Scaler", 1, 1000, infer__k_scaler},
    {"ai.onnx.ml", "Normalizer", 1, 1000, infer__k_normalizer},
    {"ai.onnx.ml", "Imputer", 1, 1000, infer__k_imputer},
    {"ai.onnx.ml", "OneHotEncoder", 1, 1000, infer__k_one_hot_encoder},
    {"ai.onnx.ml", "CategoryMapper", 1, 1000, infer__k_category_mapper},
    {"ai.onnx.ml", "FeatureVectorizer", 1, 1000, infer__k_feature_vectorizer},
    {"ai.onnx.preview.training", "Adagrad", 1, 1000, infer__k_adagrad},
    {"ai.onnx.preview.training", "Adam", 1, 1000, infer__k_adam},
    {"ai.onnx.preview.training", "Momentum", 1, 1000, infer__k_momentum},
    {NULL, NULL, 0, 0, NULL}
};
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

#if INFER__HAS_OPENMP && !defined(__clang__)
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
    size_t dyn_bytes;              /* their total, held to max_memory (a Loop's iterations add up) */
    /* the running node */
    infer__exec *cur;
    int cur_node;
    void *scratch_tmp[64];         /* plan mode: scratch blocks of the current node */
    int n_scratch_tmp;
    size_t scratch_used;
    int keep_values;               /* the optimizer's probes: prepare only runs the planning pass and keeps
                                      its small values (<= 4096 bytes) and every shape for reading */
    int shapes_only;               /* every run computes shapes only (the optimizer's probes) */
#ifdef INFER_PROFILE
    double prof_ms[4096];          /* developer build only: wall ms per top-graph node, summed over runs */
#endif
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
    if (s->opts.max_memory && (bytes > s->opts.max_memory || s->dyn_bytes > s->opts.max_memory - bytes)) return NULL;
    p = infer__alloc(&s->a, bytes + INFER__ALIGN);
    if (!p) return NULL;
    s->dyn[s->n_dyn++] = p;
    s->dyn_bytes += bytes;
    return (void *)(((uintptr_t)p + INFER__ALIGN - 1) / INFER__ALIGN * INFER__ALIGN);
}

static void infer__dyn_reset(infer_session *s) {
    size_t i;
    for (i = 0; i < s->n_dyn; i++) infer__free(&s->a, s->dyn[i]);
    s->n_dyn = 0;
    s->dyn_bytes = 0;
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
    if (!p && s->opts.max_memory && s->dyn_bytes > s->opts.max_memory - bytes)
        infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "run-time values above max_memory (%lu bytes)", (unsigned long)s->opts.max_memory);
    else if (!p) infer__k_fail(c, INFER_STATUS_OUT_OF_MEMORY, "out of memory (%lu bytes)", (unsigned long)bytes);
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

static const infer_tensor *infer__k_post_add(infer__kctx *c) {
    infer_session *s = (infer_session *)c->sess;
    return c->node->post_add && s->cur ? &s->cur->vals[c->node->post_add - 1].t : NULL;
}

/* A fused residual add and activation the kernel did not apply itself. */
static infer_status infer__epilogue(infer_session *s, infer__exec *e, const infer__node *n) {
    infer_tensor *y = &e->vals[n->out[0]].t;
    const infer_tensor *r = n->post_add ? &e->vals[n->post_add - 1].t : NULL;
    float *yd = (float *)y->data;
    int64_t i, cnt = infer__numel(y);
    if (y->dtype != INFER_DTYPE_FLOAT || (r && (r->dtype != INFER_DTYPE_FLOAT || infer__numel(r) != cnt)))
        return infer__sess_fail(s, INFER_STATUS_RUNTIME_ERROR, "node '%s' (%s): fused epilogue on mismatched tensors", n->name, n->op_type);
    {   /* the common activations get their own loops, which the compiler vectorises */
        const float *rd = r ? (const float *)r->data : NULL;
        float lo = n->post_alpha, hi = n->post_beta;
        if (n->post_act <= INFER__ACT_CLIP) { infer__epi_span(yd, rd, cnt, n->post_act, lo, hi); return INFER_STATUS_OK; }
        if (rd) for (i = 0; i < cnt; i++) yd[i] += rd[i];
        if (infer__act_ew(n->post_act) >= 0) { /* vectorised blocks, on the session's threads when large */
            int64_t nb = cnt / INFER__EW_VB, b;
            int nt = cnt * 16 < 262144 ? 1 : s->nthreads;
            (void)nt;
            INFER__OMP_FOR(nt)
            for (b = 0; b <= nb; b++) infer__act_span(yd + b * INFER__EW_VB, b < nb ? INFER__EW_VB : cnt - nb * INFER__EW_VB, n->post_act);
        } else
            for (i = 0; i < cnt; i++) yd[i] = infer__act(yd[i], n->post_act, n->post_alpha, n->post_beta);
    }
    return INFER_STATUS_OK;
}

#ifdef INFER_PROFILE
#include <time.h>
static double infer__prof_now(void) { /* process CPU time: robust on a busy machine (all threads summed) */
    return (double)clock() * 1e3 / CLOCKS_PER_SEC;
}
#endif

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
        c.shape_only = s->shapes_only || (e->mode == INFER__MODE_PLAN && s->m->plan_shapes_only);
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
#ifdef INFER_PROFILE
        {
            double t0 = infer__prof_now();
            st = n->op->fn(&c);
            if (!st && (n->post_act || n->post_add) && !c.epilogue_done) st = infer__epilogue(s, e, n), c.epilogue_done = 1;
            if (e->mode == INFER__MODE_RUN && !e->parent && i < 4096) s->prof_ms[i] += infer__prof_now() - t0;
        }
#else
        st = n->op->fn(&c);
#endif
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
        if (e->mode == INFER__MODE_PLAN) { /* free temporary blocks whose lifetime ended here (a probe keeps
                                              the small ones) */
            size_t keep = s->keep_values && e == &s->top ? 4096 : 0;
            for (j = 0; j < n->n_in; j++) {
                int v = n->in[j];
                if (v >= 0 && e->tmp[v] && e->end[v] <= i && e->need[v] > keep) { infer__free(&s->a, e->tmp[v]); e->tmp[v] = NULL; }
            }
            for (j = 0; j < n->n_out; j++) {
                int v = n->out[j];
                if (e->tmp[v] && e->end[v] <= i && e->need[v] > keep) { infer__free(&s->a, e->tmp[v]); e->tmp[v] = NULL; }
            }
            if (n->post_add && e->tmp[n->post_add - 1] && e->end[n->post_add - 1] <= i && e->need[n->post_add - 1] > keep) {
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
        e->end[i] = g->values[i].last_use;
        e->alias[i] = -1;
        e->need[i] = 0;
        e->tmp[i] = NULL;
    }
    for (i = 0; i < g->n_nodes; i++) e->scratch_need[i] = 0;
    e->mode = INFER__MODE_PLAN;
    st = infer__exec_begin(s, e, 0, NULL);
    if (!st) st = infer__exec_run(s, e);
    if (s->keep_values) return st; /* a probe: the values stay for reading (infer_session_destroy frees them) */
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
            if (n_iter > 1000000) return infer__k_fail(c, INFER_STATUS_LIMIT_EXCEEDED, "more than 1e6 iterations");
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

INFER_API int infer_op_count(void) {
    size_t t;
    int n = 0;
    for (t = 0; t < sizeof infer__op_tables / sizeof infer__op_tables[0]; t++) {
        const infer__op *op;
        for (op = infer__op_tables[t]; op->op_type; op++) n++;
    }
    return n;
}

INFER_API const char *infer_op_entry(int i, const char **domain, int *since, int *until) {
    size_t t;
    for (t = 0; t < sizeof infer__op_tables / sizeof infer__op_tables[0]; t++) {
        const infer__op *op;
        for (op = infer__op_tables[t]; op->op_type; op++)
            if (i-- == 0) {
                if (domain) *domain = op->domain;
                if (since) *since = op->since;
                if (until) *until = op->until;
                return op->op_type;
            }
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
static int infer__opt_shape_input(const infer__node *n);

/* Packs the constant float32 weights of Conv, Gemm and MatMul nodes for the GEMM (infer__gemm), once
   per model: Conv's W as A panels per group, Gemm's and MatMul's B as B panels. 0: out of memory. */
static int infer__prepack(infer_model *m) {
    infer__graph *g = m->graph;
    int i;
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *n = &g->nodes[i];
        const infer_tensor *w = n->n_in > 1 && n->in[1] >= 0 ? g->values[n->in[1]].init : NULL;
        float *pk;
        size_t pbytes;
        int wino = 0;
        if (!w || w->dtype != INFER_DTYPE_FLOAT || !w->data || n->domain[0]) continue;
        if (strcmp(n->op_type, "Conv") == 0 && w->rank >= 3) {
            int64_t G = infer__k_attr_i_node(n, "group", 1), M = w->dims[0], K = infer__numel(w) / (M > 0 ? M : 1), mg, q;
            size_t psz;
            if (G < 1 || M <= 0 || M % G || K <= 0 || w->dims[1] == 1) continue; /* depthwise: its own kernel */
            mg = M / G;
            wino = !(m->opts.disable_passes & INFER_PASS_WINOGRAD) && infer__wino_node_ok(n, w);
            psz = wino ? infer__wino_size(M, w->dims[1]) : infer__gemm_pack_size_a(mg, K);
            if (m->pool.limit && m->pool.total + psz * (size_t)G * sizeof(float) + 65536 > m->pool.limit) continue;
            pbytes = psz * (size_t)G * sizeof(float);
            pk = (float *)infer__pool_alloc(&m->pool, pbytes);
            if (!pk) return 0;
            if (wino) infer__wino_pack((const float *)w->data, M, w->dims[1], pk);
            else
                for (q = 0; q < G; q++) infer__gemm_pack_a((const float *)w->data + q * mg * K, K, 1, mg, K, 1.0f, pk + q * psz, 1);
        } else if ((strcmp(n->op_type, "Gemm") == 0 || strcmp(n->op_type, "MatMul") == 0) && w->rank == 2) {
            int tb = strcmp(n->op_type, "Gemm") == 0 && infer__k_attr_i_node(n, "transB", 0) != 0;
            int64_t K = tb ? w->dims[1] : w->dims[0], N = tb ? w->dims[0] : w->dims[1];
            if (K <= 0 || N <= 0) continue;
            if (m->pool.limit && m->pool.total + infer__gemm_pack_size_b(K, N) * sizeof(float) + 65536 > m->pool.limit) continue;
            pbytes = infer__gemm_pack_size_b(K, N) * sizeof(float);
            pk = (float *)infer__pool_alloc(&m->pool, pbytes);
            if (!pk) return 0;
            infer__gemm_pack_b((const float *)w->data, tb ? 1 : N, tb ? K : 1, K, N, pk, 1);
        } else
            continue;
        n->packed = pk;
        n->packed_src = w->data;
        n->packed_wino = wino;
        m->packed_bytes += pbytes;
    }
    return 1;
}

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
    if (!infer__prepack(m)) return infer__load_fail(&L, NULL, INFER_STATUS_OUT_OF_MEMORY, "out of memory packing weights");
    m->plan_shapes_only = 1; /* planning may skip the heavy compute when no shape depends on values */
    for (i = 0; i < m->graph->n_nodes && m->plan_shapes_only; i++) {
        const infer__node *n = &m->graph->nodes[i];
        int first = infer__opt_shape_input(n), j;
        if (first == 0 || n->n_outer) m->plan_shapes_only = 0;
        for (j = first > 0 ? first : n->n_in; j < n->n_in; j++)
            if (n->in[j] >= 0 && !m->graph->values[n->in[j]].init) m->plan_shapes_only = 0;
    }
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
    st->packed_bytes = m->packed_bytes;
    st->model_bytes = m->pool.total;
    st->ir_version = m->ir_version;
    st->opset = infer__opset_of(m->opsets, m->n_opsets, "");
    st->node_count = m->graph->n_nodes;
    for (i = 0; i < m->graph->n_values; i++) {
        const infer_tensor *t = m->graph->values[i].init;
        if (!t || m->graph->values[i].last_use < 0) continue; /* only what the executed graph reads */
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
    if (s->top.tmp) { /* a probe's values */
        int i;
        for (i = 0; i < s->top.g->n_values; i++) infer__free(&s->a, s->top.tmp[i]);
    }
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
/* ============================================================================================== */
/* >>optimize: load-time graph rewrites: shape and constant folding, pruning, BatchNorm folding   */
/* ============================================================================================== */
/* The passes work on the loaded graph in place: a node is removed by marking it dead, a value is
   replaced by another through repl[] (applied to every node input at the end), a folded value gets
   an initializer. infer__opt_finish() compacts the node list and recomputes lifetimes.
   Order (each pass can be turned off with its INFER_PASS_* bit in infer_options.disable_passes):
   level 1: constant folding, dead code. Level 2 first runs CSE (a weight shared by several nodes is
   then folded once), then shape folding by probing (two runs of the model on random data, with
   different symbolic dims: the shapes they see drive the shape-dependent rewrites below, and a value
   whose shape depends on input data is never trusted), constant folding again, pass-through and no-op
   pruning, Transpose pairs, BatchNorm folding, Mul/Add folding into Conv, CSE, LayerNorm and GELU
   recognition, MatMul + Add -> Gemm, and (run time only) softmax attention blocks as one node and
   the Conv/Gemm/MatMul epilogues (bias of a MatMul of any rank, residual Add, activation). With
   standard_ops_only (infer_model_encode) only rewrites a standard ONNX file of the model's opset can
   express are made. */

#define INFER__FOLD_MAX_BYTES ((size_t)64 << 20) /* no folded constant larger than this */

typedef struct infer__opt {
    infer_model *m;
    infer__graph *g;
    char *dead;                    /* per node */
    int *repl;                     /* per value: replacement value, or -1 */
    int *uses;                     /* per value: consumers (nodes, subgraph reads, graph outputs) */
    int folded, shape_folded, pruned, bn_folded, identities, fused, cse, noop, transposes, affine, gemm;
    infer_tensor *shapes;          /* per value: type and shape seen by the first probe (no data), or NULL */
    infer_tensor *shapes1;         /* ... by the second probe (other symbolic dims), or NULL: no symbolic dims */
    char *dyn;                     /* per value: its shape may depend on input data (or NULL) */
    unsigned off;                  /* INFER_PASS_* bits turned off */
} infer__opt;

#define INFER__OPT_ON(o, bit) (!((o)->off & (bit)))

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

static int infer__opt_probe(infer__opt *o, int probe, const char *derived, const char *dyn, int shapes_only,
                            infer_tensor *snap, void **bufs) {
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
    else { s->keep_values = 1; s->shapes_only = shapes_only; }
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
    if (ok && infer_session_prepare(s)) ok = 0; /* the planning pass computes what a probe reads */
    for (i = 0; ok && i < m->graph->n_values; i++) {
        const infer__rval *rv = &s->top.vals[i];
        size_t bytes;
        if (probe == 0 && o->shapes && rv->kind == INFER__KIND_TENSOR && !(shapes_only && dyn[i])) {
            o->shapes[i] = rv->t;
            o->shapes[i].data = NULL;
        }
        if (probe == 1 && o->shapes1 && rv->kind == INFER__KIND_TENSOR && !(shapes_only && dyn[i])) {
            o->shapes1[i] = rv->t;
            o->shapes1[i].data = NULL;
        }
        if (!derived[i]) continue;
        if (rv->kind != INFER__KIND_TENSOR || !rv->t.dtype || rv->t.dtype == INFER_DTYPE_STRING) { snap[i].dtype = -1; continue; }
        bytes = infer__tensor_bytes(&rv->t);
        if (bytes > 4096) { snap[i].dtype = -1; continue; }
        snap[i] = rv->t;
        infer__free(&m->pool.a, bufs[i]); /* a failed earlier probe may have left one */
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
    if (!INFER__OPT_ON(o, INFER_PASS_SHAPE_FOLD)) any = 0;
    for (i = 0; i < m->n_inputs; i++) {
        const infer__typeinfo *ti = &g->values[m->inputs[i]].type;
        for (j = 0; j < ti->rank; j++) if (ti->dims[j] < 0 || ti->dim_params[j]) symbolic = 1;
    }
    /* the probes' shapes serve the shape-dependent rewrites (no-op pruning, fusions) */
    o->shapes = (infer_tensor *)infer__pool_zalloc(&o->m->pool, (size_t)nv + 1, sizeof(infer_tensor));
    if (!o->shapes) return;
    if (symbolic) {
        o->shapes1 = (infer_tensor *)infer__pool_zalloc(&o->m->pool, (size_t)nv + 1, sizeof(infer_tensor));
        if (!o->shapes1) { o->shapes = NULL; return; }
    }
    derived = (char *)infer__alloc(&m->pool.a, (size_t)nv + 1);
    snap[0] = (infer_tensor *)infer__alloc(&m->pool.a, sizeof(infer_tensor) * (size_t)nv * 2 + 1);
    bufs[0] = (void **)infer__alloc(&m->pool.a, sizeof(void *) * (size_t)nv * 2 + 1);
    if (bufs[0]) memset(bufs[0], 0, sizeof(void *) * (size_t)nv * 2); /* freed at done: must be NULLs */
    if (!derived || !snap[0] || !bufs[0]) goto done;
    snap[1] = snap[0] + nv;
    bufs[1] = bufs[0] + nv;
    memset(derived, 0, (size_t)nv + 1);
    memset(snap[0], 0, sizeof(infer_tensor) * (size_t)nv * 2);
    /* dyn: the value's shape may depend on input data; such shapes are never folded */
    dyn = (char *)infer__pool_zalloc(&o->m->pool, (size_t)nv + 1, 1);
    if (!dyn) goto done;
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
    /* heavy kernels only compute shapes in the probes; a probe that fails that way (zeros reaching a
       Range step, say) is run again in full */
    if (!infer__opt_probe(o, 0, derived, dyn, 1, snap[0], bufs[0]) && !infer__opt_probe(o, 0, derived, dyn, 0, snap[0], bufs[0])) {
        o->shapes = o->shapes1 = NULL;
        goto done;
    }
    if (symbolic && !infer__opt_probe(o, 1, derived, dyn, 1, snap[1], bufs[1]) &&
        !infer__opt_probe(o, 1, derived, dyn, 0, snap[1], bufs[1])) {
        o->shapes = o->shapes1 = NULL;
        goto done;
    }
    o->dyn = dyn; /* kept (pool memory) for the shape-dependent rewrites */
    dyn = NULL;
    if (!any) goto done;
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
static int infer__opt_is(const infer__node *n, const char *op);
static int infer__opt_consumer(const infer__opt *o, int v, int skip);
static int infer__opt_other(const infer__node *n, int v);
static int infer__opt_rewrite(infer__opt *o, int at, const char *op, int n_in, const int *ins, int n_attr, const infer__attr *attrs);

/* 1 if values a and b have the same type and shape for every input: neither shape depends on input
   data, and both probes (the second with other symbolic dims) saw the same dims. */
static int infer__opt_same_shape_always(const infer__opt *o, int a, int b) {
    if (!o->shapes || !o->dyn || a < 0 || b < 0 || o->dyn[a] || o->dyn[b]) return 0;
    if (o->shapes[a].dtype <= 0 || !infer__same_shape(&o->shapes[a], &o->shapes[b])) return 0;
    if (o->shapes1 && (o->shapes1[a].dtype <= 0 || !infer__same_shape(&o->shapes1[a], &o->shapes1[b]))) return 0;
    return 1;
}

/* The rank of value v as both probes saw it (shape not data-dependent), else -1. */
static int infer__opt_rank(const infer__opt *o, int v) {
    if (!o->shapes || !o->dyn || v < 0 || o->dyn[v] || o->shapes[v].dtype <= 0) return -1;
    if (o->shapes1 && (o->shapes1[v].dtype <= 0 || o->shapes1[v].rank != o->shapes[v].rank)) return -1;
    return o->shapes[v].rank;
}

/* A Transpose's permutation (checked to be one); its rank, or -1 when unknown. */
static int infer__opt_perm(const infer__opt *o, const infer__node *n, int64_t *perm) {
    const infer__attr *a = infer__attr_find(n, "perm");
    int r, k, j;
    if (a && a->type != INFER__ATTR_INTS) return -1;
    if (a) {
        r = a->n;
        if (r < 0 || r > INFER_MAX_RANK) return -1;
        for (k = 0; k < r; k++) perm[k] = a->ints[k];
    } else {
        r = infer__opt_rank(o, n->in[0]);
        if (r < 0) return -1;
        for (k = 0; k < r; k++) perm[k] = r - 1 - k;
    }
    for (k = 0; k < r; k++) {
        if (perm[k] < 0 || perm[k] >= r) return -1;
        for (j = 0; j < k; j++) if (perm[j] == perm[k]) return -1;
    }
    return r;
}

/* 1 if the Transpose keeps the data in memory order: the axes longer than 1 stay in order (in both probes). */
static int infer__opt_transpose_keeps_order(const infer__opt *o, int v, const int64_t *perm, int r) {
    int pass, k;
    for (pass = 0; pass < 2; pass++) {
        const infer_tensor *t = pass ? (o->shapes1 ? &o->shapes1[v] : NULL) : (o->shapes ? &o->shapes[v] : NULL);
        int64_t last = -1;
        if (!t) { if (pass) break; return 0; }
        if (t->dtype <= 0 || t->rank != r) return 0;
        for (k = 0; k < r; k++) {
            if (t->dims[perm[k]] == 1) continue;
            if (perm[k] < last) return 0;
            last = perm[k];
        }
    }
    return 1;
}

/* 1 if all the (constant) values of v are zero; v absent counts as zero when `absent_ok`. */
static int infer__opt_all_zero(const infer__opt *o, int v) {
    const infer_tensor *t;
    int64_t k, n;
    if (!infer__opt_is_const(o, v)) return 0;
    t = o->g->values[v].init;
    if (t->dtype == INFER_DTYPE_STRING || !infer__dtype_size(t->dtype)) return 0;
    n = infer__numel(t);
    for (k = 0; k < n; k++) if (infer__get_f64(t, k) != 0) return 0;
    return 1;
}

/* A node that returns its first input unchanged (given what the probes saw): 1 Identity-like, 2 a no-op
   shape / movement op, 0 neither. */
static int infer__opt_noop_kind(const infer__opt *o, const infer__node *n) {
    const infer__graph *g = o->g;
    int src = n->in[0], dst = n->out[0];
    if (infer__opt_is(n, "Identity")) return 1;
    if (infer__opt_is(n, "Dropout")) {
        if (n->n_out > 1 && o->uses[n->out[1]]) return 0;            /* mask used */
        if (n->n_in > 2 && n->in[2] >= 0) {                            /* training_mode must be a constant false */
            const infer_tensor *t = g->values[n->in[2]].init;
            if (!t || infer__numel(t) != 1 || infer__get_f64(t, 0) != 0) return 0;
        }
        return 1;
    }
    if (infer__opt_is(n, "Cast")) {
        const infer__typeinfo *ti = &g->values[src].type;
        int to = (int)infer__k_attr_i_node(n, "to", -1);
        if (ti->dtype && ti->dtype == to && (g->values[src].init || g->values[src].is_input)) return 1; /* type known for sure */
        if (!INFER__OPT_ON(o, INFER_PASS_NOOP) || !o->shapes) return 0;
        return o->shapes[src].dtype > 0 && o->shapes[src].dtype == to && o->shapes[dst].dtype == to ? 1 : 0;
    }
    if (!INFER__OPT_ON(o, INFER_PASS_NOOP) || n->n_out != 1) return 0;
    if (infer__opt_is(n, "Reshape") || infer__opt_is(n, "Expand") || infer__opt_is(n, "Flatten") ||
        infer__opt_is(n, "Squeeze") || infer__opt_is(n, "Unsqueeze"))
        return infer__opt_same_shape_always(o, src, dst) ? 2 : 0;
    if (infer__opt_is(n, "Slice")) { /* same extent everywhere with positive steps: the whole tensor */
        int64_t k;
        if (n->n_in > 4 && n->in[4] >= 0) {
            const infer_tensor *st;
            if (!infer__opt_is_const(o, n->in[4])) return 0;
            st = g->values[n->in[4]].init;
            if (st->dtype == INFER_DTYPE_STRING) return 0;
            for (k = 0; k < infer__numel(st); k++) if (infer__get_i64(st, k) <= 0) return 0;
        }
        return infer__opt_same_shape_always(o, src, dst) ? 2 : 0;
    }
    if (infer__opt_is(n, "Pad")) { /* all pads zero */
        if (n->opset < 11) {
            const infer__attr *a = infer__attr_find(n, "pads");
            int k;
            if (!a || a->type != INFER__ATTR_INTS) return 0;
            for (k = 0; k < a->n; k++) if (a->ints[k] != 0) return 0;
            return 2;
        }
        return n->n_in > 1 && infer__opt_all_zero(o, n->in[1]) ? 2 : 0;
    }
    if (infer__opt_is(n, "Transpose")) {
        int64_t perm[INFER_MAX_RANK];
        int r = infer__opt_perm(o, n, perm), k, id = 1;
        if (r < 0) return 0;
        for (k = 0; k < r; k++) if (perm[k] != k) id = 0;
        if (id) return 2;
        return infer__opt_same_shape_always(o, src, dst) && infer__opt_transpose_keeps_order(o, src, perm, r) ? 2 : 0;
    }
    return 0;
}

/* Identity, inference Dropout, no-op Casts and no-op shape ops pass their input through: consumers
   read the input. */
static void infer__opt_passthrough(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int src, dst, kind;
        if (o->dead[i] || n->n_in < 1 || n->in[0] < 0 || n->n_out < 1 || n->domain[0]) continue;
        src = n->in[0];
        dst = n->out[0];
        kind = infer__opt_noop_kind(o, n);
        if (!kind) continue;
        if (g->values[dst].is_output || infer__opt_outer_read(g, dst)) continue; /* names read by name must stay */
        o->dead[i] = 1;
        infer__opt_replace(o, dst, src);
        if (kind == 1) o->identities++;
        else o->noop++;
    }
}

/* Transpose of a Transpose: one Transpose with the composed permutation, or nothing when they cancel. */
static void infer__opt_transposes(infer__opt *o) {
    infer__graph *g = o->g;
    int i, k;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int64_t p1[INFER_MAX_RANK], p2[INFER_MAX_RANK], q[INFER_MAX_RANK];
        int y, p, r, x, id = 1;
        if (o->dead[i] || !infer__opt_is(n, "Transpose") || n->n_in < 1 || n->n_out != 1 || (y = n->in[0]) < 0) continue;
        p = g->values[y].producer;
        if (p < 0 || p >= g->n_nodes || o->dead[p] || !infer__opt_is(&g->nodes[p], "Transpose") || g->nodes[p].n_out != 1 ||
            g->nodes[p].out[0] != y || g->nodes[p].n_in < 1 || (x = g->nodes[p].in[0]) < 0)
            continue;
        r = infer__opt_perm(o, &g->nodes[p], p1);
        if (r < 0 || infer__opt_perm(o, n, p2) != r) continue;
        for (k = 0; k < r; k++) { q[k] = p1[p2[k]]; if (q[k] != k) id = 0; }
        if (id) {
            if (g->values[n->out[0]].is_output || infer__opt_outer_read(g, n->out[0])) continue;
            o->dead[i] = 1;
            infer__opt_replace(o, n->out[0], x);
        } else {
            infer__attr at;
            int64_t *pi = (int64_t *)infer__pool_zalloc(&o->m->pool, (size_t)r + 1, sizeof(int64_t));
            if (!pi) return;
            memcpy(pi, q, sizeof(int64_t) * (size_t)r);
            memset(&at, 0, sizeof at);
            at.name = "perm"; at.type = INFER__ATTR_INTS; at.n = r; at.ints = pi;
            if (!infer__opt_rewrite(o, i, "Transpose", 1, &x, 1, &at)) continue;
        }
        o->transposes++;
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

/* A value slot for a new constant: a candidate that is a constant read by one node only (the node
   being rewritten or the one being removed), not yet taken. -1 if none. */
static int infer__opt_slot(const infer__opt *o, const int *cand, int nc, int taken) {
    int k;
    for (k = 0; k < nc; k++) {
        int v = cand[k];
        const infer__value *val;
        if (v < 0 || v == taken) continue;
        val = &o->g->values[v];
        if (val->init && o->uses[v] == 1 && !val->is_output && !val->is_input && !val->is_outer) return v;
    }
    return -1;
}

/* Folds y' = s[c] * y + t[c] (c: output channel, C of them) into node p: a Conv, ConvTranspose, Gemm,
   or a MatMul with a constant 2-D weight and a 2-D input (which becomes a Gemm). Its weight and bias
   get new constants in slots taken from cand; it then writes value `out`. 1 if done. */
static int infer__opt_fold_scale(infer__opt *o, int p, const double *s, const double *t, int64_t C, int out, const int *cand, int nc) {
    infer__graph *g = o->g;
    infer__node *cv = &g->nodes[p];
    const infer_tensor *w, *b = NULL;
    int kind, vw, vb, transB = 0, *outs;
    int64_t q, nw, group = 1, K = 1, ci;
    double beta = 1.0;
    infer_tensor tw, tb;
    float *wd, *bd;
    if (infer__opt_is(cv, "Conv")) kind = 0;
    else if (infer__opt_is(cv, "ConvTranspose")) kind = 1;
    else if (infer__opt_is(cv, "Gemm")) kind = 2;
    else if (infer__opt_is(cv, "MatMul")) kind = 3;
    else return 0;
    if (cv->n_in < 2 || cv->n_out != 1 || cv->post_act || cv->post_add || !infer__opt_is_const(o, cv->in[1]) || C <= 0) return 0;
    w = g->values[cv->in[1]].init;
    if (w->dtype != INFER_DTYPE_FLOAT) return 0;
    if (kind < 3 && cv->n_in > 2 && cv->in[2] >= 0) {
        if (!infer__opt_is_const(o, cv->in[2])) return 0;
        b = g->values[cv->in[2]].init;
        if (b->dtype != INFER_DTYPE_FLOAT) return 0;
    }
    if (cv->n_in > 3 || (kind == 3 && cv->n_in != 2)) return 0;
    nw = infer__numel(w);
    if (nw <= 0) return 0; /* every dim >= 1 from here: products of dims cannot overflow */
    switch (kind) {
    case 0:
        if (w->rank < 3 || w->dims[0] != C || (b && infer__numel(b) != C)) return 0;
        break;
    case 1:
        group = infer__k_attr_i_node(cv, "group", 1);
        if (w->rank < 3 || group < 1 || group > w->dims[0] || w->dims[0] % group || w->dims[1] * group != C || (b && infer__numel(b) != C)) return 0;
        K = w->dims[0] * w->dims[1] > 0 ? nw / (w->dims[0] * w->dims[1]) : 1;
        break;
    case 2:
        transB = (int)infer__k_attr_i_node(cv, "transB", 0);
        beta = infer__k_attr_f_node(cv, "beta", 1.0f);
        if (cv->opset < 7 || w->rank != 2 || (transB ? w->dims[0] : w->dims[1]) != C) return 0;
        if (b && infer__numel(b) != 1 && !(infer__numel(b) == C && (b->rank == 1 || (b->rank == 2 && b->dims[0] == 1)))) return 0;
        break;
    default:
        if (cv->opset < 7 || w->rank != 2 || w->dims[1] != C || infer__opt_rank(o, cv->in[0]) != 2) return 0;
        break;
    }
    vw = infer__opt_slot(o, cand, nc, -1);
    vb = infer__opt_slot(o, cand, nc, vw);
    if (vw < 0 || vb < 0) return 0;
    wd = (float *)infer__pool_alloc(&o->m->pool, (size_t)nw * sizeof(float) + 4);
    bd = (float *)infer__pool_alloc(&o->m->pool, (size_t)C * sizeof(float) + 4);
    outs = (int *)infer__pool_zalloc(&o->m->pool, 1, sizeof(int));
    if (!wd || !bd || !outs) return 0;
    ci = kind == 1 ? w->dims[0] / group : 1;
    for (q = 0; q < nw; q++) {
        int64_t c;
        switch (kind) {
        case 0: c = q / (nw / C); break;
        case 1: c = (q / (w->dims[1] * K)) / ci * w->dims[1] + (q / K) % w->dims[1]; break;
        case 2: c = transB ? q / w->dims[1] : q % w->dims[1]; break;
        default: c = q % w->dims[1]; break;
        }
        wd[q] = (float)(((const float *)w->data)[q] * s[c]);
    }
    for (q = 0; q < C; q++) {
        double bv = b ? beta * ((const float *)b->data)[infer__numel(b) == 1 ? 0 : q] : 0.0;
        bd[q] = (float)(bv * s[q] + t[q]);
    }
    tw = *w;
    tw.data = wd;
    memset(&tb, 0, sizeof tb);
    tb.dtype = INFER_DTYPE_FLOAT;
    tb.rank = 1;
    tb.dims[0] = C;
    tb.data = bd;
    {
        int ins[3];
        ins[0] = cv->in[0]; ins[1] = vw; ins[2] = vb;
        if (kind >= 2) { /* Gemm(A, W', b'), beta 1 */
            infer__attr at[8];
            int na = 0, k;
            memset(at, 0, sizeof at);
            for (k = 0; kind == 2 && k < cv->n_attr && na < 7; k++)
                if (strcmp(cv->attrs[k].name, "beta") != 0) at[na++] = cv->attrs[k];
            if (kind == 2 && na != cv->n_attr - (infer__attr_find(cv, "beta") ? 1 : 0)) return 0;
            if (!infer__opt_set_const(o, vw, &tw) || !infer__opt_set_const(o, vb, &tb)) return 0;
            if (!infer__opt_rewrite(o, p, "Gemm", 3, ins, na, at)) return 0;
        } else {
            int *nin = (int *)infer__pool_zalloc(&o->m->pool, 4, sizeof(int));
            if (!nin) return 0;
            if (!infer__opt_set_const(o, vw, &tw) || !infer__opt_set_const(o, vb, &tb)) return 0;
            memcpy(nin, ins, sizeof ins);
            cv->in = nin;
            cv->n_in = 3;
        }
    }
    outs[0] = out;
    cv->out = outs;
    g->values[out].producer = p;
    return 1;
}

/* The live node that produces value v as its only output, or -1. */
static int infer__opt_producer(const infer__opt *o, int v) {
    int p;
    if (v < 0) return -1;
    p = o->g->values[v].producer;
    if (p < 0 || p >= o->g->n_nodes || o->dead[p] || o->g->nodes[p].n_out != 1 || o->g->nodes[p].out[0] != v) return -1;
    return p;
}

/* Conv / ConvTranspose / Gemm / MatMul (constant weight) followed by BatchNormalization (constant
   parameters) -> one node with new weights and bias. */
static void infer__opt_fold_bn(infer__opt *o) {
    infer__graph *g = o->g;
    int i, k;
    infer__opt_count_uses(o);
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *bn = &g->nodes[i];
        const infer_tensor *sc, *bi, *mu, *va;
        int x, p, cand[6], ok;
        int64_t C, c;
        float eps;
        double *st;
        if (o->dead[i] || !infer__opt_is(bn, "BatchNormalization") || bn->n_in < 5 || bn->n_out != 1) continue;
        if (infer__k_attr_i_node(bn, "training_mode", 0) || infer__k_attr_i_node(bn, "spatial", 1) != 1) continue;
        x = bn->in[0];
        if ((p = infer__opt_producer(o, x)) < 0 || o->uses[x] != 1 || g->values[x].is_output) continue;
        for (k = 1; k < 5; k++) if (!infer__opt_is_const(o, bn->in[k])) break;
        if (k < 5) continue;
        sc = g->values[bn->in[1]].init; bi = g->values[bn->in[2]].init;
        mu = g->values[bn->in[3]].init; va = g->values[bn->in[4]].init;
        C = infer__numel(sc);
        if (sc->dtype != INFER_DTYPE_FLOAT || bi->dtype != INFER_DTYPE_FLOAT || mu->dtype != INFER_DTYPE_FLOAT || va->dtype != INFER_DTYPE_FLOAT ||
            C < 1 || infer__numel(bi) != C || infer__numel(mu) != C || infer__numel(va) != C)
            continue;
        eps = infer__k_attr_f_node(bn, "epsilon", 1e-5f);
        st = (double *)infer__alloc(&o->m->pool.a, sizeof(double) * (size_t)C * 2);
        if (!st) return;
        for (c = 0; c < C; c++) {
            st[c] = ((const float *)sc->data)[c] / sqrt((double)((const float *)va->data)[c] + eps);
            st[C + c] = ((const float *)bi->data)[c] - ((const float *)mu->data)[c] * st[c];
        }
        for (k = 0; k < 4; k++) cand[k] = bn->in[1 + k];
        cand[4] = g->nodes[p].in[1];
        cand[5] = g->nodes[p].n_in > 2 ? g->nodes[p].in[2] : -1;
        ok = infer__opt_fold_scale(o, p, st, st + C, C, bn->out[0], cand, 6);
        infer__free(&o->m->pool.a, st);
        if (!ok) continue;
        o->dead[i] = 1;
        o->bn_folded++;
    }
}

/* Conv / ConvTranspose followed by Mul, Add, Sub or Div with a per-channel (or scalar) constant:
   folded into the weights and bias when the Conv's output has no other reader. */
static void infer__opt_fold_affine(infer__opt *o) {
    infer__graph *g = o->g;
    int i, side;
    infer__opt_count_uses(o);
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int op;
        if (o->dead[i] || n->n_in != 2 || n->n_out != 1) continue;
        if (infer__opt_is(n, "Mul")) op = 0;
        else if (infer__opt_is(n, "Add")) op = 1;
        else if (infer__opt_is(n, "Sub")) op = 2;
        else if (infer__opt_is(n, "Div")) op = 3;
        else continue;
        for (side = 0; side < (op >= 2 ? 1 : 2); side++) {
            int y = n->in[side], kv = n->in[1 - side], p, r, d, cand[3], ok;
            const infer_tensor *w, *kt;
            int64_t C, c, kn;
            double *st;
            if ((p = infer__opt_producer(o, y)) < 0 || o->uses[y] != 1 || g->values[y].is_output || !infer__opt_is_const(o, kv)) continue;
            if (!infer__opt_is(&g->nodes[p], "Conv") && !infer__opt_is(&g->nodes[p], "ConvTranspose")) continue;
            if (g->nodes[p].n_in < 2 || !infer__opt_is_const(o, g->nodes[p].in[1])) continue;
            w = g->values[g->nodes[p].in[1]].init;
            kt = g->values[kv].init;
            r = w->rank;
            if (r < 3 || infer__numel(w) <= 0) continue;
            C = infer__k_attr_i_node(&g->nodes[p], "group", 1);
            if (C < 1 || C > w->dims[0]) continue;
            C = infer__opt_is(&g->nodes[p], "Conv") ? w->dims[0] : w->dims[1] * C;
            if (kt->dtype != INFER_DTYPE_FLOAT || w->dtype != INFER_DTYPE_FLOAT || kt->rank > r || r < 3 || C < 1) continue;
            for (d = 0; d < kt->rank; d++) { /* aligned to the right: 1 everywhere but the channel axis */
                int axis = r - kt->rank + d;
                if (kt->dims[d] != 1 && !(axis == 1 && kt->dims[d] == C)) break;
            }
            kn = infer__numel(kt);
            if (d < kt->rank || (kn != 1 && kn != C)) continue;
            st = (double *)infer__alloc(&o->m->pool.a, sizeof(double) * (size_t)C * 2);
            if (!st) return;
            for (c = 0; c < C; c++) {
                double k = ((const float *)kt->data)[kn == 1 ? 0 : c];
                st[c] = op == 0 ? k : op == 3 ? 1.0 / k : 1.0;
                st[C + c] = op == 1 ? k : op == 2 ? -k : 0.0;
                if (op == 3 && k == 0) break;
            }
            ok = 0;
            if (c == C) {
                cand[0] = kv;
                cand[1] = g->nodes[p].in[1];
                cand[2] = g->nodes[p].n_in > 2 ? g->nodes[p].in[2] : -1;
                ok = infer__opt_fold_scale(o, p, st, st + C, C, n->out[0], cand, 3);
            }
            infer__free(&o->m->pool.a, st);
            if (!ok) continue;
            o->dead[i] = 1;
            o->affine++;
            infer__opt_count_uses(o);
            break;
        }
    }
}

/* MatMul with a 2-D first input followed by Add of a constant bias (broadcast to the product's shape)
   -> Gemm(A, B, bias). */
static void infer__opt_matmul_gemm(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    infer__opt_count_uses(o);
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int y, q, bias, ins[3], *outs;
        const infer_tensor *bt;
        if (o->dead[i] || !infer__opt_is(n, "MatMul") || n->n_in != 2 || n->n_out != 1 || n->opset < 7 || n->post_act || n->post_add) continue;
        y = n->out[0];
        if (infer__opt_rank(o, n->in[0]) != 2 || o->shapes[y].dtype != INFER_DTYPE_FLOAT) continue;
        if ((infer__opt_is_const(o, n->in[1]) ? g->values[n->in[1]].init->rank : infer__opt_rank(o, n->in[1])) != 2) continue;
        if ((q = infer__opt_consumer(o, y, -1)) < 0 || !infer__opt_is(&g->nodes[q], "Add") || g->nodes[q].n_out != 1) continue;
        bias = infer__opt_other(&g->nodes[q], y);
        if (bias < 0 || bias == y || !infer__opt_is_const(o, bias)) continue;
        bt = g->values[bias].init;
        if (bt->dtype != INFER_DTYPE_FLOAT || bt->rank > 2 || !infer__opt_same_shape_always(o, y, g->nodes[q].out[0])) continue;
        outs = (int *)infer__pool_zalloc(&o->m->pool, 1, sizeof(int));
        if (!outs) return;
        ins[0] = n->in[0]; ins[1] = n->in[1]; ins[2] = bias;
        if (!infer__opt_rewrite(o, i, "Gemm", 3, ins, 0, NULL)) continue;
        outs[0] = g->nodes[q].out[0];
        g->nodes[i].out = outs;
        g->values[outs[0]].producer = i;
        o->dead[q] = 1;
        o->gemm++;
    }
}

/* Run time only: MatMul(A of any rank, constant 2-D float B [K, N]) + Add(constant bias of N
   elements along the last axis) -> MatMul(A, B, bias), the bias added in the GEMM's store
   (infer__k_matmul); the Gemm rewrite above covers 2-D A in files too. */
static void infer__opt_matmul_bias(infer__opt *o) {
    infer__graph *g = o->g;
    int i, d;
    if (!o->shapes) return;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *n = &g->nodes[i];
        int y, q, bias, ins[3], *outs, ok;
        const infer_tensor *bt, *wt;
        if (o->dead[i] || !infer__opt_is(n, "MatMul") || n->n_in != 2 || n->n_out != 1 || n->post_act || n->post_add) continue;
        y = n->out[0];
        if (o->shapes[y].dtype != INFER_DTYPE_FLOAT || !infer__opt_is_const(o, n->in[1]) || infer__opt_rank(o, n->in[0]) < 1) continue;
        wt = g->values[n->in[1]].init;
        if (wt->dtype != INFER_DTYPE_FLOAT || wt->rank != 2) continue;
        if ((q = infer__opt_consumer(o, y, -1)) < 0 || !infer__opt_is(&g->nodes[q], "Add") || g->nodes[q].n_out != 1) continue;
        bias = infer__opt_other(&g->nodes[q], y);
        if (bias < 0 || bias == y || !infer__opt_is_const(o, bias)) continue;
        bt = g->values[bias].init;
        ok = bt->dtype == INFER_DTYPE_FLOAT && bt->rank >= 1 && bt->dims[bt->rank - 1] == wt->dims[1] && infer__numel(bt) == wt->dims[1];
        for (d = 0; ok && d + 1 < bt->rank; d++) ok = bt->dims[d] == 1;
        if (!ok || bt->rank > o->shapes[y].rank || !infer__opt_same_shape_always(o, y, g->nodes[q].out[0])) continue;
        outs = (int *)infer__pool_zalloc(&o->m->pool, 1, sizeof(int));
        if (!outs) return;
        ins[0] = n->in[0]; ins[1] = n->in[1]; ins[2] = bias;
        if (!infer__opt_rewrite(o, i, "MatMul", 3, ins, 0, NULL)) continue;
        outs[0] = g->nodes[q].out[0];
        g->nodes[i].out = outs;
        g->values[outs[0]].producer = i;
        o->dead[q] = 1;
        o->fused++;
    }
}

static int infer__opt_scalar(const infer__opt *o, int v, double *val);

/* The factor a Mul / Div by a scalar float constant multiplies value v by (v the Mul's either input,
   the Div's dividend), or 0. */
static double infer__opt_scale_of(const infer__opt *o, const infer__node *n, int v) {
    double c;
    int other = infer__opt_other(n, v);
    if (other < 0 || other == v || !infer__opt_scalar(o, other, &c) || o->g->values[other].init->dtype != INFER_DTYPE_FLOAT) return 0;
    if (infer__opt_is(n, "Mul")) return c;
    if (infer__opt_is(n, "Div") && n->in[0] == v && c != 0) return 1.0 / c;
    return 0;
}

/* Run time only: [Mul/Div(Q, c)] -> MatMul(Q, Kt) -> [Mul/Div by c] -> [Add(mask)] -> Softmax(last
   axis) -> MatMul(., V) (float32) becomes one SoftmaxAttention node (infer__k_softmax_attention) in
   the place of the last MatMul. */
static void infer__opt_fuse_attention(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    if (!o->shapes) return;
    for (i = 0; i < g->n_nodes; i++) {
        infer__node *mm = &g->nodes[i], *f;
        int y, q, sm, mm2, mask = -1, qv, kv, vv, pre = -1, post = -1, add = -1, r, ax, *in;
        double scale = 1.0, c;
        infer__attr *at;
        if (o->dead[i] || !infer__opt_is(mm, "MatMul") || mm->n_in != 2 || mm->n_out != 1 || mm->post_act || mm->post_add) continue;
        qv = mm->in[0]; kv = mm->in[1]; y = mm->out[0];
        if (qv < 0 || kv < 0 || o->shapes[y].dtype != INFER_DTYPE_FLOAT || infer__opt_rank(o, qv) < 2 || infer__opt_rank(o, kv) < 2) continue;
        q = infer__opt_consumer(o, y, -1);
        if (q >= 0 && (c = infer__opt_scale_of(o, &g->nodes[q], y)) != 0 && g->nodes[q].n_out == 1) {
            post = q; scale *= c; y = g->nodes[q].out[0]; q = infer__opt_consumer(o, y, -1);
        }
        if (q >= 0 && infer__opt_is(&g->nodes[q], "Add") && g->nodes[q].n_out == 1) {
            mask = infer__opt_other(&g->nodes[q], y);
            if (mask < 0 || mask == y || o->shapes[mask].dtype != INFER_DTYPE_FLOAT || g->values[mask].is_outer ||
                (g->values[mask].producer >= 0 && g->values[mask].producer > i) || !infer__opt_same_shape_always(o, y, g->nodes[q].out[0]))
                continue;
            add = q; y = g->nodes[q].out[0]; q = infer__opt_consumer(o, y, -1);
        }
        if (q < 0 || !infer__opt_is(&g->nodes[q], "Softmax") || g->nodes[q].n_out != 1 || g->nodes[q].in[0] != y) continue;
        sm = q;
        r = infer__opt_rank(o, y);
        ax = (int)infer__k_attr_i_node(&g->nodes[sm], "axis", g->nodes[sm].opset < 13 ? 1 : -1);
        if (r < 2 || (ax != -1 && ax != r - 1)) continue;
        y = g->nodes[sm].out[0];
        mm2 = infer__opt_consumer(o, y, -1);
        if (mm2 < 0 || !infer__opt_is(&g->nodes[mm2], "MatMul") || g->nodes[mm2].n_in != 2 || g->nodes[mm2].n_out != 1 ||
            g->nodes[mm2].in[0] != y || g->nodes[mm2].post_act || g->nodes[mm2].post_add)
            continue;
        vv = g->nodes[mm2].in[1];
        if (vv < 0 || vv == y || infer__opt_rank(o, vv) < 2 || o->shapes[vv].dtype != INFER_DTYPE_FLOAT ||
            o->shapes[g->nodes[mm2].out[0]].dtype != INFER_DTYPE_FLOAT)
            continue;
        /* a scale applied to Q before the product (torch's MultiheadAttention) */
        if (g->values[qv].producer >= 0 && infer__opt_consumer(o, qv, -1) == i) {
            const infer__node *p = &g->nodes[g->values[qv].producer];
            int x = p->n_in == 2 ? p->in[0] : -1;
            if (!o->dead[g->values[qv].producer] && p->n_out == 1 && x >= 0 && (c = infer__opt_scale_of(o, p, x)) != 0 &&
                !infer__opt_is_const(o, x) && o->shapes[x].dtype == INFER_DTYPE_FLOAT && infer__opt_same_shape_always(o, x, qv)) {
                pre = g->values[qv].producer; scale *= c; qv = x;
            }
        }
        in = (int *)infer__pool_zalloc(&o->m->pool, 4, sizeof(int));
        at = (infer__attr *)infer__pool_zalloc(&o->m->pool, 1, sizeof(infer__attr));
        if (!in || !at) return;
        in[0] = qv; in[1] = kv; in[2] = vv; in[3] = mask;
        at->name = "scale"; at->type = INFER__ATTR_FLOAT; at->f = (float)scale;
        f = &g->nodes[mm2];
        f->op_type = infer__op_softmax_attention.op_type;
        f->domain = INFER__FUSED_DOMAIN;
        f->op = &infer__op_softmax_attention;
        f->in = in; f->n_in = 4;
        f->attrs = at; f->n_attr = 1;
        f->packed = NULL; f->packed_src = NULL;
        o->dead[i] = o->dead[sm] = 1;
        o->fused += 2;
        if (post >= 0) { o->dead[post] = 1; o->fused++; }
        if (add >= 0) { o->dead[add] = 1; o->fused++; }
        if (pre >= 0) { o->dead[pre] = 1; o->fused++; }
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

/* The other input of Mul node n when one input is the scalar constant c (within rel. tolerance tol), else -1. */
static int infer__opt_mul_by(const infer__opt *o, const infer__node *n, double c, double tol) {
    int k;
    double v;
    if (!infer__opt_is(n, "Mul") || n->n_in != 2 || n->n_out != 1) return -1;
    for (k = 0; k < 2; k++)
        if (infer__opt_scalar(o, n->in[k], &v) && fabs(v - c) <= tol * fabs(c) && n->in[1 - k] >= 0) return n->in[1 - k];
    return -1;
}

/* 1 if value v is x^3 (Pow(x, 3), x * (x * x) or (x * x) * x) whose nodes feed only `into`; adds them to list. */
static int infer__opt_is_cube(const infer__opt *o, int v, int x, int into, int *list, int *nl) {
    const infer__graph *g = o->g;
    int p = infer__opt_producer(o, v), sq, k;
    double e;
    if (p < 0 || infer__opt_consumer(o, v, -1) != into) return 0;
    if (infer__opt_is(&g->nodes[p], "Pow") && g->nodes[p].n_in == 2 && g->nodes[p].in[0] == x &&
        infer__opt_scalar(o, g->nodes[p].in[1], &e) && e == 3.0) {
        list[(*nl)++] = p;
        return 1;
    }
    if (!infer__opt_is(&g->nodes[p], "Mul") || g->nodes[p].n_in != 2) return 0;
    for (k = 0; k < 2; k++) {
        if (g->nodes[p].in[k] != x) continue;
        sq = infer__opt_producer(o, g->nodes[p].in[1 - k]);
        if (sq < 0 || !infer__opt_is(&g->nodes[sq], "Mul") || g->nodes[sq].n_in != 2 || g->nodes[sq].in[0] != x ||
            g->nodes[sq].in[1] != x || infer__opt_consumer(o, g->nodes[sq].out[0], -1) != p)
            continue;
        list[(*nl)++] = p;
        list[(*nl)++] = sq;
        return 1;
    }
    return 0;
}

/* 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))   becomes Gelu(x, approximate 'tanh'). */
static void infer__opt_fuse_gelu_tanh(infer__opt *o) {
    infer__graph *g = o->g;
    int i;
    for (i = 0; i < g->n_nodes; i++) {
        const infer__node *th = &g->nodes[i];
        int list[12], nl = 0, m3, a, ad, x = -1, side, a1, f1, f2, last = -1, other, ins[1], k;
        double one;
        infer__attr at;
        if (o->dead[i] || !infer__opt_is(th, "Tanh") || th->n_in != 1 || th->n_out != 1) continue;
        if ((m3 = infer__opt_producer(o, th->in[0])) < 0 || infer__opt_consumer(o, th->in[0], -1) != i) continue;
        if ((a = infer__opt_mul_by(o, &g->nodes[m3], 0.7978845608028654, 1e-4)) < 0) continue;
        if ((ad = infer__opt_producer(o, a)) < 0 || !infer__opt_is(&g->nodes[ad], "Add") || g->nodes[ad].n_in != 2 ||
            infer__opt_consumer(o, a, -1) != m3)
            continue;
        list[nl++] = m3;
        list[nl++] = ad;
        for (side = 0; side < 2 && x < 0; side++) {
            int m2 = infer__opt_producer(o, g->nodes[ad].in[1 - side]), cube, save = nl;
            if (m2 < 0 || infer__opt_consumer(o, g->nodes[ad].in[1 - side], -1) != ad) continue;
            if ((cube = infer__opt_mul_by(o, &g->nodes[m2], 0.044715, 1e-3)) < 0) continue;
            list[nl++] = m2;
            if (infer__opt_is_cube(o, cube, g->nodes[ad].in[side], m2, list, &nl)) x = g->nodes[ad].in[side];
            else nl = save;
        }
        if (x < 0) continue;
        if ((a1 = infer__opt_consumer(o, th->out[0], -1)) < 0 || !infer__opt_is(&g->nodes[a1], "Add") ||
            !infer__opt_scalar(o, infer__opt_other(&g->nodes[a1], th->out[0]), &one) || one != 1.0)
            continue;
        list[nl++] = a1;
        if ((f1 = infer__opt_consumer(o, g->nodes[a1].out[0], -1)) < 0 || !infer__opt_is(&g->nodes[f1], "Mul") || g->nodes[f1].n_in != 2) continue;
        other = infer__opt_other(&g->nodes[f1], g->nodes[a1].out[0]);
        if (other == x) { /* (x * (1 + t)) * 0.5 */
            if ((f2 = infer__opt_consumer(o, g->nodes[f1].out[0], -1)) >= 0 && infer__opt_mul_by(o, &g->nodes[f2], 0.5, 0) == g->nodes[f1].out[0]) {
                list[nl++] = f1;
                last = f2;
            }
        } else if (infer__opt_scalar(o, other, &one) && one == 0.5) { /* ((1 + t) * 0.5) * x */
            if ((f2 = infer__opt_consumer(o, g->nodes[f1].out[0], -1)) >= 0 && infer__opt_is(&g->nodes[f2], "Mul") &&
                infer__opt_other(&g->nodes[f2], g->nodes[f1].out[0]) == x) {
                list[nl++] = f1;
                last = f2;
            }
        } else { /* (0.5 * x) * (1 + t) */
            int h = infer__opt_producer(o, other);
            if (h >= 0 && infer__opt_mul_by(o, &g->nodes[h], 0.5, 0) == x && infer__opt_consumer(o, other, -1) == f1) {
                list[nl++] = h;
                last = f1;
            }
        }
        if (last < 0) continue;
        if (o->m->opts.standard_ops_only && g->nodes[last].opset < 20) continue;
        memset(&at, 0, sizeof at);
        at.name = "approximate"; at.type = INFER__ATTR_STRING; at.s = "tanh"; at.slen = 4; at.n = 1;
        ins[0] = x;
        if (!infer__opt_rewrite(o, last, "Gelu", 1, ins, 1, &at)) continue;
        o->dead[i] = 1;
        for (k = 0; k < nl; k++) o->dead[list[k]] = 1;
        o->fused += nl + 1;
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
        int bn;
        if (o->dead[i] || p->post_act || p->post_add || p->n_out != 1) continue;
        /* BatchNormalization in inference (pre-activation networks: BN -> Relu -> Conv) takes the
           activation only */
        bn = infer__opt_is(p, "BatchNormalization") && infer__k_attr_i_node(p, "training_mode", 0) == 0;
        if (!bn && !infer__opt_is(p, "Conv") && !infer__opt_is(p, "Gemm") && !infer__opt_is(p, "MatMul")) continue;
        y = p->out[0];
        if (o->shapes[y].dtype != INFER_DTYPE_FLOAT) continue;
        q = infer__opt_consumer(o, y, -1);
        if (!bn && q >= 0 && infer__opt_is(&g->nodes[q], "Add")) { /* residual of the same shape, computed earlier */
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
        } else if (!p->post_add && !bn) { /* SiLU: y * Sigmoid(y); HardSwish: y * HardSigmoid(y, 1/6, 1/2) (opset < 14 exports) */
            int k, sg = -1, mu = -1, uses = 0, j, a2 = INFER__ACT_SILU;
            for (k = i + 1; k < g->n_nodes; k++) {
                const infer__node *nk = &g->nodes[k];
                if (o->dead[k]) continue;
                for (j = 0; j < nk->n_in; j++)
                    if (nk->in[j] == y) {
                        uses++;
                        if (infer__opt_is(nk, "Sigmoid")) sg = k;
                        else if (infer__opt_is(nk, "HardSigmoid") && fabsf(infer__k_attr_f_node(nk, "alpha", 0.2f) - 1.0f / 6) < 1e-6f &&
                                 infer__k_attr_f_node(nk, "beta", 0.5f) == 0.5f) {
                            sg = k;
                            a2 = INFER__ACT_HARDSWISH;
                        } else if (infer__opt_is(nk, "Mul")) mu = k;
                    }
            }
            if (uses == 2 && sg >= 0 && mu >= 0 && !g->values[y].is_output && infer__opt_other(&g->nodes[mu], y) == g->nodes[sg].out[0] &&
                infer__opt_consumer(o, g->nodes[sg].out[0], -1) == mu) {
                p->post_act = a2;
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

static uint64_t infer__opt_hash_str(uint64_t h, const char *s) {
    while (*s) { h ^= (unsigned char)*s++; h *= 1099511628211ull; }
    return h * 1099511628211ull;
}

/* A hash of what identical nodes share: op, domain, opset, inputs, attribute names. */
static uint64_t infer__opt_node_hash(const infer__node *n) {
    uint64_t h = 1469598103934665603ull;
    int k;
    h = infer__opt_hash_str(h, n->op_type);
    h = infer__opt_hash_str(h, n->domain);
    h = (h ^ (uint64_t)(unsigned)n->opset) * 1099511628211ull;
    h = (h ^ (uint64_t)(unsigned)n->n_out) * 1099511628211ull;
    for (k = 0; k < n->n_in; k++) h = (h ^ (uint64_t)(unsigned)(n->in[k] + 2)) * 1099511628211ull;
    for (k = 0; k < n->n_attr; k++) h = infer__opt_hash_str(h, n->attrs[k].name);
    return h;
}

static int infer__opt_same_node(const infer__opt *o, const infer__node *a, const infer__node *b) {
    int k;
    if (a->n_in != b->n_in || a->n_out != b->n_out || a->n_attr != b->n_attr || a->post_act || a->post_add ||
        strcmp(a->op_type, b->op_type) || strcmp(a->domain, b->domain) || a->opset != b->opset)
        return 0;
    for (k = 0; k < a->n_in; k++) if (a->in[k] != b->in[k]) return 0;
    for (k = 0; k < a->n_attr; k++) if (!infer__opt_attr_equal(&a->attrs[k], &b->attrs[k])) return 0;
    for (k = 0; k < b->n_out; k++) if (o->g->values[b->out[k]].is_output || infer__opt_outer_read(o->g, b->out[k])) return 0;
    return 1;
}

/* Value numbering in node order: a node identical to an earlier one (after the replacements made so
   far, so chains of duplicates go too) reuses its outputs. An open-addressing table of node indices. */
static void infer__opt_cse(infer__opt *o) {
    infer__graph *g = o->g;
    int j, k, cap = 16;
    int *tab;
    while (cap < 2 * g->n_nodes + 2) cap *= 2;
    tab = (int *)infer__alloc(&o->m->pool.a, sizeof(int) * (size_t)cap);
    if (!tab) return;
    for (k = 0; k < cap; k++) tab[k] = -1;
    for (j = 0; j < g->n_nodes; j++) {
        const infer__node *b = &g->nodes[j];
        uint64_t h;
        int slot, dup = -1;
        if (o->dead[j] || !infer__opt_foldable(b) || b->post_act || b->post_add) continue;
        h = infer__opt_node_hash(b);
        slot = (int)(h & (uint64_t)(cap - 1));
        while (tab[slot] >= 0) {
            if (infer__opt_same_node(o, &g->nodes[tab[slot]], b)) { dup = tab[slot]; break; }
            slot = (slot + 1) & (cap - 1);
        }
        if (dup < 0) { tab[slot] = j; continue; }
        o->dead[j] = 1;
        for (k = 0; k < b->n_out; k++) infer__opt_replace(o, b->out[k], g->nodes[dup].out[k]);
        o->cse++;
    }
    infer__free(&o->m->pool.a, tab);
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
    o.off = m->opts.disable_passes;
    /* identical nodes first: a weight shared by several nodes is then folded once (one constant) */
    if (level >= 2 && INFER__OPT_ON(&o, INFER_PASS_NOOP)) { /* Identity first: exporters read shared weights through it */
        infer__opt_count_uses(&o);
        infer__opt_passthrough(&o);
    }
    if (level >= 2 && INFER__OPT_ON(&o, INFER_PASS_CSE)) infer__opt_cse(&o);
    if (INFER__OPT_ON(&o, INFER_PASS_CONSTANT_FOLD)) infer__opt_constant_fold(&o);
    st = infer__opt_finish(&o);
    if (st) return st;
    if (level >= 2) {
        if (~o.off & (INFER_PASS_SHAPE_FOLD | INFER_PASS_NOOP | INFER_PASS_TRANSPOSE | INFER_PASS_BN_FOLD | INFER_PASS_MATMUL_GEMM | INFER_PASS_EPILOGUE))
            infer__opt_shape_fold(&o); /* also probes the shapes the rewrites below depend on */
        if (INFER__OPT_ON(&o, INFER_PASS_CONSTANT_FOLD)) infer__opt_constant_fold(&o);
        infer__opt_count_uses(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_NOOP)) infer__opt_passthrough(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_TRANSPOSE)) infer__opt_transposes(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_BN_FOLD)) infer__opt_fold_bn(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_AFFINE_FOLD)) infer__opt_fold_affine(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_CSE)) infer__opt_cse(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_LAYERNORM)) infer__opt_fuse_layernorm(&o);
        if (INFER__OPT_ON(&o, INFER_PASS_GELU)) { infer__opt_fuse_gelu(&o); infer__opt_fuse_gelu_tanh(&o); }
        if (INFER__OPT_ON(&o, INFER_PASS_MATMUL_GEMM)) infer__opt_matmul_gemm(&o);
        if (!m->opts.standard_ops_only && INFER__OPT_ON(&o, INFER_PASS_ATTENTION)) infer__opt_fuse_attention(&o);
        if (!m->opts.standard_ops_only && INFER__OPT_ON(&o, INFER_PASS_EPILOGUE)) {
            infer__opt_matmul_bias(&o);
            infer__opt_fuse_epilogue(&o);
        }
    }
    if (INFER__OPT_ON(&o, INFER_PASS_DEAD_CODE)) infer__opt_dead_code(&o);
    st = infer__opt_finish(&o);
    m->opt_stats[0] = o.folded;
    m->opt_stats[1] = o.shape_folded;
    m->opt_stats[2] = o.pruned;
    m->opt_stats[3] = o.bn_folded;
    m->opt_stats[4] = o.identities;
    m->opt_stats[5] = o.fused;
    m->opt_stats[6] = o.cse;
    m->opt_stats[7] = o.noop;
    m->opt_stats[8] = o.transposes;
    m->opt_stats[9] = o.affine;
    m->opt_stats[10] = o.gemm;
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
#define INFER__ENC_SUB(w, field, code) do { infer__pbw sub_; memset(&sub_, 0, sizeof sub_); sub_.a = (w)->a; sub_.ext = (w)->ext; \
        { infer__pbw *const ws_ = &sub_; code; } \
        if (sub_.err) (w)->err = 1; \
        infer__pbw_bytes((w), (field), sub_.buf ? (const void *)sub_.buf : (const void *)"", sub_.len); \
        infer__free((w)->a, sub_.buf); } while (0)

static void infer__enc_graph(infer__pbw *w, const infer__graph *g, int depth);

/* External data (infer_model_save_file): initializers of at least min_bytes go, as raw bytes, to the
   side file `location` next to the model; the TensorProto keeps dims, type and name, with
   data_location EXTERNAL and external_data entries location / offset / length. fp NULL: a dry run
   that only counts the bytes. */
typedef struct infer__extw {
    const char *location;
    void *fp;                      /* FILE * */
    size_t min_bytes;
    uint64_t offset;               /* bytes written (or counted) so far */
    int io_err;
} infer__extw;

static void infer__enc_entry(infer__pbw *w, const char *key, const char *value) {
    INFER__ENC_SUB(w, 13, {
        infer__pbw_bytes(ws_, 1, key, strlen(key));
        infer__pbw_bytes(ws_, 2, value, strlen(value));
    });
}

static const char *infer__enc_u64(char *buf, uint64_t v) { /* buf: 21 bytes at least */
    char *p = buf + 20;
    *p = 0;
    do { *--p = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    return p;
}

static void infer__enc_init(infer__pbw *w, const infer_tensor *t, const char *name) {
    infer__extw *x = w->ext;
    size_t bytes = t->dtype == INFER_DTYPE_STRING || infer__is_packed_small(t->dtype) ? 0 : infer__tensor_bytes(t);
    char num[24];
    int i;
    if (!x || !bytes || bytes < x->min_bytes) { infer__encode_tensor(w, t, name); return; }
    if (t->rank) INFER__ENC_SUB(w, 1, for (i = 0; i < t->rank; i++) infer__pbw_varint(ws_, (uint64_t)t->dims[i]));
    infer__pbw_int(w, 2, t->dtype);
    if (name && *name) infer__pbw_bytes(w, 8, name, strlen(name));
    infer__enc_entry(w, "location", x->location);
    infer__enc_entry(w, "offset", infer__enc_u64(num, x->offset));
    infer__enc_entry(w, "length", infer__enc_u64(num, (uint64_t)bytes));
    infer__pbw_int(w, 14, 1); /* DataLocation EXTERNAL */
#ifndef INFER_NO_STDIO
    if (x->fp && fwrite(t->data, 1, bytes, (FILE *)x->fp) != bytes) x->io_err = 1;
#endif
    x->offset += bytes;
}

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
                INFER__ENC_SUB(w, 5, infer__enc_init(ws_, g->values[i].init, g->values[i].name));
        infer__free(w->a, used);
    }
    for (i = 0; i < g->n_inputs; i++) INFER__ENC_SUB(w, 11, infer__enc_value_info(ws_, &g->values[g->inputs[i]]));
    for (i = 0; i < g->n_outputs; i++) INFER__ENC_SUB(w, 12, infer__enc_value_info(ws_, &g->values[g->outputs[i]]));
}

/* 1 if node n is a run-time-only fusion that no standard ONNX file can express (a model loaded
   without standard_ops_only may hold them; infer_model_encode then refuses it). */
static int infer__enc_runtime_only(const infer__node *n) {
    return n->post_act || n->post_add || (infer__opt_is(n, "MatMul") && n->n_in > 2) || strcmp(n->domain, INFER__FUSED_DOMAIN) == 0;
}

static infer_status infer__model_encode(const infer_model *m, void **out, size_t *out_size, const infer_allocator *pa,
                                        infer__extw *ext) {
    infer__pbw w;
    int i;
    for (i = 0; i < m->graph->n_nodes; i++)
        if (infer__enc_runtime_only(&m->graph->nodes[i])) return INFER_STATUS_UNSUPPORTED; /* load with standard_ops_only */
    memset(&w, 0, sizeof w);
    w.a = pa;
    w.ext = ext;
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
    if (w.err) { infer__free(pa, w.buf); return INFER_STATUS_OUT_OF_MEMORY; }
    *out = w.buf;
    *out_size = w.len;
    return INFER_STATUS_OK;
}

INFER_API infer_status infer_model_encode(const infer_model *m, void **out, size_t *out_size, const infer_options *opts) {
    infer_allocator a;
    if (!m || !out || !out_size) return INFER_STATUS_INVALID_ARGUMENT;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    return infer__model_encode(m, out, out_size, &a, NULL);
}

#ifndef INFER_NO_STDIO
#define INFER__EXT_MIN_BYTES 1024 /* smaller initializers stay in the .onnx file */

INFER_API infer_status infer_model_save_file(const infer_model *m, const char *path, size_t external_over,
                                             const infer_options *opts, int *external) {
    infer_allocator a;
    infer__extw x;
    void *buf = NULL;
    size_t len = 0, pl;
    char *side = NULL;
    const char *base;
    FILE *fp;
    infer_status st;
    int use_ext;
    if (external) *external = 0;
    if (!m || !path || !*path) return INFER_STATUS_INVALID_ARGUMENT;
    memset(&a, 0, sizeof a);
    if (opts) a = opts->allocator;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!*base) return INFER_STATUS_INVALID_ARGUMENT;
    /* a dry run with every large initializer external: the file's size with them inline follows */
    memset(&x, 0, sizeof x);
    x.location = base;
    x.min_bytes = INFER__EXT_MIN_BYTES;
    st = infer__model_encode(m, &buf, &len, &a, &x);
    if (st) return st;
    use_ext = x.offset > 0 && (uint64_t)len + x.offset > (uint64_t)(external_over ? external_over : (size_t)0x7fffffff);
    if (!use_ext) {
        infer__free(&a, buf);
        buf = NULL;
        st = infer__model_encode(m, &buf, &len, &a, NULL);
        if (st) return st;
    } else { /* again, writing the data to PATH.data */
        infer__free(&a, buf);
        buf = NULL;
        pl = strlen(path);
        side = (char *)infer__alloc(&a, pl + 6);
        if (!side) return INFER_STATUS_OUT_OF_MEMORY;
        memcpy(side, path, pl);
        memcpy(side + pl, ".data", 6);
        fp = fopen(side, "wb");
        if (!fp) { infer__free(&a, side); return INFER_STATUS_IO_ERROR; }
        memset(&x, 0, sizeof x);
        x.location = side + (base - path);
        x.min_bytes = INFER__EXT_MIN_BYTES;
        x.fp = fp;
        st = infer__model_encode(m, &buf, &len, &a, &x);
        if (fclose(fp) != 0 || x.io_err) st = st ? st : INFER_STATUS_IO_ERROR;
        infer__free(&a, side);
        if (st) { infer__free(&a, buf); return st; }
    }
    fp = fopen(path, "wb");
    st = !fp || fwrite(buf, 1, len, fp) != len ? INFER_STATUS_IO_ERROR : INFER_STATUS_OK;
    if (fp && fclose(fp) != 0) st = INFER_STATUS_IO_ERROR;
    infer__free(&a, buf);
    if (!st && external) *external = use_ext;
    return st;
}
#else
INFER_API infer_status infer_model_save_file(const infer_model *m, const char *path, size_t external_over,
                                             const infer_options *opts, int *external) {
    (void)m; (void)path; (void)external_over; (void)opts;
    if (external) *external = 0;
    return INFER_STATUS_UNSUPPORTED;
}
#endif

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
    r->noop = m->opt_stats[7];
    r->transposes = m->opt_stats[8];
    r->affine_folded = m->opt_stats[9];
    r->gemm = m->opt_stats[10];
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
#endif /* INFER_IMPLEMENTATION */

/*
------------------------------------------------------------------------------------------------
This software is available under 2 licenses -- choose whichever you prefer.
------------------------------------------------------------------------------------------------
ALTERNATIVE A - MIT License
Copyright (c) 2026 the infer.h authors
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:
The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
------------------------------------------------------------------------------------------------
ALTERNATIVE B - Public Domain (www.unlicense.org)
This is free and unencumbered software released into the public domain. Anyone is free to copy,
modify, publish, use, compile, sell, or distribute this software, either in source code form or as
a compiled binary, for any purpose, commercial or non-commercial, and by any means.
------------------------------------------------------------------------------------------------
*/
