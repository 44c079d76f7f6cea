// cuda-sim internals shared between the scheduler and the runtime API (not for kernel code).
#pragma once
#include "cuda/sim/cuda_sim.h"

namespace nv {
namespace sim {

// The runtime's per-host-thread error state (cudaGetLastError), set by failing calls and
// failing launches.
cudaError_t record_error(cudaError_t err);
// The stream handle is the default stream (nullptr) or one cudaStreamCreate returned.
bool stream_is_valid(cudaStream_t stream);
// The dynamic shared memory a launch of kernel may ask for (48 KiB unless raised).
size_t max_dynamic_shared(const void* kernel);

// The fictional device's limits.
constexpr int kMaxThreadsPerBlock = 1024;
constexpr int kMaxBlockZ = 64;
constexpr unsigned kMaxGridX = 0x7fffffffu;
constexpr unsigned kMaxGridYZ = 65535;
constexpr size_t kDefaultSharedPerBlock = 48 * 1024;
constexpr size_t kMaxSharedPerBlockOptin = 227 * 1024;     // sm_90: 232448 bytes
constexpr size_t kSharedPerMultiprocessor = 228 * 1024;
constexpr size_t kTotalGlobalMem = 80ull << 30;

}  // namespace sim
}  // namespace nv
