// Softmax / log-softmax forward and backward and the fused softmax cross-entropy against the
// double loops, on odd row lengths (tails of the vector loops), large logits (the max shift),
// every ISA and 1 and 2 threads; a bad label must fail naming its row.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(11);

void test_rows(const Config& cfg, int64_t rows, int64_t cols, float scale) {
  int64_t n = rows * cols;
  std::vector<float> x = rng.floats(n, -scale, scale), y(n), dy = rng.floats(n, -1, 1), dx(n);
  std::vector<double> want(n), dwant(n);
  std::string tag = fmt("%s rows=%lld cols=%lld scale=%g", cfg.name.c_str(), (long long)rows,
                        (long long)cols, scale);

  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_softmax_forward_f32(cfg.ctx, rows, cols, x.data(), y.data()));
  compare(("softmax " + tag).c_str(), y.data(), want.data(), n, 1e-9, 1e-5);
  nv::ref::softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_softmax_backward_f32(cfg.ctx, rows, cols, y.data(), dy.data(), dx.data()));
  // Backward sums cols float products: absolute error grows like sqrt(cols) ulps.
  const double sum_atol = 2e-7 * std::sqrt(static_cast<double>(cols));
  compare(("softmax_backward " + tag).c_str(), dx.data(), dwant.data(), n, sum_atol, 1e-5);

  nv::ref::log_softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_log_softmax_forward_f32(cfg.ctx, rows, cols, x.data(), y.data()));
  compare(("log_softmax " + tag).c_str(), y.data(), want.data(), n, 1e-5, 1e-6);
  nv::ref::log_softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_log_softmax_backward_f32(cfg.ctx, rows, cols, y.data(), dy.data(), dx.data()));
  compare(("log_softmax_backward " + tag).c_str(), dx.data(), dwant.data(), n, sum_atol, 1e-5);

  // In place: y may alias x.
  std::vector<float> inplace = x;
  CHECK_OK(nv_softmax_forward_f32(cfg.ctx, rows, cols, inplace.data(), inplace.data()));
  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  compare(("softmax in place " + tag).c_str(), inplace.data(), want.data(), n, 1e-9, 1e-5);

  std::vector<int32_t> labels(rows);
  for (auto& l : labels) l = static_cast<int32_t>(rng.below(cols));
  float loss = 0.0f;
  double lwant = nv::ref::softmax_xent(rows, cols, x.data(), labels.data(), dwant.data());
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, rows, cols, x.data(), labels.data(), &loss, dx.data()));
  compare(("xent loss " + tag).c_str(), &loss, &lwant, 1, 1e-6, 1e-5);
  // (p - 1) / rows cancels when p is near 1: the error is absolute, a few ulps of 1 / rows.
  compare(("xent dlogits " + tag).c_str(), dx.data(), dwant.data(), n, 3e-7 / rows, 1e-5);
  float loss2 = 0.0f;
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, rows, cols, x.data(), labels.data(), &loss2, nullptr));
  CHECK(loss2 == loss, "xent without dlogits gives %g, with %g", loss2, loss);
}

void bad_arguments(nv_ctx* ctx) {
  float x[6] = {}, y[6] = {}, loss;
  int32_t labels[2] = {1, 3};
  CHECK_ERR(nv_softmax_forward_f32(nullptr, 2, 3, x, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_forward_f32");
  CHECK_ERR(nv_softmax_forward_f32(ctx, -2, 3, x, y), NV_ERR_INVALID_ARGUMENT, "rows=-2");
  CHECK_ERR(nv_softmax_backward_f32(ctx, 2, 3, x, nullptr, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_backward_f32");
  CHECK_ERR(nv_log_softmax_forward_f32(ctx, 2, -3, x, y), NV_ERR_INVALID_ARGUMENT, "cols=-3");
  CHECK_ERR(nv_log_softmax_backward_f32(ctx, 2, 3, nullptr, x, y), NV_ERR_INVALID_ARGUMENT, "nv_log_softmax_backward_f32");
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, labels, &loss, y), NV_ERR_INVALID_ARGUMENT,
            "label 3 at row 1 is outside [0, 3)");
  labels[1] = -1;
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, labels, &loss, y), NV_ERR_INVALID_ARGUMENT, "label -1 at row 1");
  labels[1] = 0;
  CHECK_ERR(nv_softmax_xent_f32(ctx, 0, 3, x, labels, &loss, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32");
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, nullptr, &loss, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32");
  CHECK_ERR(nv_softmax_xent_f32(ctx, 2, 3, x, labels, nullptr, y), NV_ERR_INVALID_ARGUMENT, "nv_softmax_xent_f32");
  CHECK_OK(nv_softmax_forward_f32(ctx, 0, 3, nullptr, nullptr));
}

}  // namespace

int main() {
  for (const Config& cfg : configs()) {
    test_rows(cfg, 1, 1, 1.0f);
    test_rows(cfg, 7, 33, 5.0f);
    test_rows(cfg, 100, 10, 3.0f);
    test_rows(cfg, 33, 1000, 20.0f);
    test_rows(cfg, 257, 17, 60.0f);  // exp(+-120) would overflow without the max shift
    test_rows(cfg, 3, 100003, 2.0f);
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
