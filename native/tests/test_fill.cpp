// Each backend's caching allocator (reuse, stats, release, bad frees) and host <-> context
// copies; nv_copy_strided (views, transposes, element sizes 1..16 bytes, unaligned views),
// nv_fill_*, nv_cast_* and the counter-based random numbers (against the same Philox bits
// transformed in double, offset invariance, moments of the normal, uniform numbers bit for bit
// those of the CPU at its portable ISA on one thread), on every backend; plus the error path.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

// Two suites of cases with their own seeds: the first grew up on the CPU (sizes up to 200001),
// the second on the GPU (offset views, the allocator).
constexpr uint64_t kCpuSeed = 9, kGpuSeed = 19;

void test_allocator(const Config& cfg) {
  Rng& rng = stream(kGpuSeed, cfg);
  int64_t s0[4], s1[4], s2[4];
  CHECK_OK(nv_memory_stats(cfg.ctx, s0));
  void *a = nullptr, *b = nullptr, *c = nullptr;
  CHECK_OK(nv_alloc(cfg.ctx, 1000, &a));
  CHECK_OK(nv_alloc(cfg.ctx, 0, &b));
  CHECK(a != nullptr && b != nullptr && a != b, "%s: distinct blocks", cfg.name.c_str());
  CHECK(reinterpret_cast<uintptr_t>(a) % 64 == 0, "%s: 64-byte alignment", cfg.name.c_str());
  CHECK_OK(nv_memory_stats(cfg.ctx, s1));
  CHECK(s1[3] == s0[3] + 2 && s1[0] >= s0[0] + 1000, "%s: live %lld blocks %lld", cfg.name.c_str(),
        (long long)s1[0], (long long)s1[3]);
  CHECK_OK(nv_free(cfg.ctx, a));
  CHECK_OK(nv_alloc(cfg.ctx, 900, &c));  // same size class: the cached block comes back
  CHECK(c == a, "%s: cached block reused (%p vs %p)", cfg.name.c_str(), c, a);
  CHECK_OK(nv_free(cfg.ctx, c));
  CHECK_OK(nv_free(cfg.ctx, b));
  CHECK_OK(nv_memory_stats(cfg.ctx, s2));
  CHECK(s2[0] == s0[0] && s2[3] == s0[3] && s2[2] > 0 && s2[1] >= s1[0],
        "%s: stats after free live %lld peak %lld cached %lld", cfg.name.c_str(), (long long)s2[0],
        (long long)s2[1], (long long)s2[2]);
  CHECK_OK(nv_memory_release_cached(cfg.ctx));
  CHECK_OK(nv_memory_stats(cfg.ctx, s2));
  CHECK(s2[2] == 0, "%s: cached %lld after release", cfg.name.c_str(), (long long)s2[2]);
  CHECK_ERR(nv_free(cfg.ctx, c), NV_ERR_INVALID_ARGUMENT, "freed twice");
  int x = 0;
  CHECK_ERR(nv_free(cfg.ctx, &x), NV_ERR_INVALID_ARGUMENT, "nv_free");
  // A large block (2 MiB rounding on a GPU) round-trips data.
  std::vector<float> big = rng.floats(600000, -1, 1);
  {
    Buf<float> d(cfg.ctx, big);
    verdict(d.read() == big, "%s allocator and copies", cfg.name.c_str());
  }
  CHECK_OK(nv_ctx_synchronize(cfg.ctx));
}

void test_copy(const Config& cfg, uint64_t seed, int es, int ndim, const int64_t* shape,
               const int64_t* ss, const int64_t* ds, int64_t src_off, int64_t dst_off,
               const char* name) {
  Rng& rng = stream(seed, cfg);
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
  Buf<uint8_t> dsrc(cfg.ctx, src), ddst(cfg.ctx, dst);
  CHECK_OK(nv_copy_strided(cfg.ctx, es, ndim, shape, dsrc.p + src_off * es, ss,
                           ddst.p + dst_off * es, ds));
  verdict(ddst.read() == want, "copy_strided %-16s es=%d %s", name, es, cfg.name.c_str());
}

// A 0-d copy and an empty one.
void scalar_and_empty(const Config& cfg, uint64_t seed) {
  int64_t shape[1] = {1}, s[1] = {1};
  test_copy(cfg, seed, 4, 0, shape, s, s, 0, 0, "scalar_0d");
  int64_t empty[2] = {0, 4}, s2[2] = {4, 1};
  test_copy(cfg, seed, 4, 2, empty, s2, s2, 0, 0, "empty");
}

