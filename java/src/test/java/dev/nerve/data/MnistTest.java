package dev.nerve.data;

import static dev.nerve.data.IdxTest.gzip;
import static dev.nerve.data.IdxTest.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    @TempDir
    Path dir;

    /** Writes a small MNIST-like directory: n images of 3x2 and labels i % 10, some files gzipped. */
    private void writeSet(Path d, String prefix, int n, boolean gz) throws IOException {
        byte[] px = new byte[n * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 256);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        String imagesName = prefix + "-images-idx3-ubyte" + (gz ? ".gz" : "");
        String labelsName = prefix + "-labels-idx1-ubyte" + (gz ? ".gz" : "");
        byte[] images = idx(Idx.MAGIC_IMAGES, new int[] {n, 3, 2}, px);
        byte[] lab = idx(Idx.MAGIC_LABELS, new int[] {n}, labels);
        Files.write(d.resolve(imagesName), gz ? gzip(images) : images);
        Files.write(d.resolve(labelsName), gz ? gzip(lab) : lab);
    }

    private static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- load

    @Test
    void loadsRawAndGzip() throws IOException {
        writeSet(dir, "train", 50, true);
        writeSet(dir, "t10k", 20, false);
        Mnist m = Mnist.load(dir);
        assertEquals(50, m.train().size());
        assertEquals(20, m.test().size());
        assertEquals(3, m.train().rows());
        assertEquals(2, m.train().cols());
        assertEquals(6, m.train().pixelsPerImage());
        assertEquals(50 * 6, m.train().images().length);
        assertEquals(0f, m.train().images()[0]);
        assertEquals(1f / 255, m.train().images()[1], 1e-7);
        assertEquals(1f, m.train().images()[255]);
        assertEquals(7, m.test().labels()[17]);
        assertMessage(new Exception(m.source()), dir.toString(), "50 train / 20 test");
        assertMessage(new Exception(m.train().source()), "train-images-idx3-ubyte.gz");
    }

    @Test
    void acceptsDottedNamesFromMirrors() throws IOException {
        writeSet(dir, "train", 10, false);
        writeSet(dir, "t10k", 10, true);
        Files.move(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-images.idx3-ubyte.gz"));
        assertEquals(10, Mnist.load(dir).test().size());
    }

    @Test
    void missingFileListsTheExpectedNames() throws IOException {
        writeSet(dir, "train", 10, false);
        writeSet(dir, "t10k", 10, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Mnist.load(dir));
        assertMessage(e, dir.toString(), "has no t10k-labels-idx1-ubyte[.gz]", "train-images-idx3-ubyte[.gz]",
                "train-labels-idx1-ubyte[.gz]", "t10k-images-idx3-ubyte[.gz]", "contains: t10k-images-idx3-ubyte.gz");
    }

    @Test
    void missingDirectory() {
        Path nowhere = dir.resolve("no-such-dir");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Mnist.load(nowhere));
        assertMessage(e, nowhere.toString(), "does not exist", "train-images-idx3-ubyte[.gz]",
                "t10k-labels-idx1-ubyte[.gz]");
    }

    @Test
    void countMismatch() throws IOException {
        writeSet(dir, "train", 10, false);
        writeSet(dir, "t10k", 10, false);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        Files.write(labels, idx(Idx.MAGIC_LABELS, new int[] {9}, new byte[9]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.load(dir));
        assertEquals(labels, e.file());
        assertMessage(e, "MNIST: ", dir.resolve("train-images-idx3-ubyte") + " holds 10 images", labels + " holds 9 labels");
    }

    @Test
    void labelOutOfRange() throws IOException {
        writeSet(dir, "train", 10, false);
        writeSet(dir, "t10k", 10, false);
        byte[] bad = new byte[10];
        bad[4] = 10;
        Path labels = dir.resolve("t10k-labels-idx1-ubyte");
        Files.write(labels, idx(Idx.MAGIC_LABELS, new int[] {10}, bad));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.load(dir));
        assertEquals(labels, e.file());
        assertMessage(e, labels.toString(), "label 10 at index 4", "0..9");
    }

    @Test
    void emptyAndTruncatedFilesThroughLoad() throws IOException {
        writeSet(dir, "train", 10, true);
        writeSet(dir, "t10k", 10, false);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        Files.write(images, new byte[0]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.load(dir));
        assertMessage(e, "MNIST: " + images + " is empty");
        Files.write(images, Arrays.copyOf(idx(Idx.MAGIC_IMAGES, new int[] {10, 3, 2}, new byte[60]), 16 + 59));
        e = assertThrows(DataFormatException.class, () -> Mnist.load(dir));
        assertEquals(images, e.file());
        assertMessage(e, "MNIST: " + images + " is truncated: header says 10 images of 3x2 (60 bytes) but only 59 bytes follow");
    }

    @Test
    void trainAndTestSizesMustAgree() throws IOException {
        writeSet(dir, "train", 10, false);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(Idx.MAGIC_IMAGES, new int[] {1, 2, 3}, new byte[6]));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(Idx.MAGIC_LABELS, new int[] {1}, new byte[1]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.load(dir));
        assertMessage(e, "are 3x2", "are 2x3");
    }

    @Test
    void splitChecksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> new MnistSplit(new float[6], new int[] {10}, 2, 3, "x"));
        assertThrows(IllegalArgumentException.class, () -> new MnistSplit(new float[5], new int[] {1}, 2, 3, "x"));
    }

    @Test
    void sourceStringsDiffer() throws IOException {
        writeSet(dir, "train", 10, false);
        writeSet(dir, "t10k", 10, false);
        Mnist m = Mnist.load(dir);
        assertNotEquals(m.train().source(), m.test().source());
        assertSame(m.train(), m.train());
    }
}
