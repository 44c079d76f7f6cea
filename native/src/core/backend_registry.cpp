// The backend tables this build lacks, and the completeness check of a table. Each backend
// defines its own accessor (cpu/backend.cpp, cuda/backend.cu); where a GPU backend was not
// compiled, its accessor answers nullptr here.
#include "core/backend.h"

namespace nv {

#ifndef NERVE_HAVE_CUDA
const Backend* cuda_backend() { return nullptr; }
#endif

#ifndef NERVE_HAVE_CUDA_SIM
const Backend* cudasim_backend() { return nullptr; }
#endif

const char* missing_entry(const Backend& b) {
  if (b.device_count == nullptr) return "device_count";
  if (b.device_info == nullptr) return "device_info";
  if (b.init == nullptr) return "init";
  if (b.shutdown == nullptr) return "shutdown";
  if (b.alloc == nullptr) return "alloc";
  if (b.free == nullptr) return "free";
  if (b.memory_stats == nullptr) return "memory_stats";
  if (b.release_cached == nullptr) return "release_cached";
  if (b.copy_to_device == nullptr) return "copy_to_device";
  if (b.copy_to_host == nullptr) return "copy_to_host";
  if (b.synchronize == nullptr) return "synchronize";
  if (b.stream == nullptr) return "stream";
#define NV_MISSING_ONE_(name) \
  if (b.name == nullptr) return #name;
  NV_KERNELS(NV_MISSING_ONE_)
#undef NV_MISSING_ONE_
  return nullptr;
}

}  // namespace nv
