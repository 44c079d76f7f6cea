// Single-precision GEMM on the CPU, GotoBLAS/BLIS style, for row-major C:
//
//   for jc in N by NC:                     B block (KC x NC) stays in L2/L3
//     for pc in K by KC:
//       pack op(B)[pc.., jc..] into NR-wide panels        (all threads, shared)
//       for each MR-row panel of op(A) (split over threads):
//         pack the panel (MR x KC, ~12 KB: stays in L1 for the loop below)
//         for each NR panel of the B block: micro-kernel MR x NR
//
// The micro-kernels (gemm_avx512.cpp, gemm_avx2.cpp) keep the MR x NR tile of C in registers
// and are picked by the width of C: 12x32 in general, 6x64 for N <= 64, 16x16 for N <= 16
// (AVX2: 6x16, 12x8). Two packing copies are skipped where they cost more than they save:
// A is read in place when N <= 64 (each packed element would feed few FMAs), B when M spans
// at most four MR panels. Edge tiles use zero-padded packing plus masked loads and stores, so
// every shape goes through the same code. beta is applied on the first K block only; beta == 0
// never reads C (NaNs in C are ignored, as BLAS does). Figures: native/dev/gemm_notes.md.
#include <cstring>
#include <new>

#include "core/context.h"
#include "cpu/cpu_kernels.h"
#include "cpu/gemm_kernels.h"

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

using gemm_detail::Kernel;

// Cache blocking (see gemm_notes.md for the measurements behind the numbers): a KC x NC block
// of packed B (KC * NC * 4 bytes) stays in L2 while every MR panel of A streams past it, and an
// MR x KC panel of A stays in L1 across the NR panels of that block.
constexpr int64_t KC = 256;
constexpr int64_t NC = 2048;

// The micro-kernel for an ISA and the shape of C: a tile much wider than N wastes its FMAs, and
// for a short C (48 < M <= 128; up to 48 rows B is read in place, which the 12-row tile's 4 MR
// covers) the 8-row tile where it leaves fewer rows of the last panel empty.
Kernel kernel_for(int32_t isa, int64_t M, int64_t N) {
  switch (isa) {
    case NV_ISA_AVX512: {
      if (N <= 16) return gemm_detail::avx512_narrow();
      if (N <= 64) return gemm_detail::avx512_mid();
      const int64_t waste12 = (M + 11) / 12 * 12 - M, waste8 = (M + 7) / 8 * 8 - M;
      return M > 48 && M <= 128 && waste8 < waste12 ? gemm_detail::avx512_wide8() : gemm_detail::avx512_wide();
    }
    case NV_ISA_AVX2: return N <= 8 ? gemm_detail::avx2_narrow() : gemm_detail::avx2_wide();
    default: return gemm_detail::portable();
  }
}

