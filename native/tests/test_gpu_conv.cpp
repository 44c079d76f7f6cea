// The GPU conv family against the double loops: conv2d forward / backward-data / backward-filter
// (+ bias) with strides, padding, dilation and groups; max and average pooling (ceil mode,
// count_include_pad); batch norm (training and evaluation) forward and backward; dropout's mask
// bit for bit with the CPU's. Small shapes: under cuda-sim every CUDA thread is a fiber.
#include <initializer_list>
#include <random>

#include "core/fast_div.h"
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(61);

struct ConvCase {
  int64_t N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, G;
};

void conv_case(const GpuConfig& g, const ConvCase& c) {
  nv::ConvShape s{c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw, c.G, 0, 0};
  s.P = (c.H + 2 * c.ph - c.dh * (c.R - 1) - 1) / c.sh + 1;
  s.Q = (c.W + 2 * c.pw - c.dw * (c.S - 1) - 1) / c.sw + 1;
  const int64_t nx = c.N * c.C * c.H * c.W, nw = c.K * (c.C / c.G) * c.R * c.S, ny = c.N * c.K * s.P * s.Q;
  std::vector<float> x = rng.floats(nx, -1, 1), w = rng.floats(nw, -1, 1), b = rng.floats(c.K, -1, 1),
                     dy = rng.floats(ny, -1, 1);
  std::vector<double> want_y(ny), want_dx(nx), want_dw(nw), want_db(c.K);
  DevBuf<float> dx_(g.ctx, x), dw_(g.ctx, w), db_(g.ctx, b), ddy(g.ctx, dy), out_y(g.ctx, ny),
      out_dx(g.ctx, nx), out_dw(g.ctx, nw), out_db(g.ctx, c.K);
  std::string tag = fmt("%s N%lld C%lld %lldx%lld K%lld %lldx%lld s%lld,%lld p%lld,%lld d%lld g%lld", g.name.c_str(),
                        (long long)c.N, (long long)c.C, (long long)c.H, (long long)c.W, (long long)c.K,
                        (long long)c.R, (long long)c.S, (long long)c.sh, (long long)c.sw, (long long)c.ph,
                        (long long)c.pw, (long long)c.dh, (long long)c.G);
  nv::ref::conv2d_forward(s, x.data(), w.data(), b.data(), want_y.data());
  CHECK_OK(nv_conv2d_forward_f32(g.ctx, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw, c.ph, c.pw, c.dh,
                                 c.dw, c.G, dx_.p, dw_.p, db_.p, out_y.p));
  compare(("gpu conv2d fwd " + tag).c_str(), out_y.read().data(), want_y.data(), ny,
          3e-7 * std::sqrt(double(s.CRS())) + 1e-6, 1e-5);
  nv::ref::conv2d_backward_data(s, dy.data(), w.data(), want_dx.data());
  CHECK_OK(nv_conv2d_backward_data_f32(g.ctx, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw, c.ph, c.pw,
                                       c.dh, c.dw, c.G, ddy.p, dw_.p, out_dx.p));
  compare(("gpu conv2d bwd data " + tag).c_str(), out_dx.read().data(), want_dx.data(), nx,
          3e-7 * std::sqrt(double(c.K * c.R * c.S)) + 1e-6, 1e-5);
  nv::ref::conv2d_backward_filter(s, x.data(), dy.data(), want_dw.data(), want_db.data());
  CHECK_OK(nv_conv2d_backward_filter_f32(g.ctx, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw, c.ph, c.pw,
                                         c.dh, c.dw, c.G, dx_.p, ddy.p, out_dw.p, out_db.p));
  const double atol = 3e-7 * std::sqrt(double(c.N * s.PQ())) + 1e-6;
  compare(("gpu conv2d bwd filter " + tag).c_str(), out_dw.read().data(), want_dw.data(), nw, atol, 1e-5);
  compare(("gpu conv2d bwd bias " + tag).c_str(), out_db.read().data(), want_db.data(), c.K, atol, 1e-5);
}

// The implicit-GEMM kernels' multiply-shift division against '/' at the edges of its range.
void fast_div_check() {
  std::vector<int64_t> divisors;
  for (int64_t d = 1; d <= 300; ++d) divisors.push_back(d);
  for (int64_t d : std::initializer_list<int64_t>{3136, 50176, 100352, 65535, 65536, 65537, 1 << 20, (1 << 30) + 1,
                                                 2147483647, 2147483648LL})
    divisors.push_back(d);
  std::mt19937 gen(7);
  int64_t checked = 0;
  for (int64_t d : divisors) {
    const nv::FastDiv f(d);
    std::vector<int64_t> ns = {0, 1, d - 1, d, d + 1, 2 * d - 1, 2 * d, 2147483647, 2147483646};
    for (int i = 0; i < 2000; ++i) ns.push_back(int64_t(gen() % 2147483648u));
    for (int64_t n : ns) {
      if (n < 0 || n > 2147483647) continue;
      ++checked;
      if (f.div(int(n)) != n / d) {
        std::printf("FAIL FastDiv %lld / %lld = %d, want %lld\n", (long long)n, (long long)d, f.div(int(n)),
                    (long long)(n / d));
        std::exit(1);
      }
    }
  }
  std::printf("ok   FastDiv against / for %zu divisors, %lld quotients\n", divisors.size(), (long long)checked);
}

