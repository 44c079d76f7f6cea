package dev.nerve.nn;

import dev.nerve.F;

/** Elementwise max(x, 0); any shape. */
public final class ReLU extends FunctionModule {
  /** y = max(x, 0). */
  public ReLU() {
    super("ReLU", F::relu);
  }
}
