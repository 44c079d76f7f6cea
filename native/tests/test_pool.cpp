// Max and average pooling forward/backward against the double loops: odd sizes, strides,
// padding, ceil mode (PyTorch's output-size rule), count_include_pad, global pooling; every
// backend. Bad geometry must fail naming the values.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

struct Case {
  int64_t N, C, H, W, R, S, sh, sw, ph, pw;
  int32_t ceil;
  int32_t include_pad;
  int64_t want_P, want_Q;  // the output size PyTorch gives
};

void run_case(const Config& cfg, uint64_t seed, const Case& c) {
  Rng& rng = stream(seed, cfg);
  int64_t P = 0, Q = 0;
  CHECK_OK(nv_pool2d_output_size(c.H, c.R, c.sh, c.ph, c.ceil, &P));
  CHECK_OK(nv_pool2d_output_size(c.W, c.S, c.sw, c.pw, c.ceil, &Q));
  CHECK(P == c.want_P && Q == c.want_Q, "output %lldx%lld, want %lldx%lld", (long long)P,
        (long long)Q, (long long)c.want_P, (long long)c.want_Q);
  nv::PoolShape s{c.N, c.C, c.H, c.W, c.R, c.S, c.sh, c.sw, c.ph, c.pw, P, Q, c.include_pad != 0};
  const int64_t nx = c.N * c.C * c.H * c.W, ny = c.N * c.C * P * Q;
  std::vector<float> x = rng.floats(nx, -2, 2), dy = rng.floats(ny, -1, 1);
  std::vector<int32_t> want_am(ny);
  std::vector<double> want_y(ny), want_dx(nx);
  Buf<float> dx_(cfg.ctx, x), ddy(cfg.ctx, dy), out_y(cfg.ctx, ny), out_dx(cfg.ctx, nx);
  Buf<int32_t> am(cfg.ctx, ny);
  std::string tag = fmt("%s N%lld C%lld %lldx%lld k%lldx%lld s%lld,%lld p%lld,%lld%s%s",
                        cfg.name.c_str(), (long long)c.N, (long long)c.C, (long long)c.H,
                        (long long)c.W, (long long)c.R, (long long)c.S, (long long)c.sh,
                        (long long)c.sw, (long long)c.ph, (long long)c.pw, c.ceil ? " ceil" : "",
                        c.include_pad ? " incl-pad" : "");
  nv::ref::max_pool2d_forward(s, x.data(), want_y.data(), want_am.data());
  CHECK_OK(nv_max_pool2d_forward_f32(cfg.ctx, c.N, c.C, c.H, c.W, c.R, c.S, c.sh, c.sw, c.ph,
                                     c.pw, c.ceil, dx_.p, out_y.p, am.p));
  compare(("max_pool fwd " + tag).c_str(), out_y.read().data(), want_y.data(), ny, 0, 0);
  CHECK(am.read() == want_am, "max_pool argmax differs (%s)", tag.c_str());
  // Backward: scatter of dy to the argmax positions.
  for (auto& v : want_dx) v = 0;
  for (int64_t i = 0; i < ny; ++i) want_dx[(i / (P * Q)) * c.H * c.W + want_am[i]] += dy[i];
  CHECK_OK(nv_max_pool2d_backward_f32(cfg.ctx, c.N, c.C, c.H, c.W, P, Q, ddy.p, am.p, out_dx.p));
  compare(("max_pool bwd " + tag).c_str(), out_dx.read().data(), want_dx.data(), nx, 1e-6, 1e-6);

  nv::ref::avg_pool2d_forward(s, x.data(), want_y.data());
  CHECK_OK(nv_avg_pool2d_forward_f32(cfg.ctx, c.N, c.C, c.H, c.W, c.R, c.S, c.sh, c.sw, c.ph,
                                     c.pw, c.ceil, c.include_pad, dx_.p, out_y.p));
  compare(("avg_pool fwd " + tag).c_str(), out_y.read().data(), want_y.data(), ny, 1e-6, 1e-5);
  nv::ref::avg_pool2d_backward(s, dy.data(), want_dx.data());
  CHECK_OK(nv_avg_pool2d_backward_f32(cfg.ctx, c.N, c.C, c.H, c.W, c.R, c.S, c.sh, c.sw, c.ph,
                                      c.pw, c.ceil, c.include_pad, ddy.p, out_dx.p));
  compare(("avg_pool bwd " + tag).c_str(), out_dx.read().data(), want_dx.data(), nx, 1e-6, 1e-5);
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> bx(ctx, 64), by(ctx, 64);
  Buf<int32_t> bam(ctx, 64);
  float *x = bx.p, *y = by.p;
  int32_t* am = bam.p;
  int64_t P = 0;
  CHECK_ERR(nv_max_pool2d_forward_f32(ctx, 1, 1, 4, 4, 5, 5, 1, 1, 0, 0, 0, x, y, am),
            NV_ERR_INVALID_ARGUMENT, "the output would be empty");
  CHECK_ERR(nv_max_pool2d_forward_f32(ctx, 1, 1, 4, 4, 2, 2, 1, 1, 2, 0, 0, x, y, am),
            NV_ERR_INVALID_ARGUMENT, "padding 2 must be in [0, kernel / 2 = 1]");
  CHECK_ERR(nv_avg_pool2d_forward_f32(ctx, 1, 1, 4, 4, 2, 2, 0, 1, 0, 0, 0, 1, x, y),
            NV_ERR_INVALID_ARGUMENT, "nv_avg_pool2d_forward_f32: stride 0");
  CHECK_ERR(nv_pool2d_output_size(4, 2, 2, 0, 0, nullptr), NV_ERR_INVALID_ARGUMENT, "P is NULL");
  CHECK_ERR(nv_max_pool2d_backward_f32(ctx, 1, 1, 4, 4, 0, 2, x, am, y), NV_ERR_INVALID_ARGUMENT,
            "nv_max_pool2d_backward_f32: sizes");
  CHECK_OK(nv_pool2d_output_size(5, 2, 2, 0, 1, &P));
  CHECK(P == 3, "ceil mode 5/2: P=%lld, want 3", (long long)P);
}

