package dev.nerve.nn;

import dev.nerve.F;

/** Elementwise 1 / (1 + exp(-x)); any shape. */
public final class Sigmoid extends FunctionModule {
  public Sigmoid() {
    super("Sigmoid", F::sigmoid);
  }
}
