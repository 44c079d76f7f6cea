package dev.nerve;

import dev.nerve.ops.Memory;
import dev.nerve.ops.Reductions;

/** sum, mean, max and argmax over one dimension or all, with gradients. */
final class ReductionFunctions {
  private ReductionFunctions() {}

  static Tensor reduceAll(String name, Tensor x, boolean mean) {
    F.checkF32(name, "input", x);
    if (x.numel() == 0) throw new IllegalArgumentException(name + ": tensor " + Shapes.str(x.shape()) + " is empty");
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor out = Tensor.empty(x.device(), DType.F32);
    Reductions.reduce(mean ? Reductions.MEAN : Reductions.SUM, xc, 1, x.numel(), 1, out);
    if (xc != x) xc.close();
    long[] shape = x.shape();
    float scale = mean ? 1f / x.numel() : 1f;
    return Autograd.record(out, name, g -> new Tensor[] {expandScaled(g, shape, scale)}, x);
  }

  static Tensor reduce(String name, Tensor x, int dim, boolean keepDim, boolean mean) {
    F.checkF32(name, "input", x);
    int d = Shapes.dim(name, dim, x.dim());
    long[] shape = x.shape();
    if (shape[d] == 0) throw new IllegalArgumentException(name + ": dimension " + d + " of " + Shapes.str(shape) + " is empty");
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor out = Tensor.empty(x.device(), DType.F32, reducedShape(shape, d, true));
    Reductions.reduce(mean ? Reductions.MEAN : Reductions.SUM, xc, outer(shape, d), shape[d], inner(shape, d), out);
    if (xc != x) xc.close();
    float scale = mean ? 1f / shape[d] : 1f;
    Tensor result = out;
    if (!keepDim) {
      result = Views.reshape(out, reducedShape(shape, d, false));
      out.close();
    }
    long[] kept = reducedShape(shape, d, true);
    return Autograd.record(result, name, g -> {
      try (Tensor gk = Views.reshape(g, kept)) {
        return new Tensor[] {expandScaled(gk, shape, scale)};
      }
    }, x);
  }

  static Tensor max(Tensor x, int dim, boolean keepDim) {
    F.checkF32("max", "input", x);
    int d = Shapes.dim("max", dim, x.dim());
    long[] shape = x.shape();
    if (shape[d] == 0) throw new IllegalArgumentException("max: dimension " + d + " of " + Shapes.str(shape) + " is empty");
    Tensor xc = PointwiseFunctions.dense(x);
    long[] kept = reducedShape(shape, d, true);
    Tensor out = Tensor.empty(x.device(), DType.F32, kept);
    Reductions.reduce(Reductions.MAX, xc, outer(shape, d), shape[d], inner(shape, d), out);
    Tensor result = out;
    if (!keepDim) {
      result = Views.reshape(out, reducedShape(shape, d, false));
    }
    if (!Autograd.needsGrad(x)) {
      if (xc != x) xc.close();
      if (result != out) out.close();
      return result;
    }
    return Autograd.record(result, "max", g -> {
      try (Tensor gk = Views.reshape(g, kept); Tensor mask = F.compare(xc, out, F.Compare.EQ)) {
        return new Tensor[] {F.mul(mask, gk)};
      }
    }, x);
  }

  static Tensor argmax(Tensor x, int dim) {
    F.checkF32("argmax", "input", x);
    int d = Shapes.dim("argmax", dim, x.dim());
    long[] shape = x.shape();
    if (shape[d] == 0) throw new IllegalArgumentException("argmax: dimension " + d + " of " + Shapes.str(shape) + " is empty");
    Tensor xc = PointwiseFunctions.dense(x);
    Tensor out = Tensor.empty(x.device(), DType.I32, reducedShape(shape, d, false));
    Reductions.argmax(xc, outer(shape, d), shape[d], inner(shape, d), out);
    if (xc != x) xc.close();
    return out;
  }

  /** g broadcast to shape, times scale. */
  private static Tensor expandScaled(Tensor g, long[] shape, float scale) {
    Tensor out = Tensor.empty(g.device(), DType.F32, shape);
    Memory.expand(g, out);
    if (scale != 1f) dev.nerve.ops.Pointwise.unary(PointwiseFunctions.SCALE_SHIFT, out, out, scale, 0f);
    return out;
  }

  static long outer(long[] shape, int d) {
    long n = 1;
    for (int i = 0; i < d; i++) n *= shape[i];
    return n;
  }

  static long inner(long[] shape, int d) {
    long n = 1;
    for (int i = d + 1; i < shape.length; i++) n *= shape[i];
    return n;
  }

  static long[] reducedShape(long[] shape, int d, boolean keepDim) {
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
