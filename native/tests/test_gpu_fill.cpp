// The GPU backends' host code and fill family: the caching device allocator (reuse, stats,
// release, bad frees), host <-> device copies, nv_copy_strided (views, transposes, element
// sizes 1..12 bytes, unaligned views), nv_fill_*, nv_cast_* and the Philox random numbers
// (bit for bit the CPU backend's uniform numbers; normals against the double reference), on
// cuda-sim and, where there is one, a real GPU.
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(19);

void test_allocator(const GpuConfig& g) {
  int64_t s0[4], s1[4], s2[4];
  CHECK_OK(nv_memory_stats(g.ctx, s0));
  void *a = nullptr, *b = nullptr, *c = nullptr;
  CHECK_OK(nv_alloc(g.ctx, 1000, &a));
  CHECK_OK(nv_alloc(g.ctx, 0, &b));
  CHECK(a != nullptr && b != nullptr && a != b, "%s: distinct blocks", g.name.c_str());
  CHECK(reinterpret_cast<uintptr_t>(a) % 64 == 0, "%s: 64-byte alignment", g.name.c_str());
  CHECK_OK(nv_memory_stats(g.ctx, s1));
  CHECK(s1[3] == s0[3] + 2 && s1[0] >= s0[0] + 1000, "%s: live %lld blocks %lld", g.name.c_str(),
        (long long)s1[0], (long long)s1[3]);
  CHECK_OK(nv_free(g.ctx, a));
  CHECK_OK(nv_alloc(g.ctx, 900, &c));  // same size class: the cached block comes back
  CHECK(c == a, "%s: cached block reused (%p vs %p)", g.name.c_str(), c, a);
  CHECK_OK(nv_free(g.ctx, c));
  CHECK_OK(nv_free(g.ctx, b));
  CHECK_OK(nv_memory_stats(g.ctx, s2));
  CHECK(s2[0] == s0[0] && s2[3] == s0[3] && s2[2] > 0 && s2[1] >= s1[0],
        "%s: stats after free live %lld peak %lld cached %lld", g.name.c_str(), (long long)s2[0],
        (long long)s2[1], (long long)s2[2]);
  CHECK_OK(nv_memory_release_cached(g.ctx));
  CHECK_OK(nv_memory_stats(g.ctx, s2));
  CHECK(s2[2] == 0, "%s: cached %lld after release", g.name.c_str(), (long long)s2[2]);
  CHECK_ERR(nv_free(g.ctx, c), NV_ERR_INVALID_ARGUMENT, "freed twice");
  int x = 0;
  CHECK_ERR(nv_free(g.ctx, &x), NV_ERR_INVALID_ARGUMENT, "nv_free");
  // A large block (2 MiB rounding) round-trips data.
  std::vector<float> big = rng.floats(600000, -1, 1);
  {
    DevBuf<float> d(g.ctx, big);
    bool same = d.read() == big;
    std::printf("%s %s allocator and copies\n", same ? "ok  " : "FAIL", g.name.c_str());
    if (!same) ++failures();
  }
  CHECK_OK(nv_ctx_synchronize(g.ctx));
}

void test_copy(const GpuConfig& g, int es, int ndim, const int64_t* shape, const int64_t* ss,
               const int64_t* ds, int64_t src_off, int64_t dst_off, const char* name) {
  int64_t smax = 1, dmax = 1;
  for (int d = 0; d < ndim; ++d)
    if (shape[d] > 0) {
      smax += (shape[d] - 1) * ss[d];
      dmax += (shape[d] - 1) * ds[d];
    }
  std::vector<uint8_t> src((smax + src_off) * es), dst((dmax + dst_off) * es, 0xAB), want;
  for (auto& b : src) b = static_cast<uint8_t>(rng.next());
  want = dst;
  nv::ref::copy_strided(es, ndim, shape, src.data() + src_off * es, ss,
                        want.data() + dst_off * es, ds);
  DevBuf<uint8_t> dsrc(g.ctx, src), ddst(g.ctx, dst);
  CHECK_OK(nv_copy_strided(g.ctx, es, ndim, shape, dsrc.p + src_off * es, ss,
                           ddst.p + dst_off * es, ds));
  bool ok = ddst.read() == want;
  std::printf("%s copy_strided %-16s es=%d %s\n", ok ? "ok  " : "FAIL", name, es, g.name.c_str());
  if (!ok) ++failures();
}

