package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.Seq2Seq;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Clipping;
import dev.nerve.optim.Optimizer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Date normalisation with an encoder–decoder and Bahdanau attention: dates written in many human
 * formats ("25 November 2026", "11/25/26", "wednesday nov 25 2026", ...) to ISO 8601
 * ("2026-11-25"), character by character. Dates of the test set never occur (in any format) in
 * training. Reports the exact-match rate of greedy decoding on the held-out dates and draws the
 * attention weights of a few examples.
 *
 * <p>After every tenth of the run the run's {@link RunOutput} records the mean training loss and
 * the exact match on 500 held-out dates, checkpoints the model with Adam's state (best = highest
 * exact match) and, at the end, plots loss.png and exact-match.png. A resumed run replays the
 * random batches it skips, so it goes on as an uninterrupted one.
 */
public final class DateSeq2Seq {
  private DateSeq2Seq() {}

  public record Result(double testExactMatch, List<Path> images) {}

  static final String[] FORMATS = {
      "d MMMM yyyy", "dd MMM yyyy", "MM/dd/yy", "M/d/yyyy", "EEEE MMM d yyyy", "EEEE, MMMM d, yyyy", "MMMM d, yyyy",
      "dd.MM.yyyy", "d MMM yy", "yyyy/MM/dd", "MMM d yyyy", "EEE d MMM yyyy", "dd-MM-yyyy", "d-MMMM-yyyy",
      "EEE, dd MMM yyyy", "MMMM dd yyyy", "yyyyMMdd", "d/M/yyyy"};
  static final String SRC_CHARS = " ,-./0123456789abcdefghijklmnopqrstuvwxyz";
  static final String TGT_CHARS = "0123456789-";
  static final int BOS = TGT_CHARS.length();  // the decoder's start token
  static final int TGT_LEN = 10;
  static final int SRC_LEN = 32;
  static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
  static final int DAYS = 365 * 100 + 25;

  static String human(LocalDate d, int format) {
    return d.format(DateTimeFormatter.ofPattern(FORMATS[format], Locale.ENGLISH)).toLowerCase(Locale.ROOT);
  }

  static int[] encodeSrc(String s) {
    int[] r = new int[SRC_LEN];
    for (int i = 0; i < Math.min(s.length(), SRC_LEN); i++) r[i] = Math.max(0, SRC_CHARS.indexOf(s.charAt(i))) + 1;
    return r;  // 0 = padding
  }

  record Batch(Tensor src, Tensor mask, Tensor tgtIn, Tensor tgtOut) {}

  static Batch batch(List<String[]> pairs, Device dev) {
    int b = pairs.size();
    int[] src = new int[b * SRC_LEN];
    float[] mask = new float[b * SRC_LEN];
    int[] in = new int[b * TGT_LEN];
    int[] outT = new int[b * TGT_LEN];
    for (int i = 0; i < b; i++) {
      int[] s = encodeSrc(pairs.get(i)[0]);
      int len = Math.min(pairs.get(i)[0].length(), SRC_LEN);
      for (int j = 0; j < SRC_LEN; j++) {
        src[i * SRC_LEN + j] = s[j];
        mask[i * SRC_LEN + j] = j < len ? 1f : 0f;
      }
      String iso = pairs.get(i)[1];
      for (int j = 0; j < TGT_LEN; j++) {
        int c = TGT_CHARS.indexOf(iso.charAt(j));
        outT[i * TGT_LEN + j] = c;
        in[i * TGT_LEN + j] = j == 0 ? BOS : TGT_CHARS.indexOf(iso.charAt(j - 1));
      }
    }
    return new Batch(Tensor.ofInts(dev, src, b, SRC_LEN), Tensor.of(dev, mask, b, SRC_LEN), Tensor.ofInts(dev, in, b, TGT_LEN),
        Tensor.ofInts(dev, outT, b, TGT_LEN));
  }

