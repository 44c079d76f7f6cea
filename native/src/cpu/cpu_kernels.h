// The CPU kernels behind nerve.h. The api/ layer has already validated every argument, so
// these functions assume sane sizes and non-NULL pointers; each picks its instruction set
// from ctx->isa and splits work over ctx->pool.
#pragma once
#include <cstdint>

#include "core/conv_shape.h"
#include "nerve.h"

namespace nv::cpu {

// fill.cpp
void copy_strided(nv_ctx* ctx, int32_t elem_size, int32_t ndim, const int64_t* shape,
                  const void* src, const int64_t* src_strides, void* dst,
                  const int64_t* dst_strides);
void fill_f32(nv_ctx* ctx, int64_t n, float value, float* y);
void fill_i32(nv_ctx* ctx, int64_t n, int32_t value, int32_t* y);
void cast_i32_f32(nv_ctx* ctx, int64_t n, const int32_t* x, float* y);
void cast_f32_i32(nv_ctx* ctx, int64_t n, const float* x, int32_t* y);
void rand_uniform_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float lo,
                      float hi, float* y);
void rand_normal_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float mean,
                     float stddev, float* y);

// gemm.cpp: C (M x N, row-major) = alpha op(A) op(B) + beta C.
void gemm_f32(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
              float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
              float* C, int64_t ldc);
void gemm_strided_batched_f32(nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N,
                              int64_t K, float alpha, const float* A, int64_t lda,
                              int64_t stride_a, const float* B, int64_t ldb, int64_t stride_b,
                              float beta, float* C, int64_t ldc, int64_t stride_c,
                              int64_t batch);
// A B operand that is never stored, only packed: pack() writes the panel
// dst[k * nr + c] = B(k0 + k, j0 + c) for k < kc, c < n, and zeros for n <= c < nr.
// (The convolution's column matrix, gathered from the image straight into the GEMM's panels.)
struct BPanelSource {
  virtual void pack(int64_t k0, int64_t j0, int64_t n, int64_t kc, int nr, float* dst) const = 0;

 protected:
  ~BPanelSource() = default;
};
// C (M x N) = A (M x K, row-major, lda) B + beta C, with B packed by b.
void gemm_f32_gathered_b(nv_ctx* ctx, int64_t M, int64_t N, int64_t K, const float* A,
                         int64_t lda, const BPanelSource& b, float beta, float* C, int64_t ldc);

// elementwise.cpp
void unary_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y, float alpha,
               float beta);
void unary_backward_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x, const float* y,
                        const float* dy, float* dx, float alpha, float beta);
// Broadcast through strides; compare == true writes op as NV_COMPARE_* and 1.0/0.0.
void binary_f32(nv_ctx* ctx, int32_t op, bool compare, int32_t ndim, const int64_t* shape,
                const float* a, const int64_t* a_strides, const float* b,
                const int64_t* b_strides, float* out);

// reduce.cpp: x is (outer, n, inner), out is (outer, inner).
void reduce_f32(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                const float* x, float* out);
void argmax_f32(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                int32_t* out);

// softmax.cpp: row-wise over (rows, cols).
void softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x, float* y);
void softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                          const float* dy, float* dx);
void log_softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                             float* y);
void log_softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                              const float* dy, float* dx);
// Validates the labels itself (they live in device memory); returns NV_OK or the failure.
nv_status softmax_xent_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* logits,
                           const int32_t* labels, float* loss, float* dlogits);

// optim.cpp
void sgd_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                  float** buf, float lr, float momentum, float dampening, float weight_decay,
                  bool nesterov, bool first_step);
void rmsprop_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                      float** sq, float** buf, float lr, float alpha, float eps,
                      float weight_decay, float momentum);
void adam_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                   float** m, float** v, float lr, float beta1, float beta2, float eps,
                   float weight_decay, bool decoupled, int64_t step);

// rnn.cpp: fused LSTM / GRU cells, arguments as nv_lstm_cell_* / nv_gru_cell_*.
void lstm_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gx, const float* gh,
                           const float* c_prev, float* h, float* c, float* saved);
void lstm_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                            const float* c_prev, const float* c, const float* dh,
                            const float* dc, float* dgates, float* dc_prev);
void gru_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gi, const float* gh,
                          const float* h_prev, float* h, float* saved);
void gru_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                           const float* h_prev, const float* dh, float* dgi, float* dgh,
                           float* dh_prev);

// index.cpp: validate the indices themselves (device memory); return NV_OK or the failure.
nv_status gather_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim, const float* table,
                          const int32_t* idx, float* out);
nv_status scatter_add_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                               const float* src, const int32_t* idx, float* table);

// conv.cpp: im2col + GEMM, scratch from ctx->workspace. Return NV_ERR_OUT_OF_MEMORY when the
// workspace cannot grow.
nv_status conv2d_forward_f32(nv_ctx* ctx, const ConvShape& s, const float* x, const float* w,
                             const float* bias, float* y);
nv_status conv2d_backward_data_f32(nv_ctx* ctx, const ConvShape& s, const float* dy,
                                   const float* w, float* dx);
nv_status conv2d_backward_filter_f32(nv_ctx* ctx, const ConvShape& s, const float* x,
                                     const float* dy, float* dw, float* dbias);

// pool.cpp
void max_pool2d_forward_f32(nv_ctx* ctx, const PoolShape& s, const float* x, float* y,
                            int32_t* argmax);
void max_pool2d_backward_f32(nv_ctx* ctx, const PoolShape& s, const float* dy,
                             const int32_t* argmax, float* dx);
void avg_pool2d_forward_f32(nv_ctx* ctx, const PoolShape& s, const float* x, float* y);
void avg_pool2d_backward_f32(nv_ctx* ctx, const PoolShape& s, const float* dy, float* dx);

// norm.cpp: batch norm over x (N, C, HW); dropout.
void batch_norm_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x,
                            const float* gamma, const float* beta, float* running_mean,
                            float* running_var, float momentum, float eps, bool training,
                            float* y, float* save_mean, float* save_invstd);
void batch_norm_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x,
                             const float* dy, const float* gamma, const float* save_mean,
                             const float* save_invstd, bool training, float* dx, float* dgamma,
                             float* dbeta);
void dropout_forward_f32(nv_ctx* ctx, int64_t n, float p, uint64_t seed, uint64_t offset,
                         const float* x, float* y, float* mask);
void dropout_backward_f32(nv_ctx* ctx, int64_t n, const float* dy, const float* mask,
                          float* dx);

}  // namespace nv::cpu
