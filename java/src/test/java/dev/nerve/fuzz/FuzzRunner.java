package dev.nerve.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.nerve.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fuzz campaign as a series of child JVMs ({@link FuzzMain}, one seed each, this JVM's
 * class path), so a JVM crash or a hang is observed rather than suffered, and adds up their
 * figures into a {@link Report}. A child that dies without finishing is a crash: its seed is run
 * again with every call logged, to show the calls that led to it. A child that outlives its
 * time (or whose watchdog reports a call running too long) is a hang.
 *
 * <p>{@code FuzzRunner [calls] [firstSeed] [callsPerChild] [simFraction]}: the command behind
 * {@code ci/fuzz}; prints the report and exits 1 when it holds a failure.
 */
public final class FuzzRunner {
  private final PrintStream out;
  private final int hangSeconds;
  private final double simFraction;
  private final List<String> jvmOptions;

  FuzzRunner(PrintStream out, int hangSeconds, double simFraction, String... jvmOptions) {
    this.out = out;
    this.hangSeconds = hangSeconds;
    this.simFraction = simFraction;
    this.jvmOptions = List.of(jvmOptions);
  }

  public static void main(String[] args) throws Exception {
    long calls = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    long perChild = args.length > 2 ? Long.parseLong(args[2]) : 25_000;
    double sim = args.length > 3 ? Double.parseDouble(args[3]) : 0.03;
    long start = System.nanoTime();
    Report r = new FuzzRunner(System.out, 60, sim).campaign(calls, seed, perChild);
    r.print(System.out, (System.nanoTime() - start) / 1e9);
    System.exit(r.failed() ? 1 : 0);
  }

  /** calls in all, seeds firstSeed, firstSeed + 1, ..., at most perChild calls per child JVM. */
  Report campaign(long calls, long firstSeed, long perChild) throws IOException, InterruptedException {
    Report report = new Report();
    long seed = firstSeed;
    for (long left = calls; left > 0; left -= perChild, seed++) {
      long n = Math.min(left, perChild);
      child(report, n, seed);
      report.children++;
      out.printf(Locale.ROOT, "fuzz: seed %d done, %,d calls so far%n", seed, report.calls);
      out.flush();
    }
    return report;
  }

  private void child(Report report, long calls, long seed) throws IOException, InterruptedException {
    Process p = start(calls, seed, false);
    ArrayDeque<String> tail = new ArrayDeque<>();
    boolean ended = false;
    boolean hang = false;
    boolean inFailure = false;
    List<String> hangLines = new ArrayList<>();
    long limit = 120 + calls / 100;  // seconds: far beyond a normal run (about 2,000 calls a second here)
    java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
    Thread killer = new Thread(() -> {
      try {
        if (!p.waitFor(limit, TimeUnit.SECONDS)) {
          killed.set(true);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    });
    killer.setDaemon(true);
    killer.start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (tail.size() == 40) tail.removeFirst();
        tail.addLast(line);
        if (line.startsWith("FUZZ-LEAKED")) out.println(line);
        if (line.startsWith("FUZZ-FAILURE")) inFailure = true;
        else if (!line.startsWith("  ")) inFailure = false;
        if (inFailure) out.println(line);            // each new failure, with its trace, as it comes
        if (hang || line.startsWith("FUZZ-HANG")) {
          hang = true;
          hangLines.add(line);
          continue;
        }
        ended |= line.startsWith("FUZZ-END");
        report.parse(line, seed);
      }
    }
    boolean finished = p.waitFor(10, TimeUnit.SECONDS);
    int code = finished ? p.exitValue() : -1;
    if (hang || code == 124 || killed.get() || !finished) {
      report.hangs.add("seed " + seed + (hangLines.isEmpty() ? ": the child ran past " + limit + " s and was killed\n    "
          + String.join("\n    ", tail) : ":\n    " + String.join("\n    ", hangLines.subList(0, Math.min(60, hangLines.size())))));
      p.destroyForcibly();
    } else if (code != 0 || !ended) {
      report.crashes.add("seed " + seed + ": the child JVM exited with code " + code + " before the end; its last output:\n    "
          + String.join("\n    ", tail) + "\n  the calls before the crash (seed " + seed + " run again with --log):\n    "
          + String.join("\n    ", replay(calls, seed)));
    }
  }

