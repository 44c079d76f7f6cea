// Batch norm on NaN, +inf and values near the float limit, on every backend. PyTorch's rules:
// a channel with a NaN or an inf has a NaN variance, so all of its outputs are NaN (its running
// mean becomes NaN or inf); the other channels are untouched. A channel whose variance
// overflows float (values near +-3e38) has invstd 0 and outputs beta.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

const float kInf = INFINITY, kNan = NAN;

// N = 2, C = 4, HW = 3: channel 0 gets a NaN, channel 1 a +inf, channel 2 a -inf, channel 3
// stays finite.
void special_channels(const Config& cfg) {
  const int64_t N = 2, C = 4, HW = 3, n = N * C * HW;
  std::vector<float> x = stream(53, cfg).floats(n, -2, 2);
  x[0 * HW + 1] = kNan;
  x[(1 * C + 1) * HW + 2] = kInf;
  x[2 * HW] = -kInf;
  const std::vector<float> gamma = {1.5f, 0.5f, 2.0f, 1.0f}, beta = {0.1f, 0.2f, 0.3f, 0.4f};
  std::vector<double> want(n), rm(C, 0.0), rv(C, 1.0), mean(C), inv(C);
  nv::ref::batch_norm_forward(N, C, HW, x.data(), gamma.data(), beta.data(), rm.data(), rv.data(),
                              0.1, 1e-5, true, want.data(), mean.data(), inv.data());
  Buf<float> dx(cfg.ctx, x), dg(cfg.ctx, gamma), db(cfg.ctx, beta), dy(cfg.ctx, n),
      drm(cfg.ctx, std::vector<float>(C, 0.0f)), drv(cfg.ctx, std::vector<float>(C, 1.0f)),
      sm(cfg.ctx, C), si(cfg.ctx, C);
  CHECK_OK(nv_batch_norm_forward_f32(cfg.ctx, N, C, HW, dx.p, dg.p, db.p, drm.p, drv.p, 0.1f,
                                     1e-5f, 1, dy.p, sm.p, si.p));
  std::vector<float> y = dy.read();
  compare(fmt("batch_norm with NaN, inf, -inf channels %s", cfg.name.c_str()).c_str(), y.data(),
          want.data(), n, 2e-5, 1e-5);
  for (int64_t k = 0; k < N; ++k)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t i = 0; i < HW; ++i)
        CHECK(std::isnan(y[(k * C + c) * HW + i]), "%s batch_norm channel %lld: %g, want NaN",
              cfg.name.c_str(), (long long)c, y[(k * C + c) * HW + i]);
  std::vector<float> running = drm.read();
  CHECK(!std::isfinite(running[0]) && !std::isfinite(running[1]) && std::isfinite(running[3]),
        "%s batch_norm running means %g %g %g %g", cfg.name.c_str(), running[0], running[1],
        running[2], running[3]);
}

// Values near +-3e38: the variance overflows float, invstd is 0 and y = beta.
void huge_channel(const Config& cfg) {
  const std::vector<float> x = {3e38f, -3e38f, 3e38f, -3e38f};
  const std::vector<float> gamma = {2.0f}, beta = {0.25f};
  Buf<float> dx(cfg.ctx, x), dg(cfg.ctx, gamma), db(cfg.ctx, beta), dy(cfg.ctx, 4), sm(cfg.ctx, 1),
      si(cfg.ctx, 1);
  CHECK_OK(nv_batch_norm_forward_f32(cfg.ctx, 2, 1, 2, dx.p, dg.p, db.p, nullptr, nullptr, 0.1f,
                                     1e-5f, 1, dy.p, sm.p, si.p));
  std::vector<float> y = dy.read();
  for (float v : y)
    CHECK(v == 0.25f, "%s batch_norm of +-3e38: %g, want beta 0.25", cfg.name.c_str(), v);
}

void run(const Config& cfg) {
  special_channels(cfg);
  huge_channel(cfg);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
