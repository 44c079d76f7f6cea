// Row gather (embedding lookup) and its backward, the row scatter-add. Memory-bound row
// copies: plain loops the compiler vectorises, no per-ISA bodies.
#include <cstring>

#include "core/context.h"
#include "core/error.h"
#include "cpu/cpu_kernels.h"

namespace nv::cpu {

namespace {

// The indices first, so a bad one fails before anything is written.
nv_status check_indices(const char* fn, int64_t n, int64_t rows, const int32_t* idx) {
  for (int64_t i = 0; i < n; ++i) {
    if (idx[i] < 0 || idx[i] >= rows)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: index %d at position %lld is outside [0, %lld)",
                  fn, idx[i], static_cast<long long>(i), static_cast<long long>(rows));
  }
  return NV_OK;
}

}  // namespace

NV_KERNEL_DEF(gather_rows_f32) {
  nv_status s = check_indices("nv_gather_rows_f32", n, rows, idx);
  if (s != NV_OK || dim == 0) return s;
  parallel_for(ctx, n, 16384 / dim + 1, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i)
      std::memcpy(out + i * dim, table + static_cast<int64_t>(idx[i]) * dim, dim * sizeof(float));
  });
  return NV_OK;
}

NV_KERNEL_DEF(scatter_add_rows_f32) {
  nv_status s = check_indices("nv_scatter_add_rows_f32", n, rows, idx);
  if (s != NV_OK || dim == 0) return s;
  // Threads own column ranges (never two threads on one element), and each walks i in order:
  // the sums are the same for every thread count.
  int64_t grain = 64;
  if (n * dim < 65536) grain = dim;  // small: one thread
  parallel_for(ctx, dim, grain, [&](int64_t lo, int64_t hi) {
    for (int64_t i = 0; i < n; ++i) {
      float* dst = table + static_cast<int64_t>(idx[i]) * dim;
      const float* row = src + i * dim;
      for (int64_t k = lo; k < hi; ++k) dst[k] += row[k];
    }
  });
  return NV_OK;
}

}  // namespace nv::cpu
