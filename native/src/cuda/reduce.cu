// Reductions over (outer, n, inner) and argmax on the GPU. Rows (inner == 1) go to a warp each
// when short, to a block each when long; columns (inner > 1) to 32-wide tiles whose 8 warps
// split n. Every combination happens in a fixed order, so results do not depend on timing, and
// sums accumulate in blocks of 64 elements (error ~ 64 + n / 64 ulps rather than n).
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// A value and its index along n, for argmax.
struct ArgVal {
  float v;
  int32_t i;
};

__device__ __forceinline__ float shfl_xor(float v, int off) {
  return __shfl_xor_sync(kFullMask, v, off);
}
__device__ __forceinline__ ArgVal shfl_xor(ArgVal a, int off) {
  ArgVal r;
  r.v = __shfl_xor_sync(kFullMask, a.v, off);
  r.i = __shfl_xor_sync(kFullMask, a.i, off);
  return r;
}

// Reducers: T the accumulator, init() its identity, step() adds element k, combine() merges
// two accumulators (associative and commutative), out() the stored result.
struct RSum {
  using T = float;
  using Out = float;
  __device__ static T init() { return 0.0f; }
  __device__ static T step(T a, float v, int32_t) { return a + v; }
  __device__ static T combine(T a, T b) { return a + b; }
  __device__ static Out out(T a, float scale) { return a * scale; }
};
// max and min are NaN as soon as one element is (PyTorch's rule): a NaN b replaces a, and a
// NaN a stays (every comparison with it is false). fmaxf/fminf would drop NaNs.
struct RMax {
  using T = float;
  using Out = float;
  __device__ static T init() { return -INFINITY; }
  __device__ static T combine(T a, T b) { return b > a || b != b ? b : a; }
  __device__ static T step(T a, float v, int32_t) { return combine(a, v); }
  __device__ static Out out(T a, float) { return a; }
};
struct RMin {
  using T = float;
  using Out = float;
  __device__ static T init() { return INFINITY; }
  __device__ static T combine(T a, T b) { return b < a || b != b ? b : a; }
  __device__ static T step(T a, float v, int32_t) { return combine(a, v); }
  __device__ static Out out(T a, float) { return a; }
};
// The first largest; a NaN beats every number (the first NaN wins, as on the CPU).
struct RArgmax {
  using T = ArgVal;
  using Out = int32_t;
  __device__ static T init() { return ArgVal{-INFINITY, INT32_MAX}; }
  __device__ static T combine(T a, T b) {
    const bool an = a.v != a.v, bn = b.v != b.v;
    if (an != bn) return an ? a : b;
    if (!an && a.v != b.v) return a.v > b.v ? a : b;
    return a.i <= b.i ? a : b;
  }
  __device__ static T step(T a, float v, int32_t k) { return combine(a, ArgVal{v, k}); }
  __device__ static Out out(T a, float) { return a.i; }
};

template <class R>
__device__ __forceinline__ typename R::T warp_combine(typename R::T a) {
  for (int off = kWarp / 2; off > 0; off /= 2) a = R::combine(a, shfl_xor(a, off));
  return a;
}

// The combination of every thread's a over the block (blockDim.x a multiple of 32), through wp
// (one slot per warp); valid in thread 0. Ends with a barrier, so wp may be reused at once.
template <class R>
__device__ __forceinline__ typename R::T block_combine(typename R::T a, typename R::T* wp) {
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  const int warps = blockDim.x / kWarp;
  a = warp_combine<R>(a);
  if (lane == 0) wp[warp] = a;
  __syncthreads();
  if (warp == 0) {
    a = lane < warps ? wp[lane] : R::init();
    a = warp_combine<R>(a);
  }
  __syncthreads();
  return a;
}

// This thread's share of a strided sequence: elements k = k0, k0 + dk, ... < n of p[k * ld],
// in blocks of 64 (for the accuracy of sums).
template <class R>
__device__ __forceinline__ typename R::T thread_reduce(const float* p, int64_t n, int64_t ld,
                                                       int64_t k0, int64_t dk) {
  typename R::T total = R::init();
  typename R::T acc = R::init();
  int count = 0;
  for (int64_t k = k0; k < n; k += dk) {
    acc = R::step(acc, p[k * ld], int32_t(k));
    if (++count == 64) {
      total = R::combine(total, acc);
      acc = R::init();
      count = 0;
    }
  }
  return R::combine(total, acc);
}

