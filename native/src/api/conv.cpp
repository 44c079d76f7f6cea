// nv_conv2d_*, nv_*_pool2d_*, nv_batch_norm_*, nv_dropout_*: checks, then the backend.
#include <cmath>

#include "api/check.h"
#include "core/conv_shape.h"

namespace {

using nv::ConvShape;
using nv::PoolShape;

// Output size of a convolution along one axis, or -1 when the filter does not fit.
int64_t conv_out(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dil) {
  int64_t span = dil * (k - 1) + 1;
  int64_t room = in + 2 * pad - span;
  return room < 0 ? -1 : room / stride + 1;
}

// Validates the geometry of a convolution and fills s; returns NV_OK or the failure.
nv_status conv_shape(const char* fn, int64_t N, int64_t C, int64_t H, int64_t W, int64_t K,
                     int64_t R, int64_t S, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                     int64_t dh, int64_t dw, int64_t G, ConvShape& s) {
  NV_CHECK(N >= 0, "%s: N=%lld is negative", fn, (long long)N);
  NV_CHECK(C >= 1 && H >= 1 && W >= 1, "%s: input C=%lld H=%lld W=%lld must all be >= 1", fn,
           (long long)C, (long long)H, (long long)W);
  NV_CHECK(K >= 1 && R >= 1 && S >= 1, "%s: filter K=%lld R=%lld S=%lld must all be >= 1", fn,
           (long long)K, (long long)R, (long long)S);
  NV_CHECK(sh >= 1 && sw >= 1, "%s: stride %lldx%lld must be >= 1", fn, (long long)sh, (long long)sw);
  NV_CHECK(ph >= 0 && pw >= 0, "%s: padding %lldx%lld is negative", fn, (long long)ph, (long long)pw);
  NV_CHECK(dh >= 1 && dw >= 1, "%s: dilation %lldx%lld must be >= 1", fn, (long long)dh, (long long)dw);
  NV_CHECK(G >= 1 && C % G == 0 && K % G == 0,
           "%s: groups=%lld must be >= 1 and divide C=%lld and K=%lld", fn, (long long)G,
           (long long)C, (long long)K);
  NV_CHECK(N <= (int64_t(1) << 40) && C * H * W <= (int64_t(1) << 40) && K * R * S <= (int64_t(1) << 40),
           "%s: sizes too large (N=%lld C=%lld H=%lld W=%lld K=%lld R=%lld S=%lld)", fn,
           (long long)N, (long long)C, (long long)H, (long long)W, (long long)K, (long long)R,
           (long long)S);
  int64_t P = conv_out(H, R, sh, ph, dh), Q = conv_out(W, S, sw, pw, dw);
  NV_CHECK(P >= 1 && Q >= 1,
           "%s: the %lldx%lld filter (dilation %lldx%lld) does not fit the %lldx%lld input with "
           "padding %lldx%lld: the output would be empty", fn, (long long)R, (long long)S,
           (long long)dh, (long long)dw, (long long)H, (long long)W, (long long)ph, (long long)pw);
  s = ConvShape{N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, G, P, Q};
  return NV_OK;
}

nv_status pool_out(const char* fn, int64_t H, int64_t R, int64_t stride, int64_t pad,
                   int32_t ceil_mode, int64_t* P) {
  NV_CHECK(H >= 1, "%s: input size %lld must be >= 1", fn, (long long)H);
  NV_CHECK(R >= 1, "%s: kernel size %lld must be >= 1", fn, (long long)R);
  NV_CHECK(stride >= 1, "%s: stride %lld must be >= 1", fn, (long long)stride);
  NV_CHECK(pad >= 0 && pad <= R / 2,
           "%s: padding %lld must be in [0, kernel / 2 = %lld] (kernel %lld)", fn, (long long)pad,
           (long long)(R / 2), (long long)R);
  int64_t room = H + 2 * pad - R;
  NV_CHECK(room >= 0, "%s: the kernel %lld is larger than the padded input %lld + 2 * %lld: the "
           "output would be empty", fn, (long long)R, (long long)H, (long long)pad);
  int64_t out = (ceil_mode ? (room + stride - 1) / stride : room / stride) + 1;
  // In ceil mode the last window must start inside the input or the left padding.
  if (ceil_mode && (out - 1) * stride >= H + pad) --out;
  *P = out;
  return NV_OK;
}

nv_status pool_shape(const char* fn, int64_t N, int64_t C, int64_t H, int64_t W, int64_t R,
                     int64_t S, int64_t sh, int64_t sw, int64_t ph, int64_t pw, int32_t ceil_mode,
                     bool count_include_pad, PoolShape& s) {
  NV_CHECK(N >= 0 && C >= 0, "%s: N=%lld C=%lld must be >= 0", fn, (long long)N, (long long)C);
  NV_CHECK(H <= (int64_t(1) << 30) && W <= (int64_t(1) << 30) && H * W < (int64_t(1) << 31),
           "%s: the %lldx%lld plane is too large for int32 indices", fn, (long long)H, (long long)W);
  int64_t P = 0, Q = 0;
  NV_TRY(pool_out(fn, H, R, sh, ph, ceil_mode, &P));
  NV_TRY(pool_out(fn, W, S, sw, pw, ceil_mode, &Q));
  s = PoolShape{N, C, H, W, R, S, sh, sw, ph, pw, P, Q, count_include_pad};
  return NV_OK;
}

}  // namespace

