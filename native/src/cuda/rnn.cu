// Fused LSTM and GRU cells (forward, backward) on the GPU. Elementwise over (B, H): one thread
// per (row, unit) reads that unit's four (three) gates, so every input is read and every
// output written once, coalesced along H. The GEMMs around the cells are gemm.cu's.
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

namespace {

constexpr int kThreads = 256;

__device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

__global__ void lstm_forward_kernel(int64_t B, int64_t H, const float* gx, const float* gh,
                                    const float* c_prev, float* h, float* c, float* saved) {
  const int64_t n = B * H;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < n;
       e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t b = e / H, j = e - b * H, g0 = b * 4 * H + j;
    float p[4];
    NV_UNROLL
    for (int k = 0; k < 4; ++k) p[k] = gx[g0 + k * H] + (gh ? gh[g0 + k * H] : 0.0f);
    const float i = sigmoidf(p[0]), f = sigmoidf(p[1]), g = tanhf(p[2]), o = sigmoidf(p[3]);
    const float cn = (c_prev ? f * c_prev[e] : 0.0f) + i * g;
    c[e] = cn;
    h[e] = o * tanhf(cn);
    if (saved) {
      saved[g0] = i;
      saved[g0 + H] = f;
      saved[g0 + 2 * H] = g;
      saved[g0 + 3 * H] = o;
    }
  }
}

__global__ void lstm_backward_kernel(int64_t B, int64_t H, const float* saved,
                                     const float* c_prev, const float* c, const float* dh,
                                     const float* dc, float* dgates, float* dc_prev) {
  const int64_t n = B * H;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < n;
       e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t b = e / H, j = e - b * H, g0 = b * 4 * H + j;
    const float i = saved[g0], f = saved[g0 + H], g = saved[g0 + 2 * H], o = saved[g0 + 3 * H];
    const float tc = tanhf(c[e]);
    const float gh = dh ? dh[e] : 0.0f;
    const float dct = (dc ? dc[e] : 0.0f) + gh * o * (1.0f - tc * tc);
    const float cp = c_prev ? c_prev[e] : 0.0f;
    dgates[g0] = dct * g * (i * (1.0f - i));
    dgates[g0 + H] = dct * cp * (f * (1.0f - f));
    dgates[g0 + 2 * H] = dct * i * (1.0f - g * g);
    dgates[g0 + 3 * H] = gh * tc * (o * (1.0f - o));
    if (dc_prev) dc_prev[e] = dct * f;
  }
}

__global__ void gru_forward_kernel(int64_t B, int64_t H, const float* gi, const float* gh,
                                   const float* h_prev, float* h, float* saved) {
  const int64_t n = B * H;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < n;
       e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t b = e / H, j = e - b * H, g0 = b * 3 * H + j;
    const float r = sigmoidf(gi[g0] + gh[g0]);
    const float z = sigmoidf(gi[g0 + H] + gh[g0 + H]);
    const float hn = gh[g0 + 2 * H];
    const float nn = tanhf(gi[g0 + 2 * H] + r * hn);
    const float hp = h_prev ? h_prev[e] : 0.0f;
    h[e] = nn + z * (hp - nn);
    if (saved) {
      const int64_t s0 = b * 4 * H + j;
      saved[s0] = r;
      saved[s0 + H] = z;
      saved[s0 + 2 * H] = nn;
      saved[s0 + 3 * H] = hn;
    }
  }
}

__global__ void gru_backward_kernel(int64_t B, int64_t H, const float* saved,
                                    const float* h_prev, const float* dh, float* dgi,
                                    float* dgh, float* dh_prev) {
  const int64_t n = B * H;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < n;
       e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t b = e / H, j = e - b * H, s0 = b * 4 * H + j, g0 = b * 3 * H + j;
    const float r = saved[s0], z = saved[s0 + H], nn = saved[s0 + 2 * H], hn = saved[s0 + 3 * H];
    const float d = dh[e];
    const float hp = h_prev ? h_prev[e] : 0.0f;
    const float dn = d * (1.0f - z) * (1.0f - nn * nn);
    const float dr = dn * hn * (r * (1.0f - r));
    const float dz = d * (hp - nn) * (z * (1.0f - z));
    if (dgi) {
      dgi[g0] = dr;
      dgi[g0 + H] = dz;
      dgi[g0 + 2 * H] = dn;
    }
    if (dgh) {
      dgh[g0] = dr;
      dgh[g0 + H] = dz;
      dgh[g0 + 2 * H] = dn * r;
    }
    if (dh_prev) dh_prev[e] = d * z;
  }
}

}  // namespace

// ---------------------------------------------------------------- launchers

NV_KERNEL_DEF(lstm_cell_forward_f32) {
  // gx, gh, saved are (B, 4H); c_prev, h, c are (B, H)
  const char* fn = "nv_lstm_cell_forward_f32";
  return launch_1d(ctx, fn, B * H, kThreads, lstm_forward_kernel,
                   B, H, gx, gh, c_prev, h, c, saved);
}

NV_KERNEL_DEF(lstm_cell_backward_f32) {
  const char* fn = "nv_lstm_cell_backward_f32";
  return launch_1d(ctx, fn, B * H, kThreads, lstm_backward_kernel,
                   B, H, saved, c_prev, c, dh, dc, dgates, dc_prev);
}

NV_KERNEL_DEF(gru_cell_forward_f32) {
  // gi, gh are (B, 3H); saved (B, 4H); h_prev, h (B, H)
  const char* fn = "nv_gru_cell_forward_f32";
  return launch_1d(ctx, fn, B * H, kThreads, gru_forward_kernel, B, H, gi, gh, h_prev, h, saved);
}

NV_KERNEL_DEF(gru_cell_backward_f32) {
  const char* fn = "nv_gru_cell_backward_f32";
  return launch_1d(ctx, fn, B * H, kThreads, gru_backward_kernel,
                   B, H, saved, h_prev, dh, dgi, dgh, dh_prev);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
