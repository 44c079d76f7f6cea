package dev.nerve.nn;

import dev.nerve.Tensor;

/** Flattens every dimension from startDim on (default 1): [N, C, H, W] to [N, C H W]. */
public final class Flatten extends Module {
  private final int startDim;

  public Flatten() {
    this(1);
  }

  public Flatten(int startDim) {
    this.startDim = startDim;
  }

  @Override
  public Tensor forward(Tensor x) {
    return x.flatten(startDim);
  }

  @Override
  public String toString() {
    return "Flatten(" + startDim + ")";
  }
}