extern "C" {

nv_status nv_conv2d_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                int64_t K, int64_t R, int64_t S, int64_t stride_h,
                                int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t dil_h,
                                int64_t dil_w, int64_t groups, const float* x, const float* w,
                                const float* bias, float* y) {
  const char* fn = "nv_conv2d_forward_f32";
  NV_CHECK_CTX(ctx, fn);
  ConvShape s;
  NV_TRY(conv_shape(fn, N, C, H, W, K, R, S, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w,
                    groups, s));
  NV_CHECK_PTR(x, N > 0, "nv_conv2d_forward_f32");
  NV_CHECK_PTR(w, true, "nv_conv2d_forward_f32");
  NV_CHECK_PTR(y, N > 0, "nv_conv2d_forward_f32");
  return ctx->backend->conv2d_forward_f32(ctx, s, x, w, bias, y);
}

nv_status nv_conv2d_backward_data_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                      int64_t K, int64_t R, int64_t S, int64_t stride_h,
                                      int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                      int64_t dil_h, int64_t dil_w, int64_t groups,
                                      const float* dy, const float* w, float* dx) {
  const char* fn = "nv_conv2d_backward_data_f32";
  NV_CHECK_CTX(ctx, fn);
  ConvShape s;
  NV_TRY(conv_shape(fn, N, C, H, W, K, R, S, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w,
                    groups, s));
  NV_CHECK_PTR(dy, N > 0, "nv_conv2d_backward_data_f32");
  NV_CHECK_PTR(w, true, "nv_conv2d_backward_data_f32");
  NV_CHECK_PTR(dx, N > 0, "nv_conv2d_backward_data_f32");
  return ctx->backend->conv2d_backward_data_f32(ctx, s, dy, w, dx);
}

nv_status nv_conv2d_backward_filter_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H,
                                        int64_t W, int64_t K, int64_t R, int64_t S,
                                        int64_t stride_h, int64_t stride_w, int64_t pad_h,
                                        int64_t pad_w, int64_t dil_h, int64_t dil_w,
                                        int64_t groups, const float* x, const float* dy,
                                        float* dw, float* dbias) {
  const char* fn = "nv_conv2d_backward_filter_f32";
  NV_CHECK_CTX(ctx, fn);
  ConvShape s;
  NV_TRY(conv_shape(fn, N, C, H, W, K, R, S, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w,
                    groups, s));
  NV_CHECK_PTRS(N > 0, "nv_conv2d_backward_filter_f32", x, dy);
  NV_CHECK_PTR(dw, true, "nv_conv2d_backward_filter_f32");
  return ctx->backend->conv2d_backward_filter_f32(ctx, s, x, dy, dw, dbias);
}

