// Softmax / log-softmax forward and backward and the fused softmax cross-entropy against the
// double loops, on odd row lengths (tails of the vector loops; a warp or a block per row on a
// GPU), large logits (the max shift), -inf logits, in place; every backend. A bad label must
// fail naming its row (the first bad one) without writing the loss, and leave the context
// usable; plus the other argument checks.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

// Two suites with their own seeds: the CPU's rows (up to 100003 long), the GPU's (a -inf
// logit first in its row for softmax and log-softmax).
struct Suite {
  uint64_t seed;
  bool masked;
};
const Suite kCpuSuite{11, false}, kGpuSuite{31, true};

void test_rows(const Config& cfg, const Suite& s, int64_t rows, int64_t cols, float scale) {
  Rng& rng = stream(s.seed, cfg);
  int64_t n = rows * cols;
  std::vector<float> x = rng.floats(n, -scale, scale), dy = rng.floats(n, -1, 1);
  if (s.masked && n > 2 && cols > 2) x[0] = -INFINITY;  // a masked logit, first in its row
  std::vector<double> want(n), dwant(n);
  std::string tag = fmt("%s rows=%lld cols=%lld scale=%g", cfg.name.c_str(), (long long)rows,
                        (long long)cols, scale);
  Buf<float> dx_in(cfg.ctx, x), ddy(cfg.ctx, dy), dout(cfg.ctx, n), dgrad(cfg.ctx, n);

  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_softmax_forward_f32(cfg.ctx, rows, cols, dx_in.p, dout.p));
  std::vector<float> y = dout.read();
  compare(("softmax " + tag).c_str(), y.data(), want.data(), n, 1e-9, 1e-5);
  nv::ref::softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_softmax_backward_f32(cfg.ctx, rows, cols, dout.p, ddy.p, dgrad.p));
  // Backward sums cols float products: absolute error grows like sqrt(cols) ulps.
  const double sum_atol = 2e-7 * std::sqrt(static_cast<double>(cols));
  compare(("softmax_backward " + tag).c_str(), dgrad.read().data(), dwant.data(), n, sum_atol, 1e-5);

  nv::ref::log_softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_log_softmax_forward_f32(cfg.ctx, rows, cols, dx_in.p, dout.p));
  y = dout.read();
  compare(("log_softmax " + tag).c_str(), y.data(), want.data(), n, 1e-5, 1e-6);
  nv::ref::log_softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_log_softmax_backward_f32(cfg.ctx, rows, cols, dout.p, ddy.p, dgrad.p));
  compare(("log_softmax_backward " + tag).c_str(), dgrad.read().data(), dwant.data(), n, sum_atol, 1e-5);

  // In place: y may alias x.
  Buf<float> inplace(cfg.ctx, x);
  CHECK_OK(nv_softmax_forward_f32(cfg.ctx, rows, cols, inplace.p, inplace.p));
  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  compare(("softmax in place " + tag).c_str(), inplace.read().data(), want.data(), n, 1e-9, 1e-5);

  // Cross-entropy on finite logits.
  if (s.masked && n > 2 && cols > 2) x[0] = 0.5f;
  dx_in.write(x);
  std::vector<int32_t> labels(rows);
  for (auto& l : labels) l = static_cast<int32_t>(rng.below(cols));
  Buf<int32_t> dlabels(cfg.ctx, labels);
  Buf<float> dloss(cfg.ctx, 1);
  double lwant = nv::ref::softmax_xent(rows, cols, x.data(), labels.data(), dwant.data());
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, rows, cols, dx_in.p, dlabels.p, dloss.p, dgrad.p));
  float loss = dloss.read()[0];
  compare(("xent loss " + tag).c_str(), &loss, &lwant, 1, 1e-6, 1e-5);
  // (p - 1) / rows cancels when p is near 1: the error is absolute, a few ulps of 1 / rows.
  compare(("xent dlogits " + tag).c_str(), dgrad.read().data(), dwant.data(), n, 3e-7 / rows, 1e-5);
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, rows, cols, dx_in.p, dlabels.p, dloss.p, nullptr));
  float loss2 = dloss.read()[0];
  CHECK(loss2 == loss, "xent without dlogits gives %g, with %g", loss2, loss);
}

