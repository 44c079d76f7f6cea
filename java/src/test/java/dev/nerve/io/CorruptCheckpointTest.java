package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt checkpoints, generated from one seed: 4,250 variants of a two-optimizer checkpoint
 * (truncations, header bit flips, header JSON edits, data bit flips, NaN and Inf injections,
 * renamed keys, swapped and shifted offsets, wrong dtypes and shapes, altered metadata digits,
 * deleted and added entries). Each is loaded into a model and two optimizers holding another
 * state. A variant must either be refused with a {@link CheckpointException} that left every
 * parameter, optimizer state tensor, step count and learning rate bit-for-bit as it was, or, only
 * for an edit that keeps the file's meaning (JSON reordered, re-spaced or escaped), load exactly
 * the original's state and metadata. Any other outcome is counted and fails the test.
 */
class CorruptCheckpointTest {
  @TempDir Path tmp;

  /** One generated variant. */
  record Variant(String family, byte[] bytes, boolean samesMeaning) {}

  /** A file's header (parsed, in file order) and data section. */
  record Parts(Map<String, Object> header, byte[] data) {
    Map<String, Object> copy() {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) Json.parse(json(header, null));
      return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> meta(Map<String, Object> header) {
      return (Map<String, Object>) header.get("__metadata__");
    }

    static List<String> tensors(Map<String, Object> header) {
      List<String> out = new ArrayList<>(header.keySet());
      out.remove("__metadata__");
      return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> info(Map<String, Object> header, String name) {
      return (Map<String, Object>) header.get(name);
    }
  }

  static Parts split(byte[] file) {
    long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
    @SuppressWarnings("unchecked")
    Map<String, Object> header = (Map<String, Object>) Json.parse(new String(file, 8, (int) n, StandardCharsets.UTF_8).trim());
    return new Parts(header, Arrays.copyOfRange(file, 8 + (int) n, file.length));
  }

  /** A file from header text and data, the header padded with spaces to 8 bytes as writers do. */
  static byte[] join(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(h);
    while (b.position() < 8 + padded) b.put((byte) ' ');
    return b.put(data).array();
  }

