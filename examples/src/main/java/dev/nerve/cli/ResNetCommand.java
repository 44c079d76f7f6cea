package dev.nerve.cli;

import dev.nerve.examples.MnistCnn;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train resnet}: a small residual network for 28x28 digits. */
@Command(name = "resnet", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A small ResNet on MNIST digits (three residual blocks).")
final class ResNetCommand extends DigitModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "15", "--lr", "0.1", "--batch-size", "64", "--shift", "2");
  }

  @Override
  int train(Job job) throws Exception {
    MnistCnn.train(new MnistCnn.Config(MnistCnn.Kind.RESNET, mnist(), epochs, batchSize, lr, shift, seed,
        job.device()), job.out(), job.interactive(), job.output(), job.resume(), lastEpoch());
    return 0;
  }
}
