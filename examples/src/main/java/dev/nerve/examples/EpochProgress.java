package dev.nerve.examples;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One epoch's progress: the running mean loss and examples per second. On a terminal it draws a
 * live bar (me.tongfei progressbar, on stderr) with the elapsed time and an ETA; otherwise it
 * draws nothing, so logs get only the summary line the caller prints at the end of the epoch.
 *
 * <p>The line is drawn by {@link #line}, not by the library's renderer: that one shows elapsed
 * time in whole seconds (so an epoch under a second, as on a GPU, stays at 0:00:00 throughout)
 * and its ETA was hidden.
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
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
            .setRenderer((state, width) -> line(label, state.getCurrent(), state.getMax(),
                state.getTotalElapsed().toNanos() / 1e9, state.getExtraMessage(), width))
            .build()
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
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %,.0f ex/s", meanLoss(), examplesPerSecond()));
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

  /**
   * "epoch 1/3  25% [=====     ] 15,000/60,000 ex  0:00.4 elapsed, ETA 0:01.2  loss 0.4321",
   * at most width characters: the bar shrinks first and is left out when there is no room; the
   * ETA assumes the rest of the epoch runs at the rate so far.
   */
  static String line(String label, long done, long total, double elapsedSeconds, String extra, int width) {
    int percent = total <= 0 ? 0 : (int) Math.min(100, 100 * done / total);
    String eta = done <= 0 || total <= 0 ? "?" : duration(elapsedSeconds * Math.max(0, total - done) / done);
    String head = String.format(Locale.ROOT, "%s %3d%% ", label, percent);
    String tail = String.format(Locale.ROOT, "%,d/%,d ex  %s elapsed, ETA %s", done, total, duration(elapsedSeconds), eta)
        + (extra == null || extra.isEmpty() ? "" : "  " + extra);
    int room = Math.min(30, width - head.length() - tail.length() - 3);
    if (room < 5) return (head + tail).length() <= width ? head + tail : (head + tail).substring(0, Math.max(0, width));
    int filled = total <= 0 ? 0 : (int) (room * Math.min(1.0, (double) done / total));
    return head + "[" + "=".repeat(filled) + " ".repeat(room - filled) + "] " + tail;
  }

  /** m:ss.s under an hour (tenths, so short epochs move), h:mm:ss from then on. */
  static String duration(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) return "?";
    if (seconds < 3600) {
      long tenths = Math.round(seconds * 10);
      return String.format(Locale.ROOT, "%d:%02d.%d", tenths / 600, tenths / 10 % 60, tenths % 10);
    }
    long s = (long) seconds;
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
