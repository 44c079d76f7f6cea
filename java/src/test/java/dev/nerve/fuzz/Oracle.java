package dev.nerve.fuzz;

import dev.nerve.NerveException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fuzzer's judge and bookkeeper. A call may return normally or throw one of the documented
 * exceptions (IllegalArgumentException, IllegalStateException, UnsupportedOperationException,
 * NerveException and its subclasses, and IOException, which CheckpointException and the data
 * readers extend); anything else (NullPointerException, ArithmeticException, IndexOutOfBounds,
 * ClassCast, OutOfMemoryError, AssertionError ...) is an "undocumented" failure. A call the
 * fuzzer made invalid on purpose that returns normally is an "accepted-invalid" failure, and a
 * result that differs from what the fuzzer computed on the side is a "wrong-result" failure.
 */
final class Oracle {
  /** How many of the latest calls each failure report shows. */
  static final int TRACE = 30;
  private static final int MAX_REPORTED = 60;

  private final long seed;
  private final PrintStream out;
  private final ArrayDeque<String> trace = new ArrayDeque<>();
  final Map<String, Long> exceptions = new TreeMap<>();
  final Map<String, Long> messages = new TreeMap<>();
  final Map<String, Long> failures = new TreeMap<>();
  final Map<String, long[]> errorPathLeaks = new TreeMap<>();
  long calls;
  /** Calls that threw with the leak check on (a single op, no scope open, the GC thread paused). */
  long measured;
  private int reported;
  private final boolean log;

  Oracle(long seed, PrintStream out, boolean log) {
    this.seed = seed;
    this.out = out;
    this.log = log;
  }

  /** Remembers a call (its op and arguments) for the trace of a later failure. */
  void begin(String description) {
    calls++;
    if (trace.size() == TRACE) trace.removeFirst();
    String line = "#" + calls + " " + description;
    trace.addLast(line);
    if (log) {
      System.err.println("FUZZ-CALL " + line);
      System.err.flush();
    }
  }

  static boolean documented(Throwable t) {
    return t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof UnsupportedOperationException || t instanceof NerveException
        || t instanceof java.io.IOException;
  }

  /** A documented exception: counted by class, and by op and message shape for the top messages. */
  void expected(String op, Throwable t) {
    exceptions.merge(t.getClass().getName(), 1L, Long::sum);
    messages.merge(t.getClass().getSimpleName() + " " + op + ": " + shape(t.getMessage()), 1L, Long::sum);
  }

  /** The message with numbers and shapes blurred, so one kind of message counts once. */
  static String shape(String m) {
    if (m == null) return "(no message)";
    String s = m.replaceAll("-?[0-9][0-9.,eE+-]*", "#").replaceAll("\\s+", " ");
    return s.length() > 110 ? s.substring(0, 110) + "..." : s;
  }

  /**
   * Counts a failure under its kind and signature (op and the blurred detail) and prints the
   * first of each signature with the trace that led to it.
   */
  void fail(String kind, String op, String detail, Throwable t) {
    String signature = kind + " | " + op + ": " + shape(detail) + (t == null ? "" : " | " + t.getClass().getName()
        + ": " + shape(t.getMessage()));
    boolean first = !failures.containsKey(signature);
    failures.merge(signature, 1L, Long::sum);
    if (t != null) exceptions.merge(t.getClass().getName(), 1L, Long::sum);
    if (!first || reported++ >= MAX_REPORTED) return;
    out.println("FUZZ-FAILURE kind=" + kind + " seed=" + seed + " call=" + calls + " op=" + op + " : " + oneLine(detail));
    if (t != null) {
      out.println("  " + oneLine(t.toString()));
      StackTraceElement[] st = t.getStackTrace();
      for (int i = 0; i < Math.min(8, st.length); i++) out.println("    at " + st[i]);
    }
    out.println("  the last " + trace.size() + " calls of seed " + seed + ":");
    for (String c : trace) out.println("    " + c);
    out.flush();
  }

  final Map<String, long[]> times = new TreeMap<>();

  void time(String op, long nanos) {
    long[] v = times.computeIfAbsent(op, k -> new long[2]);
    v[0]++;
    v[1] += nanos;
  }

  void leak(String op, String description, long bytes) {
    if (!errorPathLeaks.containsKey(op)) {
      out.println("FUZZ-LEAKED seed=" + seed + " call=" + calls + " " + bytes + " bytes stayed live after " + description + " threw");
    }
    long[] v = errorPathLeaks.computeIfAbsent(op, k -> new long[2]);
    v[0]++;
    v[1] += bytes;
  }

  String traceTail() {
    return String.join("\n    ", trace);
  }

  static String oneLine(String s) {
    return s == null ? "null" : s.strip().replaceAll("\\s*\\R\\s*", " | ");
  }
}
