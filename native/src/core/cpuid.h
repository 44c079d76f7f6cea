// CPUID: which of NV_ISA_AVX512 / NV_ISA_AVX2 / NV_ISA_PORTABLE this CPU and OS can run.
#pragma once
#include <cstdint>

namespace nv {
int32_t detect_isa();  // computed once, cached
}
