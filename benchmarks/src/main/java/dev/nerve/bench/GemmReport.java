package dev.nerve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints a {@code ci/bench-gemm} table from JMH JSON results of {@link GemmBenchmark}.
 *
 * <p>Arguments: {@code title peakGflops nerveLabel=nerve.json peerLabel=peer.json...}. Each row is
 * a shape: GFLOP/s of Nerve and of each peer (from the median time per call), the ratio of Nerve to
 * the best peer on that shape, and Nerve's share of the peak.
 */
public final class GemmReport {
  public static void main(String[] args) throws IOException {
    if (args.length < 4) throw new IllegalArgumentException("usage: GemmReport title peak nerve=a.json peer=b.json...");
    String title = args[0];
    double peak = Double.parseDouble(args[1]);
    List<String> labels = new ArrayList<>();
    List<Map<String, Double>> gflops = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].lastIndexOf('=');
      labels.add(args[i].substring(0, eq));
      gflops.add(read(Path.of(args[i].substring(eq + 1))));
    }
    System.out.println();
    System.out.println(title);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-20s |", "shape (M,N,K)"));
    StringBuilder rule = new StringBuilder("|----------------------|");
    for (String l : labels) {
      header.append(String.format(Locale.ROOT, " %s |", l));
      rule.append("-".repeat(l.length() + 1)).append(":|");
    }
    header.append(" Nerve / best peer | Nerve % of peak |");
    rule.append("------------------:|----------------:|");
    System.out.println(header);
    System.out.println(rule);
    double logSum = 0;
    int rows = 0;
    for (String shape : GemmBenchmark.SHAPES) {
      Double nerve = gflops.get(0).get(shape);
      if (nerve == null) continue;
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-20s |", pretty(shape)));
      double best = 0;
      for (int i = 0; i < labels.size(); i++) {
        Double g = gflops.get(i).get(shape);
        row.append(String.format(Locale.ROOT, " %" + labels.get(i).length() + "s |",
            g == null ? "-" : String.format(Locale.ROOT, "%.1f", g)));
        if (i > 0 && g != null) best = Math.max(best, g);
      }
      row.append(String.format(Locale.ROOT, " %17s | %14.0f%% |", best > 0 ? String.format(Locale.ROOT, "%.2fx", nerve / best) : "-",
          100 * nerve / peak));
      System.out.println(row);
      if (best > 0) {
        logSum += Math.log(nerve / best);
        rows++;
      }
    }
    if (rows > 0)
      System.out.printf(Locale.ROOT, "geometric mean of Nerve / best peer over %d shapes: %.2fx; peak %.0f GFLOP/s%n", rows,
          Math.exp(logSum / rows), peak);
  }

  private static String pretty(String shape) {
    GemmBenchmark.Shape s = GemmBenchmark.Shape.parse(shape);
    String t = s.ta() || s.tb() ? " " + (s.ta() ? "T" : "N") + (s.tb() ? "T" : "N") : "";
    return (s.batch() > 1 ? s.batch() + " x " : "") + "(" + s.m() + ", " + s.n() + ", " + s.k() + ")" + t;
  }

  /** shape -> GFLOP/s from the median time per call (microseconds) of each result entry. */
  private static Map<String, Double> read(Path file) throws IOException {
    String json = Files.readString(file);
    Map<String, Double> out = new LinkedHashMap<>();
    Pattern shapeP = Pattern.compile("\"shape\"\\s*:\\s*\"([^\"]+)\"");
    Pattern medianP = Pattern.compile("\"50\\.0\"\\s*:\\s*([-+0-9.eE]+)");
    for (String entry : json.split("\"jmhVersion\"")) {
      Matcher sm = shapeP.matcher(entry);
      int pm = entry.indexOf("\"primaryMetric\"");
      if (!sm.find() || pm < 0) continue;
      Matcher mm = medianP.matcher(entry.substring(pm));
      if (!mm.find()) continue;
      double micros = Double.parseDouble(mm.group(1));
      out.put(sm.group(1), GemmBenchmark.Shape.parse(sm.group(1)).flops() / (micros * 1e-6) / 1e9);
    }
    return out;
  }
}
