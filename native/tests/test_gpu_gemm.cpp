// The GPU GEMMs against the double loop: the SIMT kernel (both tile sizes, both transposes,
// 16-byte and scalar loads, odd shapes and leading dimensions, alpha/beta, beta == 0 over NaN,
// K == 0, empty shapes, strided batches), and the TF32 tensor-core kernel (through the internal
// entry point; both tile sizes, both transposes, 16-byte and scalar loads, the same edges) against
// a reference on TF32-rounded inputs. cuda-sim and, where there is one, a real GPU. Sizes stay
// small: cuda-sim runs every CUDA thread as a fiber.
#include "cuda/gemm_tf32.h"
#include "gpu_harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(41);

// cvt.rna.tf32.f32 on the host: 10 explicit mantissa bits, nearest, ties away from zero.
float tf32_round(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  u = (u + 0x1000u) & 0xffffe000u;
  float r;
  std::memcpy(&r, &u, 4);
  return r;
}

void run_case(const GpuConfig& g, int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
              float beta, int64_t pad, bool nan_c, bool tf32 = false, int64_t batch = 1,
              bool vec_strides = false) {
  int64_t lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
  if (lda < 1) lda = 1;
  if (ldb < 1) ldb = 1;
  if (ldc < 1) ldc = 1;
  int64_t arows = ta ? K : M, brows = tb ? N : K;
  // Odd batch strides force scalar loads; vec_strides keeps them multiples of 4 floats.
  int64_t sa = arows * lda + 3, sb = brows * ldb + 1, sc = M * ldc + 2;
  if (vec_strides) sa = arows * lda + 4, sb = brows * ldb + 8, sc = M * ldc + 4;
  if (batch == 1) sa = sb = sc = 0;
  std::vector<float> A = rng.floats(arows * lda + sa * (batch - 1) + 1, -1, 1);
  std::vector<float> B = rng.floats(brows * ldb + sb * (batch - 1) + 1, -1, 1);
  std::vector<float> C = rng.floats(M * ldc + sc * (batch - 1) + 1, -1, 1);
  if (nan_c) for (auto& c : C) c = NAN;
  std::vector<float> Ar = A, Br = B;
  if (tf32) {
    for (auto& v : Ar) v = tf32_round(v);
    for (auto& v : Br) v = tf32_round(v);
  }
  std::vector<double> want(C.begin(), C.end());
  for (int64_t z = 0; z < batch; ++z)
    nv::ref::gemm(ta, tb, M, N, K, alpha, Ar.data() + z * sa, lda, Br.data() + z * sb, ldb, beta,
                  want.data() + z * sc, ldc);
  DevBuf<float> dA(g.ctx, A), dB(g.ctx, B), dC(g.ctx, C);
  if (tf32) {
    CHECK_OK(nv_internal_gemm_tf32_f32(g.ctx, ta, tb, M, N, K, alpha, dA.p, lda, sa, dB.p, ldb,
                                       sb, beta, dC.p, ldc, sc, batch));
  } else if (batch == 1) {
    CHECK_OK(nv_gemm_f32(g.ctx, ta, tb, M, N, K, alpha, dA.p, lda, dB.p, ldb, beta, dC.p, ldc));
  } else {
    CHECK_OK(nv_gemm_strided_batched_f32(g.ctx, ta, tb, M, N, K, alpha, dA.p, lda, sa, dB.p, ldb,
                                         sb, beta, dC.p, ldc, sc, batch));
  }
  std::vector<float> got = dC.read();
  // Padding columns of C must stay untouched (NaN stays NaN).
  if (nan_c)
    for (int64_t z = 0; z < batch; ++z)
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = N; j < ldc; ++j) want[z * sc + i * ldc + j] = NAN;
  double atol = 3e-7 * (K + 4) * (std::fabs(alpha) + 1);
  compare(fmt("gemm%s %s ta=%d tb=%d M=%lld N=%lld K=%lld a=%g b=%g pad=%lld%s%s", tf32 ? "-tf32" : "",
              g.name.c_str(), ta, tb, (long long)M, (long long)N, (long long)K, alpha, beta,
              (long long)pad, nan_c ? " nanC" : "",
              batch > 1 ? fmt(" batch=%lld", (long long)batch).c_str() : "").c_str(),
          got.data(), want.data(), int64_t(got.size()), atol, 1e-6);
}

}  // namespace

