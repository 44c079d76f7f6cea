// Fused optimizer update bodies, compiled once per ISA by isa_sections.inl. No include guard.
// The elements of all tensors in the group form one flat range that is split over the pool,
// so a group of many small tensors still uses every thread.

// Loads / stores k <= W lanes (k == W is the full-vector common case).
static inline V::T ld(const float* p, int64_t k) { return k == V::W ? V::load(p) : V::load_n(p, k); }
static inline void st(float* p, V::T v, int64_t k) {
  if (k == V::W) V::store(p, v);
  else V::store_n(p, v, k);
}

// Calls f(t, i, k) for every vector-sized piece [i, i + k) of every tensor t, in parallel.
template <class F>
static void for_each_piece(nv_ctx* ctx, int32_t count, const int64_t* sizes, F f) {
  int64_t total = 0;
  for (int32_t t = 0; t < count; ++t) total += sizes[t];
  parallel_for(ctx, total, 32768, [&](int64_t lo, int64_t hi) {
    int64_t base = 0;  // flat index of tensor t's first element
    for (int32_t t = 0; t < count && base < hi; base += sizes[t], ++t) {
      int64_t b = lo > base ? lo - base : 0;
      int64_t e = hi - base < sizes[t] ? hi - base : sizes[t];
      for (int64_t i = b; i < e; i += V::W) f(t, i, e - i < V::W ? e - i : int64_t(V::W));
    }
  });
}

static void sgd(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                float** buf, float lr, float momentum, float dampening, float wd,
                bool nesterov, bool first) {
  const V::T vlr = V::set1(lr), vwd = V::set1(wd), vmom = V::set1(momentum);
  const V::T vdamp = V::set1(1.0f - dampening);
  for_each_piece(ctx, count, sizes, [&](int32_t t, int64_t i, int64_t k) {
    float* wp = w[t] + i;
    V::T wv = ld(wp, k);
    V::T gv = V::fma(vwd, wv, ld(g[t] + i, k));
    if (momentum != 0.0f) {
      float* bp = buf[t] + i;
      V::T b = first ? gv : V::fma(vmom, ld(bp, k), V::mul(vdamp, gv));
      st(bp, b, k);
      gv = nesterov ? V::fma(vmom, b, gv) : b;
    }
    st(wp, V::fnma(vlr, gv, wv), k);
  });
}

static void rmsprop(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                    float** sq, float** buf, float lr, float alpha, float eps, float wd,
                    float momentum) {
  const V::T vlr = V::set1(lr), vwd = V::set1(wd), va = V::set1(alpha);
  const V::T va1 = V::set1(1.0f - alpha), veps = V::set1(eps), vmom = V::set1(momentum);
  for_each_piece(ctx, count, sizes, [&](int32_t t, int64_t i, int64_t k) {
    float* wp = w[t] + i;
    float* sp = sq[t] + i;
    V::T wv = ld(wp, k);
    V::T gv = V::fma(vwd, wv, ld(g[t] + i, k));
    V::T s = V::fma(va, ld(sp, k), V::mul(va1, V::mul(gv, gv)));
    st(sp, s, k);
    V::T d = V::div(gv, V::add(V::sqrt(s), veps));
    if (momentum != 0.0f) {
      float* bp = buf[t] + i;
      d = V::fma(vmom, ld(bp, k), d);
      st(bp, d, k);
    }
    st(wp, V::fnma(vlr, d, wv), k);
  });
}

static void adam(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                 float** m, float** v, float lr, float beta1, float beta2, float eps, float wd,
                 bool decoupled, int64_t step) {
  // Bias corrections in double: beta^step for step in the millions underflows gracefully.
  const double bc1 = 1.0 - std::pow(static_cast<double>(beta1), static_cast<double>(step));
  const double bc2 = 1.0 - std::pow(static_cast<double>(beta2), static_cast<double>(step));
  const V::T vstep = V::set1(static_cast<float>(lr / bc1));
  const V::T vinv_sqrt_bc2 = V::set1(static_cast<float>(1.0 / std::sqrt(bc2)));
  const V::T vb1 = V::set1(beta1), vb1c = V::set1(1.0f - beta1);
  const V::T vb2 = V::set1(beta2), vb2c = V::set1(1.0f - beta2);
  const V::T veps = V::set1(eps), vwd = V::set1(wd), vdecay = V::set1(1.0f - lr * wd);
  for_each_piece(ctx, count, sizes, [&](int32_t t, int64_t i, int64_t k) {
    float* wp = w[t] + i;
    float* mp = m[t] + i;
    float* vp = v[t] + i;
    V::T wv = ld(wp, k);
    V::T gv = ld(g[t] + i, k);
    if (decoupled) wv = V::mul(wv, vdecay);  // AdamW: w -= lr * wd * w
    else gv = V::fma(vwd, wv, gv);            // Adam: L2 penalty through the gradient
    V::T mv = V::fma(vb1, ld(mp, k), V::mul(vb1c, gv));
    V::T vv = V::fma(vb2, ld(vp, k), V::mul(vb2c, V::mul(gv, gv)));
    st(mp, mv, k);
    st(vp, vv, k);
    V::T denom = V::fma(V::sqrt(vv), vinv_sqrt_bc2, veps);
    st(wp, V::fnma(vstep, V::div(mv, denom), wv), k);
  });
}