// x is (rows, n), out (rows); one warp per row, blockDim (32, 8), grid-stride over rows.
template <class R>
__global__ void reduce_rows_warp_kernel(int64_t rows, int64_t n, const float* x,
                                        typename R::Out* out, float scale) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.y;
  for (int64_t r = int64_t(blockIdx.x) * blockDim.y + threadIdx.y; r < rows; r += stride) {
    typename R::T a = thread_reduce<R>(x + r * n, n, 1, threadIdx.x, kWarp);
    a = warp_combine<R>(a);
    if (threadIdx.x == 0) out[r] = R::out(a, scale);
  }
}

// x is (rows, n), out (rows); one block of 256 per row, grid-stride over rows.
template <class R>
__global__ void reduce_rows_block_kernel(int64_t rows, int64_t n, const float* x,
                                         typename R::Out* out, float scale) {
  __shared__ typename R::T partial[kWarp];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    typename R::T a = thread_reduce<R>(x + r * n, n, 1, threadIdx.x, blockDim.x);
    a = block_combine<R>(a, partial);
    if (threadIdx.x == 0) out[r] = R::out(a, scale);
  }
}

// Few long rows: block b = (row r, part) reduces elements [part span, (part + 1) span) of row
// r into partial[b]; reduce_parts_kernel then combines each row's parts in order. (One block
// per row left all but one SM idle on a whole-tensor sum: 6.4 M floats took milliseconds.)
template <class R>
__global__ void reduce_rows_split_kernel(int64_t rows, int64_t n, int64_t span, int64_t parts,
                                         const float* x, typename R::T* partial) {
  __shared__ typename R::T wp[kWarp];
  for (int64_t b = blockIdx.x; b < rows * parts; b += gridDim.x) {
    const int64_t r = b / parts, lo = (b % parts) * span;
    const int64_t hi = lo + span < n ? lo + span : n;
    typename R::T a = thread_reduce<R>(x + r * n, hi, 1, lo + threadIdx.x, blockDim.x);
    a = block_combine<R>(a, wp);
    if (threadIdx.x == 0) partial[b] = a;
  }
}

template <class R>
__global__ void reduce_parts_kernel(int64_t rows, int64_t parts, const typename R::T* partial,
                                    typename R::Out* out, float scale) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t r = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; r < rows; r += stride) {
    typename R::T a = R::init();
    for (int64_t p = 0; p < parts; ++p) a = R::combine(a, partial[r * parts + p]);
    out[r] = R::out(a, scale);
  }
}

// x is (outer, n, inner), out (outer, inner); a block of (32, 8) per 32 columns of one o:
// lane x owns column i0 + x, warp y takes k = y, y + 8, ...; the 8 partials meet in shared
// memory and warp 0 combines them in order.
template <class R>
__global__ void reduce_cols_kernel(int64_t outer, int64_t n, int64_t inner, const float* x,
                                   typename R::Out* out, float scale) {
  __shared__ typename R::T partial[8][kWarp + 1];
  const int64_t tiles = (inner + kWarp - 1) / kWarp;
  for (int64_t t = blockIdx.x; t < outer * tiles; t += gridDim.x) {
    const int64_t o = t / tiles, i = (t % tiles) * kWarp + threadIdx.x;
    typename R::T a = R::init();
    if (i < inner) a = thread_reduce<R>(x + o * n * inner + i, n, inner, threadIdx.y, blockDim.y);
    partial[threadIdx.y][threadIdx.x] = a;
    __syncthreads();
    if (threadIdx.y == 0 && i < inner) {
      for (unsigned y = 1; y < blockDim.y; ++y) a = R::combine(a, partial[y][threadIdx.x]);
      out[o * inner + i] = R::out(a, scale);
    }
    __syncthreads();
  }
}

// ---------------------------------------------------------------- launchers

