package dev.nerve.ops;

import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;

/** Reductions over the middle axis of a contiguous (outer, n, inner) view. Internal. */
public final class Reductions {
  public static final int SUM = Nerve.NV_REDUCE_SUM;
  public static final int MEAN = Nerve.NV_REDUCE_MEAN;
  public static final int MAX = Nerve.NV_REDUCE_MAX;
  public static final int MIN = Nerve.NV_REDUCE_MIN;

  private Reductions() {}

  public static void reduce(int op, Tensor x, long outer, long n, long inner, Tensor out) {
    Memory.requireContiguous("reduce", x);
    Native.check(
        Nerve.nv_reduce_f32(Memory.ctx(x).handle, op, outer, n, inner, Memory.f32(x), Memory.f32(out)),
        "nv_reduce_f32");
  }

  public static void argmax(Tensor x, long outer, long n, long inner, Tensor out) {
    Memory.requireContiguous("argmax", x);
    Native.check(
        Nerve.nv_argmax_f32(Memory.ctx(x).handle, outer, n, inner, Memory.f32(x), Memory.i32(out)),
        "nv_argmax_f32");
  }
}
