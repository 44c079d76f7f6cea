// SGEMM on tensor cores with TF32 inputs (opt-in: about 10 bits of mantissa per product, FP32
// sums), through the mma.m16n8k8 wrappers of mma.cuh.
//
// A block of 4 warps computes a 64 x 64 tile of C; warp (wm, wn) of the 2 x 2 grid owns a
// 32 x 32 quarter as 2 x 4 m16n8 accumulators (32 floats per thread). K advances by 16: the
// block stages A as As[m][k] and B as Bs[k][n], already rounded to TF32, then each warp runs
// two k8 steps of 8 mma each. The row paddings (+4 for As, +8 for Bs) make the fragment reads
// conflict-free: lanes (g, t) hit banks g * 20 + t and t * 72 + g, all distinct. Edges are
// zero-filled in shared memory, so every lane always takes part in every mma.
// TODO(perf): 16-byte cp.async loads and a multi-stage pipeline, 128 x 128 tiles.
#include "cuda/cuda_kernels.cuh"
#include "cuda/gemm_tf32.h"
#include "cuda/mma.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

struct Tf32Args {
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

constexpr int kTfBM = 64, kTfBN = 64, kTfBK = 16, kTfThreads = 128;

// blockIdx.x: tile (N tiles fastest); blockIdx.z: batch entries (grid-stride).
template <bool TA, bool TB>
__global__ void NV_LAUNCH_BOUNDS(kTfThreads) gemm_tf32_kernel(Tf32Args g) {
  __shared__ uint32_t As[kTfBM][kTfBK + 4];
  __shared__ uint32_t Bs[kTfBK][kTfBN + 8];
  const int tid = threadIdx.x, lane = tid % kWarp, warp = tid / kWarp;
  const int gq = lane >> 2, tq = lane & 3;              // fragment coordinates
  const int wm = (warp / 2) * 32, wn = (warp % 2) * 32;  // this warp's quarter of the tile
  const int64_t tiles_n = (g.N + kTfBN - 1) / kTfBN;
  const int64_t m0 = int64_t(blockIdx.x) / tiles_n * kTfBM;
  const int64_t n0 = int64_t(blockIdx.x) % tiles_n * kTfBN;

  for (int64_t z = blockIdx.z; z < g.batch; z += gridDim.z) {
    const float* A = g.A + z * g.stride_a;
    const float* B = g.B + z * g.stride_b;
    float* C = g.C + z * g.stride_c;
    float acc[2][4][4];
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 4; ++j) {
        for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;
      }
    }

    for (int64_t k0 = 0; k0 < g.K; k0 += kTfBK) {
      // Stage op(A)[m0.., k0..] and op(B)[k0.., n0..]; consecutive threads walk the dimension
      // that is contiguous in memory.
      for (int e = tid; e < kTfBM * kTfBK; e += kTfThreads) {
        const int mi = TA ? e % kTfBM : e / kTfBK, ki = TA ? e / kTfBM : e % kTfBK;
        const int64_t m = m0 + mi, k = k0 + ki;
        float v = 0.0f;
        if (m < g.M && k < g.K) v = TA ? A[k * g.lda + m] : A[m * g.lda + k];
        As[mi][ki] = gpu::cvt_rna_tf32(v);
      }
      for (int e = tid; e < kTfBK * kTfBN; e += kTfThreads) {
        const int ni = TB ? e / kTfBK : e % kTfBN, ki = TB ? e % kTfBK : e / kTfBN;
        const int64_t n = n0 + ni, k = k0 + ki;
        float v = 0.0f;
        if (n < g.N && k < g.K) v = TB ? B[n * g.ldb + k] : B[k * g.ldb + n];
        Bs[ki][ni] = gpu::cvt_rna_tf32(v);
      }
      __syncthreads();
      NV_UNROLL
      for (int kk = 0; kk < kTfBK; kk += 8) {
        uint32_t a[2][4], b[4][2];
        NV_UNROLL
        for (int i = 0; i < 2; ++i) {
          const int r = wm + i * 16 + gq;
          a[i][0] = As[r][kk + tq];
          a[i][1] = As[r + 8][kk + tq];
          a[i][2] = As[r][kk + tq + 4];
          a[i][3] = As[r + 8][kk + tq + 4];
        }
        NV_UNROLL
        for (int j = 0; j < 4; ++j) {
          const int c = wn + j * 8 + gq;
          b[j][0] = Bs[kk + tq][c];
          b[j][1] = Bs[kk + tq + 4][c];
        }
        NV_UNROLL
        for (int i = 0; i < 2; ++i) {
          NV_UNROLL
          for (int j = 0; j < 4; ++j) gpu::mma_m16n8k8_tf32(acc[i][j], a[i], b[j], acc[i][j]);
        }
      }
      __syncthreads();
    }

    // c0 (g, 2t), c1 (g, 2t + 1), c2 (g + 8, 2t), c3 (g + 8, 2t + 1); beta == 0 never reads C.
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 4; ++j) {
        for (int r = 0; r < 4; ++r) {
          const int64_t m = m0 + wm + i * 16 + gq + (r >= 2 ? 8 : 0);
          const int64_t n = n0 + wn + j * 8 + 2 * tq + (r & 1);
          if (m < g.M && n < g.N) {
            float* c = C + m * g.ldc + n;
            *c = g.beta == 0.0f ? g.alpha * acc[i][j][r] : g.alpha * acc[i][j][r] + g.beta * *c;
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- launchers

bool tf32_supported(nv_ctx* ctx) { return state(ctx).cc_major >= 8; }

nv_status gemm_tf32_f32(nv_ctx* ctx, bool ta, bool tb, int64_t M, int64_t N, int64_t K,
                        float alpha, const float* A, int64_t lda, int64_t stride_a,
                        const float* B, int64_t ldb, int64_t stride_b, float beta, float* C,
                        int64_t ldc, int64_t stride_c, int64_t batch) {
  // C[i] is (M, N); op(A[i]) (M, K); op(B[i]) (K, N) for i < batch
  const char* fn = "nv_gemm_f32 (tf32)";
  if (!tf32_supported(ctx))
    return fail(NV_ERR_UNSUPPORTED, "%s: TF32 tensor cores need compute capability 8.0 or newer",
                fn);
  if (M == 0 || N == 0 || batch == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  const int64_t tiles = ((M + kTfBM - 1) / kTfBM) * ((N + kTfBN - 1) / kTfBN);
  if (tiles > INT32_MAX)
    return fail(NV_ERR_UNSUPPORTED, "%s: M=%lld x N=%lld needs more than 2^31 tiles", fn,
                (long long)M, (long long)N);
  Tf32Args g{M, N, K, alpha, beta, A, lda, stride_a, B, ldb, stride_b, C, ldc, stride_c, batch};
  const dim3 grid(unsigned(tiles), 1, unsigned(batch < 65535 ? batch : 65535));
  const dim3 block(kTfThreads);
  cudaStream_t st = stream_of(ctx);
  if (!ta && !tb) return gpu::launch(fn, gemm_tf32_kernel<false, false>, grid, block, 0, st, g);
  if (!ta && tb) return gpu::launch(fn, gemm_tf32_kernel<false, true>, grid, block, 0, st, g);
  if (ta && !tb) return gpu::launch(fn, gemm_tf32_kernel<true, false>, grid, block, 0, st, g);
  return gpu::launch(fn, gemm_tf32_kernel<true, true>, grid, block, 0, st, g);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
