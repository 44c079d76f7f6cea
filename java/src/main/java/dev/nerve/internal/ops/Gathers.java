package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import java.util.Arrays;

/**
 * Row gather and scatter-add by i32 indices (the embedding lookup and its gradient). Internal.
 * Only the kernel sees the indices' values: an index outside [0, rows) fails there, and the
 * message names the public op ("embedding: index 7 at position 2 is outside [0, 5) ...").
 */
public final class Gathers {
  private Gathers() {}

  /** out [n, dim] = table [rows, dim] at the i32 indices idx [n]; an index outside [0, rows) is refused. */
  public static void gatherRows(Operand table, Operand idx, Operand out) {
    try (Pin p = Pin.of("embedding", table, idx, out)) {
      int status = Nerve.nv_gather_rows_f32(table.ctx().handle, idx.numel(), table.size(0), table.size(1), table.f32(),
          idx.i32(), out.f32());
      if (status != Nerve.NV_OK) Native.check(status, "nv_gather_rows_f32", "embedding", context(table, idx));
    }
  }

  /** table [rows, dim] at idx [n] += src [n, dim]. */
  public static void scatterAddRows(Operand src, Operand idx, Operand table) {
    try (Pin p = Pin.of("embedding (backward)", src, idx, table)) {
      int status = Nerve.nv_scatter_add_rows_f32(table.ctx().handle, idx.numel(), table.size(0), table.size(1),
          src.f32(), idx.i32(), table.f32());
      if (status != Nerve.NV_OK) {
        Native.check(status, "nv_scatter_add_rows_f32", "embedding (backward)", context(table, idx));
      }
    }
  }

  private static String context(Operand table, Operand idx) {
    return "the table has " + table.size(0) + " rows, indices " + Arrays.toString(idx.shape());
  }
}
