package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import dev.nerve.bindings.Nerve.nv_ctx;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/** Unary, binary and comparison kernels. Internal: callers have checked shapes and devices. */
public final class Pointwise {
  private Pointwise() {}

  /** y = f(x); alpha and beta are the parameters of POW, LEAKY_RELU and SCALE_SHIFT. */
  public enum Unary {
    NEG(Nerve.NV_UNARY_NEG), EXP(Nerve.NV_UNARY_EXP), LOG(Nerve.NV_UNARY_LOG), SQRT(Nerve.NV_UNARY_SQRT),
    RELU(Nerve.NV_UNARY_RELU), SIGMOID(Nerve.NV_UNARY_SIGMOID), TANH(Nerve.NV_UNARY_TANH), ABS(Nerve.NV_UNARY_ABS),
    SOFTPLUS(Nerve.NV_UNARY_SOFTPLUS), SQUARE(Nerve.NV_UNARY_SQUARE), RECIPROCAL(Nerve.NV_UNARY_RECIPROCAL),
    /** x ^ alpha. */
    POW(Nerve.NV_UNARY_POW),
    /** x > 0 ? x : alpha x. */
    LEAKY_RELU(Nerve.NV_UNARY_LEAKY_RELU),
    /** alpha x + beta. */
    SCALE_SHIFT(Nerve.NV_UNARY_SCALE_SHIFT);

    final int code;
    /** The op's name in Tensor and F, for messages. */
    final String publicName;

    Unary(int code) {
      this.code = code;
      this.publicName = camel(name());
    }
  }

  /** out = a op b, broadcast. */
  public enum Binary {
    ADD(Nerve.NV_BINARY_ADD), SUB(Nerve.NV_BINARY_SUB), MUL(Nerve.NV_BINARY_MUL), DIV(Nerve.NV_BINARY_DIV),
    MAXIMUM(Nerve.NV_BINARY_MAXIMUM), MINIMUM(Nerve.NV_BINARY_MINIMUM);

    final int code;
    final String publicName;

    Binary(int code) {
      this.code = code;
      this.publicName = camel(name());
    }
  }

  /** out = 1 where a op b, else 0, broadcast. */
  public enum Comparison {
    EQ(Nerve.NV_COMPARE_EQ), GT(Nerve.NV_COMPARE_GT), GE(Nerve.NV_COMPARE_GE), LT(Nerve.NV_COMPARE_LT),
    LE(Nerve.NV_COMPARE_LE);

    final int code;

    Comparison(int code) {
      this.code = code;
    }
  }

  /** y = f(x) for contiguous x and y of the same size. */
  public static void unary(Unary op, Operand x, Operand y, float alpha, float beta) {
    Operand.requireContiguous("unary", x);
    try (Pin p = Pin.of(op.publicName, x, y)) {
      Native.check(Nerve.nv_unary_f32(x.ctx().handle, op.code, x.numel(), x.f32(), y.f32(), alpha, beta), "nv_unary_f32", op.publicName,
          "");
    }
  }

  /** dx = dy * f'(x) for contiguous operands of one size (y = f(x), which some derivatives use). */
  public static void unaryBackward(Unary op, Operand x, Operand y, Operand dy, Operand dx, float alpha, float beta) {
    try (Pin p = Pin.of(op.publicName + " (backward)", x, y, dy, dx)) {
      Native.check(
          Nerve.nv_unary_backward_f32(x.ctx().handle, op.code, x.numel(), x.f32(), y.f32(), dy.f32(), dx.f32(), alpha,
              beta),
          "nv_unary_backward_f32", op.publicName, "");
    }
  }

  /** out = a op b, broadcast to out's shape (out contiguous). */
  public static void binary(Binary op, Operand a, Operand b, Operand out) {
    broadcast(Nerve::nv_binary_f32, "nv_binary_f32", op.publicName, op.code, a, b, out);
  }

  /** out = (a op b) ? 1 : 0, broadcast to out's shape (out contiguous). */
  public static void compare(Comparison op, Operand a, Operand b, Operand out) {
    broadcast(Nerve::nv_compare_f32, "nv_compare_f32", "compare", op.code, a, b, out);
  }

  /** The signature nerve.h's broadcasting kernels share. */
  private interface BroadcastKernel {
    int call(nv_ctx ctx, int op, int ndim, LongPointer shape, FloatPointer a, LongPointer aStrides, FloatPointer b,
        LongPointer bStrides, FloatPointer out);
  }

  private static void broadcast(BroadcastKernel kernel, String name, String publicName, int op, Operand a, Operand b,
      Operand out) {
    long[] shape = out.shape();
    try (Pin p = Pin.of(publicName, a, b, out)) {
      Native.check(
          kernel.call(a.ctx().handle, op, shape.length, Memory.longs(0, shape), a.f32(),
              Memory.longs(1, broadcastStrides(a, shape)), b.f32(), Memory.longs(2, broadcastStrides(b, shape)),
              out.f32()),
          name, publicName, "");
    }
  }

  /** LEAKY_RELU -> leakyRelu. */
  static String camel(String constant) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : constant.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? c : Character.toLowerCase(c));
        up = false;
      }
    }
    return b.toString();
  }

  /** Strides reading t over a broadcast shape: 0 where t has size 1 or lacks the dimension. */
  static long[] broadcastStrides(Operand t, long[] out) {
    long[] shape = t.shape();
    long[] strides = t.strides();
    long[] r = new long[out.length];
    int shift = out.length - shape.length;
    for (int i = shift; i < out.length; i++) {
      r[i] = shape[i - shift] == 1 && out[i] != 1 ? 0 : strides[i - shift];
    }
    return r;
  }
}
