// A backend as a table of functions: the CPU (cpu/backend.cpp), CUDA (cuda/backend.cu, built by
// nvcc) and cuda-sim (the same .cu sources compiled by g++ against our SIMT layer) each fill
// one. nv_ctx points at its backend's table; the api/ entry points check their arguments and
// make one call through it, so no entry point knows which backend it runs on.
//
// Plain C++ on purpose: api/ and core/ include it without any CUDA header.
#pragma once
#include <cstdint>

#include "core/kernels.h"
#include "nerve.h"

namespace nv {

struct Backend {
  const char* name;  // "cpu", "cuda" or "cuda-sim"

  // ---- devices, context state, memory
  // Number of usable devices (0 when there is no driver or GPU; cpu and cuda-sim have one).
  int32_t (*device_count)();
  // Describes device i: name, compute capability, total memory (for `nerve info`).
  nv_status (*device_info)(int32_t device, char* name, int32_t name_len, int32_t* major,
                           int32_t* minor, int64_t* total_bytes);
  // Creates the backend's per-context state (a GPU's stream, allocator, scratch) in
  // ctx->backend_state; undone by shutdown.
  nv_status (*init)(nv_ctx* ctx, int32_t device);
  void (*shutdown)(nv_ctx* ctx);
  nv_status (*alloc)(nv_ctx* ctx, int64_t bytes, void** out);
  nv_status (*free_block)(nv_ctx* ctx, void* ptr);
  // stats[0..3] as nv_memory_stats.
  nv_status (*memory_stats)(nv_ctx* ctx, int64_t* stats);
  nv_status (*release_cached)(nv_ctx* ctx);
  nv_status (*copy_to_device)(nv_ctx* ctx, void* dst, const void* host_src, int64_t bytes);
  nv_status (*copy_to_host)(nv_ctx* ctx, void* host_dst, const void* src, int64_t bytes);
  nv_status (*synchronize)(nv_ctx* ctx);
  // The context's stream as an opaque handle (cudaStream_t; NULL on the CPU), for interop.
  void* (*stream_handle)(nv_ctx* ctx);

  // ---- kernels: one pointer per entry of core/kernels.h
#define NV_BACKEND_FIELD_(name) nv_status(*name) NV_KERNEL_##name;
  NV_KERNELS(NV_BACKEND_FIELD_)
#undef NV_BACKEND_FIELD_
};

// The tables; nullptr for a GPU backend that is not part of this build. Each is complete: every
// entry is set (the fills come from the list; tests/test_backend_tables.cpp checks them, and
// nv_ctx_create refuses a table with an empty entry).
const Backend* cpu_backend();
const Backend* cuda_backend();
const Backend* cudasim_backend();

// The first empty entry of a table, or nullptr when every entry is set.
const char* missing_entry(const Backend& b);

}  // namespace nv

// The entries above the kernels, by name.
#define NV_BACKEND_SERVICES(X)                                                                 \
  X(device_count) X(device_info) X(init) X(shutdown) X(alloc) X(free_block) X(memory_stats)    \
  X(release_cached) X(copy_to_device) X(copy_to_host) X(synchronize) X(stream_handle)

// The table fill every backend uses: t.entry = entry for every service and kernel, where t is
// the Backend being filled and the backend's functions of those names are in scope.
#define NV_FILL_BACKEND_ONE_(entry) t.entry = entry;
#define NV_FILL_BACKEND NV_BACKEND_SERVICES(NV_FILL_BACKEND_ONE_) NV_KERNELS(NV_FILL_BACKEND_ONE_)
