// Fill: the first CUDA kernel. The CUDA backend proper (every kernel family, the device
// allocator, streams, cuda-sim) is issue 3; this file proves the toolchain and the launch path.
#include <cstdint>

#include "cuda/cuda_kernels.h"
#include "cuda/launch.cuh"

namespace nv {
namespace cuda {

namespace {

// Grid-stride loop: any n with a bounded grid.
__global__ void fill_f32_kernel(int64_t n, float value, float* y) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = value;
}

}  // namespace

nv_status fill_f32(cudaStream_t stream, int64_t n, float value, float* y) {
  if (n == 0) return NV_OK;
  constexpr int kBlock = 256;
  int64_t blocks = (n + kBlock - 1) / kBlock;
  if (blocks > 65536) blocks = 65536;
  return launch("nv_fill_f32", fill_f32_kernel, dim3(unsigned(blocks)), dim3(kBlock), 0, stream, n, value, y);
}

}  // namespace cuda
}  // namespace nv
