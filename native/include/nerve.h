/*
 * nerve.h - the one C header of Nerve's native core. JavaCPP parses this file and nothing else.
 *
 * Conventions (docs/ARCHITECTURE.md, "The C ABI"):
 *  - every function returns nv_status (0 = ok) and takes the context first;
 *  - on failure nv_last_error() holds a message naming the function and the offending values;
 *  - sizes and strides are explicit, in elements, row-major; gradients start with 'd';
 *  - pointers are device pointers of the context's backend (host memory for the CPU backend),
 *    except where a name says "host".
 */
#ifndef NERVE_H
#define NERVE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- status and errors */

typedef int32_t nv_status;

#define NV_OK 0
#define NV_ERR_INVALID_ARGUMENT 1
#define NV_ERR_OUT_OF_MEMORY 2
#define NV_ERR_UNSUPPORTED 3
#define NV_ERR_BACKEND_UNAVAILABLE 4
#define NV_ERR_INTERNAL 5
/* The system refused a resource other than memory (a thread could not start). */
#define NV_ERR_RESOURCE 6

/* The message of the last failed call on this thread ("" when none). */
const char* nv_last_error(void);

/* ---------------------------------------------------------------- context */

#define NV_BACKEND_CPU 0
#define NV_BACKEND_CUDA 1
#define NV_BACKEND_CUDA_SIM 2

#define NV_ISA_PORTABLE 0
#define NV_ISA_AVX2 1
#define NV_ISA_AVX512 2

typedef struct nv_ctx nv_ctx;

/* Library version as "major.minor.patch". */
const char* nv_version(void);

/* 1 if this build and machine can run the backend, else 0. */
int32_t nv_backend_available(int32_t backend);

/* Devices of a backend: *count is 0 where the backend is absent or finds no device (no GPU, no
 * driver). The CPU backend and cuda-sim have one device. */
nv_status nv_device_count(int32_t backend, int32_t* count);
/* Name (NUL-terminated, at most name_len bytes), compute capability and memory of a device. */
nv_status nv_device_info(int32_t backend, int32_t device, char* name, int32_t name_len,
                         int32_t* major, int32_t* minor, int64_t* total_bytes);

/* Creates a context. threads <= 0 means one per available core (for cuda-sim: the OS threads
 * that run blocks). When the system refuses one of the threads (a thread or address-space
 * limit), fails with NV_ERR_RESOURCE naming it ("could not start thread 37 of 1024: ...") after
 * stopping the ones already started: nothing is left behind. */
nv_status nv_ctx_create(int32_t backend, int32_t device, int32_t threads, nv_ctx** out);
nv_status nv_ctx_destroy(nv_ctx* ctx);

/* Waits until all work queued on the context is done (a no-op on the CPU). */
nv_status nv_ctx_synchronize(nv_ctx* ctx);

/* The instruction set the CPU kernels use: the best the CPU has, picked by CPUID. */
int32_t nv_cpu_isa(void);
const char* nv_isa_name(int32_t isa);
/* Forces a lower ISA for this context (benchmarks, tests); fails if the CPU lacks it. */
nv_status nv_ctx_set_isa(nv_ctx* ctx, int32_t isa);
nv_status nv_ctx_get_isa(nv_ctx* ctx, int32_t* isa);
nv_status nv_ctx_threads(nv_ctx* ctx, int32_t* threads);
/* Lets GEMMs on a GPU context use TF32 tensor cores (inputs rounded to 10 mantissa bits, float
 * accumulation): faster, less exact. Off by default; no effect on the CPU backend. */
nv_status nv_ctx_set_tf32(nv_ctx* ctx, int32_t enabled);
/* The context's stream (a cudaStream_t on the CUDA backend) for interop with cuBLAS, cuDNN or
 * one's own kernels; NULL on the CPU backend. Work queued on it is ordered with Nerve's. */
nv_status nv_ctx_stream(nv_ctx* ctx, void** stream);

/* ---------------------------------------------------------------- memory */

/* Caching allocator: freed blocks go back to a per-size-class cache; 64-byte aligned. */
nv_status nv_alloc(nv_ctx* ctx, int64_t bytes, void** out);
nv_status nv_free(nv_ctx* ctx, void* ptr);
/* stats[0] = live bytes, stats[1] = peak live bytes, stats[2] = cached (free) bytes,
 * stats[3] = live allocations. */
nv_status nv_memory_stats(nv_ctx* ctx, int64_t* stats);
/* Returns cached blocks to the system. */
nv_status nv_memory_release_cached(nv_ctx* ctx);

