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
#define NV_MISSING_ONE_(name) \
  if (b.name == nullptr) return #name;
  NV_BACKEND_SERVICES(NV_MISSING_ONE_)
  NV_KERNELS(NV_MISSING_ONE_)
#undef NV_MISSING_ONE_
  return nullptr;
}

}  // namespace nv
