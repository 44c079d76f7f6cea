package dev.nerve.nn;

import dev.nerve.F;

/** Elementwise 1 / (1 + exp(-x)); any shape. */
public final class Sigmoid extends FunctionModule {
  /** y = 1 / (1 + exp(-x)). */
  public Sigmoid() {
    super("Sigmoid", F::sigmoid);
  }
}
