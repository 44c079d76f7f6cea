// nv_reduce_f32 (sum, mean, max, min) and nv_argmax_f32 against the double loops, over
// (outer, n, inner) with inner == 1 (vectorised along n) and inner > 1 (along inner),
// including n = 100000 sums whose accuracy the blocked accumulation is there for.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(3);
const char* kNames[] = {"sum", "mean", "max", "min"};

void test_reduce(const Config& cfg, int op, int64_t outer, int64_t n, int64_t inner, bool positive) {
  std::vector<float> x = rng.floats(outer * n * inner, positive ? 0.0f : -1.0f, 1.0f);
  std::vector<float> out(outer * inner + 1, 99.0f);
  std::vector<double> want(outer * inner + 1, 99.0);
  nv::ref::reduce(op, outer, n, inner, x.data(), want.data());
  CHECK_OK(nv_reduce_f32(cfg.ctx, op, outer, n, inner, x.data(), out.data()));
  // Sums: relative to the sum of |x| (the condition of the problem), ~ a few float ulps.
  double atol = (op <= NV_REDUCE_MEAN) ? 2e-7 * (op == NV_REDUCE_SUM ? n : 1) : 0.0;
  compare(fmt("reduce %-4s %s outer=%lld n=%lld inner=%lld%s", kNames[op], cfg.name.c_str(),
              (long long)outer, (long long)n, (long long)inner, positive ? " (x>=0)" : "").c_str(),
          out.data(), want.data(), outer * inner + 1, atol, 1e-6);
}

void test_argmax(const Config& cfg, int64_t outer, int64_t n, int64_t inner) {
  std::vector<float> x(outer * n * inner);
  for (auto& v : x) v = static_cast<float>(rng.below(5));  // many ties: the first must win
  std::vector<int32_t> out(outer * inner), want(outer * inner);
  nv::ref::argmax(outer, n, inner, x.data(), want.data());
  CHECK_OK(nv_argmax_f32(cfg.ctx, outer, n, inner, x.data(), out.data()));
  int bad = 0;
  for (size_t i = 0; i < out.size(); ++i) bad += out[i] != want[i];
  std::printf("%s argmax %s outer=%lld n=%lld inner=%lld mismatches %d\n", bad ? "FAIL" : "ok  ",
              cfg.name.c_str(), (long long)outer, (long long)n, (long long)inner, bad);
  if (bad) ++failures();
}

void bad_arguments(nv_ctx* ctx) {
  float x[4] = {}, y[4] = {};
  int32_t idx[4];
  CHECK_ERR(nv_reduce_f32(nullptr, 0, 1, 4, 1, x, y), NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32");
  CHECK_ERR(nv_reduce_f32(ctx, 4, 1, 4, 1, x, y), NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32: op=4");
  CHECK_ERR(nv_reduce_f32(ctx, 0, 1, 0, 1, x, y), NV_ERR_INVALID_ARGUMENT, "n=0");
  CHECK_ERR(nv_reduce_f32(ctx, 0, -1, 4, 1, x, y), NV_ERR_INVALID_ARGUMENT, "outer=-1");
  CHECK_ERR(nv_reduce_f32(ctx, 0, 1, 4, 1, nullptr, y), NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32");
  CHECK_ERR(nv_argmax_f32(ctx, 1, 0, 1, x, idx), NV_ERR_INVALID_ARGUMENT, "nv_argmax_f32");
  CHECK_ERR(nv_argmax_f32(ctx, 1, 4, 1, x, nullptr), NV_ERR_INVALID_ARGUMENT, "nv_argmax_f32");
  CHECK_OK(nv_reduce_f32(ctx, 0, 0, 4, 1, nullptr, nullptr));
}

}  // namespace

int main() {
  const int64_t shapes[][3] = {{1, 1, 1},   {5, 7, 1},      {4, 33, 17},   {2, 1000, 257},
                               {7, 1, 5},   {1, 100000, 1}, {3, 100000, 1}, {3, 100000, 3},
                               {64, 10, 1}, {1, 257, 100},  {33, 3, 65},   {0, 5, 3}};
  for (const Config& cfg : configs()) {
    for (auto& s : shapes) {
      for (int op = 0; op < 4; ++op) test_reduce(cfg, op, s[0], s[1], s[2], false);
      test_reduce(cfg, NV_REDUCE_SUM, s[0], s[1], s[2], true);
      test_argmax(cfg, s[0], s[1], s[2]);
    }
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
