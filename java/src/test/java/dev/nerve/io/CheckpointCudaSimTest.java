package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nerve.Device;
import dev.nerve.Info;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged load on the CUDA backend's code paths (cuda-sim): a checkpoint saved on the CPU loads
 * into a model and two optimizers on the device bit for bit, and a file that fails late (in the
 * data of the last tensor) changes nothing there either.
 */
class CheckpointCudaSimTest {
  @TempDir Path tmp;

  @Test
  void loadsOntoTheDeviceAllOrNothing() throws Exception {
    assumeTrue(Info.cudaSimAvailable(), "cuda-sim is not part of this build");
    Device sim = Device.cudaSim();
    Path p = tmp.resolve("cpu.safetensors");
    Path bad = tmp.resolve("bad.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f); CheckpointFixture b = new CheckpointFixture(2, 2, 0.5f, sim)) {
      Checkpoint.save(p, a.model, a.optimizers, Map.of());
      byte[] bytes = Files.readAllBytes(p);
      bytes[bytes.length - 1] ^= 0x40;
      Files.write(bad, bytes);
      CheckpointFixture.Snapshot before = b.snapshot();
      assertThrows(CheckpointException.class, () -> Checkpoint.load(bad, b.model, b.optimizers));
      assertNull(b.snapshot().diff(before));
      Checkpoint.load(p, b.model, b.optimizers);
      assertNull(b.snapshot().diff(a.snapshot()));
      // And back: saved from the device, loaded on the CPU.
      Path q = tmp.resolve("sim.safetensors");
      Checkpoint.save(q, b.model, b.optimizers, Map.of());
      try (CheckpointFixture c = new CheckpointFixture(3, 1, 2f)) {
        Checkpoint.load(q, c.model, c.optimizers);
        assertNull(c.snapshot().diff(a.snapshot()));
      }
    }
  }
}
