// Tensor-core fragments for kernels (docs/ARCHITECTURE.md, "cuda-sim"): kernel files reach inline PTX only
// through these wrappers, which cuda-sim replaces by its emulated twins (sim/mma.cpp).
//
//   nv::gpu::cvt_rna_tf32(x)            cvt.rna.tf32.f32: x rounded to TF32 (nearest, ties away
//                                       from zero), as a 32-bit pattern with the low 13 bits 0.
//   nv::gpu::mma_m16n8k8_tf32(d,a,b,c)  mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32:
//                                       D = A*B + C for the whole warp (all 32 lanes).
//
// Fragment layouts (PTX ISA, "Matrix Fragments for mma.m16n8k8", .tf32), g = lane >> 2,
// t = lane & 3:
//   a0 A[g][t]    a1 A[g+8][t]    a2 A[g][t+4]    a3 A[g+8][t+4]        A: 16x8, row-major
//   b0 B[t][g]    b1 B[t+4][g]                                           B: 8x8 (K x N), col
//   c0 C[g][2t]   c1 C[g][2t+1]   c2 C[g+8][2t]   c3 C[g+8][2t+1]       C, D: 16x8
// Requires sm_80 or newer.
#pragma once
#include "cuda/cuda_common.cuh"

namespace nv {
namespace gpu {

#ifdef NERVE_CUDA_SIM
using ::nv::sim::cvt_rna_tf32;
using ::nv::sim::mma_m16n8k8_tf32;
#else
__device__ __forceinline__ uint32_t cvt_rna_tf32(float x) {
  uint32_t r;
  asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
  return r;
}

__device__ __forceinline__ void mma_m16n8k8_tf32(float (&d)[4], const uint32_t (&a)[4],
                                                 const uint32_t (&b)[2], const float (&c)[4]) {
  asm volatile(
      "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%10, %11, %12, %13};\n"
      : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "f"(c[0]), "f"(c[1]),
        "f"(c[2]), "f"(c[3]));
}
#endif

}  // namespace gpu
}  // namespace nv
