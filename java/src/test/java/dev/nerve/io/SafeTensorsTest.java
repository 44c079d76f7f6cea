package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file format, byte by byte, against the safetensors specification. */
class SafeTensorsTest {
  @TempDir Path tmp;

  /** A file as the reference implementation lays it out, built by hand here. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return b.array();
  }

  @Test
  void writesTheSpecifiedLayout() throws Exception {
    Path p = tmp.resolve("t.safetensors");
    try (Tensor a = Tensor.of(Device.cpu(), new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.ofInts(Device.cpu(), new int[] {7, -8})) {
      Map<String, Tensor> m = new LinkedHashMap<>();
      m.put("a", a);
      m.put("b", b);
      SafeTensors.write(p, m, Map.of("k", "v \"quoted\""));
    }
    byte[] bytes = Files.readAllBytes(p);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    // The checksums, recomputed here from the documented bytes with a bitwise CRC32C (not the JDK's).
    String crcA = crcHex(describe("a", "F32", new long[] {2, 3}, 0, 24), Arrays.copyOfRange(bytes, (int) (8 + n), (int) (8 + n + 24)));
    String crcB = crcHex(describe("b", "I32", new long[] {2}, 24, 32), Arrays.copyOfRange(bytes, (int) (8 + n + 24), (int) (8 + n + 32)));
    // Metadata entries sorted by key bytes: "crc32c:a" < "crc32c:b" < "k".
    String crcMeta = crcHex(concat(str("crc32c:a"), str(crcA), str("crc32c:b"), str(crcB), str("k"), str("v \"quoted\"")), new byte[0]);
    assertEquals("{\"__metadata__\":{\"k\":\"v \\\"quoted\\\"\",\"crc32c:a\":\"" + crcA + "\",\"crc32c:b\":\"" + crcB
        + "\",\"crc32c:__metadata__\":\"" + crcMeta + "\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
        + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[24,32]}}", header.stripTrailing());
    assertEquals(8 + n + 32, bytes.length);
    buf.position((int) (8 + n));
    assertEquals(1f, buf.getFloat());
    buf.position((int) (8 + n + 24));
    assertEquals(7, buf.getInt());
    assertEquals(-8, buf.getInt());

    SafeTensors st = SafeTensors.read(p);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, st.entries().get("a").floats());
    assertArrayEquals(new long[] {2, 3}, st.entries().get("a").shape());
    assertArrayEquals(new int[] {7, -8}, st.entries().get("b").ints());
    assertEquals("v \"quoted\"", st.metadata().get("k"));
    assertEquals(Map.of("k", "v \"quoted\""), st.metadata(), "the checksums are not part of metadata()");
    assertTrue(st.checksummed());
  }

  /** CRC32C bit by bit (reflected Castagnoli polynomial 0x82F63B78), as 8 lowercase hex digits. */
  static String crcHex(byte[]... parts) {
    int crc = ~0;
    for (byte[] p : parts) {
      for (byte b : p) {
        crc ^= b & 0xff;
        for (int k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
      }
    }
    return String.format("%08x", ~crc);
  }

  static byte[] str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return concat(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array(), b);
  }

