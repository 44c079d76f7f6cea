#include <cmath>
#include <cstring>

#include "ref/ref.h"

namespace nv::ref {

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace

void lstm_cell_forward(int64_t B, int64_t H, const float* gx, const float* gh,
                       const float* c_prev, double* h, double* c, double* saved) {
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      double p[4];
      for (int k = 0; k < 4; ++k) {
        int64_t at = b * 4 * H + k * H + j;
        p[k] = static_cast<double>(gx[at]) + (gh ? static_cast<double>(gh[at]) : 0.0);
      }
      double i = sigmoid(p[0]), f = sigmoid(p[1]), g = std::tanh(p[2]), o = sigmoid(p[3]);
      double cp = c_prev ? c_prev[b * H + j] : 0.0;
      double cn = f * cp + i * g;
      c[b * H + j] = cn;
      h[b * H + j] = o * std::tanh(cn);
      if (saved) {
        double act[4] = {i, f, g, o};
        for (int k = 0; k < 4; ++k) saved[b * 4 * H + k * H + j] = act[k];
      }
    }
  }
}

void lstm_cell_backward(int64_t B, int64_t H, const float* saved, const float* c_prev,
                        const float* c, const float* dh, const float* dc, double* dgates,
                        double* dc_prev) {
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const float* s = saved + b * 4 * H + j;
      double i = s[0], f = s[H], g = s[2 * H], o = s[3 * H];
      double tc = std::tanh(static_cast<double>(c[b * H + j]));
      double gh = dh ? dh[b * H + j] : 0.0;
      double dct = (dc ? dc[b * H + j] : 0.0) + gh * o * (1.0 - tc * tc);
      double cp = c_prev ? c_prev[b * H + j] : 0.0;
      double* d = dgates + b * 4 * H + j;
      d[0] = dct * g * i * (1.0 - i);
      d[H] = dct * cp * f * (1.0 - f);
      d[2 * H] = dct * i * (1.0 - g * g);
      d[3 * H] = gh * tc * o * (1.0 - o);
      if (dc_prev) dc_prev[b * H + j] = dct * f;
    }
  }
}

void gru_cell_forward(int64_t B, int64_t H, const float* gi, const float* gh,
                      const float* h_prev, double* h, double* saved) {
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const float* x = gi + b * 3 * H + j;
      const float* y = gh + b * 3 * H + j;
      double r = sigmoid(static_cast<double>(x[0]) + y[0]);
      double z = sigmoid(static_cast<double>(x[H]) + y[H]);
      double n = std::tanh(static_cast<double>(x[2 * H]) + r * y[2 * H]);
      double hp = h_prev ? h_prev[b * H + j] : 0.0;
      h[b * H + j] = (1.0 - z) * n + z * hp;
      if (saved) {
        double* s = saved + b * 4 * H + j;
        s[0] = r;
        s[H] = z;
        s[2 * H] = n;
        s[3 * H] = y[2 * H];
      }
    }
  }
}

void gru_cell_backward(int64_t B, int64_t H, const float* saved, const float* h_prev,
                       const float* dh, double* dgi, double* dgh, double* dh_prev) {
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t j = 0; j < H; ++j) {
      const float* s = saved + b * 4 * H + j;
      double r = s[0], z = s[H], n = s[2 * H], hn = s[3 * H];
      double d = dh[b * H + j];
      double hp = h_prev ? h_prev[b * H + j] : 0.0;
      double dn = d * (1.0 - z) * (1.0 - n * n);
      double dr = dn * hn * r * (1.0 - r);
      double dz = d * (hp - n) * z * (1.0 - z);
      double* di = dgi + b * 3 * H + j;
      double* dg = dgh + b * 3 * H + j;
      di[0] = dr;
      di[H] = dz;
      di[2 * H] = dn;
      dg[0] = dr;
      dg[H] = dz;
      dg[2 * H] = dn * r;
      dh_prev[b * H + j] = d * z;
    }
  }
}

void gather_rows(int64_t n, int64_t dim, const float* table, const int32_t* idx, double* out) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < dim; ++k) out[i * dim + k] = table[static_cast<int64_t>(idx[i]) * dim + k];
}

void scatter_add_rows(int64_t n, int64_t dim, const float* src, const int32_t* idx,
                      double* table) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < dim; ++k) table[static_cast<int64_t>(idx[i]) * dim + k] += src[i * dim + k];
}

}  // namespace nv::ref