/* Copies between host arrays and the context's memory (plain memcpy on the CPU). */
nv_status nv_write_f32(nv_ctx* ctx, float* dst, const float* host_src, int64_t n);
nv_status nv_read_f32(nv_ctx* ctx, const float* src, float* host_dst, int64_t n);
nv_status nv_write_i32(nv_ctx* ctx, int32_t* dst, const int32_t* host_src, int64_t n);
nv_status nv_read_i32(nv_ctx* ctx, const int32_t* src, int32_t* host_dst, int64_t n);

/* dst[i...] = src[i...] for an ndim-dimensional shape with element strides; any element size
 * (4 for f32 and i32). Used for contiguous copies of views and for writes into views. */
nv_status nv_copy_strided(nv_ctx* ctx, int32_t elem_size, int32_t ndim, const int64_t* shape,
                          const void* src, const int64_t* src_strides,
                          void* dst, const int64_t* dst_strides);

nv_status nv_fill_f32(nv_ctx* ctx, int64_t n, float value, float* y);
nv_status nv_fill_i32(nv_ctx* ctx, int64_t n, int32_t value, int32_t* y);
nv_status nv_cast_i32_f32(nv_ctx* ctx, int64_t n, const int32_t* x, float* y);
/* Truncates toward zero. */
nv_status nv_cast_f32_i32(nv_ctx* ctx, int64_t n, const float* x, int32_t* y);

/* Counter-based random numbers: element i depends only on (seed, offset + i), so results are
 * the same on every backend and every thread count. */
nv_status nv_rand_uniform_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset,
                              float lo, float hi, float* y);
nv_status nv_rand_normal_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset,
                             float mean, float stddev, float* y);

/* ---------------------------------------------------------------- GEMM */

/* C = alpha * op(A) op(B) + beta * C, row-major. op(A) is M x K, op(B) is K x N, C is M x N.
 * trans_a != 0 means A is stored K x M (lda >= M), else M x K (lda >= K); likewise B.
 * beta == 0 ignores C's old contents (NaNs included). */
nv_status nv_gemm_f32(nv_ctx* ctx, int32_t trans_a, int32_t trans_b,
                      int64_t M, int64_t N, int64_t K,
                      float alpha, const float* A, int64_t lda,
                      const float* B, int64_t ldb,
                      float beta, float* C, int64_t ldc);

/* batch independent GEMMs; matrix i of A starts at A + i * stride_a, and so on. */
nv_status nv_gemm_strided_batched_f32(nv_ctx* ctx, int32_t trans_a, int32_t trans_b,
                                      int64_t M, int64_t N, int64_t K,
                                      float alpha, const float* A, int64_t lda, int64_t stride_a,
                                      const float* B, int64_t ldb, int64_t stride_b,
                                      float beta, float* C, int64_t ldc, int64_t stride_c,
                                      int64_t batch);

/* ---------------------------------------------------------------- elementwise */

#define NV_UNARY_COPY 0
#define NV_UNARY_NEG 1
#define NV_UNARY_EXP 2
#define NV_UNARY_LOG 3
#define NV_UNARY_SQRT 4
#define NV_UNARY_RELU 5
#define NV_UNARY_SIGMOID 6
#define NV_UNARY_TANH 7
#define NV_UNARY_ABS 8
#define NV_UNARY_SOFTPLUS 9    /* log(1 + exp(x)), stable for large |x| */
#define NV_UNARY_SQUARE 10
#define NV_UNARY_RECIPROCAL 11
#define NV_UNARY_POW 12        /* x ^ alpha */
#define NV_UNARY_LEAKY_RELU 13 /* x > 0 ? x : alpha * x */
#define NV_UNARY_SCALE_SHIFT 14 /* alpha * x + beta */
#define NV_UNARY_COUNT 15

/* y = f(x) over n contiguous elements. alpha and beta are the op's parameters (ignored by ops
 * that have none). y may alias x. */
nv_status nv_unary_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y,
                       float alpha, float beta);

/* dx = dy * f'(x), using x and/or y = f(x) (both must be given). dx may alias dy. */
nv_status nv_unary_backward_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x,
                                const float* y, const float* dy, float* dx,
                                float alpha, float beta);

#define NV_BINARY_ADD 0
#define NV_BINARY_SUB 1
#define NV_BINARY_MUL 2
#define NV_BINARY_DIV 3
#define NV_BINARY_MAXIMUM 4
#define NV_BINARY_MINIMUM 5
#define NV_BINARY_COUNT 6

/* out = a op b, broadcast: out is contiguous with the given shape; a and b are read through
 * element strides over that shape (stride 0 broadcasts). out may alias a contiguous input. */
