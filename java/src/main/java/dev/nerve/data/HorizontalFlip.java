package dev.nerve.data;

import java.util.SplittableRandom;

/**
 * Mirrors a {@code [C, H, W]} image left to right with probability p (one draw per example).
 * Immutable and thread-safe.
 */
public final class HorizontalFlip implements Transform {
  private final double p;

  /**
   * @param p the probability of a flip, in [0, 1] (0.5 is usual)
   * @throws IllegalArgumentException for p outside [0, 1]
   */
  public HorizontalFlip(double p) {
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("HorizontalFlip: p must be in [0, 1], got " + p);
    this.p = p;
  }

  /** @throws IllegalArgumentException if shape is not [C, H, W] */
  @Override
  public void apply(float[] x, int offset, long[] shape, SplittableRandom random) {
    int[] chw = Transform.chw("HorizontalFlip", shape);
    if (random.nextDouble() >= p) return;
    int w = chw[2];
    for (int row = 0; row < chw[0] * chw[1]; row++) {
      int base = offset + row * w;
      for (int i = 0, j = w - 1; i < j; i++, j--) {
        float t = x[base + i];
        x[base + i] = x[base + j];
        x[base + j] = t;
      }
    }
  }
}
