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

static float infer__rnn_sigmoid(float x) {
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
