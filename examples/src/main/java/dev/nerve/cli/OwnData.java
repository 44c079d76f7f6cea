package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.data.CsvDataset;
import dev.nerve.data.Dataset;
import dev.nerve.data.ImageFolder;
import dev.nerve.data.RandomShift;
import dev.nerve.data.Split;
import dev.nerve.data.Standardizer;
import dev.nerve.data.Transform;
import dev.nerve.examples.OwnDataTrainer;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.Linear;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nerve train mlp --csv FILE --target COLUMN} and {@code nerve train cnn --images DIR}:
 * the user's own rows or images, split into training and validation parts, trained by
 * {@link OwnDataTrainer}.
 */
final class OwnData {
  private OwnData() {}

  static Model mlp() {
    return new Model("mlp", "An MLP classifier of your CSV rows (--csv FILE --target COL).",
        "Numeric feature columns, one class column; features standardised with the training split's mean and std;"
            + " a --validation fraction of the rows is held out.")
        .defaults("--epochs", "30", "--lr", "0.003", "--batch-size", "32", "--hidden", "64", "--target", "-1",
            "--validation", "0.2", "--workers", "2", "--threads", "1")
        .notUsed("--data", "mlp reads your CSV file: use --csv FILE")
        .option("--csv", "FILE", Path.class, "The CSV file (a header row is detected; quoted fields allowed).")
        .option("--target", "COLUMN", String.class, "The class column: its header name, its number from 1, or -1 for"
            + " the last (default: ${DEFAULT-VALUE}).")
        .check(c -> fileOption(c, "--csv", false))
        .intOption("--hidden", "N", "Units in each of the two hidden layers", 1, 4096)
        .option("--validation", "FRACTION", double.class, "Fraction of the data held out for validation"
            + " (default: ${DEFAULT-VALUE}).")
        .check(OwnData::validationFraction)
        .intOption("--workers", "N", "Background threads preparing batches", 0, 64)
        .runs(OwnData::trainMlp);
  }

  static Model cnn() {
    return new Model("cnn", "A CNN on your images (--images DIR, one subfolder per class).",
        "PNG and JPEG, resized to --size; a --validation fraction of the images is held out.")
        .defaults("--epochs", "20", "--lr", "0.003", "--batch-size", "16", "--size", "32", "--color", "rgb",
            "--shift", "2", "--validation", "0.2", "--workers", "2")
        .notUsed("--data", "cnn reads your image folder: use --images DIR")
        .option("--images", "DIR", Path.class, "The folder with one subfolder of images per class.")
        .check(c -> fileOption(c, "--images", true))
        .intOption("--size", "PX", "Images are resized to PX x PX (a multiple of 4)", 4, 512)
        .check(c -> c.check(c.intValue("--size") % 4 == 0, "--size must be a multiple of 4 (two 2x2 poolings), got "
            + c.intValue("--size")))
        .option("--color", "grey|rgb", String.class, "Channels the images are converted to (default: ${DEFAULT-VALUE}).")
        .check(c -> c.check(color(c) != null, "--color must be grey or rgb, got " + c.value("--color")))
        .option("--shift", "PX", int.class, "Augmentation: move each training image by up to PX pixels, drawn afresh"
            + " each epoch; 0 = off (default: ${DEFAULT-VALUE}).")
        .check(c -> c.check(c.intValue("--shift") >= 0 && c.intValue("--shift") < c.intValue("--size") / 2,
            "--shift must be in [0, --size / 2), got " + c.intValue("--shift")))
        .option("--validation", "FRACTION", double.class, "Fraction of the images held out for validation"
            + " (default: ${DEFAULT-VALUE}).")
        .check(OwnData::validationFraction)
        .intOption("--workers", "N", "Background threads preparing batches", 0, 64)
        .runs(OwnData::trainCnn);
  }

  private static void fileOption(ModelCommand c, String option, boolean folder) {
    Path p = c.value(option);
    c.check(p != null, option + (folder ? " DIR" : " FILE") + " is required");
    c.check(Files.exists(p), option + " " + p + ": no such " + (folder ? "folder" : "file"));
    c.check(Files.isDirectory(p) == folder, option + " " + p + (folder ? " is a file; give the folder holding one"
        + " subfolder per class" : " is a folder; give the CSV file"));
  }

  private static void validationFraction(ModelCommand c) {
    double v = c.<Double>value("--validation");
    c.check(v > 0 && v < 1, "--validation must be in (0, 1), got " + v);
  }

  private static ImageFolder.Color color(ModelCommand c) {
    return colorNamed(String.valueOf(c.<String>value("--color")));
  }

