package dev.nerve.examples.data;

import dev.nerve.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A minimal reader for (uncompressed) tar streams: ustar, with the pax {@code path} and GNU
 * long-name extensions, which is everything npm has ever written. Only regular files are
 * returned; directories, links and other entries are skipped. Exists so that extracting an npm
 * package does not depend on a {@code tar} binary being installed.
 */
final class Tar {
    private static final int BLOCK = 512;
    /** The largest Java array (an entry is read into one). */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Tar() {}

    /**
     * Reads the whole tar stream and returns the contents of the regular files whose names
     * {@code wanted} accepts, in archive order.
     *
     * @param origin the file the stream came from, for error messages
     * @throws DataFormatException if the stream is not a well-formed tar archive
     */
    static Map<String, byte[]> extract(InputStream in, Path origin, Predicate<String> wanted) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] header = new byte[BLOCK];
        String longName = null; // from a preceding pax 'x' or GNU 'L' entry
        while (true) {
            int got = in.readNBytes(header, 0, BLOCK);
            if (got == 0) {
                return out; // some writers omit the two zero blocks at the end; accept that
            }
            if (got < BLOCK) {
                throw bad(origin, "ends in the middle of a header block");
            }
            if (isZero(header)) {
                return out;
            }
            checkChecksum(header, origin);
            long size = parseSize(header, origin);
            if (size > MAX_ARRAY) {
                throw bad(origin, "has an entry of " + String.format(Locale.ROOT, "%,d", size) + " bytes, too large");
            }
            char type = (char) header[156];
            String name = longName != null ? longName : name(header);
            longName = null;
            boolean keep = (type == '0' || type == '\0' || type == '7') && wanted.test(name);
            boolean meta = type == 'x' || type == 'L';
            if (keep || meta) {
                byte[] data = in.readNBytes((int) size);
                if (data.length < size) {
                    throw bad(origin, "is truncated inside the entry " + name);
                }
                skipFully(in, padding(size), origin, name);
                if (keep) {
                    out.put(name, data);
                } else if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else {
                    longName = paxPath(data);
                }
            } else {
                skipFully(in, size + padding(size), origin, name);
            }
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        // ustar splits long paths into a 155-byte prefix and the 100-byte name.
        if (h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r') {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    /** The "path" record of a pax extended header ("LEN key=value\n" records), or null. */
    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        int i = 0;
        while (i < s.length()) {
            int sp = s.indexOf(' ', i);
            if (sp < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(s.substring(i, sp));
            } catch (NumberFormatException e) {
                break;
            }
            // LEN counts bytes, but npm's paths are ASCII; tolerate the difference by bounding it.
            int end = Math.min(s.length(), i + len);
            String rec = s.substring(sp + 1, end).stripTrailing();
            if (rec.startsWith("path=")) {
                return rec.substring(5);
            }
            if (len <= 0) {
                break;
            }
            i = end;
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseSize(byte[] h, Path origin) throws DataFormatException {
        if ((h[124] & 0x80) != 0) {
            // GNU base-256 encoding for sizes >= 8 GiB.
            long v = h[124] & 0x7F;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v;
        }
        return parseOctal(h, 124, 12, origin, "size");
    }

    private static long parseOctal(byte[] h, int off, int len, Path origin, String field) throws DataFormatException {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            byte c = h[i];
            if (c == 0 || (c == ' ' && any)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw bad(origin, "has a header whose " + field + " field is not an octal number");
            }
            v = (v << 3) | (c - '0');
            any = true;
        }
        return v;
    }

    private static void checkChecksum(byte[] h, Path origin) throws DataFormatException {
        long expected = parseOctal(h, 148, 8, origin, "checksum");
        long unsigned = 0;
        long signed = 0; // some historic writers summed signed bytes
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : h[i];
            unsigned += b & 0xFF;
            signed += b;
        }
        if (expected != unsigned && expected != signed) {
            throw bad(origin, "has a header block with a wrong checksum (not a tar archive, or corrupt)");
        }
    }

    private static void skipFully(InputStream in, long n, Path origin, String name) throws IOException {
        long left = n;
        byte[] scratch = null;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                // skip() may legitimately return 0; read to tell that apart from end of stream.
                if (scratch == null) {
                    scratch = new byte[8192];
                }
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (r < 0) {
                    throw bad(origin, "is truncated inside the entry " + name);
                }
                s = r;
            }
            left -= s;
        }
    }

    private static DataFormatException bad(Path origin, String problem) {
        return new DataFormatException(origin, origin + " (tar archive) " + problem);
    }
}
