package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optimizer state is checked against the optimizer it is loaded into (names, counts, shapes,
 * dtypes, step count, learning rate, settings), and a model with two optimizers (the GAN's) is
 * loaded all or nothing: files that are valid safetensors with correct checksums, whose second
 * optimizer's state does not fit, change nothing, not even the first optimizer.
 */
class OptimizerStateCheckTest {
  @TempDir Path tmp;

  /**
   * Writes the source checkpoint's tensors and metadata, after edit, as a new well-formed file
   * (checksums computed by the writer, so only the optimizer checks can refuse it).
   */
  Path edited(Path source, String name, BiConsumer<Map<String, Tensor>, Map<String, String>> edit) throws Exception {
    SafeTensors file = SafeTensors.read(source);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    meta.keySet().removeIf(k -> k.startsWith("crc32c:"));
    try (Scope s = Scope.open()) {
      file.entries().forEach((k, e) -> tensors.put(k, Tensor.of(CheckpointFixture.CPU, e.floats(), e.shape())));
      edit.accept(tensors, meta);
      Path out = tmp.resolve(name + ".safetensors");
      SafeTensors.write(out, tensors, meta);
      return out;
    }
  }

  static void replace(Map<String, Tensor> tensors, String from, String to) {
    Map<String, Tensor> copy = new LinkedHashMap<>(tensors);
    tensors.clear();
    copy.forEach((k, v) -> tensors.put(k.equals(from) ? to : k, v));
  }

  @Test
  void aSecondOptimizerThatDoesNotFitChangesNothing() throws Exception {
    Path source = tmp.resolve("gan.safetensors");
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f); CheckpointFixture b = new CheckpointFixture(2, 2, 0.5f)) {
      Checkpoint.save(source, a.model, a.optimizers, Map.of("epoch", "3"));
      Map<String, BiConsumer<Map<String, Tensor>, Map<String, String>>> edits = new LinkedHashMap<>();
      edits.put("d_optimizer.steps", (t, m) -> m.put("d_optimizer.steps", "-1"));
      edits.put("step count 0", (t, m) -> m.put("d_optimizer.steps", "0"));
      edits.put("'0.'", (t, m) -> replace(t, "d_optimizer/0.exp_avg", "d_optimizer/0."));
      edits.put("'0.exp_avgX'", (t, m) -> replace(t, "d_optimizer/0.exp_avg", "d_optimizer/0.exp_avgX"));
      edits.put("'00.exp_avg'", (t, m) -> replace(t, "d_optimizer/0.exp_avg", "d_optimizer/00.exp_avg"));
      edits.put("'1.exp_avg_sq'", (t, m) -> t.remove("d_optimizer/1.exp_avg_sq"));
      edits.put("'2.exp_avg'", (t, m) -> replace(t, "d_optimizer/1.exp_avg", "d_optimizer/2.exp_avg"));
      edits.put("[5, 3]", (t, m) -> t.put("d_optimizer/0.exp_avg", t.get("d_optimizer/0.exp_avg").reshape(5, 3)));
      edits.put("d_optimizer.lr", (t, m) -> m.put("d_optimizer.lr", "NaN"));
      edits.put("d_optimizer.lr ", (t, m) -> m.put("d_optimizer.lr", "-0.5"));
      edits.put("d_optimizer.beta1", (t, m) -> m.put("d_optimizer.beta1", "0.9"));
      edits.put("d_optimizer.eps", (t, m) -> m.put("d_optimizer.eps", "tiny"));
      edits.put("d_optimizer.amsgrad", (t, m) -> m.put("d_optimizer.amsgrad", "false"));
      edits.put("d_optimizer.weight_decay", (t, m) -> m.remove("d_optimizer.weight_decay"));
      edits.put("holds SGD state, not Adam", (t, m) -> m.put("d_optimizer", "SGD"));
      edits.put("'0.momentum_buffer'", (t, m) -> replace(t, "d_optimizer/0.exp_avg", "d_optimizer/0.momentum_buffer"));
      int i = 0;
      for (Map.Entry<String, BiConsumer<Map<String, Tensor>, Map<String, String>>> e : edits.entrySet()) {
        Path bad = edited(source, "bad" + i++, e.getValue());
        CheckpointFixture.Snapshot before = b.snapshot();
        CheckpointException ex = assertThrows(CheckpointException.class, () -> Checkpoint.load(bad, b.model, b.optimizers),
            e.getKey());
        System.out.println("OptimizerStateCheckTest: " + ex.getMessage());
        assertTrue(ex.getMessage().contains(e.getKey().trim()) && ex.getMessage().contains("d_optimizer"),
            e.getKey() + " and d_optimizer not named in: " + ex.getMessage());
        assertNull(b.snapshot().diff(before), e.getKey() + ": the load changed state although it threw");
      }
      // The unedited file still loads, through the same path.
      Path same = edited(source, "same", (t, m) -> {});
      Checkpoint.load(same, b.model, b.optimizers);
      assertNull(b.snapshot().diff(a.snapshot()));
    }
  }
}
