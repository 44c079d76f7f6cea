// nv_gemm_f32 and nv_gemm_strided_batched_f32: argument checks, then the backend.
#include "api/check.h"
#include "cuda/gemm_tf32.h"

namespace {

// The checks both entry points share. Leading dimensions follow BLAS: at least the stored
// row length (and at least 1), checked only for matrices that are actually read or written.
nv_status check_gemm(const char* fn, int32_t ta, int32_t tb, int64_t M, int64_t N, int64_t K,
                     const float* A, int64_t lda, const float* B, int64_t ldb, const float* C,
                     int64_t ldc) {
  using nv::fail;
  if (M < 0 || N < 0 || K < 0)
    return fail(NV_ERR_INVALID_ARGUMENT, "%s: M=%lld, N=%lld, K=%lld must not be negative", fn,
                (long long)M, (long long)N, (long long)K);
  const bool reads_a = M > 0 && N > 0 && K > 0;
  if (reads_a) {
    int64_t need_a = ta ? M : K;
    if (lda < need_a || lda < 1)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: lda=%lld is smaller than %s=%lld (trans_a=%d)",
                  fn, (long long)lda, ta ? "M" : "K", (long long)need_a, (int)ta);
    int64_t need_b = tb ? K : N;
    if (ldb < need_b || ldb < 1)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: ldb=%lld is smaller than %s=%lld (trans_b=%d)",
                  fn, (long long)ldb, tb ? "K" : "N", (long long)need_b, (int)tb);
    if (A == nullptr) return fail(NV_ERR_INVALID_ARGUMENT, "%s: A is NULL", fn);
    if (B == nullptr) return fail(NV_ERR_INVALID_ARGUMENT, "%s: B is NULL", fn);
  }
  if (M > 0 && N > 0) {
    if (ldc < N || ldc < 1)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: ldc=%lld is smaller than N=%lld", fn,
                  (long long)ldc, (long long)N);
    if (C == nullptr) return fail(NV_ERR_INVALID_ARGUMENT, "%s: C is NULL", fn);
  }
  return NV_OK;
}

}  // namespace

extern "C" {

nv_status nv_gemm_f32(nv_ctx* ctx, int32_t trans_a, int32_t trans_b, int64_t M, int64_t N,
                      int64_t K, float alpha, const float* A, int64_t lda, const float* B,
                      int64_t ldb, float beta, float* C, int64_t ldc) {
  NV_CHECK_CTX(ctx, "nv_gemm_f32");
  NV_TRY(check_gemm("nv_gemm_f32", trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc));
  return ctx->backend->gemm_f32(ctx, trans_a != 0, trans_b != 0, M, N, K, alpha, A, lda, B, ldb,
                                beta, C, ldc);
}

nv_status nv_gemm_strided_batched_f32(nv_ctx* ctx, int32_t trans_a, int32_t trans_b, int64_t M,
                                      int64_t N, int64_t K, float alpha, const float* A,
                                      int64_t lda, int64_t stride_a, const float* B, int64_t ldb,
                                      int64_t stride_b, float beta, float* C, int64_t ldc,
                                      int64_t stride_c, int64_t batch) {
  constexpr const char* fn = "nv_gemm_strided_batched_f32";
  NV_CHECK_CTX(ctx, "nv_gemm_strided_batched_f32");
  NV_CHECK_NONNEG(batch, "nv_gemm_strided_batched_f32");
  NV_CHECK_NONNEG(stride_a, "nv_gemm_strided_batched_f32");
  NV_CHECK_NONNEG(stride_b, "nv_gemm_strided_batched_f32");
  NV_TRY(check_gemm(fn, trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc));
  // Outputs of different batch entries must not overlap: they may be written concurrently.
  if (batch > 1 && M > 0 && N > 0) {
    int64_t c_extent = (M - 1) * ldc + N;
    NV_CHECK(stride_c >= c_extent,
             "nv_gemm_strided_batched_f32: stride_c=%lld makes the C matrices overlap (each "
             "spans %lld elements)",
             (long long)stride_c, (long long)c_extent);
  }
  if (batch == 0) return NV_OK;
  return ctx->backend->gemm_strided_batched_f32(ctx, trans_a != 0, trans_b != 0, M, N, K, alpha,
                                                A, lda, stride_a, B, ldb, stride_b, beta, C, ldc,
                                                stride_c, batch);
}

}  // extern "C"

// Internal, not in nerve.h (gemm_tf32.h): the TF32 tensor-core GEMM, for the tests until a
// public switch exists.
extern "C" nv_status nv_internal_gemm_tf32_f32(nv_ctx* ctx, int32_t trans_a, int32_t trans_b,
                                               int64_t M, int64_t N, int64_t K, float alpha,
                                               const float* A, int64_t lda, int64_t stride_a,
                                               const float* B, int64_t ldb, int64_t stride_b,
                                               float beta, float* C, int64_t ldc,
                                               int64_t stride_c, int64_t batch) {
  constexpr const char* fn = "nv_internal_gemm_tf32_f32";
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK_NONNEG(batch, "nv_internal_gemm_tf32_f32");
  NV_CHECK_NONNEG(stride_a, "nv_internal_gemm_tf32_f32");
  NV_CHECK_NONNEG(stride_b, "nv_internal_gemm_tf32_f32");
  NV_TRY(check_gemm(fn, trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc));
  if (batch > 1 && M > 0 && N > 0)
    NV_CHECK(stride_c >= (M - 1) * ldc + N, "%s: stride_c=%lld makes the C matrices overlap", fn,
             (long long)stride_c);
  return ctx->backend->gemm_tf32_f32(ctx, trans_a != 0, trans_b != 0, M, N, K, alpha, A, lda,
                                       stride_a, B, ldb, stride_b, beta, C, ldc, stride_c, batch);
}
