// nv_reduce_f32 and nv_argmax_f32 on NaN, +-inf and values near the float limit, on every
// backend and CPU ISA. What PyTorch does is the rule:
//  - sum and mean: IEEE arithmetic in float (a NaN or inf + -inf gives NaN; 3e38 + 3e38 is inf,
//    and so is the mean of [3e38, 3e38]);
//  - max and min: NaN as soon as one element is NaN, wherever it sits (vector lane, tail, the
//    part of a long row another thread reduced, a column tile);
//  - argmax: the index of the first NaN; else of the first largest (all -inf: 0).
// Two kinds of case: hand-written rows with the answer spelled out, and the shapes of
// test_reduce.cpp with one special value planted in some rows, against the double reference.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

const char* kOps[] = {"sum", "mean", "max", "min"};
const float kInf = INFINITY;

// One row of n values reduced by every op and argmax, against the expected results.
struct Row {
  const char* what;
  std::vector<float> x;
  float sum, mean, max, min;
  int32_t argmax;
};

bool same(float got, float want) {
  return (std::isnan(got) && std::isnan(want)) || got == want;
}

void test_row(const Config& cfg, const Row& row) {
  const int64_t n = int64_t(row.x.size());
  Buf<float> dx(cfg.ctx, row.x), dout(cfg.ctx, 1);
  const float want[] = {row.sum, row.mean, row.max, row.min};
  for (int op = 0; op < 4; ++op) {
    CHECK_OK(nv_reduce_f32(cfg.ctx, op, 1, n, 1, dx.p, dout.p));
    const float got = dout.read()[0];
    CHECK(same(got, want[op]), "%s %s of %s: got %g, want %g", cfg.name.c_str(), kOps[op],
          row.what, got, want[op]);
    // The same row as a column (inner > 1: the column kernels), next to a plain column.
    std::vector<float> cols(2 * n);
    for (int64_t k = 0; k < n; ++k) {
      cols[2 * k] = row.x[k];
      cols[2 * k + 1] = 1.0f;
    }
    Buf<float> dc(cfg.ctx, cols), dcout(cfg.ctx, 2);
    CHECK_OK(nv_reduce_f32(cfg.ctx, op, 1, n, 2, dc.p, dcout.p));
    const float gc = dcout.read()[0];
    CHECK(same(gc, want[op]), "%s %s of %s as a column: got %g, want %g", cfg.name.c_str(),
          kOps[op], row.what, gc, want[op]);
  }
  Buf<int32_t> didx(cfg.ctx, 1);
  CHECK_OK(nv_argmax_f32(cfg.ctx, 1, n, 1, dx.p, didx.p));
  const int32_t got = didx.read()[0];
  CHECK(got == row.argmax, "%s argmax of %s: got %d, want %d", cfg.name.c_str(), row.what, got,
        row.argmax);
}

// A row of n ones with a value at position at: every code path's position (first lane, a
// vector's tail, the last element).
Row planted(const char* what, int64_t n, int64_t at, float v) {
  Row r{what, std::vector<float>(n, 1.0f), 0, 0, 0, 0, 0};
  r.x[at] = v;
  r.sum = float(n - 1) + v;
  r.mean = r.sum / float(n);
  const bool nan = std::isnan(v);
  r.max = nan ? v : (v > 1.0f ? v : 1.0f);
  r.min = nan ? v : (v < 1.0f ? v : 1.0f);
  r.argmax = nan || v > 1.0f ? int32_t(at) : (at == 0 && v < 1.0f ? 1 : 0);
  return r;
}

void hand_rows(const Config& cfg) {
  const float nan = NAN;
  const Row rows[] = {
      // The row: PyTorch gives max NaN, argmax 1.
      {"[1, NaN, 3, -2]", {1, nan, 3, -2}, nan, nan, nan, nan, 1},
      {"[NaN, 1]", {nan, 1}, nan, nan, nan, nan, 0},
      {"[1, 2, NaN]", {1, 2, nan}, nan, nan, nan, nan, 2},
      {"[-inf, -inf, -inf]", {-kInf, -kInf, -kInf}, -kInf, -kInf, -kInf, -kInf, 0},
      {"[-inf, -inf, 5]", {-kInf, -kInf, 5}, -kInf, -kInf, 5, -kInf, 2},
      {"[1, inf, inf]", {1, kInf, kInf}, kInf, kInf, kInf, 1, 1},
      {"[inf, -inf]", {kInf, -kInf}, nan, nan, kInf, -kInf, 0},
      {"[3e38, 3e38]", {3e38f, 3e38f}, kInf, kInf, 3e38f, 3e38f, 0},
      {"[-3e38, 3e38]", {-3e38f, 3e38f}, 0, 0, 3e38f, -3e38f, 1},
      {"[1e7, 1e7 + 1]", {1e7f, 1e7f + 1.0f}, 2e7f + 1.0f, (2e7f + 1.0f) / 2.0f, 1e7f + 1.0f, 1e7f, 1},
  };
  for (const Row& r : rows) test_row(cfg, r);
  // Long rows: a NaN or an inf in each region of the vector loops (and, at 70001, of the
  // parts a long row is split into; on cuda-sim 2500 is split already, and 70001 is slow there).
  for (int64_t n : {int64_t(5), int64_t(17), int64_t(33), int64_t(cfg.slow() ? 2500 : 70001)}) {
    for (int64_t at : {int64_t(0), n / 2, n - 1}) {
      for (float v : {nan, kInf, -kInf}) {
        std::string what = fmt("ones(%lld) with %g at %lld", (long long)n, v, (long long)at);
        test_row(cfg, planted(what.c_str(), n, at, v));
      }
    }
  }
}

