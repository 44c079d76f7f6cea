package dev.nerve.ops;

import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;

/** Unary, binary and comparison kernels. Internal: callers have checked shapes and devices. */
public final class Pointwise {
  private Pointwise() {}

  /** y = f(x) for contiguous x and y of the same size. */
  public static void unary(int op, Tensor x, Tensor y, float alpha, float beta) {
    Memory.requireContiguous("unary", x);
    Native.check(
        Nerve.nv_unary_f32(Memory.ctx(x).handle, op, x.numel(), Memory.f32(x), Memory.f32(y), alpha, beta),
        "nv_unary_f32");
  }

  /** dx = dy * f'(x) for contiguous tensors of one size. */
  public static void unaryBackward(int op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha, float beta) {
    Native.check(
        Nerve.nv_unary_backward_f32(Memory.ctx(x).handle, op, x.numel(), Memory.f32(x), Memory.f32(y),
            Memory.f32(dy), Memory.f32(dx), alpha, beta),
        "nv_unary_backward_f32");
  }

  /** out = a op b, broadcast to out's shape (out contiguous). */
  public static void binary(int op, Tensor a, Tensor b, Tensor out) {
    long[] shape = out.shape();
    Native.check(
        Nerve.nv_binary_f32(Memory.ctx(a).handle, op, shape.length, Memory.longs(0, shape),
            Memory.f32(a), Memory.longs(1, Broadcast.strides(a, shape)), Memory.f32(b),
            Memory.longs(2, Broadcast.strides(b, shape)), Memory.f32(out)),
        "nv_binary_f32");
  }

  public static void compare(int op, Tensor a, Tensor b, Tensor out) {
    long[] shape = out.shape();
    Native.check(
        Nerve.nv_compare_f32(Memory.ctx(a).handle, op, shape.length, Memory.longs(0, shape),
            Memory.f32(a), Memory.longs(1, Broadcast.strides(a, shape)), Memory.f32(b),
            Memory.longs(2, Broadcast.strides(b, shape)), Memory.f32(out)),
        "nv_compare_f32");
  }

  /** Strides reading t over a broadcast shape: 0 where t has size 1 or lacks the dimension. */
  static final class Broadcast {
    private Broadcast() {}

    static long[] strides(Tensor t, long[] out) {
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
}
