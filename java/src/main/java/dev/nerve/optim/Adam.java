package dev.nerve.optim;

import dev.nerve.Tensor;
import dev.nerve.internal.UpdateFunctions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma and Ba), as torch.optim.Adam, with L2 weight decay added to the gradient:
 *
 * <pre>
 * g = grad + weight_decay * w
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 */
public class Adam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private final boolean decoupled;

  /**
   * Adam with PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8, no weight decay.
   *
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public Adam(List<Tensor> params, float lr) {
    this(params, lr, 0.9f, 0.999f, 1e-8f, 0f);
  }

  /**
   * @param beta1 decay of the first moment m, in [0, 1)
   * @param beta2 decay of the second moment v, in [0, 1)
   * @param eps added to the denominator (&gt;= 0)
   * @param weightDecay L2 factor added to the gradient (&gt;= 0)
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public Adam(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
    this(params, lr, beta1, beta2, eps, weightDecay, false);
  }

  Adam(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
    super(params, lr);
    this.beta1 = beta(0, beta1);
    this.beta2 = beta(1, beta2);
    this.eps = nonNegative("epsilon value", eps);
    this.weightDecay = nonNegative("weight_decay value", weightDecay);
    this.decoupled = decoupled;
  }

  /** beta, checked to lie in [0, 1); index: its place in PyTorch's betas pair, which the message names. */
  private float beta(int index, float beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": Invalid beta parameter at index " + index + ": " + beta);
    }
    return beta;
  }

  /** "exp_avg" and "exp_avg_sq". */
  @Override
  public final Set<String> stateKeys() {
    return StagedOptimizerState.keys("exp_avg", "exp_avg_sq");
  }

  /** beta1, beta2, eps, weight_decay (AdamW's decoupling is its class, which the checkpoint records). */
  @Override
  public final Map<String, String> hyperParameters() {
    return StagedOptimizerState.settings("beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay);
  }

  @Override
  protected final void update(List<Tensor> w, List<Tensor> g) {
    UpdateFunctions.adam(w, g, states(w, "exp_avg"), states(w, "exp_avg_sq"), lr, beta1, beta2, eps, weightDecay, decoupled,
        steps);
  }
}
