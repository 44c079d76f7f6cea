// SGEMM on the GPU, row-major, both transposes, any leading dimension, strided batches.
//
// SIMT kernel (CUDA cores, full FP32): the main loop of simt_mainloop.cuh (256 threads, 128 x
// 128 tiles with 8 x 8 per thread for large problems, 64 x 64 with 4 x 4 for small ones, so
// small GEMMs still spread over the SMs), fed by TileLoader: global loads use 16-byte vectors
// when the pointer, the leading dimension and the contiguous extent allow it (checked at
// launch), scalar loads otherwise; edges load zeros.
//
// The TF32 tensor-core path lives in gemm_tf32.cu.
#include "cuda/cuda_kernels.cuh"
#include "cuda/gemm_tf32.h"
#include "cuda/simt_mainloop.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// Loads an R x kSimtBK tile of X, rows [r0, r0 + R) and columns [k0, k0 + kSimtBK) of the logical
// matrix X(r, k), zero outside [0, rlimit) x [0, klimit), into registers; store_tile writes it
// to S[k][r]. kContigK: X(r, k) = X[r * ld + k]; else X(r, k) = X[k * ld + r]. kVec: 16-byte
// loads (the launcher checked alignment and that the contiguous extent is a multiple of 4).
template <int R, bool kContigK, bool kVec>
struct TileLoader {
  static constexpr int kWidth = kVec ? 4 : 1;                         // floats per load
  static constexpr int kLoads = R * kSimtBK / kWidth;                      // loads per tile
  static constexpr int kPerThread = (kLoads + kSimtThreads - 1) / kSimtThreads;
  // Along the contiguous dimension, a load covers kWidth consecutive elements.
  static constexpr int kContigLen = kContigK ? kSimtBK : R;

  float reg[kPerThread][kWidth];

  __device__ __forceinline__ void load(const float* X, int64_t ld, int64_t r0, int64_t k0,
                                       int64_t rlimit, int64_t klimit) {
    NV_UNROLL
    for (int u = 0; u < kPerThread; ++u) {
      const int l = int(threadIdx.x) + u * kSimtThreads;
      if (kLoads % kSimtThreads != 0 && l >= kLoads) {  // this thread has no load left
        for (int j = 0; j < kWidth; ++j) reg[u][j] = 0.0f;
        continue;
      }
      const int c = (l % (kContigLen / kWidth)) * kWidth;  // position along the contiguous dim
      const int o = l / (kContigLen / kWidth);             // position along the other dim
      const int64_t r = r0 + (kContigK ? o : c), k = k0 + (kContigK ? c : o);
      if constexpr (kVec) {
        f4 v = {0.0f, 0.0f, 0.0f, 0.0f};
        if (r < rlimit && k < klimit) {
          v = *reinterpret_cast<const f4*>(kContigK ? X + r * ld + k : X + k * ld + r);
        }
        reg[u][0] = v.x;
        reg[u][1] = v.y;
        reg[u][2] = v.z;
        reg[u][3] = v.w;
      } else {
        float v = 0.0f;
        if (r < rlimit && k < klimit) v = kContigK ? X[r * ld + k] : X[k * ld + r];
        reg[u][0] = v;
      }
    }
  }

  __device__ __forceinline__ void store(float (*S)[R + kSimtPad]) const {
    NV_UNROLL
    for (int u = 0; u < kPerThread; ++u) {
      const int l = int(threadIdx.x) + u * kSimtThreads;
      if (kLoads % kSimtThreads != 0 && l >= kLoads) break;
      const int c = (l % (kContigLen / kWidth)) * kWidth;
      const int o = l / (kContigLen / kWidth);
      NV_UNROLL
      for (int j = 0; j < kWidth; ++j) {
        if (kContigK) S[c + j][o] = reg[u][j];
        else S[o][c + j] = reg[u][j];
      }
    }
  }
};

