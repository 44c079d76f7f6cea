package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Device pointers out, foreign memory in: what interop with cuBLAS/cuDNN/one's own kernels uses. */
class InteropTest {
  @Test
  void foreignMemoryIsUsedInPlaceAndReleasedOnce() {
    Device cpu = Device.cpu();
    try (Scope s = Scope.open()) {
      Tensor owner = Tensor.of(cpu, new float[] {1, 2, 3, 4, 5, 6}, 6);
      AtomicInteger released = new AtomicInteger();
      // A view of someone else's buffer (here another tensor's), as a 2 x 2 matrix from element 2.
      Tensor wrapped = Tensor.wrap(cpu, owner.dataAddress() + 2 * 4, DType.F32, released::incrementAndGet, 2, 2);
      assertArrayEquals(new float[] {3, 4, 5, 6}, wrapped.toArray());
      wrapped.fill(0f);
      assertArrayEquals(new float[] {1, 2, 0, 0, 0, 0}, owner.toArray());
      Tensor view = wrapped.t();
      wrapped.close();
      assertEquals(0, released.get(), "a view still uses the memory");
      view.close();
      assertEquals(1, released.get());
      assertEquals(owner.dataAddress() + 8, owner.slice(0, 2, 4).dataAddress());
    }
    assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(cpu, 0, DType.F32, null, 4));
    assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(cpu, 3, DType.F32, null, 4));
  }

  @Test
  void streamsAndTf32() {
    assertEquals(0, Device.cpu().streamHandle());
    Device.cpu().allowTf32(true).allowTf32(false);
    if (Info.cudaSimAvailable()) {
      Device sim = Device.cudaSim();
      assertNotEquals(0, sim.streamHandle());
      try (Scope s = Scope.open()) {
        Generator gen = new Generator(2);
        Tensor a = Tensor.rand(sim, gen, -1, 1, 32, 16);
        Tensor b = Tensor.rand(sim, gen, -1, 1, 16, 24);
        float[] exact = a.matmul(b).toArray();
        sim.allowTf32(true);
        float[] tf32 = a.matmul(b).toArray();
        sim.allowTf32(false);
        double worst = 0;
        for (int i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(exact[i] - tf32[i]));
        System.out.printf("cuda-sim TF32 vs FP32 GEMM 32x24x16: max |diff| = %.2e%n", worst);
        // TF32 keeps 10 mantissa bits: errors of order 1e-3 on sums of 16 products of [-1, 1].
        org.junit.jupiter.api.Assertions.assertTrue(worst > 0 && worst < 2e-2, "worst " + worst);
      }
    }
  }
}
