package dev.nerve.cli;

import static dev.nerve.cli.MainTest.assertOneLineError;
import static dev.nerve.cli.MainTest.assertUsageError;
import static dev.nerve.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.data.Mnist;
import dev.nerve.examples.MnistMlp;
import dev.nerve.examples.XorMlp;
import dev.nerve.examples.data.NpmDigits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options every `nerve train <model>` shares: outputs, resume, devices, and their errors. */
class TrainOptionsTest {
  @TempDir Path tmp;

  @Test
  void outWritesCheckpointsAndAPlotAndResumeContinues() throws Exception {
    Path out = tmp.resolve("xor");
    MainTest.Run r = run("train", "xor", "--epochs", "100", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"last.safetensors", "best.safetensors", "loss.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 100, f);
    }
    byte[] png = Files.readAllBytes(out.resolve("loss.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    MainTest.Run resumed = run("train", "xor", "--epochs", "300", "--out", out.toString(), "--resume", out.toString());
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("resumed from " + out + " at epoch 100"), resumed.out());
    assertTrue(resumed.out().contains("XOR learned"), resumed.out());
  }

  @Test
  void recurrentModelsWritePlotsAndCheckpointsAndResume() throws Exception {
    Path text = tmp.resolve("text.txt");
    Files.writeString(text, "the quick brown fox jumps over the lazy dog. ".repeat(40));
    String[][] runs = {
        {"adding-problem", "--length", "10", "--hidden", "8", "--batch-size", "16", "--threads", "1"},
        {"char-lstm", "--text", text.toString(), "--hidden", "16", "--batch-size", "4", "--bptt", "16", "--sample", "10",
            "--threads", "1"},
        {"seq2seq", "--hidden", "8", "--batch-size", "8", "--threads", "1"}};
    String[][] plots = {{"loss.png", "test-mse.png"}, {"loss.png"}, {"loss.png", "exact-match.png", "attention-1.png"}};
    String[][] epochs = {{"20", "40"}, {"1", "2"}, {"10", "20"}};
    for (int m = 0; m < runs.length; m++) {
      Path out = tmp.resolve(runs[m][0]);
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train"));
      args.addAll(java.util.List.of(runs[m]));
      args.addAll(java.util.List.of("--out", out.toString(), "--epochs", epochs[m][0]));
      MainTest.Run r = run(args.toArray(String[]::new));
      assertTrue(r.code() == 0 || r.code() == 1, () -> "exit code; stderr: " + r.err());
      for (String f : plots[m]) assertTrue(Files.size(out.resolve(f)) > 100, () -> f + " of " + out);
      for (String f : new String[] {"last.safetensors", "best.safetensors"}) assertTrue(Files.size(out.resolve(f)) > 100, f);
      args.set(args.size() - 1, epochs[m][1]);
      args.addAll(java.util.List.of("--resume", out.toString()));
      MainTest.Run resumed = run(args.toArray(String[]::new));
      assertTrue(resumed.code() == 0 || resumed.code() == 1, () -> "exit code; stderr: " + resumed.err());
      assertTrue(resumed.out().contains("resumed from " + out + " after"), resumed.out());
      if (m == 0) {
        // The resumed adding problem ends where an uninterrupted run of 40 steps does.
        args.set(args.indexOf("--out") + 1, tmp.resolve("straight").toString());
        args.subList(args.size() - 2, args.size()).clear();
        MainTest.Run straight = run(args.toArray(String[]::new));
        assertEquals(testLine(straight.out()), testLine(resumed.out()));
      }
    }
  }

  private static String testLine(String out) {
    return out.lines().filter(l -> l.startsWith("test MSE on")).findFirst().orElse("no test line in:\n" + out);
  }

  @Test
  void anotherModelsCheckpointIsRefusedAndNothingSavedIsLost() throws Exception {
    Path xor = tmp.resolve("xor");
    assertEquals(0, run("train", "xor", "--epochs", "30", "--out", xor.toString()).code());
    Path perceptron = tmp.resolve("perceptron");
    assertEquals(0, run("train", "perceptron", "--out", perceptron.toString()).code());
    byte[] before = Files.readAllBytes(xor.resolve("last.safetensors"));
    MainTest.Run r = run("train", "xor", "--out", xor.toString(), "--resume", perceptron.toString());
    assertEquals(1, r.code(), r.err());
    assertOneLineError(r, "a checkpoint of 'perceptron', not of 'xor'");
    assertArrayEquals(before, Files.readAllBytes(xor.resolve("last.safetensors")));
    // A wider XOR model's checkpoint does not fit: the message lists the shapes.
    Path wide = tmp.resolve("wide");
    assertEquals(0, run("train", "xor", "--epochs", "10", "--hidden", "16", "--out", wide.toString()).code());
    MainTest.Run r2 = run("train", "xor", "--out", xor.toString(), "--resume", wide.toString());
    assertEquals(1, r2.code());
    assertOneLineError(r2, "0.weight is F32 [16, 2] in the file but F32 [8, 2] in the model");
    assertArrayEquals(before, Files.readAllBytes(xor.resolve("last.safetensors")));
    // A corrupt checkpoint.
    Path corrupt = tmp.resolve("corrupt");
    Files.createDirectories(corrupt);
    Files.write(corrupt.resolve("last.safetensors"), new byte[] {1, 2, 3});
    assertOneLineError(run("train", "xor", "--out", xor.toString(), "--resume", corrupt.toString()), "truncated");
  }

  @Test
  void badCommonOptions() throws Exception {
    Path file = tmp.resolve("a-file");
    Files.writeString(file, "x");
    assertUsageError(run("train", "xor", "--out", file.resolve("sub").toString()), "cannot create the folder");
    assertUsageError(run("train", "xor", "--device", "tpu"), "--device: unknown device 'tpu'");
    assertUsageError(run("train", "xor", "--data", tmp.toString()), "--data does not apply to xor");
    assertUsageError(run("train", "xor", "--batch-size", "2"), "--batch-size does not apply to xor");
    assertUsageError(run("train", "xor", "--resume", tmp.resolve("nothing").toString()), "no such folder or file");
    MainTest.Run r = run("train", "xor", "--resume", tmp.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(1, r.code());
    assertOneLineError(r, "no checkpoint there (no last.safetensors)");
  }

  @Test
  void trainHelpShowsTheCommonOptions() {
    MainTest.Run r = run("train", "xor", "--help");
    for (String o : new String[] {"--device", "--epochs", "--batch-size", "--lr", "--seed", "--data", "--out", "--threads",
        "--resume"}) {
      assertTrue(r.out().contains(o), o + " missing:\n" + r.out());
    }
    assertTrue(r.out().contains("(default: out/xor)"), r.out());
  }

  @Test
  void sameSeedGivesTheSameFinalLossToTheBit() throws Exception {
    StringWriter sink = new StringWriter();
    float a = XorMlp.train(8, 200, 0.05f, 7, Device.cpu(2), new PrintWriter(sink)).loss();
    float b = XorMlp.train(8, 200, 0.05f, 7, Device.cpu(2), new PrintWriter(sink)).loss();
    assertEquals(Float.floatToRawIntBits(a), Float.floatToRawIntBits(b), a + " vs " + b);
    Mnist mnist = NpmDigits.orSkip();
    MnistMlp.Config c = new MnistMlp.Config(mnist, 1, 128, 0.05f, 2, 3, Device.cpu());
    double la = MnistMlp.train(c, new PrintWriter(sink), false).trainLoss();
    double lb = MnistMlp.train(c, new PrintWriter(sink), false).trainLoss();
    System.out.println("TrainOptionsTest: xor final loss " + a + " twice; mnist-mlp 1-epoch loss " + la + " and " + lb);
    assertEquals(Double.doubleToRawLongBits(la), Double.doubleToRawLongBits(lb), la + " vs " + lb);
  }
}
