// The loop plan of an op that walks two strided operands over one shape: a broadcast binary op
// (a and b, read through their strides; 0 broadcasts) or a strided copy (a is the source, b the
// destination). Size-1 dimensions are dropped and neighbouring dimensions that are contiguous in
// both operands are merged, so a full-shape add is one loop over all elements, a bias add
// (64, 128) + (128) is 64 rows of a contiguous 128-element loop, and a contiguous copy is one
// memcpy. Built on the host by the CPU and CUDA backends alike; a CUDA kernel takes it by value.
#pragma once
#include <cstdint>

namespace nv {

struct StridedPlan {
  static constexpr int kMaxDims = 8;  // as nerve.h's ndim limit
  int32_t ndim = 0;                   // >= 1 after make_strided_plan
  int64_t total = 1;                  // elements in the shape
  int64_t shape[kMaxDims];
  int64_t sa[kMaxDims], sb[kMaxDims];  // element strides of a and b
};

// ndim <= kMaxDims, sizes >= 0 (api/ checks both). A scalar, or a shape of all 1s, becomes one
// dimension of size 1 with strides 0.
inline StridedPlan make_strided_plan(int32_t ndim, const int64_t* shape, const int64_t* a_strides,
                                     const int64_t* b_strides) {
  StridedPlan p;
  for (int d = 0; d < ndim; ++d) {
    p.total *= shape[d];
    if (shape[d] == 1) continue;
    const int l = p.ndim - 1;
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
  if (p.ndim == 0) {
    p.ndim = 1;
    p.shape[0] = 1;
    p.sa[0] = p.sb[0] = 0;
  }
  return p;
}

}  // namespace nv
