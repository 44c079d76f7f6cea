package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.data.ArrayDataset;
import dev.nerve.data.DataLoader;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.Linear;
import dev.nerve.nn.Module;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Adam;
import dev.nerve.optim.CosineAnnealing;
import dev.nerve.optim.LrSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.SGD;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A generative adversarial network (Goodfellow et al. 2014) on the MNIST digits, dense layers.
 *
 * <pre>
 * G: z [B, 64] ~ N(0, 1) -> Linear 256 -> LeakyReLU 0.2 -> Linear 512 -> LeakyReLU 0.2 -> Linear 1024
 *    -> LeakyReLU 0.2 -> Linear 784 -> tanh
 * D: x [B, 784] in [-1, 1] -> Linear 512 -> LeakyReLU 0.2 -> Linear 256 -> LeakyReLU 0.2 -> Linear 1 (a logit)
 * D step: BCEWithLogits(D(x_real), 0.9) + BCEWithLogits(D(G(z)), 0)    (one-sided label smoothing; G(z) detached)
 * G step: BCEWithLogits(D(G(z)), 1)                                    (the non-saturating generator loss)
 * two Adam optimizers, betas (0.5, 0.999), lr 5e-4 by default (2e-4, the DCGAN value, needs about
 *     twice the epochs on these 8,000 digits)
 * G_ema = 0.999 G_ema + 0.001 G after every step (a running average of the generator's weights;
 *         its samples are smoother than the last step's: Karras et al. 2018, Yazici et al. 2019)
 * </pre>
 *
 * Samples, grids and the judge's verdict come from G_ema. The judge: the mnist-mlp network, trained first
 * with mnist-mlp's recipe (40 epochs, 2-pixel shifts) on the same 8,000 digits.
 * After every epoch it classifies 1,000 fresh samples: the share it is at least 90% sure of
 * (the samples look like digits) and the share of each class (no mode collapse). The epoch with
 * the most confident samples and no class under 3% is the best checkpoint.
 */
public final class Gan {
  public static final int Z = 64;
  public static final float BETA1 = 0.5f;
  public static final double CONFIDENT_TARGET = 0.80;
  public static final double CLASS_MIN = 0.03;
  public static final float EMA_DECAY = 0.999f;

  /** What to train. */
  public record Config(Mnist data, int epochs, int batchSize, float lr, long seed, Device device, int judgeEpochs) {}

  /** The judge's verdict on samples: share classified with confidence >= 0.9, and the share of each class. */
  public record Verdict(double confident, double[] classShare) {
    public double minClassShare() {
      double m = 1;
      for (double v : classShare) m = Math.min(m, v);
      return m;
    }

    String histogram() {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < classShare.length; k++) {
        sb.append(String.format(Locale.ROOT, "%s%d: %.1f%%", k == 0 ? "" : ", ", k, 100 * classShare[k]));
      }
      return sb.toString();
    }
  }

  /** The final verdict and the last losses. */
  public record Result(Verdict verdict, double dLoss, double gLoss, double judgeAccuracy) {}

  private Gan() {}

  public static Sequential generator(Device device, Generator gen) {
    return new Sequential(new Linear(Z, 256, true, device, gen), new LeakyReLU(0.2f),
        new Linear(256, 512, true, device, gen), new LeakyReLU(0.2f),
        new Linear(512, 1024, true, device, gen), new LeakyReLU(0.2f),
        new Linear(1024, 784, true, device, gen), new Tanh());
  }

  public static Sequential discriminator(Device device, Generator gen) {
    return new Sequential(new Linear(784, 512, true, device, gen), new LeakyReLU(0.2f),
        new Linear(512, 256, true, device, gen), new LeakyReLU(0.2f),
        new Linear(256, 1, true, device, gen));
  }

  /** The networks as one module, so one checkpoint holds them ("generator.0.weight", ...). */
  static final class Pair extends Module {
    final Sequential g;
    final Sequential d;
    final Sequential gEma;

    Pair(Sequential g, Sequential d, Sequential gEma) {
      this.g = registerModule("generator", g);
      this.d = registerModule("discriminator", d);
      this.gEma = registerModule("generator_ema", gEma);
    }

    @Override
    public Tensor forward(Tensor z) {
      return g.forward(z);
    }
  }

  public static Result train(Config c, PrintWriter out, boolean interactive, RunOutput output, Path resume)
      throws IOException {
    Device device = c.device();
    MnistSplit train = c.data().train();
    out.println("data: " + c.data().source());
    Generator gen = new Generator(c.seed());
    try (Sequential judge = MnistMlp.model(device, new Generator(c.seed() + 1));
        Pair gan = new Pair(generator(device, gen), discriminator(device, gen), generator(device, new Generator(0)));
        Adam gOpt = new Adam(gan.g.parameters(), c.lr(), BETA1, 0.999f, 1e-8f, 0f);
        Adam dOpt = new Adam(gan.d.parameters(), c.lr(), BETA1, 0.999f, 1e-8f, 0f);
        Tensor fixedZ = Tensor.randn(device, new Generator(c.seed() + 2), 0, 1, 100, Z).keep()) {
      double judgeAccuracy = trainJudge(judge, c, out);
      out.printf(Locale.ROOT, "GAN: G %s%n     D %s%n     %,d + %,d parameters; Adam lr %s, betas (%s, 0.999), batch %d,"
          + " %d epochs, seed %d, %s%n", gan.g, gan.d, gan.g.parameterCount(), gan.d.parameterCount(), c.lr(), BETA1,
          c.batchSize(), c.epochs(), c.seed(), device);
      ema(gan.g, gan.gEma, 0f);
      Map<String, Optimizer> optimizers = new LinkedHashMap<>();
      optimizers.put("g_optimizer", gOpt);
      optimizers.put("d_optimizer", dOpt);
      int start = 1;
      DataLoader loader = new DataLoader(ArrayDataset.of(train), c.batchSize(), true, c.seed(), true, device);
      if (resume != null) {
        start = RunOutput.epochOf(output.resume(resume, gan, optimizers)) + 1;
        for (int e = 1; e < start; e++) loader.iterator();
        out.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, start - 1);
      }
      Generator noise = new Generator(c.seed() * 31 + 7 + 1_000_003L * start);
      Verdict verdict = null;
      double dMean = Double.NaN;
      double gMean = Double.NaN;
      for (int epoch = start; epoch <= c.epochs(); epoch++) {
        long t0 = System.nanoTime();
        double dSum = 0;
        double gSum = 0;
        int steps = 0;
        try (EpochProgress progress = new EpochProgress(String.format(Locale.ROOT, "epoch %d/%d", epoch, c.epochs()),
            train.size(), interactive)) {
          for (DataLoader.Batch batch : loader) {
            try (batch; Scope s = Scope.open()) {
              int b = batch.size();
              Tensor real = batch.x().mul(2f).sub(1f); // [0, 1] -> [-1, 1], tanh's range
              Tensor fake = gan.g.forward(Tensor.randn(device, noise, 0, 1, b, Z));
              // D: real -> 0.9, fake -> 0
              dOpt.zeroGrad();
              Tensor dLoss = F.bceWithLogits(gan.d.forward(real), Tensor.full(device, 0.9f, b, 1))
                  .add(F.bceWithLogits(gan.d.forward(fake.detach()), Tensor.zeros(device, b, 1)));
              dLoss.backward();
              dOpt.step();
              // G: make D call the fakes real
              gOpt.zeroGrad();
              Tensor gLoss = F.bceWithLogits(gan.d.forward(fake), Tensor.ones(device, b, 1));
              gLoss.backward();
              gOpt.step();
              ema(gan.g, gan.gEma, EMA_DECAY);
              float dl = dLoss.item();
              float gl = gLoss.item();
              dSum += dl;
              gSum += gl;
              steps++;
              progress.step(b, gl);
            }
          }
        }
        dMean = dSum / steps;
        gMean = gSum / steps;
        verdict = judge(gan.gEma, judge, 1000, noise, device);
        output.record("D loss", dMean);
        output.record("G loss", gMean);
        output.record("confident samples", verdict.confident());
        output.record("smallest class share", verdict.minClassShare());
        double score = verdict.confident() - (verdict.minClassShare() >= CLASS_MIN ? 0 : 1);
        boolean best = output.checkpoint(gan, optimizers, epoch, score, Map.of("seed", Long.toString(c.seed())));
        if (output.writes()) {
          samples(gan.gEma, fixedZ, output.dir().resolve(String.format(Locale.ROOT, "samples-%03d.png", epoch)));
        }
        out.printf(Locale.ROOT, "epoch %d/%d  D loss %.4f  G loss %.4f  judge: %.1f%% confident, smallest class %.1f%%%s"
            + "  %.2f s%n", epoch, c.epochs(), dMean, gMean, 100 * verdict.confident(), 100 * verdict.minClassShare(),
            best ? " *" : "", (System.nanoTime() - t0) / 1e9);
        out.flush();
      }
      if (verdict == null) verdict = judge(gan.gEma, judge, 1000, noise, device);
      out.printf(Locale.ROOT, "1,000 samples judged by the mnist-mlp classifier (%.2f%% on held-out digits):%n", 100 * judgeAccuracy);
      out.printf(Locale.ROOT, "  classified with confidence >= 0.9: %.1f%% (mark: >= %.0f%%)%s%n", 100 * verdict.confident(),
          100 * CONFIDENT_TARGET, verdict.confident() >= CONFIDENT_TARGET ? "" : "  BELOW the mark");
      out.printf(Locale.ROOT, "  classes: %s (mark: each >= %.0f%%)%s%n", verdict.histogram(), 100 * CLASS_MIN,
          verdict.minClassShare() >= CLASS_MIN ? "" : "  BELOW the mark");
      if (output.writes()) {
        Path png = output.dir().resolve("samples.png");
        samples(gan.gEma, fixedZ, png);
        output.plot("loss.png", "GAN: mean losses per epoch", "epoch", "BCE loss", "D loss", "G loss");
        output.plot("judge.png", "GAN: the judge's view of 1,000 samples per epoch", "epoch", "share", "confident samples",
            "smallest class share");
        out.println("wrote " + png + " (and samples-NNN.png per epoch), loss.png, judge.png and the checkpoints in "
            + output.dir());
      }
      out.flush();
      return new Result(verdict, dMean, gMean, judgeAccuracy);
    }
  }

  /** to = decay * to + (1 - decay) * from, parameter by parameter (decay 0 copies). */
  static void ema(Sequential from, Sequential to, float decay) {
    try (Scope s = Scope.open(); Grad off = Grad.off()) {
      java.util.List<Tensor> a = from.parameters();
      java.util.List<Tensor> b = to.parameters();
      for (int i = 0; i < a.size(); i++) b.get(i).copyFrom(b.get(i).mul(decay).add(a.get(i).mul(1 - decay)));
    }
  }

  /** Trains the judge as mnist-mlp trains: SGD momentum 0.9, cosine lr from 0.05, batch 128, 2-pixel shifts. */
  static double trainJudge(Sequential judge, Config c, PrintWriter out) {
    MnistSplit train = c.data().train();
    SGD opt = new SGD(judge.parameters(), 0.05f, MnistMlp.MOMENTUM);
    try (opt) {
      DataLoader loader = new DataLoader(new ShiftedImages(train, 2, c.seed()), 128, true, c.seed() + 1, false, c.device());
      LrSchedule schedule = new CosineAnnealing(0.05f, c.judgeEpochs());
      for (int epoch = 0; epoch < c.judgeEpochs(); epoch++) {
        schedule.apply(opt, epoch);
        for (DataLoader.Batch batch : loader) {
          try (batch; Scope s = Scope.open()) {
            opt.zeroGrad();
            F.crossEntropy(judge.forward(batch.x()), batch.y()).backward();
            opt.step();
          }
        }
      }
    }
    double accuracy = MnistMlp.evaluate(judge, c.data().test(), c.device());
    MnistSplit test = c.data().test();
    double realConfident;
    try (Scope s = Scope.open(); Grad off = Grad.off()) {
      float[] p = judge.forward(Tensor.of(c.device(), test.images(), test.size(), 784)).softmax(1).max(1, false).toArray();
      int n = 0;
      for (float v : p) n += v >= 0.9f ? 1 : 0;
      realConfident = (double) n / p.length;
    }
    out.printf(Locale.ROOT, "judge: the mnist-mlp network, %d epochs on the training digits: %.2f%% right on the held-out"
        + " digits, %.1f%% of them classified with confidence >= 0.9%n", c.judgeEpochs(), 100 * accuracy, 100 * realConfident);
    return accuracy;
  }

  /** Classifies n fresh samples of g with judge. */
  public static Verdict judge(Sequential g, Sequential judge, int n, Generator noise, Device device) {
    try (Scope s = Scope.open(); Grad off = Grad.off()) {
      Tensor images = g.forward(Tensor.randn(device, noise, 0, 1, n, Z)).add(1f).mul(0.5f);
      float[] p = judge.forward(images).softmax(1).toArray();
      int confident = 0;
      double[] share = new double[10];
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
        if (p[i * 10 + best] >= 0.9f) confident++;
        share[best] += 1.0 / n;
      }
      return new Verdict((double) confident / n, share);
    }
  }

  /** A 10 x 10 grid of g's images for the given noise. */
  static void samples(Sequential g, Tensor z, Path png) throws IOException {
    float[] pixels;
    try (Scope s = Scope.open(); Grad off = Grad.off()) {
      pixels = g.forward(z).add(1f).mul(0.5f).toArray();
    }
    Plots.imageGrid(png, pixels, (int) z.size(0), 28, 28, 10, 2);
  }
}
