package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.IntPointer;

/**
 * Max and average pooling on contiguous NCHW operands. The geometry k is {kernel_h, kernel_w,
 * stride_h, stride_w, pad_h, pad_w}. Internal: callers have checked shapes and devices.
 */
public final class Pooling {
  private Pooling() {}

  /** The pooled size along one axis (PyTorch's rule, ceil mode included). */
  public static long outputSize(long in, long kernel, long stride, long pad, boolean ceilMode) {
    long[] out = new long[1];
    Native.check(Nerve.nv_pool2d_output_size(in, kernel, stride, pad, ceilMode ? 1 : 0, out), "nv_pool2d_output_size", "pooling",
        "");
    return out[0];
  }

  /** argmax (i32, y's shape) may be null (no backward). */
  public static void maxForward(Operand x, long[] k, boolean ceilMode, Operand y, Operand argmax) {
    long[] s = x.shape();
    try (Pin p = Pin.of("maxPool2d", x, y, argmax)) {
      Native.check(Nerve.nv_max_pool2d_forward_f32(x.ctx().handle, s[0], s[1], s[2], s[3], k[0], k[1], k[2], k[3], k[4],
          k[5], ceilMode ? 1 : 0, x.f32(), y.f32(), argmax == null ? (IntPointer) null : argmax.i32()),
          "nv_max_pool2d_forward_f32", "maxPool2d", "");
    }
  }

  public static void maxBackward(Operand dy, Operand argmax, Operand dx) {
    long[] s = dx.shape();
    try (Pin p = Pin.of("maxPool2d (backward)", dy, argmax, dx)) {
      Native.check(Nerve.nv_max_pool2d_backward_f32(dy.ctx().handle, s[0], s[1], s[2], s[3], dy.size(2), dy.size(3),
          dy.f32(), argmax.i32(), dx.f32()), "nv_max_pool2d_backward_f32", "maxPool2d (backward)", "");
    }
  }

  public static void avgForward(Operand x, long[] k, boolean ceilMode, boolean includePad, Operand y) {
    long[] s = x.shape();
    try (Pin p = Pin.of("avgPool2d", x, y)) {
      Native.check(Nerve.nv_avg_pool2d_forward_f32(x.ctx().handle, s[0], s[1], s[2], s[3], k[0], k[1], k[2], k[3], k[4],
          k[5], ceilMode ? 1 : 0, includePad ? 1 : 0, x.f32(), y.f32()), "nv_avg_pool2d_forward_f32", "avgPool2d", "");
    }
  }

  public static void avgBackward(Operand dy, long[] k, boolean ceilMode, boolean includePad, Operand dx) {
    long[] s = dx.shape();
    try (Pin p = Pin.of("avgPool2d (backward)", dy, dx)) {
      Native.check(Nerve.nv_avg_pool2d_backward_f32(dy.ctx().handle, s[0], s[1], s[2], s[3], k[0], k[1], k[2], k[3], k[4],
          k[5], ceilMode ? 1 : 0, includePad ? 1 : 0, dy.f32(), dx.f32()), "nv_avg_pool2d_backward_f32", "avgPool2d (backward)", "");
    }
  }
}
