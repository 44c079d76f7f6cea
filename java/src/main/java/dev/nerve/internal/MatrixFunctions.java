package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Gemm;
import dev.nerve.internal.ops.Memory;
import dev.nerve.internal.ops.Operand;
import dev.nerve.internal.ops.Reductions;
import dev.nerve.internal.ops.Reductions.Reduction;

/** matmul and linear, with their gradients, on the {@link Gemm} kernels. */
public final class MatrixFunctions {
  private MatrixFunctions() {}

  /**
   * How a 2-D (or the last two dimensions of a 3-D) tensor enters the GEMM without a copy:
   * row-major (stride 1 on the last dimension) or as the transpose of a row-major matrix
   * (stride 1 on the one before). Anything else is copied first.
   */
  private static final class GemmInput implements AutoCloseable {
    final Tensor t;
    final boolean trans;
    final long ld;
    final long batchStride;
    private final boolean owned;

    GemmInput(Tensor x) {
      int n = x.dim();
      long[] st = Tensors.data(x).strides();
      long[] sh = Tensors.data(x).shape();
      long rows = sh[n - 2];
      long cols = sh[n - 1];
      if (st[n - 1] == 1 && st[n - 2] >= Math.max(cols, 1)) {
        t = x; trans = false; ld = st[n - 2]; owned = false;
      } else if (st[n - 2] == 1 && st[n - 1] >= Math.max(rows, 1)) {
        t = x; trans = true; ld = st[n - 1]; owned = false;
      } else {
        t = MemoryFunctions.copy(x); trans = false; ld = Math.max(cols, 1); owned = true;
      }
      batchStride = n == 3 ? Tensors.data(t).strides()[0] : 0;
    }

    Operand data() {
      return Tensors.data(t);
    }

    @Override
    public void close() {
      if (owned) t.close();
    }
  }

  /** Matrix product: [M, K] x [K, N], batched [B, M, K] x [B, K, N], or [..., K] x [K, N]. */
  public static Tensor matmul(Tensor a, Tensor b) {
    return OpFrame.run(() -> matmulUnguarded(a, b));
  }

  /** matmul itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor matmulUnguarded(Tensor a, Tensor b) {
    checkF32("matmul", "a", a);
    checkF32("matmul", "b", b);
    checkSameDevice("matmul", a, b);
    long[] as = a.shape();
    long[] bs = b.shape();
    if (as.length >= 2 && bs.length == 2) {
      checkInner(as[as.length - 1] == bs[0], a, b);
      if (as.length > 2) {
        // [..., K] x [K, N]: fold the leading dimensions into M (named, not -1: K may be 0).
        Tensor a2 = a.reshape(leading(as), as[as.length - 1]);
        Tensor y = matmul(a2, b);
        long[] outShape = as.clone();
        outShape[as.length - 1] = bs[1];
        return Autograd.dropTemporaries(y.reshape(outShape), a2, y);
      }
      Tensor out = Tensor.empty(a.device(), DType.F32, as[0], bs[1]);
      gemm2d(a, b, out, 0f);
      return Autograd.record(out, "matmul", productSaves(a, b), g -> {
        try (Tensor bt = b.t(); Tensor at = a.t()) {
          return new Tensor[] {a.requiresGrad() ? matmul(g, bt) : null, b.requiresGrad() ? matmul(at, g) : null};
        }
      }, a, b);
    }
    if (as.length == 3 && bs.length == 3) {
      checkInner(as[0] == bs[0] && as[2] == bs[1], a, b);
      Tensor out = Tensor.empty(a.device(), DType.F32, as[0], as[1], bs[2]);
      if (out.numel() != 0 && as[2] == 0) {
        Memory.fillF32(Tensors.data(out), 0f);  // an empty sum
      } else if (out.numel() != 0) {
        try (GemmInput oa = new GemmInput(a); GemmInput ob = new GemmInput(b)) {
          Gemm.gemmBatched(as[0], as[1], bs[2], as[2], 1f, oa.data(), oa.trans, oa.ld, oa.batchStride,
              ob.data(), ob.trans, ob.ld, ob.batchStride, 0f, Tensors.data(out), bs[2], as[1] * bs[2]);
        }
      }
      return Autograd.record(out, "bmm", productSaves(a, b), g -> {
        try (Tensor bt = b.transpose(1, 2); Tensor at = a.transpose(1, 2)) {
          return new Tensor[] {a.requiresGrad() ? matmul(g, bt) : null, b.requiresGrad() ? matmul(at, g) : null};
        }
      }, a, b);
    }
    throw Checks.fail("matmul: expects [M, K] x [K, N], [B, M, K] x [B, K, N] or [..., K] x [K, N], got %s x %s", as, bs);
  }

  /** A product's backward: a's gradient reads b, b's reads a. */
  private static Node.Saved[] productSaves(Tensor a, Tensor b) {
    return Autograd.saves("input a", b.requiresGrad() ? a : null, "input b", a.requiresGrad() ? b : null);
  }

