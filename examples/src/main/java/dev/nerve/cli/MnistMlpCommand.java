package dev.nerve.cli;

import dev.nerve.data.Mnist;
import dev.nerve.examples.MnistMlp;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nerve train mnist-mlp}. */
@Command(name = "mnist-mlp", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A 784-512-256-10 ReLU MLP on MNIST digits (SGD, momentum).")
final class MnistMlpCommand extends ModelCommand {
  @Option(names = "--shift", paramLabel = "PX", description = "Augmentation: move each training image by up to PX"
      + " pixels in x and y, drawn afresh each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
  int shift;

  @Mixin StopAfterOption stopAfter;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "40", "--lr", "0.05", "--batch-size", "128", "--shift", "2");
  }

  @Override
  void validate() {
    super.validate();
    check(shift >= 0 && shift <= 8, "--shift must be in [0, 8] pixels, got " + shift);
    String stop = stopAfter.problem(epochs);
    check(stop == null, stop);
  }

  @Override
  int train(Job job) throws Exception {
    Mnist mnist = data != null ? Mnist.load(data) : Mnist.obtain(Mnist.defaultCacheDir());
    MnistMlp.train(new MnistMlp.Config(mnist, epochs, batchSize, lr, shift, seed, job.device()), job.out(),
        job.interactive(), job.output(), job.resume(), stopAfter.last(epochs));
    return 0;
  }
}
