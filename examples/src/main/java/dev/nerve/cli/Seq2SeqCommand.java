package dev.nerve.cli;

import dev.nerve.examples.DateSeq2Seq;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nerve train seq2seq}. */
@Command(name = "seq2seq", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Seq2seq with Bahdanau attention: human dates to ISO.",
        "Rewrites dates such as \"wednesday nov 25 2026\" or \"11/25/26\" as 2026-11-25; exact match on held-out dates"
            + " and attention-weight PNGs in --out."})
final class Seq2SeqCommand extends ModelCommand {
  @Option(names = "--hidden", paramLabel = "N", description = "Encoder and decoder LSTM units (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "1500", "--lr", "0.003", "--batch-size", "64", "--hidden", "96");
  }

  @Override
  Map<String, String> notUsed() {
    return Map.of("--data", "the dates are generated");
  }

  @Override
  void validate() {
    super.validate();
    check(hidden >= 1 && hidden <= 4096, "--hidden must be in [1, 4096], got " + hidden);
    check(epochs >= 10, "--epochs (training steps) must be at least 10, got " + epochs);
  }

  @Override
  int train(Job job) throws Exception {
    DateSeq2Seq.Result r = DateSeq2Seq.train(epochs, batchSize, hidden, lr, seed, job.device(), job.out(), job.output(),
        job.resume());
    return r.testExactMatch() >= 0.95 ? 0 : 1;
  }
}
