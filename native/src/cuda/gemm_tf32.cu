// SGEMM on tensor cores with TF32 inputs (opt-in: about 10 bits of mantissa per product, FP32
// sums), through the mma.m16n8k8 wrappers of mma.cuh.
//
// Tiles. A block of 4 warps computes a BM x BN tile of C, each warp a quarter of it as
// m16n8 accumulators: 128 x 128 tiles (64 x 64 per warp, 4 x 8 accumulators = 128 floats per
// thread, two blocks per SM at up to 255 registers) once the grid gives every SM a block,
// else 64 x 64 tiles (32 x 32 per warp, 2 x 4 accumulators, four blocks per SM at up to 128
// registers), so small GEMMs still spread over the SMs. K advances by BK = 16, each step two
// k8 rounds of mma. (Measured on an H200 at 4096^3: 64 x 64 warp tiles beat 8 warps of
// 64 x 32 by about 10%: half the shared-memory reads per mma, and the 8-warp kernel's
// 128-register cap left its fragment loads no room to run ahead.)
//
// Pipeline (as gemm.cu): two shared-memory buffers; while the warps multiply out of one, the
// next K-step's tiles are already loaded from global memory into registers, then rounded to
// TF32 (cvt.rna) and stored into the other buffer, so each step needs one __syncthreads().
// Global loads are 16-byte vectors when the pointer, the leading dimension, the batch stride
// and the contiguous extent are multiples of 4 floats (checked at launch), four scalar loads
// otherwise; a thread always stages groups of 4 elements that are consecutive in memory, so a
// warp's loads of one step cover whole 32-byte sectors (64 bytes of each of 8 rows, or 512
// consecutive bytes). Everything outside op(A) / op(B) is staged as zero, so every lane takes
// part in every mma.
//
// Shared memory. Each operand is an R x 16 slice X(r, k), r the row of op(A) (m) or the column
// of op(B) (n), stored k-major whatever its layout in global memory: X(r, k) at word
// k * (R + 8) + (r ^ s(k)), s(k) = 8 * ((k / 4) % 4) (tf32_word). 2 buffers x 16 x 136 words
// per operand: 34 KiB of static shared memory for 128 x 128 tiles.
//  - Fragment reads (lane g = lane / 4, t = lane % 4 wants X(r0 + g, t + 4q) for a0..a3 /
//    b0, b1): the swizzle s(k) of k = 8kk + 4q + t does not depend on t, and XOR with a
//    multiple of 8 maps r0 + g to (r0 ^ s) + g, so the 32 lanes hit banks t * (R + 8) + g =
//    8t + g (+ const) mod 32 as R + 8 = 8 mod 32: all distinct. Every address is a per-lane
//    base plus a compile-time offset.
//  - Stores of an operand contiguous along r (A transposed, B not): a warp stores 128
//    consecutive r of one k as 16-byte vectors (the XOR moves whole 8-word blocks), each
//    8-lane phase 32 distinct words of one row: conflict-free.
//  - Stores of an operand contiguous along k (A not transposed, B transposed): a warp holds 8
//    rows x 16 k and stores element j of its groups as X(r, 4c + j) for r in 8 rows and c in
//    0..3: bank 8 (j + c) + r mod 32 thanks to s(4c + j) = 8c: 32 distinct banks. (Without the
//    swizzle, the padding that spreads the reads would put these 4-way on 8 banks.)
#include "cuda/cuda_kernels.cuh"
#include "cuda/gemm_tf32.h"
#include "cuda/mma.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

constexpr int kTfBK = 16;

// The shared-memory word of X(r, k) in a k-major buffer with rows of `stride` words (top of file).
__device__ __forceinline__ constexpr int tf32_word(int k, int r, int stride) {
  return k * stride + (r ^ (((k >> 2) & 3) << 3));
}

