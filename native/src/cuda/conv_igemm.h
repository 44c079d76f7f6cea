// Implicit-GEMM convolution on the GPU (conv_igemm.cu): the three convolution passes as tiled
// GEMMs whose operands are gathered from the NCHW tensors on the fly, never materialised.
#pragma once

#include "core/conv_shape.h"
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// Whether every index the implicit-GEMM kernels form fits in 31 bits (they use 32-bit index
// arithmetic with multiply-shift division); the direct kernels in conv.cu take the rest.
bool conv_igemm_fits(const ConvShape& s);

// y = conv(x, w) + bias (bias may be null). Needs conv_igemm_fits(s).
nv_status conv2d_forward_igemm(nv_ctx* ctx, const char* fn, const ConvShape& s, const float* x,
                               const float* w, const float* bias, float* y);
// dx = the input gradient of conv for dy. Needs conv_igemm_fits(s).
nv_status conv2d_backward_data_igemm(nv_ctx* ctx, const char* fn, const ConvShape& s,
                                     const float* dy, const float* w, float* dx);
// dw = the weight gradient of conv for x and dy (split over N P Q, partial sums reduced in a
// fixed order through scratch memory). Needs conv_igemm_fits(s).
nv_status conv2d_backward_filter_igemm(nv_ctx* ctx, const char* fn, const ConvShape& s,
                                       const float* x, const float* dy, float* dw);

}  // namespace NV_CUDA_NS
}  // namespace nv
