package dev.nerve.examples;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One epoch's progress: the running mean loss and examples per second. On a terminal it draws a
 * live bar (me.tongfei progressbar, on stderr); otherwise it draws nothing, so logs get only the
 * summary line the caller prints at the end of the epoch.
 */
public final class EpochProgress implements AutoCloseable {
  private final ProgressBar bar;
  private final String label;
  private final long start = System.nanoTime();
  private double lossSum;
  private long examples;
  private int steps;

  /** interactive: draw a bar (pass System.console() != null). */
  public EpochProgress(String label, long totalExamples, boolean interactive) {
    this.label = label;
    this.bar = interactive
        ? new ProgressBarBuilder().setTaskName(label).setInitialMax(totalExamples).setUnit(" ex", 1)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).hideEta().build()
        : null;
  }

  /**
   * Records one step over n examples with the given (batch-mean) loss.
   *
   * @throws TrainingDiverged when the loss is NaN or infinite: there is no point in going on
   */
  public void step(int n, float loss) {
    if (!Float.isFinite(loss)) {
      throw new TrainingDiverged("the training loss is " + loss + " at step " + (steps + 1) + " of " + label);
    }
    lossSum += loss;
    steps++;
    examples += n;
    if (bar != null) {
      bar.stepBy(n);
      bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %,.0f ex/s", meanLoss(), examplesPerSecond()));
    }
  }

  public double meanLoss() {
    return steps == 0 ? Double.NaN : lossSum / steps;
  }

  public long examples() {
    return examples;
  }

  public double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  public double examplesPerSecond() {
    return examples / Math.max(1e-9, seconds());
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
