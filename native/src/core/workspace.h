// The context's workspace: scratch memory for kernels that need it (im2col buffers of the
// convolution, per-thread partial sums), so no kernel allocates per call. One grow-only block
// per context: a kernel leases it for the duration of the call, asking for the bytes it needs;
// the block is reallocated only when a call needs more than any call before, and freed with
// the context. A lease holds the workspace's mutex, so two threads that share a context take
// turns (kernels of one context are serialised on its thread pool anyway).
#pragma once
#include <cstdint>
#include <cstdlib>
#include <mutex>

namespace nv {

class Workspace {
 public:
  Workspace() = default;
  ~Workspace() { std::free(data_); }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  class Lease {
   public:
    explicit Lease(Workspace& ws) : lock_(ws.mu_), ws_(ws) {}
    // At least `bytes` bytes, 64-byte aligned; nullptr when the system is out of memory.
    // Valid until the lease ends or the next get() on it.
    void* get(int64_t bytes) { return ws_.reserve(bytes); }
    template <typename T>
    T* get(int64_t count) { return static_cast<T*>(get(count * int64_t(sizeof(T)))); }

   private:
    std::lock_guard<std::mutex> lock_;
    Workspace& ws_;
  };

  int64_t capacity() const { return capacity_; }

 private:
  void* reserve(int64_t bytes) {
    if (bytes <= capacity_) return data_;
    std::free(data_);
    capacity_ = 0;
    int64_t want = ((bytes < 4096 ? 4096 : bytes) + 63) / 64 * 64;
    data_ = std::aligned_alloc(64, size_t(want));
    if (data_ != nullptr) capacity_ = want;
    return data_;
  }

  std::mutex mu_;
  void* data_ = nullptr;
  int64_t capacity_ = 0;
};

}  // namespace nv
