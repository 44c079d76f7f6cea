package dev.nerve.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The runner sees what it is there to see: a child JVM that dies is a crash, one that stops is a hang. */
class FuzzRunnerTest {
  private static FuzzRunner.Report run(int hangSeconds, String option) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    FuzzRunner.Report r = new FuzzRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), hangSeconds, 0, option)
        .campaign(300, 11, 300);
    r.print(new PrintStream(buf, true, StandardCharsets.UTF_8), 0);
    System.out.println(buf.toString(StandardCharsets.UTF_8));
    return r;
  }

  @Test
  void aChildThatDiesIsACrashWithTheCallsBeforeIt() throws Exception {
    FuzzRunner.Report r = run(60, "-Dfuzz.crashAt=150");
    assertEquals(1, r.crashes.size(), "crashes");
    assertTrue(r.crashes.get(0).contains("exited with code 134"), r.crashes.get(0));
    assertTrue(r.crashes.get(0).contains("#149 "), "the replay lists the calls before the crash: " + r.crashes.get(0));
    assertTrue(r.failed());
  }

  @Test
  void aCallThatNeverReturnsIsAHangWithItsTrace() throws Exception {
    FuzzRunner.Report r = run(2, "-Dfuzz.hangAt=100");
    assertEquals(1, r.hangs.size(), "hangs");
    assertTrue(r.hangs.get(0).contains("FUZZ-HANG seed=11 call=100"), r.hangs.get(0));
    assertEquals(0, r.crashes.size());
  }
}
