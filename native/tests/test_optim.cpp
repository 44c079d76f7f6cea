// The fused optimizer updates (SGD with/without momentum, Nesterov, weight decay; RMSprop
// with/without momentum; Adam and AdamW) against per-element double references, over a group
// of tensors with odd sizes (including empty ones), three steps each, every ISA, 1 and 2
// threads; plus the argument checks.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(5);
const int64_t kSizes[] = {1, 0, 7, 33, 1000, 40001};
constexpr int kCount = 6;

struct Group {
  std::vector<std::vector<float>> w, g, s1, s2;
  std::vector<std::vector<double>> rw, rs1, rs2;
  float* pw[kCount];
  float* pg[kCount];
  float* p1[kCount];
  float* p2[kCount];
  Group() {
    for (int t = 0; t < kCount; ++t) {
      w.push_back(rng.floats(kSizes[t], -1, 1));
      g.push_back(rng.floats(kSizes[t], -1, 1));
      s1.push_back(std::vector<float>(kSizes[t], 0.0f));
      s2.push_back(std::vector<float>(kSizes[t], 0.0f));
      rw.push_back(std::vector<double>(w[t].begin(), w[t].end()));
      rs1.push_back(std::vector<double>(kSizes[t], 0.0));
      rs2.push_back(std::vector<double>(kSizes[t], 0.0));
      pw[t] = w[t].data();
      pg[t] = g[t].data();
      p1[t] = s1[t].data();
      p2[t] = s2[t].data();
    }
  }
  void new_grads() {
    for (auto& v : g)
      for (auto& x : v) x = rng.uniform(-1, 1);
  }
  void check(const std::string& what) {
    for (int t = 0; t < kCount; ++t)
      if (kSizes[t] > 0)
        compare(fmt("%s tensor %d (n=%lld)", what.c_str(), t, (long long)kSizes[t]).c_str(),
                w[t].data(), rw[t].data(), kSizes[t], 1e-6, 1e-5);
  }
};

void test_sgd(const Config& cfg, float momentum, float dampening, float wd, bool nesterov) {
  Group G;
  for (int step = 0; step < 3; ++step) {
    G.new_grads();
    CHECK_OK(nv_sgd_step_f32(cfg.ctx, kCount, kSizes, G.pw, G.pg, momentum != 0 ? G.p1 : nullptr,
                             0.1f, momentum, dampening, wd, nesterov, step == 0));
    for (int t = 0; t < kCount; ++t)
      for (int64_t i = 0; i < kSizes[t]; ++i)
        nv::ref::sgd(G.rw[t][i], G.g[t][i], G.rs1[t][i], 0.1, momentum, dampening, wd, nesterov, step == 0);
  }
  G.check(fmt("sgd %s mom=%g damp=%g wd=%g nesterov=%d", cfg.name.c_str(), momentum, dampening, wd, nesterov));
}

void test_rmsprop(const Config& cfg, float momentum, float wd) {
  Group G;
  for (int step = 0; step < 3; ++step) {
    G.new_grads();
    CHECK_OK(nv_rmsprop_step_f32(cfg.ctx, kCount, kSizes, G.pw, G.pg, G.p1,
                                 momentum != 0 ? G.p2 : nullptr, 0.01f, 0.99f, 1e-8f, wd, momentum));
    for (int t = 0; t < kCount; ++t)
      for (int64_t i = 0; i < kSizes[t]; ++i)
        nv::ref::rmsprop(G.rw[t][i], G.g[t][i], G.rs1[t][i], G.rs2[t][i], 0.01, 0.99, 1e-8, wd, momentum);
  }
  G.check(fmt("rmsprop %s mom=%g wd=%g", cfg.name.c_str(), momentum, wd));
}

void test_adam(const Config& cfg, float wd, bool decoupled) {
  Group G;
  for (int step = 1; step <= 3; ++step) {
    G.new_grads();
    CHECK_OK(nv_adam_step_f32(cfg.ctx, kCount, kSizes, G.pw, G.pg, G.p1, G.p2, 1e-3f, 0.9f, 0.999f,
                              1e-8f, wd, decoupled, step));
    for (int t = 0; t < kCount; ++t)
      for (int64_t i = 0; i < kSizes[t]; ++i)
        nv::ref::adam(G.rw[t][i], G.g[t][i], G.rs1[t][i], G.rs2[t][i], 1e-3, 0.9, 0.999, 1e-8, wd,
                      decoupled, step);
  }
  G.check(fmt("adam %s wd=%g decoupled=%d", cfg.name.c_str(), wd, decoupled));
}

