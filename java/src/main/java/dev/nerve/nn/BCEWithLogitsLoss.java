package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** Binary cross-entropy on sigmoid(logits), in the stable form; targets in [0, 1], same shape. */
public final class BCEWithLogitsLoss {
  /**
   * mean(max(x, 0) - x t + log(1 + exp(-|x|))) over all elements, x = logits, t = target.
   *
   * @throws IllegalArgumentException when the shapes differ
   */
  public Tensor forward(Tensor logits, Tensor target) {
    return F.bceWithLogits(logits, target);
  }
}
