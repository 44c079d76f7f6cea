package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint format's versions: files without checksums (an older Nerve's, another tool's)
 * still load, a current file whose checksums were removed or a newer version's file does not, and
 * the metadata keys the format uses cannot be overwritten by a caller.
 */
class CheckpointFormatTest {
  @TempDir Path tmp;

  /** The file at source rewritten with its header changed by edit (no checksums recomputed). */
  Path rewritten(Path source, String name, java.util.function.Consumer<Map<String, Object>> edit) throws Exception {
    CorruptCheckpointTest.Parts parts = CorruptCheckpointTest.split(Files.readAllBytes(source));
    Map<String, Object> header = parts.copy();
    edit.accept(header);
    Path out = tmp.resolve(name + ".safetensors");
    Files.write(out, CorruptCheckpointTest.join(CorruptCheckpointTest.json(header, null), parts.data()));
    return out;
  }

  @Test
  void anOlderNervesFileWithoutChecksumsLoads() throws Exception {
    Path source = tmp.resolve("v2.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f); CheckpointFixture b = new CheckpointFixture(2, 2, 0.5f)) {
      Checkpoint.save(source, a.model, a.optimizers, Map.of("epoch", "3"));
      // Version 1 as Nerve wrote it before checksums: no format_version, no settings, no checksums.
      Path v1 = rewritten(source, "v1", h -> CorruptCheckpointTest.Parts.meta(h).keySet().removeIf(k -> k.startsWith("crc32c:")
          || k.equals("format_version") || k.matches("._optimizer\\.(momentum|dampening|weight_decay|nesterov|beta.|eps)")));
      SafeTensors file = SafeTensors.read(v1);
      assertFalse(file.checksummed());
      Map<String, String> meta = Checkpoint.load(v1, b.model, b.optimizers);
      assertEquals("3", meta.get("epoch"));
      assertNull(b.snapshot().diff(a.snapshot()));
      assertTrue(SafeTensors.read(source).checksummed());
    }
  }

  @Test
  void aCurrentFileWithoutItsChecksumsOrANewerVersionIsRefused() throws Exception {
    Path source = tmp.resolve("v2.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f); CheckpointFixture b = new CheckpointFixture(2, 2, 0.5f)) {
      Checkpoint.save(source, a.model, a.optimizers, Map.of());
      Path stripped = rewritten(source, "stripped", h -> CorruptCheckpointTest.Parts.meta(h).keySet().removeIf(k -> k.startsWith("crc32c:")));
      Path newer = rewritten(source, "newer", h -> {
        CorruptCheckpointTest.Parts.meta(h).keySet().removeIf(k -> k.startsWith("crc32c:"));
        CorruptCheckpointTest.Parts.meta(h).put("format_version", "3");
      });
      CheckpointFixture.Snapshot before = b.snapshot();
      String m1 = assertThrows(CheckpointException.class, () -> Checkpoint.load(stripped, b.model, b.optimizers)).getMessage();
      assertTrue(m1.contains("without its checksums"), m1);
      String m2 = assertThrows(CheckpointException.class, () -> Checkpoint.load(newer, b.model, b.optimizers)).getMessage();
      assertTrue(m2.contains("written by a newer Nerve (format_version 3"), m2);
      assertNull(b.snapshot().diff(before));
    }
  }

  @Test
  void theFormatsOwnMetadataKeysAreReserved() throws Exception {
    Path p = tmp.resolve("r.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 0, 1f)) {
      for (String key : new String[] {"format", "format_version", "optimizers", "g_optimizer", "d_optimizer.lr", "g_optimizer.x",
          "crc32c:0.weight"}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Checkpoint.save(p, a.model, a.optimizers, Map.of(key, "1")), key);
        assertTrue(e.getMessage().contains("'" + key + "' is reserved"), e.getMessage());
      }
      assertFalse(Files.exists(p));
      Checkpoint.save(p, a.model, a.optimizers, Map.of("optimizer.x", "1", "epoch", "0"));
      assertEquals("1", Checkpoint.load(p, a.model, a.optimizers).get("optimizer.x"));
    }
  }
}
