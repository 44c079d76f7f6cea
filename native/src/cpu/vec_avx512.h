// struct V for AVX-512: 16 float lanes. Included by a kernel file inside a namespace that is
// compiled under `#pragma GCC target("avx512f,avx512dq,avx512vl,fma")` (see simd.h), so the
// library itself builds for baseline x86-64 and this code only runs when CPUID says so.
// No include guard on purpose: each ISA section includes its own V.
struct V {
  using T = __m512;
  using M = __mmask16;
  static constexpr int W = 16;

  static inline T zero() { return _mm512_setzero_ps(); }
  static inline T set1(float a) { return _mm512_set1_ps(a); }
  static inline T load(const float* p) { return _mm512_loadu_ps(p); }
  static inline void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static inline M tail(int64_t n) { return (M)((1u << n) - 1u); }  // n < 16
  // Partial loads fill the missing lanes with `fill`, so a max/min over them is harmless.
  static inline T load_n(const float* p, int64_t n, float fill = 0.0f) {
    return _mm512_mask_loadu_ps(set1(fill), tail(n), p);
  }
  static inline void store_n(float* p, T v, int64_t n) { _mm512_mask_storeu_ps(p, tail(n), v); }

  static inline T add(T a, T b) { return _mm512_add_ps(a, b); }
  static inline T sub(T a, T b) { return _mm512_sub_ps(a, b); }
  static inline T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static inline T div(T a, T b) { return _mm512_div_ps(a, b); }
  static inline T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }    // a*b + c
  static inline T fnma(T a, T b, T c) { return _mm512_fnmadd_ps(a, b, c); }  // c - a*b
  // max/min return the second operand when either is NaN (vmaxps semantics).
  static inline T max(T a, T b) { return _mm512_max_ps(a, b); }
  static inline T min(T a, T b) { return _mm512_min_ps(a, b); }
  static inline T sqrt(T a) { return _mm512_sqrt_ps(a); }
  static inline T abs(T a) { return _mm512_abs_ps(a); }
  static inline T neg(T a) { return _mm512_xor_ps(a, set1(-0.0f)); }

  static inline M eq(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static inline M gt(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static inline M ge(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
  static inline M lt(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static inline M le(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static inline M unord(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q); }
  static inline T sel(M m, T a, T b) { return _mm512_mask_blend_ps(m, b, a); }  // m ? a : b

  static inline float hsum(T a) { return _mm512_reduce_add_ps(a); }
  static inline float hmax(T a) { return _mm512_reduce_max_ps(a); }
  static inline float hmin(T a) { return _mm512_reduce_min_ps(a); }

  // exp: n = round(x / ln2), r = x - n ln2 (two-part ln2), e^r by a degree-7 polynomial on
  // |r| <= ln2/2 (about 1 ulp), then scalef multiplies by 2^n and gets overflow to inf,
  // underflow to 0 and the denormal range right without clamping tricks.
  static inline T exp(T x) {
    T xc = min(set1(88.8f), max(set1(-104.0f), x));  // NaN passes (second operand)
    T n = _mm512_roundscale_ps(mul(xc, set1(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    T r = fnma(n, set1(0.693359375f), xc);
    r = fnma(n, set1(-2.12194440e-4f), r);
    T p = set1(1.9875691500e-4f);
    p = fma(p, r, set1(1.3981999507e-3f));
    p = fma(p, r, set1(8.3334519073e-3f));
    p = fma(p, r, set1(4.1665795894e-2f));
    p = fma(p, r, set1(1.6666665459e-1f));
    p = fma(p, r, set1(5.0000001201e-1f));
    T y = fma(p, mul(r, r), add(r, set1(1.0f)));
    return _mm512_scalef_ps(y, n);
  }

  // log: x = m 2^e with m in [sqrt(1/2), sqrt(2)) from getexp/getmant (denormals included),
  // log(m) = f - f^2/2 + f^3 P(f) with f = m - 1, plus e ln2 in two parts.
  static inline T log(T x) {
    T e = _mm512_getexp_ps(x);
    T m = _mm512_getmant_ps(x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_nan);
    M big = gt(m, set1(1.41421356237f));
    m = _mm512_mask_mul_ps(m, big, m, set1(0.5f));
    e = _mm512_mask_add_ps(e, big, e, set1(1.0f));
    T f = sub(m, set1(1.0f));
    T z = mul(f, f);
    T p = set1(7.0376836292e-2f);
    p = fma(p, f, set1(-1.1514610310e-1f));
    p = fma(p, f, set1(1.1676998740e-1f));
    p = fma(p, f, set1(-1.2420140846e-1f));
    p = fma(p, f, set1(1.4249322787e-1f));
    p = fma(p, f, set1(-1.6668057665e-1f));
    p = fma(p, f, set1(2.0000714765e-1f));
    p = fma(p, f, set1(-2.4999993993e-1f));
    p = fma(p, f, set1(3.3333331174e-1f));
    T y = mul(mul(p, f), z);
    y = fma(e, set1(-2.12194440e-4f), y);
    y = fnma(z, set1(0.5f), y);
    T r = add(f, y);
    r = fma(e, set1(0.693359375f), r);
    // Special values: log(0) = -inf, log(inf) = inf; negatives and NaN are already NaN.
    r = sel(eq(x, zero()), set1(-__builtin_inff()), r);
    r = sel(eq(x, set1(__builtin_inff())), x, r);
    return r;
  }
};