// The shapes of test_reduce.cpp, each (o, i) given with probability 1/2 one special value at a
// random k; every op and argmax against the reference.
struct Shape {
  int64_t outer, n, inner;
};
const Shape kShapes[] = {{5, 7, 1},    {4, 33, 17},    {2, 1000, 57}, {7, 1, 5},
                         {3, 5000, 1}, {2, 70001, 1},  {64, 10, 1},   {1, 257, 100},
                         {33, 3, 65},  {37, 1025, 1},  {1, 30000, 1}};
const float kSpecials[] = {NAN, INFINITY, -INFINITY, 3e38f};

void planted_shapes(const Config& cfg) {
  Rng& rng = stream(41, cfg);
  for (const Shape& s : kShapes) {
    if (cfg.slow() && s.n > 50000) continue;  // slow on cuda-sim; (1, 30000, 1) splits there too
    for (float v : kSpecials) {
      std::vector<float> x = rng.floats(s.outer * s.n * s.inner, -1.0f, 1.0f);
      for (int64_t o = 0; o < s.outer; ++o)
        for (int64_t i = 0; i < s.inner; ++i)
          if (rng.below(2) == 0) x[(o * s.n + rng.below(s.n)) * s.inner + i] = v;
      const int64_t m = s.outer * s.inner;
      Buf<float> dx(cfg.ctx, x), dout(cfg.ctx, m);
      std::vector<double> want(m);
      for (int op = 0; op < 4; ++op) {
        nv::ref::reduce(op, s.outer, s.n, s.inner, x.data(), want.data());
        CHECK_OK(nv_reduce_f32(cfg.ctx, op, s.outer, s.n, s.inner, dx.p, dout.p));
        double atol = op <= NV_REDUCE_MEAN ? 2e-7 * (op == NV_REDUCE_SUM ? s.n : 1) : 0.0;
        compare(fmt("reduce %-4s %s (%lld, %lld, %lld) with %g", kOps[op], cfg.name.c_str(),
                    (long long)s.outer, (long long)s.n, (long long)s.inner, v).c_str(),
                dout.read().data(), want.data(), m, atol, 1e-6);
      }
      std::vector<int32_t> iwant(m);
      nv::ref::argmax(s.outer, s.n, s.inner, x.data(), iwant.data());
      Buf<int32_t> didx(cfg.ctx, m);
      CHECK_OK(nv_argmax_f32(cfg.ctx, s.outer, s.n, s.inner, dx.p, didx.p));
      std::vector<int32_t> got = didx.read();
      int bad = 0, first = -1;
      for (int64_t k = 0; k < m; ++k)
        if (got[k] != iwant[k] && bad++ == 0) first = int(k);
      verdict(bad == 0, "argmax %s (%lld, %lld, %lld) with %g: %d mismatches (first at %d)",
              cfg.name.c_str(), (long long)s.outer, (long long)s.n, (long long)s.inner, v, bad,
              first);
    }
  }
}

// The references themselves: NaN must win wherever it sits (a reference that drops it would
// make planted_shapes vacuous).
void reference_rules() {
  const float x[] = {1.0f, NAN, 3.0f, -2.0f};
  double out[1];
  int32_t idx[1];
  nv::ref::reduce(NV_REDUCE_MAX, 1, 4, 1, x, out);
  CHECK(std::isnan(out[0]), "ref max of [1, NaN, 3, -2] is %g", out[0]);
  nv::ref::reduce(NV_REDUCE_MIN, 1, 4, 1, x, out);
  CHECK(std::isnan(out[0]), "ref min of [1, NaN, 3, -2] is %g", out[0]);
  nv::ref::argmax(1, 4, 1, x, idx);
  CHECK(idx[0] == 1, "ref argmax of [1, NaN, 3, -2] is %d", idx[0]);
}

void run(const Config& cfg) {
  hand_rows(cfg);
  planted_shapes(cfg);
}

}  // namespace

int main() {
  reference_rules();
  for_each_config(run);
  return report();
}
