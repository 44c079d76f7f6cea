package dev.nerve.data;

import static dev.nerve.data.Idx.checkArg;

import java.util.Objects;

/**
 * One half of an MNIST-style data set (training or test): {@link #size()} grey-scale images of
 * {@link #rows()} x {@link #cols()} pixels with one class label each.
 *
 * <p>{@link #images()} is a flat array of {@code size * rows * cols} floats in {@code [0, 1]}
 * (the unsigned byte divided by 255; 0 is background, 1 is ink), image after image, each row-major.
 * {@link #labels()} holds {@code size} ints in {@code 0..9}. Both arrays are returned without
 * copying because they are large; callers must not modify them.
 */
public final class MnistSplit {
    /** Number of classes; labels are {@code 0..CLASSES-1}. */
    public static final int CLASSES = 10;

    private final float[] images;
    private final int[] labels;
    private final int rows;
    private final int cols;
    private final String source;

    /**
     * @param images {@code labels.length * rows * cols} pixels in {@code [0, 1]}
     * @param labels one label in {@code 0..9} per image
     * @param source a human-readable description of where the data came from
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range (pixels
     *     are not scanned, for speed; the loaders in this package guarantee the range)
     */
    public MnistSplit(float[] images, int[] labels, int rows, int cols, String source) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(source, "source");
        checkArg(rows >= 1 && cols >= 1, "rows and cols must be >= 1 but were %sx%s", rows, cols);
        checkArg((long) labels.length * rows * cols == images.length,
                "images must hold labels.length*rows*cols = %s*%s*%s floats but holds %s",
                labels.length, rows, cols, images.length);
        for (int i = 0; i < labels.length; i++) {
            checkArg(labels[i] >= 0 && labels[i] < CLASSES, "labels[%s] = %s is not in 0..9", i, labels[i]);
        }
        this.images = images;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.source = source;
    }

    /** Converts unsigned-byte pixels to floats in {@code [0, 1]}. Labels must already be validated. */
    static MnistSplit of(Idx.Images images, int[] labels, String source) {
        byte[] px = images.pixels();
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            f[i] = (px[i] & 0xFF) / 255f;
        }
        return new MnistSplit(f, labels, images.rows(), images.cols(), source);
    }

    /** The same data with another description (no copy). */
    public MnistSplit withSource(String newSource) {
        return new MnistSplit(images, labels, rows, cols, newSource);
    }

    /** All pixels, {@code size() * rows() * cols()} floats in {@code [0, 1]}; not copied, do not modify. */
    public float[] images() {
        return images;
    }

    /** One label in {@code 0..9} per image; not copied, do not modify. */
    public int[] labels() {
        return labels;
    }

    /** Number of images (and labels). */
    public int size() {
        return labels.length;
    }

    /** Image height in pixels (28 for MNIST). */
    public int rows() {
        return rows;
    }

    /** Image width in pixels (28 for MNIST). */
    public int cols() {
        return cols;
    }

    /** Pixels per image, {@code rows() * cols()} (784 for MNIST). */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Where the data came from, for humans (e.g. file names). */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MnistSplit[" + Idx.fmt(size()) + " images of " + rows + "x" + cols + " from " + source + "]";
    }
}