  private Process start(long calls, long seed, boolean log) throws IOException {
    List<String> cmd = ChildJvm.command("-Xmx1g");
    cmd.addAll(cmd.size() - 2, jvmOptions); // before "-cp", class path
    cmd.addAll(List.of(FuzzMain.class.getName(), Long.toString(calls), Long.toString(seed), Double.toString(simFraction),
        Integer.toString(hangSeconds)));
    if (log) cmd.add("--log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** The last calls of a crashing seed: the same campaign with each call logged before it runs. */
  private List<String> replay(long calls, long seed) throws IOException, InterruptedException {
    Process p = start(calls, seed, true);
    ArrayDeque<String> last = new ArrayDeque<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("FUZZ-CALL ") || !line.startsWith("FUZZ-")) {
          if (last.size() == Oracle.TRACE) last.removeFirst();
          last.addLast(line.startsWith("FUZZ-CALL ") ? line.substring(10) : line);
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    return new ArrayList<>(last);
  }

  /** The campaign's figures, added up over the children. */
  static final class Report {
    long calls;
    long measured;
    int children;
    final Map<String, Long> exceptions = new TreeMap<>();
    final Map<String, Long> messages = new TreeMap<>();
    final Map<String, Long> failures = new TreeMap<>();
    final Map<String, String> firstSeed = new TreeMap<>();
    final Map<String, long[]> leaks = new TreeMap<>();
    final Map<String, long[]> residue = new TreeMap<>();
    final List<String> crashes = new ArrayList<>();
    final List<String> hangs = new ArrayList<>();

    void parse(String line, long seed) {
      String[] f = line.split(" ", 3);
      switch (f[0]) {
        case "FUZZ-CALLS" -> calls += Long.parseLong(f[1]);
        case "FUZZ-MEASURED" -> measured += Long.parseLong(f[1]);
        case "FUZZ-EXC" -> exceptions.merge(f[2], Long.parseLong(f[1]), Long::sum);
        case "FUZZ-MSG" -> messages.merge(f[2], Long.parseLong(f[1]), Long::sum);
        case "FUZZ-FAIL" -> {
          failures.merge(f[2], Long.parseLong(f[1]), Long::sum);
          firstSeed.putIfAbsent(f[2], Long.toString(seed));
        }
        case "FUZZ-LEAK" -> {
          String[] g = line.split(" ", 4);
          long[] v = leaks.computeIfAbsent(g[3], k -> new long[2]);
          v[0] += Long.parseLong(g[1]);
          v[1] += Long.parseLong(g[2]);
        }
        case "FUZZ-RESIDUE" -> {
          String[] g = line.split(" ");
          long[] v = residue.computeIfAbsent(g[1], k -> new long[2]);
          v[0] += Long.parseLong(g[2]);
          v[1] += Long.parseLong(g[3]);
        }
        default -> { }
      }
    }

    long count(String kind) {
      return failures.entrySet().stream().filter(e -> e.getKey().startsWith(kind + " |")).mapToLong(Map.Entry::getValue).sum();
    }

    boolean failed() {
      return !crashes.isEmpty() || !hangs.isEmpty() || !failures.isEmpty();
    }

    void print(PrintStream o, double seconds) {
      o.println();
      o.println("==== fuzz campaign ====");
      o.printf(Locale.ROOT, "calls: %,d in %d child JVMs, %.1f s (%,.0f calls/s)%n", calls, children, seconds, calls / Math.max(seconds, 1e-9));
      o.printf(Locale.ROOT, "crashes: %d, hangs: %d, undocumented exceptions: %,d, accepted invalid inputs: %,d, wrong results: %,d%n",
          crashes.size(), hangs.size(), count("undocumented"), count("accepted-invalid"), count("wrong-result"));
      o.println("exceptions by class:");
      exceptions.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .forEach(e -> o.printf(Locale.ROOT, "  %,10d  %s%n", e.getValue(), e.getKey()));
      o.println("top messages (numbers blurred to #):");
      messages.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(15)
          .forEach(e -> o.printf(Locale.ROOT, "  %,10d  %s%n", e.getValue(), e.getKey()));
      o.println("failures (count, kind | op: what, first seed):");
      if (failures.isEmpty()) o.println("  none");
      failures.forEach((k, v) -> o.printf(Locale.ROOT, "  %,10d  %s  (seed %s)%n", v, k, firstSeed.get(k)));
      o.printf(Locale.ROOT, "error-path leaks (live bytes grown by a call that threw, %,d such calls checked):%n", measured);
      if (leaks.isEmpty()) o.println("  none");
      leaks.forEach((k, v) -> o.printf(Locale.ROOT, "  %s: %,d calls, %,d bytes%n", k, v[0], v[1]));
      o.println("leaked after the campaigns (everything closed, collected; live bytes and allocations against the start):");
      residue.forEach((k, v) -> o.printf(Locale.ROOT, "  %s: %,d bytes in %,d allocations%n", k, v[0], v[1]));
      for (String c : crashes) o.println("CRASH " + c);
      for (String h : hangs) o.println("HANG " + h);
      o.flush();
    }
  }
}
