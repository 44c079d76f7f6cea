// The GPU backend tables that this build lacks. Each backend defines its own table accessor
// in src/cuda/backend.cu; where a backend was not compiled, its accessor answers nullptr here.
#include "core/gpu_backend.h"

namespace nv {

#ifndef NERVE_HAVE_CUDA
const GpuBackend* cuda_backend() { return nullptr; }
#endif

#ifndef NERVE_HAVE_CUDA_SIM
const GpuBackend* cudasim_backend() { return nullptr; }
#endif

}  // namespace nv
