package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.BatchNorm2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Linear;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.ResidualBlock;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.AdamW;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.RMSprop;
import dev.nerve.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Autograd after in-place changes, as PyTorch: a tensor that a recorded op saved for its backward
 * and that was written in place since (by the user, an optimizer, a layer's running statistics)
 * makes backward() throw, naming the op and the tensor; a tensor the op did not save may change
 * freely. A graph goes through backward() once unless the first call retains it.
 */
class InPlaceAutogradTest {
  private final Device cpu = Device.cpu();

  private static Tensor leaf(Device d, float... v) {
    return Tensor.of(d, v, v.length).requiresGrad(true);
  }

  /** The message PyTorch gives, with our op and tensor names in it. */
  private static void assertModified(IllegalStateException e, String op) {
    String m = e.getMessage();
    assertTrue(m.contains("modified by an in-place operation"), m);
    assertTrue(m.contains("'" + op + "'"), m);
    assertTrue(m.contains("version"), m);
  }

  @Test
  void fillAfterUseIsAnErrorNotAWrongGradient() {
    try (Scope s = Scope.open()) {
      Tensor x = leaf(cpu, 1f);
      Tensor y = x.mul(x);
      x.fill(5f);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
      assertModified(e, "mul");
      assertTrue(e.getMessage().contains("is at version 1; expected version 0"), e.getMessage());
      assertNull(x.grad(), "nothing accumulates when backward refuses");
    }
  }

  @Test
  void everyInPlaceWriteOfTheTensorOrAViewIsSeen() {
    Generator gen = new Generator(1);
    List<Function<Tensor, Object>> writes = List.of(
        t -> t.fill(2f),
        t -> t.fillUniform(gen, 0, 1),
        t -> t.fillNormal(gen, 0, 1),
        t -> t.copyFrom(new float[] {7f, 8f}),
        t -> t.copyFrom(Tensor.of(cpu, new float[] {7f, 8f}, 2)),
        t -> t.detach().fill(3f),
        t -> t.detach().slice(0, 1, 2).fill(3f));
    for (int i = 0; i < writes.size(); i++) {
      try (Scope s = Scope.open()) {
        Tensor x = leaf(cpu, 1f, 2f);
        Tensor w = Tensor.of(cpu, new float[] {3f, 4f}, 2);
        Tensor y = x.mul(w);
        writes.get(i).apply(w);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward(), "write " + i);
        assertModified(e, "mul");
      }
    }
  }

  @Test
  void copyFromIntoAWeightAfterMatmul() {
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.of(cpu, new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
      Tensor w = Tensor.of(cpu, new float[] {1, 0, 0, 1}, 2, 2).requiresGrad(true);
      Tensor y = x.matmul(w);
      w.copyFrom(new float[] {5, 6, 7, 8});
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
      assertModified(e, "matmul");
      assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
    }
  }

  @Test
  void opsThatDoNotSaveTheChangedTensorStayCorrect() {
    try (Scope s = Scope.open()) {
      // add saves nothing: any input may change.
      Tensor a = leaf(cpu, 1f, 2f);
      Tensor b = leaf(cpu, 3f, 4f);
      Tensor y = a.add(b);
      a.fill(9f);
      b.fill(9f);
      y.sum().backward();
      assertArrayEquals(new float[] {1f, 1f}, a.grad().toArray());
      assertArrayEquals(new float[] {1f, 1f}, b.grad().toArray());
      // exp saves its output, not its input: the gradient is exp of the value it was computed at.
      Tensor x = leaf(cpu, 0f, 1f);
      Tensor e = x.exp();
      x.fill(5f);
      e.sum().backward();
      assertArrayEquals(new float[] {1f, (float) Math.E}, x.grad().toArray(), 1e-5f);
      // mul by a constant that does not require grad saves only the constant (for x's gradient).
      Tensor z = leaf(cpu, 1f, 2f);
      Tensor c = Tensor.of(cpu, new float[] {3f, 4f}, 2);
      Tensor zc = z.mul(c);
      z.fill(0f);
      zc.sum().backward();
      assertArrayEquals(new float[] {3f, 4f}, z.grad().toArray());
    }
  }

  @Test
  void theOutputSavedByExpIsChecked() {
    try (Scope s = Scope.open()) {
      Tensor x = leaf(cpu, 0f, 1f);
      Tensor e = x.exp();
      e.detach().fill(0f);
      assertModified(assertThrows(IllegalStateException.class, () -> e.sum().backward()), "exp");
    }
  }

  @Test
  void everyOptimizerStepBetweenForwardAndBackwardIsAnError() {
    List<Function<List<Tensor>, Optimizer>> makers = List.of(
        p -> new SGD(p, 0.1f), p -> new SGD(p, 0.1f, 0.9f), p -> new RMSprop(p, 0.01f), p -> new Adam(p, 0.01f),
        p -> new AdamW(p, 0.01f));
    for (Function<List<Tensor>, Optimizer> make : makers) {
      Generator gen = new Generator(5);
      // Two layers: the second one's weight is saved for the gradient of the first one's output.
      try (Sequential model = new Sequential(new Linear(3, 4, true, cpu, gen), new Linear(4, 2, true, cpu, gen));
          Scope s = Scope.open()) {
        Optimizer opt = make.apply(model.parameters());
        Tensor x = Tensor.randn(cpu, gen, 0, 1, 4, 3);
        model.forward(x).sum().backward();
        Tensor loss = model.forward(x).sum();
        opt.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward, opt.getClass().getName());
        assertModified(e, "linear");
        assertTrue(e.getMessage().contains("weight [2, 4]"), e.getMessage());
        opt.close();
      }
    }
  }

  @Test
  void aStepAfterBackwardIsTheNormalLoop() {
    // Convolutions, batch norm (whose running statistics move at every forward), residual
    // blocks, pooling, dropout, an LSTM and a shared layer used twice: no false alarm.
    Generator gen = new Generator(6);
    Device d = cpu;
    try (Sequential cnn = new Sequential(new Conv2d(1, 4, 3, 1, 1, 1, 1, true, d, gen), new BatchNorm2d(4, 1e-5f, 0.1f, d),
            new ResidualBlock(4, 4, 1, d, gen), new MaxPool2d(2), new Dropout(0.2f, gen), new Flatten(1));
        Linear head = new Linear(4 * 4 * 4, 8, true, d, gen);
        LSTM lstm = new LSTM(8, 5, 2, false, d, gen);
        Scope s = Scope.open()) {
      java.util.List<Tensor> params = new java.util.ArrayList<>(cnn.parameters());
      params.addAll(head.parameters());
      params.addAll(lstm.parameters());
      Optimizer opt = new Adam(params, 0.01f);
      Tensor x = Tensor.randn(d, gen, 0, 1, 6, 1, 8, 8);
      for (int i = 0; i < 3; i++) {
        opt.zeroGrad();
        Tensor features = head.forward(cnn.forward(x)).relu();
        Tensor twice = head.forward(cnn.forward(x.mul(0.5f)));
        Tensor seq = features.add(twice).reshape(2, 3, 8);
        lstm.forward(seq, null).output().square().mean().backward();
        opt.step();
      }
      opt.close();
    }
  }

  @Test
  void batchNormRunningStatisticsCountAsInPlaceWrites() {
    try (BatchNorm2d bn = new BatchNorm2d(2, 1e-5f, 0.1f, cpu); Scope s = Scope.open()) {
      Tensor x = leaf(cpu, 1f, 2f);
      Tensor y = x.mul(bn.runningMean());
      bn.forward(Tensor.randn(cpu, new Generator(2), 0, 1, 4, 2));
      assertModified(assertThrows(IllegalStateException.class, () -> y.sum().backward()), "mul");
    }
  }

  @Test
  void aSavedTensorClosedBeforeBackwardIsAnErrorNotAReadOfFreedMemory() {
    try (Scope s = Scope.open()) {
      // conv2d saves its input for the weight's gradient; the input needs no gradient itself.
      Tensor x = Tensor.ones(cpu, 1, 1, 4, 4);
      Tensor w = Tensor.ones(cpu, 1, 1, 3, 3).requiresGrad(true);
      Tensor y = F.conv2d(x, w, null, 1, 0);
      x.close();
      Tensor reuse = Tensor.full(cpu, 9f, 1, 1, 4, 4);  // may take the freed block of x
      IllegalStateException err = assertThrows(IllegalStateException.class, () -> y.sum().backward(),
          () -> "gradient computed from freed memory: " + java.util.Arrays.toString(w.grad().toArray()));
      assertTrue(err.getMessage().contains("'conv2d'") && err.getMessage().contains("was closed"), err.getMessage());
      reuse.close();
    }
  }

  @Test
  void anOpsPrivateBufferFreedByItsScopeIsAnError() {
    Tensor w = Tensor.of(cpu, new float[] {1, 2, 3, 4, 5, 6}, 2, 3).keep().requiresGrad(true);
    Tensor labels = Tensor.ofInts(cpu, new int[] {0, 2}).keep();
    Tensor loss;
    try (Scope s = Scope.open()) {
      loss = F.crossEntropy(w, labels).keep();  // its gradient buffer stays in the scope
    }
    Tensor reuse = Tensor.full(cpu, 9f, 2, 3);  // may take the freed buffer's block
    IllegalStateException err = assertThrows(IllegalStateException.class, loss::backward,
        () -> "gradient read from freed memory: " + java.util.Arrays.toString(w.grad().toArray()));
    assertTrue(err.getMessage().contains("'crossEntropy'") && err.getMessage().contains("was closed"), err.getMessage());
    for (Tensor t : List.of(w, labels, loss, reuse)) t.close();
  }

  @Test
  void aSecondBackwardThroughAFreedGraphIsAnError() {
    try (Scope s = Scope.open()) {
      Tensor x = leaf(cpu, 1f, 2f);
      Tensor loss = x.mul(x).sum();
      loss.backward();
      IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
      assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
      assertArrayEquals(new float[] {2f, 4f}, x.grad().toArray(), "the refused call accumulated nothing");
    }
  }

  @Test
  void aRetainedGraphGoesThroughBackwardTwice() {
    try (Scope s = Scope.open()) {
      Tensor x = leaf(cpu, 1f, 2f);
      Tensor loss = x.mul(x).sum();
      loss.backward(null, true);
      loss.backward(null, true);
      assertArrayEquals(new float[] {4f, 8f}, x.grad().toArray());
      loss.backward();
      assertArrayEquals(new float[] {6f, 8f + 4f}, x.grad().toArray());
      assertThrows(IllegalStateException.class, loss::backward);
    }
  }

  @Test
  void aSharedSubgraphIsFreedByTheFirstBackward() {
    try (Scope s = Scope.open()) {
      Tensor x = leaf(cpu, 3f);
      Tensor y = x.mul(x);
      y.sum().backward();
      assertThrows(IllegalStateException.class, () -> y.mul(2f).sum().backward());
      assertEquals(6f, x.grad().item());
    }
  }
}
