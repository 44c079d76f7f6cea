package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/**
 * Huber loss (smooth L1), as torch.nn.HuberLoss with mean reduction: quadratic near zero,
 * linear beyond delta, so one large error cannot blow up the gradient (DQN's choice for the
 * Bellman error).
 *
 * <pre>
 * a = |input - target|
 * loss = mean(a &lt;= delta ? 0.5 a^2 : delta (a - 0.5 delta))
 *      = mean(0.5 q^2 + delta (a - q)),   q = min(a, delta) = a - relu(a - delta)
 * </pre>
 *
 * Composed from primitives, so its gradient (clip(input - target, -delta, delta) / n) comes
 * from theirs.
 */
public final class HuberLoss {
  private final float delta;

  /** delta = 1, as PyTorch's default. */
  public HuberLoss() {
    this(1f);
  }

  /**
   * @param delta where the loss turns from quadratic to linear
   * @throws IllegalArgumentException unless delta is a positive finite number
   */
  public HuberLoss(float delta) {
    if (!(delta > 0) || Float.isInfinite(delta)) throw new IllegalArgumentException("HuberLoss: delta must be a positive finite number, got " + delta);
    this.delta = delta;
  }

  /** The mean Huber loss of input against target (same shape), a 0-D tensor. */
  public Tensor forward(Tensor input, Tensor target) {
    return huber(input, target, delta);
  }

  /** The Huber loss of input against target (same shape), mean over all elements. */
  public static Tensor huber(Tensor input, Tensor target, float delta) {
    if (input == null || target == null) throw new IllegalArgumentException("huber: input or target is null");
    if (!java.util.Arrays.equals(input.shape(), target.shape())) {
      throw new IllegalArgumentException("huber: input " + java.util.Arrays.toString(input.shape()) + " and target "
          + java.util.Arrays.toString(target.shape()) + " differ in shape");
    }
    Tensor a = F.abs(F.sub(input, target));
    Tensor q = F.sub(a, F.relu(F.scaleShift(a, 1f, -delta)));
    Tensor quadratic = F.scaleShift(F.square(q), 0.5f, 0f);
    Tensor linear = F.scaleShift(F.sub(a, q), delta, 0f);
    return F.mean(F.add(quadratic, linear));
  }
}
