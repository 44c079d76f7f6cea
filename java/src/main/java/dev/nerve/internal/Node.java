package dev.nerve.internal;

import dev.nerve.Tensor;
import java.util.Arrays;

/**
 * One recorded op of the autograd graph: its name, its inputs, a function from the output's
 * gradient to the inputs' gradients (null where an input needs none), and the tensors that
 * function reads (its saved tensors) with their versions when the op ran.
 *
 * <p>Before a backward uses the node, {@link #checkUsable} refuses it when a saved tensor was
 * written in place since (the gradient would be computed from the new values) or when an
 * earlier backward freed it. {@link #free} drops the backward function and with it every
 * reference to the saved tensors and the op's private buffers; the tensors themselves go with
 * their scope or their close(), as any other tensor.
 */
public final class Node {
  /** The output gradient to the input gradients. */
  @FunctionalInterface
  public interface Backward {
    Tensor[] apply(Tensor gradOutput);
  }

  /**
   * A tensor the backward reads: its role in messages ("input", "weight", "output"), the tensor,
   * and the version of its memory when the op recorded it.
   */
  record Saved(String role, Tensor tensor, long version) {
    static Saved of(String role, Tensor t) {
      return new Saved(role, t, Tensors.data(t).storage().version());
    }
  }

  static final Saved[] NONE = new Saved[0];

  private final String name;
  final Tensor[] inputs;
  private Backward backward;
  private Saved[] saved;

  Node(String name, Tensor[] inputs, Backward backward, Saved[] saved) {
    this.name = name;
    this.inputs = inputs;
    this.backward = backward;
    this.saved = saved;
  }

  /** The op's name ("matmul", "relu", ...). */
  public String name() {
    return name;
  }

  /** Throws IllegalStateException when a backward cannot use this node. */
  void checkUsable() {
    if (backward == null) {
      throw new IllegalStateException("backward: the graph through '" + name + "' was freed by an earlier backward();"
          + " to go through a graph more than once, pass retainGraph = true to every backward but the last"
          + " (Tensor.backward(gradient, true))");
    }
    for (Saved s : saved) {
      Tensor t = s.tensor;
      if (t.isClosed()) {
        throw new IllegalStateException("backward: the " + s.role + " " + Arrays.toString(Tensors.data(t).shape())
            + " saved by '" + name + "' for the gradient was closed (used after close, or its scope ended)");
      }
      long now = Tensors.data(t).storage().version();
      if (now != s.version) {
        throw new IllegalStateException("backward: one of the tensors needed for the gradient has been modified by an"
            + " in-place operation: the " + s.role + " " + Arrays.toString(Tensors.data(t).shape()) + " " + t.dtype()
            + " of '" + name + "' is at version " + now + "; expected version " + s.version + " (a fill, copyFrom,"
            + " optimizer step or running-statistics update wrote into it, or into a tensor sharing its memory, after"
            + " the op used it). Run the op again after the change, or change a copy");
      }
    }
  }

  /** The input gradients for the output gradient g. */
  Tensor[] apply(Tensor g) {
    checkUsable();
    return backward.apply(g);
  }

  /** Drops the backward function and the saved tensors: a later backward through this node throws. */
  void free() {
    backward = null;
    saved = NONE;
  }
}
