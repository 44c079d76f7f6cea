package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * PyTorch's answers in the corners: 0-D tensors across devices, zero-size operands (an empty
 * batch, a zero inner dimension), and how max(dim), maximum and minimum share the gradient
 * between tied values.
 */
class SmallSemanticsTest {
  private final Device cpu = Device.cpu();
  private final Device other = Device.cpu(1);

  @Test
  void zeroDimensionalTensorsStayZeroDimensionalOnAnotherDevice() {
    try (Scope s = Scope.open()) {
      Tensor f = Tensor.of(cpu, new float[] {1, 5, 2}).sum();
      Tensor i = Tensor.of(cpu, new float[] {1, 5, 2}).argmax(0);
      assertEquals(0, f.dim());
      assertEquals(0, i.dim());
      Tensor fm = f.to(other);
      Tensor im = i.to(other);
      assertArrayEquals(new long[0], fm.shape());
      assertArrayEquals(new long[0], im.shape());
      assertEquals(8f, fm.item());
      assertEquals(1f, im.item());
    }
  }

  @Test
  void matmulWithAZeroInnerDimensionGivesZeros() {
    try (Scope s = Scope.open()) {
      Tensor y = Tensor.zeros(cpu, 2, 3, 0).matmul(Tensor.zeros(cpu, 0, 4));
      assertArrayEquals(new long[] {2, 3, 4}, y.shape());
      assertArrayEquals(new float[24], y.toArray());
      Tensor y2 = Tensor.zeros(cpu, 2, 0).matmul(Tensor.zeros(cpu, 0, 3));
      assertArrayEquals(new long[] {2, 3}, y2.shape());
      assertArrayEquals(new float[6], y2.toArray());
      Tensor y3 = Tensor.zeros(cpu, 2, 3, 0).matmul(Tensor.zeros(cpu, 2, 0, 4));
      assertArrayEquals(new long[] {2, 3, 4}, y3.shape());
      assertArrayEquals(new float[24], y3.toArray());
    }
  }

