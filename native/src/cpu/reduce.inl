// Reduction kernel bodies, compiled once per ISA by isa_sections.inl. No include guard.

// Sums accumulate 4 vectors (64 lanes on AVX-512) inside blocks of kBlock elements, and the
// block results into a second accumulator: each float addition then adds numbers of similar
// size, so the error grows with (kBlock + n / kBlock) rather than n.
static constexpr int64_t kBlock = 2048;

struct RSum {
  static V::T v(V::T a, V::T b) { return V::add(a, b); }
  static float h(V::T a) { return V::hsum(a); }
  static float s(float a, float b) { return a + b; }
  static constexpr float identity = 0.0f;
};
// max and min are NaN as soon as one element is (PyTorch's rule). V::max / V::min (vmaxps and
// its scalar twin) return the second operand when either is NaN, so a NaN already in the
// accumulator a would be dropped by the next element: keep a where a is NaN. The horizontal
// step goes lane by lane through s() for the same reason (vector horizontal max drops NaN too).
template <class R>
static float h_lanes(V::T a) {
  float lanes[V::W];
  V::store(lanes, a);
  float r = lanes[0];
  for (int i = 1; i < V::W; ++i) r = R::s(r, lanes[i]);
  return r;
}
struct RMax {
  static V::T v(V::T a, V::T b) { return V::sel(V::unord(a, a), a, V::max(a, b)); }
  static float h(V::T a) { return h_lanes<RMax>(a); }
  static float s(float a, float b) { return a != a ? a : (b != b || b > a ? b : a); }
  static constexpr float identity = -__builtin_inff();
};
struct RMin {
  static V::T v(V::T a, V::T b) { return V::sel(V::unord(a, a), a, V::min(a, b)); }
  static float h(V::T a) { return h_lanes<RMin>(a); }
  static float s(float a, float b) { return a != a ? a : (b != b || b < a ? b : a); }
  static constexpr float identity = __builtin_inff();
};

// Reduces n contiguous floats (n >= 1).
template <class R>
static float reduce_contiguous(const float* x, int64_t n) {
  V::T total = V::set1(R::identity);
  for (int64_t b = 0; b < n; b += kBlock) {
    int64_t e = b + kBlock < n ? b + kBlock : n;
    V::T a0 = V::set1(R::identity), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = b;
    for (; i + 4 * V::W <= e; i += 4 * V::W) {
      a0 = R::v(a0, V::load(x + i));
      a1 = R::v(a1, V::load(x + i + V::W));
      a2 = R::v(a2, V::load(x + i + 2 * V::W));
      a3 = R::v(a3, V::load(x + i + 3 * V::W));
    }
    for (; i + V::W <= e; i += V::W) a0 = R::v(a0, V::load(x + i));
    if (i < e) a1 = R::v(a1, V::load_n(x + i, e - i, R::identity));
    total = R::v(total, R::v(R::v(a0, a1), R::v(a2, a3)));
  }
  return R::h(total);
}

// out[i0 .. i0+w) = reduce over k of x[k * inner + i], for w <= 4 W lanes. Columns add one
// element per lane per row, so sums use three levels: 64 rows into acc, 64 accs into mid,
// mids into total (error ~ (64 + 64 + n / 4096) ulps instead of n).
template <class R>
static void reduce_columns(const float* x, int64_t n, int64_t inner, float* out, int64_t w) {
  constexpr int kTile = 4 * V::W;
  constexpr int64_t kRows = 64;
  V::T total[4], mid[4], acc[4];
  for (int t = 0; t < 4; ++t) total[t] = mid[t] = V::set1(R::identity);
  for (int64_t b = 0, blocks = 0; b < n; b += kRows) {
    int64_t e = b + kRows < n ? b + kRows : n;
    for (int t = 0; t < 4; ++t) acc[t] = V::set1(R::identity);
    if (w == kTile) {
      for (int64_t k = b; k < e; ++k) {
        const float* p = x + k * inner;
        for (int t = 0; t < 4; ++t) acc[t] = R::v(acc[t], V::load(p + t * V::W));
      }
    } else {
      for (int64_t k = b; k < e; ++k) {
        const float* p = x + k * inner;
        for (int t = 0; t * V::W < w; ++t) {
          int64_t left = w - t * V::W;
          acc[t] = R::v(acc[t], left >= V::W ? V::load(p + t * V::W) : V::load_n(p + t * V::W, left));
        }
      }
    }
    for (int t = 0; t < 4; ++t) mid[t] = R::v(mid[t], acc[t]);
    if (++blocks % kRows == 0) {
      for (int t = 0; t < 4; ++t) {
        total[t] = R::v(total[t], mid[t]);
        mid[t] = V::set1(R::identity);
      }
    }
  }
  for (int t = 0; t < 4; ++t) total[t] = R::v(total[t], mid[t]);
  for (int t = 0; t * V::W < w; ++t) {
    int64_t left = w - t * V::W;
    if (left >= V::W) V::store(out + t * V::W, total[t]);
    else V::store_n(out + t * V::W, total[t], left);
  }
}

