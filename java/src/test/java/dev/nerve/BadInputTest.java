package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.Linear;
import dev.nerve.optim.Adam;
import dev.nerve.optim.RMSprop;
import dev.nerve.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each kind of bad input gives a clear exception naming the op, the argument and the shapes. */
class BadInputTest {
  private final Device cpu = Device.cpu();

  private static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
    Throwable e = assertThrows(type, call);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
  }

  @Test
  void shapeMismatch() {
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.zeros(cpu, 3, 4);
      Tensor b = Tensor.zeros(cpu, 5, 6);
      assertMessage(IllegalArgumentException.class, () -> a.matmul(b), "matmul", "[3, 4]", "[5, 6]");
      assertMessage(IllegalArgumentException.class, () -> a.add(b), "add", "[3, 4]", "[5, 6]", "broadcast");
      assertMessage(IllegalArgumentException.class, () -> a.reshape(5), "reshape", "[3, 4]", "[5]");
      Linear fc = new Linear(10, 2, true, cpu, new Generator(1));
      assertMessage(IllegalArgumentException.class, () -> fc.forward(a), "linear", "4 features", "expects 10", "[3, 4]",
          "[2, 10]");
      assertMessage(IllegalArgumentException.class, () -> a.slice(1, 2, 9), "slice", "[2, 9)", "size 4");
      fc.close();
    }
  }

  @Test
  void dtypeMismatch() {
    try (Scope s = Scope.open()) {
      Tensor f = Tensor.zeros(cpu, 3, 4);
      Tensor i = Tensor.ofInts(cpu, new int[] {1, 2, 3});
      assertMessage(IllegalArgumentException.class, () -> f.sub(i), "sub", "f32", "i32");
      assertMessage(IllegalArgumentException.class, () -> F.crossEntropy(f, Tensor.zeros(cpu, 3)), "crossEntropy",
          "labels must be i32");
      assertMessage(IllegalArgumentException.class, i::toArray, "toArray", "i32");
    }
  }

  @Test
  void deviceMismatch() {
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.zeros(cpu, 2, 2);
      Tensor b = Tensor.zeros(Device.cpu(1), 2, 2);
      assertMessage(IllegalArgumentException.class, () -> a.mul(b), "mul", "different devices", "cpu", "cpu(threads=1)");
    }
    assertMessage(UnsupportedOperationException.class, () -> Device.cuda(0), "Device.cuda(0)", "Device.cpu()");
  }

  @Test
  void useAfterClose() {
    Tensor a = Tensor.zeros(cpu, 2, 3);
    a.close();
    assertMessage(IllegalStateException.class, a::toArray, "toArray", "[2, 3]", "closed");
    assertMessage(IllegalStateException.class, () -> a.add(1f), "closed");
    a.close(); // closing twice is harmless
  }

  @Test
  void labelOutOfRange() {
    try (Scope s = Scope.open()) {
      Tensor logits = Tensor.zeros(cpu, 3, 10);
      Tensor labels = Tensor.ofInts(cpu, new int[] {1, 12, 3});
      assertMessage(IllegalArgumentException.class, () -> F.crossEntropy(logits, labels), "crossEntropy", "label 12",
          "row 1", "[0, 10)");
      Tensor negative = Tensor.ofInts(cpu, new int[] {-1, 0, 0});
      assertMessage(IllegalArgumentException.class, () -> F.crossEntropy(logits, negative), "label -1");
      Tensor shortLabels = Tensor.ofInts(cpu, new int[] {1, 2});
      assertMessage(IllegalArgumentException.class, () -> F.crossEntropy(logits, shortLabels), "[2]", "[3, 10]");
    }
  }

  @Test
  void badHyperParameters() {
    Linear fc = new Linear(2, 2, true, cpu, new Generator(1));
    List<Tensor> p = fc.parameters();
    assertMessage(IllegalArgumentException.class, () -> new SGD(p, -0.1f), "Invalid learning rate: -0.1");
    assertMessage(IllegalArgumentException.class, () -> new SGD(p, 0.1f, -0.5f), "Invalid momentum value: -0.5");
    assertMessage(IllegalArgumentException.class, () -> new SGD(p, 0.1f, 0f, 0f, 0f, true), "Nesterov");
    assertMessage(IllegalArgumentException.class, () -> new Adam(p, 0.1f, 1.0f, 0.999f, 1e-8f, 0f), "beta parameter at index 0");
    assertMessage(IllegalArgumentException.class, () -> new Adam(p, Float.NaN), "Invalid learning rate: NaN");
    assertMessage(IllegalArgumentException.class, () -> new RMSprop(p, 0.01f, 1.5f, 1e-8f, 0f, 0f), "alpha");
    assertMessage(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1f), "empty");
    assertMessage(IllegalArgumentException.class, () -> new Linear(0, 3), "Linear", "in=0");
    fc.close();
  }

  @Test
  void nativeErrorsDoNotCrashTheJvm() {
    // Bad arguments that reach the native layer come back as exceptions, not crashes.
    try (Scope s = Scope.open()) {
      Tensor a = Tensor.zeros(cpu, 2, 2);
      assertMessage(IllegalStateException.class, () -> a.backward(), "backward", "does not require grad");
      Tensor x = Tensor.zeros(cpu, 2, 2).requiresGrad(true);
      Tensor y = x.mul(2f);
      assertMessage(IllegalArgumentException.class, y::backward, "backward", "not a scalar");
      assertEquals(4, x.numel());
    }
  }
}
