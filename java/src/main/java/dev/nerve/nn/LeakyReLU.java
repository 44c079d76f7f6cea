package dev.nerve.nn;

import dev.nerve.F;

/** y = x > 0 ? x : slope * x, elementwise (slope 0.01 by default, as PyTorch; GANs use 0.2). */
public final class LeakyReLU extends FunctionModule {
  /** slope 0.01. */
  public LeakyReLU() {
    this(0.01f);
  }

  /** @param slope the factor for negative inputs */
  public LeakyReLU(float slope) {
    super("LeakyReLU(" + checkFinite(slope) + ")", x -> F.leakyRelu(x, slope));
  }

  private static float checkFinite(float slope) {
    if (!Float.isFinite(slope)) throw new IllegalArgumentException("LeakyReLU: slope must be finite, got " + slope);
    return slope;
  }
}
