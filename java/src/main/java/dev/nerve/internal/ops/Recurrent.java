package dev.nerve.internal.ops;

import static dev.nerve.internal.ops.Operand.f32;

import dev.nerve.bindings.Nerve;

/**
 * Fused LSTM and GRU cells. Internal: callers have checked shapes, dtypes and devices; every
 * operand is contiguous; a null operand is passed as NULL (an optional input of nerve.h).
 */
public final class Recurrent {
  private Recurrent() {}

  /** h, c [B, H] from gx [B, 4H], gh [B, 4H] or null, cPrev [B, H] or null; saved [B, 4H] or null. */
  public static void lstmForward(long b, long h, Operand gx, Operand gh, Operand cPrev, Operand hOut, Operand cOut,
      Operand saved) {
    try (Pin p = Pin.of("lstmCell", gx, gh, cPrev, hOut, cOut, saved)) {
      Native.check(
          Nerve.nv_lstm_cell_forward_f32(gx.ctx().handle, b, h, f32(gx), f32(gh), f32(cPrev), f32(hOut), f32(cOut),
              f32(saved)),
          "nv_lstm_cell_forward_f32", "lstmCell", "");
    }
  }

  /** dgates [B, 4H] and dcPrev [B, H] (or null) from dh, dc [B, H] (either null: zeros). */
  public static void lstmBackward(long b, long h, Operand saved, Operand cPrev, Operand c, Operand dh, Operand dc,
      Operand dgates, Operand dcPrev) {
    try (Pin p = Pin.of("lstmCell (backward)", saved, cPrev, c, dh, dc, dgates, dcPrev)) {
      Native.check(
          Nerve.nv_lstm_cell_backward_f32(saved.ctx().handle, b, h, f32(saved), f32(cPrev), f32(c), f32(dh), f32(dc),
              f32(dgates), f32(dcPrev)),
          "nv_lstm_cell_backward_f32", "lstmCell (backward)", "");
    }
  }

  /** h [B, H] from gi, gh [B, 3H] and hPrev [B, H] or null; saved [B, 4H] or null. */
  public static void gruForward(long b, long h, Operand gi, Operand gh, Operand hPrev, Operand hOut, Operand saved) {
    try (Pin p = Pin.of("gruCell", gi, gh, hPrev, hOut, saved)) {
      Native.check(
          Nerve.nv_gru_cell_forward_f32(gi.ctx().handle, b, h, f32(gi), f32(gh), f32(hPrev), f32(hOut), f32(saved)),
          "nv_gru_cell_forward_f32", "gruCell", "");
    }
  }

  /** dgi, dgh [B, 3H] and the direct part of dhPrev [B, H] (each may be null) from dh. */
  public static void gruBackward(long b, long h, Operand saved, Operand hPrev, Operand dh, Operand dgi, Operand dgh,
      Operand dhPrev) {
    try (Pin p = Pin.of("gruCell (backward)", saved, hPrev, dh, dgi, dgh, dhPrev)) {
      Native.check(
          Nerve.nv_gru_cell_backward_f32(saved.ctx().handle, b, h, f32(saved), f32(hPrev), f32(dh), f32(dgi), f32(dgh),
              f32(dhPrev)),
          "nv_gru_cell_backward_f32", "gruCell (backward)", "");
    }
  }
}
