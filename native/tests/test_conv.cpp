// conv2d forward, backward-data and backward-filter (+ bias gradient) against the double loops
// on odd shapes: strides, padding, dilation, groups, 1x1 (no im2col on the CPU), fewer images
// than threads, the CPU's bands and panels, the GPU's implicit-GEMM tile shapes; every backend.
// Bad geometry must fail naming the function and the values. Plus the implicit-GEMM kernels'
// multiply-shift division (host code).
#include <initializer_list>
#include <random>

#include "core/fast_div.h"
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

struct Case {
  int64_t N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, G;
  bool bias;
  bool skip_sim = false;  // not on cuda-sim: a CPU path, sized for the CPU (there every
                          // CUDA thread is a fiber, under ASan)
};

// Two suites with their own seeds and filter-gradient tolerances: the CPU's cases, and the
// GPU's (always with bias, smaller, a tighter bound on dw).
struct Suite {
  uint64_t seed;
  double filt_atol;  // dw and db: filt_atol sqrt(N P Q) + 1e-6
};
// dw sums N P Q products in float (on the CPU: K blocks of 256 in registers, then bands and
// images into C): 3e-7 sqrt(N P Q) was met by luck of the draw at N P Q = 4,800 (3.4e-5 seen
// once, allowed 2.9e-5); the float worst case would be ~6e-8 N P Q = 2.9e-4.
const Suite kCpuSuite{51, 6e-7}, kGpuSuite{61, 3e-7};

