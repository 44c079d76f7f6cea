#include "error.h"

#include <pthread.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace nv {

namespace {

// The last message of each thread. Not a thread_local: libnerve is dlopen'ed, so glibc
// allocates a thread's thread_locals on their first touch and aborts the process ("cannot
// allocate memory for thread-local data") when it cannot -- and the first failure a thread
// reports may well be "out of memory" or "could not start thread 37 of 1024". A pthread key's
// value lives in the thread's descriptor; the buffer is allocated on the thread's first failure,
// and when that allocation fails the message is replaced by kLost.
constexpr size_t kLength = 1024;
const char kLost[] = "(a Nerve call failed, and there was no memory left to describe the failure)";

void free_buffer(void* p) {
  if (p != kLost) std::free(p);
}

pthread_key_t key() {
  static pthread_key_t k;
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, [] { pthread_key_create(&k, free_buffer); });
  return k;
}

}  // namespace

nv_status fail(nv_status code, const char* fmt, ...) {
  void* buffer = pthread_getspecific(key());
  if (buffer == nullptr || buffer == kLost) {
    void* fresh = std::malloc(kLength);
    if (fresh != nullptr && pthread_setspecific(key(), fresh) == 0) {
      buffer = fresh;
    } else {
      std::free(fresh);
      pthread_setspecific(key(), const_cast<char*>(kLost));
      return code;
    }
  }
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(static_cast<char*>(buffer), kLength, fmt, args);
  va_end(args);
  return code;
}

void clear_error() {
  if (char* buffer = static_cast<char*>(pthread_getspecific(key())))
    if (buffer != kLost) buffer[0] = '\0';
}

}  // namespace nv

extern "C" const char* nv_last_error(void) {
  const char* buffer = static_cast<const char*>(pthread_getspecific(nv::key()));
  return buffer != nullptr ? buffer : "";
}
