// Single-precision GEMM on the CPU, GotoBLAS/BLIS style, for row-major C:
//
//   for jc in N by NC:                     B block (KC x NC, ~512 KB) stays in L2
//     for pc in K by KC:
//       pack op(B)[pc.., jc..] into NR-wide panels        (all threads, shared)
//       for each MR-row panel of op(A) (split over threads):
//         pack the panel (MR x KC, ~12 KB: stays in L1 for the loop below)
//         for each NR panel of the B block: micro-kernel MR x NR
//
// The micro-kernel keeps the MR x NR tile of C in registers (AVX-512: 12 x 32 = 24 zmm,
// AVX2: 6 x 16 = 12 ymm), broadcasts one element of A and multiplies it with one row of B
// per FMA pair. Edge tiles are handled by zero-padded packing plus masked stores, so every
// shape goes through the same code. beta is applied on the first K block only; beta == 0
// never reads C (NaNs in C are ignored, as BLAS does).
#include <immintrin.h>

#include <cstring>
#include <new>

#include "core/context.h"
#include "cpu/cpu_kernels.h"

namespace nv::cpu {
namespace {

// Packing buffers, one pair per thread, grown once and then reused. This is the one place
// the CPU kernels allocate: the context has no workspace for them yet, and after the first
// call of a given size there are no further allocations.
struct Scratch {
  float* p = nullptr;
  size_t cap = 0;
  ~Scratch() { release(); }
  void release() {
    if (p) ::operator delete[](p, std::align_val_t(64));
    p = nullptr;
    cap = 0;
  }
  float* get(size_t n) {
    if (n > cap) {
      release();
      p = static_cast<float*>(::operator new[](n * sizeof(float), std::align_val_t(64)));
      cap = n;
    }
    return p;
  }
};
thread_local Scratch tl_apack;
thread_local Scratch tl_bpack;

using MicroKernel = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                             float alpha, float beta, int64_t m, int64_t n);

struct Blocking {
  int mr, nr;
  int64_t kc, nc;
  MicroKernel micro;
};

// ------------------------------------------------------------------ packing
// A panel: dst[k * mr + r] = op(A)[i0 + r, k0 + k], rows r >= m are zero.
void pack_a(bool trans, const float* A, int64_t lda, int64_t i0, int64_t k0, int64_t m,
            int64_t kc, int mr, float* dst) {
  if (!trans) {
    for (int64_t r = 0; r < m; ++r) {
      const float* src = A + (i0 + r) * lda + k0;
      for (int64_t k = 0; k < kc; ++k) dst[k * mr + r] = src[k];
    }
    for (int64_t r = m; r < mr; ++r)
      for (int64_t k = 0; k < kc; ++k) dst[k * mr + r] = 0.0f;
  } else {
    for (int64_t k = 0; k < kc; ++k) {
      const float* src = A + (k0 + k) * lda + i0;
      float* d = dst + k * mr;
      int64_t r = 0;
      for (; r < m; ++r) d[r] = src[r];
      for (; r < mr; ++r) d[r] = 0.0f;
    }
  }
}

// B panel: dst[k * nr + c] = op(B)[k0 + k, j0 + c], columns c >= n are zero.
void pack_b(bool trans, const float* B, int64_t ldb, int64_t k0, int64_t j0, int64_t n,
            int64_t kc, int nr, float* dst) {
  if (!trans) {
    for (int64_t k = 0; k < kc; ++k) {
      const float* src = B + (k0 + k) * ldb + j0;
      float* d = dst + k * nr;
      std::memcpy(d, src, n * sizeof(float));
      for (int64_t c = n; c < nr; ++c) d[c] = 0.0f;
    }
  } else {
    for (int64_t c = 0; c < n; ++c) {
      const float* src = B + (j0 + c) * ldb + k0;
      for (int64_t k = 0; k < kc; ++k) dst[k * nr + c] = src[k];
    }
    for (int64_t c = n; c < nr; ++c)
      for (int64_t k = 0; k < kc; ++k) dst[k * nr + c] = 0.0f;
  }
}

// ------------------------------------------------------------------ micro-kernels
// c[m x n] = alpha * a_panel . b_panel + beta * c, for m <= MR and n <= NR.

__attribute__((target("avx512f,avx512dq,avx512vl,fma")))
void micro_avx512_12x32(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                        float alpha, float beta, int64_t m, int64_t n) {
  __m512 acc[12][2];
#pragma GCC unroll 12
  for (int r = 0; r < 12; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    __m512 b0 = _mm512_loadu_ps(b);
    __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 12
    for (int r = 0; r < 12; ++r) {
      __m512 av = _mm512_set1_ps(a[r]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
    a += 12;
    b += 32;
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  const __mmask16 k0 = n >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << n) - 1u);
  const __mmask16 k1 = n >= 32 ? 0xFFFF : n <= 16 ? 0 : static_cast<__mmask16>((1u << (n - 16)) - 1u);
#pragma GCC unroll 12
  for (int r = 0; r < 12; ++r) {
    if (r >= m) break;
    float* cr = c + r * ldc;
    __m512 x0 = _mm512_mul_ps(va, acc[r][0]);
    __m512 x1 = _mm512_mul_ps(va, acc[r][1]);
    if (beta != 0.0f) {
      x0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(k0, cr), x0);
      x1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(k1, cr + 16), x1);
    }
    _mm512_mask_storeu_ps(cr, k0, x0);
    _mm512_mask_storeu_ps(cr + 16, k1, x1);
  }
}

