// cuda-sim: the SIMT layer that lets the .cu sources in src/cuda/ compile with g++ and run on the
// CPU (docs/ARCHITECTURE.md, "cuda-sim"). cuda_common.cuh includes this header instead of
// <cuda_runtime.h> when NERVE_CUDA_SIM is defined.
//
// Model:
//  - Each CUDA thread is a ucontext fiber with its own 64 KiB stack; one OS thread runs one
//    block at a time, all fibers of that block on that OS thread. Hence `__shared__` is
//    `static thread_local`, and the builtin variables (threadIdx, ...) are thread-locals the
//    scheduler sets before it resumes a fiber.
//  - __syncthreads() parks the fiber until every unfinished fiber of the block waits at a
//    block barrier; warp collectives park it until every unfinished lane named in the mask
//    has arrived. Exited threads are no longer counted, as on the GPU.
//  - Blocks run in parallel on a small pool of OS threads (2 by default, NERVE_SIM_THREADS to
//    change), so atomics are real atomics.
//  - The runtime API subset the backend uses maps "device" memory to host memory, with the
//    argument checks the real runtime does; launches are synchronous.
//
// Known limits: static __shared__ arrays do not count toward the launch's shared-memory limit
// (the sim cannot see their size); __activemask() answers the lanes that have not exited (the
// sim cannot see convergence); fibers of a block run in a fixed order to their next barrier, so
// a missing __syncthreads/__syncwarp shows up only as a wrong or poisoned value, not as a race
// report; launches from several host threads are serialised; 64 KiB per CUDA thread's stack.
//
// Everything that carries a CUDA name lives in namespace nv::sim::cuda_api and is brought into
// the global namespace by a using-directive: the CUDA backend (nvcc, real cudart) can sit in the
// same libnerve.so without two definitions of ::dim3 or ::cudaMalloc.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <type_traits>

#include "core/error.h"
#include "nerve.h"

// ---------------------------------------------------------------- qualifiers
#define __global__
#define __device__
#define __host__
#define __constant__
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// One OS thread runs one block at a time: a thread-local static is exactly one block's copy.
// (`extern __shared__` does not compile on purpose: use nv::gpu::dynamic_shared<T>().)
#define __shared__ static thread_local
// __restrict__ is a g++ keyword already.

namespace nv {
namespace sim {
namespace cuda_api {

// ---------------------------------------------------------------- vector types
struct uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return uint3{x, y, z}; }
};

// Same sizes and alignments as CUDA's vector_types.h, so reinterpret_casts in kernels behave.
#define NV_SIM_VEC2(T, name, al) \
  struct __attribute__((aligned(al))) name { T x, y; };
#define NV_SIM_VEC3(T, name) \
  struct name { T x, y, z; };
#define NV_SIM_VEC4(T, name, al) \
  struct __attribute__((aligned(al))) name { T x, y, z, w; };
NV_SIM_VEC2(float, float2, 8)
NV_SIM_VEC3(float, float3)
NV_SIM_VEC4(float, float4, 16)
NV_SIM_VEC2(int, int2, 8)
NV_SIM_VEC3(int, int3)
NV_SIM_VEC4(int, int4, 16)
NV_SIM_VEC2(unsigned, uint2, 8)
NV_SIM_VEC4(unsigned, uint4, 16)
NV_SIM_VEC2(double, double2, 16)
NV_SIM_VEC2(long long, longlong2, 16)
NV_SIM_VEC2(unsigned long long, ulonglong2, 16)
NV_SIM_VEC2(short, short2, 4)
NV_SIM_VEC2(unsigned short, ushort2, 4)
NV_SIM_VEC4(signed char, char4, 4)
NV_SIM_VEC4(unsigned char, uchar4, 4)
#undef NV_SIM_VEC2
#undef NV_SIM_VEC3
#undef NV_SIM_VEC4

inline float2 make_float2(float x, float y) { return {x, y}; }
inline float3 make_float3(float x, float y, float z) { return {x, y, z}; }
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
inline int2 make_int2(int x, int y) { return {x, y}; }
inline int3 make_int3(int x, int y, int z) { return {x, y, z}; }
inline int4 make_int4(int x, int y, int z, int w) { return {x, y, z, w}; }
inline uint2 make_uint2(unsigned x, unsigned y) { return {x, y}; }
inline uint3 make_uint3(unsigned x, unsigned y, unsigned z) { return {x, y, z}; }
inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return {x, y, z, w}; }
inline double2 make_double2(double x, double y) { return {x, y}; }
inline uchar4 make_uchar4(unsigned char x, unsigned char y, unsigned char z, unsigned char w) {
  return {x, y, z, w};
}

