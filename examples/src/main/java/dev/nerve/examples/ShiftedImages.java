package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.data.MnistSplit;
import java.util.SplittableRandom;

/**
 * Data augmentation: each time an image is read it is moved by a random whole number of pixels,
 * up to maxShift in each direction, with zeros (background) shifted in. A digit moved by a pixel
 * or two is still the same digit, so the model sees a fresh variant of each training image every
 * epoch and overfits the 8,000 digits much less.
 *
 * <p>Deterministic for a given seed and read order (DataLoader reads in one thread, in order).
 * Not thread-safe.
 */
public final class ShiftedImages implements Dataset {
  private final MnistSplit split;
  private final int maxShift;
  private final SplittableRandom random;

  public ShiftedImages(MnistSplit split, int maxShift, long seed) {
    if (maxShift < 0 || maxShift >= Math.min(split.rows(), split.cols())) {
      throw new IllegalArgumentException("ShiftedImages: maxShift must be in [0, image side), got " + maxShift);
    }
    this.split = split;
    this.maxShift = maxShift;
    this.random = new SplittableRandom(seed);
  }

  /**
   * Draws the shifts of the next {@code reads} reads and throws them away: a resumed run's
   * images then move exactly as they would have in an uninterrupted one.
   */
  public void skip(long reads) {
    for (long i = 0; i < reads; i++) {
      random.nextInt(-maxShift, maxShift + 1);
      random.nextInt(-maxShift, maxShift + 1);
    }
  }

  @Override
  public int size() {
    return split.size();
  }

  @Override
  public long[] exampleShape() {
    return new long[] {split.pixelsPerImage()};
  }

  /** dst[offset + r * cols + c] = image[r - dy][c - dx], or 0 where that falls outside. */
  @Override
  public void features(int index, float[] dst, int offset) {
    int rows = split.rows();
    int cols = split.cols();
    int dy = random.nextInt(-maxShift, maxShift + 1);
    int dx = random.nextInt(-maxShift, maxShift + 1);
    float[] src = split.images();
    int base = index * rows * cols;
    java.util.Arrays.fill(dst, offset, offset + rows * cols, 0f);
    int c0 = Math.max(0, dx);
    int c1 = Math.min(cols, cols + dx);
    for (int r = Math.max(0, dy); r < Math.min(rows, rows + dy); r++) {
      System.arraycopy(src, base + (r - dy) * cols + (c0 - dx), dst, offset + r * cols + c0, c1 - c0);
    }
  }

  @Override
  public int label(int index) {
    return split.labels()[index];
  }
}
