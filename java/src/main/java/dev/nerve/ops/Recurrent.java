package dev.nerve.ops;

import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Fused LSTM / GRU cells and the row gather / scatter-add behind embeddings. Internal: callers
 * have checked shapes, dtypes and devices; every tensor is contiguous; a null tensor is passed
 * as NULL (an optional input of nerve.h).
 */
public final class Recurrent {
  private Recurrent() {}

  private static FloatPointer f32(Tensor t) {
    return t == null ? null : Memory.f32(t);
  }

  /** h, c [B, H] from gx [B, 4H], gh [B, 4H] or null, cPrev [B, H] or null; saved [B, 4H] or null. */
  public static void lstmForward(long b, long h, Tensor gx, Tensor gh, Tensor cPrev, Tensor hOut, Tensor cOut,
      Tensor saved) {
    Native.check(
        Nerve.nv_lstm_cell_forward_f32(Memory.ctx(gx).handle, b, h, f32(gx), f32(gh), f32(cPrev), f32(hOut),
            f32(cOut), f32(saved)),
        "nv_lstm_cell_forward_f32");
  }

  /** dgates [B, 4H] and dcPrev [B, H] (or null) from dh, dc [B, H] (either null: zeros). */
  public static void lstmBackward(long b, long h, Tensor saved, Tensor cPrev, Tensor c, Tensor dh, Tensor dc,
      Tensor dgates, Tensor dcPrev) {
    Native.check(
        Nerve.nv_lstm_cell_backward_f32(Memory.ctx(saved).handle, b, h, f32(saved), f32(cPrev), f32(c), f32(dh),
            f32(dc), f32(dgates), f32(dcPrev)),
        "nv_lstm_cell_backward_f32");
  }

  /** h [B, H] from gi, gh [B, 3H] and hPrev [B, H] or null; saved [B, 4H] or null. */
  public static void gruForward(long b, long h, Tensor gi, Tensor gh, Tensor hPrev, Tensor hOut, Tensor saved) {
    Native.check(
        Nerve.nv_gru_cell_forward_f32(Memory.ctx(gi).handle, b, h, f32(gi), f32(gh), f32(hPrev), f32(hOut),
            f32(saved)),
        "nv_gru_cell_forward_f32");
  }

  /** dgi, dgh [B, 3H] and the direct part of dhPrev [B, H] (each may be null) from dh. */
  public static void gruBackward(long b, long h, Tensor saved, Tensor hPrev, Tensor dh, Tensor dgi, Tensor dgh,
      Tensor dhPrev) {
    Native.check(
        Nerve.nv_gru_cell_backward_f32(Memory.ctx(saved).handle, b, h, f32(saved), f32(hPrev), f32(dh), f32(dgi),
            f32(dgh), f32(dhPrev)),
        "nv_gru_cell_backward_f32");
  }

  /** out [n, dim] = table [rows, dim] at the i32 indices idx [n]. */
  public static void gatherRows(Tensor table, Tensor idx, Tensor out) {
    Native.check(
        Nerve.nv_gather_rows_f32(Memory.ctx(table).handle, idx.numel(), table.size(0), table.size(1),
            Memory.f32(table), Memory.i32(idx), Memory.f32(out)),
        "nv_gather_rows_f32");
  }

  /** table [rows, dim] at idx [n] += src [n, dim]. */
  public static void scatterAddRows(Tensor src, Tensor idx, Tensor table) {
    Native.check(
        Nerve.nv_scatter_add_rows_f32(Memory.ctx(table).handle, idx.numel(), table.size(0), table.size(1),
            Memory.f32(src), Memory.i32(idx), Memory.f32(table)),
        "nv_scatter_add_rows_f32");
  }
}
