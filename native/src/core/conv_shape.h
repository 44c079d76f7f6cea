// The geometry of a 2-D convolution or pooling, NCHW, as the api/ layer has validated it and
// the CPU and GPU kernels receive it. Letters as in nerve.h: N images, C input channels, H x W
// input, K output channels, R x S window, P x Q output, G groups.
#pragma once
#include <cstdint>

namespace nv {

struct ConvShape {
  int64_t N, C, H, W;
  int64_t K, R, S;
  int64_t sh, sw;  // strides
  int64_t ph, pw;  // zero padding
  int64_t dh, dw;  // dilation
  int64_t G;       // groups
  int64_t P, Q;    // output size
  int64_t Cg() const { return C / G; }
  int64_t Kg() const { return K / G; }
  int64_t CRS() const { return Cg() * R * S; }  // rows of one group's im2col matrix
  int64_t PQ() const { return P * Q; }
  // 1x1, stride 1, no padding: the input already is the im2col matrix.
  bool pointwise() const { return R == 1 && S == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0; }
};

struct PoolShape {
  int64_t N, C, H, W;
  int64_t R, S;
  int64_t sh, sw;
  int64_t ph, pw;
  int64_t P, Q;
  bool count_include_pad;
};

}  // namespace nv
