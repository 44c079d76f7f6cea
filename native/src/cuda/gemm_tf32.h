// The TF32 tensor-core GEMM (gemm_tf32.cu): C = alpha op(A) op(B) + beta C with A and B rounded
// to TF32 (10 mantissa bits, round to nearest, ties away from zero) and products summed in
// FP32, on sm_80 or newer. Plain C++ (no CUDA headers), so api/ and the tests can see it.
//
// A context uses it for nv_gemm_* once nv_ctx_set_tf32 allows it (Device.allowTf32 in Java), and
// api/gemm.cpp exports nv_internal_gemm_tf32_f32 for the tests.
#pragma once
#include <cstdint>

#include "nerve.h"

namespace nv {
// One (strided-batched) GEMM's arguments, as the SIMT (gemm.cu) and TF32 kernels take them:
// C[z] (M x N, ldc) = alpha op(A[z]) op(B[z]) + beta C[z] for z < batch, X[z] = X + z stride_x.
struct GemmArgs {
  int64_t M, N, K;
  float alpha, beta;
  const float* A;
  int64_t lda, stride_a;
  const float* B;
  int64_t ldb, stride_b;
  float* C;
  int64_t ldc, stride_c;
  int64_t batch;
};

}  // namespace nv


extern "C" {
// For tests: the TF32 GEMM on a cuda or cuda-sim context (NV_ERR_UNSUPPORTED elsewhere or
// before sm_80). Same arguments and checks as nv_gemm_strided_batched_f32.
nv_status nv_internal_gemm_tf32_f32(nv_ctx* ctx, int32_t trans_a, int32_t trans_b, int64_t M,
                                    int64_t N, int64_t K, float alpha, const float* A,
                                    int64_t lda, int64_t stride_a, const float* B, int64_t ldb,
                                    int64_t stride_b, float beta, float* C, int64_t ldc,
                                    int64_t stride_c, int64_t batch);
}
