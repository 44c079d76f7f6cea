// Convolution, pooling, batch norm and dropout on the GPU. Convolution runs as implicit GEMM
// (conv_igemm.cu) wherever its 32-bit indices fit; the direct kernels here take the rest: one
// thread per output element in grid-stride loops, each output summed in a fixed order by
// one thread (no atomics except max-pool backward, whose overlapping windows scatter), so
// results do not depend on timing. Batch norm uses one block per channel with a fixed-shape
// shared-memory tree in double.
//
// Geometry letters as nerve.h: N, C, H, W input; K, R, S filter; P, Q output; G groups.
#include "cpu/philox.h"
#include "cuda/conv_igemm.h"
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// y[n, k, p, q] = bias[k] + sum over (c, r, s) of x[n, g Cg + c, ih, iw] w[k, c, r, s]
__global__ void conv2d_forward_kernel(ConvShape s, const float* x, const float* w,
                                      const float* bias, float* y) {
  const int64_t Cg = s.C / s.G, Kg = s.K / s.G;
  const int64_t total = s.N * s.K * s.P * s.Q;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t q = i % s.Q, p = (i / s.Q) % s.P, k = (i / (s.Q * s.P)) % s.K;
    const int64_t n = i / (s.Q * s.P * s.K);
    const int64_t g = k / Kg;
    float acc = bias != nullptr ? bias[k] : 0.0f;
    for (int64_t c = 0; c < Cg; ++c) {
      const float* xc = x + ((n * s.C + g * Cg + c) * s.H) * s.W;
      const float* wc = w + (k * Cg + c) * s.R * s.S;
      for (int64_t r = 0; r < s.R; ++r) {
        const int64_t ih = p * s.sh - s.ph + r * s.dh;
        if (ih < 0 || ih >= s.H) continue;
        for (int64_t t = 0; t < s.S; ++t) {
          const int64_t iw = q * s.sw - s.pw + t * s.dw;
          if (iw < 0 || iw >= s.W) continue;
          acc = fmaf(xc[ih * s.W + iw], wc[r * s.S + t], acc);
        }
      }
    }
    y[i] = acc;
  }
}

// dx[n, c, h, w] = sum over k in c's group and taps (r, s) that read (h, w) of dy w.
__global__ void conv2d_backward_data_kernel(ConvShape s, const float* dy, const float* w,
                                            float* dx) {
  const int64_t Cg = s.C / s.G, Kg = s.K / s.G;
  const int64_t total = s.N * s.C * s.H * s.W;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t iw = i % s.W, ih = (i / s.W) % s.H, c = (i / (s.W * s.H)) % s.C;
    const int64_t n = i / (s.W * s.H * s.C);
    const int64_t g = c / Cg, cg = c % Cg;
    float acc = 0.0f;
    for (int64_t r = 0; r < s.R; ++r) {
      const int64_t hp = ih + s.ph - r * s.dh;  // = p * sh
      if (hp < 0 || hp % s.sh != 0) continue;
      const int64_t p = hp / s.sh;
      if (p >= s.P) continue;
      for (int64_t t = 0; t < s.S; ++t) {
        const int64_t wq = iw + s.pw - t * s.dw;
        if (wq < 0 || wq % s.sw != 0) continue;
        const int64_t q = wq / s.sw;
        if (q >= s.Q) continue;
        for (int64_t kk = 0; kk < Kg; ++kk) {
          const int64_t k = g * Kg + kk;
          acc = fmaf(dy[((n * s.K + k) * s.P + p) * s.Q + q],
                     w[((k * Cg + cg) * s.R + r) * s.S + t], acc);
        }
      }
    }
    dx[i] = acc;
  }
}

// dw[k, c, r, s] = sum over n, p, q of dy[n, k, p, q] x[n, g Cg + c, ih, iw]
__global__ void conv2d_backward_filter_kernel(ConvShape s, const float* x, const float* dy,
                                              float* dw) {
  const int64_t Cg = s.C / s.G, Kg = s.K / s.G;
  const int64_t total = s.K * Cg * s.R * s.S;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t t = i % s.S, r = (i / s.S) % s.R, c = (i / (s.S * s.R)) % Cg;
    const int64_t k = i / (s.S * s.R * Cg);
    const int64_t g = k / Kg;
    float acc = 0.0f;
    for (int64_t n = 0; n < s.N; ++n) {
      const float* xc = x + ((n * s.C + g * Cg + c) * s.H) * s.W;
      const float* dyk = dy + ((n * s.K + k) * s.P) * s.Q;
      for (int64_t p = 0; p < s.P; ++p) {
        const int64_t ih = p * s.sh - s.ph + r * s.dh;
        if (ih < 0 || ih >= s.H) continue;
        for (int64_t q = 0; q < s.Q; ++q) {
          const int64_t iw = q * s.sw - s.pw + t * s.dw;
          if (iw < 0 || iw >= s.W) continue;
          acc = fmaf(dyk[p * s.Q + q], xc[ih * s.W + iw], acc);
        }
      }
    }
    dw[i] = acc;
  }
}

