// Division by a divisor fixed at launch, as one multiply and a shift (for GPU index arithmetic,
// where a 32-bit integer division costs about twenty instructions).
#pragma once
#include <cstdint>

#if defined(__CUDACC__)
#define NV_FASTDIV_HD __host__ __device__ __forceinline__
#else
#define NV_FASTDIV_HD inline
#endif

namespace nv {

// n / d for 0 <= n < 2^31 and 1 <= d <= 2^31 by the round-up method of Granlund and Montgomery:
// s = ceil(log2 d), magic = floor(2^32 (2^s - d) / d) + 1 (< 2^32 since 2^s - d < d), and
// n / d = (hi32(n magic) + n) >> s.
struct FastDiv {
  uint32_t d = 1, magic = 1, shift = 0;
  FastDiv() = default;
  explicit FastDiv(int64_t divisor) : d(uint32_t(divisor)) {
    while ((uint64_t(1) << shift) < d) ++shift;
    magic = uint32_t(((uint64_t(1) << 32) * ((uint64_t(1) << shift) - d)) / d + 1);
  }
  NV_FASTDIV_HD int div(int n) const {
    const uint64_t hi = (uint64_t(uint32_t(n)) * magic) >> 32;
    return int((hi + uint32_t(n)) >> shift);
  }
};

}  // namespace nv
