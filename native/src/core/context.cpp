// The context and memory entry points of nerve.h.
#include <cstring>
#include <new>
#include <thread>

#include "context.h"
#include "cpuid.h"
#include "error.h"

#ifndef NERVE_VERSION
#define NERVE_VERSION "0.1.0"
#endif

namespace {

int default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : int(n);
}

}  // namespace

extern "C" {

const char* nv_version(void) { return NERVE_VERSION; }

int32_t nv_backend_available(int32_t backend) {
  // The CUDA backends arrive with their own issue; until then only the CPU runs kernels.
  return backend == NV_BACKEND_CPU ? 1 : 0;
}

int32_t nv_cpu_isa(void) { return nv::detect_isa(); }

const char* nv_isa_name(int32_t isa) {
  switch (isa) {
    case NV_ISA_AVX512: return "avx512";
    case NV_ISA_AVX2: return "avx2+fma";
    case NV_ISA_PORTABLE: return "portable";
    default: return "unknown";
  }
}

nv_status nv_ctx_create(int32_t backend, int32_t device, int32_t threads, nv_ctx** out) {
  if (out == nullptr) return nv::fail(NV_ERR_INVALID_ARGUMENT, "nv_ctx_create: out is NULL");
  *out = nullptr;
  if (backend != NV_BACKEND_CPU && backend != NV_BACKEND_CUDA && backend != NV_BACKEND_CUDA_SIM)
    return nv::fail(NV_ERR_INVALID_ARGUMENT, "nv_ctx_create: unknown backend %d", backend);
  if (!nv_backend_available(backend))
    return nv::fail(NV_ERR_BACKEND_UNAVAILABLE,
                    "nv_ctx_create: backend %s is not available in this build",
                    backend == NV_BACKEND_CUDA ? "cuda" : "cuda-sim");
  if (device != 0)
    return nv::fail(NV_ERR_INVALID_ARGUMENT, "nv_ctx_create: the CPU backend has only device 0, not %d",
                    device);
  if (threads > 1024)
    return nv::fail(NV_ERR_INVALID_ARGUMENT, "nv_ctx_create: threads=%d is more than 1024", threads);
  nv_ctx* ctx = new (std::nothrow) nv_ctx();
  if (ctx == nullptr) return nv::fail(NV_ERR_OUT_OF_MEMORY, "nv_ctx_create: out of memory");
  ctx->backend = backend;
  ctx->device = device;
  ctx->isa = nv::detect_isa();
  try {
    ctx->pool.reset(new nv::ThreadPool(threads <= 0 ? default_threads() : threads));
    ctx->alloc.reset(new nv::Allocator());
  } catch (...) {
    delete ctx;
    return nv::fail(NV_ERR_OUT_OF_MEMORY, "nv_ctx_create: could not start %d threads", threads);
  }
  *out = ctx;
  return NV_OK;
}

nv_status nv_ctx_destroy(nv_ctx* ctx) {
  NV_CHECK_CTX(ctx, "nv_ctx_destroy");
  delete ctx;
  return NV_OK;
}

nv_status nv_ctx_synchronize(nv_ctx* ctx) {
  NV_CHECK_CTX(ctx, "nv_ctx_synchronize");
  return NV_OK;
}

nv_status nv_ctx_set_isa(nv_ctx* ctx, int32_t isa) {
  NV_CHECK_CTX(ctx, "nv_ctx_set_isa");
  NV_CHECK(isa >= NV_ISA_PORTABLE && isa <= NV_ISA_AVX512, "nv_ctx_set_isa: unknown isa %d", isa);
  NV_CHECK(isa <= nv::detect_isa(), "nv_ctx_set_isa: this CPU cannot run %s (best is %s)",
           nv_isa_name(isa), nv_isa_name(nv::detect_isa()));
  ctx->isa = isa;
  return NV_OK;
}

nv_status nv_ctx_get_isa(nv_ctx* ctx, int32_t* isa) {
  NV_CHECK_CTX(ctx, "nv_ctx_get_isa");
  NV_CHECK(isa != nullptr, "nv_ctx_get_isa: isa is NULL");
  *isa = ctx->isa;
  return NV_OK;
}

nv_status nv_ctx_threads(nv_ctx* ctx, int32_t* threads) {
  NV_CHECK_CTX(ctx, "nv_ctx_threads");
  NV_CHECK(threads != nullptr, "nv_ctx_threads: threads is NULL");
  *threads = ctx->pool->size();
  return NV_OK;
}

nv_status nv_alloc(nv_ctx* ctx, int64_t bytes, void** out) {
  NV_CHECK_CTX(ctx, "nv_alloc");
  NV_CHECK(out != nullptr, "nv_alloc: out is NULL");
  NV_CHECK(bytes >= 0, "nv_alloc: bytes=%lld is negative", (long long)bytes);
  *out = ctx->alloc->allocate(bytes);
  if (*out == nullptr)
    return nv::fail(NV_ERR_OUT_OF_MEMORY, "nv_alloc: out of memory allocating %lld bytes (%lld live)",
                    (long long)bytes, (long long)ctx->alloc->live_bytes());
  return NV_OK;
}

nv_status nv_free(nv_ctx* ctx, void* ptr) {
  NV_CHECK_CTX(ctx, "nv_free");
  if (ptr == nullptr) return NV_OK;
  NV_CHECK(ctx->alloc->release(ptr), "nv_free: %p was not allocated by this context (or freed twice)", ptr);
  return NV_OK;
}

nv_status nv_memory_stats(nv_ctx* ctx, int64_t* stats) {
  NV_CHECK_CTX(ctx, "nv_memory_stats");
  NV_CHECK(stats != nullptr, "nv_memory_stats: stats is NULL");
  stats[0] = ctx->alloc->live_bytes();
  stats[1] = ctx->alloc->peak_bytes();
  stats[2] = ctx->alloc->cached_bytes();
  stats[3] = ctx->alloc->live_count();
  return NV_OK;
}

nv_status nv_memory_release_cached(nv_ctx* ctx) {
  NV_CHECK_CTX(ctx, "nv_memory_release_cached");
  ctx->alloc->release_cached();
  return NV_OK;
}

}  // extern "C"

namespace {

nv_status copy_checked(nv_ctx* ctx, const char* fn, void* dst, const void* src, int64_t n,
                       int64_t elem) {
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK(n >= 0, "%s: n=%lld is negative", fn, (long long)n);
  if (n == 0) return NV_OK;
  NV_CHECK(dst != nullptr && src != nullptr, "%s: NULL pointer (dst=%p, src=%p)", fn, dst, src);
  std::memcpy(dst, src, size_t(n * elem));
  return NV_OK;
}

}  // namespace

extern "C" {

nv_status nv_write_f32(nv_ctx* ctx, float* dst, const float* host_src, int64_t n) {
  return copy_checked(ctx, "nv_write_f32", dst, host_src, n, 4);
}
nv_status nv_read_f32(nv_ctx* ctx, const float* src, float* host_dst, int64_t n) {
  return copy_checked(ctx, "nv_read_f32", host_dst, src, n, 4);
}
nv_status nv_write_i32(nv_ctx* ctx, int32_t* dst, const int32_t* host_src, int64_t n) {
  return copy_checked(ctx, "nv_write_i32", dst, host_src, n, 4);
}
nv_status nv_read_i32(nv_ctx* ctx, const int32_t* src, int32_t* host_dst, int64_t n) {
  return copy_checked(ctx, "nv_read_i32", host_dst, src, n, 4);
}

}  // extern "C"
