package dev.nerve.optim;

import dev.nerve.Tensor;
import dev.nerve.io.StagedState;
import dev.nerve.io.StatefulOptimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Base of the optimizers: one parameter group, a learning rate that schedules may change, and
 * state tensors created on first use and kept on the parameters' device. {@link #step()} hands
 * all parameters that have a gradient to one fused native update.
 *
 * <p>Threads: a model is trained by one thread at a time. From {@link #zeroGrad()} until
 * {@link #step()} returns (and during {@code step()} itself) the calling thread owns the
 * parameters; {@code zeroGrad()} or {@code step()} of an optimizer over any of those parameters
 * from another thread meanwhile throws IllegalStateException naming the optimizer, the
 * parameter and the owning thread, rather than mixing two threads' gradients or racing on the
 * optimizer's state. Training may move from thread to thread between steps (an executor's
 * threads, one after the other). To train in parallel, give each thread its own model and
 * optimizer. An optimizer is not otherwise synchronised: {@link #setLr}, {@link #loadStateDict}
 * and {@link #close} belong to the training thread too.
 */
public abstract class Optimizer implements AutoCloseable, StatefulOptimizer {
  /** The parameters, in order (unmodifiable). */
  protected final List<Tensor> params;
  /** The current learning rate. */
  protected float lr;
  /** The number of steps taken (Adam's bias correction reads it). */
  protected long steps;
  private final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();
  /**
   * The thread training each parameter now (from zeroGrad() until step() returns), over every
   * optimizer: two optimizers on one model are one model trained twice. Weak keys: a closed and
   * forgotten parameter leaves no entry. Tensor keeps identity equality.
   */
  private static final Map<Tensor, Thread> TRAINERS = new WeakHashMap<>();

  /**
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  protected Optimizer(List<Tensor> params, float lr) {
    if (params == null || params.isEmpty()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": the parameter list is empty");
    }
    checkNonNegative("learning rate", lr);
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      if (p == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + i + " is null");
      if (p.isClosed()) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + i + " is closed");
      if (!p.requiresGrad()) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + i + " " + p + " does not require grad");
      }
      if (p.device() != params.get(0).device()) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": parameters are on different devices ("
            + params.get(0).device() + " and " + p.device() + ")");
      }
    }
    this.params = Collections.unmodifiableList(new ArrayList<>(params));
    this.lr = lr;
  }

  /** Throws IllegalArgumentException naming what unless value is finite and &gt;= 0. */
  protected final void checkNonNegative(String what, float value) {
    if (!(value >= 0) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": Invalid " + what + ": " + value);
    }
  }

  /** {@link #checkNonNegative}, returning value: a constructor checks and keeps a setting in one line. */
  final float nonNegative(String what, float value) {
    checkNonNegative(what, value);
    return value;
  }

  /**
   * Applies one update to every parameter that has a gradient, and ends this thread's ownership
   * of the parameters (see the class comment).
   *
   * @throws IllegalStateException when a parameter was closed, or another thread is training
   *     these parameters (between its zeroGrad() and its step())
   */
  public final void step() {
    claim("step");
    try {
      stepOwned();
    } finally {
      release();
    }
  }

  private void stepOwned() {
    List<Tensor> w = new ArrayList<>(params.size());
    List<Tensor> g = new ArrayList<>(params.size());
    for (Tensor p : params) {
      if (p.isClosed()) throw new IllegalStateException(getClass().getSimpleName() + ".step: a parameter was closed");
      if (p.grad() != null) {
        w.add(p);
        g.add(p.grad());
      }
    }
    if (w.isEmpty()) return;
    steps++;
    update(w, g);
  }

  /** The fused update over the parameters w with gradients g (same order). */
  protected abstract void update(List<Tensor> w, List<Tensor> g);

  /**
   * Sets the gradients of all parameters to zero; this thread owns the parameters from here
   * until its {@link #step()} returns.
   *
   * @throws IllegalStateException when another thread is training these parameters
   */
  public final void zeroGrad() {
    claim("zeroGrad");
    for (Tensor p : params) {
      if (p.grad() != null) p.grad().fill(0f);
    }
  }

  @Override
  public final float lr() {
    return lr;
  }

  @Override
  public final void setLr(float lr) {
    checkNonNegative("learning rate", lr);
    this.lr = lr;
  }

  @Override
  public final long stepCount() {
    return steps;
  }

  /** Makes the calling thread the trainer of every parameter, or throws naming the one that is. */
  private void claim(String op) {
    Thread me = Thread.currentThread();
    synchronized (TRAINERS) {
      for (int i = 0; i < params.size(); i++) {
        Thread owner = TRAINERS.get(params.get(i));
        if (owner != null && owner != me && owner.isAlive()) {
          throw new IllegalStateException(getClass().getSimpleName() + "." + op + ": parameter " + i + " "
              + java.util.Arrays.toString(params.get(i).shape()) + " is being trained by thread '" + owner.getName()
              + "' (between its zeroGrad() and step()), and this is thread '" + me.getName() + "'. A model is trained"
              + " by one thread at a time: train it from one thread, or give each thread its own model and optimizer");
        }
      }
      for (Tensor p : params) TRAINERS.put(p, me);
    }
  }

  /** Ends the calling thread's ownership of the parameters. */
  private void release() {
    Thread me = Thread.currentThread();
    synchronized (TRAINERS) {
      for (Tensor p : params) {
        if (TRAINERS.get(p) == me) TRAINERS.remove(p);
      }
    }
  }

  /** The state tensor of param named key, created as zeros on first use. */
  protected final Tensor state(Tensor param, String key) {
    return state.computeIfAbsent(param, k -> new java.util.LinkedHashMap<>())
        .computeIfAbsent(key, k -> Tensor.zeros(param.device(), param.shape()).keep());
  }

  /** The state tensors named key of the parameters w, in order (see {@link #state}). */
  protected final List<Tensor> states(List<Tensor> w, String key) {
    List<Tensor> out = new ArrayList<>(w.size());
    for (Tensor p : w) out.add(state(p, key));
    return out;
  }

  /** The parameters this optimizer updates, in order. */
  @Override
  public final List<Tensor> parameters() {
    return params;
  }

  /**
   * The state tensors by "index.key" ("0.exp_avg", "3.momentum_buffer"), index being the
   * parameter's position; only the states created so far. The tensors themselves, not copies.
   */
  @Override
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      Map<String, Tensor> m = state.get(params.get(i));
      if (m == null) continue;
      for (Map.Entry<String, Tensor> e : m.entrySet()) out.put(i + "." + e.getKey(), e.getValue());
    }
    return out;
  }

  /**
   * Checks values (names as {@link #stateDict()}) against this optimizer and copies them; nothing
   * changes until the result is committed. See {@link StatefulOptimizer#stageStateDict}.
   */
  @Override
  public final StagedState stageStateDict(Map<String, Tensor> values, long stepCount, float lr) {
    return StagedOptimizerState.stage(this, values, stepCount, lr);
  }

  /**
   * Replaces the state with copies of the given tensors (names as {@link #stateDict()}) and sets
   * the step count. Checks every name, key and shape first: on an error nothing changes.
   *
   * @throws IllegalArgumentException as {@link StatefulOptimizer#stageStateDict}
   */
  @Override
  public final void loadStateDict(Map<String, Tensor> values, long stepCount) {
    try (StagedState s = stageStateDict(values, stepCount, lr)) {
      s.commit();
    }
  }

  /** Frees the current state and takes newState (whose tensors it now owns), the step count and lr. */
  final void install(Map<Tensor, Map<String, Tensor>> newState, long stepCount, float lr) {
    close();
    state.putAll(newState);
    this.steps = stepCount;
    this.lr = lr;
  }

  /** Frees the optimizer's state tensors. */
  @Override
  public void close() {
    release();
    for (Map<String, Tensor> m : state.values()) for (Tensor t : m.values()) t.close();
    state.clear();
  }

}
