package dev.nerve.internal.ops;

import static dev.nerve.internal.ops.Operand.f32;

import dev.nerve.bindings.Nerve;

/**
 * 2-D convolution kernels on contiguous NCHW operands. The geometry g is {stride_h, stride_w,
 * pad_h, pad_w, dilation_h, dilation_w}. Internal: callers have checked shapes and devices.
 */
public final class Convolutions {
  private Convolutions() {}

  /** y [N, K, P, Q] = conv(x [N, C, H, W], w [K, C/groups, R, S]) + bias [K] (or null). */
  public static void conv2dForward(Operand x, Operand w, Operand bias, long[] g, long groups, Operand y) {
    long[] xs = x.shape();
    long[] ws = w.shape();
    try (Pin p = Pin.of("conv2d", x, w, bias, y)) {
      Native.check(Nerve.nv_conv2d_forward_f32(x.ctx().handle, xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3],
          g[0], g[1], g[2], g[3], g[4], g[5], groups, x.f32(), w.f32(), f32(bias), y.f32()),
          "nv_conv2d_forward_f32", "conv2d", "");
    }
  }

  /** dx [N, C, H, W] from dy and w: the adjoint of the forward in x. */
  public static void conv2dBackwardData(Operand dy, Operand w, long[] g, long groups, Operand dx) {
    long[] xs = dx.shape();
    long[] ws = w.shape();
    try (Pin p = Pin.of("conv2d (backward data)", dy, w, dx)) {
      Native.check(Nerve.nv_conv2d_backward_data_f32(dy.ctx().handle, xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3],
          g[0], g[1], g[2], g[3], g[4], g[5], groups, dy.f32(), w.f32(), dx.f32()),
          "nv_conv2d_backward_data_f32", "conv2d", "");
    }
  }

  /** dw and (unless null) dbias, overwritten. */
  public static void conv2dBackwardFilter(Operand x, Operand dy, long[] g, long groups, Operand dw, Operand dbias) {
    long[] xs = x.shape();
    long[] ws = dw.shape();
    try (Pin p = Pin.of("conv2d (backward filter)", x, dy, dw, dbias)) {
      Native.check(Nerve.nv_conv2d_backward_filter_f32(x.ctx().handle, xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3],
          g[0], g[1], g[2], g[3], g[4], g[5], groups, x.f32(), dy.f32(), dw.f32(), f32(dbias)),
          "nv_conv2d_backward_filter_f32", "conv2d", "");
    }
  }
}