namespace {

constexpr int64_t kWarpRowMax = 1024;  // rows up to this long get a warp, longer ones a block
#ifdef NERVE_CUDA_SIM
constexpr int64_t kMinSpan = 1024;  // small enough that the simulator's tests split rows too
#else
constexpr int64_t kMinSpan = 16384;  // a part is at least this many elements (64 KiB)
#endif

// Parts per row so that rows x parts blocks give every SM two, each part >= kMinSpan long.
int64_t row_parts(nv_ctx* ctx, int64_t rows, int64_t n) {
#ifdef NERVE_CUDA_SIM
  const int64_t sms = 4;
#else
  const int64_t sms = state(ctx).sm_count;
#endif
  int64_t parts = (2 * sms + rows - 1) / rows;
  const int64_t most = n / kMinSpan;
  if (parts > most) parts = most;
  return parts < 1 ? 1 : parts;
}

template <class R>
nv_status launch_reduce(nv_ctx* ctx, const char* fn, int64_t outer, int64_t n, int64_t inner,
                        const float* x, typename R::Out* out, float scale) {
  cudaStream_t st = stream_of(ctx);
  if (inner == 1) {
    if (n <= kWarpRowMax)
      return gpu::launch(fn, reduce_rows_warp_kernel<R>, dim3(grid_for(ctx, outer, 8)),
                         dim3(kWarp, 8), 0, st, outer, n, x, out, scale);
    const int64_t parts = row_parts(ctx, outer, n);
    if (parts > 1) {
      const int64_t span = (n + parts - 1) / parts;
      void* ws = nullptr;
      nv_status s = scratch(ctx, outer * parts * int64_t(sizeof(typename R::T)), &ws, fn);
      if (s != NV_OK) return s;
      auto* partial = static_cast<typename R::T*>(ws);
      s = gpu::launch(fn, reduce_rows_split_kernel<R>, dim3(grid_for(ctx, outer * parts, 1)),
                      dim3(256), 0, st, outer, n, span, parts, x, partial);
      if (s != NV_OK) return s;
      return gpu::launch(fn, reduce_parts_kernel<R>, dim3(grid_for(ctx, outer, 256)), dim3(256), 0,
                         st, outer, parts, static_cast<const typename R::T*>(partial), out, scale);
    }
    return gpu::launch(fn, reduce_rows_block_kernel<R>, dim3(grid_for(ctx, outer, 1)),
                       dim3(256), 0, st, outer, n, x, out, scale);
  }
  const int64_t tiles = (inner + kWarp - 1) / kWarp;
  return gpu::launch(fn, reduce_cols_kernel<R>, dim3(grid_for(ctx, outer * tiles, 1)),
                     dim3(kWarp, 8), 0, st, outer, n, inner, x, out, scale);
}

}  // namespace

NV_KERNEL_DEF(reduce_f32) {
  // x is (outer, n, inner), out (outer, inner)
  if (outer == 0 || inner == 0) return NV_OK;
  const char* fn = "nv_reduce_f32";
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  switch (op) {
    case NV_REDUCE_SUM: return launch_reduce<RSum>(ctx, fn, outer, n, inner, x, out, 1.0f);
    case NV_REDUCE_MEAN:
      return launch_reduce<RSum>(ctx, fn, outer, n, inner, x, out,
                                 static_cast<float>(1.0 / static_cast<double>(n)));
    case NV_REDUCE_MAX: return launch_reduce<RMax>(ctx, fn, outer, n, inner, x, out, 1.0f);
    case NV_REDUCE_MIN: return launch_reduce<RMin>(ctx, fn, outer, n, inner, x, out, 1.0f);
    default: return fail(NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32: op=%d has no GPU kernel", op);
  }
}

NV_KERNEL_DEF(argmax_f32) {
  // x is (outer, n, inner), out (outer, inner)
  if (outer == 0 || inner == 0) return NV_OK;
  nv_status s = activate(ctx, "nv_argmax_f32");
  if (s != NV_OK) return s;
  return launch_reduce<RArgmax>(ctx, "nv_argmax_f32", outer, n, inner, x, out, 1.0f);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