// dbias[k] = sum over n, p, q of dy[n, k, p, q]: a block per channel, each thread a fixed
// stride of every image's map in double, then a fixed-shape tree (deterministic).
constexpr int kBiasThreads = 256;
__global__ void conv2d_backward_bias_kernel(ConvShape s, const float* dy, float* dbias) {
  __shared__ double part[kBiasThreads];
  const int tid = threadIdx.x;
  const int64_t PQ = s.P * s.Q;
  for (int64_t k = blockIdx.x; k < s.K; k += gridDim.x) {
    double acc = 0.0;
    for (int64_t n = 0; n < s.N; ++n) {
      const float* row = dy + (n * s.K + k) * PQ;
      for (int64_t i = tid; i < PQ; i += kBiasThreads) acc += row[i];
    }
    part[tid] = acc;
    __syncthreads();
    for (int w = kBiasThreads / 2; w > 0; w /= 2) {
      if (tid < w) part[tid] += part[tid + w];
      __syncthreads();
    }
    if (tid == 0) dbias[k] = static_cast<float>(part[0]);
    __syncthreads();  // part is reused for the next channel
  }
}

__global__ void max_pool_forward_kernel(PoolShape s, const float* x, float* y, int32_t* argmax) {
  const int64_t total = s.N * s.C * s.P * s.Q;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t q = i % s.Q, p = (i / s.Q) % s.P, plane = i / (s.Q * s.P);
    const float* xp = x + plane * s.H * s.W;
    int64_t h0 = p * s.sh - s.ph, h1 = h0 + s.R, w0 = q * s.sw - s.pw, w1 = w0 + s.S;
    if (h0 < 0) h0 = 0;
    if (h1 > s.H) h1 = s.H;
    if (w0 < 0) w0 = 0;
    if (w1 > s.W) w1 = s.W;
    float m = -INFINITY;
    int64_t at = h0 * s.W + w0;
    for (int64_t h = h0; h < h1; ++h)
      for (int64_t ww = w0; ww < w1; ++ww) {
        const float v = xp[h * s.W + ww];
        if (v > m || (v != v && m == m)) {  // a NaN wins and stays
          m = v;
          at = h * s.W + ww;
        }
      }
    y[i] = m;
    if (argmax != nullptr) argmax[i] = static_cast<int32_t>(at);
  }
}

__global__ void zero_kernel(int64_t n, float* y) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) y[i] = 0.0f;
}

// Overlapping windows may share a maximum: the scatter adds atomically.
__global__ void max_pool_backward_kernel(PoolShape s, const float* dy, const int32_t* argmax,
                                         float* dx) {
  const int64_t total = s.N * s.C * s.P * s.Q, HW = s.H * s.W;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t plane = i / (s.P * s.Q);
    const int64_t at = argmax[i];
    if (at >= 0 && at < HW) atomicAdd(dx + plane * HW + at, dy[i]);
  }
}

// The divisor of output (p, q), as the CPU computes it.
__device__ __forceinline__ int64_t avg_divisor(const PoolShape& s, int64_t p, int64_t q) {
  int64_t hs = p * s.sh - s.ph, he = hs + s.R, ws = q * s.sw - s.pw, we = ws + s.S;
  if (he > s.H + s.ph) he = s.H + s.ph;
  if (we > s.W + s.pw) we = s.W + s.pw;
  if (s.count_include_pad) return (he - hs) * (we - ws);
  if (hs < 0) hs = 0;
  if (ws < 0) ws = 0;
  if (he > s.H) he = s.H;
  if (we > s.W) we = s.W;
  return (he - hs) * (we - ws);
}

