// Batch normalisation (forward in training and evaluation, backward) and inverted dropout.
#include <cmath>

#include "core/context.h"
#include "cpu/cpu_kernels.h"
#include "cpu/philox.h"
#include "cpu/simd.h"

#define NV_ISA_BODY "cpu/norm.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

NV_KERNEL_DEF(batch_norm_forward_f32) {
  NV_ISA_DISPATCH(ctx, batch_norm_forward(ctx, N, C, HW, x, gamma, beta, running_mean,
                                          running_var, momentum, eps, training, y, save_mean,
                                          save_invstd));
  return NV_OK;
}

NV_KERNEL_DEF(batch_norm_backward_f32) {
  NV_ISA_DISPATCH(ctx, batch_norm_backward(ctx, N, C, HW, x, dy, gamma, save_mean, save_invstd,
                                           training, dx, dgamma, dbeta));
  return NV_OK;
}

// The keep test is the same comparison on every backend: u(seed, offset + i) >= p, with u the
// 24-bit uniform of nv_rand_uniform_f32.
NV_KERNEL_DEF(dropout_forward_f32) {
  const float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  parallel_for(ctx, n, 8192, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      const float m = philox_uniform01(seed, offset + static_cast<uint64_t>(i)) >= p ? scale : 0.0f;
      mask[i] = m;
      y[i] = x[i] * m;
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(dropout_backward_f32) {
  parallel_for(ctx, n, 65536, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) dx[i] = dy[i] * mask[i];
  });
  return NV_OK;
}

}  // namespace nv::cpu
