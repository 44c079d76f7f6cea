// The caching host allocator: blocks are rounded up to a power-of-two size class (at least
// 64 bytes), 64-byte aligned; a freed block goes to its class's free list and is reused.
// Live, peak and cached bytes are counted in class sizes (what the process really holds).
#pragma once
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace nv {

class Allocator {
 public:
  Allocator() = default;
  ~Allocator();
  void* allocate(int64_t bytes);          // nullptr when the system is out of memory
  bool release(void* ptr);                // false when ptr was not allocated here
  void release_cached();
  int64_t live_bytes() const;
  int64_t peak_bytes() const;
  int64_t cached_bytes() const;
  int64_t live_count() const;

 private:
  static int size_class(int64_t bytes);
  mutable std::mutex mu_;
  std::unordered_map<void*, int> live_;   // pointer -> size class
  std::vector<std::vector<void*>> free_ = std::vector<std::vector<void*>>(64);
  int64_t live_bytes_ = 0, peak_bytes_ = 0, cached_bytes_ = 0;
};

}  // namespace nv