  static List<String[]> examples(int[] days, SplittableRandom rnd, int n) {
    List<String[]> r = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LocalDate d = FIRST.plusDays(days[rnd.nextInt(days.length)]);
      r.add(new String[] {human(d, rnd.nextInt(FORMATS.length)), d.toString()});
    }
    return r;
  }

  /**
   * Trains for steps (counted from the start of the run, resumed or not), recording and
   * checkpointing in output after every tenth; with resume, continues from that checkpoint.
   * The attention maps go into output's folder (none without one).
   */
  public static Result train(int steps, int batchSize, int hidden, float lr, long seed, Device dev, PrintWriter out,
      RunOutput output, Path resume) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    // Held-out dates: every 10th day (shuffled split by day, so no test date is ever seen in training).
    int[] all = new int[DAYS];
    for (int i = 0; i < DAYS; i++) all[i] = i;
    for (int i = DAYS - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] testDays = java.util.Arrays.copyOfRange(all, 0, DAYS / 10);
    int[] trainDays = java.util.Arrays.copyOfRange(all, DAYS / 10, DAYS);
    List<String[]> test = examples(testDays, new SplittableRandom(seed + 1), 2000);
    try (Seq2Seq model = new Seq2Seq(SRC_CHARS.length() + 1, TGT_CHARS.length() + 1, 32, hidden, 64, dev, new Generator(seed));
        Adam opt = new Adam(model.parameters(), lr)) {
      Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, opt);
      out.printf("seq2seq dates: %d formats, e.g. \"%s\" -> %s; encoder LSTM %d, Bahdanau attention, decoder LSTM %d;"
          + " %d held-out dates (never seen in training), batch %d, %d steps%n", FORMATS.length,
          human(LocalDate.of(2026, 11, 25), 4), "2026-11-25", hidden, hidden, test.size(), batchSize, steps);
      int every = Math.max(1, steps / 10);
      int start = 1;
      if (resume != null) {
        Map<String, String> meta = output.resume(resume, model, optimizers);
        start = RunOutput.epochOf(meta) + 1;
        every = Integer.parseInt(meta.getOrDefault("every", Integer.toString(every)));
        for (int i = 1; i < start; i++) examples(trainDays, rnd, batchSize); // the batches already trained on
        out.printf("resumed from %s after step %d%n", resume, start - 1);
      }
      out.flush();
      double lossSum = 0;
      for (int step = start; step <= steps; step++) {
        try (Scope s = Scope.open()) {
          Batch b = batch(examples(trainDays, rnd, batchSize), dev);
          Seq2Seq.Output o = model.forward(b.src(), b.mask(), b.tgtIn());
          Tensor loss = F.crossEntropy(o.logits().reshape(-1, TGT_CHARS.length() + 1), b.tgtOut().reshape(-1));
          opt.zeroGrad();
          loss.backward();
          Clipping.clipGradNorm(model.parameters(), 5f);
          opt.step();
          lossSum += loss.item();
        }
        if (step % every == 0) {
          double match = exactMatch(model, test.subList(0, 500), dev, null);
          out.printf("step %5d  train loss %.4f  held-out exact match %.1f%%%n", step, lossSum / every, 100 * match);
          out.flush();
          output.record("train loss", lossSum / every);
          output.record("held-out exact match", match);
          output.checkpoint(model, optimizers, step, match, Map.of("seed", Long.toString(seed), "every", Integer.toString(every)));
          lossSum = 0;
        }
      }
      List<String[]> shown = new ArrayList<>();
      double acc = exactMatch(model, test, dev, shown);
      out.printf("held-out exact match: %.2f%% of %d dates%s%n", 100 * acc, test.size(), acc >= 0.95 ? "" : " (below the 95% mark)");
      List<Path> images = new ArrayList<>();
      if (output.writes()) {
        List<String[]> few = new ArrayList<>();
        for (int i = 0; i < 4; i++) few.add(test.get(i * 7));
        try (Scope s = Scope.open()) {
          Batch b = batch(few, dev);
          Seq2Seq.Decoded d = model.greedy(b.src(), b.mask(), BOS, TGT_LEN);
          for (int i = 0; i < few.size(); i++) {
            Path p = output.dir().resolve("attention-" + (i + 1) + ".png");
            drawAttention(few.get(i)[0], decode(d.tokens()[i]), d.weights()[i], p);
            images.add(p);
            out.printf("  %-28s -> %s   attention map: %s%n", "\"" + few.get(i)[0] + "\"", decode(d.tokens()[i]), p);
          }
        }
        String x = String.format(Locale.ROOT, "evaluation (every %,d steps)", every);
        Path lossPlot = output.plot("loss.png", "seq2seq dates: mean training loss", x, "cross-entropy", "train loss");
        Path match = output.plot("exact-match.png", "seq2seq dates: exact match on 500 held-out dates", x, "exact match",
            "held-out exact match");
        out.println("wrote " + lossPlot + ", " + match + " and the checkpoints in " + output.dir());
      }
      out.flush();
      return new Result(acc, images);
    }
  }

  static String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    for (int t : tokens) sb.append(t < TGT_CHARS.length() ? TGT_CHARS.charAt(t) : '?');
    return sb.toString();
  }

  static double exactMatch(Seq2Seq model, List<String[]> pairs, Device dev, List<String[]> wrong) {
    int ok = 0;
    for (int start = 0; start < pairs.size(); start += 500) {
      List<String[]> part = pairs.subList(start, Math.min(pairs.size(), start + 500));
      try (Scope s = Scope.open()) {
        Batch b = batch(part, dev);
        Seq2Seq.Decoded d = model.greedy(b.src(), b.mask(), BOS, TGT_LEN);
        for (int i = 0; i < part.size(); i++) {
          if (decode(d.tokens()[i]).equals(part.get(i)[1])) ok++;
        }
      }
    }
    return ok / (double) pairs.size();
  }

  static void drawAttention(String src, String out, float[][] w, Path file) throws IOException {
    int cell = 22;
    int left = 40;
    int top = 30;
    int cols = src.length();
    BufferedImage img = new BufferedImage(left + cols * cell + 10, top + TGT_LEN * cell + 10, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
    for (int r = 0; r < TGT_LEN; r++) {
      for (int c = 0; c < cols; c++) {
        float v = Math.min(1f, Math.max(0f, w[r][c]));
        int shade = (int) (255 * (1 - v));
        g.setColor(new Color(shade, shade, 255));
        g.fillRect(left + c * cell, top + r * cell, cell - 1, cell - 1);
      }
      g.setColor(Color.BLACK);
      g.drawString(String.valueOf(out.charAt(r)), 15, top + r * cell + 16);
    }
    for (int c = 0; c < cols; c++) g.drawString(String.valueOf(src.charAt(c)), left + c * cell + 6, 20);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
