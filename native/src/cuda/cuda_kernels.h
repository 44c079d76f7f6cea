// Host-side entry points of the CUDA kernels, one per kernel direction.
#pragma once
#include <cuda_runtime.h>
#include <cstdint>

#include "nerve.h"

namespace nv {
namespace cuda {

nv_status fill_f32(cudaStream_t stream, int64_t n, float value, float* y);

}  // namespace cuda
}  // namespace nv
