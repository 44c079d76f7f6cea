// Batch norm forward (training with running statistics, evaluation, in place) and backward
// against the double loops, with and without gamma/beta; dropout's mask against the
// counter-based uniform draws and its scaling, and mask, output and gradient bit for bit those
// of the CPU at its portable ISA on one thread. Every backend; bad arguments fail naming the
// values.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

// Two suites with their own seeds and gradient tolerances: the CPU's cases (dgamma and dbeta
// within 2e-6 sqrt(N HW)), the GPU's (always affine; within 1e-4).
struct Suite {
  uint64_t seed;
  double grad_atol_per_sqrt;  // > 0: dgamma, dbeta atol = this * sqrt(N HW)
  double grad_atol;           // else this
};
const Suite kCpuSuite{53, 2e-6, 0}, kGpuSuite{61, 0, 1e-4};

void batch_norm_case(const Config& cfg, const Suite& suite, int64_t N, int64_t C, int64_t HW,
                     bool affine, bool training) {
  Rng& rng = stream(suite.seed, cfg);
  const int64_t n = N * C * HW;
  std::vector<float> x = rng.floats(n, -3, 5), dy = rng.floats(n, -1, 1);
  std::vector<float> gamma = rng.floats(C, 0.5f, 2), beta = rng.floats(C, -1, 1);
  std::vector<float> rm = rng.floats(C, -1, 1), rv = rng.floats(C, 0.5f, 2);
  std::vector<double> rm_d(rm.begin(), rm.end()), rv_d(rv.begin(), rv.end());
  std::vector<double> want_y(n), want_dx(n), want_mean(C), want_inv(C), want_dg(C), want_db(C);
  Buf<float> dx_(cfg.ctx, x), ddy(cfg.ctx, dy), dg_(cfg.ctx, gamma), db_(cfg.ctx, beta),
      drm(cfg.ctx, rm), drv(cfg.ctx, rv);
  Buf<float> y(cfg.ctx, n), gx(cfg.ctx, n), sm(cfg.ctx, C), si(cfg.ctx, C), ggamma(cfg.ctx, C),
      gbeta(cfg.ctx, C);
  std::string tag = fmt("%s N%lld C%lld HW%lld%s%s", cfg.name.c_str(), (long long)N, (long long)C,
                        (long long)HW, affine ? " affine" : "", training ? " train" : " eval");
  const float* g = affine ? gamma.data() : nullptr;
  const float* b = affine ? beta.data() : nullptr;
  const float* dg = affine ? dg_.p : nullptr;
  const float* db = affine ? db_.p : nullptr;
  nv::ref::batch_norm_forward(N, C, HW, x.data(), g, b, rm_d.data(), rv_d.data(), 0.1, 1e-5,
                              training, want_y.data(), want_mean.data(), want_inv.data());
  CHECK_OK(nv_batch_norm_forward_f32(cfg.ctx, N, C, HW, dx_.p, dg, db, drm.p, drv.p, 0.1f, 1e-5f,
                                     training, y.p, sm.p, si.p));
  compare(("batch_norm fwd " + tag).c_str(), y.read().data(), want_y.data(), n, 2e-5, 1e-5);
  compare(("batch_norm running mean " + tag).c_str(), drm.read().data(), rm_d.data(), C, 1e-6, 1e-5);
  compare(("batch_norm running var " + tag).c_str(), drv.read().data(), rv_d.data(), C, 1e-6, 1e-5);
  compare(("batch_norm saved invstd " + tag).c_str(), si.read().data(), want_inv.data(), C, 0, 1e-5);
  nv::ref::batch_norm_backward(N, C, HW, x.data(), dy.data(), g, want_mean.data(), want_inv.data(),
                               training, want_dx.data(), want_dg.data(), want_db.data());
  CHECK_OK(nv_batch_norm_backward_f32(cfg.ctx, N, C, HW, dx_.p, ddy.p, dg, sm.p, si.p, training,
                                      gx.p, ggamma.p, gbeta.p));
  const double atol = suite.grad_atol_per_sqrt > 0 ? suite.grad_atol_per_sqrt * std::sqrt(double(N * HW))
                                                   : suite.grad_atol;
  compare(("batch_norm bwd dx " + tag).c_str(), gx.read().data(), want_dx.data(), n, 1e-5, 1e-4);
  compare(("batch_norm bwd dgamma " + tag).c_str(), ggamma.read().data(), want_dg.data(), C, atol, 1e-4);
  compare(("batch_norm bwd dbeta " + tag).c_str(), gbeta.read().data(), want_db.data(), C, atol, 1e-5);
  // In place: y may alias x.
  Buf<float> inplace(cfg.ctx, x);
  CHECK_OK(nv_batch_norm_forward_f32(cfg.ctx, N, C, HW, inplace.p, dg, db, nullptr, nullptr,
                                     0.1f, 1e-5f, 1, inplace.p, nullptr, nullptr));
  if (training) compare(("batch_norm in place " + tag).c_str(), inplace.read().data(), want_y.data(), n, 2e-5, 1e-5);
}

