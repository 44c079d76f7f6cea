// nv_unary_f32 / nv_unary_backward_f32 (every op, against the analytic double reference),
// nv_binary_f32 / nv_compare_f32 (every op, broadcast patterns), on every ISA and 1 and 2
// threads, plus the error path.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(7);

const char* kUnaryNames[] = {"copy", "neg", "exp", "log", "sqrt", "relu", "sigmoid", "tanh",
                             "abs", "softplus", "square", "reciprocal", "pow", "leaky_relu",
                             "scale_shift"};

// Inputs inside each op's domain, with a few special values mixed in.
std::vector<float> unary_inputs(int op, int64_t n) {
  bool positive = op == NV_UNARY_LOG || op == NV_UNARY_SQRT || op == NV_UNARY_POW;
  float range = op == NV_UNARY_EXP ? 90.0f : op == NV_UNARY_SOFTPLUS ? 100.0f : 12.0f;
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    float u = rng.uniform(-1, 1);
    if (i % 5 == 1) u *= 1e-3f;  // small |x|, where tanh and log1p lose most
    x[i] = positive ? std::fabs(u) * range + 1e-3f : u * range;
  }
  if (op == NV_UNARY_LOG && n > 3) {
    x[0] = 0.0f;
    x[1] = 1e-40f;  // denormal
    x[2] = INFINITY;
  }
  if ((op == NV_UNARY_EXP || op == NV_UNARY_SIGMOID || op == NV_UNARY_TANH) && n > 3) {
    x[0] = -1000.0f;
    x[1] = 1000.0f;
    x[2] = NAN;
  }
  return x;
}

void test_unary(const Config& cfg, int op, int64_t n) {
  const float alpha = op == NV_UNARY_POW ? 2.5f : op == NV_UNARY_LEAKY_RELU ? 0.01f : 1.7f;
  const float beta = -0.3f;
  std::vector<float> x = unary_inputs(op, n), y(n), dy = rng.floats(n, -1, 1), dx(n);
  std::vector<double> want(n), dwant(n);
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::unary(op, x[i], alpha, beta);
  CHECK_OK(nv_unary_f32(cfg.ctx, op, n, x.data(), y.data(), alpha, beta));
  compare(fmt("unary %-11s %s n=%lld", kUnaryNames[op], cfg.name.c_str(), (long long)n).c_str(),
          y.data(), want.data(), n, op == NV_UNARY_SCALE_SHIFT ? 1e-6 : 1e-30, 4e-6);
  // In place (y may alias x).
  std::vector<float> inplace = x;
  CHECK_OK(nv_unary_f32(cfg.ctx, op, n, inplace.data(), inplace.data(), alpha, beta));
  CHECK(n == 0 || std::memcmp(inplace.data(), y.data(), n * sizeof(float)) == 0, "unary %s in place differs", kUnaryNames[op]);

  // Backward on finite inputs; y comes from the kernel (float), the reference from x alone,
  // so the tolerance covers y's rounding.
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i]) || x[i] == 0.0f || std::fabs(x[i]) < 1e-30f) x[i] = 0.5f;
  if (op == NV_UNARY_EXP)
    for (auto& v : x) v = std::fmax(-40.0f, std::fmin(40.0f, v));  // keep dy * e^x finite
  CHECK_OK(nv_unary_f32(cfg.ctx, op, n, x.data(), y.data(), alpha, beta));
  for (int64_t i = 0; i < n; ++i) dwant[i] = nv::ref::unary_backward(op, x[i], dy[i], alpha, beta);
  CHECK_OK(nv_unary_backward_f32(cfg.ctx, op, n, x.data(), y.data(), dy.data(), dx.data(), alpha, beta));
  compare(fmt("unary_backward %-11s %s n=%lld", kUnaryNames[op], cfg.name.c_str(), (long long)n).c_str(),
          dx.data(), dwant.data(), n, 1e-6, 1e-5);
}

struct Pattern {
  const char* name;
  int ndim;
  int64_t shape[4];
  int64_t as[4], bs[4];
};

void test_binary(const Config& cfg, const Pattern& p, int op, bool cmp) {
  int64_t total = 1, amax = 1, bmax = 1;
  for (int d = 0; d < p.ndim; ++d) {
    total *= p.shape[d];
    if (p.shape[d] > 0) {
      amax += (p.shape[d] - 1) * p.as[d];
      bmax += (p.shape[d] - 1) * p.bs[d];
    }
  }
  std::vector<float> a = rng.floats(amax, -4, 4), b = rng.floats(bmax, -4, 4), out(total + 1, 99.0f);
  if (cmp) {  // exact ties for EQ / GE / LE
    for (auto& v : a) v = std::round(v);
    for (auto& v : b) v = std::round(v);
  }
  if (op == NV_BINARY_MAXIMUM && amax > 3) a[2] = NAN;
  std::vector<double> want(total + 1, 99.0);
  nv::ref::binary_broadcast(op, cmp, p.ndim, p.shape, a.data(), p.as, b.data(), p.bs, want.data());
  for (int64_t i = 0; i < total; ++i) want[i] = static_cast<float>(want[i]);  // one float rounding
  if (cmp) CHECK_OK(nv_compare_f32(cfg.ctx, op, p.ndim, p.shape, a.data(), p.as, b.data(), p.bs, out.data()));
  else CHECK_OK(nv_binary_f32(cfg.ctx, op, p.ndim, p.shape, a.data(), p.as, b.data(), p.bs, out.data()));
  compare(fmt("%s op=%d %-14s %s", cmp ? "compare" : "binary", op, p.name, cfg.name.c_str()).c_str(),
          out.data(), want.data(), total + 1, 0.0, 1e-7);
}

