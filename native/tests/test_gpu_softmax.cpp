// The GPU softmax family: softmax / log-softmax forward and backward and the fused softmax
// cross-entropy against the double loops, for short rows (a warp each) and long ones (a block
// each), large logits (the max shift), -inf logits, in place; a bad label fails naming its row
// as on the CPU. cuda-sim and, where there is one, a real GPU.
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(31);

void test_rows(const GpuConfig& g, int64_t rows, int64_t cols, float scale) {
  int64_t n = rows * cols;
  std::vector<float> x = rng.floats(n, -scale, scale), dy = rng.floats(n, -1, 1);
  if (n > 2 && cols > 2) x[0] = -INFINITY;  // a masked logit, first in its row
  std::vector<double> want(n), dwant(n);
  std::string tag = fmt("%s rows=%lld cols=%lld scale=%g", g.name.c_str(), (long long)rows,
                        (long long)cols, scale);
  DevBuf<float> dx_in(g.ctx, x), ddy(g.ctx, dy), dout(g.ctx, n), dgrad(g.ctx, n);

  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_softmax_forward_f32(g.ctx, rows, cols, dx_in.p, dout.p));
  std::vector<float> y = dout.read();
  compare(("softmax " + tag).c_str(), y.data(), want.data(), n, 1e-9, 1e-5);
  nv::ref::softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_softmax_backward_f32(g.ctx, rows, cols, dout.p, ddy.p, dgrad.p));
  const double sum_atol = 2e-7 * std::sqrt(static_cast<double>(cols));
  compare(("softmax_backward " + tag).c_str(), dgrad.read().data(), dwant.data(), n, sum_atol, 1e-5);

  nv::ref::log_softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_log_softmax_forward_f32(g.ctx, rows, cols, dx_in.p, dout.p));
  y = dout.read();
  compare(("log_softmax " + tag).c_str(), y.data(), want.data(), n, 1e-5, 1e-6);
  nv::ref::log_softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_log_softmax_backward_f32(g.ctx, rows, cols, dout.p, ddy.p, dgrad.p));
  compare(("log_softmax_backward " + tag).c_str(), dgrad.read().data(), dwant.data(), n, sum_atol, 1e-5);

  // In place: y may alias x.
  DevBuf<float> inplace(g.ctx, x);
  CHECK_OK(nv_softmax_forward_f32(g.ctx, rows, cols, inplace.p, inplace.p));
  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  compare(("softmax in place " + tag).c_str(), inplace.read().data(), want.data(), n, 1e-9, 1e-5);

  // Cross-entropy on finite logits.
  if (n > 2 && cols > 2) x[0] = 0.5f;
  dx_in.write(x);
  std::vector<int32_t> labels(rows);
  for (auto& l : labels) l = static_cast<int32_t>(rng.below(cols));
  DevBuf<int32_t> dlabels(g.ctx, labels);
  DevBuf<float> dloss(g.ctx, 1);
  double lwant = nv::ref::softmax_xent(rows, cols, x.data(), labels.data(), dwant.data());
  CHECK_OK(nv_softmax_xent_f32(g.ctx, rows, cols, dx_in.p, dlabels.p, dloss.p, dgrad.p));
  float loss = dloss.read()[0];
  compare(("xent loss " + tag).c_str(), &loss, &lwant, 1, 1e-6, 1e-5);
  compare(("xent dlogits " + tag).c_str(), dgrad.read().data(), dwant.data(), n, 3e-7 / rows, 1e-5);
  CHECK_OK(nv_softmax_xent_f32(g.ctx, rows, cols, dx_in.p, dlabels.p, dloss.p, nullptr));
  float loss2 = dloss.read()[0];
  CHECK(loss2 == loss, "xent without dlogits gives %g, with %g", loss2, loss);
}

void bad_labels(const GpuConfig& g) {
  std::vector<float> x = rng.floats(12, -1, 1);
  DevBuf<float> dx(g.ctx, x), dgrad(g.ctx, 12), dloss(g.ctx, std::vector<float>{42.0f});
  DevBuf<int32_t> labels(g.ctx, std::vector<int32_t>{1, 0, 3, 7});
  // Rows 2 and 3 are bad: the first one is named, as the CPU names it.
  CHECK_ERR(nv_softmax_xent_f32(g.ctx, 4, 3, dx.p, labels.p, dloss.p, dgrad.p),
            NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32: label 3 at row 2 is outside [0, 3)");
  CHECK(dloss.read()[0] == 42.0f, "%s: the loss was written despite a bad label", g.name.c_str());
  labels.write({1, -1, 0, 0});
  CHECK_ERR(nv_softmax_xent_f32(g.ctx, 4, 3, dx.p, labels.p, dloss.p, nullptr),
            NV_ERR_INVALID_ARGUMENT, "label -1 at row 1");
  // The context still works after the failure.
  labels.write({1, 2, 0, 0});
  CHECK_OK(nv_softmax_xent_f32(g.ctx, 4, 3, dx.p, labels.p, dloss.p, dgrad.p));
}

}  // namespace

int main() {
  for (const GpuConfig& g : gpu_configs()) {
    test_rows(g, 1, 1, 1.0f);
    test_rows(g, 7, 33, 5.0f);
    test_rows(g, 100, 10, 3.0f);
    test_rows(g, 33, 1000, 20.0f);
    test_rows(g, 57, 17, 60.0f);  // exp(+-120) would overflow without the max shift
    test_rows(g, 3, 10007, 2.0f);  // a block per row
    bad_labels(g);
  }
  return gpu_report();
}
