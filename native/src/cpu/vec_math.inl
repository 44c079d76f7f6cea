// Functions built from V's primitives, shared by all ISAs (included after a vec_*.h).
// No include guard on purpose.

// 1 / (1 + e^-x): exp overflows to inf for x < -88 and the result is then exactly 0.
static inline V::T v_sigmoid(V::T x) {
  const V::T one = V::set1(1.0f);
  return V::div(one, V::add(one, V::exp(V::neg(x))));
}

// tanh(|x|) = (1 - e) / (1 + e) with e = exp(-2|x|); below |x| = 0.25 1 - e cancels, so an odd
// Taylor polynomial (error < 1e-8 relative there) takes over.
static inline V::T v_tanh(V::T x) {
  const V::T one = V::set1(1.0f);
  V::T ax = V::abs(x);
  V::T e = V::exp(V::mul(ax, V::set1(-2.0f)));
  V::T t = V::div(V::sub(one, e), V::add(one, e));
  t = V::sel(V::lt(x, V::zero()), V::neg(t), t);
  V::T x2 = V::mul(x, x);
  V::T p = V::set1(62.0f / 2835.0f);
  p = V::fma(p, x2, V::set1(-17.0f / 315.0f));
  p = V::fma(p, x2, V::set1(2.0f / 15.0f));
  p = V::fma(p, x2, V::set1(-1.0f / 3.0f));
  p = V::fma(V::mul(p, x2), x, x);
  return V::sel(V::lt(ax, V::set1(0.25f)), p, t);
}

// log(1 + u) for u >= 0 without losing small u: log(w) * u / (w - 1) with w = 1 + u corrects
// the rounding of w (the classic trick); when w rounds to 1, log1p(u) = u.
static inline V::T v_log1p_pos(V::T u) {
  V::T w = V::add(V::set1(1.0f), u);
  V::T d = V::sub(w, V::set1(1.0f));
  V::T r = V::div(V::mul(V::log(w), u), d);
  r = V::sel(V::eq(d, V::zero()), u, r);
  return V::sel(V::eq(u, V::set1(__builtin_inff())), u, r);
}

// softplus(x) = max(x, 0) + log1p(exp(-|x|)): no overflow for large x.
static inline V::T v_softplus(V::T x) {
  V::T pos = V::max(x, V::zero());
  V::T r = V::add(pos, v_log1p_pos(V::exp(V::neg(V::abs(x)))));
  return V::sel(V::unord(x, x), x, r);
}

// Applies f to [0, n): full vectors, then one masked vector for the tail.
template <class F>
static inline void v_map(int64_t n, const float* x, float* y, F f) {
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) V::store(y + i, f(V::load(x + i)));
  if (i < n) V::store_n(y + i, f(V::load_n(x + i, n - i)), n - i);
}
