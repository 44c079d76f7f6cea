// The CPU kernels behind nerve.h: one NV_KERNEL_DEF per entry of core/kernels.h in the family
// files (fill.cpp, gemm.cpp, elementwise.cpp, reduce.cpp, softmax.cpp, optim.cpp, rnn.cpp,
// index.cpp, conv.cpp, pool.cpp, norm.cpp), put into the CPU's table by backend.cpp. The api/
// layer has already validated every argument, so these functions assume sane sizes and
// non-NULL pointers; each picks its instruction set from ctx->isa and splits work over
// ctx->pool.
#pragma once
#include <cstdint>

#include "core/kernels.h"

namespace nv::cpu {

// Every kernel of core/kernels.h, defined in the family files below.
NV_DECLARE_KERNELS

// gemm.cpp: a B operand that is never stored, only packed: pack() writes the panel
// dst[k * nr + c] = B(k0 + k, j0 + c) for k < kc, c < n, and zeros for n <= c < nr.
// (The convolution's column matrix, gathered from the image straight into the GEMM's panels.)
struct BPanelSource {
  virtual void pack(int64_t k0, int64_t j0, int64_t n, int64_t kc, int nr, float* dst) const = 0;

 protected:
  ~BPanelSource() = default;
};
// C (M x N) = A (M x K, row-major, lda) B + beta C, with B packed by b.
void gemm_f32_gathered_b(nv_ctx* ctx, int64_t M, int64_t N, int64_t K, const float* A,
                         int64_t lda, const BPanelSource& b, float beta, float* C, int64_t ldc);

}  // namespace nv::cpu