__attribute__((target("avx2,fma")))
void micro_avx2_6x16(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                     float alpha, float beta, int64_t m, int64_t n) {
  __m256 acc[6][2];
#pragma GCC unroll 6
  for (int r = 0; r < 6; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    __m256 b0 = _mm256_loadu_ps(b);
    __m256 b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < 6; ++r) {
      __m256 av = _mm256_broadcast_ss(a + r);
      acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
    }
    a += 6;
    b += 16;
  }
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i k0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), lane);
  const __m256i k1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n) - 8), lane);
#pragma GCC unroll 6
  for (int r = 0; r < 6; ++r) {
    if (r >= m) break;
    float* cr = c + r * ldc;
    __m256 x0 = _mm256_mul_ps(va, acc[r][0]);
    __m256 x1 = _mm256_mul_ps(va, acc[r][1]);
    if (n == 16) {
      if (beta != 0.0f) {
        x0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr), x0);
        x1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr + 8), x1);
      }
      _mm256_storeu_ps(cr, x0);
      _mm256_storeu_ps(cr + 8, x1);
    } else {
      if (beta != 0.0f) {
        x0 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr, k0), x0);
        x1 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr + 8, k1), x1);
      }
      _mm256_maskstore_ps(cr, k0, x0);
      _mm256_maskstore_ps(cr + 8, k1, x1);
    }
  }
}

// Plain C++; the compiler vectorises the inner j loop with baseline SSE.
void micro_portable_4x16(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                         float alpha, float beta, int64_t m, int64_t n) {
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

Blocking blocking_for(int32_t isa) {
  switch (isa) {
    case NV_ISA_AVX512: return {12, 32, 256, 512, micro_avx512_12x32};
    case NV_ISA_AVX2: return {6, 16, 256, 512, micro_avx2_6x16};
    default: return {4, 16, 256, 512, micro_portable_4x16};
  }
}

// C = beta * C (beta == 0 writes zeros without reading C).
void scale_c(int64_t M, int64_t N, float beta, float* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    if (beta == 0.0f) {
      for (int64_t j = 0; j < N; ++j) c[j] = 0.0f;
    } else if (beta != 1.0f) {
      for (int64_t j = 0; j < N; ++j) c[j] *= beta;
    }
  }
}

