package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    /** Builds IDX bytes by hand, independently of Idx's writer. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length); // big-endian by default
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(raw);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** Asserts a DataFormatException for {@code file} whose message names the file and contains each fragment. */
    private static DataFormatException assertBad(Path file, ThrowingRunnable r, String... fragments) {
        DataFormatException e = assertThrows(DataFormatException.class, r::run);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), () -> "message does not name the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
        }
        return e;
    }

    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void imagesRoundTripRawAndGzip() throws IOException {
        Idx.Images images = new Idx.Images(3, 4, 5, ramp(60));
        for (boolean gz : new boolean[] {false, true}) {
            // Deliberately misleading names: the content, not the name, must decide.
            Path f = dir.resolve(gz ? "images-raw-looking" : "images.gz");
            Idx.writeImages(f, images, gz);
            assertEquals(gz, Idx.isGzip(f));
            Idx.Images back = Idx.readImages(f);
            assertEquals(3, back.count());
            assertEquals(4, back.rows());
            assertEquals(5, back.cols());
            assertArrayEquals(images.pixels(), back.pixels());
        }
        assertArrayEquals(idx(Idx.MAGIC_IMAGES, new int[] {3, 4, 5}, ramp(60)),
                Files.readAllBytes(dir.resolve("images.gz")), "raw output is exactly the IDX layout");
    }

    @Test
    void labelsRoundTripRawAndGzip() throws IOException {
        int[] labels = {0, 9, 255, 3, 128};
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve("labels" + gz);
            Idx.writeLabels(f, labels, gz);
            assertEquals(gz, Idx.isGzip(f));
            assertArrayEquals(labels, Idx.readLabels(f));
        }
    }

    @Test
    void zeroImagesRoundTrip() throws IOException {
        Path f = dir.resolve("empty-set");
        Idx.writeImages(f, new Idx.Images(0, 28, 28, new byte[0]), true);
        assertEquals(0, Idx.readImages(f).count());
    }

    @Test
    void writeIsAtomicAndReplaces() throws IOException {
        Path f = dir.resolve("labels");
        Idx.writeLabels(f, new int[] {1, 2, 3}, false);
        Idx.writeLabels(f, new int[] {4}, true);
        assertArrayEquals(new int[] {4}, Idx.readLabels(f));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void writeRejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Idx.writeLabels(dir.resolve("l"), new int[] {1, 256}, false));
        assertTrue(e.getMessage().contains("labels[1] = 256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Idx.Images(2, 2, 2, new byte[7]));
        assertTrue(e.getMessage().contains("8 bytes but holds 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Idx.Images(1, 0, 2, new byte[0]));
    }

    // ---------------------------------------------------------------- malformed input

    @Test
    void missingFile() {
        Path f = dir.resolve("nope-idx3-ubyte");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path f = file("empty", new byte[0]);
        assertBad(f, () -> Idx.readImages(f), "is empty");
        assertBad(f, () -> Idx.readLabels(f), "is empty");
    }

    @Test
    void emptyAfterGunzip() throws IOException {
        Path f = file("empty.gz", gzip(new byte[0]));
        assertBad(f, () -> Idx.readImages(f), "is truncated", "0 bytes after gunzip");
    }

    @Test
    void wrongMagic() throws IOException {
        Path labels = file("labels", idx(Idx.MAGIC_LABELS, new int[] {2}, new byte[2]));
        assertBad(labels, () -> Idx.readImages(labels), "is an IDX label file", "0x00000801", "0x00000803");
        Path images = file("images", idx(Idx.MAGIC_IMAGES, new int[] {1, 1, 1}, new byte[1]));
        assertBad(images, () -> Idx.readLabels(images), "is an IDX image file", "0x00000801");
        Path floats = file("floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));
        assertBad(floats, () -> Idx.readImages(floats), "element type 0x0D", "float");
        Path twoDims = file("twodims", idx(0x00000802, new int[] {1, 1}, new byte[1]));
        assertBad(twoDims, () -> Idx.readImages(twoDims), "has 2 dimensions");
        Path html = file("html", "<!DOCTYPE html><html>Not Found</html>".getBytes(StandardCharsets.US_ASCII));
        assertBad(html, () -> Idx.readImages(html), "is not an IDX file", "3c 21 44 4f", "failed download");
        Path htmlGz = file("html.gz", gzip("<html>".getBytes(StandardCharsets.US_ASCII)));
        assertBad(htmlGz, () -> Idx.readLabels(htmlGz), "is not an IDX file");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path f = file("short", new byte[] {0, 0, 8});
        assertBad(f, () -> Idx.readImages(f), "is truncated", "only 3 bytes", "needs 16");
        Path g = file("short2", Arrays.copyOf(idx(Idx.MAGIC_IMAGES, new int[] {1, 28, 28}, new byte[0]), 10));
        assertBad(g, () -> Idx.readImages(g), "is truncated", "needs 16 bytes", "only 10");
    }

    @Test
    void truncatedImages() throws IOException {
        byte[] whole = idx(Idx.MAGIC_IMAGES, new int[] {3, 28, 28}, ramp(3 * 784));
        byte[] cut = Arrays.copyOf(whole, whole.length - 100);
        Path raw = file("train-images-idx3-ubyte", cut);
        assertBad(raw, () -> Idx.readImages(raw), "is truncated", "header says 3 images of 28x28 (2,352 bytes)",
                "only 2,252 bytes follow");
        Path gz = file("train-images-idx3-ubyte.gz", gzip(cut));
        assertBad(gz, () -> Idx.readImages(gz), "is truncated", "only 2,252 bytes follow after gunzip");
        // The gzip stream itself cut off mid-way, as an interrupted download leaves it.
        byte[] z = gzip(whole);
        Path gzCut = file("cut.gz", Arrays.copyOf(z, z.length / 2));
        assertBad(gzCut, () -> Idx.readImages(gzCut), "is truncated", "after gunzip");
    }

    @Test
    void truncatedLabels() throws IOException {
        byte[] cut = Arrays.copyOf(idx(Idx.MAGIC_LABELS, new int[] {60000}, new byte[60000]), 8 + 59999);
        Path raw = file("train-labels-idx1-ubyte", cut);
        assertBad(raw, () -> Idx.readLabels(raw), "is truncated", "header says 60,000 labels", "only 59,999 bytes");
        Path gz = file("train-labels-idx1-ubyte.gz", gzip(cut));
        assertBad(gz, () -> Idx.readLabels(gz), "is truncated", "only 59,999 bytes follow after gunzip");
    }

    @Test
    void trailingData() throws IOException {
        byte[] extra = idx(Idx.MAGIC_LABELS, new int[] {2}, new byte[5]);
        Path raw = file("labels", extra);
        assertBad(raw, () -> Idx.readLabels(raw), "3 unexpected trailing bytes", "2 labels");
        Path gz = file("labels.gz", gzip(idx(Idx.MAGIC_IMAGES, new int[] {1, 2, 2}, new byte[5])));
        assertBad(gz, () -> Idx.readImages(gz), "1 unexpected trailing byte (after gunzip)", "1 images of 2x2");
    }

    @Test
    void impossibleSizes() throws IOException {
        // 10^8 images of 28x28 overflows an int (and a naive int multiplication); header only, no data.
        Path big = file("big", idx(Idx.MAGIC_IMAGES, new int[] {100_000_000, 28, 28}, new byte[0]));
        assertBad(big, () -> Idx.readImages(big), "more than a Java array can hold", "100,000,000 images of 28x28",
                "78,400,000,000 bytes");
        Path bigGz = file("big.gz", gzip(Files.readAllBytes(big)));
        assertBad(bigGz, () -> Idx.readImages(bigGz), "more than a Java array can hold");
        // A dimension with the top bit set (would be negative as a Java int).
        Path neg = file("neg", idx(Idx.MAGIC_IMAGES, new int[] {-1, 28, 28}, new byte[0]));
        assertBad(neg, () -> Idx.readImages(neg), "dimension 0 as 4,294,967,295");
        Path zero = file("zero", idx(Idx.MAGIC_IMAGES, new int[] {5, 0, 28}, new byte[0]));
        assertBad(zero, () -> Idx.readImages(zero), "images of 0x28 pixels");
        // A gzip file whose header claims ~1 GB but which holds nothing must fail fast, not allocate 1 GB.
        Path liar = file("liar.gz", gzip(idx(Idx.MAGIC_LABELS, new int[] {1_000_000_000}, new byte[10])));
        assertBad(liar, () -> Idx.readLabels(liar), "1,000,000,000 labels", "can hold at most");
        // Declared sizes a gzip file of its size could hold, but the data is short: read, then refused.
        Path shortGz = file("short.gz", gzip(idx(Idx.MAGIC_LABELS, new int[] {20_000}, new byte[10])));
        assertBad(shortGz, () -> Idx.readLabels(shortGz), "is truncated", "20,000 labels", "only 10 bytes");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] z = gzip(idx(Idx.MAGIC_LABELS, new int[] {1000}, ramp(1000)));
        for (int i = 12; i < z.length - 8; i++) {
            z[i] ^= 0x5A; // scramble the deflate data
        }
        Path f = file("corrupt.gz", z);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readLabels(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        Path header = file("header.gz", new byte[] {0x1f, (byte) 0x8b, 8});
        assertBad(header, () -> Idx.readLabels(header), "gzip header is truncated or corrupt");
    }

    @Test
    void directoryIsNotAFile() {
        assertBad(dir, () -> Idx.readImages(dir), "is a directory");
    }
}
