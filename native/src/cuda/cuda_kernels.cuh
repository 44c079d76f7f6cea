// The CUDA backend's internals shared by its .cu files: the per-context state (stream, caching
// device allocator, scratch), small device helpers (warp reductions, 16-byte vectors), and the
// launchers each family file defines. backend.cu puts the launchers into the GpuBackend table.
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

inline State& state(nv_ctx* ctx) { return *static_cast<State*>(ctx->gpu_state); }
inline cudaStream_t stream_of(nv_ctx* ctx) { return state(ctx).stream; }

// Returns NV_OK, or fails with "op: what: <CUDA error string>".
nv_status check_cuda(cudaError_t err, const char* op, const char* what);
// Makes the context's device current on this thread (a no-op with one device).
nv_status activate(nv_ctx* ctx, const char* op);
// At least `bytes` of scratch device memory, valid until the next scratch() call on ctx.
nv_status scratch(nv_ctx* ctx, int64_t bytes, void** out, const char* op);
// Blocks for a 1-D grid-stride loop over n elements: enough to fill the device, no more.
unsigned grid_for(nv_ctx* ctx, int64_t n, int threads);

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
// One per GpuBackend kernel entry (see core/gpu_backend.h for the arguments).

// fill.cu
nv_status copy_strided(nv_ctx* ctx, int32_t elem_size, int32_t ndim, const int64_t* shape,
                       const void* src, const int64_t* src_strides, void* dst,
                       const int64_t* dst_strides);
nv_status fill_f32(nv_ctx* ctx, int64_t n, float value, float* y);
nv_status fill_i32(nv_ctx* ctx, int64_t n, int32_t value, int32_t* y);
nv_status cast_i32_f32(nv_ctx* ctx, int64_t n, const int32_t* x, float* y);
nv_status cast_f32_i32(nv_ctx* ctx, int64_t n, const float* x, int32_t* y);
nv_status rand_uniform_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float lo,
                           float hi, float* y);
nv_status rand_normal_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float mean,
                          float stddev, float* y);

// gemm.cu
nv_status gemm_f32(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                   float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                   float beta, float* C, int64_t ldc);
nv_status gemm_strided_batched_f32(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M,
                                   int64_t N, int64_t K, float alpha, const float* A,
                                   int64_t lda, int64_t stride_a, const float* B, int64_t ldb,
                                   int64_t stride_b, float beta, float* C, int64_t ldc,
                                   int64_t stride_c, int64_t batch);

// elementwise.cu
nv_status unary_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y, float alpha,
                    float beta);
nv_status unary_backward_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x,
                             const float* y, const float* dy, float* dx, float alpha,
                             float beta);
nv_status binary_f32(nv_ctx* ctx, int32_t op, bool compare, int32_t ndim, const int64_t* shape,
                     const float* a, const int64_t* a_strides, const float* b,
                     const int64_t* b_strides, float* out);

// reduce.cu
nv_status reduce_f32(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                     const float* x, float* out);
nv_status argmax_f32(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                     int32_t* out);

// softmax.cu
nv_status softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                              float* y);
nv_status softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                               const float* dy, float* dx);
nv_status log_softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                  float* y);
nv_status log_softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                   const float* dy, float* dx);
nv_status softmax_xent_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* logits,
                           const int32_t* labels, float* loss, float* dlogits);

// optim.cu
nv_status sgd_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                       float** buf, float lr, float momentum, float dampening,
                       float weight_decay, bool nesterov, bool first_step);
nv_status rmsprop_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w,
                           float** g, float** sq, float** buf, float lr, float alpha, float eps,
                           float weight_decay, float momentum);
nv_status adam_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                        float** m, float** v, float lr, float beta1, float beta2, float eps,
                        float weight_decay, bool decoupled, int64_t step);

// rnn.cu
nv_status lstm_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gx,
                                const float* gh, const float* c_prev, float* h, float* c,
                                float* saved);
nv_status lstm_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                 const float* c_prev, const float* c, const float* dh,
                                 const float* dc, float* dgates, float* dc_prev);
nv_status gru_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gi,
                               const float* gh, const float* h_prev, float* h, float* saved);
nv_status gru_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                const float* h_prev, const float* dh, float* dgi, float* dgh,
                                float* dh_prev);

// index.cu
nv_status gather_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim, const float* table,
                          const int32_t* idx, float* out);
nv_status scatter_add_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                               const float* src, const int32_t* idx, float* table);

// conv.cu
nv_status conv2d_forward_f32(nv_ctx* ctx, const ConvShape& s, const float* x, const float* w,
                             const float* bias, float* y);
nv_status conv2d_backward_data_f32(nv_ctx* ctx, const ConvShape& s, const float* dy,
                                   const float* w, float* dx);
nv_status conv2d_backward_filter_f32(nv_ctx* ctx, const ConvShape& s, const float* x,
                                     const float* dy, float* dw, float* dbias);
nv_status max_pool2d_forward_f32(nv_ctx* ctx, const PoolShape& s, const float* x, float* y,
                                 int32_t* argmax);
nv_status max_pool2d_backward_f32(nv_ctx* ctx, const PoolShape& s, const float* dy,
                                  const int32_t* argmax, float* dx);
nv_status avg_pool2d_forward_f32(nv_ctx* ctx, const PoolShape& s, const float* x, float* y);
nv_status avg_pool2d_backward_f32(nv_ctx* ctx, const PoolShape& s, const float* dy, float* dx);
nv_status batch_norm_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x,
                                 const float* gamma, const float* beta, float* running_mean,
                                 float* running_var, float momentum, float eps, bool training,
                                 float* y, float* save_mean, float* save_invstd);
nv_status batch_norm_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x,
                                  const float* dy, const float* gamma, const float* save_mean,
                                  const float* save_invstd, bool training, float* dx,
                                  float* dgamma, float* dbeta);
nv_status dropout_forward_f32(nv_ctx* ctx, int64_t n, float p, uint64_t seed, uint64_t offset,
                              const float* x, float* y, float* mask);
nv_status dropout_backward_f32(nv_ctx* ctx, int64_t n, const float* dy, const float* mask,
                               float* dx);

}  // namespace NV_CUDA_NS
}  // namespace nv
