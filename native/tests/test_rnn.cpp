// Fused LSTM / GRU cells (forward, inference without saved, backward) and the row gather /
// scatter-add against the double loops, on hidden sizes around the vector widths (tails), with
// and without the optional inputs and outputs (gh, c_prev, h_prev, dh, dc, dc_prev, the GRU's
// gradients may be NULL); every backend. An index outside the table fails naming its position
// before anything is written; bad arguments fail naming the function and the value.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

// Two suites with their own seeds: the CPU's (hidden sizes up to 256, shapes large enough to
// split over threads, indices with many repeats), the GPU's (small shapes, any index).
constexpr uint64_t kCpuSeed = 6, kGpuSeed = 66;

void test_lstm(const Config& cfg, uint64_t seed, int64_t B, int64_t H, bool with_gh, bool with_c) {
  Rng& rng = stream(seed, cfg);
  std::string tag = fmt("%s B=%lld H=%lld gh=%d c_prev=%d", cfg.name.c_str(), (long long)B,
                        (long long)H, with_gh, with_c);
  int64_t n = B * H, n4 = 4 * B * H;
  std::vector<float> gx = rng.floats(n4, -4, 4), gh = rng.floats(n4, -2, 2);
  std::vector<float> cp = rng.floats(n, -2, 2);
  Buf<float> dgx(cfg.ctx, gx), dgh(cfg.ctx, gh), dcp(cfg.ctx, cp);
  Buf<float> h(cfg.ctx, n), c(cfg.ctx, n), saved(cfg.ctx, n4), h2(cfg.ctx, n), c2(cfg.ctx, n);
  std::vector<double> wh(n), wc(n), wsaved(n4);
  const float* ghp = with_gh ? gh.data() : nullptr;
  const float* cpp = with_c ? cp.data() : nullptr;
  const float* dghp = with_gh ? dgh.p : nullptr;
  const float* dcpp = with_c ? dcp.p : nullptr;
  nv::ref::lstm_cell_forward(B, H, gx.data(), ghp, cpp, wh.data(), wc.data(), wsaved.data());
  CHECK_OK(nv_lstm_cell_forward_f32(cfg.ctx, B, H, dgx.p, dghp, dcpp, h.p, c.p, saved.p));
  std::vector<float> hv = h.read(), cv = c.read(), sv = saved.read();
  compare(("lstm h " + tag).c_str(), hv.data(), wh.data(), n, 2e-6, 2e-6);
  compare(("lstm c " + tag).c_str(), cv.data(), wc.data(), n, 2e-6, 2e-6);
  compare(("lstm saved " + tag).c_str(), sv.data(), wsaved.data(), n4, 2e-6, 2e-6);
  // Inference (saved NULL) gives the same h and c.
  CHECK_OK(nv_lstm_cell_forward_f32(cfg.ctx, B, H, dgx.p, dghp, dcpp, h2.p, c2.p, nullptr));
  CHECK(h2.read() == hv && c2.read() == cv, "lstm forward without saved differs (%s)", tag.c_str());

  std::vector<float> dh = rng.floats(n, -1, 1), dc = rng.floats(n, -1, 1);
  Buf<float> ddh(cfg.ctx, dh), ddc(cfg.ctx, dc), dg(cfg.ctx, n4), dcprev(cfg.ctx, n);
  std::vector<double> wdg(n4), wdcp(n);
  for (int variant = 0; variant < 3; ++variant) {  // both, dh only, dc only
    const bool use_dh = variant != 2, use_dc = variant != 1;
    nv::ref::lstm_cell_backward(B, H, sv.data(), cpp, cv.data(), use_dh ? dh.data() : nullptr,
                                use_dc ? dc.data() : nullptr, wdg.data(), wdcp.data());
    CHECK_OK(nv_lstm_cell_backward_f32(cfg.ctx, B, H, saved.p, dcpp, c.p, use_dh ? ddh.p : nullptr,
                                       use_dc ? ddc.p : nullptr, dg.p, dcprev.p));
    std::string t = fmt("%s dh=%d dc=%d", tag.c_str(), use_dh, use_dc);
    compare(("lstm dgates " + t).c_str(), dg.read().data(), wdg.data(), n4, 2e-6, 2e-6);
    compare(("lstm dc_prev " + t).c_str(), dcprev.read().data(), wdcp.data(), n, 2e-6, 2e-6);
  }
  CHECK_OK(nv_lstm_cell_backward_f32(cfg.ctx, B, H, saved.p, dcpp, c.p, ddh.p, ddc.p, dg.p, nullptr));
}

