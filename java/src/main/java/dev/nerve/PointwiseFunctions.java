package dev.nerve;

import dev.nerve.bindings.Nerve;
import dev.nerve.ops.Memory;
import dev.nerve.ops.Pointwise;

/** Unary and broadcasting binary ops with their gradients. */
final class PointwiseFunctions {
  static final int NEG = Nerve.NV_UNARY_NEG, EXP = Nerve.NV_UNARY_EXP, LOG = Nerve.NV_UNARY_LOG,
      SQRT = Nerve.NV_UNARY_SQRT, RELU = Nerve.NV_UNARY_RELU, SIGMOID = Nerve.NV_UNARY_SIGMOID,
      TANH = Nerve.NV_UNARY_TANH, ABS = Nerve.NV_UNARY_ABS, SOFTPLUS = Nerve.NV_UNARY_SOFTPLUS,
      SQUARE = Nerve.NV_UNARY_SQUARE, RECIPROCAL = Nerve.NV_UNARY_RECIPROCAL, POW = Nerve.NV_UNARY_POW,
      LEAKY_RELU = Nerve.NV_UNARY_LEAKY_RELU, SCALE_SHIFT = Nerve.NV_UNARY_SCALE_SHIFT;
  static final int ADD = Nerve.NV_BINARY_ADD, SUB = Nerve.NV_BINARY_SUB, MUL = Nerve.NV_BINARY_MUL,
      DIV = Nerve.NV_BINARY_DIV, MAXIMUM = Nerve.NV_BINARY_MAXIMUM, MINIMUM = Nerve.NV_BINARY_MINIMUM;

  private PointwiseFunctions() {}

  /** Makes x contiguous for a kernel: the same handle when it already is, else a copy. */
  static Tensor dense(Tensor x) {
    return x.isContiguous() ? x : x.contiguousNoGrad();
  }

  static Tensor unary(String name, int op, Tensor x, float alpha, float beta) {
    F.checkF32(name, "input", x);
    Tensor xc = dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    Pointwise.unary(op, xc, y, alpha, beta);
    if (!Autograd.needsGrad(x)) {
      if (xc != x) xc.close();
      return y;
    }
    return Autograd.record(y, name, g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, g.shape());
      Pointwise.unaryBackward(op, xc, y, gc, dx, alpha, beta);
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  static Tensor binary(String name, int op, Tensor a, Tensor b) {
    F.checkF32(name, "a", a);
    F.checkF32(name, "b", b);
    F.checkSameDevice(name, a, b);
    long[] shape = Shapes.broadcast(name, a.shape(), b.shape());
    Tensor out = Tensor.empty(a.device(), DType.F32, shape);
    Pointwise.binary(op, a, b, out);
    if (!Autograd.needsGrad(a, b)) return out;
    return Autograd.record(out, name, g -> {
      Tensor ga = null;
      Tensor gb = null;
      boolean wa = a.requiresGrad();
      boolean wb = b.requiresGrad();
      switch (name) {
        case "add":
          if (wa) ga = Views.alias(g);
          if (wb) gb = Views.alias(g);
          break;
        case "sub":
          if (wa) ga = Views.alias(g);
          if (wb) gb = F.neg(g);
          break;
        case "mul":
          if (wa) ga = F.mul(g, b);
          if (wb) gb = F.mul(g, a);
          break;
        case "div":
          if (wa) ga = F.div(g, b);
          if (wb) {
            try (Tensor q = F.div(out, b)) {
              gb = F.mul(g, q);
            }
            Pointwise.unary(NEG, gb, gb, 0, 0);
          }
          break;
        default: // maximum, minimum: route the gradient by a mask
          F.Compare cmp = op == MAXIMUM ? F.Compare.GE : F.Compare.LE;
          try (Tensor mask = compare(a, b, cmp)) {
            if (wa) ga = F.mul(g, mask);
            if (wb) {
              try (Tensor inv = F.scaleShift(mask, -1f, 1f)) {
                gb = F.mul(g, inv);
              }
            }
          }
      }
      return new Tensor[] {sumTo(ga, a.shape()), sumTo(gb, b.shape())};
    }, a, b);
  }

  /** Sums g over the dimensions that broadcasting added or stretched, back to shape. Closes g. */
  static Tensor sumTo(Tensor g, long[] shape) {
    if (g == null) return null;
    long[] gs = g.shape();
    if (java.util.Arrays.equals(gs, shape)) return g;
    Tensor cur = g;
    int lead = gs.length - shape.length;
    for (int i = 0; i < gs.length; i++) {
      boolean reduce = i < lead || (shape[i - lead] == 1 && gs[i] != 1);
      if (reduce) {
        Tensor next = ReductionFunctions.reduce("sumTo", cur, i, true, false);
        cur.close();
        cur = next;
      }
    }
    Tensor out = Views.reshape(cur, shape);
    cur.close();
    return out;
  }

  static Tensor compare(Tensor a, Tensor b, F.Compare op) {
    if (a != null && b != null && a.dtype() == DType.I32 && b.dtype() == DType.I32) {
      // Labels against predicted indices: compare as floats (exact below 2^24).
      Tensor fa = cast(a, DType.F32);
      Tensor fb = cast(b, DType.F32);
      Tensor out = compare(fa, fb, op);
      fa.close();
      fb.close();
      return out;
    }
    F.checkF32("compare", "a", a);
    F.checkF32("compare", "b", b);
    F.checkSameDevice("compare", a, b);
    long[] shape = Shapes.broadcast("compare", a.shape(), b.shape());
    Tensor out = Tensor.empty(a.device(), DType.F32, shape);
    int code;
    switch (op) {
      case EQ: code = Nerve.NV_COMPARE_EQ; break;
      case GT: code = Nerve.NV_COMPARE_GT; break;
      case GE: code = Nerve.NV_COMPARE_GE; break;
      case LT: code = Nerve.NV_COMPARE_LT; break;
      default: code = Nerve.NV_COMPARE_LE; break;
    }
    Pointwise.compare(code, a, b, out);
    return out;
  }

  static Tensor cast(Tensor x, DType dtype) {
    x.checkOpen("cast");
    Tensor xc = dense(x);
    Tensor out = Tensor.empty(x.device(), dtype, x.shape());
    Memory.cast(xc, out);
    if (xc != x) xc.close();
    return out;
  }
}
