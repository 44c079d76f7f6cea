package dev.nerve.ops;

import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;

/** Row-wise softmax, log-softmax and the fused softmax cross-entropy. Internal. */
public final class Softmaxes {
  private Softmaxes() {}

  public static void softmax(Tensor x, long rows, long cols, Tensor y) {
    Native.check(Nerve.nv_softmax_forward_f32(Memory.ctx(x).handle, rows, cols, Memory.f32(x), Memory.f32(y)),
        "nv_softmax_forward_f32");
  }

  public static void softmaxBackward(Tensor y, Tensor dy, long rows, long cols, Tensor dx) {
    Native.check(
        Nerve.nv_softmax_backward_f32(Memory.ctx(y).handle, rows, cols, Memory.f32(y), Memory.f32(dy), Memory.f32(dx)),
        "nv_softmax_backward_f32");
  }

  public static void logSoftmax(Tensor x, long rows, long cols, Tensor y) {
    Native.check(Nerve.nv_log_softmax_forward_f32(Memory.ctx(x).handle, rows, cols, Memory.f32(x), Memory.f32(y)),
        "nv_log_softmax_forward_f32");
  }

  public static void logSoftmaxBackward(Tensor y, Tensor dy, long rows, long cols, Tensor dx) {
    Native.check(
        Nerve.nv_log_softmax_backward_f32(Memory.ctx(y).handle, rows, cols, Memory.f32(y), Memory.f32(dy), Memory.f32(dx)),
        "nv_log_softmax_backward_f32");
  }

  /** loss (1 element) and, unless dlogits is null, the gradient of the mean loss. */
  public static void crossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor dlogits) {
    long rows = logits.size(0);
    long cols = logits.size(1);
    Native.check(
        Nerve.nv_softmax_xent_f32(Memory.ctx(logits).handle, rows, cols, Memory.f32(logits), Memory.i32(labels),
            Memory.f32(loss), dlogits == null ? null : Memory.f32(dlogits)),
        "nv_softmax_xent_f32");
  }
}
