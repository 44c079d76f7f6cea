package dev.nerve.data;

import java.util.SplittableRandom;

/**
 * A dataset divided into a training part and a validation part, both {@link Subset} views of the
 * same base (no copy).
 *
 * @param train the examples to learn from
 * @param validation the held-out examples to measure on
 */
public record Split(Subset train, Subset validation) {
  /**
   * Shuffles the indices of data with seed and puts the first
   * {@code round(size * validationFraction)} (at least 1, and at least 1 left for training) in
   * the validation part; the same seed always gives the same parts.
   *
   * @param data the dataset to divide; it must hold at least 2 examples
   * @param validationFraction in {@code (0, 1)}
   * @param seed the shuffle's seed
   * @throws IllegalArgumentException for a fraction outside (0, 1) or fewer than 2 examples
   */
  public static Split of(Dataset data, double validationFraction, long seed) {
    if (data == null) throw new IllegalArgumentException("Split.of: data is null");
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("Split.of: validationFraction must be in (0, 1), got " + validationFraction);
    }
    int n = data.size();
    if (n < 2) throw new IllegalArgumentException("Split.of: need at least 2 examples to split, got " + n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int v = (int) Math.max(1, Math.min(n - 1, Math.round(n * validationFraction)));
    int[] val = java.util.Arrays.copyOfRange(order, 0, v);
    int[] train = java.util.Arrays.copyOfRange(order, v, n);
    java.util.Arrays.sort(val); // in file order: easier to read back, and the loader shuffles anyway
    java.util.Arrays.sort(train);
    return new Split(new Subset(data, train), new Subset(data, val));
  }
}
