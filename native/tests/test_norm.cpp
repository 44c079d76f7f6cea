// Batch norm forward (training with running statistics, evaluation) and backward against the
// double loops, with and without gamma/beta; dropout's mask against the counter-based uniform
// draws and its scaling. Every ISA, 1 and 2 threads; bad arguments fail naming the values.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(53);

void batch_norm_case(const Config& cfg, int64_t N, int64_t C, int64_t HW, bool affine, bool training) {
  const int64_t n = N * C * HW;
  std::vector<float> x = rng.floats(n, -3, 5), dy = rng.floats(n, -1, 1), y(n), dx(n);
  std::vector<float> gamma = rng.floats(C, 0.5f, 2), beta = rng.floats(C, -1, 1);
  std::vector<float> rm = rng.floats(C, -1, 1), rv = rng.floats(C, 0.5f, 2);
  std::vector<double> rm_d(rm.begin(), rm.end()), rv_d(rv.begin(), rv.end());
  std::vector<float> smean(C), sinv(C), dg(C), db(C);
  std::vector<double> want_y(n), want_dx(n), want_mean(C), want_inv(C), want_dg(C), want_db(C);
  std::string tag = fmt("%s N%lld C%lld HW%lld%s%s", cfg.name.c_str(), (long long)N, (long long)C,
                        (long long)HW, affine ? " affine" : "", training ? " train" : " eval");
  const float* g = affine ? gamma.data() : nullptr;
  const float* b = affine ? beta.data() : nullptr;
  nv::ref::batch_norm_forward(N, C, HW, x.data(), g, b, rm_d.data(), rv_d.data(), 0.1, 1e-5,
                              training, want_y.data(), want_mean.data(), want_inv.data());
  CHECK_OK(nv_batch_norm_forward_f32(cfg.ctx, N, C, HW, x.data(), g, b, rm.data(), rv.data(),
                                     0.1f, 1e-5f, training, y.data(), smean.data(), sinv.data()));
  compare(("batch_norm fwd " + tag).c_str(), y.data(), want_y.data(), n, 2e-5, 1e-5);
  compare(("batch_norm running mean " + tag).c_str(), rm.data(), rm_d.data(), C, 1e-6, 1e-5);
  compare(("batch_norm running var " + tag).c_str(), rv.data(), rv_d.data(), C, 1e-6, 1e-5);
  compare(("batch_norm saved invstd " + tag).c_str(), sinv.data(), want_inv.data(), C, 0, 1e-5);
  nv::ref::batch_norm_backward(N, C, HW, x.data(), dy.data(), g, want_mean.data(), want_inv.data(),
                               training, want_dx.data(), want_dg.data(), want_db.data());
  CHECK_OK(nv_batch_norm_backward_f32(cfg.ctx, N, C, HW, x.data(), dy.data(), g, smean.data(),
                                      sinv.data(), training, dx.data(), dg.data(), db.data()));
  const double atol = 2e-6 * std::sqrt(double(N * HW));
  compare(("batch_norm bwd dx " + tag).c_str(), dx.data(), want_dx.data(), n, 1e-5, 1e-4);
  compare(("batch_norm bwd dgamma " + tag).c_str(), dg.data(), want_dg.data(), C, atol, 1e-4);
  compare(("batch_norm bwd dbeta " + tag).c_str(), db.data(), want_db.data(), C, atol, 1e-5);
  // In place: y may alias x.
  std::vector<float> inplace = x;
  CHECK_OK(nv_batch_norm_forward_f32(cfg.ctx, N, C, HW, inplace.data(), g, b, nullptr, nullptr,
                                     0.1f, 1e-5f, 1, inplace.data(), nullptr, nullptr));
  if (training) compare(("batch_norm in place " + tag).c_str(), inplace.data(), want_y.data(), n, 2e-5, 1e-5);
}

void dropout_case(const Config& cfg, int64_t n, float p) {
  std::vector<float> x = rng.floats(n, -1, 1), y(n), mask(n), dy = rng.floats(n, -1, 1), dx(n);
  const uint64_t seed = 1234, offset = 77;
  CHECK_OK(nv_dropout_forward_f32(cfg.ctx, n, p, seed, offset, x.data(), y.data(), mask.data()));
  std::vector<double> want_y(n), want_mask(n), want_dx(n);
  int64_t kept = 0;
  const double scale = p < 1 ? 1.0 / (1.0 - double(p)) : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    bool keep = nv::ref::dropout_keep(seed, offset + uint64_t(i), p);
    kept += keep;
    want_mask[i] = keep ? scale : 0.0;
    want_y[i] = x[i] * want_mask[i];
    want_dx[i] = dy[i] * want_mask[i];
  }
  std::string tag = fmt("%s n=%lld p=%g (kept %.3f)", cfg.name.c_str(), (long long)n, p,
                        n ? double(kept) / double(n) : 0.0);
  compare(("dropout mask " + tag).c_str(), mask.data(), want_mask.data(), n, 0, 1e-6);
  compare(("dropout fwd " + tag).c_str(), y.data(), want_y.data(), n, 0, 1e-6);
  if (n > 1000) CHECK(std::fabs(double(kept) / n - (1 - p)) < 0.03, "kept fraction %g for p=%g", double(kept) / n, p);
  CHECK_OK(nv_dropout_backward_f32(cfg.ctx, n, dy.data(), mask.data(), dx.data()));
  compare(("dropout bwd " + tag).c_str(), dx.data(), want_dx.data(), n, 0, 1e-6);
}

void bad_arguments(nv_ctx* ctx) {
  float x[8] = {}, y[8] = {}, m[8] = {};
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 1, 2, 1, x, nullptr, nullptr, nullptr, nullptr, 0.1f,
                                      1e-5f, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "training needs more than one value per channel, got N=1 x HW=1");
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 2, 2, 1, x, nullptr, nullptr, nullptr, nullptr, 0.1f,
                                      1e-5f, 0, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "evaluation needs running_mean and running_var");
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 2, 2, 1, x, nullptr, nullptr, nullptr, nullptr, 1.5f,
                                      1e-5f, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "momentum=1.5");
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 2, 2, 1, x, nullptr, nullptr, nullptr, nullptr, 0.1f,
                                      0.0f, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "eps=0");
  CHECK_ERR(nv_batch_norm_backward_f32(ctx, 2, 2, 1, x, x, nullptr, nullptr, m, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "save_mean is NULL");
  CHECK_ERR(nv_dropout_forward_f32(ctx, 8, 1.5f, 0, 0, x, y, m), NV_ERR_INVALID_ARGUMENT,
            "nv_dropout_forward_f32: p=1.5");
  CHECK_ERR(nv_dropout_forward_f32(ctx, 8, 0.5f, 0, 0, x, y, nullptr), NV_ERR_INVALID_ARGUMENT,
            "mask is NULL");
}

}  // namespace

int main() {
  for (const Config& cfg : configs()) {
    for (bool training : {true, false}) {
      batch_norm_case(cfg, 4, 3, 37, true, training);
      batch_norm_case(cfg, 16, 5, 1, false, training);  // BatchNorm1d-like: HW = 1
      batch_norm_case(cfg, 2, 17, 64, true, training);
    }
    dropout_case(cfg, 10007, 0.3f);
    dropout_case(cfg, 33, 0.0f);
    dropout_case(cfg, 33, 1.0f);
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
