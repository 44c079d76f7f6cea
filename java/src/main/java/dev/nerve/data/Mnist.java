package dev.nerve.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The MNIST handwritten-digit data set: a training split and a test split of 28x28 grey-scale
 * images with labels 0..9, as plain arrays (see {@link MnistSplit}).
 *
 * <p>{@link #load(Path)} reads the four standard IDX files (60,000 training and 10,000 test images
 * when they are the real thing) from a directory. (The {@code nerve} command line, in the
 * examples, also fetches a 10,000-digit subset through npm when given no directory; the library
 * itself only reads files.)
 *
 * <p>{@link #load(Path)} throws {@link FileNotFoundException} when a file or directory is
 * missing, {@link DataFormatException} when a file is malformed or the files disagree with each
 * other, and plain {@link IOException} on other read failures. Every message names the file
 * concerned and can be shown to a user as is.
 */
public final class Mnist {
    /** The four file names {@link #load(Path)} looks for, each also accepted with a {@code .gz} suffix. */
    public static final List<String> EXPECTED_FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final String EXPECTED_FILES_TEXT =
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

    /**
     * A data set of two splits obtained some other way (e.g. converted from another format), with
     * a one-line description of where it came from.
     */
    public static Mnist of(MnistSplit train, MnistSplit test, String source) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
        return new Mnist(train, test, source);
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
            images = Idx.readImages(imagesFile, 5); // the bytes, then their floats (MnistSplit.of)
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
}
