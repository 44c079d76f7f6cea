// Shared by the kernel files that compile one templated body for several instruction sets.
//
// How a family file uses it: it defines NV_KERNELS as the name of its .inl body and includes
// isa_sections.inl, which compiles that body three times, each inside its own namespace
// (avx512, avx2, portable) and, for the first two, under `#pragma GCC target(...)`. The pragma
// gives every function in the section the target attribute, so the library still builds with
// plain -O3 for baseline x86-64 and only runs AVX code when ctx->isa (from CPUID) allows it.
// NV_ISA_DISPATCH then calls the section that matches the context.
#pragma once
#include <immintrin.h>

#include <cmath>
#include <cstdint>

#include "core/context.h"
#include "nerve.h"

#define NV_ISA_DISPATCH(ctx, call)        \
  do {                                    \
    switch ((ctx)->isa) {                 \
      case NV_ISA_AVX512:                 \
        avx512::call;                     \
        break;                            \
      case NV_ISA_AVX2:                   \
        avx2::call;                       \
        break;                            \
      default:                            \
        portable::call;                   \
        break;                            \
    }                                     \
  } while (0)
