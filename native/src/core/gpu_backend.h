// The GPU backends as a table of functions. The CUDA backend (nvcc) and cuda-sim (the same .cu
// sources compiled by g++ against our SIMT layer) each fill one; nv_ctx points at its backend's
// table, and the api/ entry points call through it after their argument checks. The arguments
// are those of the nv_* functions (already validated); pointers are device pointers.
//
// Plain C++ on purpose: api/ and core/ include it without any CUDA header.
#pragma once
#include <cstdint>

#include "conv_shape.h"
#include "nerve.h"

namespace nv {

struct GpuBackend {
  const char* name;  // "cuda" or "cuda-sim"

  // ---- device, context state, memory
  // Number of usable devices (0 when there is no driver or GPU; cuda-sim has one).
  int32_t (*device_count)();
  // Describes device i: name, compute capability, total memory (for `nerve info`).
  nv_status (*device_info)(int32_t device, char* name, int32_t name_len, int32_t* major,
                           int32_t* minor, int64_t* total_bytes);
  // Creates the per-context state (stream, caching allocator, scratch) in ctx->gpu_state.
  nv_status (*init)(nv_ctx* ctx, int32_t device);
  void (*shutdown)(nv_ctx* ctx);
  nv_status (*alloc)(nv_ctx* ctx, int64_t bytes, void** out);
  nv_status (*free)(nv_ctx* ctx, void* ptr);
  // stats[0..3] as nv_memory_stats; stats[2] is cached device bytes.
  nv_status (*memory_stats)(nv_ctx* ctx, int64_t* stats);
  nv_status (*release_cached)(nv_ctx* ctx);
  nv_status (*copy_to_device)(nv_ctx* ctx, void* dst, const void* host_src, int64_t bytes);
  nv_status (*copy_to_host)(nv_ctx* ctx, void* host_dst, const void* src, int64_t bytes);
  nv_status (*synchronize)(nv_ctx* ctx);
  // The context's stream as an opaque handle (cudaStream_t), for interop.
  void* (*stream)(nv_ctx* ctx);

  // ---- kernels (one per nv_* kernel function)
  nv_status (*copy_strided)(nv_ctx* ctx, int32_t elem_size, int32_t ndim, const int64_t* shape,
                            const void* src, const int64_t* src_strides, void* dst,
                            const int64_t* dst_strides);
  nv_status (*fill_f32)(nv_ctx* ctx, int64_t n, float value, float* y);
  nv_status (*fill_i32)(nv_ctx* ctx, int64_t n, int32_t value, int32_t* y);
  nv_status (*cast_i32_f32)(nv_ctx* ctx, int64_t n, const int32_t* x, float* y);
  nv_status (*cast_f32_i32)(nv_ctx* ctx, int64_t n, const float* x, int32_t* y);
  nv_status (*rand_uniform_f32)(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float lo,
                                float hi, float* y);
  nv_status (*rand_normal_f32)(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float mean,
                               float stddev, float* y);
  nv_status (*gemm_f32)(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                        float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                        float beta, float* C, int64_t ldc);
  nv_status (*gemm_strided_batched_f32)(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M,
                                        int64_t N, int64_t K, float alpha, const float* A,
                                        int64_t lda, int64_t stride_a, const float* B,
                                        int64_t ldb, int64_t stride_b, float beta, float* C,
                                        int64_t ldc, int64_t stride_c, int64_t batch);
  nv_status (*unary_f32)(nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y,
                         float alpha, float beta);
  nv_status (*unary_backward_f32)(nv_ctx* ctx, int32_t op, int64_t n, const float* x,
                                  const float* y, const float* dy, float* dx, float alpha,
                                  float beta);
  nv_status (*binary_f32)(nv_ctx* ctx, int32_t op, bool compare, int32_t ndim,
                          const int64_t* shape, const float* a, const int64_t* a_strides,
                          const float* b, const int64_t* b_strides, float* out);
  nv_status (*reduce_f32)(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                          const float* x, float* out);
  nv_status (*argmax_f32)(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                          int32_t* out);
  nv_status (*softmax_forward_f32)(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                   float* y);
  nv_status (*softmax_backward_f32)(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                    const float* dy, float* dx);
  nv_status (*log_softmax_forward_f32)(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                       float* y);
  nv_status (*log_softmax_backward_f32)(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                        const float* dy, float* dx);
  // Labels live on the device: an out-of-range label is detected on the device and reported
  // through a flag the launcher reads back (the one host synchronisation of this call).
  nv_status (*softmax_xent_f32)(nv_ctx* ctx, int64_t rows, int64_t cols, const float* logits,
                                const int32_t* labels, float* loss, float* dlogits);
  // Pointer arrays are HOST arrays of device pointers (count entries each).
  nv_status (*sgd_step_f32)(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w,
                            float** g, float** buf, float lr, float momentum, float dampening,
                            float weight_decay, bool nesterov, bool first_step);
  nv_status (*rmsprop_step_f32)(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w,
                                float** g, float** sq, float** buf, float lr, float alpha,
                                float eps, float weight_decay, float momentum);
  nv_status (*adam_step_f32)(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w,
                             float** g, float** m, float** v, float lr, float beta1, float beta2,
                             float eps, float weight_decay, bool decoupled, int64_t step);
  // ---- recurrent cells and row gather/scatter (rnn.cu, index.cu). The gather/scatter
  // indices live on the device: a bad one is flagged there and read back, as xent's labels.
  nv_status (*lstm_cell_forward_f32)(nv_ctx* ctx, int64_t B, int64_t H, const float* gx,
                                     const float* gh, const float* c_prev, float* h, float* c,
                                     float* saved);
  nv_status (*lstm_cell_backward_f32)(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                      const float* c_prev, const float* c, const float* dh,
                                      const float* dc, float* dgates, float* dc_prev);
  nv_status (*gru_cell_forward_f32)(nv_ctx* ctx, int64_t B, int64_t H, const float* gi,
                                    const float* gh, const float* h_prev, float* h,
                                    float* saved);
  nv_status (*gru_cell_backward_f32)(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                     const float* h_prev, const float* dh, float* dgi,
                                     float* dgh, float* dh_prev);
  nv_status (*gather_rows_f32)(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                               const float* table, const int32_t* idx, float* out);
  nv_status (*scatter_add_rows_f32)(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                                    const float* src, const int32_t* idx, float* table);

