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
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.ConvTranspose2d;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.Linear;
import dev.nerve.nn.Module;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Optimizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A convolutional autoencoder of MNIST digits: the encoder squeezes each 28x28 image into a code
 * of 32 numbers, the decoder draws the image again from the code alone.
 *
 * <pre>
 * encoder: x [B, 1, 28, 28] -> Conv 3x3 s2 32 -> ReLU -> Conv 3x3 s2 64 -> ReLU [B, 64, 7, 7]
 *          -> Flatten -> Linear 32 (the code)
 * decoder: code -> Linear 3136 -> ReLU -> [B, 64, 7, 7] -> ConvTranspose 4x4 s2 32 -> ReLU
 *          -> ConvTranspose 4x4 s2 1 -> sigmoid [B, 1, 28, 28]
 * loss = mean squared error against x; Adam
 * </pre>
 *
 * Writes reconstructions.png (originals above, reconstructions below) and reports the test MSE
 * beside the MSE of predicting the mean training image for every digit.
 */
public final class ConvAutoencoder {
  public record Config(Mnist data, int epochs, int batchSize, float lr, int code, long seed, Device device) {}

  public record Result(double testMse, double meanImageMse, double secondsPerEpoch) {}

  private ConvAutoencoder() {}

  /** The encoder and decoder as one module ("encoder.*", "decoder.*"). */
  public static final class Model extends Module {
    final Sequential encoder;
    final Sequential decoder;

    Model(int code, Device device, Generator gen) {
      encoder = registerModule("encoder", new Sequential(
          new Conv2d(1, 32, 3, 2, 1, 1, 1, true, device, gen), new ReLU(),
          new Conv2d(32, 64, 3, 2, 1, 1, 1, true, device, gen), new ReLU(),
          new Flatten(), new Linear(64 * 7 * 7, code, true, device, gen)));
      decoder = registerModule("decoder", new Sequential(
          new Linear(code, 64 * 7 * 7, true, device, gen), new ReLU()));
      registerModule("up1", up1 = new ConvTranspose2d(64, 32, 4, 2, 1, 0, device, gen));
      registerModule("up2", up2 = new ConvTranspose2d(32, 1, 4, 2, 1, 0, device, gen));
    }

    private final ConvTranspose2d up1;
    private final ConvTranspose2d up2;

    @Override
    public Tensor forward(Tensor x) {
      Tensor h = decoder.forward(encoder.forward(x));
      h = h.reshape(h.size(0), 64, 7, 7);
      return up2.forward(up1.forward(h).relu()).sigmoid();
    }
  }

