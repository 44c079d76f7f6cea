package dev.nerve;

import dev.nerve.ops.Convolutions;

/**
 * conv2d, pooling, batch norm and dropout on NCHW tensors: argument checks that name the op and
 * the shapes, the kernels (dev.nerve.ops.Convolutions), and the backward of each next to its
 * forward.
 */
final class ConvFunctions {
  private ConvFunctions() {}

  private static String hw(long[] v) {
    return v[0] + "x" + v[1];
  }

  private static long[] pair(String op, String what, int[] v, int min) {
    if (v == null || v.length != 2) {
      throw new IllegalArgumentException(op + ": " + what + " must have 2 values (height, width), got "
          + (v == null ? "null" : java.util.Arrays.toString(v)));
    }
    if (v[0] < min || v[1] < min) {
      throw new IllegalArgumentException(op + ": " + what + " must be >= " + min + ", got " + v[0] + "x" + v[1]);
    }
    return new long[] {v[0], v[1]};
  }

  private static void check4d(String op, String arg, Tensor t, String layout) {
    F.checkF32(op, arg, t);
    if (t.dim() != 4) {
      throw new IllegalArgumentException(op + ": " + arg + " must be 4-D " + layout + ", got " + Shapes.str(t.shape()));
    }
  }

  // ---------------------------------------------------------------- conv2d