nv_status nv_pool2d_output_size(int64_t H, int64_t R, int64_t stride, int64_t pad,
                                int32_t ceil_mode, int64_t* P) {
  NV_CHECK(P != nullptr, "nv_pool2d_output_size: P is NULL");
  return pool_out("nv_pool2d_output_size", H, R, stride, pad, ceil_mode, P);
}

nv_status nv_max_pool2d_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                    int64_t R, int64_t S, int64_t stride_h, int64_t stride_w,
                                    int64_t pad_h, int64_t pad_w, int32_t ceil_mode,
                                    const float* x, float* y, int32_t* argmax) {
  const char* fn = "nv_max_pool2d_forward_f32";
  NV_CHECK_CTX(ctx, fn);
  PoolShape s;
  NV_TRY(pool_shape(fn, N, C, H, W, R, S, stride_h, stride_w, pad_h, pad_w, ceil_mode, false, s));
  NV_CHECK_PTRS(N * C > 0, "nv_max_pool2d_forward_f32", x, y);
  return ctx->backend->max_pool2d_forward_f32(ctx, s, x, y, argmax);
}

nv_status nv_max_pool2d_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                     int64_t P, int64_t Q, const float* dy,
                                     const int32_t* argmax, float* dx) {
  const char* fn = "nv_max_pool2d_backward_f32";
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK(N >= 0 && C >= 0 && H >= 1 && W >= 1 && P >= 1 && Q >= 1,
           "%s: sizes N=%lld C=%lld H=%lld W=%lld P=%lld Q=%lld (N, C >= 0, others >= 1)", fn,
           (long long)N, (long long)C, (long long)H, (long long)W, (long long)P, (long long)Q);
  NV_CHECK(H * W < (int64_t(1) << 31), "%s: the %lldx%lld plane is too large for int32 indices",
           fn, (long long)H, (long long)W);
  NV_CHECK_PTRS(N * C > 0, "nv_max_pool2d_backward_f32", dy, argmax, dx);
  PoolShape s{N, C, H, W, 1, 1, 1, 1, 0, 0, P, Q, false};
  return ctx->backend->max_pool2d_backward_f32(ctx, s, dy, argmax, dx);
}

nv_status nv_avg_pool2d_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                    int64_t R, int64_t S, int64_t stride_h, int64_t stride_w,
                                    int64_t pad_h, int64_t pad_w, int32_t ceil_mode,
                                    int32_t count_include_pad, const float* x, float* y) {
  const char* fn = "nv_avg_pool2d_forward_f32";
  NV_CHECK_CTX(ctx, fn);
  PoolShape s;
  NV_TRY(pool_shape(fn, N, C, H, W, R, S, stride_h, stride_w, pad_h, pad_w, ceil_mode,
                    count_include_pad != 0, s));
  NV_CHECK_PTRS(N * C > 0, "nv_avg_pool2d_forward_f32", x, y);
  return ctx->backend->avg_pool2d_forward_f32(ctx, s, x, y);
}

nv_status nv_avg_pool2d_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t H, int64_t W,
                                     int64_t R, int64_t S, int64_t stride_h, int64_t stride_w,
                                     int64_t pad_h, int64_t pad_w, int32_t ceil_mode,
                                     int32_t count_include_pad, const float* dy, float* dx) {
  const char* fn = "nv_avg_pool2d_backward_f32";
  NV_CHECK_CTX(ctx, fn);
  PoolShape s;
  NV_TRY(pool_shape(fn, N, C, H, W, R, S, stride_h, stride_w, pad_h, pad_w, ceil_mode,
                    count_include_pad != 0, s));
  NV_CHECK_PTRS(N * C > 0, "nv_avg_pool2d_backward_f32", dy, dx);
  return ctx->backend->avg_pool2d_backward_f32(ctx, s, dy, dx);
}