// C (M x N, ldc) = alpha op(A) op(B) + beta C for batch entry blockIdx.z (grid-stride over
// batches); blockIdx.x is the tile index, N tiles fastest. blockDim = kSimtThreads.
template <int BM, int BN, int TM, int TN, bool TA, bool TB, bool VA, bool VB>
__global__ void NV_LAUNCH_BOUNDS(kSimtThreads) gemm_kernel(GemmArgs g) {
  __shared__ __align__(16) float As[2][kSimtBK][BM + kSimtPad];
  __shared__ __align__(16) float Bs[2][kSimtBK][BN + kSimtPad];
  // op(A)(m, k) is A[m * lda + k] (no transpose: contiguous along k) or A[k * lda + m].
  TileLoader<BM, !TA, VA> la;
  // op(B)(k, n) as a matrix indexed (n, k): B[n * ldb + k] when transposed, else B[k * ldb + n].
  TileLoader<BN, TB, VB> lb;

  const int tid = threadIdx.x;
  const int tx = tid % (BN / TN), ty = tid / (BN / TN);
  const int64_t tiles_n = (g.N + BN - 1) / BN;
  const int64_t m0 = int64_t(blockIdx.x) / tiles_n * BM, n0 = int64_t(blockIdx.x) % tiles_n * BN;
  const int64_t ktiles = (g.K + kSimtBK - 1) / kSimtBK;

  for (int64_t z = blockIdx.z; z < g.batch; z += gridDim.z) {
    const float* A = g.A + z * g.stride_a;
    const float* B = g.B + z * g.stride_b;
    float* C = g.C + z * g.stride_c;

    float acc[TM][TN];
    simt_mainloop<BM, BN, TM, TN>(
        acc, As, Bs, tx, ty, ktiles,
        [&](int64_t kt) {
          la.load(A, g.lda, m0, kt * kSimtBK, g.M, g.K);
          lb.load(B, g.ldb, n0, kt * kSimtBK, g.N, g.K);
        },
        [&](int buf) {
          la.store(As[buf]);
          lb.store(Bs[buf]);
        });

    // Epilogue: beta == 0 never reads C (NaNs there are ignored).
    NV_UNROLL
    for (int i = 0; i < TM; ++i) {
      const int64_t m = m0 + simt_tile_pos<BM, TM>(ty, i);
      if (m >= g.M) continue;
      NV_UNROLL
      for (int j = 0; j < TN; ++j) {
        const int64_t n = n0 + simt_tile_pos<BN, TN>(tx, j);
        if (n >= g.N) continue;
        float* c = C + m * g.ldc + n;
        *c = g.beta == 0.0f ? g.alpha * acc[i][j] : g.alpha * acc[i][j] + g.beta * *c;
      }
    }
  }
}

// C = beta * C (beta == 0 writes zeros without reading C): K == 0 or alpha == 0.
__global__ void gemm_scale_kernel(int64_t M, int64_t N, float beta, float* C, int64_t ldc,
                                  int64_t stride_c, int64_t batch) {
  const int64_t total = M * N * batch;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride) {
    const int64_t z = e / (M * N), m = e / N % M, n = e % N;
    float* c = C + z * stride_c + m * ldc + n;
    *c = beta == 0.0f ? 0.0f : beta * *c;
  }
}

// C = alpha * (part[0] + part[1] + ... + part[S - 1]) + beta * C, the parts (M x N, dense) in
// order: split-K's second pass (beta == 0 never reads C).
__global__ void gemm_sum_parts_kernel(int64_t M, int64_t N, int64_t parts, float alpha, float beta,
                                      const float* part, float* C, int64_t ldc) {
  const int64_t total = M * N;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += stride) {
    float acc = 0.0f;
    for (int64_t z = 0; z < parts; ++z) acc += part[z * total + e];
    float* c = C + e / N * ldc + e % N;
    *c = beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
  }
}

// ---------------------------------------------------------------- launchers

