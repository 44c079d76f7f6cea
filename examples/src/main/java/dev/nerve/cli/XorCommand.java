package dev.nerve.cli;

import dev.nerve.examples.XorMlp;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nerve train xor}. */
@Command(name = "xor", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A 2-8-1 tanh MLP learns XOR (BCE with logits, Adam).")
final class XorCommand extends ModelCommand {
  @Option(names = "--hidden", paramLabel = "N", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "300", "--lr", "0.05", "--threads", "1", "--hidden", "8", "--batch-size", "4");
  }

  @Override
  Map<String, String> notUsed() {
    return Map.of("--batch-size", "XOR trains on its 4 examples in one full batch",
        "--data", "XOR has its own 4 examples");
  }

  @Override
  void validate() {
    super.validate();
    check(hidden >= 1 && hidden <= 4096, "--hidden must be in [1, 4096], got " + hidden);
  }

  @Override
  int train(Job job) throws Exception {
    XorMlp.train(hidden, epochs, lr, seed, job.device(), job.out(), job.output(), job.resume());
    return 0;
  }
}
