// Fused LSTM and GRU cells (forward and backward). The GEMMs around them are nv_gemm_f32.
#include "cpu/cpu_kernels.h"

#include "cpu/simd.h"

#define NV_ISA_BODY "cpu/rnn.inl"
#include "cpu/isa_sections.inl"

namespace nv::cpu {

NV_KERNEL_DEF(lstm_cell_forward_f32) {
  if (B == 0 || H == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, lstm_cell_forward(ctx, B, H, gx, gh, c_prev, h, c, saved));
  return NV_OK;
}

NV_KERNEL_DEF(lstm_cell_backward_f32) {
  if (B == 0 || H == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, lstm_cell_backward(ctx, B, H, saved, c_prev, c, dh, dc, dgates, dc_prev));
  return NV_OK;
}

NV_KERNEL_DEF(gru_cell_forward_f32) {
  if (B == 0 || H == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, gru_cell_forward(ctx, B, H, gi, gh, h_prev, h, saved));
  return NV_OK;
}

NV_KERNEL_DEF(gru_cell_backward_f32) {
  if (B == 0 || H == 0) return NV_OK;
  NV_ISA_DISPATCH(ctx, gru_cell_backward(ctx, B, H, saved, h_prev, dh, dgi, dgh, dh_prev));
  return NV_OK;
}

}  // namespace nv::cpu
