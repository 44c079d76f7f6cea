package dev.nerve.io;

import dev.nerve.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An optimizer as {@link Checkpoint} sees it: state tensors named "index.key" (index being the
 * parameter's position, key one of {@link #stateKeys()}), a step count, a learning rate and the
 * settings the state depends on. Implemented by {@code dev.nerve.optim.Optimizer}; the checkpoint
 * records the implementing class's simple name and refuses to load one optimizer's state into
 * another kind, or into one with other settings.
 */
public interface StatefulOptimizer extends Stateful {
  /** The parameters the optimizer updates, in order (the indices of the state names). */
  List<Tensor> parameters();

  /** The number of steps taken. */
  long stepCount();

  /** The current learning rate. */
  float lr();

  /** Sets the learning rate for the following steps. */
  void setLr(float lr);

  /**
   * The state tensors a parameter gets on its first update ("exp_avg", "exp_avg_sq"; none for
   * SGD without momentum), in the order of {@link #stateDict()}. A parameter has all of them or,
   * before its first gradient, none.
   */
  Set<String> stateKeys();

  /**
   * The settings other than the learning rate, by PyTorch's names ("momentum", "beta1",
   * "weight_decay", ...), as {@link Float#toString(float)} or "true"/"false". A checkpoint saves
   * them and loads state only into an optimizer with the same settings.
   */
  Map<String, String> hyperParameters();

  /**
   * Checks values (names as {@link #stateDict()}), stepCount and lr against this optimizer and
   * copies the values into new tensors on the parameters' device; changes nothing. The result
   * installs them on {@link StagedState#commit()}; closing it uncommitted frees them.
   *
   * @throws IllegalArgumentException naming the first fault: a name that is not "index.key" with
   *     index a parameter's position (decimal, no leading zeros) and key one of
   *     {@link #stateKeys()}; a parameter with some but not all of the keys; a null or closed
   *     tensor, or one whose dtype or shape differs from its parameter's; a negative step count,
   *     or state with a step count of 0; a learning rate that is negative or not finite
   */
  StagedState stageStateDict(Map<String, Tensor> values, long stepCount, float lr);

  /**
   * Replaces the state with copies of values and sets the step count (keeping the learning rate):
   * {@link #stageStateDict} and commit. On an error nothing changes.
   *
   * @throws IllegalArgumentException as {@link #stageStateDict}
   */
  void loadStateDict(Map<String, Tensor> values, long stepCount);
}
