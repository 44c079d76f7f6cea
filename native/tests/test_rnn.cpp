// Fused LSTM / GRU cells (forward and backward) and the row gather / scatter-add against the
// double loops, on hidden sizes around the vector widths (tails), with and without the optional
// inputs (gh, c_prev, h_prev, dh, dc may be NULL), every ISA and 1 and 2 threads; bad
// arguments and out-of-range indices must fail naming the function and the value.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(6);

void test_lstm(const Config& cfg, int64_t B, int64_t H, bool with_gh, bool with_c) {
  std::string tag = fmt("%s B=%lld H=%lld gh=%d c_prev=%d", cfg.name.c_str(), (long long)B,
                        (long long)H, with_gh, with_c);
  int64_t n = B * H, n4 = 4 * B * H;
  std::vector<float> gx = rng.floats(n4, -4, 4), gh = rng.floats(n4, -2, 2);
  std::vector<float> cp = rng.floats(n, -2, 2);
  std::vector<float> h(n), c(n), saved(n4);
  std::vector<double> wh(n), wc(n), wsaved(n4);
  const float* ghp = with_gh ? gh.data() : nullptr;
  const float* cpp = with_c ? cp.data() : nullptr;
  nv::ref::lstm_cell_forward(B, H, gx.data(), ghp, cpp, wh.data(), wc.data(), wsaved.data());
  CHECK_OK(nv_lstm_cell_forward_f32(cfg.ctx, B, H, gx.data(), ghp, cpp, h.data(), c.data(), saved.data()));
  compare(("lstm h " + tag).c_str(), h.data(), wh.data(), n, 2e-6, 2e-6);
  compare(("lstm c " + tag).c_str(), c.data(), wc.data(), n, 2e-6, 2e-6);
  compare(("lstm saved " + tag).c_str(), saved.data(), wsaved.data(), n4, 2e-6, 2e-6);
  // Inference (saved NULL) gives the same h and c.
  std::vector<float> h2(n), c2(n);
  CHECK_OK(nv_lstm_cell_forward_f32(cfg.ctx, B, H, gx.data(), ghp, cpp, h2.data(), c2.data(), nullptr));
  CHECK(h2 == h && c2 == c, "lstm forward without saved differs (%s)", tag.c_str());

  std::vector<float> dh = rng.floats(n, -1, 1), dc = rng.floats(n, -1, 1), dg(n4), dcp(n);
  std::vector<double> wdg(n4), wdcp(n);
  for (int variant = 0; variant < 3; ++variant) {  // both, dh only, dc only
    const float* dhp = variant == 2 ? nullptr : dh.data();
    const float* dcpp = variant == 1 ? nullptr : dc.data();
    nv::ref::lstm_cell_backward(B, H, saved.data(), cpp, c.data(), dhp, dcpp, wdg.data(), wdcp.data());
    CHECK_OK(nv_lstm_cell_backward_f32(cfg.ctx, B, H, saved.data(), cpp, c.data(), dhp, dcpp, dg.data(), dcp.data()));
    std::string t = fmt("%s dh=%d dc=%d", tag.c_str(), dhp != nullptr, dcpp != nullptr);
    compare(("lstm dgates " + t).c_str(), dg.data(), wdg.data(), n4, 2e-6, 2e-6);
    compare(("lstm dc_prev " + t).c_str(), dcp.data(), wdcp.data(), n, 2e-6, 2e-6);
  }
  CHECK_OK(nv_lstm_cell_backward_f32(cfg.ctx, B, H, saved.data(), cpp, c.data(), dh.data(), dc.data(), dg.data(), nullptr));
}

void test_gru(const Config& cfg, int64_t B, int64_t H, bool with_h) {
  std::string tag = fmt("%s B=%lld H=%lld h_prev=%d", cfg.name.c_str(), (long long)B, (long long)H, with_h);
  int64_t n = B * H, n3 = 3 * B * H, n4 = 4 * B * H;
  std::vector<float> gi = rng.floats(n3, -3, 3), gh = rng.floats(n3, -3, 3), hp = rng.floats(n, -1, 1);
  std::vector<float> h(n), saved(n4);
  std::vector<double> wh(n), wsaved(n4);
  const float* hpp = with_h ? hp.data() : nullptr;
  nv::ref::gru_cell_forward(B, H, gi.data(), gh.data(), hpp, wh.data(), wsaved.data());
  CHECK_OK(nv_gru_cell_forward_f32(cfg.ctx, B, H, gi.data(), gh.data(), hpp, h.data(), saved.data()));
  compare(("gru h " + tag).c_str(), h.data(), wh.data(), n, 2e-6, 2e-6);
  compare(("gru saved " + tag).c_str(), saved.data(), wsaved.data(), n4, 2e-6, 2e-6);

  std::vector<float> dh = rng.floats(n, -1, 1), dgi(n3), dgh(n3), dhp(n);
  std::vector<double> wdgi(n3), wdgh(n3), wdhp(n);
  nv::ref::gru_cell_backward(B, H, saved.data(), hpp, dh.data(), wdgi.data(), wdgh.data(), wdhp.data());
  CHECK_OK(nv_gru_cell_backward_f32(cfg.ctx, B, H, saved.data(), hpp, dh.data(), dgi.data(), dgh.data(), dhp.data()));
  compare(("gru dgi " + tag).c_str(), dgi.data(), wdgi.data(), n3, 2e-6, 2e-6);
  compare(("gru dgh " + tag).c_str(), dgh.data(), wdgh.data(), n3, 2e-6, 2e-6);
  compare(("gru dh_prev " + tag).c_str(), dhp.data(), wdhp.data(), n, 2e-6, 2e-6);
  CHECK_OK(nv_gru_cell_backward_f32(cfg.ctx, B, H, saved.data(), hpp, dh.data(), nullptr, nullptr, nullptr));
}

