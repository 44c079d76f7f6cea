// Row-wise softmax / log-softmax (forward, backward) and the fused softmax cross-entropy on the
// GPU. A row of up to kWarpRowMax columns is handled by one warp, a longer one by a block.
// The forward passes keep an online (max, sum of exp(x - max)) per thread, so the logits are
// read once for the statistics and once for the output. Every cross-thread combination is in a
// fixed order: results do not depend on timing.
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// A team works on one row: a warp (kBlock == false, blockDim (32, rows per block)) or the whole
// block (kBlock == true, blockDim (threads)).
template <bool kBlock>
__device__ __forceinline__ int team_rank() {
  return threadIdx.x;
}
template <bool kBlock>
__device__ __forceinline__ int team_size() {
  return kBlock ? int(blockDim.x) : kWarp;
}
template <bool kBlock>
__device__ __forceinline__ int64_t first_row() {
  return kBlock ? int64_t(blockIdx.x) : int64_t(blockIdx.x) * blockDim.y + threadIdx.y;
}
template <bool kBlock>
__device__ __forceinline__ int64_t row_stride() {
  return kBlock ? int64_t(gridDim.x) : int64_t(gridDim.x) * blockDim.y;
}

// Sum over the team; every thread gets the same value.
template <bool kBlock>
__device__ __forceinline__ float team_sum(float v) {
  v = warp_sum(v);
  if (!kBlock) return v;
  __shared__ float partial[kWarp];
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = lane < int(blockDim.x) / kWarp ? partial[lane] : 0.0f;
  v = warp_sum(v);
  __syncthreads();  // partial is reused by the next call
  return v;
}

// Online softmax statistics: m the max so far, s = sum of exp(x - m).
struct MaxSum {
  float m, s;
};

// Special values end as PyTorch's two-pass softmax has them: a NaN anywhere makes m and s NaN
// (and every output of the row); a +inf makes s NaN when the team's statistics merge
// (exp(inf - inf)); a row of -inf only keeps m = -inf, s = 0, whose outputs are NaN
// (exp(-inf - -inf)).
__device__ __forceinline__ void online_add(MaxSum& a, float v) {
  if (v > a.m) {
    a.s = a.s * expf(a.m - v) + 1.0f;  // exp(-inf) = 0 on the first element
    a.m = v;
  } else if (v != v) {
    a.m = a.s = v;  // NaN: later comparisons with m all fail and s stays NaN
  } else if (a.m != -INFINITY) {
    a.s += expf(v - a.m);  // (-inf entries before any finite one add nothing)
  }
}

__device__ __forceinline__ MaxSum merge(MaxSum a, MaxSum b) {
  if (a.m != a.m) return a;  // a NaN statistic wins (the comparisons below would drop it)
  if (b.m != b.m) return b;
  const float m = b.m > a.m ? b.m : a.m;
  if (m == -INFINITY) return MaxSum{m, 0.0f};
  float s = 0.0f;
  if (a.s != 0.0f) s += a.s * expf(a.m - m);
  if (b.s != 0.0f) s += b.s * expf(b.m - m);
  return MaxSum{m, s};
}

__device__ __forceinline__ MaxSum warp_merge(MaxSum a) {
  for (int off = kWarp / 2; off > 0; off /= 2) {
    MaxSum o;
    o.m = __shfl_xor_sync(kFullMask, a.m, off);
    o.s = __shfl_xor_sync(kFullMask, a.s, off);
    a = merge(a, o);
  }
  return a;
}

// (max, sum of exp(x - max)) of row x[0, cols), the same on every thread of the team.
template <bool kBlock>
__device__ MaxSum row_stats(const float* x, int64_t cols) {
  MaxSum a{-INFINITY, 0.0f};
  for (int64_t c = team_rank<kBlock>(); c < cols; c += team_size<kBlock>()) online_add(a, x[c]);
  a = warp_merge(a);
  if (!kBlock) return a;
  __shared__ MaxSum partial[kWarp];
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  if (lane == 0) partial[warp] = a;
  __syncthreads();
  a = lane < int(blockDim.x) / kWarp ? partial[lane] : MaxSum{-INFINITY, 0.0f};
  a = warp_merge(a);
  __syncthreads();
  return a;
}

