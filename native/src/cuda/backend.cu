// The CUDA backend's host side: devices, the per-context state (one stream, a caching device
// allocator, scratch memory), copies, and the Backend table. Built twice: by nvcc as
// nv::cuda_backend() and, with NERVE_CUDA_SIM, by g++ against the SIMT layer as
// nv::cudasim_backend().
#include <cstdio>
#include <cstring>
#include <new>

#include "cuda/cuda_kernels.cuh"

// Under cuda-sim with AddressSanitizer, the allocator poisons the rounding slack of each block
// and whole blocks while they sit in the cache, so a kernel reading past a tensor's end or
// into a freed tensor is reported as it would be by compute-sanitizer on a GPU.
#if defined(NERVE_CUDA_SIM) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define NV_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define NV_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define NV_POISON(p, n) ((void)(p), (void)(n))
#define NV_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace nv {
namespace NV_CUDA_NS {

#ifdef NERVE_CUDA_SIM
static constexpr const char* kName = "cuda-sim";
#else
static constexpr const char* kName = "cuda";
#endif

nv_status check_cuda(cudaError_t err, const char* op, const char* what) {
  if (err == cudaSuccess) return NV_OK;
  cudaGetLastError();  // clear a sticky launch error so the next call starts clean
  nv_status code = err == cudaErrorMemoryAllocation ? NV_ERR_OUT_OF_MEMORY : NV_ERR_INTERNAL;
  return fail(code, "%s: %s failed on %s: %s", op, what, kName, cudaGetErrorString(err));
}

// ---------------------------------------------------------------- caching allocator

namespace {

constexpr size_t kSmall = size_t(1) << 20;     // below: 512-byte rounding
constexpr size_t kLargeRound = size_t(2) << 20;  // above: 2 MiB rounding

size_t round_size(int64_t bytes) {
  size_t b = bytes < 1 ? 1 : size_t(bytes);
  if (b < kSmall) return (b + 511) & ~size_t(511);
  return (b + kLargeRound - 1) & ~(kLargeRound - 1);
}

}  // namespace

DeviceAllocator::~DeviceAllocator() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& kv : live_) {
    NV_UNPOISON(kv.first, kv.second.size);
    cudaFree(kv.first);
  }
  for (auto& kv : cached_) {
    NV_UNPOISON(kv.second, kv.first);
    cudaFree(kv.second);
  }
}

cudaError_t DeviceAllocator::allocate(int64_t bytes, void** out) {
  const size_t size = round_size(bytes);
  std::lock_guard<std::mutex> lock(mu_);
  void* ptr = nullptr;
  size_t got = size;
  // The smallest cached block that fits and wastes at most a quarter of it.
  auto it = cached_.lower_bound(size);
  if (it != cached_.end() && it->first <= size + size / 4) {
    ptr = it->second;
    got = it->first;
    cached_.erase(it);
    cached_bytes_ -= int64_t(got);
  } else {
    cudaError_t err = cudaMalloc(&ptr, size);
    if (err != cudaSuccess) {
      cudaGetLastError();
      // Out of memory: give the cache back to the driver and try once more.
      for (auto& kv : cached_) {
        NV_UNPOISON(kv.second, kv.first);
        cudaFree(kv.second);
      }
      cached_.clear();
      cached_bytes_ = 0;
      err = cudaMalloc(&ptr, size);
      if (err != cudaSuccess) {
        cudaGetLastError();
        return err;
      }
    }
  }
  NV_UNPOISON(ptr, got);
  if (size_t(bytes) < got) NV_POISON(static_cast<char*>(ptr) + bytes, got - size_t(bytes));
  live_[ptr] = Block{got, size_t(bytes)};
  live_bytes_ += int64_t(got);
  if (live_bytes_ > peak_bytes_) peak_bytes_ = live_bytes_;
  *out = ptr;
  return cudaSuccess;
}

bool DeviceAllocator::release(void* ptr) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(ptr);
  if (it == live_.end()) return false;
  const size_t size = it->second.size;
  live_.erase(it);
  live_bytes_ -= int64_t(size);
  NV_POISON(ptr, size);
  cached_.emplace(size, ptr);
  cached_bytes_ += int64_t(size);
  return true;
}

