package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Convolutions;

/**
 * conv2d and its transpose on NCHW tensors: argument checks that name the op and the shapes, the
 * {@link Convolutions} kernels, and the backward of each next to its forward.
 */
public final class ConvFunctions {
  private ConvFunctions() {}

  /** "3x3". */
  static String hw(long[] v) {
    return v[0] + "x" + v[1];
  }

  /** A (height, width) argument as longs, each at least min. */
  static long[] pair(String op, String what, int[] v, int min) {
    check(v != null && v.length == 2, "%s: %s must have 2 values (height, width), got %s", op, what, v);
    check(v[0] >= min && v[1] >= min, "%s: %s must be >= %s, got %sx%s", op, what, min, v[0], v[1]);
    return new long[] {v[0], v[1]};
  }

  /** An open f32 tensor of 4 dimensions (layout names them in the message). */
  static void check4d(String op, String arg, Tensor t, String layout) {
    checkF32(op, arg, t);
    check(t.dim() == 4, "%s: %s must be 4-D %s, got %s", op, arg, layout, shape(t));
  }

  // ---------------------------------------------------------------- conv2d

  /** 2-D convolution with (height, width) stride, padding and dilation, and channel groups. */
  public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] strideHw, int[] paddingHw, int[] dilationHw,
      int groups) {
    return OpFrame.run(() -> conv2dUnguarded(x, w, b, strideHw, paddingHw, dilationHw, groups));
  }

  /** conv2d itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor conv2dUnguarded(Tensor x, Tensor w, Tensor b, int[] strideHw, int[] paddingHw, int[] dilationHw,
      int groups) {
    final String op = "conv2d";
    check4d(op, "input", x, "[N, C, H, W]");
    check4d(op, "weight", w, "[K, C/groups, R, S]");
    checkSameDevice(op, x, w);
    long[] stride = pair(op, "stride", strideHw, 1);
    long[] pad = pair(op, "padding", paddingHw, 0);
    long[] dil = pair(op, "dilation", dilationHw, 1);
    check(groups >= 1, "conv2d: groups must be >= 1, got %s", groups);
    long c = x.size(1);
    long k = w.size(0);
    check(c % groups == 0 && k % groups == 0,
        "conv2d: groups=%s must divide the input channels %s and the output channels %s (input %s, weight %s)", groups, c,
        k, shape(x), shape(w));
    check(w.size(1) * groups == c, "conv2d: input has %s channels but weight expects %s (input %s, weight %s)", c,
        w.size(1) * groups, shape(x), shape(w));
    if (b != null) {
      checkF32(op, "bias", b);
      checkSameDevice(op, x, b);
      check(b.dim() == 1 && b.size(0) == k, "conv2d: bias must be [%s], got %s (input %s, weight %s)", k, shape(b),
          shape(x), shape(w));
    }
    long p = (x.size(2) + 2 * pad[0] - dil[0] * (w.size(2) - 1) - 1);
    long q = (x.size(3) + 2 * pad[1] - dil[1] * (w.size(3) - 1) - 1);
    if (p < 0 || q < 0 || x.size(2) == 0 || x.size(3) == 0) {
      throw Checks.fail("conv2d: the %sx%s kernel (dilation %s) does not fit the %sx%s input with padding %s: the output"
          + " would be empty (input %s, weight %s)", w.size(2), w.size(3), hw(dil), x.size(2), x.size(3), hw(pad),
          shape(x), shape(w));
    }
    p = p / stride[0] + 1;
    q = q / stride[1] + 1;
    final long[] geom = {stride[0], stride[1], pad[0], pad[1], dil[0], dil[1]};
    Tensor xc = dense(x);
    Tensor wc = dense(w);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.size(0), k, p, q);
    Tensor bc = b == null ? null : dense(b);
    Convolutions.conv2dForward(Tensors.data(xc), Tensors.data(wc), bc == null ? null : Tensors.data(bc), geom, groups,
        Tensors.data(y));
    if (bc != b) bc.close();
    if (!Autograd.needsGrad(x, w, b)) {
      if (xc != x) xc.close();
      if (wc != w) wc.close();
      return y;
    }
    return Autograd.record(y, op,
        Autograd.saves("input", w.requiresGrad() ? xc : null, "weight", x.requiresGrad() ? wc : null), g -> {
      Tensor gc = dense(g);
      Tensor dx = null;
      if (x.requiresGrad()) {
        dx = Tensor.empty(x.device(), DType.F32, x.shape());
        Convolutions.conv2dBackwardData(Tensors.data(gc), Tensors.data(wc), geom, groups, Tensors.data(dx));
      }
      Tensor dw = null;
      Tensor db = null;
      if (w.requiresGrad() || (b != null && b.requiresGrad())) {
        dw = Tensor.empty(w.device(), DType.F32, w.shape());
        if (b != null && b.requiresGrad()) db = Tensor.empty(b.device(), DType.F32, k);
        Convolutions.conv2dBackwardFilter(Tensors.data(xc), Tensors.data(gc), geom, groups, Tensors.data(dw),
            db == null ? null : Tensors.data(db));
        if (!w.requiresGrad()) {
          dw.close();
          dw = null;
        }
      }
      if (gc != g) gc.close();
      return new Tensor[] {dx, dw, db};
    }, x, w, b);
  }

  // ---------------------------------------------------------------- transposed convolution

  /**
   * The adjoint of conv2d in x: weight [C_in, C_out, R, S] (PyTorch's layout), output
   * H = (P - 1) stride - 2 padding + R + outputPadding. Forward is conv2d's backward-data, its
   * gradient in x is conv2d's forward and in the weight conv2d's backward-filter.
   */
  public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding) {
    return OpFrame.run(() -> convTranspose2dUnguarded(x, w, b, stride, padding, outputPadding));
  }

  /** convTranspose2d itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor convTranspose2dUnguarded(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding) {
    final String op = "convTranspose2d";
    check4d(op, "input", x, "[N, C_in, H, W]");
    check4d(op, "weight", w, "[C_in, C_out, R, S]");
    checkSameDevice(op, x, w);
    check(stride >= 1 && padding >= 0 && outputPadding >= 0 && outputPadding < stride,
        "convTranspose2d: need stride >= 1, padding >= 0 and 0 <= outputPadding < stride, got stride %s, padding %s,"
            + " outputPadding %s", stride, padding, outputPadding);
    check(x.size(1) == w.size(0), "convTranspose2d: input has %s channels but weight expects %s (input %s, weight %s)",
        x.size(1), w.size(0), shape(x), shape(w));
    long cOut = w.size(1);
    if (b != null) {
      checkF32(op, "bias", b);
      checkSameDevice(op, x, b);
      check(b.dim() == 1 && b.size(0) == cOut, "convTranspose2d: bias must be [%s], got %s (input %s, weight %s)", cOut,
          shape(b), shape(x), shape(w));
    }
    long h = (x.size(2) - 1) * stride - 2L * padding + w.size(2) + outputPadding;
    long wd = (x.size(3) - 1) * stride - 2L * padding + w.size(3) + outputPadding;
    check(h >= 1 && wd >= 1 && x.size(2) != 0 && x.size(3) != 0,
        "convTranspose2d: the output would be empty (%sx%s) (input %s, weight %s)", h, wd, shape(x), shape(w));
    final long[] geom = {stride, stride, padding, padding, 1, 1};
    Tensor xc = dense(x);
    Tensor wc = dense(w);
    final long[] outShape = {x.size(0), cOut, h, wd};
    Tensor y = Tensor.empty(x.device(), DType.F32, outShape);
    // As a convolution from y's shape [N, C_out, h, wd] to x's [N, C_in, P, Q] with weight w.
    Convolutions.conv2dBackwardData(Tensors.data(xc), Tensors.data(wc), geom, 1, Tensors.data(y));
    Tensor core = !Autograd.needsGrad(x, w) ? y : Autograd.record(y, op,
        Autograd.saves("input", w.requiresGrad() ? xc : null, "weight", x.requiresGrad() ? wc : null), g -> {
      Tensor gc = dense(g);
      Tensor dx = null;
      if (x.requiresGrad()) {
        dx = Tensor.empty(x.device(), DType.F32, x.shape());
        Convolutions.conv2dForward(Tensors.data(gc), Tensors.data(wc), null, geom, 1, Tensors.data(dx));
      }
      Tensor dw = null;
      if (w.requiresGrad()) {
        dw = Tensor.empty(w.device(), DType.F32, w.shape());
        Convolutions.conv2dBackwardFilter(Tensors.data(gc), Tensors.data(xc), geom, 1, Tensors.data(dw), null);
      }
      if (gc != g) gc.close();
      return new Tensor[] {dx, dw};
    }, x, w);
    if (b == null) return core;
    // The bias through the broadcasting add, which has its own gradient.
    return core.add(b.reshape(1, cOut, 1, 1));
  }
}
