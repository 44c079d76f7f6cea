// Fused LSTM and GRU cells (forward and backward). The GEMMs around them are nv_gemm_f32.
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

#define NV_KERNELS "cpu/rnn.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

void lstm_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gx, const float* gh,
                           const float* c_prev, float* h, float* c, float* saved) {
  if (B == 0 || H == 0) return;
  NV_ISA_DISPATCH(ctx, lstm_cell_forward(ctx, B, H, gx, gh, c_prev, h, c, saved));
}

void lstm_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                            const float* c_prev, const float* c, const float* dh,
                            const float* dc, float* dgates, float* dc_prev) {
  if (B == 0 || H == 0) return;
  NV_ISA_DISPATCH(ctx, lstm_cell_backward(ctx, B, H, saved, c_prev, c, dh, dc, dgates, dc_prev));
}

void gru_cell_forward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* gi, const float* gh,
                          const float* h_prev, float* h, float* saved) {
  if (B == 0 || H == 0) return;
  NV_ISA_DISPATCH(ctx, gru_cell_forward(ctx, B, H, gi, gh, h_prev, h, saved));
}

void gru_cell_backward_f32(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                           const float* h_prev, const float* dh, float* dgi, float* dgh,
                           float* dh_prev) {
  if (B == 0 || H == 0) return;
  NV_ISA_DISPATCH(ctx, gru_cell_backward(ctx, B, H, saved, h_prev, dh, dgi, dgh, dh_prev));
}

}  // namespace nv::cpu
