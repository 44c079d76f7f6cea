package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CPU devices when the system refuses threads. A child JVM runs under {@code ulimit -v 2500000}
 * (2.4 GiB of address space: 1024 thread stacks of 8 MiB cannot fit), asks for
 * {@code Device.cpu(1024)}, which must throw a NerveException naming the thread that could not
 * start, and must then still compute on a smaller device; four threads then create devices until
 * the system says no, and every refusal must be a NerveException, never a JVM abort. Before the
 * fix the child hung forever (the pool's constructor waited in pthread_cond_destroy): the parent
 * gives it 120 s.
 */
class ThreadLimitTest {

  /** The child: prints one line per finding, for the parent to check. */
  public static void main(String[] args) throws Exception {
    try {
      Device d = Device.cpu(1024);
      System.out.println("accepted: " + d.threads() + " threads");
    } catch (NerveException e) {
      System.out.println("refused: " + e.getMessage());
    }
    try (Scope s = Scope.open()) {
      Device small = Device.cpu(2);
      float sum = Tensor.full(small, 1f, 1 << 16).mul(2f).sum().item();
      System.out.println("usable: " + sum);
    }
    // Devices are kept for the life of the process: pile them up from four threads until the
    // system refuses. Each refusal must be a clean NerveException.
    AtomicInteger created = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<String> other = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> users = new ArrayList<>();
    for (int u = 0; u < 4; u++) {
      final int first = 3 + u;
      users.add(new Thread(() -> {
        for (int n = first; n <= 1000; n += 4) {
          try {
            Device.cpu(n);
            created.incrementAndGet();
          } catch (NerveException e) {
            if (e.getMessage().startsWith("Device.cpu(" + n + "): could not start thread ")) refused.incrementAndGet();
            else other.add(e.toString());
            return;
          } catch (Throwable t) {
            other.add(t.toString());
            return;
          }
        }
      }));
    }
    for (Thread t : users) t.start();
    for (Thread t : users) t.join();
    System.out.println("pile: created " + created + ", refused " + refused + ", other " + other);
    try (Scope s = Scope.open()) {
      System.out.println("still usable: " + Tensor.full(Device.cpu(1), 3f, 5).sum().item());
    }
  }

  @Test
  void cpu1024UnderAnAddressSpaceLimitThrowsAndLeavesTheLibraryUsable() throws Exception {
    // A small heap, code cache and class space, so the JVM itself fits under the limit; 8 MiB
    // thread stacks (glibc sizes them by ulimit -s), so 1024 of them cannot fit whatever the
    // caller's setting.
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -s 8192; ulimit -v 2500000; exec \"$@\"", "bash"));
    cmd.addAll(ChildJvm.command("-Xmx128m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
        "-XX:CompressedClassSpaceSize=64m", "-XX:MaxMetaspaceSize=128m"));
    cmd.add(ThreadLimitTest.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    Process child = pb.redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> copy(child.getInputStream(), out));
    reader.start();
    boolean done = child.waitFor(120, TimeUnit.SECONDS);
    if (!done) child.destroyForcibly().waitFor();
    reader.join();
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertTrue(done, "the child hung for 120 s:\n" + text);
    assertEquals(0, child.exitValue(), "child exit code; output:\n" + text);
    assertTrue(text.matches("(?s).*refused: Device\\.cpu\\(1024\\): could not start thread \\d+ of 1024: "
        + "Resource temporarily unavailable\n.*"), text);
    assertTrue(text.contains("usable: 131072.0"), text);
    assertTrue(text.matches("(?s).*pile: created \\d+, refused 4, other \\[\\]\n.*"), text);
    assertTrue(text.contains("still usable: 15.0"), text);
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the child was killed: keep what it wrote
    }
  }
}
