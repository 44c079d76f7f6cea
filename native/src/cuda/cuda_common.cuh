// Included first by every file in src/cuda/. The same sources build twice:
//  - by nvcc, for the CUDA backend (namespace nv::cuda, table nv::cuda_backend());
//  - by g++ with NERVE_CUDA_SIM defined, against our SIMT layer in sim/ (namespace nv::cudasim,
//    table nv::cudasim_backend()), so every kernel runs in CI on the CPU, under ASan.
// Kernel files therefore use only what both provide: the CUDA builtins the sim layer emulates
// (threadIdx, __syncthreads, __shfl_*_sync, __ballot_sync, atomics, ...), launches through
// nv::gpu::launch (never <<<>>>), dynamic shared memory through nv::gpu::dynamic_shared<T>(), and
// tensor-core fragments through the wrappers in mma.cuh.
#pragma once

#ifdef NERVE_CUDA_SIM
#include "cuda/sim/cuda_sim.h"
#define NV_CUDA_NS cudasim
#else
#include <cuda_runtime.h>
#define NV_CUDA_NS cuda
#endif

#include <cstdint>

#include "core/context.h"
#include "core/error.h"
#include "nerve.h"

namespace nv {
namespace gpu {

#ifdef NERVE_CUDA_SIM
using ::nv::sim::launch;
template <typename T>
inline T* dynamic_shared() {
  return static_cast<T*>(::nv::sim::dynamic_shared_memory());
}
#else
// Launches kernel on stream and checks the launch (not the kernel's completion).
template <typename... Params, typename... Args>
inline nv_status launch(const char* op, void (*kernel)(Params...), dim3 grid, dim3 block,
                        size_t shared_bytes, cudaStream_t stream, Args... args) {
  kernel<<<grid, block, shared_bytes, stream>>>(static_cast<Params>(args)...);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    return ::nv::fail(NV_ERR_INTERNAL, "%s: kernel launch failed (grid %u x %u x %u, block %u x %u x %u, %zu bytes of shared memory): %s",
                      op, grid.x, grid.y, grid.z, block.x, block.y, block.z, shared_bytes,
                      cudaGetErrorString(err));
  }
  return NV_OK;
}
template <typename T>
__device__ inline T* dynamic_shared() {
  extern __shared__ __align__(16) unsigned char nv_dynamic_smem[];
  return reinterpret_cast<T*>(nv_dynamic_smem);
}
#endif

}  // namespace gpu
}  // namespace nv