nv_status nv_binary_f32(nv_ctx* ctx, int32_t op, int32_t ndim, const int64_t* shape,
                        const float* a, const int64_t* a_strides,
                        const float* b, const int64_t* b_strides, float* out);

/* The comparison a > b etc. as 1.0 / 0.0, broadcast as nv_binary_f32. */
#define NV_COMPARE_EQ 0
#define NV_COMPARE_GT 1
#define NV_COMPARE_GE 2
#define NV_COMPARE_LT 3
#define NV_COMPARE_LE 4
nv_status nv_compare_f32(nv_ctx* ctx, int32_t op, int32_t ndim, const int64_t* shape,
                         const float* a, const int64_t* a_strides,
                         const float* b, const int64_t* b_strides, float* out);

/* ---------------------------------------------------------------- reductions */

#define NV_REDUCE_SUM 0
#define NV_REDUCE_MEAN 1
#define NV_REDUCE_MAX 2
#define NV_REDUCE_MIN 3

/* x is contiguous (outer, n, inner); out[o, i] = reduce over k of x[o, k, i]; out is
 * contiguous (outer, inner). n must be >= 1. */
nv_status nv_reduce_f32(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                        const float* x, float* out);

/* Index of the first largest element along n, same layout as nv_reduce_f32. */
nv_status nv_argmax_f32(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner,
                        const float* x, int32_t* out);

/* ---------------------------------------------------------------- softmax and loss */

/* Row-wise over contiguous (rows, cols). y may alias x. */
nv_status nv_softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x, float* y);
/* dx = y * (dy - sum(dy * y)) */
nv_status nv_softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                  const float* dy, float* dx);
nv_status nv_log_softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                     float* y);
/* dx = dy - exp(y) * sum(dy) */
nv_status nv_log_softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                      const float* dy, float* dx);

/* Fused softmax cross-entropy over logits (rows, cols) and labels in [0, cols):
 * loss[0] = mean over rows of -log softmax(x)[r, label[r]], and
 * dlogits = (softmax(x) - onehot(label)) / rows, both in one pass over the logits.
 * dlogits may be NULL (evaluation). A label outside [0, cols) fails with
 * NV_ERR_INVALID_ARGUMENT naming the row and the label. */
nv_status nv_softmax_xent_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* logits,
                              const int32_t* labels, float* loss, float* dlogits);

/* ---------------------------------------------------------------- optimizer updates */

/* Each update walks count tensors at once (one parameter group): w[t] has sizes[t] elements,
 * g[t] its gradient, and the state tensors are the same size. Pointer arrays are host arrays
 * of device pointers. */

/* SGD: g' = g + weight_decay * w;
 *      momentum == 0: w -= lr * g'
 *      else buf = momentum * buf + (1 - dampening) * g'  (buf = g' on the first step)
 *           w -= lr * (nesterov ? g' + momentum * buf : buf)
 * buf may be NULL when momentum == 0. first_step != 0 marks the first step. */
nv_status nv_sgd_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes,
                          float** w, float** g, float** buf,
                          float lr, float momentum, float dampening, float weight_decay,
                          int32_t nesterov, int32_t first_step);

/* RMSprop: g' = g + weight_decay * w; sq = alpha * sq + (1 - alpha) * g'^2;
 *          momentum == 0: w -= lr * g' / (sqrt(sq) + eps)
 *          else buf = momentum * buf + g' / (sqrt(sq) + eps); w -= lr * buf
 * buf may be NULL when momentum == 0. */
nv_status nv_rmsprop_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes,
                              float** w, float** g, float** sq, float** buf,
                              float lr, float alpha, float eps, float weight_decay,
                              float momentum);

/* Adam (decoupled == 0): g' = g + weight_decay * w
 * AdamW (decoupled != 0): w -= lr * weight_decay * w, g' = g
 * m = beta1 m + (1 - beta1) g'; v = beta2 v + (1 - beta2) g'^2;
 * w -= lr * (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps); step counts from 1. */
nv_status nv_adam_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes,
                           float** w, float** g, float** m, float** v,
                           float lr, float beta1, float beta2, float eps, float weight_decay,
                           int32_t decoupled, int64_t step);

/* ---------------------------------------------------------------- recurrent cells */

