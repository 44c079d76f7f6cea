package dev.nerve.cli;

import static dev.nerve.cli.MainTest.assertOneLineError;
import static dev.nerve.cli.MainTest.run;
import static dev.nerve.cli.MainTest.succeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nerve predict: a run trained here predicts held-out rows and images it never saw; bad input is one line. */
class PredictTest {
  private static final String PROBABILITY = "(0\\.[0-9]{4}|1\\.0000)";

  /** The quadrant rule of OwnDataTest.separableCsv, on other points, columns reordered, no class column. */
  private static Path heldOutRows(Path file, List<String> truth) throws IOException {
    Random r = new Random(11);
    StringBuilder sb = new StringBuilder("y,noise,x\n");
    while (truth.size() < 100) {
      double x = r.nextDouble() * 2 - 1;
      double y = r.nextDouble() * 2 - 1;
      if (Math.abs(x) < 0.05 || Math.abs(y) < 0.05) continue;
      truth.add(x < 0 ? "left" : y < 0 ? "lower right" : "upper right");
      sb.append(String.format(Locale.ROOT, "%.1f,%.3f,%.4f%n", y * 1000, r.nextGaussian(), x / 1000));
    }
    return Files.writeString(file, sb.toString());
  }

  @Test
  void mlpRunPredictsHeldOutCsvRows(@TempDir Path tmp) throws IOException {
    Path csv = OwnDataTest.separableCsv(tmp.resolve("points.csv"));
    Path out = tmp.resolve("run");
    succeeds("train", "mlp", "--csv", csv.toString(), "--target", "kind", "--epochs", "15", "--out", out.toString());
    List<String> truth = new java.util.ArrayList<>();
    Path held = heldOutRows(tmp.resolve("new.csv"), truth);
    MainTest.Run r = succeeds("predict", "--model", out.toString(), held.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(truth.size(), lines.size(), r.out());
    int right = 0;
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\t");
      assertEquals(3, f.length, lines.get(i));
      assertEquals(held + " row " + (i + 2), f[0]); // the row's line in the file, after the header
      assertTrue(f[2].matches(PROBABILITY), lines.get(i));
      if (f[1].equals(truth.get(i))) right++;
    }
    assertTrue(right >= 95, right + " of 100 right:\n" + r.out());
    // The training file itself, class column and all, is accepted too (the class column is ignored).
    assertEquals(succeeds("predict", "--model", out.resolve("best.safetensors").toString(), csv.toString()).out().lines().count(),
        Files.readAllLines(csv).size() - 1);

    Path missing = Files.writeString(tmp.resolve("missing.csv"), "x,noise\n0.1,0.2\n");
    MainTest.Run m = run("predict", "--model", out.toString(), missing.toString());
    assertEquals(1, m.code());
    assertOneLineError(m, missing + ": no column 'y'; the model needs the columns [noise, x, y]");
    Path bad = Files.writeString(tmp.resolve("bad.csv"), "x,y,noise\n0.1,0.2,0.3\n0.1,abc,0.3\n");
    MainTest.Run b = run("predict", "--model", out.toString(), bad.toString());
    assertEquals(1, b.code());
    assertOneLineError(b, bad + " row 3, column 'y': 'abc' is not a number");
  }

