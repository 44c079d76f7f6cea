package dev.nerve.optim;

import dev.nerve.Tensor;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as torch.optim.AdamW:
 * {@code w = w - lr * weight_decay * w} before the Adam update on the raw gradient.
 * Default weight decay 0.01.
 */
public final class AdamW extends Adam {
  public AdamW(List<Tensor> params, float lr) {
    this(params, lr, 0.9f, 0.999f, 1e-8f, 0.01f);
  }

  public AdamW(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
    super(params, lr, beta1, beta2, eps, weightDecay, true);
  }
}
