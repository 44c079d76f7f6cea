package dev.nerve.ops;

import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;

/** Matrix products. Internal: callers have checked shapes and devices. */
public final class Gemm {
  private Gemm() {}

  /**
   * C = alpha op(A) op(B) + beta C, C (M x N) with stride 1 on its last dimension; lda and ldb are
   * the leading dimensions of A and B as stored (a transposed view is passed as a flag, not copied).
   */
  public static void gemm(long m, long n, long k, float alpha, Tensor a, boolean transA, long lda, Tensor b,
      boolean transB, long ldb, float beta, Tensor c, long ldc) {
    Native.check(
        Nerve.nv_gemm_f32(Memory.ctx(c).handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k,
            alpha, Memory.f32(a), lda, Memory.f32(b), ldb, beta, Memory.f32(c), ldc),
        "nv_gemm_f32");
  }

  /** batch GEMMs, matrix i of A at A + i * strideA, and so on. */
  public static void gemmBatched(long batch, long m, long n, long k, float alpha, Tensor a, boolean transA,
      long lda, long strideA, Tensor b, boolean transB, long ldb, long strideB, float beta, Tensor c, long ldc,
      long strideC) {
    Native.check(
        Nerve.nv_gemm_strided_batched_f32(Memory.ctx(c).handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k,
            alpha, Memory.f32(a), lda, strideA, Memory.f32(b), ldb, strideB,
            beta, Memory.f32(c), ldc, strideC, batch),
        "nv_gemm_strided_batched_f32");
  }
}
