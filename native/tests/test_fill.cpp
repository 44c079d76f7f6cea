// nv_copy_strided (views, transposes, element sizes 1..12 bytes), nv_fill_*, nv_cast_* and the
// counter-based random numbers (against the same Philox bits transformed in double, offset
// and thread-count invariance, moments of the normal), on every ISA and 1 and 2 threads.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(9);

void test_copy(const Config& cfg, int es, int ndim, const int64_t* shape, const int64_t* ss,
               const int64_t* ds, const char* name) {
  int64_t smax = 1, dmax = 1;
  for (int d = 0; d < ndim; ++d)
    if (shape[d] > 0) {
      smax += (shape[d] - 1) * ss[d];
      dmax += (shape[d] - 1) * ds[d];
    }
  std::vector<uint8_t> src(smax * es), dst(dmax * es, 0xAB), want(dmax * es, 0xAB);
  for (auto& b : src) b = static_cast<uint8_t>(rng.next());
  nv::ref::copy_strided(es, ndim, shape, src.data(), ss, want.data(), ds);
  CHECK_OK(nv_copy_strided(cfg.ctx, es, ndim, shape, src.data(), ss, dst.data(), ds));
  bool ok = dst == want;
  std::printf("%s copy_strided %-14s es=%d %s\n", ok ? "ok  " : "FAIL", name, es, cfg.name.c_str());
  if (!ok) ++failures();
}

void test_fill_cast(const Config& cfg) {
  const int64_t n = 100003;
  std::vector<float> f(n + 1, 1.0f);
  CHECK_OK(nv_fill_f32(cfg.ctx, n, -2.5f, f.data()));
  bool ok = f[n] == 1.0f;
  for (int64_t i = 0; i < n; ++i) ok &= f[i] == -2.5f;
  std::vector<int32_t> v(n + 1, 1);
  CHECK_OK(nv_fill_i32(cfg.ctx, n, -7, v.data()));
  ok &= v[n] == 1;
  for (int64_t i = 0; i < n; ++i) ok &= v[i] == -7;
  CHECK(ok, "fill %s", cfg.name.c_str());

  std::vector<float> x = rng.floats(n, -3e9f, 3e9f);
  x[0] = NAN;
  x[1] = INFINITY;
  x[2] = -INFINITY;
  x[3] = -0.7f;
  x[4] = 2147483520.0f;
  for (int64_t i = 5; i < n / 2; ++i) x[i] = rng.uniform(-100, 100);
  CHECK_OK(nv_cast_f32_i32(cfg.ctx, n, x.data(), v.data()));
  int bad = 0;
  for (int64_t i = 0; i < n; ++i) bad += v[i] != nv::ref::cast_f32_i32(x[i]);
  CHECK_OK(nv_cast_i32_f32(cfg.ctx, n, v.data(), f.data()));
  for (int64_t i = 0; i < n; ++i) bad += f[i] != static_cast<float>(v[i]);
  std::printf("%s fill and casts %s mismatches %d\n", ok && !bad ? "ok  " : "FAIL", cfg.name.c_str(), bad);
  if (bad) ++failures();
}

void test_rand(const Config& cfg) {
  const int64_t n = 200001;
  std::vector<float> u(n), u2(n), z(n);
  std::vector<double> want(n);
  CHECK_OK(nv_rand_uniform_f32(cfg.ctx, n, 1234, 77, -2.0f, 3.0f, u.data()));
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::rand_uniform(1234, 77 + i, -2.0, 3.0);
  compare(fmt("rand_uniform %s", cfg.name.c_str()).c_str(), u.data(), want.data(), n, 1e-6, 1e-6);
  bool in_range = true;
  for (float x : u) in_range &= x >= -2.0f && x < 3.0f;
  CHECK(in_range, "uniform outside [lo, hi)");
  // Element i depends only on (seed, offset + i): a shifted call reproduces a slice.
  CHECK_OK(nv_rand_uniform_f32(cfg.ctx, n - 10, 1234, 87, -2.0f, 3.0f, u2.data()));
  CHECK(std::memcmp(u2.data(), u.data() + 10, (n - 10) * sizeof(float)) == 0, "offset invariance");

  CHECK_OK(nv_rand_normal_f32(cfg.ctx, n, 99, 0, 1.5f, 2.0f, z.data()));
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::rand_normal(99, i, 1.5, 2.0);
  compare(fmt("rand_normal %s", cfg.name.c_str()).c_str(), z.data(), want.data(), n, 2e-5, 2e-5);
  double s = 0, s2 = 0;
  for (float x : z) {
    s += x;
    s2 += (x - 1.5) * (x - 1.5);
  }
  double mean = s / n, sd = std::sqrt(s2 / n);
  std::printf("%s rand_normal moments %s mean %.4f (1.5) stddev %.4f (2.0)\n",
              std::fabs(mean - 1.5) < 0.02 && std::fabs(sd - 2.0) < 0.02 ? "ok  " : "FAIL",
              cfg.name.c_str(), mean, sd);
  if (!(std::fabs(mean - 1.5) < 0.02 && std::fabs(sd - 2.0) < 0.02)) ++failures();
}

