package dev.nerve.nn;

import dev.nerve.F;

/** Elementwise tanh(x); any shape. */
public final class Tanh extends FunctionModule {
  public Tanh() {
    super("Tanh", F::tanh);
  }
}
