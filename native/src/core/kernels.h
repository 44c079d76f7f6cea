// Every kernel of every backend, declared once.
//
// A kernel is what a backend must implement for one nv_* entry point: the arguments as the api/
// layer passes them after its checks (validated sizes, non-NULL pointers where the op needs them,
// trans flags as bool, convolution geometry as a ConvShape). Pointers are memory of the
// context's backend (host memory on the CPU, device memory on cuda and cuda-sim).
//
// From this one list come:
//  - the fields of the backend table (core/backend.h), one function pointer per kernel;
//  - each backend's declarations (NV_DECLARE_KERNELS inside namespace nv::cpu, nv::cuda,
//    nv::cudasim);
//  - each backend's table fill (NV_FILL_BACKEND in core/backend.h);
//  - the test that no table entry is empty (tests/test_backend_tables.cpp).
// A backend defines a kernel with NV_KERNEL_DEF(name) { ... }: the parameters below, by name.
//
// To add a kernel: one NV_KERNEL_<name> line in its family below, its name in NV_KERNELS, an
// NV_KERNEL_DEF in cpu/<family>.cpp and in cuda/<family>.cu, and the nv_* entry point in
// api/<family>.cpp (nerve.h) that checks the arguments and calls ctx->backend-><name>.
#pragma once
#include <cstdint>

#include "core/conv_shape.h"
#include "nerve.h"

// ---------------------------------------------------------------- fill, copy, cast, random
#define NV_KERNEL_copy_strided (nv_ctx* ctx, int32_t elem_size, int32_t ndim, const int64_t* shape, const void* src, const int64_t* src_strides, void* dst, const int64_t* dst_strides)
#define NV_KERNEL_fill_f32 (nv_ctx* ctx, int64_t n, float value, float* y)
#define NV_KERNEL_fill_i32 (nv_ctx* ctx, int64_t n, int32_t value, int32_t* y)
#define NV_KERNEL_cast_i32_f32 (nv_ctx* ctx, int64_t n, const int32_t* x, float* y)
#define NV_KERNEL_cast_f32_i32 (nv_ctx* ctx, int64_t n, const float* x, int32_t* y)
#define NV_KERNEL_rand_uniform_f32 (nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float lo, float hi, float* y)
#define NV_KERNEL_rand_normal_f32 (nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float mean, float stddev, float* y)

// ---------------------------------------------------------------- GEMM
// gemm_strided_batched_f32 gets batch >= 1. gemm_tf32_f32 is the TF32 tensor-core GEMM behind
// nv_internal_gemm_tf32_f32 (backends without tensor cores answer NV_ERR_UNSUPPORTED).
#define NV_KERNEL_gemm_f32 (nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc)
#define NV_KERNEL_gemm_strided_batched_f32 (nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda, int64_t stride_a, const float* B, int64_t ldb, int64_t stride_b, float beta, float* C, int64_t ldc, int64_t stride_c, int64_t batch)
#define NV_KERNEL_gemm_tf32_f32 (nv_ctx* ctx, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda, int64_t stride_a, const float* B, int64_t ldb, int64_t stride_b, float beta, float* C, int64_t ldc, int64_t stride_c, int64_t batch)

// ---------------------------------------------------------------- elementwise
// binary_f32 serves nv_binary_f32 and nv_compare_f32: compare == true reads op as NV_COMPARE_*
// and writes 1.0 / 0.0.
#define NV_KERNEL_unary_f32 (nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y, float alpha, float beta)
#define NV_KERNEL_unary_backward_f32 (nv_ctx* ctx, int32_t op, int64_t n, const float* x, const float* y, const float* dy, float* dx, float alpha, float beta)
#define NV_KERNEL_binary_f32 (nv_ctx* ctx, int32_t op, bool compare, int32_t ndim, const int64_t* shape, const float* a, const int64_t* a_strides, const float* b, const int64_t* b_strides, float* out)

// ---------------------------------------------------------------- reductions
#define NV_KERNEL_reduce_f32 (nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner, const float* x, float* out)
#define NV_KERNEL_argmax_f32 (nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x, int32_t* out)

// ---------------------------------------------------------------- softmax and loss
// softmax_xent_f32 validates the labels itself: they live in the backend's memory.
#define NV_KERNEL_softmax_forward_f32 (nv_ctx* ctx, int64_t rows, int64_t cols, const float* x, float* y)
#define NV_KERNEL_softmax_backward_f32 (nv_ctx* ctx, int64_t rows, int64_t cols, const float* y, const float* dy, float* dx)
#define NV_KERNEL_log_softmax_forward_f32 (nv_ctx* ctx, int64_t rows, int64_t cols, const float* x, float* y)
#define NV_KERNEL_log_softmax_backward_f32 (nv_ctx* ctx, int64_t rows, int64_t cols, const float* y, const float* dy, float* dx)
#define NV_KERNEL_softmax_xent_f32 (nv_ctx* ctx, int64_t rows, int64_t cols, const float* logits, const int32_t* labels, float* loss, float* dlogits)

// ---------------------------------------------------------------- optimizer updates
// The pointer arrays are HOST arrays (count entries) of pointers into the backend's memory.
#define NV_KERNEL_sgd_step_f32 (nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g, float** buf, float lr, float momentum, float dampening, float weight_decay, bool nesterov, bool first_step)
#define NV_KERNEL_rmsprop_step_f32 (nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g, float** sq, float** buf, float lr, float alpha, float eps, float weight_decay, float momentum)
#define NV_KERNEL_adam_step_f32 (nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g, float** m, float** v, float lr, float beta1, float beta2, float eps, float weight_decay, bool decoupled, int64_t step)

