package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.examples.data.NpmDigits;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A digit model stopped with --stop-after and resumed ends exactly where one uninterrupted run
 * of the same options does: same train loss and test accuracy per epoch, to every printed digit.
 * This covers the state a resume must restore beyond the weights and the optimizer: the
 * shuffles, the shift augmentation's draws and (LeNet) the dropout generator.
 */
class ResumeExactTest {
  @TempDir Path tmp;

  private static final Pattern EPOCH = Pattern.compile("(epoch \\d+/\\d+  train loss \\S+  test loss \\S+  test accuracy +\\S+%  lr \\S+)");

  @Test
  void mnistMlpResumesExactly() {
    assertResumesExactly("mnist-mlp", "4", "2");
  }

  @Test
  void lenetWithDropoutResumesExactly() {
    assertResumesExactly("mnist-cnn", "3", "1");
  }

  @Test
  void stopAfterIsCheckedAgainstTheSchedule() {
    MainTest.assertUsageError(MainTest.run("train", "mnist-mlp", "--epochs", "3", "--stop-after", "4"),
        "--stop-after must be in [1, --epochs = 3], got 4");
    MainTest.assertUsageError(MainTest.run("train", "xor", "--stop-after", "1"), "--stop-after");
  }

  private void assertResumesExactly(String model, String epochs, String stop) {
    NpmDigits.orSkip();
    String straight = tmp.resolve(model + "-straight").toString();
    String parts = tmp.resolve(model + "-parts").toString();
    List<String> common = List.of("train", model, "--epochs", epochs, "--threads", "2");
    MainTest.Run whole = run(common, "--out", straight);
    MainTest.Run first = run(common, "--out", parts, "--stop-after", stop);
    assertTrue(first.out().contains("stopped after epoch " + stop + " of " + epochs), first.out());
    MainTest.Run rest = run(common, "--out", parts, "--resume", parts);
    List<String> want = epochLines(whole.out());
    List<String> got = new java.util.ArrayList<>(epochLines(first.out()));
    got.addAll(epochLines(rest.out()));
    assertEquals(Integer.parseInt(epochs), want.size(), whole.out());
    assertEquals(want, got);
  }

  private static MainTest.Run run(List<String> common, String... more) {
    List<String> args = new java.util.ArrayList<>(common);
    args.addAll(List.of(more));
    MainTest.Run r = MainTest.run(args.toArray(String[]::new));
    assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.err());
    return r;
  }

  private static List<String> epochLines(String out) {
    List<String> lines = new java.util.ArrayList<>();
    Matcher m = EPOCH.matcher(out);
    while (m.find()) lines.add(m.group(1));
    return lines;
  }
}
