// The GPU reductions: nv_reduce_f32 (sum, mean, max, min) and nv_argmax_f32 over (outer, n,
// inner) against the double loops: rows (inner == 1) short (a warp each) and long (a block
// each), columns (inner > 1), ties for argmax, on cuda-sim and, where there is one, a GPU.
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(29);
const char* kNames[] = {"sum", "mean", "max", "min"};

void test_reduce(const GpuConfig& g, int op, int64_t outer, int64_t n, int64_t inner,
                 bool positive) {
  std::vector<float> x = rng.floats(outer * n * inner, positive ? 0.0f : -1.0f, 1.0f);
  std::vector<double> want(outer * inner + 1, 99.0);
  nv::ref::reduce(op, outer, n, inner, x.data(), want.data());
  DevBuf<float> dx(g.ctx, x), dout(g.ctx, std::vector<float>(outer * inner + 1, 99.0f));
  CHECK_OK(nv_reduce_f32(g.ctx, op, outer, n, inner, dx.p, dout.p));
  std::vector<float> out = dout.read();
  double atol = (op <= NV_REDUCE_MEAN) ? 2e-7 * (op == NV_REDUCE_SUM ? n : 1) : 0.0;
  compare(fmt("reduce %-4s %s outer=%lld n=%lld inner=%lld%s", kNames[op], g.name.c_str(),
              (long long)outer, (long long)n, (long long)inner, positive ? " (x>=0)" : "").c_str(),
          out.data(), want.data(), outer * inner + 1, atol, 1e-6);
}

void test_argmax(const GpuConfig& g, int64_t outer, int64_t n, int64_t inner) {
  std::vector<float> x(outer * n * inner);
  for (auto& v : x) v = static_cast<float>(rng.below(5));  // many ties: the first must win
  std::vector<int32_t> want(outer * inner);
  nv::ref::argmax(outer, n, inner, x.data(), want.data());
  DevBuf<float> dx(g.ctx, x);
  DevBuf<int32_t> dout(g.ctx, outer * inner);
  CHECK_OK(nv_argmax_f32(g.ctx, outer, n, inner, dx.p, dout.p));
  std::vector<int32_t> out = dout.read();
  int bad = 0;
  for (size_t i = 0; i < out.size(); ++i) bad += out[i] != want[i];
  std::printf("%s argmax %s outer=%lld n=%lld inner=%lld mismatches %d\n", bad ? "FAIL" : "ok  ",
              g.name.c_str(), (long long)outer, (long long)n, (long long)inner, bad);
  if (bad) ++failures();
}

// NaN wins argmax (the first one), as on the CPU.
void test_argmax_nan(const GpuConfig& g) {
  std::vector<float> x = {1.0f, NAN, 5.0f, NAN, 2.0f, 7.0f, 7.0f, -1.0f};
  DevBuf<float> dx(g.ctx, x);
  DevBuf<int32_t> dout(g.ctx, 2);
  CHECK_OK(nv_argmax_f32(g.ctx, 2, 4, 1, dx.p, dout.p));
  std::vector<int32_t> out = dout.read();
  CHECK(out[0] == 1 && out[1] == 1, "%s argmax with NaN: %d %d (want 1 1)", g.name.c_str(),
        out[0], out[1]);
}

}  // namespace

int main() {
  const int64_t shapes[][3] = {{1, 1, 1},  {5, 7, 1},      {4, 33, 17},  {2, 1000, 57},
                               {7, 1, 5},  {1, 30000, 1},  {3, 5000, 1}, {3, 20000, 3},
                               {64, 10, 1}, {1, 257, 100}, {33, 3, 65},  {0, 5, 3},
                               {37, 1025, 1},
                               // long rows split over blocks (on a GPU too: parts of >= 16 Ki)
                               {1, 200003, 1}, {2, 70001, 1}};
  for (const GpuConfig& g : gpu_configs()) {
    for (auto& s : shapes) {
      for (int op = 0; op < 4; ++op) test_reduce(g, op, s[0], s[1], s[2], false);
      test_reduce(g, NV_REDUCE_SUM, s[0], s[1], s[2], true);
      test_argmax(g, s[0], s[1], s[2]);
    }
    test_argmax_nan(g);
  }
  return gpu_report();
}
