package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.examples.Perceptron;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train perceptron}. */
@Command(name = "perceptron", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Rosenblatt's perceptron rule on AND, OR (learned) and XOR (not linearly separable).")
final class PerceptronCommand extends ModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "50", "--lr", "0.1", "--seed", "0", "--threads", "1");
  }

  @Override
  int train(Device device, PrintWriter out) {
    Perceptron.run(epochs, lr, seed, device, out);
    return 0;
  }
}
