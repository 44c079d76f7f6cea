package dev.nerve.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * One mnist-mlp training step (batch 128, 784-512-256-10, ReLU, cross-entropy, SGD momentum 0.9,
 * forward + backward + update), Nerve beside PyTorch 2.10, both on 2 threads ({@link MlpSpec}).
 *
 * <p>JMH's "ops/s" read as examples/s ({@link StepBenchmark}). Run everything with
 * {@code ci/bench}: it runs Nerve with an untouched environment and PyTorch
 * with {@code GOMP_SPINCOUNT=10000 OPENBLAS_THREAD_TIMEOUT=4} (its best on 2 cores), then prints
 * the table ({@link Report}).
 */
@OperationsPerInvocation(MlpSpec.BATCH)
public class MnistMlpStepBenchmark extends StepBenchmark {
  public MnistMlpStepBenchmark() {
    super(() -> new NerveMlp(THREADS), () -> TorchMlp.create(THREADS));
  }
}
