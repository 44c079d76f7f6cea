// The CUDA backend's internals shared by its .cu files: the per-context state (stream, caching
// device allocator, scratch), small device helpers (warp reductions, 16-byte vectors), and the
// launchers each family file defines. backend.cu puts the launchers into the backend table.
// Launchers get arguments the api/ layer has validated; they return NV_OK or the failure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>

#include "cuda/cuda_common.cuh"

// ---------------------------------------------------------------- portability macros
// The same kernel text compiles under nvcc and under cuda-sim (g++); these hide the few
// spellings g++ does not know.
#ifdef NERVE_CUDA_SIM
#define NV_UNROLL
#define NV_LAUNCH_BOUNDS(n)
#else
#define NV_UNROLL _Pragma("unroll")
#define NV_LAUNCH_BOUNDS(n) __launch_bounds__(n)
#endif

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- per-context state

// A PyTorch-style caching allocator for one device and one stream: sizes are rounded (512 B
// below 1 MiB, 2 MiB above), freed blocks go to a size-ordered cache and are handed out again
// without cudaFree / cudaMalloc. Reuse is safe because every kernel of the context runs on
// its one stream, in order. Counts are in rounded bytes (what the device really holds).
class DeviceAllocator {
 public:
  ~DeviceAllocator();
  // cudaMalloc failures release the cache and retry once; returns the CUDA error.
  cudaError_t allocate(int64_t bytes, void** out);
  bool release(void* ptr);  // false when ptr is not a live block of this allocator
  void release_cached();
  void stats(int64_t* out) const;  // live, peak, cached bytes, live blocks

 private:
  struct Block {
    size_t size;       // rounded size, what cudaMalloc gave
    size_t requested;  // bytes the caller asked for
  };
  mutable std::mutex mu_;
  std::unordered_map<void*, Block> live_;
  std::multimap<size_t, void*> cached_;  // size -> block
  int64_t live_bytes_ = 0, peak_bytes_ = 0, cached_bytes_ = 0;
};

struct State {
  int32_t device = 0;
  cudaStream_t stream = nullptr;
  int32_t sm_count = 1;
  int32_t cc_major = 0;  // compute capability
  DeviceAllocator alloc;
  // Scratch memory for kernels that need it (xent's per-row losses); grows, never shrinks.
  void* scratch = nullptr;
  int64_t scratch_bytes = 0;
};

inline State& state(nv_ctx* ctx) { return *static_cast<State*>(ctx->backend_state); }
inline cudaStream_t stream_of(nv_ctx* ctx) { return state(ctx).stream; }

// Returns NV_OK, or fails with "op: what: <CUDA error string>".
nv_status check_cuda(cudaError_t err, const char* op, const char* what);
// Makes the context's device current on this thread (a no-op with one device).
nv_status activate(nv_ctx* ctx, const char* op);
// At least `bytes` of scratch device memory, valid until the next scratch() call on ctx.
nv_status scratch(nv_ctx* ctx, int64_t bytes, void** out, const char* op);
// Blocks for a 1-D grid-stride loop over n elements: enough to fill the device, no more.
unsigned grid_for(nv_ctx* ctx, int64_t n, int threads);

// The launch of a 1-D grid-stride kernel over n work items, `threads` per block, as most
// launchers do it: nothing when n == 0, else the context's device made current and kernel
// queued on the context's stream with args. fn names the nv_* function in errors.
template <typename... Params, typename... Args>
nv_status launch_1d(nv_ctx* ctx, const char* fn, int64_t n, int threads,
                    void (*kernel)(Params...), Args... args) {
  if (n == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  return gpu::launch(fn, kernel, dim3(grid_for(ctx, n, threads)), dim3(threads), 0,
                     stream_of(ctx), args...);
}

// ---------------------------------------------------------------- device helpers

// 16-byte vector for aligned loads and stores.
using f4 = float4;

constexpr int kWarp = 32;
constexpr unsigned kFullMask = 0xffffffffu;

// Deterministic warp reductions (butterfly: every lane ends with the result).
__device__ __forceinline__ float warp_sum(float v) {
  for (int off = kWarp / 2; off > 0; off /= 2) v += __shfl_xor_sync(kFullMask, v, off);
  return v;
}
__device__ __forceinline__ float warp_max(float v) {
  for (int off = kWarp / 2; off > 0; off /= 2) {
    float o = __shfl_xor_sync(kFullMask, v, off);
    v = o > v ? o : v;
  }
  return v;
}

// Reads H consecutive floats of shared memory (16-byte vectors when H is a multiple of 4; s
// 16-byte aligned then): the GEMM-shaped kernels' inner loops.
template <int H>
__device__ __forceinline__ void read_half(const float* s, float* out) {
  if constexpr (H % 4 == 0) {
    NV_UNROLL
    for (int i = 0; i < H; i += 4) {
      f4 v = *reinterpret_cast<const f4*>(s + i);
      out[i] = v.x;
      out[i + 1] = v.y;
      out[i + 2] = v.z;
      out[i + 3] = v.w;
    }
  } else {
    NV_UNROLL
    for (int i = 0; i < H; ++i) out[i] = s[i];
  }
}

// Products and sums the compiler may not fuse into an FMA, where a result must match the
// CPU bit for bit (random numbers).
__device__ __forceinline__ float mul_rn(float a, float b) {
#ifdef __CUDA_ARCH__
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
__device__ __forceinline__ float add_rn(float a, float b) {
#ifdef __CUDA_ARCH__
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}

// ---------------------------------------------------------------- launchers
// Every kernel of core/kernels.h, defined (NV_KERNEL_DEF) in the family files: fill.cu, gemm.cu,
// gemm_tf32.cu, elementwise.cu, reduce.cu, softmax.cu, optim.cu, rnn.cu, index.cu, conv.cu.
// backend.cu puts them into the table.
NV_DECLARE_KERNELS

// gemm_tf32.cu: sm_80 or newer (cuda-sim emulates an sm_90).
bool tf32_supported(nv_ctx* ctx);

}  // namespace NV_CUDA_NS
}  // namespace nv
