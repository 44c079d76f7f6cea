// Batch-norm kernel bodies, compiled once per ISA by isa_sections.inl. No include guard.
// A channel's data is N rows of HW contiguous floats; sums go row by row into double, so the
// statistics of large batches keep their precision.

static inline float bn_row_sum(const float* a, int64_t n) {
  V::T s0 = V::zero(), s1 = V::zero();
  int64_t i = 0;
  for (; i + 2 * V::W <= n; i += 2 * V::W) {
    s0 = V::add(s0, V::load(a + i));
    s1 = V::add(s1, V::load(a + i + V::W));
  }
  for (; i + V::W <= n; i += V::W) s0 = V::add(s0, V::load(a + i));
  if (i < n) s1 = V::add(s1, V::load_n(a + i, n - i));
  return V::hsum(V::add(s0, s1));
}

// sum of (a - m)^2
static inline float bn_row_sqdev(const float* a, int64_t n, float m) {
  const V::T mv = V::set1(m);
  V::T s0 = V::zero(), s1 = V::zero();
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) {
    V::T d = V::sub(V::load(a + i), mv);
    s0 = V::fma(d, d, s0);
  }
  if (i < n) {
    V::T d = V::sub(V::load_n(a + i, n - i, m), mv);
    s1 = V::fma(d, d, s1);
  }
  return V::hsum(V::add(s0, s1));
}

// (sum of g, sum of g * (a - m))
static inline void bn_row_grad_sums(const float* a, const float* g, int64_t n, float m,
                                    float& sg, float& sga) {
  const V::T mv = V::set1(m);
  V::T s0 = V::zero(), s1 = V::zero();
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) {
    V::T gv = V::load(g + i);
    s0 = V::add(s0, gv);
    s1 = V::fma(gv, V::sub(V::load(a + i), mv), s1);
  }
  float tail_g = 0.0f, tail_ga = 0.0f;
  for (; i < n; ++i) {
    tail_g += g[i];
    tail_ga += g[i] * (a[i] - m);
  }
  sg = V::hsum(s0) + tail_g;
  sga = V::hsum(s1) + tail_ga;
}

// out = a * scale + shift
static inline void bn_row_affine(const float* a, float* out, int64_t n, float scale, float shift) {
  const V::T sv = V::set1(scale), tv = V::set1(shift);
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) V::store(out + i, V::fma(V::load(a + i), sv, tv));
  if (i < n) V::store_n(out + i, V::fma(V::load_n(a + i, n - i), sv, tv), n - i);
}

// dx = k * (g - cg - (a - m) * ca)  with k = gamma * invstd, cg = mean(g), ca = invstd^2 * mean(g (a - m))
static inline void bn_row_dx(const float* a, const float* g, float* dx, int64_t n, float m,
                             float k, float cg, float ca) {
  const V::T mv = V::set1(m), kv = V::set1(k), cgv = V::set1(cg), cav = V::set1(ca);
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) {
    V::T d = V::sub(V::load(a + i), mv);
    V::T v = V::fnma(d, cav, V::sub(V::load(g + i), cgv));
    V::store(dx + i, V::mul(kv, v));
  }
  for (; i < n; ++i) dx[i] = k * (g[i] - cg - (a[i] - m) * ca);
}

static void batch_norm_forward(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x,
                               const float* gamma, const float* beta, float* running_mean,
                               float* running_var, float momentum, float eps, bool training,
                               float* y, float* save_mean, float* save_invstd) {
  const int64_t M = N * HW;
  parallel_for(ctx, C, 1 + 65536 / (M + 1), [&](int64_t lo, int64_t hi) {
    for (int64_t c = lo; c < hi; ++c) {
      float mean, var;
      if (training) {
        double sum = 0.0;
        for (int64_t n = 0; n < N; ++n) sum += bn_row_sum(x + (n * C + c) * HW, HW);
        mean = static_cast<float>(sum / double(M));
        double sq = 0.0;
        for (int64_t n = 0; n < N; ++n) sq += bn_row_sqdev(x + (n * C + c) * HW, HW, mean);
        var = static_cast<float>(sq / double(M));
        if (running_mean) running_mean[c] = (1.0f - momentum) * running_mean[c] + momentum * mean;
        if (running_var) {
          const float unbiased = static_cast<float>(sq / double(M - 1));
          running_var[c] = (1.0f - momentum) * running_var[c] + momentum * unbiased;
        }
      } else {
        mean = running_mean[c];
        var = running_var[c];
      }
      const float invstd = 1.0f / std::sqrt(var + eps);
      if (save_mean) save_mean[c] = mean;
      if (save_invstd) save_invstd[c] = invstd;
      const float scale = (gamma ? gamma[c] : 1.0f) * invstd;
      const float shift = (beta ? beta[c] : 0.0f) - mean * scale;
      for (int64_t n = 0; n < N; ++n)
        bn_row_affine(x + (n * C + c) * HW, y + (n * C + c) * HW, HW, scale, shift);
    }
  });
}

static void batch_norm_backward(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x,
                                const float* dy, const float* gamma, const float* save_mean,
                                const float* save_invstd, bool training, float* dx,
                                float* dgamma, float* dbeta) {
  const int64_t M = N * HW;
  parallel_for(ctx, C, 1 + 65536 / (M + 1), [&](int64_t lo, int64_t hi) {
    for (int64_t c = lo; c < hi; ++c) {
      const float mean = save_mean[c], invstd = save_invstd[c];
      double sum_g = 0.0, sum_ga = 0.0;
      for (int64_t n = 0; n < N; ++n) {
        float sg, sga;
        bn_row_grad_sums(x + (n * C + c) * HW, dy + (n * C + c) * HW, HW, mean, sg, sga);
        sum_g += sg;
        sum_ga += sga;
      }
      if (dbeta) dbeta[c] = static_cast<float>(sum_g);
      if (dgamma) dgamma[c] = static_cast<float>(sum_ga * invstd);
      const float k = (gamma ? gamma[c] : 1.0f) * invstd;
      const float cg = training && M > 0 ? static_cast<float>(sum_g / double(M)) : 0.0f;
      const float ca = training && M > 0
                           ? static_cast<float>(sum_ga / double(M)) * invstd * invstd
                           : 0.0f;
      for (int64_t n = 0; n < N; ++n) {
        const int64_t off = (n * C + c) * HW;
        bn_row_dx(x + off, dy + off, dx + off, HW, mean, k, cg, ca);
      }
    }
  });
}
