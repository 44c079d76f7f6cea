package dev.nerve.cli;

import dev.nerve.data.Mnist;
import dev.nerve.examples.MnistCnn;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nerve train resnet}: a small residual network for 28x28 digits. */
@Command(name = "resnet", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A small ResNet on MNIST digits (three residual blocks).")
final class ResNetCommand extends ModelCommand {
  @Option(names = "--shift", paramLabel = "PX", description = "Augmentation: move each training image by up to PX"
      + " pixels in x and y, drawn afresh each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
  int shift;

  @Mixin StopAfterOption stopAfter;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "15", "--lr", "0.1", "--batch-size", "64", "--shift", "2");
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
    MnistCnn.train(new MnistCnn.Config(MnistCnn.Kind.RESNET, mnist, epochs, batchSize, lr, shift, seed, job.device()),
        job.out(), job.interactive(), job.output(), job.resume(), stopAfter.last(epochs));
    return 0;
  }
}
