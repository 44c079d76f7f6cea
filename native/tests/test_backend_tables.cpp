// Every backend table of this build is complete: each kernel of core/kernels.h and each memory
// and device entry (NV_BACKEND_SERVICES) is set, on the CPU, cuda-sim and (where compiled) CUDA. An empty entry would
// compile and then crash the process at the first call that reaches it. Also checks that the
// completeness check itself names an entry that is missing, and that nv_ctx_create works on
// each table that has devices.
#include <cstdio>
#include <cstring>

#include "core/backend.h"
#include "nerve.h"

namespace {

int failures = 0;

void check_table(const char* kind, const nv::Backend* t) {
  if (t == nullptr) {
    std::printf("%s: not part of this build, skipped\n", kind);
    return;
  }
  int kernels = 0, empty = 0;
#define NV_COUNT_ONE_(name)                                                      \
  ++kernels;                                                                     \
  if (t->name == nullptr) {                                                      \
    std::printf("FAIL %s: the table has no entry %s\n", kind, #name);           \
    ++empty;                                                                     \
  }
  NV_BACKEND_SERVICES(NV_COUNT_ONE_)
  NV_KERNELS(NV_COUNT_ONE_)
#undef NV_COUNT_ONE_
  if (const char* missing = nv::missing_entry(*t)) {
    std::printf("FAIL %s: missing_entry reports %s\n", kind, missing);
    ++failures;
  }
  failures += empty;
  std::printf("%s: %d of %d entries set, table name \"%s\"\n", kind, kernels - empty, kernels,
              t->name);
}

// missing_entry must find a hole anywhere in the table: blank each entry in turn.
void check_detection() {
  const nv::Backend* cpu = nv::cpu_backend();
  int named = 0, total = 0;
#define NV_BLANK_ONE_(name)                                                        \
  {                                                                                \
    nv::Backend copy = *cpu;                                                       \
    copy.name = nullptr;                                                           \
    const char* missing = nv::missing_entry(copy);                                 \
    ++total;                                                                       \
    if (missing != nullptr && std::strcmp(missing, #name) == 0) {                  \
      ++named;                                                                     \
    } else {                                                                       \
      std::printf("FAIL blanking %s: missing_entry says %s\n", #name,              \
                  missing ? missing : "nothing");                                  \
      ++failures;                                                                  \
    }                                                                              \
  }
  NV_BACKEND_SERVICES(NV_BLANK_ONE_)
  NV_KERNELS(NV_BLANK_ONE_)
#undef NV_BLANK_ONE_
  std::printf("missing_entry named %d of %d blanked entries\n", named, total);
}

void check_context(int32_t kind, const char* name) {
  if (!nv_backend_available(kind)) return;
  nv_ctx* ctx = nullptr;
  if (nv_ctx_create(kind, 0, 1, &ctx) != NV_OK) {
    std::printf("FAIL %s: nv_ctx_create: %s\n", name, nv_last_error());
    ++failures;
    return;
  }
  nv_ctx_destroy(ctx);
}

}  // namespace

int main() {
  check_table("cpu", nv::cpu_backend());
  check_table("cuda-sim", nv::cudasim_backend());
  check_table("cuda", nv::cuda_backend());
  check_detection();
  check_context(NV_BACKEND_CPU, "cpu");
  check_context(NV_BACKEND_CUDA_SIM, "cuda-sim");
  check_context(NV_BACKEND_CUDA, "cuda");
  std::printf(failures == 0 ? "OK\n" : "%d FAILURES\n", failures);
  return failures == 0 ? 0 : 1;
}
