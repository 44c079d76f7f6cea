// Softmax, log-softmax (forward and backward) and the fused softmax cross-entropy.
#include "cpu/cpu_kernels.h"

#include "core/error.h"
#include "cpu/simd.h"

#define NV_ISA_BODY "cpu/softmax.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

NV_KERNEL_DEF(softmax_forward_f32) {
  if (rows > 0 && cols > 0) NV_ISA_DISPATCH(ctx, softmax_forward(ctx, rows, cols, x, y));
  return NV_OK;
}

NV_KERNEL_DEF(softmax_backward_f32) {
  if (rows > 0 && cols > 0) NV_ISA_DISPATCH(ctx, softmax_backward(ctx, rows, cols, y, dy, dx));
  return NV_OK;
}

NV_KERNEL_DEF(log_softmax_forward_f32) {
  if (rows > 0 && cols > 0) NV_ISA_DISPATCH(ctx, log_softmax_forward(ctx, rows, cols, x, y));
  return NV_OK;
}

NV_KERNEL_DEF(log_softmax_backward_f32) {
  if (rows > 0 && cols > 0) NV_ISA_DISPATCH(ctx, log_softmax_backward(ctx, rows, cols, y, dy, dx));
  return NV_OK;
}

NV_KERNEL_DEF(softmax_xent_f32) {
  // Labels first, so a bad one fails before anything is written.
  for (int64_t r = 0; r < rows; ++r) {
    if (labels[r] < 0 || labels[r] >= cols)
      return fail(NV_ERR_INVALID_ARGUMENT,
                  "nv_softmax_xent_f32: label %d at row %lld is outside [0, %lld)", labels[r],
                  static_cast<long long>(r), static_cast<long long>(cols));
  }
  NV_ISA_DISPATCH(ctx, softmax_xent(ctx, rows, cols, logits, labels, loss, dlogits));
  return NV_OK;
}

}  // namespace nv::cpu
