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
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
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
    Mnist mnist;
    try {
      mnist = Mnist.obtain(Mnist.defaultCacheDir());
    } catch (IOException e) {
      Assumptions.assumeTrue(false, "MNIST digits unavailable: " + e.getMessage());
      return;
    }
    MnistMlp.Config c = new MnistMlp.Config(mnist, 1, 128, 0.05f, 2, 3, Device.cpu());
    double la = MnistMlp.train(c, new PrintWriter(sink), false).trainLoss();
    double lb = MnistMlp.train(c, new PrintWriter(sink), false).trainLoss();
    System.out.println("TrainOptionsTest: xor final loss " + a + " twice; mnist-mlp 1-epoch loss " + la + " and " + lb);
    assertEquals(Double.doubleToRawLongBits(la), Double.doubleToRawLongBits(lb), la + " vs " + lb);
  }
}