// ---------------------------------------------------------------- builtin variables
// Set by the scheduler (scheduler.cpp) before it resumes a fiber. extern, not inline: the test
// executables and libnerve.so must all see the one copy the scheduler writes.
extern thread_local uint3 threadIdx;
extern thread_local uint3 blockIdx;
extern thread_local dim3 blockDim;
extern thread_local dim3 gridDim;
constexpr int warpSize = 32;

// ---------------------------------------------------------------- runtime API types
enum cudaError {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInitializationError = 3,
  cudaErrorInvalidConfiguration = 9,
  cudaErrorInvalidSymbol = 13,
  cudaErrorInvalidDevicePointer = 17,
  cudaErrorInvalidMemcpyDirection = 21,
  cudaErrorInvalidDeviceFunction = 98,
  cudaErrorNoDevice = 100,
  cudaErrorInvalidDevice = 101,
  cudaErrorInvalidResourceHandle = 400,
  cudaErrorNotReady = 600,
  cudaErrorIllegalAddress = 700,
  cudaErrorLaunchOutOfResources = 701,
  cudaErrorLaunchFailure = 719,
  cudaErrorNotSupported = 801,
  cudaErrorUnknown = 999,
};
typedef cudaError cudaError_t;

enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
  cudaMemcpyDefault = 4,
};

enum cudaFuncAttribute {
  cudaFuncAttributeMaxDynamicSharedMemorySize = 8,
  cudaFuncAttributePreferredSharedMemoryCarveout = 9,
};

enum cudaDeviceAttr {
  cudaDevAttrMaxThreadsPerBlock = 1,
  cudaDevAttrMaxSharedMemoryPerBlock = 8,
  cudaDevAttrWarpSize = 10,
  cudaDevAttrMultiProcessorCount = 16,
  cudaDevAttrComputeCapabilityMajor = 75,
  cudaDevAttrComputeCapabilityMinor = 76,
  cudaDevAttrMaxSharedMemoryPerBlockOptin = 97,
};

constexpr unsigned cudaStreamDefault = 0x0;
constexpr unsigned cudaStreamNonBlocking = 0x1;
constexpr unsigned cudaEventDefault = 0x0;
constexpr unsigned cudaEventBlockingSync = 0x1;
constexpr unsigned cudaEventDisableTiming = 0x2;

struct SimStream;  // opaque, as CUstream_st
struct SimEvent;
typedef SimStream* cudaStream_t;
typedef SimEvent* cudaEvent_t;

struct cudaDeviceProp {
  char name[256];
  size_t totalGlobalMem;
  size_t sharedMemPerBlock;
  int regsPerBlock;
  int warpSize;
  size_t memPitch;
  int maxThreadsPerBlock;
  int maxThreadsDim[3];
  int maxGridSize[3];
  int clockRate;
  size_t totalConstMem;
  int major;
  int minor;
  size_t textureAlignment;
  int multiProcessorCount;
  int integrated;
  int canMapHostMemory;
  int concurrentKernels;
  int pciBusID;
  int pciDeviceID;
  int memoryClockRate;
  int memoryBusWidth;
  int l2CacheSize;
  int maxThreadsPerMultiProcessor;
  int unifiedAddressing;
  size_t sharedMemPerMultiprocessor;
  int regsPerMultiprocessor;
  int managedMemory;
  size_t sharedMemPerBlockOptin;
  int maxBlocksPerMultiProcessor;
};