  static byte[] describe(String name, String dtype, long[] shape, long begin, long end) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * shape.length + 16).order(ByteOrder.LITTLE_ENDIAN).putInt(shape.length);
    for (long d : shape) b.putLong(d);
    b.putLong(begin).putLong(end);
    return concat(str(name), str(dtype), b.array());
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  @Test
  void crcOfTheCheckValue() {
    // The standard CRC-32C check value (of "123456789"), so crcHex above is CRC32C.
    assertEquals("e3069283", crcHex("123456789".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void readsAFileWrittenByAnotherTool() throws Exception {
    // As Python's safetensors writes it: keys sorted, data ordered by offset, a 0-D tensor, padding.
    String header = "{\"__metadata__\":{\"format\":\"pt\"},\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}    ";
    Path p = tmp.resolve("pt.safetensors");
    Files.write(p, file(header, floats(0.5f, -1.5f, 42f)));
    SafeTensors st = SafeTensors.read(p);
    assertArrayEquals(new float[] {0.5f, -1.5f}, st.entries().get("w").floats());
    assertArrayEquals(new float[] {42f}, st.entries().get("s").floats());
    assertEquals(0, st.entries().get("s").shape().length);
    assertEquals("pt", st.metadata().get("format"));
    assertFalse(st.checksummed(), "another tool's file has no checksums; it is read with the structural checks");
  }

  @Test
  void checksumsAreAllOrNothingAndReserved() throws Exception {
    Path p = tmp.resolve("sums.safetensors");
    String w = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    // A tensor checksum without the metadata's, a malformed value, a checksum of a missing tensor.
    assertTrue(errorOf(p, file("{\"__metadata__\":{\"crc32c:w\":\"00000000\"}," + w + "}", floats(1, 2)))
        .contains("not its own"));
    assertTrue(errorOf(p, file("{\"__metadata__\":{\"crc32c:__metadata__\":\"0000000G\"}," + w + "}", floats(1, 2)))
        .contains("is not a checksum"));
    try (Tensor a = Tensor.of(Device.cpu(), new float[] {1, 2}, 2)) {
      SafeTensors.write(p, Map.of("w", a), Map.of("x", "1"));
      String header = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      String crcW = header.substring(header.indexOf("crc32c:w\":\"") + 11, header.indexOf("crc32c:w\":\"") + 19);
      // The metadata checksum is right but a tensor is renamed: its checksum names a tensor the file lacks.
      byte[] renamed = Files.readAllBytes(p);
      int at = header.indexOf("\"w\":{");
      renamed[at + 1] = 'v';
      assertTrue(errorOf(p, renamed).contains("tensor 'v' has no checksum"));
      assertTrue(crcW.matches("[0-9a-f]{8}"), crcW);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SafeTensors.write(p, Map.of("w", a), Map.of("crc32c:w", "00000000")));
      assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }
  }

  static String errorOf(Path p, byte[] content) throws Exception {
    Files.write(p, content);
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(p));
    System.out.println("SafeTensorsTest: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void rejectsBrokenFilesWithTheReason() throws Exception {
    Path p = tmp.resolve("bad.safetensors");
    String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertTrue(errorOf(p, new byte[3]).contains("truncated: 3 bytes"));
    assertTrue(errorOf(p, file(ok, floats(1)).clone()).contains("truncated: tensor 'w' ends at byte 8"));
    byte[] huge = file(ok, floats(1, 2));
    huge[7] = 0x7f;
    assertTrue(errorOf(p, huge).contains("header length"));
    byte[] longer = file(ok, floats(1, 2));
    longer[0] = (byte) 200;
    assertTrue(errorOf(p, longer).contains("truncated: the header needs 200 bytes"));
    assertTrue(errorOf(p, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", floats(1, 2)))
        .contains("corrupt header"));
    assertTrue(errorOf(p, file("[1, 2]", floats())).contains("does not start with '{'"));
    assertTrue(errorOf(p, file(ok.replace("F32", "Q7"), floats(1, 2))).contains("unknown dtype \"Q7\""));
    assertTrue(errorOf(p, file(ok.replace("[2]", "[3]"), floats(1, 2))).contains("needs 12 bytes"));
    assertTrue(errorOf(p, file(ok, floats(1, 2, 3))).contains("the data section has 12 bytes but the tensors cover 8"));
    String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertTrue(errorOf(p, file(gap, floats(1, 2, 3))).contains("contiguous"));
    String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    assertTrue(errorOf(p, file(overlap, floats(1, 2))).contains("contiguous"));
    String dup = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertTrue(errorOf(p, file(dup, floats(1))).contains("duplicate key"));
    assertTrue(errorOf(p, file(ok.replace("[2]", "[-2]"), floats(1, 2))).contains("negative size"));
    byte[] notUtf8 = file(ok, floats(1, 2));
    notUtf8[10] = (byte) 0xff;
    assertTrue(errorOf(p, notUtf8).contains("UTF-8"));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaries() throws Exception {
    Path p = tmp.resolve("keep.safetensors");
    try (Tensor a = Tensor.of(Device.cpu(), new float[] {1, 2}, 2)) {
      SafeTensors.write(p, Map.of("a", a), Map.of());
      byte[] before = Files.readAllBytes(p);
      Tensor closed = Tensor.of(Device.cpu(), new float[] {3}, 1);
      closed.close();
      Map<String, Tensor> m = new LinkedHashMap<>();
      m.put("a", a);
      m.put("b", closed);
      assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, m, Map.of()));
      assertArrayEquals(before, Files.readAllBytes(p));
      assertThrows(java.nio.file.NoSuchFileException.class,
          () -> SafeTensors.write(tmp.resolve("no/such/dir/x.safetensors"), Map.of("a", a), Map.of()));
    }
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count(), "a temporary file was left behind");
    }
  }
}
