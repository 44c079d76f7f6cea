// The GPU side of the native test harness: a context for cuda-sim (always, where this build has
// it) and for CUDA (where a device exists; otherwise the test says it skipped), and device
// buffers filled from and read back into host vectors. Tests compare against ref/ as the CPU
// tests do.
#pragma once
#include <string>
#include <vector>

#include "harness.h"

namespace harness {

struct GpuConfig {
  nv_ctx* ctx;
  std::string name;
};

// cuda-sim with 2 block threads, then CUDA device 0; each only where available.
inline std::vector<GpuConfig>& gpu_configs() {
  static std::vector<GpuConfig> all = [] {
    std::vector<GpuConfig> v;
    const struct {
      int32_t backend;
      const char* name;
    } kinds[] = {{NV_BACKEND_CUDA_SIM, "cuda-sim"}, {NV_BACKEND_CUDA, "cuda"}};
    for (const auto& k : kinds) {
      if (!nv_backend_available(k.backend)) {
        std::printf("%s: skipped, %s\n", k.name,
                    k.backend == NV_BACKEND_CUDA ? "no device" : "not part of this build");
        continue;
      }
      nv_ctx* ctx = nullptr;
      nv_status st = nv_ctx_create(k.backend, 0, 2, &ctx);
      if (st != NV_OK) {
        std::printf("FAIL %s: nv_ctx_create: %s\n", k.name, nv_last_error());
        ++failures();
        continue;
      }
      v.push_back({ctx, k.name});
    }
    return v;
  }();
  return all;
}

inline int gpu_report() {
  for (auto& c : gpu_configs()) nv_ctx_destroy(c.ctx);
  gpu_configs().clear();
  return report();
}

// A device buffer of n elements of T (4-byte types, or raw bytes rounded up to 4).
template <typename T>
struct DevBuf {
  nv_ctx* ctx = nullptr;
  T* p = nullptr;
  int64_t n = 0;
  DevBuf(nv_ctx* c, int64_t count) : ctx(c), n(count) {
    void* out = nullptr;
    CHECK_IO(nv_alloc(ctx, words() * 4, &out));
    p = static_cast<T*>(out);
  }
  DevBuf(nv_ctx* c, const std::vector<T>& host) : DevBuf(c, int64_t(host.size())) { write(host); }
  ~DevBuf() { CHECK_IO(nv_free(ctx, p)); }
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  int64_t words() const { return (n * int64_t(sizeof(T)) + 3) / 4; }
  void write(const std::vector<T>& host) {
    std::vector<int32_t> w(words(), 0);
    if (!host.empty()) std::memcpy(w.data(), host.data(), host.size() * sizeof(T));
    CHECK_IO(nv_write_i32(ctx, reinterpret_cast<int32_t*>(p), w.data(), words()));
  }
  std::vector<T> read() const {
    std::vector<int32_t> w(words(), 0);
    CHECK_IO(nv_read_i32(ctx, reinterpret_cast<const int32_t*>(p), w.data(), words()));
    std::vector<T> host(n);
    if (!host.empty()) std::memcpy(host.data(), w.data(), host.size() * sizeof(T));
    return host;
  }
};

}  // namespace harness
