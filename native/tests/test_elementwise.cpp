// nv_unary_f32 / nv_unary_backward_f32 (every op, odd sizes, aligned and unaligned pointers, in
// place, dx aliasing dy or not) against the analytic double reference, nv_binary_f32 /
// nv_compare_f32 (every op, broadcast patterns, in place) against the double loop, on every
// backend; plus the error path.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

const char* kUnaryNames[] = {"copy", "neg", "exp", "log", "sqrt", "relu", "sigmoid", "tanh",
                             "abs", "softplus", "square", "reciprocal", "pow", "leaky_relu",
                             "scale_shift"};

// Two suites of cases, each with its own seed: the first grew up on the CPU (sizes up to 100003,
// a denormal for log, dx apart from dy), the second on the GPU (an unaligned view, dx
// aliasing dy).
struct Suite {
  uint64_t seed;
  float log_tiny;       // a tiny positive input of log
  bool dx_aliases_dy;   // backward writes dx over dy (allowed)
};
const Suite kCpuSuite{7, 1e-40f, false}, kGpuSuite{23, 1e-30f, true};

// Inputs inside each op's domain, with a few special values mixed in.
std::vector<float> unary_inputs(Rng& rng, const Suite& s, int op, int64_t n) {
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
    x[1] = s.log_tiny;
    x[2] = INFINITY;
  }
  if ((op == NV_UNARY_EXP || op == NV_UNARY_SIGMOID || op == NV_UNARY_TANH) && n > 3) {
    x[0] = -1000.0f;
    x[1] = 1000.0f;
    x[2] = NAN;
  }
  return x;
}

// off shifts every pointer by one float, so that the GPU kernels take their scalar path.
void test_unary(const Config& cfg, const Suite& s, int op, int64_t n, int64_t off) {
  Rng& rng = stream(s.seed, cfg);
  const float alpha = op == NV_UNARY_POW ? 2.5f : op == NV_UNARY_LEAKY_RELU ? 0.01f : 1.7f;
  const float beta = -0.3f;
  std::vector<float> x = unary_inputs(rng, s, op, n), dy = rng.floats(n, -1, 1);
  std::vector<double> want(n), dwant(n);
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::unary(op, x[i], alpha, beta);
  std::vector<float> xp(n + off), dyp(n + off);
  std::copy(x.begin(), x.end(), xp.begin() + off);
  Buf<float> bx(cfg.ctx, xp), bdy(cfg.ctx, n + off), by(cfg.ctx, n + off + 1), bdx(cfg.ctx, n + off);
  CHECK_OK(nv_unary_f32(cfg.ctx, op, n, bx.p + off, by.p + off, alpha, beta));
  std::vector<float> y = by.read();
  const std::string tag = fmt("%-11s %s n=%lld%s", kUnaryNames[op], cfg.name.c_str(),
                              (long long)n, off ? " unaligned" : "");
  compare(("unary " + tag).c_str(), y.data() + off, want.data(), n,
          op == NV_UNARY_SCALE_SHIFT ? 1e-6 : 1e-30, 4e-6);
  // In place (y may alias x).
  CHECK_OK(nv_unary_f32(cfg.ctx, op, n, bx.p + off, bx.p + off, alpha, beta));
  std::vector<float> inplace = bx.read();
  CHECK(n == 0 || std::memcmp(inplace.data() + off, y.data() + off, n * sizeof(float)) == 0,
        "unary %s in place differs", tag.c_str());

  // Backward on finite inputs; y comes from the kernel (float), the reference from x alone,
  // so the tolerance covers y's rounding.
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i]) || x[i] == 0.0f || std::fabs(x[i]) < 1e-30f) x[i] = 0.5f;
  if (op == NV_UNARY_EXP)
    for (auto& v : x) v = std::fmax(-40.0f, std::fmin(40.0f, v));  // keep dy * e^x finite
  std::copy(x.begin(), x.end(), xp.begin() + off);
  std::copy(dy.begin(), dy.end(), dyp.begin() + off);
  bx.write(xp);
  bdy.write(dyp);
  CHECK_OK(nv_unary_f32(cfg.ctx, op, n, bx.p + off, by.p + off, alpha, beta));
  for (int64_t i = 0; i < n; ++i) dwant[i] = nv::ref::unary_backward(op, x[i], dy[i], alpha, beta);
  Buf<float>& out = s.dx_aliases_dy ? bdy : bdx;
  CHECK_OK(nv_unary_backward_f32(cfg.ctx, op, n, bx.p + off, by.p + off, bdy.p + off, out.p + off,
                                 alpha, beta));
  std::vector<float> dx = out.read();
  compare(("unary_backward " + tag).c_str(), dx.data() + off, dwant.data(), n, 1e-6, 1e-5);
}

struct Pattern {
  const char* name;
  int ndim;
  int64_t shape[4];
  int64_t as[4], bs[4];
};

