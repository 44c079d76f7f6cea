#include "allocator.h"

#include <cstdlib>

namespace nv {

namespace {
constexpr int kMinClass = 6;      // 64 bytes
constexpr int64_t kAlignment = 64;
}

Allocator::~Allocator() {
  release_cached();
  // Blocks still live at destruction belong to tensors the user never closed; free them too,
  // the context is going away.
  for (auto& entry : live_) std::free(entry.first);
}

int Allocator::size_class(int64_t bytes) {
  int c = kMinClass;
  while ((int64_t(1) << c) < bytes) ++c;
  return c;
}

void* Allocator::allocate(int64_t bytes) {
  if (bytes < 0 || bytes > (int64_t(1) << 46)) return nullptr;
  int c = size_class(bytes < 1 ? 1 : bytes);
  int64_t size = int64_t(1) << c;
  std::lock_guard<std::mutex> lock(mu_);
  void* p = nullptr;
  if (!free_[c].empty()) {
    p = free_[c].back();
    free_[c].pop_back();
    cached_bytes_ -= size;
  } else {
    p = std::aligned_alloc(kAlignment, size);
    if (p == nullptr) {
      // Give the cache back to the system and try once more.
      for (auto& list : free_) {
        for (void* q : list) std::free(q);
        list.clear();
      }
      cached_bytes_ = 0;
      p = std::aligned_alloc(kAlignment, size);
      if (p == nullptr) return nullptr;
    }
  }
  live_.emplace(p, c);
  live_bytes_ += size;
  if (live_bytes_ > peak_bytes_) peak_bytes_ = live_bytes_;
  return p;
}

bool Allocator::release(void* ptr) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(ptr);
  if (it == live_.end()) return false;
  int c = it->second;
  live_.erase(it);
  int64_t size = int64_t(1) << c;
  live_bytes_ -= size;
  free_[c].push_back(ptr);
  cached_bytes_ += size;
  return true;
}

void Allocator::release_cached() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& list : free_) {
    for (void* q : list) std::free(q);
    list.clear();
  }
  cached_bytes_ = 0;
}

int64_t Allocator::live_bytes() const { std::lock_guard<std::mutex> l(mu_); return live_bytes_; }
int64_t Allocator::peak_bytes() const { std::lock_guard<std::mutex> l(mu_); return peak_bytes_; }
int64_t Allocator::cached_bytes() const { std::lock_guard<std::mutex> l(mu_); return cached_bytes_; }
int64_t Allocator::live_count() const { std::lock_guard<std::mutex> l(mu_); return int64_t(live_.size()); }

}  // namespace nv
