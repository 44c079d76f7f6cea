// The native tests' harness. No framework: a test is a main() that runs one body per op family
// over every backend config (for_each_config) and returns report(). It gives
//  - configs(): every backend this build and machine can run -- the CPU at each ISA it has
//    (portable, avx2+fma, avx512) with 1 and 2 threads, cuda-sim with 2 block threads, and CUDA
//    device 0 where there is one (else a "skipped" line). NERVE_TEST_BACKENDS=cpu,cuda-sim,cuda
//    (any of them) narrows the list; NERVE_TEST_SIM_FULL=1 runs on cuda-sim what CUDA runs
//    (see Config::slow);
//  - Buf<T>: a buffer in a context's memory (nv_alloc; host memory on the CPU), filled from and
//    read back into host vectors with nv_write_* / nv_read_*, so one test body serves all;
//  - stream(): a seeded RNG per (seed, backend kind), so that a backend's data does not depend
//    on which other backends ran before it;
//  - compare() against the double references, CHECK / CHECK_OK / CHECK_ERR / verdict() for the
//    rest, and a count of them per backend kind (with the time taken), which report() prints.
//
// A body runs every case on every backend unless the case says why not in a comment: shapes
// sized for the CPU are too slow for cuda-sim (every CUDA thread is a fiber, under ASan in CI),
// and a few checks concern one kind of backend only. A family whose CPU and GPU tests used to
// differ (shapes, seeds, tolerances) keeps both sets as two suites, each with its own seed.
#pragma once
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "nerve.h"

