package dev.nerve.internal;

import dev.nerve.Tensor;

/**
 * One recorded op of the autograd graph: its name, its inputs and a function from the output's
 * gradient to the inputs' gradients (null where an input needs none).
 */
public final class Node {
  /** The output gradient to the input gradients. */
  @FunctionalInterface
  public interface Backward {
    Tensor[] apply(Tensor gradOutput);
  }

  private final String name;
  final Tensor[] inputs;
  final Backward backward;

  Node(String name, Tensor[] inputs, Backward backward) {
    this.name = name;
    this.inputs = inputs;
    this.backward = backward;
  }

  /** The op's name ("matmul", "relu", ...). */
  public String name() {
    return name;
  }
}