  public static Result train(Config c, PrintWriter out, boolean interactive, RunOutput output, Path resume)
      throws IOException {
    MnistSplit train = c.data().train();
    MnistSplit test = c.data().test();
    out.println("data: " + c.data().source());
    Generator gen = new Generator(c.seed());
    try (Model model = new Model(c.code(), c.device(), gen); Adam optimizer = new Adam(model.parameters(), c.lr())) {
      out.printf(Locale.ROOT, "model: encoder %s, decoder %s + 2 transposed convolutions, %,d parameters%n", model.encoder,
          model.decoder, model.parameterCount());
      out.printf(Locale.ROOT, "Adam lr %s, batch %d, %d epochs, code of %d numbers, seed %d, %s%n", c.lr(), c.batchSize(),
          c.epochs(), c.code(), c.seed(),
          c.device().name().equals("cpu") ? "cpu (" + c.device().threads() + " threads)" : c.device());
      DataLoader loader = new DataLoader(ArrayDataset.of(train), c.batchSize(), true, c.seed(), false, c.device());
      Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, optimizer);
      int start = 1;
      if (resume != null) {
        start = RunOutput.epochOf(output.resume(resume, model, optimizers)) + 1;
        for (int e = 1; e < start; e++) loader.iterator();
        out.printf(Locale.ROOT, "resumed from %s after epoch %d%n", resume, start - 1);
      }
      double meanMse = meanImageMse(train, test);
      double testMse = Double.NaN;
      double seconds = 0;
      for (int epoch = start; epoch <= c.epochs(); epoch++) {
        String label = String.format(Locale.ROOT, "epoch %d/%d", epoch, c.epochs());
        double loss;
        try (EpochProgress progress = new EpochProgress(label, train.size(), interactive)) {
          for (DataLoader.Batch batch : loader) {
            try (batch; Scope s = Scope.open()) {
              Tensor x = MnistCnn.images(batch.x());
              optimizer.zeroGrad();
              Tensor l = F.mseLoss(model.forward(x), x);
              l.backward();
              optimizer.step();
              progress.step(batch.size(), l.item());
            }
          }
          loss = progress.meanLoss();
          seconds += progress.seconds();
        }
        testMse = evaluate(model, test, c.device());
        out.printf(Locale.ROOT, "%s  train MSE %.5f  test MSE %.5f (mean image: %.5f)%n", label, loss, testMse, meanMse);
        out.flush();
        output.record("train MSE", loss);
        output.record("test MSE", testMse);
        output.record("mean image MSE", meanMse); // printed beside: the baseline, in metrics.csv too
        output.checkpoint(model, optimizers, epoch, -testMse, Map.of("seed", Long.toString(c.seed())));
      }
      if (start > c.epochs()) testMse = evaluate(model, test, c.device());
      int trained = Math.max(1, c.epochs() - start + 1);
      Result r = new Result(testMse, meanMse, seconds / trained);
      out.printf(Locale.ROOT, "test reconstruction MSE: %.5f; predicting the mean image: %.5f (%.1fx lower)%s%n",
          r.testMse(), r.meanImageMse(), r.meanImageMse() / r.testMse(),
          r.testMse() > r.meanImageMse() / 4 ? "; NOT well below the mean image" : "");
      if (output.writes()) {
        Path png = output.dir().resolve("reconstructions.png");
        writeComparison(model, test, c.device(), png);
        Path plot = output.plot("loss.png", "autoencoder: reconstruction error", "epoch", "MSE", "train MSE", "test MSE");
        out.println("wrote " + png + ", " + plot + " and the checkpoints in " + output.dir());
      }
      out.flush();
      return r;
    }
  }

  /** Mean squared error of the reconstructions of the split's images. */
  public static double evaluate(Module model, MnistSplit split, Device device) {
    model.eval();
    double mse = SplitEvaluation.mean(split, device, batch -> {
      Tensor x = MnistCnn.images(batch.x());
      return F.mseLoss(model.forward(x), x).item() * batch.size();
    });
    model.train();
    return mse;
  }

  /** The baseline: every test image predicted by the mean training image. */
  static double meanImageMse(MnistSplit train, MnistSplit test) {
    int p = train.pixelsPerImage();
    double[] mean = new double[p];
    float[] tr = train.images();
    for (int i = 0; i < train.size(); i++) for (int j = 0; j < p; j++) mean[j] += tr[i * p + j];
    for (int j = 0; j < p; j++) mean[j] /= train.size();
    float[] te = test.images();
    double sum = 0;
    for (int i = 0; i < test.size(); i++) {
      for (int j = 0; j < p; j++) {
        double d = te[i * p + j] - mean[j];
        sum += d * d;
      }
    }
    return sum / ((double) test.size() * p);
  }

  /** 16 test digits in the top row, their reconstructions below, 3x scale. */
  static void writeComparison(Module model, MnistSplit test, Device device, Path png) throws IOException {
    int n = 16;
    int scale = 3;
    float[] originals = new float[n * 784];
    System.arraycopy(test.images(), 0, originals, 0, originals.length);
    float[] rebuilt;
    model.eval();
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      rebuilt = model.forward(Tensor.of(device, originals, n, 1, 28, 28)).toArray();
    }
    model.train();
    int gap = 2;
    BufferedImage img = new BufferedImage(n * (28 * scale + gap) + gap, 2 * (28 * scale + gap) + gap, BufferedImage.TYPE_INT_RGB);
    for (int row = 0; row < 2; row++) {
      float[] src = row == 0 ? originals : rebuilt;
      for (int k = 0; k < n; k++) {
        for (int y = 0; y < 28 * scale; y++) {
          for (int x = 0; x < 28 * scale; x++) {
            float v = Math.max(0f, Math.min(1f, src[k * 784 + (y / scale) * 28 + x / scale]));
            int grey = Math.round(255 * v);
            img.setRGB(gap + k * (28 * scale + gap) + x, gap + row * (28 * scale + gap) + y, grey * 0x010101);
          }
        }
      }
    }
    ImageIO.write(img, "png", png.toFile());
  }
}