int main() {
  for (const GpuConfig& g : gpu_configs()) {
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        for (int64_t M : {1, 7, 33})
          for (int64_t N : {1, 8, 33})
            for (int64_t K : {1, 17}) run_case(g, ta, tb, M, N, K, 1.0f, 0.0f, 0, false);
        run_case(g, ta, tb, 64, 64, 64, 1.0f, 0.0f, 0, false);  // 16-byte loads everywhere
        run_case(g, ta, tb, 37, 45, 29, 0.7f, -1.3f, 5, false);
        run_case(g, ta, tb, 33, 70, 21, 1.0f, 0.0f, 3, true);
        run_case(g, ta, tb, 13, 19, 0, 0.5f, 2.0f, 1, false);  // K == 0: C = beta C
        run_case(g, ta, tb, 13, 19, 0, 0.5f, 0.0f, 1, true);   // K == 0, beta == 0 over NaN
        run_case(g, ta, tb, 0, 19, 5, 1.0f, 1.0f, 0, false);
        run_case(g, ta, tb, 20, 24, 36, 0.0f, 0.5f, 4, false);  // alpha == 0
        run_case(g, ta, tb, 9, 12, 20, 1.0f, 0.5f, 0, false, false, 3);  // strided batch
        // Split-K (cuda-sim: 4 SMs, parts of >= 32): 128 x 128 tiles over 5 parts of 64 with
        // a last part of 44, odd leading dimensions; 64 x 64 tiles; beta == 0 over NaN;
        // 16-byte loads.
        run_case(g, ta, tb, 100, 120, 300, 0.7f, -1.3f, 3, false);
        run_case(g, ta, tb, 50, 70, 200, 1.0f, 0.0f, 1, true);
        run_case(g, ta, tb, 64, 96, 256, 1.0f, 0.5f, 0, false);
        // Tensor cores, 64 x 64 tiles (fewer than 4 tiles of 128 x 128 in cuda-sim): odd edges,
        // beta over NaN, batches, K == 0, long odd K.
        for (int64_t M : {1, 7, 33})
          for (int64_t N : {1, 8, 33})
            for (int64_t K : {1, 17}) run_case(g, ta, tb, M, N, K, 1.0f, 0.0f, 0, false, true);
        run_case(g, ta, tb, 37, 45, 29, 0.7f, -1.3f, 5, false, true);
        run_case(g, ta, tb, 70, 66, 40, 1.0f, 0.0f, 0, true, true);
        run_case(g, ta, tb, 60, 36, 24, -0.5f, 0.25f, 4, false, true);  // 16-byte loads, edges
        run_case(g, ta, tb, 9, 12, 20, 1.0f, 0.5f, 0, false, true, 3);
        run_case(g, ta, tb, 12, 20, 36, 1.0f, 0.5f, 0, true, true, 2, true);  // 16-byte, batch
        run_case(g, ta, tb, 33, 40, 257, 1.0f, 0.0f, 3, false, true);
        run_case(g, ta, tb, 13, 19, 0, 0.5f, 2.0f, 1, false, true);  // K == 0: C = beta C
        // Tensor cores, 128 x 128 tiles (4 or more of them): ragged edges with scalar loads,
        // 16-byte loads with a partial last tile, a batch of mostly-empty tiles.
        run_case(g, ta, tb, 257, 129, 33, 0.7f, -1.3f, 1, false, true);
        run_case(g, ta, tb, 129, 257, 7, 1.0f, 0.0f, 0, true, true);
        run_case(g, ta, tb, 128, 132, 64, 1.0f, 0.5f, 4, false, true);
        run_case(g, ta, tb, 40, 36, 20, 2.0f, 0.0f, 4, true, true, 4, true);
      }
    // Big 128 x 128 tiles (when the grid fills the SMs), ragged edges, 16-byte and scalar loads.
    run_case(g, 0, 0, 260, 392, 40, 1.0f, 0.5f, 0, false);
    run_case(g, 1, 1, 257, 385, 33, -1.0f, 0.0f, 1, true);
    run_case(g, 0, 1, 128, 128, 128, 1.0f, 0.0f, 0, false);
    run_case(g, 1, 0, 129, 130, 64, 1.0f, 1.0f, 4, false, true);
  }
  return gpu_report();
}