// x, y are (rows, cols); y = softmax(x) (log == false) or log_softmax(x). y may alias x.
template <bool kBlock, bool kLog>
__global__ void softmax_forward_kernel(int64_t rows, int64_t cols, const float* x, float* y) {
  for (int64_t r = first_row<kBlock>(); r < rows; r += row_stride<kBlock>()) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    MaxSum st = row_stats<kBlock>(xr, cols);
    if (kLog) {
      // (x - m) - log s, in that order: m + log s rounds away log s for huge logits.
      const float log_s = logf(st.s);
      for (int64_t c = team_rank<kBlock>(); c < cols; c += team_size<kBlock>())
        yr[c] = (xr[c] - st.m) - log_s;
    } else {
      const float inv = 1.0f / st.s;
      for (int64_t c = team_rank<kBlock>(); c < cols; c += team_size<kBlock>())
        yr[c] = expf(xr[c] - st.m) * inv;
    }
  }
}

// y, dy, dx are (rows, cols). softmax: dx = y * (dy - sum(dy * y));
// log_softmax: dx = dy - exp(y) * sum(dy). dx may alias dy.
template <bool kBlock, bool kLog>
__global__ void softmax_backward_kernel(int64_t rows, int64_t cols, const float* y,
                                        const float* dy, float* dx) {
  for (int64_t r = first_row<kBlock>(); r < rows; r += row_stride<kBlock>()) {
    const float* yr = y + r * cols;
    const float* gr = dy + r * cols;
    float* dr = dx + r * cols;
    float part = 0.0f;
    for (int64_t c = team_rank<kBlock>(); c < cols; c += team_size<kBlock>())
      part = kLog ? part + gr[c] : fmaf(gr[c], yr[c], part);
    const float total = team_sum<kBlock>(part);
    for (int64_t c = team_rank<kBlock>(); c < cols; c += team_size<kBlock>())
      dr[c] = kLog ? fmaf(-expf(yr[c]), total, gr[c]) : yr[c] * (gr[c] - total);
  }
}

// logits, dlogits are (rows, cols), labels (rows). Per row: row_loss[r] = log-sum-exp - x[label]
// (in double), bad[r] = 1 when the label is outside [0, cols) (that row then has no one-hot
// term and a zero loss: the launcher fails the call), and dlogits = (softmax - onehot) / rows.
template <bool kBlock>
__global__ void xent_rows_kernel(int64_t rows, int64_t cols, const float* x,
                                 const int32_t* labels, float* dlogits, double* row_loss,
                                 int32_t* bad) {
  const float inv_rows = static_cast<float>(1.0 / static_cast<double>(rows));
  for (int64_t r = first_row<kBlock>(); r < rows; r += row_stride<kBlock>()) {
    const float* xr = x + r * cols;
    MaxSum st = row_stats<kBlock>(xr, cols);
    const int32_t label = labels[r];
    const bool ok = label >= 0 && label < cols;
    if (team_rank<kBlock>() == 0) {
      bad[r] = ok ? 0 : 1;
      // (m - x[label]) + log s: even in double, m + log s drops log s when m is near 3e38.
      row_loss[r] = ok ? (double(st.m) - double(xr[label])) + log(double(st.s)) : 0.0;
    }
    if (dlogits != nullptr) {
      float* dr = dlogits + r * cols;
      const float scale = inv_rows / st.s;
      for (int64_t c = team_rank<kBlock>(); c < cols; c += team_size<kBlock>()) {
        float d = expf(xr[c] - st.m) * scale;
        if (c == label) d -= inv_rows;
        dr[c] = d;
      }
    }
  }
}

// One block of kMeanThreads: loss[0] = mean of row_loss (in double, a fixed-order tree), and
// result[0] = the first row with a bad label, or -1; loss is written only when there is none.
constexpr int kMeanThreads = 256;
__global__ void xent_mean_kernel(int64_t rows, const double* row_loss, const int32_t* bad,
                                 float* loss, long long* result) {
  __shared__ double sum[kMeanThreads];
  __shared__ long long first[kMeanThreads];
  const int t = threadIdx.x;
  double s = 0.0;
  long long f = -1;
  for (int64_t r = t; r < rows; r += kMeanThreads) {
    s += row_loss[r];
    if (bad[r] != 0 && f < 0) f = r;
  }
  sum[t] = s;
  first[t] = f;
  __syncthreads();
  for (int half = kMeanThreads / 2; half > 0; half /= 2) {
    if (t < half) {
      sum[t] += sum[t + half];
      long long o = first[t + half];
      if (o >= 0 && (first[t] < 0 || o < first[t])) first[t] = o;
    }
    __syncthreads();
  }
  if (t == 0) {
    result[0] = first[0];
    if (first[0] < 0) loss[0] = static_cast<float>(sum[0] / static_cast<double>(rows));
  }
}

// ---------------------------------------------------------------- launchers

