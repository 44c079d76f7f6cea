// nv_reduce_f32 and nv_argmax_f32: checks, then the backend.
#include "api/check.h"

extern "C" {

nv_status nv_reduce_f32(nv_ctx* ctx, int32_t op, int64_t outer, int64_t n, int64_t inner,
                        const float* x, float* out) {
  NV_CHECK_CTX(ctx, "nv_reduce_f32");
  NV_CHECK(op >= NV_REDUCE_SUM && op <= NV_REDUCE_MIN, "nv_reduce_f32: op=%d is outside [0, %d]",
           op, NV_REDUCE_MIN);
  NV_CHECK_NONNEG(outer, "nv_reduce_f32");
  NV_CHECK_NONNEG(inner, "nv_reduce_f32");
  NV_CHECK(n >= 1, "nv_reduce_f32: n=%lld must be at least 1", (long long)n);
  NV_CHECK_PTRS(outer > 0 && inner > 0, "nv_reduce_f32", x, out);
  return ctx->backend->reduce_f32(ctx, op, outer, n, inner, x, out);
}

nv_status nv_argmax_f32(nv_ctx* ctx, int64_t outer, int64_t n, int64_t inner, const float* x,
                        int32_t* out) {
  NV_CHECK_CTX(ctx, "nv_argmax_f32");
  NV_CHECK_NONNEG(outer, "nv_argmax_f32");
  NV_CHECK_NONNEG(inner, "nv_argmax_f32");
  NV_CHECK(n >= 1 && n <= INT32_MAX, "nv_argmax_f32: n=%lld is outside [1, 2^31)", (long long)n);
  NV_CHECK_PTRS(outer > 0 && inner > 0, "nv_argmax_f32", x, out);
  return ctx->backend->argmax_f32(ctx, outer, n, inner, x, out);
}

}  // extern "C"
