package dev.nerve.optim;

/**
 * A learning rate as a function of the epoch (or step) index t, counted from 0, as PyTorch's
 * {@code torch.optim.lr_scheduler} computes it in closed form. Stateless: {@link #apply} sets the
 * optimizer's rate for a given t, so a resumed run picks the schedule up at any epoch.
 *
 * <pre>{@code
 * LrSchedule schedule = new CosineAnnealing(0.05f, epochs);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *   schedule.apply(optimizer, epoch);
 *   ... one epoch of steps ...
 * }
 * }</pre>
 */
public interface LrSchedule {
  /** The learning rate at index t (t >= 0). */
  float lr(int t);

  /** Sets optimizer's learning rate to {@link #lr(int) lr(t)}. */
  default void apply(Optimizer optimizer, int t) {
    optimizer.setLr(lr(t));
  }
}