void bad_labels(const Config& cfg) {
  std::vector<float> x = stream(kGpuSuite.seed, cfg).floats(12, -1, 1);
  Buf<float> dx(cfg.ctx, x), dgrad(cfg.ctx, 12), dloss(cfg.ctx, std::vector<float>{42.0f});
  Buf<int32_t> labels(cfg.ctx, std::vector<int32_t>{1, 0, 3, 7});
  // Rows 2 and 3 are bad: the first one is named.
  CHECK_ERR(nv_softmax_xent_f32(cfg.ctx, 4, 3, dx.p, labels.p, dloss.p, dgrad.p),
            NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32: label 3 at row 2 is outside [0, 3)");
  CHECK(dloss.read()[0] == 42.0f, "%s: the loss was written despite a bad label", cfg.name.c_str());
  labels.write({1, -1, 0, 0});
  CHECK_ERR(nv_softmax_xent_f32(cfg.ctx, 4, 3, dx.p, labels.p, dloss.p, nullptr),
            NV_ERR_INVALID_ARGUMENT, "label -1 at row 1");
  // The context still works after the failure.
  labels.write({1, 2, 0, 0});
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, 4, 3, dx.p, labels.p, dloss.p, dgrad.p));
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> bx(ctx, 6), by(ctx, 6), bloss(ctx, 1);
  Buf<int32_t> blabels(ctx, std::vector<int32_t>{1, 3});
  float *x = bx.p, *y = by.p, *loss = bloss.p;
  int32_t* labels = blabels.p;
  CHECK_ERR(nv_softmax_forward_f32(nullptr, 2, 3, x, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_forward_f32");
  CHECK_ERR(nv_softmax_forward_f32(ctx, -2, 3, x, y), NV_ERR_INVALID_ARGUMENT, "rows=-2");
  CHECK_ERR(nv_softmax_backward_f32(ctx, 2, 3, x, nullptr, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_backward_f32");
  CHECK_ERR(nv_log_softmax_forward_f32(ctx, 2, -3, x, y), NV_ERR_INVALID_ARGUMENT, "cols=-3");
  CHECK_ERR(nv_log_softmax_backward_f32(ctx, 2, 3, nullptr, x, y), NV_ERR_INVALID_ARGUMENT, "nv_log_softmax_backward_f32");
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, labels, loss, y), NV_ERR_INVALID_ARGUMENT,
            "label 3 at row 1 is outside [0, 3)");
  blabels.write({1, -1});
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, labels, loss, y), NV_ERR_INVALID_ARGUMENT, "label -1 at row 1");
  blabels.write({1, 0});
  CHECK_ERR(nv_softmax_xent_f32(ctx, 0, 3, x, labels, loss, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32");
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, nullptr, loss, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32");
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, labels, nullptr, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32");
  CHECK_OK(nv_softmax_forward_f32(ctx, 0, 3, nullptr, nullptr));
}

void run(const Config& cfg) {
  // On cuda-sim the CPU suite's small rows would repeat the GPU suite's, and its 257 and 100003
  // long ones are too slow there.
  if (!cfg.slow()) {
    test_rows(cfg, kCpuSuite, 1, 1, 1.0f);
    test_rows(cfg, kCpuSuite, 7, 33, 5.0f);
    test_rows(cfg, kCpuSuite, 100, 10, 3.0f);
    test_rows(cfg, kCpuSuite, 33, 1000, 20.0f);
    test_rows(cfg, kCpuSuite, 257, 17, 60.0f);  // exp(+-120) would overflow without the max shift
    test_rows(cfg, kCpuSuite, 3, 100003, 2.0f);
  }
  test_rows(cfg, kGpuSuite, 1, 1, 1.0f);
  test_rows(cfg, kGpuSuite, 7, 33, 5.0f);
  test_rows(cfg, kGpuSuite, 100, 10, 3.0f);
  test_rows(cfg, kGpuSuite, 33, 1000, 20.0f);
  test_rows(cfg, kGpuSuite, 57, 17, 60.0f);
  test_rows(cfg, kGpuSuite, 3, 10007, 2.0f);  // a block per row on a GPU
  bad_labels(cfg);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
