package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.Tensor;
import dev.nerve.examples.Perceptron;
import dev.nerve.io.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train perceptron}. */
@Command(name = "perceptron", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Rosenblatt's rule learns AND and OR, and cannot learn XOR.")
final class PerceptronCommand extends ModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "50", "--lr", "0.1", "--threads", "1", "--batch-size", "1");
  }

  @Override
  Map<String, String> notUsed() {
    return Map.of("--batch-size", "the perceptron rule updates after each of the 4 examples",
        "--data", "the perceptron learns the truth tables of AND, OR and XOR",
        "--resume", "the perceptron trains in milliseconds; run it again");
  }

  @Override
  int train(Job job) throws Exception {
    Device device = job.device();
    List<Perceptron.Result> results = Perceptron.run(epochs, lr, seed, device, job.out());
    Map<String, double[]> curves = new LinkedHashMap<>();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Perceptron.Result r : results) {
      curves.put(r.gate(), r.epochAccuracy());
      weights.put(r.gate() + ".weight", Tensor.of(device, r.weights(), 2, 1));
      weights.put(r.gate() + ".bias", Tensor.of(device, new float[] {r.bias()}, 1));
    }
    try {
      Path dir = job.output().dir();
      SafeTensors.write(dir.resolve("last.safetensors"), weights, Map.of("model", name()));
      dev.nerve.examples.Plots.lines(dir.resolve("accuracy.png"), "Perceptron: accuracy on the 4 inputs after each epoch",
          "epoch", "accuracy", curves);
      job.out().println("wrote " + dir.resolve("accuracy.png") + " and " + dir.resolve("last.safetensors"));
    } finally {
      for (Tensor t : weights.values()) t.close();
    }
    return 0;
  }
}