// One GEMM; parallel == false keeps it on the calling thread (used inside batched calls).
void gemm(nv_ctx* ctx, bool parallel, bool ta, bool tb, int64_t M, int64_t N, int64_t K,
          float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
          float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0 || alpha == 0.0f) {
    scale_c(M, N, beta, C, ldc);
    return;
  }
  const Blocking bk = blocking_for(ctx->isa);
  const int mr = bk.mr, nr = bk.nr;
  const int threads = ctx->pool ? ctx->pool->size() : 1;
  // Below ~2 MFLOP waking the pool costs more than it saves.
  if (threads <= 1 || static_cast<double>(M) * N * K < 1e6) parallel = false;

  const int64_t nc_max = bk.nc < N ? bk.nc : (N + nr - 1) / nr * nr;
  float* bpack = tl_bpack.get(static_cast<size_t>(bk.kc * nc_max));
  const int64_t pm = (M + mr - 1) / mr;  // MR panels of C

  for (int64_t jc = 0; jc < N; jc += bk.nc) {
    const int64_t nc = N - jc < bk.nc ? N - jc : bk.nc;
    const int64_t pn = (nc + nr - 1) / nr;  // NR panels in this block
    for (int64_t pc = 0; pc < K; pc += bk.kc) {
      const int64_t kc = K - pc < bk.kc ? K - pc : bk.kc;
      const float beta_k = pc == 0 ? beta : 1.0f;

      auto pack_panels = [&](int64_t lo, int64_t hi) {
        for (int64_t p = lo; p < hi; ++p) {
          int64_t j0 = p * nr;
          int64_t n = nc - j0 < nr ? nc - j0 : nr;
          pack_b(tb, B, ldb, pc, jc + j0, n, kc, nr, bpack + p * kc * nr);
        }
      };
      if (parallel) parallel_for(ctx, pn, 4, pack_panels);
      else pack_panels(0, pn);

      // Tasks: a range of MR panels x a range of NR panels. Split M first (A is packed once
      // per task); split N too when M has fewer panels than the pool needs (small batches).
      const int64_t want = parallel ? 4 * threads : 1;
      const int64_t mt = pm < want ? pm : want;
      int64_t nt = want / mt;
      if (nt > pn) nt = pn;
      if (nt < 1) nt = 1;
      auto task = [&](int64_t t) {
        float* apack = tl_apack.get(static_cast<size_t>(mr * bk.kc));
        int64_t tm = t / nt, tn = t % nt;
        int64_t p_lo = pm * tm / mt, p_hi = pm * (tm + 1) / mt;
        int64_t q_lo = pn * tn / nt, q_hi = pn * (tn + 1) / nt;
        for (int64_t p = p_lo; p < p_hi; ++p) {
          int64_t i0 = p * mr;
          int64_t m = M - i0 < mr ? M - i0 : mr;
          pack_a(ta, A, lda, i0, pc, m, kc, mr, apack);
          for (int64_t q = q_lo; q < q_hi; ++q) {
            int64_t j0 = q * nr;
            int64_t n = nc - j0 < nr ? nc - j0 : nr;
            bk.micro(kc, apack, bpack + q * kc * nr, C + i0 * ldc + jc + j0, ldc, alpha, beta_k,
                     m, n);
          }
        }
      };
      if (parallel) {
        parallel_tasks(ctx, mt * nt, task);
      } else {
        for (int64_t t = 0; t < mt * nt; ++t) task(t);
      }
    }
  }
}

}  // namespace

void gemm_f32(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
              float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
              float* C, int64_t ldc) {
  gemm(ctx, true, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm_strided_batched_f32(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N,
                              int64_t K, float alpha, const float* A, int64_t lda,
                              int64_t stride_a, const float* B, int64_t ldb, int64_t stride_b,
                              float beta, float* C, int64_t ldc, int64_t stride_c,
                              int64_t batch) {
  const int threads = ctx->pool ? ctx->pool->size() : 1;
  const double flops = 2.0 * static_cast<double>(M) * N * K;
  if (batch >= threads && threads > 1 && flops < 2.0 * 128 * 128 * 128) {
    // Many small matrices (attention heads, per-timestep products): one GEMM per task.
    parallel_tasks(ctx, batch, [&](int64_t i) {
      gemm(ctx, false, trans_a, trans_b, M, N, K, alpha, A + i * stride_a, lda, B + i * stride_b,
           ldb, beta, C + i * stride_c, ldc);
    });
    return;
  }
  for (int64_t i = 0; i < batch; ++i)
    gemm(ctx, true, trans_a, trans_b, M, N, K, alpha, A + i * stride_a, lda, B + i * stride_b, ldb,
         beta, C + i * stride_c, ldc);
}

}  // namespace nv::cpu
