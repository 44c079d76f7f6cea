package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** mean((input - target)^2); input and target of one shape. */
public final class MSELoss {
  /**
   * mean((input - target)^2) over all elements, a 0-D tensor.
   *
   * @throws IllegalArgumentException when the shapes differ
   */
  public Tensor forward(Tensor input, Tensor target) {
    return F.mseLoss(input, target);
  }
}
