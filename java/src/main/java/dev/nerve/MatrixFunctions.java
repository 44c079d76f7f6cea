package dev.nerve;

import dev.nerve.ops.Gemm;
import dev.nerve.ops.Memory;
import dev.nerve.ops.Reductions;

/** matmul and linear, with their gradients, on the native GEMM. */
final class MatrixFunctions {
  private MatrixFunctions() {}

  /**
   * How a 2-D (or the last two dimensions of a 3-D) tensor enters the GEMM without a copy:
   * row-major (stride 1 on the last dimension) or as the transpose of a row-major matrix
   * (stride 1 on the one before). Anything else is copied first.
   */
  private static final class Operand implements AutoCloseable {
    final Tensor t;
    final boolean trans;
    final long ld;
    final long batchStride;
    private final boolean owned;

    Operand(Tensor x) {
      int n = x.dim();
      long[] st = x.strides();
      long[] sh = x.shape();
      long rows = sh[n - 2];
      long cols = sh[n - 1];
      if (st[n - 1] == 1 && st[n - 2] >= Math.max(cols, 1)) {
        t = x; trans = false; ld = st[n - 2]; owned = false;
      } else if (st[n - 2] == 1 && st[n - 1] >= Math.max(rows, 1)) {
        t = x; trans = true; ld = st[n - 1]; owned = false;
      } else {
        t = x.contiguousNoGrad(); trans = false; ld = Math.max(cols, 1); owned = true;
      }
      batchStride = n == 3 ? t.strides()[0] : 0;
    }

    @Override
    public void close() {
      if (owned) t.close();
    }
  }

  static Tensor matmul(Tensor a, Tensor b) {
    F.checkF32("matmul", "a", a);
    F.checkF32("matmul", "b", b);
    F.checkSameDevice("matmul", a, b);
    long[] as = a.shape();
    long[] bs = b.shape();
    if (as.length >= 2 && bs.length == 2) {
      if (as[as.length - 1] != bs[0]) throw mismatch(a, b);
      if (as.length > 2) {
        // [..., K] x [K, N]: fold the leading dimensions into M.
        Tensor a2 = a.reshape(-1, as[as.length - 1]);
        Tensor y = matmul(a2, b);
        long[] outShape = as.clone();
        outShape[as.length - 1] = bs[1];
        return Autograd.dropTemporaries(y.reshape(outShape), a2, y);
      }
      Tensor out = Tensor.empty(a.device(), DType.F32, as[0], bs[1]);
      gemm2d(a, b, out, 0f);
      return Autograd.record(out, "matmul", g -> {
        try (Tensor bt = b.t(); Tensor at = a.t()) {
          return new Tensor[] {a.requiresGrad() ? matmul(g, bt) : null, b.requiresGrad() ? matmul(at, g) : null};
        }
      }, a, b);
    }
    if (as.length == 3 && bs.length == 3) {
      if (as[0] != bs[0] || as[2] != bs[1]) throw mismatch(a, b);
      Tensor out = Tensor.empty(a.device(), DType.F32, as[0], as[1], bs[2]);
      try (Operand oa = new Operand(a); Operand ob = new Operand(b)) {
        Gemm.gemmBatched(as[0], as[1], bs[2], as[2], 1f, oa.t, oa.trans, oa.ld, oa.batchStride,
            ob.t, ob.trans, ob.ld, ob.batchStride, 0f, out, bs[2], as[1] * bs[2]);
      }
      return Autograd.record(out, "bmm", g -> {
        try (Tensor bt = b.transpose(1, 2); Tensor at = a.transpose(1, 2)) {
          return new Tensor[] {a.requiresGrad() ? matmul(g, bt) : null, b.requiresGrad() ? matmul(at, g) : null};
        }
      }, a, b);
    }
    throw new IllegalArgumentException("matmul: expects [M, K] x [K, N], [B, M, K] x [B, K, N] or [..., K] x [K, N], got "
        + Shapes.str(as) + " x " + Shapes.str(bs));
  }

  private static IllegalArgumentException mismatch(Tensor a, Tensor b) {
    return new IllegalArgumentException("matmul: shape mismatch " + Shapes.str(a.shape()) + " x " + Shapes.str(b.shape())
        + " (inner dimensions differ)");
  }

  /** out (M x N, contiguous) = a b + beta out. */
  private static void gemm2d(Tensor a, Tensor b, Tensor out, float beta) {
    try (Operand oa = new Operand(a); Operand ob = new Operand(b)) {
      long m = out.size(0);
      long n = out.size(1);
      long k = a.size(1);
      Gemm.gemm(m, n, k, 1f, oa.t, oa.trans, oa.ld, ob.t, ob.trans, ob.ld, beta, out, Math.max(n, 1));
    }
  }

  static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    F.checkF32("linear", "input", x);
    F.checkF32("linear", "weight", weight);
    F.checkSameDevice("linear", x, weight);
    if (weight.dim() != 2) {
      throw new IllegalArgumentException("linear: weight must be 2-D [out, in], got " + Shapes.str(weight.shape()));
    }
    long in = weight.size(1);
    long outF = weight.size(0);
    if (x.dim() < 1 || x.size(-1) != in) {
      throw new IllegalArgumentException("linear: input has " + (x.dim() < 1 ? 0 : x.size(-1)) + " features but weight expects "
          + in + " (input " + Shapes.str(x.shape()) + ", weight " + Shapes.str(weight.shape()) + ")");
    }
    if (bias != null) {
      F.checkF32("linear", "bias", bias);
      F.checkSameDevice("linear", x, bias);
      if (bias.dim() != 1 || bias.size(0) != outF) {
        throw new IllegalArgumentException("linear: bias must be [" + outF + "], got " + Shapes.str(bias.shape())
            + " (weight " + Shapes.str(weight.shape()) + ")");
      }
    }
    if (x.dim() != 2) {
      long[] xs = x.shape();
      Tensor x2 = x.reshape(-1, in);
      Tensor y = linear(x2, weight, bias);
      long[] outShape = xs.clone();
      outShape[xs.length - 1] = outF;
      return Autograd.dropTemporaries(y.reshape(outShape), x2, y);
    }
    long rows = x.size(0);
    Tensor out = Tensor.empty(x.device(), DType.F32, rows, outF);
    float beta = 0f;
    if (bias != null) {
      Memory.expand(bias, out);
      beta = 1f;
    }
    try (Tensor wt = Views.transpose(weight, 0, 1)) {
      gemm2d(x, wt, out, beta);
    }
    if (!Autograd.needsGrad(x, weight, bias)) return out;
    return Autograd.record(out, "linear", g -> {
      Tensor dx = x.requiresGrad() ? matmul(g, weight) : null;
      Tensor dw = null;
      if (weight.requiresGrad()) {
        try (Tensor gt = g.t()) {
          dw = matmul(gt, x);
        }
      }
      Tensor db = null;
      if (bias != null && bias.requiresGrad()) {
        Tensor gc = PointwiseFunctions.dense(g);
        db = Tensor.empty(g.device(), DType.F32, outF);
        Reductions.reduce(Reductions.SUM, gc, 1, rows, outF, db);
        if (gc != g) gc.close();
      }
      return new Tensor[] {dx, dw, db};
    }, x, weight, bias);
  }
}
