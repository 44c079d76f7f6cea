package dev.nerve.nn;

import dev.nerve.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Modules applied in order; parameters are named by position ("0.weight"). */
public final class Sequential extends Module {
  private final List<Module> layers = new ArrayList<>();

  /** Applies modules in order, each one's output the next one's input; named 0, 1, 2, ... */
  public Sequential(Module... modules) {
    for (Module m : modules) add(m);
  }

  /** Appends m (named by its position). Returns this. */
  public Sequential add(Module m) {
    if (m == null) throw new IllegalArgumentException("Sequential: module " + layers.size() + " is null");
    registerModule(Integer.toString(layers.size()), m);
    layers.add(m);
    return this;
  }

  /** The modules in order (unmodifiable). */
  public List<Module> layers() {
    return Collections.unmodifiableList(layers);
  }

  /**
   * Applies each layer in turn; the intermediate activations are ordinary tensors, owned by the
   * caller's scope.
   */
  /**
   * Applies the modules in order: module i+1 gets module i's output.
   */
  @Override
  public Tensor forward(Tensor x) {
    Tensor h = x;
    for (Module m : layers) h = m.forward(h);
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Sequential(");
    for (int i = 0; i < layers.size(); i++) sb.append(i == 0 ? "" : ", ").append(layers.get(i));
    return sb.append(')').toString();
  }
}
