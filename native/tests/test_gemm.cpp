// nv_gemm_f32 and nv_gemm_strided_batched_f32 against the double-precision loop in ref/gemm.cpp:
// odd shapes, every transpose, leading dimensions larger than the rows, alpha/beta (alpha == 0
// too), beta == 0 over NaN, K == 0 and empty shapes, 16-byte and scalar loads, K and N beyond one
// CPU cache block, the GPU kernels' tile sizes and split-K, strided batches; and on the GPUs the
// TF32 tensor-core kernel (through the internal entry point; both tile sizes, both transposes,
// the same edges) against a reference on TF32-rounded inputs. Every backend; plus the error path.
#include "cuda/gemm_tf32.h"
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

// Two suites of cases with their own seeds: the first grew up on the CPU (sizes up to
// 257 x 1000 x 1000, N beyond one cache block), the second on the GPU (tile shapes, split-K,
// TF32; sizes cuda-sim can afford).
constexpr uint64_t kCpuSeed = 42, kGpuSeed = 41;

// cvt.rna.tf32.f32 on the host: 10 explicit mantissa bits, nearest, ties away from zero.
float tf32_round(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  u = (u + 0x1000u) & 0xffffe000u;
  float r;
  std::memcpy(&r, &u, 4);
  return r;
}

// One GEMM: batch == 1 calls nv_gemm_f32, else nv_gemm_strided_batched_f32 (tf32: the TF32
// entry point). Batch strides are odd (scalar loads) unless vec_strides keeps them multiples of
// 4 floats; sb_extra is how far B's stride goes past its matrix. The tolerance is
// atol_scale * 3e-7 (K + 4) (|alpha| + 1) absolute and 1e-6 relative.
struct Gemm {
  int ta, tb;
  int64_t M, N, K;
  float alpha, beta;
  int64_t pad;
  bool nan_c;
  bool tf32 = false;
  int64_t batch = 1;
  bool vec_strides = false;
  int64_t sb_extra = 1;
  double atol_scale = 1.0;
  bool skip_sim = false;  // sized for the CPU: too slow on cuda-sim (a fiber per CUDA thread)
};

// Draws the case's data from its suite's generator and computes the double reference once,
// then checks the kernel on every config; TF32 only on the GPUs (the CPU has no TF32 GEMM:
// checked in run_once).
void run_case(Rng& rng, const Gemm& g) {
  const int ta = g.ta, tb = g.tb;
  const int64_t M = g.M, N = g.N, K = g.K, batch = g.batch;
  int64_t lda = (ta ? M : K) + g.pad, ldb = (tb ? K : N) + g.pad, ldc = N + g.pad;
  int64_t arows = ta ? K : M, brows = tb ? N : K;
  int64_t sa = arows * lda + 3, sb = brows * ldb + g.sb_extra, sc = M * ldc + 2;
  if (g.vec_strides) sa = arows * lda + 4, sb = brows * ldb + 8, sc = M * ldc + 4;
  if (batch == 1) sa = sb = sc = 0;
  const int64_t more = batch > 1 ? batch - 1 : 0;
  std::vector<float> A = rng.floats(arows * lda + sa * more + 1, -1, 1);
  std::vector<float> B = rng.floats(brows * ldb + sb * more + 1, -1, 1);
  std::vector<float> C = rng.floats(M * ldc + sc * more + 1, -1, 1);
  if (g.nan_c) for (auto& c : C) c = NAN;
  auto runs_on = [&](const Config& cfg) { return !(g.tf32 && cfg.cpu()) && !(g.skip_sim && cfg.slow()); };
  bool any = false;
  for (const Config& cfg : configs()) any |= runs_on(cfg);
  if (!any) return;
  std::vector<float> Ar = A, Br = B;
  if (g.tf32) {
    for (auto& v : Ar) v = tf32_round(v);
    for (auto& v : Br) v = tf32_round(v);
  }
  std::vector<double> want(C.begin(), C.end());
  for (int64_t z = 0; z < batch; ++z)
    nv::ref::gemm(ta, tb, M, N, K, g.alpha, Ar.data() + z * sa, lda, Br.data() + z * sb, ldb,
                  g.beta, want.data() + z * sc, ldc);
  // Padding columns of C must stay untouched (NaN stays NaN): compare the whole buffer.
  if (g.nan_c)
    for (int64_t z = 0; z < std::max<int64_t>(batch, 1); ++z)
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = N; j < ldc; ++j) want[z * sc + i * ldc + j] = NAN;
  const double atol = g.atol_scale * 3e-7 * (K + 4) * (std::fabs(g.alpha) + 1);

  for_each_config([&](const Config& cfg) {
    if (!runs_on(cfg)) return;
    Buf<float> dA(cfg.ctx, A), dB(cfg.ctx, B), dC(cfg.ctx, C);
    if (g.tf32) {
      CHECK_OK(nv_internal_gemm_tf32_f32(cfg.ctx, ta, tb, M, N, K, g.alpha, dA.p, lda, sa, dB.p,
                                         ldb, sb, g.beta, dC.p, ldc, sc, batch));
    } else if (batch == 1) {
      CHECK_OK(nv_gemm_f32(cfg.ctx, ta, tb, M, N, K, g.alpha, dA.p, lda, dB.p, ldb, g.beta, dC.p,
                           ldc));
    } else {
      CHECK_OK(nv_gemm_strided_batched_f32(cfg.ctx, ta, tb, M, N, K, g.alpha, dA.p, lda, sa, dB.p,
                                           ldb, sb, g.beta, dC.p, ldc, sc, batch));
    }
    std::vector<float> got = dC.read();
    compare(fmt("gemm%s %s ta=%d tb=%d M=%lld N=%lld K=%lld a=%g b=%g pad=%lld%s%s",
                g.tf32 ? "-tf32" : "", cfg.name.c_str(), ta, tb, (long long)M, (long long)N,
                (long long)K, g.alpha, g.beta, (long long)g.pad, g.nan_c ? " nanC" : "",
                batch != 1 ? fmt(" batch=%lld", (long long)batch).c_str() : "").c_str(),
            got.data(), want.data(), int64_t(got.size()), atol, 1e-6);
  });
}

