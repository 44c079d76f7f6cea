package dev.nerve.nn;

/** Flattens every dimension from startDim on (default 1): [N, C, H, W] to [N, C H W]. */
public final class Flatten extends FunctionModule {
  /** Flattens from dimension 1: [N, ...] to [N, rest]. */
  public Flatten() {
    this(1);
  }

  /** Flattens from startDim (negative counts from the end) to the last dimension. */
  public Flatten(int startDim) {
    super("Flatten(" + startDim + ")", x -> x.flatten(startDim));
  }
}
