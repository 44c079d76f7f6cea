// Fused SGD / RMSprop / Adam(W) updates over a parameter group.
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

#define NV_ISA_BODY "cpu/optim.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

NV_KERNEL_DEF(sgd_step_f32) {
  NV_ISA_DISPATCH(ctx, sgd(ctx, count, sizes, w, g, buf, lr, momentum, dampening, weight_decay,
                           nesterov, first_step));
  return NV_OK;
}

NV_KERNEL_DEF(rmsprop_step_f32) {
  NV_ISA_DISPATCH(ctx, rmsprop(ctx, count, sizes, w, g, sq, buf, lr, alpha, eps, weight_decay,
                               momentum));
  return NV_OK;
}

NV_KERNEL_DEF(adam_step_f32) {
  NV_ISA_DISPATCH(ctx, adam(ctx, count, sizes, w, g, m, v, lr, beta1, beta2, eps, weight_decay,
                            decoupled, step));
  return NV_OK;
}

}  // namespace nv::cpu
