package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.Tensor;
import dev.nerve.examples.AddingProblem;
import dev.nerve.examples.CharLstm;
import dev.nerve.examples.ConvAutoencoder;
import dev.nerve.examples.DateSeq2Seq;
import dev.nerve.examples.DqnCartPole;
import dev.nerve.examples.Gan;
import dev.nerve.examples.MnistCnn;
import dev.nerve.examples.MnistMlp;
import dev.nerve.examples.Perceptron;
import dev.nerve.examples.Plots;
import dev.nerve.examples.XorMlp;
import dev.nerve.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models of {@code nerve train}, one row each, in the order {@code nerve train --help} lists
 * them: name, description, defaults, refused options, own options and the training call.
 */
final class Models {
  private Models() {}

  /** The recurrent models count --epochs in training steps, and under 10 leaves nothing to judge. */
  private static final Model.Check AT_LEAST_10_STEPS =
      c -> c.check(c.epochs >= 10, "--epochs (training steps) must be at least 10, got " + c.epochs);

  static final List<Model> ALL = List.of(
      new Model("perceptron", "Rosenblatt's rule learns AND and OR, and cannot learn XOR.")
          .defaults("--epochs", "50", "--lr", "0.1", "--threads", "1", "--batch-size", "1")
          .notUsed("--batch-size", "the perceptron rule updates after each of the 4 examples",
              "--data", "the perceptron learns the truth tables of AND, OR and XOR",
              "--resume", "the perceptron trains in milliseconds; run it again")
          .runs(Models::perceptron),
      new Model("xor", "A 2-8-1 tanh MLP learns XOR (BCE with logits, Adam).")
          .defaults("--epochs", "300", "--lr", "0.05", "--threads", "1", "--hidden", "8", "--batch-size", "4")
          .notUsed("--batch-size", "XOR trains on its 4 examples in one full batch", "--data", "XOR has its own 4 examples")
          .intOption("--hidden", "N", "Hidden units", 1, 4096)
          .runs((c, job) -> XorMlp.train(c.intValue("--hidden"), c.epochs, c.lr, c.seed, job.device(), job.out(),
              job.output(), job.resume())),
      digits("mnist-mlp", "A 784-512-256-10 ReLU MLP on MNIST digits (SGD, momentum).")
          .defaults("--epochs", "40", "--lr", "0.05", "--batch-size", "128", "--shift", "2")
          .runs((c, job) -> MnistMlp.train(new MnistMlp.Config(c.mnist(), c.epochs, c.batchSize, c.lr, c.intValue("--shift"),
              c.seed, job.device()), job.out(), job.interactive(), job.output(), job.resume(), lastEpoch(c))),
      new Model("dqn-cartpole", "Deep Q-learning balances a pole on a cart (CartPole-v1).")
          .defaults("--epochs", "40", "--lr", "0.0005", "--batch-size", "64", "--threads", "1")
          .notUsed("--data", "the agent collects its own experience from the cart-pole simulation")
          .runs((c, job) -> DqnCartPole.train(DqnCartPole.Config.defaults(c.epochs, c.batchSize, c.lr, c.seed, job.device()),
              job.out(), job.output(), job.resume())),
      new Model("gan", "A GAN draws MNIST digits; a Nerve classifier judges them.")
          .defaults("--epochs", "100", "--lr", "0.0005", "--batch-size", "64")
          .runs((c, job) -> Gan.train(new Gan.Config(c.mnist(), c.epochs, c.batchSize, c.lr, c.seed, job.device(), 40),
              job.out(), job.interactive(), job.output(), job.resume())),
      new Model("char-lstm", "Character-level LSTM language model (truncated BPTT).",
          "Prints validation bits per character each epoch and samples text at the end.")
          .defaults("--epochs", "12", "--lr", "0.003", "--batch-size", "32", "--hidden", "256", "--bptt", "64", "--sample", "400")
          .notUsed("--data", "char-lstm reads one text file: use --text FILE")
          .option("--text", "FILE", Path.class, "UTF-8 text to learn. Default: the GPL-3, Apache-2.0"
              + " and Artistic licence texts under /usr/share/common-licenses.")
          .check(Models::textIsAFile)
          .intOption("--hidden", "N", "LSTM units", 1, 4096)
          .intOption("--bptt", "K", "Truncated BPTT chunk length", 1, 10_000)
          .intOption("--sample", "N", "Characters to sample at the end", 0, 100_000)
          .trains(Models::charLstm),
      new Model("adding-problem", "Tanh RNN vs LSTM on the adding problem (T = 100).",
          "Sums the two marked numbers of a long sequence: the LSTM learns it, the RNN stays at the trivial MSE 0.167"
              + " (vanishing gradients).")
          .defaults("--epochs", "3000", "--lr", "0.005", "--batch-size", "64", "--length", "100", "--hidden", "64",
              "--threads", "1")
          .notUsed("--data", "the adding problem draws fresh random sequences")
          .intOption("--length", "T", "Sequence length", 2, 10_000)
          .intOption("--hidden", "N", "Hidden units of both nets", 1, 4096)
          .check(AT_LEAST_10_STEPS)
          .trains((c, job) -> AddingProblem.train(c.intValue("--length"), c.intValue("--hidden"), c.epochs, c.batchSize,
              c.lr, c.seed, job.device(), job.out(), job.output(), job.resume()).lstmMse() < 0.01 ? 0 : 1),
      new Model("seq2seq", "Seq2seq with Bahdanau attention: human dates to ISO.",
          "Rewrites dates such as \"wednesday nov 25 2026\" or \"11/25/26\" as 2026-11-25; exact match on held-out dates"
              + " and attention-weight PNGs in --out.")
          .defaults("--epochs", "1500", "--lr", "0.003", "--batch-size", "64", "--hidden", "96")
          .notUsed("--data", "the dates are generated")
          .intOption("--hidden", "N", "Encoder and decoder LSTM units", 1, 4096)
          .check(AT_LEAST_10_STEPS)
          .trains((c, job) -> DateSeq2Seq.train(c.epochs, c.batchSize, c.intValue("--hidden"), c.lr, c.seed, job.device(),
              job.out(), job.output(), job.resume()).testExactMatch() >= 0.95 ? 0 : 1),
      digits("mnist-cnn", "A LeNet-style CNN on MNIST digits (two conv-pool stages).")
          .defaults("--epochs", "15", "--lr", "0.05", "--batch-size", "64", "--shift", "2")
          .runs(cnn(MnistCnn.Kind.LENET)),
      digits("resnet", "A small ResNet on MNIST digits (three residual blocks).")
          .defaults("--epochs", "15", "--lr", "0.1", "--batch-size", "64", "--shift", "2")
          .runs(cnn(MnistCnn.Kind.RESNET)),
      new Model("autoencoder", "A convolutional autoencoder of MNIST digits (32-number code).")
          .defaults("--epochs", "10", "--lr", "0.002", "--batch-size", "64", "--code", "32")
          .intOption("--code", "N", "Numbers in the code", 1, 4096)
          .runs((c, job) -> ConvAutoencoder.train(new ConvAutoencoder.Config(c.mnist(), c.epochs, c.batchSize, c.lr,
              c.intValue("--code"), c.seed, job.device()), job.out(), job.interactive(), job.output(), job.resume())),
      OwnData.mlp(),
      OwnData.cnn());

