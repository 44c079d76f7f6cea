// nv_gemm_f32 and nv_gemm_strided_batched_f32 against the double-precision loop in ref/gemm.cpp:
// odd shapes, every transpose, leading dimensions larger than the rows, alpha/beta, beta == 0
// over NaN, K == 0 and empty shapes, K and N beyond one cache block, every ISA, 1 and 2 threads.
#include "harness.h"
#include "ref/ref.h"

using namespace harness;

namespace {

Rng rng(42);

void run_case(const Config& cfg, int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
              float beta, int64_t pad, bool nan_c) {
  int64_t lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
  int64_t arows = ta ? K : M, brows = tb ? N : K;
  std::vector<float> A = rng.floats(arows * lda + 1, -1, 1);
  std::vector<float> B = rng.floats(brows * ldb + 1, -1, 1);
  std::vector<float> C = rng.floats(M * ldc + 1, -1, 1);
  if (nan_c) for (auto& c : C) c = NAN;
  std::vector<double> want(C.begin(), C.end());
  nv::ref::gemm(ta, tb, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, want.data(), ldc);
  CHECK_OK(nv_gemm_f32(cfg.ctx, ta, tb, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta,
                       C.data(), ldc));
  // Padding columns of C must be untouched: compare the whole buffer.
  if (nan_c) for (int64_t i = 0; i < M; ++i) for (int64_t j = N; j < ldc; ++j) want[i * ldc + j] = NAN;
  double atol = 3e-7 * (K + 4) * (std::fabs(alpha) + 1);
  compare(fmt("gemm %s ta=%d tb=%d M=%lld N=%lld K=%lld a=%g b=%g pad=%lld%s", cfg.name.c_str(), ta, tb,
              (long long)M, (long long)N, (long long)K, alpha, beta, (long long)pad,
              nan_c ? " nanC" : "").c_str(),
          C.data(), want.data(), M * ldc, atol, 1e-6);
}

void run_batched(const Config& cfg, int ta, int tb, int64_t M, int64_t N, int64_t K, int64_t batch) {
  int64_t lda = ta ? M : K, ldb = tb ? N : K == 0 ? 1 : (tb ? K : N), ldc = N;
  ldb = tb ? K : N;
  int64_t sa = M * K + 3, sb = K * N + 5, sc = M * N + 2;
  std::vector<float> A = rng.floats(sa * batch + 1, -1, 1), B = rng.floats(sb * batch + 1, -1, 1);
  std::vector<float> C = rng.floats(sc * batch + 1, -1, 1);
  std::vector<double> want(C.begin(), C.end());
  for (int64_t i = 0; i < batch; ++i)
    nv::ref::gemm(ta, tb, M, N, K, 0.5, A.data() + i * sa, lda > 0 ? lda : 1, B.data() + i * sb,
                  ldb > 0 ? ldb : 1, 2.0, want.data() + i * sc, ldc);
  CHECK_OK(nv_gemm_strided_batched_f32(cfg.ctx, ta, tb, M, N, K, 0.5f, A.data(), lda > 0 ? lda : 1, sa,
                                       B.data(), ldb > 0 ? ldb : 1, sb, 2.0f, C.data(), ldc, sc, batch));
  compare(fmt("batched %s ta=%d tb=%d M=%lld N=%lld K=%lld batch=%lld", cfg.name.c_str(), ta, tb,
              (long long)M, (long long)N, (long long)K, (long long)batch).c_str(),
          C.data(), want.data(), sc * batch, 3e-7 * (K + 4) * 3, 1e-6);
}

void bad_arguments(nv_ctx* ctx) {
  float a[64] = {}, b[64] = {}, c[64] = {};
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

}  // namespace

int main() {
  const int64_t sizes[] = {1, 7, 33, 100};
  for (const Config& cfg : configs()) {
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        for (int64_t M : sizes)
          for (int64_t N : sizes)
            for (int64_t K : {int64_t(1), int64_t(17), int64_t(100)})
              run_case(cfg, ta, tb, M, N, K, 1.0f, 0.0f, 0, false);
        run_case(cfg, ta, tb, 37, 45, 29, 0.7f, -1.3f, 5, false);
        run_case(cfg, ta, tb, 33, 70, 21, 1.0f, 0.0f, 3, true);
        run_case(cfg, ta, tb, 13, 19, 0, 0.5f, 2.0f, 1, false);    // K == 0: C = beta C
        run_case(cfg, ta, tb, 13, 19, 0, 0.5f, 0.0f, 1, true);     // K == 0, beta == 0 over NaN
        run_case(cfg, ta, tb, 0, 19, 5, 1.0f, 1.0f, 0, false);
        run_case(cfg, ta, tb, 130, 600, 300, 1.0f, 0.5f, 7, false);  // > one K block
        // Odd sizes across every kernel: narrow (N <= 16) and mid (N <= 64) tiles with A read
        // in place, small M with B read in place, the wide tile with ragged edges.
        run_case(cfg, ta, tb, 1000, 7, 257, 1.0f, 0.0f, 2, false);
        run_case(cfg, ta, tb, 257, 33, 1000, 0.7f, 0.3f, 3, false);
        run_case(cfg, ta, tb, 33, 1000, 257, -0.5f, 1.0f, 1, false);
        run_case(cfg, ta, tb, 257, 1000, 33, 1.5f, 0.0f, 5, true);
        run_case(cfg, ta, tb, 64, 200, 70, 0.5f, -1.0f, 3, false);  // the 8-row wide tile (M = 64)
        run_case(cfg, ta, tb, 50, 129, 300, 1.0f, 0.0f, 1, true);   // 8-row tile, ragged, 2 K blocks
      }
    run_case(cfg, 0, 0, 257, 257, 257, -1.0f, 1.0f, 0, false);
    run_case(cfg, 0, 0, 5, 1000, 513, 1.0f, 0.0f, 0, false);  // few rows: split over N
    run_case(cfg, 0, 0, 40, 2100, 300, 1.0f, 0.0f, 0, false);  // > one NC block, B in place
    run_case(cfg, 0, 1, 100, 2100, 300, 1.0f, 0.5f, 0, false);  // > one NC block, B packed
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        run_batched(cfg, ta, tb, 7, 9, 5, 6);
        run_batched(cfg, ta, tb, 65, 70, 90, 3);
      }
    run_batched(cfg, 0, 0, 3, 4, 5, 0);
  }
  bad_arguments(configs()[0].ctx);
  return report();
}