void test_copies(const Config& cfg) {
  // The CPU's cases.
  if (!cfg.slow()) {  // 100003 and 300000 elements: sized for the CPU, too slow on cuda-sim
    int64_t shape[1] = {100003}, s[1] = {1};
    for (int es : {1, 2, 4, 8, 12}) test_copy(cfg, kCpuSeed, es, 1, shape, s, s, 0, 0, "contiguous");
  }
  {
    int64_t shape[2] = {257, 33}, ss[2] = {1, 257}, ds[2] = {33, 1};
    test_copy(cfg, kCpuSeed, 4, 2, shape, ss, ds, 0, 0, "transpose");
  }
  {
    int64_t shape[3] = {7, 33, 65}, ss[3] = {1, 7 * 65, 7}, ds[3] = {33 * 70, 70, 1};
    for (int es : {2, 4, 8}) test_copy(cfg, kCpuSeed, es, 3, shape, ss, ds, 0, 0, "permute3d_pad");
  }
  if (!cfg.slow()) {
    int64_t shape[2] = {1000, 300}, ss[2] = {0, 1}, ds[2] = {300, 1};
    test_copy(cfg, kCpuSeed, 4, 2, shape, ss, ds, 0, 0, "broadcast_row");
  }
  scalar_and_empty(cfg, kCpuSeed);
  // The GPU's cases.
  {
    int64_t shape[1] = {10001}, s[1] = {1};
    for (int es : {1, 4, 12}) test_copy(cfg, kGpuSeed, es, 1, shape, s, s, 0, 0, "contiguous");
    test_copy(cfg, kGpuSeed, 4, 1, shape, s, s, 1, 3, "contiguous_off");
  }
  {
    int64_t shape[2] = {57, 33}, ss[2] = {1, 57}, ds[2] = {33, 1};
    for (int es : {1, 2, 4, 8}) test_copy(cfg, kGpuSeed, es, 2, shape, ss, ds, 0, 0, "transpose");
    test_copy(cfg, kGpuSeed, 4, 2, shape, ss, ds, 1, 0, "transpose_unaligned");
    test_copy(cfg, kGpuSeed, 16, 2, shape, ss, ds, 0, 0, "transpose_16");
  }
  {
    int64_t shape[3] = {7, 13, 9}, ss[3] = {1, 7 * 9, 7}, ds[3] = {13 * 12, 12, 1};
    for (int es : {2, 4, 12}) test_copy(cfg, kGpuSeed, es, 3, shape, ss, ds, 0, 5, "permute3d_pad");
  }
  {
    int64_t shape[2] = {100, 30}, ss[2] = {0, 1}, ds[2] = {30, 1};
    test_copy(cfg, kGpuSeed, 4, 2, shape, ss, ds, 0, 0, "broadcast_row");
  }
  scalar_and_empty(cfg, kGpuSeed);
}

// Fills of n elements must leave the element after them alone.
void test_fill(const Config& cfg, int64_t n) {
  Buf<float> f(cfg.ctx, std::vector<float>(n + 1, 1.0f));
  CHECK_OK(nv_fill_f32(cfg.ctx, n, -2.5f, f.p));
  std::vector<float> fh = f.read();
  bool ok = fh[n] == 1.0f;
  for (int64_t i = 0; i < n; ++i) ok &= fh[i] == -2.5f;
  Buf<int32_t> v(cfg.ctx, std::vector<int32_t>(n + 1, 1));
  CHECK_OK(nv_fill_i32(cfg.ctx, n, -7, v.p));
  std::vector<int32_t> vh = v.read();
  ok &= vh[n] == 1;
  for (int64_t i = 0; i < n; ++i) ok &= vh[i] == -7;
  CHECK(ok, "fill %s n=%lld", cfg.name.c_str(), (long long)n);
}

