package dev.nerve.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format MNIST is distributed in.
 *
 * <p>Format (all integers big-endian): a 4-byte magic number {@code 00 00 tt nn} where {@code tt}
 * is the element type ({@code 0x08} = unsigned byte, the only type supported here) and {@code nn}
 * the number of dimensions; then {@code nn} 32-bit dimension sizes; then the elements in row-major
 * order. Images are {@code 0x00000803} with dimensions {@code [count, rows, cols]}; labels are
 * {@code 0x00000801} with dimension {@code [count]}.
 *
 * <p>Reading accepts raw files and gzip files alike, decided by the gzip magic bytes {@code 1f 8b}
 * at the start of the file, never by the file name (downloads get renamed, browsers gunzip
 * silently). Everything is validated before it is trusted: the magic number, that the dimensions
 * are positive and their product fits in a Java array, that a gzip file of its size can expand to
 * that many bytes at all (deflate expands at most 1032:1), that the Java heap has room for them
 * (checked before the first allocation, so a gzip bomb is refused with an {@link IOException}
 * naming the file and its dimensions, not an OutOfMemoryError), and that exactly the declared
 * number of bytes follows (no less, no more). Any violation throws {@link DataFormatException} whose message
 * names the file and the problem; a missing file throws {@link FileNotFoundException} naming it;
 * other I/O failures propagate as {@link IOException}.
 *
 * <p>Writing produces raw or gzip output and is atomic: the data goes to a temporary file in the
 * target directory, which is then renamed over the target, so a crash never leaves a half-written
 * file under the real name.
 */
public final class Idx {
    /** Magic number of an unsigned-byte, 3-dimensional IDX file: images {@code [count, rows, cols]}. */
    public static final int MAGIC_IMAGES = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file: labels {@code [count]}. */
    public static final int MAGIC_LABELS = 0x00000801;

