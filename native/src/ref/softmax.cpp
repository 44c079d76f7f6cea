#include <cmath>

#include "ref/ref.h"

namespace nv::ref {
namespace {

// The row's maximum m and sum of exp(x - m): softmax = exp(x - m) / s, log-softmax =
// x - m - log s.
void row_max_sum(const float* x, int64_t cols, double* m, double* s) {
  *m = x[0];
  for (int64_t c = 1; c < cols; ++c) *m = x[c] > *m ? x[c] : *m;
  *s = 0.0;
  for (int64_t c = 0; c < cols; ++c) *s += std::exp(x[c] - *m);
}

}  // namespace

void softmax_forward(int64_t rows, int64_t cols, const float* x, double* y) {
  for (int64_t r = 0; r < rows; ++r) {
    double m, s;
    row_max_sum(x + r * cols, cols, &m, &s);
    for (int64_t c = 0; c < cols; ++c) y[r * cols + c] = std::exp(x[r * cols + c] - m) / s;
  }
}

void softmax_backward(int64_t rows, int64_t cols, const float* y, const float* dy, double* dx) {
  for (int64_t r = 0; r < rows; ++r) {
    double dot = 0.0;
    for (int64_t c = 0; c < cols; ++c) dot += static_cast<double>(dy[r * cols + c]) * y[r * cols + c];
    for (int64_t c = 0; c < cols; ++c) dx[r * cols + c] = y[r * cols + c] * (dy[r * cols + c] - dot);
  }
}

void log_softmax_forward(int64_t rows, int64_t cols, const float* x, double* y) {
  for (int64_t r = 0; r < rows; ++r) {
    double m, s;
    row_max_sum(x + r * cols, cols, &m, &s);
    for (int64_t c = 0; c < cols; ++c) y[r * cols + c] = x[r * cols + c] - m - std::log(s);
  }
}

void log_softmax_backward(int64_t rows, int64_t cols, const float* y, const float* dy,
                          double* dx) {
  for (int64_t r = 0; r < rows; ++r) {
    double s = 0.0;
    for (int64_t c = 0; c < cols; ++c) s += dy[r * cols + c];
    for (int64_t c = 0; c < cols; ++c)
      dx[r * cols + c] = dy[r * cols + c] - std::exp(static_cast<double>(y[r * cols + c])) * s;
  }
}

double softmax_xent(int64_t rows, int64_t cols, const float* x, const int32_t* labels,
                    double* dlogits) {
  double total = 0.0;
  for (int64_t r = 0; r < rows; ++r) {
    double m, s;
    row_max_sum(x + r * cols, cols, &m, &s);
    total += -(x[r * cols + labels[r]] - m - std::log(s));
    if (dlogits) {
      for (int64_t c = 0; c < cols; ++c) {
        double p = std::exp(x[r * cols + c] - m) / s;
        dlogits[r * cols + c] = (p - (c == labels[r] ? 1.0 : 0.0)) / static_cast<double>(rows);
      }
    }
  }
  return total / static_cast<double>(rows);
}

}  // namespace nv::ref
