package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.F;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Memory;
import dev.nerve.internal.ops.Pointwise;
import dev.nerve.internal.ops.Pointwise.Unary;
import dev.nerve.internal.ops.Reductions;
import dev.nerve.internal.ops.Reductions.Reduction;

/** sum, mean, max and argmax over one dimension or all, with gradients, on the {@link Reductions} kernels. */
public final class ReductionFunctions {
  private ReductionFunctions() {}

  /** The sum (or mean) of all elements, a 0-D tensor. */
  public static Tensor reduceAll(String name, Tensor x, boolean mean) {
    return OpFrame.run(() -> reduceAllUnguarded(name, x, mean));
  }

  /** reduceAll itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor reduceAllUnguarded(String name, Tensor x, boolean mean) {
    checkF32(name, "input", x);
    Tensor out;
    if (x.numel() == 0) {
      out = Tensor.full(x.device(), mean ? Float.NaN : 0f);  // as PyTorch: the empty sum, and 0 / 0
    } else {
      Tensor xc = dense(x);
      out = Tensor.empty(x.device(), DType.F32);
      Reductions.reduce(mean ? Reduction.MEAN : Reduction.SUM, Tensors.data(xc), 1, x.numel(), 1, Tensors.data(out));
      if (xc != x) xc.close();
    }
    long[] shape = x.shape();
    float scale = mean ? 1f / x.numel() : 1f;
    return Autograd.record(out, name, Autograd.savesNothing(), g -> new Tensor[] {expandScaled(g, shape, scale)}, x);
  }

  /** The sum (or mean) along dim. */
  public static Tensor reduce(String name, Tensor x, int dim, boolean keepDim, boolean mean) {
    return OpFrame.run(() -> reduceUnguarded(name, x, dim, keepDim, mean));
  }

  /** reduce itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor reduceUnguarded(String name, Tensor x, int dim, boolean keepDim, boolean mean) {
    checkF32(name, "input", x);
    int d = Shapes.dim(name, dim, x.dim());
    long[] shape = x.shape();
    Tensor out;
    if (shape[d] == 0) {
      out = Tensor.full(x.device(), mean ? Float.NaN : 0f, reducedShape(shape, d, true));  // as PyTorch
    } else {
      Tensor xc = dense(x);
      out = Tensor.empty(x.device(), DType.F32, reducedShape(shape, d, true));
      Reductions.reduce(mean ? Reduction.MEAN : Reduction.SUM, Tensors.data(xc), outer(shape, d), shape[d],
          inner(shape, d), Tensors.data(out));
      if (xc != x) xc.close();
    }
    float scale = mean ? 1f / shape[d] : 1f;
    Tensor result = out;
    if (!keepDim) {
      result = Views.reshape(out, reducedShape(shape, d, false));
      out.close();
    }
    long[] kept = reducedShape(shape, d, true);
    return Autograd.record(result, name, Autograd.savesNothing(), g -> {
      try (Tensor gk = Views.reshape(g, kept)) {
        return new Tensor[] {expandScaled(gk, shape, scale)};
      }
    }, x);
  }

  /**
   * The maximum along dim. The gradient goes to one position per reduced row, the first that
   * holds the maximum (the index argmax gives), as PyTorch's max(dim): ties do not multiply it.
   */
  public static Tensor max(Tensor x, int dim, boolean keepDim) {
    return OpFrame.run(() -> maxUnguarded(x, dim, keepDim));
  }

  /** max itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor maxUnguarded(Tensor x, int dim, boolean keepDim) {
    checkF32("max", "input", x);
    int d = Shapes.dim("max", dim, x.dim());
    long[] shape = x.shape();
    checkNotEmpty("max", shape, d);
    check(shape[d] <= (1 << 24) || !Autograd.needsGrad(x), "max: the gradient along a dimension of more than 2^24"
        + " elements is not supported (dimension %s of %s)", d, shape);
    Tensor xc = dense(x);
    long[] kept = reducedShape(shape, d, true);
    Tensor out = Tensor.empty(x.device(), DType.F32, kept);
    Reductions.reduce(Reduction.MAX, Tensors.data(xc), outer(shape, d), shape[d], inner(shape, d), Tensors.data(out));
    Tensor result = out;
    if (!keepDim) {
      result = Views.reshape(out, reducedShape(shape, d, false));
      out.close();
    }
    if (!Autograd.needsGrad(x)) {
      if (xc != x) xc.close();
      return result;
    }
    // The winners, as a 0/1 mask of x's shape: position index == argmax index along d (as floats,
    // exact up to 2^24, hence the check above).
    Tensor mask;
    try (Tensor idx = argmax(xc, d); Tensor idxF = MemoryFunctions.cast(idx, DType.F32);
        Tensor idxK = Views.reshape(idxF, kept); Tensor positions = positions(x.device(), shape, d)) {
      mask = PointwiseFunctions.compare(positions, idxK, F.Compare.EQ);
    }
    if (xc != x) xc.close();
    return Autograd.record(result, "max", Autograd.saves("buffer argmax mask", mask), g -> {
      try (Tensor gk = Views.reshape(g, kept)) {
        return new Tensor[] {F.mul(mask, gk)};
      }
    }, x);
  }

  /** 0, 1, ..., shape[d] - 1 along dimension d of a tensor of shape's rank, size 1 elsewhere (exact below 2^24). */
  private static Tensor positions(dev.nerve.Device device, long[] shape, int d) {
    float[] v = new float[(int) shape[d]];
    for (int i = 0; i < v.length; i++) v[i] = i;
    long[] s = new long[shape.length];
    java.util.Arrays.fill(s, 1);
    s[d] = shape[d];
    return Tensor.of(device, v, s);
  }

  /** The index of the first maximum along dim, as i32; no gradient. */
  public static Tensor argmax(Tensor x, int dim) {
    return OpFrame.run(() -> argmaxUnguarded(x, dim));
  }

  /** argmax itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor argmaxUnguarded(Tensor x, int dim) {
    checkF32("argmax", "input", x);
    int d = Shapes.dim("argmax", dim, x.dim());
    long[] shape = x.shape();
    checkNotEmpty("argmax", shape, d);
    Tensor xc = dense(x);
    Tensor out = Tensor.empty(x.device(), DType.I32, reducedShape(shape, d, false));
    Reductions.argmax(Tensors.data(xc), outer(shape, d), shape[d], inner(shape, d), Tensors.data(out));
    if (xc != x) xc.close();
    return out;
  }

  private static void checkNotEmpty(String name, long[] shape, int d) {
    check(shape[d] != 0, "%s: dimension %s of %s is empty", name, d, shape);
  }

  /** g broadcast to shape, times scale. */
  private static Tensor expandScaled(Tensor g, long[] shape, float scale) {
    Tensor out = Tensor.empty(g.device(), DType.F32, shape);
    Memory.expand(Tensors.data(g), Tensors.data(out));
    if (scale != 1f) Pointwise.unary(Unary.SCALE_SHIFT, Tensors.data(out), Tensors.data(out), scale, 0f);
    return out;
  }

  private static long outer(long[] shape, int d) {
    long n = 1;
    for (int i = 0; i < d; i++) n *= shape[i];
    return n;
  }

  private static long inner(long[] shape, int d) {
    long n = 1;
    for (int i = d + 1; i < shape.length; i++) n *= shape[i];
    return n;
  }

  private static long[] reducedShape(long[] shape, int d, boolean keepDim) {
    if (keepDim) {
      long[] r = shape.clone();
      r[d] = 1;
      return r;
    }
    long[] r = new long[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) if (i != d) r[j++] = shape[i];
    return r;
  }
}
