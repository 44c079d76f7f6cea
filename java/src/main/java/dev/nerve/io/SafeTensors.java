package dev.nerve.io;

import dev.nerve.DType;
import dev.nerve.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file format (huggingface/safetensors), read and written without dependencies:
 *
 * <pre>
 * [8 bytes]  N, the header length, unsigned little-endian
 * [N bytes]  UTF-8 JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 *                         "__metadata__": {"key": "value", ...}}   (padded with spaces to 8-byte alignment)
 * [rest]     the tensors' bytes, little-endian, row-major; offsets count from the start of this section
 * </pre>
 *
 * <p>{@link #write} is atomic: it writes a temporary file in the target's folder, forces it to
 * disk, renames it over the target and forces the folder, so a crash leaves either the old file
 * or the new one, never a mix. It also puts a CRC32C checksum of every tensor and one of the
 * metadata into {@code "__metadata__"} ({@code "crc32c:NAME"}, {@code "crc32c:__metadata__"};
 * see {@link Checksums} for the exact bytes covered), so the file stays standard safetensors that
 * any reader loads. {@link #read} checks everything (header length, JSON, dtypes, shapes against
 * byte counts, offsets in range, contiguous and covering the data section exactly) and, when the
 * file carries checksums, verifies every one of them, so a changed byte anywhere is refused; it
 * throws {@link CheckpointException} naming the file and the fault. A file without checksums (from
 * another tool, or an older Nerve) is read with the structural checks only, and
 * {@link #checksummed()} says so.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SafeTensors {
  /** Largest header accepted (the reference implementation's limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA = "__metadata__";
  private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
      Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1),
      Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
      Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
      Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

  /** One tensor of a file: its dtype name ("F32", "I32", ...), shape and raw little-endian bytes. */
  public static final class Entry {
    private final String name;
    private final String dtype;
    private final long[] shape;
    private final byte[] data;

    Entry(String name, String dtype, long[] shape, byte[] data) {
      this.name = name;
      this.dtype = dtype;
      this.shape = shape;
      this.data = data;
    }

    /** The tensor's name in the file. */
    public String name() {
      return name;
    }

    /** The safetensors dtype name: "F32", "I32", ... */
    public String dtype() {
      return dtype;
    }

    /** The shape (a copy). */
    public long[] shape() {
      return shape.clone();
    }

    /** The number of elements. */
    public long numel() {
      long n = 1;
      for (long s : shape) n *= s;
      return n;
    }

    /** The values of an F32 tensor. */
    public float[] floats() {
      if (!dtype.equals("F32")) throw new IllegalStateException("safetensors: tensor '" + name + "' is " + dtype + ", not F32");
      float[] out = new float[data.length / 4];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }

    /** The values of an I32 tensor. */
    public int[] ints() {
      if (!dtype.equals("I32")) throw new IllegalStateException("safetensors: tensor '" + name + "' is " + dtype + ", not I32");
      int[] out = new int[data.length / 4];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
      return out;
    }

    /** A copy of the raw bytes. */
    public byte[] bytes() {
      return data.clone();
    }

    @Override
    public String toString() {
      return name + " " + dtype + " " + Arrays.toString(shape);
    }
  }

  private final Path source;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;
  private final boolean checksummed;

  private SafeTensors(Path source, Map<String, Entry> entries, Map<String, String> metadata, boolean checksummed) {
    this.source = source;
    this.entries = Collections.unmodifiableMap(entries);
    this.metadata = Collections.unmodifiableMap(metadata);
    this.checksummed = checksummed;
  }

  /** The file this was read from. */
  public Path source() {
    return source;
  }

  /** The tensors by name, in the header's order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The header's "__metadata__" without the checksum entries ("crc32c:..."); empty when absent. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Whether the file carried checksums, all of which matched (a file with a wrong or missing one
   * is not read at all). False for files written by other tools: only their structure was checked.
   */
  public boolean checksummed() {
    return checksummed;
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes tensors (f32 as F32, i32 as I32) and string metadata to path, atomically, with the
   * checksums of every tensor and of the metadata added to the metadata. The folder must exist. A
   * failure leaves an existing file at path untouched.
   *
   * @throws IOException when the folder is missing or not writable, or the disk fails
   * @throws IllegalArgumentException for a closed tensor, an empty name, a name or metadata that
   *     is not valid Unicode, or a metadata key starting with "crc32c:" (reserved for the checksums)
   */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    if (path == null) throw new IllegalArgumentException("safetensors: path is null");
    List<String> names = new ArrayList<>(tensors.keySet());
    List<byte[]> blobs = new ArrayList<>(names.size());
    Map<String, String> meta = new LinkedHashMap<>();
    if (metadata != null) {
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        if (m.getKey() == null || Checksums.isKey(m.getKey())) {
          throw new IllegalArgumentException("safetensors: metadata key '" + m.getKey() + "' is reserved for the checksums");
        }
        meta.put(m.getKey(), String.valueOf(m.getValue()));
      }
    }
    StringBuilder entries = new StringBuilder();
    long offset = 0;
    for (String name : names) {
      Tensor t = tensors.get(name);
      if (name == null || name.isEmpty() || name.equals(METADATA)) {
        throw new IllegalArgumentException("safetensors: bad tensor name '" + name + "'");
      }
      if (t == null || t.isClosed()) throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null or closed");
      byte[] blob = bytesOf(t);
      blobs.add(blob);
      String dtype = t.dtype() == DType.F32 ? "F32" : "I32";
      long[] shape = t.shape();
      meta.put(Checksums.PREFIX + name, Checksums.hex(Checksums.tensor(name, dtype, shape, offset, offset + blob.length, blob)));
      entries.append(',');
      Json.quote(entries, name);
      entries.append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
      for (int i = 0; i < shape.length; i++) entries.append(i == 0 ? "" : ",").append(shape[i]);
      entries.append("],\"data_offsets\":[").append(offset).append(',').append(offset + blob.length).append("]}");
      offset += blob.length;
    }
    meta.put(Checksums.METADATA_KEY, Checksums.hex(Checksums.metadata(meta)));
    StringBuilder header = new StringBuilder("{");
    Json.quote(header, METADATA);
    header.append(":{");
    boolean first = true;
    for (Map.Entry<String, String> m : meta.entrySet()) {
      if (!first) header.append(',');
      first = false;
      Json.quote(header, m.getKey());
      header.append(':');
      Json.quote(header, m.getValue());
    }
    header.append('}').append(entries).append('}');
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    head.flip();
    List<ByteBuffer> parts = new ArrayList<>();
    parts.add(head);
    for (byte[] b : blobs) parts.add(ByteBuffer.wrap(b));
    writeAtomically(path, parts);
  }

  private static byte[] bytesOf(Tensor t) {
    ByteBuffer buf;
    if (t.dtype() == DType.F32) {
      float[] v = t.toArray();
      buf = ByteBuffer.allocate(Math.multiplyExact(v.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(v);
    } else if (t.dtype() == DType.I32) {
      int[] v = t.toIntArray();
      buf = ByteBuffer.allocate(Math.multiplyExact(v.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
      buf.asIntBuffer().put(v);
    } else {
      throw new IllegalArgumentException("safetensors: cannot write dtype " + t.dtype());
    }
    return buf.array();
  }

  /**
   * Writes the buffers to a temporary file next to path, forces it to disk and renames it onto
   * path; then forces the folder so the rename itself survives a crash.
   */
  static void writeAtomically(Path path, List<ByteBuffer> parts) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) throw new NoSuchFileException(dir + " (no such folder to write " + target.getFileName() + " in)");
    Path tmp = createTemp(dir, target.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        for (ByteBuffer b : parts) {
          while (b.hasRemaining()) ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("safetensors: the file system of " + dir + " cannot rename atomically", e);
      }
      moved = true;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException | UnsupportedOperationException e) {
        // some file systems cannot sync a folder; the rename is still atomic
      }
    } finally {
      if (!moved) Files.deleteIfExists(tmp);
    }
  }

  /** A hidden temporary file next to the target, readable by all like a plain new file (rw-r--r--). */
  static Path createTemp(Path dir, String name) throws IOException {
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempFile(dir, "." + name + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    }
    return Files.createTempFile(dir, "." + name + ".", ".tmp");
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads and validates a whole file.
   *
   * @throws CheckpointException when the file is not valid safetensors (the message says why)
   * @throws IOException when it cannot be read at all (missing, unreadable)
   */
  public static SafeTensors read(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) throw bad(path, "truncated: " + size + " bytes, but a safetensors file starts with an 8-byte header length");
      ByteBuffer lenBuf = readFully(ch, 0, 8, path).order(ByteOrder.LITTLE_ENDIAN);
      long n = lenBuf.getLong();
      if (n <= 0 || n > MAX_HEADER_BYTES) {
        throw bad(path, "header length " + Long.toUnsignedString(n) + " is not in [1, " + MAX_HEADER_BYTES
            + "] (not a safetensors file, or corrupt)");
      }
      if (8 + n > size) throw bad(path, "truncated: the header needs " + n + " bytes but the file has " + (size - 8) + " after the length");
      byte[] headerBytes = readFully(ch, 8, (int) n, path).array();
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
      } catch (CharacterCodingException e) {
        throw bad(path, "the header is not valid UTF-8");
      }
      if (!text.startsWith("{")) throw bad(path, "the header does not start with '{' (not a safetensors file, or corrupt)");
      Object parsed;
      try {
        parsed = Json.parse(text);
      } catch (IllegalArgumentException e) {
        throw bad(path, "corrupt header: " + e.getMessage());
      }
      if (!(parsed instanceof Map<?, ?> header)) throw bad(path, "the header is not a JSON object");
      long dataStart = 8 + n;
      long dataSize = size - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<long[]> spans = new ArrayList<>(); // begin, end, index into names
      List<String> names = new ArrayList<>();
      List<String> dtypes = new ArrayList<>();
      List<long[]> shapes = new ArrayList<>();
      for (Map.Entry<?, ?> e : header.entrySet()) {
        String name = (String) e.getKey();
        if (name.equals(METADATA)) {
          if (!(e.getValue() instanceof Map<?, ?> m)) throw bad(path, "\"__metadata__\" is not an object");
          for (Map.Entry<?, ?> me : m.entrySet()) {
            if (!(me.getValue() instanceof String v)) throw bad(path, "metadata \"" + me.getKey() + "\" is not a string");
            metadata.put((String) me.getKey(), v);
          }
          continue;
        }
        if (!(e.getValue() instanceof Map<?, ?> info)) throw bad(path, "tensor '" + name + "': the entry is not an object");
        for (Object k : info.keySet()) {
          if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
            throw bad(path, "tensor '" + name + "': unknown field \"" + k + "\"");
          }
        }
        if (!(info.get("dtype") instanceof String dtype)) throw bad(path, "tensor '" + name + "': \"dtype\" is missing or not a string");
        Integer width = DTYPE_BYTES.get(dtype);
        if (width == null) throw bad(path, "tensor '" + name + "': unknown dtype \"" + dtype + "\"");
        long[] shape = longs(path, name, "shape", info.get("shape"), -1);
        long[] offsets = longs(path, name, "data_offsets", info.get("data_offsets"), 2);
        long numel = 1;
        for (long s : shape) {
          if (s < 0) throw bad(path, "tensor '" + name + "': negative size in shape " + Arrays.toString(shape));
          try {
            numel = Math.multiplyExact(numel, s);
          } catch (ArithmeticException ex) {
            throw bad(path, "tensor '" + name + "': shape " + Arrays.toString(shape) + " is too large");
          }
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) throw bad(path, "tensor '" + name + "': bad data_offsets [" + begin + ", " + end + "]");
        if (end > dataSize) {
          throw bad(path, "truncated: tensor '" + name + "' ends at byte " + end + " of the data section, which has only "
              + dataSize + " bytes");
        }
        if (numel > Long.MAX_VALUE / width || end - begin != numel * width) {
          throw bad(path, "tensor '" + name + "': " + dtype + " " + Arrays.toString(shape) + " needs " + numel * width
              + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        spans.add(new long[] {begin, end, names.size()});
        names.add(name);
        dtypes.add(dtype);
        shapes.add(shape);
      }
      spans.sort(Comparator.comparingLong((long[] s) -> s[0]).thenComparingLong(s -> s[1]));
      long at = 0;
      for (long[] s : spans) {
        if (s[0] != at) {
          throw bad(path, "tensor '" + names.get((int) s[2]) + "' starts at byte " + s[0] + " of the data section, expected "
              + at + " (tensors must be contiguous, without gaps or overlaps)");
        }
        at = s[1];
      }
      if (at != dataSize) throw bad(path, "the data section has " + dataSize + " bytes but the tensors cover " + at);
      Map<String, Integer> sums = checksums(path, metadata, names);
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) entries.put(names.get(i), null);
      for (long[] s : spans) {
        int i = (int) s[2];
        long len = s[1] - s[0];
        if (len > Integer.MAX_VALUE - 8) throw bad(path, "tensor '" + names.get(i) + "' is larger than 2 GB");
        byte[] data = readFully(ch, dataStart + s[0], (int) len, path).array();
        if (sums != null && Checksums.tensor(names.get(i), dtypes.get(i), shapes.get(i), s[0], s[1], data) != sums.get(names.get(i))) {
          throw bad(path, "checksum mismatch: tensor '" + names.get(i) + "' (its bytes, or its name, dtype, shape or offsets in "
              + "the header, changed after it was written)");
        }
        entries.put(names.get(i), new Entry(names.get(i), dtypes.get(i), shapes.get(i), data));
      }
      metadata.keySet().removeIf(Checksums::isKey);
      return new SafeTensors(path, entries, metadata, sums != null);
    }
  }

  /**
   * Checks the metadata's checksum and returns each tensor's expected checksum by name; null for a
   * file without checksums. A file that has any checksum entry must have all of them: one for the
   * metadata and one for each tensor, none for a tensor that is not there.
   */
  private static Map<String, Integer> checksums(Path path, Map<String, String> metadata, List<String> names)
      throws CheckpointException {
    if (metadata.keySet().stream().noneMatch(Checksums::isKey)) return null;
    Map<String, Integer> sums = new LinkedHashMap<>();
    for (Map.Entry<String, String> m : metadata.entrySet()) {
      if (!Checksums.isKey(m.getKey())) continue;
      Integer v = Checksums.parse(m.getValue());
      if (v == null) throw bad(path, "metadata \"" + m.getKey() + "\" = \"" + m.getValue() + "\" is not a checksum (8 lowercase hex digits)");
      sums.put(m.getKey().substring(Checksums.PREFIX.length()), v);
    }
    Integer meta = sums.remove(METADATA);
    if (meta == null) throw bad(path, "the metadata has tensor checksums but not its own (\"" + Checksums.METADATA_KEY + "\")");
    int actual;
    try {
      actual = Checksums.metadata(metadata);
    } catch (IllegalArgumentException e) {
      throw bad(path, "metadata: " + e.getMessage());
    }
    if (actual != meta) {
      throw bad(path, "checksum mismatch: the metadata (a key or value was changed, added or removed after the file was written)");
    }
    for (String name : names) {
      if (!sums.containsKey(name)) throw bad(path, "tensor '" + name + "' has no checksum although the file has checksums");
    }
    java.util.Set<String> present = new java.util.HashSet<>(names);
    for (String name : sums.keySet()) {
      if (!present.contains(name)) throw bad(path, "metadata \"" + Checksums.PREFIX + name + "\" is the checksum of a tensor '" + name
          + "' that the file does not have");
    }
    return sums;
  }

  private static long[] longs(Path path, String name, String field, Object value, int length) throws CheckpointException {
    if (!(value instanceof List<?> list)) throw bad(path, "tensor '" + name + "': \"" + field + "\" is missing or not an array");
    if (length >= 0 && list.size() != length) {
      throw bad(path, "tensor '" + name + "': \"" + field + "\" has " + list.size() + " values, expected " + length);
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long v)) throw bad(path, "tensor '" + name + "': \"" + field + "\" holds a non-integer " + list.get(i));
      out[i] = v;
    }
    return out;
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length, Path path) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int r = ch.read(buf, position + buf.position());
      if (r < 0) throw bad(path, "truncated while reading (the file shrank?)");
    }
    buf.flip();
    return buf;
  }

  private static CheckpointException bad(Path path, String what) {
    return new CheckpointException(path + ": " + what);
  }
}