  /**
   * A digit classifier's row: the shift augmentation, and {@code --stop-after N}, which trains
   * epochs 1..N of the {@code --epochs} schedule and stops; the same command with
   * {@code --resume} later continues as if never stopped.
   */
  private static Model digits(String name, String description) {
    return new Model(name, description)
        .option("--shift", "PX", int.class, "Augmentation: move each training image by up to PX pixels in x and y,"
            + " drawn afresh each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
        .check(c -> c.check(c.intValue("--shift") >= 0 && c.intValue("--shift") <= 8,
            "--shift must be in [0, 8] pixels, got " + c.intValue("--shift")))
        .option("--stop-after", "N", Integer.class, "Stop after epoch N of the --epochs schedule (its learning rates"
            + " unchanged); the same command with --resume continues it exactly (default: all epochs).")
        .check(c -> {
          Integer stopAfter = c.value("--stop-after");
          c.check(stopAfter == null || (stopAfter >= 1 && stopAfter <= c.epochs),
              "--stop-after must be in [1, --epochs = " + c.epochs + "], got " + stopAfter);
        });
  }

  /** The last epoch a digit classifier trains: --stop-after, or all of them. */
  private static int lastEpoch(ModelCommand c) {
    Integer stopAfter = c.value("--stop-after");
    return stopAfter == null ? c.epochs : stopAfter;
  }

  private static void textIsAFile(ModelCommand c) {
    Path text = c.value("--text");
    c.check(text == null || Files.isRegularFile(text), "--text " + text + ": no such file");
  }

  /** mnist-cnn and resnet: the same training, a different network. */
  private static Model.Runner cnn(MnistCnn.Kind kind) {
    return (c, job) -> MnistCnn.train(new MnistCnn.Config(kind, c.mnist(), c.epochs, c.batchSize, c.lr,
        c.intValue("--shift"), c.seed, job.device()), job.out(), job.interactive(), job.output(), job.resume(), lastEpoch(c));
  }

  private static int charLstm(ModelCommand c, ModelCommand.Job job) throws Exception {
    String corpus = CharLstm.readCorpus(c.value("--text"));
    int bptt = c.intValue("--bptt");
    c.check(corpus.length() > 20L * c.batchSize * bptt / 10,
        "the text is too short for --batch-size " + c.batchSize + " and --bptt " + bptt);
    CharLstm.Result r = CharLstm.train(corpus, c.intValue("--hidden"), 64, c.batchSize, bptt, c.epochs, c.lr, c.seed,
        job.device(), job.out(), c.intValue("--sample"), job.output(), job.resume());
    double[] h = r.validBpc();
    return h[h.length - 1] < h[0] ? 0 : 1;
  }

  /** Trains the three gates, then writes their weights and accuracy curves to --out. */
  private static void perceptron(ModelCommand c, ModelCommand.Job job) throws Exception {
    Device device = job.device();
    List<Perceptron.Result> results = Perceptron.run(c.epochs, c.lr, c.seed, device, job.out());
    Map<String, double[]> curves = new LinkedHashMap<>();
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Perceptron.Result r : results) {
      curves.put(r.gate(), r.epochAccuracy());
      weights.put(r.gate() + ".weight", Tensor.of(device, r.weights(), 2, 1));
      weights.put(r.gate() + ".bias", Tensor.of(device, new float[] {r.bias()}, 1));
    }
    try {
      Path dir = job.output().dir();
      SafeTensors.write(dir.resolve("last.safetensors"), weights, Map.of("model", c.name()));
      Plots.lines(dir.resolve("accuracy.png"), "Perceptron: accuracy on the 4 inputs after each epoch",
          "epoch", "accuracy", curves);
      job.out().println("wrote " + dir.resolve("accuracy.png") + " and " + dir.resolve("last.safetensors"));
    } finally {
      for (Tensor t : weights.values()) t.close();
    }
  }
}
