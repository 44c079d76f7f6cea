// cuda-sim runtime API: the subset of the CUDA runtime the backend uses, on a declared fictional
// device ("cuda-sim (simulated sm_90)": 132 SMs, 80 GiB, 48 KiB / 227 KiB shared memory per
// block) whose "device memory" is host memory.
//
// The checks follow the real runtime, so host code that misuses it fails here as it would on a
// GPU: cudaFree of a pointer cudaMalloc did not return -> cudaErrorInvalidValue; a copy or
// memset that runs past the end of a device allocation -> cudaErrorInvalidValue; an unknown
// stream or event -> cudaErrorInvalidResourceHandle; device != 0 -> cudaErrorInvalidDevice.
// Device allocations are exactly the size asked for, so ASan also reports a kernel that runs
// past one. Every failing call records its error for cudaGetLastError (per host thread).
// Streams are in-order and launches synchronous, so every stream is always idle.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <unordered_map>

#include "cuda/sim/cuda_sim.h"
#include "cuda/sim/sim_internal.h"

namespace nv {
namespace sim {
namespace cuda_api {
struct SimStream {
  unsigned flags;
};
struct SimEvent {
  unsigned flags;
  bool recorded;
  std::chrono::steady_clock::time_point when;
};
}  // namespace cuda_api

namespace {

constexpr size_t kDeviceAlign = 256;  // cudaMalloc's alignment

struct State {
  std::mutex mutex;
  std::map<uintptr_t, size_t> device;  // base -> bytes
  std::map<uintptr_t, size_t> pinned;
  size_t device_used = 0;
  std::set<SimStream*> streams;
  std::set<SimEvent*> events;
  std::unordered_map<const void*, size_t> max_dynamic_shared;  // per kernel
};

State& state() {
  static State* s = new State();  // never destroyed: backends may free memory at exit
  return *s;
}

thread_local cudaError_t tl_last_error = cudaSuccess;
thread_local int tl_device = 0;

// Whether [p, p + bytes) lies inside one allocation of `allocs` (caller holds the mutex).
bool inside(const std::map<uintptr_t, size_t>& allocs, const void* p, size_t bytes) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  auto it = allocs.upper_bound(a);
  if (it == allocs.begin()) return false;
  --it;
  return a - it->first <= it->second && bytes <= it->second - (a - it->first);
}

bool device_range(const void* p, size_t bytes) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return inside(s.device, p, bytes);
}

}  // namespace

cudaError_t record_error(cudaError_t err) {
  if (err != cudaSuccess) tl_last_error = err;
  return err;
}

bool stream_is_valid(cudaStream_t stream) {
  if (stream == nullptr) return true;
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.streams.count(stream) != 0;
}

size_t max_dynamic_shared(const void* kernel) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.max_dynamic_shared.find(kernel);
  return it == s.max_dynamic_shared.end() ? kDefaultSharedPerBlock : it->second;
}