void bad_arguments(nv_ctx* ctx) {
  float w0[4] = {}, g0[4] = {};
  float* w[1] = {w0};
  float* g[1] = {g0};
  float* none[1] = {nullptr};
  int64_t sizes[1] = {4}, neg[1] = {-4};
  CHECK_ERR(nv_sgd_step_f32(nullptr, 1, sizes, w, g, nullptr, 0.1f, 0, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_sgd_step_f32");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, sizes, w, g, nullptr, 0.1f, 0.9f, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "buf is NULL");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, sizes, w, g, none, 0.1f, 0.9f, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "buf[0] is NULL");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, sizes, w, none, nullptr, 0.1f, 0, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "g[0] is NULL");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, sizes, w, g, nullptr, -0.1f, 0, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "lr=-0.1");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, sizes, w, g, nullptr, NAN, 0, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "not finite");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, sizes, w, g, nullptr, 0.1f, 0, 0, 0, 1, 0), NV_ERR_INVALID_ARGUMENT, "nesterov");
  CHECK_ERR(nv_sgd_step_f32(ctx, -1, sizes, w, g, nullptr, 0.1f, 0, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "count=-1");
  CHECK_ERR(nv_sgd_step_f32(ctx, 1, neg, w, g, nullptr, 0.1f, 0, 0, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "sizes[0]=-4");
  CHECK_ERR(nv_rmsprop_step_f32(ctx, 1, sizes, w, g, nullptr, nullptr, 0.1f, 0.99f, 1e-8f, 0, 0), NV_ERR_INVALID_ARGUMENT, "sq is NULL");
  CHECK_ERR(nv_rmsprop_step_f32(ctx, 1, sizes, w, g, w, nullptr, 0.1f, 1.5f, 1e-8f, 0, 0), NV_ERR_INVALID_ARGUMENT, "alpha=1.5");
  CHECK_ERR(nv_adam_step_f32(ctx, 1, sizes, w, g, w, nullptr, 0.1f, 0.9f, 0.999f, 1e-8f, 0, 0, 1), NV_ERR_INVALID_ARGUMENT, "v is NULL");
  CHECK_ERR(nv_adam_step_f32(ctx, 1, sizes, w, g, w, g, 0.1f, 1.0f, 0.999f, 1e-8f, 0, 0, 1), NV_ERR_INVALID_ARGUMENT, "beta1=1");
  CHECK_ERR(nv_adam_step_f32(ctx, 1, sizes, w, g, w, g, 0.1f, 0.9f, 0.999f, 1e-8f, 0, 0, 0), NV_ERR_INVALID_ARGUMENT, "step=0");
  CHECK_ERR(nv_adam_step_f32(ctx, 1, sizes, w, g, w, g, 0.1f, 0.9f, 0.999f, INFINITY, 0, 0, 1), NV_ERR_INVALID_ARGUMENT, "eps=inf");
  CHECK_OK(nv_adam_step_f32(ctx, 0, nullptr, nullptr, nullptr, nullptr, nullptr, 0.1f, 0.9f, 0.999f, 1e-8f, 0, 0, 1));
}

}  // namespace

int main() {
  for (const Config& cfg : configs()) {
    test_sgd(cfg, 0.0f, 0.0f, 0.0f, false);
    test_sgd(cfg, 0.0f, 0.0f, 0.01f, false);
    test_sgd(cfg, 0.9f, 0.1f, 0.01f, false);
    test_sgd(cfg, 0.9f, 0.0f, 0.0f, true);
    test_rmsprop(cfg, 0.0f, 0.0f);
    test_rmsprop(cfg, 0.9f, 0.01f);
    test_adam(cfg, 0.0f, false);
    test_adam(cfg, 0.01f, false);
    test_adam(cfg, 0.01f, true);
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
