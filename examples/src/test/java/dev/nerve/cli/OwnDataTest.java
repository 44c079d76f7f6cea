package dev.nerve.cli;

import static dev.nerve.cli.MainTest.assertOutContains;
import static dev.nerve.cli.MainTest.assertUsageError;
import static dev.nerve.cli.MainTest.run;
import static dev.nerve.cli.MainTest.succeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.SafeTensors;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nerve train mlp --csv and cnn --images learn from files generated here; data wording says rows and images. */
class OwnDataTest {
  private static double validationAccuracy(String out) {
    Matcher m = Pattern.compile("validation accuracy: ([0-9.]+)% on").matcher(out);
    assertTrue(m.find(), out);
    return Double.parseDouble(m.group(1));
  }

  /**
   * 600 rows, a header, an id column of noise, two informative features on very different scales
   * (standardisation matters), and three string classes by the quadrant the point falls in.
   */
  static Path separableCsv(Path file) throws IOException {
    Random r = new Random(3);
    StringBuilder sb = new StringBuilder("\"noise\",x,y,kind\n");
    for (int i = 0; i < 600; i++) {
      double x = r.nextDouble() * 2 - 1;
      double y = r.nextDouble() * 2 - 1;
      if (Math.abs(x) < 0.05 || Math.abs(y) < 0.05) continue; // a margin around the boundaries
      String kind = x < 0 ? "left" : y < 0 ? "lower right" : "upper right";
      sb.append(String.format(Locale.ROOT, "%.3f,%.4f,%.1f,\"%s\"%n", r.nextGaussian(), x / 1000, y * 1000, kind));
    }
    return Files.writeString(file, sb.toString());
  }

