package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import java.util.Arrays;

/** Row-wise softmax, log-softmax and the fused softmax cross-entropy on contiguous [rows, cols]. Internal. */
public final class Softmaxes {
  private Softmaxes() {}

  public static void softmax(Operand x, long rows, long cols, Operand y) {
    try (Pin p = Pin.of("softmax", x, y)) {
      Native.check(Nerve.nv_softmax_forward_f32(x.ctx().handle, rows, cols, x.f32(), y.f32()), "nv_softmax_forward_f32", "softmax", "");
    }
  }

  public static void softmaxBackward(Operand y, Operand dy, long rows, long cols, Operand dx) {
    try (Pin p = Pin.of("softmax (backward)", y, dy, dx)) {
      Native.check(Nerve.nv_softmax_backward_f32(y.ctx().handle, rows, cols, y.f32(), dy.f32(), dx.f32()),
          "nv_softmax_backward_f32", "softmax (backward)", "");
    }
  }

  public static void logSoftmax(Operand x, long rows, long cols, Operand y) {
    try (Pin p = Pin.of("logSoftmax", x, y)) {
      Native.check(Nerve.nv_log_softmax_forward_f32(x.ctx().handle, rows, cols, x.f32(), y.f32()),
          "nv_log_softmax_forward_f32", "logSoftmax", "");
    }
  }

  public static void logSoftmaxBackward(Operand y, Operand dy, long rows, long cols, Operand dx) {
    try (Pin p = Pin.of("logSoftmax (backward)", y, dy, dx)) {
      Native.check(Nerve.nv_log_softmax_backward_f32(y.ctx().handle, rows, cols, y.f32(), dy.f32(), dx.f32()),
          "nv_log_softmax_backward_f32", "logSoftmax (backward)", "");
    }
  }

  /**
   * loss (1 element) and, unless dlogits is null, the gradient of the mean loss; labels i32 [rows].
   *
   * @throws IllegalArgumentException "crossEntropy: label 10 at row 3 is outside [0, 10) (logits
   *     [4, 10])" for a label out of range: only the kernel sees the labels' values
   */
  public static void crossEntropy(Operand logits, Operand labels, Operand loss, Operand dlogits) {
    try (Pin p = Pin.of("crossEntropy", logits, labels, loss, dlogits)) {
      int status = Nerve.nv_softmax_xent_f32(logits.ctx().handle, logits.size(0), logits.size(1), logits.f32(),
          labels.i32(), loss.f32(), Operand.f32(dlogits));
      if (status != Nerve.NV_OK) {
        Native.check(status, "nv_softmax_xent_f32", "crossEntropy", "logits " + Arrays.toString(logits.shape()));
      }
    }
  }
}
