package dev.nerve.optim;

import dev.nerve.Tensor;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as torch.optim.AdamW:
 * {@code w = w - lr * weight_decay * w} before the Adam update on the raw gradient.
 * Default weight decay 0.01.
 */
public final class AdamW extends Adam {
  /**
   * AdamW with PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8, weight decay 0.01.
   *
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public AdamW(List<Tensor> params, float lr) {
    this(params, lr, 0.9f, 0.999f, 1e-8f, 0.01f);
  }

  /**
   * @param weightDecay the decoupled decay: w -= lr * weightDecay * w before each update
   * @param params the parameters to update (non-empty, all requiring grad, on one device)
   * @param lr the learning rate (finite, &gt;= 0)
   * @throws IllegalArgumentException for an empty or closed parameter list, parameters on
   *     different devices, or a setting out of range (the message names it as PyTorch does)
   */
  public AdamW(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
    super(params, lr, beta1, beta2, eps, weightDecay, true);
  }
}
