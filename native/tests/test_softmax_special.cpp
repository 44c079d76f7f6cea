// Softmax, log-softmax (forward and backward) and the fused softmax cross-entropy on NaN, +-inf
// and huge logits, on every backend and CPU ISA. PyTorch's results are the rule; they follow
// from y = exp(x - m) / s and log y = (x - m) - log s with m the row's max and s the sum of
// exp(x - m):
//  - a NaN anywhere in a row: the whole row is NaN (s is NaN), and so is its loss;
//  - a +inf in a row: the whole row is NaN (inf - inf), and so is its loss;
//  - a row of -inf only: NaN (-inf - -inf); a -inf among numbers: softmax 0, log-softmax -inf,
//    and a loss of +inf when the label sits on it;
//  - huge logits lose nothing: log_softmax([1e7, 1e7]) = -log 2 (computing m + log s first
//    rounds it to 1e7 + 1 and gave -1), likewise near 3e38.
// Hand-written rows with the answer spelled out, then the GPU suite's row lengths with special
// values planted, against the double references.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

const float kInf = INFINITY, kNan = NAN;
const float kLog2 = 0.693147180559945f;

bool close(float got, float want) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::fabs(got - want) <= 1e-6f + 1e-6f * std::fabs(want);
}

std::string show(const std::vector<float>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += fmt(i ? ", %g" : "%g", v[i]);
  return s + "]";
}

struct Row {
  std::vector<float> x, softmax, log_softmax;
  int32_t label;
  float loss;  // cross-entropy of the row with that label
};

void test_row(const Config& cfg, const Row& r) {
  const int64_t cols = int64_t(r.x.size());
  const std::string row = show(r.x);
  Buf<float> dx(cfg.ctx, r.x), dy(cfg.ctx, cols), dloss(cfg.ctx, 1), dgrad(cfg.ctx, cols);
  CHECK_OK(nv_softmax_forward_f32(cfg.ctx, 1, cols, dx.p, dy.p));
  std::vector<float> y = dy.read();
  for (int64_t c = 0; c < cols; ++c)
    CHECK(close(y[c], r.softmax[c]), "%s softmax(%s)[%lld] = %g, want %g", cfg.name.c_str(),
          row.c_str(), (long long)c, y[c], r.softmax[c]);
  CHECK_OK(nv_log_softmax_forward_f32(cfg.ctx, 1, cols, dx.p, dy.p));
  y = dy.read();
  for (int64_t c = 0; c < cols; ++c)
    CHECK(close(y[c], r.log_softmax[c]), "%s log_softmax(%s)[%lld] = %g, want %g",
          cfg.name.c_str(), row.c_str(), (long long)c, y[c], r.log_softmax[c]);
  Buf<int32_t> dlabel(cfg.ctx, std::vector<int32_t>{r.label});
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, 1, cols, dx.p, dlabel.p, dloss.p, dgrad.p));
  const float loss = dloss.read()[0];
  CHECK(close(loss, r.loss), "%s cross-entropy(%s, label %d) = %g, want %g", cfg.name.c_str(),
        row.c_str(), r.label, loss, r.loss);
  // dlogits = softmax - onehot(label) (one row: the mean divides by 1).
  std::vector<float> g = dgrad.read();
  for (int64_t c = 0; c < cols; ++c) {
    const float want = r.softmax[c] - (c == r.label ? 1.0f : 0.0f);
    CHECK(close(g[c], want), "%s cross-entropy dlogits(%s, label %d)[%lld] = %g, want %g",
          cfg.name.c_str(), row.c_str(), r.label, (long long)c, g[c], want);
  }
}

void hand_rows(const Config& cfg) {
  const Row rows[] = {
      {{1e7f, 1e7f}, {0.5f, 0.5f}, {-kLog2, -kLog2}, 0, kLog2},
      {{3e38f, 3e38f}, {0.5f, 0.5f}, {-kLog2, -kLog2}, 1, kLog2},
      {{-3e38f, -3e38f}, {0.5f, 0.5f}, {-kLog2, -kLog2}, 1, kLog2},
      {{3e38f, -3e38f}, {1.0f, 0.0f}, {0.0f, -kInf}, 1, kInf},
      {{1e7f, 1e7f - 1.0f}, {0.7310586f, 0.2689414f}, {-0.3132617f, -1.3132617f}, 0, 0.3132617f},
      {{kNan, 1, 2}, {kNan, kNan, kNan}, {kNan, kNan, kNan}, 1, kNan},
      {{1, 2, kNan}, {kNan, kNan, kNan}, {kNan, kNan, kNan}, 0, kNan},
      {{kInf, 1}, {kNan, kNan}, {kNan, kNan}, 1, kNan},
      {{1, kInf, kInf}, {kNan, kNan, kNan}, {kNan, kNan, kNan}, 1, kNan},
      {{-kInf, -kInf}, {kNan, kNan}, {kNan, kNan}, 0, kNan},
      {{-kInf}, {kNan}, {kNan}, 0, kNan},
      {{-kInf, 0}, {0.0f, 1.0f}, {-kInf, 0.0f}, 0, kInf},
      {{-kInf, 0}, {0.0f, 1.0f}, {-kInf, 0.0f}, 1, 0.0f},
      {{5, -kInf, 5}, {0.5f, 0.0f, 0.5f}, {-kLog2, -kInf, -kLog2}, 2, kLog2},
  };
  for (const Row& r : rows) test_row(cfg, r);
}

