package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Fused optimizer updates: one native call per parameter group of contiguous f32 operands.
 * Internal. The pointer and size arrays are malloc'd host memory ({@link HostMemory}: not
 * counted against JavaCPP's cap), freed when the call returns.
 */
public final class Updates {
  private Updates() {}

  /** The arrays of one call: sizes, then one array of device addresses per operand list. */
  private static final class Arrays implements AutoCloseable {
    private final Pointer block;
    final LongPointer sizes;
    private final int count;

    Arrays(List<Operand> w, int lists) {
      count = w.size();
      block = HostMemory.allocate(8L * count * (1 + lists));
      sizes = new LongPointer(block);
      for (int i = 0; i < count; i++) sizes.put(i, w.get(i).numel());
    }

    /** List k's addresses as a float** (null for a null list: an optional argument). */
    @SuppressWarnings("rawtypes")
    PointerPointer list(int k, List<Operand> operands) {
      if (operands == null) return null;
      LongPointer at = new LongPointer(block).position((long) count * (1 + k));
      for (int i = 0; i < count; i++) {
        Operand o = operands.get(i);
        at.put(i, o.storage().deviceAddress() + o.offset() * o.elementBytes());
      }
      return new PointerPointer(at);
    }

    @Override
    public void close() {
      HostMemory.free(block);
    }
  }

  public static void sgd(List<Operand> w, List<Operand> g, List<Operand> buf, float lr, float momentum,
      float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
    if (w.isEmpty()) return;
    try (Pin p = Pin.ofLists("SGD.step", w, g, buf); Arrays a = new Arrays(w, 3)) {
      Native.check(
          Nerve.nv_sgd_step_f32(w.get(0).ctx().handle, w.size(), a.sizes, a.list(0, w), a.list(1, g), a.list(2, buf), lr,
              momentum, dampening, weightDecay, nesterov ? 1 : 0, firstStep ? 1 : 0),
          "nv_sgd_step_f32", "SGD.step", "");
    }
  }

  public static void rmsprop(List<Operand> w, List<Operand> g, List<Operand> sq, List<Operand> buf, float lr,
      float alpha, float eps, float weightDecay, float momentum) {
    if (w.isEmpty()) return;
    try (Pin p = Pin.ofLists("RMSprop.step", w, g, sq, buf); Arrays a = new Arrays(w, 4)) {
      Native.check(
          Nerve.nv_rmsprop_step_f32(w.get(0).ctx().handle, w.size(), a.sizes, a.list(0, w), a.list(1, g), a.list(2, sq),
              a.list(3, buf), lr, alpha, eps, weightDecay, momentum),
          "nv_rmsprop_step_f32", "RMSprop.step", "");
    }
  }

  public static void adam(List<Operand> w, List<Operand> g, List<Operand> m, List<Operand> v, float lr, float beta1,
      float beta2, float eps, float weightDecay, boolean decoupled, long step) {
    if (w.isEmpty()) return;
    String op = decoupled ? "AdamW.step" : "Adam.step";
    try (Pin p = Pin.ofLists(op, w, g, m, v); Arrays a = new Arrays(w, 4)) {
      Native.check(
          Nerve.nv_adam_step_f32(w.get(0).ctx().handle, w.size(), a.sizes, a.list(0, w), a.list(1, g), a.list(2, m),
              a.list(3, v), lr, beta1, beta2, eps, weightDecay, decoupled ? 1 : 0, step),
          "nv_adam_step_f32", op, "");
    }
  }
}
