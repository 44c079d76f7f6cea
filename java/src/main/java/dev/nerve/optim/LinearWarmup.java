package dev.nerve.optim;

/**
 * A linear ramp up to another schedule's first rate, then that schedule, as PyTorch's
 * {@code LinearLR} warm-up chained with a {@code SequentialLR}:
 *
 * <pre>
 * lr(t) = after.lr(0) * (t + 1) / warmup      t &lt; warmup
 * lr(t) = after.lr(t - warmup)                t &gt;= warmup
 * </pre>
 */
public final class LinearWarmup implements LrSchedule {
  private final int warmup;
  private final LrSchedule after;

  /**
   * @param warmup the number of epochs (or steps) of the ramp (>= 0; 0 is {@code after} itself)
   * @param after the schedule that follows, started at its own t = 0
   */
  public LinearWarmup(int warmup, LrSchedule after) {
    if (warmup < 0) throw new IllegalArgumentException("LinearWarmup: warmup must be >= 0, got " + warmup);
    if (after == null) throw new IllegalArgumentException("LinearWarmup: the schedule after the warm-up is null");
    this.warmup = warmup;
    this.after = after;
  }

  @Override
  public float lr(int t) {
    if (t >= warmup) return after.lr(t - warmup);
    return (float) ((double) after.lr(0) * (t + 1) / warmup);
  }
}