void DeviceAllocator::release_cached() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& kv : cached_) {
    NV_UNPOISON(kv.second, kv.first);
    cudaFree(kv.second);
  }
  cached_.clear();
  cached_bytes_ = 0;
}

void DeviceAllocator::stats(int64_t* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  out[0] = live_bytes_;
  out[1] = peak_bytes_;
  out[2] = cached_bytes_;
  out[3] = int64_t(live_.size());
}

// ---------------------------------------------------------------- context helpers

nv_status activate(nv_ctx* ctx, const char* op) {
  int current = -1;
  if (cudaGetDevice(&current) == cudaSuccess && current == state(ctx).device) return NV_OK;
  return check_cuda(cudaSetDevice(state(ctx).device), op, "cudaSetDevice");
}

nv_status scratch(nv_ctx* ctx, int64_t bytes, void** out, const char* op) {
  State& st = state(ctx);
  if (st.scratch_bytes < bytes) {
    // The old block may still be read by queued kernels; they run before anything that
    // reuses it, since all work of the context is on one stream.
    if (st.scratch != nullptr) st.alloc.release(st.scratch);
    st.scratch = nullptr;
    st.scratch_bytes = 0;
    int64_t want = bytes < 4096 ? 4096 : bytes;
    void* p = nullptr;
    cudaError_t err = st.alloc.allocate(want, &p);
    if (err != cudaSuccess)
      return fail(NV_ERR_OUT_OF_MEMORY, "%s: out of device memory for %lld bytes of scratch: %s",
                  op, (long long)want, cudaGetErrorString(err));
    st.scratch = p;
    st.scratch_bytes = want;
  }
  *out = st.scratch;
  return NV_OK;
}

unsigned grid_for(nv_ctx* ctx, int64_t n, int threads) {
  int64_t blocks = (n + threads - 1) / threads;
#ifdef NERVE_CUDA_SIM
  // Each simulated thread is a fiber: fewer blocks that loop longer cost far less.
  int64_t cap = 16;
#else
  // Two waves of 256-thread blocks (8 resident per SM); grid-stride loops do the rest.
  int64_t cap = int64_t(state(ctx).sm_count) * 16;
#endif
  if (blocks > cap) blocks = cap;
  return blocks < 1 ? 1u : unsigned(blocks);
}

// ---------------------------------------------------------------- table entries

namespace {

int32_t device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // no driver, no device: the backend simply has no devices
    return 0;
  }
  return n;
}

nv_status device_info(int32_t device, char* name, int32_t name_len, int32_t* major,
                      int32_t* minor, int64_t* total_bytes) {
  cudaDeviceProp prop;
  std::memset(&prop, 0, sizeof prop);
  nv_status st = check_cuda(cudaGetDeviceProperties(&prop, device), "nv_device_info",
                            "cudaGetDeviceProperties");
  if (st != NV_OK) return st;
  std::snprintf(name, size_t(name_len), "%s", prop.name);
  *major = prop.major;
  *minor = prop.minor;
  *total_bytes = int64_t(prop.totalGlobalMem);
  return NV_OK;
}

void shutdown(nv_ctx* ctx) {
  State* st = static_cast<State*>(ctx->backend_state);
  if (st == nullptr) return;
  cudaSetDevice(st->device);
  if (st->stream != nullptr) cudaStreamSynchronize(st->stream);
  if (st->scratch != nullptr) st->alloc.release(st->scratch);
  if (st->stream != nullptr) cudaStreamDestroy(st->stream);
  delete st;  // the allocator frees every block, live or cached
  ctx->backend_state = nullptr;
}

nv_status init(nv_ctx* ctx, int32_t device) {
  const char* op = "nv_ctx_create";
  nv_status s = check_cuda(cudaSetDevice(device), op, "cudaSetDevice");
  if (s != NV_OK) return s;
  cudaDeviceProp prop;
  std::memset(&prop, 0, sizeof prop);
  s = check_cuda(cudaGetDeviceProperties(&prop, device), op, "cudaGetDeviceProperties");
  if (s != NV_OK) return s;
  State* st = new (std::nothrow) State();
  if (st == nullptr) return fail(NV_ERR_OUT_OF_MEMORY, "nv_ctx_create: out of memory");
  st->device = device;
  st->sm_count = prop.multiProcessorCount > 0 ? prop.multiProcessorCount : 1;
  st->cc_major = prop.major;
  s = check_cuda(cudaStreamCreate(&st->stream), op, "cudaStreamCreate");
  if (s != NV_OK) {
    st->stream = nullptr;
    delete st;
    return s;
  }
  ctx->backend_state = st;
  return NV_OK;
}