namespace cuda_api {

// ---------------------------------------------------------------- device
cudaError_t cudaGetDeviceCount(int* count) {
  if (count == nullptr) return record_error(cudaErrorInvalidValue);
  *count = 1;
  return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
  if (device != 0) return record_error(cudaErrorInvalidDevice);
  tl_device = device;
  return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
  if (device == nullptr) return record_error(cudaErrorInvalidValue);
  *device = tl_device;
  return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (prop == nullptr) return record_error(cudaErrorInvalidValue);
  if (device != 0) return record_error(cudaErrorInvalidDevice);
  std::memset(prop, 0, sizeof *prop);
  std::snprintf(prop->name, sizeof prop->name, "cuda-sim (simulated sm_90)");
  prop->totalGlobalMem = kTotalGlobalMem;
  prop->sharedMemPerBlock = kDefaultSharedPerBlock;
  prop->regsPerBlock = 65536;
  prop->warpSize = 32;
  prop->memPitch = 0x7fffffff;
  prop->maxThreadsPerBlock = kMaxThreadsPerBlock;
  prop->maxThreadsDim[0] = 1024;
  prop->maxThreadsDim[1] = 1024;
  prop->maxThreadsDim[2] = kMaxBlockZ;
  prop->maxGridSize[0] = static_cast<int>(kMaxGridX);
  prop->maxGridSize[1] = static_cast<int>(kMaxGridYZ);
  prop->maxGridSize[2] = static_cast<int>(kMaxGridYZ);
  prop->clockRate = 1755000;
  prop->totalConstMem = 65536;
  prop->major = 9;
  prop->minor = 0;
  prop->textureAlignment = 512;
  prop->multiProcessorCount = 132;
  prop->canMapHostMemory = 1;
  prop->concurrentKernels = 1;
  prop->memoryClockRate = 2619000;
  prop->memoryBusWidth = 5120;
  prop->l2CacheSize = 50 * 1024 * 1024;
  prop->maxThreadsPerMultiProcessor = 2048;
  prop->unifiedAddressing = 1;
  prop->sharedMemPerMultiprocessor = kSharedPerMultiprocessor;
  prop->regsPerMultiprocessor = 65536;
  prop->managedMemory = 1;
  prop->sharedMemPerBlockOptin = kMaxSharedPerBlockOptin;
  prop->maxBlocksPerMultiProcessor = 32;
  return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
  if (value == nullptr) return record_error(cudaErrorInvalidValue);
  if (device != 0) return record_error(cudaErrorInvalidDevice);
  cudaDeviceProp p;
  cudaGetDeviceProperties(&p, 0);
  switch (attr) {
    case cudaDevAttrMaxThreadsPerBlock: *value = p.maxThreadsPerBlock; break;
    case cudaDevAttrMaxSharedMemoryPerBlock: *value = static_cast<int>(p.sharedMemPerBlock); break;
    case cudaDevAttrWarpSize: *value = p.warpSize; break;
    case cudaDevAttrMultiProcessorCount: *value = p.multiProcessorCount; break;
    case cudaDevAttrComputeCapabilityMajor: *value = p.major; break;
    case cudaDevAttrComputeCapabilityMinor: *value = p.minor; break;
    case cudaDevAttrMaxSharedMemoryPerBlockOptin:
      *value = static_cast<int>(p.sharedMemPerBlockOptin);
      break;
    default: return record_error(cudaErrorInvalidValue);
  }
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }  // launches are synchronous
cudaError_t cudaDeviceReset() { return cudaSuccess; }

cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
  if (free_bytes == nullptr || total_bytes == nullptr) return record_error(cudaErrorInvalidValue);
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  *total_bytes = kTotalGlobalMem;
  *free_bytes = kTotalGlobalMem - s.device_used;
  return cudaSuccess;
}

// ---------------------------------------------------------------- memory
cudaError_t cudaMalloc(void** ptr, size_t bytes) {
  if (ptr == nullptr) return record_error(cudaErrorInvalidValue);
  *ptr = nullptr;
  if (bytes == 0) return cudaSuccess;
  State& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (bytes > kTotalGlobalMem - s.device_used) return record_error(cudaErrorMemoryAllocation);
  }
  void* p = ::operator new(bytes, std::align_val_t(kDeviceAlign), std::nothrow);
  if (p == nullptr) return record_error(cudaErrorMemoryAllocation);
  std::lock_guard<std::mutex> lock(s.mutex);
  s.device[reinterpret_cast<uintptr_t>(p)] = bytes;
  s.device_used += bytes;
  *ptr = p;
  return cudaSuccess;
}

cudaError_t cudaFree(void* ptr) {
  if (ptr == nullptr) return cudaSuccess;
  State& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.device.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == s.device.end()) return record_error(cudaErrorInvalidValue);
    s.device_used -= it->second;
    s.device.erase(it);
  }
  ::operator delete(ptr, std::align_val_t(kDeviceAlign));
  return cudaSuccess;
}

