package dev.nerve.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file exists and could be read, but its contents are not what they claim to be: a wrong
 * IDX magic number, impossible dimensions, truncated or trailing bytes, a corrupt gzip stream,
 * labels out of range, or image and label files that disagree.
 *
 * <p>It is an {@link IOException} on purpose: every method in this package that reads a file
 * already declares {@code IOException}, so a caller that wants to print "cannot load the data"
 * catches one type, while a caller that wants to tell "the file is broken" from "the disk failed"
 * catches this one first. The message always names the file and says what is wrong, so it can be
 * shown to a user as is.
 */
public final class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the offending file; never null
     * @param message a complete, user-facing message that already names {@code file}
     */
    public DataFormatException(Path file, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.file = Objects.requireNonNull(file, "file");
    }

    /** As {@link #DataFormatException(Path, String)}, keeping the low-level cause (e.g. a ZipException). */
    public DataFormatException(Path file, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The file whose contents are malformed. */
    public Path file() {
        return file;
    }
}