namespace harness {

enum Kind { kCpu = 0, kCudaSim = 1, kCuda = 2 };
constexpr int kKinds = 3;
inline const char* kind_name(int kind) {
  return kind == kCpu ? "cpu" : kind == kCudaSim ? "cuda-sim" : kind == kCuda ? "cuda" : "host";
}

inline int& failures() {
  static int n = 0;
  return n;
}

// How many failure-capable checks ran, by kind of check, for each backend kind; the last slot
// holds the checks that ran outside any config (host-only ones). report() prints them, so that
// a change to the tests can show it dropped none.
struct Counts {
  long compare = 0, check = 0, check_ok = 0, check_err = 0, verdict = 0;
  long io = 0;  // test-buffer allocations and copies (CHECK_IO), kept out of total()
  double seconds = 0, cpu_seconds = 0;  // wall and process CPU time of the configs of this kind
  long total() const { return compare + check + check_ok + check_err + verdict; }
};
inline int& current_slot() {
  static int slot = kKinds;
  return slot;
}
inline Counts& counts() {
  static Counts c[kKinds + 1];
  return c[current_slot()];
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

inline std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
inline std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

// A check whose outcome is one line, "ok   <what>" or "FAIL <what>".
inline bool verdict(bool ok, const char* f, ...) __attribute__((format(printf, 2, 3)));
inline bool verdict(bool ok, const char* f, ...) {
  ++counts().verdict;
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", buf);
  if (!ok) ++failures();
  return ok;
}

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

// One backend configuration a test body runs on.
struct Config {
  nv_ctx* ctx;
  std::string name;  // "avx2+fma/2t", "cuda-sim", "cuda"
  Kind kind;
  int isa;     // NV_ISA_* on the CPU, -1 on a GPU
  bool first;  // the first config of its backend kind: checks of the entry points' arguments run
               // once per backend, not once per ISA and thread count
  bool cpu() const { return kind == kCpu; }
  bool gpu() const { return kind != kCpu; }
  // cuda-sim, where the cases sized for the CPU are skipped: too slow there (every CUDA thread is
  // a fiber, under ASan in CI). NERVE_TEST_SIM_FULL=1 runs them anyway, as CUDA does.
  bool slow() const {
    static const bool full = std::getenv("NERVE_TEST_SIM_FULL") != nullptr &&
                             std::string(std::getenv("NERVE_TEST_SIM_FULL")) == "1";
    return kind == kCudaSim && !full;
  }
};

// Whether NERVE_TEST_BACKENDS (a comma-separated list of cpu, cuda-sim, cuda; unset: all)
// selects a backend kind.
inline bool selected(Kind kind) {
  const char* list = std::getenv("NERVE_TEST_BACKENDS");
  if (list == nullptr || *list == 0) return true;
  const std::string all = std::string(",") + list + ",";
  return all.find(std::string(",") + kind_name(kind) + ",") != std::string::npos;
}

// The CPU at each ISA it has with 1 and 2 threads, then cuda-sim with 2 block threads, then
// CUDA device 0; each only where available (and selected).
inline std::vector<Config>& configs() {
  static std::vector<Config> all = [] {
    std::vector<Config> v;
    for (int threads : {1, 2}) {
      for (int isa = NV_ISA_PORTABLE; isa <= nv_cpu_isa() && selected(kCpu); ++isa) {
        nv_ctx* ctx = nullptr;
        if (nv_ctx_create(NV_BACKEND_CPU, 0, threads, &ctx) != NV_OK) continue;
        if (nv_ctx_set_isa(ctx, isa) != NV_OK) {
          nv_ctx_destroy(ctx);
          continue;
        }
        v.push_back({ctx, std::string(nv_isa_name(isa)) + "/" + std::to_string(threads) + "t",
                     kCpu, isa, v.empty()});
      }
    }
    const struct {
      Kind kind;
      int32_t backend;
    } gpus[] = {{kCudaSim, NV_BACKEND_CUDA_SIM}, {kCuda, NV_BACKEND_CUDA}};
    for (const auto& k : gpus) {
      const char* name = kind_name(k.kind);
      if (!selected(k.kind)) {
        std::printf("%s: skipped, not in NERVE_TEST_BACKENDS\n", name);
        continue;
      }
      if (!nv_backend_available(k.backend)) {
        std::printf("%s: skipped, %s\n", name,
                    k.kind == kCuda ? "no device" : "not part of this build");
        continue;
      }
      nv_ctx* ctx = nullptr;
      if (nv_ctx_create(k.backend, 0, 2, &ctx) != NV_OK) {
        std::printf("FAIL %s: nv_ctx_create: %s\n", name, nv_last_error());
        ++failures();
        continue;
      }
      v.push_back({ctx, name, k.kind, -1, true});
    }
    return v;
  }();
  return all;
}

// Runs body(cfg) for every config, counting its checks under the config's backend kind.
template <typename Body>
void for_each_config(Body&& body) {
  for (const Config& cfg : configs()) {
    current_slot() = cfg.kind;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    body(cfg);
    counts().seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    counts().cpu_seconds += double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    current_slot() = kKinds;
  }
}

// The CPU at its portable ISA and one thread: the yardstick for results every backend must
// reproduce bit for bit (counter-based random numbers, dropout masks).
inline nv_ctx*& cpu_reference_slot() {
  static nv_ctx* ctx = nullptr;
  return ctx;
}
inline nv_ctx* cpu_reference() {
  nv_ctx*& ctx = cpu_reference_slot();
  if (ctx == nullptr) {
    CHECK_OK(nv_ctx_create(NV_BACKEND_CPU, 0, 1, &ctx));
    CHECK_OK(nv_ctx_set_isa(ctx, NV_ISA_PORTABLE));
  }
  return ctx;
}

// A random stream per (seed, backend kind).
inline Rng& stream(uint64_t seed, const Config& cfg) {
  static std::map<std::pair<uint64_t, int>, Rng> streams;
  return streams.emplace(std::make_pair(seed, int(cfg.kind)), Rng(seed)).first->second;
}

inline int report() {
  for (auto& c : configs()) nv_ctx_destroy(c.ctx);
  configs().clear();
  if (cpu_reference_slot() != nullptr) nv_ctx_destroy(cpu_reference_slot());
  cpu_reference_slot() = nullptr;
  for (int slot = 0; slot <= kKinds; ++slot) {
    current_slot() = slot;
    const Counts& k = counts();
    if (k.total() == 0 && k.io == 0) continue;
    std::printf("checks %-8s %6ld (compare %ld, CHECK %ld, CHECK_OK %ld, CHECK_ERR %ld, verdict %ld;"
                " buffer io %ld) in %.2f s (CPU time %.2f s)\n", kind_name(slot), k.total(), k.compare,
                k.check, k.check_ok, k.check_err, k.verdict, k.io, k.seconds, k.cpu_seconds);
  }
  current_slot() = kKinds;
  if (failures() == 0) std::printf("all checks passed\n");
  else std::printf("%d check(s) FAILED\n", failures());
  return failures() == 0 ? 0 : 1;
}

// A buffer of n elements of T (4-byte types, or raw bytes rounded up to 4) in a context's
// memory. Without host data it starts as 0xff bytes (NaN floats, -1 ints), so that an output
// a kernel fails to write shows.
template <typename T>
struct Buf {
  nv_ctx* ctx = nullptr;
  T* p = nullptr;
  int64_t n = 0;
  Buf(nv_ctx* c, int64_t count) : ctx(c), n(count) {
    void* out = nullptr;
    CHECK_IO(nv_alloc(ctx, words() * 4, &out));
    p = static_cast<T*>(out);
    static std::vector<int32_t> poison;  // kept: under ASan every fresh host block costs page faults
    if (int64_t(poison.size()) < words()) poison.resize(words(), -1);
    CHECK_IO(nv_write_i32(ctx, reinterpret_cast<int32_t*>(p), poison.data(), words()));
  }
  Buf(nv_ctx* c, const std::vector<T>& host) : ctx(c), n(int64_t(host.size())) {
    void* out = nullptr;
    CHECK_IO(nv_alloc(ctx, words() * 4, &out));
    p = static_cast<T*>(out);
    write(host);
  }
  ~Buf() { CHECK_IO(nv_free(ctx, p)); }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  int64_t words() const { return (n * int64_t(sizeof(T)) + 3) / 4; }
  // Whole words go straight between the host vector and the buffer; a ragged tail through a
  // copy.
  bool whole_words() const { return n * int64_t(sizeof(T)) % 4 == 0; }
  void write(const std::vector<T>& host) {
    if (whole_words() && int64_t(host.size()) == n) {
      CHECK_IO(nv_write_i32(ctx, reinterpret_cast<int32_t*>(p),
                            reinterpret_cast<const int32_t*>(host.data()), words()));
      return;
    }
    std::vector<int32_t> w(words(), 0);
    if (!host.empty()) std::memcpy(w.data(), host.data(), host.size() * sizeof(T));
    CHECK_IO(nv_write_i32(ctx, reinterpret_cast<int32_t*>(p), w.data(), words()));
  }
  std::vector<T> read() const {
    std::vector<T> host(n);
    if (whole_words()) {
      CHECK_IO(nv_read_i32(ctx, reinterpret_cast<const int32_t*>(p),
                           reinterpret_cast<int32_t*>(host.data()), words()));
      return host;
    }
    std::vector<int32_t> w(words(), 0);
    CHECK_IO(nv_read_i32(ctx, reinterpret_cast<const int32_t*>(p), w.data(), words()));
    if (!host.empty()) std::memcpy(host.data(), w.data(), host.size() * sizeof(T));
    return host;
  }
};

}  // namespace harness
