// Implicit-GEMM convolution: each pass is a GEMM per group whose operands are gathered from the
// NCHW tensors while the tiles are staged, so no im2col matrix is ever written.
//
//   forward          y[k, (n p q)]  = sum over (c r s)  of  w[k, (c r s)]    x^[(c r s), (n p q)]
//   backward-data    dx[c, (n h w)] = sum over (k r s)  of  w^T[c, (k r s)]  dy^[(k r s), (n h w)]
//   backward-filter  dw[k, (c r s)] = sum over (n p q)  of  dy[k, (n p q)]   x^[(n p q), (c r s)]
//
// x^ is the im2col view of x (zero where a tap falls in the padding) and dy^ the view of dy
// that backward-data reads: tap (r, s) of output (p, q) touched input (h, w) exactly when
// h + ph - r dh = p sh, so dy^ is dy[p, q] there and zero elsewhere (strides leave holes).
//
// The kernel is the SIMT SGEMM's main loop (simt_mainloop.cuh: 256 threads, BM x BN tiles, TM x
// TN per thread, k-steps of 8 through two shared buffers with the next step's loads held in
// registers); only the tile loaders differ. Each loader keeps fixed, per thread, the coordinate
// that does not change from one k-step to the next, decomposed once (image, output pixel,
// channel, tap), and decomposes the other with multiply-shift division (FastDiv): two or three
// multiplies per element instead of the GEMM's plain address. Consecutive threads walk the dimension that is
// contiguous in memory (q or w) wherever the operand has one, so loads coalesce.
//
// Backward-filter has a long reduction (N P Q, 100,352 for a 32 x 56 x 56 batch) and few
// output tiles (K x C R S); it splits the reduction over blockIdx.z into scratch memory and a
// second kernel adds the parts in a fixed order, so the result does not depend on timing.
//
// Index arithmetic is 32-bit: conv_igemm_fits() checks at launch that every index fits.
#include "cuda/conv_igemm.h"

#include "core/fast_div.h"
#include "cuda/simt_mainloop.cuh"

