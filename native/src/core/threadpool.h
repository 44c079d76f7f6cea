// A persistent thread pool for fork-join kernels.
//
// A job is a number of tasks claimed dynamically from one counter; the calling thread works too.
// The caller waits only for tasks that were actually claimed, never for a worker to wake up: on a
// busy machine a descheduled worker may wake milliseconds later, and by then the caller has done
// every task itself. Workers spin briefly after a job (a training step launches kernels back to
// back and a condition-variable wake-up costs tens of microseconds), then sleep, so an idle Nerve
// never burns a core.
#pragma once
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace nv {

class ThreadPool {
 public:
  // Starts a pool of `threads` threads: threads - 1 workers, the caller being thread 0. When the
  // system refuses a worker (pthread_create's EAGAIN under a thread or address-space limit),
  // stops and joins the workers already running and returns nullptr with "could not start
  // thread 37 of 1024: Resource temporarily unavailable" in error. Nothing on that path throws
  // or touches a thread_local: libnerve is dlopen'ed with its own libstdc++, so an exception
  // (whose globals are a thread_local) or a thread_local's first touch makes glibc allocate
  // thread-local storage, and glibc aborts the process when that fails -- which is just when
  // memory ran out. fail_at > 0 makes worker fail_at fail as if pthread_create said EAGAIN
  // (tests).
  static ThreadPool* start(int threads, char* error, size_t error_len, int fail_at = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return threads_; }

  // Runs fn(task) for task in [0, tasks) across the pool (the caller works too); tasks are
  // claimed dynamically. A call from inside a running job runs serially on the caller.
  // One job at a time: concurrent callers are serialised.
  void run(int64_t tasks, const std::function<void(int64_t)>& fn);

 private:
  explicit ThreadPool(int threads) : threads_(threads) {}
  static void* worker_main(void* pool);
  void worker_loop();
  // Tells every worker to return and joins them (the destructor, and a failed start).
  void stop_and_join();
  // Claims and runs tasks of job `generation` until none is left (or a newer job started).
  void drain(uint32_t generation, const std::function<void(int64_t)>* job, int64_t tasks);

  int threads_;
  std::unique_ptr<pthread_t[]> workers_;  // started_ of them run
  int started_ = 0;
  std::mutex run_mu_;  // one job at a time
  std::mutex mu_;      // guards job_, tasks_ and the sleep/wake hand-off
  std::condition_variable start_cv_;
  // (generation << 32) | next task index: a claim is a compare-and-swap that fails once a newer
  // job has started, so a late worker can never run a task of the wrong job.
  std::atomic<uint64_t> claim_{0};
  std::atomic<int64_t> done_{0};  // tasks of the current job finished
  std::atomic<int> sleepers_{0};
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t tasks_ = 0;
  uint32_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace nv
