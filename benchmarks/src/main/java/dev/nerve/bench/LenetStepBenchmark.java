package dev.nerve.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * One LeNet training step (batch 64, forward + backward + update), Nerve beside PyTorch 2.10, both
 * on 2 threads: Nerve's model is {@code dev.nerve.examples.MnistCnn.lenet} itself (Conv 5x5 1->20,
 * ReLU, MaxPool 2, Conv 5x5 20->50, ReLU, MaxPool 2, Flatten, Linear 800->500, ReLU, Dropout 0.3,
 * Linear 500->10), PyTorch's the same network in torch::nn ({@link TorchLenet}); cross-entropy,
 * SGD lr 0.01 momentum 0.9, training mode (dropout on), the same fixed batch of images in [0, 1)
 * with labels i % 10 ({@link LenetSpec}).
 *
 * <p>JMH's "ops/s" read as images/s ({@link StepBenchmark}). Before it is timed, each side trains
 * {@link LenetSpec#CHECK_STEPS} steps and fails the run if a loss is not finite or the first is
 * not near ln(10) ({@link LenetSpec#checked}). {@link LenetSanity} checks, untimed, that the two
 * networks are the same (equal loss from equal weights).
 *
 * <p>Run (after {@code mvn -B -q -DskipTests -pl benchmarks -am package}), PyTorch with the
 * environment that is its best on 2 cores (Nerve ignores these variables):
 * <pre>
 * cp="benchmarks/target/classes:$(cat benchmarks/target/bench-classpath.txt)"
 * java -cp "$cp" dev.nerve.bench.LenetSanity
 * GOMP_SPINCOUNT=10000 OPENBLAS_THREAD_TIMEOUT=4 OPENBLAS_CORETYPE=SkylakeX \
 *   java -cp "$cp" org.openjdk.jmh.Main LenetStepBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s
 * </pre>
 */
@OperationsPerInvocation(LenetSpec.BATCH)
public class LenetStepBenchmark extends StepBenchmark {
  public LenetStepBenchmark() {
    super(() -> LenetSpec.checked("nerve", new NerveLenet(THREADS)),
        () -> LenetSpec.checked("pytorch", TorchLenet.create(THREADS)));
  }
}
