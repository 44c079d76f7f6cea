#include "threadpool.h"

#include <cerrno>
#include <chrono>
#include <system_error>

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
// How long an idle worker spins before it sleeps: long enough to bridge the gap between two
// kernels of a training step, short enough not to steal much from other processes. 50 us was
// too short on this VM: workers fell asleep inside a GEMM's phases and paid the wake-up, and
// 2 threads ran a 256^3 GEMM at 250 GFLOP/s against 369 with 200-1000 us (native/dev/gemm_bench).
constexpr auto kWorkerSpin = std::chrono::microseconds(250);
}  // namespace

std::unique_ptr<ThreadPool> ThreadPool::start(int threads, std::string* error, int fail_at) {
  int index = 0;
  std::string reason;
  try {
    return std::unique_ptr<ThreadPool>(new ThreadPool(threads, fail_at, &index));
  } catch (const std::system_error& e) {
    reason = e.code().message();
  } catch (const std::exception& e) {
    reason = e.what();
  }
  if (error != nullptr) {
    const std::string of = std::to_string(threads < 1 ? 1 : threads);
    *error = index > 0 ? "could not start thread " + std::to_string(index) + " of " + of + ": " + reason
                       : "could not make a pool of " + of + " threads: " + reason;
  }
  return nullptr;
}

ThreadPool::ThreadPool(int threads, int fail_at, int* failed_index)
    : threads_(threads < 1 ? 1 : threads) {
  int index = 1;
  try {
    workers_.reserve(threads_ - 1);
    for (; index < threads_; ++index) {
      if (index == fail_at) throw std::system_error(EAGAIN, std::generic_category());
      workers_.emplace_back([this] { worker_loop(); });
    }
  } catch (...) {
    stop_and_join();
    *failed_index = index;
    throw;
  }
}

ThreadPool::~ThreadPool() { stop_and_join(); }

void ThreadPool::stop_and_join() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    ++generation_;
    claim_.store(uint64_t(generation_) << 32);
  }
  start_cv_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  workers_.clear();
}

void ThreadPool::drain(uint32_t generation, const std::function<void(int64_t)>* job, int64_t tasks) {
  uint64_t current = claim_.load(std::memory_order_acquire);
  for (;;) {
    if (uint32_t(current >> 32) != generation) return;  // a newer job: nothing left of ours
    int64_t index = int64_t(current & 0xffffffffu);
    if (index >= tasks) return;
    if (claim_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel)) {
      (*job)(index);
      done_.fetch_add(1, std::memory_order_acq_rel);
      current = claim_.load(std::memory_order_acquire);
    }
  }
}

void ThreadPool::run(int64_t tasks, const std::function<void(int64_t)>& fn) {
  if (tasks <= 0) return;
  if (threads_ == 1 || tasks == 1 || inside_job || tasks > 0xffffffffLL) {
    for (int64_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  std::lock_guard<std::mutex> run_lock(run_mu_);
  uint32_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = ++generation_;
    job_ = &fn;
    tasks_ = tasks;
    done_.store(0, std::memory_order_relaxed);
    claim_.store(uint64_t(generation) << 32, std::memory_order_release);
  }
  if (sleepers_.load() > 0) start_cv_.notify_all();
  inside_job = true;
  drain(generation, &fn, tasks);
  inside_job = false;
  // Every task is claimed now; wait only for those a worker is still running.
  for (int spin = 0; done_.load(std::memory_order_acquire) < tasks; ++spin) {
    if (spin < 4096) NV_PAUSE();
    else std::this_thread::yield();
  }
}

void ThreadPool::worker_loop() {
  uint32_t seen = 0;
  for (;;) {
    const std::function<void(int64_t)>* job;
    int64_t tasks;
    uint32_t generation;
    // Spin a while for the next job, then sleep.
    auto spin_until = std::chrono::steady_clock::now() + kWorkerSpin;
    while (uint32_t(claim_.load(std::memory_order_acquire) >> 32) == seen &&
           std::chrono::steady_clock::now() < spin_until) {
      for (int i = 0; i < 64; ++i) NV_PAUSE();
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (generation_ == seen && !stop_) {
        sleepers_.fetch_add(1);
        start_cv_.wait(lock, [&] { return generation_ != seen || stop_; });
        sleepers_.fetch_sub(1);
      }
      if (stop_) return;
      seen = generation_;
      generation = generation_;
      job = job_;
      tasks = tasks_;
    }
    inside_job = true;
    drain(generation, job, tasks);
    inside_job = false;
  }
}

}  // namespace nv