// One operand's R x kTfBK slice per K-step: X(r, k) for rows [r0, r0 + R) and k [k0, k0 + 16),
// zero outside [0, rlimit) x [0, klimit), staged k-major (tf32_word). kContigK: X(r, k) =
// X[r * ld + k], else X[k * ld + r]. kVec: 16-byte loads (the launcher checked alignment and
// that the contiguous extent is a multiple of 4, so a group of 4 is wholly inside or wholly
// outside). Thread tid stages kPer groups of 4 elements that are consecutive in memory:
//  - contiguous along k: group u is row tid / 4 + u kRowStep at k 4 (tid % 4) + 0..3 (a warp:
//    8 rows x 64 bytes), stored element by element;
//  - contiguous along r: group u is rows 4 (tid % (R / 4)) + 0..3 at k tid / (R / 4) + u kKStep
//    (a warp: 128 consecutive floats of one k), stored as one 16-byte vector.
template <int R, bool kContigK, bool kVec, int kThreads>
struct Tf32Operand {
  static constexpr int kStride = R + 8;          // words per shared row (one k)
  static constexpr int kSize = kTfBK * kStride;  // words per buffer
  static constexpr int kPer = R * kTfBK / 4 / kThreads;  // groups per thread
  static constexpr int kRowStep = kContigK ? kThreads / 4 : 0;
  static constexpr int kKStep = kContigK ? 0 : kThreads / (R / 4);
  static_assert(kPer * kThreads * 4 == R * kTfBK && R % 32 == 0, "whole groups per thread");
  static_assert(kContigK ? kRowStep % 32 == 0 : kThreads % (R / 4) == 0,
                "a thread's groups share the swizzle (k-contiguous) or the rows (k-major)");

  __device__ __forceinline__ static int row_of(int tid) {
    return kContigK ? tid / 4 : (tid % (R / 4)) * 4;
  }
  __device__ __forceinline__ static int k_of(int tid) {  // group 0's first k
    return kContigK ? (tid % 4) * 4 : tid / (R / 4);
  }

  float reg[kPer][4];
  const float* ptr;  // group 0's first element at the current K-step
  int64_t gstep;     // from one group's first element to the next one's: kRowStep or kKStep rows
  // k-contiguous: bit u set when group u's row is inside; k-major: how many of the groups' 4
  // rows are inside (0..4).
  int rows;

  __device__ __forceinline__ void init(const float* X, int64_t ld, int64_t r0, int64_t rlimit) {
    const int tid = threadIdx.x;
    const int64_t r = r0 + row_of(tid);
    const int k = k_of(tid);
    rows = 0;
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int64_t left = rlimit - (r + u * kRowStep);
      if (kContigK) rows |= left > 0 ? 1 << u : 0;
      else if (u == 0) rows = left <= 0 ? 0 : (left < 4 ? int(left) : 4);
    }
    // Groups whose rows are outside get addresses that are never dereferenced.
    ptr = kContigK ? X + r * ld + k : X + int64_t(k) * ld + r;
    gstep = (kContigK ? kRowStep : kKStep) * ld;
  }

  // Loads the groups of the K-step that has kleft > 0 elements of K left from its first k on
  // (ptr points there), then advances ptr by one step (16 elements, or step = 16 ld).
  __device__ __forceinline__ void load(int64_t kleft, int64_t step) {
    const int kl = kleft < kTfBK ? int(kleft) : kTfBK;
    const int k0 = k_of(threadIdx.x);
    const float* p = ptr;
    NV_UNROLL
    for (int u = 0; u < kPer; ++u, p += gstep) {
      const int k = k0 + u * kKStep;
      const bool in = kContigK ? ((rows >> u) & 1) != 0 : rows > 0;
      if constexpr (kVec) {
        f4 v = {0.0f, 0.0f, 0.0f, 0.0f};
        if (in && k < kl) v = *reinterpret_cast<const f4*>(p);
        reg[u][0] = v.x;
        reg[u][1] = v.y;
        reg[u][2] = v.z;
        reg[u][3] = v.w;
      } else if constexpr (kContigK) {
        NV_UNROLL
        for (int j = 0; j < 4; ++j) reg[u][j] = in && k + j < kl ? p[j] : 0.0f;
      } else {
        NV_UNROLL
        for (int j = 0; j < 4; ++j) reg[u][j] = j < rows && k < kl ? p[j] : 0.0f;
      }
    }
    ptr += kContigK ? int64_t(kTfBK) : step;
  }

  // Rounds the staged groups to TF32 and stores them into one buffer.
  __device__ __forceinline__ void store(uint32_t* S) const {
    const int tid = threadIdx.x, r = row_of(tid), k0 = k_of(tid);
    if constexpr (kContigK) {
      // Element j of group u: tf32_word(k0 + j, r + u kRowStep) = idx + j stride + u kRowStep
      // (k0 + j has the swizzle of k0; kRowStep is a multiple of 32).
      const int idx = tf32_word(k0, r, kStride);
      NV_UNROLL
      for (int u = 0; u < kPer; ++u) {
        NV_UNROLL
        for (int j = 0; j < 4; ++j)
          S[idx + j * kStride + u * kRowStep] = gpu::cvt_rna_tf32(reg[u][j]);
      }
    } else {
      NV_UNROLL
      for (int u = 0; u < kPer; ++u) {
        uint4 v;
        v.x = gpu::cvt_rna_tf32(reg[u][0]);
        v.y = gpu::cvt_rna_tf32(reg[u][1]);
        v.z = gpu::cvt_rna_tf32(reg[u][2]);
        v.w = gpu::cvt_rna_tf32(reg[u][3]);
        // The XOR moves whole 8-word blocks, so the 4 rows stay together.
        *reinterpret_cast<uint4*>(S + tf32_word(k0 + u * kKStep, r, kStride)) = v;
      }
    }
  }

  // Fragment reads: lane (g, t) reads X(r0 + g, 8 kk + t + 4 q) for r0 a multiple of 8 at word
  // tf32_word(8 kk + 4 q, r0) + lane_offset(lane): the swizzle of k = 8 kk + t + 4 q does not
  // depend on t, and XOR with a multiple of 8 leaves g (< 8) alone.
  __device__ __forceinline__ static int lane_offset(int lane) {
    return (lane & 3) * kStride + (lane >> 2);
  }
  // a0..a3 of the m16 tile at rows 16 i of the warp's tile: X(g, t), X(g + 8, t), X(g, t + 4),
  // X(g + 8, t + 4) of round kk. S includes the lane offset and the warp's first row w, a
  // multiple of the warp tile's height H (a power of 2, at least 32): (w + x) ^ s = w + (x ^ s)
  // for the row offsets x < H and swizzles s < 32, so the offsets stay compile-time constants.
  __device__ __forceinline__ static void frag_a(const uint32_t* S, int i, int kk,
                                                uint32_t (&a)[4]) {
    a[0] = S[tf32_word(8 * kk, 16 * i, kStride)];
    a[1] = S[tf32_word(8 * kk, 16 * i + 8, kStride)];
    a[2] = S[tf32_word(8 * kk + 4, 16 * i, kStride)];
    a[3] = S[tf32_word(8 * kk + 4, 16 * i + 8, kStride)];
  }
  // b0, b1 of the n8 tile at columns 8 j of the warp's tile: X(g, t), X(g, t + 4) of round kk
  // (S as for frag_a).
  __device__ __forceinline__ static void frag_b(const uint32_t* S, int j, int kk,
                                                uint32_t (&b)[2]) {
    b[0] = S[tf32_word(8 * kk, 8 * j, kStride)];
    b[1] = S[tf32_word(8 * kk + 4, 8 * j, kStride)];
  }
};