    /** Java arrays cannot safely be larger than this (some VMs reserve header words). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final int BUFFER = 1 << 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Idx() {}

    /**
     * A stack of unsigned-byte images as stored in an IDX file.
     *
     * @param count number of images, {@code >= 0}
     * @param rows image height, {@code >= 1}
     * @param cols image width, {@code >= 1}
     * @param pixels {@code count * rows * cols} unsigned bytes (read with {@code b & 0xFF}), image
     *     after image, row after row; not copied, so the caller owns it
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        /** @throws IllegalArgumentException if a dimension is out of range or {@code pixels} has the wrong length */
        public Images {
            Objects.requireNonNull(pixels, "pixels");
            checkArg(count >= 0, "count must be >= 0 but was %s", count);
            checkArg(rows >= 1 && cols >= 1, "rows and cols must be >= 1 but were %sx%s", rows, cols);
            long expected = (long) count * rows * cols;
            checkArg(pixels.length == expected,
                    "pixels must hold count*rows*cols = %s*%s*%s = %s bytes but holds %s",
                    count, rows, cols, expected, pixels.length);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads an image file ({@code 0x00000803}), raw or gzipped.
     *
     * @throws FileNotFoundException if {@code file} does not exist
     * @throws DataFormatException if the file is not a well-formed unsigned-byte image IDX file
     * @throws IOException on other read failures
     */
    public static Images readImages(Path file) throws IOException {
        return readImages(file, 1);
    }

    /**
     * As {@link #readImages(Path)}, for a caller that will hold {@code heapBytesPerPixel} bytes of
     * heap per pixel in all (Mnist: the bytes and their floats, 5), so the size check before the
     * first allocation covers the conversion too.
     */
    static Images readImages(Path file, int heapBytesPerPixel) throws IOException {
        Objects.requireNonNull(file, "file");
        try (Source src = Source.open(file)) {
            int[] dims = src.header(MAGIC_IMAGES);
            int count = dims[0], rows = dims[1], cols = dims[2];
            if (rows == 0 || cols == 0) {
                throw src.error("declares images of " + rows + "x" + cols + " pixels; rows and cols must be at least 1");
            }
            String shape = fmt(count) + " images of " + rows + "x" + cols;
            long total = src.checkSize(shape, (long) count * rows * cols, heapBytesPerPixel); // < 2^62, cannot overflow
            byte[] pixels = src.payload(shape, (int) total);
            return new Images(count, rows, cols, pixels);
        }
    }

    /**
     * Reads a label file ({@code 0x00000801}), raw or gzipped, returning each label as an int in
     * {@code 0..255}. Whether the labels make sense (e.g. 0..9 for MNIST) is the caller's business.
     *
     * @throws FileNotFoundException if {@code file} does not exist
     * @throws DataFormatException if the file is not a well-formed unsigned-byte label IDX file
     * @throws IOException on other read failures
     */
    public static int[] readLabels(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (Source src = Source.open(file)) {
            int count = src.header(MAGIC_LABELS)[0];
            String shape = fmt(count) + " labels";
            src.checkSize(shape, count, 5); // the bytes and the ints
            byte[] bytes = src.payload(shape, count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    /** True if {@code file} starts with the gzip magic bytes {@code 1f 8b}. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** An open IDX file being read, raw or through gunzip, with the bookkeeping for error messages. */
    private static final class Source implements AutoCloseable {
        final Path file;
        final boolean gzip;
        final long fileSize;
        final InputStream in;
        int headerBytes;

        private Source(Path file, boolean gzip, long fileSize, InputStream in) {
            this.file = file;
            this.gzip = gzip;
            this.fileSize = fileSize;
            this.in = in;
        }

        static Source open(Path file) throws IOException {
            if (Files.isDirectory(file)) {
                throw new DataFormatException(file, file + " is a directory, not an IDX file");
            }
            if (!Files.exists(file)) {
                throw new FileNotFoundException(file + " does not exist");
            }
            long size = Files.size(file);
            if (size == 0) {
                throw new DataFormatException(file, file + " is empty (0 bytes); expected an IDX file");
            }
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            try {
                raw.mark(2);
                boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
                raw.reset();
                if (!gzip) {
                    return new Source(file, false, size, raw);
                }
                try {
                    return new Source(file, true, size, new GZIPInputStream(raw, BUFFER));
                } catch (EOFException | ZipException e) {
                    throw new DataFormatException(file,
                            file + " starts like a gzip file but its gzip header is truncated or corrupt (" + e.getMessage() + ")", e);
                }
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        DataFormatException error(String problem) {
            return new DataFormatException(file, file + " " + problem);
        }

        /** Reads up to {@code n} bytes; fewer only at end of data. Turns gzip corruption into DataFormatException. */
        private int readUpTo(byte[] buf, int off, int n) throws IOException {
            int got = 0;
            try {
                while (got < n) {
                    int r = in.read(buf, off + got, n - got);
                    if (r < 0) {
                        break;
                    }
                    got += r;
                }
            } catch (EOFException e) {
                // GZIPInputStream's way of saying the compressed stream was cut off.
                return got;
            } catch (ZipException e) {
                throw new DataFormatException(file, file + " is a corrupt gzip file (" + e.getMessage() + ")", e);
            }
            return got;
        }

        /** Reads and checks the magic number and dimensions; returns the dimensions. */
        int[] header(int expectedMagic) throws IOException {
            int expectedDims = expectedMagic & 0xFF;
            String kind = expectedMagic == MAGIC_IMAGES ? "image" : "label";
            byte[] magic = new byte[4];
            int got = readUpTo(magic, 0, 4);
            if (got < 4) {
                throw error("is truncated: it holds only " + got + " byte" + (got == 1 ? "" : "s")
                        + (gzip ? " after gunzip" : "") + " but an IDX " + kind + " header needs "
                        + (4 + 4 * expectedDims));
            }
            int m = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8) | (magic[3] & 0xFF);
            if (m != expectedMagic) {
                throw error(describeBadMagic(m, magic, expectedMagic, kind));
            }
            byte[] raw = new byte[4 * expectedDims];
            got = readUpTo(raw, 0, raw.length);
            if (got < raw.length) {
                throw error("is truncated: its IDX " + kind + " header needs " + (4 + raw.length)
                        + " bytes but the file" + (gzip ? " (after gunzip)" : "") + " holds only " + (4 + got));
            }
            int[] dims = new int[expectedDims];
            for (int i = 0; i < expectedDims; i++) {
                long d = ((raw[4 * i] & 0xFFL) << 24) | ((raw[4 * i + 1] & 0xFF) << 16)
                        | ((raw[4 * i + 2] & 0xFF) << 8) | (raw[4 * i + 3] & 0xFF);
                if (d > MAX_ARRAY) {
                    throw error("declares dimension " + i + " as " + fmt(d) + ", too large for a Java array;"
                            + " the header is corrupt");
                }
                dims[i] = (int) d;
            }
            headerBytes = 4 + raw.length;
            return dims;
        }

        /**
         * Checks, before anything is allocated, that {@code total} fits an array; for raw files,
         * that the file size matches exactly; for gzip files, that a deflate stream of the file's
         * size can expand to it at all; and that the Java heap has room for {@code heapPerByte}
         * bytes per declared byte (a gzip bomb of a few MB that really holds GBs of zeros is refused
         * here, with the file and its dimensions named, instead of ending in an OutOfMemoryError).
         */
        long checkSize(String shape, long total, int heapPerByte) throws IOException {
            if (total > MAX_ARRAY) {
                throw error("declares " + shape + " = " + fmt(total) + " bytes, more than a Java array can hold;"
                        + " the header is corrupt or the file is too large to load at once");
            }
            if (gzip) {
                long most = HeapRoom.MAX_DEFLATE_RATIO * fileSize;
                if (total > most) {
                    throw error("declares " + shape + " = " + fmt(total) + " bytes, but a gzip file of " + fmt(fileSize)
                            + " bytes can hold at most " + fmt(most) + " (deflate expands at most "
                            + HeapRoom.MAX_DEFLATE_RATIO + ":1); the header is corrupt");
                }
            }
            HeapRoom.require(file, shape, total * heapPerByte);
            if (!gzip) {
                long follow = fileSize - headerBytes;
                if (follow < total) {
                    throw truncated(shape, total, follow);
                }
                if (follow > total) {
                    throw trailing(shape, total, follow - total);
                }
            }
            return total;
        }

        /** Reads exactly {@code total} bytes of payload and checks nothing follows them. */
        byte[] payload(String shape, int total) throws IOException {
            // A gzip header can claim up to 2 GiB while the file holds a few bytes, so grow the
            // buffer as data actually arrives instead of trusting the header with one allocation.
            byte[] buf = new byte[gzip ? Math.min(total, 1 << 20) : total];
            int got = 0;
            while (got < total) {
                if (got == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
                }
                int r = readUpTo(buf, got, buf.length - got);
                got += r;
                if (got < buf.length) {
                    break; // end of data
                }
            }
            if (got < total) {
                throw truncated(shape, total, got);
            }
            long extra = countRest();
            if (extra > 0) {
                throw trailing(shape, total, extra);
            }
            return buf;
        }

        private long countRest() throws IOException {
            byte[] scratch = new byte[8192];
            long n = 0;
            int r;
            while ((r = readUpTo(scratch, 0, scratch.length)) > 0) {
                n += r;
            }
            return n;
        }

        private DataFormatException truncated(String shape, long total, long follow) {
            return error("is truncated: header says " + shape + " (" + fmt(total) + " bytes) but only "
                    + fmt(follow) + " byte" + (follow == 1 ? "" : "s") + " follow" + (follow == 1 ? "s" : "")
                    + (gzip ? " after gunzip" : ""));
        }

        private DataFormatException trailing(String shape, long total, long extra) {
            return error("has " + fmt(extra) + " unexpected trailing byte" + (extra == 1 ? "" : "s")
                    + (gzip ? " (after gunzip)" : "") + " after the " + fmt(total) + " bytes its header declares ("
                    + shape + ")");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String describeBadMagic(int m, byte[] b, int expectedMagic, String kind) {
        String want = "an IDX " + kind + " file (magic " + hex(expectedMagic) + ")";
        if (b[0] == 0 && b[1] == 0) {
            int type = b[2] & 0xFF;
            int dims = b[3] & 0xFF;
            if (m == MAGIC_LABELS || m == MAGIC_IMAGES) {
                String other = m == MAGIC_LABELS ? "label" : "image";
                return "is an IDX " + other + " file (magic " + hex(m) + ") but " + want + " was expected;"
                        + " are the image and label files swapped?";
            }
            if (type != 0x08) {
                return "has IDX element type " + String.format(Locale.ROOT, "0x%02X", type) + " (" + typeName(type)
                        + ", magic " + hex(m) + "); only unsigned bytes (0x08) are supported; expected " + want;
            }
            return "has " + dims + " dimension" + (dims == 1 ? "" : "s") + " (magic " + hex(m) + ") but " + want
                    + " has " + (expectedMagic & 0xFF);
        }
        String hint = "";
        if (b[0] == '<') {
            hint = "; it looks like an HTML or XML page, perhaps a failed download";
        } else if (b[0] == 'P' && b[1] == 'K') {
            hint = "; it looks like a zip archive, extract it first";
        }
        return "is not an IDX file: it starts with bytes " + String.format(Locale.ROOT, "%02x %02x %02x %02x",
                b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF) + " but " + want + " starts with "
                + String.format(Locale.ROOT, "00 00 08 %02x", expectedMagic & 0xFF) + hint;
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x09: return "signed byte";
            case 0x0B: return "short";
            case 0x0C: return "int";
            case 0x0D: return "float";
            case 0x0E: return "double";
            default: return "not a valid IDX type";
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code images} as an IDX image file ({@code 0x00000803}), gzip-compressed if
     * {@code gzip}, atomically replacing {@code file}. The parent directory must exist.
     *
     * @throws IOException if the file cannot be written; {@code file} is then left untouched
     */
    public static void writeImages(Path file, Images images, boolean gzip) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(images, "images");
        writeAtomically(file, gzip, out -> {
            out.writeInt(MAGIC_IMAGES);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        });
    }

    /**
     * Writes {@code labels} (each in {@code 0..255}) as an IDX label file ({@code 0x00000801}),
     * gzip-compressed if {@code gzip}, atomically replacing {@code file}. The parent directory must
     * exist.
     *
     * @throws IllegalArgumentException if a label is outside {@code 0..255}
     * @throws IOException if the file cannot be written; {@code file} is then left untouched
     */
    public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(labels, "labels");
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            checkArg(labels[i] >= 0 && labels[i] <= 255, "labels[%s] = %s is not an unsigned byte (0..255)", i, labels[i]);
            bytes[i] = (byte) labels[i];
        }
        writeAtomically(file, gzip, out -> {
            out.writeInt(MAGIC_LABELS);
            out.writeInt(bytes.length);
            out.write(bytes);
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void writeAtomically(Path file, boolean gzip, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        // Same directory as the target, so the final rename never crosses file systems.
        // Not Files.createTempFile: that makes the file owner-only (0600), and the rename would
        // carry those permissions over; CREATE_NEW gives the usual umask-based permissions.
        Path tmp;
        FileChannel channel;
        while (true) {
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                break;
            } catch (FileAlreadyExistsException e) {
                // another writer picked the same name; draw again
            }
        }
        boolean done = false;
        try {
            try (FileChannel ch = channel) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
                if (gzip) {
                    os = new GZIPOutputStream(os, BUFFER);
                }
                DataOutputStream out = new DataOutputStream(os);
                body.write(out);
                out.flush();
                if (os instanceof GZIPOutputStream) {
                    ((GZIPOutputStream) os).finish();
                }
                os.flush();
                // Make the bytes durable before the rename makes them visible under the real name.
                ch.force(true);
                out.close(); // releases the Deflater's native memory; the channel is closed twice, harmlessly
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String hex(int magic) {
        return String.format(Locale.ROOT, "0x%08X", magic);
    }

    static void checkArg(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }
}
