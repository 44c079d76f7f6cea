package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;

/** Matrix products. Internal: callers have checked shapes and devices. */
public final class Gemm {
  private Gemm() {}

  /**
   * C = alpha op(A) op(B) + beta C, C (M x N) with stride 1 on its last dimension; lda and ldb are
   * the leading dimensions of A and B as stored (a transposed view is passed as a flag, not copied).
   */
  public static void gemm(long m, long n, long k, float alpha, Operand a, boolean transA, long lda, Operand b,
      boolean transB, long ldb, float beta, Operand c, long ldc) {
    try (Pin p = Pin.of("matmul", a, b, c)) {
      Native.check(
          Nerve.nv_gemm_f32(c.ctx().handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a.f32(), lda, b.f32(), ldb,
              beta, c.f32(), ldc),
          "nv_gemm_f32", "matmul", "");
    }
  }

  /** batch GEMMs, matrix i of A at A + i * strideA, and so on. */
  public static void gemmBatched(long batch, long m, long n, long k, float alpha, Operand a, boolean transA,
      long lda, long strideA, Operand b, boolean transB, long ldb, long strideB, float beta, Operand c, long ldc,
      long strideC) {
    try (Pin p = Pin.of("matmul", a, b, c)) {
      Native.check(
          Nerve.nv_gemm_strided_batched_f32(c.ctx().handle, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a.f32(),
              lda, strideA, b.f32(), ldb, strideB, beta, c.f32(), ldc, strideC, batch),
          "nv_gemm_strided_batched_f32", "matmul", "");
    }
  }
}
