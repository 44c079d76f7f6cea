#include "cpuid.h"

#include "nerve.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace nv {

namespace {

#if defined(__x86_64__)
// XCR0 tells whether the OS saves the wider registers on a context switch; CPUID alone only
// says the CPU has them.
uint64_t xgetbv0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (uint64_t(edx) << 32) | eax;
}

int32_t probe() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return NV_ISA_PORTABLE;
  bool osxsave = c & (1u << 27);
  bool fma = c & (1u << 12);
  bool avx = c & (1u << 28);
  if (!osxsave || !avx) return NV_ISA_PORTABLE;
  uint64_t xcr0 = xgetbv0();
  bool ymm_state = (xcr0 & 0x6) == 0x6;
  bool zmm_state = (xcr0 & 0xe6) == 0xe6;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return NV_ISA_PORTABLE;
  bool avx2 = b & (1u << 5);
  bool avx512f = b & (1u << 16);
  bool avx512dq = b & (1u << 17);
  bool avx512vl = b & (1u << 31);
  if (avx512f && avx512dq && avx512vl && fma && zmm_state) return NV_ISA_AVX512;
  if (avx2 && fma && ymm_state) return NV_ISA_AVX2;
  return NV_ISA_PORTABLE;
}
#else
int32_t probe() { return NV_ISA_PORTABLE; }
#endif

}  // namespace

int32_t detect_isa() {
  static const int32_t isa = probe();
  return isa;
}

}  // namespace nv