void test_index(const Config& cfg, int64_t n, int64_t rows, int64_t dim) {
  std::string tag = fmt("%s n=%lld rows=%lld dim=%lld", cfg.name.c_str(), (long long)n, (long long)rows, (long long)dim);
  std::vector<float> table = rng.floats(rows * dim, -1, 1), out(n * dim), src = rng.floats(n * dim, -1, 1);
  std::vector<int32_t> idx(n);
  for (auto& i : idx) i = static_cast<int32_t>(rng.below(rows < 3 ? rows : 3));  // many repeats
  if (n > 3) idx[n - 1] = static_cast<int32_t>(rows - 1);
  std::vector<double> want(n * dim), wtable(rows * dim);
  nv::ref::gather_rows(n, dim, table.data(), idx.data(), want.data());
  CHECK_OK(nv_gather_rows_f32(cfg.ctx, n, rows, dim, table.data(), idx.data(), out.data()));
  compare(("gather " + tag).c_str(), out.data(), want.data(), n * dim, 1e-30, 0);
  for (int64_t k = 0; k < rows * dim; ++k) wtable[k] = table[k];
  nv::ref::scatter_add_rows(n, dim, src.data(), idx.data(), wtable.data());
  CHECK_OK(nv_scatter_add_rows_f32(cfg.ctx, n, rows, dim, src.data(), idx.data(), table.data()));
  // n additions in float per element: error grows like n ulps at worst.
  compare(("scatter_add " + tag).c_str(), table.data(), wtable.data(), rows * dim, 1e-7 * (n + 1), 1e-6);
}

void bad_arguments(nv_ctx* ctx) {
  float a[32] = {}, b[32] = {}, c[32] = {}, d[32] = {};
  CHECK_ERR(nv_lstm_cell_forward_f32(nullptr, 2, 2, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "nv_lstm_cell_forward_f32");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, -1, 2, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "B=-1");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, 2, -3, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "H=-3");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, 2, 2, nullptr, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "gx is NULL");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, 2, 2, a, b, c, d, d, nullptr), NV_ERR_INVALID_ARGUMENT, "same buffer");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, INT64_MAX / 2, 8, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "overflows");
  CHECK_ERR(nv_lstm_cell_backward_f32(ctx, 2, 2, nullptr, a, b, c, d, a, b), NV_ERR_INVALID_ARGUMENT, "saved is NULL");
  CHECK_ERR(nv_lstm_cell_backward_f32(ctx, 2, 2, a, a, b, c, d, nullptr, b), NV_ERR_INVALID_ARGUMENT, "dgates is NULL");
  CHECK_ERR(nv_gru_cell_forward_f32(ctx, 2, 2, a, nullptr, c, d, nullptr), NV_ERR_INVALID_ARGUMENT, "gh is NULL");
  CHECK_ERR(nv_gru_cell_backward_f32(ctx, 2, 2, a, b, nullptr, c, d, a), NV_ERR_INVALID_ARGUMENT, "dh is NULL");
  CHECK_OK(nv_lstm_cell_forward_f32(ctx, 0, 5, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
  CHECK_OK(nv_gru_cell_backward_f32(ctx, 3, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));

  int32_t idx[3] = {0, 4, 1};
  CHECK_ERR(nv_gather_rows_f32(ctx, 3, 4, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT,
            "nv_gather_rows_f32: index 4 at position 1 is outside [0, 4)");
  idx[1] = -2;
  std::fill(b, b + 32, 7.0f);
  CHECK_ERR(nv_scatter_add_rows_f32(ctx, 3, 4, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "index -2 at position 1");
  CHECK(b[0] == 7.0f, "scatter_add wrote before failing on a bad index");
  CHECK_ERR(nv_gather_rows_f32(ctx, 3, 0, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "no rows");
  CHECK_ERR(nv_gather_rows_f32(ctx, -1, 4, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "n=-1");
  CHECK_ERR(nv_gather_rows_f32(ctx, 3, 4, 2, a, nullptr, b), NV_ERR_INVALID_ARGUMENT, "idx is NULL");
  CHECK_ERR(nv_scatter_add_rows_f32(ctx, 3, 4, -2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "dim=-2");
  CHECK_OK(nv_gather_rows_f32(ctx, 0, 4, 2, nullptr, nullptr, nullptr));
}

}  // namespace

int main() {
  for (const Config& cfg : configs()) {
    for (int64_t H : {1, 7, 16, 33, 256}) {
      test_lstm(cfg, 3, H, true, true);
      test_gru(cfg, 3, H, true);
    }
    test_lstm(cfg, 1, 5, false, false);
    test_lstm(cfg, 37, 20, false, true);
    test_lstm(cfg, 64, 130, true, true);  // large enough to split over threads
    test_gru(cfg, 1, 9, false);
    test_gru(cfg, 64, 130, true);
    test_index(cfg, 1, 1, 1);
    test_index(cfg, 50, 10, 17);
    test_index(cfg, 700, 40, 200);  // large enough to split columns over threads
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
