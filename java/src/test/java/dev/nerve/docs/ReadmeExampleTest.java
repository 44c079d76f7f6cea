package dev.nerve.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Idx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's example on small generated digits: each class is a bright band at its own rows. */
class ReadmeExampleTest {
  static void writeDigits(Path dir, String prefix, int count, long seed) throws Exception {
    Random r = new Random(seed);
    byte[] pixels = new byte[count * 784];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = r.nextInt(10);
      for (int p = 0; p < 784; p++) {
        int row = p / 28;
        boolean band = row >= 2 + 2 * labels[i] && row < 4 + 2 * labels[i];
        pixels[i * 784 + p] = (byte) (band ? 200 + r.nextInt(56) : r.nextInt(60));
      }
    }
    Idx.writeImages(dir.resolve(prefix + "-images-idx3-ubyte"), new Idx.Images(count, 28, 28, pixels), false);
    Idx.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte"), labels, false);
  }

  @Test
  void readmeExampleTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
    writeDigits(dir, "train", 512, 1);
    writeDigits(dir, "t10k", 200, 2);
    PrintStream old = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ReadmeExample.main(new String[] {dir.toString()});
    } finally {
      System.setOut(old);
    }
    String out = captured.toString(StandardCharsets.UTF_8).strip();
    float accuracy = Float.parseFloat(out.replaceAll("accuracy ([0-9.,]+)%", "$1").replace(',', '.'));
    assertTrue(accuracy >= 95, out);
    assertTrue(Files.size(dir.resolve("mlp.safetensors")) > 784 * 256 * 4, "checkpoint written");
  }
}