namespace {

constexpr int64_t kWarpRowMax = 1024;  // rows up to this long get a warp, longer ones a block
constexpr int kRowsPerBlock = 8;       // warps per block in warp-per-row kernels
constexpr int kBlockThreads = 256;     // threads per row in block-per-row kernels

// Launches kernel_warp or kernel_block over rows of cols columns (nothing when empty).
template <typename... Params, typename... Args>
nv_status launch_rows(nv_ctx* ctx, const char* fn, int64_t rows, int64_t cols,
                      void (*kernel_warp)(Params...), void (*kernel_block)(Params...),
                      Args... args) {
  if (rows == 0 || cols == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  if (cols <= kWarpRowMax)
    return gpu::launch(fn, kernel_warp, dim3(grid_for(ctx, rows, kRowsPerBlock)),
                       dim3(kWarp, kRowsPerBlock), 0, stream_of(ctx), args...);
  return gpu::launch(fn, kernel_block, dim3(grid_for(ctx, rows, 1)), dim3(kBlockThreads), 0,
                     stream_of(ctx), args...);
}

}  // namespace

NV_KERNEL_DEF(softmax_forward_f32) {
  // x, y are (rows, cols)
  return launch_rows(ctx, "nv_softmax_forward_f32", rows, cols,
                     softmax_forward_kernel<false, false>,
                     softmax_forward_kernel<true, false>, rows, cols, x, y);
}

NV_KERNEL_DEF(log_softmax_forward_f32) {
  // x, y are (rows, cols)
  return launch_rows(ctx, "nv_log_softmax_forward_f32", rows, cols,
                     softmax_forward_kernel<false, true>,
                     softmax_forward_kernel<true, true>, rows, cols, x, y);
}

NV_KERNEL_DEF(softmax_backward_f32) {
  // y, dy, dx are (rows, cols)
  return launch_rows(ctx, "nv_softmax_backward_f32", rows, cols,
                     softmax_backward_kernel<false, false>,
                     softmax_backward_kernel<true, false>, rows, cols, y, dy, dx);
}

NV_KERNEL_DEF(log_softmax_backward_f32) {
  // y, dy, dx are (rows, cols)
  return launch_rows(ctx, "nv_log_softmax_backward_f32", rows, cols,
                     softmax_backward_kernel<false, true>,
                     softmax_backward_kernel<true, true>, rows, cols, y, dy, dx);
}

NV_KERNEL_DEF(softmax_xent_f32) {
  // logits, dlogits are (rows, cols), labels (rows), loss (1); rows, cols >= 1
  const char* fn = "nv_softmax_xent_f32";
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  // Scratch: row_loss (rows doubles), bad (rows int32), result (one int64).
  const int64_t bad_at = rows * 8, result_at = bad_at + ((rows * 4 + 7) / 8) * 8;
  void* scratch_mem = nullptr;
  s = scratch(ctx, result_at + 8, &scratch_mem, fn);
  if (s != NV_OK) return s;
  char* base = static_cast<char*>(scratch_mem);
  double* row_loss = reinterpret_cast<double*>(base);
  int32_t* bad = reinterpret_cast<int32_t*>(base + bad_at);
  long long* result = reinterpret_cast<long long*>(base + result_at);
  s = launch_rows(ctx, fn, rows, cols, xent_rows_kernel<false>, xent_rows_kernel<true>, rows,
                  cols, logits, labels, dlogits, row_loss, bad);
  if (s != NV_OK) return s;
  s = gpu::launch(fn, xent_mean_kernel, dim3(1), dim3(kMeanThreads), 0, stream_of(ctx), rows,
                  static_cast<const double*>(row_loss), static_cast<const int32_t*>(bad), loss,
                  result);
  if (s != NV_OK) return s;
  // The one host synchronisation: did any label fall outside [0, cols)?
  long long first_bad = -1;
  s = check_cuda(cudaMemcpyAsync(&first_bad, result, sizeof first_bad, cudaMemcpyDeviceToHost,
                                 stream_of(ctx)),
                 fn, "cudaMemcpyAsync (label check)");
  if (s != NV_OK) return s;
  s = check_cuda(cudaStreamSynchronize(stream_of(ctx)), fn, "cudaStreamSynchronize");
  if (s != NV_OK) return s;
  if (first_bad < 0) return NV_OK;
  int32_t label = 0;
  s = check_cuda(cudaMemcpyAsync(&label, labels + first_bad, sizeof label,
                                 cudaMemcpyDeviceToHost, stream_of(ctx)),
                 fn, "cudaMemcpyAsync (bad label)");
  if (s == NV_OK) s = check_cuda(cudaStreamSynchronize(stream_of(ctx)), fn, "cudaStreamSynchronize");
  if (s != NV_OK) return s;
  return fail(NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32: label %d at row %lld is outside [0, %lld)",
              label, first_bad, static_cast<long long>(cols));
}

}  // namespace NV_CUDA_NS
}  // namespace nv