__global__ void avg_pool_forward_kernel(PoolShape s, const float* x, float* y) {
  const int64_t total = s.N * s.C * s.P * s.Q;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t q = i % s.Q, p = (i / s.Q) % s.P, plane = i / (s.Q * s.P);
    const float* xp = x + plane * s.H * s.W;
    int64_t h0 = p * s.sh - s.ph, h1 = h0 + s.R, w0 = q * s.sw - s.pw, w1 = w0 + s.S;
    if (h0 < 0) h0 = 0;
    if (h1 > s.H) h1 = s.H;
    if (w0 < 0) w0 = 0;
    if (w1 > s.W) w1 = s.W;
    float sum = 0.0f;
    for (int64_t h = h0; h < h1; ++h)
      for (int64_t ww = w0; ww < w1; ++ww) sum += xp[h * s.W + ww];
    const int64_t count = avg_divisor(s, p, q);
    y[i] = count > 0 ? sum / static_cast<float>(count) : 0.0f;
  }
}

// dx[h, w] gathers dy / divisor from every window that covers (h, w).
__global__ void avg_pool_backward_kernel(PoolShape s, const float* dy, float* dx) {
  const int64_t total = s.N * s.C * s.H * s.W;
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += stride) {
    const int64_t iw = i % s.W, ih = (i / s.W) % s.H, plane = i / (s.W * s.H);
    const float* dyp = dy + plane * s.P * s.Q;
    // Windows p with p sh - ph <= ih < p sh - ph + R.
    int64_t p0 = ih + s.ph - s.R + 1;
    p0 = p0 <= 0 ? 0 : (p0 + s.sh - 1) / s.sh;
    int64_t p1 = (ih + s.ph) / s.sh;
    if (p1 > s.P - 1) p1 = s.P - 1;
    int64_t q0 = iw + s.pw - s.S + 1;
    q0 = q0 <= 0 ? 0 : (q0 + s.sw - 1) / s.sw;
    int64_t q1 = (iw + s.pw) / s.sw;
    if (q1 > s.Q - 1) q1 = s.Q - 1;
    float acc = 0.0f;
    for (int64_t p = p0; p <= p1; ++p)
      for (int64_t q = q0; q <= q1; ++q) {
        const int64_t count = avg_divisor(s, p, q);
        if (count > 0) acc += dyp[p * s.Q + q] / static_cast<float>(count);
      }
    dx[i] = acc;
  }
}

constexpr int kBnThreads = 256;

// Sum over the block in double through a fixed tree: every thread gets the result.
__device__ double block_sum_double(double v) {
  __shared__ double buf[kBnThreads];
  buf[threadIdx.x] = v;
  __syncthreads();
  for (int half = kBnThreads / 2; half > 0; half /= 2) {
    if (int(threadIdx.x) < half) buf[threadIdx.x] += buf[threadIdx.x + half];
    __syncthreads();
  }
  double total = buf[0];
  __syncthreads();  // buf is reused by the next call
  return total;
}

// One block per channel (grid-stride over channels).
__global__ void batch_norm_forward_kernel(int64_t N, int64_t C, int64_t HW, const float* x,
                                          const float* gamma, const float* beta,
                                          float* running_mean, float* running_var,
                                          float momentum, float eps, bool training, float* y,
                                          float* save_mean, float* save_invstd) {
  const int64_t M = N * HW;
  for (int64_t c = blockIdx.x; c < C; c += gridDim.x) {
    float mean, var;
    if (training) {
      double part = 0.0;
      for (int64_t j = threadIdx.x; j < M; j += blockDim.x) part += x[((j / HW) * C + c) * HW + j % HW];
      mean = static_cast<float>(block_sum_double(part) / double(M));
      double sq = 0.0;
      for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
        const float d = x[((j / HW) * C + c) * HW + j % HW] - mean;
        sq += double(d) * double(d);
      }
      const double total = block_sum_double(sq);
      var = static_cast<float>(total / double(M));
      if (threadIdx.x == 0) {
        if (running_mean) running_mean[c] = (1.0f - momentum) * running_mean[c] + momentum * mean;
        if (running_var)
          running_var[c] = (1.0f - momentum) * running_var[c] +
                           momentum * static_cast<float>(total / double(M - 1));
      }
    } else {
      mean = running_mean[c];
      var = running_var[c];
    }
    const float invstd = 1.0f / sqrtf(var + eps);
    if (threadIdx.x == 0) {
      if (save_mean) save_mean[c] = mean;
      if (save_invstd) save_invstd[c] = invstd;
    }
    const float scale = (gamma ? gamma[c] : 1.0f) * invstd;
    const float shift = (beta ? beta[c] : 0.0f) - mean * scale;
    for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
      const int64_t at = ((j / HW) * C + c) * HW + j % HW;
      y[at] = fmaf(x[at], scale, shift);
    }
  }
}

