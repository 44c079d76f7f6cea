package dev.nerve.optim;

import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.io.StagedState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked copy of a state dict an optimizer is about to take ({@link Optimizer#stageStateDict}):
 * validation against the optimizer (names, keys, completeness, dtypes, shapes, step count,
 * learning rate) happens in {@link #stage}, before anything is allocated; the copies are made
 * next; {@link #commit} only swaps maps, so it cannot fail halfway.
 */
final class StagedOptimizerState implements StagedState {
  /** "index.key": a decimal index without leading zeros (so one state has one name), a dot, a key. */
  private static final Pattern NAME = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(.+)", Pattern.DOTALL);

  private final Optimizer optimizer;
  private final Map<Tensor, Map<String, Tensor>> state;
  private final long steps;
  private final float lr;
  private boolean done;

  private StagedOptimizerState(Optimizer optimizer, Map<Tensor, Map<String, Tensor>> state, long steps, float lr) {
    this.optimizer = optimizer;
    this.state = state;
    this.steps = steps;
    this.lr = lr;
  }

  static StagedOptimizerState stage(Optimizer opt, Map<String, Tensor> values, long stepCount, float lr) {
    String op = opt.getClass().getSimpleName() + ".loadStateDict: ";
    List<Tensor> params = opt.parameters();
    Set<String> keys = opt.stateKeys();
    if (stepCount < 0) throw new IllegalArgumentException(op + "negative step count " + stepCount);
    if (!(lr >= 0) || Float.isInfinite(lr)) throw new IllegalArgumentException(op + "learning rate " + lr + " is not finite and >= 0");
    // By parameter index, then key in stateKeys() order.
    Map<Integer, Map<String, Tensor>> byIndex = new TreeMap<>();
    for (Map.Entry<String, Tensor> e : values.entrySet()) {
      String name = e.getKey();
      Matcher m = NAME.matcher(name == null ? "" : name);
      if (!m.matches()) {
        throw new IllegalArgumentException(op + "'" + name + "' is not 'index.key' (index a parameter's position, key one of "
            + keys + ")");
      }
      int index = Integer.parseInt(m.group(1));
      String key = m.group(2);
      if (!keys.contains(key)) {
        throw new IllegalArgumentException(op + "unknown state '" + name + "': this " + opt.getClass().getSimpleName()
            + (keys.isEmpty() ? " keeps no state" : " keeps " + keys + " per parameter"));
      }
      if (index >= params.size()) {
        throw new IllegalArgumentException(op + "'" + name + "' names parameter " + index + " but there are " + params.size());
      }
      Tensor p = params.get(index);
      Tensor v = e.getValue();
      if (v == null || v.isClosed() || v.dtype() != p.dtype() || !Arrays.equals(v.shape(), p.shape())) {
        throw new IllegalArgumentException(op + "'" + name + "' is "
            + (v == null || v.isClosed() ? "null or closed" : v.dtype() + " " + Arrays.toString(v.shape()))
            + " but parameter " + index + " is " + p.dtype() + " " + Arrays.toString(p.shape()));
      }
      byIndex.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(key, v);
    }
    for (Map.Entry<Integer, Map<String, Tensor>> e : byIndex.entrySet()) {
      for (String key : keys) {
        if (!e.getValue().containsKey(key)) {
          throw new IllegalArgumentException(op + "missing '" + e.getKey() + "." + key + "': parameter " + e.getKey() + " has "
              + e.getValue().keySet() + " and needs all of " + keys);
        }
      }
    }
    if (!byIndex.isEmpty() && stepCount == 0) {
      throw new IllegalArgumentException(op + "state for " + byIndex.size() + " parameters with step count 0 (state is made by a step)");
    }
    Map<Tensor, Map<String, Tensor>> copies = new IdentityHashMap<>();
    StagedOptimizerState staged = new StagedOptimizerState(opt, copies, stepCount, lr);
    try (Scope s = Scope.open()) {
      for (Map.Entry<Integer, Map<String, Tensor>> e : byIndex.entrySet()) {
        Tensor p = params.get(e.getKey());
        Map<String, Tensor> m = copies.computeIfAbsent(p, k -> new LinkedHashMap<>());
        for (String key : keys) {
          Tensor v = e.getValue().get(key);
          Tensor copy = Tensor.empty(p.device(), p.dtype(), p.shape()).keep();
          m.put(key, copy);
          copy.copyFrom(v.device() == p.device() ? v : v.to(p.device()));
        }
      }
    } catch (RuntimeException | Error e) {
      staged.close();
      throw e;
    }
    return staged;
  }

  /** keys in this order, unmodifiable: for {@link Optimizer#stateKeys()}. */
  static Set<String> keys(String... keys) {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(keys)));
  }

  /** Name, value, name, value, ... as canonical strings (Float.toString, "true"/"false"): for {@link Optimizer#hyperParameters()}. */
  static Map<String, String> settings(Object... nameValue) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) out.put((String) nameValue[i], String.valueOf(nameValue[i + 1]));
    return java.util.Collections.unmodifiableMap(out);
  }

  @Override
  public void commit() {
    if (done) throw new IllegalStateException(optimizer.getClass().getSimpleName() + ": staged state already committed or closed");
    done = true;
    optimizer.install(state, steps, lr);
  }

  @Override
  public void close() {
    if (done) return;
    done = true;
    List<Tensor> all = new ArrayList<>();
    for (Map<String, Tensor> m : state.values()) all.addAll(m.values());
    for (Tensor t : all) t.close();
  }
}