void run_case(const Config& cfg, const Suite& suite, const Case& c) {
  Rng& rng = stream(suite.seed, cfg);
  nv::ConvShape s{c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw, c.G, 0, 0};
  s.P = (c.H + 2 * c.ph - c.dh * (c.R - 1) - 1) / c.sh + 1;
  s.Q = (c.W + 2 * c.pw - c.dw * (c.S - 1) - 1) / c.sw + 1;
  const int64_t nx = c.N * c.C * c.H * c.W, nw = c.K * (c.C / c.G) * c.R * c.S;
  const int64_t ny = c.N * c.K * s.P * s.Q;
  std::vector<float> x = rng.floats(nx, -1, 1), w = rng.floats(nw, -1, 1), b = rng.floats(c.K, -1, 1);
  std::vector<float> dy = rng.floats(ny, -1, 1);
  std::vector<double> want_y(ny), want_dx(nx), want_dw(nw), want_db(c.K);
  Buf<float> dx_(cfg.ctx, x), dw_(cfg.ctx, w), db_(cfg.ctx, b), ddy(cfg.ctx, dy), out_y(cfg.ctx, ny),
      out_dx(cfg.ctx, nx), out_dw(cfg.ctx, nw), out_db(cfg.ctx, c.K);
  std::string tag = fmt("%s N%lld C%lld %lldx%lld K%lld %lldx%lld s%lld,%lld p%lld,%lld d%lld,%lld g%lld%s",
                        cfg.name.c_str(), (long long)c.N, (long long)c.C, (long long)c.H,
                        (long long)c.W, (long long)c.K, (long long)c.R, (long long)c.S,
                        (long long)c.sh, (long long)c.sw, (long long)c.ph, (long long)c.pw,
                        (long long)c.dh, (long long)c.dw, (long long)c.G, c.bias ? " bias" : "");
  // Sums of CRS (or K R S) products of numbers in [-1, 1]: the error grows like sqrt(terms).
  const double fwd_atol = 3e-7 * std::sqrt(double(s.CRS())) + 1e-6;
  nv::ref::conv2d_forward(s, x.data(), w.data(), c.bias ? b.data() : nullptr, want_y.data());
  CHECK_OK(nv_conv2d_forward_f32(cfg.ctx, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw, c.ph,
                                 c.pw, c.dh, c.dw, c.G, dx_.p, dw_.p, c.bias ? db_.p : nullptr,
                                 out_y.p));
  compare(("conv2d fwd " + tag).c_str(), out_y.read().data(), want_y.data(), ny, fwd_atol, 1e-5);

  nv::ref::conv2d_backward_data(s, dy.data(), w.data(), want_dx.data());
  CHECK_OK(nv_conv2d_backward_data_f32(cfg.ctx, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw,
                                       c.ph, c.pw, c.dh, c.dw, c.G, ddy.p, dw_.p, out_dx.p));
  compare(("conv2d bwd data " + tag).c_str(), out_dx.read().data(), want_dx.data(), nx,
          3e-7 * std::sqrt(double(c.K * c.R * c.S)) + 1e-6, 1e-5);

  nv::ref::conv2d_backward_filter(s, x.data(), dy.data(), want_dw.data(), want_db.data());
  CHECK_OK(nv_conv2d_backward_filter_f32(cfg.ctx, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.sh, c.sw,
                                         c.ph, c.pw, c.dh, c.dw, c.G, dx_.p, ddy.p, out_dw.p,
                                         c.bias ? out_db.p : nullptr));
  const double filt_atol = suite.filt_atol * std::sqrt(double(c.N * s.PQ())) + 1e-6;
  compare(("conv2d bwd filter " + tag).c_str(), out_dw.read().data(), want_dw.data(), nw, filt_atol, 1e-5);
  if (c.bias)
    compare(("conv2d bwd bias " + tag).c_str(), out_db.read().data(), want_db.data(), c.K, filt_atol, 1e-5);
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> bx(ctx, 64), bw(ctx, 64), by(ctx, 64);
  float *x = bx.p, *w = bw.p, *y = by.p;
  const char* fwd = "nv_conv2d_forward_f32";
  CHECK_ERR(nv_conv2d_forward_f32(nullptr, 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1, x, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, fwd);
  CHECK_ERR(nv_conv2d_forward_f32(ctx, 1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1, 1, x, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, "the output would be empty");
  CHECK_ERR(nv_conv2d_forward_f32(ctx, 1, 3, 4, 4, 2, 3, 3, 1, 1, 0, 0, 1, 1, 2, x, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, "groups=2 must be >= 1 and divide C=3 and K=2");
  CHECK_ERR(nv_conv2d_forward_f32(ctx, 1, 1, 4, 4, 1, 3, 3, 0, 1, 0, 0, 1, 1, 1, x, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, "stride 0x1");
  CHECK_ERR(nv_conv2d_forward_f32(ctx, 1, 1, 4, 4, 1, 3, 3, 1, 1, -1, 0, 1, 1, 1, x, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, "padding -1x0");
  CHECK_ERR(nv_conv2d_forward_f32(ctx, 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 0, 1, 1, x, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, "dilation 0x1");
  CHECK_ERR(nv_conv2d_forward_f32(ctx, 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1, nullptr, w, nullptr, y),
            NV_ERR_INVALID_ARGUMENT, "x is NULL");
  CHECK_ERR(nv_conv2d_backward_data_f32(ctx, -1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1, x, w, y),
            NV_ERR_INVALID_ARGUMENT, "nv_conv2d_backward_data_f32: N=-1");
  CHECK_ERR(nv_conv2d_backward_filter_f32(ctx, 1, 1, 4, 4, 0, 3, 3, 1, 1, 0, 0, 1, 1, 1, x, y, w, nullptr),
            NV_ERR_INVALID_ARGUMENT, "nv_conv2d_backward_filter_f32: filter K=0");
  // N = 0: nothing to do; the filter gradient is zero.
  bw.write(std::vector<float>(64, 5.0f));
  CHECK_OK(nv_conv2d_backward_filter_f32(ctx, 0, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1, nullptr, nullptr, w, nullptr));
  const float w0 = bw.read()[0];
  CHECK(w0 == 0.0f, "dw with N = 0 is %g, not 0", w0);
}

// The implicit-GEMM kernels' multiply-shift division against '/' at the edges of its range:
// host code, checked once rather than per backend.
void fast_div_check() {
  std::vector<int64_t> divisors;
  for (int64_t d = 1; d <= 300; ++d) divisors.push_back(d);
  for (int64_t d : std::initializer_list<int64_t>{3136, 50176, 100352, 65535, 65536, 65537, 1 << 20, (1 << 30) + 1,
                                                 2147483647, 2147483648LL})
    divisors.push_back(d);
  std::mt19937 gen(7);
  int64_t checked = 0, bad = 0;
  for (int64_t d : divisors) {
    const nv::FastDiv f(d);
    std::vector<int64_t> ns = {0, 1, d - 1, d, d + 1, 2 * d - 1, 2 * d, 2147483647, 2147483646};
    for (int i = 0; i < 2000; ++i) ns.push_back(int64_t(gen() % 2147483648u));
    for (int64_t n : ns) {
      if (n < 0 || n > 2147483647) continue;
      ++checked;
      if (f.div(int(n)) != n / d && bad++ == 0)
        std::printf("     FastDiv %lld / %lld = %d, want %lld\n", (long long)n, (long long)d,
                    f.div(int(n)), (long long)(n / d));
    }
  }
  verdict(bad == 0, "FastDiv against / for %zu divisors, %lld quotients, %lld wrong", divisors.size(),
          (long long)checked, (long long)bad);
}

const Case kCpuCases[] = {
    {2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, true},      // "same" 3x3
    {3, 4, 11, 10, 6, 3, 2, 2, 3, 1, 0, 1, 1, 2, true},    // strides, groups
    {1, 5, 9, 8, 3, 3, 3, 1, 1, 2, 2, 2, 2, 1, false},     // dilation, one image
    {5, 6, 6, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6, true},      // depthwise
    {4, 8, 5, 5, 7, 1, 1, 1, 1, 0, 0, 1, 1, 1, true},      // 1x1: no im2col
    {3, 1, 13, 13, 5, 5, 5, 1, 1, 0, 0, 1, 1, 1, true},    // LeNet-like
    {2, 3, 6, 6, 4, 1, 1, 2, 2, 0, 0, 1, 1, 1, false},     // 1x1 stride 2 (projection)
    {3, 2, 4, 5, 3, 4, 5, 3, 2, 2, 2, 1, 1, 1, true},      // filter bigger than input
    // column matrix in bands of output rows (band = 128 Ki floats / (CRS Q) = 22 rows of 40,
    // the last band partial); stride 2 with a band of 45 rows of 19 over 38 rows (CPU paths)
    {3, 16, 40, 40, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, true, true},
    {2, 40, 75, 37, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2, true, true},
    // more than 48 output channels per group: the forward gathers col(x) straight into the
    // GEMM's panels (Im2colPanels) instead of building bands; strides, dilation, groups
    // (CPU paths, and slow on cuda-sim)
    {2, 3, 9, 10, 50, 3, 3, 1, 1, 1, 1, 1, 1, 1, true, true},
    {1, 4, 11, 9, 52, 3, 2, 2, 3, 1, 0, 2, 1, 1, false, true},
    {2, 4, 8, 8, 100, 3, 3, 1, 1, 1, 1, 1, 1, 2, true, true},
};
const Case kGpuCases[] = {
    {2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, true},
    {2, 4, 9, 8, 6, 3, 2, 2, 3, 1, 0, 1, 1, 2, true},
    {1, 3, 8, 7, 2, 3, 3, 1, 1, 2, 2, 2, 2, 1, true},
    {3, 2, 5, 5, 3, 1, 1, 2, 2, 0, 0, 1, 1, 1, true},
    // implicit GEMM's tile shapes (cuda-sim counts 4 SMs): 128 x 128 (K > 64), 64 x 128,
    // 64 x 64; backward-filter split over N P Q; stride 2 leaves holes in backward-data.
    {2, 3, 16, 16, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, true},
    {2, 5, 14, 14, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, true},
    {2, 6, 15, 13, 10, 3, 3, 2, 2, 1, 1, 1, 1, 2, true},
    {1, 4, 11, 12, 6, 5, 3, 2, 1, 2, 1, 2, 1, 2, true},
};

void run(const Config& cfg) {
  for (const Case& c : kCpuCases)
    if (!(cfg.slow() && c.skip_sim)) run_case(cfg, kCpuSuite, c);
  for (const Case& c : kGpuCases) run_case(cfg, kGpuSuite, c);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  fast_div_check();
  for_each_config(run);
  return report();
}
