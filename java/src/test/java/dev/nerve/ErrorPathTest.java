package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Failures that must be clean: a shape whose size overflows is an IllegalArgumentException
 * naming the op and the shape, and an op that fails after it has allocated (a label or index
 * only the kernel sees, a setting only the kernel refuses, a late argument check) frees what it
 * allocated before the exception propagates, even with no Scope open.
 */
class ErrorPathTest {
  private static final long HUGE = 1L << 40;

  private static void assertNamed(Executable call, String op, String shape) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(op + ":"), e.getMessage());
    assertTrue(e.getMessage().contains(shape), e.getMessage());
  }

  @Test
  void overflowingShapesAreIllegalArgumentsNamingTheOpAndTheShape() {
    Device cpu = Device.cpu();
    String huge = "[1099511627776, 1099511627776]";
    assertNamed(() -> Tensor.zeros(cpu, HUGE, HUGE), "Tensor.zeros", huge);
    assertNamed(() -> Tensor.ones(cpu, HUGE, HUGE), "Tensor.ones", huge);
    assertNamed(() -> Tensor.full(cpu, 2f, HUGE, HUGE), "Tensor.full", huge);
    assertNamed(() -> Tensor.empty(cpu, DType.F32, HUGE, HUGE), "Tensor.empty", huge);
    assertNamed(() -> Tensor.rand(cpu, new Generator(1), 0, 1, HUGE, HUGE), "Tensor.rand", huge);
    assertNamed(() -> Tensor.randn(cpu, new Generator(1), 0, 1, HUGE, HUGE), "Tensor.randn", huge);
    assertNamed(() -> Tensor.of(cpu, new float[1], HUGE, HUGE), "Tensor.of", huge);
    assertNamed(() -> Tensor.ofInts(cpu, new int[1], HUGE, HUGE), "Tensor.ofInts", huge);
    assertNamed(() -> Tensor.wrap(cpu, 64, DType.F32, null, HUGE, HUGE), "Tensor.wrap", huge);
    try (Tensor x = Tensor.zeros(cpu, 4)) {
      assertNamed(() -> x.reshape(HUGE, HUGE), "reshape", huge);
      assertNamed(() -> x.view(HUGE, HUGE), "reshape", huge);
      assertNamed(() -> x.reshape(-1, 1L << 62, 4), "reshape", "[-1, 4611686018427387904, 4]");
      assertNamed(() -> x.reshape(1L << 62, 4, 0), "reshape", "[4611686018427387904, 4, 0]");
    }
  }

  @Test
  void failedOpsFreeWhatTheyAllocatedWithoutAScope() {
    // A device of its own, so that no other test's tensors move its counters.
    Device dev = Device.cpu(3);
    Device elsewhere = Device.cpu(2);
    Generator gen = new Generator(4);
    Tensor logits = Tensor.randn(dev, gen, 0, 1, 64, 10).keep().requiresGrad(true);
    Tensor logitsT = Tensor.randn(dev, gen, 0, 1, 10, 64).keep().requiresGrad(true);
    int[] bad = new int[64];
    bad[63] = 10;
    Tensor labels = Tensor.ofInts(dev, bad).keep();
    Tensor table = Tensor.randn(dev, gen, 0, 1, 8, 64).keep().requiresGrad(true);
    Tensor tableT = Tensor.randn(dev, gen, 0, 1, 64, 8).keep().requiresGrad(true);
    Tensor indices = Tensor.ofInts(dev, new int[] {1, 2, 9, 3, 4, 5}, 2, 3).keep();
    Tensor image = Tensor.randn(dev, gen, 0, 1, 2, 3, 8, 8).keep().requiresGrad(true);
    Tensor kernel = Tensor.randn(dev, gen, 0, 1, 3, 4, 3, 3).keep().requiresGrad(true);
    Tensor biasElsewhere = Tensor.zeros(elsewhere, 4).keep();
    Tensor stats = Tensor.zeros(dev, 3).keep();
    Tensor column = Tensor.zeros(dev, 1 << 20, 1).keep();
    Tensor row = Tensor.zeros(dev, 1, 1 << 20).keep();

    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("crossEntropy, label 10 of 10 classes", () -> F.crossEntropy(logits, labels));
    calls.put("crossEntropy on a transposed view", () -> F.crossEntropy(logitsT.t(), labels));
    calls.put("embedding, index 9 of 8 rows", () -> F.embedding(indices, table));
    calls.put("embedding on a transposed table", () -> F.embedding(indices, tableT.t()));
    calls.put("embedding with strided indices", () -> F.embedding(indices.t(), table));
    calls.put("batchNorm, eps = inf", () -> F.batchNorm(image, stats, stats, null, null, false, 0.1f, Float.POSITIVE_INFINITY));
    calls.put("convTranspose2d, bias on another device", () -> F.convTranspose2d(image, kernel, biasElsewhere, 1, 0, 0));
    calls.put("rand with no generator", () -> Tensor.rand(dev, null, 0, 1, 1000));
    calls.put("randn with no generator", () -> Tensor.randn(dev, null, 0, 1, 1000));
    calls.put("a too large broadcast", () -> column.maximum(row));

    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, Executable> call : calls.entrySet()) {
      for (int round = 0; round < 2; round++) {
        long before = dev.memoryStats().liveBytes();
        long allocationsBefore = dev.memoryStats().liveAllocations();
        try {
          call.getValue().execute();
          leaks.add(call.getKey() + ": did not throw");
        } catch (Throwable expected) {
          // the failure under test
        }
        long grew = dev.memoryStats().liveBytes() - before;
        long grewAllocations = dev.memoryStats().liveAllocations() - allocationsBefore;
        // Round 0 may allocate what a context keeps once (a workspace): count from round 1.
        if (round == 1 && (grew != 0 || grewAllocations != 0)) {
          leaks.add(call.getKey() + ": " + grew + " bytes in " + grewAllocations + " allocations");
        }
      }
    }
    for (Tensor t : List.of(logits, logitsT, labels, table, tableT, indices, image, kernel, biasElsewhere, stats, column, row)) t.close();
    assertEquals(List.of(), leaks);
  }

  @Test
  void kernelDetectedErrorsNameTheOpNotTheKernel() {
    Device cpu = Device.cpu();
    try (Scope s = Scope.open()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> F.crossEntropy(Tensor.zeros(cpu, 2, 10), Tensor.ofInts(cpu, new int[] {3, 10})));
      assertTrue(e.getMessage().startsWith("crossEntropy: ") && !e.getMessage().contains("nv_"), e.getMessage());
      assertTrue(e.getMessage().contains("10"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> F.embedding(Tensor.ofInts(cpu, new int[] {3, 8}), Tensor.zeros(cpu, 8, 2)));
      assertTrue(e.getMessage().startsWith("embedding: ") && !e.getMessage().contains("nv_"), e.getMessage());
    }
  }
}