void bad_arguments(nv_ctx* ctx) {
  Buf<float> ba(ctx, 64), bb(ctx, 64), bc(ctx, 64);
  float *a = ba.p, *b = bb.p, *c = bc.p;
  CHECK_ERR(nv_gemm_f32(nullptr, 0, 0, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "nv_gemm_f32");
  CHECK_ERR(nv_gemm_f32(ctx, 0, 0, -1, 2, 2, 1, a, 2, b, 2, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "nv_gemm_f32");
  CHECK_ERR(nv_gemm_f32(ctx, 0, 0, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "lda=2");
  CHECK_ERR(nv_gemm_f32(ctx, 1, 0, 3, 2, 2, 1, a, 2, b, 2, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "trans_a=1");
  CHECK_ERR(nv_gemm_f32(ctx, 0, 1, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "ldb=2");
  CHECK_ERR(nv_gemm_f32(ctx, 0, 0, 2, 3, 2, 1, a, 2, b, 3, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "ldc=2");
  CHECK_ERR(nv_gemm_f32(ctx, 0, 0, 2, 2, 2, 1, nullptr, 2, b, 2, 0, c, 2), NV_ERR_INVALID_ARGUMENT, "A is NULL");
  CHECK_ERR(nv_gemm_f32(ctx, 0, 0, 2, 2, 2, 1, a, 2, b, 2, 0, nullptr, 2), NV_ERR_INVALID_ARGUMENT, "C is NULL");
  CHECK_ERR(nv_gemm_strided_batched_f32(ctx, 0, 0, 2, 2, 2, 1, a, 2, 4, b, 2, 4, 0, c, 2, 1, 3),
            NV_ERR_INVALID_ARGUMENT, "stride_c=1");
  CHECK_ERR(nv_gemm_strided_batched_f32(ctx, 0, 0, 2, 2, 2, 1, a, 2, 4, b, 2, 4, 0, c, 2, 4, -1),
            NV_ERR_INVALID_ARGUMENT, "nv_gemm_strided_batched_f32");
  // Empty shapes are fine with NULL pointers.
  CHECK_OK(nv_gemm_f32(ctx, 0, 0, 0, 0, 0, 1, nullptr, 1, nullptr, 1, 0, nullptr, 1));
}

// The CPU suite. On cuda-sim only its batches: the rest is sized for the CPU, and the GPU
// suite covers the same edges at cuda-sim sizes.
std::vector<Gemm> cpu_suite() {
  std::vector<Gemm> v;
  auto add = [&](int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha, float beta,
                 int64_t pad, bool nan_c) {
    Gemm g{ta, tb, M, N, K, alpha, beta, pad, nan_c};
    g.skip_sim = true;
    v.push_back(g);
  };
  const int64_t sizes[] = {1, 7, 33, 100};
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      for (int64_t M : sizes)
        for (int64_t N : sizes)
          for (int64_t K : {int64_t(1), int64_t(17), int64_t(100)}) add(ta, tb, M, N, K, 1.0f, 0.0f, 0, false);
      add(ta, tb, 37, 45, 29, 0.7f, -1.3f, 5, false);
      add(ta, tb, 33, 70, 21, 1.0f, 0.0f, 3, true);
      add(ta, tb, 13, 19, 0, 0.5f, 2.0f, 1, false);    // K == 0: C = beta C
      add(ta, tb, 13, 19, 0, 0.5f, 0.0f, 1, true);     // K == 0, beta == 0 over NaN
      add(ta, tb, 0, 19, 5, 1.0f, 1.0f, 0, false);
      add(ta, tb, 130, 600, 300, 1.0f, 0.5f, 7, false);  // > one K block
      // Odd sizes across every kernel: narrow (N <= 16) and mid (N <= 64) tiles with A read
      // in place, small M with B read in place, the wide tile with ragged edges.
      add(ta, tb, 1000, 7, 257, 1.0f, 0.0f, 2, false);
      add(ta, tb, 257, 33, 1000, 0.7f, 0.3f, 3, false);
      add(ta, tb, 33, 1000, 257, -0.5f, 1.0f, 1, false);
      add(ta, tb, 257, 1000, 33, 1.5f, 0.0f, 5, true);
      add(ta, tb, 64, 200, 70, 0.5f, -1.0f, 3, false);  // the 8-row wide tile (M = 64)
      add(ta, tb, 50, 129, 300, 1.0f, 0.0f, 1, true);   // 8-row tile, ragged, 2 K blocks
    }
  add(0, 0, 257, 257, 257, -1.0f, 1.0f, 0, false);
  add(0, 0, 5, 1000, 513, 1.0f, 0.0f, 0, false);  // few rows: split over N
  add(0, 0, 40, 2100, 300, 1.0f, 0.0f, 0, false);  // > one NC block, B in place
  add(0, 1, 100, 2100, 300, 1.0f, 0.5f, 0, false);  // > one NC block, B packed
  // Batches: alpha 0.5, beta 2, B's stride K N + 5, twice the usual tolerance.
  auto batched = [&](int ta, int tb, int64_t M, int64_t N, int64_t K, int64_t batch) {
    v.push_back(Gemm{ta, tb, M, N, K, 0.5f, 2.0f, 0, false, false, batch, false, 5, 2.0});
  };
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      batched(ta, tb, 7, 9, 5, 6);
      batched(ta, tb, 65, 70, 90, 3);
    }
  batched(0, 0, 3, 4, 5, 0);
  return v;
}

std::vector<Gemm> gpu_suite() {
  std::vector<Gemm> v;
  auto add = [&](int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha, float beta,
                 int64_t pad, bool nan_c, bool tf32 = false, int64_t batch = 1,
                 bool vec_strides = false) {
    v.push_back(Gemm{ta, tb, M, N, K, alpha, beta, pad, nan_c, tf32, batch, vec_strides});
  };
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      for (int64_t M : {1, 7, 33})
        for (int64_t N : {1, 8, 33})
          for (int64_t K : {1, 17}) add(ta, tb, M, N, K, 1.0f, 0.0f, 0, false);
      add(ta, tb, 64, 64, 64, 1.0f, 0.0f, 0, false);  // 16-byte loads everywhere
      add(ta, tb, 37, 45, 29, 0.7f, -1.3f, 5, false);
      add(ta, tb, 33, 70, 21, 1.0f, 0.0f, 3, true);
      add(ta, tb, 13, 19, 0, 0.5f, 2.0f, 1, false);  // K == 0: C = beta C
      add(ta, tb, 13, 19, 0, 0.5f, 0.0f, 1, true);   // K == 0, beta == 0 over NaN
      add(ta, tb, 0, 19, 5, 1.0f, 1.0f, 0, false);
      add(ta, tb, 20, 24, 36, 0.0f, 0.5f, 4, false);  // alpha == 0
      add(ta, tb, 9, 12, 20, 1.0f, 0.5f, 0, false, false, 3);  // strided batch
      // Split-K (cuda-sim: 4 SMs, parts of >= 32): 128 x 128 tiles over 5 parts of 64 with
      // a last part of 44, odd leading dimensions; 64 x 64 tiles; beta == 0 over NaN;
      // 16-byte loads.
      add(ta, tb, 100, 120, 300, 0.7f, -1.3f, 3, false);
      add(ta, tb, 50, 70, 200, 1.0f, 0.0f, 1, true);
      add(ta, tb, 64, 96, 256, 1.0f, 0.5f, 0, false);
      // Tensor cores, 64 x 64 tiles (fewer than 4 tiles of 128 x 128 in cuda-sim): odd edges,
      // beta over NaN, batches, K == 0, long odd K.
      for (int64_t M : {1, 7, 33})
        for (int64_t N : {1, 8, 33})
          for (int64_t K : {1, 17}) add(ta, tb, M, N, K, 1.0f, 0.0f, 0, false, true);
      add(ta, tb, 37, 45, 29, 0.7f, -1.3f, 5, false, true);
      add(ta, tb, 70, 66, 40, 1.0f, 0.0f, 0, true, true);
      add(ta, tb, 60, 36, 24, -0.5f, 0.25f, 4, false, true);  // 16-byte loads, edges
      add(ta, tb, 9, 12, 20, 1.0f, 0.5f, 0, false, true, 3);
      add(ta, tb, 12, 20, 36, 1.0f, 0.5f, 0, true, true, 2, true);  // 16-byte, batch
      add(ta, tb, 33, 40, 257, 1.0f, 0.0f, 3, false, true);
      add(ta, tb, 13, 19, 0, 0.5f, 2.0f, 1, false, true);  // K == 0: C = beta C
      // Tensor cores, 128 x 128 tiles (4 or more of them): ragged edges with scalar loads,
      // 16-byte loads with a partial last tile, a batch of mostly-empty tiles.
      add(ta, tb, 257, 129, 33, 0.7f, -1.3f, 1, false, true);
      add(ta, tb, 129, 257, 7, 1.0f, 0.0f, 0, true, true);
      add(ta, tb, 128, 132, 64, 1.0f, 0.5f, 4, false, true);
      add(ta, tb, 40, 36, 20, 2.0f, 0.0f, 4, true, true, 4, true);
    }
  // Big 128 x 128 tiles (when the grid fills the SMs), ragged edges, 16-byte and scalar loads.
  add(0, 0, 260, 392, 40, 1.0f, 0.5f, 0, false);
  add(1, 1, 257, 385, 33, -1.0f, 0.0f, 1, true);
  add(0, 1, 128, 128, 128, 1.0f, 0.0f, 0, false);
  add(1, 0, 129, 130, 64, 1.0f, 1.0f, 4, false, true);
  return v;
}

void run_once(const Config& cfg) {
  if (!cfg.first) return;
  bad_arguments(cfg.ctx);
  if (cfg.cpu()) {
    Buf<float> a(cfg.ctx, 4);
    CHECK_ERR(nv_internal_gemm_tf32_f32(cfg.ctx, 0, 0, 2, 2, 1, 1, a.p, 1, 0, a.p, 2, 0, 0, a.p,
                                        2, 0, 1),
              NV_ERR_UNSUPPORTED, "has no TF32 GEMM");
  }
}

}  // namespace

// Case by case, each over every config, so that its reference is computed once.
int main() {
  Rng cpu_rng(kCpuSeed), gpu_rng(kGpuSeed);
  for (const Gemm& g : cpu_suite()) run_case(cpu_rng, g);
  for (const Gemm& g : gpu_suite()) run_case(gpu_rng, g);
  for_each_config(run_once);
  return report();
}
