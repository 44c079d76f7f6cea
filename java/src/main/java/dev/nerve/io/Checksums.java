package dev.nerve.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The checksums {@link SafeTensors#write} keeps in a file's {@code "__metadata__"} (string values,
 * as the format requires, so the file stays plain safetensors) and {@link SafeTensors#read}
 * verifies.
 *
 * <pre>
 * "crc32c:NAME"          for each tensor NAME: CRC32C of  str(NAME) str(DTYPE) u32(rank) u64(dim)...
 *                        u64(begin) u64(end)  followed by the tensor's bytes
 * "crc32c:__metadata__"  CRC32C of every other metadata entry (the tensor checksums included),
 *                        sorted by the key's UTF-8 bytes, each as  str(key) str(value)
 * </pre>
 *
 * where str(s) is u32(length of s in UTF-8) then s in UTF-8, integers are little-endian and
 * offsets count from the start of the data section, as in the header. Values are 8 lowercase hex
 * digits. So every byte of the data and of the metadata is covered, each tensor's checksum binds
 * its name, dtype, shape and offsets (a renamed key or offsets swapped between two tensors of the
 * same size no longer match), and the metadata checksum binds the set of tensors (a tensor checksum
 * cannot be dropped or added without it changing). The metadata's order does not matter, so
 * rewriting the JSON in another key order or spacing keeps the file valid.
 *
 * <p>Why CRC32C rather than a 64-bit or cryptographic hash: the checksums guard against accidents
 * (a flipped bit on disk or in transfer, a truncated copy, a hand edit), not against someone who
 * edits the file on purpose and recomputes them, which no unkeyed checksum can stop. CRC32C detects
 * every error burst of up to 32 bits and every odd number of flipped bits outright, lets a random
 * change through with probability 2^-32 per tensor, and {@link CRC32C} is a JDK intrinsic
 * (SSE4.2 / ARMv8 CRC instructions) that runs at several GB/s, so verifying costs less than reading
 * the file. A tool in another language needs a table-driven CRC32C (Castagnoli polynomial
 * 0x82F63B78, reflected; Python's {@code crc32c} package, Rust's {@code crc32c} crate).
 */
final class Checksums {
  /** The prefix of every checksum key; a file holding any such key must hold them all. */
  static final String PREFIX = "crc32c:";
  /** The key of the metadata's own checksum ("__metadata__" is never a tensor name). */
  static final String METADATA_KEY = PREFIX + "__metadata__";

  private Checksums() {}

  static boolean isKey(String metadataKey) {
    return metadataKey.startsWith(PREFIX);
  }

  /** The checksum of one tensor: its description (name, dtype, shape, offsets) and its bytes. */
  static int tensor(String name, String dtype, long[] shape, long begin, long end, byte[] data) {
    byte[] n = utf8(name);
    byte[] d = utf8(dtype);
    ByteBuffer b = ByteBuffer.allocate(4 + n.length + 4 + d.length + 4 + 8 * shape.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(n.length).put(n).putInt(d.length).put(d).putInt(shape.length);
    for (long s : shape) b.putLong(s);
    b.putLong(begin).putLong(end);
    CRC32C crc = new CRC32C();
    crc.update(b.array());
    crc.update(data);
    return (int) crc.getValue();
  }

  /** The checksum of the metadata: every entry but {@link #METADATA_KEY}, in UTF-8 byte order of the keys. */
  static int metadata(Map<String, String> metadata) {
    List<byte[][]> entries = new ArrayList<>();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (!e.getKey().equals(METADATA_KEY)) entries.add(new byte[][] {utf8(e.getKey()), utf8(e.getValue())});
    }
    entries.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    CRC32C crc = new CRC32C();
    ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[][] e : entries) {
      for (byte[] s : e) {
        crc.update(len.putInt(0, s.length).array());
        crc.update(s);
      }
    }
    return (int) crc.getValue();
  }

  static String hex(int crc) {
    return String.format("%08x", crc);
  }

  /** The value of a checksum entry, or null when it is not exactly 8 lowercase hex digits. */
  static Integer parse(String value) {
    if (value.length() != 8) return null;
    for (int i = 0; i < 8; i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return null;
    }
    return Integer.parseUnsignedInt(value, 16);
  }

  /**
   * s in UTF-8, refusing a lone surrogate (which String.getBytes would turn into '?', so two
   * different names could hash alike).
   *
   * @throws IllegalArgumentException for a string that is not valid Unicode
   */
  static byte[] utf8(String s) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
      return Arrays.copyOf(b.array(), b.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("'" + s + "' is not valid Unicode (a lone surrogate)");
    }
  }
}