namespace nv {
namespace NV_CUDA_NS {

namespace {

// The shape in 32-bit form with the divisions the loaders need, and the tensors.
struct ConvIg {
  int N, C, H, W, K, R, S, P, Q, sh, sw, ph, pw, dh, dw, G;
  int Cg, Kg, RS, CRS, PQ, HW;
  FastDiv by_RS, by_S, by_PQ, by_Q, by_HW, by_W, by_sh, by_sw;
  const float* x;
  const float* w;
  const float* dy;
  const float* bias;
  float* out;  // y, dx, dw, or the split parts of dw
  int splits;  // backward-filter: parts of the reduction (blockIdx.z)
};

ConvIg make_ig(const ConvShape& s) {
  ConvIg p{};
  p.N = int(s.N), p.C = int(s.C), p.H = int(s.H), p.W = int(s.W), p.K = int(s.K);
  p.R = int(s.R), p.S = int(s.S), p.P = int(s.P), p.Q = int(s.Q);
  p.sh = int(s.sh), p.sw = int(s.sw), p.ph = int(s.ph), p.pw = int(s.pw);
  p.dh = int(s.dh), p.dw = int(s.dw), p.G = int(s.G);
  p.Cg = int(s.Cg()), p.Kg = int(s.Kg()), p.RS = int(s.R * s.S), p.CRS = int(s.CRS());
  p.PQ = int(s.PQ()), p.HW = int(s.H * s.W);
  p.by_RS = FastDiv(p.RS), p.by_S = FastDiv(p.S), p.by_PQ = FastDiv(p.PQ), p.by_Q = FastDiv(p.Q);
  p.by_HW = FastDiv(p.HW), p.by_W = FastDiv(p.W), p.by_sh = FastDiv(p.sh), p.by_sw = FastDiv(p.sw);
  p.splits = 1;
  return p;
}

// ---------------------------------------------------------------- tile loaders
// A loader stages one kSimtBK-deep slice of an operand as S[k][r] (r: the tile's M or N index).
// Loaders "along k" give each thread a fixed k (tid % 8) and rows tid / 8 + 32 u; loaders
// "along r" give each thread a fixed row (tid % R) and k-offsets tid / R + (256 / R) u. The two
// bases hold that assignment, the registers and the store; a loader adds its gather.

template <int R>
struct AlongK {
  static constexpr int kPer = R * kSimtBK / kSimtThreads;
  int kq;  // this thread's k within the step
  float reg[kPer];
  __device__ AlongK() : kq(int(threadIdx.x) % kSimtBK) {}
  // The tile row of this thread's u-th element.
  __device__ __forceinline__ static int row(int u) {
    return int(threadIdx.x) / kSimtBK + u * (kSimtThreads / kSimtBK);
  }
  __device__ __forceinline__ void store(float (*S)[R + kSimtPad]) const {
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) S[kq][row(u)] = reg[u];
  }
};

template <int R>
struct AlongR {
  static constexpr int kPer = R * kSimtBK / kSimtThreads;
  int col, k_off;  // this thread's tile row, and its first k within the step
  float reg[kPer];
  __device__ AlongR() : col(int(threadIdx.x) % R), k_off(int(threadIdx.x) / R) {}
  // The k within the step of this thread's u-th element.
  __device__ __forceinline__ int kk(int u) const { return k_off + u * (kSimtThreads / R); }
  __device__ __forceinline__ void store(float (*S)[R + kSimtPad]) const {
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) S[kk(u)][col] = reg[u];
  }
};

// forward A: w[g Kg + m, k] (rows of C R S floats), along k.
template <int R>
struct WeightRows : AlongK<R> {
  using Base = AlongK<R>;
  using Base::kPer, Base::kq, Base::reg, Base::row;
  const float* base;
  int rows, ld, r0;  // r0: the tile row of this thread's first element
  __device__ WeightRows(const ConvIg& p, int g, int tile_m0)
      : base(p.w + int64_t(g) * p.Kg * p.CRS), rows(p.Kg), ld(p.CRS), r0(tile_m0 + row(0)) {}
  __device__ __forceinline__ void load(int k0, int kend) {
    const int k = k0 + kq;
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int m = r0 + u * (kSimtThreads / kSimtBK);
      reg[u] = (m < rows && k < kend) ? base[int64_t(m) * ld + k] : 0.0f;
    }
  }
};

// forward B: x^[(c r s), (n p q)] for group g, along r (the column n p q is fixed per thread).
// (Its own staging, not AlongR's: built on AlongR, ptxas allocated the 128 x 128 forward kernel
// differently (133 registers instead of 141), a change no GPU has timed yet.)
template <int R>
struct Im2colCols {
  static constexpr int kPer = R * kSimtBK / kSimtThreads;
  const ConvIg& p;
  const float* xg;  // x[n, g Cg, 0, 0] of this thread's image
  int ih0, iw0, col, k_off;
  bool valid;
  float reg[kPer];
  __device__ Im2colCols(const ConvIg& pp, int g, int n0) : p(pp) {
    col = int(threadIdx.x) % R;
    k_off = int(threadIdx.x) / R;
    const int n = n0 + col;
    valid = n < p.N * p.PQ;
    const int img = valid ? p.by_PQ.div(n) : 0;
    const int pq = n - img * p.PQ;
    const int op = p.by_Q.div(pq), oq = pq - op * p.Q;
    ih0 = op * p.sh - p.ph;
    iw0 = oq * p.sw - p.pw;
    xg = p.x + (int64_t(img) * p.C + int64_t(g) * p.Cg) * p.HW;
  }
  __device__ __forceinline__ void load(int k0, int kend) {
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int k = k0 + k_off + u * (kSimtThreads / R);
      float v = 0.0f;
      if (valid && k < kend) {
        const int c = p.by_RS.div(k), rs = k - c * p.RS;
        const int r = p.by_S.div(rs), s = rs - r * p.S;
        const int ih = ih0 + r * p.dh, iw = iw0 + s * p.dw;
        if (unsigned(ih) < unsigned(p.H) && unsigned(iw) < unsigned(p.W))
          v = xg[int64_t(c) * p.HW + ih * p.W + iw];
      }
      reg[u] = v;
    }
  }
  __device__ __forceinline__ void store(float (*S)[R + kSimtPad]) const {
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) S[k_off + u * (kSimtThreads / R)][col] = reg[u];
  }
};