namespace {

// A 16-byte vector load of X is safe when the pointer, the leading dimension and the extent
// of the contiguous dimension are multiples of 4 floats.
bool vec_ok(const float* X, int64_t ld, int64_t contig_extent, int64_t stride) {
  return reinterpret_cast<uintptr_t>(X) % 16 == 0 && ld % 4 == 0 && contig_extent % 4 == 0 &&
         stride % 4 == 0;
}

template <int BM, int BN, int TM, int TN, bool TA, bool TB, bool VA, bool VB>
nv_status launch_tiles(nv_ctx* ctx, const char* fn, const GemmArgs& g) {
  const int64_t tiles = ((g.M + BM - 1) / BM) * ((g.N + BN - 1) / BN);
  if (tiles > INT32_MAX)
    return fail(NV_ERR_UNSUPPORTED, "%s: M=%lld x N=%lld needs more than 2^31 tiles", fn,
                (long long)g.M, (long long)g.N);
  const unsigned zs = unsigned(g.batch < 65535 ? g.batch : 65535);
  return gpu::launch(fn, gemm_kernel<BM, BN, TM, TN, TA, TB, VA, VB>, dim3(unsigned(tiles), 1, zs),
                     dim3(kSimtThreads), 0, stream_of(ctx), g);
}

template <int BM, int BN, int TM, int TN>
nv_status launch_config(nv_ctx* ctx, const char* fn, bool ta, bool tb, bool va, bool vb,
                        const GemmArgs& g) {
#define NV_GEMM_CASE(TA, TB, VA, VB)          \
  if (ta == TA && tb == TB && va == VA && vb == VB) \
    return launch_tiles<BM, BN, TM, TN, TA, TB, VA, VB>(ctx, fn, g);
  NV_GEMM_CASE(false, false, false, false)
  NV_GEMM_CASE(false, false, false, true)
  NV_GEMM_CASE(false, false, true, false)
  NV_GEMM_CASE(false, false, true, true)
  NV_GEMM_CASE(false, true, false, false)
  NV_GEMM_CASE(false, true, false, true)
  NV_GEMM_CASE(false, true, true, false)
  NV_GEMM_CASE(false, true, true, true)
  NV_GEMM_CASE(true, false, false, false)
  NV_GEMM_CASE(true, false, false, true)
  NV_GEMM_CASE(true, false, true, false)
  NV_GEMM_CASE(true, false, true, true)
  NV_GEMM_CASE(true, true, false, false)
  NV_GEMM_CASE(true, true, false, true)
  NV_GEMM_CASE(true, true, true, false)
  NV_GEMM_CASE(true, true, true, true)
#undef NV_GEMM_CASE
  return fail(NV_ERR_INTERNAL, "%s: no GEMM kernel for this case", fn);
}

// Split-K: each part of K at least kMinSplitK long, and only for K >= kSplitFromK: on the H200
// splitting K = 256 in two made (32, 1024, 256) and (128, 10, 256) slower (three launches for a
// ~20 us product), while K = 512 .. 4096 gained 1.2-1.5x. (The simulator's tests split small.)
#ifdef NERVE_CUDA_SIM
constexpr int64_t kMinSplitK = 32;
constexpr int64_t kSplitFromK = 64;
#else
constexpr int64_t kMinSplitK = 128;
constexpr int64_t kSplitFromK = 512;
#endif
constexpr int64_t kSplitAlign = 32;  // part lengths are multiples of this (16-byte loads stay aligned)

// Parts of K that give the SMs two blocks each with `tiles` tiles, each part >= kMinSplitK, the
// partial products within 16 Mi floats (64 MiB) of scratch.
int64_t split_parts(int64_t sms, int64_t tiles, const GemmArgs& g) {
  int64_t parts = (2 * sms + tiles - 1) / tiles;
  if (parts > g.K / kMinSplitK) parts = g.K / kMinSplitK;
  const int64_t room = (int64_t(16) << 20) / (g.M * g.N);
  if (parts > room) parts = room;
  return parts < 1 ? 1 : parts;
}

// C = alpha op(A) op(B) + beta C with K cut into `parts` pieces of ks (a multiple of
// kSplitAlign; the last one shorter): pieces 0 .. n-2 run as one strided batch of GEMMs
// into scratch, the last one as its own launch, then gemm_sum_parts_kernel adds them in order.
// For (512, 1024, 4096) on 132 SMs, 32 tiles of 128 x 128 become 288 blocks.
nv_status gemm_split_k(nv_ctx* ctx, const char* fn, bool ta, bool tb, const GemmArgs& g,
                       int64_t parts, bool big) {
  int64_t ks = (g.K + parts - 1) / parts;
  ks = (ks + kSplitAlign - 1) / kSplitAlign * kSplitAlign;
  parts = (g.K + ks - 1) / ks;
  void* ws = nullptr;
  nv_status st = scratch(ctx, parts * g.M * g.N * int64_t(sizeof(float)), &ws, fn);
  if (st != NV_OK) return st;
  float* part = static_cast<float*>(ws);
  // op(A)(m, k) is A[m lda + k] or A[k lda + m]; op(B)(k, n) is B[k ldb + n] or B[n ldb + k].
  const int64_t step_a = ta ? ks * g.lda : ks, step_b = tb ? ks : ks * g.ldb;
  auto launch = [&](const GemmArgs& p) {
    const bool va = vec_ok(p.A, p.lda, ta ? p.M : p.K, p.batch > 1 ? p.stride_a : 0);
    const bool vb = vec_ok(p.B, p.ldb, tb ? p.K : p.N, p.batch > 1 ? p.stride_b : 0);
    return big ? launch_config<128, 128, 8, 8>(ctx, fn, ta, tb, va, vb, p)
               : launch_config<64, 64, 4, 4>(ctx, fn, ta, tb, va, vb, p);
  };
  if (parts > 1) {
    GemmArgs head{g.M, g.N, ks, 1.0f, 0.0f, g.A, g.lda, step_a, g.B, g.ldb, step_b,
                  part, g.N, g.M * g.N, parts - 1};
    st = launch(head);
    if (st != NV_OK) return st;
  }
  GemmArgs last{g.M, g.N, g.K - (parts - 1) * ks, 1.0f, 0.0f, g.A + (parts - 1) * step_a, g.lda, 0,
                g.B + (parts - 1) * step_b, g.ldb, 0, part + (parts - 1) * g.M * g.N, g.N, 0, 1};
  st = launch(last);
  if (st != NV_OK) return st;
  return gpu::launch(fn, gemm_sum_parts_kernel, dim3(grid_for(ctx, g.M * g.N, 256)), dim3(256), 0,
                     stream_of(ctx), g.M, g.N, parts, g.alpha, g.beta,
                     static_cast<const float*>(part), g.C, g.ldc);
}

nv_status gemm_any(nv_ctx* ctx, const char* fn, bool ta, bool tb, const GemmArgs& g) {
  if (g.M == 0 || g.N == 0 || g.batch == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  if (g.K == 0 || g.alpha == 0.0f) {
    if (g.beta == 1.0f) return NV_OK;
    const int64_t total = g.M * g.N * g.batch;
    return gpu::launch(fn, gemm_scale_kernel, dim3(grid_for(ctx, total, 256)), dim3(256), 0,
                       stream_of(ctx), g.M, g.N, g.beta, g.C, g.ldc, g.stride_c, g.batch);
  }
  if (ctx->allow_tf32 && tf32_supported(ctx))
    return gemm_tf32_f32(ctx, ta, tb, g.M, g.N, g.K, g.alpha, g.A, g.lda, g.stride_a, g.B,
                         g.ldb, g.stride_b, g.beta, g.C, g.ldc, g.stride_c, g.batch);
  // op(A) is contiguous along k unless transposed (then along m); op(B) along n unless
  // transposed (then along k).
  const bool va = vec_ok(g.A, g.lda, ta ? g.M : g.K, g.batch > 1 ? g.stride_a : 0);
  const bool vb = vec_ok(g.B, g.ldb, tb ? g.K : g.N, g.batch > 1 ? g.stride_b : 0);
  // Big tiles once they give every SM a block; small tiles (4x the blocks) before that.
  // (cuda-sim's fictional 132 SMs would keep its small tests off the big tiles.)
  const int64_t big_tiles = ((g.M + 127) / 128) * ((g.N + 127) / 128) * g.batch;
#ifdef NERVE_CUDA_SIM
  const int64_t enough = 4;
#else
  const int64_t enough = state(ctx).sm_count;
#endif
  if (big_tiles >= enough)
    return launch_config<128, 128, 8, 8>(ctx, fn, ta, tb, va, vb, g);
  // Too few tiles for the SMs, but a long K: split K (below).
  if (g.batch == 1 && g.K >= kSplitFromK) {
    const int64_t small_tiles = ((g.M + 63) / 64) * ((g.N + 63) / 64);
    int64_t parts = split_parts(enough, big_tiles, g);
    if (big_tiles * parts >= enough) return gemm_split_k(ctx, fn, ta, tb, g, parts, true);
    parts = split_parts(enough, small_tiles, g);
    if (parts > 1) return gemm_split_k(ctx, fn, ta, tb, g, parts, false);
  }
  return launch_config<64, 64, 4, 4>(ctx, fn, ta, tb, va, vb, g);
}

}  // namespace

NV_KERNEL_DEF(gemm_f32) {
  // C is (M, N); op(A) (M, K); op(B) (K, N)
  GemmArgs g{M, N, K, alpha, beta, A, lda, 0, B, ldb, 0, C, ldc, 0, 1};
  return gemm_any(ctx, "nv_gemm_f32", trans_a, trans_b, g);
}

NV_KERNEL_DEF(gemm_strided_batched_f32) {
  // C[i] is (M, N); op(A[i]) (M, K); op(B[i]) (K, N) for i < batch
  GemmArgs g{M, N, K, alpha, beta, A, lda, stride_a, B, ldb, stride_b, C, ldc, stride_c, batch};
  return gemm_any(ctx, "nv_gemm_strided_batched_f32", trans_a, trans_b, g);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
