package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A multi-layer perceptron on MNIST digits.
 *
 * <pre>
 * x [B, 784] -> Linear 512 -> ReLU -> Linear 256 -> ReLU -> Linear 10 -> logits [B, 10]
 * loss = cross-entropy(logits, labels)
 * SGD, momentum 0.9, mini-batches of 128; the learning rate follows a cosine from lr down to 0
 * </pre>
 */
public final class MnistMlp {
  /** What to train: the data, the schedule and where. */
  public record Config(Mnist data, int epochs, int batchSize, float lr, int shift, long seed, Device device) {}

  /** The outcome: test accuracy after the last epoch, and training speed. */
  public record Result(double testAccuracy, int testSize, double secondsPerEpoch, double examplesPerSecond,
      double trainLoss) {}

  public static final float MOMENTUM = 0.9f;

  /** The accuracy the defaults reach on the 2,000 held-out npm digits (97.55% with seed 0). */
  public static final double TARGET = 0.97;

  private MnistMlp() {}

  public static Sequential model(Device device, Generator gen) {
    return new Sequential(
        new Linear(784, 512, true, device, gen), new ReLU(),
        new Linear(512, 256, true, device, gen), new ReLU(),
        new Linear(256, 10, true, device, gen));
  }

  public static Result train(Config c, PrintWriter out, boolean interactive) {
    try {
      return train(c, out, interactive, RunOutput.none(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // RunOutput.none() writes nothing
    }
  }

  /**
   * Trains, recording train loss and test accuracy per epoch in output, saving last and best
   * (highest test accuracy) checkpoints after each epoch and plotting loss.png and accuracy.png.
   * With resume, continues from that checkpoint's epoch: the cosine schedule, the shuffles and the
   * shifts go on as in an uninterrupted run of the same options.
   */
  public static Result train(Config c, PrintWriter out, boolean interactive, RunOutput output, Path resume)
      throws IOException {
    return train(c, out, interactive, output, resume, c.epochs());
  }

  /**
   * As above, but stops after epoch stopAfter of the c.epochs() schedule (a later run with the
   * same options and resume continues it exactly: same weights, optimizer state, shuffles,
   * shifts and dropout masks as one uninterrupted run).
   */
  public static Result train(Config c, PrintWriter out, boolean interactive, RunOutput output, Path resume,
      int stopAfter) throws IOException {
    out.println("data: " + c.data().source());
    Generator gen = new Generator(c.seed());
    try (Sequential model = model(c.device(), gen);
        SGD optimizer = new SGD(model.parameters(), c.lr(), MOMENTUM)) {
      out.printf(Locale.ROOT, "model: %s, %,d parameters%n", model, model.parameterCount());
      out.printf(Locale.ROOT, "SGD lr %s (cosine to 0), momentum %s, batch %d, %d epochs, %s, seed %d, %s%n",
          c.lr(), MOMENTUM, c.batchSize(), c.epochs(),
          c.shift() > 0 ? "training images shifted by up to " + c.shift() + " px" : "no augmentation",
          c.seed(), c.device().name().equals("cpu") ? "cpu (" + c.device().threads() + " threads)" : c.device());
      DigitTrainer.Plan plan = new DigitTrainer.Plan("mnist-mlp", c.data(), c.epochs(), c.batchSize(), c.lr(), c.shift(),
          c.seed(), c.device(), TARGET, String.format(Locale.ROOT, "%.0f", 100 * TARGET), x -> x, 1);
      DigitTrainer.Outcome o = DigitTrainer.train(plan, model, optimizer, gen, split -> evaluate(model, split, c.device()),
          out, interactive, output, resume, stopAfter);
      return new Result(o.testAccuracy(), o.testSize(), o.secondsPerEpoch(), o.examplesPerSecond(), o.trainLoss());
    }
  }

  /** Fraction of the split's images whose arg-max logit is the label; no gradients recorded. */
  public static double evaluate(Sequential model, MnistSplit split, Device device) {
    return SplitEvaluation.accuracy(split, device, model::forward);
  }
}
