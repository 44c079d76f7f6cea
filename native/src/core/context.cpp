// The context and memory entry points of nerve.h.
#include <cstdio>
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

// The table of a backend kind; nullptr when the kind is unknown or not part of this build.
const nv::Backend* backend_table(int32_t kind) {
  switch (kind) {
    case NV_BACKEND_CPU: return nv::cpu_backend();
    case NV_BACKEND_CUDA: return nv::cuda_backend();
    case NV_BACKEND_CUDA_SIM: return nv::cudasim_backend();
    default: return nullptr;
  }
}

int default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : int(n);
}

}  // namespace

extern "C" {

const char* nv_version(void) { return NERVE_VERSION; }

int32_t nv_backend_available(int32_t backend) {
  const nv::Backend* table = backend_table(backend);
  return table != nullptr && table->device_count() > 0 ? 1 : 0;
}

nv_status nv_device_count(int32_t backend, int32_t* count) {
  NV_CHECK(count != nullptr, "nv_device_count: count is NULL");
  NV_CHECK(backend >= NV_BACKEND_CPU && backend <= NV_BACKEND_CUDA_SIM, "nv_device_count: unknown backend %d",
           backend);
  const nv::Backend* table = backend_table(backend);
  *count = table == nullptr ? 0 : table->device_count();
  return NV_OK;
}

nv_status nv_device_info(int32_t backend, int32_t device, char* name, int32_t name_len, int32_t* major,
                         int32_t* minor, int64_t* total_bytes) {
  NV_CHECK(name != nullptr && name_len > 0 && major != nullptr && minor != nullptr && total_bytes != nullptr,
           "nv_device_info: NULL output or name_len=%d", name_len);
  int32_t count = 0;
  nv_status st = nv_device_count(backend, &count);
  if (st != NV_OK) return st;
  NV_CHECK(device >= 0 && device < count, "nv_device_info: device %d is not in [0, %d) of backend %d", device,
           count, backend);
  return backend_table(backend)->device_info(device, name, name_len, major, minor, total_bytes);
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
  const nv::Backend* table = backend_table(backend);
  if (table == nullptr)
    return nv::fail(NV_ERR_BACKEND_UNAVAILABLE,
                    "nv_ctx_create: the %s backend is not part of this build of Nerve%s",
                    backend == NV_BACKEND_CUDA ? "cuda" : "cuda-sim",
                    backend == NV_BACKEND_CUDA ? " (it was built without nvcc)" : "");
  // A table with an empty entry would crash the first call that reaches it: refuse it here.
  if (const char* missing = nv::missing_entry(*table))
    return nv::fail(NV_ERR_INTERNAL, "nv_ctx_create: the %s backend has no %s", table->name,
                    missing);
  int32_t devices = table->device_count();
  if (backend == NV_BACKEND_CUDA && devices == 0)
    return nv::fail(NV_ERR_BACKEND_UNAVAILABLE,
                    "nv_ctx_create: no CUDA device found (no NVIDIA GPU, or no driver: libcuda.so.1 "
                    "could not be loaded or is too old)");
  if (device < 0 || device >= devices)
    return nv::fail(NV_ERR_INVALID_ARGUMENT, "nv_ctx_create: device %d is not in [0, %d) for backend %d",
                    device, devices, backend);
  if (threads > 1024)
    return nv::fail(NV_ERR_INVALID_ARGUMENT, "nv_ctx_create: threads=%d is more than 1024", threads);
  nv_ctx* ctx = new (std::nothrow) nv_ctx();
  if (ctx == nullptr) return nv::fail(NV_ERR_OUT_OF_MEMORY, "nv_ctx_create: out of memory");
  ctx->kind = backend;
  ctx->device = device;
  ctx->isa = nv::detect_isa();
  // The pool unwinds itself when a thread cannot start (ThreadPool::start): the caller gets an
  // error and the library stays usable.
  char pool_error[256];
  ctx->pool.reset(nv::ThreadPool::start(threads <= 0 ? default_threads() : threads, pool_error,
                                        sizeof pool_error));
  if (!ctx->pool) {
    delete ctx;
    return nv::fail(NV_ERR_RESOURCE, "nv_ctx_create: %s", pool_error);
  }
  nv_status st = table->init(ctx, device);
  if (st != NV_OK) {
    delete ctx;
    return st;
  }
  ctx->backend = table;
  *out = ctx;
  return NV_OK;
}

nv_status nv_ctx_destroy(nv_ctx* ctx) {
  NV_CHECK_CTX(ctx, "nv_ctx_destroy");
  ctx->backend->shutdown(ctx);
  delete ctx;
  return NV_OK;
}

nv_status nv_ctx_synchronize(nv_ctx* ctx) {
  NV_CHECK_CTX(ctx, "nv_ctx_synchronize");
  return ctx->backend->synchronize(ctx);
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

nv_status nv_ctx_set_tf32(nv_ctx* ctx, int32_t enabled) {
  NV_CHECK_CTX(ctx, "nv_ctx_set_tf32");
  ctx->allow_tf32 = enabled != 0;
  return NV_OK;
}

nv_status nv_ctx_stream(nv_ctx* ctx, void** stream) {
  NV_CHECK_CTX(ctx, "nv_ctx_stream");
  NV_CHECK(stream != nullptr, "nv_ctx_stream: stream is NULL");
  *stream = ctx->backend->stream_handle(ctx);
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
  return ctx->backend->alloc(ctx, bytes, out);
}

nv_status nv_free(nv_ctx* ctx, void* ptr) {
  NV_CHECK_CTX(ctx, "nv_free");
  if (ptr == nullptr) return NV_OK;
  return ctx->backend->free_block(ctx, ptr);
}

nv_status nv_memory_stats(nv_ctx* ctx, int64_t* stats) {
  NV_CHECK_CTX(ctx, "nv_memory_stats");
  NV_CHECK(stats != nullptr, "nv_memory_stats: stats is NULL");
  return ctx->backend->memory_stats(ctx, stats);
}

nv_status nv_memory_release_cached(nv_ctx* ctx) {
  NV_CHECK_CTX(ctx, "nv_memory_release_cached");
  return ctx->backend->release_cached(ctx);
}

}  // extern "C"

namespace {

// to_device: host to context memory, else context memory to host.
nv_status copy_checked(nv_ctx* ctx, const char* fn, void* dst, const void* src, int64_t n,
                       int64_t elem, bool to_device) {
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK(n >= 0, "%s: n=%lld is negative", fn, (long long)n);
  if (n == 0) return NV_OK;
  NV_CHECK(dst != nullptr && src != nullptr, "%s: NULL pointer (dst=%p, src=%p)", fn, dst, src);
  return to_device ? ctx->backend->copy_to_device(ctx, dst, src, n * elem)
                   : ctx->backend->copy_to_host(ctx, dst, src, n * elem);
}

}  // namespace

extern "C" {

nv_status nv_write_f32(nv_ctx* ctx, float* dst, const float* host_src, int64_t n) {
  return copy_checked(ctx, "nv_write_f32", dst, host_src, n, 4, true);
}
nv_status nv_read_f32(nv_ctx* ctx, const float* src, float* host_dst, int64_t n) {
  return copy_checked(ctx, "nv_read_f32", host_dst, src, n, 4, false);
}
nv_status nv_write_i32(nv_ctx* ctx, int32_t* dst, const int32_t* host_src, int64_t n) {
  return copy_checked(ctx, "nv_write_i32", dst, host_src, n, 4, true);
}
nv_status nv_read_i32(nv_ctx* ctx, const int32_t* src, int32_t* host_dst, int64_t n) {
  return copy_checked(ctx, "nv_read_i32", host_dst, src, n, 4, false);
}

}  // extern "C"
