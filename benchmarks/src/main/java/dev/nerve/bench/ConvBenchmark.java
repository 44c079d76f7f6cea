package dev.nerve.bench;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * conv2d beside PyTorch 2.10 (2 threads each): N=32, C=64, H=W=56, K=64, 3x3, stride 1, pad 1,
 * 7.40 GFLOP per pass. Three measurements per side, all through autograd so both sides do the
 * same work: the forward pass; forward + backward for the input gradient (backward-data);
 * forward + backward for the weight gradient (backward-filter). The backward passes' own cost is
 * the difference to the forward's time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ConvBenchmark {
  static final int THREADS = 2;
  static final int N = 32, C = 64, H = 56, W = 56, K = 64;

  @Param({"forward", "backwardData", "backwardFilter"})
  String pass;

  Tensor x;
  Tensor w;
  org.bytedeco.pytorch.Tensor tx;
  org.bytedeco.pytorch.Tensor tw;

  @Setup(Level.Trial)
  public void setUp() {
    Device cpu = Device.cpu(THREADS);
    Generator gen = new Generator(5);
    x = Tensor.rand(cpu, gen, -1, 1, N, C, H, W).keep();
    w = Tensor.rand(cpu, gen, -0.05f, 0.05f, K, C, 3, 3).keep();
    x.requiresGrad(pass.equals("backwardData"));
    w.requiresGrad(pass.equals("backwardFilter"));
    torch.set_num_threads(THREADS);
    tx = TorchTensors.fromFloats(x.toArray(), N, C, H, W);
    tw = TorchTensors.fromFloats(w.toArray(), K, C, 3, 3);
    tx.set_requires_grad(pass.equals("backwardData"));
    tw.set_requires_grad(pass.equals("backwardFilter"));
  }

  @Benchmark
  public float nerve() {
    try (Scope s = Scope.open()) {
      Tensor y = F.conv2d(x, w, null, 1, 1);
      if (pass.equals("forward")) return y.numel();
      y.sum().backward();
      Tensor g = pass.equals("backwardData") ? x.grad() : w.grad();
      return g.numel();
    }
  }

  @Benchmark
  public long pytorch() {
    try (PointerScope scope = new PointerScope()) {
      org.bytedeco.pytorch.Tensor y = torch.conv2d(tx, tw, new TensorOptional(), new long[] {1, 1}, new long[] {1, 1},
          new long[] {1, 1}, 1);
      if (pass.equals("forward")) return y.numel();
      y.sum().backward();
      org.bytedeco.pytorch.Tensor g = pass.equals("backwardData") ? tx.grad() : tw.grad();
      return g.numel();
    }
  }
}
