package dev.nerve.io;

import dev.nerve.Tensor;
import java.util.Map;

/**
 * Something whose state is a dict of named tensors, which {@link Checkpoint} saves and restores:
 * a {@code dev.nerve.nn.Module} (its parameters and buffers) or an optimizer (see
 * {@link StatefulOptimizer}). Checkpoints see only this, so the io package does not depend on
 * the layers or the optimizers.
 */
public interface Stateful {
  /** The tensors that make up the state, by name; the tensors themselves, not copies. */
  Map<String, Tensor> stateDict();
}
