package dev.nerve.cli;

import dev.nerve.examples.MnistMlp;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train mnist-mlp}. */
@Command(name = "mnist-mlp", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A 784-512-256-10 ReLU MLP on MNIST digits (SGD, momentum).")
final class MnistMlpCommand extends DigitModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "40", "--lr", "0.05", "--batch-size", "128", "--shift", "2");
  }

  @Override
  int train(Job job) throws Exception {
    MnistMlp.train(new MnistMlp.Config(mnist(), epochs, batchSize, lr, shift, seed, job.device()), job.out(),
        job.interactive(), job.output(), job.resume(), lastEpoch());
    return 0;
  }
}
