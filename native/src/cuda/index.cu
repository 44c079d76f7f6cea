// Row gather (embedding lookup) and row scatter-add (its backward) on the GPU. The indices live
// on the device: a first kernel finds the first one outside [0, rows) (atomicMin over
// positions), the launcher reads that back (one host synchronisation) and fails the call before
// the copy kernel runs, as the CPU does. Scatter-add uses float atomics: sums of repeated
// indices are not in a fixed order.
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

namespace {

constexpr int kThreads = 256;

__global__ void first_bad_index_kernel(int64_t n, int64_t rows, const int32_t* idx,
                                       unsigned long long* first) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += int64_t(gridDim.x) * blockDim.x) {
    if (idx[i] < 0 || idx[i] >= rows) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

__global__ void gather_rows_kernel(int64_t n, int64_t dim, const float* table,
                                   const int32_t* idx, float* out) {
  const int64_t total = n * dim;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total;
       e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t i = e / dim, k = e - i * dim;
    out[e] = table[int64_t(idx[i]) * dim + k];
  }
}

__global__ void scatter_add_rows_kernel(int64_t n, int64_t dim, const float* src,
                                        const int32_t* idx, float* table) {
  const int64_t total = n * dim;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total;
       e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t i = e / dim, k = e - i * dim;
    atomicAdd(table + int64_t(idx[i]) * dim + k, src[e]);
  }
}

// NV_OK when every index is in [0, rows), else the failure naming the first bad one.
nv_status check_indices(nv_ctx* ctx, const char* fn, int64_t n, int64_t rows,
                        const int32_t* idx) {
  void* mem = nullptr;
  nv_status s = scratch(ctx, 8, &mem, fn);
  if (s != NV_OK) return s;
  auto* first = static_cast<unsigned long long*>(mem);
  s = check_cuda(cudaMemsetAsync(first, 0xff, sizeof *first, stream_of(ctx)), fn, "cudaMemsetAsync");
  if (s != NV_OK) return s;
  s = gpu::launch(fn, first_bad_index_kernel, dim3(grid_for(ctx, n, kThreads)), dim3(kThreads), 0,
                  stream_of(ctx), n, rows, idx, first);
  if (s != NV_OK) return s;
  unsigned long long bad = 0;
  s = check_cuda(cudaMemcpyAsync(&bad, first, sizeof bad, cudaMemcpyDeviceToHost, stream_of(ctx)),
                 fn, "cudaMemcpyAsync (index check)");
  if (s == NV_OK) s = check_cuda(cudaStreamSynchronize(stream_of(ctx)), fn, "cudaStreamSynchronize");
  if (s != NV_OK || bad == ~0ull) return s;
  int32_t value = 0;
  s = check_cuda(cudaMemcpyAsync(&value, idx + bad, sizeof value, cudaMemcpyDeviceToHost,
                                 stream_of(ctx)),
                 fn, "cudaMemcpyAsync (bad index)");
  if (s == NV_OK) s = check_cuda(cudaStreamSynchronize(stream_of(ctx)), fn, "cudaStreamSynchronize");
  if (s != NV_OK) return s;
  return fail(NV_ERR_INVALID_ARGUMENT, "%s: index %d at position %llu is outside [0, %lld)", fn,
              value, bad, static_cast<long long>(rows));
}

// What the two row ops share: nothing for n == 0; the indices checked on the device first, so
// a bad one fails before anything is written; then kernel over the n x dim elements.
template <typename... Params, typename... Args>
nv_status launch_row_op(nv_ctx* ctx, const char* fn, int64_t n, int64_t rows, int64_t dim,
                        const int32_t* idx, void (*kernel)(Params...), Args... args) {
  if (n == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s == NV_OK) s = check_indices(ctx, fn, n, rows, idx);
  if (s != NV_OK || dim == 0) return s;
  return gpu::launch(fn, kernel, dim3(grid_for(ctx, n * dim, kThreads)), dim3(kThreads), 0,
                     stream_of(ctx), args...);
}

}  // namespace

NV_KERNEL_DEF(gather_rows_f32) {
  // table (rows, dim), idx (n), out (n, dim)
  return launch_row_op(ctx, "nv_gather_rows_f32", n, rows, dim, idx, gather_rows_kernel, n, dim,
                       table, idx, out);
}

NV_KERNEL_DEF(scatter_add_rows_f32) {
  // src (n, dim), idx (n), table (rows, dim)
  return launch_row_op(ctx, "nv_scatter_add_rows_f32", n, rows, dim, idx,
                       scatter_add_rows_kernel, n, dim, src, idx, table);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
