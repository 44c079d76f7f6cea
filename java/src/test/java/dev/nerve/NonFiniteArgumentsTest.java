package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.BatchNorm2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hyper-parameters that are infinite or NaN: the exception says what is wanted ("a positive
 * finite number"), not a statement that is false for the value ("eps=inf must be positive").
 */
class NonFiniteArgumentsTest {
  private final Device cpu = Device.cpu();

  private static void assertMessage(Executable call, String... parts) {
    Throwable e = assertThrows(IllegalArgumentException.class, call);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
  }

  @Test
  void batchNorm2dEps() {
    assertMessage(() -> new BatchNorm2d(3, Float.POSITIVE_INFINITY, 0.1f, cpu), "BatchNorm2d", "eps",
        "positive finite", "Infinity");
    assertMessage(() -> new BatchNorm2d(3, Float.NaN, 0.1f, cpu), "BatchNorm2d", "eps", "positive finite", "NaN");
    assertMessage(() -> new BatchNorm2d(3, 1e-5f, Float.NaN, cpu), "BatchNorm2d", "momentum", "[0, 1]", "NaN");
  }

  @Test
  void functionalBatchNormEps() {
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.zeros(cpu, 2, 3, 2, 2);
      Tensor mean = Tensor.zeros(cpu, 3);
      Tensor var = Tensor.ones(cpu, 3);
      assertMessage(() -> F.batchNorm(x, mean, var, null, null, true, 0.1f, Float.POSITIVE_INFINITY), "eps",
          "positive finite");
      assertMessage(() -> F.batchNorm(x, mean, var, null, null, true, Float.NaN, 1e-5f), "momentum", "[0, 1]");
    }
  }
}
