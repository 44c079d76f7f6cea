// Elementwise kernel bodies, compiled once per ISA by isa_sections.inl (V is the vector type).
// No include guard on purpose.

// Below this many elements a loop runs on the calling thread: waking the pool costs more.
static constexpr int64_t kGrain = 32768;

// ------------------------------------------------------------------ unary forward
// The ops themselves are shared with CUDA (core/unary_ops.inl); this is the CPU's math for them.
struct VMath {
  using T = V::T;
  static T set1(float a) { return V::set1(a); }
  static T zero() { return V::zero(); }
  static T neg(T a) { return V::neg(a); }
  static T add(T a, T b) { return V::add(a, b); }
  static T sub(T a, T b) { return V::sub(a, b); }
  static T mul(T a, T b) { return V::mul(a, b); }
  static T div(T a, T b) { return V::div(a, b); }
  static T fma(T a, T b, T c) { return V::fma(a, b, c); }
  static T fnma(T a, T b, T c) { return V::fnma(a, b, c); }
  static T max(T a, T b) { return V::max(a, b); }
  static T abs(T a) { return V::abs(a); }
  static T sqrt(T a) { return V::sqrt(a); }
  static V::M gt(T a, T b) { return V::gt(a, b); }
  static V::M lt(T a, T b) { return V::lt(a, b); }
  static T sel(V::M m, T a, T b) { return V::sel(m, a, b); }
  static T exp(T x) { return V::exp(x); }
  static T log(T x) { return V::log(x); }
  static T tanh(T x) { return v_tanh(x); }
  static T sigmoid(T x) { return v_sigmoid(x); }
  static T softplus(T x) { return v_softplus(x); }
};

#include "core/unary_ops.inl"

template <class F>
static void unary_run(nv_ctx* ctx, int64_t n, const float* x, float* y, F f) {
  parallel_for(ctx, n, kGrain, [&](int64_t b, int64_t e) { v_map(e - b, x + b, y + b, f); });
}

static void unary(nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y, float a,
                  float b) {
  switch (op) {
#define NV_CASE(code, U)                                                         \
  case code: {                                                                   \
    const U<VMath> u{a, b};                                                      \
    unary_run(ctx, n, x, y, [u](V::T v) { return u.fwd(v); });                   \
    break;                                                                       \
  }
    NV_UNARY_OPS(NV_CASE)
#undef NV_CASE
    case NV_UNARY_POW:
      // libm pow per element: exp(a log x) loses |a log x| ulps and mishandles negative bases.
      parallel_for(ctx, n, kGrain / 8, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) y[i] = std::pow(x[i], a);
      });
      break;
    default: break;
  }
}

// ------------------------------------------------------------------ unary backward
template <class G>
static void grad_run(nv_ctx* ctx, int64_t n, const float* x, const float* y, const float* dy,
                     float* dx, G g) {
  parallel_for(ctx, n, kGrain, [&](int64_t lo, int64_t hi) {
    int64_t i = lo;
    for (; i + V::W <= hi; i += V::W) V::store(dx + i, g(V::load(x + i), V::load(y + i), V::load(dy + i)));
    if (i < hi) {
      int64_t r = hi - i;
      V::store_n(dx + i, g(V::load_n(x + i, r), V::load_n(y + i, r), V::load_n(dy + i, r)), r);
    }
  });
}

static void unary_backward(nv_ctx* ctx, int32_t op, int64_t n, const float* x, const float* y,
                           const float* dy, float* dx, float a, float b) {
  switch (op) {
#define NV_CASE(code, U)                                                         \
  case code: {                                                                   \
    const U<VMath> u{a, b};                                                      \
    grad_run(ctx, n, x, y, dy, dx, [u](V::T xv, V::T yv, V::T dyv) { return u.bwd(xv, yv, dyv); }); \
    break;                                                                       \
  }
    NV_UNARY_OPS(NV_CASE)
#undef NV_CASE
    case NV_UNARY_POW:
      // d x^a = a x^(a-1); a == 0 gives 0 everywhere (also at x = 0, where pow(0, -1) = inf).
      parallel_for(ctx, n, kGrain / 8, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i)
          dx[i] = a == 0.0f ? 0.0f * dy[i] : dy[i] * a * std::pow(x[i], a - 1.0f);
      });
      break;
    default: break;
  }
}

