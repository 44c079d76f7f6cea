// FP32 peak of this machine, measured: a loop of register-only FMAs, no loads or stores.
// Not a test; build and run by hand:
//
//   g++ -O2 -std=c++17 -pthread native/dev/fma_peak.cpp -o /tmp/fma_peak && /tmp/fma_peak
//
// How: each thread runs `vfmadd231ps` on N independent zmm accumulators (N = 8, 12, 16, 24),
// written in inline asm so the compiler can neither fold nor spill them. An FMA on this core
// has a latency of about 4 cycles and 2 issue each cycle, so at least 8 chains are needed to
// keep both units busy; the best N is reported. FLOPs = FMAs x 16 lanes x 2. One thread per
// core (1 and 2 threads), best of 5 runs of ~0.3 s each. Also the core clock, from a chain of
// dependent integer adds (1 cycle each), so FLOP/cycle can be read off: peak = cores x clock x
// FMA units x 16 lanes x 2.
//
// History (2-core AMD EPYC, family 26 = Zen 5, KVM guest):
//   see native/dev/gemm_notes.md
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

using clk = std::chrono::steady_clock;

// 'n' accumulators, 'iters' iterations of n FMAs each. Returns seconds.
template <int N>
__attribute__((target("avx512f"))) double fma_loop(long iters) {
  auto t0 = clk::now();
  // zmm0..zmm(N-1) accumulators; zmm30, zmm31 multiplier and addend (values do not matter to
  // the timing: FMAs have no data-dependent latency, and zero inputs avoid denormals).
  asm volatile("vxorps %%zmm30, %%zmm30, %%zmm30\n\tvxorps %%zmm31, %%zmm31, %%zmm31" ::: "xmm30", "xmm31");
#define FMA(i) "vfmadd231ps %%zmm30, %%zmm31, %%zmm" #i "\n\t"
  for (long it = 0; it < iters; ++it) {
    if constexpr (N == 8) {
      asm volatile(FMA(0) FMA(1) FMA(2) FMA(3) FMA(4) FMA(5) FMA(6) FMA(7)
                   ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7");
    } else if constexpr (N == 12) {
      asm volatile(FMA(0) FMA(1) FMA(2) FMA(3) FMA(4) FMA(5) FMA(6) FMA(7) FMA(8) FMA(9) FMA(10) FMA(11)
                   ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11");
    } else if constexpr (N == 16) {
      asm volatile(FMA(0) FMA(1) FMA(2) FMA(3) FMA(4) FMA(5) FMA(6) FMA(7) FMA(8) FMA(9) FMA(10) FMA(11)
                   FMA(12) FMA(13) FMA(14) FMA(15)
                   ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    } else {
      static_assert(N == 24);
      asm volatile(FMA(0) FMA(1) FMA(2) FMA(3) FMA(4) FMA(5) FMA(6) FMA(7) FMA(8) FMA(9) FMA(10) FMA(11)
                   FMA(12) FMA(13) FMA(14) FMA(15) FMA(16) FMA(17) FMA(18) FMA(19) FMA(20) FMA(21)
                   FMA(22) FMA(23)
                   ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17",
                       "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23");
    }
  }
#undef FMA
  return std::chrono::duration<double>(clk::now() - t0).count();
}

// A chain of dependent adds, 1 cycle each: iters * 16 cycles.
double add_chain(long iters) {
  auto t0 = clk::now();
  long x = 0;
  for (long it = 0; it < iters; ++it)
    asm volatile(
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
        : "+r"(x));
  return std::chrono::duration<double>(clk::now() - t0).count();
}

// GFLOP/s of `threads` threads each running fma_loop<N>, best of 5.
template <int N>
double peak(int threads) {
  const long iters = 200'000'000 / N;
  fma_loop<N>(iters / 10);  // warm up: wake the 512-bit units and the clock
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<double> secs(threads);
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) ts.emplace_back([&, t] { secs[t] = fma_loop<N>(iters); });
    for (auto& t : ts) t.join();
    double total = 0;
    for (double s : secs) total += static_cast<double>(iters) * N * 16 * 2 / s;
    if (total > best) best = total;
  }
  return best * 1e-9;
}

}  // namespace

int main() {
  double ghz = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const long iters = 50'000'000;
    double s = add_chain(iters);
    if (iters * 16 / s * 1e-9 > ghz) ghz = iters * 16 / s * 1e-9;
  }
  std::printf("core clock (dependent add chain, 1 thread): %.2f GHz\n", ghz);
  for (int threads : {1, 2}) {
    double g8 = peak<8>(threads), g12 = peak<12>(threads), g16 = peak<16>(threads), g24 = peak<24>(threads);
    double best = std::max(std::max(g8, g12), std::max(g16, g24));
    std::printf("%d thread%s: %6.1f (8 acc) %6.1f (12) %6.1f (16) %6.1f (24) GFLOP/s -> peak %.1f GFLOP/s"
                " = %.1f FLOP/cycle/core at %.2f GHz\n",
                threads, threads > 1 ? "s" : " ", g8, g12, g16, g24, best, best / threads / ghz, ghz);
  }
  return 0;
}