nv_status alloc(nv_ctx* ctx, int64_t bytes, void** out) {
  nv_status s = activate(ctx, "nv_alloc");
  if (s != NV_OK) return s;
  State& st = state(ctx);
  cudaError_t err = st.alloc.allocate(bytes, out);
  if (err != cudaSuccess) {
    int64_t stats[4];
    st.alloc.stats(stats);
    return fail(NV_ERR_OUT_OF_MEMORY,
                "nv_alloc: out of device memory allocating %lld bytes on %s device %d (%lld "
                "live): %s",
                (long long)bytes, kName, st.device, (long long)stats[0], cudaGetErrorString(err));
  }
  return NV_OK;
}

nv_status free_block(nv_ctx* ctx, void* ptr) {
  if (!state(ctx).alloc.release(ptr))
    return fail(NV_ERR_INVALID_ARGUMENT,
                "nv_free: %p was not allocated by this context (or freed twice)", ptr);
  return NV_OK;
}

nv_status memory_stats(nv_ctx* ctx, int64_t* stats) {
  state(ctx).alloc.stats(stats);
  return NV_OK;
}

nv_status release_cached(nv_ctx* ctx) {
  nv_status s = activate(ctx, "nv_memory_release_cached");
  if (s != NV_OK) return s;
  // cudaFree waits for the device, so no queued kernel still uses a cached block.
  state(ctx).alloc.release_cached();
  return NV_OK;
}

// Host memory is pageable: cudaMemcpyAsync returns once the source has been staged, so the
// caller may reuse it at once; the copy itself is ordered on the context's stream.
nv_status copy_to_device(nv_ctx* ctx, void* dst, const void* host_src, int64_t bytes) {
  nv_status s = activate(ctx, "nv_write");
  if (s != NV_OK) return s;
  return check_cuda(cudaMemcpyAsync(dst, host_src, size_t(bytes), cudaMemcpyHostToDevice,
                                    stream_of(ctx)),
                    "nv_write", "cudaMemcpyAsync (host to device)");
}

// Also where errors of earlier kernels surface: the stream is synchronised before returning.
nv_status copy_to_host(nv_ctx* ctx, void* host_dst, const void* src, int64_t bytes) {
  nv_status s = activate(ctx, "nv_read");
  if (s != NV_OK) return s;
  s = check_cuda(cudaMemcpyAsync(host_dst, src, size_t(bytes), cudaMemcpyDeviceToHost,
                                 stream_of(ctx)),
                 "nv_read", "cudaMemcpyAsync (device to host)");
  if (s != NV_OK) return s;
  return check_cuda(cudaStreamSynchronize(stream_of(ctx)), "nv_read", "cudaStreamSynchronize");
}

nv_status synchronize(nv_ctx* ctx) {
  nv_status s = activate(ctx, "nv_ctx_synchronize");
  if (s != NV_OK) return s;
  return check_cuda(cudaStreamSynchronize(stream_of(ctx)), "nv_ctx_synchronize",
                    "cudaStreamSynchronize");
}

void* stream_handle(nv_ctx* ctx) { return static_cast<void*>(stream_of(ctx)); }

Backend make_table() {
  Backend t;
  std::memset(&t, 0, sizeof t);
  t.name = kName;
  NV_FILL_BACKEND
  return t;
}

}  // namespace
}  // namespace NV_CUDA_NS

// The accessor core/backend_registry.cpp leaves to us for this build.
#ifdef NERVE_CUDA_SIM
const Backend* cudasim_backend() {
#else
const Backend* cuda_backend() {
#endif
  static const Backend table = NV_CUDA_NS::make_table();
  return &table;
}

}  // namespace nv
