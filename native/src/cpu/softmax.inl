// Row-wise softmax kernel bodies, compiled once per ISA by isa_sections.inl. No include guard.
// Every row is max-subtracted, so exp never overflows; a row lives in L1/L2 while we make
// our two or three passes over it. Special values follow PyTorch without special cases: a NaN,
// a +inf (inf - inf) or a row of -inf only (-inf - -inf) makes the sum of exponentials NaN, and
// with it the whole row. row_max may drop a NaN (V::max does); the sum does not.

static inline float row_max(const float* x, int64_t n) {
  V::T m0 = V::set1(-__builtin_inff()), m1 = m0;
  int64_t i = 0;
  for (; i + 2 * V::W <= n; i += 2 * V::W) {
    m0 = V::max(m0, V::load(x + i));
    m1 = V::max(m1, V::load(x + i + V::W));
  }
  for (; i + V::W <= n; i += V::W) m0 = V::max(m0, V::load(x + i));
  if (i < n) m1 = V::max(m1, V::load_n(x + i, n - i, -__builtin_inff()));
  return V::hmax(V::max(m0, m1));
}

// sum over i of exp(x[i] - m); writes the exponentials to y when y != nullptr.
static inline float row_exp_sum(const float* x, int64_t n, float m, float* y) {
  const V::T mv = V::set1(m);
  V::T s0 = V::zero(), s1 = V::zero();
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) {
    V::T e = V::exp(V::sub(V::load(x + i), mv));
    if (y) V::store(y + i, e);
    if ((i / V::W) & 1) s1 = V::add(s1, e);
    else s0 = V::add(s0, e);
  }
  if (i < n) {
    // Padding lanes load -inf, whose exp is 0.
    V::T e = V::exp(V::sub(V::load_n(x + i, n - i, -__builtin_inff()), mv));
    if (y) V::store_n(y + i, e, n - i);
    s1 = V::add(s1, e);
  }
  return V::hsum(V::add(s0, s1));
}

static inline void row_scale(float* y, int64_t n, float s) {
  const V::T sv = V::set1(s);
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) V::store(y + i, V::mul(V::load(y + i), sv));
  if (i < n) V::store_n(y + i, V::mul(V::load_n(y + i, n - i), sv), n - i);
}

static inline float row_dot(const float* a, const float* b, int64_t n) {
  V::T s0 = V::zero(), s1 = V::zero();
  int64_t i = 0;
  for (; i + 2 * V::W <= n; i += 2 * V::W) {
    s0 = V::fma(V::load(a + i), V::load(b + i), s0);
    s1 = V::fma(V::load(a + i + V::W), V::load(b + i + V::W), s1);
  }
  for (; i + V::W <= n; i += V::W) s0 = V::fma(V::load(a + i), V::load(b + i), s0);
  if (i < n) s1 = V::fma(V::load_n(a + i, n - i), V::load_n(b + i, n - i), s1);
  return V::hsum(V::add(s0, s1));
}

static inline float row_sum(const float* a, int64_t n) {
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

// Rows per parallel chunk: at least ~16K elements, so small batches stay on one thread.
static inline int64_t row_grain(int64_t cols) { return 16384 / (cols + 1) + 1; }

static void softmax_forward(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x, float* y) {
  parallel_for(ctx, rows, row_grain(cols), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const float* xr = x + r * cols;
      float* yr = y + r * cols;
      float s = row_exp_sum(xr, cols, row_max(xr, cols), yr);
      row_scale(yr, cols, 1.0f / s);
    }
  });
}

static void log_softmax_forward(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                float* y) {
  parallel_for(ctx, rows, row_grain(cols), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const float* xr = x + r * cols;
      float* yr = y + r * cols;
      // (x - m) - log s, in that order: m + log s rounds away log s for huge logits
      // (log_softmax([1e7, 1e7]) came out -1 instead of -log 2).
      const float m = row_max(xr, cols);
      const V::T mv = V::set1(m), log_s = V::set1(std::log(row_exp_sum(xr, cols, m, nullptr)));
      int64_t i = 0;
      for (; i + V::W <= cols; i += V::W)
        V::store(yr + i, V::sub(V::sub(V::load(xr + i), mv), log_s));
      if (i < cols)
        V::store_n(yr + i, V::sub(V::sub(V::load_n(xr + i, cols - i), mv), log_s), cols - i);
    }
  });
}

