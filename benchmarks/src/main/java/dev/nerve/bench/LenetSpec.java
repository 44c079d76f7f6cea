package dev.nerve.bench;

import java.util.SplittableRandom;

/**
 * The LeNet training step both sides of {@link LenetStepBenchmark} run: {@code MnistCnn.lenet}
 * (Conv 5x5 1->20, ReLU, MaxPool 2, Conv 5x5 20->50, ReLU, MaxPool 2, Flatten, Linear 800->500,
 * ReLU, Dropout 0.3, Linear 500->10), cross-entropy, SGD lr 0.01 momentum 0.9, batch 64, in
 * training mode (dropout on), on one fixed batch made here once so both sides see the same numbers.
 */
final class LenetSpec {
  static final int BATCH = 64;
  static final int CHANNELS = 1;
  static final int SIDE = 28;
  static final int CLASSES = 10;
  static final float DROPOUT = 0.3f;
  static final float LR = 0.01f;
  static final float MOMENTUM = 0.9f;
  static final int THREADS = 2;
  static final long SEED = 42;
  /** Parameter shapes in the order both sides list them (conv1, conv2, fc1, fc2; weight then bias). */
  static final long[][] PARAM_SHAPES = {
      {20, 1, 5, 5}, {20}, {50, 20, 5, 5}, {50}, {500, 800}, {500}, {10, 500}, {10}};

  private LenetSpec() {}

  /** MNIST-like images: uniform in [0, 1), row-major [BATCH, 1, 28, 28]. */
  static float[] inputs() {
    SplittableRandom r = new SplittableRandom(SEED);
    float[] x = new float[BATCH * CHANNELS * SIDE * SIDE];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
    return x;
  }

  /** Labels i % 10. */
  static int[] labels() {
    int[] y = new int[BATCH];
    for (int i = 0; i < y.length; i++) y[i] = i % CLASSES;
    return y;
  }

  /**
   * The set-up check each side runs before it is timed: every loss of the first steps is finite
   * and the first is near ln(10) = 2.303 (an untrained 10-way classifier). Throws otherwise, so
   * JMH reports the benchmark as failed instead of timing a broken step.
   */
  static void checkLosses(String side, float[] losses) {
    double ln10 = Math.log(CLASSES);
    for (int i = 0; i < losses.length; i++) {
      if (!Float.isFinite(losses[i])) {
        throw new IllegalStateException(side + ": loss of step " + (i + 1) + " is " + losses[i]);
      }
    }
    if (Math.abs(losses[0] - ln10) > TOLERANCE) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "%s: first loss %.4f is not within %.2f of ln(10) = %.4f", side, losses[0], TOLERANCE, ln10));
    }
  }

  /** How far from ln(10) the first loss may be (initialisation and dropout noise). */
  static final double TOLERANCE = 0.5;

  /** Steps the set-up check trains before timing starts. */
  static final int CHECK_STEPS = 5;
}
