#include <cmath>

#include "ref/ref.h"

namespace nv::ref {

double unary(int32_t op, double x, double alpha, double beta) {
  switch (op) {
    case NV_UNARY_COPY: return x;
    case NV_UNARY_NEG: return -x;
    case NV_UNARY_EXP: return std::exp(x);
    case NV_UNARY_LOG: return std::log(x);
    case NV_UNARY_SQRT: return std::sqrt(x);
    case NV_UNARY_RELU: return x > 0 ? x : 0.0;
    case NV_UNARY_SIGMOID: return 1.0 / (1.0 + std::exp(-x));
    case NV_UNARY_TANH: return std::tanh(x);
    case NV_UNARY_ABS: return std::fabs(x);
    case NV_UNARY_SOFTPLUS: return std::log1p(std::exp(x));
    case NV_UNARY_SQUARE: return x * x;
    case NV_UNARY_RECIPROCAL: return 1.0 / x;
    case NV_UNARY_POW: return std::pow(x, alpha);
    case NV_UNARY_LEAKY_RELU: return x > 0 ? x : alpha * x;
    case NV_UNARY_SCALE_SHIFT: return alpha * x + beta;
  }
  return NAN;
}

double unary_backward(int32_t op, double x, double dy, double alpha, double beta) {
  (void)beta;
  switch (op) {
    case NV_UNARY_COPY: return dy;
    case NV_UNARY_NEG: return -dy;
    case NV_UNARY_EXP: return dy * std::exp(x);
    case NV_UNARY_LOG: return dy / x;
    case NV_UNARY_SQRT: return dy * 0.5 / std::sqrt(x);
    case NV_UNARY_RELU: return x > 0 ? dy : 0.0;
    case NV_UNARY_SIGMOID: {
      double s = 1.0 / (1.0 + std::exp(-x));
      return dy * s * (1.0 - s);
    }
    case NV_UNARY_TANH: {
      double t = std::tanh(x);
      return dy * (1.0 - t * t);
    }
    case NV_UNARY_ABS: return x > 0 ? dy : x < 0 ? -dy : 0.0;
    case NV_UNARY_SOFTPLUS: return dy / (1.0 + std::exp(-x));
    case NV_UNARY_SQUARE: return dy * 2.0 * x;
    case NV_UNARY_RECIPROCAL: return -dy / (x * x);
    case NV_UNARY_POW: return alpha == 0.0 ? 0.0 : dy * alpha * std::pow(x, alpha - 1.0);
    case NV_UNARY_LEAKY_RELU: return x > 0 ? dy : alpha * dy;
    case NV_UNARY_SCALE_SHIFT: return alpha * dy;
  }
  return NAN;
}

double binary(int32_t op, double a, double b) {
  switch (op) {
    case NV_BINARY_ADD: return a + b;
    case NV_BINARY_SUB: return a - b;
    case NV_BINARY_MUL: return a * b;
    case NV_BINARY_DIV: return a / b;
    case NV_BINARY_MAXIMUM: return std::isnan(a) || std::isnan(b) ? NAN : (a > b ? a : b);
    case NV_BINARY_MINIMUM: return std::isnan(a) || std::isnan(b) ? NAN : (a < b ? a : b);
  }
  return NAN;
}

double compare(int32_t op, double a, double b) {
  switch (op) {
    case NV_COMPARE_EQ: return a == b;
    case NV_COMPARE_GT: return a > b;
    case NV_COMPARE_GE: return a >= b;
    case NV_COMPARE_LT: return a < b;
    case NV_COMPARE_LE: return a <= b;
  }
  return NAN;
}

void binary_broadcast(int32_t op, bool cmp, int32_t ndim, const int64_t* shape, const float* a,
                      const int64_t* as, const float* b, const int64_t* bs, double* out) {
  int64_t total = 1;
  for (int d = 0; d < ndim; ++d) total *= shape[d];
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t oa, ob;
    strided_offsets(flat, ndim, shape, as, bs, &oa, &ob);
    out[flat] = cmp ? compare(op, a[oa], b[ob]) : binary(op, a[oa], b[ob]);
  }
}

}  // namespace nv::ref
