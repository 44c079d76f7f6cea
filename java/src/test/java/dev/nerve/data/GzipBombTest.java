package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX files that are small on disk but declare (and may really hold) more data than the Java heap
 * can take: the reader refuses them before allocating, with an IOException naming the file and the
 * declared dimensions, never an OutOfMemoryError.
 */
class GzipBombTest {
  @TempDir
  Path dir;

  /** A gzip file with an IDX header for dims and then `zeros` zero bytes of payload. */
  private static Path bomb(Path file, int magic, int[] dims, long zeros) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        };
        DataOutputStream out = new DataOutputStream(gz)) {
      out.writeInt(magic);
      for (int d : dims) out.writeInt(d);
      byte[] block = new byte[1 << 20];
      for (long left = zeros; left > 0; left -= block.length) out.write(block, 0, (int) Math.min(block.length, left));
    }
    return file;
  }

  private static void assertMessage(Exception e, String... fragments) {
    System.out.println(e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
    }
  }

  /**
   * A real bomb: 1.5 GB of pixels that are really there (about 1.5 MB compressed), 6 GB as floats.
   * Before the fix Mnist.load read it all and died converting it to floats (OutOfMemoryError).
   */
  @Test
  void mnistLoadRefusesImagesTheHeapCannotHold() throws IOException {
    int count = (int) (Runtime.getRuntime().maxMemory() / (28 * 28 * 4)) + 1000;  // its floats exceed the heap
    bomb(dir.resolve("train-images-idx3-ubyte.gz"), Idx.MAGIC_IMAGES, new int[] {count, 28, 28}, (long) count * 784);
    bomb(dir.resolve("train-labels-idx1-ubyte.gz"), Idx.MAGIC_LABELS, new int[] {count}, count);
    bomb(dir.resolve("t10k-images-idx3-ubyte.gz"), Idx.MAGIC_IMAGES, new int[] {1, 28, 28}, 784);
    bomb(dir.resolve("t10k-labels-idx1-ubyte.gz"), Idx.MAGIC_LABELS, new int[] {1}, 1);
    System.out.println("bomb: " + Files.size(dir.resolve("train-images-idx3-ubyte.gz")) + " bytes on disk declare "
        + (long) count * 784 + " pixels");
    IOException e = assertThrows(IOException.class, () -> Mnist.load(dir));
    assertMessage(e, "train-images-idx3-ubyte.gz", String.format("%,d images of 28x28", count), "heap");
  }

  /** The same through the plain reader: bytes alone beyond the heap are refused before reading. */
  @Test
  void readImagesRefusesMoreBytesThanTheHeapHas() throws IOException {
    long heap = Runtime.getRuntime().maxMemory();
    int count = (int) Math.min(Idx.MAX_ARRAY / 784, heap / 784 + 1000);
    if ((long) count * 784 <= heap) return;  // a heap larger than a Java array: nothing to refuse here
    Path f = bomb(dir.resolve("images.gz"), Idx.MAGIC_IMAGES, new int[] {count, 28, 28}, 1 << 20);
    IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
    assertMessage(e, "images.gz", String.format("%,d images of 28x28", count), "heap");
  }

  /** Declared sizes that a gzip file of its size cannot hold are refused from the header alone. */
  @Test
  void declaredSizeBeyondWhatTheCompressedFileCanHold() throws IOException {
    Path f = bomb(dir.resolve("labels.gz"), Idx.MAGIC_LABELS, new int[] {2_000_000_000}, 10_000_000);
    DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readLabels(f));
    assertMessage(e, "labels.gz", "2,000,000,000 labels", "can hold at most");
    Path g = bomb(dir.resolve("images.gz"), Idx.MAGIC_IMAGES, new int[] {2_000_000, 28, 28}, 784);
    e = assertThrows(DataFormatException.class, () -> Idx.readImages(g));
    assertMessage(e, "images.gz", "2,000,000 images of 28x28", "can hold at most");
  }
}
