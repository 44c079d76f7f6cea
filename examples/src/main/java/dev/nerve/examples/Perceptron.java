package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rosenblatt's perceptron (1958) on the two-input logic gates AND, OR and XOR.
 *
 * <pre>
 * y = step(w . x + b)            step(z) = 1 if z > 0, else 0
 * for each example (x, t), in order:
 *     w += lr * (t - y) * x      (nothing changes when y == t)
 *     b += lr * (t - y)
 * </pre>
 *
 * This is the perceptron learning rule, not gradient descent: step has no useful gradient, so
 * no autograd is involved. The rule converges whenever a line separates the classes (AND, OR);
 * for XOR none does, the weights cycle, and at most 3 of the 4 inputs are ever right.
 *
 * <p>Shapes: inputs X [4, 2], targets T [4, 1], weights w [2, 1], bias b [1].
 */
public final class Perceptron {
  /** The four inputs of a two-input gate, in truth-table order. */
  static final float[] INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};

  /** A logic gate: its name and its outputs for the four inputs. */
  public record Gate(String name, float[] targets) {}

  public static final Gate AND = new Gate("AND", new float[] {0, 0, 0, 1});
  public static final Gate OR = new Gate("OR", new float[] {0, 1, 1, 1});
  public static final Gate XOR = new Gate("XOR", new float[] {0, 1, 1, 0});

  /**
   * How one gate went: converged (an epoch ended with all four right) within maxEpochs or not, the
   * best accuracy on the four inputs after any update, the final weights and outputs.
   */
  public record Result(String gate, boolean converged, int epochs, double bestAccuracy, float[] weights, float bias,
      float[] outputs, double[] epochAccuracy) {}

  private Perceptron() {}

  /** Trains a fresh perceptron on AND, OR and XOR, printing each truth table, and returns the outcomes. */
  public static List<Result> run(int maxEpochs, float lr, long seed, Device device, PrintWriter out) {
    out.printf(Locale.ROOT, "Perceptron (Rosenblatt): y = step(w.x + b); on a mistake w += lr*(t - y)*x, b += lr*(t - y)%n");
    out.printf(Locale.ROOT, "lr %s, at most %d epochs, seed %d, %s%n%n", lr, maxEpochs, seed, device);
    List<Result> results = new ArrayList<>();
    Generator gen = new Generator(seed);
    for (Gate gate : List.of(AND, OR, XOR)) {
      Result r = learn(gate, maxEpochs, lr, gen, device);
      results.add(r);
      report(r, gate, out);
    }
    Result xor = results.get(2);
    if (!xor.converged()) {
      out.printf(Locale.ROOT, "XOR is not linearly separable: no line splits {01, 10} from {00, 11}, so the perceptron"
          + " never converged (best accuracy %s in %d epochs). A hidden layer solves it: nerve train xor%n",
          percent(xor.bestAccuracy()), maxEpochs);
    }
    out.flush();
    return results;
  }

  /** The perceptron rule on one gate, from weights drawn uniformly in [-0.5, 0.5). */
  public static Result learn(Gate gate, int maxEpochs, float lr, Generator gen, Device device) {
    try (Tensor x = Tensor.of(device, INPUTS, 4, 2).keep();
        Tensor t = Tensor.of(device, gate.targets(), 4, 1).keep();
        Tensor w = Tensor.rand(device, gen, -0.5f, 0.5f, 2, 1).keep();
        Tensor b = Tensor.rand(device, gen, -0.5f, 0.5f, 1).keep()) {
      double best = 0;
      int epoch = 0;
      boolean converged = false;
      double[] history = new double[maxEpochs];
      while (epoch < maxEpochs && !converged) {
        epoch++;
        for (int i = 0; i < 4; i++) {
          try (Scope s = Scope.open()) {
            Tensor xi = x.slice(0, i, i + 1);                     // [1, 2]
            Tensor err = t.slice(0, i, i + 1).sub(predict(xi, w, b)); // [1, 1]: t - y, 0 when right
            w.copyFrom(w.add(xi.t().mul(err).mul(lr)));           // w += lr * (t - y) * x
            b.copyFrom(b.add(err.reshape(1).mul(lr)));            // b += lr * (t - y)
          }
          best = Math.max(best, accuracy(x, t, w, b));
        }
        history[epoch - 1] = accuracy(x, t, w, b);
        converged = history[epoch - 1] == 1.0;
      }
      float[] outputs;
      try (Scope s = Scope.open()) {
        outputs = predict(x, w, b).toArray();
      }
      return new Result(gate.name(), converged, epoch, best, w.toArray(), b.item(), outputs,
          java.util.Arrays.copyOf(history, epoch));
    }
  }

  /** step(x w + b): [n, 2] -> [n, 1] of 0 and 1. */
  static Tensor predict(Tensor x, Tensor w, Tensor b) {
    Tensor z = x.matmul(w).add(b);
    try (Tensor zero = Tensor.scalar(x.device(), 0f)) {
      return z.gt(zero);
    }
  }

  private static double accuracy(Tensor x, Tensor t, Tensor w, Tensor b) {
    try (Scope s = Scope.open()) {
      return predict(x, w, b).eq(t).mean().item();
    }
  }

  private static void report(Result r, Gate gate, PrintWriter out) {
    String what = r.converged() ? "learned in " + r.epochs() + (r.epochs() == 1 ? " epoch" : " epochs")
        : "NOT learned in " + r.epochs() + " epochs (best accuracy " + percent(r.bestAccuracy()) + ")";
    out.printf(Locale.ROOT, "%-4s %s: w = [%.3f, %.3f], b = %.3f%n", r.gate(), what, r.weights()[0], r.weights()[1], r.bias());
    out.println("     x1 x2 | target output");
    int right = 0;
    for (int i = 0; i < 4; i++) {
      int y = (int) r.outputs()[i];
      int target = (int) gate.targets()[i];
      right += y == target ? 1 : 0;
      out.printf("      %d  %d |   %d      %d%s%n", (int) INPUTS[2 * i], (int) INPUTS[2 * i + 1], target, y,
          y == target ? "" : "   <- wrong");
    }
    out.printf(Locale.ROOT, "     accuracy %s (%d/4)%n%n", percent(right / 4.0), right);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
  }
}