nv_status nv_batch_norm_forward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW,
                                    const float* x, const float* gamma, const float* beta,
                                    float* running_mean, float* running_var, float momentum,
                                    float eps, int32_t training, float* y, float* save_mean,
                                    float* save_invstd) {
  const char* fn = "nv_batch_norm_forward_f32";
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK(N >= 0 && C >= 1 && HW >= 1, "%s: N=%lld C=%lld HW=%lld (N >= 0, C and HW >= 1)",
           fn, (long long)N, (long long)C, (long long)HW);
  // The messages say what is wanted: eps=inf is positive, and NaN is inside no interval.
  NV_CHECK(std::isfinite(eps) && eps > 0, "%s: eps=%g must be a positive finite number", fn, (double)eps);
  NV_CHECK(momentum >= 0 && momentum <= 1, "%s: momentum=%g must be a number in [0, 1]", fn,
           (double)momentum);
  if (training) {
    NV_CHECK(N * HW > 1, "%s: training needs more than one value per channel, got N=%lld x "
             "HW=%lld", fn, (long long)N, (long long)HW);
  } else {
    NV_CHECK(running_mean != nullptr && running_var != nullptr,
             "%s: evaluation needs running_mean and running_var (one is NULL)", fn);
  }
  NV_CHECK_PTRS(N > 0, "nv_batch_norm_forward_f32", x, y);
  return ctx->backend->batch_norm_forward_f32(ctx, N, C, HW, x, gamma, beta, running_mean,
                                              running_var, momentum, eps, training != 0, y,
                                              save_mean, save_invstd);
}

nv_status nv_batch_norm_backward_f32(nv_ctx* ctx, int64_t N, int64_t C, int64_t HW,
                                     const float* x, const float* dy, const float* gamma,
                                     const float* save_mean, const float* save_invstd,
                                     int32_t training, float* dx, float* dgamma, float* dbeta) {
  const char* fn = "nv_batch_norm_backward_f32";
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK(N >= 0 && C >= 1 && HW >= 1, "%s: N=%lld C=%lld HW=%lld (N >= 0, C and HW >= 1)",
           fn, (long long)N, (long long)C, (long long)HW);
  NV_CHECK_PTRS(N > 0, "nv_batch_norm_backward_f32", x, dy, dx);
  NV_CHECK_PTRS(true, "nv_batch_norm_backward_f32", save_mean, save_invstd);
  return ctx->backend->batch_norm_backward_f32(ctx, N, C, HW, x, dy, gamma, save_mean,
                                               save_invstd, training != 0, dx, dgamma, dbeta);
}

nv_status nv_dropout_forward_f32(nv_ctx* ctx, int64_t n, float p, uint64_t seed,
                                 uint64_t offset, const float* x, float* y, float* mask) {
  const char* fn = "nv_dropout_forward_f32";
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK_NONNEG(n, "nv_dropout_forward_f32");
  NV_CHECK(p >= 0.0f && p <= 1.0f, "%s: p=%g must be a number in [0, 1]", fn, (double)p);
  NV_CHECK_PTRS(n > 0, "nv_dropout_forward_f32", x, y, mask);
  return ctx->backend->dropout_forward_f32(ctx, n, p, seed, offset, x, y, mask);
}

nv_status nv_dropout_backward_f32(nv_ctx* ctx, int64_t n, const float* dy, const float* mask,
                                  float* dx) {
  const char* fn = "nv_dropout_backward_f32";
  NV_CHECK_CTX(ctx, fn);
  NV_CHECK_NONNEG(n, "nv_dropout_backward_f32");
  NV_CHECK_PTRS(n > 0, "nv_dropout_backward_f32", dy, mask, dx);
  return ctx->backend->dropout_backward_f32(ctx, n, dy, mask, dx);
}

}  // extern "C"