// Two suites with their own seeds: the CPU's cases and the GPU's (square windows).
constexpr uint64_t kCpuSeed = 52, kGpuSeed = 61;
const Case kCpuCases[] = {
    {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 0, 1, 4, 4},     // LeNet's 2x2
    {2, 3, 7, 9, 3, 3, 2, 2, 1, 1, 0, 1, 4, 5},     // ResNet stem style
    {3, 2, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, 4, 4},     // ceil mode: a half window
    {1, 4, 6, 5, 3, 2, 2, 3, 1, 1, 1, 0, 4, 2},     // ceil, padding, exclude pad
    {2, 2, 5, 5, 2, 2, 3, 3, 1, 1, 1, 1, 2, 2},     // ceil: a 3rd window would start in the pad
    {4, 5, 7, 6, 7, 6, 7, 6, 0, 0, 0, 1, 1, 1},     // global average pooling
    {2, 3, 10, 11, 3, 4, 1, 1, 1, 2, 0, 0, 10, 12}, // stride 1, exclude pad
};
const Case kGpuCases[] = {
    {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 0, 1, 4, 4},
    {2, 2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 0, 4, 4},
    {1, 3, 6, 5, 3, 3, 2, 2, 1, 1, 1, 1, 4, 3},
    {2, 3, 5, 5, 5, 5, 5, 5, 0, 0, 0, 1, 1, 1},     // global
};

void run(const Config& cfg) {
  for (const Case& c : kCpuCases) run_case(cfg, kCpuSeed, c);
  for (const Case& c : kGpuCases) run_case(cfg, kGpuSeed, c);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
