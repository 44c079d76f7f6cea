package dev.nerve.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Changes one example's features in place, typically a data augmentation of a {@code [C, H, W]}
 * image: {@link Normalize}, {@link RandomCrop}, {@link HorizontalFlip}, {@link RandomShift}.
 * Transforms keep the example's shape. Compose them with {@link #then} or {@link #compose};
 * give one to {@link DataLoader#withTransform}.
 *
 * <p>All randomness comes from the {@code random} argument: the {@link DataLoader} hands each
 * example a generator seeded from (loader seed, epoch, position in the epoch), so the same seed
 * gives the same augmented batches, with or without background workers. A transform must
 * therefore hold no mutable state of its own; the ones in this package are immutable and
 * thread-safe.
 */
@FunctionalInterface
public interface Transform {
  /**
   * Transforms {@code x[offset .. offset + product(shape))} in place.
   *
   * @param x the batch's values
   * @param offset where the example starts
   * @param shape the example's shape (e.g. {@code [C, H, W]}); not to be modified
   * @param random this example's generator; draw from it alone
   * @throws IllegalArgumentException if the shape is not one the transform works on
   */
  void apply(float[] x, int offset, long[] shape, SplittableRandom random);

  /** This transform, then next (on the same generator). */
  default Transform then(Transform next) {
    if (next == null) throw new IllegalArgumentException("Transform.then: next is null");
    Transform first = this;
    return (x, offset, shape, random) -> {
      first.apply(x, offset, shape, random);
      next.apply(x, offset, shape, random);
    };
  }

  /** The transforms applied left to right; none gives the identity. */
  static Transform compose(Transform... transforms) {
    Transform all = (x, offset, shape, random) -> { };
    for (Transform t : transforms) all = all.then(t);
    return all;
  }

  /** The {@code [C, H, W]} of shape, or an IllegalArgumentException naming the transform. */
  static int[] chw(String transform, long[] shape) {
    if (shape.length != 3) {
      throw new IllegalArgumentException(transform + ": expects images of shape [C, H, W], got " + Arrays.toString(shape));
    }
    return new int[] {(int) shape[0], (int) shape[1], (int) shape[2]};
  }

  /**
   * Moves every channel of the image at offset by (dy, dx) pixels (positive: down, right), filling
   * what comes in with fill. Shared by {@link RandomShift} and {@link RandomCrop}.
   */
  static void shift(float[] x, int offset, int c, int h, int w, int dy, int dx, float fill) {
    float[] copy = Arrays.copyOfRange(x, offset, offset + c * h * w);
    for (int ch = 0; ch < c; ch++) {
      int plane = offset + ch * h * w;
      for (int r = 0; r < h; r++) {
        int sr = r - dy;
        for (int col = 0; col < w; col++) {
          int sc = col - dx;
          x[plane + r * w + col] = sr >= 0 && sr < h && sc >= 0 && sc < w ? copy[ch * h * w + sr * w + sc] : fill;
        }
      }
    }
  }
}
