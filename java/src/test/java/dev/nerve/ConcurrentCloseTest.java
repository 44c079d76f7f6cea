package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A scope closed by one thread while another thread computes on its tensors never gives wrong
 * data: the reader either gets the right values (the free waits for the native call that holds
 * the memory) or an IllegalStateException naming the op. Before the ops layer pinned its
 * operands, the closing thread's next tensor (full of 7s) took the freed block while the reader
 * was still copying it out.
 */
class ConcurrentCloseTest {
  @Test
  void readsDuringAForeignCloseAreRightOrRefusedOnCpu() throws Exception {
    check(Device.cpu(2), 4096, 16);
  }

  @Test
  void readsDuringAForeignCloseAreRightOrRefusedOnCudaSim() throws Exception {
    Assumptions.assumeTrue(Info.cudaSimAvailable(), "cuda-sim is not part of this build");
    check(Device.cudaSim(), 2048, 6);
  }

  private static void check(Device d, int side, int rounds) throws Exception {
    // toArray reads 2s; mul(2) then toArray reads 4s.
    int[] outcome = new int[3]; // right, refused, wrong
    for (int round = 0; round < rounds; round++) {
      boolean compute = round % 2 == 1;
      float expected = compute ? 4f : 2f;
      Function<Tensor, float[]> reader = compute ? t -> t.mul(2f).toArray() : Tensor::toArray;
      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<Tensor> handOver = new CompletableFuture<>();
      CompletableFuture<float[]> result = CompletableFuture.supplyAsync(() -> {
        Tensor t = handOver.join();
        started.countDown();
        return reader.apply(t);
      });
      Tensor other;
      try (Scope s = Scope.open()) {
        handOver.complete(Tensor.full(d, 2f, side, side));
        assertTrue(started.await(60, TimeUnit.SECONDS));
        Thread.sleep(2); // let the reader enter its native call; the scope then ends under it
      }
      other = Tensor.full(d, 7f, side, side); // would take the block the reader still copies
      try {
        float[] r = result.get(120, TimeUnit.SECONDS);
        long bad = 0;
        for (float v : r) if (v != expected) bad++;
        outcome[bad == 0 ? 0 : 2]++;
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof IllegalStateException)) throw e;
        String m = e.getCause().getMessage();
        assertTrue(m.contains("closed"), m);
        outcome[1]++;
      } finally {
        other.close();
      }
    }
    System.out.printf("foreign close on %s: %d right, %d refused, %d wrong of %d%n", d, outcome[0], outcome[1], outcome[2],
        rounds);
    assertEquals(0, outcome[2], outcome[2] + " of " + rounds + " reads on " + d
        + " returned another tensor's data after the scope was closed by another thread");
  }
}