// ---------------------------------------------------------------- runtime API (runtime.cpp)
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device);
cudaError_t cudaDeviceSynchronize();
cudaError_t cudaDeviceReset();
cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes);

cudaError_t cudaMalloc(void** ptr, size_t bytes);
template <typename T>
inline cudaError_t cudaMalloc(T** ptr, size_t bytes) {
  return cudaMalloc(reinterpret_cast<void**>(ptr), bytes);
}
cudaError_t cudaFree(void* ptr);
cudaError_t cudaMallocHost(void** ptr, size_t bytes);
template <typename T>
inline cudaError_t cudaMallocHost(T** ptr, size_t bytes) {
  return cudaMallocHost(reinterpret_cast<void**>(ptr), bytes);
}
cudaError_t cudaFreeHost(void* ptr);

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream = nullptr);
cudaError_t cudaMemset(void* ptr, int value, size_t bytes);
cudaError_t cudaMemsetAsync(void* ptr, int value, size_t bytes, cudaStream_t stream = nullptr);

cudaError_t cudaStreamCreate(cudaStream_t* stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaStreamQuery(cudaStream_t stream);

cudaError_t cudaEventCreate(cudaEvent_t* event);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventQuery(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);
cudaError_t cudaEventDestroy(cudaEvent_t event);

cudaError_t cudaGetLastError();
cudaError_t cudaPeekAtLastError();
const char* cudaGetErrorString(cudaError_t error);
const char* cudaGetErrorName(cudaError_t error);

// attr cudaFuncAttributeMaxDynamicSharedMemorySize raises the dynamic shared memory a launch of
// func may ask for beyond 48 KiB, up to 227 KiB (the sm_90 opt-in limit).
cudaError_t cudaFuncSetAttribute(const void* func, cudaFuncAttribute attr, int value);
template <typename... P>
inline cudaError_t cudaFuncSetAttribute(void (*func)(P...), cudaFuncAttribute attr, int value) {
  return cudaFuncSetAttribute(reinterpret_cast<const void*>(func), attr, value);
}

}  // namespace cuda_api
}  // namespace sim
}  // namespace nv

using namespace ::nv::sim::cuda_api;  // NOLINT: CUDA code names these unqualified

