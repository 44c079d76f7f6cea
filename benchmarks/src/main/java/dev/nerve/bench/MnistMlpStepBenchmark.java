package dev.nerve.bench;

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
 * One mnist-mlp training step (batch 128, 784-512-256-10, ReLU, cross-entropy, SGD momentum 0.9,
 * forward + backward + update), Nerve beside PyTorch 2.10, both on 2 threads.
 *
 * <p>An invocation is one step; {@code @OperationsPerInvocation(BATCH)} makes JMH's "ops/s" read
 * as examples/s. Each side runs in its own fork, so only one native library is loaded per JVM.
 * Run everything with {@code ci/bench}: it runs Nerve with an untouched environment and PyTorch
 * with {@code GOMP_SPINCOUNT=10000 OPENBLAS_THREAD_TIMEOUT=4} (its best on 2 cores), then prints
 * the table ({@link Report}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(MlpSpec.BATCH)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class MnistMlpStepBenchmark {

  @State(Scope.Thread)
  public static class NerveState {
    NerveMlp mlp;

    @Setup(Level.Trial)
    public void setUp() {
      mlp = new NerveMlp(MlpSpec.THREADS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      mlp.close();
    }
  }

  @State(Scope.Thread)
  public static class TorchState {
    TorchMlp mlp;

    @Setup(Level.Trial)
    public void setUp() {
      mlp = new TorchMlp(MlpSpec.THREADS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      mlp.close();
    }
  }

  @Benchmark
  public float nerve(NerveState s) {
    return s.mlp.step();
  }

  @Benchmark
  public float pytorch(TorchState s) {
    return s.mlp.step();
  }
}
