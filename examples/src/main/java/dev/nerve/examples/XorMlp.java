package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Linear;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Adam;
import dev.nerve.io.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Locale;

/**
 * XOR with one hidden layer: the problem a single perceptron cannot solve.
 *
 * <pre>
 * logit = W2 tanh(W1 x + b1) + b2      x [4, 2] -> h [4, hidden] -> logit [4, 1]
 * loss  = BCEWithLogits(logit, t)      p = sigmoid(logit), output = p > 0.5
 * </pre>
 *
 * Full batch (the four inputs), Adam.
 */
public final class XorMlp {
  static final float[] INPUTS = Perceptron.INPUTS;
  static final float[] TARGETS = Perceptron.XOR.targets();

  /** The outcome: accuracy on the four inputs, the last loss and p = sigmoid(logit) per input. */
  public record Result(double accuracy, float loss, float[] probabilities) {}

  private XorMlp() {}

  public static Result train(int hidden, int epochs, float lr, long seed, Device device, PrintWriter out) {
    try {
      return train(hidden, epochs, lr, seed, device, out, RunOutput.none(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // RunOutput.none() writes nothing
    }
  }

  /**
   * Trains, recording the loss of every epoch in output; checkpoints (best = lowest loss) every
   * tenth of the run and at the end, then plots loss.png. With resume, continues from that
   * checkpoint's epoch.
   */
  public static Result train(int hidden, int epochs, float lr, long seed, Device device, PrintWriter out,
      RunOutput output, Path resume) throws IOException {
    Generator gen = new Generator(seed);
    out.printf(Locale.ROOT, "XOR MLP 2-%d-1 (tanh), BCE with logits, Adam lr %s, %d full-batch epochs, seed %d, %s%n",
        hidden, lr, epochs, seed, device);
    try (Sequential model = new Sequential(new Linear(2, hidden, true, device, gen), new Tanh(),
            new Linear(hidden, 1, true, device, gen));
        Adam optimizer = new Adam(model.parameters(), lr);
        Tensor x = Tensor.of(device, INPUTS, 4, 2).keep();
        Tensor t = Tensor.of(device, TARGETS, 4, 1).keep()) {
      float loss = Float.NaN;
      int every = Math.max(1, epochs / 10);
      int start = 1;
      if (resume != null) {
        start = RunOutput.epochOf(output.resume(resume, model, Map.of(Checkpoint.OPTIMIZER, optimizer))) + 1;
        out.printf(Locale.ROOT, "resumed from %s at epoch %d%n", resume, start - 1);
      }
      for (int epoch = start; epoch <= epochs; epoch++) {
        try (Scope s = Scope.open()) {
          optimizer.zeroGrad();
          Tensor l = F.bceWithLogits(model.forward(x), t);
          l.backward();
          optimizer.step();
          loss = l.item();
        }
        output.record("loss", loss);
        if (epoch % every == 0 || epoch == epochs) {
          output.checkpoint(model, Map.of(Checkpoint.OPTIMIZER, optimizer), epoch, -loss, Map.of("seed", Long.toString(seed)));
        }
        if (epoch % every == 0 || epoch == epochs) {
          out.printf(Locale.ROOT, "epoch %5d  loss %.5f%n", epoch, loss);
        }
      }
      float[] p;
      try (Scope s = Scope.open(); Grad g = Grad.off()) {
        p = model.forward(x).sigmoid().toArray();
      }
      int right = 0;
      out.println("  x1 x2 | target  p(1)   output");
      for (int i = 0; i < 4; i++) {
        int y = p[i] > 0.5f ? 1 : 0;
        int target = (int) TARGETS[i];
        right += y == target ? 1 : 0;
        out.printf(Locale.ROOT, "   %d  %d |   %d    %.3f    %d%s%n", (int) INPUTS[2 * i], (int) INPUTS[2 * i + 1], target,
            p[i], y, y == target ? "" : "   <- wrong");
      }
      double accuracy = right / 4.0;
      out.printf(Locale.ROOT, "XOR %s: accuracy %s (%d/4), final loss %.5f%n", right == 4 ? "learned" : "NOT learned",
          Perceptron.percent(accuracy), right, loss);
      Path png = output.plot("loss.png", "XOR MLP 2-" + hidden + "-1: training loss", "epoch", "BCE loss", "loss");
      if (png != null) out.println("wrote " + png + " and the checkpoints in " + output.dir());
      out.flush();
      return new Result(accuracy, loss, p);
    }
  }
}
