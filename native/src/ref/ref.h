// Plain-loop double-precision references for every kernel: the oracles of the native tests.
// Straightforward loops, no blocking, no SIMD, no threads. Inputs are the kernels' float
// inputs; outputs are double so the tests can measure the kernels' own error.
#pragma once
#include <cstdint>

#include "core/conv_shape.h"
#include "nerve.h"

namespace nv::ref {

// The offsets in two strided operands a and b of element `flat` of a row-major shape (the
// plain walk the references of copies and broadcast ops share).
inline void strided_offsets(int64_t flat, int32_t ndim, const int64_t* shape,
                            const int64_t* a_strides, const int64_t* b_strides, int64_t* oa,
                            int64_t* ob) {
  *oa = *ob = 0;
  for (int d = ndim - 1; d >= 0; --d) {
    const int64_t idx = flat % shape[d];
    flat /= shape[d];
    *oa += idx * a_strides[d];
    *ob += idx * b_strides[d];
  }
}

// fill.cpp
void copy_strided(int32_t elem_size, int32_t ndim, const int64_t* shape, const void* src,
                  const int64_t* src_strides, void* dst, const int64_t* dst_strides);
int32_t cast_f32_i32(float x);  // truncation, NaN -> 0, saturating
double rand_uniform(uint64_t seed, uint64_t index, double lo, double hi);
double rand_normal(uint64_t seed, uint64_t index, double mean, double stddev);

// gemm.cpp: C (M x N, leading dimension ldc) = alpha op(A) op(B) + beta C.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, double alpha,
          const float* A, int64_t lda, const float* B, int64_t ldb, double beta, double* C,
          int64_t ldc);

// elementwise.cpp
double unary(int32_t op, double x, double alpha, double beta);
// dx for one element from x, dy (the analytic derivative, computed from x alone).
double unary_backward(int32_t op, double x, double dy, double alpha, double beta);
double binary(int32_t op, double a, double b);
double compare(int32_t op, double a, double b);
// out[i] = op(a, b) broadcast through strides, out contiguous.
void binary_broadcast(int32_t op, bool compare, int32_t ndim, const int64_t* shape,
                      const float* a, const int64_t* a_strides, const float* b,
                      const int64_t* b_strides, double* out);

// reduce.cpp: max and min are NaN when any element is; argmax is the first NaN, else the first
// largest (PyTorch's rules).
void reduce(int32_t op, int64_t outer, int64_t n, int64_t inner, const float* x, double* out);
void argmax(int64_t outer, int64_t n, int64_t inner, const float* x, int32_t* out);

// softmax.cpp
void softmax_forward(int64_t rows, int64_t cols, const float* x, double* y);
void softmax_backward(int64_t rows, int64_t cols, const float* y, const float* dy, double* dx);
void log_softmax_forward(int64_t rows, int64_t cols, const float* x, double* y);
void log_softmax_backward(int64_t rows, int64_t cols, const float* y, const float* dy,
                          double* dx);
// Returns the mean loss; dlogits may be nullptr.
double softmax_xent(int64_t rows, int64_t cols, const float* logits, const int32_t* labels,
                    double* dlogits);

// optim.cpp: one element of each update, state in and out through references.
void sgd(double& w, double g, double& buf, double lr, double momentum, double dampening,
         double weight_decay, bool nesterov, bool first_step);
void rmsprop(double& w, double g, double& sq, double& buf, double lr, double alpha, double eps,
             double weight_decay, double momentum);
void adam(double& w, double g, double& m, double& v, double lr, double beta1, double beta2,
          double eps, double weight_decay, bool decoupled, int64_t step);

// rnn.cpp: the cells as nerve.h describes them; saved in double for the forward, the kernel's
// float saved values as the backward's input (as the kernels use them).
void lstm_cell_forward(int64_t B, int64_t H, const float* gx, const float* gh,
                       const float* c_prev, double* h, double* c, double* saved);
void lstm_cell_backward(int64_t B, int64_t H, const float* saved, const float* c_prev,
                        const float* c, const float* dh, const float* dc, double* dgates,
                        double* dc_prev);
void gru_cell_forward(int64_t B, int64_t H, const float* gi, const float* gh,
                      const float* h_prev, double* h, double* saved);
void gru_cell_backward(int64_t B, int64_t H, const float* saved, const float* h_prev,
                       const float* dh, double* dgi, double* dgh, double* dh_prev);
// out[i, :] = table[idx[i], :]; table[idx[i], :] += src[i, :] (table in double, pre-filled).
void gather_rows(int64_t n, int64_t dim, const float* table, const int32_t* idx, double* out);
void scatter_add_rows(int64_t n, int64_t dim, const float* src, const int32_t* idx,
                      double* table);

// conv.cpp: NCHW convolution and pooling, batch norm, dropout. Geometry as nv::ConvShape /
// nv::PoolShape (P, Q filled in).
void conv2d_forward(const ConvShape& s, const float* x, const float* w, const float* bias,
                    double* y);
void conv2d_backward_data(const ConvShape& s, const float* dy, const float* w, double* dx);
void conv2d_backward_filter(const ConvShape& s, const float* x, const float* dy, double* dw,
                            double* dbias);
// argmax as int32 (the first NaN, else the first maximum); y the max (NaN if any).
void max_pool2d_forward(const PoolShape& s, const float* x, double* y, int32_t* argmax);
void avg_pool2d_forward(const PoolShape& s, const float* x, double* y);
void avg_pool2d_backward(const PoolShape& s, const float* dy, double* dx);
// Training statistics when training, else the running ones; running stats updated in place
// (as doubles).
void batch_norm_forward(int64_t N, int64_t C, int64_t HW, const float* x, const float* gamma,
                        const float* beta, double* running_mean, double* running_var,
                        double momentum, double eps, bool training, double* y,
                        double* save_mean, double* save_invstd);
void batch_norm_backward(int64_t N, int64_t C, int64_t HW, const float* x, const float* dy,
                         const float* gamma, const double* mean, const double* invstd,
                         bool training, double* dx, double* dgamma, double* dbeta);
// The kept flag of element i: u(seed, offset + i) >= p.
bool dropout_keep(uint64_t seed, uint64_t index, double p);

}  // namespace nv::ref
