// Strided copies, fills, casts and counter-based random numbers on the GPU. All are
// memory-bound grid-stride loops; the random numbers use the CPU's Philox (cpu/philox.h), so
// element i has the same bits on every backend.
#include "core/strided_plan.h"
#include "cuda/cuda_kernels.cuh"
#include "cpu/philox.h"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// dst[i...] = src[i...], U-sized units, `units` of them per element.
template <typename U>
__global__ void copy_strided_kernel(StridedPlan p, int32_t units, const U* src, U* dst) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < p.total; i += stride) {
    int64_t rest = i, os = 0, od = 0;
    for (int d = p.ndim - 1; d >= 0; --d) {
      int64_t idx = rest % p.shape[d];
      rest /= p.shape[d];
      os += idx * p.sa[d];
      od += idx * p.sb[d];
    }
    const U* s = src + os * units;
    U* t = dst + od * units;
    for (int32_t u = 0; u < units; ++u) t[u] = s[u];
  }
}

template <typename T>
__global__ void fill_kernel(int64_t n, T value, T* y) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = value;
}

__global__ void cast_i32_f32_kernel(int64_t n, const int32_t* x, float* y) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    y[i] = static_cast<float>(x[i]);
}

// Truncation toward zero; NaN gives 0, out-of-range values saturate (as the CPU and Java).
__global__ void cast_f32_i32_kernel(int64_t n, const float* x, int32_t* y) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    float v = x[i];
    int32_t r;
    if (!(v == v)) r = 0;
    else if (v >= 2147483648.0f) r = INT32_MAX;
    else if (v <= -2147483648.0f) r = INT32_MIN;
    else r = static_cast<int32_t>(v);
    y[i] = r;
  }
}

// y[i] = lo + span * u(seed, offset + i), kept in [lo, hi); no FMA, to match the CPU bits.
__global__ void rand_uniform_kernel(int64_t n, uint64_t seed, uint64_t offset, float lo,
                                    float hi, float span, float* y) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    float u = philox_uniform01(seed, offset + static_cast<uint64_t>(i));
    float v = add_rn(lo, mul_rn(span, u));
    y[i] = v < hi ? v : lo;
  }
}

__global__ void rand_normal_kernel(int64_t n, uint64_t seed, uint64_t offset, float mean,
                                   float stddev, float* y) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    y[i] = add_rn(mean, mul_rn(stddev, philox_normal(seed, offset + static_cast<uint64_t>(i))));
}

// ---------------------------------------------------------------- launchers

namespace {

constexpr int kThreads = 256;

template <typename U>
nv_status launch_copy(nv_ctx* ctx, const StridedPlan& p, int32_t es, const void* src, void* dst) {
  return gpu::launch("nv_copy_strided", copy_strided_kernel<U>, dim3(grid_for(ctx, p.total, kThreads)),
                     dim3(kThreads), 0, stream_of(ctx), p, int32_t(es / int32_t(sizeof(U))),
                     static_cast<const U*>(src), static_cast<U*>(dst));
}

}  // namespace

NV_KERNEL_DEF(copy_strided) {
  // src, dst are (shape) with element strides src_strides, dst_strides; elem_size bytes an element
  StridedPlan p = make_strided_plan(ndim, shape, src_strides, dst_strides);  // a: src, b: dst
  if (p.total == 0) return NV_OK;
  nv_status s = activate(ctx, "nv_copy_strided");
  if (s != NV_OK) return s;
  if (p.ndim == 1 && p.sa[0] == 1 && p.sb[0] == 1)
    return check_cuda(cudaMemcpyAsync(dst, src, size_t(p.total) * size_t(elem_size),
                                      cudaMemcpyDeviceToDevice, stream_of(ctx)),
                      "nv_copy_strided", "cudaMemcpyAsync (device to device)");
  // The widest unit that divides the element size and both pointers' alignment.
  uintptr_t bits = uintptr_t(src) | uintptr_t(dst) | uintptr_t(elem_size);
  if (bits % 16 == 0) return launch_copy<f4>(ctx, p, elem_size, src, dst);
  if (bits % 8 == 0) return launch_copy<uint64_t>(ctx, p, elem_size, src, dst);
  if (bits % 4 == 0) return launch_copy<uint32_t>(ctx, p, elem_size, src, dst);
  if (bits % 2 == 0) return launch_copy<uint16_t>(ctx, p, elem_size, src, dst);
  return launch_copy<uint8_t>(ctx, p, elem_size, src, dst);
}

NV_KERNEL_DEF(fill_f32) {
  // y is (n)
  return launch_1d(ctx, "nv_fill_f32", n, kThreads, fill_kernel<float>, n, value, y);
}

NV_KERNEL_DEF(fill_i32) {
  // y is (n)
  return launch_1d(ctx, "nv_fill_i32", n, kThreads, fill_kernel<int32_t>, n, value, y);
}

NV_KERNEL_DEF(cast_i32_f32) {
  // x, y are (n)
  return launch_1d(ctx, "nv_cast_i32_f32", n, kThreads, cast_i32_f32_kernel, n, x, y);
}

NV_KERNEL_DEF(cast_f32_i32) {
  // x, y are (n)
  return launch_1d(ctx, "nv_cast_f32_i32", n, kThreads, cast_f32_i32_kernel, n, x, y);
}

NV_KERNEL_DEF(rand_uniform_f32) {
  // y is (n)
  return launch_1d(ctx, "nv_rand_uniform_f32", n, kThreads, rand_uniform_kernel,
                   n, seed, offset, lo, hi, hi - lo, y);
}

NV_KERNEL_DEF(rand_normal_f32) {
  // y is (n)
  return launch_1d(ctx, "nv_rand_normal_f32", n, kThreads, rand_normal_kernel,
                   n, seed, offset, mean, stddev, y);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
