#include "threadpool.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#define NV_PAUSE() _mm_pause()
#else
#define NV_PAUSE() ((void)0)
#endif

namespace nv {

namespace {
// Whether this thread is running a job, so a kernel called from inside a job runs serially
// instead of waiting on the pool it is part of. A pthread key rather than a thread_local: a
// thread's first touch of a thread_local of a dlopen'ed library makes glibc allocate, and
// abort the process if it cannot (see ThreadPool::start). A key's value lives in the thread's
// descriptor.
pthread_key_t job_key() {
  static pthread_key_t key;
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, [] { pthread_key_create(&key, nullptr); });
  return key;
}
bool inside_job() { return pthread_getspecific(job_key()) != nullptr; }
void set_inside_job(bool inside) {
  static char mark;
  pthread_setspecific(job_key(), inside ? &mark : nullptr);
}

// How long an idle worker spins before it sleeps: long enough to bridge the gap between two
// kernels of a training step, short enough not to steal much from other processes. 50 us was
// too short on this VM: workers fell asleep inside a GEMM's phases and paid the wake-up, and
// 2 threads ran a 256^3 GEMM at 250 GFLOP/s against 369 with 200-1000 us (native/dev/gemm_bench).
constexpr auto kWorkerSpin = std::chrono::microseconds(250);
}  // namespace

ThreadPool* ThreadPool::start(int threads, char* error, size_t error_len, int fail_at) {
  if (threads < 1) threads = 1;
  ThreadPool* pool = new (std::nothrow) ThreadPool(threads);
  if (pool != nullptr && threads > 1) pool->workers_.reset(new (std::nothrow) pthread_t[threads - 1]);
  if (pool == nullptr || (threads > 1 && !pool->workers_)) {
    std::snprintf(error, error_len, "could not make a pool of %d threads: out of memory", threads);
    delete pool;
    return nullptr;
  }
  for (int index = 1; index < threads; ++index) {
    const int rc = index == fail_at ? EAGAIN
                                    : pthread_create(&pool->workers_[pool->started_], nullptr,
                                                     &ThreadPool::worker_main, pool);
    if (rc != 0) {
      char reason[128];
      std::snprintf(error, error_len, "could not start thread %d of %d: %s", index, threads,
                    strerror_r(rc, reason, sizeof reason));
      delete pool;  // stops and joins the workers already running
      return nullptr;
    }
    ++pool->started_;
  }
  return pool;
}

void* ThreadPool::worker_main(void* pool) {
  static_cast<ThreadPool*>(pool)->worker_loop();
  return nullptr;
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
  for (int i = 0; i < started_; ++i) pthread_join(workers_[i], nullptr);
  started_ = 0;
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
  if (threads_ == 1 || tasks == 1 || tasks > 0xffffffffLL || inside_job()) {
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
  set_inside_job(true);
  drain(generation, &fn, tasks);
  set_inside_job(false);
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
    set_inside_job(true);
    drain(generation, job, tasks);
    set_inside_job(false);
  }
}

}  // namespace nv
