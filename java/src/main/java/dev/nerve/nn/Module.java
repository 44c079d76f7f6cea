package dev.nerve.nn;

import dev.nerve.Tensor;
import dev.nerve.io.Checkpoint;
import dev.nerve.io.Stateful;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of layers and models, as torch.nn.Module: a module owns its parameters (kept,
 * gradient-requiring tensors) and child modules, has a training and an evaluation mode, and
 * maps an input to an output in {@link #forward}. Closing a module frees its parameters.
 *
 * <p>Threads: a module in evaluation mode ({@link #eval()}) may serve {@link #forward} from any
 * number of threads at once, each under {@code Grad.off()} in its own {@code Scope}; the results
 * are bit-identical to one thread's. Training mode is not for sharing (BatchNorm2d updates its
 * running statistics in forward, Dropout draws from one generator), nor is training: one thread
 * at a time trains a model, which the optimizers enforce (see {@code dev.nerve.optim.Optimizer}).
 * Structure changes ({@code train()}, {@code eval()}, {@code load}) belong to one thread while no
 * other uses the module.
 */
public abstract class Module implements AutoCloseable, Stateful {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private boolean training = true;

  /** Applies the module to input; shapes are in each module's class comment. */
  public abstract Tensor forward(Tensor input);

  /** Registers a parameter: it is kept (no scope frees it) and requires grad. */
  protected final Tensor registerParameter(String name, Tensor value) {
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("registerParameter: name '" + name + "' is already used in " + getClass().getSimpleName());
    }
    value.keep().requiresGrad(true);
    parameters.put(name, value);
    return value;
  }

  /**
   * Registers a buffer: state that is not trained by gradients (BatchNorm's running statistics).
   * It is kept, saved and loaded with the parameters ({@link #stateDict}), but is not among
   * {@link #parameters()}.
   */
  protected final Tensor registerBuffer(String name, Tensor value) {
    if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalArgumentException("registerBuffer: name '" + name + "' is already used in " + getClass().getSimpleName());
    }
    value.keep();
    buffers.put(name, value);
    return value;
  }

  /**
   * Registers a sub-module under name: its parameters join this module's (as name.param),
   * and train()/eval() reach it. Returns module.
   *
   * @throws IllegalArgumentException when name is already used
   */
  protected final <M extends Module> M registerModule(String name, M module) {
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("registerModule: name '" + name + "' is already used in " + getClass().getSimpleName());
    }
    children.put(name, module);
    return module;
  }

  /** All parameters, depth first, in registration order. */
  public final List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Parameters by dotted path ("0.weight", "encoder.bias"). */
  public final Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  /**
   * The tensors that make up the module's state, by dotted path: its parameters, then its buffers
   * (running statistics). The tensors themselves, not copies.
   */
  @Override
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = namedParameters();
    collectBuffers("", out);
    return out;
  }

  private void collectBuffers(String prefix, Map<String, Tensor> out) {
    buffers.forEach((k, v) -> out.put(prefix + k, v));
    children.forEach((k, m) -> m.collectBuffers(prefix + k + ".", out));
  }

  /**
   * Writes the state (parameters and buffers, names as {@link #stateDict()}) to path in the
   * safetensors format with a checksum of each tensor, atomically: a crash leaves the previous
   * file intact.
   *
   * @throws IOException when the folder is missing or not writable
   */
  public final void save(Path path) throws IOException {
    Checkpoint.save(path, this, Map.of(), Map.of());
  }

  /**
   * Reads the state saved by {@link #save} (or any safetensors file with the same names, dtypes
   * and shapes; another tool's file has no checksums and is loaded after the structural checks).
   * Everything is read, its checksums verified and checked before any parameter changes, so on an
   * error the module is as it was.
   *
   * @throws dev.nerve.io.CheckpointException naming what does not fit: a corrupt or truncated
   *     file, a checksum that does not match, missing or unexpected names, another dtype or shape
   */
  public final void load(Path path) throws IOException {
    Checkpoint.load(path, this, Map.of());
  }

  private void collect(String prefix, Map<String, Tensor> out) {
    parameters.forEach((k, v) -> out.put(prefix + k, v));
    children.forEach((k, m) -> m.collect(prefix + k + ".", out));
  }

  /** Number of scalar parameters. */
  public final long parameterCount() {
    long n = 0;
    for (Tensor t : parameters()) n += t.numel();
    return n;
  }

  /**
   * Training mode for this module and its children (the default): dropout drops, batch
   * norm uses and updates batch statistics. Returns this.
   */
  public Module train() {
    return setTraining(true);
  }

  /**
   * Evaluation mode for this module and its children: dropout is the identity, batch norm
   * uses its running statistics. Returns this.
   */
  public Module eval() {
    return setTraining(false);
  }

  private Module setTraining(boolean value) {
    training = value;
    for (Module m : children.values()) m.setTraining(value);
    return this;
  }

  /** True in training mode. */
  public final boolean isTraining() {
    return training;
  }

  /** Sets every parameter's gradient to zero (keeping the buffers, so optimizers reuse them). */
  public final void zeroGrad() {
    for (Tensor p : parameters()) {
      if (p.grad() != null) p.grad().fill(0f);
    }
  }

  /** Frees the parameters (and their gradients). */
  @Override
  public void close() {
    for (Module m : children.values()) m.close();
    for (Tensor t : parameters.values()) t.close();
    for (Tensor t : buffers.values()) t.close();
  }
}
