// cuda-sim scheduler: CUDA threads as fibers, block and warp barriers, the block pool, launch.
//
// A block runs on one OS thread: its CUDA threads are ucontext fibers that the block's
// scheduler loop resumes in turn. A fiber runs until it waits at a barrier or exits; it never
// moves to another OS thread, so `static thread_local` (__shared__) is per block and the
// thread-local builtins can be set before each resume.
//
// Barrier accounting (what a GPU leaves unspecified, settled here as the hardware behaves):
//  - block barrier: released when every fiber that has not exited waits at one. The last to
//    arrive releases the others and runs on without a switch.
//  - warp barrier (collectives): released when every lane named in the mask that exists and
//    has not exited waits at one. The last to arrive runs the collective's combine step for
//    all of them (reading every lane's input slot, writing every lane's output slot) and runs
//    on. Because each lane reads only its own output slot afterwards, a lane may enter its next
//    collective (overwriting its input slot) before its partners have resumed: one barrier per
//    collective suffices.
//  - an exit re-checks both barriers: an exited thread is simply no longer counted.
//  - no fiber runnable while some have not exited = deadlock: reported with every waiting
//    thread's state, then abort() (a GPU would hang).
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "cuda/sim/cuda_sim.h"
#include "cuda/sim/sim_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define NV_SIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NV_SIM_ASAN 1
#endif
#endif
#ifdef NV_SIM_ASAN
#include <sanitizer/common_interface_defs.h>
#define NV_SIM_NO_ASAN __attribute__((no_sanitize_address))
#else
#define NV_SIM_NO_ASAN
#endif

namespace nv {
namespace sim {
namespace cuda_api {
thread_local uint3 threadIdx{0, 0, 0};
thread_local uint3 blockIdx{0, 0, 0};
thread_local dim3 blockDim{1, 1, 1};
thread_local dim3 gridDim{1, 1, 1};
}  // namespace cuda_api

namespace {

constexpr size_t kStackBytes = 64 * 1024;
constexpr size_t kGuardBytes = 4096;  // below each stack: an overflow faults instead of corrupting

// ASan must be told about every stack switch, or it reports the fiber stacks as overflows:
// start before, finish after,
// and finish(nullptr) as the first thing a new fiber does.
inline void asan_start_switch(void** fake_stack_save, const void* bottom, size_t size) {
#ifdef NV_SIM_ASAN
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save, (void)bottom, (void)size;
#endif
}
inline void asan_finish_switch(void* fake_stack_save, const void** bottom_old, size_t* size_old) {
#ifdef NV_SIM_ASAN
  __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
  (void)fake_stack_save, (void)bottom_old, (void)size_old;
#endif
}

enum class FiberState : uint8_t { kReady, kRunning, kBlockWait, kWarpWait, kExited };

const char* state_name(FiberState s) {
  switch (s) {
    case FiberState::kReady: return "ready";
    case FiberState::kRunning: return "running";
    case FiberState::kBlockWait: return "at __syncthreads";
    case FiberState::kWarpWait: return "at a warp collective";
    case FiberState::kExited: return "exited";
  }
  return "?";
}

struct Fiber {
  ucontext_t ctx;
  char* stack = nullptr;  // lowest usable address; kStackBytes long
  FiberState state = FiberState::kExited;
  uint3 tid{0, 0, 0};
  unsigned linear = 0;       // x + y*bx + z*bx*by; warp = linear / 32
  unsigned warp_mask = 0;    // mask of the collective this fiber waits at
  WarpCombine combine = nullptr;
  unsigned group = 0;        // lanes of the last collective it took part in
  void* asan_fake_stack = nullptr;
};

struct Job {
  const char* op;
  void (*call)(const void*);
  const void* closure;
  dim3 grid, block;
  size_t shared_bytes;
  uint64_t total_blocks;
  std::atomic<uint64_t> next{0};
};

// Everything one OS thread needs to run blocks, made on its first block and reused by every
// later launch (stacks are the expensive part).
struct Worker {
  // Never reallocated: a ucontext_t holds a pointer into itself.
  std::unique_ptr<Fiber[]> fibers{new Fiber[kMaxThreadsPerBlock]};
  std::unique_ptr<WarpLane[]> lanes{new WarpLane[kMaxThreadsPerBlock]()};
  unsigned prepared = 0;  // fibers with a stack and an initialised context
  ucontext_t sched_ctx;
  const void* sched_stack_bottom = nullptr;  // the OS thread's stack, for ASan
  size_t sched_stack_size = 0;
  Fiber* current = nullptr;

