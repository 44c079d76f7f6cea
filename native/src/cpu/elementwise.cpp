// Unary ops (forward and backward) and broadcast binary / compare ops on the CPU.
#include "cpu/cpu_kernels.h"

#include "core/strided_plan.h"
#include "cpu/simd.h"

#define NV_ISA_BODY "cpu/elementwise.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

NV_KERNEL_DEF(unary_f32) {
  NV_ISA_DISPATCH(ctx, unary(ctx, op, n, x, y, alpha, beta));
  return NV_OK;
}

NV_KERNEL_DEF(unary_backward_f32) {
  NV_ISA_DISPATCH(ctx, unary_backward(ctx, op, n, x, y, dy, dx, alpha, beta));
  return NV_OK;
}

NV_KERNEL_DEF(binary_f32) {
  StridedPlan p = make_strided_plan(ndim, shape, a_strides, b_strides);
  if (p.total == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, binary(ctx, op, compare, p, a, b, out));
  return NV_OK;
}

}  // namespace nv::cpu
