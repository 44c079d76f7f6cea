// Plain-loop references for convolution, pooling, batch norm and dropout: the definitions,
// summed in double, nothing clever.
#include <cmath>

#include "cpu/philox.h"
#include "ref/ref.h"

namespace nv::ref {

// y[n, k, p, q] = bias[k] + sum over c in k's group, r, s of x[n, c, ih, iw] w[k, c', r, s]
void conv2d_forward(const ConvShape& s, const float* x, const float* w, const float* bias,
                    double* y) {
  const int64_t Cg = s.Cg(), Kg = s.Kg();
  for (int64_t n = 0; n < s.N; ++n)
    for (int64_t k = 0; k < s.K; ++k) {
      const int64_t g = k / Kg;
      for (int64_t p = 0; p < s.P; ++p)
        for (int64_t q = 0; q < s.Q; ++q) {
          double acc = bias ? bias[k] : 0.0;
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t r = 0; r < s.R; ++r)
              for (int64_t t = 0; t < s.S; ++t) {
                int64_t ih = p * s.sh - s.ph + r * s.dh, iw = q * s.sw - s.pw + t * s.dw;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
                acc += double(x[((n * s.C + g * Cg + c) * s.H + ih) * s.W + iw]) *
                       double(w[((k * Cg + c) * s.R + r) * s.S + t]);
              }
          y[((n * s.K + k) * s.P + p) * s.Q + q] = acc;
        }
    }
}

void conv2d_backward_data(const ConvShape& s, const float* dy, const float* w, double* dx) {
  const int64_t Cg = s.Cg(), Kg = s.Kg();
  for (int64_t i = 0; i < s.N * s.C * s.H * s.W; ++i) dx[i] = 0.0;
  for (int64_t n = 0; n < s.N; ++n)
    for (int64_t k = 0; k < s.K; ++k) {
      const int64_t g = k / Kg;
      for (int64_t p = 0; p < s.P; ++p)
        for (int64_t q = 0; q < s.Q; ++q) {
          double gy = dy[((n * s.K + k) * s.P + p) * s.Q + q];
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t r = 0; r < s.R; ++r)
              for (int64_t t = 0; t < s.S; ++t) {
                int64_t ih = p * s.sh - s.ph + r * s.dh, iw = q * s.sw - s.pw + t * s.dw;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
                dx[((n * s.C + g * Cg + c) * s.H + ih) * s.W + iw] +=
                    gy * double(w[((k * Cg + c) * s.R + r) * s.S + t]);
              }
        }
    }
}

void conv2d_backward_filter(const ConvShape& s, const float* x, const float* dy, double* dw,
                            double* dbias) {
  const int64_t Cg = s.Cg(), Kg = s.Kg();
  for (int64_t i = 0; i < s.K * Cg * s.R * s.S; ++i) dw[i] = 0.0;
  if (dbias)
    for (int64_t k = 0; k < s.K; ++k) dbias[k] = 0.0;
  for (int64_t n = 0; n < s.N; ++n)
    for (int64_t k = 0; k < s.K; ++k) {
      const int64_t g = k / Kg;
      for (int64_t p = 0; p < s.P; ++p)
        for (int64_t q = 0; q < s.Q; ++q) {
          double gy = dy[((n * s.K + k) * s.P + p) * s.Q + q];
          if (dbias) dbias[k] += gy;
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t r = 0; r < s.R; ++r)
              for (int64_t t = 0; t < s.S; ++t) {
                int64_t ih = p * s.sh - s.ph + r * s.dh, iw = q * s.sw - s.pw + t * s.dw;
                if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
                dw[((k * Cg + c) * s.R + r) * s.S + t] +=
                    gy * double(x[((n * s.C + g * Cg + c) * s.H + ih) * s.W + iw]);
              }
        }
    }
}

void max_pool2d_forward(const PoolShape& s, const float* x, double* y, int32_t* argmax) {
  for (int64_t pl = 0; pl < s.N * s.C; ++pl)
    for (int64_t p = 0; p < s.P; ++p)
      for (int64_t q = 0; q < s.Q; ++q) {
        double m = -INFINITY;
        int64_t at = -1;
        for (int64_t r = 0; r < s.R; ++r)
          for (int64_t t = 0; t < s.S; ++t) {
            int64_t ih = p * s.sh - s.ph + r, iw = q * s.sw - s.pw + t;
            if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
            double v = x[(pl * s.H + ih) * s.W + iw];
            if (at < 0 || v > m || (std::isnan(v) && !std::isnan(m))) {  // the first NaN wins
              m = v;
              at = ih * s.W + iw;
            }
          }
        y[(pl * s.P + p) * s.Q + q] = m;
        argmax[(pl * s.P + p) * s.Q + q] = int32_t(at);
      }
}

