#include "error.h"

#include <cstdarg>
#include <cstdio>

namespace nv {

namespace {
thread_local char last_error[1024] = "";
}

nv_status fail(nv_status code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(last_error, sizeof(last_error), fmt, args);
  va_end(args);
  return code;
}

void clear_error() { last_error[0] = '\0'; }

}  // namespace nv

extern "C" const char* nv_last_error(void) { return nv::last_error; }
