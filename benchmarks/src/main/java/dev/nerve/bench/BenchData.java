package dev.nerve.bench;

import java.util.SplittableRandom;

/** The fixed batches the benchmarks train on, made here once so both sides see the same numbers. */
final class BenchData {
  private BenchData() {}

  /** n numbers uniform in [lo, hi) from seed. */
  static float[] uniform(int n, long seed, double lo, double hi) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(lo, hi);
    return a;
  }

  /** n class labels uniform in [0, classes) from seed. */
  static int[] labels(int n, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = r.nextInt(classes);
    return a;
  }
}
