#include <cmath>
#include <cstring>

#include "cpu/philox.h"
#include "ref/ref.h"

namespace nv::ref {

void copy_strided(int32_t es, int32_t ndim, const int64_t* shape, const void* src,
                  const int64_t* ss, void* dst, const int64_t* ds) {
  int64_t total = 1;
  for (int d = 0; d < ndim; ++d) total *= shape[d];
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t os, od;
    strided_offsets(flat, ndim, shape, ss, ds, &os, &od);
    std::memcpy(static_cast<char*>(dst) + od * es, static_cast<const char*>(src) + os * es, es);
  }
}

int32_t cast_f32_i32(float x) {
  if (std::isnan(x)) return 0;
  double t = std::trunc(static_cast<double>(x));
  if (t >= 2147483647.0) return INT32_MAX;
  if (t <= -2147483648.0) return INT32_MIN;
  return static_cast<int32_t>(t);
}

// The same Philox bits as the kernel (the generator is the definition), then the transform
// in double.
double rand_uniform(uint64_t seed, uint64_t index, double lo, double hi) {
  uint32_t bits = philox4x32_10(index, seed).v[0];
  return lo + (hi - lo) * static_cast<double>(bits >> 8) / 16777216.0;
}

double rand_normal(uint64_t seed, uint64_t index, double mean, double stddev) {
  Philox4 r = philox4x32_10(index, seed);
  double u1 = static_cast<double>((r.v[0] >> 8) + 1) / 16777216.0;
  double u2 = static_cast<double>(r.v[1] >> 8) / 16777216.0;
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}  // namespace nv::ref
