#include "threadpool.h"

#include <chrono>

#if defined(__x86_64__)
#include <immintrin.h>
#define NV_PAUSE() _mm_pause()
#else
#define NV_PAUSE() ((void)0)
#endif

namespace nv {

namespace {
// Set while a thread runs a job, so a kernel called from inside a job runs serially instead
// of waiting on the pool it is part of.
thread_local bool inside_job = false;
constexpr int kSpinIterations = 20000;  // about 50-100 microseconds of pause instructions
}  // namespace

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    generation_.fetch_add(1);
  }
  start_cv_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::drain() {
  for (int64_t t = next_.fetch_add(1); t < tasks_; t = next_.fetch_add(1)) (*job_)(t);
}

void ThreadPool::run(int64_t tasks, const std::function<void(int64_t)>& fn) {
  if (tasks <= 0) return;
  if (threads_ == 1 || tasks == 1 || inside_job) {
    for (int64_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  std::lock_guard<std::mutex> run_lock(run_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    active_.store(threads_ - 1);
    generation_.fetch_add(1, std::memory_order_release);
  }
  if (sleepers_.load() > 0) start_cv_.notify_all();
  inside_job = true;
  drain();
  inside_job = false;
  // Workers finish quickly once tasks run out; spin, then yield.
  for (int spin = 0; active_.load(std::memory_order_acquire) != 0; ++spin) {
    if (spin < kSpinIterations) NV_PAUSE(); else std::this_thread::yield();
  }
}

void ThreadPool::worker_loop() {
  uint64_t seen = 0;
  for (;;) {
    // Spin a while for the next job, then sleep.
    int spin = 0;
    while (generation_.load(std::memory_order_acquire) == seen && spin < kSpinIterations) {
      NV_PAUSE();
      ++spin;
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (generation_.load() == seen) {
        sleepers_.fetch_add(1);
        start_cv_.wait(lock, [&] { return generation_.load() != seen; });
        sleepers_.fetch_sub(1);
      }
      if (stop_) return;
      seen = generation_.load();
    }
    inside_job = true;
    drain();
    inside_job = false;
    active_.fetch_sub(1, std::memory_order_release);
  }
}

}  // namespace nv
