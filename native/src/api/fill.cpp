// nv_copy_strided, nv_fill_*, nv_cast_*, nv_rand_*: argument checks, then the backend.
#include "api/check.h"

extern "C" {

nv_status nv_copy_strided(nv_ctx* ctx, int32_t elem_size, int32_t ndim, const int64_t* shape,
                          const void* src, const int64_t* src_strides, void* dst,
                          const int64_t* dst_strides) {
  constexpr const char* fn = "nv_copy_strided";
  NV_CHECK_CTX(ctx, "nv_copy_strided");
  NV_CHECK(elem_size > 0 && elem_size <= 64, "nv_copy_strided: elem_size=%d is outside [1, 64]",
           elem_size);
  NV_CHECK_NDIM(ndim, "nv_copy_strided");
  NV_CHECK_PTRS(ndim > 0, "nv_copy_strided", shape, src_strides, dst_strides);
  int64_t total = nv::checked_numel(fn, ndim, shape);
  if (total < 0) return NV_ERR_INVALID_ARGUMENT;
  NV_CHECK_PTRS(total > 0, "nv_copy_strided", src, dst);
  return ctx->backend->copy_strided(ctx, elem_size, ndim, shape, src, src_strides, dst,
                                    dst_strides);
}

nv_status nv_fill_f32(nv_ctx* ctx, int64_t n, float value, float* y) {
  NV_CHECK_CTX(ctx, "nv_fill_f32");
  NV_CHECK_NONNEG(n, "nv_fill_f32");
  NV_CHECK_PTR(y, n > 0, "nv_fill_f32");
  return ctx->backend->fill_f32(ctx, n, value, y);
}

nv_status nv_fill_i32(nv_ctx* ctx, int64_t n, int32_t value, int32_t* y) {
  NV_CHECK_CTX(ctx, "nv_fill_i32");
  NV_CHECK_NONNEG(n, "nv_fill_i32");
  NV_CHECK_PTR(y, n > 0, "nv_fill_i32");
  return ctx->backend->fill_i32(ctx, n, value, y);
}

nv_status nv_cast_i32_f32(nv_ctx* ctx, int64_t n, const int32_t* x, float* y) {
  NV_CHECK_CTX(ctx, "nv_cast_i32_f32");
  NV_CHECK_NONNEG(n, "nv_cast_i32_f32");
  NV_CHECK_PTRS(n > 0, "nv_cast_i32_f32", x, y);
  return ctx->backend->cast_i32_f32(ctx, n, x, y);
}

nv_status nv_cast_f32_i32(nv_ctx* ctx, int64_t n, const float* x, int32_t* y) {
  NV_CHECK_CTX(ctx, "nv_cast_f32_i32");
  NV_CHECK_NONNEG(n, "nv_cast_f32_i32");
  NV_CHECK_PTRS(n > 0, "nv_cast_f32_i32", x, y);
  return ctx->backend->cast_f32_i32(ctx, n, x, y);
}

nv_status nv_rand_uniform_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset, float lo,
                              float hi, float* y) {
  NV_CHECK_CTX(ctx, "nv_rand_uniform_f32");
  NV_CHECK_NONNEG(n, "nv_rand_uniform_f32");
  NV_CHECK_PTR(y, n > 0, "nv_rand_uniform_f32");
  NV_CHECK_FINITE(lo, "nv_rand_uniform_f32");
  NV_CHECK_FINITE(hi, "nv_rand_uniform_f32");
  NV_CHECK(lo <= hi, "nv_rand_uniform_f32: lo=%g is greater than hi=%g", (double)lo, (double)hi);
  NV_CHECK(std::isfinite(hi - lo), "nv_rand_uniform_f32: hi - lo overflows (lo=%g, hi=%g)",
           (double)lo, (double)hi);
  return ctx->backend->rand_uniform_f32(ctx, n, seed, offset, lo, hi, y);
}

nv_status nv_rand_normal_f32(nv_ctx* ctx, int64_t n, uint64_t seed, uint64_t offset,
                             float mean, float stddev, float* y) {
  NV_CHECK_CTX(ctx, "nv_rand_normal_f32");
  NV_CHECK_NONNEG(n, "nv_rand_normal_f32");
  NV_CHECK_PTR(y, n > 0, "nv_rand_normal_f32");
  NV_CHECK_FINITE(mean, "nv_rand_normal_f32");
  NV_CHECK_FINITE(stddev, "nv_rand_normal_f32");
  NV_CHECK(stddev >= 0, "nv_rand_normal_f32: stddev=%g is negative", (double)stddev);
  return ctx->backend->rand_normal_f32(ctx, n, seed, offset, mean, stddev, y);
}

}  // extern "C"
