#include <cmath>

#include "ref/ref.h"

namespace nv::ref {

void sgd(double& w, double g, double& buf, double lr, double momentum, double dampening,
         double weight_decay, bool nesterov, bool first_step) {
  double gp = g + weight_decay * w;
  if (momentum == 0.0) {
    w -= lr * gp;
    return;
  }
  buf = first_step ? gp : momentum * buf + (1.0 - dampening) * gp;
  w -= lr * (nesterov ? gp + momentum * buf : buf);
}

void rmsprop(double& w, double g, double& sq, double& buf, double lr, double alpha, double eps,
             double weight_decay, double momentum) {
  double gp = g + weight_decay * w;
  sq = alpha * sq + (1.0 - alpha) * gp * gp;
  double d = gp / (std::sqrt(sq) + eps);
  if (momentum == 0.0) {
    w -= lr * d;
    return;
  }
  buf = momentum * buf + d;
  w -= lr * buf;
}

void adam(double& w, double g, double& m, double& v, double lr, double beta1, double beta2,
          double eps, double weight_decay, bool decoupled, int64_t step) {
  double gp = g;
  if (decoupled) w -= lr * weight_decay * w;
  else gp = g + weight_decay * w;
  m = beta1 * m + (1.0 - beta1) * gp;
  v = beta2 * v + (1.0 - beta2) * gp * gp;
  double mhat = m / (1.0 - std::pow(beta1, static_cast<double>(step)));
  double vhat = v / (1.0 - std::pow(beta2, static_cast<double>(step)));
  w -= lr * mhat / (std::sqrt(vhat) + eps);
}

}  // namespace nv::ref