void pool_case(const GpuConfig& g, int64_t N, int64_t C, int64_t H, int64_t W, int64_t R, int64_t st,
               int64_t pad, int32_t ceil, int32_t incl) {
  int64_t P = 0, Q = 0;
  CHECK_OK(nv_pool2d_output_size(H, R, st, pad, ceil, &P));
  CHECK_OK(nv_pool2d_output_size(W, R, st, pad, ceil, &Q));
  nv::PoolShape s{N, C, H, W, R, R, st, st, pad, pad, P, Q, incl != 0};
  const int64_t nx = N * C * H * W, ny = N * C * P * Q;
  std::vector<float> x = rng.floats(nx, -2, 2), dy = rng.floats(ny, -1, 1);
  std::vector<double> want_y(ny), want_dx(nx);
  std::vector<int32_t> want_am(ny);
  DevBuf<float> dx_(g.ctx, x), ddy(g.ctx, dy), out_y(g.ctx, ny), out_dx(g.ctx, nx);
  DevBuf<int32_t> am(g.ctx, ny);
  std::string tag = fmt("%s N%lld C%lld %lldx%lld k%lld s%lld p%lld%s%s", g.name.c_str(), (long long)N,
                        (long long)C, (long long)H, (long long)W, (long long)R, (long long)st, (long long)pad,
                        ceil ? " ceil" : "", incl ? " incl-pad" : "");
  nv::ref::max_pool2d_forward(s, x.data(), want_y.data(), want_am.data());
  CHECK_OK(nv_max_pool2d_forward_f32(g.ctx, N, C, H, W, R, R, st, st, pad, pad, ceil, dx_.p, out_y.p, am.p));
  compare(("gpu max_pool fwd " + tag).c_str(), out_y.read().data(), want_y.data(), ny, 0, 0);
  CHECK(am.read() == want_am, "gpu max_pool argmax differs (%s)", tag.c_str());
  for (auto& v : want_dx) v = 0;
  for (int64_t i = 0; i < ny; ++i) want_dx[(i / (P * Q)) * H * W + want_am[i]] += dy[i];
  CHECK_OK(nv_max_pool2d_backward_f32(g.ctx, N, C, H, W, P, Q, ddy.p, am.p, out_dx.p));
  compare(("gpu max_pool bwd " + tag).c_str(), out_dx.read().data(), want_dx.data(), nx, 1e-6, 1e-6);
  nv::ref::avg_pool2d_forward(s, x.data(), want_y.data());
  CHECK_OK(nv_avg_pool2d_forward_f32(g.ctx, N, C, H, W, R, R, st, st, pad, pad, ceil, incl, dx_.p, out_y.p));
  compare(("gpu avg_pool fwd " + tag).c_str(), out_y.read().data(), want_y.data(), ny, 1e-6, 1e-5);
  nv::ref::avg_pool2d_backward(s, dy.data(), want_dx.data());
  CHECK_OK(nv_avg_pool2d_backward_f32(g.ctx, N, C, H, W, R, R, st, st, pad, pad, ceil, incl, ddy.p, out_dx.p));
  compare(("gpu avg_pool bwd " + tag).c_str(), out_dx.read().data(), want_dx.data(), nx, 1e-6, 1e-5);
}

void batch_norm_case(const GpuConfig& g, int64_t N, int64_t C, int64_t HW, bool training) {
  const int64_t n = N * C * HW;
  std::vector<float> x = rng.floats(n, -3, 5), dy = rng.floats(n, -1, 1);
  std::vector<float> gamma = rng.floats(C, 0.5f, 2), beta = rng.floats(C, -1, 1);
  std::vector<float> rm = rng.floats(C, -1, 1), rv = rng.floats(C, 0.5f, 2);
  std::vector<double> rm_d(rm.begin(), rm.end()), rv_d(rv.begin(), rv.end());
  std::vector<double> want_y(n), want_dx(n), want_mean(C), want_inv(C), want_dg(C), want_db(C);
  DevBuf<float> dx_(g.ctx, x), ddy(g.ctx, dy), dg_(g.ctx, gamma), db_(g.ctx, beta), drm(g.ctx, rm), drv(g.ctx, rv);
  DevBuf<float> y(g.ctx, n), gx(g.ctx, n), sm(g.ctx, C), si(g.ctx, C), ggamma(g.ctx, C), gbeta(g.ctx, C);
  std::string tag = fmt("%s N%lld C%lld HW%lld %s", g.name.c_str(), (long long)N, (long long)C, (long long)HW,
                        training ? "train" : "eval");
  nv::ref::batch_norm_forward(N, C, HW, x.data(), gamma.data(), beta.data(), rm_d.data(), rv_d.data(), 0.1, 1e-5,
                              training, want_y.data(), want_mean.data(), want_inv.data());
  CHECK_OK(nv_batch_norm_forward_f32(g.ctx, N, C, HW, dx_.p, dg_.p, db_.p, drm.p, drv.p, 0.1f, 1e-5f, training,
                                     y.p, sm.p, si.p));
  compare(("gpu batch_norm fwd " + tag).c_str(), y.read().data(), want_y.data(), n, 2e-5, 1e-5);
  compare(("gpu batch_norm running mean " + tag).c_str(), drm.read().data(), rm_d.data(), C, 1e-6, 1e-5);
  compare(("gpu batch_norm running var " + tag).c_str(), drv.read().data(), rv_d.data(), C, 1e-6, 1e-5);
  nv::ref::batch_norm_backward(N, C, HW, x.data(), dy.data(), gamma.data(), want_mean.data(), want_inv.data(),
                               training, want_dx.data(), want_dg.data(), want_db.data());
  CHECK_OK(nv_batch_norm_backward_f32(g.ctx, N, C, HW, dx_.p, ddy.p, dg_.p, sm.p, si.p, training, gx.p,
                                      ggamma.p, gbeta.p));
  compare(("gpu batch_norm bwd dx " + tag).c_str(), gx.read().data(), want_dx.data(), n, 1e-5, 1e-4);
  compare(("gpu batch_norm bwd dgamma " + tag).c_str(), ggamma.read().data(), want_dg.data(), C, 1e-4, 1e-4);
  compare(("gpu batch_norm bwd dbeta " + tag).c_str(), gbeta.read().data(), want_db.data(), C, 1e-4, 1e-5);
}

