// nv_softmax_*, nv_log_softmax_*, nv_softmax_xent_f32: checks, then the backend.
#include "api/check.h"

#define NV_CHECK_ROWS_COLS(fn)   \
  NV_CHECK_NONNEG(rows, fn);     \
  NV_CHECK_NONNEG(cols, fn)

extern "C" {

nv_status nv_softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                 float* y) {
  NV_CHECK_CTX(ctx, "nv_softmax_forward_f32");
  NV_CHECK_ROWS_COLS("nv_softmax_forward_f32");
  NV_CHECK_PTRS(rows * cols > 0, "nv_softmax_forward_f32", x, y);
  return ctx->backend->softmax_forward_f32(ctx, rows, cols, x, y);
}

nv_status nv_softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                  const float* dy, float* dx) {
  NV_CHECK_CTX(ctx, "nv_softmax_backward_f32");
  NV_CHECK_ROWS_COLS("nv_softmax_backward_f32");
  NV_CHECK_PTRS(rows * cols > 0, "nv_softmax_backward_f32", y, dy, dx);
  return ctx->backend->softmax_backward_f32(ctx, rows, cols, y, dy, dx);
}

nv_status nv_log_softmax_forward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* x,
                                     float* y) {
  NV_CHECK_CTX(ctx, "nv_log_softmax_forward_f32");
  NV_CHECK_ROWS_COLS("nv_log_softmax_forward_f32");
  NV_CHECK_PTRS(rows * cols > 0, "nv_log_softmax_forward_f32", x, y);
  return ctx->backend->log_softmax_forward_f32(ctx, rows, cols, x, y);
}

nv_status nv_log_softmax_backward_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* y,
                                      const float* dy, float* dx) {
  NV_CHECK_CTX(ctx, "nv_log_softmax_backward_f32");
  NV_CHECK_ROWS_COLS("nv_log_softmax_backward_f32");
  NV_CHECK_PTRS(rows * cols > 0, "nv_log_softmax_backward_f32", y, dy, dx);
  return ctx->backend->log_softmax_backward_f32(ctx, rows, cols, y, dy, dx);
}

nv_status nv_softmax_xent_f32(nv_ctx* ctx, int64_t rows, int64_t cols, const float* logits,
                              const int32_t* labels, float* loss, float* dlogits) {
  NV_CHECK_CTX(ctx, "nv_softmax_xent_f32");
  NV_CHECK(rows >= 1, "nv_softmax_xent_f32: rows=%lld must be at least 1 (the loss is a mean "
           "over rows)", (long long)rows);
  NV_CHECK(cols >= 1, "nv_softmax_xent_f32: cols=%lld must be at least 1", (long long)cols);
  NV_CHECK_PTRS(true, "nv_softmax_xent_f32", logits, labels, loss);
  // The labels are device memory: the CPU kernel checks them itself, the GPU kernel through a
  // device flag that the launcher reads back.
  return ctx->backend->softmax_xent_f32(ctx, rows, cols, logits, labels, loss, dlogits);
}

}  // extern "C"
