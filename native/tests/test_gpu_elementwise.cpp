// The GPU elementwise kernels: nv_unary_f32 / nv_unary_backward_f32 (every op, odd sizes and
// aligned / unaligned pointers, in place) against the analytic double reference, and
// nv_binary_f32 / nv_compare_f32 (every op, broadcast patterns, in place) against the double
// loop, on cuda-sim and, where there is one, a real GPU.
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(23);

const char* kUnaryNames[] = {"copy", "neg", "exp", "log", "sqrt", "relu", "sigmoid", "tanh",
                             "abs", "softplus", "square", "reciprocal", "pow", "leaky_relu",
                             "scale_shift"};

// Inputs inside each op's domain, with special values mixed in (as test_elementwise.cpp).
std::vector<float> unary_inputs(int op, int64_t n) {
  bool positive = op == NV_UNARY_LOG || op == NV_UNARY_SQRT || op == NV_UNARY_POW;
  float range = op == NV_UNARY_EXP ? 90.0f : op == NV_UNARY_SOFTPLUS ? 100.0f : 12.0f;
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    float u = rng.uniform(-1, 1);
    if (i % 5 == 1) u *= 1e-3f;
    x[i] = positive ? std::fabs(u) * range + 1e-3f : u * range;
  }
  if (op == NV_UNARY_LOG && n > 3) {
    x[0] = 0.0f;
    x[1] = 1e-30f;
    x[2] = INFINITY;
  }
  if ((op == NV_UNARY_EXP || op == NV_UNARY_SIGMOID || op == NV_UNARY_TANH) && n > 3) {
    x[0] = -1000.0f;
    x[1] = 1000.0f;
    x[2] = NAN;
  }
  return x;
}

// off shifts every pointer by one float, so the kernels take their scalar path.
void test_unary(const GpuConfig& g, int op, int64_t n, int64_t off) {
  const float alpha = op == NV_UNARY_POW ? 2.5f : op == NV_UNARY_LEAKY_RELU ? 0.01f : 1.7f;
  const float beta = -0.3f;
  std::vector<float> x = unary_inputs(op, n), dy = rng.floats(n, -1, 1);
  std::vector<double> want(n), dwant(n);
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::unary(op, x[i], alpha, beta);
  std::vector<float> xp(n + off), dyp(n + off);
  std::copy(x.begin(), x.end(), xp.begin() + off);
  DevBuf<float> dx_in(g.ctx, xp), dyv(g.ctx, n + off), dout(g.ctx, n + off + 1);
  CHECK_OK(nv_unary_f32(g.ctx, op, n, dx_in.p + off, dout.p + off, alpha, beta));
  std::vector<float> y = dout.read();
  const std::string tag = fmt("%s %s n=%lld%s", kUnaryNames[op], g.name.c_str(), (long long)n,
                              off ? " unaligned" : "");
  compare(("unary " + tag).c_str(), y.data() + off, want.data(), n,
          op == NV_UNARY_SCALE_SHIFT ? 1e-6 : 1e-30, 4e-6);
  // In place (y may alias x).
  CHECK_OK(nv_unary_f32(g.ctx, op, n, dx_in.p + off, dx_in.p + off, alpha, beta));
  std::vector<float> inplace = dx_in.read();
  CHECK(n == 0 || std::memcmp(inplace.data() + off, y.data() + off, n * sizeof(float)) == 0,
        "unary %s in place differs", tag.c_str());

  // Backward on finite inputs, with y from the kernel.
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i]) || x[i] == 0.0f || std::fabs(x[i]) < 1e-30f) x[i] = 0.5f;
  if (op == NV_UNARY_EXP)
    for (auto& v : x) v = std::fmax(-40.0f, std::fmin(40.0f, v));
  std::copy(x.begin(), x.end(), xp.begin() + off);
  std::copy(dy.begin(), dy.end(), dyp.begin() + off);
  dx_in.write(xp);
  dyv.write(dyp);
  CHECK_OK(nv_unary_f32(g.ctx, op, n, dx_in.p + off, dout.p + off, alpha, beta));
  for (int64_t i = 0; i < n; ++i) dwant[i] = nv::ref::unary_backward(op, x[i], dy[i], alpha, beta);
  // dx aliases dy (allowed).
  CHECK_OK(nv_unary_backward_f32(g.ctx, op, n, dx_in.p + off, dout.p + off, dyv.p + off,
                                 dyv.p + off, alpha, beta));
  std::vector<float> dx = dyv.read();
  compare(("unary_backward " + tag).c_str(), dx.data() + off, dwant.data(), n, 1e-6, 1e-5);
}

