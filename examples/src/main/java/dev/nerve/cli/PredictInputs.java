package dev.nerve.cli;

import dev.nerve.data.CsvRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Reads nerve predict's inputs: CSV rows matched to the training features by name, and image files. */
final class PredictInputs {
  private PredictInputs() {}

  /**
   * The rows of csv with the saved features, in the saved order, standardised as in training. A
   * file with a header is matched by column name (other columns, the target too, are ignored); a
   * run trained on a file without a header ("column 1", ...) takes the columns by position.
   *
   * @throws IOException one line naming the file, and the missing column or the row and column of a bad value
   */
  static List<PredictCommand.Row> csvRows(Path csv, List<String> features, float[] mean, float[] std) throws IOException {
    if (!Files.isRegularFile(csv)) throw new IOException(csv + ": no such CSV file");
    List<CsvRecords.Row> records = new ArrayList<>(CsvRecords.read(csv, ','));
    records.removeIf(r -> r.fields().size() == 1 && r.fields().get(0).isBlank());
    if (records.isEmpty()) throw new IOException(csv + ": no rows");
    int[] column = new int[features.size()];
    List<String> header = records.get(0).fields().stream().map(String::strip).toList();
    boolean positional = features.stream().allMatch(f -> f.matches("column \\d+")) && !header.containsAll(features);
    for (int j = 0; j < column.length; j++) {
      column[j] = positional ? Integer.parseInt(features.get(j).substring(7)) - 1 : header.indexOf(features.get(j));
      if (column[j] < 0) {
        throw new IOException(csv + ": no column '" + features.get(j) + "'; the model needs the columns " + features);
      }
    }
    List<PredictCommand.Row> rows = new ArrayList<>();
    for (CsvRecords.Row r : records.subList(positional ? 0 : 1, records.size())) {
      float[] x = new float[column.length];
      for (int j = 0; j < column.length; j++) {
        String name = features.get(j);
        if (column[j] >= r.fields().size()) {
          throw new IOException(csv + " row " + r.line() + ": " + r.fields().size() + " fields, no column '" + name + "'");
        }
        String v = r.fields().get(column[j]).strip();
        try {
          x[j] = (Float.parseFloat(v) - mean[j]) / std[j];
        } catch (NumberFormatException e) {
          throw new IOException(csv + " row " + r.line() + ", column '" + name + "': '" + v + "' is not a number");
        }
      }
      rows.add(new PredictCommand.Row(csv + " row " + r.line(), x));
    }
    return rows;
  }

  /** The images named, and those in the folders named (recursively, sorted, hidden files skipped). */
  static List<Path> imageFiles(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (!Files.exists(p)) throw new IOException(p + ": no such image file or folder");
      if (!Files.isDirectory(p)) {
        files.add(p);
        continue;
      }
      try (Stream<Path> walk = Files.walk(p)) {
        List<Path> found = walk.filter(Files::isRegularFile).filter(PredictInputs::isImageName).sorted().toList();
        if (found.isEmpty()) throw new IOException(p + ": no PNG or JPEG images in the folder");
        files.addAll(found);
      }
    }
    return files;
  }

  private static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }
}