void test_gru(const Config& cfg, uint64_t seed, int64_t B, int64_t H, bool with_h) {
  Rng& rng = stream(seed, cfg);
  std::string tag = fmt("%s B=%lld H=%lld h_prev=%d", cfg.name.c_str(), (long long)B, (long long)H, with_h);
  int64_t n = B * H, n3 = 3 * B * H, n4 = 4 * B * H;
  std::vector<float> gi = rng.floats(n3, -3, 3), gh = rng.floats(n3, -3, 3), hp = rng.floats(n, -1, 1);
  Buf<float> dgi_in(cfg.ctx, gi), dgh_in(cfg.ctx, gh), dhp_in(cfg.ctx, hp);
  Buf<float> h(cfg.ctx, n), saved(cfg.ctx, n4), dgi(cfg.ctx, n3), dgh(cfg.ctx, n3), dhp(cfg.ctx, n);
  std::vector<double> wh(n), wsaved(n4);
  const float* hpp = with_h ? hp.data() : nullptr;
  const float* dhpp = with_h ? dhp_in.p : nullptr;
  nv::ref::gru_cell_forward(B, H, gi.data(), gh.data(), hpp, wh.data(), wsaved.data());
  CHECK_OK(nv_gru_cell_forward_f32(cfg.ctx, B, H, dgi_in.p, dgh_in.p, dhpp, h.p, saved.p));
  compare(("gru h " + tag).c_str(), h.read().data(), wh.data(), n, 2e-6, 2e-6);
  std::vector<float> sv = saved.read();
  compare(("gru saved " + tag).c_str(), sv.data(), wsaved.data(), n4, 2e-6, 2e-6);

  std::vector<float> dh = rng.floats(n, -1, 1);
  Buf<float> ddh(cfg.ctx, dh);
  std::vector<double> wdgi(n3), wdgh(n3), wdhp(n);
  nv::ref::gru_cell_backward(B, H, sv.data(), hpp, dh.data(), wdgi.data(), wdgh.data(), wdhp.data());
  CHECK_OK(nv_gru_cell_backward_f32(cfg.ctx, B, H, saved.p, dhpp, ddh.p, dgi.p, dgh.p, dhp.p));
  compare(("gru dgi " + tag).c_str(), dgi.read().data(), wdgi.data(), n3, 2e-6, 2e-6);
  compare(("gru dgh " + tag).c_str(), dgh.read().data(), wdgh.data(), n3, 2e-6, 2e-6);
  compare(("gru dh_prev " + tag).c_str(), dhp.read().data(), wdhp.data(), n, 2e-6, 2e-6);
  CHECK_OK(nv_gru_cell_backward_f32(cfg.ctx, B, H, saved.p, dhpp, ddh.p, nullptr, nullptr, nullptr));
}

