package dev.nerve.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.HuberLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** clipGradNorm and the Huber loss against hand-computed values. */
class ClippingTest {
  static final Device CPU = Device.cpu();

  @Test
  void clipGradNormScalesToTheMaxNorm() {
    try (Tensor a = Tensor.of(CPU, new float[] {3, 0}, 2).keep().requiresGrad(true);
        Tensor b = Tensor.of(CPU, new float[] {4}, 1).keep().requiresGrad(true)) {
      try (Scope s = Scope.open()) {
        a.mul(a).sum().add(b.mul(b).sum()).mul(0.5f).backward(); // grads = values: norm 5
      }
      float total = Clipping.clipGradNorm(List.of(a, b), 1f);
      assertEquals(5f, total, 1e-6f);
      assertArrayEquals(new float[] {0.6f, 0f}, a.grad().toArray(), 1e-5f);
      assertArrayEquals(new float[] {0.8f}, b.grad().toArray(), 1e-5f);
      assertEquals(1f, Clipping.clipGradNorm(List.of(a, b), 2f), 1e-5f); // under the limit: unchanged
      assertArrayEquals(new float[] {0.8f}, b.grad().toArray(), 1e-5f);
    }
  }

  @Test
  void aNanNormMakesEveryGradientNanAsPyTorch() {
    try (Tensor a = Tensor.of(CPU, new float[] {Float.NaN, 1}, 2).keep().requiresGrad(true);
        Tensor b = Tensor.of(CPU, new float[] {4}, 1).keep().requiresGrad(true)) {
      try (Scope s = Scope.open()) {
        a.mul(a).sum().add(b.mul(b).sum()).mul(0.5f).backward(); // grads = values
      }
      assertTrue(Float.isNaN(Clipping.clipGradNorm(List.of(a, b), 1f)));
      for (float g : a.grad().toArray()) assertTrue(Float.isNaN(g), "a.grad " + g);
      assertTrue(Float.isNaN(b.grad().toArray()[0]), "b.grad stays finite: a step would go ahead on it");
    }
  }

  @Test
  void huberIsQuadraticNearZeroAndLinearBeyondDelta() {
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.of(CPU, new float[] {0.5f, -3f, 2f}, 3).requiresGrad(true);
      Tensor t = Tensor.of(CPU, new float[] {0f, 0f, 0f}, 3);
      Tensor loss = HuberLoss.huber(x, t, 1f);
      // 0.5 * 0.25 = 0.125; 1 * (3 - 0.5) = 2.5; 1 * (2 - 0.5) = 1.5; mean = 4.125 / 3
      assertEquals(4.125f / 3, loss.item(), 1e-6f);
      loss.backward();
      assertArrayEquals(new float[] {0.5f / 3, -1f / 3, 1f / 3}, x.grad().toArray(), 1e-6f);
    }
  }
}