// dx = y * (dy - sum(dy * y))
static void softmax_backward(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                             const float* dy, float* dx) {
  parallel_for(ctx, rows, row_grain(cols), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const float* yr = y + r * cols;
      const float* gr = dy + r * cols;
      float* dr = dx + r * cols;
      V::T dot = V::set1(row_dot(gr, yr, cols));
      int64_t i = 0;
      for (; i + V::W <= cols; i += V::W)
        V::store(dr + i, V::mul(V::load(yr + i), V::sub(V::load(gr + i), dot)));
      if (i < cols) {
        int64_t k = cols - i;
        V::store_n(dr + i, V::mul(V::load_n(yr + i, k), V::sub(V::load_n(gr + i, k), dot)), k);
      }
    }
  });
}

// dx = dy - exp(y) * sum(dy)
static void log_softmax_backward(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                 const float* dy, float* dx) {
  parallel_for(ctx, rows, row_grain(cols), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const float* yr = y + r * cols;
      const float* gr = dy + r * cols;
      float* dr = dx + r * cols;
      V::T s = V::set1(row_sum(gr, cols));
      int64_t i = 0;
      for (; i + V::W <= cols; i += V::W)
        V::store(dr + i, V::fnma(V::exp(V::load(yr + i)), s, V::load(gr + i)));
      if (i < cols) {
        int64_t k = cols - i;
        V::store_n(dr + i, V::fnma(V::exp(V::load_n(yr + i, k)), s, V::load_n(gr + i, k)), k);
      }
    }
  });
}

// Rows [lo, hi) of the fused softmax cross-entropy; returns the sum of their losses. Per row:
// max, then exp(x - max) into dlogits while summing, then one scale that also folds in the
// 1/rows of the mean and subtracts the one-hot. The row is still in cache for the later
// passes, so the logits come from memory once.
static double xent_rows(int64_t lo, int64_t hi, int64_t rows, int64_t cols, const float* x,
                        const int32_t* labels, float* dlogits) {
  double total = 0.0;
  const float inv_rows = static_cast<float>(1.0 / static_cast<double>(rows));
  for (int64_t r = lo; r < hi; ++r) {
    const float* xr = x + r * cols;
    float* dr = dlogits ? dlogits + r * cols : nullptr;
    float m = row_max(xr, cols);
    float s = row_exp_sum(xr, cols, m, dr);
    int32_t label = labels[r];
    // (m - x[label]) + log s: even in double, m + log s drops log s when m is near 3e38.
    total += (static_cast<double>(m) - xr[label]) + std::log(static_cast<double>(s));
    if (dr) {
      row_scale(dr, cols, inv_rows / s);
      dr[label] -= inv_rows;
    }
  }
  return total;
}

static void softmax_xent(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                         const int32_t* labels, float* loss, float* dlogits) {
  // Partial sums per part on the stack, combined in double in a fixed order, so the loss
  // does not depend on how the pool scheduled the parts.
  constexpr int64_t kMaxParts = 64;
  double part[kMaxParts];
  int64_t parts = rows / row_grain(cols);
  int threads = ctx->pool ? ctx->pool->size() : 1;
  if (parts > threads) parts = threads;
  if (parts > kMaxParts) parts = kMaxParts;
  if (parts < 1) parts = 1;
  parallel_tasks(ctx, parts, [&](int64_t p) {
    part[p] = xent_rows(rows * p / parts, rows * (p + 1) / parts, rows, cols, x, labels, dlogits);
  });
  double total = 0.0;
  for (int64_t p = 0; p < parts; ++p) total += part[p];
  loss[0] = static_cast<float>(total / static_cast<double>(rows));
}