__global__ void batch_norm_backward_kernel(int64_t N, int64_t C, int64_t HW, const float* x,
                                           const float* dy, const float* gamma,
                                           const float* save_mean, const float* save_invstd,
                                           bool training, float* dx, float* dgamma,
                                           float* dbeta) {
  const int64_t M = N * HW;
  for (int64_t c = blockIdx.x; c < C; c += gridDim.x) {
    const float mean = save_mean[c], invstd = save_invstd[c];
    double sg = 0.0, sga = 0.0;
    for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
      const int64_t at = ((j / HW) * C + c) * HW + j % HW;
      sg += dy[at];
      sga += double(dy[at]) * double(x[at] - mean);
    }
    sg = block_sum_double(sg);
    sga = block_sum_double(sga);
    if (threadIdx.x == 0) {
      if (dbeta) dbeta[c] = static_cast<float>(sg);
      if (dgamma) dgamma[c] = static_cast<float>(sga * invstd);
    }
    const float k = (gamma ? gamma[c] : 1.0f) * invstd;
    const float cg = training && M > 0 ? static_cast<float>(sg / double(M)) : 0.0f;
    const float ca = training && M > 0 ? static_cast<float>(sga / double(M)) * invstd * invstd : 0.0f;
    for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
      const int64_t at = ((j / HW) * C + c) * HW + j % HW;
      dx[at] = k * (dy[at] - cg - (x[at] - mean) * ca);
    }
  }
}

__global__ void dropout_forward_kernel(int64_t n, float p, float scale, uint64_t seed,
                                       uint64_t offset, const float* x, float* y, float* mask) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float m = philox_uniform01(seed, offset + static_cast<uint64_t>(i)) >= p ? scale : 0.0f;
    mask[i] = m;
    y[i] = mul_rn(x[i], m);
  }
}

__global__ void dropout_backward_kernel(int64_t n, const float* dy, const float* mask, float* dx) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    dx[i] = mul_rn(dy[i], mask[i]);
}

// ---------------------------------------------------------------- launchers

namespace {
constexpr int kThreads = 256;

unsigned bn_grid(nv_ctx* ctx, int64_t C) {
#ifdef NERVE_CUDA_SIM
  const int64_t cap = 8;
#else
  const int64_t cap = int64_t(state(ctx).sm_count) * 8;
#endif
  return unsigned(C < cap ? C : cap);
}
}  // namespace

NV_KERNEL_DEF(conv2d_forward_f32) {
  // x (N, C, H, W), w (K, C/G, R, S), y (N, K, P, Q)
  const int64_t n = s.N * s.K * s.P * s.Q;
  if (n == 0) return NV_OK;
  nv_status st = activate(ctx, "nv_conv2d_forward_f32");
  if (st != NV_OK) return st;
  if (conv_igemm_fits(s)) return conv2d_forward_igemm(ctx, "nv_conv2d_forward_f32", s, x, w, bias, y);
  return gpu::launch("nv_conv2d_forward_f32", conv2d_forward_kernel, dim3(grid_for(ctx, n, kThreads)),
                     dim3(kThreads), 0, stream_of(ctx), s, x, w, bias, y);
}

NV_KERNEL_DEF(conv2d_backward_data_f32) {
  // dy (N, K, P, Q), w (K, C/G, R, S), dx (N, C, H, W)
  const int64_t n = s.N * s.C * s.H * s.W;
  if (n == 0) return NV_OK;
  nv_status st = activate(ctx, "nv_conv2d_backward_data_f32");
  if (st != NV_OK) return st;
  if (conv_igemm_fits(s)) return conv2d_backward_data_igemm(ctx, "nv_conv2d_backward_data_f32", s, dy, w, dx);
  return gpu::launch("nv_conv2d_backward_data_f32", conv2d_backward_data_kernel,
                     dim3(grid_for(ctx, n, kThreads)), dim3(kThreads), 0, stream_of(ctx), s, dy, w, dx);
}

