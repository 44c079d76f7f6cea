package dev.nerve.cli;

import dev.nerve.data.Mnist;
import dev.nerve.examples.MnistCnn;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nerve train mnist-cnn}: LeNet-style convolutional network. */
@Command(name = "mnist-cnn", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A LeNet-style CNN on MNIST digits (two conv-pool stages).")
final class MnistCnnCommand extends ModelCommand {
  @Option(names = "--shift", paramLabel = "PX", description = "Augmentation: move each training image by up to PX"
      + " pixels in x and y, drawn afresh each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
  int shift;

  @Mixin StopAfterOption stopAfter;

  MnistCnn.Kind kind() {
    return MnistCnn.Kind.LENET;
  }

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "15", "--lr", "0.05", "--batch-size", "64", "--shift", "2");
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
    MnistCnn.train(new MnistCnn.Config(kind(), mnist, epochs, batchSize, lr, shift, seed, job.device()), job.out(),
        job.interactive(), job.output(), job.resume(), stopAfter.last(epochs));
    return 0;
  }
}