cudaError_t cudaMallocHost(void** ptr, size_t bytes) {
  if (ptr == nullptr) return record_error(cudaErrorInvalidValue);
  *ptr = nullptr;
  if (bytes == 0) return cudaSuccess;
  void* p = ::operator new(bytes, std::align_val_t(kDeviceAlign), std::nothrow);
  if (p == nullptr) return record_error(cudaErrorMemoryAllocation);
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.pinned[reinterpret_cast<uintptr_t>(p)] = bytes;
  *ptr = p;
  return cudaSuccess;
}

cudaError_t cudaFreeHost(void* ptr) {
  if (ptr == nullptr) return cudaSuccess;
  State& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.pinned.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == s.pinned.end()) return record_error(cudaErrorInvalidValue);
    s.pinned.erase(it);
  }
  ::operator delete(ptr, std::align_val_t(kDeviceAlign));
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind) {
  if (bytes == 0) return cudaSuccess;
  if (dst == nullptr || src == nullptr) return record_error(cudaErrorInvalidValue);
  bool dst_device, src_device;
  switch (kind) {
    case cudaMemcpyHostToHost: dst_device = false, src_device = false; break;
    case cudaMemcpyHostToDevice: dst_device = true, src_device = false; break;
    case cudaMemcpyDeviceToHost: dst_device = false, src_device = true; break;
    case cudaMemcpyDeviceToDevice: dst_device = true, src_device = true; break;
    case cudaMemcpyDefault:  // unified addressing: either side may be either
      dst_device = device_range(dst, 1);
      src_device = device_range(src, 1);
      break;
    default: return record_error(cudaErrorInvalidMemcpyDirection);
  }
  if (dst_device && !device_range(dst, bytes)) return record_error(cudaErrorInvalidValue);
  if (src_device && !device_range(src, bytes)) return record_error(cudaErrorInvalidValue);
  std::memmove(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream) {
  if (!stream_is_valid(stream)) return record_error(cudaErrorInvalidResourceHandle);
  return cudaMemcpy(dst, src, bytes, kind);
}

cudaError_t cudaMemset(void* ptr, int value, size_t bytes) {
  if (bytes == 0) return cudaSuccess;
  if (!device_range(ptr, bytes)) return record_error(cudaErrorInvalidValue);
  std::memset(ptr, value, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void* ptr, int value, size_t bytes, cudaStream_t stream) {
  if (!stream_is_valid(stream)) return record_error(cudaErrorInvalidResourceHandle);
  return cudaMemset(ptr, value, bytes);
}

// ---------------------------------------------------------------- streams
cudaError_t cudaStreamCreate(cudaStream_t* stream) {
  return cudaStreamCreateWithFlags(stream, cudaStreamDefault);
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags) {
  if (stream == nullptr || (flags & ~cudaStreamNonBlocking) != 0)
    return record_error(cudaErrorInvalidValue);
  SimStream* st = new SimStream{flags};
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.streams.insert(st);
  *stream = st;
  return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  State& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (stream == nullptr || s.streams.erase(stream) == 0)
      return record_error(cudaErrorInvalidResourceHandle);
  }
  delete stream;
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  return stream_is_valid(stream) ? cudaSuccess : record_error(cudaErrorInvalidResourceHandle);
}

cudaError_t cudaStreamQuery(cudaStream_t stream) { return cudaStreamSynchronize(stream); }

// ---------------------------------------------------------------- events
namespace {
bool event_is_valid(cudaEvent_t e) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return e != nullptr && s.events.count(e) != 0;
}
}  // namespace

cudaError_t cudaEventCreate(cudaEvent_t* event) {
  return cudaEventCreateWithFlags(event, cudaEventDefault);
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags) {
  if (event == nullptr || (flags & ~(cudaEventBlockingSync | cudaEventDisableTiming)) != 0)
    return record_error(cudaErrorInvalidValue);
  SimEvent* e = new SimEvent{flags, false, {}};
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.events.insert(e);
  *event = e;
  return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  if (!event_is_valid(event) || !stream_is_valid(stream))
    return record_error(cudaErrorInvalidResourceHandle);
  event->recorded = true;
  event->when = std::chrono::steady_clock::now();  // the stream is idle: now is when it passes
  return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  return event_is_valid(event) ? cudaSuccess : record_error(cudaErrorInvalidResourceHandle);
}

