// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
// counter-based generator, so element i is a pure function of (seed, offset + i) and the
// result does not depend on the thread count or the backend. Header-only so that the CUDA
// backend and the double-precision reference can share the exact same bits.
#pragma once
#include <cmath>
#include <cstdint>

// Callable from CUDA kernels too (nvcc); plain inline functions for every other compiler.
#ifdef __CUDACC__
#define NV_PHILOX_HD __host__ __device__
#else
#define NV_PHILOX_HD
#endif

namespace nv {

struct Philox4 {
  uint32_t v[4];
};

// Ten rounds on the counter (c0, c1, c2, c3) with the key (k0, k1).
NV_PHILOX_HD inline Philox4 philox4x32_10(uint64_t counter, uint64_t seed) {
  uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32);
  uint32_t c2 = 0, c3 = 0;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
    uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
    uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c1 = static_cast<uint32_t>(p1);
    c3 = static_cast<uint32_t>(p0);
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return Philox4{{c0, c1, c2, c3}};
}

// Top 24 bits as a float in [0, 1).
NV_PHILOX_HD inline float bits_to_unit(uint32_t x) { return static_cast<float>(x >> 8) * (1.0f / 16777216.0f); }

NV_PHILOX_HD inline float philox_uniform01(uint64_t seed, uint64_t index) {
  return bits_to_unit(philox4x32_10(index, seed).v[0]);
}

// Box-Muller on two words of the same block: u1 in (0, 1] keeps the log finite.
NV_PHILOX_HD inline float philox_normal(uint64_t seed, uint64_t index) {
  Philox4 r = philox4x32_10(index, seed);
  float u1 = static_cast<float>((r.v[0] >> 8) + 1) * (1.0f / 16777216.0f);
  float u2 = bits_to_unit(r.v[1]);
  return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.28318530717958647f * u2);
}

}  // namespace nv
