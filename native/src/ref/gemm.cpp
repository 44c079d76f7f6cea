#include "ref/ref.h"

namespace nv::ref {

void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, double alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, double beta, double* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double s = 0.0;
      for (int64_t k = 0; k < K; ++k) {
        double a = ta ? A[k * lda + i] : A[i * lda + k];
        double b = tb ? B[j * ldb + k] : B[k * ldb + j];
        s += a * b;
      }
      double old = beta == 0.0 ? 0.0 : beta * C[i * ldc + j];
      C[i * ldc + j] = alpha * s + old;
    }
  }
}

}  // namespace nv::ref
