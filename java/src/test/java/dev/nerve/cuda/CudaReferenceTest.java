package dev.nerve.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Info;
import dev.nerve.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nerve's CUDA matmul and softmax against cuBLAS/cuDNN through the JavaCPP presets
 * ({@link CudaReference}). Skipped without a GPU; skipped too (with the reason) where the GPU
 * machine lacks libcublas/libcudnn on LD_LIBRARY_PATH. CudaReference, and with it every
 * org.bytedeco.cuda class, is touched only after the GPU check.
 */
@Tag("gpu")
class CudaReferenceTest {
  private static Device gpu() {
    Assumptions.assumeTrue(Info.cudaAvailable(), "no CUDA GPU here (or this build has no CUDA backend)");
    return Device.cuda(0);
  }

  /** Runs a reference call; a missing cuBLAS/cuDNN skips the test with the library's message. */
  private static void reference(Runnable call) {
    try {
      call.run();
    } catch (UnsupportedOperationException e) {
      System.out.println("CudaReferenceTest: skipped: " + e.getMessage());
      Assumptions.abort(e.getMessage());
    }
  }

  private static float maxAbsDiff(float[] x, float[] y) {
    assertTrue(x.length == y.length, "lengths " + x.length + " and " + y.length);
    float m = 0;
    for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
    return m;
  }

  @Test
  void gemmMatchesNerveMatmul() {
    Device d = gpu();
    Generator gen = new Generator(7);
    int[][] shapes = {{129, 65, 33}, {1, 1, 1}, {257, 3, 511}, {64, 128, 96}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      try (Tensor a = Tensor.randn(d, gen, 0f, 1f, m, k);
          Tensor b = Tensor.randn(d, gen, 0f, 1f, k, n);
          Tensor c = Tensor.zeros(d, m, n);
          Tensor nerve = F.matmul(a, b)) {
        reference(() -> CudaReference.gemm(a, b, c));
        d.synchronize();
        float err = maxAbsDiff(nerve.toArray(), c.toArray());
        System.out.printf("CudaReferenceTest gemm %dx%dx%d: max |nerve - cuBLAS| = %.3g%n", m, k, n, err);
        assertTrue(err <= 1e-4f * Math.max(1, k), "gemm " + m + "x" + k + "x" + n + " max error " + err);
      }
    }
  }

  @Test
  void softmaxMatchesNerveSoftmax() {
    Device d = gpu();
    Generator gen = new Generator(11);
    int[][] shapes = {{37, 1000}, {1, 1}, {129, 65}, {3, 4099}};
    for (int[] s : shapes) {
      int rows = s[0], cols = s[1];
      try (Tensor x = Tensor.randn(d, gen, 0f, 3f, rows, cols);
          Tensor y = Tensor.zeros(d, rows, cols);
          Tensor nerve = F.softmax(x, 1)) {
        reference(() -> CudaReference.softmax(x, y));
        d.synchronize();
        float err = maxAbsDiff(nerve.toArray(), y.toArray());
        System.out.printf("CudaReferenceTest softmax %dx%d: max |nerve - cuDNN| = %.3g%n", rows, cols, err);
        assertTrue(err <= 1e-5f, "softmax " + rows + "x" + cols + " max error " + err);
      }
    }
  }
}