  static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] strideHw, int[] paddingHw, int[] dilationHw, int groups) {
    final String op = "conv2d";
    check4d(op, "input", x, "[N, C, H, W]");
    check4d(op, "weight", w, "[K, C/groups, R, S]");
    F.checkSameDevice(op, x, w);
    long[] stride = pair(op, "stride", strideHw, 1);
    long[] pad = pair(op, "padding", paddingHw, 0);
    long[] dil = pair(op, "dilation", dilationHw, 1);
    String shapes = " (input " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape()) + ")";
    if (groups < 1) throw new IllegalArgumentException(op + ": groups must be >= 1, got " + groups);
    long c = x.size(1);
    long k = w.size(0);
    if (c % groups != 0 || k % groups != 0) {
      throw new IllegalArgumentException(op + ": groups=" + groups + " must divide the input channels " + c
          + " and the output channels " + k + shapes);
    }
    if (w.size(1) * groups != c) {
      throw new IllegalArgumentException(op + ": input has " + c + " channels but weight expects " + w.size(1) * groups
          + shapes);
    }
    if (b != null) {
      F.checkF32(op, "bias", b);
      F.checkSameDevice(op, x, b);
      if (b.dim() != 1 || b.size(0) != k) {
        throw new IllegalArgumentException(op + ": bias must be [" + k + "], got " + Shapes.str(b.shape()) + shapes);
      }
    }
    long p = (x.size(2) + 2 * pad[0] - dil[0] * (w.size(2) - 1) - 1);
    long q = (x.size(3) + 2 * pad[1] - dil[1] * (w.size(3) - 1) - 1);
    if (p < 0 || q < 0 || x.size(2) == 0 || x.size(3) == 0) {
      throw new IllegalArgumentException(op + ": the " + w.size(2) + "x" + w.size(3) + " kernel (dilation " + hw(dil)
          + ") does not fit the " + x.size(2) + "x" + x.size(3) + " input with padding " + hw(pad)
          + ": the output would be empty" + shapes);
    }
    p = p / stride[0] + 1;
    q = q / stride[1] + 1;
    final long[] geom = {stride[0], stride[1], pad[0], pad[1], dil[0], dil[1]};
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor wc = PointwiseFunctions.dense(w);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.size(0), k, p, q);
    Convolutions.conv2dForward(xc, wc, b == null ? null : PointwiseFunctions.dense(b), geom, groups, y);
    if (!Autograd.needsGrad(x, w, b)) {
      if (xc != x) xc.close();
      if (wc != w) wc.close();
      return y;
    }
    return Autograd.record(y, op, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = null;
      if (x.requiresGrad()) {
        dx = Tensor.empty(x.device(), DType.F32, x.shape());
        Convolutions.conv2dBackwardData(gc, wc, geom, groups, dx);
      }
      Tensor dw = null;
      Tensor db = null;
      if (w.requiresGrad() || (b != null && b.requiresGrad())) {
        dw = Tensor.empty(w.device(), DType.F32, w.shape());
        if (b != null && b.requiresGrad()) db = Tensor.empty(b.device(), DType.F32, k);
        Convolutions.conv2dBackwardFilter(xc, gc, geom, groups, dw, db);
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
  static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding) {
    final String op = "convTranspose2d";
    check4d(op, "input", x, "[N, C_in, H, W]");
    check4d(op, "weight", w, "[C_in, C_out, R, S]");
    F.checkSameDevice(op, x, w);
    String shapes = " (input " + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape()) + ")";
    if (stride < 1 || padding < 0 || outputPadding < 0 || outputPadding >= stride) {
      throw new IllegalArgumentException(op + ": need stride >= 1, padding >= 0 and 0 <= outputPadding < stride, got stride "
          + stride + ", padding " + padding + ", outputPadding " + outputPadding);
    }
    if (x.size(1) != w.size(0)) {
      throw new IllegalArgumentException(op + ": input has " + x.size(1) + " channels but weight expects " + w.size(0) + shapes);
    }
    long cOut = w.size(1);
    if (b != null) {
      F.checkF32(op, "bias", b);
      if (b.dim() != 1 || b.size(0) != cOut) {
        throw new IllegalArgumentException(op + ": bias must be [" + cOut + "], got " + Shapes.str(b.shape()) + shapes);
      }
    }
    long h = (x.size(2) - 1) * stride - 2L * padding + w.size(2) + outputPadding;
    long wd = (x.size(3) - 1) * stride - 2L * padding + w.size(3) + outputPadding;
    if (h < 1 || wd < 1 || x.size(2) == 0 || x.size(3) == 0) {
      throw new IllegalArgumentException(op + ": the output would be empty (" + h + "x" + wd + ")" + shapes);
    }
    final long[] geom = {stride, stride, padding, padding, 1, 1};
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor wc = PointwiseFunctions.dense(w);
    final long[] outShape = {x.size(0), cOut, h, wd};
    Tensor y = Tensor.empty(x.device(), DType.F32, outShape);
    // As a convolution from y's shape [N, C_out, h, wd] to x's [N, C_in, P, Q] with weight w.
    Convolutions.conv2dBackwardData(xc, wc, geom, 1, y);
    Tensor core = !Autograd.needsGrad(x, w) ? y : Autograd.record(y, op, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = null;
      if (x.requiresGrad()) {
        dx = Tensor.empty(x.device(), DType.F32, x.shape());
        Convolutions.conv2dForward(gc, wc, null, geom, 1, dx);
      }
      Tensor dw = null;
      if (w.requiresGrad()) {
        dw = Tensor.empty(w.device(), DType.F32, w.shape());
        Convolutions.conv2dBackwardFilter(gc, xc, geom, 1, dw, null);
      }
      if (gc != g) gc.close();
      return new Tensor[] {dx, dw};
    }, x, w);
    if (b == null) return core;
    // The bias through the broadcasting add, which has its own gradient.
    return core.add(b.reshape(1, cOut, 1, 1));
  }

  // ---------------------------------------------------------------- pooling

  /** {kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w} after the checks. */
  private static long[] poolGeometry(String op, Tensor x, int[] kernelHw, int[] strideHw, int[] paddingHw) {
    check4d(op, "input", x, "[N, C, H, W]");
    long[] k = pair(op, "kernel size", kernelHw, 1);
    long[] s = strideHw == null ? k.clone() : pair(op, "stride", strideHw, 1);
    long[] p = pair(op, "padding", paddingHw, 0);
    if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
      throw new IllegalArgumentException(op + ": padding " + hw(p) + " must be at most half the kernel " + hw(k)
          + " (input " + Shapes.str(x.shape()) + ")");
    }
    if (x.size(2) + 2 * p[0] < k[0] || x.size(3) + 2 * p[1] < k[1] || x.size(2) == 0 || x.size(3) == 0) {
      throw new IllegalArgumentException(op + ": the " + hw(k) + " kernel does not fit the " + x.size(2) + "x" + x.size(3)
          + " input with padding " + hw(p) + ": the output would be empty (input " + Shapes.str(x.shape()) + ")");
    }
    return new long[] {k[0], k[1], s[0], s[1], p[0], p[1]};
  }

  static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
    final String op = "maxPool2d";
    final long[] geom = poolGeometry(op, x, kernel, stride, padding);
    long p = Convolutions.poolOutputSize(x.size(2), geom[0], geom[2], geom[4], ceilMode);
    long q = Convolutions.poolOutputSize(x.size(3), geom[1], geom[3], geom[5], ceilMode);
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.size(0), x.size(1), p, q);
    boolean grad = Autograd.needsGrad(x);
    Tensor argmax = grad ? Tensor.empty(x.device(), DType.I32, y.shape()) : null;
    Convolutions.maxPoolForward(xc, geom, ceilMode, y, argmax);
    if (xc != x) xc.close();
    if (!grad) return y;
    final long[] inShape = x.shape();
    return Autograd.record(y, op, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, inShape);
      Convolutions.maxPoolBackward(gc, argmax, dx);
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
    final String op = "avgPool2d";
    final long[] geom = poolGeometry(op, x, kernel, stride, padding);
    long p = Convolutions.poolOutputSize(x.size(2), geom[0], geom[2], geom[4], ceilMode);
    long q = Convolutions.poolOutputSize(x.size(3), geom[1], geom[3], geom[5], ceilMode);
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.size(0), x.size(1), p, q);
    Convolutions.avgPoolForward(xc, geom, ceilMode, countIncludePad, y);
    if (xc != x) xc.close();
    final long[] inShape = x.shape();
    return Autograd.record(y, op, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, inShape);
      Convolutions.avgPoolBackward(gc, geom, ceilMode, countIncludePad, dx);
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
    final String op = "adaptiveAvgPool2d";
    check4d(op, "input", x, "[N, C, H, W]");
    long h = x.size(2);
    long w = x.size(3);
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(op + ": output size must be >= 1, got " + outH + "x" + outW);
    }
    if (h % outH != 0 || w % outW != 0) {
      throw new IllegalArgumentException(op + ": the input " + h + "x" + w + " must be a multiple of the output "
          + outH + "x" + outW + " (input " + Shapes.str(x.shape()) + ")");
    }
    int kh = (int) (h / outH);
    int kw = (int) (w / outW);
    return avgPool2d(x, new int[] {kh, kw}, new int[] {kh, kw}, new int[] {0, 0}, false, true);
  }

  // ---------------------------------------------------------------- batch norm

  static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, float momentum, float eps) {
    final String op = "batchNorm";
    F.checkF32(op, "input", x);
    if (x.dim() < 2) {
      throw new IllegalArgumentException(op + ": input must be [N, C, ...] (at least 2-D), got " + Shapes.str(x.shape()));
    }
    final long n = x.size(0);
    final long c = x.size(1);
    final long hw = c == 0 ? 0 : (n == 0 ? 1 : x.numel() / (n * c));
    if (c == 0 || hw == 0) throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape()) + " has no channels or no values");
    Tensor[] perChannel = {runningMean, runningVar, weight, bias};
    String[] names = {"runningMean", "runningVar", "weight", "bias"};
    for (int i = 0; i < 4; i++) {
      Tensor t = perChannel[i];
      if (t == null) continue;
      F.checkF32(op, names[i], t);
      F.checkSameDevice(op, x, t);
      if (t.dim() != 1 || t.size(0) != c || !t.isContiguous()) {
        throw new IllegalArgumentException(op + ": " + names[i] + " must be [" + c + "] (one per channel), got "
            + Shapes.str(t.shape()) + " (input " + Shapes.str(x.shape()) + ")");
      }
    }
    if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got " + momentum);
    if (!(eps > 0)) throw new IllegalArgumentException(op + ": eps must be positive, got " + eps);
    if (training && n * hw <= 1) {
      throw new IllegalArgumentException(op + ": training needs more than one value per channel, got input "
          + Shapes.str(x.shape()) + " (use a larger batch, or eval() mode)");
    }
    if (!training && (runningMean == null || runningVar == null)) {
      throw new IllegalArgumentException(op + ": evaluation mode needs runningMean and runningVar (input "
          + Shapes.str(x.shape()) + ")");
    }
    if ((runningMean == null) != (runningVar == null)) {
      throw new IllegalArgumentException(op + ": give both runningMean and runningVar or neither");
    }
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    Tensor saveMean = Tensor.empty(x.device(), DType.F32, c);
    Tensor saveInvstd = Tensor.empty(x.device(), DType.F32, c);
    Convolutions.batchNormForward(xc, n, c, hw, weight, bias, runningMean, runningVar, momentum, eps, training, y,
        saveMean, saveInvstd);
    if (!Autograd.needsGrad(x, weight, bias)) {
      if (xc != x) xc.close();
      saveMean.close();
      saveInvstd.close();
      return y;
    }
    return Autograd.record(y, op, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, x.shape());
      boolean wantW = weight != null && weight.requiresGrad();
      boolean wantB = bias != null && bias.requiresGrad();
      Tensor dw = wantW ? Tensor.empty(g.device(), DType.F32, c) : null;
      Tensor db = wantB ? Tensor.empty(g.device(), DType.F32, c) : null;
      Convolutions.batchNormBackward(xc, gc, n, c, hw, weight, saveMean, saveInvstd, training, dx, dw, db);
      if (gc != g) gc.close();
      if (!x.requiresGrad()) {
        dx.close();
        dx = null;
      }
      return new Tensor[] {dx, dw, db};
    }, x, weight, bias);
  }

  // ---------------------------------------------------------------- dropout

  static Tensor dropout(Tensor x, float p, boolean training, Generator gen) {
    final String op = "dropout";
    F.checkF32(op, "input", x);
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
    if (!training || p == 0f) return x;
    if (gen == null) throw new IllegalArgumentException(op + ": generator is null");
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    Tensor mask = Tensor.empty(x.device(), DType.F32, x.shape());
    long offset = gen.advance(x.numel());
    Convolutions.dropoutForward(xc, p, gen.seed(), offset, y, mask);
    if (xc != x) xc.close();
    if (!Autograd.needsGrad(x)) {
      mask.close();
      return y;
    }
    return Autograd.record(y, op, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, g.shape());
      Convolutions.dropoutBackward(gc, mask, dx);
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }
}
