#include <cmath>

#include "ref/ref.h"

namespace nv::ref {

// max and min propagate NaN (as PyTorch does): once acc is NaN it stays NaN.

void reduce(int32_t op, int64_t outer, int64_t n, int64_t inner, const float* x, double* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      double acc = x[o * n * inner + i];
      for (int64_t k = 1; k < n; ++k) {
        double v = x[(o * n + k) * inner + i];
        if (op == NV_REDUCE_SUM || op == NV_REDUCE_MEAN) acc += v;
        else if (std::isnan(acc) || std::isnan(v)) acc = std::isnan(acc) ? acc : v;
        else if (op == NV_REDUCE_MAX) acc = v > acc ? v : acc;
        else acc = v < acc ? v : acc;
      }
      if (op == NV_REDUCE_MEAN) acc /= static_cast<double>(n);
      out[o * inner + i] = acc;
    }
  }
}

void argmax(int64_t outer, int64_t n, int64_t inner, const float* x, int32_t* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      // The first NaN, else the first largest.
      int64_t best = 0;
      for (int64_t k = 1; k < n && !std::isnan(x[(o * n + best) * inner + i]); ++k) {
        const float v = x[(o * n + k) * inner + i];
        if (std::isnan(v) || v > x[(o * n + best) * inner + i]) best = k;
      }
      out[o * inner + i] = static_cast<int32_t>(best);
    }
  }
}

}  // namespace nv::ref