  @Test
  void matmulWithAnEmptyOuterDimensionGivesAnEmptyResultAndGradient() {
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.zeros(cpu, 0, 3).requiresGrad(true);
      Tensor b = Tensor.ones(cpu, 3, 4).requiresGrad(true);
      Tensor y = a.matmul(b);
      assertArrayEquals(new long[] {0, 4}, y.shape());
      y.sum().backward();
      assertArrayEquals(new long[] {0, 3}, a.grad().shape());
      assertArrayEquals(new float[12], b.grad().toArray());
      assertArrayEquals(new long[] {3, 0}, Tensor.ones(cpu, 3, 4).matmul(Tensor.ones(cpu, 4, 0)).shape());
      assertArrayEquals(new long[] {5, 0, 4}, Tensor.ones(cpu, 5, 0, 3).matmul(b).shape());
    }
  }

  @Test
  void linearOnAnEmptyBatchOrWithNoInputFeatures() {
    try (Scope s = Scope.open()) {
      Tensor w = Tensor.ones(cpu, 2, 3);
      Tensor bias = Tensor.of(cpu, new float[] {1, 2}, 2);
      assertArrayEquals(new long[] {0, 2}, F.linear(Tensor.zeros(cpu, 0, 3), w, bias).shape());
      Tensor y = F.linear(Tensor.zeros(cpu, 4, 0), Tensor.zeros(cpu, 2, 0), bias);
      assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 1, 2}, y.toArray());
    }
  }

  @Test
  void flattenAndReshapeOfEmptyTensors() {
    try (Scope s = Scope.open()) {
      assertArrayEquals(new long[] {0, 3}, Tensor.zeros(cpu, 0, 3).flatten(1).shape());
      assertArrayEquals(new long[] {0}, Tensor.zeros(cpu, 0, 3).flatten(0).shape());
      assertArrayEquals(new long[] {2, 0}, Tensor.zeros(cpu, 2, 0, 3).flatten(1).shape());
      assertArrayEquals(new long[] {0, 3}, Tensor.zeros(cpu, 3, 0).reshape(-1, 3).shape());
      // PyTorch refuses this one too: -1 could be any size.
      assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(cpu, 0, 3).reshape(0, -1));
    }
  }

  @Test
  void reductionsOverNothing() {
    try (Scope s = Scope.open()) {
      assertEquals(0f, Tensor.zeros(cpu, 0, 3).sum().item());
      assertTrue(Float.isNaN(Tensor.zeros(cpu, 0).mean().item()));
      assertArrayEquals(new float[] {0, 0}, Tensor.zeros(cpu, 2, 0).sum(1, false).toArray());
      assertArrayEquals(new long[] {0}, Tensor.zeros(cpu, 0, 3).sum(1, false).shape());
      assertArrayEquals(new long[] {0, 3}, Tensor.zeros(cpu, 0, 3).softmax(1).shape());
      assertArrayEquals(new long[] {0, 3}, Tensor.zeros(cpu, 0, 3).exp().shape());
      // max over an empty dimension has no identity: PyTorch refuses it.
      assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(cpu, 2, 0).max(1, false));
    }
  }

  @Test
  void anEmptyBatchFlowsThroughTheLayersAndBack() {
    try (Scope s = Scope.open()) {
      Generator gen = new Generator(3);
      Tensor x = Tensor.zeros(cpu, 0, 2, 5, 5).requiresGrad(true);
      Tensor w = Tensor.randn(cpu, gen, 0, 1, 3, 2, 3, 3).requiresGrad(true);
      Tensor y = F.conv2d(x, w, null, 1, 0);
      assertArrayEquals(new long[] {0, 3, 3, 3}, y.shape());
      Tensor p = F.maxPool2d(y, 2, 1, 0, false);
      assertArrayEquals(new long[] {0, 3, 2, 2}, p.shape());
      Tensor a = F.avgPool2d(p, 2);
      assertArrayEquals(new long[] {0, 3, 1, 1}, a.shape());
      Tensor d = F.dropout(a, 0.5f, true, gen);
      Tensor logits = d.flatten(1);
      assertArrayEquals(new long[] {0, 3}, logits.shape());
      Tensor loss = F.crossEntropy(logits, Tensor.ofInts(cpu, new int[0], 0));
      assertTrue(Float.isNaN(loss.item()), "the mean over no examples, as PyTorch");
      loss.backward();
      assertArrayEquals(new long[] {0, 2, 5, 5}, x.grad().shape());
      assertArrayEquals(new float[54], w.grad().toArray());
      Tensor e = F.embedding(Tensor.ofInts(cpu, new int[0], 0), Tensor.ones(cpu, 4, 3));
      assertArrayEquals(new long[] {0, 3}, e.shape());
      Tensor bn = F.batchNorm(Tensor.zeros(cpu, 0, 2, 3, 3), Tensor.zeros(cpu, 2), Tensor.ones(cpu, 2), null, null, false,
          0.1f, 1e-5f);
      assertArrayEquals(new long[] {0, 2, 3, 3}, bn.shape());
    }
  }

  @Test
  void maxAlongADimensionGivesTheGradientToOneTiedPosition() {
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.of(cpu, new float[] {1, 3, 3, 2, 2, 2, 5, 4, 5}, 3, 3).requiresGrad(true);
      x.max(1, false).sum().backward();
      assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 1, 0, 0}, x.grad().toArray());
      Tensor z = Tensor.of(cpu, new float[] {7, 7, 1, 7}, 2, 2).requiresGrad(true);
      z.max(0, true).sum().backward();
      assertArrayEquals(new float[] {1, 1, 0, 0}, z.grad().toArray());
    }
  }

  @Test
  void maximumAndMinimumSplitTheGradientOfATie() {
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.of(cpu, new float[] {1, 2, 3}, 3).requiresGrad(true);
      Tensor b = Tensor.of(cpu, new float[] {1, 3, 2}, 3).requiresGrad(true);
      a.maximum(b).sum().backward();
      assertArrayEquals(new float[] {0.5f, 0, 1}, a.grad().toArray());
      assertArrayEquals(new float[] {0.5f, 1, 0}, b.grad().toArray());
      a.clearGrad();
      b.clearGrad();
      a.minimum(b).sum().backward();
      assertArrayEquals(new float[] {0.5f, 1, 0}, a.grad().toArray());
      assertArrayEquals(new float[] {0.5f, 0, 1}, b.grad().toArray());
      // Broadcast: a scalar tied with two of three elements.
      Tensor c = Tensor.of(cpu, new float[] {2}, 1).requiresGrad(true);
      Tensor d = Tensor.of(cpu, new float[] {2, 2, 1}, 3).requiresGrad(true);
      c.maximum(d).sum().backward();
      assertArrayEquals(new float[] {2f}, c.grad().toArray());
      assertArrayEquals(new float[] {0.5f, 0.5f, 0}, d.grad().toArray());
    }
  }

  @Test
  void maxAndMaximumGradientsMatchFiniteDifferencesAwayFromTies() {
    Generator gen = new Generator(12);
    Tensor x = Tensor.randn(cpu, gen, 0, 1, 4, 5).keep().requiresGrad(true);
    Tensor y = Tensor.randn(cpu, gen, 0, 1, 4, 5).keep().requiresGrad(true);
    GradCheck.check("max(dim 1)", in -> in[0].max(1, false), x);
    GradCheck.check("max(dim 0, keep)", in -> in[0].max(0, true), x);
    GradCheck.check("maximum", in -> in[0].maximum(in[1]), x, y);
    GradCheck.check("minimum", in -> in[0].minimum(in[1]), x, y);
    x.close();
    y.close();
  }
}
