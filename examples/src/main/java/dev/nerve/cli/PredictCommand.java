package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.data.ImageFolder;
import dev.nerve.examples.RunOutput;
import dev.nerve.io.Checkpoint;
import dev.nerve.io.SafeTensors;
import dev.nerve.nn.Sequential;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nerve predict --model DIR INPUT...}: the class a saved run of {@code nerve train mlp --csv}
 * or {@code nerve train cnn --images} gives new rows or images, with its softmax probability.
 * The network, the class names, the feature columns, the standardisation and the image size
 * come from the checkpoint's metadata, so the input is prepared exactly as in training.
 *
 * <p>Output, one line per example, tab-separated: {@code FILE row LINE<TAB>CLASS<TAB>PROBABILITY}
 * for CSV rows (LINE: the row's line in the file, as in error messages) and
 * {@code FILE<TAB>CLASS<TAB>PROBABILITY} for images, {@code FILE image N<TAB>DIGIT<TAB>PROBABILITY}
 * for the N-th (from 1) image of an IDX file. The digit models (mnist-mlp, mnist-cnn, resnet) have
 * fixed networks and inputs, so their checkpoints need no more metadata than the model's name.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Print the predictions of a saved run (of 'nerve train mlp --csv', 'cnn --images', 'mnist-mlp',"
        + " 'mnist-cnn' or 'resnet') for new CSV rows, images or IDX image files.")
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "The run's output folder (its best.safetensors, else last.safetensors), or a .safetensors file.")
  Path model;

  @Parameters(paramLabel = "INPUT", arity = "1..*",
      description = "mlp: CSV files with the training file's feature columns (the target column may be there; it is"
          + " ignored). cnn: PNG or JPEG images, or folders searched for them. Digit models: PNG or JPEG images of"
          + " digits (dark ink on a light background is inverted), folders of them, or IDX image files.")
  List<Path> inputs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Rows or images predicted per forward pass (one batch's memory stays small). */
  private static final int BATCH = 256;

  @Override
  public Integer call() throws IOException {
    Path file = checkpointFile(model);
    Map<String, String> meta = SafeTensors.read(file).metadata();
    String kind = meta.get("model");
    PrintWriter out = spec.commandLine().getOut();
    Device dev = Device.cpu();
    if (PredictDigits.KINDS.contains(kind)) {
      try (Sequential net = PredictDigits.network(kind, dev)) {
        Checkpoint.load(file, net, Map.of());
        net.eval();
        boolean cnn = !kind.equals("mnist-mlp");
        predict(net, dev, PredictDigits.rows(inputs), cnn ? new long[] {1, 28, 28} : new long[] {784},
            PredictDigits.CLASSES, out);
      }
      out.flush();
      return 0;
    }
    if (!"mlp".equals(kind) && !"cnn".equals(kind) || meta.get("classes") == null) {
      throw new IOException("--model " + file + ": a checkpoint of " + (kind == null ? "an unknown model" : "'" + kind + "'")
          + "; nerve predict reads runs of 'nerve train mlp --csv', 'nerve train cnn --images' and of the digit models "
          + String.join(", ", PredictDigits.KINDS));
    }
    List<String> classes = List.of(meta.get("classes").split("\n", -1));
    if (kind.equals("mlp")) {
      List<String> features = List.of(meta.get("features").split("\n", -1));
      float[] mean = floats(file, meta, "standardize.mean", features.size());
      float[] std = floats(file, meta, "standardize.std", features.size());
      int hidden = meta.containsKey("hidden") ? Integer.parseInt(meta.get("hidden"))
          : (int) SafeTensors.read(file).entries().get("0.weight").shape()[0]; // runs saved before "hidden" was
      try (Sequential net = OwnData.mlpNetwork(features.size(), hidden, classes.size(), dev, new Generator(0))) {
        Checkpoint.load(file, net, Map.of());
        net.eval();
        for (Path csv : inputs) {
          List<Row> rows = PredictInputs.csvRows(csv, features, mean, std);
          predict(net, dev, rows, new long[] {features.size()}, classes, out);
        }
      }
    } else {
      int size = Integer.parseInt(meta.get("size"));
      ImageFolder.Color color = OwnData.colorNamed(meta.getOrDefault("color", "rgb"));
      try (Sequential net = OwnData.cnnNetwork(color.channels(), size, classes.size(), dev, new Generator(0))) {
        Checkpoint.load(file, net, Map.of());
        net.eval();
        List<Row> rows = new ArrayList<>();
        for (Path p : PredictInputs.imageFiles(inputs)) {
          float[] x = new float[color.channels() * size * size];
          ImageFolder.decode(p, size, size, color, x, 0);
          rows.add(new Row(p.toString(), x));
        }
        predict(net, dev, rows, new long[] {color.channels(), size, size}, classes, out);
      }
    }
    out.flush();
    return 0;
  }

  /** One example to predict: how the output names it, and its prepared features. */
  record Row(String name, float[] x) {}

  private static void predict(Sequential net, Device dev, List<Row> rows, long[] shape, List<String> classes,
      PrintWriter out) {
    int d = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    for (int start = 0; start < rows.size(); start += BATCH) {
      int n = Math.min(BATCH, rows.size() - start);
      float[] x = new float[n * d];
      for (int i = 0; i < n; i++) System.arraycopy(rows.get(start + i).x(), 0, x, i * d, d);
      long[] batchShape = new long[shape.length + 1];
      batchShape[0] = n;
      System.arraycopy(shape, 0, batchShape, 1, shape.length);
      float[] p;
      try (Grad g = Grad.off(); Scope s = Scope.open()) {
        p = net.forward(Tensor.of(dev, x, batchShape)).softmax(1).toArray();
      }
      int k = classes.size();
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
        out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", rows.get(start + i).name(), classes.get(best), p[i * k + best]);
      }
    }
  }

  /** best.safetensors of a run folder (the best validation accuracy), else its last.safetensors, or the file given. */
  static Path checkpointFile(Path model) throws IOException {
    if (!Files.exists(model)) throw new IOException("--model " + model + ": no such run folder or checkpoint file");
    if (!Files.isDirectory(model)) return model;
    for (String name : new String[] {RunOutput.BEST, RunOutput.LAST}) {
      if (Files.exists(model.resolve(name))) return model.resolve(name);
    }
    throw new IOException("--model " + model + ": no " + RunOutput.BEST + " or " + RunOutput.LAST
        + " in the folder (is it the --out folder of a nerve train run?)");
  }

  private static float[] floats(Path file, Map<String, String> meta, String key, int n) throws IOException {
    String v = meta.get(key);
    try {
      float[] f = new float[n];
      String[] parts = v.replaceAll("[\\[\\]\\s]", "").split(",");
      if (parts.length != n) throw new NumberFormatException(parts.length + " values for " + n + " features");
      for (int i = 0; i < n; i++) f[i] = Float.parseFloat(parts[i]);
      return f;
    } catch (RuntimeException e) { // NumberFormatException, or a missing key
      throw new IOException("--model " + file + ": the metadata '" + key + "' is missing or malformed (" + e.getMessage() + ")");
    }
  }
}