// ---------------------------------------------------------------- recurrent cells, row gather / scatter-add
// gather_rows_f32 and scatter_add_rows_f32 validate the indices themselves (backend memory).
#define NV_KERNEL_lstm_cell_forward_f32 (nv_ctx* ctx, int64_t B, int64_t H, const float* gx, const float* gh, const float* c_prev, float* h, float* c, float* saved)
#define NV_KERNEL_lstm_cell_backward_f32 (nv_ctx* ctx, int64_t B, int64_t H, const float* saved, const float* c_prev, const float* c, const float* dh, const float* dc, float* dgates, float* dc_prev)
#define NV_KERNEL_gru_cell_forward_f32 (nv_ctx* ctx, int64_t B, int64_t H, const float* gi, const float* gh, const float* h_prev, float* h, float* saved)
#define NV_KERNEL_gru_cell_backward_f32 (nv_ctx* ctx, int64_t B, int64_t H, const float* saved, const float* h_prev, const float* dh, float* dgi, float* dgh, float* dh_prev)
#define NV_KERNEL_gather_rows_f32 (nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim, const float* table, const int32_t* idx, float* out)
#define NV_KERNEL_scatter_add_rows_f32 (nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim, const float* src, const int32_t* idx, float* table)

// ---------------------------------------------------------------- convolution, pooling, batch norm, dropout
// Scratch memory comes from the context (workspace on the CPU, scratch on a GPU); a kernel
// that cannot get it returns NV_ERR_OUT_OF_MEMORY.
#define NV_KERNEL_conv2d_forward_f32 (nv_ctx* ctx, const nv::ConvShape& s, const float* x, const float* w, const float* bias, float* y)
#define NV_KERNEL_conv2d_backward_data_f32 (nv_ctx* ctx, const nv::ConvShape& s, const float* dy, const float* w, float* dx)
#define NV_KERNEL_conv2d_backward_filter_f32 (nv_ctx* ctx, const nv::ConvShape& s, const float* x, const float* dy, float* dw, float* dbias)
#define NV_KERNEL_max_pool2d_forward_f32 (nv_ctx* ctx, const nv::PoolShape& s, const float* x, float* y, int32_t* argmax)
#define NV_KERNEL_max_pool2d_backward_f32 (nv_ctx* ctx, const nv::PoolShape& s, const float* dy, const int32_t* argmax, float* dx)
#define NV_KERNEL_avg_pool2d_forward_f32 (nv_ctx* ctx, const nv::PoolShape& s, const float* x, float* y)
#define NV_KERNEL_avg_pool2d_backward_f32 (nv_ctx* ctx, const nv::PoolShape& s, const float* dy, float* dx)
#define NV_KERNEL_batch_norm_forward_f32 (nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x, const float* gamma, const float* beta, float* running_mean, float* running_var, float momentum, float eps, bool training, float* y, float* save_mean, float* save_invstd)
#define NV_KERNEL_batch_norm_backward_f32 (nv_ctx* ctx, int64_t N, int64_t C, int64_t HW, const float* x, const float* dy, const float* gamma, const float* save_mean, const float* save_invstd, bool training, float* dx, float* dgamma, float* dbeta)
#define NV_KERNEL_dropout_forward_f32 (nv_ctx* ctx, int64_t n, float p, uint64_t seed, uint64_t offset, const float* x, float* y, float* mask)
#define NV_KERNEL_dropout_backward_f32 (nv_ctx* ctx, int64_t n, const float* dy, const float* mask, float* dx)

// ---------------------------------------------------------------- the list
#define NV_KERNELS(X)                                                                         \
  X(copy_strided) X(fill_f32) X(fill_i32) X(cast_i32_f32) X(cast_f32_i32)                     \
  X(rand_uniform_f32) X(rand_normal_f32)                                                      \
  X(gemm_f32) X(gemm_strided_batched_f32) X(gemm_tf32_f32)                                    \
  X(unary_f32) X(unary_backward_f32) X(binary_f32)                                            \
  X(reduce_f32) X(argmax_f32)                                                                 \
  X(softmax_forward_f32) X(softmax_backward_f32) X(log_softmax_forward_f32)                   \
  X(log_softmax_backward_f32) X(softmax_xent_f32)                                             \
  X(sgd_step_f32) X(rmsprop_step_f32) X(adam_step_f32)                                        \
  X(lstm_cell_forward_f32) X(lstm_cell_backward_f32) X(gru_cell_forward_f32)                  \
  X(gru_cell_backward_f32) X(gather_rows_f32) X(scatter_add_rows_f32)                         \
  X(conv2d_forward_f32) X(conv2d_backward_data_f32) X(conv2d_backward_filter_f32)             \
  X(max_pool2d_forward_f32) X(max_pool2d_backward_f32) X(avg_pool2d_forward_f32)              \
  X(avg_pool2d_backward_f32) X(batch_norm_forward_f32) X(batch_norm_backward_f32)             \
  X(dropout_forward_f32) X(dropout_backward_f32)

// The definition of kernel `name` in a backend's namespace: NV_KERNEL_DEF(fill_f32) { ... }.
#define NV_KERNEL_DEF(name) nv_status name NV_KERNEL_##name

// Declares every kernel (use inside the backend's namespace).
#define NV_KERNEL_DECLARE_ONE_(name) nv_status name NV_KERNEL_##name;
#define NV_DECLARE_KERNELS NV_KERNELS(NV_KERNEL_DECLARE_ONE_)
