package dev.nerve.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A table of examples read from a CSV file: every column but one is a numeric feature, the one
 * chosen by {@link Reader#target(String)} is what to predict: a class label (classification, the
 * default) or a number (regression).
 *
 * <p>Example: {@code CsvDataset.from(Path.of("iris.csv")).target("species").read()} gives
 * examples of shape {@code [4]} and labels {@code 0..2}, with {@link #classes()} =
 * {@code [setosa, versicolor, virginica]}.
 *
 * <ul>
 *   <li><b>Format</b>: RFC 4180: comma-separated (or another {@link Reader#delimiter(char)}),
 *       fields may be in double quotes (holding delimiters, line breaks and doubled quotes),
 *       LF or CRLF line ends, UTF-8 with an optional byte-order mark; blank lines are skipped.
 *   <li><b>Header</b>: detected unless {@link Reader#header(boolean)} says: the first row is a
 *       header when it holds the target's name, or when one of its fields is not a number while
 *       the field below it is. Without a header the columns are named {@code column 1, column 2, ...}.
 *   <li><b>Target</b>: a header name, or a 1-based column number ({@code "3"}), or {@code "-1"}
 *       for the last column (the default).
 *   <li><b>Classes</b>: the target's distinct values, ordered as numbers when they all are
 *       integers ({@code 0..9} stay {@code 0..9}) and as text otherwise; class {@code i} is
 *       {@code classes().get(i)}.
 *   <li><b>Errors</b>: a {@link DataFormatException} naming the file, the row (its line in the file)
 *       and the column, e.g. {@code data.csv row 17, column 'age': 'abc' is not a number}.
 * </ul>
 *
 * <p>The values live in memory as floats; the dataset is immutable and thread-safe (it may feed a
 * {@link DataLoader} with background workers). Standardise features with {@link Standardizer},
 * fitted on the training split.
 */
public final class CsvDataset implements Dataset {
  private final Path file;
  private final List<String> featureNames;
  private final String targetName;
  private final float[] features;
  private final int[] labels;
  private final float[] targets;
  private final List<String> classes;

  private CsvDataset(Path file, List<String> featureNames, String targetName, float[] features, int[] labels,
      float[] targets, List<String> classes) {
    this.file = file;
    this.featureNames = featureNames;
    this.targetName = targetName;
    this.features = features;
    this.labels = labels;
    this.targets = targets;
    this.classes = classes;
  }

  /** Starts reading file; set the options on the returned reader and call {@link Reader#read()}. */
  public static Reader from(Path file) {
    if (file == null) throw new IllegalArgumentException("CsvDataset.from: file is null");
    return new Reader(file);
  }

  /** Options for reading one CSV file; not thread-safe, used once. */
  public static final class Reader {
    private final Path file;
    private String target = "-1";
    private boolean regression;
    private Boolean header;
    private char delimiter = ',';

    private Reader(Path file) {
      this.file = file;
    }

    /** The column to predict: its header name, its 1-based number, or -1 for the last (default). */
    public Reader target(String nameOrNumber) {
      if (nameOrNumber == null || nameOrNumber.isBlank()) {
        throw new IllegalArgumentException("CsvDataset: the target column is null or blank");
      }
      this.target = nameOrNumber;
      return this;
    }

    /** The target is a number to predict (see {@link CsvDataset#target(int)}), not a class. */
    public Reader regression() {
      this.regression = true;
      return this;
    }

    /** Whether the first row is a header, instead of detecting it. */
    public Reader header(boolean present) {
      this.header = present;
      return this;
    }

    /** The field separator (default ','; e.g. ';' or '\t'); not '"' or a line break. */
    public Reader delimiter(char d) {
      if (d == '"' || d == '\n' || d == '\r') throw new IllegalArgumentException("CsvDataset: bad delimiter " + (int) d);
      this.delimiter = d;
      return this;
    }

    /**
     * Reads the file.
     *
     * @throws java.io.FileNotFoundException if the file does not exist
     * @throws DataFormatException naming file, row and column for malformed content: no data
     *     rows, a row with another number of fields than the first, an empty or non-numeric
     *     feature, an unknown target column, a single class, a non-numeric regression target
     * @throws IOException on other read failures
     */
    public CsvDataset read() throws IOException {
      if (!Files.exists(file)) throw new java.io.FileNotFoundException(file + ": no such file");
      if (Files.isDirectory(file)) throw new java.io.FileNotFoundException(file + " is a folder, not a CSV file");
      List<CsvRecords.Row> rows = new ArrayList<>(CsvRecords.read(file, delimiter));
      rows.removeIf(r -> r.fields().size() == 1 && r.fields().get(0).isBlank());
      if (rows.isEmpty()) throw new DataFormatException(file, file + ": no rows");
      int width = rows.get(0).fields().size();
      for (CsvRecords.Row r : rows) {
        if (r.fields().size() != width) {
          throw new DataFormatException(file, file + " row " + r.line() + ": " + r.fields().size()
              + " fields, but row " + rows.get(0).line() + " has " + width);
        }
      }
      if (width < 2) {
        throw new DataFormatException(file, file + ": one column only; a dataset needs features and a target column"
            + (delimiter == ',' ? " (is the file separated by ';' or tabs? set the delimiter)" : ""));
      }
      boolean hasHeader = header != null ? header : detectHeader(rows, target);
      List<String> names = new ArrayList<>();
      for (int c = 0; c < width; c++) {
        names.add(hasHeader ? rows.get(0).fields().get(c).strip() : "column " + (c + 1));
      }
      List<CsvRecords.Row> data = hasHeader ? rows.subList(1, rows.size()) : rows;
      if (data.isEmpty()) throw new DataFormatException(file, file + ": a header and no data rows");
      int t = targetColumn(names, hasHeader);
      return build(names, t, data);
    }

    private int targetColumn(List<String> names, boolean hasHeader) throws DataFormatException {
      int exact = names.indexOf(target.strip());
      if (exact >= 0) return exact;
      for (int c = 0; c < names.size(); c++) {
        if (names.get(c).equalsIgnoreCase(target.strip())) return c;
      }
      try {
        int k = Integer.parseInt(target.strip());
        if (k == -1) return names.size() - 1;
        if (k >= 1 && k <= names.size()) return k - 1;
      } catch (NumberFormatException e) {
        // not a number: an unknown name, reported below
      }
      throw new DataFormatException(file, file + ": no target column '" + target + "'; "
          + (hasHeader ? "the columns are " + names + ", or give a number 1.." + names.size()
              : "the file has no header, so give a column number 1.." + names.size() + " (or -1 for the last)"));
    }

    private CsvDataset build(List<String> names, int t, List<CsvRecords.Row> data) throws DataFormatException {
      int n = data.size();
      int d = names.size() - 1;
      float[] x = new float[n * d];
      String[] raw = new String[n];
      for (int i = 0; i < n; i++) {
        CsvRecords.Row r = data.get(i);
        int k = 0;
        for (int c = 0; c < names.size(); c++) {
          String v = r.fields().get(c).strip();
          if (c == t) {
            raw[i] = v;
            if (v.isEmpty()) throw error(r, names.get(c), "the target is empty");
            continue;
          }
          x[i * d + k++] = number(r, names.get(c), v);
        }
      }
      List<String> featureNames = new ArrayList<>(names);
      String targetName = featureNames.remove(t);
      if (regression) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = number(data.get(i), targetName, raw[i]);
        return new CsvDataset(file, List.copyOf(featureNames), targetName, x, null, y, List.of());
      }
      List<String> classes = classes(raw);
      if (classes.size() < 2) {
        throw new DataFormatException(file, file + ", column '" + targetName + "': every row has the class '"
            + classes.get(0) + "'; classification needs at least 2 classes (for a numeric target use regression)");
      }
      Map<String, Integer> index = new java.util.HashMap<>();
      for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
      int[] y = new int[n];
      for (int i = 0; i < n; i++) y[i] = index.get(canonical(raw[i]));
      return new CsvDataset(file, List.copyOf(featureNames), targetName, x, y, null, List.copyOf(classes));
    }

    private float number(CsvRecords.Row r, String column, String v) throws DataFormatException {
      if (v.isEmpty()) throw error(r, column, "the value is empty (missing values are not supported: fill or drop the row)");
      float f;
      try {
        f = Float.parseFloat(v);
      } catch (NumberFormatException e) {
        throw error(r, column, "'" + v + "' is not a number");
      }
      if (!Float.isFinite(f)) throw error(r, column, "'" + v + "' is not a finite number");
      return f;
    }

    private DataFormatException error(CsvRecords.Row r, String column, String what) {
      return new DataFormatException(file, file + " row " + r.line() + ", column '" + column + "': " + what);
    }
  }

  /** Integer labels compare as integers ("7" and "07" are one class); anything else as text. */
  private static String canonical(String v) {
    try {
      return Long.toString(Long.parseLong(v));
    } catch (NumberFormatException e) {
      return v;
    }
  }

  private static List<String> classes(String[] raw) {
    boolean integers = true;
    for (String v : raw) {
      try {
        Long.parseLong(v);
      } catch (NumberFormatException e) {
        integers = false;
        break;
      }
    }
    if (integers) {
      TreeSet<Long> set = new TreeSet<>();
      for (String v : raw) set.add(Long.parseLong(v));
      return set.stream().map(String::valueOf).toList();
    }
    return List.copyOf(new TreeSet<>(Arrays.asList(raw)));
  }

  /** The header rule: the target's name is in row 1, or a field of row 1 is text above a number. */
  static boolean detectHeader(List<CsvRecords.Row> rows, String target) {
    List<String> first = rows.get(0).fields();
    for (String f : first) {
      if (f.strip().equalsIgnoreCase(target.strip()) && !isNumber(f)) return true;
    }
    if (rows.size() < 2) return first.stream().noneMatch(CsvDataset::isNumber);
    List<String> second = rows.get(1).fields();
    for (int c = 0; c < first.size(); c++) {
      if (!isNumber(first.get(c)) && isNumber(second.get(c))) return true;
    }
    return false;
  }

  private static boolean isNumber(String s) {
    try {
      return Float.isFinite(Float.parseFloat(s.strip()));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** The names of the feature columns, in order (header names, or "column N"). */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The target column's name. */
  public String targetName() {
    return targetName;
  }

  /** Whether the target is a class (false: a regression target). */
  public boolean isClassification() {
    return labels != null;
  }

  /** The class names: class {@code i} is {@code classes().get(i)}; empty for regression. */
  public List<String> classes() {
    return classes;
  }

  @Override
  public int size() {
    return labels != null ? labels.length : targets.length;
  }

  /** {@code [featureNames().size()]}. */
  @Override
  public long[] exampleShape() {
    return new long[] {featureNames.size()};
  }

  @Override
  public void features(int index, float[] dst, int offset) {
    int d = featureNames.size();
    System.arraycopy(features, index * d, dst, offset, d);
  }

  /**
   * The class index of example index.
   *
   * @throws UnsupportedOperationException for a regression dataset (use {@link #target(int)})
   */
  @Override
  public int label(int index) {
    if (labels == null) {
      throw new UnsupportedOperationException("CsvDataset " + file + ": the target '" + targetName
          + "' was read for regression; use target(index), or read it without regression() for class labels");
    }
    return labels[index];
  }

  /** The target of example index as a number: the regression value, or the class index as a float. */
  public float target(int index) {
    return targets != null ? targets[index] : labels[index];
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "CsvDataset[%s: %,d rows, %d features, target '%s'%s]", file, size(),
        featureNames.size(), targetName, labels != null ? ", " + classes.size() + " classes" : " (regression)");
  }

}