cudaError_t cudaEventQuery(cudaEvent_t event) { return cudaEventSynchronize(event); }

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  if (ms == nullptr) return record_error(cudaErrorInvalidValue);
  if (!event_is_valid(start) || !event_is_valid(end) || !start->recorded || !end->recorded ||
      ((start->flags | end->flags) & cudaEventDisableTiming) != 0)
    return record_error(cudaErrorInvalidResourceHandle);
  *ms = std::chrono::duration<float, std::milli>(end->when - start->when).count();
  return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  State& s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (event == nullptr || s.events.erase(event) == 0)
      return record_error(cudaErrorInvalidResourceHandle);
  }
  delete event;
  return cudaSuccess;
}

// ---------------------------------------------------------------- errors
cudaError_t cudaGetLastError() {
  cudaError_t e = tl_last_error;
  tl_last_error = cudaSuccess;
  return e;
}

cudaError_t cudaPeekAtLastError() { return tl_last_error; }

const char* cudaGetErrorString(cudaError_t error) {
  switch (error) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInitializationError: return "initialization error";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidSymbol: return "invalid device symbol";
    case cudaErrorInvalidDevicePointer: return "invalid device pointer";
    case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
    case cudaErrorInvalidDeviceFunction: return "invalid device function";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorIllegalAddress: return "an illegal memory access was encountered";
    case cudaErrorLaunchOutOfResources: return "too many resources requested for launch";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorNotSupported: return "operation not supported";
    case cudaErrorUnknown: return "unknown error";
  }
  return "unrecognized error code";
}

const char* cudaGetErrorName(cudaError_t error) {
  switch (error) {
#define NV_SIM_NAME(e) \
  case e: return #e;
    NV_SIM_NAME(cudaSuccess)
    NV_SIM_NAME(cudaErrorInvalidValue)
    NV_SIM_NAME(cudaErrorMemoryAllocation)
    NV_SIM_NAME(cudaErrorInitializationError)
    NV_SIM_NAME(cudaErrorInvalidConfiguration)
    NV_SIM_NAME(cudaErrorInvalidSymbol)
    NV_SIM_NAME(cudaErrorInvalidDevicePointer)
    NV_SIM_NAME(cudaErrorInvalidMemcpyDirection)
    NV_SIM_NAME(cudaErrorInvalidDeviceFunction)
    NV_SIM_NAME(cudaErrorNoDevice)
    NV_SIM_NAME(cudaErrorInvalidDevice)
    NV_SIM_NAME(cudaErrorInvalidResourceHandle)
    NV_SIM_NAME(cudaErrorNotReady)
    NV_SIM_NAME(cudaErrorIllegalAddress)
    NV_SIM_NAME(cudaErrorLaunchOutOfResources)
    NV_SIM_NAME(cudaErrorLaunchFailure)
    NV_SIM_NAME(cudaErrorNotSupported)
    NV_SIM_NAME(cudaErrorUnknown)
#undef NV_SIM_NAME
  }
  return "cudaErrorUnknown";
}

// ---------------------------------------------------------------- kernel attributes
cudaError_t cudaFuncSetAttribute(const void* func, cudaFuncAttribute attr, int value) {
  if (func == nullptr) return record_error(cudaErrorInvalidDeviceFunction);
  switch (attr) {
    case cudaFuncAttributeMaxDynamicSharedMemorySize: {
      if (value < 0 || static_cast<size_t>(value) > kMaxSharedPerBlockOptin)
        return record_error(cudaErrorInvalidValue);
      State& s = state();
      std::lock_guard<std::mutex> lock(s.mutex);
      s.max_dynamic_shared[func] = static_cast<size_t>(value);
      return cudaSuccess;
    }
    case cudaFuncAttributePreferredSharedMemoryCarveout:
      return (value < -1 || value > 100) ? record_error(cudaErrorInvalidValue) : cudaSuccess;
  }
  return record_error(cudaErrorInvalidValue);
}

}  // namespace cuda_api
}  // namespace sim
}  // namespace nv
