// Max and average pooling on NaN and +-inf, on every backend. PyTorch's rules: a window with a
// NaN gives NaN (its argmax, where the backward sends the gradient, is a NaN: here the first
// one, in PyTorch the last one, a difference that shows only in where a NaN's gradient goes);
// a window of -inf only gives -inf at its first cell; average pooling is IEEE arithmetic.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

const float kInf = INFINITY, kNan = NAN;

// One 3x3 plane, 2x2 windows at stride 1: (0,0) all -inf, (0,1) a 5 and a NaN, (1,0) a +inf,
// (1,1) a NaN.
void hand_plane(const Config& cfg) {
  const std::vector<float> x = {-kInf, -kInf, 5,  //
                                -kInf, -kInf, kNan,  //
                                kInf, 1, 2};
  Buf<float> dx(cfg.ctx, x), dy(cfg.ctx, 4);
  Buf<int32_t> am(cfg.ctx, 4);
  CHECK_OK(nv_max_pool2d_forward_f32(cfg.ctx, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, 0, dx.p, dy.p, am.p));
  std::vector<float> y = dy.read();
  std::vector<int32_t> a = am.read();
  CHECK(y[0] == -kInf && a[0] == 0, "%s max_pool of a -inf window: %g at %d, want -inf at 0",
        cfg.name.c_str(), y[0], a[0]);
  CHECK(std::isnan(y[1]) && a[1] == 5, "%s max_pool of [-inf, 5, -inf, NaN]: %g at %d, want NaN at 5",
        cfg.name.c_str(), y[1], a[1]);
  CHECK(y[2] == kInf && a[2] == 6, "%s max_pool of [-inf, -inf, inf, 1]: %g at %d, want inf at 6",
        cfg.name.c_str(), y[2], a[2]);
  CHECK(std::isnan(y[3]) && a[3] == 5, "%s max_pool of [-inf, NaN, 1, 2]: %g at %d, want NaN at 5",
        cfg.name.c_str(), y[3], a[3]);
  CHECK_OK(nv_avg_pool2d_forward_f32(cfg.ctx, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0, 0, 1, dx.p, dy.p));
  y = dy.read();
  CHECK(y[0] == -kInf && std::isnan(y[1]) && std::isnan(y[2]) && std::isnan(y[3]),
        "%s avg_pool: %g %g %g %g, want -inf NaN NaN NaN", cfg.name.c_str(), y[0], y[1], y[2], y[3]);
}

// Random planes with NaN, +inf or -inf planted in a tenth of the cells, against the reference.
void planted(const Config& cfg, float v) {
  Rng& rng = stream(47, cfg);
  const int64_t N = 2, C = 3, H = 9, W = 11, R = 3, S = 2;
  int64_t P = 0, Q = 0;
  CHECK_OK(nv_pool2d_output_size(H, R, 2, 1, 0, &P));
  CHECK_OK(nv_pool2d_output_size(W, S, 1, 0, 0, &Q));
  nv::PoolShape s{N, C, H, W, R, S, 2, 1, 1, 0, P, Q, false};
  const int64_t nx = N * C * H * W, ny = N * C * P * Q;
  std::vector<float> x = rng.floats(nx, -2, 2);
  for (auto& e : x)
    if (rng.below(10) == 0) e = v;
  std::vector<double> want(ny);
  std::vector<int32_t> want_am(ny);
  nv::ref::max_pool2d_forward(s, x.data(), want.data(), want_am.data());
  Buf<float> dx(cfg.ctx, x), dy(cfg.ctx, ny);
  Buf<int32_t> am(cfg.ctx, ny);
  CHECK_OK(nv_max_pool2d_forward_f32(cfg.ctx, N, C, H, W, R, S, 2, 1, 1, 0, 0, dx.p, dy.p, am.p));
  compare(fmt("max_pool %s with %g", cfg.name.c_str(), v).c_str(), dy.read().data(), want.data(),
          ny, 0, 0);
  CHECK(am.read() == want_am, "%s max_pool argmax with %g differs from the reference",
        cfg.name.c_str(), v);
}

// The reference keeps the rule (else planted() would prove nothing).
void reference_rules() {
  const float x[] = {1, kNan, 3, kNan};
  nv::PoolShape s{1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1, false};
  double y;
  int32_t am;
  nv::ref::max_pool2d_forward(s, x, &y, &am);
  CHECK(std::isnan(y) && am == 1, "ref max_pool of [1, NaN, 3, NaN]: %g at %d", y, am);
}

void run(const Config& cfg) {
  hand_plane(cfg);
  for (float v : {kNan, kInf, -kInf}) planted(cfg, v);
}

}  // namespace

int main() {
  reference_rules();
  for_each_config(run);
  return report();
}