  // The block being run.
  const Job* job = nullptr;
  unsigned nthreads = 0;
  unsigned live = 0;           // fibers not exited
  unsigned block_waiting = 0;  // fibers at the block barrier
  int block_pred_count = 0;
  int block_result = 0;
  unsigned warp_live[kMaxThreadsPerBlock / 32] = {};
  unsigned char* dyn_smem = nullptr;

  ~Worker() {
    for (unsigned i = 0; i < prepared; ++i) munmap(fibers[i].stack - kGuardBytes, kStackBytes + kGuardBytes);
  }
};

thread_local std::unique_ptr<Worker> tl_worker_owner;
thread_local Worker* tl_worker = nullptr;

Worker& this_worker() {
  if (tl_worker == nullptr) {
    tl_worker_owner.reset(new Worker());
    tl_worker = tl_worker_owner.get();
  }
  return *tl_worker;
}

// The running fiber's worker; outside a kernel, a builtin is a programming error.
Worker& kernel_worker(const char* what) {
  Worker* w = tl_worker;
  if (w == nullptr || w->current == nullptr) {
    std::fprintf(stderr, "cuda-sim: %s called outside a kernel\n", what);
    std::abort();
  }
  return *w;
}

void prepare_fibers(Worker& w, unsigned n) {
  for (; w.prepared < n; ++w.prepared) {
    Fiber& f = w.fibers[w.prepared];
    void* mem = mmap(nullptr, kStackBytes + kGuardBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) {
      std::fprintf(stderr, "cuda-sim: cannot map a %zu-byte fiber stack\n", kStackBytes);
      std::abort();
    }
    mprotect(mem, kGuardBytes, PROT_NONE);
    f.stack = static_cast<char*>(mem) + kGuardBytes;
    getcontext(&f.ctx);  // once: makecontext reuses it for every block
  }
}

// ---------------------------------------------------------------- switching
void resume(Worker& w, Fiber& f) {
  threadIdx = f.tid;
  w.current = &f;
  f.state = FiberState::kRunning;
  void* fake = nullptr;
  asan_start_switch(&fake, f.stack, kStackBytes);
  swapcontext(&w.sched_ctx, &f.ctx);
  asan_finish_switch(fake, nullptr, nullptr);
  w.current = nullptr;
}

// Back to the block's scheduler until a barrier releases this fiber.
void park(Worker& w, Fiber& f) {
  asan_start_switch(&f.asan_fake_stack, w.sched_stack_bottom, w.sched_stack_size);
  swapcontext(&f.ctx, &w.sched_ctx);
  asan_finish_switch(f.asan_fake_stack, &w.sched_stack_bottom, &w.sched_stack_size);
}

// ---------------------------------------------------------------- barriers
void release_block(Worker& w) {
  w.block_result = w.block_pred_count;
  w.block_pred_count = 0;
  w.block_waiting = 0;
  for (unsigned i = 0; i < w.nthreads; ++i)
    if (w.fibers[i].state == FiberState::kBlockWait) w.fibers[i].state = FiberState::kReady;
}

// Completes the collective of `warp` that waits on `mask` if every unfinished lane it names
// has arrived: runs the combine step and makes them ready.
bool try_complete_warp(Worker& w, unsigned warp, unsigned mask) {
  const unsigned need = mask & w.warp_live[warp];
  Fiber* lane0 = &w.fibers[warp * 32];
  WarpCombine combine = nullptr;
  for (unsigned m = need; m != 0; m &= m - 1) {
    Fiber& g = lane0[__builtin_ctz(m)];
    if (g.state != FiberState::kWarpWait) return false;
    if (g.warp_mask != mask || (combine != nullptr && g.combine != combine)) {
      kernel_abort("warp %u: lanes meet at different warp collectives (masks 0x%08x and 0x%08x); "
                   "every lane named in a mask must execute the same collective with the same mask",
                   warp, mask, g.warp_mask);
    }
    combine = g.combine;
  }
  if (need == 0) return false;
  combine(&w.lanes[warp * 32], need);
  for (unsigned m = need; m != 0; m &= m - 1) {
    Fiber& g = lane0[__builtin_ctz(m)];
    g.state = FiberState::kReady;
    g.group = need;
  }
  return true;
}

// A fiber's kernel returned: it no longer counts at either barrier.
void on_exit(Worker& w, Fiber& f) {
  f.state = FiberState::kExited;
  --w.live;
  const unsigned warp = f.linear / 32;
  w.warp_live[warp] &= ~(1u << (f.linear % 32));
  Fiber* lane0 = &w.fibers[warp * 32];
  for (unsigned m = w.warp_live[warp]; m != 0; m &= m - 1) {
    Fiber& g = lane0[__builtin_ctz(m)];
    if (g.state == FiberState::kWarpWait) try_complete_warp(w, warp, g.warp_mask);
  }
  if (w.live > 0 && w.block_waiting == w.live) release_block(w);
}

void run_fiber_body(Worker& w) {
  w.job->call(w.job->closure);
  on_exit(w, *w.current);
}

// Entry of every fiber. Not instrumented: it never returns (it switches away for good), so its
// frame must not live on an ASan fake stack or leave poisoned shadow behind.
NV_SIM_NO_ASAN void fiber_main() {
  Worker& w = *tl_worker;
  asan_finish_switch(nullptr, &w.sched_stack_bottom, &w.sched_stack_size);
  run_fiber_body(w);
  Fiber& f = *w.current;
  asan_start_switch(nullptr, w.sched_stack_bottom, w.sched_stack_size);  // this fiber is done
  swapcontext(&f.ctx, &w.sched_ctx);
  std::abort();  // an exited fiber is never resumed
}

[[noreturn]] void report_deadlock(Worker& w) {
  std::fprintf(stderr,
               "cuda-sim: kernel %s deadlocked in block (%u,%u,%u): no thread can run, %u of %u "
               "have not exited\n",
               w.job->op, blockIdx.x, blockIdx.y, blockIdx.z, w.live, w.nthreads);
  // One line per run of consecutive threads in the same state (blocks have up to 1024).
  for (unsigned i = 0; i < w.nthreads;) {
    const Fiber& f = w.fibers[i];
    unsigned j = i + 1;
    while (j < w.nthreads && w.fibers[j].state == f.state && w.fibers[j].warp_mask == f.warp_mask)
      ++j;
    if (f.state != FiberState::kExited) {
      std::fprintf(stderr, "  threads %u..%u (warp %u lane %u .. warp %u lane %u): %s", i, j - 1,
                   i / 32, i % 32, (j - 1) / 32, (j - 1) % 32, state_name(f.state));
      if (f.state == FiberState::kWarpWait) std::fprintf(stderr, " (mask 0x%08x)", f.warp_mask);
      std::fprintf(stderr, "\n");
    }
    i = j;
  }
  std::abort();
}

void run_block(Worker& w, uint64_t b) {
  const Job& job = *w.job;
  blockIdx.x = static_cast<unsigned>(b % job.grid.x);
  blockIdx.y = static_cast<unsigned>((b / job.grid.x) % job.grid.y);
  blockIdx.z = static_cast<unsigned>(b / (static_cast<uint64_t>(job.grid.x) * job.grid.y));
  const unsigned bx = job.block.x, by = job.block.y;
  const unsigned n = bx * by * job.block.z;
  prepare_fibers(w, n);
  for (unsigned i = 0; i < n; ++i) {
    Fiber& f = w.fibers[i];
    f.tid = uint3{i % bx, (i / bx) % by, i / (bx * by)};
    f.linear = i;
    f.state = FiberState::kReady;
    f.asan_fake_stack = nullptr;
    f.ctx.uc_stack.ss_sp = f.stack;
    f.ctx.uc_stack.ss_size = kStackBytes;
    f.ctx.uc_link = nullptr;
    makecontext(&f.ctx, fiber_main, 0);
  }
  for (unsigned warp = 0; warp * 32 < n; ++warp) {
    const unsigned lanes = n - warp * 32 >= 32 ? 32 : n - warp * 32;
    w.warp_live[warp] = lanes == 32 ? 0xffffffffu : (1u << lanes) - 1;
  }
  w.nthreads = n;
  w.live = n;
  w.block_waiting = 0;
  w.block_pred_count = 0;
  // Shared memory is uninitialised on a GPU: poison it so a kernel that reads before it writes
  // sees NaNs / -1 rather than a previous block's values.
  if (job.shared_bytes > 0) std::memset(w.dyn_smem, 0xff, job.shared_bytes);

  while (w.live > 0) {
    bool progressed = false;
    for (unsigned i = 0; i < n; ++i) {
      if (w.fibers[i].state == FiberState::kReady) {
        resume(w, w.fibers[i]);
        progressed = true;
      }
    }
    if (!progressed) report_deadlock(w);
  }
}

void run_blocks(Job& job) {
  Worker& w = this_worker();
  w.job = &job;
  gridDim = job.grid;
  blockDim = job.block;
  // Exactly shared_bytes, from the heap: ASan reports a kernel that overruns it.
  w.dyn_smem = static_cast<unsigned char*>(::operator new(job.shared_bytes, std::align_val_t(16)));
  for (;;) {
    const uint64_t b = job.next.fetch_add(1, std::memory_order_relaxed);
    if (b >= job.total_blocks) break;
    run_block(w, b);
  }
  ::operator delete(w.dyn_smem, std::align_val_t(16));
  w.dyn_smem = nullptr;
  w.job = nullptr;
}

// ---------------------------------------------------------------- block pool
// The launching thread runs blocks too; the pool adds (threads - 1) persistent workers. One
// launch at a time: a second host thread launching waits (streams are in-order anyway, and
// the sim is for correctness, not speed).
class Pool {
 public:
  explicit Pool(int threads) {
    // A worker the system refuses (EAGAIN under a thread or address-space limit) is left out:
    // the launching thread runs blocks too, so fewer workers only mean slower launches, and no
    // exception may leave libnerve.
    try {
      workers_.reserve(threads);
      for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { loop(); });
    } catch (const std::exception&) {
    }
    for (auto& t : workers_) t.detach();  // the pool lives until the process exits
  }

