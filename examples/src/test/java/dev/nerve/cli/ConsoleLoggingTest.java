package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The CLI shows the library's System.Logger warnings on its console, one line each, and hides INFO. */
class ConsoleLoggingTest {
  @Test
  void warningsAreOneLineAndInfoIsHidden() {
    StringWriter sink = new StringWriter();
    ConsoleLogging.Handle h = ConsoleLogging.install(new PrintWriter(sink, true));
    try {
      System.Logger log = System.getLogger("dev.nerve.test");
      log.log(System.Logger.Level.INFO, "chatty detail");
      log.log(System.Logger.Level.WARNING, "something to see");
      Throwable site = new Throwable("allocated here");
      site.setStackTrace(new StackTraceElement[] {
          new StackTraceElement("dev.nerve.internal.ops.Storage", "<init>", "Storage.java", 38),
          new StackTraceElement("com.example.App", "main", "App.java", 12)});
      log.log(System.Logger.Level.ERROR, "leaked 64 bytes", site);
    } finally {
      h.close();
    }
    String[] lines = sink.toString().split("\\R");
    assertEquals(2, lines.length, sink.toString());
    assertEquals("nerve: warning: something to see", lines[0]);
    assertTrue(lines[1].startsWith("nerve: error: leaked 64 bytes (allocated here, at com.example.App.main(App.java:12))"), lines[1]);
    assertTrue(!sink.toString().contains("chatty"), sink.toString());
  }
}
