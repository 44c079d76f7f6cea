package dev.nerve.data;

import java.util.SplittableRandom;

/**
 * Random crop with padding, the CIFAR augmentation: pads a {@code [C, H, W]} image by padding
 * pixels of value fill on every side and cuts an H x W window at a uniformly random position of
 * the {@code (H + 2 padding) x (W + 2 padding)} result (so the shape is kept). Unlike
 * {@link RandomShift} the fill value is chosen (e.g. the normalised background when it runs after
 * {@link Normalize}). Immutable and thread-safe.
 */
public final class RandomCrop implements Transform {
  private final int padding;
  private final float fill;

  /**
   * @param padding pixels added on each side, at least 0
   * @param fill the value of the padding
   * @throws IllegalArgumentException for a negative padding or a non-finite fill
   */
  public RandomCrop(int padding, float fill) {
    if (padding < 0) throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
    if (!Float.isFinite(fill)) throw new IllegalArgumentException("RandomCrop: fill must be finite, got " + fill);
    this.padding = padding;
    this.fill = fill;
  }

  /** Padding with zeros. */
  public RandomCrop(int padding) {
    this(padding, 0f);
  }

  /** @throws IllegalArgumentException if shape is not [C, H, W] */
  @Override
  public void apply(float[] x, int offset, long[] shape, SplittableRandom random) {
    int[] chw = Transform.chw("RandomCrop", shape);
    // The window's top-left corner in padded coordinates is (top, left) in [0, 2 padding]; the
    // image therefore moves by (padding - top, padding - left).
    int top = random.nextInt(2 * padding + 1);
    int left = random.nextInt(2 * padding + 1);
    int dy = padding - top;
    int dx = padding - left;
    if (dy != 0 || dx != 0) Transform.shift(x, offset, chw[0], chw[1], chw[2], dy, dx, fill);
  }
}
