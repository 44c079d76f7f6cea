package dev.nerve.bench;

/**
 * The mnist-mlp training step both sides run: a 784-512-256-10 MLP with ReLU, cross-entropy,
 * SGD with momentum 0.9 (lr 0.01), batch 128, on one fixed batch of random data (no data loading
 * in the timed part); the settings it shares with LeNet's step are {@link StepBenchmark}'s.
 */
final class MlpSpec {
  static final int BATCH = 128;
  static final int IN = 784;
  static final int H1 = 512;
  static final int H2 = 256;
  static final int OUT = 10;
  /** Parameter shapes in the order both sides list them: w1, b1, w2, b2, w3, b3 (weights [out, in]). */
  static final long[][] PARAM_SHAPES = {{H1, IN}, {H1}, {H2, H1}, {H2}, {OUT, H2}, {OUT}};

  /**
   * FLOPs of one step: forward 2*B*(784*512 + 512*256 + 256*10); backward twice that, less the
   * input gradient of the first layer (the input needs no gradient). Bias, ReLU, softmax and the
   * update are O(B*width) or O(params) and left out (under 1%).
   */
  static final double FLOPS_PER_STEP;

  static {
    double fwd = 2.0 * BATCH * ((double) IN * H1 + (double) H1 * H2 + (double) H2 * OUT);
    FLOPS_PER_STEP = 3 * fwd - 2.0 * BATCH * IN * H1;
  }

  private MlpSpec() {}

  /** MNIST-like inputs: uniform in [0, 1), row-major [BATCH, IN]. */
  static float[] inputs() {
    return BenchData.uniform(BATCH * IN, StepBenchmark.SEED, 0, 1);
  }

  /** Class labels in [0, OUT). */
  static int[] labels() {
    return BenchData.labels(BATCH, OUT, StepBenchmark.SEED + 1);
  }
}
