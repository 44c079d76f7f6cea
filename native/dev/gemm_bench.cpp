// GEMM workbench: GFLOP/s of nv_gemm_f32 (row-major, no transposes, alpha 1, beta 0) for
// square sizes, per ISA and thread count. Not a test; build and run by hand:
//
//   g++ -O2 -std=c++17 -I native/include native/dev/gemm_bench.cpp -L /tmp/nvbuild -lnerve \
//       -Wl,-rpath,/tmp/nvbuild -o /tmp/gemm_bench && /tmp/gemm_bench 1024 2048
//
// History (2-core AMD EPYC, AVX-512, same machine as DESIGN.md's figures):
//   v1 12x32 AVX-512 micro-kernel (6x16 AVX2), KC=256, NC=512, B block packed by all threads,
//      MR panels of A packed per task, 4 tasks per thread, on an idle machine:
//        avx512 1t: 224 (256^3), 239 (1024^3), 224 (2048^3) GFLOP/s
//        avx512 2t: 384 (256^3), 465 (1024^3), 430 (2048^3) GFLOP/s
//        avx2   1t: 126 (1024^3), 119 (2048^3);  2t: 244, 238
//      With another process busy on the second core, 2-thread figures drop to 100-250.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "nerve.h"

int main(int argc, char** argv) {
  std::vector<long> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atol(argv[i]));
  if (sizes.empty()) sizes = {256, 512, 1024, 2048};
  for (int isa = nv_cpu_isa(); isa >= NV_ISA_AVX2; --isa) {
    for (int threads : {1, 2}) {
      nv_ctx* ctx;
      nv_ctx_create(NV_BACKEND_CPU, 0, threads, &ctx);
      nv_ctx_set_isa(ctx, isa);
      for (long n : sizes) {
        std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n);
        nv_gemm_f32(ctx, 0, 0, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);  // warm up
        double best = 1e30;
        int reps = n <= 512 ? 20 : n <= 1024 ? 5 : 3;
        for (int r = 0; r < reps; ++r) {
          auto t0 = std::chrono::steady_clock::now();
          nv_gemm_f32(ctx, 0, 0, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
          double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          if (s < best) best = s;
        }
        // Every element is n * 0.5 * 0.25; a wrong kernel must not post a figure.
        for (long i = 0; i < n * n; i += 997)
          if (c[i] != 0.125f * n) {
            std::printf("wrong result at %ld: %g\n", i, c[i]);
            return 1;
          }
        std::printf("%-8s %dt  n=%5ld  %7.1f GFLOP/s  (best of %d)\n", nv_isa_name(isa), threads, n,
                    2.0 * n * n * n / best * 1e-9, reps);
      }
      nv_ctx_destroy(ctx);
    }
  }
  return 0;
}
