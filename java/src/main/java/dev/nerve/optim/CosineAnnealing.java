package dev.nerve.optim;

/**
 * Cosine annealing from a base rate down to 0 over a number of epochs (or steps), as
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR} with {@code eta_min = 0}:
 *
 * <pre>
 * lr(t) = base * (1 + cos(pi * t / total)) / 2      t = 0 .. total - 1
 * </pre>
 *
 * computed in double precision and rounded to float once.
 */
public final class CosineAnnealing implements LrSchedule {
  private final float base;
  private final int total;

  /**
   * @param base the rate at t = 0 (>= 0)
   * @param total the number of epochs (or steps) the cosine spans (>= 1)
   */
  public CosineAnnealing(float base, int total) {
    if (!(base >= 0) || Float.isInfinite(base)) throw new IllegalArgumentException("CosineAnnealing: Invalid base rate: " + base);
    if (total < 1) throw new IllegalArgumentException("CosineAnnealing: total must be >= 1, got " + total);
    this.base = base;
    this.total = total;
  }

  @Override
  public float lr(int t) {
    return (float) (base * 0.5 * (1 + Math.cos(Math.PI * t / total)));
  }
}
