package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/** Fused optimizer updates: one native call per parameter group of contiguous f32 operands. Internal. */
public final class Updates {
  private Updates() {}

  private static PointerPointer<FloatPointer> pointers(List<Operand> operands) {
    if (operands == null) return null;
    FloatPointer[] ps = new FloatPointer[operands.size()];
    for (int i = 0; i < ps.length; i++) ps[i] = operands.get(i).f32();
    return new PointerPointer<>(ps);
  }

  private static LongPointer sizes(List<Operand> w) {
    long[] s = new long[w.size()];
    for (int i = 0; i < s.length; i++) s[i] = w.get(i).numel();
    return new LongPointer(s);
  }

  public static void sgd(List<Operand> w, List<Operand> g, List<Operand> buf, float lr, float momentum,
      float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
    if (w.isEmpty()) return;
    try (LongPointer sizes = sizes(w); PointerPointer<FloatPointer> pw = pointers(w); PointerPointer<FloatPointer> pg = pointers(g);
        PointerPointer<FloatPointer> pb = pointers(buf)) {
      Native.check(
          Nerve.nv_sgd_step_f32(w.get(0).ctx().handle, w.size(), sizes, pw, pg, pb, lr, momentum, dampening,
              weightDecay, nesterov ? 1 : 0, firstStep ? 1 : 0),
          "nv_sgd_step_f32");
    }
  }

  public static void rmsprop(List<Operand> w, List<Operand> g, List<Operand> sq, List<Operand> buf, float lr,
      float alpha, float eps, float weightDecay, float momentum) {
    if (w.isEmpty()) return;
    try (LongPointer sizes = sizes(w); PointerPointer<FloatPointer> pw = pointers(w); PointerPointer<FloatPointer> pg = pointers(g);
        PointerPointer<FloatPointer> ps = pointers(sq); PointerPointer<FloatPointer> pb = pointers(buf)) {
      Native.check(
          Nerve.nv_rmsprop_step_f32(w.get(0).ctx().handle, w.size(), sizes, pw, pg, ps, pb, lr, alpha, eps,
              weightDecay, momentum),
          "nv_rmsprop_step_f32");
    }
  }

  public static void adam(List<Operand> w, List<Operand> g, List<Operand> m, List<Operand> v, float lr, float beta1,
      float beta2, float eps, float weightDecay, boolean decoupled, long step) {
    if (w.isEmpty()) return;
    try (LongPointer sizes = sizes(w); PointerPointer<FloatPointer> pw = pointers(w); PointerPointer<FloatPointer> pg = pointers(g);
        PointerPointer<FloatPointer> pm = pointers(m); PointerPointer<FloatPointer> pv = pointers(v)) {
      Native.check(
          Nerve.nv_adam_step_f32(w.get(0).ctx().handle, w.size(), sizes, pw, pg, pm, pv, lr, beta1, beta2, eps,
              weightDecay, decoupled ? 1 : 0, step),
          "nv_adam_step_f32");
    }
  }
}
