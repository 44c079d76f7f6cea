package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Tensor;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import dev.nerve.nn.AdaptiveAvgPool2d;
import dev.nerve.nn.BatchNorm2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.Linear;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Module;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.ResidualBlock;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Convolutional classifiers of MNIST digits, trained the same way (SGD with momentum and weight
 * decay, cosine learning rate, random shifts of the training images):
 *
 * <pre>
 * lenet:  x [B, 1, 28, 28] -> Conv 5x5 20 -> ReLU -> MaxPool 2 -> Conv 5x5 50 -> ReLU -> MaxPool 2
 *         -> Flatten [B, 800] -> Linear 500 -> ReLU -> Dropout 0.3 -> Linear 10
 * resnet: x -> Conv 3x3 16 -> BatchNorm -> ReLU -> ResidualBlock 16 -> ResidualBlock 32 (stride 2,
 *         projection) -> ResidualBlock 64 (stride 2, projection) -> global average pool -> Linear 10
 * </pre>
 */
public final class MnistCnn {
  /** Which network. */
  public enum Kind { LENET, RESNET }

  public record Config(Kind kind, Mnist data, int epochs, int batchSize, float lr, int shift, long seed, Device device) {}

  public record Result(double testAccuracy, int testSize, double secondsPerEpoch, double examplesPerSecond,
      double trainLoss) {}

  public static final float MOMENTUM = 0.9f;
  public static final float WEIGHT_DECAY = 5e-4f;
  /** The mark both networks must reach on the 2,000 held-out digits. */
  public static final double TARGET = 0.985;

  private MnistCnn() {}

  public static Sequential lenet(Device device, Generator gen) {
    return new Sequential(
        new Conv2d(1, 20, 5, 1, 0, 1, 1, true, device, gen), new ReLU(), new MaxPool2d(2),
        new Conv2d(20, 50, 5, 1, 0, 1, 1, true, device, gen), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(800, 500, true, device, gen), new ReLU(), new Dropout(0.3f, gen),
        new Linear(500, 10, true, device, gen));
  }

  public static Sequential resnet(Device device, Generator gen) {
    return new Sequential(
        new Conv2d(1, 16, 3, 1, 1, 1, 1, false, device, gen), new BatchNorm2d(16, 1e-5f, 0.1f, device), new ReLU(),
        new ResidualBlock(16, 16, 1, device, gen),
        new ResidualBlock(16, 32, 2, device, gen),
        new ResidualBlock(32, 64, 2, device, gen),
        new AdaptiveAvgPool2d(1, 1), new Flatten(),
        new Linear(64, 10, true, device, gen));
  }

  static String name(Kind kind) {
    return kind == Kind.LENET ? "mnist-cnn" : "resnet";
  }

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
    String name = name(c.kind());
    out.println("data: " + c.data().source());
    Generator gen = new Generator(c.seed());
    try (Sequential model = c.kind() == Kind.LENET ? lenet(c.device(), gen) : resnet(c.device(), gen);
        SGD optimizer = new SGD(model.parameters(), c.lr(), MOMENTUM, 0f, WEIGHT_DECAY, true)) {
      out.printf(Locale.ROOT, "model: %s, %,d parameters%n", model, model.parameterCount());
      out.printf(Locale.ROOT, "SGD lr %s (cosine to 0), Nesterov momentum %s, weight decay %s, batch %d, %d epochs, %s, seed %d, %s%n",
          c.lr(), MOMENTUM, WEIGHT_DECAY, c.batchSize(), c.epochs(),
          c.shift() > 0 ? "training images shifted by up to " + c.shift() + " px" : "no augmentation",
          c.seed(), c.device().name().equals("cpu") ? "cpu (" + c.device().threads() + " threads)" : c.device());
      DigitTrainer.Plan plan = new DigitTrainer.Plan(name, c.data(), c.epochs(), c.batchSize(), c.lr(), c.shift(),
          c.seed(), c.device(), TARGET, String.format(Locale.ROOT, "%.1f", 100 * TARGET), MnistCnn::images, 2);
      DigitTrainer.Outcome o = DigitTrainer.train(plan, model, optimizer, gen, split -> evaluate(model, split, c.device()),
          out, interactive, output, resume, stopAfter);
      return new Result(o.testAccuracy(), o.testSize(), o.secondsPerEpoch(), o.examplesPerSecond(), o.trainLoss());
    }
  }

  /** [B, 784] rows of pixels as [B, 1, 28, 28] images. */
  static Tensor images(Tensor x) {
    return x.reshape(x.size(0), 1, 28, 28);
  }

  /** Fraction of the split's images whose arg-max logit is the label, in evaluation mode. */
  public static double evaluate(Module model, MnistSplit split, Device device) {
    model.eval();
    double accuracy = SplitEvaluation.accuracy(split, device, x -> model.forward(images(x)));
    model.train();
    return accuracy;
  }
}
