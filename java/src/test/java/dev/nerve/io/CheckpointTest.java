package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.SGD;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import dev.nerve.ChildJvm;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints: saved and loaded back bit for bit; every kind of bad file is refused with a clear
 * message and leaves the model as it was; a process killed while saving leaves the previous file.
 */
class CheckpointTest {
  static final Device CPU = Device.cpu();
  @TempDir Path tmp;

  static Sequential mlp(long seed, int hidden) {
    Generator gen = new Generator(seed);
    return new Sequential(new Linear(5, hidden, true, CPU, gen), new ReLU(), new Linear(hidden, 3, true, CPU, gen));
  }

  static float[] outputs(Sequential m) {
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      Tensor x = Tensor.randn(CPU, new Generator(99), 0, 1, 16, 5);
      return m.forward(x).toArray();
    }
  }

  static List<float[]> values(Sequential m) {
    List<float[]> out = new ArrayList<>();
    for (Tensor p : m.parameters()) out.add(p.toArray());
    return out;
  }

  static void assertBitEqual(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "element " + i);
    }
  }

  static void train(Sequential m, Adam opt, int steps, long seed) {
    Generator gen = new Generator(seed);
    for (int i = 0; i < steps; i++) {
      try (Scope s = Scope.open()) {
        Tensor x = Tensor.randn(CPU, gen, 0, 1, 8, 5);
        Tensor y = Tensor.ofInts(CPU, new int[] {0, 1, 2, 0, 1, 2, 0, 1});
        opt.zeroGrad();
        F.crossEntropy(m.forward(x), y).backward();
        opt.step();
      }
    }
  }

  @Test
  void roundTripIsBitExact() throws Exception {
    Path p = tmp.resolve("m.safetensors");
    try (Sequential a = mlp(1, 7); Sequential b = mlp(2, 7)) {
      a.save(p);
      b.load(p);
      float[] ya = outputs(a);
      float[] yb = outputs(b);
      assertBitEqual(ya, yb);
      System.out.println("CheckpointTest: " + ya.length + " outputs of the reloaded model equal the original's to the bit");
    }
  }

  @Test
  void optimizerStateRoundTripResumesExactly() throws Exception {
    Path p = tmp.resolve("ckpt.safetensors");
    try (Sequential a = mlp(1, 7); Adam oa = new Adam(a.parameters(), 0.01f);
        Sequential b = mlp(2, 7); Adam ob = new Adam(b.parameters(), 0.5f)) {
      train(a, oa, 5, 10);
      Checkpoint.save(p, a, oa, Map.of("epoch", "5"));
      Map<String, String> meta = Checkpoint.load(p, b, ob);
      assertEquals("5", meta.get("epoch"));
      assertEquals(oa.stepCount(), ob.stepCount());
      assertEquals(oa.lr(), ob.lr());
      train(a, oa, 5, 20);
      train(b, ob, 5, 20);
      for (int i = 0; i < a.parameters().size(); i++) {
        assertBitEqual(a.parameters().get(i).toArray(), b.parameters().get(i).toArray());
      }
      // A module-only load ignores the optimizer's entries; an SGD refuses Adam's state.
      try (Sequential c = mlp(3, 7); SGD sgd = new SGD(c.parameters(), 0.1f, 0.9f)) {
        c.load(p);
        List<float[]> before = values(c);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(p, c, sgd));
        assertTrue(e.getMessage().contains("holds Adam state, not SGD"), e.getMessage());
        for (int i = 0; i < before.size(); i++) assertBitEqual(before.get(i), c.parameters().get(i).toArray());
      }
    }
  }

  /** Loads p into a fresh model, expects a CheckpointException containing text, and the model unchanged. */
  static String refused(Path p, String text) throws Exception {
    try (Sequential m = mlp(5, 7)) {
      List<float[]> before = values(m);
      CheckpointException e = assertThrows(CheckpointException.class, () -> m.load(p));
      System.out.println("CheckpointTest: " + e.getMessage());
      assertTrue(e.getMessage().contains(text), e.getMessage());
      assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
      List<float[]> after = values(m);
      for (int i = 0; i < before.size(); i++) assertBitEqual(before.get(i), after.get(i));
      return e.getMessage();
    }
  }

  @Test
  void badFilesAreRefusedAndTheModelIsUnchanged() throws Exception {
    Path good = tmp.resolve("good.safetensors");
    try (Sequential m = mlp(1, 7)) {
      m.save(good);
    }
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = tmp.resolve("truncated.safetensors");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    refused(truncated, "truncated");

    Path corrupt = tmp.resolve("corrupt.safetensors");
    byte[] c = bytes.clone();
    int colon = new String(c, 8, 40, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(':');
    c[8 + colon] = '#'; // "__metadata__"#{...}
    Files.write(corrupt, c);
    refused(corrupt, "corrupt header");

    Path wrongShape = tmp.resolve("wide.safetensors");
    try (Sequential wide = mlp(1, 9)) {
      wide.save(wrongShape);
    }
    refused(wrongShape, "0.weight is F32 [9, 5] in the file but F32 [7, 5] in the model");

    Path other = tmp.resolve("other.safetensors");
    try (Sequential deeper = new Sequential(new Linear(5, 7, true, CPU, new Generator(0)), new ReLU(),
        new Linear(7, 7, true, CPU, new Generator(0)), new ReLU(), new Linear(7, 3, true, CPU, new Generator(0)))) {
      Checkpoint.save(other, deeper, Map.of(), Map.of("model", "deeper-mlp"));
    }
    String msg = refused(other, "it holds a 'deeper-mlp' model");
    assertTrue(msg.contains("unexpected 4.weight, 4.bias"), msg);

    Path missing = tmp.resolve("missing.safetensors");
    try (Sequential one = new Sequential(new Linear(5, 7, true, CPU, new Generator(0)))) {
      one.save(missing);
    }
    refused(missing, "missing 2.weight, 2.bias");

    Path empty = tmp.resolve("empty.safetensors");
    Files.write(empty, new byte[0]);
    refused(empty, "truncated: 0 bytes");
  }

  /** Child JVM: saves models of seed 1, 2, 3, ... to args[0] as fast as it can, printing each seed once saved. */
  public static void main(String[] args) throws Exception {
    Path p = Path.of(args[0]);
    for (long seed = 1; ; seed++) {
      try (Sequential m = mlp(seed, 512)) {
        Checkpoint.save(p, m, Map.of(), Map.of("seed", Long.toString(seed)));
      }
      System.out.println("saved " + seed);
      System.out.flush();
    }
  }

  @Test
  void aProcessKilledWhileSavingLeavesTheLastCompleteCheckpoint() throws Exception {
    Path p = tmp.resolve("kill.safetensors");
    for (int round = 0; round < 3; round++) {
      List<String> cmd = ChildJvm.command();
      cmd.addAll(List.of(CheckpointTest.class.getName(), p.toString()));
      Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()));
      int target = 3 + round * 2;
      String line;
      long lastSaved = 0;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("saved ")) lastSaved = Long.parseLong(line.substring(6));
        if (lastSaved >= target) break;
      }
      assertTrue(lastSaved >= target, "child JVM stopped early; its last line: " + line);
      Thread.sleep(round * 3L); // kill at different points of the next write
      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      SafeTensors st = SafeTensors.read(p); // intact
      long seed = Long.parseLong(st.metadata().get("seed"));
      assertTrue(seed >= lastSaved, "file holds seed " + seed + ", child had reported " + lastSaved);
      try (Sequential expected = mlp(seed, 512); Sequential loaded = mlp(0, 512)) {
        loaded.load(p);
        assertBitEqual(outputs(expected), outputs(loaded));
      }
      System.out.println("CheckpointTest: child killed after reporting seed " + lastSaved + "; the file holds seed "
          + seed + " intact");
    }
  }

  @Test
  void aSavedFileIsForcedToDiskBeforeRename() throws Exception {
    // The writer leaves no temporary file behind and the result is readable through a fresh channel.
    Path p = tmp.resolve("f.safetensors");
    try (Sequential m = mlp(1, 7)) {
      m.save(p);
      m.save(p);
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      assertTrue(ch.size() > 8);
    }
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count());
    }
  }
}