  private static void trainMlp(ModelCommand c, ModelCommand.Job job) throws Exception {
    CsvDataset csv = CsvDataset.from(c.value("--csv")).target(c.value("--target")).read();
    int k = csv.classes().size();
    c.check(k <= Math.max(2, Math.min(1000, csv.size() / 2)), "--target '" + csv.targetName() + "' has " + k
        + " different values in " + csv.size() + " rows: that is a number to predict (regression), not a class;"
        + " mlp classifies, so choose a column of classes");
    Split split = split(c, csv, "rows");
    Standardizer st = Standardizer.fit(split.train());
    job.out().printf(Locale.ROOT, "data: %,d rows of %s, %d features, target '%s' with %d classes %s; %,d training /"
        + " %,d validation rows; features standardised on the training rows%n", csv.size(), csv.file(),
        csv.featureNames().size(), csv.targetName(), csv.classes().size(), csv.classes(), split.train().size(),
        split.validation().size());
    int d = csv.featureNames().size();
    int h = c.intValue("--hidden");
    Device dev = job.device();
    Generator gen = new Generator(c.seed);
    // Everything nerve predict needs to rebuild the network and prepare new rows the same way.
    Map<String, String> meta = Map.of("data", "csv", "classes", String.join("\n", csv.classes()),
        "features", String.join("\n", csv.featureNames()), "target", csv.targetName(),
        "standardize.mean", Arrays.toString(st.mean()), "standardize.std", Arrays.toString(st.std()),
        "hidden", Integer.toString(h));
    try (Sequential model = mlpNetwork(d, h, csv.classes().size(), dev, gen)) {
      OwnDataTrainer.train(new OwnDataTrainer.Config("mlp", "rows", st.applyTo(split.train()),
          st.applyTo(split.validation()), csv.classes(), c.epochs, c.batchSize, c.lr, c.seed, dev, null,
          c.intValue("--workers"), meta), model, gen, job.out(), job.interactive(), job.output(), job.resume());
    }
  }

  private static void trainCnn(ModelCommand c, ModelCommand.Job job) throws Exception {
    int size = c.intValue("--size");
    ImageFolder.Color color = color(c);
    ImageFolder images = ImageFolder.load(c.value("--images"), size, size, color);
    Split split = split(c, images, "images");
    job.out().printf(Locale.ROOT, "data: %,d images in %s, %d classes %s, resized to %dx%d %s; %,d training / %,d"
        + " validation images%n", images.size(), images.root(), images.classes().size(), images.classes(), size, size,
        color == ImageFolder.Color.GREY ? "grey" : "RGB", split.train().size(), split.validation().size());
    int ch = color.channels();
    int shift = c.intValue("--shift");
    Transform augment = shift > 0 ? new RandomShift(shift) : null;
    Device dev = job.device();
    Generator gen = new Generator(c.seed);
    Map<String, String> meta = Map.of("data", "images", "classes", String.join("\n", images.classes()),
        "size", Integer.toString(size), "color", color.name().toLowerCase(Locale.ROOT));
    try (Sequential model = cnnNetwork(ch, size, images.classes().size(), dev, gen)) {
      OwnDataTrainer.train(new OwnDataTrainer.Config("cnn", "images", split.train(), split.validation(),
          images.classes(), c.epochs, c.batchSize, c.lr, c.seed, dev, augment, c.intValue("--workers"), meta),
          model, gen, job.out(), job.interactive(), job.output(), job.resume());
    }
  }

  /** The mlp: d features, two hidden ReLU layers of h units, k class scores (shared with nerve predict). */
  static Sequential mlpNetwork(int d, int h, int k, Device dev, Generator gen) {
    return new Sequential(new Linear(d, h, true, dev, gen), new ReLU(), new Linear(h, h, true, dev, gen),
        new ReLU(), new Linear(h, k, true, dev, gen));
  }

  /** The cnn on ch x size x size images, k class scores (shared with nerve predict). */
  static Sequential cnnNetwork(int ch, int size, int k, Device dev, Generator gen) {
    int side = size / 4;
    return new Sequential(
        new Conv2d(ch, 16, 3, 1, 1, 1, 1, true, dev, gen), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, 1, 1, 1, 1, true, dev, gen), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(32L * side * side, 64, true, dev, gen), new ReLU(),
        new Linear(64, k, true, dev, gen));
  }

  static ImageFolder.Color colorNamed(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "grey", "gray" -> ImageFolder.Color.GREY;
      case "rgb", "color", "colour" -> ImageFolder.Color.RGB;
      default -> null;
    };
  }

  private static Split split(ModelCommand c, Dataset data, String unit) {
    c.check(data.size() >= 2, "the data has " + data.size() + " " + unit + "; at least 2 are needed to hold some out");
    return Split.of(data, c.<Double>value("--validation"), c.seed);
  }
}
