// The one place kernels are launched from (DESIGN.md section 4): kernel files never use <<<>>>
// directly, so cuda-sim can replace this helper with its fiber scheduler.
#pragma once
#include <cuda_runtime.h>

#include "core/error.h"

namespace nv {
namespace cuda {

template <typename... Params, typename... Args>
nv_status launch(const char* op, void (*kernel)(Params...), dim3 grid, dim3 block, size_t shared_bytes,
                 cudaStream_t stream, Args... args) {
  kernel<<<grid, block, shared_bytes, stream>>>(args...);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    return fail(NV_ERR_INTERNAL, "%s: kernel launch failed (grid %u, block %u): %s", op, grid.x, block.x,
                cudaGetErrorString(err));
  }
  return NV_OK;
}

}  // namespace cuda
}  // namespace nv