  void run(Job& job) {
    std::lock_guard<std::mutex> one_launch(launch_mutex_);
    if (job.total_blocks == 1 || workers_.empty()) {
      run_blocks(job);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      ++generation_;
      busy_ = static_cast<int>(workers_.size());
    }
    work_cv_.notify_all();
    run_blocks(job);
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [this] { return busy_ == 0; });
    job_ = nullptr;
  }

 private:
  void loop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      work_cv_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      Job* job = job_;
      lock.unlock();
      run_blocks(*job);
      lock.lock();
      if (--busy_ == 0) done_cv_.notify_all();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex launch_mutex_;
  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  Job* job_ = nullptr;
  uint64_t generation_ = 0;
  int busy_ = 0;
};

Pool& pool() {
  static Pool* p = [] {
    int threads = 2;  // enough to overlap blocks and make atomics race on a 2-core machine
    if (const char* env = std::getenv("NERVE_SIM_THREADS")) {
      int v = std::atoi(env);
      if (v >= 1 && v <= 64) threads = v;
    }
    return new Pool(threads);
  }();
  return *p;
}

}  // namespace

// ---------------------------------------------------------------- hooks used by kernels
void kernel_abort(const char* fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  Worker* w = tl_worker;
  if (w != nullptr && w->current != nullptr && w->job != nullptr) {
    std::fprintf(stderr, "cuda-sim: kernel %s, block (%u,%u,%u), thread (%u,%u,%u): %s\n",
                 w->job->op, blockIdx.x, blockIdx.y, blockIdx.z, threadIdx.x, threadIdx.y,
                 threadIdx.z, msg);
  } else {
    std::fprintf(stderr, "cuda-sim: %s\n", msg);
  }
  std::abort();
}

