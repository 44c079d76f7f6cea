package dev.nerve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the table of a {@code ci/bench} run from JMH's JSON result files.
 *
 * <p>Arguments: {@code label=file.json} pairs; the first is Nerve, the second the peer the ratio
 * is taken against, any further ones are shown for information (ratio against each). Scores
 * are JMH throughput with one op = one example, so they read as examples/s.
 */
public final class Report {
  /** Register-only FMA peak on this kind of machine (2 cores, AVX-512, DESIGN.md section 10). */
  private static final double PEAK_GFLOPS = 354;

  private record Row(String label, double median, double mean, double error, double min, double max) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) throw new IllegalArgumentException("usage: Report nerveLabel=nerve.json peerLabel=peer.json ...");
    List<Row> rows = new ArrayList<>();
    for (String a : args) {
      int eq = a.lastIndexOf('=');
      rows.add(read(a.substring(0, eq), Path.of(a.substring(eq + 1))));
    }
    double stepsAtPeak = PEAK_GFLOPS * 1e9 / MlpSpec.FLOPS_PER_STEP;
    System.out.println();
    System.out.printf(Locale.ROOT,
        "mnist-mlp training step: batch %d, %d-%d-%d-%d MLP, ReLU, cross-entropy, SGD momentum %.1f (lr %.2f), 2 threads%n",
        MlpSpec.BATCH, MlpSpec.IN, MlpSpec.H1, MlpSpec.H2, MlpSpec.OUT, MlpSpec.MOMENTUM, MlpSpec.LR);
    System.out.printf(Locale.ROOT, "%.1f MFLOP per step; floor at %.0f GFLOP/s (FMA peak, 2 cores): %.3f ms/step = %,.0f examples/s%n%n",
        MlpSpec.FLOPS_PER_STEP / 1e6, PEAK_GFLOPS, 1e3 / stepsAtPeak, stepsAtPeak * MlpSpec.BATCH);
    String fmt = "%-52s %14s %20s %9s %9s %8s %16s%n";
    System.out.printf(Locale.ROOT, fmt, "benchmark", "examples/s", "mean ± 99.9% CI", "ms/step", "GFLOP/s", "of peak",
        "Nerve/this");
    Row nerve = rows.get(0);
    for (Row r : rows) {
      double stepsPerS = r.median / MlpSpec.BATCH;
      double gflops = stepsPerS * MlpSpec.FLOPS_PER_STEP / 1e9;
      System.out.printf(Locale.ROOT, fmt, r.label, String.format(Locale.ROOT, "%,.0f", r.median),
          String.format(Locale.ROOT, "%,.0f ± %,.0f", r.mean, r.error),
          String.format(Locale.ROOT, "%.3f", 1e3 / stepsPerS),
          String.format(Locale.ROOT, "%.1f", gflops),
          String.format(Locale.ROOT, "%.1f%%", 100 * gflops / PEAK_GFLOPS),
          r == nerve ? "" : String.format(Locale.ROOT, "%.2fx", nerve.median / r.median));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "ratio Nerve/PyTorch (median examples/s): %.2f  [%s vs %s]%n",
        nerve.median / rows.get(1).median, nerve.label, rows.get(1).label);
    System.out.println("examples/s = JMH throughput with one op = one example (median of the measured iterations).");
    System.out.println("PyTorch ran with GOMP_SPINCOUNT=10000 OPENBLAS_THREAD_TIMEOUT=4 (its best on 2 cores);"
        + " Nerve ran with the environment untouched: it needs no such tuning.");
  }

  private static Row read(String label, Path file) throws IOException {
    String json = Files.readString(file);
    int p = json.indexOf("\"primaryMetric\"");
    if (p < 0) throw new IOException(file + ": no primaryMetric (did the benchmark fail?)");
    String m = json.substring(p);
    return new Row(label, number(m, "50.0"), number(m, "score"), number(m, "scoreError"), number(m, "0.0"),
        number(m, "100.0"));
  }

  private static double number(String json, String key) throws IOException {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"?([-+0-9.eE]+|NaN)").matcher(json);
    if (!m.find()) throw new IOException("no \"" + key + "\" in the JMH result");
    return Double.parseDouble(m.group(1));
  }
}