  // ---- convolution, pooling, batch norm, dropout (shapes validated by api/conv.cpp)
  nv_status (*conv2d_forward_f32)(nv_ctx* ctx, const ConvShape& s, const float* x,
                                  const float* w, const float* bias, float* y);
  nv_status (*conv2d_backward_data_f32)(nv_ctx* ctx, const ConvShape& s, const float* dy,
                                        const float* w, float* dx);
  nv_status (*conv2d_backward_filter_f32)(nv_ctx* ctx, const ConvShape& s, const float* x,
                                          const float* dy, float* dw, float* dbias);
  nv_status (*max_pool2d_forward_f32)(nv_ctx* ctx, const PoolShape& s, const float* x,
                                      float* y, int32_t* argmax);
  nv_status (*max_pool2d_backward_f32)(nv_ctx* ctx, const PoolShape& s, const float* dy,
                                       const int32_t* argmax, float* dx);
  nv_status (*avg_pool2d_forward_f32)(nv_ctx* ctx, const PoolShape& s, const float* x,
                                      float* y);
  nv_status (*avg_pool2d_backward_f32)(nv_ctx* ctx, const PoolShape& s, const float* dy,
                                       float* dx);
  nv_status (*batch_norm_forward_f32)(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW,
                                      const float* x, const float* gamma, const float* beta,
                                      float* running_mean, float* running_var, float momentum,
                                      float eps, bool training, float* y, float* save_mean,
                                      float* save_invstd);
  nv_status (*batch_norm_backward_f32)(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW,
                                       const float* x, const float* dy, const float* gamma,
                                       const float* save_mean, const float* save_invstd,
                                       bool training, float* dx, float* dgamma, float* dbeta);
  nv_status (*dropout_forward_f32)(nv_ctx* ctx, int64_t n, float p, uint64_t seed,
                                   uint64_t offset, const float* x, float* y, float* mask);
  nv_status (*dropout_backward_f32)(nv_ctx* ctx, int64_t n, const float* dy, const float* mask,
                                    float* dx);
};

// The tables; nullptr when the backend is not part of this build.
const GpuBackend* cuda_backend();
const GpuBackend* cudasim_backend();

}  // namespace nv