void test_casts(const Config& cfg, uint64_t seed, int64_t n) {
  Rng& rng = stream(seed, cfg);
  std::vector<float> x = rng.floats(n, -3e9f, 3e9f);
  x[0] = NAN;
  x[1] = INFINITY;
  x[2] = -INFINITY;
  x[3] = -0.7f;
  x[4] = 2147483520.0f;
  for (int64_t i = 5; i < n / 2; ++i) x[i] = rng.uniform(-100, 100);
  Buf<float> dx(cfg.ctx, x), df(cfg.ctx, n);
  Buf<int32_t> dv(cfg.ctx, n);
  CHECK_OK(nv_cast_f32_i32(cfg.ctx, n, dx.p, dv.p));
  CHECK_OK(nv_cast_i32_f32(cfg.ctx, n, dv.p, df.p));
  std::vector<int32_t> v = dv.read();
  std::vector<float> f = df.read();
  int bad = 0;
  for (int64_t i = 0; i < n; ++i) bad += v[i] != nv::ref::cast_f32_i32(x[i]);
  for (int64_t i = 0; i < n; ++i) bad += f[i] != static_cast<float>(v[i]);
  verdict(bad == 0, "casts %s n=%lld mismatches %d", cfg.name.c_str(), (long long)n, bad);
}

// normal_offset: the normals start at that counter (the uniforms at 77).
void test_rand(const Config& cfg, int64_t n, uint64_t normal_offset) {
  Buf<float> du(cfg.ctx, n), du2(cfg.ctx, n - 10), dz(cfg.ctx, n);
  std::vector<double> want(n);
  CHECK_OK(nv_rand_uniform_f32(cfg.ctx, n, 1234, 77, -2.0f, 3.0f, du.p));
  std::vector<float> u = du.read();
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::rand_uniform(1234, 77 + i, -2.0, 3.0);
  compare(fmt("rand_uniform %s n=%lld", cfg.name.c_str(), (long long)n).c_str(), u.data(),
          want.data(), n, 1e-6, 1e-6);
  bool in_range = true;
  for (float x : u) in_range &= x >= -2.0f && x < 3.0f;
  CHECK(in_range, "uniform outside [lo, hi)");
  std::vector<float> ucpu(n);
  CHECK_OK(nv_rand_uniform_f32(cpu_reference(), n, 1234, 77, -2.0f, 3.0f, ucpu.data()));
  verdict(std::memcmp(u.data(), ucpu.data(), n * sizeof(float)) == 0,
          "rand_uniform %s n=%lld bit-identical to the CPU's portable one-thread result",
          cfg.name.c_str(), (long long)n);
  // Element i depends only on (seed, offset + i): a shifted call reproduces a slice.
  CHECK_OK(nv_rand_uniform_f32(cfg.ctx, n - 10, 1234, 87, -2.0f, 3.0f, du2.p));
  CHECK(std::memcmp(du2.read().data(), u.data() + 10, (n - 10) * sizeof(float)) == 0,
        "offset invariance");

  CHECK_OK(nv_rand_normal_f32(cfg.ctx, n, 99, normal_offset, 1.5f, 2.0f, dz.p));
  std::vector<float> z = dz.read();
  for (int64_t i = 0; i < n; ++i) want[i] = nv::ref::rand_normal(99, normal_offset + i, 1.5, 2.0);
  compare(fmt("rand_normal %s n=%lld offset=%llu", cfg.name.c_str(), (long long)n,
              (unsigned long long)normal_offset).c_str(),
          z.data(), want.data(), n, 2e-5, 2e-5);
  double s = 0, s2 = 0;
  for (float x : z) {
    s += x;
    s2 += (x - 1.5) * (x - 1.5);
  }
  double mean = s / n, sd = std::sqrt(s2 / n);
  verdict(std::fabs(mean - 1.5) < 0.02 && std::fabs(sd - 2.0) < 0.02,
          "rand_normal moments %s n=%lld mean %.4f (1.5) stddev %.4f (2.0)", cfg.name.c_str(),
          (long long)n, mean, sd);
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> buf(ctx, 4);
  float* f = buf.p;
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

void run(const Config& cfg) {
  test_allocator(cfg);
  test_copies(cfg);
  for (int64_t n : {1, 7, 70001}) test_fill(cfg, n);
  if (!cfg.slow()) {  // sized for the CPU: too slow on cuda-sim
    test_fill(cfg, 100003);
    test_casts(cfg, kCpuSeed, 100003);
  }
  test_casts(cfg, kGpuSeed, 20001);
  if (!cfg.slow()) test_rand(cfg, 200001, 0);  // sized for the CPU: too slow on cuda-sim
  test_rand(cfg, 50001, 5);
  if (cfg.first) bad_arguments(cfg.ctx);
}

}  // namespace

int main() {
  for_each_config(run);
  return report();
}
