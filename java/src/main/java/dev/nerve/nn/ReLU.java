package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** Elementwise max(x, 0); any shape. */
public final class ReLU extends Module {
  @Override
  public Tensor forward(Tensor x) {
    return F.relu(x);
  }

  @Override
  public String toString() {
    return "ReLU";
  }
}
