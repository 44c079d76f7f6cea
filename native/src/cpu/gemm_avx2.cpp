// AVX2 + FMA GEMM micro-kernels (16 ymm registers), and the portable one.
//   wide   6 x 16 (12 acc + 2 B + 1 broadcast = 15 ymm), the BLIS Haswell shape
//   narrow 12 x 8 (12 acc): N <= 8, where a 16-wide tile would waste half its FMAs
// A_MODE as in gemm_avx512.cpp: 0 packed, 1 rows in place, 2 columns in place.
#include <immintrin.h>

#include "cpu/gemm_kernels.h"

namespace nv::cpu::gemm_detail {
namespace {

template <int MR, int NV, int A_MODE>
__attribute__((target("avx2,fma")))
void micro(int64_t kc, const float* a, int64_t rsa, int64_t csa, const float* b, int64_t ldbk, float* c,
           int64_t ldc, float alpha, float beta, int64_t m, int64_t n) {
  constexpr int NR = NV * 8;
  __m256 acc[MR][NV];
#pragma GCC unroll 12
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_setzero_ps();
  const float* ar[A_MODE == 1 ? MR : 1];
  if constexpr (A_MODE == 1) {
#pragma GCC unroll 12
    for (int r = 0; r < MR; ++r) ar[r] = a + r * rsa;
  }
  for (int64_t k = 0; k < kc; ++k) {
    __m256 bv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + v * 8);
#pragma GCC unroll 12
    for (int r = 0; r < MR; ++r) {
      __m256 av = _mm256_broadcast_ss(A_MODE == 1 ? ar[r] + k : a + r);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
    }
    if constexpr (A_MODE == 0) a += MR;
    if constexpr (A_MODE == 2) a += csa;
    b += ldbk;
  }
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i mask[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; ++v)
    mask[v] = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n) - v * 8), lane);
  const bool full = n == NR;
#pragma GCC unroll 12
  for (int r = 0; r < MR; ++r) {
    if (r >= m) break;
    float* cr = c + r * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      __m256 x = _mm256_mul_ps(va, acc[r][v]);
      if (full) {
        if (beta != 0.0f) x = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr + v * 8), x);
        _mm256_storeu_ps(cr + v * 8, x);
      } else {
        if (beta != 0.0f) x = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr + v * 8, mask[v]), x);
        _mm256_maskstore_ps(cr + v * 8, mask[v], x);
      }
    }
  }
}

template <int MR, int NV>
void direct(int64_t kc, const float* a, int64_t rsa, int64_t csa, const float* b, int64_t ldbk, float* c,
            int64_t ldc, float alpha, float beta, int64_t m, int64_t n) {
  if (csa == 1) micro<MR, NV, 1>(kc, a, rsa, csa, b, ldbk, c, ldc, alpha, beta, m, n);
  else micro<MR, NV, 2>(kc, a, rsa, csa, b, ldbk, c, ldc, alpha, beta, m, n);
}

// Plain C++; the compiler vectorises the inner j loop with baseline SSE.
void micro_portable_4x16(int64_t kc, const float* a, int64_t, int64_t, const float* b, int64_t, float* c,
                         int64_t ldc, float alpha, float beta, int64_t m, int64_t n) {
  float acc[4][16] = {};
  for (int64_t k = 0; k < kc; ++k) {
    for (int r = 0; r < 4; ++r)
      for (int j = 0; j < 16; ++j) acc[r][j] += a[r] * b[j];
    a += 4;
    b += 16;
  }
  for (int64_t r = 0; r < m; ++r)
    for (int64_t j = 0; j < n; ++j)
      c[r * ldc + j] = beta == 0.0f ? alpha * acc[r][j] : alpha * acc[r][j] + beta * c[r * ldc + j];
}

}  // namespace

// B is always packed here: a masked AVX2 load is slow, and the edge panel would need one.
Kernel avx2_wide() { return {6, 16, micro<6, 2, 0>, direct<6, 2>, false}; }
Kernel avx2_narrow() { return {12, 8, micro<12, 1, 0>, direct<12, 1>, false}; }
Kernel portable() { return {4, 16, micro_portable_4x16, nullptr, false}; }

}  // namespace nv::cpu::gemm_detail
