package dev.nerve.nn;

import dev.nerve.F;

/** Elementwise tanh(x); any shape. */
public final class Tanh extends FunctionModule {
  /** y = tanh(x). */
  public Tanh() {
    super("Tanh", F::tanh);
  }
}
