package dev.nerve.examples;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.data.ArrayDataset;
import dev.nerve.data.DataLoader;
import dev.nerve.data.Dataset;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import dev.nerve.io.Checkpoint;
import dev.nerve.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
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
    MnistSplit train = c.data().train();
    MnistSplit test = c.data().test();
    out.println("data: " + c.data().source());
    Generator gen = new Generator(c.seed());
    try (Sequential model = model(c.device(), gen);
        SGD optimizer = new SGD(model.parameters(), c.lr(), MOMENTUM)) {
      out.printf(Locale.ROOT, "model: %s, %,d parameters%n", model, model.parameterCount());
      out.printf(Locale.ROOT, "SGD lr %s (cosine to 0), momentum %s, batch %d, %d epochs, %s, seed %d, %s%n",
          c.lr(), MOMENTUM, c.batchSize(), c.epochs(),
          c.shift() > 0 ? "training images shifted by up to " + c.shift() + " px" : "no augmentation",
          c.seed(), c.device().name().equals("cpu") ? "cpu (" + c.device().threads() + " threads)" : c.device());
      Dataset images = c.shift() > 0 ? new ShiftedImages(train, c.shift(), c.seed()) : ArrayDataset.of(train);
      DataLoader loader = new DataLoader(images, c.batchSize(), true, c.seed(), false, c.device());
      double trainSeconds = 0;
      long trainExamples = 0;
      double accuracy = 0;
      double lastLoss = Double.NaN;
      int start = 1;
      Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, optimizer);
      if (resume != null) {
        Map<String, String> meta = output.resume(resume, model, optimizers);
        start = RunOutput.epochOf(meta) + 1;
        for (int e = 1; e < start; e++) loader.iterator();
        if (images instanceof ShiftedImages shifted) shifted.skip((long) (start - 1) * train.size());
        RunOutput.restoreGenerator(meta, gen); // the next epoch's shuffle
        out.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, start - 1);
      }
      final int last = Math.min(c.epochs(), stopAfter);
      for (int epoch = start; epoch <= last; epoch++) {
        optimizer.setLr(cosine(c.lr(), epoch - 1, c.epochs()));
        String label = String.format(Locale.ROOT, "epoch %d/%d", epoch, c.epochs());
        double loss;
        double seconds;
        double rate;
        try (EpochProgress progress = new EpochProgress(label, train.size(), interactive)) {
          for (DataLoader.Batch batch : loader) {
            try (batch; Scope s = Scope.open()) {
              optimizer.zeroGrad();
              Tensor l = F.crossEntropy(model.forward(batch.x()), batch.y());
              l.backward();
              optimizer.step();
              progress.step(batch.size(), l.item());
            }
          }
          loss = progress.meanLoss();
          seconds = progress.seconds();
          rate = progress.examplesPerSecond();
          trainExamples += progress.examples();
        }
        trainSeconds += seconds;
        accuracy = evaluate(model, test, c.device());
        out.printf(Locale.ROOT, "%s  train loss %.4f  test accuracy %6.2f%%  %.2f s  %,.0f examples/s%n", label, loss,
            100 * accuracy, seconds, rate);
        out.flush();
        lastLoss = loss;
        output.record("train loss", loss);
        output.record("test accuracy", accuracy);
        output.checkpoint(model, optimizers, epoch, accuracy,
            Map.of("seed", Long.toString(c.seed()), RunOutput.GENERATOR_OFFSET, Long.toString(gen.offset())));
      }
      int trained = Math.max(1, last - start + 1);
      if (start > last) accuracy = evaluate(model, test, c.device());
      if (last < c.epochs())
        out.printf(Locale.ROOT, "stopped after epoch %d of %d: continue with --resume%n", last, c.epochs());
      Result r = new Result(accuracy, test.size(), trainSeconds / trained, trainExamples / Math.max(1e-9, trainSeconds),
          lastLoss);
      out.printf(Locale.ROOT, "test accuracy: %.2f%% on %,d held-out digits (%.2f s per epoch, %,.0f examples/s)%s%n",
          100 * r.testAccuracy(), r.testSize(), r.secondsPerEpoch(), r.examplesPerSecond(),
          last == c.epochs() && r.testAccuracy() < TARGET
              ? String.format(Locale.ROOT, "; BELOW the %.0f%% target", 100 * TARGET) : "");
      Path loss = output.plot("loss.png", "mnist-mlp: training loss", "epoch", "cross-entropy", "train loss");
      Path acc = output.plot("accuracy.png", "mnist-mlp: accuracy on the held-out digits", "epoch", "accuracy",
          "test accuracy");
      if (loss != null) out.println("wrote " + loss + ", " + acc + " and the checkpoints in " + output.dir());
      out.flush();
      return r;
    }
  }

  /** lr * (1 + cos(pi * epoch / epochs)) / 2 for epoch = 0 .. epochs-1. */
  static float cosine(float lr, int epoch, int epochs) {
    return (float) (lr * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs)));
  }

  /** Fraction of the split's images whose arg-max logit is the label; no gradients recorded. */
  public static double evaluate(Sequential model, MnistSplit split, Device device) {
    DataLoader loader = new DataLoader(ArrayDataset.of(split), 500, false, 0, false, device);
    long right = 0;
    try (Grad g = Grad.off()) {
      for (DataLoader.Batch batch : loader) {
        try (batch; Scope s = Scope.open()) {
          Tensor predicted = model.forward(batch.x()).argmax(1).toType(DType.F32);
          right += (long) predicted.eq(batch.y().toType(DType.F32)).sum().item();
        }
      }
    }
    return (double) right / split.size();
  }
}