void dropout_case(const Config& cfg, uint64_t seed, int64_t n, float p, uint64_t dseed,
                  uint64_t offset) {
  Rng& rng = stream(seed, cfg);
  std::vector<float> x = rng.floats(n, -1, 1), dy = rng.floats(n, -1, 1);
  Buf<float> dx_(cfg.ctx, x), ddy(cfg.ctx, dy), y(cfg.ctx, n), mask(cfg.ctx, n), dx(cfg.ctx, n);
  CHECK_OK(nv_dropout_forward_f32(cfg.ctx, n, p, dseed, offset, dx_.p, y.p, mask.p));
  CHECK_OK(nv_dropout_backward_f32(cfg.ctx, n, ddy.p, mask.p, dx.p));
  std::vector<float> yv = y.read(), mv = mask.read(), dxv = dx.read();
  std::vector<double> want_y(n), want_mask(n), want_dx(n);
  int64_t kept = 0;
  const double scale = p < 1 ? 1.0 / (1.0 - double(p)) : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    bool keep = nv::ref::dropout_keep(dseed, offset + uint64_t(i), p);
    kept += keep;
    want_mask[i] = keep ? scale : 0.0;
    want_y[i] = x[i] * want_mask[i];
    want_dx[i] = dy[i] * want_mask[i];
  }
  std::string tag = fmt("%s n=%lld p=%g (kept %.3f)", cfg.name.c_str(), (long long)n, p,
                        n ? double(kept) / double(n) : 0.0);
  compare(("dropout mask " + tag).c_str(), mv.data(), want_mask.data(), n, 0, 1e-6);
  compare(("dropout fwd " + tag).c_str(), yv.data(), want_y.data(), n, 0, 1e-6);
  if (n > 1000) CHECK(std::fabs(double(kept) / n - (1 - p)) < 0.03, "kept fraction %g for p=%g", double(kept) / n, p);
  compare(("dropout bwd " + tag).c_str(), dxv.data(), want_dx.data(), n, 0, 1e-6);

  std::vector<float> ry(n), rmask(n), rdx(n);
  CHECK_OK(nv_dropout_forward_f32(cpu_reference(), n, p, dseed, offset, x.data(), ry.data(), rmask.data()));
  CHECK_OK(nv_dropout_backward_f32(cpu_reference(), n, dy.data(), rmask.data(), rdx.data()));
  CHECK(mv == rmask, "%s dropout mask differs from the CPU's (n=%lld p=%g)", cfg.name.c_str(), (long long)n, p);
  CHECK(yv == ry, "%s dropout output differs from the CPU's", cfg.name.c_str());
  CHECK(dxv == rdx, "%s dropout gradient differs from the CPU's", cfg.name.c_str());
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> bx(ctx, 8), by(ctx, 8), bm(ctx, 8);
  float *x = bx.p, *y = by.p, *m = bm.p;
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
  // Non-finite values: the message says what is wanted, not "must be positive" for inf.
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 2, 2, 1, x, nullptr, nullptr, nullptr, nullptr, 0.1f,
                                      INFINITY, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "eps=inf must be a positive finite number");
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 2, 2, 1, x, nullptr, nullptr, nullptr, nullptr, 0.1f,
                                      NAN, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "eps=nan must be a positive finite number");
  CHECK_ERR(nv_batch_norm_forward_f32(ctx, 2, 2, 1, x, nullptr, nullptr, nullptr, nullptr, NAN,
                                      1e-5f, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "momentum=nan must be a number in [0, 1]");
  CHECK_ERR(nv_dropout_forward_f32(ctx, 8, NAN, 0, 0, x, y, m), NV_ERR_INVALID_ARGUMENT,
            "nv_dropout_forward_f32: p=nan must be a number in [0, 1]");
  CHECK_ERR(nv_batch_norm_backward_f32(ctx, 2, 2, 1, x, x, nullptr, nullptr, m, 1, y, nullptr, nullptr),
            NV_ERR_INVALID_ARGUMENT, "save_mean is NULL");
  CHECK_ERR(nv_dropout_forward_f32(ctx, 8, 1.5f, 0, 0, x, y, m), NV_ERR_INVALID_ARGUMENT,
            "nv_dropout_forward_f32: p=1.5");
  CHECK_ERR(nv_dropout_forward_f32(ctx, 8, 0.5f, 0, 0, x, y, nullptr), NV_ERR_INVALID_ARGUMENT,
            "mask is NULL");
}

void run(const Config& cfg) {
  for (bool training : {true, false}) {
    batch_norm_case(cfg, kCpuSuite, 4, 3, 37, true, training);
    batch_norm_case(cfg, kCpuSuite, 16, 5, 1, false, training);  // BatchNorm1d-like: HW = 1
    if (!cfg.slow()) batch_norm_case(cfg, kCpuSuite, 2, 17, 64, true, training);  // slow on cuda-sim
  }
  dropout_case(cfg, kCpuSuite.seed, 10007, 0.3f, 1234, 77);
  dropout_case(cfg, kCpuSuite.seed, 33, 0.0f, 1234, 77);
  dropout_case(cfg, kCpuSuite.seed, 33, 1.0f, 1234, 77);

  batch_norm_case(cfg, kGpuSuite, 4, 3, 13, true, true);
  batch_norm_case(cfg, kGpuSuite, 4, 3, 13, true, false);
  batch_norm_case(cfg, kGpuSuite, 9, 5, 1, true, true);
  dropout_case(cfg, kGpuSuite.seed, 1001, 0.3f, 99, 5);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
