package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;

/** Inverted dropout with counter-based masks on contiguous operands. Internal. */
public final class Dropouts {
  private Dropouts() {}

  /** y = x * mask / (1 - p), the mask drawn from the counters (seed, offset + i). */
  public static void forward(Operand x, float p, long seed, long offset, Operand y, Operand mask) {
    try (Pin pin = Pin.of("dropout", x, y, mask)) {
      Native.check(Nerve.nv_dropout_forward_f32(x.ctx().handle, x.numel(), p, seed, offset, x.f32(), y.f32(), mask.f32()),
          "nv_dropout_forward_f32", "dropout", "");
    }
  }

  public static void backward(Operand dy, Operand mask, Operand dx) {
    try (Pin pin = Pin.of("dropout (backward)", dy, mask, dx)) {
      Native.check(Nerve.nv_dropout_backward_f32(dy.ctx().handle, dy.numel(), dy.f32(), mask.f32(), dx.f32()),
          "nv_dropout_backward_f32", "dropout (backward)", "");
    }
  }
}
