package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** Elementwise tanh(x); any shape. */
public final class Tanh extends Module {
  @Override
  public Tensor forward(Tensor x) {
    return F.tanh(x);
  }

  @Override
  public String toString() {
    return "Tanh";
  }
}