template <class R>
static void reduce_run(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                       float* out, float scale) {
  const int threads = ctx->pool ? ctx->pool->size() : 1;
  if (inner == 1) {
    if (outer >= threads || n < 65536) {
      parallel_for(ctx, outer, 65536 / n + 1, [&](int64_t lo, int64_t hi) {
        for (int64_t o = lo; o < hi; ++o) out[o] = reduce_contiguous<R>(x + o * n, n) * scale;
      });
      return;
    }
    // Few long rows: split each row over the threads and combine the partial results.
    constexpr int kMaxParts = 64;
    float part[kMaxParts];
    const int64_t parts = threads < kMaxParts ? threads : kMaxParts;
    for (int64_t o = 0; o < outer; ++o) {
      const float* row = x + o * n;
      parallel_tasks(ctx, parts, [&](int64_t p) {
        int64_t lo = n * p / parts, hi = n * (p + 1) / parts;
        part[p] = hi > lo ? reduce_contiguous<R>(row + lo, hi - lo) : R::identity;
      });
      float r = R::identity;
      for (int64_t p = 0; p < parts; ++p) r = R::s(r, part[p]);
      out[o] = r * scale;
    }
    return;
  }
  constexpr int64_t kTile = 4 * V::W;
  const int64_t tiles = (inner + kTile - 1) / kTile;
  parallel_for(ctx, outer * tiles, 65536 / (n * kTile) + 1, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) {
      int64_t o = t / tiles, i0 = (t % tiles) * kTile;
      int64_t w = inner - i0 < kTile ? inner - i0 : kTile;
      float* dst = out + o * inner + i0;
      reduce_columns<R>(x + o * n * inner + i0, n, inner, dst, w);
      if (scale != 1.0f)
        for (int64_t i = 0; i < w; ++i) dst[i] *= scale;
    }
  });
}

static void reduce(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                   const float* x, float* out) {
  switch (op) {
    case NV_REDUCE_SUM: reduce_run<RSum>(ctx, outer, n, inner, x, out, 1.0f); break;
    case NV_REDUCE_MEAN:
      reduce_run<RSum>(ctx, outer, n, inner, x, out, static_cast<float>(1.0 / static_cast<double>(n)));
      break;
    case NV_REDUCE_MAX: reduce_run<RMax>(ctx, outer, n, inner, x, out, 1.0f); break;
    case NV_REDUCE_MIN: reduce_run<RMin>(ctx, outer, n, inner, x, out, 1.0f); break;
    default: break;
  }
}

// Index of the first largest of n contiguous floats: a vectorised max, then a scan for the
// first element equal to it. The max is NaN when there is a NaN, and then the first NaN wins
// (as in PyTorch).
static int32_t argmax_contiguous(const float* x, int64_t n) {
  const float m = reduce_contiguous<RMax>(x, n);
  const bool nan = m != m;
  for (int64_t i = 0; i < n; ++i)
    if (nan ? x[i] != x[i] : x[i] == m) return static_cast<int32_t>(i);
  return 0;
}

static void argmax(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                   int32_t* out) {
  if (inner == 1) {
    parallel_for(ctx, outer, 65536 / n + 1, [&](int64_t lo, int64_t hi) {
      for (int64_t o = lo; o < hi; ++o) out[o] = argmax_contiguous(x + o * n, n);
    });
    return;
  }
  // Columns in tiles of 64 held on the stack; strictly-greater keeps the first maximum.
  constexpr int64_t kTile = 64;
  const int64_t tiles = (inner + kTile - 1) / kTile;
  parallel_for(ctx, outer * tiles, 65536 / (n * kTile) + 1, [&](int64_t lo, int64_t hi) {
    float best[kTile];
    int32_t idx[kTile];
    for (int64_t t = lo; t < hi; ++t) {
      int64_t o = t / tiles, i0 = (t % tiles) * kTile;
      int64_t w = inner - i0 < kTile ? inner - i0 : kTile;
      const float* base = x + o * n * inner + i0;
      for (int64_t i = 0; i < w; ++i) {
        best[i] = base[i];
        idx[i] = 0;
      }
      for (int64_t k = 1; k < n; ++k) {
        const float* p = base + k * inner;
        for (int64_t i = 0; i < w; ++i) {
          bool take = p[i] > best[i] || (p[i] != p[i] && best[i] == best[i]);
          best[i] = take ? p[i] : best[i];
          idx[i] = take ? static_cast<int32_t>(k) : idx[i];
        }
      }
      for (int64_t i = 0; i < w; ++i) out[o * inner + i0 + i] = idx[i];
    }
  });
}
