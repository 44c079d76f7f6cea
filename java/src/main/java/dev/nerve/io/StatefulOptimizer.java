package dev.nerve.io;

import dev.nerve.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An optimizer as {@link Checkpoint} sees it: state tensors named "index.key" (index being the
 * parameter's position), a step count and a learning rate. Implemented by
 * {@code dev.nerve.optim.Optimizer}; the checkpoint records the implementing class's simple name
 * and refuses to load one optimizer's state into another kind.
 */
public interface StatefulOptimizer extends Stateful {
  /** The parameters the optimizer updates, in order (the indices of the state names). */
  List<Tensor> parameters();

  long stepCount();

  float lr();

  void setLr(float lr);

  /** Replaces the state with copies of values (names as {@link #stateDict()}) and sets the step count. */
  void loadStateDict(Map<String, Tensor> values, long stepCount);
}
