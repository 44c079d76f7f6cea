package dev.nerve.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LeNet training step (batch 64, forward + backward + update), Nerve beside PyTorch 2.10, both
 * on 2 threads: Nerve's model is {@code dev.nerve.examples.MnistCnn.lenet} itself (Conv 5x5 1->20,
 * ReLU, MaxPool 2, Conv 5x5 20->50, ReLU, MaxPool 2, Flatten, Linear 800->500, ReLU, Dropout 0.3,
 * Linear 500->10), PyTorch's the same network in torch::nn ({@link TorchLenet}); cross-entropy,
 * SGD lr 0.01 momentum 0.9, training mode (dropout on), the same fixed batch of images in [0, 1)
 * with labels i % 10 ({@link LenetSpec}).
 *
 * <p>An invocation is one step; {@code @OperationsPerInvocation(BATCH)} makes JMH's "ops/s" read
 * as images/s. Each side runs in its own fork, so only one native library is loaded per JVM.
 * Before it is timed, each side trains {@link LenetSpec#CHECK_STEPS} steps and fails the run if a
 * loss is not finite or the first is not near ln(10). {@link LenetSanity} checks, untimed, that
 * the two networks are the same (equal loss from equal weights).
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
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(LenetSpec.BATCH)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class LenetStepBenchmark {

  @State(Scope.Thread)
  public static class NerveState {
    NerveLenet lenet;

    @Setup(Level.Trial)
    public void setUp() {
      lenet = new NerveLenet(LenetSpec.THREADS);
      float[] losses = new float[LenetSpec.CHECK_STEPS];
      for (int i = 0; i < losses.length; i++) losses[i] = lenet.step();
      report("nerve", losses);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      lenet.close();
    }
  }

  @State(Scope.Thread)
  public static class TorchState {
    TorchLenet lenet;

    @Setup(Level.Trial)
    public void setUp() {
      lenet = new TorchLenet(LenetSpec.THREADS);
      float[] losses = new float[LenetSpec.CHECK_STEPS];
      for (int i = 0; i < losses.length; i++) losses[i] = lenet.step();
      report("pytorch", losses);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      lenet.close();
    }
  }

  static void report(String side, float[] losses) {
    StringBuilder s = new StringBuilder();
    for (float l : losses) s.append(String.format(Locale.ROOT, " %.4f", l));
    LenetSpec.checkLosses(side, losses);
    System.out.println(side + " set-up check: losses of the first " + losses.length + " steps" + s
        + " (finite, first near ln(10) = 2.3026): OK");
  }

  @Benchmark
  public float nerve(NerveState s) {
    return s.lenet.step();
  }

  @Benchmark
  public float pytorch(TorchState s) {
    return s.lenet.step();
  }
}
