// A tiny shared harness for the native tests: contexts for every (ISA, thread count) the
// machine supports, a seeded RNG, a "compare with the reference and print the max error"
// helper and checks for the error path. No framework: a test is a main() that returns
// report().
#pragma once
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "nerve.h"

namespace harness {

inline int& failures() {
  static int n = 0;
  return n;
}

// How many failure-capable checks ran, by kind; report() prints them, so that a change to the
// tests can show it dropped none.
struct Counts {
  long compare = 0, check = 0, check_ok = 0, check_err = 0;
  long io = 0;  // buffer allocation and transfers (CHECK_IO), kept out of total()
  long total() const { return compare + check + check_ok + check_err; }
};
inline Counts& counts() {
  static Counts c;
  return c;
}

#define CHECK(cond, ...)                                        \
  do {                                                          \
    ++::harness::counts().check;                                \
    if (!(cond)) {                                              \
      std::printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      std::printf(__VA_ARGS__);                                 \
      std::printf("\n");                                        \
      ++::harness::failures();                                  \
    }                                                           \
  } while (0)

#define CHECK_OK(call)                                                                      \
  do {                                                                                      \
    ++::harness::counts().check_ok;                                                         \
    nv_status st_ = (call);                                                                 \
    if (st_ != NV_OK) {                                                                     \
      std::printf("FAIL %s:%d: %s returned %d: %s\n", __FILE__, __LINE__, #call, st_,       \
                  nv_last_error());                                                         \
      ++::harness::failures();                                                              \
    }                                                                                       \
  } while (0)

// CHECK_OK for a test buffer's allocation or copy, counted apart from the checks of the kernels.
#define CHECK_IO(call)                                                                      \
  do {                                                                                      \
    --::harness::counts().check_ok;                                                         \
    ++::harness::counts().io;                                                               \
    CHECK_OK(call);                                                                         \
  } while (0)

// A call that must fail with `code` and a message naming `fn`.
#define CHECK_ERR(call, code, fn)                                                           \
  do {                                                                                      \
    ++::harness::counts().check_err;                                                        \
    nv_status st_ = (call);                                                                 \
    if (st_ != (code) || std::strstr(nv_last_error(), fn) == nullptr) {                     \
      std::printf("FAIL %s:%d: %s returned %d (want %d), message \"%s\"\n", __FILE__,       \
                  __LINE__, #call, st_, code, nv_last_error());                             \
      ++::harness::failures();                                                              \
    }                                                                                       \
  } while (0)

// splitmix64: small, seeded, good enough for test data.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float uniform(float lo, float hi) {
    return lo + (hi - lo) * static_cast<float>(next() >> 40) * (1.0f / 16777216.0f);
  }
  int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
  std::vector<float> floats(int64_t n, float lo, float hi) {
    std::vector<float> v(n);
    for (auto& x : v) x = uniform(lo, hi);
    return v;
  }
};

// Max of |got - want| / (atol + rtol |want|) over n elements; > 1 fails. NaN must match NaN
// and infinities must match exactly. Prints one line per case.
inline bool compare(const char* what, const float* got, const double* want, int64_t n,
                    double atol, double rtol) {
  ++counts().compare;
  double worst = 0.0, worst_abs = 0.0;
  int64_t at = -1;
  for (int64_t i = 0; i < n; ++i) {
    double g = got[i], w = want[i];
    if (std::fabs(w) > 3.4028234663852886e38) w = static_cast<float>(w);  // float overflow -> inf
    double e;
    if (std::isnan(w) || std::isnan(g)) e = (std::isnan(w) && std::isnan(g)) ? 0.0 : INFINITY;
    else if (std::isinf(w) || std::isinf(g)) e = g == w ? 0.0 : INFINITY;
    else e = std::fabs(g - w) / (atol + rtol * std::fabs(w));
    if (e > worst || at < 0) {
      if (e > worst) worst = e;
      at = i;
      if (!std::isnan(w) && !std::isinf(w)) worst_abs = std::fabs(g - w) > worst_abs ? std::fabs(g - w) : worst_abs;
    }
  }
  bool ok = worst <= 1.0;
  std::printf("%s %-58s max abs err %.3g (scaled %.3g)\n", ok ? "ok  " : "FAIL", what, worst_abs, worst);
  if (!ok) {
    ++failures();
    for (int64_t i = 0; i < n; ++i) {
      double g = got[i], w = want[i];
      double e = std::fabs(g - w) / (atol + rtol * std::fabs(w));
      if (!(e <= 1.0) && !(std::isnan(g) && std::isnan(w)) && !(g == w)) {
        std::printf("     first bad element %lld: got %.9g want %.9g\n", (long long)i, g, w);
        break;
      }
    }
  }
  return ok;
}

// A context for each ISA the CPU has (portable, avx2, avx512) and 1 and 2 threads.
struct Config {
  nv_ctx* ctx;
  std::string name;
};

inline std::vector<Config>& configs() {
  static std::vector<Config> all = [] {
    std::vector<Config> v;
    for (int threads : {1, 2}) {
      for (int isa = NV_ISA_PORTABLE; isa <= nv_cpu_isa(); ++isa) {
        nv_ctx* ctx = nullptr;
        if (nv_ctx_create(NV_BACKEND_CPU, 0, threads, &ctx) != NV_OK) continue;
        if (nv_ctx_set_isa(ctx, isa) != NV_OK) {
          nv_ctx_destroy(ctx);
          continue;
        }
        v.push_back({ctx, std::string(nv_isa_name(isa)) + "/" + std::to_string(threads) + "t"});
      }
    }
    return v;
  }();
  return all;
}

inline int report() {
  for (auto& c : configs()) nv_ctx_destroy(c.ctx);
  const Counts& k = counts();
  std::printf("checks: %ld (compare %ld, CHECK %ld, CHECK_OK %ld, CHECK_ERR %ld; buffer io %ld)\n",
              k.total(), k.compare, k.check, k.check_ok, k.check_err, k.io);
  if (failures() == 0) std::printf("all checks passed\n");
  else std::printf("%d check(s) FAILED\n", failures());
  return failures() == 0 ? 0 : 1;
}

inline std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
inline std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

}  // namespace harness