// The divisor of output (p, q): the window's cells inside input + padding, or inside the input.
static int64_t avg_count(const PoolShape& s, int64_t p, int64_t q) {
  int64_t count = 0;
  for (int64_t r = 0; r < s.R; ++r)
    for (int64_t t = 0; t < s.S; ++t) {
      int64_t ih = p * s.sh - s.ph + r, iw = q * s.sw - s.pw + t;
      bool in_input = ih >= 0 && ih < s.H && iw >= 0 && iw < s.W;
      bool in_padded = ih < s.H + s.ph && iw < s.W + s.pw;
      if (s.count_include_pad ? in_padded : in_input) ++count;
    }
  return count;
}

void avg_pool2d_forward(const PoolShape& s, const float* x, double* y) {
  for (int64_t pl = 0; pl < s.N * s.C; ++pl)
    for (int64_t p = 0; p < s.P; ++p)
      for (int64_t q = 0; q < s.Q; ++q) {
        double sum = 0.0;
        for (int64_t r = 0; r < s.R; ++r)
          for (int64_t t = 0; t < s.S; ++t) {
            int64_t ih = p * s.sh - s.ph + r, iw = q * s.sw - s.pw + t;
            if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
            sum += x[(pl * s.H + ih) * s.W + iw];
          }
        y[(pl * s.P + p) * s.Q + q] = sum / double(avg_count(s, p, q));
      }
}

void avg_pool2d_backward(const PoolShape& s, const float* dy, double* dx) {
  for (int64_t i = 0; i < s.N * s.C * s.H * s.W; ++i) dx[i] = 0.0;
  for (int64_t pl = 0; pl < s.N * s.C; ++pl)
    for (int64_t p = 0; p < s.P; ++p)
      for (int64_t q = 0; q < s.Q; ++q) {
        double g = dy[(pl * s.P + p) * s.Q + q] / double(avg_count(s, p, q));
        for (int64_t r = 0; r < s.R; ++r)
          for (int64_t t = 0; t < s.S; ++t) {
            int64_t ih = p * s.sh - s.ph + r, iw = q * s.sw - s.pw + t;
            if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) continue;
            dx[(pl * s.H + ih) * s.W + iw] += g;
          }
      }
}

void batch_norm_forward(int64_t N, int64_t C, int64_t HW, const float* x, const float* gamma,
                        const float* beta, double* running_mean, double* running_var,
                        double momentum, double eps, bool training, double* y,
                        double* save_mean, double* save_invstd) {
  const int64_t M = N * HW;
  for (int64_t c = 0; c < C; ++c) {
    double mean = 0.0, var = 0.0;
    if (training) {
      for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < HW; ++i) mean += x[(n * C + c) * HW + i];
      mean /= double(M);
      for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < HW; ++i) {
          double d = x[(n * C + c) * HW + i] - mean;
          var += d * d;
        }
      if (running_mean) running_mean[c] = (1 - momentum) * running_mean[c] + momentum * mean;
      if (running_var) running_var[c] = (1 - momentum) * running_var[c] + momentum * var / double(M - 1);
      var /= double(M);
    } else {
      mean = running_mean[c];
      var = running_var[c];
    }
    double invstd = 1.0 / std::sqrt(var + eps);
    if (save_mean) save_mean[c] = mean;
    if (save_invstd) save_invstd[c] = invstd;
    double g = gamma ? gamma[c] : 1.0, b = beta ? beta[c] : 0.0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t i = 0; i < HW; ++i)
        y[(n * C + c) * HW + i] = g * (x[(n * C + c) * HW + i] - mean) * invstd + b;
  }
}

void batch_norm_backward(int64_t N, int64_t C, int64_t HW, const float* x, const float* dy,
                         const float* gamma, const double* mean, const double* invstd,
                         bool training, double* dx, double* dgamma, double* dbeta) {
  const int64_t M = N * HW;
  for (int64_t c = 0; c < C; ++c) {
    double sg = 0.0, sgx = 0.0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t i = 0; i < HW; ++i) {
        int64_t at = (n * C + c) * HW + i;
        double xhat = (x[at] - mean[c]) * invstd[c];
        sg += dy[at];
        sgx += dy[at] * xhat;
      }
    dbeta[c] = sg;
    dgamma[c] = sgx;
    double g = gamma ? gamma[c] : 1.0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t i = 0; i < HW; ++i) {
        int64_t at = (n * C + c) * HW + i;
        double xhat = (x[at] - mean[c]) * invstd[c];
        dx[at] = training ? g * invstd[c] * (dy[at] - sg / double(M) - xhat * sgx / double(M))
                          : g * invstd[c] * dy[at];
      }
  }
}

bool dropout_keep(uint64_t seed, uint64_t index, double p) {
  return double(nv::philox_uniform01(seed, index)) >= p;
}

}  // namespace nv::ref