void bad_arguments(nv_ctx* ctx) {
  float x[4] = {}, y[4] = {};
  int64_t shape[2] = {2, 2}, st[2] = {2, 1}, neg[2] = {2, -1};
  CHECK_ERR(nv_unary_f32(nullptr, 0, 4, x, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_unary_f32");
  CHECK_ERR(nv_unary_f32(ctx, NV_UNARY_COUNT, 4, x, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_unary_f32: op=15");
  CHECK_ERR(nv_unary_f32(ctx, -1, 4, x, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_unary_f32");
  CHECK_ERR(nv_unary_f32(ctx, 0, -4, x, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "n=-4");
  CHECK_ERR(nv_unary_f32(ctx, 0, 4, nullptr, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_unary_f32");
  CHECK_ERR(nv_unary_backward_f32(ctx, 0, 4, x, nullptr, y, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_unary_backward_f32");
  CHECK_ERR(nv_binary_f32(ctx, NV_BINARY_COUNT, 2, shape, x, st, x, st, y), NV_ERR_INVALID_ARGUMENT, "nv_binary_f32");
  CHECK_ERR(nv_binary_f32(ctx, 0, 9, shape, x, st, x, st, y), NV_ERR_INVALID_ARGUMENT, "ndim=9");
  CHECK_ERR(nv_binary_f32(ctx, 0, 2, neg, x, st, x, st, y), NV_ERR_INVALID_ARGUMENT, "shape[1]=-1");
  CHECK_ERR(nv_binary_f32(ctx, 0, 2, shape, x, nullptr, x, st, y), NV_ERR_INVALID_ARGUMENT, "nv_binary_f32");
  CHECK_ERR(nv_compare_f32(ctx, 5, 2, shape, x, st, x, st, y), NV_ERR_INVALID_ARGUMENT, "nv_compare_f32");
  CHECK_ERR(nv_compare_f32(ctx, 0, 2, shape, x, st, nullptr, st, y), NV_ERR_INVALID_ARGUMENT, "nv_compare_f32");
  CHECK_OK(nv_unary_f32(ctx, 0, 0, nullptr, nullptr, 0, 0));
}

}  // namespace

int main() {
  const Pattern patterns[] = {
      {"contiguous", 2, {33, 257}, {257, 1}, {257, 1}},
      {"bias_row", 2, {7, 1000}, {1000, 1}, {0, 1}},
      {"scalar_b", 2, {33, 100}, {100, 1}, {0, 0}},
      {"scalar_a", 1, {1001}, {0}, {1}},
      {"column", 2, {257, 33}, {33, 1}, {1, 0}},
      {"transposed_a", 2, {33, 65}, {1, 33}, {65, 1}},
      {"outer", 3, {9, 1, 17}, {1, 0, 0}, {0, 0, 1}},
      {"4d_mixed", 4, {3, 5, 7, 9}, {315, 0, 9, 1}, {0, 63, 9, 1}},
      {"padded_rows", 2, {20, 30}, {40, 1}, {31, 1}},
      {"big_1d", 1, {100003}, {1}, {1}},
      {"scalar_0d", 0, {}, {}, {}},
      {"empty", 2, {0, 5}, {5, 1}, {5, 1}},
  };
  for (const Config& cfg : configs()) {
    for (int op = 0; op < NV_UNARY_COUNT; ++op)
      for (int64_t n : {0, 1, 7, 33, 257, 1000, 100003}) test_unary(cfg, op, n);
    for (const Pattern& p : patterns) {
      for (int op = 0; op < NV_BINARY_COUNT; ++op) test_binary(cfg, p, op, false);
      for (int op = 0; op <= NV_COMPARE_LE; ++op) test_binary(cfg, p, op, true);
    }
  }
  // out aliasing a contiguous input
  {
    nv_ctx* ctx = configs().back().ctx;
    std::vector<float> a = rng.floats(1000, -1, 1), b = rng.floats(1000, -1, 1);
    std::vector<double> want(1000);
    for (int i = 0; i < 1000; ++i) want[i] = a[i] * b[i];
    int64_t shape[1] = {1000}, st[1] = {1};
    CHECK_OK(nv_binary_f32(ctx, NV_BINARY_MUL, 1, shape, a.data(), st, b.data(), st, a.data()));
    compare("binary mul in place", a.data(), want.data(), 1000, 0.0, 1e-7);
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
