// nv_reduce_f32 (sum, mean, max, min) and nv_argmax_f32 against the double loops, over
// (outer, n, inner) with inner == 1 (rows: vectorised along n on the CPU; a warp or a block each,
// long ones split over blocks, on a GPU) and inner > 1 (columns), including n = 100000 sums whose
// accuracy the blocked accumulation is there for, ties and NaN for argmax; every backend, plus
// the error path.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

const char* kNames[] = {"sum", "mean", "max", "min"};

void test_reduce(const Config& cfg, uint64_t seed, int op, int64_t outer, int64_t n,
                 int64_t inner, bool positive) {
  Rng& rng = stream(seed, cfg);
  std::vector<float> x = rng.floats(outer * n * inner, positive ? 0.0f : -1.0f, 1.0f);
  std::vector<double> want(outer * inner + 1, 99.0);
  nv::ref::reduce(op, outer, n, inner, x.data(), want.data());
  Buf<float> dx(cfg.ctx, x), dout(cfg.ctx, std::vector<float>(outer * inner + 1, 99.0f));
  CHECK_OK(nv_reduce_f32(cfg.ctx, op, outer, n, inner, dx.p, dout.p));
  std::vector<float> out = dout.read();
  // Sums: relative to the sum of |x| (the condition of the problem), ~ a few float ulps.
  double atol = (op <= NV_REDUCE_MEAN) ? 2e-7 * (op == NV_REDUCE_SUM ? n : 1) : 0.0;
  compare(fmt("reduce %-4s %s outer=%lld n=%lld inner=%lld%s", kNames[op], cfg.name.c_str(),
              (long long)outer, (long long)n, (long long)inner, positive ? " (x>=0)" : "").c_str(),
          out.data(), want.data(), outer * inner + 1, atol, 1e-6);
}

void test_argmax(const Config& cfg, uint64_t seed, int64_t outer, int64_t n, int64_t inner) {
  Rng& rng = stream(seed, cfg);
  std::vector<float> x(outer * n * inner);
  for (auto& v : x) v = static_cast<float>(rng.below(5));  // many ties: the first must win
  std::vector<int32_t> want(outer * inner);
  nv::ref::argmax(outer, n, inner, x.data(), want.data());
  Buf<float> dx(cfg.ctx, x);
  Buf<int32_t> dout(cfg.ctx, outer * inner);
  CHECK_OK(nv_argmax_f32(cfg.ctx, outer, n, inner, dx.p, dout.p));
  std::vector<int32_t> out = dout.read();
  int bad = 0;
  for (size_t i = 0; i < out.size(); ++i) bad += out[i] != want[i];
  verdict(bad == 0, "argmax %s outer=%lld n=%lld inner=%lld mismatches %d", cfg.name.c_str(),
          (long long)outer, (long long)n, (long long)inner, bad);
}

// NaN wins argmax (the first one).
void test_argmax_nan(const Config& cfg) {
  std::vector<float> x = {1.0f, NAN, 5.0f, NAN, 2.0f, 7.0f, 7.0f, -1.0f};
  Buf<float> dx(cfg.ctx, x);
  Buf<int32_t> dout(cfg.ctx, 2);
  CHECK_OK(nv_argmax_f32(cfg.ctx, 2, 4, 1, dx.p, dout.p));
  std::vector<int32_t> out = dout.read();
  CHECK(out[0] == 1 && out[1] == 1, "%s argmax with NaN: %d %d (want 1 1)", cfg.name.c_str(),
        out[0], out[1]);
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> bx(ctx, 4), by(ctx, 4);
  Buf<int32_t> bidx(ctx, 4);
  float *x = bx.p, *y = by.p;
  int32_t* idx = bidx.p;
  CHECK_ERR(nv_reduce_f32(nullptr, 0, 1, 4, 1, x, y), NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32");
  CHECK_ERR(nv_reduce_f32(ctx, 4, 1, 4, 1, x, y), NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32: op=4");
  CHECK_ERR(nv_reduce_f32(ctx, 0, 1, 0, 1, x, y), NV_ERR_INVALID_ARGUMENT, "n=0");
  CHECK_ERR(nv_reduce_f32(ctx, 0, -1, 4, 1, x, y), NV_ERR_INVALID_ARGUMENT, "outer=-1");
  CHECK_ERR(nv_reduce_f32(ctx, 0, 1, 4, 1, nullptr, y), NV_ERR_INVALID_ARGUMENT, "nv_reduce_f32");
  CHECK_ERR(nv_argmax_f32(ctx, 1, 0, 1, x, idx), NV_ERR_INVALID_ARGUMENT, "nv_argmax_f32");
  CHECK_ERR(nv_argmax_f32(ctx, 1, 4, 1, x, nullptr), NV_ERR_INVALID_ARGUMENT, "nv_argmax_f32");
  CHECK_OK(nv_reduce_f32(ctx, 0, 0, 4, 1, nullptr, nullptr));
}

struct Shape {
  int64_t outer, n, inner;
};

// Two suites with their own seeds: the CPU's shapes, the GPU's (warp- and block-sized rows,
// long rows split over blocks: parts of >= 16 Ki on a GPU too).
constexpr uint64_t kCpuSeed = 3, kGpuSeed = 29;
const Shape kCpuShapes[] = {
    {1, 1, 1},   {5, 7, 1},      {4, 33, 17},    {2, 1000, 257},
    {7, 1, 5},   {1, 100000, 1}, {3, 100000, 1}, {3, 100000, 3},
    {64, 10, 1}, {1, 257, 100},  {33, 3, 65},    {0, 5, 3}};
const Shape kGpuShapes[] = {
    {1, 1, 1},  {5, 7, 1},     {4, 33, 17},  {2, 1000, 57}, {7, 1, 5},
    {1, 30000, 1}, {3, 5000, 1}, {3, 20000, 3}, {64, 10, 1}, {1, 257, 100},
    {33, 3, 65}, {0, 5, 3},    {37, 1025, 1}, {1, 200003, 1}, {2, 70001, 1}};

template <size_t N>
void run_suite(const Config& cfg, uint64_t seed, const Shape (&shapes)[N]) {
  for (const Shape& s : shapes) {
    for (int op = 0; op < 4; ++op) test_reduce(cfg, seed, op, s.outer, s.n, s.inner, false);
    test_reduce(cfg, seed, NV_REDUCE_SUM, s.outer, s.n, s.inner, true);
    test_argmax(cfg, seed, s.outer, s.n, s.inner);
  }
}

void run(const Config& cfg) {
  // On cuda-sim the CPU suite's small shapes would repeat the GPU suite's, and its big ones are
  // too slow there.
  if (!cfg.slow()) run_suite(cfg, kCpuSeed, kCpuShapes);
  run_suite(cfg, kGpuSeed, kGpuShapes);
  test_argmax_nan(cfg);  // more NaN and inf cases: test_reduce_special.cpp
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
