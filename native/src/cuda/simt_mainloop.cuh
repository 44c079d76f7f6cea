// The SIMT GEMM main loop (CUDA cores, FP32), shared by the SGEMM (gemm.cu) and the
// implicit-GEMM convolutions (conv_igemm.cu), which differ only in how they fetch tiles.
//
// A block of kSimtThreads threads computes a BM x BN tile of C; each thread a TM x TN sub-tile
// held in registers. K advances in steps of kSimtBK through two shared-memory buffers: while the
// block multiplies out of one, the next step's tiles are already loaded into registers, then
// stored into the other buffer, so each step needs a single __syncthreads(). Tiles are stored
// k-major (As[k][m], Bs[k][n]) with rows of BM + kSimtPad floats, so the inner loop reads a
// thread's TM values of A and TN values of B as 16-byte vectors; a thread's rows are split in
// two halves (rows ty*TM/2.. and BM/2 + ty*TM/2..), which keeps those reads free of bank
// conflicts. simt_tile_row / simt_tile_col give the tile coordinates of acc[i][j].
#pragma once
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

constexpr int kSimtThreads = 256;
constexpr int kSimtBK = 8;
constexpr int kSimtPad = 4;  // shared rows are R + kSimtPad floats: fewer conflicts, 16-byte aligned

// The tile row (BM, TM) or column (BN, TN) of a thread's i-th accumulator row or column, for
// the thread at position t (ty for rows, tx for columns).
template <int B, int T>
__device__ __forceinline__ int simt_tile_pos(int t, int i) {
  return i < T / 2 ? t * (T / 2) + i : B / 2 + t * (T / 2) + i - T / 2;
}

// acc = the block's share of sum over k of op(A)(m, k) op(B)(k, n), over ktiles steps of kSimtBK.
// load(kt) fetches step kt of both operands into the loaders' registers (zeros outside the
// operands); store(buf) writes them into As[buf] and Bs[buf]. The first step is loaded even when
// ktiles == 0, as the loaders expect. I is the step counter's type; (tx, ty) is the thread's
// place in the block's (BN / TN) x (BM / TM) grid of sub-tiles: tid % (BN / TN), tid / (BN / TN).
template <int BM, int BN, int TM, int TN, typename I, class Load, class Store>
__device__ __forceinline__ void simt_mainloop(float (&acc)[TM][TN],
                                              float (&As)[2][kSimtBK][BM + kSimtPad],
                                              float (&Bs)[2][kSimtBK][BN + kSimtPad], int tx,
                                              int ty, I ktiles, Load&& load, Store&& store) {
  static_assert((BM / TM) * (BN / TN) == kSimtThreads, "one thread per TM x TN sub-tile");
  NV_UNROLL
  for (int i = 0; i < TM; ++i) {
    NV_UNROLL
    for (int j = 0; j < TN; ++j) acc[i][j] = 0.0f;
  }
  load(I(0));
  store(0);
  __syncthreads();
  for (I kt = 0; kt < ktiles; ++kt) {
    const int cur = int(kt & 1);
    const bool more = kt + 1 < ktiles;
    if (more) load(kt + 1);  // the next step's loads are in flight while we multiply
    NV_UNROLL
    for (int k = 0; k < kSimtBK; ++k) {
      float a[TM], b[TN];
      read_half<TM / 2>(&As[cur][k][ty * (TM / 2)], a);
      read_half<TM / 2>(&As[cur][k][BM / 2 + ty * (TM / 2)], a + TM / 2);
      read_half<TN / 2>(&Bs[cur][k][tx * (TN / 2)], b);
      read_half<TN / 2>(&Bs[cur][k][BN / 2 + tx * (TN / 2)], b + TN / 2);
      NV_UNROLL
      for (int i = 0; i < TM; ++i) {
        NV_UNROLL
        for (int j = 0; j < TN; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
      }
    }
    if (more) store(cur ^ 1);
    __syncthreads();
  }
}

}  // namespace NV_CUDA_NS
}  // namespace nv
