// The fused optimizer updates (SGD with/without momentum, Nesterov, weight decay; RMSprop
// with/without momentum; Adam and AdamW) against per-element double references, three steps
// over a group of tensors with odd sizes (empty ones included), and a group of 40 tensors (two
// launches on a GPU); every backend, plus the argument checks.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

// A parameter group in a context's memory, with its double-precision twin on the host.
struct Group {
  nv_ctx* ctx;
  Rng& rng;
  std::vector<int64_t> sizes;
  std::vector<std::vector<float>> g;
  std::vector<std::vector<double>> rw, rs1, rs2;
  std::vector<Buf<float>*> dw, dg, d1, d2;
  std::vector<float*> pw, pg, p1, p2;
  Group(nv_ctx* c, Rng& r, std::vector<int64_t> sz) : ctx(c), rng(r), sizes(std::move(sz)) {
    for (int64_t n : sizes) {
      std::vector<float> w = rng.floats(n, -1, 1);
      rw.push_back(std::vector<double>(w.begin(), w.end()));
      rs1.push_back(std::vector<double>(n, 0.0));
      rs2.push_back(std::vector<double>(n, 0.0));
      g.push_back(std::vector<float>(n));
      dw.push_back(new Buf<float>(ctx, w));
      dg.push_back(new Buf<float>(ctx, n));
      d1.push_back(new Buf<float>(ctx, std::vector<float>(n, 0.0f)));
      d2.push_back(new Buf<float>(ctx, std::vector<float>(n, 0.0f)));
      pw.push_back(dw.back()->p);
      pg.push_back(dg.back()->p);
      p1.push_back(d1.back()->p);
      p2.push_back(d2.back()->p);
    }
  }
  ~Group() {
    for (auto* v : {&dw, &dg, &d1, &d2})
      for (auto* b : *v) delete b;
  }
  int32_t count() const { return int32_t(sizes.size()); }
  void new_grads() {
    for (size_t t = 0; t < sizes.size(); ++t) {
      for (auto& x : g[t]) x = rng.uniform(-1, 1);
      dg[t]->write(g[t]);
    }
  }
  // Every tensor of a small group; of a large one the first, the last and one line for all.
  void check(const std::string& what) {
    double worst = 0.0;
    for (size_t t = 0; t < sizes.size(); ++t) {
      if (sizes[t] == 0) continue;
      std::vector<float> w = dw[t]->read();
      for (int64_t i = 0; i < sizes[t]; ++i)
        worst = std::max(worst, std::fabs(w[i] - rw[t][i]) / (1e-6 + 1e-5 * std::fabs(rw[t][i])));
      if (sizes.size() <= 8 || t == 0 || t + 1 == sizes.size())
        compare(fmt("%s tensor %zu (n=%lld)", what.c_str(), t, (long long)sizes[t]).c_str(),
                w.data(), rw[t].data(), sizes[t], 1e-6, 1e-5);
    }
    if (sizes.size() > 8)
      verdict(worst <= 1.0, "%s all %zu tensors (scaled %.3g)", what.c_str(), sizes.size(), worst);
  }
};

void test_sgd(const Config& cfg, uint64_t seed, const std::vector<int64_t>& sizes, float momentum,
              float dampening, float wd, bool nesterov) {
  Group G(cfg.ctx, stream(seed, cfg), sizes);
  for (int step = 0; step < 3; ++step) {
    G.new_grads();
    CHECK_OK(nv_sgd_step_f32(cfg.ctx, G.count(), G.sizes.data(), G.pw.data(), G.pg.data(),
                             momentum != 0 ? G.p1.data() : nullptr, 0.1f, momentum, dampening,
                             wd, nesterov, step == 0));
    for (int t = 0; t < G.count(); ++t)
      for (int64_t i = 0; i < G.sizes[t]; ++i)
        nv::ref::sgd(G.rw[t][i], G.g[t][i], G.rs1[t][i], 0.1, momentum, dampening, wd, nesterov,
                     step == 0);
  }
  G.check(fmt("sgd %s mom=%g damp=%g wd=%g nesterov=%d", cfg.name.c_str(), momentum, dampening,
              wd, nesterov));
}

