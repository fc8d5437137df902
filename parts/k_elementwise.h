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
/* t = 1 / (1 + exp(-s * t)) * (mul_x ? x : 1) */
static void infer__ew_vsigmoid(float *t, float s, int mul_x) {
    float e[INFER__EW_VB];
    int k;
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