// backward-data A: w^T[c, (k r s)] = w[g Kg + k, c, r, s], along k (one (k, r, s) per thread).
template <int R>
struct WeightCols : AlongK<R> {
  using Base = AlongK<R>;
  using Base::kPer, Base::kq, Base::reg, Base::row;
  const ConvIg& p;
  int g, m0;
  __device__ WeightCols(const ConvIg& pp, int gg, int tile_m0) : p(pp), g(gg), m0(tile_m0) {}
  __device__ __forceinline__ void load(int k0, int kend) {
    const int k = k0 + kq;
    const int ko = p.by_RS.div(k), rs = k - ko * p.RS;
    const float* wk = p.w + (int64_t(g) * p.Kg + ko) * p.CRS + rs;  // w[g Kg + ko, 0, r, s]
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int c = m0 + row(u);
      reg[u] = (c < p.Cg && k < kend) ? wk[int64_t(c) * p.RS] : 0.0f;
    }
  }
};

// backward-data B: dy^[(k r s), (n h w)], along r (the input pixel n h w is fixed per thread).
template <int R>
struct DyCols : AlongR<R> {
  using Base = AlongR<R>;
  using Base::kPer, Base::col, Base::reg, Base::kk;
  const ConvIg& p;
  const float* dyg;  // dy[n, g Kg, 0, 0] of this thread's image
  int hh, ww;
  bool valid;
  __device__ DyCols(const ConvIg& pp, int g, int n0) : p(pp) {
    const int n = n0 + col;
    valid = n < p.N * p.HW;
    const int img = valid ? p.by_HW.div(n) : 0;
    const int hw = n - img * p.HW;
    const int h = p.by_W.div(hw);
    hh = h + p.ph;
    ww = hw - h * p.W + p.pw;
    dyg = p.dy + (int64_t(img) * p.K + int64_t(g) * p.Kg) * p.PQ;
  }
  __device__ __forceinline__ void load(int k0, int kend) {
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int k = k0 + kk(u);
      float v = 0.0f;
      if (valid && k < kend) {
        const int ko = p.by_RS.div(k), rs = k - ko * p.RS;
        const int r = p.by_S.div(rs), s = rs - r * p.S;
        const int hp = hh - r * p.dh, wq = ww - s * p.dw;  // = p sh, q sw where the tap hit
        if (hp >= 0 && wq >= 0) {
          const int op = p.by_sh.div(hp), oq = p.by_sw.div(wq);
          if (op * p.sh == hp && oq * p.sw == wq && op < p.P && oq < p.Q)
            v = dyg[int64_t(ko) * p.PQ + op * p.Q + oq];
        }
      }
      reg[u] = v;
    }
  }
};

// backward-filter A: dy[k, (n p q)] for group g, along k (one (n, p q) per thread and step).
template <int R>
struct DyRows : AlongK<R> {
  using Base = AlongK<R>;
  using Base::kPer, Base::kq, Base::reg, Base::row;
  const ConvIg& p;
  int g, m0;
  __device__ DyRows(const ConvIg& pp, int gg, int tile_m0) : p(pp), g(gg), m0(tile_m0) {}
  __device__ __forceinline__ void load(int k0, int kend) {
    const int k = k0 + kq;
    const int img = p.by_PQ.div(k), pq = k - img * p.PQ;
    const float* d = p.dy + (int64_t(img) * p.K + int64_t(g) * p.Kg) * p.PQ + pq;
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int m = m0 + row(u);
      reg[u] = (m < p.Kg && k < kend) ? d[int64_t(m) * p.PQ] : 0.0f;
    }
  }
};

