// struct V for AVX2 + FMA: 8 float lanes. Included inside a namespace compiled under
// `#pragma GCC target("avx2,fma")` (see simd.h). No include guard on purpose.
struct V {
  using T = __m256;
  using M = __m256;  // AVX2 has no mask registers: a mask is a vector of all-ones lanes
  static constexpr int W = 8;

  static inline T zero() { return _mm256_setzero_ps(); }
  static inline T set1(float a) { return _mm256_set1_ps(a); }
  static inline T load(const float* p) { return _mm256_loadu_ps(p); }
  static inline void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static inline __m256i tail(int64_t n) {  // n < 8: lanes [0, n) set
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static inline T load_n(const float* p, int64_t n, float fill = 0.0f) {
    __m256i m = tail(n);
    return _mm256_blendv_ps(set1(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
  }
  static inline void store_n(float* p, T v, int64_t n) { _mm256_maskstore_ps(p, tail(n), v); }

  static inline T add(T a, T b) { return _mm256_add_ps(a, b); }
  static inline T sub(T a, T b) { return _mm256_sub_ps(a, b); }
  static inline T mul(T a, T b) { return _mm256_mul_ps(a, b); }
  static inline T div(T a, T b) { return _mm256_div_ps(a, b); }
  static inline T fma(T a, T b, T c) { return _mm256_fmadd_ps(a, b, c); }
  static inline T fnma(T a, T b, T c) { return _mm256_fnmadd_ps(a, b, c); }
  static inline T max(T a, T b) { return _mm256_max_ps(a, b); }
  static inline T min(T a, T b) { return _mm256_min_ps(a, b); }
  static inline T sqrt(T a) { return _mm256_sqrt_ps(a); }
  static inline T abs(T a) { return _mm256_andnot_ps(set1(-0.0f), a); }
  static inline T neg(T a) { return _mm256_xor_ps(a, set1(-0.0f)); }

  static inline M eq(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static inline M gt(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static inline M ge(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
  static inline M lt(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static inline M le(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
  static inline M unord(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
  static inline T sel(M m, T a, T b) { return _mm256_blendv_ps(b, a, m); }

  static inline float hsum(T a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static inline float hmax(T a) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static inline float hmin(T a) {
    __m128 s = _mm_min_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_min_ps(s, _mm_movehl_ps(s, s));
    s = _mm_min_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }

  // exp as in vec_avx512.h, but 2^n is built in the exponent bits. n reaches 128 at the top of
  // the range, so we build 2^(n-1) and double it; results below ~1e-38 come out as 0.
  static inline T exp(T x) {
    const T hi = set1(88.72283f);
    T xc = min(hi, max(set1(-87.33654f), x));  // NaN passes (second operand)
    T n = _mm256_round_ps(mul(xc, set1(1.44269504088896341f)),
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
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(126)), 23);
    y = mul(mul(y, _mm256_castsi256_ps(bits)), set1(2.0f));
    return sel(gt(x, hi), set1(__builtin_inff()), y);
  }

  // log as in vec_avx512.h; exponent and mantissa come from the bits, denormals are scaled up
  // by 2^23 first.
  static inline T log(T x) {
    M tiny = lt(x, set1(1.17549435e-38f));
    T xs = sel(tiny, mul(x, set1(8388608.0f)), x);
    __m256i bits = _mm256_castps_si256(xs);
    T e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127)));
    e = sel(tiny, sub(e, set1(23.0f)), e);
    T m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x7fffff)),
                                              _mm256_set1_epi32(0x3f800000)));
    M big = gt(m, set1(1.41421356237f));
    m = sel(big, mul(m, set1(0.5f)), m);
    e = sel(big, add(e, set1(1.0f)), e);
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
    const T nan = set1(__builtin_nanf(""));
    r = sel(eq(x, zero()), set1(-__builtin_inff()), r);
    r = sel(lt(x, zero()), nan, r);
    r = sel(eq(x, set1(__builtin_inff())), x, r);
    r = sel(unord(x, x), x, r);
    return r;
  }
};
