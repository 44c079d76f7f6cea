package dev.nerve.nn;

import dev.nerve.F;

/** Elementwise max(x, 0); any shape. */
public final class ReLU extends FunctionModule {
  public ReLU() {
    super("ReLU", F::relu);
  }
}