// backward-filter B: x^[(n p q), (c r s)], along k: each thread's kPer columns (c, r, s) are
// decomposed once; each step decomposes its one (n, p, q).
template <int R>
struct Im2colRows : AlongK<R> {
  using Base = AlongK<R>;
  using Base::kPer, Base::kq, Base::reg, Base::row;
  const ConvIg& p;
  const float* xg0;  // x[0, g Cg, 0, 0]
  int coff[kPer], roff[kPer], soff[kPer];
  __device__ Im2colRows(const ConvIg& pp, int g, int n0) : p(pp) {
    xg0 = p.x + int64_t(g) * p.Cg * p.HW;
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int n = n0 + row(u);
      const int c = p.by_RS.div(n), rs = n - c * p.RS;
      const int r = p.by_S.div(rs), s = rs - r * p.S;
      coff[u] = n < p.CRS ? c * p.HW : -1;  // -1: past the last column
      roff[u] = r * p.dh;
      soff[u] = s * p.dw;
    }
  }
  __device__ __forceinline__ void load(int k0, int kend) {
    const int k = k0 + kq;
    const int img = p.by_PQ.div(k), pq = k - img * p.PQ;
    const int op = p.by_Q.div(pq), oq = pq - op * p.Q;
    const int ih0 = op * p.sh - p.ph, iw0 = oq * p.sw - p.pw;
    const float* xi = xg0 + int64_t(img) * p.C * p.HW;
    NV_UNROLL
    for (int u = 0; u < kPer; ++u) {
      const int ih = ih0 + roff[u], iw = iw0 + soff[u];
      float v = 0.0f;
      if (k < kend && coff[u] >= 0 && unsigned(ih) < unsigned(p.H) && unsigned(iw) < unsigned(p.W))
        v = xi[coff[u] + ih * p.W + iw];
      reg[u] = v;
    }
  }
};

// ---------------------------------------------------------------- epilogues

struct ForwardOut {  // y[n, g Kg + m, p, q] = acc + bias
  __device__ static void store(const ConvIg& p, int g, int, int m, int n, float v) {
    const int img = p.by_PQ.div(n), pq = n - img * p.PQ;
    const int k = g * p.Kg + m;
    if (p.bias != nullptr) v += p.bias[k];
    p.out[(int64_t(img) * p.K + k) * p.PQ + pq] = v;
  }
};

struct DataOut {  // dx[n, g Cg + m, h, w]
  __device__ static void store(const ConvIg& p, int g, int, int m, int n, float v) {
    const int img = p.by_HW.div(n), hw = n - img * p.HW;
    p.out[(int64_t(img) * p.C + int64_t(g) * p.Cg + m) * p.HW + hw] = v;
  }
};

struct FilterOut {  // part z of dw[g Kg + m, (c r s)] (the parts are [splits][K][C R S])
  __device__ static void store(const ConvIg& p, int g, int z, int m, int n, float v) {
    p.out[(int64_t(z) * p.K + int64_t(g) * p.Kg + m) * p.CRS + n] = v;
  }
};

// ---------------------------------------------------------------- the kernel

