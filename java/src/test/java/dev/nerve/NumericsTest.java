package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public reductions and softmax family on NaN, infinities and huge values, on the CPU and on
 * cuda-sim (the CUDA kernels): every device must give PyTorch's answer. max is NaN when a NaN is
 * present and argmax points at the first NaN; a NaN or +inf in a softmax row, or a row of -inf
 * only, makes the whole row NaN; huge logits lose no precision (log_softmax([1e7, 1e7]) is -log 2).
 * The native tests (native/tests/test_*_special.cpp) check the same rules for every CPU ISA.
 */
class NumericsTest {
  private static final float NAN = Float.NaN;
  private static final float INF = Float.POSITIVE_INFINITY;
  private static final float LOG2 = (float) Math.log(2);

  static Stream<String> devices() {
    return Stream.of("cpu", "cuda-sim");
  }

  private static Device device(String name) {
    if (name.equals("cuda-sim")) Assumptions.assumeTrue(Info.cudaSimAvailable(), "no cuda-sim in this build");
    return Device.parse(name);
  }

  /** Equal, NaN matching NaN, within 1e-6 relative otherwise. */
  private static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      if (Float.isNaN(want[i]) || Float.isInfinite(want[i])) {
        assertEquals(want[i], got[i], what + ": element " + i);
      } else {
        assertEquals(want[i], got[i], 1e-6f + 1e-6f * Math.abs(want[i]), what + ": element " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("devices")
  void maxAndArgmaxPropagateNaN(String name) {
    Device d = device(name);
    try (Scope s = Scope.open()) {
      // The row [1, NaN, 3, -2] beside a row without NaN; the same as columns (dim 0).
      Tensor x = Tensor.of(d, new float[] {1, NAN, 3, -2, 1, 2, 3, -2}, 2, 4);
      assertClose(new float[] {NAN, 3}, x.max(1, false).toArray(), name + " max(dim 1)");
      assertArrayEquals(new int[] {1, 2}, x.argmax(1).toIntArray(), name + " argmax(dim 1)");
      Tensor xt = Tensor.of(d, new float[] {1, 1, NAN, 2, 3, 3, -2, -2}, 4, 2);
      assertClose(new float[] {NAN, 3}, xt.max(0, false).toArray(), name + " max(dim 0)");
      assertArrayEquals(new int[] {1, 2}, xt.argmax(0).toIntArray(), name + " argmax(dim 0)");
      // A NaN in the tail of a row longer than any vector, and the first of two NaNs.
      float[] row = new float[37];
      for (int i = 0; i < row.length; i++) row[i] = i;
      row[36] = NAN;
      Tensor r = Tensor.of(d, row, 1, 37);
      assertClose(new float[] {NAN}, r.max(1, false).toArray(), name + " max of a 37-long row");
      assertArrayEquals(new int[] {36}, r.argmax(1).toIntArray(), name + " argmax of a 37-long row");
      row[5] = NAN;
      assertArrayEquals(new int[] {5}, Tensor.of(d, row, 1, 37).argmax(1).toIntArray(), name + " first NaN");
    }
  }

  @ParameterizedTest
  @MethodSource("devices")
  void reductionsOnInfinities(String name) {
    Device d = device(name);
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.of(d, new float[] {-INF, -INF, 1, INF, INF, -INF, 3e38f, 3e38f}, 4, 2);
      assertClose(new float[] {-INF, INF, INF, 3e38f}, x.max(1, false).toArray(), name + " max");
      assertArrayEquals(new int[] {0, 1, 0, 0}, x.argmax(1).toIntArray(), name + " argmax");
      // inf + -inf is NaN; 3e38 + 3e38 overflows float, as in PyTorch.
      assertClose(new float[] {-INF, INF, NAN, INF}, x.sum(1, false).toArray(), name + " sum");
      assertClose(new float[] {-INF, INF, NAN, INF}, x.mean(1, false).toArray(), name + " mean");
      assertEquals(NAN, Tensor.of(d, new float[] {1, NAN, 2}, 3).sum().item(), name + " sum with NaN");
    }
  }

  @ParameterizedTest
  @MethodSource("devices")
  void softmaxOfHugeLogits(String name) {
    Device d = device(name);
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.of(d, new float[] {1e7f, 1e7f, 3e38f, 3e38f, 3e38f, -3e38f, 1e7f, 1e7f - 1}, 4, 2);
      float a = (float) -Math.log1p(Math.exp(-1));
      float b = (float) (-1 - Math.log1p(Math.exp(-1)));
      assertClose(new float[] {-LOG2, -LOG2, -LOG2, -LOG2, 0, -INF, a, b}, x.logSoftmax(1).toArray(),
          name + " logSoftmax");
      assertClose(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 1, 0, (float) Math.exp(a), (float) Math.exp(b)},
          x.softmax(1).toArray(), name + " softmax");
    }
  }

  @ParameterizedTest
  @MethodSource("devices")
  void softmaxRowsWithNaNOrInfinities(String name) {
    Device d = device(name);
    try (Scope s = Scope.open()) {
      // [NaN, 1, 2], [1, 2, NaN], [inf, 1, 0], [-inf, -inf, -inf]: NaN rows; [-inf, 0, -inf]: one-hot.
      Tensor x = Tensor.of(d, new float[] {NAN, 1, 2, 1, 2, NAN, INF, 1, 0, -INF, -INF, -INF, -INF, 0, -INF}, 5, 3);
      float[] want = new float[15];
      java.util.Arrays.fill(want, 0, 12, NAN);
      want[13] = 1;
      assertClose(want, x.softmax(1).toArray(), name + " softmax");
      want[12] = -INF;
      want[13] = 0;
      want[14] = -INF;
      assertClose(want, x.logSoftmax(1).toArray(), name + " logSoftmax");
    }
  }

  @ParameterizedTest
  @MethodSource("devices")
  void crossEntropyOnSpecialLogits(String name) {
    Device d = device(name);
    try (Scope s = Scope.open()) {
      float[][] rows = {{1e7f, 1e7f}, {3e38f, 3e38f}, {-INF, 0}, {0, -INF}, {NAN, 1}, {INF, 1}, {-INF, -INF}};
      int[] labels = {0, 1, 0, 0, 1, 1, 0};
      float[] want = {LOG2, LOG2, INF, 0, NAN, NAN, NAN};
      for (int i = 0; i < rows.length; i++) {
        float loss = F.crossEntropy(Tensor.of(d, rows[i], 1, 2), Tensor.ofInts(d, new int[] {labels[i]}, 1)).item();
        assertClose(new float[] {want[i]}, new float[] {loss},
            name + " crossEntropy(" + java.util.Arrays.toString(rows[i]) + ", label " + labels[i] + ")");
      }
      // The gradient of the mean over two rows: (softmax - onehot) / 2.
      Tensor x = Tensor.of(d, new float[] {1e7f, 1e7f, 0, -INF}, 2, 2).requiresGrad(true);
      Tensor loss = F.crossEntropy(x, Tensor.ofInts(d, new int[] {0, 0}, 2));
      assertClose(new float[] {LOG2 / 2}, new float[] {loss.item()}, name + " mean crossEntropy");
      loss.backward();
      assertClose(new float[] {-0.25f, 0.25f, 0, 0}, x.grad().toArray(), name + " crossEntropy gradient");
    }
  }
}
