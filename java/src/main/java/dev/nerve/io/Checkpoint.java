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
 * A model's parameters, optionally with its optimizers' state, in one safetensors file. It works
 * on state dicts: the model is anything {@link Stateful} (a {@code dev.nerve.nn.Module}), each
 * optimizer a {@link StatefulOptimizer} (a {@code dev.nerve.optim.Optimizer}).
 *
 * <p>Layout: the module's state under its dotted names ("0.weight"), so any safetensors reader
 * sees a plain state dict; each optimizer's state under its key and a slash
 * ("optimizer/0.exp_avg"; the GAN's two optimizers are "g_optimizer/..." and "d_optimizer/...");
 * in the metadata the format and its version, each optimizer's class, step count, learning rate
 * and settings (see {@link CheckpointFormat}), whatever the caller adds (epoch, model name, ...),
 * and a CRC32C checksum of every tensor and of the metadata (see {@link SafeTensors}).
 *
 * <p>Writes are atomic ({@link SafeTensors#write}). {@link #load} is all or nothing: it reads the
 * whole file and verifies every checksum, checks the model's names, dtypes and shapes, checks each
 * optimizer's class, settings, step count, learning rate and state (names, keys, counts, dtypes,
 * shapes), and copies everything into new tensors first; only then does it copy into the model and
 * install each optimizer's state, steps that allocate nothing and check nothing. So any error
 * leaves the model and every optimizer as they were (only a failing device could interrupt the
 * final copies). Loading needs, for a moment, room for a second copy of the model and optimizer
 * state on their device.
 *
 * <p>A file without checksums (another tool's, or an older Nerve's) still loads, after the same
 * structural checks; the first such load in a process logs a warning through
 * {@link System.Logger} ("dev.nerve.io.Checkpoint"), and {@link SafeTensors#checksummed()} tells
 * for any file.
 */
public final class Checkpoint {
  /** The key of the optimizer in the one-optimizer forms of save and load. */
  public static final String OPTIMIZER = "optimizer";

  private Checkpoint() {}

  /**
   * Saves model (and optimizer, when not null) with extra metadata to path, atomically.
   *
   * @throws IOException when the folder is missing or not writable, or the disk fails
   * @throws IllegalArgumentException for a metadata key the format uses itself ("format",
   *     "format_version", "optimizers", "optimizer", "optimizer.*", "crc32c:*")
   */
  public static void save(Path path, Stateful model, StatefulOptimizer optimizer, Map<String, String> metadata) throws IOException {
    save(path, model, optimizer == null ? Map.of() : Map.of(OPTIMIZER, optimizer), metadata);
  }

  /**
   * Saves model and several optimizers, each under its key (letters, digits, '_' and '-'),
   * atomically.
   *
   * @throws IOException when the folder is missing or not writable, or the disk fails
   * @throws IllegalArgumentException for a bad optimizer key or a reserved metadata key (as above,
   *     with each optimizer's key)
   */
  public static void save(Path path, Stateful model, Map<String, ? extends StatefulOptimizer> optimizers,
      Map<String, String> metadata)
      throws IOException {
    if (model == null) throw new IllegalArgumentException("Checkpoint.save: model is null");
    if (optimizers == null) throw new IllegalArgumentException("Checkpoint.save: optimizers is null (pass Map.of() for none)");
    Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
    Map<String, String> meta = CheckpointFormat.describe(optimizers);
    for (Map.Entry<String, ? extends StatefulOptimizer> o : optimizers.entrySet()) {
      o.getValue().stateDict().forEach((k, v) -> tensors.put(o.getKey() + "/" + k, v));
    }
    if (metadata != null) {
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        CheckpointFormat.checkUserKey(m.getKey(), optimizers.keySet());
        meta.put(m.getKey(), m.getValue());
      }
    }
    SafeTensors.write(path, tensors, meta);
  }

  /**
   * Loads path into model (and optimizer, when not null; the file must then hold that optimizer
   * type's state, made with the same settings) and returns the file's metadata (without the
   * checksums). Optimizer entries are ignored when optimizer is null.
   *
   * @throws CheckpointException naming the file and the fault: corrupt or truncated, a checksum
   *     that does not match, missing and unexpected names, dtypes, shapes, optimizer type,
   *     settings, step count, learning rate or state; nothing was changed
   * @throws IOException when the file cannot be read
   */
  public static Map<String, String> load(Path path, Stateful model, StatefulOptimizer optimizer) throws IOException {
    return load(path, model, optimizer == null ? Map.of() : Map.of(OPTIMIZER, optimizer));
  }

  /**
   * Loads model and the optimizers by key (see {@link #save(Path, Stateful, Map, Map)}), all or
   * nothing: on any exception the model and every optimizer are as they were. The file's entries
   * of optimizers not asked for are verified and ignored.
   *
   * @throws CheckpointException as {@link #load(Path, Stateful, StatefulOptimizer)}
   * @throws IOException when the file cannot be read
   */
  public static Map<String, String> load(Path path, Stateful model, Map<String, ? extends StatefulOptimizer> optimizers)
      throws IOException {
    if (model == null) throw new IllegalArgumentException("Checkpoint.load: model is null");
    if (optimizers == null) throw new IllegalArgumentException("Checkpoint.load: optimizers is null (pass Map.of() for none)");
    SafeTensors file = SafeTensors.read(path);
    Map<String, String> meta = file.metadata();
    int version = CheckpointFormat.version(path, meta);
    CheckpointFormat.checkVerified(path, version, file);
    List<String> keys = CheckpointFormat.optimizerKeys(path, meta);
    Map<String, Tensor> params = model.stateDict();
    Map<String, SafeTensors.Entry> modelEntries = new LinkedHashMap<>();
    Map<String, Map<String, SafeTensors.Entry>> optimizerEntries = new LinkedHashMap<>();
    for (String k : keys) optimizerEntries.put(k, new LinkedHashMap<>());
    for (Map.Entry<String, SafeTensors.Entry> e : file.entries().entrySet()) {
      String name = e.getKey();
      int slash = name.indexOf('/');
      if (slash > 0 && optimizerEntries.containsKey(name.substring(0, slash))) {
        optimizerEntries.get(name.substring(0, slash)).put(name.substring(slash + 1), e.getValue());
      } else {
        modelEntries.put(name, e.getValue());
      }
    }
    checkModel(path, meta, params, modelEntries);
    List<StagedState> staged = new ArrayList<>();
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      for (Map.Entry<String, ? extends StatefulOptimizer> o : optimizers.entrySet()) {
        staged.add(stageOptimizer(path, meta, keys, version, o.getKey(), o.getValue(), optimizerEntries.get(o.getKey())));
      }
      List<Tensor[]> copies = new ArrayList<>();
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        copies.add(new Tensor[] {e.getValue(), onDevice(e.getValue(), modelEntries.get(e.getKey()))});
      }
      // Everything is read, checked and copied onto the devices: only now change the model (through
      // copyFrom, an in-place write like any other) and then the optimizers (a swap that cannot fail).
      for (Tensor[] c : copies) c[0].copyFrom(c[1]);
      for (StagedState st : staged) st.commit();
    } finally {
      for (StagedState st : staged) st.close();
    }
    return meta;
  }

  /** Refuses a file whose model entries do not match params by name, dtype and shape (all faults in one message). */
  private static void checkModel(Path path, Map<String, String> meta, Map<String, Tensor> params,
      Map<String, SafeTensors.Entry> entries) throws CheckpointException {
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, SafeTensors.Entry> e : entries.entrySet()) {
      String name = e.getKey();
      Tensor p = params.get(name);
      if (p == null) {
        unexpected.add(name);
        continue;
      }
      if (p.isClosed()) throw new IllegalStateException("Checkpoint.load: parameter '" + name + "' of the model is closed");
      SafeTensors.Entry v = e.getValue();
      if (!v.dtype().equals(dtypeName(p)) || !Arrays.equals(v.shape(), p.shape())) {
        wrong.add(name + " is " + v.dtype() + " " + Arrays.toString(v.shape()) + " in the file but " + dtypeName(p) + " "
            + Arrays.toString(p.shape()) + " in the model");
      }
    }
    for (String name : params.keySet()) {
      if (!entries.containsKey(name)) missing.add(name);
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
  }

  /** Checks the file's record of optimizer key against opt and stages its state; changes nothing. */
  private static StagedState stageOptimizer(Path path, Map<String, String> meta, List<String> keys, int version, String key,
      StatefulOptimizer opt, Map<String, SafeTensors.Entry> entries) throws CheckpointException {
    if (opt == null) throw new IllegalArgumentException("Checkpoint.load: optimizer '" + key + "' is null");
    String type = meta.get(key);
    String mine = opt.getClass().getSimpleName();
    if (entries == null || type == null) {
      throw new CheckpointException(path + ": holds no state of an optimizer '" + key + "'"
          + (keys.isEmpty() ? " (saved without optimizers)" : " (it has " + String.join(", ", keys) + ")"));
    }
    if (!type.equals(mine)) throw new CheckpointException(path + ": optimizer '" + key + "' holds " + type + " state, not " + mine);
    long steps = CheckpointFormat.steps(path, meta, key);
    float lr = CheckpointFormat.lr(path, meta, key);
    if (version >= 2) CheckpointFormat.checkSettings(path, meta, key, opt);
    if (opt.parameters().isEmpty() && !entries.isEmpty()) {
      throw new CheckpointException(path + ": optimizer '" + key + "' has state but this " + mine + " has no parameters");
    }
    try (Scope s = Scope.open()) {
      Map<String, Tensor> values = new LinkedHashMap<>();
      for (Map.Entry<String, SafeTensors.Entry> e : entries.entrySet()) {
        SafeTensors.Entry v = e.getValue();
        if (!v.dtype().equals("F32")) {
          throw new CheckpointException(path + ": optimizer '" + key + "': state '" + e.getKey() + "' is " + v.dtype() + ", not F32");
        }
        values.put(e.getKey(), Tensor.of(opt.parameters().get(0).device(), v.floats(), v.shape()));
      }
      return opt.stageStateDict(values, steps, lr);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(path + ": optimizer '" + key + "': " + e.getMessage(), e);
    }
  }

  private static String dtypeName(Tensor t) {
    return t.dtype() == DType.F32 ? "F32" : t.dtype() == DType.I32 ? "I32" : t.dtype().toString();
  }

  /** The file's values of entry as a new tensor on t's device. */
  private static Tensor onDevice(Tensor t, SafeTensors.Entry entry) {
    return entry.dtype().equals("I32") ? Tensor.ofInts(t.device(), entry.ints(), entry.shape())
        : Tensor.of(t.device(), entry.floats(), entry.shape());
  }
}
