package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Factories, views, host transfers and forward values against hand-computed results. */
class TensorTest {
  private final Device cpu = Device.cpu();

  @Test
  void factoriesAndTransfers() {
    try (Scope s = Scope.open()) {
      Tensor t = Tensor.of(cpu, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      assertArrayEquals(new long[] {2, 3}, t.shape());
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toArray());
      assertArrayEquals(new float[] {0, 0}, Tensor.zeros(cpu, 2).toArray());
      assertArrayEquals(new float[] {7, 7, 7}, Tensor.full(cpu, 7, 3).toArray());
      assertArrayEquals(new int[] {3, 1}, Tensor.ofInts(cpu, new int[] {3, 1}).toIntArray());
      assertEquals(21f, t.sum().item());
      Tensor other = t.to(Device.cpu(1));
      assertEquals(Device.cpu(1), other.device());
      assertArrayEquals(t.toArray(), other.toArray());
    }
  }

  @Test
  void randomTensorsAreSeededAndDistributed() {
    try (Scope s = Scope.open()) {
      float[] a = Tensor.rand(cpu, new Generator(7), -1, 1, 10000).toArray();
      float[] b = Tensor.rand(cpu, new Generator(7), -1, 1, 10000).toArray();
      assertArrayEquals(a, b);
      double mean = 0;
      for (float v : a) {
        assertTrue(v >= -1 && v < 1);
        mean += v / a.length;
      }
      assertEquals(0, mean, 0.03);
      float[] n = Tensor.randn(cpu, new Generator(8), 2, 3, 20000).toArray();
      double m = 0;
      double sq = 0;
      for (float v : n) {
        m += v / n.length;
      }
      for (float v : n) sq += (v - m) * (v - m) / n.length;
      assertEquals(2, m, 0.08);
      assertEquals(3, Math.sqrt(sq), 0.08);
    }
  }

  @Test
  void viewsShareDataAndCopyWhenNeeded() {
    try (Scope s = Scope.open()) {
      Tensor t = Tensor.of(cpu, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      Tensor tt = t.t();
      assertFalse(tt.isContiguous());
      assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tt.toArray());
      assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tt.reshape(6).toArray());
      assertArrayEquals(new float[] {2, 3, 5, 6}, t.slice(1, 1, 3).toArray());
      assertArrayEquals(new long[] {3, 2}, t.reshape(-1, 2).shape());
      assertArrayEquals(new long[] {2, 1, 3}, t.unsqueeze(1).shape());
      assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.permute(1, 0).contiguous().toArray());
    }
  }

  @Test
  void mathMatchesHandComputedValues() {
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.of(cpu, new float[] {1, 2, 3, 4}, 2, 2);
      Tensor b = Tensor.of(cpu, new float[] {5, 6, 7, 8}, 2, 2);
      assertArrayEquals(new float[] {19, 22, 43, 50}, a.matmul(b).toArray());
      assertArrayEquals(new float[] {6, 8, 10, 12}, a.add(b).toArray());
      assertArrayEquals(new float[] {11, 22, 13, 24}, a.add(Tensor.of(cpu, new float[] {10, 20}, 2)).toArray());
      assertArrayEquals(new float[] {4, 6}, a.sum(0, false).toArray());
      assertArrayEquals(new float[] {1.5f, 3.5f}, a.mean(1, false).toArray());
      assertArrayEquals(new int[] {1, 1}, a.argmax(1).toIntArray());
      assertArrayEquals(new float[] {2, 4}, a.max(1, false).toArray());
      float[] sm = Tensor.of(cpu, new float[] {0, (float) Math.log(3)}, 1, 2).softmax(-1).toArray();
      assertEquals(0.25f, sm[0], 1e-6);
      assertEquals(0.75f, sm[1], 1e-6);
      // cross-entropy of uniform logits over 4 classes is log 4
      Tensor logits = Tensor.zeros(cpu, 3, 4);
      assertEquals((float) Math.log(4), F.crossEntropy(logits, Tensor.ofInts(cpu, new int[] {0, 1, 3})).item(), 1e-6);
      assertArrayEquals(new float[] {0, 1, 1}, Tensor.of(cpu, new float[] {1, 3, 2}).gt(Tensor.scalar(cpu, 1.5f)).toArray());
      assertArrayEquals(new float[] {1, 0}, Tensor.ofInts(cpu, new int[] {4, 2}).eq(Tensor.ofInts(cpu, new int[] {4, 3})).toArray());
    }
  }

  @Test
  void scopesFreeWhatTheyOwnButKeepKeptTensors() {
    long before = cpu.memoryStats().liveBytes();
    Tensor kept;
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.ones(cpu, 1000);
      kept = a.mul(2f).keep();
      a.add(1f);
    }
    try (Scope s = Scope.open()) {
      assertEquals(2000f, kept.sum().item());
    }
    assertTrue(cpu.memoryStats().liveBytes() > before);
    kept.close();
    assertEquals(before, cpu.memoryStats().liveBytes());
  }
}
