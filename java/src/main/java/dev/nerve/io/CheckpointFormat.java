package dev.nerve.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The metadata a {@link Checkpoint} adds to the safetensors file, and its reading back:
 *
 * <pre>
 * "format": "nerve", "format_version": "2"
 * "optimizers": "KEY,KEY2"                       when there are optimizers
 * "KEY": "Adam"                                  the optimizer's class
 * "KEY.steps": "120", "KEY.lr": "0.001"          step count and learning rate
 * "KEY.beta1": "0.9", ...                        its settings (StatefulOptimizer.hyperParameters)
 * </pre>
 *
 * plus the caller's entries and the checksums of {@link SafeTensors}. Version 1 (before
 * checksums) had no "format_version" and no settings; it still loads, with a warning.
 */
final class CheckpointFormat {
  static final String FORMAT = "format";
  static final String NERVE = "nerve";
  static final String VERSION = "format_version";
  static final String OPTIMIZERS = "optimizers";
  static final String STEPS = "steps";
  static final String LR = "lr";
  /** The version written, and the newest read. */
  static final int CURRENT = 2;

  private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private CheckpointFormat() {}

  /** The metadata describing the optimizers (class, steps, lr, settings) and the format. */
  static Map<String, String> describe(Map<String, ? extends StatefulOptimizer> optimizers) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(FORMAT, NERVE);
    meta.put(VERSION, Integer.toString(CURRENT));
    if (!optimizers.isEmpty()) meta.put(OPTIMIZERS, String.join(",", optimizers.keySet()));
    for (Map.Entry<String, ? extends StatefulOptimizer> o : optimizers.entrySet()) {
      String key = o.getKey();
      if (!validKey(key)) throw new IllegalArgumentException("Checkpoint.save: bad optimizer key '" + key + "' (letters, digits, '_', '-')");
      StatefulOptimizer opt = o.getValue();
      if (opt == null) throw new IllegalArgumentException("Checkpoint.save: optimizer '" + key + "' is null");
      meta.put(key, opt.getClass().getSimpleName());
      meta.put(key + "." + STEPS, Long.toString(opt.stepCount()));
      meta.put(key + "." + LR, Float.toString(opt.lr()));
      opt.hyperParameters().forEach((k, v) -> meta.put(key + "." + k, v));
    }
    return meta;
  }

  static boolean validKey(String key) {
    return key != null && key.matches("[A-Za-z0-9_-]+");
  }

  /** A caller's metadata key that the format uses itself ("format", "optimizers", "KEY.steps", ...) is refused. */
  static void checkUserKey(String k, Set<String> optimizerKeys) {
    boolean reserved = k == null || k.equals(FORMAT) || k.equals(VERSION) || k.equals(OPTIMIZERS) || optimizerKeys.contains(k)
        || (k.indexOf('.') > 0 && optimizerKeys.contains(k.substring(0, k.indexOf('.'))));
    if (reserved) throw new IllegalArgumentException("Checkpoint.save: metadata key '" + k + "' is reserved for the checkpoint format");
  }

  /** 0 for a file not written by Nerve, 1 for Nerve's files before checksums, else its format_version. */
  static int version(Path path, Map<String, String> meta) throws CheckpointException {
    if (!NERVE.equals(meta.get(FORMAT))) return 0;
    String v = meta.get(VERSION);
    if (v == null) return 1;
    if (!v.matches("[1-9][0-9]{0,8}")) throw bad(path, "metadata " + VERSION + " = '" + v + "' is not a version number");
    int version = Integer.parseInt(v);
    if (version > CURRENT) {
      throw bad(path, "written by a newer Nerve (" + VERSION + " " + version + "; this one reads up to " + CURRENT + ")");
    }
    return version;
  }

  /**
   * Refuses a version 2 file without checksums (they were stripped) and notes, once per process,
   * a file that has none because an older Nerve or another tool wrote it.
   */
  static void checkVerified(Path path, int version, SafeTensors file) throws CheckpointException {
    if (file.checksummed()) return;
    if (version >= 2) throw bad(path, "a " + VERSION + " " + version + " checkpoint without its checksums (they were removed)");
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, path + " has no checksums (written by another tool or an older Nerve): its structure, "
          + "names, dtypes and shapes were checked, but a changed value cannot be detected. Saving it again adds them. "
          + "(Reported once; SafeTensors.read(path).checksummed() tells for any file.)");
    }
  }

  /** The optimizer keys the file lists, each valid and listed once. */
  static List<String> optimizerKeys(Path path, Map<String, String> meta) throws CheckpointException {
    String list = meta.get(OPTIMIZERS);
    if (list == null) return List.of();
    Set<String> keys = new LinkedHashSet<>();
    for (String k : list.split(",", -1)) {
      if (!validKey(k) || !keys.add(k)) throw bad(path, "metadata " + OPTIMIZERS + " = '" + list + "' is not a list of distinct keys");
    }
    return new ArrayList<>(keys);
  }

  static long steps(Path path, Map<String, String> meta, String key) throws CheckpointException {
    String v = required(path, meta, key + "." + STEPS);
    if (!v.matches("(0|[1-9][0-9]{0,17})")) {
      throw bad(path, "metadata " + key + "." + STEPS + " = '" + v + "' is not a step count (an integer >= 0)");
    }
    return Long.parseLong(v);
  }

  static float lr(Path path, Map<String, String> meta, String key) throws CheckpointException {
    String v = required(path, meta, key + "." + LR);
    float lr = parseFloat(v);
    if (!(lr >= 0) || Float.isInfinite(lr)) {
      throw bad(path, "metadata " + key + "." + LR + " = '" + v + "' is not a learning rate (a finite number >= 0)");
    }
    return lr;
  }

  /**
   * Checks that the file's settings for key are those of opt, none missing and none unknown: the
   * state was made with them (momentum buffers exist only with momentum, Adam's moments depend on
   * the betas), so loading it into another configuration would resume a different run.
   */
  static void checkSettings(Path path, Map<String, String> meta, String key, StatefulOptimizer opt) throws CheckpointException {
    Map<String, String> mine = opt.hyperParameters();
    String type = opt.getClass().getSimpleName();
    for (Map.Entry<String, String> s : mine.entrySet()) {
      String name = key + "." + s.getKey();
      String v = required(path, meta, name);
      boolean bool = s.getValue().equals("true") || s.getValue().equals("false");
      if (bool && !v.equals("true") && !v.equals("false")) throw bad(path, "metadata " + name + " = '" + v + "' is not true or false");
      if (!bool) {
        float f = parseFloat(v);
        if (!Float.isFinite(f)) throw bad(path, "metadata " + name + " = '" + v + "' is not a finite number");
        if (f == Float.parseFloat(s.getValue())) continue;
      } else if (v.equals(s.getValue())) {
        continue;
      }
      throw bad(path, "metadata " + name + " = " + v + " but this " + type + " has " + s.getKey() + " = " + s.getValue()
          + " (the state was made with other settings; construct the optimizer with the file's)");
    }
    for (String k : meta.keySet()) {
      if (!k.startsWith(key + ".")) continue;
      String setting = k.substring(key.length() + 1);
      if (!setting.equals(STEPS) && !setting.equals(LR) && !mine.containsKey(setting)) {
        throw bad(path, "metadata " + k + ": " + type + " has no setting '" + setting + "' (it has " + mine.keySet() + ")");
      }
    }
  }

  private static String required(Path path, Map<String, String> meta, String name) throws CheckpointException {
    String v = meta.get(name);
    if (v == null) throw bad(path, "metadata " + name + " is missing");
    return v;
  }

  /** The float value of v, NaN when it is not a number. */
  private static float parseFloat(String v) {
    try {
      return Float.parseFloat(v);
    } catch (NumberFormatException e) {
      return Float.NaN;
    }
  }

  static CheckpointException bad(Path path, String what) {
    return new CheckpointException(path + ": " + what);
  }
}