  /**
   * JSON text of v; with r, in an equivalent spelling: spaces and newlines between tokens and
   * some characters of strings written as {@code \\uXXXX} or {@code \/}.
   */
  static String json(Object v, Random r) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, r);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, Random r) {
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        space(sb, r);
        string(sb, (String) e.getKey(), r);
        space(sb, r);
        sb.append(':');
        space(sb, r);
        write(sb, e.getValue(), r);
        space(sb, r);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(',');
        space(sb, r);
        write(sb, l.get(i), r);
      }
      sb.append(']');
    } else if (v instanceof String s) {
      string(sb, s, r);
    } else {
      sb.append(v);
    }
  }

  private static void space(StringBuilder sb, Random r) {
    if (r != null && r.nextInt(4) == 0) sb.append(" \n\t\r".charAt(r.nextInt(4)));
  }

  private static void string(StringBuilder sb, String s, Random r) {
    if (r == null) {
      Json.quote(sb, s);
      return;
    }
    sb.append('"');
    for (char c : s.toCharArray()) {
      int k = r.nextInt(12);
      if (c == '"' || c == '\\' || c < 0x20 || k == 0) sb.append(String.format("\\u%04X", (int) c));
      else if (c == '/' && k < 6) sb.append("\\/");
      else sb.append(c);
    }
    sb.append('"');
  }

  static <K, V> Map<K, V> shuffled(Map<K, V> m, Random r) {
    List<K> keys = new ArrayList<>(m.keySet());
    Collections.shuffle(keys, r);
    Map<K, V> out = new LinkedHashMap<>();
    for (K k : keys) out.put(k, m.get(k));
    return out;
  }

  /** m with key from renamed to to, in the same place. */
  static Map<String, Object> renamed(Map<String, Object> m, String from, String to) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k.equals(from) ? to : k, v));
    return out;
  }

  static String oneCharChanged(String s, Random r) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-: ";
    int i = r.nextInt(s.length() + 1);
    if (i == s.length()) return s + alphabet.charAt(r.nextInt(alphabet.length())); // one byte longer
    char c;
    do {
      c = alphabet.charAt(r.nextInt(alphabet.length()));
    } while (c == s.charAt(i));
    return s.substring(0, i) + c + s.substring(i + 1);
  }

  static long span(Map<String, Object> info) {
    List<?> o = (List<?>) info.get("data_offsets");
    return (Long) o.get(1) - (Long) o.get(0);
  }

  /** The variants, family by family; each generator returns null when it found nothing to change. */
  static List<Variant> variants(byte[] original, long seed) {
    Random r = new Random(seed);
    Parts parts = split(original);
    long n = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
    int dataStart = 8 + (int) n;
    List<Variant> out = new ArrayList<>();
    Map<String, BiFunction<Random, Map<String, Object>, Object>> families = new LinkedHashMap<>();
    // Raw byte edits return byte[]; header edits change the copied header and return it (or null).
    families.put("truncation", (q, h) -> Arrays.copyOf(original, q.nextInt(original.length)));
    families.put("extension", (q, h) -> {
      byte[] b = Arrays.copyOf(original, original.length + 1 + q.nextInt(16));
      if (q.nextBoolean()) for (int i = original.length; i < b.length; i++) b[i] = (byte) q.nextInt(256);
      return b;
    });
    families.put("header bit flip", (q, h) -> flip(original, q.nextInt(dataStart), q));
    families.put("data bit flip", (q, h) -> flip(original, dataStart + q.nextInt(original.length - dataStart), q));
    families.put("NaN/Inf injection", (q, h) -> {
      int[] patterns = {0x7fc00000, 0xffc00000, 0x7f800001, 0x7fffffff, 0x7f800000, 0xff800000};
      byte[] b = original.clone();
      int at = dataStart + 4 * q.nextInt((original.length - dataStart) / 4);
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int old = bb.getInt(at);
      int k = q.nextInt(patterns.length + 2);
      int value = k < patterns.length ? patterns[k] : k == patterns.length ? old + 1 : old ^ 0x80000000; // next float, -x
      bb.putInt(at, value);
      return b;
    });
    families.put("renamed tensor", (q, h) -> {
      List<String> names = Parts.tensors(h);
      String from = names.get(q.nextInt(names.size()));
      String to = q.nextInt(8) == 0 ? from.replaceFirst("momentum_buffer", "momentum_buffeR") : oneCharChanged(from, q);
      return h.containsKey(to) ? null : renamed(h, from, to);
    });
    families.put("renamed metadata key", (q, h) -> {
      Map<String, Object> meta = Parts.meta(h);
      List<String> keys = new ArrayList<>(meta.keySet());
      String from = keys.get(q.nextInt(keys.size()));
      String to = oneCharChanged(from, q);
      if (meta.containsKey(to)) return null;
      h.put("__metadata__", renamed(meta, from, to));
      return h;
    });
    families.put("swapped offsets", (q, h) -> {
      List<String> names = Parts.tensors(h);
      String a = names.get(q.nextInt(names.size()));
      String b = names.get(q.nextInt(names.size()));
      if (a.equals(b) || span(Parts.info(h, a)) != span(Parts.info(h, b))) return null;
      Object t = Parts.info(h, a).get("data_offsets");
      Parts.info(h, a).put("data_offsets", Parts.info(h, b).get("data_offsets"));
      Parts.info(h, b).put("data_offsets", t);
      return h;
    });
    families.put("swapped names", (q, h) -> {
      List<String> names = Parts.tensors(h);
      String a = names.get(q.nextInt(names.size()));
      String b = names.get(q.nextInt(names.size()));
      if (a.equals(b) || !Parts.info(h, a).get("shape").equals(Parts.info(h, b).get("shape"))) return null;
      Object t = h.get(a);
      h.put(a, h.get(b));
      h.put(b, t);
      return h;
    });
    families.put("shifted offsets", (q, h) -> {
      List<String> names = Parts.tensors(h);
      Map<String, Object> info = Parts.info(h, names.get(q.nextInt(names.size())));
      List<Object> o = new ArrayList<>((List<?>) info.get("data_offsets"));
      long d = new long[] {-8, -4, -1, 1, 4, 8}[q.nextInt(6)];
      int which = q.nextInt(3);
      if (which != 1) o.set(0, (Long) o.get(0) + d);
      if (which != 0) o.set(1, (Long) o.get(1) + d);
      info.put("data_offsets", o);
      return h;
    });
    families.put("wrong dtype", (q, h) -> {
      String[] dtypes = {"I32", "U32", "F16", "BF16", "F64", "I64", "U8", "I8", "BOOL", "F8_E4M3", "f32", "F32 ", "Q7"};
      List<String> names = Parts.tensors(h);
      Parts.info(h, names.get(q.nextInt(names.size()))).put("dtype", dtypes[q.nextInt(dtypes.length)]);
      return h;
    });
    families.put("wrong shape", (q, h) -> {
      List<String> names = Parts.tensors(h);
      Map<String, Object> info = Parts.info(h, names.get(q.nextInt(names.size())));
      List<Object> s = new ArrayList<>((List<?>) info.get("shape"));
      long numel = 1;
      for (Object d : s) numel *= (Long) d;
      switch (q.nextInt(6)) {
        case 0 -> Collections.reverse(s); // same bytes, transposed meaning
        case 1 -> s.add(0, 1L);
        case 2 -> s.add(1L);
        case 3 -> s = new ArrayList<>(List.of(numel)); // flattened
        case 4 -> s.set(q.nextInt(s.size()), (Long) s.get(0) + (q.nextBoolean() ? 1 : -1));
        default -> s = new ArrayList<>();
      }
      if (s.equals(info.get("shape"))) return null;
      info.put("shape", s);
      return h;
    });
    families.put("altered metadata digit", (q, h) -> {
      Map<String, Object> meta = Parts.meta(h);
      List<String> keys = new ArrayList<>(meta.keySet());
      String k = keys.get(q.nextInt(keys.size()));
      String v = (String) meta.get(k);
      List<Integer> digits = new ArrayList<>();
      for (int i = 0; i < v.length(); i++) if (Character.isDigit(v.charAt(i))) digits.add(i);
      if (digits.isEmpty()) return null;
      int i = digits.get(q.nextInt(digits.size()));
      char c = (char) ('0' + (v.charAt(i) - '0' + 1 + q.nextInt(9)) % 10);
      meta.put(k, v.substring(0, i) + c + v.substring(i + 1));
      return h;
    });
    families.put("deleted metadata", (q, h) -> {
      Map<String, Object> meta = Parts.meta(h);
      List<String> keys = new ArrayList<>(meta.keySet());
      meta.remove(keys.get(q.nextInt(keys.size())));
      return h;
    });
    families.put("deleted tensor", (q, h) -> {
      List<String> names = Parts.tensors(h);
      h.remove(names.get(q.nextInt(names.size())));
      return h;
    });
    families.put("added metadata", (q, h) -> {
      Parts.meta(h).put(q.nextBoolean() ? "epoch2" : "g_optimizer.momentum", "0.5");
      return h;
    });
    families.put("added tensor", (q, h) -> {
      h.put(q.nextBoolean() ? "extra" : "d_optimizer/0.exp_avg_sq2", new LinkedHashMap<>(Map.of("dtype", "F32", "shape",
          List.of(1L), "data_offsets", List.of(0L, 4L))));
      return h;
    });
    families.put("duplicate key", (q, h) -> {
      String text = json(h, null);
      String name = Parts.tensors(h).get(q.nextInt(Parts.tensors(h).size()));
      String entry = json(Map.of(name, h.get(name)), null);
      return join("{" + entry.substring(1, entry.length() - 1) + "," + text.substring(1), parts.data());
    });
    families.put("header length", (q, h) -> {
      byte[] b = original.clone();
      long len = q.nextInt(4) == 0 ? q.nextLong() : n + (q.nextBoolean() ? 1 : -1) * (1 + q.nextInt(16));
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, len);
      return b;
    });
    families.put("same meaning", (q, h) -> {
      Map<String, Object> s = shuffled(h, q);
      s.put("__metadata__", shuffled(Parts.meta(s), q));
      for (String name : Parts.tensors(s)) s.put(name, shuffled(Parts.info(s, name), q));
      return join(json(s, q), parts.data());
    });
    int[] sizes = {600, 50, 900, 700, 400, 250, 100, 120, 80, 120, 120, 150, 250, 60, 60, 30, 30, 20, 60, 150};
    int f = 0;
    for (Map.Entry<String, BiFunction<Random, Map<String, Object>, Object>> e : families.entrySet()) {
      int made = 0;
      for (int tries = 0; made < sizes[f] && tries < 100 * sizes[f]; tries++) {
        Object v = e.getValue().apply(r, parts.copy());
        if (v == null) continue;
        byte[] bytes = v instanceof byte[] b ? b : join(json(v, null), parts.data());
        if (Arrays.equals(bytes, original)) continue;
        out.add(new Variant(e.getKey(), bytes, e.getKey().equals("same meaning")));
        made++;
      }
      assertEquals(sizes[f], made, "could not generate the " + e.getKey() + " variants");
      f++;
    }
    return out;
  }

  static byte[] flip(byte[] original, int at, Random r) {
    byte[] b = original.clone();
    b[at] ^= (byte) (1 << r.nextInt(8));
    return b;
  }

  @Test
  void noCorruptVariantChangesStateWithoutAnError() throws Exception {
    Path source = tmp.resolve("source.safetensors");
    Path reset = tmp.resolve("reset.safetensors");
    Path variant = tmp.resolve("variant.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f); CheckpointFixture b = new CheckpointFixture(2, 2, 0.5f)) {
      Checkpoint.save(source, a.model, a.optimizers, Map.of("epoch", "7", "note", "a/b"));
      Checkpoint.save(reset, b.model, b.optimizers, Map.of("epoch", "3"));
      CheckpointFixture.Snapshot expected = a.snapshot();
      CheckpointFixture.Snapshot initial = b.snapshot();
      assertTrue(expected.diff(initial) != null, "the fixtures must differ");
      Map<String, String> expectedMeta = Checkpoint.load(source, b.model, b.optimizers);
      assertNull(b.snapshot().diff(expected), "the original file must load exactly");
      Checkpoint.load(reset, b.model, b.optimizers);
      assertNull(b.snapshot().diff(initial));

      byte[] original = Files.readAllBytes(source);
      List<Variant> variants = variants(original, 20261205L);
      Map<String, int[]> table = new TreeMap<>(); // refused, loaded identical, wrong
      List<String> wrong = new ArrayList<>();
      Map<String, String> sampleMessage = new TreeMap<>();
      for (int i = 0; i < variants.size(); i++) {
        Variant v = variants.get(i);
        int[] row = table.computeIfAbsent(v.family(), k -> new int[3]);
        Files.write(variant, v.bytes());
        CheckpointFixture.Snapshot before = b.snapshot();
        String problem;
        try {
          Map<String, String> meta = Checkpoint.load(variant, b.model, b.optimizers);
          String d = b.snapshot().diff(expected);
          problem = d != null ? "loaded without an error but " + d
              : !meta.equals(expectedMeta) ? "loaded without an error but the metadata differs: " + meta
              : null;
          if (problem == null) row[1]++;
          Checkpoint.load(reset, b.model, b.optimizers);
          assertNull(b.snapshot().diff(initial));
        } catch (CheckpointException e) {
          String d = b.snapshot().diff(before);
          problem = d == null ? null : "refused (" + e.getMessage() + ") but " + d;
          if (problem == null) {
            row[0]++;
            sampleMessage.putIfAbsent(v.family(), e.getMessage().replace(variant.toString(), "FILE"));
          }
        } catch (RuntimeException e) {
          String d = b.snapshot().diff(before);
          problem = "undocumented " + e + (d == null ? "" : " and " + d);
          Checkpoint.load(reset, b.model, b.optimizers);
        }
        if (problem != null) {
          row[2]++;
          if (wrong.size() < 40) wrong.add("#" + i + " " + v.family() + ": " + problem);
        }
      }
      System.out.println("CorruptCheckpointTest: " + variants.size() + " variants of a " + original.length + "-byte file");
      System.out.printf("  %-24s %8s %8s %8s%n", "family", "refused", "loaded=", "WRONG");
      table.forEach((k, row) -> System.out.printf("  %-24s %8d %8d %8d%n", k, row[0], row[1], row[2]));
      sampleMessage.forEach((k, m) -> System.out.println("  e.g. " + k + ": " + m));
      assertTrue(variants.size() >= 4000);
      assertEquals(150, table.get("same meaning")[1], "every same-meaning variant loads: " + wrong);
      int total = table.values().stream().mapToInt(row -> row[2]).sum();
      assertEquals(0, total, total + " wrong outcomes, e.g.\n" + String.join("\n", wrong));
    }
  }
}
