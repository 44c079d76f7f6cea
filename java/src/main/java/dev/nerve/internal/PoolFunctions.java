package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.ConvFunctions.check4d;
import static dev.nerve.internal.ConvFunctions.hw;
import static dev.nerve.internal.ConvFunctions.pair;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Pooling;

/** Max, average and adaptive average pooling of NCHW tensors, with gradients, on the {@link Pooling} kernels. */
public final class PoolFunctions {
  private PoolFunctions() {}

  /** {kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w} after the checks (stride null: the kernel). */
  private static long[] geometry(String op, Tensor x, int[] kernelHw, int[] strideHw, int[] paddingHw) {
    check4d(op, "input", x, "[N, C, H, W]");
    long[] k = pair(op, "kernel size", kernelHw, 1);
    long[] s = strideHw == null ? k.clone() : pair(op, "stride", strideHw, 1);
    long[] p = pair(op, "padding", paddingHw, 0);
    if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
      throw Checks.fail("%s: padding %s must be at most half the kernel %s (input %s)", op, hw(p), hw(k), shape(x));
    }
    if (x.size(2) + 2 * p[0] < k[0] || x.size(3) + 2 * p[1] < k[1] || x.size(2) == 0 || x.size(3) == 0) {
      throw Checks.fail("%s: the %s kernel does not fit the %sx%s input with padding %s: the output would be empty"
          + " (input %s)", op, hw(k), x.size(2), x.size(3), hw(p), shape(x));
    }
    return new long[] {k[0], k[1], s[0], s[1], p[0], p[1]};
  }

  /** Max pooling [N, C, H, W] to [N, C, P, Q]; padding at most kernel / 2; ceilMode as PyTorch. */
  public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
    return OpFrame.run(() -> maxPool2dUnguarded(x, kernel, stride, padding, ceilMode));
  }

  /** maxPool2d itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor maxPool2dUnguarded(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
    final String op = "maxPool2d";
    final long[] geom = geometry(op, x, kernel, stride, padding);
    long[] outShape = outputShape(x, geom, ceilMode);
    Tensor xc = dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, outShape);
    boolean grad = Autograd.needsGrad(x);
    Tensor argmax = grad ? Tensor.empty(x.device(), DType.I32, y.shape()) : null;
    Pooling.maxForward(Tensors.data(xc), geom, ceilMode, Tensors.data(y), argmax == null ? null : Tensors.data(argmax));
    if (xc != x) xc.close();
    if (!grad) return y;
    final long[] inShape = x.shape();
    return Autograd.record(y, op, Autograd.saves("buffer argmax", argmax), g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, inShape);
      Pooling.maxBackward(Tensors.data(gc), Tensors.data(argmax), Tensors.data(dx));
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  /** Average pooling; countIncludePad divides by the whole window (padding counted as zeros). */
  public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad) {
    return OpFrame.run(() -> avgPool2dUnguarded(x, kernel, stride, padding, ceilMode, countIncludePad));
  }

  /** avgPool2d itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor avgPool2dUnguarded(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad) {
    final String op = "avgPool2d";
    final long[] geom = geometry(op, x, kernel, stride, padding);
    long[] outShape = outputShape(x, geom, ceilMode);
    Tensor xc = dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, outShape);
    Pooling.avgForward(Tensors.data(xc), geom, ceilMode, countIncludePad, Tensors.data(y));
    if (xc != x) xc.close();
    final long[] inShape = x.shape();
    return Autograd.record(y, op, Autograd.savesNothing(), g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, inShape);
      Pooling.avgBackward(Tensors.data(gc), geom, ceilMode, countIncludePad, Tensors.data(dx));
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  /** Average pooling to an outH x outW output; H and W must be multiples of it. */
  public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
    check4d("adaptiveAvgPool2d", "input", x, "[N, C, H, W]");
    long h = x.size(2);
    long w = x.size(3);
    check(outH >= 1 && outW >= 1, "adaptiveAvgPool2d: output size must be >= 1, got %sx%s", outH, outW);
    check(h % outH == 0 && w % outW == 0,
        "adaptiveAvgPool2d: the input %sx%s must be a multiple of the output %sx%s (input %s)", h, w, outH, outW, shape(x));
    int kh = (int) (h / outH);
    int kw = (int) (w / outW);
    return avgPool2d(x, new int[] {kh, kw}, new int[] {kh, kw}, new int[] {0, 0}, false, true);
  }

  /** [N, C, P, Q] for the geometry. */
  private static long[] outputShape(Tensor x, long[] geom, boolean ceilMode) {
    long p = Pooling.outputSize(x.size(2), geom[0], geom[2], geom[4], ceilMode);
    long q = Pooling.outputSize(x.size(3), geom[1], geom[3], geom[5], ceilMode);
    return new long[] {x.size(0), x.size(1), p, q};
  }
}
