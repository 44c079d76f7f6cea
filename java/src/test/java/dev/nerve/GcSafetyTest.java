package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The garbage-collector safety net never frees a tensor that a native call still reads. Tensors
 * that are never closed (so only their Cleaner frees them) are read back while another thread
 * leaks tensors full of 7 and forces collections. Before the ops layer pinned its operands,
 * compiled code let a tensor die as soon as its address had been taken: the Cleaner freed it
 * during the copy to the host and the caching allocator gave its block to the other thread's 7s
 * (9 of 10 reads of 64 MiB went wrong on the CPU).
 *
 * <p>The window is the native call itself, so the tensors are large (a 64 MiB copy is long next
 * to a collection) and the path is compiled first (the interpreter keeps every local alive).
 */
class GcSafetyTest {
  private static final int SIDE = 4096;

  @Test
  void unclosedTensorsSurviveConcurrentGcOnCpu() throws Exception {
    Device cpu = Device.cpu(2);
    stress(cpu, 10, 20000, SIDE, (d, side) -> Tensor.full(d, 1f, side, side).mul(2f).toArray());
  }

  @Test
  void unclosedViewsSurviveConcurrentGcOnCpu() throws Exception {
    // A view shares its base's storage: the base handle is garbage at once, the view keeps it.
    Device cpu = Device.cpu(2);
    stress(cpu, 10, 20000, SIDE, (d, side) -> Tensor.full(d, 2f, side, side).slice(0, side / 4, side).toArray());
  }

  @Test
  void unclosedTensorsSurviveConcurrentGcOnCudaSim() throws Exception {
    Assumptions.assumeTrue(Info.cudaSimAvailable(), "cuda-sim is not part of this build");
    // Fewer and smaller: cuda-sim runs each CUDA thread as a fiber.
    stress(Device.cudaSim(), 3, 2000, 2048, (d, side) -> Tensor.full(d, 1f, side, side).mul(2f).toArray());
  }

  @Test
  void unclosedTensorsSurviveConcurrentGcOnCuda() throws Exception {
    Assumptions.assumeTrue(Info.cudaAvailable(), "no CUDA device");
    stress(Device.cuda(0), 10, 20000, SIDE, (d, side) -> Tensor.full(d, 1f, side, side).mul(2f).toArray());
  }

  /** Runs op (whose values must all be 2) while another thread leaks tensors of 7s and calls System.gc(). */
  private static void stress(Device d, int iterations, int warmups, int side, BiFunction<Device, Integer, float[]> op)
      throws Exception {
    for (int i = 0; i < warmups; i++) op.apply(d, 8); // compile the path
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> churnFailure = new AtomicReference<>();
    Thread churn = new Thread(() -> {
      try {
        while (!stop.get()) {
          System.gc();
          Tensor.full(d, 7f, side, side); // never closed: only its Cleaner frees it
        }
      } catch (Throwable t) {
        churnFailure.set(t);
      }
    }, "gc-churn");
    churn.setDaemon(true);
    churn.start();
    long wrong = 0;
    long wrongRuns = 0;
    try {
      for (int it = 0; it < iterations; it++) {
        float[] r = op.apply(d, side);
        assertTrue(r.length >= side * side / 2, "length " + r.length);
        long bad = 0;
        for (float v : r) if (v != 2f) bad++;
        if (bad > 0) wrongRuns++;
        wrong += bad;
      }
    } finally {
      stop.set(true);
      churn.join();
    }
    if (churnFailure.get() != null) throw new AssertionError("the churn thread failed", churnFailure.get());
    assertEquals(0, wrong, wrongRuns + " of " + iterations + " results on " + d + " held values other than 2 ("
        + wrong + " values): a tensor was freed by the garbage collector while a native call used it");
  }
}
