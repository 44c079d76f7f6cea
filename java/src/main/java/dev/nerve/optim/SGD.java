package dev.nerve.optim;

import dev.nerve.Tensor;
import dev.nerve.internal.UpdateFunctions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay, as
 * torch.optim.SGD:
 *
 * <pre>
 * g = grad + weight_decay * w
 * if momentum != 0:
 *     buf = g                                       (first step)
 *     buf = momentum * buf + (1 - dampening) * g    (later steps)
 *     g = nesterov ? g + momentum * buf : buf
 * w = w - lr * g
 * </pre>
 */
public final class SGD extends Optimizer {
  private final float momentum;
  private final float dampening;
  private final float weightDecay;
  private final boolean nesterov;

  /**
   * Plain SGD: w = w - lr * grad.
   *
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public SGD(List<Tensor> params, float lr) {
    this(params, lr, 0f, 0f, 0f, false);
  }

  /**
   * SGD with momentum (no dampening, no weight decay, not Nesterov).
   *
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public SGD(List<Tensor> params, float lr, float momentum) {
    this(params, lr, momentum, 0f, 0f, false);
  }

  /**
   * @param momentum factor of the momentum buffer (0: none)
   * @param dampening scales the gradient added to the buffer by 1 - dampening
   * @param weightDecay L2 factor added to the gradient (&gt;= 0)
   * @param nesterov uses g + momentum * buf instead of buf
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public SGD(List<Tensor> params, float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
    super(params, lr);
    this.momentum = nonNegative("momentum value", momentum);
    this.dampening = nonNegative("dampening value", dampening);
    this.weightDecay = nonNegative("weight_decay value", weightDecay);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening (momentum="
          + momentum + ", dampening=" + dampening + ")");
    }
    this.nesterov = nesterov;
  }

  /** "momentum_buffer" with momentum, else none. */
  @Override
  public Set<String> stateKeys() {
    return momentum == 0 ? Set.of() : StagedOptimizerState.keys("momentum_buffer");
  }

  @Override
  public Map<String, String> hyperParameters() {
    return StagedOptimizerState.settings("momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
        "nesterov", nesterov);
  }

  @Override
  protected void update(List<Tensor> w, List<Tensor> g) {
    List<Tensor> buf = momentum == 0 ? null : states(w, "momentum_buffer");
    UpdateFunctions.sgd(w, g, buf, lr, momentum, dampening, weightDecay, nesterov, steps == 1);
  }
}
