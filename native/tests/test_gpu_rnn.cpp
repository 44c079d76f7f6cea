// The GPU recurrent family: fused LSTM / GRU cells (forward, backward, optional NULL inputs)
// and the row gather / scatter-add against the double loops; an index outside the table fails
// naming its position, as on the CPU, before anything is written. Small shapes (cuda-sim runs
// under ASan in CI). cuda-sim and, where there is one, a real GPU.
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(66);

void test_lstm(const GpuConfig& g, int64_t B, int64_t H, bool optional) {
  std::string tag = fmt("%s B=%lld H=%lld optional=%d", g.name.c_str(), (long long)B, (long long)H, optional);
  int64_t n = B * H, n4 = 4 * n;
  std::vector<float> gx = rng.floats(n4, -4, 4), gh = rng.floats(n4, -2, 2), cp = rng.floats(n, -2, 2);
  std::vector<float> dh = rng.floats(n, -1, 1), dc = rng.floats(n, -1, 1);
  DevBuf<float> dgx(g.ctx, gx), dgh(g.ctx, gh), dcp(g.ctx, cp), dh_(g.ctx, dh), dc_(g.ctx, dc);
  DevBuf<float> h(g.ctx, n), c(g.ctx, n), saved(g.ctx, n4), dgates(g.ctx, n4), dcprev(g.ctx, n);
  std::vector<double> wh(n), wc(n), ws(n4), wdg(n4), wdc(n);
  const float* hgh = optional ? nullptr : gh.data();
  const float* hcp = optional ? nullptr : cp.data();
  nv::ref::lstm_cell_forward(B, H, gx.data(), hgh, hcp, wh.data(), wc.data(), ws.data());
  CHECK_OK(nv_lstm_cell_forward_f32(g.ctx, B, H, dgx.p, optional ? nullptr : dgh.p, optional ? nullptr : dcp.p, h.p, c.p, saved.p));
  compare(("lstm h " + tag).c_str(), h.read().data(), wh.data(), n, 2e-6, 2e-6);
  std::vector<float> cv = c.read(), sv = saved.read();
  compare(("lstm c " + tag).c_str(), cv.data(), wc.data(), n, 2e-6, 2e-6);
  compare(("lstm saved " + tag).c_str(), sv.data(), ws.data(), n4, 2e-6, 2e-6);
  nv::ref::lstm_cell_backward(B, H, sv.data(), hcp, cv.data(), dh.data(), optional ? nullptr : dc.data(), wdg.data(), wdc.data());
  CHECK_OK(nv_lstm_cell_backward_f32(g.ctx, B, H, saved.p, optional ? nullptr : dcp.p, c.p, dh_.p, optional ? nullptr : dc_.p, dgates.p, dcprev.p));
  compare(("lstm dgates " + tag).c_str(), dgates.read().data(), wdg.data(), n4, 2e-6, 2e-6);
  compare(("lstm dc_prev " + tag).c_str(), dcprev.read().data(), wdc.data(), n, 2e-6, 2e-6);
}

