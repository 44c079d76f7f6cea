package dev.nerve.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Per-channel normalisation of a {@code [C, H, W]} image: {@code x'[c] = (x[c] - mean[c]) / std[c]}.
 * Deterministic; immutable and thread-safe.
 */
public final class Normalize implements Transform {
  private final float[] mean;
  private final float[] std;

  /**
   * @param mean one value per channel
   * @param std one positive finite value per channel, as many as mean
   * @throws IllegalArgumentException for unequal lengths, no channels, or a std not positive and finite
   */
  public Normalize(float[] mean, float[] std) {
    if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException("Normalize: mean and std need one value per channel each, got "
          + Arrays.toString(mean) + " and " + Arrays.toString(std));
    }
    for (float s : std) {
      if (!(s > 0 && Float.isFinite(s))) throw new IllegalArgumentException("Normalize: std must be positive and finite, got " + Arrays.toString(std));
    }
    for (float m : mean) {
      if (!Float.isFinite(m)) throw new IllegalArgumentException("Normalize: mean must be finite, got " + Arrays.toString(mean));
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** @throws IllegalArgumentException if shape is not [C, H, W] with C = the number of channels given */
  @Override
  public void apply(float[] x, int offset, long[] shape, SplittableRandom random) {
    int[] chw = Transform.chw("Normalize", shape);
    if (chw[0] != mean.length) {
      throw new IllegalArgumentException("Normalize: " + mean.length + " channel means for images of shape " + Arrays.toString(shape));
    }
    int plane = chw[1] * chw[2];
    for (int c = 0; c < chw[0]; c++) {
      int base = offset + c * plane;
      for (int i = 0; i < plane; i++) x[base + i] = (x[base + i] - mean[c]) / std[c];
    }
  }
}
