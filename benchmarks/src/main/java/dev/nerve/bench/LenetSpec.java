package dev.nerve.bench;

import java.util.Locale;

/**
 * The LeNet training step both sides of {@link LenetStepBenchmark} run: {@code MnistCnn.lenet}
 * (Conv 5x5 1->20, ReLU, MaxPool 2, Conv 5x5 20->50, ReLU, MaxPool 2, Flatten, Linear 800->500,
 * ReLU, Dropout 0.3, Linear 500->10), cross-entropy, SGD lr 0.01 momentum 0.9, batch 64, in
 * training mode (dropout on), on one fixed batch made here once so both sides see the same numbers;
 * the settings it shares with the MLP's step are {@link StepBenchmark}'s.
 */
final class LenetSpec {
  static final int BATCH = 64;
  static final int CHANNELS = 1;
  static final int SIDE = 28;
  static final int CLASSES = 10;
  static final float DROPOUT = 0.3f;
  /** Parameter shapes in the order both sides list them (conv1, conv2, fc1, fc2; weight then bias). */
  static final long[][] PARAM_SHAPES = {
      {20, 1, 5, 5}, {20}, {50, 20, 5, 5}, {50}, {500, 800}, {500}, {10, 500}, {10}};

  private LenetSpec() {}

  /** MNIST-like images: uniform in [0, 1), row-major [BATCH, 1, 28, 28]. */
  static float[] inputs() {
    return BenchData.uniform(BATCH * CHANNELS * SIDE * SIDE, StepBenchmark.SEED, 0, 1);
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
  private static void checkLosses(String side, float[] losses) {
    double ln10 = Math.log(CLASSES);
    for (int i = 0; i < losses.length; i++) {
      if (!Float.isFinite(losses[i])) {
        throw new IllegalStateException(side + ": loss of step " + (i + 1) + " is " + losses[i]);
      }
    }
    if (Math.abs(losses[0] - ln10) > TOLERANCE) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s: first loss %.4f is not within %.2f of ln(10) = %.4f", side, losses[0], TOLERANCE, ln10));
    }
  }

  /** Trains the side's first {@link #CHECK_STEPS} steps, prints their losses and checks them; returns step. */
  static TrainingStep checked(String side, TrainingStep step) {
    float[] losses = new float[CHECK_STEPS];
    for (int i = 0; i < losses.length; i++) losses[i] = step.step();
    StringBuilder s = new StringBuilder();
    for (float l : losses) s.append(String.format(Locale.ROOT, " %.4f", l));
    checkLosses(side, losses);
    System.out.println(side + " set-up check: losses of the first " + losses.length + " steps" + s
        + " (finite, first near ln(10) = 2.3026): OK");
    return step;
  }

  /** How far from ln(10) the first loss may be (initialisation and dropout noise). */
  static final double TOLERANCE = 0.5;

  /** Steps the set-up check trains before timing starts. */
  static final int CHECK_STEPS = 5;
}