namespace nv {
namespace sim {

// ---------------------------------------------------------------- scheduler hooks
// (scheduler.cpp) Aborts with a message naming the kernel and block when a block deadlocks,
// when a builtin is called outside a kernel, or on a malformed warp collective.
[[noreturn]] void kernel_abort(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Block barrier. count_pred: the number of arriving threads whose pred was non-zero.
int block_barrier(int pred);

// The current block's dynamic shared memory (shared_bytes of the launch, 16-byte aligned).
void* dynamic_shared_memory();

// One warp's lane slots, through which collectives exchange values (warp.cpp, mma.cpp).
struct WarpLane {
  alignas(16) unsigned char in[48];  // this lane's operand(s)
  alignas(16) unsigned char out[16];  // this lane's result, written by the combine step
  int op;     // which variant (shuffle kind, reduction, ...)
  int arg;    // srcLane / delta / laneMask
  int width;  // shuffle segment width
  unsigned size;  // operand bytes
};
// Runs by the last lane to arrive, once every unfinished lane of `participants` waits:
// reads lanes[i].in for the warp's 32 lanes, writes lanes[i].out for each participant.
using WarpCombine = void (*)(WarpLane* lanes, unsigned participants);
// This fiber's slot in its warp.
WarpLane& this_lane();
// Waits at the warp barrier for the lanes of mask (exited lanes excepted), then returns the
// participating lanes; `combine` has filled this lane's out by then. Every lane of one
// collective must pass the same mask and combine (as CUDA requires; checked).
unsigned warp_sync(unsigned mask, WarpCombine combine);
// Lanes of the calling warp that exist and have not exited.
unsigned warp_live_mask();

// ---------------------------------------------------------------- warp collectives (warp.cpp)
void syncwarp(unsigned mask);
enum ShflKind : int { kShflIdx = 0, kShflUp = 1, kShflDown = 2, kShflXor = 3 };
void shfl_bytes(unsigned mask, ShflKind kind, const void* in, void* out, unsigned size, int arg,
                int width);
unsigned vote_ballot(unsigned mask, int pred, unsigned* participants);
enum ReduceOp : int {
  kReduceAddU, kReduceMinU, kReduceMaxU, kReduceMinS, kReduceMaxS, kReduceAnd, kReduceOr,
  kReduceXor
};
unsigned warp_reduce(unsigned mask, ReduceOp op, unsigned value);

// ---------------------------------------------------------------- tensor-core twin (mma.cpp)
// cvt.rna.tf32.f32: round to nearest, ties away from zero, to 10 explicit mantissa bits; the
// result is the float's bit pattern with the low 13 bits zero.
uint32_t cvt_rna_tf32(float x);
// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 for the calling warp (all 32 lanes must
// take part): fragments as in the PTX ISA manual (section "Matrix Fragments for mma.m16n8k8",
// .tf32), with g = lane >> 2, t = lane & 3:
//   a0 A[g][t]    a1 A[g+8][t]    a2 A[g][t+4]    a3 A[g+8][t+4]        (A 16x8, row)
//   b0 B[t][g]    b1 B[t+4][g]                                           (B 8x8, col)
//   c0 C[g][2t]   c1 C[g][2t+1]   c2 C[g+8][2t]   c3 C[g+8][2t+1]       (C, D 16x8)
// a and b are TF32 bit patterns; they are rounded with cvt_rna_tf32 once more (a no-op for
// converted values). Products are exact in float; sums accumulate in float, k ascending.
void mma_m16n8k8_tf32(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2],
                      const float (&c)[4]);

// ---------------------------------------------------------------- launch (scheduler.cpp)
// Runs every block of the grid before it returns (streams are in-order, so a synchronous launch
// is a legal schedule). Fails, like the GPU, on a bad configuration or stream.
nv_status launch_kernel(const char* op, const void* kernel_id, dim3 grid, dim3 block,
                        size_t shared_bytes, cudaStream_t stream, void (*call)(const void*),
                        const void* closure);

template <typename... Params, typename... Args>
inline nv_status launch(const char* op, void (*kernel)(Params...), dim3 grid, dim3 block,
                        size_t shared_bytes, cudaStream_t stream, Args... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "launch: wrong number of kernel arguments");
  // Each CUDA thread receives its own copy of the parameters, as on the GPU.
  struct Closure {
    void (*kernel)(Params...);
    std::tuple<std::decay_t<Params>...> params;
  };
  const Closure closure{kernel, std::tuple<std::decay_t<Params>...>(
                                    static_cast<std::decay_t<Params>>(args)...)};
  void (*call)(const void*) = [](const void* p) {
    const Closure* c = static_cast<const Closure*>(p);
    std::tuple<std::decay_t<Params>...> copy = c->params;
    std::apply(c->kernel, copy);
  };
  return launch_kernel(op, reinterpret_cast<const void*>(kernel), grid, block, shared_bytes,
                       stream, call, &closure);
}

}  // namespace sim
}  // namespace nv

