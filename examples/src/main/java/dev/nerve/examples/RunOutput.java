package dev.nerve.examples;

import dev.nerve.DType;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.io.Checkpoint;
import dev.nerve.io.CheckpointException;
import dev.nerve.io.SafeTensors;
import dev.nerve.nn.Module;
import dev.nerve.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output folder of one training run: the per-epoch metrics (and {@value MetricsCsv#FILE},
 * one row per checkpoint: what the model recorded since the previous one, plus the seconds
 * between them unless the model recorded its own "seconds"), the checkpoints
 * ({@value #LAST} after every epoch, {@value #BEST} whenever the score improves) and the plots.
 * The metrics travel inside the checkpoints' metadata, so a resumed run plots its whole history.
 *
 * <p>{@link #none()} records metrics but writes nothing (tests, programs that only print).
 */
public final class RunOutput {
  public static final String LAST = "last.safetensors";
  public static final String BEST = "best.safetensors";

  private final Path dir;
  private final String model;
  private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
  private double best = Double.NEGATIVE_INFINITY;
  /** The latest value of each metric recorded since the last checkpoint: the next metrics.csv row. */
  private final Map<String, Double> pending = new LinkedHashMap<>();
  private final MetricsCsv csv = new MetricsCsv();
  private long rowStart = System.nanoTime();
  /** The epoch (or step) of the last checkpoint written or resumed from; 0 when none. */
  private int saved;

  private RunOutput(Path dir, String model) {
    this.dir = dir;
    this.model = model;
  }

  /** Checkpoint metadata: a training run's Generator offset (dropout masks after a resume). */
  public static final String GENERATOR_OFFSET = "generator.offset";

  /** Metrics only; no files. */
  public static RunOutput none() {
    return new RunOutput(null, "");
  }

  /**
   * The folder dir for model, created when missing and checked to be writable (a probe file is
   * written and deleted), so a run fails before training rather than after.
   *
   * @throws IOException naming the folder and the reason
   */
  public static RunOutput create(Path dir, String model) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException("--out " + dir + ": cannot create the folder (" + reason(e) + ")", e);
    }
    try {
      Path probe = Files.createTempFile(dir, ".nerve-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException("--out " + dir + ": the folder is not writable (" + reason(e) + ")", e);
    }
    return new RunOutput(dir, model);
  }

  private static String reason(IOException e) {
    String s = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return e.getMessage() == null ? s : s + ": " + e.getMessage();
  }

  public boolean writes() {
    return dir != null;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Appends value to the series named metric ("train loss", "test accuracy").
   *
   * @throws TrainingDiverged when value is infinite (every model records its epoch's metrics
   *     before {@link #checkpoint}, so the checkpoints keep the last good epoch). NaN is let
   *     through: models record it for "no value yet" (DQN's loss before learning starts); a NaN
   *     loss is caught per step by {@link EpochProgress#step} and NaN weights by {@link #checkpoint}
   */
  public void record(String metric, double value) {
    if (Double.isInfinite(value)) {
      throw new TrainingDiverged(metric + " is " + value + " after " + (saved > 0 ? "epoch " + saved : "the first epoch"));
    }
    metrics.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
    pending.put(metric, value);
  }

  public double[] series(String metric) {
    List<Double> v = metrics.getOrDefault(metric, List.of());
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) out[i] = v.get(i);
    return out;
  }

  /**
   * Saves last.safetensors (model, optimizers, epoch, metrics) and, when score beats every
   * earlier one (higher is better), best.safetensors too. Returns whether it was the best.
   */
  public boolean checkpoint(Module model, Map<String, Optimizer> optimizers, int epoch, double score,
      Map<String, String> extra) throws IOException {
    checkFinite(model, epoch);
    boolean isBest = score > best;
    if (isBest) best = score;
    Map<String, Double> row = new LinkedHashMap<>(pending);
    long now = System.nanoTime();
    row.putIfAbsent("seconds", (now - rowStart) / 1e9);
    rowStart = now;
    pending.clear();
    csv.add(epoch, row);
    if (dir == null) return isBest;
    csv.write(dir);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("model", this.model);
    meta.put("epoch", Integer.toString(epoch));
    meta.put("score", Double.toString(score));
    meta.put("best", Double.toString(best));
    for (Map.Entry<String, List<Double>> e : metrics.entrySet()) {
      StringBuilder sb = new StringBuilder();
      for (double v : e.getValue()) sb.append(sb.length() == 0 ? "" : ",").append(v);
      meta.put("metric." + e.getKey(), sb.toString());
    }
    if (extra != null) meta.putAll(extra);
    Checkpoint.save(dir.resolve(LAST), model, optimizers, meta);
    if (isBest) Checkpoint.save(dir.resolve(BEST), model, optimizers, meta);
    saved = epoch;
    return isBest;
  }

  /**
   * A model whose weights went to NaN or infinity can still report a finite loss for the epoch
   * (the loss was computed before the step that broke it): refuse to save it over a good one.
   * x - x is 0 for every finite x and NaN otherwise, so one sum per tensor says it.
   */
  private static void checkFinite(Module model, int epoch) {
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
        Tensor t = e.getValue();
        if (t.dtype() != DType.F32) continue;
        float v = t.sub(t).sum().item();
        if (v != 0f) {
          throw new TrainingDiverged("the parameter " + e.getKey() + " holds NaN or infinite values after epoch " + epoch);
        }
      }
    }
  }

  /** Where the last good state is, for the message when training diverges. */
  public String keptCheckpoint() {
    if (dir == null) return "nothing was saved";
    if (saved == 0) return "no checkpoint was written";
    return dir.resolve(LAST) + " still holds epoch " + saved + ", the last good one";
  }

  /**
   * Continues from a checkpoint: from (a folder holding last.safetensors, or a .safetensors
   * file) must be a checkpoint of this model; loads model and optimizers and the metrics, and
   * returns the file's metadata (its "epoch" says where to go on from).
   *
   * @throws CheckpointException for another model's checkpoint or one that does not fit;
   *     nothing is changed then
   */
  public Map<String, String> resume(Path from, Module model, Map<String, Optimizer> optimizers) throws IOException {
    Path file = Files.isDirectory(from) ? from.resolve(LAST) : from;
    if (!Files.exists(file)) {
      throw new IOException("--resume " + from + ": no checkpoint there" + (Files.isDirectory(from) ? " (no " + LAST + ")" : ""));
    }
    Map<String, String> meta = SafeTensors.read(file).metadata();
    String saved = meta.get("model");
    if (!this.model.isEmpty() && !this.model.equals(saved)) {
      throw new CheckpointException("--resume " + file + ": a checkpoint of " + (saved == null ? "an unknown model" : "'" + saved + "'")
          + ", not of '" + this.model + "'");
    }
    meta = Checkpoint.load(file, model, optimizers);
    metrics.clear();
    for (Map.Entry<String, String> e : meta.entrySet()) {
      if (!e.getKey().startsWith("metric.")) continue;
      List<Double> values = new ArrayList<>();
      for (String v : e.getValue().split(",")) {
        if (!v.isEmpty()) values.add(Double.parseDouble(v));
      }
      metrics.put(e.getKey().substring(7), values);
    }
    this.saved = epochOf(meta);
    csv.continueFrom(file.resolveSibling(MetricsCsv.FILE), this.saved);
    pending.clear();
    rowStart = System.nanoTime();
    try {
      best = Double.parseDouble(meta.getOrDefault("best", "-Infinity"));
    } catch (NumberFormatException e) {
      best = Double.NEGATIVE_INFINITY;
    }
    return meta;
  }

  /** The epoch a resumed checkpoint's metadata ended at (0 when absent or unreadable). */
  public static int epochOf(Map<String, String> meta) {
    try {
      return Integer.parseInt(meta.getOrDefault("epoch", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Puts gen back where the checkpoint's run left it ({@link #GENERATOR_OFFSET}); a checkpoint
   * without one (written before it was saved) leaves gen as it is.
   *
   * @throws IOException when the value is there but not a non-negative number
   */
  public static void restoreGenerator(Map<String, String> meta, dev.nerve.Generator gen) throws IOException {
    String v = meta.get(GENERATOR_OFFSET);
    if (v == null) return;
    try {
      gen.seek(Long.parseLong(v));
    } catch (IllegalArgumentException e) {  // NumberFormatException too
      throw new IOException("checkpoint metadata " + GENERATOR_OFFSET + " must be a non-negative number, got '" + v + "'");
    }
  }

  /**
   * Plots the named metrics against epochs into file (in the folder); no-op without a folder.
   * Returns null, after one line on stderr, where the Java runtime has no java.desktop (a
   * trimmed jlink image, as the GPU kit's): the run's results and checkpoints matter more than
   * its pictures.
   */
  public Path plot(String file, String title, String xTitle, String yTitle, String... names) throws IOException {
    if (dir == null) return null;
    Map<String, double[]> series = new LinkedHashMap<>();
    for (String n : names) series.put(n, series(n));
    Path png = dir.resolve(file);
    try {
      Plots.lines(png, title, xTitle, yTitle, series);
    } catch (NoClassDefFoundError e) {
      System.err.println("nerve: " + file + " not drawn: this Java runtime lacks java.desktop (" + e.getMessage() + ")");
      return null;
    }
    return png;
  }
}
