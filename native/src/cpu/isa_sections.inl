// Compiles the kernel body named by NV_ISA_BODY once per instruction set (see simd.h).
// Everything lands in an anonymous namespace: each family file has its own copy of V.
#ifndef NV_ISA_BODY
#error "define NV_ISA_BODY before including isa_sections.inl"
#endif

// GCC 12 reports -Wmaybe-uninitialized inside its own avx512fintrin.h (the intrinsics pass an
// _mm512_undefined_ps() as the unused merge source); that is a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,fma")
namespace nv::cpu {
namespace {
namespace avx512 {
#include "vec_avx512.h"
#include "vec_math.inl"
#include NV_ISA_BODY
}  // namespace avx512
}  // namespace
}  // namespace nv::cpu
#pragma GCC pop_options
#pragma GCC diagnostic pop

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace nv::cpu {
namespace {
namespace avx2 {
#include "vec_avx2.h"
#include "vec_math.inl"
#include NV_ISA_BODY
}  // namespace avx2
}  // namespace
}  // namespace nv::cpu
#pragma GCC pop_options

namespace nv::cpu {
namespace {
namespace portable {
#include "vec_scalar.h"
#include "vec_math.inl"
#include NV_ISA_BODY
}  // namespace portable
}  // namespace
}  // namespace nv::cpu