namespace nv {
namespace sim {
namespace cuda_api {

// ---------------------------------------------------------------- synchronisation
inline void __syncthreads() { ::nv::sim::block_barrier(0); }
inline int __syncthreads_count(int pred) { return ::nv::sim::block_barrier(pred != 0); }
inline int __syncthreads_and(int pred) {
  // Counting arrivals whose pred is zero: all true when none is.
  return ::nv::sim::block_barrier(pred == 0) == 0;
}
inline int __syncthreads_or(int pred) { return ::nv::sim::block_barrier(pred != 0) != 0; }
inline void __syncwarp(unsigned mask = 0xffffffffu) { ::nv::sim::syncwarp(mask); }
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
[[noreturn]] inline void __trap() { ::nv::sim::kernel_abort("__trap() called"); }

// ---------------------------------------------------------------- warp collectives
template <typename T>
inline T nv_sim_shfl(unsigned mask, T var, int arg, int width, ::nv::sim::ShflKind kind) {
  static_assert(std::is_trivially_copyable<T>::value && sizeof(T) <= 16,
                "__shfl_*_sync: T must be a trivially copyable type of at most 16 bytes");
  T out;
  ::nv::sim::shfl_bytes(mask, kind, &var, &out, sizeof(T), arg, width);
  return out;
}
template <typename T>
inline T __shfl_sync(unsigned mask, T var, int src_lane, int width = warpSize) {
  return nv_sim_shfl(mask, var, src_lane, width, ::nv::sim::kShflIdx);
}
template <typename T>
inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = warpSize) {
  return nv_sim_shfl(mask, var, static_cast<int>(delta), width, ::nv::sim::kShflUp);
}
template <typename T>
inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = warpSize) {
  return nv_sim_shfl(mask, var, static_cast<int>(delta), width, ::nv::sim::kShflDown);
}
template <typename T>
inline T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = warpSize) {
  return nv_sim_shfl(mask, var, lane_mask, width, ::nv::sim::kShflXor);
}

inline unsigned __ballot_sync(unsigned mask, int pred) {
  return ::nv::sim::vote_ballot(mask, pred, nullptr);
}
inline int __any_sync(unsigned mask, int pred) {
  return ::nv::sim::vote_ballot(mask, pred, nullptr) != 0;
}
inline int __all_sync(unsigned mask, int pred) {
  unsigned participants = 0;
  unsigned ballot = ::nv::sim::vote_ballot(mask, pred, &participants);
  return ballot == participants;
}
// The sim cannot see which lanes are converged: it answers the lanes that have not exited.
inline unsigned __activemask() { return ::nv::sim::warp_live_mask(); }

inline unsigned __reduce_add_sync(unsigned mask, unsigned v) {
  return ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceAddU, v);
}
inline int __reduce_add_sync(unsigned mask, int v) {
  return static_cast<int>(
      ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceAddU, static_cast<unsigned>(v)));
}
inline unsigned __reduce_min_sync(unsigned mask, unsigned v) {
  return ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceMinU, v);
}
inline unsigned __reduce_max_sync(unsigned mask, unsigned v) {
  return ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceMaxU, v);
}
inline int __reduce_min_sync(unsigned mask, int v) {
  return static_cast<int>(
      ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceMinS, static_cast<unsigned>(v)));
}
inline int __reduce_max_sync(unsigned mask, int v) {
  return static_cast<int>(
      ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceMaxS, static_cast<unsigned>(v)));
}
inline unsigned __reduce_and_sync(unsigned mask, unsigned v) {
  return ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceAnd, v);
}
inline unsigned __reduce_or_sync(unsigned mask, unsigned v) {
  return ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceOr, v);
}
inline unsigned __reduce_xor_sync(unsigned mask, unsigned v) {
  return ::nv::sim::warp_reduce(mask, ::nv::sim::kReduceXor, v);
}

