package dev.nerve.examples;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.data.DataLoader;
import dev.nerve.data.Dataset;
import dev.nerve.data.Transform;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.CosineAnnealing;
import dev.nerve.optim.LrSchedule;
import dev.nerve.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a classifier on the user's own data (a CSV file's rows or a folder's images) with a
 * validation split: Adam with a cosine learning rate, batches prepared by background workers,
 * per epoch one line with training and validation loss and validation accuracy, the last and best
 * (validation accuracy) checkpoints, and at the end loss.png and accuracy.png.
 */
public final class OwnDataTrainer {
  /**
   * What to train on.
   *
   * @param name the model's name (plots, checkpoints)
   * @param unit what an example is, plural, for messages: "rows" or "images"
   * @param train the training examples
   * @param validation the held-out examples
   * @param classes the class names, index by index
   * @param augment applied to training examples only (null: none)
   * @param workers background threads preparing training batches (0: none)
   * @param meta extra checkpoint metadata (class names, the standardisation, the image size)
   */
  public record Config(String name, String unit, Dataset train, Dataset validation, java.util.List<String> classes,
      int epochs, int batchSize, float lr, long seed, Device device, Transform augment, int workers,
      Map<String, String> meta) {}

  /** Validation accuracy and loss after the last epoch. */
  public record Result(double validationAccuracy, double validationLoss, int validationSize, double trainLoss) {}

  private OwnDataTrainer() {}

  /** Trains model (built with gen) on c; resume: a checkpoint of the same model to continue from, or null. */
  public static Result train(Config c, Sequential model, Generator gen, PrintWriter out, boolean interactive,
      RunOutput output, Path resume) throws IOException {
    try (Adam optimizer = new Adam(model.parameters(), c.lr())) {
      out.printf(Locale.ROOT, "model: %s, %,d parameters%n", model, model.parameterCount());
      out.printf(Locale.ROOT, "Adam lr %s (cosine to 0), batch %d, %d epochs, %s, %d loader workers, seed %d, %s%n",
          c.lr(), c.batchSize(), c.epochs(), c.augment() == null ? "no augmentation" : "augmented training " + c.unit(),
          c.workers(), c.seed(), c.device().name().equals("cpu") ? "cpu (" + c.device().threads() + " threads)" : c.device());
      DataLoader loader = new DataLoader(c.train(), c.batchSize(), true, c.seed(), false, c.device())
          .withTransform(c.augment()).withWorkers(c.workers(), Math.max(2, 2 * c.workers()));
      Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, optimizer);
      int start = 1;
      if (resume != null) {
        Map<String, String> meta = output.resume(resume, model, optimizers);
        start = RunOutput.epochOf(meta) + 1;
        for (int e = 1; e < start; e++) loader.epoch().close(); // the shuffles and draws of the epochs done
        RunOutput.restoreGenerator(meta, gen);
        out.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, start - 1);
      }
      LrSchedule schedule = new CosineAnnealing(c.lr(), c.epochs());
      double[] val = evaluate(model, c.validation(), c.device());
      double trainLoss = Double.NaN;
      try (loader) {
        for (int epoch = start; epoch <= c.epochs(); epoch++) {
          schedule.apply(optimizer, epoch - 1);
          model.train();
          String label = String.format(Locale.ROOT, "epoch %d/%d", epoch, c.epochs());
          double seconds;
          double rate;
          try (EpochProgress progress = new EpochProgress(label, c.train().size(), interactive);
              DataLoader.Epoch batches = loader.epoch()) {
            while (batches.hasNext()) {
              try (DataLoader.Batch batch = batches.next(); Scope s = Scope.open()) {
                optimizer.zeroGrad();
                Tensor l = F.crossEntropy(model.forward(batch.x()), batch.y());
                l.backward();
                optimizer.step();
                progress.step(batch.size(), l.item());
              }
            }
            trainLoss = progress.meanLoss();
            seconds = progress.seconds();
            rate = progress.examplesPerSecond();
          }
          val = evaluate(model, c.validation(), c.device());
          out.printf(Locale.ROOT, "%s  train loss %.4f  validation loss %.4f  validation accuracy %6.2f%%  %.2f s  %,.0f %s/s%n",
              label, trainLoss, val[1], 100 * val[0], seconds, rate, c.unit());
          out.flush();
          output.record("train loss", trainLoss);
          output.record("validation loss", val[1]);
          output.record("validation accuracy", val[0]);
          Map<String, String> extra = new LinkedHashMap<>(c.meta());
          extra.put("seed", Long.toString(c.seed()));
          extra.put(RunOutput.GENERATOR_OFFSET, Long.toString(gen.offset()));
          output.checkpoint(model, optimizers, epoch, val[0], extra);
        }
      }
      out.printf(Locale.ROOT, "validation accuracy: %.2f%% on %,d held-out %s (%d classes)%n", 100 * val[0],
          c.validation().size(), c.unit(), c.classes().size());
      Path lossPlot = output.plot("loss.png", c.name() + ": loss", "epoch", "cross-entropy", "train loss", "validation loss");
      Path acc = output.plot("accuracy.png", c.name() + ": accuracy on the held-out " + c.unit(), "epoch", "accuracy",
          "validation accuracy");
      if (lossPlot != null) out.println("wrote " + lossPlot + ", " + acc + " and the checkpoints in " + output.dir());
      out.flush();
      return new Result(val[0], val[1], c.validation().size(), trainLoss);
    }
  }

  /** {accuracy, mean loss} over data in evaluation mode, without gradients. */
  static double[] evaluate(Sequential model, Dataset data, Device device) {
    model.eval();
    double correct = 0;
    double loss = 0;
    try (Grad g = Grad.off()) {
      for (DataLoader.Batch batch : new DataLoader(data, 500, false, 0, false, device)) {
        try (batch; Scope s = Scope.open()) {
          Tensor logits = model.forward(batch.x());
          loss += F.crossEntropy(logits, batch.y()).item() * batch.size();
          // Counts are whole numbers, exact in a double.
          correct += logits.argmax(1).toType(DType.F32).eq(batch.y().toType(DType.F32)).sum().item();
        }
      }
    }
    model.train();
    return new double[] {correct / data.size(), loss / data.size()};
  }
}
