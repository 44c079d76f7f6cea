package dev.nerve.data;

import java.util.SplittableRandom;

/**
 * Moves a {@code [C, H, W]} image by whole pixels, dy and dx each drawn uniformly from
 * {@code [-maxShift, maxShift]}, filling the uncovered border with 0 (background). A digit or a
 * shape moved by a pixel or two is still the same, so the model sees fresh variants each epoch.
 * Immutable and thread-safe.
 */
public final class RandomShift implements Transform {
  private final int maxShift;

  /**
   * @param maxShift the largest move in each direction, in pixels, at least 0
   * @throws IllegalArgumentException for a negative maxShift
   */
  public RandomShift(int maxShift) {
    if (maxShift < 0) throw new IllegalArgumentException("RandomShift: maxShift must be >= 0, got " + maxShift);
    this.maxShift = maxShift;
  }

  /** @throws IllegalArgumentException if shape is not [C, H, W] */
  @Override
  public void apply(float[] x, int offset, long[] shape, SplittableRandom random) {
    int[] chw = Transform.chw("RandomShift", shape);
    int dy = random.nextInt(-maxShift, maxShift + 1);
    int dx = random.nextInt(-maxShift, maxShift + 1);
    if (dy != 0 || dx != 0) Transform.shift(x, offset, chw[0], chw[1], chw[2], dy, dx, 0f);
  }
}
