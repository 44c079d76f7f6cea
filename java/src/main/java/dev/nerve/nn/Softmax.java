package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** softmax(x)_i = exp(x_i) / sum_j exp(x_j) along a dimension (default the last). */
public final class Softmax extends Module {
  private final int dim;

  public Softmax() {
    this(-1);
  }

  public Softmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.softmax(x, dim);
  }

  @Override
  public String toString() {
    return "Softmax(dim=" + dim + ")";
  }
}
