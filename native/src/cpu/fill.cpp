// Strided copies, fills, casts and counter-based random numbers on the CPU. These loops are
// memory-bound and simple enough for the compiler's baseline (SSE2) vectorisation.
#include <cmath>
#include <cstring>

#include "core/context.h"
#include "core/strided_plan.h"
#include "cpu/cpu_kernels.h"
#include "cpu/philox.h"

namespace nv::cpu {
namespace {

constexpr int64_t kGrain = 65536;

// Copies n elements of type E with element strides ss, ds (contiguous -> memcpy).
template <class E>
void copy_row(int64_t n, const char* src, int64_t ss, char* dst, int64_t ds) {
  const E* s = reinterpret_cast<const E*>(src);
  E* d = reinterpret_cast<E*>(dst);
  if (ss == 1 && ds == 1) {
    std::memmove(d, s, n * sizeof(E));
    return;
  }
  for (int64_t i = 0; i < n; ++i) d[i * ds] = s[i * ss];
}

void copy_row_any(int32_t es, int64_t n, const char* src, int64_t ss, char* dst, int64_t ds) {
  switch (es) {
    case 1: copy_row<uint8_t>(n, src, ss, dst, ds); return;
    case 2: copy_row<uint16_t>(n, src, ss, dst, ds); return;
    case 4: copy_row<uint32_t>(n, src, ss, dst, ds); return;
    case 8: copy_row<uint64_t>(n, src, ss, dst, ds); return;
    default:
      for (int64_t i = 0; i < n; ++i) std::memmove(dst + i * ds * es, src + i * ss * es, es);
  }
}

}  // namespace

NV_KERNEL_DEF(copy_strided) {
  // a is the source, b the destination.
  StridedPlan p = make_strided_plan(ndim, shape, src_strides, dst_strides);
  if (p.total == 0) return NV_OK;
  const int64_t inner = p.shape[p.ndim - 1];
  const char* s = static_cast<const char*>(src);
  char* d = static_cast<char*>(dst);
  parallel_for(ctx, p.total, kGrain, [&](int64_t lo, int64_t hi) {
    int64_t pos = lo;
    while (pos < hi) {
      int64_t row = pos / inner, col = pos % inner;
      int64_t len = inner - col < hi - pos ? inner - col : hi - pos;
      int64_t os = col * p.sa[p.ndim - 1], od = col * p.sb[p.ndim - 1];
      for (int dim = p.ndim - 2; dim >= 0; --dim) {
        int64_t idx = row % p.shape[dim];
        row /= p.shape[dim];
        os += idx * p.sa[dim];
        od += idx * p.sb[dim];
      }
      copy_row_any(elem_size, len, s + os * elem_size, p.sa[p.ndim - 1], d + od * elem_size,
                   p.sb[p.ndim - 1]);
      pos += len;
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(fill_f32) {
  parallel_for(ctx, n, kGrain, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) y[i] = value;
  });
  return NV_OK;
}

NV_KERNEL_DEF(fill_i32) {
  parallel_for(ctx, n, kGrain, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) y[i] = value;
  });
  return NV_OK;
}

NV_KERNEL_DEF(cast_i32_f32) {
  parallel_for(ctx, n, kGrain, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) y[i] = static_cast<float>(x[i]);
  });
  return NV_OK;
}

// Truncation toward zero; NaN becomes 0 and out-of-range values saturate, as Java's (int)
// cast does (a plain C++ cast would be undefined there).
static inline int32_t f32_to_i32(float v) {
  if (!(v == v)) return 0;
  if (v >= 2147483648.0f) return INT32_MAX;
  if (v <= -2147483648.0f) return INT32_MIN;
  return static_cast<int32_t>(v);
}

NV_KERNEL_DEF(cast_f32_i32) {
  parallel_for(ctx, n, kGrain, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) y[i] = f32_to_i32(x[i]);
  });
  return NV_OK;
}

NV_KERNEL_DEF(rand_uniform_f32) {
  const float span = hi - lo;
  parallel_for(ctx, n, kGrain / 8, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float u = philox_uniform01(seed, offset + static_cast<uint64_t>(i));
      float v = lo + span * u;
      y[i] = v < hi ? v : lo;  // keep [lo, hi) when lo + span * u rounds up to hi
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(rand_normal_f32) {
  parallel_for(ctx, n, kGrain / 8, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i)
      y[i] = mean + stddev * philox_normal(seed, offset + static_cast<uint64_t>(i));
  });
  return NV_OK;
}

}  // namespace nv::cpu