void dropout_case(const GpuConfig& g, nv_ctx* cpu, int64_t n, float p) {
  std::vector<float> x = rng.floats(n, -1, 1), dy = rng.floats(n, -1, 1), y(n), mask(n), dx(n);
  CHECK_OK(nv_dropout_forward_f32(cpu, n, p, 99, 5, x.data(), y.data(), mask.data()));
  CHECK_OK(nv_dropout_backward_f32(cpu, n, dy.data(), mask.data(), dx.data()));
  DevBuf<float> gx(g.ctx, x), gdy(g.ctx, dy), gy(g.ctx, n), gm(g.ctx, n), gdx(g.ctx, n);
  CHECK_OK(nv_dropout_forward_f32(g.ctx, n, p, 99, 5, gx.p, gy.p, gm.p));
  CHECK_OK(nv_dropout_backward_f32(g.ctx, n, gdy.p, gm.p, gdx.p));
  CHECK(gm.read() == mask, "%s dropout mask differs from the CPU's (n=%lld p=%g)", g.name.c_str(), (long long)n, p);
  CHECK(gy.read() == y, "%s dropout output differs from the CPU's", g.name.c_str());
  CHECK(gdx.read() == dx, "%s dropout gradient differs from the CPU's", g.name.c_str());
  std::printf("ok   %s dropout n=%lld p=%g: mask, output and gradient bit-identical to the CPU\n", g.name.c_str(),
              (long long)n, p);
}

}  // namespace

int main() {
  fast_div_check();
  nv_ctx* cpu = nullptr;
  CHECK_OK(nv_ctx_create(NV_BACKEND_CPU, 0, 1, &cpu));
  for (const GpuConfig& g : gpu_configs()) {
    const ConvCase cases[] = {
        {2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {2, 4, 9, 8, 6, 3, 2, 2, 3, 1, 0, 1, 1, 2},
        {1, 3, 8, 7, 2, 3, 3, 1, 1, 2, 2, 2, 2, 1},
        {3, 2, 5, 5, 3, 1, 1, 2, 2, 0, 0, 1, 1, 1},
        // implicit GEMM's tile shapes (cuda-sim counts 4 SMs): 128 x 128 (K > 64), 64 x 128,
        // 64 x 64; backward-filter split over N P Q; stride 2 leaves holes in backward-data.
        {2, 3, 16, 16, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {2, 5, 14, 14, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {2, 6, 15, 13, 10, 3, 3, 2, 2, 1, 1, 1, 1, 2},
        {1, 4, 11, 12, 6, 5, 3, 2, 1, 2, 1, 2, 1, 2},
    };
    for (const ConvCase& c : cases) conv_case(g, c);
    pool_case(g, 2, 3, 8, 8, 2, 2, 0, 0, 1);
    pool_case(g, 2, 2, 7, 7, 3, 2, 1, 1, 0);
    pool_case(g, 1, 3, 6, 5, 3, 2, 1, 1, 1);
    pool_case(g, 2, 3, 5, 5, 5, 5, 0, 0, 1);  // global
    batch_norm_case(g, 4, 3, 13, true);
    batch_norm_case(g, 4, 3, 13, false);
    batch_norm_case(g, 9, 5, 1, true);
    dropout_case(g, cpu, 1001, 0.3f);
    // An entry point's checks run before the GPU: bad geometry fails the same way.
    float* none = nullptr;
    CHECK_ERR(nv_conv2d_forward_f32(g.ctx, 1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1, 1, none, none, none, none),
              NV_ERR_INVALID_ARGUMENT, "the output would be empty");
  }
  nv_ctx_destroy(cpu);
  return gpu_report();
}
