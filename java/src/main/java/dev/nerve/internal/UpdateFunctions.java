package dev.nerve.internal;

import dev.nerve.Tensor;
import dev.nerve.internal.ops.Operand;
import dev.nerve.internal.ops.Updates;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizers' fused updates over lists of tensors, on the {@link Updates} kernels: what
 * {@code dev.nerve.optim} calls. The tensors are parameters, their gradients and state tensors
 * (contiguous f32, one device); a null list is an absent state.
 */
public final class UpdateFunctions {
  private UpdateFunctions() {}

  /** The operands of tensors the update writes: each counts an in-place write ({@link MemoryFunctions#bumpVersion}). */
  private static List<Operand> written(List<Tensor> tensors) {
    if (tensors != null) for (Tensor t : tensors) MemoryFunctions.bumpVersion(t);
    return data(tensors);
  }

  private static List<Operand> data(List<Tensor> tensors) {
    if (tensors == null) return null;
    List<Operand> out = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) out.add(Tensors.data(t));
    return out;
  }

  public static void sgd(List<Tensor> w, List<Tensor> g, List<Tensor> buf, float lr, float momentum, float dampening,
      float weightDecay, boolean nesterov, boolean firstStep) {
    Updates.sgd(written(w), data(g), written(buf), lr, momentum, dampening, weightDecay, nesterov, firstStep);
  }

  public static void rmsprop(List<Tensor> w, List<Tensor> g, List<Tensor> sq, List<Tensor> buf, float lr, float alpha,
      float eps, float weightDecay, float momentum) {
    Updates.rmsprop(written(w), data(g), written(sq), written(buf), lr, alpha, eps, weightDecay, momentum);
  }

  public static void adam(List<Tensor> w, List<Tensor> g, List<Tensor> m, List<Tensor> v, float lr, float beta1,
      float beta2, float eps, float weightDecay, boolean decoupled, long step) {
    Updates.adam(written(w), data(g), written(m), written(v), lr, beta1, beta2, eps, weightDecay, decoupled, step);
  }
}
