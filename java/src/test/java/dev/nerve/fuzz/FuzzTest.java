package dev.nerve.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The bounded fuzz run of every build: 20,000 random API calls over four fixed seeds, each seed
 * in a child JVM (views, closed tensors, scopes closed out of order and from other threads,
 * concurrent GC, cuda-sim for a fraction of the tensors, layers, optimizers, autograd,
 * checkpoints). A crash, a hang, an undocumented exception, an invalid input accepted or a
 * wrong known answer fails the build; the report (also the leaks) is printed either way. The
 * seed of each failure is in the report; {@code ci/fuzz CALLS SEED} runs a longer campaign.
 */
class FuzzTest {
  @Test
  void twentyThousandCallsFindNoCrashHangUndocumentedExceptionOrAcceptedInvalidInput() throws Exception {
    long start = System.nanoTime();
    FuzzRunner.Report r = new FuzzRunner(System.out, 60, 0.03).campaign(20_000, 1, 5_000);
    r.print(System.out, (System.nanoTime() - start) / 1e9);
    assertTrue(r.calls >= 20_000, "calls made: " + r.calls);
    assertEquals(0, r.crashes.size(), "crashes (see the report above): " + r.crashes);
    assertEquals(0, r.hangs.size(), "hangs (see the report above): " + r.hangs);
    assertEquals(0, r.count("undocumented"), "undocumented exceptions (see the report above)");
    assertEquals(0, r.count("accepted-invalid"), "invalid inputs accepted (see the report above)");
    assertEquals(0, r.count("wrong-result"), "wrong results (see the report above)");
  }
}
