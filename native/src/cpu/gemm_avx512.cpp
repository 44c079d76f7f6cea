// AVX-512 GEMM micro-kernels: MR rows x NV zmm columns of C held in registers.
//
// Each k step loads NV vectors of the packed B row and broadcasts MR elements of A, for
// MR * NV FMAs. An FMA here has ~4 cycles of latency and 2 issue per cycle, so at least 8
// independent accumulators are needed; the shapes below use 16 to 24 of the 32 zmm.
//   wide   12 x 32 (24 acc): the general case, 14 loads per 24 FMAs
//   wide8   8 x 32 (16 acc): the same for 48 < M <= 128 where 8-row panels waste fewer rows
//                            (M = 64, a convolution's output channels: 72 rows computed by
//                            12-row panels, 64 by 8-row ones); 10 loads per 16 FMAs
//   mid     6 x 64 (24 acc): N <= 64 (a 3x3 convolution's 64 channels), 10 loads per 24 FMAs
//                            and only 6 rows of A streamed when A is read in place
//   narrow 16 x 16 (16 acc): N <= 16 (a classifier's 10 outputs), 17 loads per 16 FMAs;
//                            a 32-wide tile would waste two thirds of its FMAs
#include <immintrin.h>

#include "cpu/gemm_kernels.h"

namespace nv::cpu::gemm_detail {
namespace {

// A_MODE: 0 packed (a[k * MR + r]), 1 rows in place (a[r * rsa + k]), 2 columns in place
// (a[k * csa + r], op(A) transposed).
template <int MR, int NV, int A_MODE>
__attribute__((target("avx512f,avx512dq,avx512vl,fma")))
void micro(int64_t kc, const float* a, int64_t rsa, int64_t csa, const float* b, int64_t ldbk, float* c,
           int64_t ldc, float alpha, float beta, int64_t m, int64_t n) {
  __m512 acc[MR][NV];
#pragma GCC unroll 24
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_setzero_ps();
  // Columns past n: B in place must not be read there (packed B is zero there anyway).
  __mmask16 mask[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    int64_t left = n - v * 16;
    mask[v] = left >= 16 ? 0xFFFF : left <= 0 ? 0 : static_cast<__mmask16>((1u << left) - 1u);
  }
  // C is read (beta != 0, or a later K block) and written only after the k loop: fetch its
  // lines now so the misses overlap the FMAs instead of stalling the stores.
#pragma GCC unroll 24
  for (int r = 0; r < MR; ++r) {
    if (r >= m) break;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + v * 16), _MM_HINT_T0);
  }
  // Rows in place: one pointer per row, all stepping by one float.
  const float* ar[A_MODE == 1 ? MR : 1];
  if constexpr (A_MODE == 1) {
#pragma GCC unroll 24
    for (int r = 0; r < MR; ++r) ar[r] = a + r * rsa;
  }
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; ++k) {
    __m512 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_maskz_loadu_ps(mask[v], b + v * 16);
#pragma GCC unroll 24
    for (int r = 0; r < MR; ++r) {
      float x = A_MODE == 0 ? a[r] : A_MODE == 1 ? ar[r][k] : a[r];
      __m512 av = _mm512_set1_ps(x);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
    if constexpr (A_MODE == 0) a += MR;
    if constexpr (A_MODE == 2) a += csa;
    b += ldbk;
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 24
  for (int r = 0; r < MR; ++r) {
    if (r >= m) break;
    float* cr = c + r * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      __m512 x = _mm512_mul_ps(va, acc[r][v]);
      if (beta != 0.0f) x = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[v], cr + v * 16), x);
      _mm512_mask_storeu_ps(cr + v * 16, mask[v], x);
    }
  }
}

// In place, A's layout picks the kernel: csa == 1 means rows are contiguous.
template <int MR, int NV>
void direct(int64_t kc, const float* a, int64_t rsa, int64_t csa, const float* b, int64_t ldbk, float* c,
            int64_t ldc, float alpha, float beta, int64_t m, int64_t n) {
  if (csa == 1) micro<MR, NV, 1>(kc, a, rsa, csa, b, ldbk, c, ldc, alpha, beta, m, n);
  else micro<MR, NV, 2>(kc, a, rsa, csa, b, ldbk, c, ldc, alpha, beta, m, n);
}

}  // namespace

Kernel avx512_wide() { return {12, 32, micro<12, 2, 0>, direct<12, 2>, true}; }
Kernel avx512_wide8() { return {8, 32, micro<8, 2, 0>, direct<8, 2>, true}; }
Kernel avx512_mid() { return {6, 64, micro<6, 4, 0>, direct<6, 4>, true}; }
Kernel avx512_narrow() { return {16, 16, micro<16, 1, 0>, direct<16, 1>, true}; }

}  // namespace nv::cpu::gemm_detail
