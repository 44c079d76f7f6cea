package dev.nerve.cli;

import dev.nerve.examples.AddingProblem;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nerve train adding-problem}. */
@Command(name = "adding-problem", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Tanh RNN vs LSTM on the adding problem (T = 100).",
        "Sums the two marked numbers of a long sequence: the LSTM learns it, the RNN stays at the trivial MSE 0.167"
            + " (vanishing gradients)."})
final class AddingProblemCommand extends ModelCommand {
  @Option(names = "--length", paramLabel = "T", description = "Sequence length (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--hidden", paramLabel = "N", description = "Hidden units of both nets (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "3000", "--lr", "0.005", "--batch-size", "64", "--length", "100", "--hidden", "64", "--threads", "1");
  }

  @Override
  Map<String, String> notUsed() {
    return Map.of("--data", "the adding problem draws fresh random sequences");
  }

  @Override
  void validate() {
    super.validate();
    check(length >= 2 && length <= 10_000, "--length must be in [2, 10000], got " + length);
    check(hidden >= 1 && hidden <= 4096, "--hidden must be in [1, 4096], got " + hidden);
    check(epochs >= 10, "--epochs (training steps) must be at least 10, got " + epochs);
  }

  @Override
  int train(Job job) throws Exception {
    AddingProblem.Result r = AddingProblem.train(length, hidden, epochs, batchSize, lr, seed, job.device(), job.out(),
        job.output(), job.resume());
    return r.lstmMse() < 0.01 ? 0 : 1;
  }
}