  private static void checkInner(boolean ok, Tensor a, Tensor b) {
    check(ok, "matmul: shape mismatch %s x %s (inner dimensions differ)", shape(a), shape(b));
  }

  /** The product of all sizes but the last: the rows of a [..., K] tensor folded to 2-D. */
  private static long leading(long[] shape) {
    long m = 1;
    for (int i = 0; i < shape.length - 1; i++) m *= shape[i];
    return m;
  }

  /** out (M x N, contiguous) = a b + beta out (beta 0 or 1); an empty inner dimension adds nothing. */
  private static void gemm2d(Tensor a, Tensor b, Tensor out, float beta) {
    if (out.numel() == 0) return;
    if (a.size(1) == 0) {
      if (beta == 0f) Memory.fillF32(Tensors.data(out), 0f);
      return;
    }
    try (GemmInput oa = new GemmInput(a); GemmInput ob = new GemmInput(b)) {
      long m = out.size(0);
      long n = out.size(1);
      long k = a.size(1);
      Gemm.gemm(m, n, k, 1f, oa.data(), oa.trans, oa.ld, ob.data(), ob.trans, ob.ld, beta, Tensors.data(out),
          Math.max(n, 1));
    }
  }

  /** y = x W^T + b: x [..., in], weight [out, in], bias [out] or null; the bias is folded into the GEMM. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return OpFrame.run(() -> linearUnguarded(x, weight, bias));
  }

  /** linear itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor linearUnguarded(Tensor x, Tensor weight, Tensor bias) {
    checkF32("linear", "input", x);
    checkF32("linear", "weight", weight);
    checkSameDevice("linear", x, weight);
    check(weight.dim() == 2, "linear: weight must be 2-D [out, in], got %s", shape(weight));
    long in = weight.size(1);
    long outF = weight.size(0);
    check(x.dim() >= 1 && x.size(-1) == in, "linear: input has %s features but weight expects %s (input %s, weight %s)",
        x.dim() < 1 ? 0 : x.size(-1), in, shape(x), shape(weight));
    if (bias != null) {
      checkF32("linear", "bias", bias);
      checkSameDevice("linear", x, bias);
      check(bias.dim() == 1 && bias.size(0) == outF, "linear: bias must be [%s], got %s (weight %s)", outF, shape(bias),
          shape(weight));
    }
    if (x.dim() != 2) {
      long[] xs = x.shape();
      Tensor x2 = x.reshape(leading(xs), in);
      Tensor y = linear(x2, weight, bias);
      long[] outShape = xs.clone();
      outShape[xs.length - 1] = outF;
      return Autograd.dropTemporaries(y.reshape(outShape), x2, y);
    }
    long rows = x.size(0);
    Tensor out = Tensor.empty(x.device(), DType.F32, rows, outF);
    float beta = 0f;
    if (bias != null) {
      Memory.expand(Tensors.data(bias), Tensors.data(out));
      beta = 1f;
    }
    try (Tensor wt = Views.transpose(weight, 0, 1)) {
      gemm2d(x, wt, out, beta);
    }
    if (!Autograd.needsGrad(x, weight, bias)) return out;
    return Autograd.record(out, "linear",
        Autograd.saves("input", weight.requiresGrad() ? x : null, "weight", x.requiresGrad() ? weight : null), g -> {
      Tensor dx = x.requiresGrad() ? matmul(g, weight) : null;
      Tensor dw = null;
      if (weight.requiresGrad()) {
        try (Tensor gt = g.t()) {
          dw = matmul(gt, x);
        }
      }
      Tensor db = null;
      if (bias != null && bias.requiresGrad()) {
        if (rows == 0) {
          db = Tensor.zeros(g.device(), outF);
        } else {
          Tensor gc = MemoryFunctions.dense(g);
          db = Tensor.empty(g.device(), DType.F32, outF);
          Reductions.reduce(Reduction.SUM, Tensors.data(gc), 1, rows, outF, Tensors.data(db));
          if (gc != g) gc.close();
        }
      }
      return new Tensor[] {dx, dw, db};
    }, x, weight, bias);
  }
}
