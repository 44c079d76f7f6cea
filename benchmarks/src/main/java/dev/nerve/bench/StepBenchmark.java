package dev.nerve.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What the classifier step benchmarks ({@link MnistMlpStepBenchmark}, {@link LenetStepBenchmark})
 * share: the training settings, JMH's settings, and two benchmarks, {@code nerve} and
 * {@code pytorch}, each timing one training step of its side. A subclass names its two sides and,
 * with {@code @OperationsPerInvocation(batch)}, makes JMH's "ops/s" read as examples/s. JMH
 * generates both benchmarks for each subclass, under its name (MnistMlpStepBenchmark.nerve), with
 * these settings (JMH's annotations are inherited).
 *
 * <p>Each benchmark runs in its own fork and makes only its own side, so only one native library
 * is loaded per JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class StepBenchmark {
  /** Both sides of both benchmarks: SGD with this learning rate and momentum, on this many threads. */
  static final float LR = 0.01f;
  static final float MOMENTUM = 0.9f;
  static final int THREADS = 2;
  /** Seeds the initial weights and the fixed batch. */
  static final long SEED = 42;

  private final Supplier<TrainingStep> nerveSide;
  private final Supplier<TrainingStep> torchSide;
  private TrainingStep step;

  StepBenchmark(Supplier<TrainingStep> nerveSide, Supplier<TrainingStep> torchSide) {
    this.nerveSide = nerveSide;
    this.torchSide = torchSide;
  }

  /** Makes the side that the benchmark about to run times: the one its method is named after. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    step = params.getBenchmark().endsWith(".nerve") ? nerveSide.get() : torchSide.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    step.close();
  }

  @Benchmark
  public float nerve() {
    return step.step();
  }

  @Benchmark
  public float pytorch() {
    return step.step();
  }
}