int block_barrier(int pred) {
  Worker& w = kernel_worker("__syncthreads");
  Fiber& f = *w.current;
  f.state = FiberState::kBlockWait;
  ++w.block_waiting;
  w.block_pred_count += pred;
  if (w.block_waiting == w.live) release_block(w);  // last to arrive: run on
  else park(w, f);
  f.state = FiberState::kRunning;
  return w.block_result;  // stays valid until this fiber arrives at the next barrier
}

unsigned warp_sync(unsigned mask, WarpCombine combine) {
  Worker& w = kernel_worker("a warp collective");
  Fiber& f = *w.current;
  const unsigned lane = f.linear % 32, warp = f.linear / 32;
  if (((mask >> lane) & 1u) == 0) {
    kernel_abort("warp collective with mask 0x%08x called by lane %u, which the mask does not name",
                 mask, lane);
  }
  f.state = FiberState::kWarpWait;
  f.warp_mask = mask;
  f.combine = combine;
  if (!try_complete_warp(w, warp, mask)) park(w, f);
  f.state = FiberState::kRunning;
  return f.group;
}

WarpLane& this_lane() {
  Worker& w = kernel_worker("a warp collective");
  return w.lanes[w.current->linear];
}

unsigned warp_live_mask() {
  Worker& w = kernel_worker("__activemask");
  return w.warp_live[w.current->linear / 32];
}