void test_copies(const GpuConfig& g) {
  {
    int64_t shape[1] = {10001}, s[1] = {1};
    for (int es : {1, 4, 12}) test_copy(g, es, 1, shape, s, s, 0, 0, "contiguous");
    test_copy(g, 4, 1, shape, s, s, 1, 3, "contiguous_off");
  }
  {
    int64_t shape[2] = {57, 33}, ss[2] = {1, 57}, ds[2] = {33, 1};
    for (int es : {1, 2, 4, 8}) test_copy(g, es, 2, shape, ss, ds, 0, 0, "transpose");
    test_copy(g, 4, 2, shape, ss, ds, 1, 0, "transpose_unaligned");
    test_copy(g, 16, 2, shape, ss, ds, 0, 0, "transpose_16");
  }
  {
    int64_t shape[3] = {7, 13, 9}, ss[3] = {1, 7 * 9, 7}, ds[3] = {13 * 12, 12, 1};
    for (int es : {2, 4, 12}) test_copy(g, es, 3, shape, ss, ds, 0, 5, "permute3d_pad");
  }
  {
    int64_t shape[2] = {100, 30}, ss[2] = {0, 1}, ds[2] = {30, 1};
    test_copy(g, 4, 2, shape, ss, ds, 0, 0, "broadcast_row");
  }
  {
    int64_t shape[1] = {1}, s[1] = {1};
    test_copy(g, 4, 0, shape, s, s, 0, 0, "scalar_0d");
    int64_t empty[2] = {0, 4}, s2[2] = {4, 1};
    test_copy(g, 4, 2, empty, s2, s2, 0, 0, "empty");
  }
}

void test_fill_cast(const GpuConfig& g) {
  for (int64_t n : {int64_t(1), int64_t(7), int64_t(70001)}) {
    DevBuf<float> f(g.ctx, std::vector<float>(n + 1, 1.0f));
    CHECK_OK(nv_fill_f32(g.ctx, n, -2.5f, f.p));
    std::vector<float> fh = f.read();
    bool ok = fh[n] == 1.0f;
    for (int64_t i = 0; i < n; ++i) ok &= fh[i] == -2.5f;
    DevBuf<int32_t> v(g.ctx, std::vector<int32_t>(n + 1, 1));
    CHECK_OK(nv_fill_i32(g.ctx, n, -7, v.p));
    std::vector<int32_t> vh = v.read();
    ok &= vh[n] == 1;
    for (int64_t i = 0; i < n; ++i) ok &= vh[i] == -7;
    CHECK(ok, "fill %s n=%lld", g.name.c_str(), (long long)n);
  }
  CHECK_OK(nv_fill_f32(g.ctx, 0, 1.0f, nullptr));

  const int64_t n = 20001;
  std::vector<float> x = rng.floats(n, -3e9f, 3e9f);
  x[0] = NAN;
  x[1] = INFINITY;
  x[2] = -INFINITY;
  x[3] = -0.7f;
  x[4] = 2147483520.0f;
  for (int64_t i = 5; i < n / 2; ++i) x[i] = rng.uniform(-100, 100);
  DevBuf<float> dx(g.ctx, x), df(g.ctx, n);
  DevBuf<int32_t> dv(g.ctx, n);
  CHECK_OK(nv_cast_f32_i32(g.ctx, n, dx.p, dv.p));
  CHECK_OK(nv_cast_i32_f32(g.ctx, n, dv.p, df.p));
  std::vector<int32_t> v = dv.read();
  std::vector<float> f = df.read();
  int bad = 0;
  for (int64_t i = 0; i < n; ++i) bad += v[i] != nv::ref::cast_f32_i32(x[i]);
  for (int64_t i = 0; i < n; ++i) bad += f[i] != static_cast<float>(v[i]);
  std::printf("%s casts %s mismatches %d\n", bad ? "FAIL" : "ok  ", g.name.c_str(), bad);
  if (bad) ++failures();
}

void test_rand(const GpuConfig& g, nv_ctx* cpu) {
  const int64_t n = 50001;
  DevBuf<float> du(g.ctx, n), dz(g.ctx, n);
  CHECK_OK(nv_rand_uniform_f32(g.ctx, n, 1234, 77, -2.0f, 3.0f, du.p));
  std::vector<float> u = du.read(), ucpu(n);
  CHECK_OK(nv_rand_uniform_f32(cpu, n, 1234, 77, -2.0f, 3.0f, ucpu.data()));
  bool same = std::memcmp(u.data(), ucpu.data(), n * sizeof(float)) == 0;
  std::printf("%s rand_uniform %s bit-identical to the CPU backend\n", same ? "ok  " : "FAIL",
              g.name.c_str());
  if (!same) ++failures();
  std::vector<double> want(n);
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::rand_uniform(1234, 77 + i, -2.0, 3.0);
  compare(fmt("rand_uniform %s", g.name.c_str()).c_str(), u.data(), want.data(), n, 1e-6, 1e-6);

  CHECK_OK(nv_rand_normal_f32(g.ctx, n, 99, 5, 1.5f, 2.0f, dz.p));
  std::vector<float> z = dz.read();
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::rand_normal(99, 5 + i, 1.5, 2.0);
  compare(fmt("rand_normal %s", g.name.c_str()).c_str(), z.data(), want.data(), n, 2e-5, 2e-5);
}

}  // namespace

int main() {
  nv_ctx* cpu = nullptr;
  CHECK_OK(nv_ctx_create(NV_BACKEND_CPU, 0, 1, &cpu));
  for (const GpuConfig& g : gpu_configs()) {
    test_allocator(g);
    test_copies(g);
    test_fill_cast(g);
    test_rand(g, cpu);
  }
  nv_ctx_destroy(cpu);
  return gpu_report();
}