// Rows of the GPU suite's lengths (a warp per row up to 1024 columns, a block beyond) with one
// special value planted in about half the rows, or every row shifted by a huge offset.
struct Plant {
  const char* what;
  float value;  // planted; 0: none
  float shift;  // added to every logit
  bool all_neg_inf;  // some rows are -inf only
};
const Plant kPlants[] = {{"NaN", kNan, 0, false},   {"+inf", kInf, 0, false},
                         {"-inf", -kInf, 0, false}, {"-inf rows", 0, 0, true},
                         {"3e38", 3e38f, 0, false}, {"-3e38", -3e38f, 0, false},
                         {"shift 1e7", 0, 1e7f, false}};

void planted_rows(const Config& cfg, int64_t rows, int64_t cols, const Plant& p) {
  Rng& rng = stream(43, cfg);
  const int64_t n = rows * cols;
  std::vector<float> x = rng.floats(n, -5.0f, 5.0f), dy = rng.floats(n, -1, 1);
  for (auto& v : x) v += p.shift;
  for (int64_t r = 0; r < rows; ++r) {
    if (rng.below(2) != 0) continue;
    if (p.all_neg_inf) {
      for (int64_t c = 0; c < cols; ++c) x[r * cols + c] = -kInf;
    } else if (p.value != 0) {
      x[r * cols + rng.below(cols)] = p.value;
    }
  }
  std::vector<int32_t> labels(rows);
  for (auto& l : labels) l = int32_t(rng.below(cols));
  const std::string tag = fmt("%s rows=%lld cols=%lld with %s", cfg.name.c_str(),
                              (long long)rows, (long long)cols, p.what);
  Buf<float> dx(cfg.ctx, x), ddy(cfg.ctx, dy), dout(cfg.ctx, n), dgrad(cfg.ctx, n);
  Buf<int32_t> dlabels(cfg.ctx, labels);
  std::vector<double> want(n), dwant(n);
  const double sum_atol = 2e-7 * std::sqrt(double(cols));

  nv::ref::softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_softmax_forward_f32(cfg.ctx, rows, cols, dx.p, dout.p));
  std::vector<float> y = dout.read();
  compare(("softmax " + tag).c_str(), y.data(), want.data(), n, 1e-9, 1e-5);
  nv::ref::softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_softmax_backward_f32(cfg.ctx, rows, cols, dout.p, ddy.p, dgrad.p));
  compare(("softmax_backward " + tag).c_str(), dgrad.read().data(), dwant.data(), n, sum_atol,
          1e-5);

  nv::ref::log_softmax_forward(rows, cols, x.data(), want.data());
  CHECK_OK(nv_log_softmax_forward_f32(cfg.ctx, rows, cols, dx.p, dout.p));
  y = dout.read();
  compare(("log_softmax " + tag).c_str(), y.data(), want.data(), n, 1e-5, 1e-6);
  nv::ref::log_softmax_backward(rows, cols, y.data(), dy.data(), dwant.data());
  CHECK_OK(nv_log_softmax_backward_f32(cfg.ctx, rows, cols, dout.p, ddy.p, dgrad.p));
  compare(("log_softmax_backward " + tag).c_str(), dgrad.read().data(), dwant.data(), n,
          sum_atol, 1e-5);

  Buf<float> dloss(cfg.ctx, 1);
  double lwant = nv::ref::softmax_xent(rows, cols, x.data(), labels.data(), dwant.data());
  CHECK_OK(nv_softmax_xent_f32(cfg.ctx, rows, cols, dx.p, dlabels.p, dloss.p, dgrad.p));
  const float loss = dloss.read()[0];
  compare(("xent loss " + tag).c_str(), &loss, &lwant, 1, 1e-6, 1e-5);
  compare(("xent dlogits " + tag).c_str(), dgrad.read().data(), dwant.data(), n, 3e-7 / rows,
          1e-5);
}

// The softmax references keep PyTorch's rules (else planted_rows would prove nothing).
void reference_rules() {
  const float x[] = {1e7f, 1e7f, kNan, 1.0f, -kInf, -kInf};
  double y[6];
  nv::ref::log_softmax_forward(3, 2, x, y);
  CHECK(std::fabs(y[0] + kLog2) < 1e-6 && std::isnan(y[2]) && std::isnan(y[3]) &&
            std::isnan(y[4]) && std::isnan(y[5]),
        "ref log_softmax: %g %g %g %g", y[0], y[2], y[3], y[4]);
}

void run(const Config& cfg) {
  hand_rows(cfg);
  const int64_t shapes[][2] = {{9, 1}, {7, 5}, {6, 33}, {5, 1000}, {3, 1025}, {2, 3001}};
  for (const auto& s : shapes)
    for (const Plant& p : kPlants) planted_rows(cfg, s[0], s[1], p);
}

}  // namespace

int main() {
  reference_rules();
  for_each_config(run);
  return report();
}