// repeats: indices below min(rows, 3) and the last row once (the CPU suite), else any row.
void test_index(const Config& cfg, uint64_t seed, int64_t n, int64_t rows, int64_t dim, bool repeats) {
  Rng& rng = stream(seed, cfg);
  std::string tag = fmt("%s n=%lld rows=%lld dim=%lld", cfg.name.c_str(), (long long)n, (long long)rows, (long long)dim);
  std::vector<float> table = rng.floats(rows * dim, -1, 1), src = rng.floats(n * dim, -1, 1);
  std::vector<int32_t> idx(n);
  for (auto& i : idx) i = static_cast<int32_t>(rng.below(repeats && rows > 3 ? 3 : rows));
  if (repeats && n > 3) idx[n - 1] = static_cast<int32_t>(rows - 1);
  Buf<float> dtable(cfg.ctx, table), dsrc(cfg.ctx, src), dout(cfg.ctx, n * dim);
  Buf<int32_t> didx(cfg.ctx, idx);
  std::vector<double> want(n * dim), wtable(rows * dim);
  nv::ref::gather_rows(n, dim, table.data(), idx.data(), want.data());
  CHECK_OK(nv_gather_rows_f32(cfg.ctx, n, rows, dim, dtable.p, didx.p, dout.p));
  compare(("gather " + tag).c_str(), dout.read().data(), want.data(), n * dim, 1e-30, 0);
  for (int64_t k = 0; k < rows * dim; ++k) wtable[k] = table[k];
  nv::ref::scatter_add_rows(n, dim, src.data(), idx.data(), wtable.data());
  CHECK_OK(nv_scatter_add_rows_f32(cfg.ctx, n, rows, dim, dsrc.p, didx.p, dtable.p));
  // n additions in float per element: error grows like n ulps at worst.
  compare(("scatter_add " + tag).c_str(), dtable.read().data(), wtable.data(), rows * dim, 1e-7 * (n + 1), 1e-6);

  idx[n / 2] = static_cast<int32_t>(rows);  // one bad index: nothing may be written
  didx.write(idx);
  std::vector<float> before = dtable.read();
  CHECK_ERR(nv_scatter_add_rows_f32(cfg.ctx, n, rows, dim, dsrc.p, didx.p, dtable.p), NV_ERR_INVALID_ARGUMENT,
            fmt("index %lld at position %lld is outside [0, %lld)", (long long)rows, (long long)(n / 2), (long long)rows).c_str());
  CHECK(dtable.read() == before, "scatter_add wrote before failing (%s)", tag.c_str());
  CHECK_ERR(nv_gather_rows_f32(cfg.ctx, n, rows, dim, dtable.p, didx.p, dout.p), NV_ERR_INVALID_ARGUMENT, "nv_gather_rows_f32: index");
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> ba(ctx, 32), bb(ctx, 32), bc(ctx, 32), bd(ctx, 32);
  float *a = ba.p, *b = bb.p, *c = bc.p, *d = bd.p;
  CHECK_ERR(nv_lstm_cell_forward_f32(nullptr, 2, 2, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "nv_lstm_cell_forward_f32");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, -1, 2, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "B=-1");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, 2, -3, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "H=-3");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, 2, 2, nullptr, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "gx is NULL");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, 2, 2, a, b, c, d, d, nullptr), NV_ERR_INVALID_ARGUMENT, "same buffer");
  CHECK_ERR(nv_lstm_cell_forward_f32(ctx, INT64_MAX / 2, 8, a, b, c, d, a, nullptr), NV_ERR_INVALID_ARGUMENT, "overflows");
  // 4H itself overflows here: the message must show B and H as given.
  CHECK_ERR(nv_gru_cell_forward_f32(ctx, 2, INT64_MAX / 2, a, b, c, d, nullptr), NV_ERR_INVALID_ARGUMENT,
            "B=2 x H=4611686018427387903 is too large");
  CHECK_ERR(nv_lstm_cell_backward_f32(ctx, 2, 2, nullptr, a, b, c, d, a, b), NV_ERR_INVALID_ARGUMENT, "saved is NULL");
  CHECK_ERR(nv_lstm_cell_backward_f32(ctx, 2, 2, a, a, b, c, d, nullptr, b), NV_ERR_INVALID_ARGUMENT, "dgates is NULL");
  CHECK_ERR(nv_gru_cell_forward_f32(ctx, 2, 2, a, nullptr, c, d, nullptr), NV_ERR_INVALID_ARGUMENT, "gh is NULL");
  CHECK_ERR(nv_gru_cell_backward_f32(ctx, 2, 2, a, b, nullptr, c, d, a), NV_ERR_INVALID_ARGUMENT, "dh is NULL");
  CHECK_OK(nv_lstm_cell_forward_f32(ctx, 0, 5, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
  CHECK_OK(nv_gru_cell_backward_f32(ctx, 3, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));

  Buf<int32_t> bidx(ctx, std::vector<int32_t>{0, 4, 1});
  int32_t* idx = bidx.p;
  CHECK_ERR(nv_gather_rows_f32(ctx, 3, 4, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT,
            "nv_gather_rows_f32: index 4 at position 1 is outside [0, 4)");
  bidx.write({0, -2, 1});
  bb.write(std::vector<float>(32, 7.0f));
  CHECK_ERR(nv_scatter_add_rows_f32(ctx, 3, 4, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "index -2 at position 1");
  CHECK(bb.read()[0] == 7.0f, "scatter_add wrote before failing on a bad index");
  CHECK_ERR(nv_gather_rows_f32(ctx, 3, 0, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "no rows");
  CHECK_ERR(nv_gather_rows_f32(ctx, -1, 4, 2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "n=-1");
  CHECK_ERR(nv_gather_rows_f32(ctx, 3, 4, 2, a, nullptr, b), NV_ERR_INVALID_ARGUMENT, "idx is NULL");
  CHECK_ERR(nv_scatter_add_rows_f32(ctx, 3, 4, -2, a, idx, b), NV_ERR_INVALID_ARGUMENT, "dim=-2");
  CHECK_OK(nv_gather_rows_f32(ctx, 0, 4, 2, nullptr, nullptr, nullptr));
}

void run(const Config& cfg) {
  for (int64_t H : {1, 7, 16, 33, 256}) {
    test_lstm(cfg, kCpuSeed, 3, H, true, true);
    test_gru(cfg, kCpuSeed, 3, H, true);
  }
  test_lstm(cfg, kCpuSeed, 1, 5, false, false);
  test_lstm(cfg, kCpuSeed, 37, 20, false, true);
  // Large enough to split over the CPU's threads: too slow for cuda-sim.
  if (!cfg.slow()) test_lstm(cfg, kCpuSeed, 64, 130, true, true);
  test_gru(cfg, kCpuSeed, 1, 9, false);
  if (!cfg.slow()) test_gru(cfg, kCpuSeed, 64, 130, true);
  test_index(cfg, kCpuSeed, 1, 1, 1, true);
  test_index(cfg, kCpuSeed, 50, 10, 17, true);
  if (!cfg.slow()) test_index(cfg, kCpuSeed, 700, 40, 200, true);  // columns over threads

  test_lstm(cfg, kGpuSeed, 3, 5, true, true);
  test_lstm(cfg, kGpuSeed, 2, 33, false, false);
  test_lstm(cfg, kGpuSeed, 7, 40, true, true);
  test_gru(cfg, kGpuSeed, 3, 5, true);
  test_gru(cfg, kGpuSeed, 4, 37, false);
  test_index(cfg, kGpuSeed, 1, 1, 3, false);
  test_index(cfg, kGpuSeed, 20, 6, 9, false);
  test_index(cfg, kGpuSeed, 40, 30, 33, false);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