  @Test
  void mlpLearnsASeparableCsvAndWritesPlotsAndCheckpoints(@TempDir Path tmp) throws IOException {
    Path csv = separableCsv(tmp.resolve("points.csv"));
    Path out = tmp.resolve("out");
    MainTest.Run r = succeeds("train", "mlp", "--csv", csv.toString(), "--target", "kind", "--epochs", "15",
        "--out", out.toString());
    System.out.println(r.out());
    assertOutContains(r, "target 'kind' with 3 classes [left, lower right, upper right]", "validation loss",
        "held-out rows");
    assertFalse(r.out().contains("digits"), r.out());
    assertTrue(validationAccuracy(r.out()) >= 95, r.out());
    for (String f : new String[] {"last.safetensors", "best.safetensors", "loss.png", "accuracy.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertEquals("left\nlower right\nupper right", SafeTensors.read(out.resolve("last.safetensors")).metadata().get("classes"));
  }

  /** One shape per image, of random size, position and colour, on a random dark background. */
  static Path shapes(Path dir, int perClass) throws IOException {
    return shapes(dir, perClass, 5);
  }

  /** As {@link #shapes(Path, int)}, drawn from seed (another seed: other images, for held-out sets). */
  static Path shapes(Path dir, int perClass, long seed) throws IOException {
    Random r = new Random(seed);
    String[] kinds = {"circle", "square", "triangle"};
    for (int k = 0; k < 3; k++) {
      Path d = Files.createDirectories(dir.resolve(kinds[k]));
      for (int i = 0; i < perClass; i++) {
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(r.nextInt(60), r.nextInt(60), r.nextInt(60)));
        g.fillRect(0, 0, 40, 40);
        g.setColor(new Color(150 + r.nextInt(106), 150 + r.nextInt(106), 150 + r.nextInt(106)));
        int s = 16 + r.nextInt(10);
        int x = 2 + r.nextInt(38 - s);
        int y = 2 + r.nextInt(38 - s);
        switch (k) {
          case 0 -> g.fillOval(x, y, s, s);
          case 1 -> g.fillRect(x, y, s, s);
          default -> g.fillPolygon(new int[] {x, x + s, x + s / 2}, new int[] {y + s, y + s, y}, 3);
        }
        g.dispose();
        String format = i % 2 == 0 ? "png" : "jpg";
        assertTrue(ImageIO.write(img, format, d.resolve(i + "." + format).toFile()));
      }
    }
    return dir;
  }

  @Test
  void cnnLearnsAFolderOfGeneratedShapes(@TempDir Path tmp) throws IOException {
    Path images = shapes(tmp.resolve("shapes"), 100);
    Path out = tmp.resolve("out");
    MainTest.Run r = succeeds("train", "cnn", "--images", images.toString(), "--size", "24", "--color", "grey",
        "--epochs", "25", "--batch-size", "16", "--shift", "1", "--out", out.toString(), "--threads", "2");
    System.out.println(r.out());
    assertOutContains(r, "300 images in", "[circle, square, triangle]", "held-out images");
    assertFalse(r.out().contains("digits"), r.out());
    assertTrue(validationAccuracy(r.out()) >= 95, r.out());
    assertTrue(Files.size(out.resolve("accuracy.png")) > 0);
    assertTrue(Files.size(out.resolve("best.safetensors")) > 0);
  }

  /** The epoch lines without their timings. */
  private static String losses(String out) {
    return out.lines().filter(l -> l.startsWith("epoch ")).map(l -> l.replaceAll("%.*", "%")).reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void backgroundWorkersTrainExactlyAsWithout(@TempDir Path tmp) throws IOException {
    Path images = shapes(tmp.resolve("shapes"), 20);
    String[] common = {"train", "cnn", "--images", images.toString(), "--size", "16", "--epochs", "3", "--shift", "2",
        "--threads", "1"};
    String none = losses(succeeds(concat(common, "--workers", "0", "--out", tmp.resolve("a").toString())).out());
    String three = losses(succeeds(concat(common, "--workers", "3", "--out", tmp.resolve("b").toString())).out());
    assertEquals(3, none.lines().count(), none);
    assertEquals(none, three);
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void badDataIsAOneLineErrorNamingTheFileRowAndColumn(@TempDir Path tmp) throws IOException {
    Path csv = Files.writeString(tmp.resolve("data.csv"), "age,label\n30,a\nabc,b\n");
    MainTest.Run r = run("train", "mlp", "--csv", csv.toString(), "--target", "label", "--out", tmp.resolve("o").toString());
    assertEquals(1, r.code(), r.err());
    MainTest.assertOneLineError(r, csv + " row 3, column 'age': 'abc' is not a number");
    assertUsageError(run("train", "mlp"), "--csv FILE is required");
    Path prices = Files.writeString(tmp.resolve("prices.csv"), "rooms,price\n1,100.5\n2,210\n3,333\n4,401\n5,499\n");
    assertUsageError(run("train", "mlp", "--csv", prices.toString(), "--target", "price", "--out", tmp.resolve("o3").toString()),
        "--target 'price' has 5 different values in 5 rows: that is a number to predict (regression)");
    assertUsageError(run("train", "cnn", "--images", csv.toString()), "is a file; give the folder");
    assertUsageError(run("train", "mlp", "--csv", csv.toString(), "--data", tmp.toString()), "--data does not apply to mlp");
    Path broken = Files.createDirectories(tmp.resolve("img/a"));
    Files.write(broken.resolve("x.png"), new byte[] {9, 9});
    MainTest.Run b = run("train", "cnn", "--images", tmp.resolve("img").toString(), "--out", tmp.resolve("o2").toString());
    assertEquals(1, b.code());
    MainTest.assertOneLineError(b, broken.resolve("x.png") + ": not a readable PNG or JPEG image");
  }

  @Test
  void otherIdxImagesAreNotCalledDigitsNorJudgedByTheCourseMarks(@TempDir Path tmp) throws IOException {
    Path data = DivergenceTest.digits(Files.createDirectory(tmp.resolve("data")), 100);
    MainTest.Run r = succeeds("train", "mnist-mlp", "--data", data.toString(), "--out", tmp.resolve("out").toString(),
        "--epochs", "1", "--batch-size", "50", "--threads", "1");
    assertFalse(r.out().contains("held-out digits"), r.out());
    assertFalse(r.out().contains("target"), r.out());
    assertOutContains(r, "held-out images");
  }
}
