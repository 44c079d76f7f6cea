package dev.nerve.data;

import java.util.Arrays;

/**
 * Per-feature standardisation: {@code x'[j] = (x[j] - mean[j]) / std[j]}, with mean and (population)
 * standard deviation measured on one dataset, normally the training split only, so nothing about
 * the validation examples leaks into training. A feature that is constant in the training data
 * (std 0) is only centred (its std is taken as 1).
 *
 * <p>Immutable and thread-safe.
 */
public final class Standardizer {
  private final float[] mean;
  private final float[] std;

  private Standardizer(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * Measures the mean and standard deviation of every feature value over data's examples (in
   * double precision).
   *
   * @throws IllegalArgumentException if data is null or empty
   */
  public static Standardizer fit(Dataset data) {
    if (data == null || data.size() == 0) throw new IllegalArgumentException("Standardizer.fit: no examples to measure");
    int d = DataLoader.exampleSize(data.exampleShape());
    double[] sum = new double[d];
    double[] sq = new double[d];
    float[] x = new float[d];
    for (int i = 0; i < data.size(); i++) {
      data.features(i, x, 0);
      for (int j = 0; j < d; j++) sum[j] += x[j];
    }
    int n = data.size();
    for (int i = 0; i < n; i++) { // a second pass: subtracting the mean first keeps the variance exact
      data.features(i, x, 0);
      for (int j = 0; j < d; j++) {
        double dev = x[j] - sum[j] / n;
        sq[j] += dev * dev;
      }
    }
    float[] mean = new float[d];
    float[] std = new float[d];
    for (int j = 0; j < d; j++) {
      mean[j] = (float) (sum[j] / n);
      double s = Math.sqrt(sq[j] / n);
      std[j] = s > 0 ? (float) s : 1f;
    }
    return new Standardizer(mean, std);
  }

  /** The per-feature means (a copy). */
  public float[] mean() {
    return mean.clone();
  }

  /** The per-feature standard deviations, 1 where the feature was constant (a copy). */
  public float[] std() {
    return std.clone();
  }

  /** Standardises {@code x[offset .. offset + mean().length)} in place. */
  public void apply(float[] x, int offset) {
    for (int j = 0; j < mean.length; j++) x[offset + j] = (x[offset + j] - mean[j]) / std[j];
  }

  /**
   * A view of data whose features are standardised as they are read.
   *
   * @throws IllegalArgumentException if data's examples do not have this standardizer's number of features
   */
  public Dataset applyTo(Dataset data) {
    int d = DataLoader.exampleSize(data.exampleShape());
    if (d != mean.length) {
      throw new IllegalArgumentException("Standardizer.applyTo: the dataset's examples have " + d + " values (shape "
          + Arrays.toString(data.exampleShape()) + "), the standardizer was fitted on " + mean.length);
    }
    return new Dataset() {
      @Override
      public int size() {
        return data.size();
      }

      @Override
      public long[] exampleShape() {
        return data.exampleShape();
      }

      @Override
      public void features(int index, float[] dst, int offset) {
        data.features(index, dst, offset);
        apply(dst, offset);
      }

      @Override
      public int label(int index) {
        return data.label(index);
      }
    };
  }
}