void test_rmsprop(const Config& cfg, uint64_t seed, const std::vector<int64_t>& sizes,
                  float momentum, float wd) {
  Group G(cfg.ctx, stream(seed, cfg), sizes);
  for (int step = 0; step < 3; ++step) {
    G.new_grads();
    CHECK_OK(nv_rmsprop_step_f32(cfg.ctx, G.count(), G.sizes.data(), G.pw.data(), G.pg.data(),
                                 G.p1.data(), momentum != 0 ? G.p2.data() : nullptr, 0.01f,
                                 0.99f, 1e-8f, wd, momentum));
    for (int t = 0; t < G.count(); ++t)
      for (int64_t i = 0; i < G.sizes[t]; ++i)
        nv::ref::rmsprop(G.rw[t][i], G.g[t][i], G.rs1[t][i], G.rs2[t][i], 0.01, 0.99, 1e-8, wd,
                         momentum);
  }
  G.check(fmt("rmsprop %s mom=%g wd=%g", cfg.name.c_str(), momentum, wd));
}

void test_adam(const Config& cfg, uint64_t seed, const std::vector<int64_t>& sizes, float wd,
               bool decoupled) {
  Group G(cfg.ctx, stream(seed, cfg), sizes);
  for (int step = 1; step <= 3; ++step) {
    G.new_grads();
    CHECK_OK(nv_adam_step_f32(cfg.ctx, G.count(), G.sizes.data(), G.pw.data(), G.pg.data(),
                              G.p1.data(), G.p2.data(), 1e-3f, 0.9f, 0.999f, 1e-8f, wd,
                              decoupled, step));
    for (int t = 0; t < G.count(); ++t)
      for (int64_t i = 0; i < G.sizes[t]; ++i)
        nv::ref::adam(G.rw[t][i], G.g[t][i], G.rs1[t][i], G.rs2[t][i], 1e-3, 0.9, 0.999, 1e-8, wd,
                      decoupled, step);
  }
  G.check(fmt("adam %s wd=%g decoupled=%d", cfg.name.c_str(), wd, decoupled));
}

std::vector<int64_t> many_sizes() {
  std::vector<int64_t> s;
  for (int t = 0; t < 40; ++t) s.push_back(t % 7 == 3 ? 0 : 1 + (t * 37) % 300);
  s[20] = 4099;
  return s;
}

// Every optimizer variant on one group.
void all_variants(const Config& cfg, uint64_t seed, const std::vector<int64_t>& sizes) {
  test_sgd(cfg, seed, sizes, 0.0f, 0.0f, 0.0f, false);
  test_sgd(cfg, seed, sizes, 0.0f, 0.0f, 0.01f, false);
  test_sgd(cfg, seed, sizes, 0.9f, 0.1f, 0.01f, false);
  test_sgd(cfg, seed, sizes, 0.9f, 0.0f, 0.0f, true);
  test_rmsprop(cfg, seed, sizes, 0.0f, 0.0f);
  test_rmsprop(cfg, seed, sizes, 0.9f, 0.01f);
  test_adam(cfg, seed, sizes, 0.0f, false);
  test_adam(cfg, seed, sizes, 0.01f, false);
  test_adam(cfg, seed, sizes, 0.01f, true);
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> w0(ctx, 4), g0(ctx, 4);
  float* w[1] = {w0.p};
  float* g[1] = {g0.p};
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

// Two suites with their own seeds: the CPU's group (up to 40001 elements), the GPU's (up to
// 5003, and the 40-tensor group).
constexpr uint64_t kCpuSeed = 5, kGpuSeed = 37;

void run(const Config& cfg) {
  // sized for the CPU: too slow on cuda-sim
  if (!cfg.slow()) all_variants(cfg, kCpuSeed, {1, 0, 7, 33, 1000, 40001});
  all_variants(cfg, kGpuSeed, {1, 0, 7, 33, 1000, 5003});
  test_sgd(cfg, kGpuSeed, many_sizes(), 0.9f, 0.0f, 0.01f, true);
  test_adam(cfg, kGpuSeed, many_sizes(), 0.01f, true);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
