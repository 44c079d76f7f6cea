package dev.nerve.fuzz;

import java.util.Map;

/**
 * The child JVM's entry point: one campaign per seed, its figures as FUZZ-* lines on stdout
 * (FuzzRunner reads them), FUZZ-END when it finished cleanly. A watchdog reports a call that
 * runs longer than the hang limit (with the call, the trace and every thread's stack) and halts
 * the JVM with exit code 124.
 *
 * <p>Usage: {@code FuzzMain calls seed [simFraction] [hangSeconds] [--log]}; --log prints every
 * call on stderr as it starts (to see the last call before a crash).
 */
public final class FuzzMain {
  private FuzzMain() {}

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(args[0]);
    long seed = Long.parseLong(args[1]);
    double simFraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.03;
    int hangSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    boolean log = args.length > 4 && args[4].equals("--log");
    Campaign c = new Campaign(seed, simFraction, System.out, log);
    watchdog(c, hangSeconds, seed);
    Campaign.Residue residue = c.run(calls);
    if (c.gc.failure != null) c.oracle.fail("undocumented", "gc-thread", "the GC thread's allocation threw", c.gc.failure);
    Oracle o = c.oracle;
    System.out.println("FUZZ-CALLS " + o.calls);
    System.out.println("FUZZ-MEASURED " + o.measured);
    for (Map.Entry<String, Long> e : o.exceptions.entrySet()) System.out.println("FUZZ-EXC " + e.getValue() + " " + e.getKey());
    for (Map.Entry<String, Long> e : o.messages.entrySet()) System.out.println("FUZZ-MSG " + e.getValue() + " " + e.getKey());
    for (Map.Entry<String, Long> e : o.failures.entrySet()) System.out.println("FUZZ-FAIL " + e.getValue() + " " + e.getKey());
    for (Map.Entry<String, long[]> e : o.errorPathLeaks.entrySet()) {
      System.out.println("FUZZ-LEAK " + e.getValue()[0] + " " + e.getValue()[1] + " " + e.getKey());
    }
    o.times.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
        .forEach(e -> System.out.printf("FUZZ-TIME %,d ms in %d calls of %s%n", e.getValue()[1] / 1_000_000, e.getValue()[0], e.getKey()));
    System.out.println("FUZZ-RESIDUE cpu " + residue.cpuBytes() + " " + residue.cpuAllocations());
    if (c.sim != null) System.out.println("FUZZ-RESIDUE cuda-sim " + residue.simBytes() + " " + residue.simAllocations());
    System.out.println("FUZZ-END seed " + seed);
    System.out.flush();
    System.exit(0);
  }

  private static void watchdog(Campaign c, int hangSeconds, long seed) {
    Thread t = new Thread(() -> {
      while (true) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        long start = c.callStartNanos;
        if (start != 0 && System.nanoTime() - start > hangSeconds * 1_000_000_000L) {
          System.out.println("FUZZ-HANG seed=" + seed + " call=" + c.oracle.calls + " ran over " + hangSeconds + " s: " + c.currentCall);
          System.out.println("  the last calls:\n    " + c.oracle.traceTail());
          for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            System.out.println("  thread " + e.getKey().getName() + ":");
            for (StackTraceElement s : e.getValue()) System.out.println("    at " + s);
          }
          System.out.flush();
          Runtime.getRuntime().halt(124);
        }
      }
    }, "fuzz-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
