// Max and average pooling (NCHW) on the CPU. Memory-bound loops over (n, c) planes, one plane
// per step of the parallel loop; the window bounds are clipped once per output row.
#include <cmath>
#include <cstring>

#include "core/context.h"
#include "cpu/cpu_kernels.h"

namespace nv::cpu {
namespace {

// Planes per parallel chunk: about 16K input elements.
inline int64_t plane_grain(const PoolShape& s) { return 1 + 16384 / (s.H * s.W + 1); }

// Window [start, end) along one axis, before clipping to the input: as PyTorch, the window of
// an average may extend into the padding but not past it.
struct Window {
  int64_t lo, hi;          // clipped to [0, size)
  int64_t padded_count;    // cells inside input + padding
};

inline Window window(int64_t o, int64_t stride, int64_t pad, int64_t k, int64_t size) {
  int64_t start = o * stride - pad;
  int64_t end = start + k;
  if (end > size + pad) end = size + pad;
  Window w;
  w.padded_count = end - start;
  w.lo = start < 0 ? 0 : start;
  w.hi = end > size ? size : end;
  return w;
}

}  // namespace

NV_KERNEL_DEF(max_pool2d_forward_f32) {
  parallel_for(ctx, s.N * s.C, plane_grain(s), [&](int64_t lo, int64_t hi) {
    for (int64_t plane = lo; plane < hi; ++plane) {
      const float* xp = x + plane * s.H * s.W;
      float* yp = y + plane * s.P * s.Q;
      int32_t* ap = argmax ? argmax + plane * s.P * s.Q : nullptr;
      for (int64_t p = 0; p < s.P; ++p) {
        int64_t h0 = p * s.sh - s.ph, h1 = h0 + s.R;
        if (h0 < 0) h0 = 0;
        if (h1 > s.H) h1 = s.H;
        for (int64_t q = 0; q < s.Q; ++q) {
          int64_t w0 = q * s.sw - s.pw, w1 = w0 + s.S;
          if (w0 < 0) w0 = 0;
          if (w1 > s.W) w1 = s.W;
          float m = -INFINITY;
          int64_t at = h0 * s.W + w0;
          for (int64_t h = h0; h < h1; ++h) {
            for (int64_t w = w0; w < w1; ++w) {
              const float v = xp[h * s.W + w];
              // A NaN wins (and stays), as in PyTorch.
              if (v > m || (std::isnan(v) && !std::isnan(m))) {
                m = v;
                at = h * s.W + w;
              }
            }
          }
          yp[p * s.Q + q] = m;
          if (ap) ap[p * s.Q + q] = static_cast<int32_t>(at);
        }
      }
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(max_pool2d_backward_f32) {
  const int64_t HW = s.H * s.W, PQ = s.P * s.Q;
  parallel_for(ctx, s.N * s.C, plane_grain(s), [&](int64_t lo, int64_t hi) {
    for (int64_t plane = lo; plane < hi; ++plane) {
      float* dxp = dx + plane * HW;
      const float* dyp = dy + plane * PQ;
      const int32_t* ap = argmax + plane * PQ;
      std::memset(dxp, 0, sizeof(float) * HW);
      for (int64_t i = 0; i < PQ; ++i) {
        const int64_t at = ap[i];
        if (at >= 0 && at < HW) dxp[at] += dyp[i];  // indices come from the forward
      }
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(avg_pool2d_forward_f32) {
  parallel_for(ctx, s.N * s.C, plane_grain(s), [&](int64_t lo, int64_t hi) {
    for (int64_t plane = lo; plane < hi; ++plane) {
      const float* xp = x + plane * s.H * s.W;
      float* yp = y + plane * s.P * s.Q;
      for (int64_t p = 0; p < s.P; ++p) {
        const Window wh = window(p, s.sh, s.ph, s.R, s.H);
        for (int64_t q = 0; q < s.Q; ++q) {
          const Window ww = window(q, s.sw, s.pw, s.S, s.W);
          float sum = 0.0f;
          for (int64_t h = wh.lo; h < wh.hi; ++h)
            for (int64_t w = ww.lo; w < ww.hi; ++w) sum += xp[h * s.W + w];
          const int64_t count = s.count_include_pad ? wh.padded_count * ww.padded_count
                                                    : (wh.hi - wh.lo) * (ww.hi - ww.lo);
          yp[p * s.Q + q] = count > 0 ? sum / static_cast<float>(count) : 0.0f;
        }
      }
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(avg_pool2d_backward_f32) {
  parallel_for(ctx, s.N * s.C, plane_grain(s), [&](int64_t lo, int64_t hi) {
    for (int64_t plane = lo; plane < hi; ++plane) {
      float* dxp = dx + plane * s.H * s.W;
      const float* dyp = dy + plane * s.P * s.Q;
      std::memset(dxp, 0, sizeof(float) * s.H * s.W);
      for (int64_t p = 0; p < s.P; ++p) {
        const Window wh = window(p, s.sh, s.ph, s.R, s.H);
        for (int64_t q = 0; q < s.Q; ++q) {
          const Window ww = window(q, s.sw, s.pw, s.S, s.W);
          const int64_t count = s.count_include_pad ? wh.padded_count * ww.padded_count
                                                    : (wh.hi - wh.lo) * (ww.hi - ww.lo);
          if (count <= 0) continue;
          const float g = dyp[p * s.Q + q] / static_cast<float>(count);
          for (int64_t h = wh.lo; h < wh.hi; ++h)
            for (int64_t w = ww.lo; w < ww.hi; ++w) dxp[h * s.W + w] += g;
        }
      }
    }
  });
  return NV_OK;
}

}  // namespace nv::cpu