NV_KERNEL_DEF(conv2d_backward_filter_f32) {
  // x (N, C, H, W), dy (N, K, P, Q), dw (K, C/G, R, S), dbias (K)
  const int64_t n = s.K * (s.C / s.G) * s.R * s.S;
  nv_status st = activate(ctx, "nv_conv2d_backward_filter_f32");
  if (st != NV_OK) return st;
  if (n == 0) {
    // no weights: only the bias gradient
  } else if (conv_igemm_fits(s) && s.N * s.P * s.Q > 0) {
    st = conv2d_backward_filter_igemm(ctx, "nv_conv2d_backward_filter_f32", s, x, dy, dw);
  } else {
    st = gpu::launch("nv_conv2d_backward_filter_f32", conv2d_backward_filter_kernel,
                     dim3(grid_for(ctx, n, kThreads)), dim3(kThreads), 0, stream_of(ctx), s, x, dy, dw);
  }
  if (st != NV_OK || dbias == nullptr || s.K == 0) return st;
  return gpu::launch("nv_conv2d_backward_filter_f32", conv2d_backward_bias_kernel,
                     dim3(bn_grid(ctx, s.K)), dim3(kBiasThreads), 0, stream_of(ctx), s, dy, dbias);
}

NV_KERNEL_DEF(max_pool2d_forward_f32) {
  const int64_t n = s.N * s.C * s.P * s.Q;
  return launch_1d(ctx, "nv_max_pool2d_forward_f32", n, kThreads, max_pool_forward_kernel,
                   s, x, y, argmax);
}

NV_KERNEL_DEF(max_pool2d_backward_f32) {
  const int64_t nx = s.N * s.C * s.H * s.W, ny = s.N * s.C * s.P * s.Q;
  if (nx == 0) return NV_OK;
  nv_status st = activate(ctx, "nv_max_pool2d_backward_f32");
  if (st != NV_OK) return st;
  st = gpu::launch("nv_max_pool2d_backward_f32", zero_kernel, dim3(grid_for(ctx, nx, kThreads)),
                   dim3(kThreads), 0, stream_of(ctx), nx, dx);
  if (st != NV_OK) return st;
  return gpu::launch("nv_max_pool2d_backward_f32", max_pool_backward_kernel, dim3(grid_for(ctx, ny, kThreads)),
                     dim3(kThreads), 0, stream_of(ctx), s, dy, argmax, dx);
}

NV_KERNEL_DEF(avg_pool2d_forward_f32) {
  const int64_t n = s.N * s.C * s.P * s.Q;
  return launch_1d(ctx, "nv_avg_pool2d_forward_f32", n, kThreads, avg_pool_forward_kernel, s, x, y);
}

NV_KERNEL_DEF(avg_pool2d_backward_f32) {
  const int64_t n = s.N * s.C * s.H * s.W;
  return launch_1d(ctx, "nv_avg_pool2d_backward_f32", n, kThreads, avg_pool_backward_kernel,
                   s, dy, dx);
}

NV_KERNEL_DEF(batch_norm_forward_f32) {
  // x, y (N, C, HW); per-channel vectors (C)
  nv_status st = activate(ctx, "nv_batch_norm_forward_f32");
  if (st != NV_OK) return st;
  return gpu::launch("nv_batch_norm_forward_f32", batch_norm_forward_kernel, dim3(bn_grid(ctx, C)),
                     dim3(kBnThreads), 0, stream_of(ctx), N, C, HW, x, gamma, beta, running_mean,
                     running_var, momentum, eps, training, y, save_mean, save_invstd);
}

NV_KERNEL_DEF(batch_norm_backward_f32) {
  nv_status st = activate(ctx, "nv_batch_norm_backward_f32");
  if (st != NV_OK) return st;
  return gpu::launch("nv_batch_norm_backward_f32", batch_norm_backward_kernel, dim3(bn_grid(ctx, C)),
                     dim3(kBnThreads), 0, stream_of(ctx), N, C, HW, x, dy, gamma, save_mean,
                     save_invstd, training, dx, dgamma, dbeta);
}

NV_KERNEL_DEF(dropout_forward_f32) {
  if (n == 0) return NV_OK;
  nv_status st = activate(ctx, "nv_dropout_forward_f32");
  if (st != NV_OK) return st;
  const float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  return gpu::launch("nv_dropout_forward_f32", dropout_forward_kernel, dim3(grid_for(ctx, n, kThreads)),
                     dim3(kThreads), 0, stream_of(ctx), n, p, scale, seed, offset, x, y, mask);
}

NV_KERNEL_DEF(dropout_backward_f32) {
  return launch_1d(ctx, "nv_dropout_backward_f32", n, kThreads, dropout_backward_kernel,
                   n, dy, mask, dx);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
