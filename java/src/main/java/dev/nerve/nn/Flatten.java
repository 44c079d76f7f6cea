package dev.nerve.nn;

/** Flattens every dimension from startDim on (default 1): [N, C, H, W] to [N, C H W]. */
public final class Flatten extends FunctionModule {
  public Flatten() {
    this(1);
  }

  public Flatten(int startDim) {
    super("Flatten(" + startDim + ")", x -> x.flatten(startDim));
  }
}