void bad_arguments(nv_ctx* ctx) {
  float f[4];
  int64_t shape[2] = {2, 2}, st[2] = {2, 1}, neg[2] = {-2, 2};
  CHECK_ERR(nv_copy_strided(nullptr, 4, 2, shape, f, st, f, st), NV_ERR_INVALID_ARGUMENT, "nv_copy_strided");
  CHECK_ERR(nv_copy_strided(ctx, 0, 2, shape, f, st, f, st), NV_ERR_INVALID_ARGUMENT, "elem_size=0");
  CHECK_ERR(nv_copy_strided(ctx, 4, 9, shape, f, st, f, st), NV_ERR_INVALID_ARGUMENT, "ndim=9");
  CHECK_ERR(nv_copy_strided(ctx, 4, 2, neg, f, st, f, st), NV_ERR_INVALID_ARGUMENT, "shape[0]=-2");
  CHECK_ERR(nv_copy_strided(ctx, 4, 2, shape, nullptr, st, f, st), NV_ERR_INVALID_ARGUMENT, "src is NULL");
  CHECK_ERR(nv_fill_f32(ctx, -1, 0, f), NV_ERR_INVALID_ARGUMENT, "nv_fill_f32: n=-1");
  CHECK_ERR(nv_fill_i32(ctx, 4, 0, nullptr), NV_ERR_INVALID_ARGUMENT, "nv_fill_i32");
  CHECK_ERR(nv_cast_i32_f32(ctx, 4, nullptr, f), NV_ERR_INVALID_ARGUMENT, "nv_cast_i32_f32");
  CHECK_ERR(nv_cast_f32_i32(ctx, -4, f, nullptr), NV_ERR_INVALID_ARGUMENT, "nv_cast_f32_i32");
  CHECK_ERR(nv_rand_uniform_f32(ctx, 4, 1, 0, 2.0f, 1.0f, f), NV_ERR_INVALID_ARGUMENT, "lo=2 is greater than hi=1");
  CHECK_ERR(nv_rand_uniform_f32(ctx, 4, 1, 0, NAN, 1.0f, f), NV_ERR_INVALID_ARGUMENT, "nv_rand_uniform_f32");
  CHECK_ERR(nv_rand_normal_f32(ctx, 4, 1, 0, 0.0f, -1.0f, f), NV_ERR_INVALID_ARGUMENT, "stddev=-1");
  CHECK_OK(nv_fill_f32(ctx, 0, 0, nullptr));
}

}  // namespace

int main() {
  for (const Config& cfg : configs()) {
    {
      int64_t shape[1] = {100003}, s[1] = {1};
      for (int es : {1, 2, 4, 8, 12}) test_copy(cfg, es, 1, shape, s, s, "contiguous");
    }
    {
      int64_t shape[2] = {257, 33}, ss[2] = {1, 257}, ds[2] = {33, 1};
      test_copy(cfg, 4, 2, shape, ss, ds, "transpose");
    }
    {
      int64_t shape[3] = {7, 33, 65}, ss[3] = {1, 7 * 65, 7}, ds[3] = {33 * 70, 70, 1};
      for (int es : {2, 4, 8}) test_copy(cfg, es, 3, shape, ss, ds, "permute3d_pad");
    }
    {
      int64_t shape[2] = {1000, 300}, ss[2] = {0, 1}, ds[2] = {300, 1};
      test_copy(cfg, 4, 2, shape, ss, ds, "broadcast_row");
    }
    {
      int64_t shape[1] = {1}, s[1] = {1};
      test_copy(cfg, 4, 0, shape, s, s, "scalar_0d");
      int64_t empty[2] = {0, 4}, s2[2] = {4, 1};
      test_copy(cfg, 4, 2, empty, s2, s2, "empty");
    }
    test_fill_cast(cfg);
    test_rand(cfg);
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
