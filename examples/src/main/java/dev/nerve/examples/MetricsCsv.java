package dev.nerve.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's metrics.csv: one row per epoch (per checkpoint, for the models that count steps),
 * the column "epoch" first and then every metric in the order the model first recorded it. A
 * metric a row lacks (NaN, or not recorded that epoch) is an empty cell. The whole file is
 * rewritten after every row through a temporary file, so a run stopped at any point leaves a
 * complete file; a resumed run starts from the rows of the run it continues.
 */
final class MetricsCsv {
  static final String FILE = "metrics.csv";

  private final Set<String> columns = new LinkedHashSet<>();
  private final List<Map<String, String>> rows = new ArrayList<>();

  /** Adds the row for epoch with values (NaN for none); a row for an epoch already held replaces it and those after. */
  void add(int epoch, Map<String, Double> values) {
    rows.removeIf(r -> Integer.parseInt(r.get("epoch")) >= epoch);
    Map<String, String> row = new LinkedHashMap<>();
    row.put("epoch", Integer.toString(epoch));
    for (Map.Entry<String, Double> e : values.entrySet()) {
      columns.add(e.getKey());
      if (!Double.isNaN(e.getValue())) row.put(e.getKey(), Double.toString(e.getValue()));
    }
    rows.add(row);
  }

  int size() {
    return rows.size();
  }

  /**
   * Takes over the rows up to epoch from an earlier run's file (a missing or unreadable file
   * gives none: the metrics are a record, not state the training needs).
   */
  void continueFrom(Path file, int epoch) {
    rows.clear();
    columns.clear();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    if (lines.isEmpty()) return;
    List<String> header = split(lines.get(0));
    if (header.isEmpty() || !header.get(0).equals("epoch")) return;
    columns.addAll(header.subList(1, header.size()));
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = split(line);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < Math.min(cells.size(), header.size()); i++) {
        if (!cells.get(i).isEmpty()) row.put(header.get(i), cells.get(i));
      }
      try {
        if (Integer.parseInt(row.getOrDefault("epoch", "")) <= epoch) rows.add(row);
      } catch (NumberFormatException e) {
        // not a row this class wrote: left out
      }
    }
  }

  void write(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>();
    header.add("epoch");
    header.addAll(columns);
    for (int i = 0; i < header.size(); i++) sb.append(i == 0 ? "" : ",").append(quote(header.get(i)));
    sb.append('\n');
    for (Map<String, String> row : rows) {
      for (int i = 0; i < header.size(); i++) sb.append(i == 0 ? "" : ",").append(row.getOrDefault(header.get(i), ""));
      sb.append('\n');
    }
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Metric names are the models' own ("bits/char", "examples/s"); quoted only where CSV needs it. */
  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }
}
