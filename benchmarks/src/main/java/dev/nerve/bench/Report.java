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
 * <p>Arguments: {@code label=file.json} pairs; the first is Nerve, the others PyTorch runs. The
 * headline ratio is taken against the best PyTorch run whose label does not start with
 * {@code info:} (those are shown for information only). Scores are JMH throughput with one op =
 * one example, so they read as examples/s.
 */
public final class Report {
  /**
   * FP32 FMA peak the "of peak" column divides by: 542 GFLOP/s, measured on this kind of machine
   * (2 cores, Zen 5, AVX-512) by native/dev/fma_peak.cpp (see native/dev/gemm_notes.md; an older
   * figure of 354 was taken with the other core busy). {@code -Dnerve.bench.peakGflops=...} overrides.
   */
  private static final double PEAK_GFLOPS = Double.parseDouble(System.getProperty("nerve.bench.peakGflops", "542"));

  private record Row(String label, boolean info, double median, double mean, double error) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) throw new IllegalArgumentException("usage: Report nerveLabel=nerve.json peerLabel=peer.json ...");
    List<Row> rows = new ArrayList<>();
    for (String a : args) {
      int eq = a.lastIndexOf('=');
      String label = a.substring(0, eq);
      boolean info = label.startsWith("info:");
      rows.add(read(info ? label.substring(5) : label, info, Path.of(a.substring(eq + 1))));
    }
    double stepsAtPeak = PEAK_GFLOPS * 1e9 / MlpSpec.FLOPS_PER_STEP;
    System.out.println();
    System.out.printf(Locale.ROOT,
        "mnist-mlp training step: batch %d, %d-%d-%d-%d MLP, ReLU, cross-entropy, SGD momentum %.1f (lr %.2f), 2 threads%n",
        MlpSpec.BATCH, MlpSpec.IN, MlpSpec.H1, MlpSpec.H2, MlpSpec.OUT, StepBenchmark.MOMENTUM, StepBenchmark.LR);
    System.out.printf(Locale.ROOT, "%.1f MFLOP per step (GEMMs); floor at %.0f GFLOP/s (FP32 FMA peak, 2 cores): %.3f ms/step = %,.0f examples/s%n%n",
        MlpSpec.FLOPS_PER_STEP / 1e6, PEAK_GFLOPS, 1e3 / stepsAtPeak, stepsAtPeak * MlpSpec.BATCH);
    String fmt = "%-48s %17s %20s %9s %9s %8s %16s%n";
    System.out.printf(Locale.ROOT, fmt, "benchmark", "examples/s (med)", "mean ± 99.9% CI", "ms/step", "GFLOP/s", "of peak",
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
    Row best = null;
    for (Row r : rows.subList(1, rows.size())) {
      if (!r.info && (best == null || r.median > best.median)) best = r;
    }
    System.out.println();
    if (best != null) {
      System.out.printf(Locale.ROOT, "ratio Nerve/PyTorch (median examples/s, PyTorch at its best): %.2f  [%s vs %s]%n",
          nerve.median / best.median, nerve.label, best.label);
    }
    System.out.println("examples/s = JMH throughput with one op = one example (median of the measured iterations).");
    System.out.println("PyTorch's tuned runs had GOMP_SPINCOUNT=10000 OPENBLAS_THREAD_TIMEOUT=4 (and, where named,"
        + " OPENBLAS_CORETYPE=SkylakeX: OpenBLAS picks its AVX2 kernels on this CPU otherwise);"
        + " Nerve ran with the environment untouched: it needs no such tuning.");
  }

  private static Row read(String label, boolean info, Path file) throws IOException {
    String json = Files.readString(file);
    int p = json.indexOf("\"primaryMetric\"");
    if (p < 0) throw new IOException(file + ": no primaryMetric (did the benchmark fail?)");
    String m = json.substring(p);
    return new Row(label, info, number(m, "50.0"), number(m, "score"), number(m, "scoreError"));
  }

  private static double number(String json, String key) throws IOException {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"?([-+0-9.eE]+|NaN)").matcher(json);
    if (!m.find()) throw new IOException("no \"" + key + "\" in the JMH result");
    return Double.parseDouble(m.group(1));
  }
}
