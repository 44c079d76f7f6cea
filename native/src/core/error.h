// Errors: a thread-local message plus a status code. Every public nv_* function that fails
// returns nv_fail(code, "nv_xxx: what is wrong (values)", ...).
#pragma once
#include "nerve.h"

namespace nv {

// Formats the message into the thread-local buffer and returns code.
nv_status fail(nv_status code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Clears the thread-local message (called at the start of nothing: messages persist until the
// next failure, as errno does).
void clear_error();

}  // namespace nv

// Argument checks that return a clear error from the calling nv_* function.
#define NV_CHECK(cond, ...)                                        \
  do {                                                             \
    if (!(cond)) return ::nv::fail(NV_ERR_INVALID_ARGUMENT, __VA_ARGS__); \
  } while (0)

#define NV_CHECK_CTX(ctx, fn)                                      \
  do {                                                             \
    if ((ctx) == nullptr) return ::nv::fail(NV_ERR_INVALID_ARGUMENT, "%s: context is NULL", fn); \
  } while (0)
