// GEMM micro-kernels, shared by the driver (gemm.cpp) and the per-ISA files.
//
// A micro-kernel computes one MR x NR tile of C:
//   c[m x n] = alpha * sum_k a[r, k] b[k, j] + beta * c       (m <= MR, n <= NR)
// B comes packed (b[k * ldbk + j], ldbk = NR, zero past column n) or, on kernels with
// b_in_place, straight from a row-major op(B) (ldbk = ldb; columns past n are not read). A comes either packed (a[k * MR + r], zero
// past row m) or, on the kernels that allow it, straight from the caller's matrix with a row
// stride rsa and a k stride csa (op(A) row-major: rsa = lda, csa = 1; transposed: rsa = 1,
// csa = lda). Reading A in place saves the packing copy, which matters when the tile row is
// short (N <= 64: one copy of A per few FMAs); with a full row of NR panels the packed copy is
// reused enough to be worth it. beta == 0 never reads C.
#pragma once
#include <cstdint>

namespace nv::cpu::gemm_detail {

using MicroKernel = void (*)(int64_t kc, const float* a, int64_t rsa, int64_t csa, const float* b, int64_t ldbk,
                             float* c, int64_t ldc, float alpha, float beta, int64_t m, int64_t n);

struct Kernel {
  int mr, nr;
  MicroKernel packed;  // A packed
  MicroKernel direct;  // A read in place (full MR rows only); nullptr: always pack
  bool b_in_place;     // may read B unpacked
};

// Per ISA and shape class. narrow: N <= 16; mid: N <= 64.
Kernel avx512_wide();
Kernel avx512_wide8();
Kernel avx512_mid();
Kernel avx512_narrow();
Kernel avx2_wide();
Kernel avx2_narrow();
Kernel portable();

}  // namespace nv::cpu::gemm_detail
