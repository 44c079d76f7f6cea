// Sum / mean / max / min and argmax over the middle axis of a contiguous (outer, n, inner).
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

#define NV_KERNELS "cpu/reduce.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

void reduce_f32(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                const float* x, float* out) {
  if (outer == 0 || inner == 0) return;
  NV_ISA_DISPATCH(ctx, reduce(ctx, op, outer, n, inner, x, out));
}

void argmax_f32(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                int32_t* out) {
  if (outer == 0 || inner == 0) return;
  NV_ISA_DISPATCH(ctx, argmax(ctx, outer, n, inner, x, out));
}

}  // namespace nv::cpu