// ---------------------------------------------------------------- atomics
// Blocks run on several OS threads: these are real atomics (sequentially consistent, which is
// stronger than CUDA's relaxed ones and therefore a legal implementation).
template <typename T>
inline T nv_sim_atomic_update(T* address, T (*update)(T, T), T val) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static_assert(sizeof(T) == sizeof(Bits), "atomic on a 4- or 8-byte type only");
  Bits* p = reinterpret_cast<Bits*>(address);
  Bits old_bits = __atomic_load_n(p, __ATOMIC_SEQ_CST);
  for (;;) {
    T old_val;
    std::memcpy(&old_val, &old_bits, sizeof(T));
    T new_val = update(old_val, val);
    Bits new_bits;
    std::memcpy(&new_bits, &new_val, sizeof(T));
    if (__atomic_compare_exchange_n(p, &old_bits, new_bits, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST))
      return old_val;
  }
}

inline int atomicAdd(int* a, int v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicAdd(unsigned* a, unsigned v) {
  return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);
}
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) {
  return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);
}
inline float atomicAdd(float* a, float v) {
  return nv_sim_atomic_update<float>(a, [](float x, float y) { return x + y; }, v);
}
inline double atomicAdd(double* a, double v) {
  return nv_sim_atomic_update<double>(a, [](double x, double y) { return x + y; }, v);
}
inline int atomicSub(int* a, int v) { return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicSub(unsigned* a, unsigned v) {
  return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST);
}
inline int atomicExch(int* a, int v) { return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicExch(unsigned* a, unsigned v) {
  return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);
}
inline unsigned long long atomicExch(unsigned long long* a, unsigned long long v) {
  return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);
}
inline float atomicExch(float* a, float v) {
  return nv_sim_atomic_update<float>(a, [](float, float y) { return y; }, v);
}
template <typename T>
inline T nv_sim_atomic_cas(T* a, T compare, T val) {
  __atomic_compare_exchange_n(a, &compare, val, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return compare;  // the old value either way
}
inline int atomicCAS(int* a, int compare, int val) { return nv_sim_atomic_cas(a, compare, val); }
inline unsigned atomicCAS(unsigned* a, unsigned compare, unsigned val) {
  return nv_sim_atomic_cas(a, compare, val);
}
inline unsigned long long atomicCAS(unsigned long long* a, unsigned long long compare,
                                    unsigned long long val) {
  return nv_sim_atomic_cas(a, compare, val);
}
inline int atomicMax(int* a, int v) {
  return nv_sim_atomic_update<int>(a, [](int x, int y) { return x > y ? x : y; }, v);
}
inline int atomicMin(int* a, int v) {
  return nv_sim_atomic_update<int>(a, [](int x, int y) { return x < y ? x : y; }, v);
}
inline unsigned atomicMax(unsigned* a, unsigned v) {
  return nv_sim_atomic_update<unsigned>(a, [](unsigned x, unsigned y) { return x > y ? x : y; }, v);
}
inline unsigned atomicMin(unsigned* a, unsigned v) {
  return nv_sim_atomic_update<unsigned>(a, [](unsigned x, unsigned y) { return x < y ? x : y; }, v);
}
inline unsigned long long atomicMax(unsigned long long* a, unsigned long long v) {
  return nv_sim_atomic_update<unsigned long long>(
      a, [](unsigned long long x, unsigned long long y) { return x > y ? x : y; }, v);
}
inline unsigned long long atomicMin(unsigned long long* a, unsigned long long v) {
  return nv_sim_atomic_update<unsigned long long>(
      a, [](unsigned long long x, unsigned long long y) { return x < y ? x : y; }, v);
}
inline int atomicAnd(int* a, int v) { return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicAnd(unsigned* a, unsigned v) {
  return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST);
}
inline int atomicOr(int* a, int v) { return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicOr(unsigned* a, unsigned v) {
  return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST);
}
inline int atomicXor(int* a, int v) { return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicXor(unsigned* a, unsigned v) {
  return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST);
}
// ((old >= val) ? 0 : (old + 1)) and (((old == 0) || (old > val)) ? val : (old - 1)).
inline unsigned atomicInc(unsigned* a, unsigned v) {
  return nv_sim_atomic_update<unsigned>(a, [](unsigned o, unsigned x) { return o >= x ? 0u : o + 1; }, v);
}
inline unsigned atomicDec(unsigned* a, unsigned v) {
  return nv_sim_atomic_update<unsigned>(
      a, [](unsigned o, unsigned x) { return (o == 0 || o > x) ? x : o - 1; }, v);
}

// ---------------------------------------------------------------- math and bits
// <cmath> gives expf, logf, tanhf, sqrtf, fmaxf, fminf, fabsf, fmaf, ... and INFINITY.
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __log2f(float x) { return std::log2(x); }
inline float __powf(float x, float y) { return std::pow(x, y); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __tanf(float x) { return std::tan(x); }
inline float exp10f(float x) { return std::pow(10.0f, x); }
inline float __fdividef(float x, float y) { return x / y; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline float __fadd_rn(float x, float y) { return x + y; }
inline float __fsub_rn(float x, float y) { return x - y; }
inline float __fmul_rn(float x, float y) { return x * y; }
inline float __fdiv_rn(float x, float y) { return x / y; }
inline float __fmaf_rn(float x, float y, float z) { return std::fma(x, y, z); }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : (x == x ? x : 0.0f)); }
inline int __float_as_int(float x) {
  int r;
  std::memcpy(&r, &x, 4);
  return r;
}
inline unsigned __float_as_uint(float x) {
  unsigned r;
  std::memcpy(&r, &x, 4);
  return r;
}
inline float __int_as_float(int x) {
  float r;
  std::memcpy(&r, &x, 4);
  return r;
}
inline float __uint_as_float(unsigned x) {
  float r;
  std::memcpy(&r, &x, 4);
  return r;
}
inline long long __double_as_longlong(double x) {
  long long r;
  std::memcpy(&r, &x, 8);
  return r;
}
inline double __longlong_as_double(long long x) {
  double r;
  std::memcpy(&r, &x, 8);
  return r;
}
inline int __float2int_rn(float x) { return static_cast<int>(std::nearbyint(x)); }
inline int __float2int_rz(float x) { return static_cast<int>(x); }
inline int __float2int_rd(float x) { return static_cast<int>(std::floor(x)); }
inline int __float2int_ru(float x) { return static_cast<int>(std::ceil(x)); }
inline float __int2float_rn(int x) { return static_cast<float>(x); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __clzll(long long x) {
  return x == 0 ? 64 : __builtin_clzll(static_cast<unsigned long long>(x));
}
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline unsigned __brev(unsigned x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
  return __builtin_bswap32(x);
}
inline unsigned __umulhi(unsigned x, unsigned y) {
  return static_cast<unsigned>((static_cast<unsigned long long>(x) * y) >> 32);
}
inline unsigned long long __umul64hi(unsigned long long x, unsigned long long y) {
  return static_cast<unsigned long long>((static_cast<unsigned __int128>(x) * y) >> 64);
}
inline int __mul24(int x, int y) { return x * y; }
template <typename T>
inline T __ldg(const T* p) { return *p; }

// CUDA's device min/max: the usual arithmetic conversions, fmin/fmax semantics for floats.
template <typename A, typename B,
          typename = std::enable_if_t<std::is_arithmetic<A>::value && std::is_arithmetic<B>::value>>
inline std::common_type_t<A, B> min(A a, B b) {
  using C = std::common_type_t<A, B>;
  if constexpr (std::is_floating_point<C>::value) return std::fmin(C(a), C(b));
  else return C(a) < C(b) ? C(a) : C(b);
}
template <typename A, typename B,
          typename = std::enable_if_t<std::is_arithmetic<A>::value && std::is_arithmetic<B>::value>>
inline std::common_type_t<A, B> max(A a, B b) {
  using C = std::common_type_t<A, B>;
  if constexpr (std::is_floating_point<C>::value) return std::fmax(C(a), C(b));
  else return C(a) > C(b) ? C(a) : C(b);
}

}  // namespace cuda_api
}  // namespace sim
}  // namespace nv
