package dev.nerve.io;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Module;
import dev.nerve.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters, optionally with its optimizer's state, in one safetensors file.
 *
 * <p>Layout: the module's parameters under their dotted names ("0.weight"), so any safetensors
 * reader sees a plain state dict; the optimizer's state under {@value #OPTIMIZER_PREFIX}
 * ("optimizer/0.exp_avg"); metadata "format" = "nerve", "optimizer" (class name),
 * "optimizer.steps" and "optimizer.lr", plus whatever the caller adds (epoch, model name, ...).
 *
 * <p>Writes are atomic ({@link SafeTensors#write}). {@link #load} reads and checks the whole file
 * first (format, names, dtypes, shapes, optimizer type) and only then copies into the model and
 * optimizer, so any error leaves both as they were.
 */
public final class Checkpoint {
  /** Name prefix of the optimizer's state tensors. */
  public static final String OPTIMIZER_PREFIX = "optimizer/";

  private Checkpoint() {}

  /**
   * Saves model (and optimizer, when not null) with extra metadata to path, atomically.
   *
   * @throws IOException when the folder is missing or not writable, or the disk fails
   */
  public static void save(Path path, Module model, Optimizer optimizer, Map<String, String> metadata) throws IOException {
    if (model == null) throw new IllegalArgumentException("Checkpoint.save: model is null");
    Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "nerve");
    if (optimizer != null) {
      optimizer.stateDict().forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, v));
      meta.put("optimizer", optimizer.getClass().getSimpleName());
      meta.put("optimizer.steps", Long.toString(optimizer.stepCount()));
      meta.put("optimizer.lr", Float.toString(optimizer.lr()));
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
  public static Map<String, String> load(Path path, Module model, Optimizer optimizer) throws IOException {
    if (model == null) throw new IllegalArgumentException("Checkpoint.load: model is null");
    SafeTensors file = SafeTensors.read(path);
    Map<String, Tensor> params = model.stateDict();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    Map<String, SafeTensors.Entry> optimizerEntries = new LinkedHashMap<>();
    for (Map.Entry<String, SafeTensors.Entry> e : file.entries().entrySet()) {
      String name = e.getKey();
      if (name.startsWith(OPTIMIZER_PREFIX)) {
        optimizerEntries.put(name.substring(OPTIMIZER_PREFIX.length()), e.getValue());
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
      String from = file.metadata().getOrDefault("model", null);
      throw new CheckpointException(path + ": does not fit this model" + (from == null ? "" : " (it holds a '" + from + "' model)")
          + ": " + String.join("; ", parts));
    }
    long steps = 0;
    if (optimizer != null) {
      String type = file.metadata().get("optimizer");
      String mine = optimizer.getClass().getSimpleName();
      if (type == null) throw new CheckpointException(path + ": holds no optimizer state (saved without an optimizer)");
      if (!type.equals(mine)) throw new CheckpointException(path + ": holds " + type + " state, not " + mine);
      try {
        steps = Long.parseLong(file.metadata().getOrDefault("optimizer.steps", "0"));
      } catch (NumberFormatException e) {
        throw new CheckpointException(path + ": metadata optimizer.steps is not a number");
      }
      for (Map.Entry<String, SafeTensors.Entry> e : optimizerEntries.entrySet()) {
        if (!e.getValue().dtype().equals("F32")) {
          throw new CheckpointException(path + ": optimizer state '" + e.getKey() + "' is " + e.getValue().dtype() + ", not F32");
        }
      }
    }
    // Everything is read and the model's part checked: now copy.
    Device device = params.isEmpty() ? Device.defaultDevice() : params.values().iterator().next().device();
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      if (optimizer != null) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Entry> e : optimizerEntries.entrySet()) {
          state.put(e.getKey(), Tensor.of(device, e.getValue().floats(), e.getValue().shape()));
        }
        try {
          optimizer.loadStateDict(state, steps); // checks everything before changing anything
        } catch (IllegalArgumentException e) {
          throw new CheckpointException(path + ": optimizer state does not fit: " + e.getMessage(), e);
        }
        String lr = file.metadata().get("optimizer.lr");
        if (lr != null) {
          try {
            optimizer.setLr(Float.parseFloat(lr));
          } catch (IllegalArgumentException e) {
            // keep the current learning rate
          }
        }
      }
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        Tensor p = e.getValue();
        if (p.dtype() == DType.F32) p.copyFrom(file.entries().get(e.getKey()).floats());
      }
    }
    return file.metadata();
  }
}
