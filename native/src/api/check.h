// Small argument-check helpers for the api/ files (on top of NV_CHECK from core/error.h).
// Each names the function and the offending value, so nv_last_error() is self-explanatory.
#pragma once
#include <cmath>
#include <cstring>
#include <initializer_list>

#include "core/context.h"
#include "core/error.h"

#define NV_CHECK_NONNEG(v, fn) \
  NV_CHECK((v) >= 0, fn ": " #v "=%lld is negative", static_cast<long long>(v))

// Pointers may be NULL only when nothing is read or written through them:
// NV_CHECK_PTRS(needed, fn, x, y) fails naming the first NULL ("fn: y is NULL").
#define NV_CHECK_PTRS(needed, fn, ...)                                                      \
  do {                                                                                      \
    if (needed) NV_TRY(::nv::check_ptrs(fn, #__VA_ARGS__, {__VA_ARGS__}));                 \
  } while (0)

#define NV_CHECK_PTR(p, needed, fn) NV_CHECK_PTRS(needed, fn, p)

// Returns from the calling function when st is not NV_OK.
#define NV_TRY(st)                            \
  do {                                        \
    nv_status nv_try_ = (st);                 \
    if (nv_try_ != NV_OK) return nv_try_;     \
  } while (0)

#define NV_CHECK_FINITE(v, fn) NV_CHECK(std::isfinite(v), fn ": " #v "=%g is not finite", (double)(v))

#define NV_CHECK_NDIM(ndim, fn) \
  NV_CHECK((ndim) >= 0 && (ndim) <= 8, fn ": ndim=%d is outside [0, 8]", (int)(ndim))

namespace nv {

// NV_CHECK_PTRS's check: names is the comma-separated list of the pointers' names.
inline nv_status check_ptrs(const char* fn, const char* names,
                            std::initializer_list<const void*> ptrs) {
  for (const void* p : ptrs) {
    const size_t len = std::strcspn(names, ",");
    if (p == nullptr)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: %.*s is NULL", fn, int(len), names);
    names += len;
    while (*names == ',' || *names == ' ') ++names;
  }
  return NV_OK;
}

// Checks a shape (all sizes >= 0) and returns the element count, or -1 after setting the
// error (caller returns NV_ERR_INVALID_ARGUMENT). Counts that overflow int64 are rejected.
inline int64_t checked_numel(const char* fn, int32_t ndim, const int64_t* shape) {
  int64_t total = 1;
  for (int32_t d = 0; d < ndim; ++d) {
    if (shape[d] < 0) {
      fail(NV_ERR_INVALID_ARGUMENT, "%s: shape[%d]=%lld is negative", fn, d,
           static_cast<long long>(shape[d]));
      return -1;
    }
    if (shape[d] != 0 && total > INT64_MAX / shape[d]) {
      fail(NV_ERR_INVALID_ARGUMENT, "%s: the shape has more than 2^63 elements", fn);
      return -1;
    }
    total *= shape[d];
  }
  return total;
}

}  // namespace nv
