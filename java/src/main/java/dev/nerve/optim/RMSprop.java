package dev.nerve.optim;

import dev.nerve.Tensor;
import dev.nerve.internal.UpdateFunctions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop, as torch.optim.RMSprop (not centred):
 *
 * <pre>
 * g = grad + weight_decay * w
 * sq = alpha * sq + (1 - alpha) * g^2
 * if momentum != 0: buf = momentum * buf + g / (sqrt(sq) + eps); w = w - lr * buf
 * else:             w = w - lr * g / (sqrt(sq) + eps)
 * </pre>
 */
public final class RMSprop extends Optimizer {
  private final float alpha;
  private final float eps;
  private final float weightDecay;
  private final float momentum;

  /**
   * RMSprop with PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay, no momentum.
   *
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public RMSprop(List<Tensor> params, float lr) {
    this(params, lr, 0.99f, 1e-8f, 0f, 0f);
  }

  /**
   * @param alpha decay of the running mean of g^2, in [0, 1]
   * @param eps added to the denominator (&gt;= 0)
   * @param weightDecay L2 factor added to the gradient (&gt;= 0)
   * @param momentum factor of the momentum buffer (0: none)
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public RMSprop(List<Tensor> params, float lr, float alpha, float eps, float weightDecay, float momentum) {
    super(params, lr);
    this.alpha = nonNegative("alpha value", alpha);
    if (alpha > 1) throw new IllegalArgumentException("RMSprop: Invalid alpha value: " + alpha + " (must be in [0, 1])");
    this.eps = nonNegative("epsilon value", eps);
    this.weightDecay = nonNegative("weight_decay value", weightDecay);
    this.momentum = nonNegative("momentum value", momentum);
  }

  /** "square_avg", and "momentum_buffer" with momentum. */
  @Override
  public Set<String> stateKeys() {
    return momentum == 0 ? StagedOptimizerState.keys("square_avg") : StagedOptimizerState.keys("square_avg", "momentum_buffer");
  }

  @Override
  public Map<String, String> hyperParameters() {
    return StagedOptimizerState.settings("alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum", momentum);
  }

  @Override
  protected void update(List<Tensor> w, List<Tensor> g) {
    UpdateFunctions.rmsprop(w, g, states(w, "square_avg"), momentum == 0 ? null : states(w, "momentum_buffer"), lr, alpha,
        eps, weightDecay, momentum);
  }
}
