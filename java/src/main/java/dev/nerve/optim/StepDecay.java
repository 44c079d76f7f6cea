package dev.nerve.optim;

/**
 * The rate multiplied by gamma every stepSize epochs (or steps), as
 * {@code torch.optim.lr_scheduler.StepLR}:
 *
 * <pre>
 * lr(t) = base * gamma ^ floor(t / stepSize)
 * </pre>
 */
public final class StepDecay implements LrSchedule {
  private final float base;
  private final int stepSize;
  private final float gamma;

  /**
   * @param base the rate at t = 0 (>= 0)
   * @param stepSize how many epochs (or steps) each rate lasts (>= 1)
   * @param gamma the factor applied at each boundary (>= 0; 0.1 is usual)
   */
  public StepDecay(float base, int stepSize, float gamma) {
    if (!(base >= 0) || Float.isInfinite(base)) throw new IllegalArgumentException("StepDecay: Invalid base rate: " + base);
    if (stepSize < 1) throw new IllegalArgumentException("StepDecay: stepSize must be >= 1, got " + stepSize);
    if (!(gamma >= 0) || Float.isInfinite(gamma)) throw new IllegalArgumentException("StepDecay: Invalid gamma: " + gamma);
    this.base = base;
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  public float lr(int t) {
    return (float) (base * Math.pow(gamma, Math.floorDiv(t, stepSize)));
  }
}
