// nv_unary_f32, nv_unary_backward_f32, nv_binary_f32, nv_compare_f32: checks, then backend.
#include "api/check.h"

namespace {

// Shared checks of the broadcast ops; sets *total to the element count.
nv_status check_broadcast(const char* fn, int32_t ndim, const int64_t* shape, const float* a,
                          const int64_t* a_strides, const float* b, const int64_t* b_strides,
                          const float* out, int64_t* total) {
  using nv::fail;
  if (ndim < 0 || ndim > 8)
    return fail(NV_ERR_INVALID_ARGUMENT, "%s: ndim=%d is outside [0, 8]", fn, ndim);
  if (ndim > 0 && (shape == nullptr || a_strides == nullptr || b_strides == nullptr))
    return fail(NV_ERR_INVALID_ARGUMENT, "%s: shape or strides is NULL with ndim=%d", fn, ndim);
  *total = nv::checked_numel(fn, ndim, shape);
  if (*total < 0) return NV_ERR_INVALID_ARGUMENT;
  if (*total > 0 && (a == nullptr || b == nullptr || out == nullptr))
    return fail(NV_ERR_INVALID_ARGUMENT, "%s: a, b or out is NULL", fn);
  return NV_OK;
}

}  // namespace

extern "C" {

nv_status nv_unary_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x, float* y,
                       float alpha, float beta) {
  NV_CHECK_CTX(ctx, "nv_unary_f32");
  NV_CHECK(op >= 0 && op < NV_UNARY_COUNT, "nv_unary_f32: op=%d is outside [0, %d)", op,
           NV_UNARY_COUNT);
  NV_CHECK_NONNEG(n, "nv_unary_f32");
  NV_CHECK_PTRS(n > 0, "nv_unary_f32", x, y);
  return ctx->backend->unary_f32(ctx, op, n, x, y, alpha, beta);
}

nv_status nv_unary_backward_f32(nv_ctx* ctx, int32_t op, int64_t n, const float* x,
                                const float* y, const float* dy, float* dx, float alpha,
                                float beta) {
  NV_CHECK_CTX(ctx, "nv_unary_backward_f32");
  NV_CHECK(op >= 0 && op < NV_UNARY_COUNT, "nv_unary_backward_f32: op=%d is outside [0, %d)",
           op, NV_UNARY_COUNT);
  NV_CHECK_NONNEG(n, "nv_unary_backward_f32");
  NV_CHECK_PTRS(n > 0, "nv_unary_backward_f32", x, y, dy, dx);
  return ctx->backend->unary_backward_f32(ctx, op, n, x, y, dy, dx, alpha, beta);
}

nv_status nv_binary_f32(nv_ctx* ctx, int32_t op, int32_t ndim, const int64_t* shape,
                        const float* a, const int64_t* a_strides, const float* b,
                        const int64_t* b_strides, float* out) {
  NV_CHECK_CTX(ctx, "nv_binary_f32");
  NV_CHECK(op >= 0 && op < NV_BINARY_COUNT, "nv_binary_f32: op=%d is outside [0, %d)", op,
           NV_BINARY_COUNT);
  int64_t total = 0;
  NV_TRY(check_broadcast("nv_binary_f32", ndim, shape, a, a_strides, b, b_strides, out, &total));
  return ctx->backend->binary_f32(ctx, op, false, ndim, shape, a, a_strides, b, b_strides, out);
}

nv_status nv_compare_f32(nv_ctx* ctx, int32_t op, int32_t ndim, const int64_t* shape,
                         const float* a, const int64_t* a_strides, const float* b,
                         const int64_t* b_strides, float* out) {
  NV_CHECK_CTX(ctx, "nv_compare_f32");
  NV_CHECK(op >= NV_COMPARE_EQ && op <= NV_COMPARE_LE, "nv_compare_f32: op=%d is outside [0, %d]",
           op, NV_COMPARE_LE);
  int64_t total = 0;
  NV_TRY(check_broadcast("nv_compare_f32", ndim, shape, a, a_strides, b, b_strides, out, &total));
  return ctx->backend->binary_f32(ctx, op, true, ndim, shape, a, a_strides, b, b_strides, out);
}

}  // extern "C"
