package dev.nerve.bench;

import static org.bytedeco.pytorch.global.torch.cross_entropy;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.LstmState;
import dev.nerve.RecurrentOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LSTMCellImpl;
import org.bytedeco.pytorch.LSTMImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 6's LSTM figures, Nerve beside PyTorch 2.10 (2 threads each, one side per fork):
 * {@code trainStep*}: one training step of a 1-layer LSTM (input 128, hidden 256, sequence 64,
 * batch 32) with a linear layer to 65 classes at every step, cross-entropy, full BPTT and Adam;
 * the score is steps/s, times 64 x 32 = 2048 tokens/s. {@code cell*}: one LSTMCell step (input
 * 128, hidden 256: both GEMMs and the gates) forward and backward at batch 32 and 4, steps/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class LstmBenchmark {
  static final int IN = 128, HIDDEN = 256, SEQ = 64, BATCH = 32, CLASSES = 65, THREADS = 2;

  /** n numbers uniform in [-1, 1) from seed. */
  static float[] data(int n, long seed) {
    return BenchData.uniform(n, seed, -1, 1);
  }

  static int[] labels(int n) {
    return BenchData.labels(n, CLASSES, 3);
  }

  @State(Scope.Thread)
  public static class NerveStep {
    dev.nerve.nn.LSTM lstm;
    dev.nerve.nn.Linear head;
    dev.nerve.optim.Adam adam;
    dev.nerve.Tensor x;
    dev.nerve.Tensor y;

    @Setup(Level.Trial)
    public void setUp() {
      Device d = Device.cpu(THREADS);
      Generator g = new Generator(1);
      lstm = new dev.nerve.nn.LSTM(IN, HIDDEN, 1, false, d, g);
      head = new dev.nerve.nn.Linear(HIDDEN, CLASSES, true, d, g);
      List<dev.nerve.Tensor> ps = new ArrayList<>(lstm.parameters());
      ps.addAll(head.parameters());
      adam = new dev.nerve.optim.Adam(ps, 1e-3f);
      x = dev.nerve.Tensor.of(d, data(SEQ * BATCH * IN, 2), SEQ, BATCH, IN).keep();
      y = dev.nerve.Tensor.ofInts(d, labels(SEQ * BATCH), SEQ * BATCH).keep();
    }

    float step() {
      try (dev.nerve.Scope s = dev.nerve.Scope.open()) {
        RecurrentOutput o = lstm.forward(x, null);
        dev.nerve.Tensor loss = F.crossEntropy(head.forward(o.output()).reshape(-1, CLASSES), y);
        adam.zeroGrad();
        loss.backward();
        adam.step();
        return loss.item();
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      lstm.close();
      head.close();
    }
  }

  @State(Scope.Thread)
  public static class TorchStep {
    LSTMImpl lstm;
    LinearImpl head;
    org.bytedeco.pytorch.Adam adam;
    org.bytedeco.pytorch.Tensor x;
    org.bytedeco.pytorch.Tensor y;

    @Setup(Level.Trial)
    public void setUp() {
      torch.set_num_threads(THREADS);
      torch.manual_seed(1);
      lstm = new LSTMImpl(IN, HIDDEN);
      head = new LinearImpl(HIDDEN, CLASSES);
      adam = new org.bytedeco.pytorch.Adam(TorchTensors.parameters(lstm, head), new AdamOptions(1e-3));
      x = TorchTensors.fromFloats(data(SEQ * BATCH * IN, 2), SEQ, BATCH, IN);
      y = TorchTensors.fromInts(labels(SEQ * BATCH));
    }

    float step() {
      try (PointerScope scope = new PointerScope()) {
        adam.zero_grad();
        org.bytedeco.pytorch.Tensor out = lstm.forward(x).get0();
        org.bytedeco.pytorch.Tensor logits = head.forward(out).reshape(-1, CLASSES);
        org.bytedeco.pytorch.Tensor loss = cross_entropy(logits, y);
        loss.backward();
        adam.step();
        return loss.item_float();
      }
    }
  }

  @State(Scope.Thread)
  public static class NerveCell {
    @Param({"32", "4"})
    int batch;
    dev.nerve.nn.LSTMCell cell;
    LstmState state;
    dev.nerve.Tensor x;

    @Setup(Level.Trial)
    public void setUp() {
      Device d = Device.cpu(THREADS);
      cell = new dev.nerve.nn.LSTMCell(IN, HIDDEN, d, new Generator(1));
      x = dev.nerve.Tensor.of(d, data(batch * IN, 4), batch, IN).keep();
      state = new LstmState(dev.nerve.Tensor.of(d, data(batch * HIDDEN, 5), batch, HIDDEN).keep(),
          dev.nerve.Tensor.of(d, data(batch * HIDDEN, 6), batch, HIDDEN).keep());
    }

    float step() {
      try (dev.nerve.Scope s = dev.nerve.Scope.open()) {
        LstmState o = cell.forward(x, state);
        o.h().sum().add(o.c().sum()).backward();
        return 0f;
      }
    }
  }

  @State(Scope.Thread)
  public static class TorchCell {
    @Param({"32", "4"})
    int batch;
    LSTMCellImpl cell;
    org.bytedeco.pytorch.Tensor x;
    org.bytedeco.pytorch.Tensor h;
    org.bytedeco.pytorch.Tensor c;

    @Setup(Level.Trial)
    public void setUp() {
      torch.set_num_threads(THREADS);
      cell = new LSTMCellImpl(IN, HIDDEN);
      x = TorchTensors.fromFloats(data(batch * IN, 4), batch, IN);
      h = TorchTensors.fromFloats(data(batch * HIDDEN, 5), batch, HIDDEN);
      c = TorchTensors.fromFloats(data(batch * HIDDEN, 6), batch, HIDDEN);
    }

    float step() {
      try (PointerScope scope = new PointerScope()) {
        T_TensorTensor_T o = cell.forward(x, new T_TensorTensor_T(h, c));
        o.get0().sum().add(o.get1().sum()).backward();
        return 0f;
      }
    }
  }

  @Benchmark
  public float trainStepNerve(NerveStep s) {
    return s.step();
  }

  @Benchmark
  public float trainStepPytorch(TorchStep s) {
    return s.step();
  }

  @Benchmark
  public float cellNerve(NerveCell s) {
    return s.step();
  }

  @Benchmark
  public float cellPytorch(TorchCell s) {
    return s.step();
  }
}