// Block (blockIdx.x: tile, N tiles fastest; blockIdx.y: group; blockIdx.z: part of the
// reduction, [z kspan, (z + 1) kspan)) computes a BM x BN tile of the group's M x Ncols output.
template <class LA, class LB, class Out, int BM, int BN, int TM, int TN>
__global__ void NV_LAUNCH_BOUNDS(kSimtThreads)
    conv_igemm_kernel(ConvIg p, int M, int Ncols, int Kd, int kspan) {
  __shared__ __align__(16) float As[2][kSimtBK][BM + kSimtPad];
  __shared__ __align__(16) float Bs[2][kSimtBK][BN + kSimtPad];
  const int tid = threadIdx.x;
  const int tx = tid % (BN / TN), ty = tid / (BN / TN);
  const int tiles_n = (Ncols + BN - 1) / BN;
  const int m0 = int(blockIdx.x) / tiles_n * BM, n0 = int(blockIdx.x) % tiles_n * BN;
  const int g = blockIdx.y, z = blockIdx.z;
  const int kbeg = z * kspan, kend = kbeg + kspan < Kd ? kbeg + kspan : Kd;
  LA la(p, g, m0);
  LB lb(p, g, n0);

  float acc[TM][TN];
  const int ktiles = kend > kbeg ? (kend - kbeg + kSimtBK - 1) / kSimtBK : 0;
  simt_mainloop<BM, BN, TM, TN>(
      acc, As, Bs, tx, ty, ktiles,
      [&](int kt) {  // the gathers of step kt
        la.load(kbeg + kt * kSimtBK, kend);
        lb.load(kbeg + kt * kSimtBK, kend);
      },
      [&](int buf) {
        la.store(As[buf]);
        lb.store(Bs[buf]);
      });

  NV_UNROLL
  for (int i = 0; i < TM; ++i) {
    const int m = m0 + simt_tile_pos<BM, TM>(ty, i);
    if (m >= M) continue;
    NV_UNROLL
    for (int j = 0; j < TN; ++j) {
      const int n = n0 + simt_tile_pos<BN, TN>(tx, j);
      if (n < Ncols) Out::store(p, g, z, m, n, acc[i][j]);
    }
  }
}

// dw[i] = sum over z of parts[z][i], in order.
__global__ void sum_parts_kernel(int64_t n, int parts, const float* part, float* dw) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    float acc = 0.0f;
    for (int z = 0; z < parts; ++z) acc += part[z * n + i];
    dw[i] = acc;
  }
}

// ---------------------------------------------------------------- launchers

int sm_count(nv_ctx* ctx) {
#ifdef NERVE_CUDA_SIM
  (void)ctx;
  return 4;  // as gemm.cu: keeps the simulator's small tests on the small tiles, and splitting
#else
  return state(ctx).sm_count;
#endif
}

template <template <int> class LA, template <int> class LB, class Out, int BM, int BN, int TM,
          int TN>
nv_status launch_one(nv_ctx* ctx, const char* fn, const ConvIg& p, int M, int Ncols, int Kd,
                     int parts) {
  const int64_t tiles = int64_t((M + BM - 1) / BM) * ((Ncols + BN - 1) / BN);
  const int kspan = ((Kd + parts - 1) / parts + kSimtBK - 1) / kSimtBK * kSimtBK;
  return gpu::launch(fn, conv_igemm_kernel<LA<BM>, LB<BN>, Out, BM, BN, TM, TN>,
                     dim3(unsigned(tiles), unsigned(p.G), unsigned(parts)), dim3(kSimtThreads), 0,
                     stream_of(ctx), p, M, Ncols, Kd, kspan);
}

// The tile shape: 128-row tiles when M has the rows for them, 128-column tiles while they still
// give every SM a block; 64 x 64 otherwise.
template <template <int> class LA, template <int> class LB, class Out>
nv_status launch_gemm(nv_ctx* ctx, const char* fn, const ConvIg& p, int M, int Ncols, int Kd,
                      int parts) {
  const int64_t sms = sm_count(ctx);
  auto tiles = [&](int bm, int bn) { return int64_t((M + bm - 1) / bm) * ((Ncols + bn - 1) / bn) * p.G * parts; };
  if (M > 64 && tiles(128, 128) >= sms) return launch_one<LA, LB, Out, 128, 128, 8, 8>(ctx, fn, p, M, Ncols, Kd, parts);
  if (tiles(64, 128) >= sms) return launch_one<LA, LB, Out, 64, 128, 4, 8>(ctx, fn, p, M, Ncols, Kd, parts);
  return launch_one<LA, LB, Out, 64, 64, 4, 4>(ctx, fn, p, M, Ncols, Kd, parts);
}

}  // namespace

