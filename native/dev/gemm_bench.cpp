// GEMM workbench: GFLOP/s of nv_gemm_f32 beside OpenBLAS cblas_sgemm (when its library is
// given), 2 threads, on the shapes of issue 4. Not a test and not the published figures
// (those come from JMH: ci/bench-gemm); a quick loop for kernel work. Build and run by hand:
//
//   g++ -O2 -std=c++17 -I native/include native/dev/gemm_bench.cpp -L /tmp/gemm-build -lnerve \
//       -Wl,-rpath,/tmp/gemm-build -ldl -o /tmp/gemm_bench
//   OPENBLAS=/tmp/ob/org/bytedeco/openblas/linux-x86_64/libopenblas.so.0 \
//     GOMP_SPINCOUNT=10000 OPENBLAS_THREAD_TIMEOUT=4 /tmp/gemm_bench [isa] [shape...]
//
// isa: 2 (AVX-512, default), 1 (AVX2), 0 (portable). A shape is M,N,K[,ta,tb] or
// bB:M,N,K (strided batched); none given means all of issue 4's. OpenBLAS is loaded with
// dlopen from $OPENBLAS (extract libopenblas.so.0 from the org.bytedeco:openblas
// linux-x86_64 jar); OPENBLAS_CORETYPE=Haswell forces its AVX2 kernels.
// The history of figures is in gemm_notes.md.
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "nerve.h"

namespace {

struct Shape {
  long batch, m, n, k;
  int ta, tb;
};

using sgemm_fn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*,
                          int, float, float*, int);
sgemm_fn cblas_sgemm = nullptr;

std::vector<Shape> default_shapes() {
  std::vector<Shape> s;
  for (long n : {256, 512, 1024, 2048}) s.push_back({1, n, n, n, 0, 0});
  for (auto [m, n, k] : std::vector<std::array<long, 3>>{{128, 512, 784}, {128, 256, 512}, {128, 10, 256},
                                                          {512, 1024, 4096}, {32, 1024, 256}, {3136, 64, 576}})
    s.push_back({1, m, n, k, 0, 0});
  for (int t : {1, 2, 3}) s.push_back({1, 1024, 1024, 1024, t >> 1, t & 1});
  s.push_back({64, 64, 64, 64, 0, 0});
  return s;
}

Shape parse(const char* arg) {
  Shape s{1, 0, 0, 0, 0, 0};
  if (arg[0] == 'b') {
    std::sscanf(arg, "b%ld:%ld,%ld,%ld", &s.batch, &s.m, &s.n, &s.k);
  } else {
    std::sscanf(arg, "%ld,%ld,%ld,%d,%d", &s.m, &s.n, &s.k, &s.ta, &s.tb);
  }
  return s;
}

// Seconds per call, median of repeats of ~20 ms batches after a warm-up.
template <typename F>
double time_it(F&& f) {
  using clk = std::chrono::steady_clock;
  f();
  auto t0 = clk::now();
  int calls = 0;
  while (std::chrono::duration<double>(clk::now() - t0).count() < 0.02 || calls < 2) f(), ++calls;
  std::vector<double> reps;
  for (int r = 0; r < 15; ++r) {
    auto t = clk::now();
    for (int c = 0; c < calls; ++c) f();
    reps.push_back(std::chrono::duration<double>(clk::now() - t).count() / calls);
  }
  std::sort(reps.begin(), reps.end());
  return reps[reps.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int isa = argc > 1 ? std::atoi(argv[1]) : NV_ISA_AVX512;
  std::vector<Shape> shapes;
  for (int i = 2; i < argc; ++i) shapes.push_back(parse(argv[i]));
  if (shapes.empty()) shapes = default_shapes();
  if (const char* lib = std::getenv("OPENBLAS")) {
    void* h = dlopen(lib, RTLD_NOW);
    if (!h) return std::printf("%s\n", dlerror()), 1;
    cblas_sgemm = reinterpret_cast<sgemm_fn>(dlsym(h, "cblas_sgemm"));
    reinterpret_cast<void (*)(int)>(dlsym(h, "openblas_set_num_threads"))(getenv("NV_THREADS") ? atoi(getenv("NV_THREADS")) : 2);
    std::printf("OpenBLAS core: %s\n", reinterpret_cast<char* (*)()>(dlsym(h, "openblas_get_corename"))());
  }
  nv_ctx* ctx;
  nv_ctx_create(NV_BACKEND_CPU, 0, getenv("NV_THREADS") ? atoi(getenv("NV_THREADS")) : 2, &ctx);
  if (nv_ctx_set_isa(ctx, isa) != NV_OK) return std::printf("ISA %d not available\n", isa), 1;
  std::printf("%-22s %9s %9s %7s\n", "shape (M,N,K)", "nerve", "openblas", "ratio");
  for (const Shape& s : shapes) {
    long lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n, ldc = s.n;
    long sa = s.m * s.k, sb = s.k * s.n, sc = s.m * s.n;
    std::vector<float> a(sa * s.batch), b(sb * s.batch), c(sc * s.batch), c2(sc * s.batch);
    for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i % 7) * 0.25f - 0.5f;
    for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>(i % 5) * 0.5f - 1.0f;
    double flops = 2.0 * s.batch * s.m * s.n * s.k;
    double t_nv = time_it([&] {
      if (s.batch == 1)
        nv_gemm_f32(ctx, s.ta, s.tb, s.m, s.n, s.k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), ldc);
      else
        nv_gemm_strided_batched_f32(ctx, s.ta, s.tb, s.m, s.n, s.k, 1.0f, a.data(), lda, sa, b.data(), ldb,
                                    sb, 0.0f, c.data(), ldc, sc, s.batch);
    });
    double t_ob = 0;
    if (cblas_sgemm) {
      t_ob = time_it([&] {
        for (long i = 0; i < s.batch; ++i)
          cblas_sgemm(101, s.ta ? 112 : 111, s.tb ? 112 : 111, s.m, s.n, s.k, 1.0f, a.data() + i * sa, lda,
                      b.data() + i * sb, ldb, 0.0f, c2.data() + i * sc, ldc);
      });
      // Small integers times quarters: both sums are exact, so a wrong kernel shows here.
      for (size_t i = 0; i < c.size(); ++i)
        if (c[i] != c2[i]) return std::printf("mismatch at %zu: %g vs %g\n", i, c[i], c2[i]), 1;
    }
    char name[64];
    std::snprintf(name, sizeof name, "%s%ld,%ld,%ld%s", s.batch > 1 ? (std::to_string(s.batch) + "x").c_str() : "",
                  s.m, s.n, s.k, s.ta || s.tb ? (s.ta ? (s.tb ? " TT" : " TN") : " NT") : "");
    std::printf("%-22s %9.1f %9.1f %7.2f\n", name, flops / t_nv * 1e-9, t_ob ? flops / t_ob * 1e-9 : 0.0,
                t_ob ? t_ob / t_nv : 0.0);
    std::fflush(stdout);
  }
  nv_ctx_destroy(ctx);
  return 0;
}