void test_binary(const Config& cfg, const Suite& s, const Pattern& p, int op, bool cmp) {
  Rng& rng = stream(s.seed, cfg);
  int64_t total = 1, amax = 1, bmax = 1;
  for (int d = 0; d < p.ndim; ++d) {
    total *= p.shape[d];
    if (p.shape[d] > 0) {
      amax += (p.shape[d] - 1) * p.as[d];
      bmax += (p.shape[d] - 1) * p.bs[d];
    }
  }
  std::vector<float> a = rng.floats(amax, -4, 4), b = rng.floats(bmax, -4, 4);
  if (cmp) {  // exact ties for EQ / GE / LE
    for (auto& v : a) v = std::round(v);
    for (auto& v : b) v = std::round(v);
  }
  if (op == NV_BINARY_MAXIMUM && amax > 3) a[2] = NAN;
  std::vector<double> want(total + 1, 99.0);
  nv::ref::binary_broadcast(op, cmp, p.ndim, p.shape, a.data(), p.as, b.data(), p.bs, want.data());
  for (int64_t i = 0; i < total; ++i) want[i] = static_cast<float>(want[i]);  // one float rounding
  Buf<float> da(cfg.ctx, a), db(cfg.ctx, b), dout(cfg.ctx, std::vector<float>(total + 1, 99.0f));
  if (cmp) CHECK_OK(nv_compare_f32(cfg.ctx, op, p.ndim, p.shape, da.p, p.as, db.p, p.bs, dout.p));
  else CHECK_OK(nv_binary_f32(cfg.ctx, op, p.ndim, p.shape, da.p, p.as, db.p, p.bs, dout.p));
  std::vector<float> out = dout.read();
  compare(fmt("%s op=%d %-14s %s", cmp ? "compare" : "binary", op, p.name, cfg.name.c_str()).c_str(),
          out.data(), want.data(), total + 1, 0.0, 1e-7);
}

// out aliasing a contiguous input
void test_binary_in_place(const Config& cfg) {
  Rng& rng = stream(kGpuSuite.seed, cfg);
  std::vector<float> a = rng.floats(1000, -1, 1), b = rng.floats(1000, -1, 1);
  std::vector<double> want(1000);
  for (int i = 0; i < 1000; ++i) want[i] = a[i] * b[i];
  int64_t shape[1] = {1000}, st[1] = {1};
  Buf<float> da(cfg.ctx, a), db(cfg.ctx, b);
  CHECK_OK(nv_binary_f32(cfg.ctx, NV_BINARY_MUL, 1, shape, da.p, st, db.p, st, da.p));
  compare(fmt("binary mul in place %s", cfg.name.c_str()).c_str(), da.read().data(), want.data(),
          1000, 0.0, 1e-7);
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> bx(ctx, 4), by(ctx, 4);
  float *x = bx.p, *y = by.p;
  int64_t shape[2] = {2, 2}, st[2] = {2, 1}, neg[2] = {2, -1};
  CHECK_ERR(nv_unary_f32(nullptr, 0, 4, x, y, 0, 0), NV_ERR_INVALID_ARGUMENT, "nv_unary_f32");
  CHECK_ERR(nv_unary_f32(ctx, NV_UNARY_COUNT, 4, x, y, 0, 0), NV_ERR_INVALID_ARGUMENT,
            fmt("nv_unary_f32: op=%d", NV_UNARY_COUNT).c_str());
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

// Broadcast patterns at each suite's sizes, then the ones both suites share.
const std::vector<Pattern> kCpuPatterns = {
    {"contiguous", 2, {33, 257}, {257, 1}, {257, 1}},
    {"bias_row", 2, {7, 1000}, {1000, 1}, {0, 1}},
    {"scalar_b", 2, {33, 100}, {100, 1}, {0, 0}},
    {"column", 2, {257, 33}, {33, 1}, {1, 0}},
    {"big_1d", 1, {100003}, {1}, {1}},
};
const std::vector<Pattern> kGpuPatterns = {
    {"contiguous", 2, {33, 57}, {57, 1}, {57, 1}},
    {"bias_row", 2, {7, 100}, {100, 1}, {0, 1}},
    {"scalar_b", 2, {33, 10}, {10, 1}, {0, 0}},
    {"column", 2, {57, 33}, {33, 1}, {1, 0}},
};
const std::vector<Pattern> kSharedPatterns = {
    {"scalar_a", 1, {1001}, {0}, {1}},
    {"transposed_a", 2, {33, 65}, {1, 33}, {65, 1}},
    {"outer", 3, {9, 1, 17}, {1, 0, 0}, {0, 0, 1}},
    {"4d_mixed", 4, {3, 5, 7, 9}, {315, 0, 9, 1}, {0, 63, 9, 1}},
    {"padded_rows", 2, {20, 30}, {40, 1}, {31, 1}},
    {"scalar_0d", 0, {}, {}, {}},
    {"empty", 2, {0, 5}, {5, 1}, {5, 1}},
};

void test_patterns(const Config& cfg, const Suite& s, const std::vector<Pattern>& sized) {
  for (const std::vector<Pattern>* list : {&sized, &kSharedPatterns})
    for (const Pattern& p : *list) {
      for (int op = 0; op < NV_BINARY_COUNT; ++op) test_binary(cfg, s, p, op, false);
      for (int op = 0; op <= NV_COMPARE_LE; ++op) test_binary(cfg, s, p, op, true);
    }
}

void run(const Config& cfg) {
  for (int op = 0; op < NV_UNARY_COUNT; ++op) {
    for (int64_t n : {0, 1, 7, 33, 257, 1000, 100003}) {
      if (cfg.slow() && n > 20003) continue;  // sized for the CPU: too slow on cuda-sim
      test_unary(cfg, kCpuSuite, op, n, 0);
    }
    for (int64_t n : {0, 1, 7, 33, 1000, 20003}) test_unary(cfg, kGpuSuite, op, n, 0);
    test_unary(cfg, kGpuSuite, op, 1001, 1);
  }
  // On cuda-sim the GPU suite's patterns are the CPU suite's at cuda-sim sizes (big_1d would be
  // too slow there).
  if (!cfg.slow()) test_patterns(cfg, kCpuSuite, kCpuPatterns);
  test_patterns(cfg, kGpuSuite, kGpuPatterns);
  test_binary_in_place(cfg);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