void test_gru(const GpuConfig& g, int64_t B, int64_t H, bool with_h) {
  std::string tag = fmt("%s B=%lld H=%lld h_prev=%d", g.name.c_str(), (long long)B, (long long)H, with_h);
  int64_t n = B * H, n3 = 3 * n, n4 = 4 * n;
  std::vector<float> gi = rng.floats(n3, -3, 3), gh = rng.floats(n3, -3, 3), hp = rng.floats(n, -1, 1), dh = rng.floats(n, -1, 1);
  DevBuf<float> dgi_in(g.ctx, gi), dgh_in(g.ctx, gh), dhp_in(g.ctx, hp), ddh(g.ctx, dh);
  DevBuf<float> h(g.ctx, n), saved(g.ctx, n4), dgi(g.ctx, n3), dgh(g.ctx, n3), dhp(g.ctx, n);
  std::vector<double> wh(n), ws(n4), wdgi(n3), wdgh(n3), wdhp(n);
  const float* hhp = with_h ? hp.data() : nullptr;
  nv::ref::gru_cell_forward(B, H, gi.data(), gh.data(), hhp, wh.data(), ws.data());
  CHECK_OK(nv_gru_cell_forward_f32(g.ctx, B, H, dgi_in.p, dgh_in.p, with_h ? dhp_in.p : nullptr, h.p, saved.p));
  compare(("gru h " + tag).c_str(), h.read().data(), wh.data(), n, 2e-6, 2e-6);
  std::vector<float> sv = saved.read();
  compare(("gru saved " + tag).c_str(), sv.data(), ws.data(), n4, 2e-6, 2e-6);
  nv::ref::gru_cell_backward(B, H, sv.data(), hhp, dh.data(), wdgi.data(), wdgh.data(), wdhp.data());
  CHECK_OK(nv_gru_cell_backward_f32(g.ctx, B, H, saved.p, with_h ? dhp_in.p : nullptr, ddh.p, dgi.p, dgh.p, dhp.p));
  compare(("gru dgi " + tag).c_str(), dgi.read().data(), wdgi.data(), n3, 2e-6, 2e-6);
  compare(("gru dgh " + tag).c_str(), dgh.read().data(), wdgh.data(), n3, 2e-6, 2e-6);
  compare(("gru dh_prev " + tag).c_str(), dhp.read().data(), wdhp.data(), n, 2e-6, 2e-6);
}

void test_index(const GpuConfig& g, int64_t n, int64_t rows, int64_t dim) {
  std::string tag = fmt("%s n=%lld rows=%lld dim=%lld", g.name.c_str(), (long long)n, (long long)rows, (long long)dim);
  std::vector<float> table = rng.floats(rows * dim, -1, 1), src = rng.floats(n * dim, -1, 1);
  std::vector<int32_t> idx(n);
  for (auto& i : idx) i = static_cast<int32_t>(rng.below(rows));
  DevBuf<float> dtable(g.ctx, table), dsrc(g.ctx, src), dout(g.ctx, n * dim);
  DevBuf<int32_t> didx(g.ctx, idx);
  std::vector<double> want(n * dim), wtable(rows * dim);
  nv::ref::gather_rows(n, dim, table.data(), idx.data(), want.data());
  CHECK_OK(nv_gather_rows_f32(g.ctx, n, rows, dim, dtable.p, didx.p, dout.p));
  compare(("gather " + tag).c_str(), dout.read().data(), want.data(), n * dim, 1e-30, 0);
  for (int64_t k = 0; k < rows * dim; ++k) wtable[k] = table[k];
  nv::ref::scatter_add_rows(n, dim, src.data(), idx.data(), wtable.data());
  CHECK_OK(nv_scatter_add_rows_f32(g.ctx, n, rows, dim, dsrc.p, didx.p, dtable.p));
  compare(("scatter_add " + tag).c_str(), dtable.read().data(), wtable.data(), rows * dim, 1e-7 * (n + 1), 1e-6);

  idx[n / 2] = static_cast<int32_t>(rows);  // one bad index: nothing may be written
  didx.write(idx);
  std::vector<float> before = dtable.read();
  CHECK_ERR(nv_scatter_add_rows_f32(g.ctx, n, rows, dim, dsrc.p, didx.p, dtable.p), NV_ERR_INVALID_ARGUMENT,
            fmt("index %lld at position %lld is outside [0, %lld)", (long long)rows, (long long)(n / 2), (long long)rows).c_str());
  CHECK(dtable.read() == before, "scatter_add wrote before failing (%s)", tag.c_str());
  CHECK_ERR(nv_gather_rows_f32(g.ctx, n, rows, dim, dtable.p, didx.p, dout.p), NV_ERR_INVALID_ARGUMENT, "nv_gather_rows_f32: index");
}

}  // namespace

int main() {
  for (const GpuConfig& g : gpu_configs()) {
    test_lstm(g, 3, 5, false);
    test_lstm(g, 2, 33, true);
    test_lstm(g, 7, 40, false);
    test_gru(g, 3, 5, true);
    test_gru(g, 4, 37, false);
    test_index(g, 1, 1, 3);
    test_index(g, 20, 6, 9);
    test_index(g, 40, 30, 33);
  }
  return gpu_report();
}
