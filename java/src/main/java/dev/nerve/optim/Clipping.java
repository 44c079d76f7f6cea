package dev.nerve.optim;

import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.util.List;

/** Gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class Clipping {
  private Clipping() {}

  /**
   * Scales the gradients of params in place so that their joint L2 norm is at most maxNorm:
   *
   * <pre>
   * total = sqrt(sum over p of sum(p.grad^2))
   * if total > maxNorm or total is NaN: p.grad *= maxNorm / (total + 1e-6)  (NaN gradients everywhere for a NaN norm)
   * </pre>
   *
   * Parameters without a gradient are skipped. One host round trip (the norm).
   *
   * @return the total norm before clipping
   * @throws IllegalArgumentException for a maxNorm that is not positive
   */
  public static float clipGradNorm(List<Tensor> params, float maxNorm) {
    if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGradNorm: Invalid max norm: " + maxNorm);
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      Tensor sum = null;
      for (Tensor p : params) {
        if (p.grad() == null) continue;
        Tensor sq = p.grad().square().sum();
        sum = sum == null ? sq : sum.add(sq);
      }
      if (sum == null) return 0f;
      float total = (float) Math.sqrt(sum.item());
      // A NaN norm (a NaN gradient somewhere) scales every gradient by NaN, as PyTorch does: a
      // step must not go ahead on the finite gradients as if nothing happened.
      if (!(total <= maxNorm)) {
        float coef = maxNorm / (total + 1e-6f);
        for (Tensor p : params) {
          if (p.grad() != null) p.grad().copyFrom(p.grad().mul(coef));
        }
      }
      return total;
    }
  }
}
