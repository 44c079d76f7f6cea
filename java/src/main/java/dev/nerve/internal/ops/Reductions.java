package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;

/** Reductions over the middle axis of a contiguous (outer, n, inner) view. Internal. */
public final class Reductions {
  private Reductions() {}

  /** How the n values of a row combine. */
  public enum Reduction {
    SUM(Nerve.NV_REDUCE_SUM), MEAN(Nerve.NV_REDUCE_MEAN), MAX(Nerve.NV_REDUCE_MAX);

    final int code;

    Reduction(int code) {
      this.code = code;
    }
  }

  /** out [outer, inner] = op over n of x [outer, n, inner]. */
  public static void reduce(Reduction op, Operand x, long outer, long n, long inner, Operand out) {
    Operand.requireContiguous("reduce", x);
    String name = op.name().toLowerCase(java.util.Locale.ROOT);
    try (Pin p = Pin.of(name, x, out)) {
      Native.check(Nerve.nv_reduce_f32(x.ctx().handle, op.code, outer, n, inner, x.f32(), out.f32()), "nv_reduce_f32",
          name, "");
    }
  }

  /** out [outer, inner] (i32) = the index of the first maximum over n. */
  public static void argmax(Operand x, long outer, long n, long inner, Operand out) {
    Operand.requireContiguous("argmax", x);
    try (Pin p = Pin.of("argmax", x, out)) {
      Native.check(Nerve.nv_argmax_f32(x.ctx().handle, outer, n, inner, x.f32(), out.i32()), "nv_argmax_f32", "argmax",
          "");
    }
  }
}
