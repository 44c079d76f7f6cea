package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** Elementwise 1 / (1 + exp(-x)); any shape. */
public final class Sigmoid extends Module {
  @Override
  public Tensor forward(Tensor x) {
    return F.sigmoid(x);
  }

  @Override
  public String toString() {
    return "Sigmoid";
  }
}
