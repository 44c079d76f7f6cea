package dev.nerve.internal;

import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.F;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Operand;
import dev.nerve.internal.ops.Pointwise;
import dev.nerve.internal.ops.Pointwise.Binary;
import dev.nerve.internal.ops.Pointwise.Comparison;
import dev.nerve.internal.ops.Pointwise.Unary;
import java.util.Arrays;

/** Unary and broadcasting binary ops with their gradients, and comparisons, on the {@link Pointwise} kernels. */
public final class PointwiseFunctions {
  private PointwiseFunctions() {}

  /** y = op(x; alpha, beta), named name in messages and in the graph. */
  public static Tensor unary(String name, Unary op, Tensor x, float alpha, float beta) {
    return OpFrame.run(() -> unaryUnguarded(name, op, x, alpha, beta));
  }

  /** unary itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor unaryUnguarded(String name, Unary op, Tensor x, float alpha, float beta) {
    checkF32(name, "input", x);
    Tensor xc = dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    Pointwise.unary(op, Tensors.data(xc), Tensors.data(y), alpha, beta);
    if (!Autograd.needsGrad(x)) {
      if (xc != x) xc.close();
      return y;
    }
    Node.Saved[] saved = Autograd.saves("input", readsInput(op) ? xc : null, "output", readsOutput(op) ? y : null);
    return Autograd.record(y, name, saved, g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, g.shape());
      Pointwise.unaryBackward(op, Tensors.data(xc), Tensors.data(y), Tensors.data(gc), Tensors.data(dx), alpha, beta);
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  /** True when op's derivative reads x (native/src/core/unary_ops.inl: bwd(x, y, dy)). */
  private static boolean readsInput(Unary op) {
    return switch (op) {
      case LOG, RELU, ABS, SOFTPLUS, SQUARE, POW, LEAKY_RELU -> true;
      default -> false;
    };
  }

  /** True when op's derivative reads y = f(x). */
  private static boolean readsOutput(Unary op) {
    return switch (op) {
      case EXP, SQRT, SIGMOID, TANH, RECIPROCAL -> true;
      default -> false;
    };
  }

  /** a op b, broadcast, named name in messages and in the graph. */
  public static Tensor binary(String name, Binary op, Tensor a, Tensor b) {
    return OpFrame.run(() -> binaryUnguarded(name, op, a, b));
  }

  /** binary itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor binaryUnguarded(String name, Binary op, Tensor a, Tensor b) {
    checkF32(name, "a", a);
    checkF32(name, "b", b);
    checkSameDevice(name, a, b);
    long[] shape = Shapes.broadcast(name, Checks.shape(a), Checks.shape(b));
    Tensor out = Tensor.empty(a.device(), DType.F32, shape);
    Pointwise.binary(op, Tensors.data(a), Tensors.data(b), Tensors.data(out));
    if (!Autograd.needsGrad(a, b)) return out;
    return Autograd.record(out, name, binarySaves(op, a, b, out), g -> {
      Tensor ga = null;
      Tensor gb = null;
      boolean wa = a.requiresGrad();
      boolean wb = b.requiresGrad();
      switch (op) {
        case ADD:
          if (wa) ga = Views.alias(g);
          if (wb) gb = Views.alias(g);
          break;
        case SUB:
          if (wa) ga = Views.alias(g);
          if (wb) gb = F.neg(g);
          break;
        case MUL:
          if (wa) ga = F.mul(g, b);
          if (wb) gb = F.mul(g, a);
          break;
        case DIV:
          if (wa) ga = F.div(g, b);
          if (wb) {
            try (Tensor q = F.div(out, b)) {
              gb = F.mul(g, q);
            }
            Pointwise.unary(Unary.NEG, Tensors.data(gb), Tensors.data(gb), 0, 0);
          }
          break;
        default: // maximum, minimum: the side that wins takes the gradient, a tie splits it (as PyTorch)
          boolean max = op == Binary.MAXIMUM;
          if (wa) ga = winnerShare(g, a, b, max);
          if (wb) gb = winnerShare(g, b, a, max);
      }
      return new Tensor[] {sumTo(ga, a.shape()), sumTo(gb, b.shape())};
    }, a, b);
  }

  /** What binary op's backward reads: a's gradient needs b (mul, div), b's needs a or out; add and sub nothing. */
  private static Node.Saved[] binarySaves(Binary op, Tensor a, Tensor b, Tensor out) {
    boolean wa = a.requiresGrad();
    boolean wb = b.requiresGrad();
    return switch (op) {
      case ADD, SUB -> Autograd.savesNothing();
      case MUL -> Autograd.saves("input a", wb ? a : null, "input b", wa ? b : null);
      case DIV -> Autograd.saves("input b", b, "output", wb ? out : null);
      case MAXIMUM, MINIMUM -> Autograd.saves("input a", a, "input b", b);
    };
  }

