package dev.nerve.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The bound a reader checks declared sizes against before it allocates: what the Java heap can
 * still take. A header is only a claim; reading past this bound would end in an OutOfMemoryError
 * half-way through the file, so the file is refused up front, naming it and what it declares.
 */
final class HeapRoom {
  /** Deflate emits at least 2 bits per 258-byte match, so a byte of gzip expands to at most ~1032. */
  static final long MAX_DEFLATE_RATIO = 1032;

  private HeapRoom() {}

  /** Throws when bytes more than the heap has free (after one collection, so garbage does not count). */
  static void require(Path file, String shape, long bytes) throws IOException {
    if (bytes <= free()) return;
    System.gc();
    long free = free();
    if (bytes <= free) return;
    throw new IOException(String.format("%s declares %s: loading it needs %,d bytes of Java heap, more than the %,d"
        + " bytes free (-Xmx %,d); give java a larger -Xmx, or the header is wrong", file, shape, bytes, free,
        Runtime.getRuntime().maxMemory()));
  }

  private static long free() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }
}
