package dev.nerve.cli;

import static dev.nerve.cli.MainTest.assertOneLineError;
import static dev.nerve.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.data.Idx;
import dev.nerve.io.SafeTensors;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training that diverges stops with a one-line error and exit code 1, and the checkpoints of the
 * last good epoch stay as they were; data the reader must refuse is a one-line error too.
 */
class DivergenceTest {
  /** A small MNIST-like folder: n random 28x28 digits whose label is readable from the pixels. */
  static Path digits(Path dir, int n) throws IOException {
    Random r = new Random(1);
    for (String split : new String[] {"train", "t10k"}) {
      byte[] px = new byte[n * 784];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = r.nextInt(10);
        for (int j = 0; j < 784; j++) px[i * 784 + j] = (byte) (j / 78 == labels[i] ? 200 + r.nextInt(55) : r.nextInt(40));
      }
      Idx.writeImages(dir.resolve(split + "-images-idx3-ubyte"), new Idx.Images(n, 28, 28, px), false);
      Idx.writeLabels(dir.resolve(split + "-labels-idx1-ubyte"), labels, false);
    }
    return dir;
  }

  @Test
  void aNonFiniteLossStopsTrainingWithExitCode1AndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) throws IOException {
    Path data = digits(Files.createDirectory(tmp.resolve("data")), 200);
    Path out = tmp.resolve("out");
    MainTest.Run good = run("train", "mnist-mlp", "--data", data.toString(), "--out", out.toString(), "--epochs", "3",
        "--stop-after", "1", "--batch-size", "50", "--threads", "1");
    assertEquals(0, good.code(), good.err());
    byte[] last = Files.readAllBytes(out.resolve("last.safetensors"));
    byte[] best = Files.readAllBytes(out.resolve("best.safetensors"));

    MainTest.Run diverged = run("train", "mnist-mlp", "--data", data.toString(), "--out", out.toString(), "--epochs", "3",
        "--resume", out.toString(), "--lr", "1e30", "--batch-size", "50", "--threads", "1");
    System.out.println(diverged.out() + diverged.err());
    assertEquals(1, diverged.code(), () -> "exit code; stderr: " + diverged.err());
    assertOneLineError(diverged, "training diverged");
    assertOneLineError(diverged, "epoch 1");
    assertArrayEquals(last, Files.readAllBytes(out.resolve("last.safetensors")), "last.safetensors was overwritten");
    assertArrayEquals(best, Files.readAllBytes(out.resolve("best.safetensors")), "best.safetensors was overwritten");
    assertEquals("1", SafeTensors.read(out.resolve("last.safetensors")).metadata().get("epoch"));
  }

  @Test
  void aDivergenceInTheFirstEpochSavesNothing(@TempDir Path tmp) throws IOException {
    Path data = digits(Files.createDirectory(tmp.resolve("data")), 100);
    Path out = tmp.resolve("out");
    MainTest.Run r = run("train", "mnist-mlp", "--data", data.toString(), "--out", out.toString(), "--epochs", "2",
        "--lr", "1e30", "--batch-size", "50", "--threads", "1");
    assertEquals(1, r.code(), () -> "exit code; stderr: " + r.err());
    assertOneLineError(r, "training diverged");
    assertEquals(false, Files.exists(out.resolve("last.safetensors")));
  }

  /** Weights that went non-finite while the epoch's loss was still finite are not saved over a good checkpoint. */
  @Test
  void aCheckpointOfNonFiniteWeightsIsRefused(@TempDir Path tmp) throws IOException {
    dev.nerve.examples.RunOutput output = dev.nerve.examples.RunOutput.create(tmp, "xor");
    try (dev.nerve.nn.Linear model = new dev.nerve.nn.Linear(2, 2, true, dev.nerve.Device.cpu(), new dev.nerve.Generator(0))) {
      output.checkpoint(model, java.util.Map.of(), 1, 0.5, java.util.Map.of());
      byte[] good = Files.readAllBytes(tmp.resolve("last.safetensors"));
      try (dev.nerve.Grad g = dev.nerve.Grad.off()) {
        model.bias().copyFrom(new float[] {0f, Float.POSITIVE_INFINITY});
      }
      dev.nerve.examples.TrainingDiverged e = org.junit.jupiter.api.Assertions.assertThrows(
          dev.nerve.examples.TrainingDiverged.class, () -> output.checkpoint(model, java.util.Map.of(), 2, 0.9, java.util.Map.of()));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("bias"), e.getMessage());
      assertArrayEquals(good, Files.readAllBytes(tmp.resolve("last.safetensors")));
      org.junit.jupiter.api.Assertions.assertTrue(output.keptCheckpoint().contains("epoch 1"), output.keptCheckpoint());
    }
  }

  @Test
  void aGzipBombAsDataIsAOneLineError(@TempDir Path tmp) throws IOException {
    Path data = digits(Files.createDirectory(tmp.resolve("data")), 10);
    Path bomb = data.resolve("train-images-idx3-ubyte");
    Files.delete(bomb);
    // 1 MB of zeros (about 1 KB compressed) under a header that declares 2.5 million images
    try (DataOutputStream o = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(data.resolve("train-images-idx3-ubyte.gz"))))) {
      o.writeInt(Idx.MAGIC_IMAGES);
      o.writeInt(2_500_000);
      o.writeInt(28);
      o.writeInt(28);
      o.write(new byte[1 << 20]);
    }
    MainTest.Run r = run("train", "mnist-mlp", "--data", data.toString(), "--out", tmp.resolve("out").toString(),
        "--epochs", "1", "--threads", "1");
    assertEquals(1, r.code(), () -> "exit code; stderr: " + r.err());
    assertOneLineError(r, "2,500,000 images of 28x28");
  }
}