// C (M x N, ldc) = alpha op(A) op(B) + beta C. blockIdx.x: tile (N tiles fastest);
// blockIdx.z: batch entries (grid-stride). WM x WN warps, blockDim = 32 * WM * WN; kMinBlocks
// resident blocks per SM bound the registers (65536 / (kMinBlocks * blockDim) per thread).
template <int BM, int BN, int WM, int WN, int kMinBlocks, bool TA, bool TB, bool VA, bool VB>
__global__ void __launch_bounds__(WM * WN * kWarp, kMinBlocks)
    gemm_tf32_kernel(GemmArgs g) {
  constexpr int kThreads = WM * WN * kWarp;
  constexpr int kWarpM = BM / WM, kWarpN = BN / WN;  // a warp's sub-tile
  constexpr int MI = kWarpM / 16, NJ = kWarpN / 8;   // its m16n8 accumulators
  static_assert(MI * 16 == kWarpM && NJ * 8 == kWarpN, "warp tiles are whole m16n8 tiles");
  static_assert(kWarpM >= 32 && (kWarpM & (kWarpM - 1)) == 0 && kWarpN >= 32 &&
                    (kWarpN & (kWarpN - 1)) == 0,
                "fragment offsets need warp tiles of a power of 2 >= 32 (see frag_a)");
  // op(A)(m, k) is A[m * lda + k] (contiguous along k) unless transposed; op(B)(k, n), seen as
  // X(n, k), is B[n * ldb + k] (contiguous along k) when transposed.
  using OpA = Tf32Operand<BM, !TA, VA, kThreads>;
  using OpB = Tf32Operand<BN, TB, VB, kThreads>;
  __shared__ __align__(16) uint32_t As[2][OpA::kSize];
  __shared__ __align__(16) uint32_t Bs[2][OpB::kSize];

  const int tid = threadIdx.x, lane = tid % kWarp, warp = tid / kWarp;
  const int gq = lane >> 2, tq = lane & 3;  // fragment coordinates
  const int wm = (warp / WN) * kWarpM, wn = (warp % WN) * kWarpN;
  const int offa = OpA::lane_offset(lane) + wm, offb = OpB::lane_offset(lane) + wn;
  const int64_t tiles_n = (g.N + BN - 1) / BN;
  const int64_t m0 = int64_t(blockIdx.x) / tiles_n * BM;
  const int64_t n0 = int64_t(blockIdx.x) % tiles_n * BN;
  // Pointer advance per K-step of a k-major operand (k-contiguous ones advance by 16).
  const int64_t step_a = kTfBK * g.lda, step_b = kTfBK * g.ldb;

  OpA la;
  OpB lb;
  for (int64_t z = blockIdx.z; z < g.batch; z += gridDim.z) {
    float* C = g.C + z * g.stride_c;
    float acc[MI][NJ][4];
    NV_UNROLL
    for (int i = 0; i < MI; ++i) {
      NV_UNROLL
      for (int j = 0; j < NJ; ++j) {
        NV_UNROLL
        for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;
      }
    }

    la.init(g.A + z * g.stride_a, g.lda, m0, g.M);
    lb.init(g.B + z * g.stride_b, g.ldb, n0, g.N);
    int64_t kleft = g.K;  // elements of K from the current step on
    if (kleft > 0) {
      la.load(kleft, step_a);
      lb.load(kleft, step_b);
      la.store(As[0]);
      lb.store(Bs[0]);
      __syncthreads();
    }

    for (int cur = 0; kleft > 0; cur ^= 1) {
      kleft -= kTfBK;
      const bool more = kleft > 0;
      if (more) {  // the next step's global loads are in flight while we multiply
        la.load(kleft, step_a);
        lb.load(kleft, step_b);
      }
      const uint32_t* as = As[cur] + offa;
      const uint32_t* bs = Bs[cur] + offb;
      NV_UNROLL
      for (int kk = 0; kk < 2; ++kk) {
        // b0/b1 of every n8 tile, then a0..a3 of each m16 tile in turn.
        uint32_t bf[NJ][2];
        NV_UNROLL
        for (int j = 0; j < NJ; ++j) OpB::frag_b(bs, j, kk, bf[j]);
        NV_UNROLL
        for (int i = 0; i < MI; ++i) {
          uint32_t a[4];
          OpA::frag_a(as, i, kk, a);
          NV_UNROLL
          for (int j = 0; j < NJ; ++j) gpu::mma_m16n8k8_tf32(acc[i][j], a, bf[j], acc[i][j]);
        }
      }
      if (more) {
        la.store(As[cur ^ 1]);
        lb.store(Bs[cur ^ 1]);
      }
      __syncthreads();
    }

    // c0 (g, 2t), c1 (g, 2t + 1), c2 (g + 8, 2t), c3 (g + 8, 2t + 1): pairs of neighbours, stored
    // as 8-byte vectors when C and ldc keep them aligned. beta == 0 never reads C (NaNs there
    // are ignored).
    const float alpha = g.alpha, beta = g.beta;
    const int64_t mb = m0 + wm + gq, nb = n0 + wn + 2 * tq;  // the lane's first row / column
    const int64_t ml = g.M - mb, nl = g.N - nb;
    const int mleft = ml <= 0 ? 0 : (ml < BM ? int(ml) : BM);
    const int nleft = nl <= 0 ? 0 : (nl < BN ? int(nl) : BN);
    const bool pairs = reinterpret_cast<uintptr_t>(C) % 8 == 0 && g.ldc % 2 == 0;  // nb is even
    float* crow = C + (mleft > 0 ? mb : 0) * g.ldc + (nleft > 0 ? nb : 0);
    NV_UNROLL
    for (int i = 0; i < MI; ++i) {
      NV_UNROLL
      for (int h = 0; h < 2; ++h, crow += 8 * g.ldc) {  // row mb + 16 i + 8 h
        if (i * 16 + h * 8 >= mleft) continue;
        NV_UNROLL
        for (int j = 0; j < NJ; ++j) {
          const int no = j * 8;
          if (no >= nleft) continue;
          float* const c = crow + no;
          float v0 = alpha * acc[i][j][2 * h], v1 = alpha * acc[i][j][2 * h + 1];
          if (pairs && no + 1 < nleft) {
            if (beta != 0.0f) {
              const float2 old = *reinterpret_cast<const float2*>(c);
              v0 += beta * old.x;
              v1 += beta * old.y;
            }
            *reinterpret_cast<float2*>(c) = make_float2(v0, v1);
          } else {
            c[0] = beta == 0.0f ? v0 : v0 + beta * c[0];
            if (no + 1 < nleft) c[1] = beta == 0.0f ? v1 : v1 + beta * c[1];
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- launchers

namespace {

// A 16-byte vector load of X is safe when the pointer, the leading dimension, the batch stride
// and the extent of the contiguous dimension are multiples of 4 floats.
bool tf32_vec_ok(const float* X, int64_t ld, int64_t contig_extent, int64_t stride) {
  return reinterpret_cast<uintptr_t>(X) % 16 == 0 && ld % 4 == 0 && contig_extent % 4 == 0 &&
         stride % 4 == 0;
}

template <int BM, int BN, int WM, int WN, int kMinBlocks, bool TA, bool TB, bool VA, bool VB>
nv_status tf32_launch(nv_ctx* ctx, const char* fn, const GemmArgs& g) {
  const int64_t tiles = ((g.M + BM - 1) / BM) * ((g.N + BN - 1) / BN);
  if (tiles > INT32_MAX)
    return fail(NV_ERR_UNSUPPORTED, "%s: M=%lld x N=%lld needs more than 2^31 tiles", fn,
                (long long)g.M, (long long)g.N);
  const unsigned zs = unsigned(g.batch < 65535 ? g.batch : 65535);
  return gpu::launch(fn, gemm_tf32_kernel<BM, BN, WM, WN, kMinBlocks, TA, TB, VA, VB>,
                     dim3(unsigned(tiles), 1, zs), dim3(WM * WN * kWarp), 0, stream_of(ctx), g);
}

template <int BM, int BN, int WM, int WN, int kMinBlocks>
nv_status tf32_config(nv_ctx* ctx, const char* fn, bool ta, bool tb, bool va, bool vb,
                      const GemmArgs& g) {
#define NV_TF32_CASE(TA, TB, VA, VB)                \
  if (ta == TA && tb == TB && va == VA && vb == VB) \
    return tf32_launch<BM, BN, WM, WN, kMinBlocks, TA, TB, VA, VB>(ctx, fn, g);
  NV_TF32_CASE(false, false, false, false)
  NV_TF32_CASE(false, false, false, true)
  NV_TF32_CASE(false, false, true, false)
  NV_TF32_CASE(false, false, true, true)
  NV_TF32_CASE(false, true, false, false)
  NV_TF32_CASE(false, true, false, true)
  NV_TF32_CASE(false, true, true, false)
  NV_TF32_CASE(false, true, true, true)
  NV_TF32_CASE(true, false, false, false)
  NV_TF32_CASE(true, false, false, true)
  NV_TF32_CASE(true, false, true, false)
  NV_TF32_CASE(true, false, true, true)
  NV_TF32_CASE(true, true, false, false)
  NV_TF32_CASE(true, true, false, true)
  NV_TF32_CASE(true, true, true, false)
  NV_TF32_CASE(true, true, true, true)
#undef NV_TF32_CASE
  return fail(NV_ERR_INTERNAL, "%s: no TF32 GEMM kernel for this case", fn);
}

}  // namespace

bool tf32_supported(nv_ctx* ctx) { return state(ctx).cc_major >= 8; }

NV_KERNEL_DEF(gemm_tf32_f32) {
  // C[i] is (M, N); op(A[i]) (M, K); op(B[i]) (K, N) for i < batch
  const char* fn = "nv_gemm_f32 (tf32)";
  if (!tf32_supported(ctx))
    return fail(NV_ERR_UNSUPPORTED, "%s: TF32 tensor cores need compute capability 8.0 or newer",
                fn);
  if (M == 0 || N == 0 || batch == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  GemmArgs g{M, N, K, alpha, beta, A, lda, stride_a, B, ldb, stride_b, C, ldc, stride_c, batch};
  // op(A) is contiguous along k unless transposed (then along m); op(B) along n unless
  // transposed (then along k).
  const bool va = tf32_vec_ok(A, lda, trans_a ? M : K, batch > 1 ? stride_a : 0);
  const bool vb = tf32_vec_ok(B, ldb, trans_b ? K : N, batch > 1 ? stride_b : 0);
  // Big tiles once they give every SM a block; small tiles (4x the blocks) before that.
  // (cuda-sim's fictional 132 SMs would keep its small tests off the big tiles.)
  const int64_t big_tiles = ((M + 127) / 128) * ((N + 127) / 128) * batch;
#ifdef NERVE_CUDA_SIM
  const int64_t enough = 4;
#else
  const int64_t enough = state(ctx).sm_count;
#endif
  if (big_tiles >= enough) return tf32_config<128, 128, 2, 2, 2>(ctx, fn, trans_a, trans_b, va, vb, g);
  return tf32_config<64, 64, 2, 2, 4>(ctx, fn, trans_a, trans_b, va, vb, g);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
