package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** mean((input - target)^2); input and target of one shape. */
public final class MSELoss {
  public Tensor forward(Tensor input, Tensor target) {
    return F.mseLoss(input, target);
  }
}
