// The CPU backend's table: host memory from the caching allocator (core/allocator.h, the
// backend's per-context state), plain memcpy for copies, and the kernels of cpu/*.cpp.
#include <cstdio>
#include <cstring>
#include <new>

#include "core/allocator.h"
#include "core/context.h"
#include "core/cpuid.h"
#include "core/error.h"
#include "cpu/cpu_kernels.h"

namespace nv::cpu {

namespace {

Allocator& allocator(nv_ctx* ctx) { return *static_cast<Allocator*>(ctx->backend_state); }

int32_t device_count() { return 1; }

nv_status device_info(int32_t, char* name, int32_t name_len, int32_t* major, int32_t* minor,
                      int64_t* total_bytes) {
  std::snprintf(name, size_t(name_len), "cpu (%s)", nv_isa_name(detect_isa()));
  *major = 0;
  *minor = 0;
  *total_bytes = 0;
  return NV_OK;
}

nv_status init(nv_ctx* ctx, int32_t) {
  Allocator* a = new (std::nothrow) Allocator();
  if (a == nullptr) return fail(NV_ERR_OUT_OF_MEMORY, "nv_ctx_create: out of memory");
  ctx->backend_state = a;
  return NV_OK;
}

void shutdown(nv_ctx* ctx) {
  delete static_cast<Allocator*>(ctx->backend_state);  // frees every block, live or cached
  ctx->backend_state = nullptr;
}

nv_status alloc(nv_ctx* ctx, int64_t bytes, void** out) {
  *out = allocator(ctx).allocate(bytes);
  if (*out == nullptr)
    return fail(NV_ERR_OUT_OF_MEMORY, "nv_alloc: out of memory allocating %lld bytes (%lld live)",
                (long long)bytes, (long long)allocator(ctx).live_bytes());
  return NV_OK;
}

nv_status free_block(nv_ctx* ctx, void* ptr) {
  if (!allocator(ctx).release(ptr))
    return fail(NV_ERR_INVALID_ARGUMENT,
                "nv_free: %p was not allocated by this context (or freed twice)", ptr);
  return NV_OK;
}

nv_status memory_stats(nv_ctx* ctx, int64_t* stats) {
  Allocator& a = allocator(ctx);
  stats[0] = a.live_bytes();
  stats[1] = a.peak_bytes();
  stats[2] = a.cached_bytes();
  stats[3] = a.live_count();
  return NV_OK;
}

nv_status release_cached(nv_ctx* ctx) {
  allocator(ctx).release_cached();
  return NV_OK;
}

nv_status copy_to_device(nv_ctx*, void* dst, const void* src, int64_t bytes) {
  std::memcpy(dst, src, size_t(bytes));
  return NV_OK;
}

// Host memory both ways.
nv_status copy_to_host(nv_ctx* ctx, void* dst, const void* src, int64_t bytes) {
  return copy_to_device(ctx, dst, src, bytes);
}

nv_status synchronize(nv_ctx*) { return NV_OK; }  // CPU kernels finish before they return

void* stream_handle(nv_ctx*) { return nullptr; }

Backend make_table() {
  Backend t;
  std::memset(&t, 0, sizeof t);
  t.name = "cpu";
  NV_FILL_BACKEND
  return t;
}

}  // namespace

// No tensor cores on the CPU.
NV_KERNEL_DEF(gemm_tf32_f32) {
  return fail(NV_ERR_UNSUPPORTED, "nv_internal_gemm_tf32_f32: backend %d has no TF32 GEMM",
              ctx->kind);
}

}  // namespace nv::cpu

const nv::Backend* nv::cpu_backend() {
  static const Backend table = cpu::make_table();
  return &table;
}
