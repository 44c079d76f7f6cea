package dev.nerve.cli;

import dev.nerve.examples.CharLstm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nerve train char-lstm}. */
@Command(name = "char-lstm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Character-level LSTM language model (truncated BPTT).",
        "Prints validation bits per character each epoch and samples text at the end."})
final class CharLstmCommand extends ModelCommand {
  @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text to learn. Default: the GPL-3, Apache-2.0"
      + " and Artistic licence texts under /usr/share/common-licenses.")
  Path text;

  @Option(names = "--hidden", paramLabel = "N", description = "LSTM units (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--bptt", paramLabel = "K", description = "Truncated BPTT chunk length (default: ${DEFAULT-VALUE}).")
  int bptt;

  @Option(names = "--sample", paramLabel = "N", description = "Characters to sample at the end (default: ${DEFAULT-VALUE}).")
  int sample;

  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "12", "--lr", "0.003", "--batch-size", "32", "--hidden", "256", "--bptt", "64", "--sample", "400");
  }

  @Override
  Map<String, String> notUsed() {
    return Map.of("--data", "char-lstm reads one text file: use --text FILE");
  }

  @Override
  void validate() {
    super.validate();
    check(text == null || Files.isRegularFile(text), "--text " + text + ": no such file");
    check(hidden >= 1 && hidden <= 4096, "--hidden must be in [1, 4096], got " + hidden);
    check(bptt >= 1 && bptt <= 10_000, "--bptt must be in [1, 10000], got " + bptt);
    check(sample >= 0 && sample <= 100_000, "--sample must be in [0, 100000], got " + sample);
  }

  @Override
  int train(Job job) throws Exception {
    String corpus = CharLstm.readCorpus(text);
    check(corpus.length() > 20L * batchSize * bptt / 10, "the text is too short for --batch-size " + batchSize + " and --bptt " + bptt);
    CharLstm.Result r = CharLstm.train(corpus, hidden, 64, batchSize, bptt, epochs, lr, seed, job.device(), job.out(), sample,
        job.output(), job.resume());
    double[] h = r.validBpc();
    return h[h.length - 1] < h[0] ? 0 : 1;
  }
}
