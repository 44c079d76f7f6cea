package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** y = x > 0 ? x : slope * x, elementwise (slope 0.01 by default, as PyTorch; GANs use 0.2). */
public final class LeakyReLU extends Module {
  private final float slope;

  public LeakyReLU() {
    this(0.01f);
  }

  public LeakyReLU(float slope) {
    if (!Float.isFinite(slope)) throw new IllegalArgumentException("LeakyReLU: slope must be finite, got " + slope);
    this.slope = slope;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.leakyRelu(x, slope);
  }

  @Override
  public String toString() {
    return "LeakyReLU(" + slope + ")";
  }
}
