// struct V for the portable path: one float "lane", libm for the transcendentals. The same
// templated kernels compile against it, so the portable path is the SIMD code with W = 1.
// No include guard on purpose.
struct V {
  using T = float;
  using M = bool;
  static constexpr int W = 1;

  static inline T zero() { return 0.0f; }
  static inline T set1(float a) { return a; }
  static inline T load(const float* p) { return *p; }
  static inline void store(float* p, T v) { *p = v; }
  static inline T load_n(const float* p, int64_t, float fill = 0.0f) { (void)p; return fill; }
  static inline void store_n(float*, T, int64_t) {}

  static inline T add(T a, T b) { return a + b; }
  static inline T sub(T a, T b) { return a - b; }
  static inline T mul(T a, T b) { return a * b; }
  static inline T div(T a, T b) { return a / b; }
  static inline T fma(T a, T b, T c) { return a * b + c; }
  static inline T fnma(T a, T b, T c) { return c - a * b; }
  static inline T max(T a, T b) { return a > b ? a : b; }  // like vmaxps: b when unordered
  static inline T min(T a, T b) { return a < b ? a : b; }
  static inline T sqrt(T a) { return std::sqrt(a); }
  static inline T abs(T a) { return std::fabs(a); }
  static inline T neg(T a) { return -a; }

  static inline M eq(T a, T b) { return a == b; }
  static inline M gt(T a, T b) { return a > b; }
  static inline M ge(T a, T b) { return a >= b; }
  static inline M lt(T a, T b) { return a < b; }
  static inline M le(T a, T b) { return a <= b; }
  static inline M unord(T a, T b) { return a != a || b != b; }
  static inline T sel(M m, T a, T b) { return m ? a : b; }

  static inline float hsum(T a) { return a; }
  static inline float hmax(T a) { return a; }
  static inline float hmin(T a) { return a; }

  static inline T exp(T x) { return std::exp(x); }
  static inline T log(T x) { return std::log(x); }
};
