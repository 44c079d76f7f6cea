// Unary ops (forward and backward) and broadcast binary / compare ops on the CPU.
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

namespace nv::cpu {
namespace {

// A broadcast shape after dropping size-1 dimensions and merging dimensions that are
// contiguous in both inputs: a (64, 128) + (128) bias add becomes 64 rows of a contiguous
// 128-element loop, a full-shape add becomes one loop over all elements.
struct BroadcastPlan {
  int ndim = 0;
  int64_t total = 1;
  int64_t shape[8], sa[8], sb[8];
};

BroadcastPlan make_plan(int32_t ndim, const int64_t* shape, const int64_t* a_strides,
                        const int64_t* b_strides) {
  BroadcastPlan p;
  for (int d = 0; d < ndim; ++d) {
    p.total *= shape[d];
    if (shape[d] == 1) continue;
    int l = p.ndim - 1;
    if (l >= 0 && p.sa[l] == a_strides[d] * shape[d] && p.sb[l] == b_strides[d] * shape[d]) {
      p.shape[l] *= shape[d];
      p.sa[l] = a_strides[d];
      p.sb[l] = b_strides[d];
    } else {
      p.shape[p.ndim] = shape[d];
      p.sa[p.ndim] = a_strides[d];
      p.sb[p.ndim] = b_strides[d];
      ++p.ndim;
    }
  }
  if (p.ndim == 0) {  // a scalar, or all dimensions of size 1
    p.ndim = 1;
    p.shape[0] = 1;
    p.sa[0] = p.sb[0] = 0;
  }
  return p;
}

}  // namespace
}  // namespace nv::cpu

#define NV_KERNELS "cpu/elementwise.inl"
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
  BroadcastPlan p = make_plan(ndim, shape, a_strides, b_strides);
  if (p.total == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, binary(ctx, op, compare, p, a, b, out));
  return NV_OK;
}

}  // namespace nv::cpu