/* Fused LSTM cell, gate order i, f, g, o (as PyTorch). B rows, hidden size H.
 * gates = gx + gh, both [B, 4H] contiguous: the pre-activations x W_ih^T + b_ih and
 * h_prev W_hh^T + b_hh from two GEMMs (gh may be NULL: gates = gx). c_prev [B, H] (NULL: zeros).
 *   i = sigmoid(gates[:, 0:H])   f = sigmoid(gates[:, H:2H])
 *   g = tanh(gates[:, 2H:3H])    o = sigmoid(gates[:, 3H:4H])
 *   c = f * c_prev + i * g       h = o * tanh(c)
 * h and c [B, H]. saved [B, 4H] receives the activated gates (i, f, g, o) for the backward;
 * NULL in inference. */
nv_status nv_lstm_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gx,
                                   const float* gh, const float* c_prev, float* h, float* c,
                                   float* saved);
/* Backward of nv_lstm_cell_forward_f32 from saved, c_prev (NULL: zeros) and c. dh, dc [B, H]
 * are the gradients of h and c (either may be NULL: zeros). Writes dgates [B, 4H] (the
 * gradient of gates, hence of gx and of gh) and dc_prev [B, H] (may be NULL: not wanted).
 *   tc = tanh(c); dct = dc + dh * o * (1 - tc^2)
 *   di = dct * g * i(1-i); df = dct * c_prev * f(1-f); dg = dct * i * (1-g^2);
 *   do = dh * tc * o(1-o); dc_prev = dct * f */
nv_status nv_lstm_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                    const float* c_prev, const float* c, const float* dh,
                                    const float* dc, float* dgates, float* dc_prev);

/* Fused GRU cell in PyTorch's formulation, gate order r, z, n. gi = x W_ih^T + b_ih and
 * gh = h_prev W_hh^T + b_hh, both [B, 3H] contiguous; h_prev [B, H] (NULL: zeros).
 *   r = sigmoid(gi_r + gh_r)   z = sigmoid(gi_z + gh_z)
 *   n = tanh(gi_n + r * gh_n)  h = (1 - z) * n + z * h_prev
 * saved [B, 4H] receives (r, z, n, gh_n) for the backward; NULL in inference. */
nv_status nv_gru_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gi,
                                  const float* gh, const float* h_prev, float* h, float* saved);
/* Backward of nv_gru_cell_forward_f32 from saved and h_prev (NULL: zeros), dh [B, H]:
 * dgi [B, 3H], dgh [B, 3H] (either may be NULL: not wanted) and dh_prev [B, H], the direct
 * part dh * z only (NULL: not wanted; the part through gh is dgh W_hh, a GEMM).
 *   dn = dh (1-z) (1-n^2); dgi_n = dn; dgh_n = dn * r;
 *   dgi_r = dgh_r = dn * gh_n * r(1-r); dgi_z = dgh_z = dh (h_prev - n) z(1-z) */
nv_status nv_gru_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                   const float* h_prev, const float* dh, float* dgi, float* dgh,
                                   float* dh_prev);

/* ---------------------------------------------------------------- row gather / scatter-add */

/* Embedding lookup: out[i, :] = table[idx[i], :] for i in [0, n); table [rows, dim], out
 * [n, dim]. An index outside [0, rows) fails with NV_ERR_INVALID_ARGUMENT naming its position
 * and value, before anything is written. */
nv_status nv_gather_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                             const float* table, const int32_t* idx, float* out);
/* Its backward: table[idx[i], :] += src[i, :] for i in [0, n), repeated indices summed.
 * The same index check. On the CPU the sums are in a fixed order (deterministic); on a GPU
 * they use atomics. */
nv_status nv_scatter_add_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                                  const float* src, const int32_t* idx, float* table);

/* ---------------------------------------------------------------- convolution, pooling, batch norm, dropout */

/* All images are NCHW, contiguous. Dimension letters: N images, C input channels, H x W input,
 * K output channels (filters), R x S filter, P x Q output.
 *   P = (H + 2 pad_h - dil_h (R - 1) - 1) / stride_h + 1, Q likewise (must both be >= 1).
 * groups splits C and K into groups of C / groups and K / groups channels; w is
 * (K, C / groups, R, S). Scratch memory (im2col) comes from the context's workspace. */

/* y (N, K, P, Q) = conv(x (N, C, H, W), w) + bias (K); bias may be NULL. */
nv_status nv_conv2d_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                int64_t K, int64_t R, int64_t S, int64_t stride_h,
                                int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t dil_h,
                                int64_t dil_w, int64_t groups, const float* x, const float* w,
                                const float* bias, float* y);
/* dx (N, C, H, W) = the gradient of the convolution with respect to x, from dy (N, K, P, Q). */
nv_status nv_conv2d_backward_data_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                      int64_t K, int64_t R, int64_t S, int64_t stride_h,
                                      int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                      int64_t dil_h, int64_t dil_w, int64_t groups,
                                      const float* dy, const float* w, float* dx);
