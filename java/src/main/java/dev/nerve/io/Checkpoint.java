package dev.nerve.io;

import dev.nerve.DType;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters, optionally with its optimizer's state, in one safetensors file. It works
 * on state dicts: the model is anything {@link Stateful} (a {@code dev.nerve.nn.Module}), each
 * optimizer a {@link StatefulOptimizer} (a {@code dev.nerve.optim.Optimizer}).
 *
 * <p>Layout: the module's parameters under their dotted names ("0.weight"), so any safetensors
 * reader sees a plain state dict; each optimizer's state under its key and a slash
 * ("optimizer/0.exp_avg"; a GAN's two optimizers might be "g_optimizer/..." and
 * "d_optimizer/..."); metadata "format" = "nerve", "optimizers" (the keys, comma-separated), and
 * per key its class name, "KEY.steps" and "KEY.lr"; plus whatever the caller adds (epoch, model
 * name, ...).
 *
 * <p>Writes are atomic ({@link SafeTensors#write}). {@link #load} reads and checks the whole file
 * first (format, names, dtypes, shapes, optimizer type) and only then copies into the model and
 * optimizer, so any error leaves both as they were.
 */
public final class Checkpoint {
  /** The key of the optimizer in the one-optimizer forms of save and load. */
  public static final String OPTIMIZER = "optimizer";

  private Checkpoint() {}

  /**
   * Saves model (and optimizer, when not null) with extra metadata to path, atomically.
   *
   * @throws IOException when the folder is missing or not writable, or the disk fails
   */
  public static void save(Path path, Stateful model, StatefulOptimizer optimizer, Map<String, String> metadata) throws IOException {
    save(path, model, optimizer == null ? Map.of() : Map.of(OPTIMIZER, optimizer), metadata);
  }

  /** Saves model and several optimizers, each under its key (letters, digits, '_' and '-'). */
  public static void save(Path path, Stateful model, Map<String, ? extends StatefulOptimizer> optimizers,
      Map<String, String> metadata)
      throws IOException {
    if (model == null) throw new IllegalArgumentException("Checkpoint.save: model is null");
    Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "nerve");
    if (!optimizers.isEmpty()) meta.put("optimizers", String.join(",", optimizers.keySet()));
    for (Map.Entry<String, ? extends StatefulOptimizer> o : optimizers.entrySet()) {
      String key = o.getKey();
      if (!key.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("Checkpoint.save: bad optimizer key '" + key + "'");
      StatefulOptimizer opt = o.getValue();
      opt.stateDict().forEach((k, v) -> tensors.put(key + "/" + k, v));
      meta.put(key, opt.getClass().getSimpleName());
      meta.put(key + ".steps", Long.toString(opt.stepCount()));
      meta.put(key + ".lr", Float.toString(opt.lr()));
    }
    if (metadata != null) meta.putAll(metadata);
    SafeTensors.write(path, tensors, meta);
  }

  /**
   * Loads path into model (and optimizer, when not null; the file must then hold that optimizer
   * type's state) and returns the file's metadata. Optimizer entries are ignored when optimizer
   * is null.
   *
   * @throws CheckpointException naming the file and every mismatch (missing and unexpected names,
   *     dtypes, shapes, optimizer type); nothing was changed
   * @throws IOException when the file cannot be read
   */
  public static Map<String, String> load(Path path, Stateful model, StatefulOptimizer optimizer) throws IOException {
    return load(path, model, optimizer == null ? Map.of() : Map.of(OPTIMIZER, optimizer));
  }

  /** Loads model and the optimizers by key (see {@link #save(Path, Stateful, Map, Map)}); all or nothing. */
  public static Map<String, String> load(Path path, Stateful model, Map<String, ? extends StatefulOptimizer> optimizers) throws IOException {
    if (model == null) throw new IllegalArgumentException("Checkpoint.load: model is null");
    SafeTensors file = SafeTensors.read(path);
    Map<String, String> meta = file.metadata();
    List<String> keys = meta.containsKey("optimizers") ? List.of(meta.get("optimizers").split(",")) : List.of();
    Map<String, Tensor> params = model.stateDict();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    Map<String, Map<String, SafeTensors.Entry>> optimizerEntries = new LinkedHashMap<>();
    for (String k : keys) optimizerEntries.put(k, new LinkedHashMap<>());
    for (Map.Entry<String, SafeTensors.Entry> e : file.entries().entrySet()) {
      String name = e.getKey();
      int slash = name.indexOf('/');
      if (slash > 0 && optimizerEntries.containsKey(name.substring(0, slash))) {
        optimizerEntries.get(name.substring(0, slash)).put(name.substring(slash + 1), e.getValue());
        continue;
      }
      Tensor p = params.get(name);
      if (p == null) {
        unexpected.add(name);
        continue;
      }
      if (p.isClosed()) throw new IllegalStateException("Checkpoint.load: parameter '" + name + "' of the model is closed");
      SafeTensors.Entry v = e.getValue();
      if (!v.dtype().equals("F32") || !Arrays.equals(v.shape(), p.shape())) {
        wrong.add(name + " is " + v.dtype() + " " + Arrays.toString(v.shape()) + " in the file but F32 "
            + Arrays.toString(p.shape()) + " in the model");
      }
    }
    for (String name : params.keySet()) {
      if (!file.entries().containsKey(name)) missing.add(name);
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !wrong.isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!missing.isEmpty()) parts.add("missing " + String.join(", ", missing));
      if (!unexpected.isEmpty()) parts.add("unexpected " + String.join(", ", unexpected));
      parts.addAll(wrong);
      String from = meta.get("model");
      throw new CheckpointException(path + ": does not fit this model" + (from == null ? "" : " (it holds a '" + from + "' model)")
          + ": " + String.join("; ", parts));
    }
    Map<String, Long> steps = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends StatefulOptimizer> o : optimizers.entrySet()) {
      String key = o.getKey();
      StatefulOptimizer opt = o.getValue();
      String type = meta.get(key);
      String mine = opt.getClass().getSimpleName();
      if (!optimizerEntries.containsKey(key) || type == null) {
        throw new CheckpointException(path + ": holds no state of an optimizer '" + key + "'"
            + (keys.isEmpty() ? " (saved without optimizers)" : " (it has " + String.join(", ", keys) + ")"));
      }
      if (!type.equals(mine)) throw new CheckpointException(path + ": holds " + type + " state, not " + mine);
      try {
        steps.put(key, Long.parseLong(meta.getOrDefault(key + ".steps", "0")));
      } catch (NumberFormatException e) {
        throw new CheckpointException(path + ": metadata " + key + ".steps is not a number");
      }
      for (Map.Entry<String, SafeTensors.Entry> e : optimizerEntries.get(key).entrySet()) {
        String name = e.getKey();
        int dot = name.indexOf('.');
        int index = -1;
        try {
          index = dot > 0 ? Integer.parseInt(name.substring(0, dot)) : -1;
        } catch (NumberFormatException ex) {
          // reported below
        }
        if (index < 0 || index >= opt.parameters().size()) {
          throw new CheckpointException(path + ": optimizer state '" + key + "/" + name + "' names no parameter of this "
              + mine + " (it has " + opt.parameters().size() + ")");
        }
        long[] want = opt.parameters().get(index).shape();
        if (!e.getValue().dtype().equals("F32") || !Arrays.equals(want, e.getValue().shape())) {
          throw new CheckpointException(path + ": optimizer state '" + key + "/" + name + "' is " + e.getValue().dtype() + " "
              + Arrays.toString(e.getValue().shape()) + " but parameter " + index + " is F32 " + Arrays.toString(want));
        }
      }
    }
    // Everything is read and checked: now copy.
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      for (Map.Entry<String, ? extends StatefulOptimizer> o : optimizers.entrySet()) {
        StatefulOptimizer opt = o.getValue();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Entry> e : optimizerEntries.get(o.getKey()).entrySet()) {
          state.put(e.getKey(), Tensor.of(opt.parameters().get(0).device(), e.getValue().floats(), e.getValue().shape()));
        }
        opt.loadStateDict(state, steps.get(o.getKey()));
        try {
          opt.setLr(Float.parseFloat(meta.getOrDefault(o.getKey() + ".lr", "")));
        } catch (IllegalArgumentException e) {
          // no or bad learning rate saved: keep the current one
        }
      }
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        Tensor p = e.getValue();
        if (p.dtype() == DType.F32) p.copyFrom(file.entries().get(e.getKey()).floats());
      }
    }
    return meta;
  }
}
