package dev.nerve.cli;

import dev.nerve.examples.MnistCnn;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train mnist-cnn}: LeNet-style convolutional network. */
@Command(name = "mnist-cnn", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A LeNet-style CNN on MNIST digits (two conv-pool stages).")
final class MnistCnnCommand extends DigitModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "15", "--lr", "0.05", "--batch-size", "64", "--shift", "2");
  }

  @Override
  int train(Job job) throws Exception {
    MnistCnn.train(new MnistCnn.Config(MnistCnn.Kind.LENET, mnist(), epochs, batchSize, lr, shift, seed, job.device()), job.out(),
        job.interactive(), job.output(), job.resume(), lastEpoch());
    return 0;
  }
}
