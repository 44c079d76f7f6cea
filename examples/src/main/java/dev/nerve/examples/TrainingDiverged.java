package dev.nerve.examples;

/**
 * Training produced a non-finite loss, metric or parameter (NaN or ±Inf: a learning rate far too
 * large, say). Thrown before the epoch's checkpoint is written, so the checkpoints on disk keep
 * the last good epoch; the CLI prints it as one line and exits with code 1.
 */
public final class TrainingDiverged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDiverged(String message) {
    super(message);
  }
}
