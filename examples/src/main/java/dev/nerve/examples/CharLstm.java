package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.LstmState;
import dev.nerve.RecurrentOutput;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.io.Checkpoint;
import dev.nerve.io.CheckpointException;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Linear;
import dev.nerve.nn.Module;
import dev.nerve.nn.TruncatedBptt;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Clipping;
import dev.nerve.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Character-level LSTM language model (Karpathy's char-rnn): Embedding -> LSTM -> Linear to the
 * alphabet, trained with truncated BPTT. The text is cut into `batch` parallel streams; each
 * chunk of k steps is one Adam step, and the state carries over to the next chunk with the
 * graph cut between them. Reports validation bits per character (mean cross-entropy / ln 2 on
 * the last 10% of the text) after each epoch and samples text at the end.
 *
 * <p>The run's {@link RunOutput} records train and validation bits/char per epoch, checkpoints
 * the network with Adam's state after each (best = lowest validation bits/char) and plots
 * loss.png. Each epoch starts from a zero state, so a resumed run goes on as an uninterrupted one.
 */
public final class CharLstm {
  private CharLstm() {}

  /** The default corpus: licence texts Debian ships in every installation. */
  public static final List<Path> DEFAULT_TEXTS = List.of(Path.of("/usr/share/common-licenses/GPL-3"),
      Path.of("/usr/share/common-licenses/Apache-2.0"), Path.of("/usr/share/common-licenses/Artistic"));

  public record Result(double[] validBpc, String sample) {}

  public static String readCorpus(Path file) throws IOException {
    if (file != null) return Files.readString(file, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder();
    for (Path p : DEFAULT_TEXTS) {
      if (!Files.isReadable(p)) {
        throw new IOException("default corpus " + p + " is missing (Debian's /usr/share/common-licenses); give a text file with --text");
      }
      sb.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
    }
    return sb.toString();
  }

  /** Embedding -> LSTM -> Linear, as one module for the checkpoints. */
  static final class Net extends Module {
    final Embedding emb;
    final LSTM lstm;
    final Linear head;

    Net(int vocab, int embed, int hidden, Device dev, Generator gen) {
      emb = registerModule("embedding", new Embedding(vocab, embed, dev, gen));
      lstm = registerModule("lstm", new LSTM(embed, hidden, 1, false, dev, gen));
      head = registerModule("head", new Linear(hidden, vocab, true, dev, gen));
    }

    @Override
    public Tensor forward(Tensor ids) {
      return head.forward(lstm.forward(emb.forward(ids), null).output());
    }
  }

  /**
   * Trains up to epochs (counted from the start of the run, resumed or not), recording and
   * checkpointing in output after each; with resume, continues from that checkpoint.
   */
  public static Result train(String text, int hidden, int embed, int batch, int k, int epochs, float lr, long seed, Device dev,
      PrintWriter out, int sampleLength, RunOutput output, Path resume) throws IOException {
    char[] alphabet = alphabet(text);
    int v = alphabet.length;
    int[] ids = encode(text, alphabet);
    int split = (int) (ids.length * 0.9);
    int[] train = java.util.Arrays.copyOfRange(ids, 0, split);
    int[] valid = java.util.Arrays.copyOfRange(ids, split, ids.length);
    String textHash = Integer.toHexString(text.hashCode());
    try (Net net = new Net(v, embed, hidden, dev, new Generator(seed)); Adam opt = new Adam(net.parameters(), lr)) {
      Embedding emb = net.emb;
      LSTM lstm = net.lstm;
      Linear head = net.head;
      List<Tensor> params = net.parameters();
      Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, opt);
      out.printf("char-lstm: %,d characters (%d distinct), %,d train / %,d validation; LSTM %d -> %d, batch %d streams,"
          + " truncated BPTT k = %d%n", ids.length, v, train.length, valid.length, embed, hidden, batch, k);
      int start = 0;
      if (resume != null) {
        Map<String, String> meta = output.resume(resume, net, optimizers);
        if (!textHash.equals(meta.getOrDefault("text", textHash))) {
          throw new CheckpointException("--resume " + resume + ": a checkpoint trained on another text");
        }
        start = RunOutput.epochOf(meta);
        out.printf("resumed from %s after epoch %d%n", resume, start);
      } else {
        out.printf("validation bits/char before training: %.3f (uniform over the alphabet: %.3f)%n",
            bpc(emb, lstm, head, valid, dev), Math.log(v) / Math.log(2));
      }
      out.flush();
      int streamLen = train.length / batch;
      for (int epoch = start; epoch < epochs; epoch++) {
        long t0 = System.nanoTime();
        double[] lossSum = {0};
        int[] chunks = {0};
        LstmState last = TruncatedBptt.run(streamLen - 1, k, null, (begin, end, state) -> {
          Tensor[] xy = streams(train, batch, streamLen, begin, end, dev);
          RecurrentOutput o = lstm.forward(emb.forward(xy[0]), state);
          Tensor logits = head.forward(o.output()).reshape(-1, v);
          Tensor loss = F.crossEntropy(logits, xy[1].reshape(-1));
          opt.zeroGrad();
          loss.backward();
          Clipping.clipGradNorm(params, 5f);
          opt.step();
          lossSum[0] += loss.item();
          chunks[0]++;
          return o.state();
        });
        if (last != null) last.close();
        double trainBpc = lossSum[0] / chunks[0] / Math.log(2);
        double validBpc = bpc(emb, lstm, head, valid, dev);
        double epochSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("epoch %3d  train bits/char %.3f  validation bits/char %.3f  (%.1f s)%n", epoch + 1, trainBpc, validBpc,
            epochSeconds);
        out.flush();
        output.record("train bits/char", trainBpc);
        output.record("validation bits/char", validBpc);
        output.record("seconds", epochSeconds); // metrics.csv: the time printed, not the time between checkpoints
        output.checkpoint(net, optimizers, epoch + 1, -validBpc, Map.of("seed", Long.toString(seed), "text", textHash));
      }
      String sample = sample(emb, lstm, head, alphabet, "The ", sampleLength, 0.7, new SplittableRandom(seed), dev);
      out.println("sample (temperature 0.7):");
      out.println(sample);
      Path png = output.plot("loss.png", String.format(Locale.ROOT, "char-lstm (LSTM %d, BPTT %d): bits per character",
          hidden, k), "epoch", "bits/char", "train bits/char", "validation bits/char");
      if (png != null) out.println("wrote " + png + " and the checkpoints in " + output.dir());
      out.flush();
      return new Result(output.series("validation bits/char"), sample);
    }
  }

  static char[] alphabet(String text) {
    TreeSet<Character> set = new TreeSet<>();
    for (char c : text.toCharArray()) set.add(c);
    char[] a = new char[set.size()];
    int i = 0;
    for (char c : set) a[i++] = c;
    return a;
  }

  static int[] encode(String text, char[] alphabet) {
    int[] ids = new int[text.length()];
    for (int i = 0; i < ids.length; i++) ids[i] = java.util.Arrays.binarySearch(alphabet, text.charAt(i));
    return ids;
  }

  /** Inputs [T, B] and next-character targets [T, B] for steps [start, end) of each stream. */
  static Tensor[] streams(int[] data, int batch, int streamLen, long start, long end, Device dev) {
    int t = (int) (end - start);
    int[] x = new int[t * batch];
    int[] y = new int[t * batch];
    for (int s = 0; s < t; s++) {
      for (int b = 0; b < batch; b++) {
        int at = b * streamLen + (int) start + s;
        x[s * batch + b] = data[at];
        y[s * batch + b] = data[at + 1];
      }
    }
    return new Tensor[] {Tensor.ofInts(dev, x, t, batch), Tensor.ofInts(dev, y, t, batch)};
  }

  /** Mean cross-entropy in bits over the text, read as 8 parallel streams. */
  static double bpc(Embedding emb, LSTM lstm, Linear head, int[] data, Device dev) {
    int batch = 8;
    int streamLen = data.length / batch;
    double total = 0;
    int count = 0;
    try (Grad g = Grad.off()) {
      LstmState state = null;
      for (int start = 0; start < streamLen - 1; start += 128) {
        int end = Math.min(streamLen - 1, start + 128);
        try (Scope s = Scope.open()) {
          Tensor[] xy = streams(data, batch, streamLen, start, end, dev);
          RecurrentOutput o = lstm.forward(emb.forward(xy[0]), state);
          Tensor logits = head.forward(o.output()).reshape(-1, head.weight().size(0));
          total += F.crossEntropy(logits, xy[1].reshape(-1)).item() * (end - start);
          count += end - start;
          LstmState next = new LstmState(o.h().detach().keep(), o.c().detach().keep());
          if (state != null) state.close();
          state = next;
        }
      }
      if (state != null) state.close();
    }
    return total / count / Math.log(2);
  }

  static String sample(Embedding emb, LSTM lstm, Linear head, char[] alphabet, String prime, int length, double temperature,
      SplittableRandom rnd, Device dev) {
    StringBuilder sb = new StringBuilder(prime);
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      int[] primeIds = encode(prime, alphabet);
      for (int i = 0; i < primeIds.length; i++) primeIds[i] = Math.max(primeIds[i], 0);
      RecurrentOutput o = lstm.forward(emb.forward(Tensor.ofInts(dev, primeIds, primeIds.length, 1)), null);
      LstmState state = o.state();
      Tensor lastH = o.output().slice(0, primeIds.length - 1, primeIds.length).reshape(1, -1);
      for (int i = 0; i < length; i++) {
        float[] logits = head.forward(lastH).toArray();
        int next = draw(logits, temperature, rnd);
        sb.append(alphabet[next]);
        o = lstm.forward(emb.forward(Tensor.ofInts(dev, new int[] {next}, 1, 1)), state);
        state = o.state();
        lastH = o.output().reshape(1, -1);
      }
    }
    return sb.toString();
  }

  static int draw(float[] logits, double temperature, SplittableRandom rnd) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) max = Math.max(max, l);
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    double u = rnd.nextDouble() * sum;
    for (int i = 0; i < p.length; i++) {
      u -= p[i];
      if (u <= 0) return i;
    }
    return p.length - 1;
  }
}