struct Pattern {
  const char* name;
  int ndim;
  int64_t shape[4];
  int64_t as[4], bs[4];
};

void test_binary(const GpuConfig& g, const Pattern& p, int op, bool cmp) {
  int64_t total = 1, amax = 1, bmax = 1;
  for (int d = 0; d < p.ndim; ++d) {
    total *= p.shape[d];
    if (p.shape[d] > 0) {
      amax += (p.shape[d] - 1) * p.as[d];
      bmax += (p.shape[d] - 1) * p.bs[d];
    }
  }
  std::vector<float> a = rng.floats(amax, -4, 4), b = rng.floats(bmax, -4, 4);
  if (cmp) {
    for (auto& v : a) v = std::round(v);
    for (auto& v : b) v = std::round(v);
  }
  if (op == NV_BINARY_MAXIMUM && amax > 3) a[2] = NAN;
  std::vector<double> want(total + 1, 99.0);
  nv::ref::binary_broadcast(op, cmp, p.ndim, p.shape, a.data(), p.as, b.data(), p.bs, want.data());
  for (int64_t i = 0; i < total; ++i) want[i] = static_cast<float>(want[i]);
  DevBuf<float> da(g.ctx, a), db(g.ctx, b), dout(g.ctx, std::vector<float>(total + 1, 99.0f));
  if (cmp) CHECK_OK(nv_compare_f32(g.ctx, op, p.ndim, p.shape, da.p, p.as, db.p, p.bs, dout.p));
  else CHECK_OK(nv_binary_f32(g.ctx, op, p.ndim, p.shape, da.p, p.as, db.p, p.bs, dout.p));
  std::vector<float> out = dout.read();
  compare(fmt("%s op=%d %-14s %s", cmp ? "compare" : "binary", op, p.name, g.name.c_str()).c_str(),
          out.data(), want.data(), total + 1, 0.0, 1e-7);
}

}  // namespace

int main() {
  const Pattern patterns[] = {
      {"contiguous", 2, {33, 57}, {57, 1}, {57, 1}},
      {"bias_row", 2, {7, 100}, {100, 1}, {0, 1}},
      {"scalar_b", 2, {33, 10}, {10, 1}, {0, 0}},
      {"scalar_a", 1, {1001}, {0}, {1}},
      {"column", 2, {57, 33}, {33, 1}, {1, 0}},
      {"transposed_a", 2, {33, 65}, {1, 33}, {65, 1}},
      {"outer", 3, {9, 1, 17}, {1, 0, 0}, {0, 0, 1}},
      {"4d_mixed", 4, {3, 5, 7, 9}, {315, 0, 9, 1}, {0, 63, 9, 1}},
      {"padded_rows", 2, {20, 30}, {40, 1}, {31, 1}},
      {"scalar_0d", 0, {}, {}, {}},
      {"empty", 2, {0, 5}, {5, 1}, {5, 1}},
  };
  for (const GpuConfig& g : gpu_configs()) {
    for (int op = 0; op < NV_UNARY_COUNT; ++op) {
      for (int64_t n : {0, 1, 7, 33, 1000, 20003}) test_unary(g, op, n, 0);
      test_unary(g, op, 1001, 1);
    }
    for (const Pattern& p : patterns) {
      for (int op = 0; op < NV_BINARY_COUNT; ++op) test_binary(g, p, op, false);
      for (int op = 0; op <= NV_COMPARE_LE; ++op) test_binary(g, p, op, true);
    }
    // out aliasing a contiguous input
    std::vector<float> a = rng.floats(1000, -1, 1), b = rng.floats(1000, -1, 1);
    std::vector<double> want(1000);
    for (int i = 0; i < 1000; ++i) want[i] = a[i] * b[i];
    int64_t shape[1] = {1000}, st[1] = {1};
    DevBuf<float> da(g.ctx, a), db(g.ctx, b);
    CHECK_OK(nv_binary_f32(g.ctx, NV_BINARY_MUL, 1, shape, da.p, st, db.p, st, da.p));
    compare(fmt("binary mul in place %s", g.name.c_str()).c_str(), da.read().data(), want.data(),
            1000, 0.0, 1e-7);
  }
  return gpu_report();
}