void* dynamic_shared_memory() {
  Worker& w = kernel_worker("dynamic_shared_memory");
  return w.dyn_smem;
}

// ---------------------------------------------------------------- launch
nv_status launch_kernel(const char* op, const void* kernel_id, dim3 grid, dim3 block,
                        size_t shared_bytes, cudaStream_t stream, void (*call)(const void*),
                        const void* closure) {
  cudaError_t err = cudaSuccess;
  char detail[256] = "";
  const uint64_t threads = static_cast<uint64_t>(block.x) * block.y * block.z;
  const size_t smem_limit = max_dynamic_shared(kernel_id);
  if (block.x == 0 || block.y == 0 || block.z == 0 || grid.x == 0 || grid.y == 0 || grid.z == 0) {
    err = cudaErrorInvalidConfiguration;
    std::snprintf(detail, sizeof detail, "grid and block dimensions must be positive");
  } else if (threads > static_cast<uint64_t>(kMaxThreadsPerBlock)) {
    err = cudaErrorInvalidConfiguration;
    std::snprintf(detail, sizeof detail, "too many threads per block (%llu > %d)",
                  static_cast<unsigned long long>(threads), kMaxThreadsPerBlock);
  } else if (block.z > static_cast<unsigned>(kMaxBlockZ)) {
    err = cudaErrorInvalidConfiguration;
    std::snprintf(detail, sizeof detail, "block.z %u exceeds %d", block.z, kMaxBlockZ);
  } else if (grid.x > kMaxGridX || grid.y > kMaxGridYZ || grid.z > kMaxGridYZ) {
    err = cudaErrorInvalidConfiguration;
    std::snprintf(detail, sizeof detail, "grid too large (limits %u x %u x %u)", kMaxGridX,
                  kMaxGridYZ, kMaxGridYZ);
  } else if (shared_bytes > smem_limit) {
    err = cudaErrorInvalidConfiguration;
    std::snprintf(detail, sizeof detail,
                  "too much dynamic shared memory (%zu bytes > %zu; above 48 KiB, raise the "
                  "kernel's cudaFuncAttributeMaxDynamicSharedMemorySize, at most %zu)",
                  shared_bytes, smem_limit, kMaxSharedPerBlockOptin);
  } else if (!stream_is_valid(stream)) {
    err = cudaErrorInvalidResourceHandle;
    std::snprintf(detail, sizeof detail, "unknown stream %p", static_cast<void*>(stream));
  }
  if (err != cudaSuccess) {
    record_error(err);
    return ::nv::fail(NV_ERR_INTERNAL,
                      "%s: kernel launch failed (grid %u x %u x %u, block %u x %u x %u, %zu bytes "
                      "of shared memory): %s (%s)",
                      op, grid.x, grid.y, grid.z, block.x, block.y, block.z, shared_bytes,
                      cudaGetErrorString(err), detail);
  }
  if (tl_worker != nullptr && tl_worker->current != nullptr) {
    kernel_abort("%s: launched from inside a kernel (dynamic parallelism is not simulated)", op);
  }
  Job job{op, call, closure, grid, block, shared_bytes,
          static_cast<uint64_t>(grid.x) * grid.y * grid.z};
  pool().run(job);
  return NV_OK;
}

}  // namespace sim
}  // namespace nv
