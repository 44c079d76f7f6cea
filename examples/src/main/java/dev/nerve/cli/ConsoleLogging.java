package dev.nerve.cli;

import java.io.PrintWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the library's System.Logger output (which goes to java.util.logging when no other
 * LoggerFinder is installed) to the CLI's error stream: WARNING and above, one line each,
 * "nerve: warning: message". JUL's own console handler would print two lines per record with a
 * timestamp and the class, and INFO too; the library logs at INFO and below only what a user of
 * the command line does not need.
 */
final class ConsoleLogging {
  private ConsoleLogging() {}

  /** Undoes {@link #install}: the root logger's handlers and level as they were. */
  interface Handle extends AutoCloseable {
    @Override
    void close();
  }

  static Handle install(PrintWriter err) {
    Logger root = Logger.getLogger("");
    Handler[] before = root.getHandlers();
    Level levelBefore = root.getLevel();
    for (Handler h : before) root.removeHandler(h);
    Handler mine = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (!isLoggable(r)) return;
        err.println(line(r));
        err.flush();
      }

      @Override
      public void flush() {
        err.flush();
      }

      @Override
      public void close() {}
    };
    mine.setLevel(Level.WARNING);
    root.addHandler(mine);
    root.setLevel(Level.WARNING);
    return () -> {
      root.removeHandler(mine);
      for (Handler h : before) root.addHandler(h);
      root.setLevel(levelBefore);
    };
  }

  /** "nerve: warning: message", with the throwable and the first frame outside Nerve when there is one. */
  static String line(LogRecord r) {
    String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
    String message = r.getMessage() == null ? "" : r.getMessage();
    if (r.getParameters() != null && r.getParameters().length > 0) {
      try {
        message = java.text.MessageFormat.format(message, r.getParameters());
      } catch (IllegalArgumentException e) {
        // keep the pattern as it is
      }
    }
    if (message.startsWith("nerve: ")) message = message.substring(7);
    Throwable t = r.getThrown();
    if (t != null) {
      String where = "";
      for (StackTraceElement f : t.getStackTrace()) {
        if (!f.getClassName().startsWith("dev.nerve.") || f.getClassName().startsWith("dev.nerve.cli.")
            || f.getClassName().startsWith("dev.nerve.examples.")) {
          where = ", at " + f;
          break;
        }
      }
      message += " (" + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()) + where + ")";
    }
    return "nerve: " + level + ": " + Main.oneLine(message);
  }
}