  @Test
  void cnnRunPredictsHeldOutImages(@TempDir Path tmp) throws IOException {
    Path images = OwnDataTest.shapes(tmp.resolve("shapes"), 60);
    Path out = tmp.resolve("run");
    succeeds("train", "cnn", "--images", images.toString(), "--size", "16", "--color", "grey", "--epochs", "20",
        "--batch-size", "16", "--shift", "1", "--out", out.toString(), "--threads", "2");
    Path held = OwnDataTest.shapes(tmp.resolve("held"), 20, 99);
    Path one = held.resolve("square/0.png");
    MainTest.Run r = succeeds("predict", "--model", out.toString(), held.toString(), one.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(61, lines.size(), r.out());
    int right = 0;
    for (String line : lines.subList(0, 60)) {
      String[] f = line.split("\t");
      assertEquals(3, f.length, line);
      assertTrue(f[2].matches(PROBABILITY), line);
      if (Path.of(f[0]).getParent().getFileName().toString().equals(f[1])) right++;
    }
    assertTrue(right >= 57, right + " of 60 right:\n" + r.out());
    assertTrue(lines.get(60).startsWith(one + "\t"), lines.get(60));

    Path broken = Files.write(tmp.resolve("broken.png"), new byte[] {9, 9});
    MainTest.Run b = run("predict", "--model", out.toString(), broken.toString());
    assertEquals(1, b.code());
    assertOneLineError(b, broken + ": not a readable PNG or JPEG image");
  }

  @Test
  void digitModelsPredictIdxImagesAndPngs(@TempDir Path tmp) throws IOException {
    Path data = DivergenceTest.digits(Files.createDirectory(tmp.resolve("data")), 200);
    Path out = tmp.resolve("run");
    succeeds("train", "mnist-mlp", "--data", data.toString(), "--out", out.toString(), "--epochs", "10",
        "--batch-size", "20", "--threads", "1");
    Path idx = data.resolve("t10k-images-idx3-ubyte");
    int[] labels = dev.nerve.data.Idx.readLabels(data.resolve("t10k-labels-idx1-ubyte"));
    // The first held-out digit as a PNG, dark ink on white: predict inverts it back.
    byte[] px = dev.nerve.data.Idx.readImages(idx).pixels();
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 784; i++) {
      int v = 255 - (px[i] & 0xFF);
      img.getRaster().setSample(i % 28, i / 28, 0, v);
    }
    Path png = tmp.resolve("digit.png");
    assertTrue(javax.imageio.ImageIO.write(img, "png", png.toFile()));
    MainTest.Run r = succeeds("predict", "--model", out.toString(), idx.toString(), png.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(201, lines.size(), r.out());
    int right = 0;
    for (int i = 0; i < 200; i++) {
      String[] f = lines.get(i).split("\t");
      assertEquals(idx + " image " + (i + 1), f[0]);
      assertTrue(f[2].matches(PROBABILITY), lines.get(i));
      if (f[1].equals(Integer.toString(labels[i]))) right++;
    }
    assertTrue(right >= 190, right + " of 200 right:\n" + r.out());
    assertEquals(png + "\t" + labels[0], lines.get(200).substring(0, lines.get(200).lastIndexOf('\t')));

    Path csv = Files.writeString(tmp.resolve("x.csv"), "a,b\n1,2\n");
    MainTest.Run notIdx = run("predict", "--model", out.toString(), csv.toString());
    assertEquals(1, notIdx.code());
    assertOneLineError(notIdx, csv.toString());
  }

  @Test
  void aMissingRunOrAnotherModelsCheckpointIsAOneLineError(@TempDir Path tmp) throws IOException {
    MainTest.Run none = run("predict", "--model", tmp.resolve("nope").toString(), "x.csv");
    assertEquals(1, none.code());
    assertOneLineError(none, tmp.resolve("nope") + ": no such run folder or checkpoint file");
    MainTest.Run empty = run("predict", "--model", tmp.toString(), "x.csv");
    assertEquals(1, empty.code());
    assertOneLineError(empty, "no best.safetensors or last.safetensors in the folder");
    Path xor = tmp.resolve("xor");
    succeeds("train", "xor", "--epochs", "1", "--out", xor.toString());
    MainTest.Run other = run("predict", "--model", xor.toString(), "x.csv");
    assertEquals(1, other.code());
    assertOneLineError(other, "a checkpoint of 'xor'; nerve predict reads runs of 'nerve train mlp --csv'");
    MainTest.assertUsageError(run("predict", "x.csv"), "Missing required option: '--model=DIR'");
  }
}
