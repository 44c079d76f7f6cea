package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nerve.Tensor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint is plain safetensors with checksums another language can verify: a Python script
 * (numpy only, no Nerve code; src/test/resources/dev/nerve/io/read_safetensors.py) reads the
 * layout, the tensors and recomputes every checksum from the documented definition. Skipped
 * where python3 with numpy is missing.
 */
class SafeTensorsPythonTest {
  @TempDir Path tmp;

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return p.exitValue() + "\n" + out;
  }

  @Test
  void pythonReadsTheFileAndVerifiesEveryChecksum() throws Exception {
    String probe;
    try {
      probe = run(List.of("python3", "-c", "import numpy"));
    } catch (java.io.IOException e) {
      probe = "no python3";
    }
    assumeTrue(probe.startsWith("0\n"), "python3 with numpy is not available: " + probe);
    Path script = tmp.resolve("read_safetensors.py");
    try (InputStream in = getClass().getResourceAsStream("read_safetensors.py")) {
      Files.copy(in, script);
    }
    Path p = tmp.resolve("ckpt.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f)) {
      Checkpoint.save(p, a.model, a.optimizers, Map.of("epoch", "7", "note", "ünïcode / \"quoted\""));
      String out = run(List.of("python3", script.toString(), p.toString()));
      System.out.println("SafeTensorsPythonTest: " + out.replace('\n', ' '));
      assertTrue(out.startsWith("0\n"), out);
      int tensors = a.model.stateDict().size() + a.first.stateDict().size() + a.second.stateDict().size();
      assertTrue(out.contains("checksums ok " + tensors), out);
      Tensor w = a.model.stateDict().get("0.weight");
      double sum = 0;
      for (float f : w.toArray()) sum += f;
      String line = out.lines().filter(l -> l.startsWith("0.weight ")).findFirst().orElseThrow();
      assertEquals(sum, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), 1e-9, line);
      assertTrue(line.contains("F32 [5, 4]"), line);
      // A flipped data byte: the script's checksum check fails too.
      byte[] bytes = Files.readAllBytes(p);
      bytes[bytes.length - 3] ^= 1;
      Files.write(p, bytes);
      String bad = run(List.of("python3", script.toString(), p.toString()));
      assertTrue(!bad.startsWith("0\n") && bad.contains("checksum"), bad);
    }
  }
}
