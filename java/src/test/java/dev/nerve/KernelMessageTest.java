package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Failures only a kernel can see (a label or an index out of range in the data) name the
 * public op, the value, its position and the shapes, never the native function
 * ("nv_softmax_xent_f32: ..."), on every backend.
 */
class KernelMessageTest {
  @Test
  void cpu() {
    check(Device.cpu());
  }

  @Test
  void cudaSim() {
    Assumptions.assumeTrue(Info.cudaSimAvailable(), "cuda-sim is not part of this build");
    check(Device.cudaSim());
  }

  private static void check(Device d) {
    try (Scope s = Scope.open()) {
      Tensor logits = Tensor.zeros(d, 3, 10);
      Tensor labels = Tensor.ofInts(d, new int[] {1, 10, 3});
      String m = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, labels)).getMessage();
      assertStarts(m, "crossEntropy: label 10 at row 1 ");
      assertParts(m, "[0, 10)", "logits [3, 10]");

      Tensor weight = Tensor.zeros(d, 3, 4).requiresGrad(true);
      Tensor idx = Tensor.ofInts(d, new int[] {0, 7, 2});
      m = assertThrows(IllegalArgumentException.class, () -> F.embedding(idx, weight)).getMessage();
      assertStarts(m, "embedding: index 7 at position 1 ");
      assertParts(m, "[0, 3)", "3 rows", "indices [3]");

      // The backward's scatter-add checks the indices again: changed after the forward, they
      // are refused naming embedding (or, where autograd tracks in-place changes, that change).
      Tensor good = Tensor.ofInts(d, new int[] {0, 1, 2});
      Tensor y = F.embedding(good, weight);
      // i32 tensors have no in-place writes: write the new indices' bits through an f32 alias.
      Tensor alias = Tensor.wrap(d, good.dataAddress(), DType.F32, null, 3);
      alias.copyFrom(new float[] {Float.intBitsToFloat(0), Float.intBitsToFloat(5), Float.intBitsToFloat(2)});
      Tensor loss = y.sum();
      RuntimeException e = assertThrows(RuntimeException.class, loss::backward);
      assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, e.toString());
      assertParts(e.getMessage(), "embedding");
    }
  }

  private static void assertStarts(String message, String start) {
    assertTrue(message.startsWith(start), "message '" + message + "' does not start with '" + start + "'");
    assertParts(message);
  }

  private static void assertParts(String message, String... parts) {
    assertFalse(message.contains("nv_"), "message '" + message + "' names a native function");
    for (String p : parts) assertTrue(message.contains(p), "message '" + message + "' lacks '" + p + "'");
  }
}