  /** g times p's share of maximum(p, q) (or minimum): 1 where p wins, 1/2 where p == q, else 0. */
  private static Tensor winnerShare(Tensor g, Tensor p, Tensor q, boolean max) {
    try (Tensor wins = compare(p, q, max ? F.Compare.GT : F.Compare.LT);
        Tensor winsOrTies = compare(p, q, max ? F.Compare.GE : F.Compare.LE);
        Tensor share = sum(wins, winsOrTies)) {
      Pointwise.unary(Unary.SCALE_SHIFT, Tensors.data(share), Tensors.data(share), 0.5f, 0f);
      return F.mul(g, share);
    }
  }

  /** Sums g over the dimensions that broadcasting added or stretched, back to shape. Closes g. */
  private static Tensor sumTo(Tensor g, long[] shape) {
    if (g == null) return null;
    long[] gs = g.shape();
    if (Arrays.equals(gs, shape)) return g;
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

  /** 1 where a op b holds, else 0 (f32; i32 operands are compared as floats); no gradient. */
  public static Tensor compare(Tensor a, Tensor b, F.Compare op) {
    return OpFrame.run(() -> compareUnguarded(a, b, op));
  }

  /** compare itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor compareUnguarded(Tensor a, Tensor b, F.Compare op) {
    if (a != null && b != null && a.dtype() == DType.I32 && b.dtype() == DType.I32) {
      // Labels against predicted indices: compare as floats (exact below 2^24).
      Tensor fa = MemoryFunctions.cast(a, DType.F32);
      Tensor fb = MemoryFunctions.cast(b, DType.F32);
      Tensor out = compare(fa, fb, op);
      fa.close();
      fb.close();
      return out;
    }
    checkF32("compare", "a", a);
    checkF32("compare", "b", b);
    checkSameDevice("compare", a, b);
    long[] shape = Shapes.broadcast("compare", Checks.shape(a), Checks.shape(b));
    Tensor out = Tensor.empty(a.device(), DType.F32, shape);
    Comparison code = switch (op) {
      case EQ -> Comparison.EQ;
      case GT -> Comparison.GT;
      case GE -> Comparison.GE;
      case LT -> Comparison.LT;
      case LE -> Comparison.LE;
    };
    Pointwise.compare(code, Tensors.data(a), Tensors.data(b), Tensors.data(out));
    return out;
  }

  /** A new contiguous tensor a + b (same shapes), without history. */
  static Tensor sum(Tensor a, Tensor b) {
    Tensor out = Tensor.empty(a.device(), DType.F32, a.shape());
    Pointwise.binary(Binary.ADD, Tensors.data(a), Tensors.data(b), Tensors.data(out));
    return out;
  }

  /** a += b for a contiguous a of b's shape (or b broadcast to it). */
  static void addInPlace(Tensor a, Tensor b) {
    Operand da = Tensors.data(a);
    if (!da.isContiguous()) throw new IllegalStateException("addInPlace: internal error, expected a contiguous tensor");
    MemoryFunctions.bumpVersion(a);
    Pointwise.binary(Binary.ADD, da, Tensors.data(b), da);
  }
}
