// nv_lstm_cell_*, nv_gru_cell_*: checks, then the backend.
#include "api/check.h"

#define NV_CHECK_BH(fn)                                                                     \
  NV_CHECK_NONNEG(B, fn);                                                                   \
  NV_CHECK_NONNEG(H, fn);                                                                   \
  NV_CHECK(H == 0 || B <= INT64_MAX / 4 / H,                                                \
           fn ": B=%lld x H=%lld is too large (B x 4H overflows int64)", (long long)B,        \
           (long long)H)

extern "C" {

nv_status nv_lstm_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gx,
                                   const float* gh, const float* c_prev, float* h, float* c,
                                   float* saved) {
  NV_CHECK_CTX(ctx, "nv_lstm_cell_forward_f32");
  NV_CHECK_BH("nv_lstm_cell_forward_f32");
  bool any = B * H > 0;
  NV_CHECK_PTRS(any, "nv_lstm_cell_forward_f32", gx, h, c);
  NV_CHECK(h != c || !any, "nv_lstm_cell_forward_f32: h and c are the same buffer");
  return ctx->backend->lstm_cell_forward_f32(ctx, B, H, gx, gh, c_prev, h, c, saved);
}

nv_status nv_lstm_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                    const float* c_prev, const float* c, const float* dh,
                                    const float* dc, float* dgates, float* dc_prev) {
  NV_CHECK_CTX(ctx, "nv_lstm_cell_backward_f32");
  NV_CHECK_BH("nv_lstm_cell_backward_f32");
  bool any = B * H > 0;
  NV_CHECK_PTRS(any, "nv_lstm_cell_backward_f32", saved, c, dgates);
  return ctx->backend->lstm_cell_backward_f32(ctx, B, H, saved, c_prev, c, dh, dc, dgates, dc_prev);
}

nv_status nv_gru_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gi,
                                  const float* gh, const float* h_prev, float* h, float* saved) {
  NV_CHECK_CTX(ctx, "nv_gru_cell_forward_f32");
  NV_CHECK_BH("nv_gru_cell_forward_f32");
  bool any = B * H > 0;
  NV_CHECK_PTRS(any, "nv_gru_cell_forward_f32", gi, gh, h);
  return ctx->backend->gru_cell_forward_f32(ctx, B, H, gi, gh, h_prev, h, saved);
}

nv_status nv_gru_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                                   const float* h_prev, const float* dh, float* dgi, float* dgh,
                                   float* dh_prev) {
  NV_CHECK_CTX(ctx, "nv_gru_cell_backward_f32");
  NV_CHECK_BH("nv_gru_cell_backward_f32");
  bool any = B * H > 0;
  NV_CHECK_PTRS(any, "nv_gru_cell_backward_f32", saved, dh);
  return ctx->backend->gru_cell_backward_f32(ctx, B, H, saved, h_prev, dh, dgi, dgh, dh_prev);
}

nv_status nv_gather_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                             const float* table, const int32_t* idx, float* out) {
  NV_CHECK_CTX(ctx, "nv_gather_rows_f32");
  NV_CHECK_NONNEG(n, "nv_gather_rows_f32");
  NV_CHECK_NONNEG(rows, "nv_gather_rows_f32");
  NV_CHECK_NONNEG(dim, "nv_gather_rows_f32");
  NV_CHECK(dim == 0 || (n <= INT64_MAX / dim && rows <= INT64_MAX / dim),
           "nv_gather_rows_f32: n=%lld, rows=%lld times dim=%lld overflows", (long long)n,
           (long long)rows, (long long)dim);
  NV_CHECK(rows > 0 || n == 0, "nv_gather_rows_f32: the table has no rows but n=%lld indices",
           (long long)n);
  NV_CHECK_PTR(idx, n > 0, "nv_gather_rows_f32");
  NV_CHECK_PTRS(n * dim > 0, "nv_gather_rows_f32", table, out);
  return ctx->backend->gather_rows_f32(ctx, n, rows, dim, table, idx, out);
}

nv_status nv_scatter_add_rows_f32(nv_ctx* ctx, int64_t n, int64_t rows, int64_t dim,
                                  const float* src, const int32_t* idx, float* table) {
  NV_CHECK_CTX(ctx, "nv_scatter_add_rows_f32");
  NV_CHECK_NONNEG(n, "nv_scatter_add_rows_f32");
  NV_CHECK_NONNEG(rows, "nv_scatter_add_rows_f32");
  NV_CHECK_NONNEG(dim, "nv_scatter_add_rows_f32");
  NV_CHECK(dim == 0 || (n <= INT64_MAX / dim && rows <= INT64_MAX / dim),
           "nv_scatter_add_rows_f32: n=%lld, rows=%lld times dim=%lld overflows", (long long)n,
           (long long)rows, (long long)dim);
  NV_CHECK(rows > 0 || n == 0,
           "nv_scatter_add_rows_f32: the table has no rows but n=%lld indices", (long long)n);
  NV_CHECK_PTR(idx, n > 0, "nv_scatter_add_rows_f32");
  NV_CHECK_PTRS(n * dim > 0, "nv_scatter_add_rows_f32", src, table);
  return ctx->backend->scatter_add_rows_f32(ctx, n, rows, dim, src, idx, table);
}

}  // extern "C"
