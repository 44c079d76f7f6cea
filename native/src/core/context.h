// The context: its backend's table and state, device, thread pool, forced ISA, CPU workspace.
#pragma once
#include <cstdint>
#include <memory>

#include "nerve.h"
#include "backend.h"
#include "threadpool.h"
#include "workspace.h"

struct nv_ctx {
  int32_t kind = NV_BACKEND_CPU;  // NV_BACKEND_*
  int32_t device = 0;
  int32_t isa = NV_ISA_PORTABLE;  // the ISA the CPU kernels of this context use
  std::unique_ptr<nv::ThreadPool> pool;
  // The backend's function table (never null in a created context) and its own state (a GPU's
  // stream, device allocator, scratch; null on the CPU).
  const nv::Backend* backend = nullptr;
  void* backend_state = nullptr;
  bool allow_tf32 = false;  // nv_ctx_set_tf32: GEMMs may use TF32 tensor cores
  // Scratch memory of the CPU kernels (im2col buffers); grow-only, see workspace.h.
  nv::Workspace workspace;
};

namespace nv {

// Splits [0, n) into chunks of at least `grain` elements and runs body(begin, end) on the
// context's pool. Runs inline when n is small or the pool has one thread.
template <typename F>
inline void parallel_for(nv_ctx* ctx, int64_t n, int64_t grain, F&& body) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  int threads = ctx->pool ? ctx->pool->size() : 1;
  int64_t max_chunks = (n + grain - 1) / grain;
  int64_t chunks = max_chunks < threads ? max_chunks : threads;
  if (chunks <= 1) {
    body(int64_t(0), n);
    return;
  }
  std::function<void(int64_t)> fn = [&](int64_t c) {
    int64_t begin = n * c / chunks;
    int64_t end = n * (c + 1) / chunks;
    if (begin < end) body(begin, end);
  };
  ctx->pool->run(chunks, fn);
}

// Runs body(task) for each task in [0, tasks) on the pool, handed out dynamically.
template <typename F>
inline void parallel_tasks(nv_ctx* ctx, int64_t tasks, F&& body) {
  if (tasks <= 0) return;
  int threads = ctx->pool ? ctx->pool->size() : 1;
  if (tasks == 1 || threads <= 1) {
    for (int64_t t = 0; t < tasks; ++t) body(t);
    return;
  }
  std::function<void(int64_t)> fn = [&](int64_t t) { body(t); };
  ctx->pool->run(tasks, fn);
}

}  // namespace nv
