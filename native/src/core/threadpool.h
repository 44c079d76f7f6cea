// A persistent thread pool. Workers spin briefly after a job (a training step launches
// kernels back to back, and a condition-variable wake-up costs tens of microseconds), then
// sleep on a condition variable, so an idle Nerve never burns a core.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nv {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return threads_; }

  // Runs fn(task) for task in [0, tasks) across the pool (the caller works too); tasks are
  // claimed dynamically. A call from inside a running job runs serially on the caller.
  // One job at a time: concurrent callers are serialised.
  void run(int64_t tasks, const std::function<void(int64_t)>& fn);

 private:
  void worker_loop();
  void drain();

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex run_mu_;  // one job at a time
  std::mutex mu_;
  std::condition_variable start_cv_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> active_{0};
  std::atomic<int64_t> next_{0};
  std::atomic<int> sleepers_{0};
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t tasks_ = 0;
  bool stop_ = false;
};

}  // namespace nv