// ------------------------------------------------------------------ packing
// A panel: dst[k * mr + r] = op(A)[i0 + r, k0 + k], rows r >= m are zero.
void pack_a(bool trans, const float* A, int64_t lda, int64_t i0, int64_t k0, int64_t m,
            int64_t kc, int mr, float* dst) {
  if (!trans) {
    // Blocks of 8 k: read 8 floats of each row (one vector each), write 8 contiguous MR-float
    // rows. Row-by-row copying instead writes every element to a different line and ran at
    // ~4 cycles an element (11% of a 1024^3 product).
    const float* src[32];
    for (int64_t r = 0; r < mr; ++r) src[r] = A + (i0 + (r < m ? r : 0)) * lda + k0;
    int64_t k = 0;
    for (; k + 8 <= kc; k += 8) {
      float t[32][8];
      for (int64_t r = 0; r < mr; ++r)
        for (int j = 0; j < 8; ++j) t[r][j] = r < m ? src[r][k + j] : 0.0f;
      for (int j = 0; j < 8; ++j)
        for (int64_t r = 0; r < mr; ++r) dst[(k + j) * mr + r] = t[r][j];
    }
    for (; k < kc; ++k)
      for (int64_t r = 0; r < mr; ++r) dst[k * mr + r] = r < m ? src[r][k] : 0.0f;
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
// bsrc, when given, packs op(B) instead of pack_b (B and tb are then unused).
void gemm(nv_ctx* ctx, bool parallel, bool ta, bool tb, int64_t M, int64_t N, int64_t K,
          float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
          float* C, int64_t ldc, const BPanelSource* bsrc = nullptr) {
  if (M == 0 || N == 0) return;
  if (K == 0 || alpha == 0.0f) {
    scale_c(M, N, beta, C, ldc);
    return;
  }
  const Kernel kern = kernel_for(ctx->isa, M, N);
  const int mr = kern.mr, nr = kern.nr;
  // A narrow C (N <= 64: a few NR panels) uses each packed A element for a handful of FMAs
  // only: read A in place instead (full MR panels; the ragged last one is still packed,
  // zero-filled). Packing cost 25-50% of the FLOP time at (3136, 64, 576).
  const bool a_direct = kern.direct != nullptr && N <= 64;
  const int64_t rsa = ta ? 1 : lda, csa = ta ? lda : 1;
  // With few MR panels, each packed B element would serve only a few micro-kernel calls, and
  // the copy (a pass over all of B) costs as much as they save: read B in place.
  const bool b_direct = bsrc == nullptr && kern.b_in_place && !tb && M <= 4 * mr;
  const int threads = ctx->pool ? ctx->pool->size() : 1;
  // Below ~2 MFLOP waking the pool costs more than it saves.
  if (threads <= 1 || static_cast<double>(M) * N * K < 1e6) parallel = false;

  const int64_t nc_max = NC < N ? NC : (N + nr - 1) / nr * nr;
  float* bpack = tl_bpack.get(static_cast<size_t>(KC * nc_max));
  const int64_t pm = (M + mr - 1) / mr;  // MR panels of C

  for (int64_t jc = 0; jc < N; jc += NC) {
    const int64_t nc = N - jc < NC ? N - jc : NC;
    const int64_t pn = (nc + nr - 1) / nr;  // NR panels in this block
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = K - pc < KC ? K - pc : KC;
      const float beta_k = pc == 0 ? beta : 1.0f;

      auto pack_panels = [&](int64_t lo, int64_t hi) {
        for (int64_t p = lo; p < hi; ++p) {
          int64_t j0 = p * nr;
          int64_t n = nc - j0 < nr ? nc - j0 : nr;
          if (bsrc != nullptr) bsrc->pack(pc, jc + j0, n, kc, nr, bpack + p * kc * nr);
          else pack_b(tb, B, ldb, pc, jc + j0, n, kc, nr, bpack + p * kc * nr);
        }
      };
      if (!b_direct) {
        if (parallel) parallel_for(ctx, pn, 4, pack_panels);
        else pack_panels(0, pn);
      }

      // Tasks: a range of MR panels x a range of NR panels. Split M first (A is packed once
      // per task); split N too when M has fewer panels than the pool needs (small batches).
      const int64_t want = parallel ? 4 * threads : 1;
      const int64_t mt = pm < want ? pm : want;
      int64_t nt = want / mt;
      if (nt > pn) nt = pn;
      if (nt < 1) nt = 1;
      auto task = [&](int64_t t) {
        float* apack = tl_apack.get(static_cast<size_t>(mr * KC));
        int64_t tm = t / nt, tn = t % nt;
        int64_t p_lo = pm * tm / mt, p_hi = pm * (tm + 1) / mt;
        int64_t q_lo = pn * tn / nt, q_hi = pn * (tn + 1) / nt;
        for (int64_t p = p_lo; p < p_hi; ++p) {
          int64_t i0 = p * mr;
          int64_t m = M - i0 < mr ? M - i0 : mr;
          const bool in_place = a_direct && m == mr;
          const float* ap = in_place ? A + i0 * rsa + pc * csa : apack;
          if (!in_place) pack_a(ta, A, lda, i0, pc, m, kc, mr, apack);
          gemm_detail::MicroKernel micro = in_place ? kern.direct : kern.packed;
          for (int64_t q = q_lo; q < q_hi; ++q) {
            int64_t j0 = q * nr;
            int64_t n = nc - j0 < nr ? nc - j0 : nr;
            const float* bp = b_direct ? B + pc * ldb + jc + j0 : bpack + q * kc * nr;
            micro(kc, ap, rsa, csa, bp, b_direct ? ldb : nr, C + i0 * ldc + jc + j0, ldc, alpha,
                  beta_k, m, n);
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

NV_KERNEL_DEF(gemm_f32) {
  gemm(ctx, true, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  return NV_OK;
}

void gemm_f32_gathered_b(nv_ctx* ctx, int64_t M, int64_t N, int64_t K, const float* A,
                         int64_t lda, const BPanelSource& b, float beta, float* C, int64_t ldc) {
  gemm(ctx, true, false, false, M, N, K, 1.0f, A, lda, nullptr, 0, beta, C, ldc, &b);
}

NV_KERNEL_DEF(gemm_strided_batched_f32) {
  const int threads = ctx->pool ? ctx->pool->size() : 1;
  const double flops = 2.0 * static_cast<double>(M) * N * K;
  if (batch >= threads && threads > 1 && flops < 2.0 * 128 * 128 * 128) {
    // Many small matrices (attention heads, per-timestep products): one GEMM per task.
    parallel_tasks(ctx, batch, [&](int64_t i) {
      gemm(ctx, false, trans_a, trans_b, M, N, K, alpha, A + i * stride_a, lda, B + i * stride_b,
           ldb, beta, C + i * stride_c, ldc);
    });
    return NV_OK;
  }
  for (int64_t i = 0; i < batch; ++i)
    gemm(ctx, true, trans_a, trans_b, M, N, K, alpha, A + i * stride_a, lda, B + i * stride_b, ldb,
         beta, C + i * stride_c, ldc);
  return NV_OK;
}

}  // namespace nv::cpu
