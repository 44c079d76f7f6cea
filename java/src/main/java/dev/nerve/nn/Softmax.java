package dev.nerve.nn;

import dev.nerve.F;

/** softmax(x)_i = exp(x_i) / sum_j exp(x_j) along a dimension (default the last). */
public final class Softmax extends FunctionModule {
  /** Softmax over the last dimension. */
  public Softmax() {
    this(-1);
  }

  /** Softmax over dim (negative counts from the end). */
  public Softmax(int dim) {
    super("Softmax(dim=" + dim + ")", x -> F.softmax(x, dim));
  }
}