bool conv_igemm_fits(const ConvShape& s) {
  const int64_t lim = int64_t(1) << 31;
  return s.N * s.C * s.H * s.W < lim && s.N * s.K * s.P * s.Q < lim && s.K * s.CRS() < lim &&
         s.N * s.P * s.Q * s.K < lim && (s.H + s.ph) * 2 < lim && (s.W + s.pw) * 2 < lim &&
         (s.R * s.dh) < lim / 2 && (s.S * s.dw) < lim / 2 && s.sh < lim && s.sw < lim &&
         s.P * s.sh < lim / 2 && s.Q * s.sw < lim / 2 && s.G < 65536;
}

nv_status conv2d_forward_igemm(nv_ctx* ctx, const char* fn, const ConvShape& s, const float* x,
                               const float* w, const float* bias, float* y) {
  ConvIg p = make_ig(s);
  p.x = x, p.w = w, p.bias = bias, p.out = y;
  return launch_gemm<WeightRows, Im2colCols, ForwardOut>(ctx, fn, p, p.Kg, p.N * p.PQ, p.CRS, 1);
}

nv_status conv2d_backward_data_igemm(nv_ctx* ctx, const char* fn, const ConvShape& s,
                                     const float* dy, const float* w, float* dx) {
  ConvIg p = make_ig(s);
  p.dy = dy, p.w = w, p.out = dx;
  return launch_gemm<WeightCols, DyCols, DataOut>(ctx, fn, p, p.Cg, p.N * p.HW, p.Kg * p.RS, 1);
}

nv_status conv2d_backward_filter_igemm(nv_ctx* ctx, const char* fn, const ConvShape& s,
                                       const float* x, const float* dy, float* dw) {
  ConvIg p = make_ig(s);
  p.x = x, p.dy = dy;
  const int M = p.Kg, Ncols = p.CRS, Kd = p.N * p.PQ;
  // Parts of the reduction: enough blocks for two per SM, each part at least 64 k-steps
  // (16 on the simulator, so its small tests split too).
#ifdef NERVE_CUDA_SIM
  const int min_span = 16 * kSimtBK;
#else
  const int min_span = 64 * kSimtBK;
#endif
  const int64_t tiles = int64_t((M + 63) / 64) * ((Ncols + 127) / 128) * p.G;
  int64_t parts = (2 * sm_count(ctx) + tiles - 1) / tiles;
  const int64_t most = (Kd + min_span - 1) / min_span;
  if (parts > most) parts = most;
  if (parts > 1024) parts = 1024;
  if (parts < 1) parts = 1;
  const int64_t n = s.K * s.CRS();
  if (parts == 1) {
    p.out = dw;
    return launch_gemm<DyRows, Im2colRows, FilterOut>(ctx, fn, p, M, Ncols, Kd, 1);
  }
  void* ws = nullptr;
  nv_status st = scratch(ctx, int64_t(parts) * n * int64_t(sizeof(float)), &ws, fn);
  if (st != NV_OK) return st;
  p.out = static_cast<float*>(ws);
  // the same split as launch_one computes: parts may shrink once spans are rounded to kSimtBK
  const int kspan = ((Kd + int(parts) - 1) / int(parts) + kSimtBK - 1) / kSimtBK * kSimtBK;
  const int used = (Kd + kspan - 1) / kspan;
  st = launch_gemm<DyRows, Im2colRows, FilterOut>(ctx, fn, p, M, Ncols, Kd, used);
  if (st != NV_OK) return st;
  return gpu::launch(fn, sum_parts_kernel, dim3(grid_for(ctx, n, kSimtThreads)),
                     dim3(kSimtThreads), 0, stream_of(ctx), n, used,
                     static_cast<const float*>(ws), dw);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