// ------------------------------------------------------------------ binary and compare
// Each op has a vector form v and a scalar form s (for gathers through general strides).
// maximum/minimum propagate NaN, as torch.maximum does.
struct BAdd {
  static V::T v(V::T a, V::T b) { return V::add(a, b); }
  static float s(float a, float b) { return a + b; }
};
struct BSub {
  static V::T v(V::T a, V::T b) { return V::sub(a, b); }
  static float s(float a, float b) { return a - b; }
};
struct BMul {
  static V::T v(V::T a, V::T b) { return V::mul(a, b); }
  static float s(float a, float b) { return a * b; }
};
struct BDiv {
  static V::T v(V::T a, V::T b) { return V::div(a, b); }
  static float s(float a, float b) { return a / b; }
};
struct BMax {
  static V::T v(V::T a, V::T b) { return V::sel(V::unord(a, b), V::add(a, b), V::max(a, b)); }
  static float s(float a, float b) { return (a != a || b != b) ? a + b : (a > b ? a : b); }
};
struct BMin {
  static V::T v(V::T a, V::T b) { return V::sel(V::unord(a, b), V::add(a, b), V::min(a, b)); }
  static float s(float a, float b) { return (a != a || b != b) ? a + b : (a < b ? a : b); }
};
#define NV_CMP(Name, vop, sop)                                                              \
  struct Name {                                                                             \
    static V::T v(V::T a, V::T b) { return V::sel(V::vop(a, b), V::set1(1.0f), V::zero()); } \
    static float s(float a, float b) { return (a sop b) ? 1.0f : 0.0f; }                    \
  };
NV_CMP(CEq, eq, ==)
NV_CMP(CGt, gt, >)
NV_CMP(CGe, ge, >=)
NV_CMP(CLt, lt, <)
NV_CMP(CLe, le, <=)
#undef NV_CMP

// out[i] = a[i sa] op b[i sb] for i in [0, n): vectorised when each side is contiguous or a
// broadcast scalar (the bias-add and tensor-scalar cases), a gather otherwise.
template <class Op>
static void binary_row(int64_t n, const float* a, int64_t sa, const float* b, int64_t sb,
                       float* out) {
  int64_t i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + V::W <= n; i += V::W) V::store(out + i, Op::v(V::load(a + i), V::load(b + i)));
    if (i < n) V::store_n(out + i, Op::v(V::load_n(a + i, n - i), V::load_n(b + i, n - i)), n - i);
  } else if (sa == 1 && sb == 0) {
    V::T bv = V::set1(*b);
    for (; i + V::W <= n; i += V::W) V::store(out + i, Op::v(V::load(a + i), bv));
    if (i < n) V::store_n(out + i, Op::v(V::load_n(a + i, n - i), bv), n - i);
  } else if (sa == 0 && sb == 1) {
    V::T av = V::set1(*a);
    for (; i + V::W <= n; i += V::W) V::store(out + i, Op::v(av, V::load(b + i)));
    if (i < n) V::store_n(out + i, Op::v(av, V::load_n(b + i, n - i)), n - i);
  } else {
    for (; i < n; ++i) out[i] = Op::s(a[i * sa], b[i * sb]);
  }
}

template <class Op>
static void binary_run(nv_ctx* ctx, const StridedPlan& p, const float* a, const float* b,
                       float* out) {
  const int64_t inner = p.shape[p.ndim - 1];
  const int64_t sa_in = p.sa[p.ndim - 1], sb_in = p.sb[p.ndim - 1];
  parallel_for(ctx, p.total, kGrain, [&](int64_t lo, int64_t hi) {
    int64_t pos = lo;
    while (pos < hi) {
      int64_t row = pos / inner, col = pos % inner;
      int64_t len = inner - col < hi - pos ? inner - col : hi - pos;
      int64_t oa = col * sa_in, ob = col * sb_in;
      for (int d = p.ndim - 2, r = 0; d >= 0; --d) {  // row -> offsets through outer dims
        (void)r;
        int64_t idx = row % p.shape[d];
        row /= p.shape[d];
        oa += idx * p.sa[d];
        ob += idx * p.sb[d];
      }
      binary_row<Op>(len, a + oa, sa_in, b + ob, sb_in, out + pos);
      pos += len;
    }
  });
}

static void binary(nv_ctx* ctx, int32_t op, bool compare, const StridedPlan& p,
                   const float* a, const float* b, float* out) {
  if (compare) {
    switch (op) {
      case NV_COMPARE_EQ: binary_run<CEq>(ctx, p, a, b, out); break;
      case NV_COMPARE_GT: binary_run<CGt>(ctx, p, a, b, out); break;
      case NV_COMPARE_GE: binary_run<CGe>(ctx, p, a, b, out); break;
      case NV_COMPARE_LT: binary_run<CLt>(ctx, p, a, b, out); break;
      case NV_COMPARE_LE: binary_run<CLe>(ctx, p, a, b, out); break;
      default: break;
    }
    return;
  }
  switch (op) {
    case NV_BINARY_ADD: binary_run<BAdd>(ctx, p, a, b, out); break;
    case NV_BINARY_SUB: binary_run<BSub>(ctx, p, a, b, out); break;
    case NV_BINARY_MUL: binary_run<BMul>(ctx, p, a, b, out); break;
    case NV_BINARY_DIV: binary_run<BDiv>(ctx, p, a, b, out); break;
    case NV_BINARY_MAXIMUM: binary_run<BMax>(ctx, p, a, b, out); break;
    case NV_BINARY_MINIMUM: binary_run<BMin>(ctx, p, a, b, out); break;
    default: break;
  }
}
