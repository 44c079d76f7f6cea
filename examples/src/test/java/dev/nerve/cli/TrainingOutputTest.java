package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.examples.data.NpmDigits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a training run shows and keeps, through the CLI entry point: the epoch line has the test
 * (validation) loss beside the training loss, the learning rate and the time; metrics.csv in the
 * output folder has one row per epoch with every figure of that line, also across a resume.
 */
class TrainingOutputTest {
  @TempDir Path tmp;

  private static final Pattern LINE = Pattern.compile("epoch (\\d+)/\\d+  train loss (\\S+)  test loss (\\S+)  "
      + "test accuracy +(\\S+)%  lr (\\S+)  (\\S+) s  (\\S+) examples/s");

  private static final String DIGIT_HEADER = "epoch,train loss,test loss,test accuracy,lr,seconds,examples/s";

  @Test
  void digitRunsWriteEveryFigureOfTheEpochLineToMetricsCsv() throws IOException {
    NpmDigits.orSkip();
    Path out = tmp.resolve("mlp");
    MainTest.Run r = MainTest.succeeds("train", "mnist-mlp", "--epochs", "2", "--threads", "2", "--out", out.toString());
    List<String[]> printed = epochLines(r.out());
    assertEquals(2, printed.size(), r.out());
    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals(DIGIT_HEADER, csv.get(0));
    assertEquals(3, csv.size(), String.join("\n", csv));
    for (int i = 0; i < 2; i++) assertRowMatches(printed.get(i), csv.get(i + 1).split(",", -1));
    // The cosine schedule: the second epoch's rate is below the first's.
    assertTrue(Double.parseDouble(csv.get(2).split(",")[4]) < Double.parseDouble(csv.get(1).split(",")[4]), csv.toString());
  }

  @Test
  void aResumedRunKeepsTheRowsOfTheEpochsBefore() throws IOException {
    NpmDigits.orSkip();
    Path out = tmp.resolve("parts");
    MainTest.succeeds("train", "mnist-mlp", "--epochs", "3", "--threads", "2", "--out", out.toString(), "--stop-after", "2");
    assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
    MainTest.Run rest = MainTest.succeeds("train", "mnist-mlp", "--epochs", "3", "--threads", "2", "--out", out.toString(),
        "--resume", out.toString());
    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals(4, csv.size(), String.join("\n", csv));
    assertEquals(List.of("1", "2", "3"), csv.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());
    assertRowMatches(epochLines(rest.out()).get(0), csv.get(3).split(",", -1));
  }

  @Test
  void everyModelsRunFolderHasMetricsCsv() throws IOException {
    Path out = tmp.resolve("xor");
    MainTest.succeeds("train", "xor", "--epochs", "50", "--out", out.toString());
    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals("epoch,loss,seconds", csv.get(0));
    assertEquals(11, csv.size(), String.join("\n", csv)); // a checkpoint every 5 epochs
    assertTrue(csv.get(10).startsWith("50,"), csv.get(10));
  }

  /** The printed figures (epoch, losses, accuracy in %, lr, seconds, rate) against the row, to the printed digits. */
  private static void assertRowMatches(String[] printed, String[] row) {
    assertEquals(7, row.length, Arrays.toString(row));
    assertEquals(printed[0], row[0]);
    assertClose(printed[1], row[1], 1);   // train loss
    assertClose(printed[2], row[2], 1);   // test loss
    assertClose(printed[3], row[3], 100); // accuracy, printed in percent
    assertClose(printed[4], row[4], 1);   // lr
    assertClose(printed[5], row[5], 1);   // seconds
    assertClose(printed[6], row[6], 1);   // examples/s
  }

  private static void assertClose(String printed, String stored, double scale) {
    String digits = printed.replace(",", "");
    double want = Double.parseDouble(digits);
    int decimals = digits.contains(".") ? digits.length() - digits.indexOf('.') - 1 : 0;
    double got = Double.parseDouble(stored) * scale;
    // %.4g style values (lr) may print in exponent form; then compare relatively.
    double tolerance = digits.contains("e") ? Math.abs(want) * 1e-3 : 0.5 * Math.pow(10, -decimals) + 1e-9;
    assertTrue(Math.abs(got - want) <= tolerance, printed + " printed, " + stored + " stored");
  }

  private static List<String[]> epochLines(String out) {
    List<String[]> lines = new ArrayList<>();
    Matcher m = LINE.matcher(out);
    while (m.find()) {
      String[] g = new String[7];
      for (int i = 0; i < 7; i++) g[i] = m.group(i + 1);
      lines.add(g);
    }
    return lines;
  }
}
