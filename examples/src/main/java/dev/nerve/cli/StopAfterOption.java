package dev.nerve.cli;

import picocli.CommandLine.Option;

/**
 * {@code --stop-after N} for the models whose runs resume exactly (mnist-mlp, mnist-cnn,
 * resnet): train epochs 1..N of the {@code --epochs} schedule and stop; the same command with
 * {@code --resume} later continues as if never stopped.
 */
final class StopAfterOption {
  @Option(names = "--stop-after", paramLabel = "N", description = "Stop after epoch N of the --epochs schedule"
      + " (its learning rates unchanged); the same command with --resume continues it exactly (default: all epochs).")
  Integer epoch;

  /** The last epoch to train: N, or all of them. */
  int last(int epochs) {
    return epoch == null ? epochs : epoch;
  }

  /** Null when N fits the schedule, else the one-line complaint. */
  String problem(int epochs) {
    if (epoch == null || (epoch >= 1 && epoch <= epochs)) return null;
    return "--stop-after must be in [1, --epochs = " + epochs + "], got " + epoch;
  }
}
