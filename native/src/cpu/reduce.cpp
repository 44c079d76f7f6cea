// Sum / mean / max / min and argmax over the middle axis of a contiguous (outer, n, inner).
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

#define NV_ISA_BODY "cpu/reduce.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

NV_KERNEL_DEF(reduce_f32) {
  if (outer == 0 || inner == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, reduce(ctx, op, outer, n, inner, x, out));
  return NV_OK;
}

NV_KERNEL_DEF(argmax_f32) {
  if (outer == 0 || inner == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, argmax(ctx, outer, n, inner, x, out));
  return NV_OK;
}

}  // namespace nv::cpu
