package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.data.Idx;
import dev.nerve.data.ImageFolder;
import dev.nerve.examples.MnistCnn;
import dev.nerve.examples.MnistMlp;
import dev.nerve.nn.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** nerve predict for the digit models: their networks, and 28x28 grey inputs from images or IDX files. */
final class PredictDigits {
  private PredictDigits() {}

  /** The models trained on digits, as their checkpoints name them. */
  static final List<String> KINDS = List.of("mnist-mlp", "mnist-cnn", "resnet");
  static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  static Sequential network(String kind, Device dev) {
    Generator gen = new Generator(0); // the initial weights are replaced by the checkpoint's
    return switch (kind) {
      case "mnist-mlp" -> MnistMlp.model(dev, gen);
      case "mnist-cnn" -> MnistCnn.lenet(dev, gen);
      default -> MnistCnn.resnet(dev, gen);
    };
  }

  /**
   * Each input as 784 values in [0, 1], ink high as in MNIST: an IDX image file (28x28) gives one
   * row per image; a PNG or JPEG (or a folder of them) is resized to 28x28 grey, and inverted when
   * its border is mostly light (a dark digit drawn on white paper).
   */
  static List<PredictCommand.Row> rows(List<Path> inputs) throws IOException {
    List<PredictCommand.Row> rows = new ArrayList<>();
    List<Path> images = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isRegularFile(p) && !isImageName(p)) {
        idxRows(p, rows);
      } else {
        images.add(p);
      }
    }
    for (Path p : PredictInputs.imageFiles(images)) {
      float[] x = new float[784];
      ImageFolder.decode(p, 28, 28, ImageFolder.Color.GREY, x, 0);
      double border = 0;
      for (int i = 0; i < 28; i++) border += x[i] + x[27 * 28 + i] + x[i * 28] + x[i * 28 + 27];
      if (border / (4 * 28) > 0.5) {
        for (int i = 0; i < x.length; i++) x[i] = 1 - x[i];
      }
      rows.add(new PredictCommand.Row(p.toString(), x));
    }
    return rows;
  }

  private static void idxRows(Path file, List<PredictCommand.Row> rows) throws IOException {
    Idx.Images idx = Idx.readImages(file);
    if (idx.rows() != 28 || idx.cols() != 28) {
      throw new IOException(file + ": " + idx.rows() + "x" + idx.cols() + " images; the digit models take 28x28");
    }
    byte[] px = idx.pixels();
    for (int n = 0; n < idx.count(); n++) {
      float[] x = new float[784];
      for (int i = 0; i < 784; i++) x[i] = (px[n * 784 + i] & 0xFF) / 255f;
      rows.add(new PredictCommand.Row(file + " image " + (n + 1), x));
    }
  }

  private static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }
}