/* dw (K, C / groups, R, S) and, unless NULL, dbias (K) = sum of dy over N, P, Q.
 * Both are overwritten, not accumulated. */
nv_status nv_conv2d_backward_filter_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H,
                                        int64_t W, int64_t K, int64_t R, int64_t S,
                                        int64_t stride_h, int64_t stride_w, int64_t pad_h,
                                        int64_t pad_w, int64_t dil_h, int64_t dil_w,
                                        int64_t groups, const float* x, const float* dy,
                                        float* dw, float* dbias);

/* Pooling over x (N, C, H, W) to y (N, C, P, Q) with an R x S window:
 *   P = floor_or_ceil((H + 2 pad_h - R) / stride_h) + 1; in ceil mode the last window must
 *   start inside the input or the left padding (as PyTorch), else P is one less.
 * pad_h <= R / 2 and pad_w <= S / 2. Padding never wins a max. */
nv_status nv_pool2d_output_size(int64_t H, int64_t R, int64_t stride, int64_t pad,
                                int32_t ceil_mode, int64_t* P);
/* argmax (N, C, P, Q): index h * W + w of each maximum in its input plane (the first one);
 * may be NULL when no backward follows. */
nv_status nv_max_pool2d_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                    int64_t R, int64_t S, int64_t stride_h, int64_t stride_w,
                                    int64_t pad_h, int64_t pad_w, int32_t ceil_mode,
                                    const float* x, float* y, int32_t* argmax);
/* dx (N, C, H, W) = dy (N, C, P, Q) scattered to the saved argmax positions (summed). */
nv_status nv_max_pool2d_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                     int64_t P, int64_t Q, const float* dy,
                                     const int32_t* argmax, float* dx);
/* Average over each window: divided by R * S when count_include_pad != 0 (padding counts as
 * zeros, but a ceil-mode window hanging past the padding does not), else by the number of
 * input elements the window covers. Global average pooling is R = H, S = W. */
nv_status nv_avg_pool2d_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                    int64_t R, int64_t S, int64_t stride_h, int64_t stride_w,
                                    int64_t pad_h, int64_t pad_w, int32_t ceil_mode,
                                    int32_t count_include_pad, const float* x, float* y);
nv_status nv_avg_pool2d_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                     int64_t R, int64_t S, int64_t stride_h, int64_t stride_w,
                                     int64_t pad_h, int64_t pad_w, int32_t ceil_mode,
                                     int32_t count_include_pad, const float* dy, float* dx);

/* Batch normalisation of x (N, C, HW) per channel c, y = gamma (x - mean) * invstd + beta,
 * invstd = 1 / sqrt(var + eps).
 * training != 0: mean and (biased) var over N and HW; running_mean/var (may be NULL) become
 *   (1 - momentum) running + momentum batch, with the unbiased variance; N * HW must be > 1.
 * training == 0: mean and var are running_mean and running_var (both required).
 * save_mean and save_invstd (C, may be NULL) receive the mean and invstd used, for backward.
 * gamma and beta may be NULL (1 and 0). y may alias x. */
nv_status nv_batch_norm_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW,
                                    const float* x, const float* gamma, const float* beta,
                                    float* running_mean, float* running_var, float momentum,
                                    float eps, int32_t training, float* y, float* save_mean,
                                    float* save_invstd);
/* dx from dy given the saved mean and invstd; training selects the batch-statistics gradient
 * (mean and var depend on x) or the evaluation one (dx = gamma invstd dy). dgamma and dbeta
 * (C, overwritten) may be NULL, and so may gamma (1). */
nv_status nv_batch_norm_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW,
                                     const float* x, const float* dy, const float* gamma,
                                     const float* save_mean, const float* save_invstd,
                                     int32_t training, float* dx, float* dgamma, float* dbeta);

/* Inverted dropout over n elements: element i is kept when the counter-based uniform draw
 * u(seed, offset + i) (as nv_rand_uniform_f32 on [0, 1)) is >= p; mask[i] = kept / (1 - p)
 * (0 when p == 1), y = x * mask. p in [0, 1]. y may alias x. */
nv_status nv_dropout_forward_f32(nv_ctx* ctx, int64_t n, float p, uint64_t seed,
                                 uint64_t offset, const float* x, float* y, float* mask);
/* dx = dy * mask. dx may alias dy. */
nv_status nv_dropout_backward_f32(nv_ctx* ctx, int64_t n, const float* dy, const float* mask,
                                  float* dx);

#ifdef __cplusplus
}
#endif

#endif /* NERVE_H */
