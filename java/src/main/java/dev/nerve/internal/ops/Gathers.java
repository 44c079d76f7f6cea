package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;

/** Row gather and scatter-add by i32 indices (the embedding lookup and its gradient). Internal. */
public final class Gathers {
  private Gathers() {}

  /** out [n, dim] = table [rows, dim] at the i32 indices idx [n]; an index outside [0, rows) is refused. */
  public static void gatherRows(Operand table, Operand idx, Operand out) {
    Native.check(
        Nerve.nv_gather_rows_f32(table.ctx().handle, idx.numel(), table.size(0), table.size(1), table.f32(), idx.i32(),
            out.f32()),
        "nv_gather_rows_f32");
  }

  /** table [rows, dim] at idx [n] += src [n, dim]. */
  public static void scatterAddRows(Operand src, Operand idx, Operand table) {
    Native.check(
        Nerve.nv_scatter_add_rows_f32(table.ctx().handle, idx.numel(), table.size(0), table.size(1), src.f32(),
            idx.i32(), table.f32()),
        "nv_scatter_add_rows_f32");
  }
}
