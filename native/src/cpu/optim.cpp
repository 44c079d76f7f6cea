// Fused SGD / RMSprop / Adam(W) updates over a parameter group.
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

#define NV_KERNELS "cpu/optim.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

void sgd_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                  float** buf, float lr, float momentum, float dampening, float weight_decay,
                  bool nesterov, bool first_step) {
  NV_ISA_DISPATCH(ctx, sgd(ctx, count, sizes, w, g, buf, lr, momentum, dampening, weight_decay,
                           nesterov, first_step));
}

void rmsprop_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                      float** sq, float** buf, float lr, float alpha, float eps,
                      float weight_decay, float momentum) {
  NV_ISA_DISPATCH(ctx, rmsprop(ctx, count, sizes, w, g, sq, buf, lr, alpha, eps, weight_decay,
                               momentum));
}

void adam_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                   float** m, float** v, float lr, float beta1, float beta2, float eps,
                   float weight_decay, bool decoupled, int64_t step) {
  NV_ISA_DISPATCH(ctx, adam(ctx, count, sizes, w, g, m, v, lr, beta1, beta2, eps, weight_decay,
                            decoupled, step));
}

}  // namespace nv::cpu
