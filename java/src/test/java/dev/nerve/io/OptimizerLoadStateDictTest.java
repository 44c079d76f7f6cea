package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Optimizer.loadStateDict on its own: a state name the optimizer does not keep (a one-byte rename
 * of "0.momentum_buffer") is an error naming it, not a silent loss of the momentum; so is a
 * parameter with only part of its state; on an error the state is unchanged.
 */
class OptimizerLoadStateDictTest {
  @Test
  void aRenamedOrIncompleteStateIsRefusedAndNothingChanges() {
    try (CheckpointFixture a = new CheckpointFixture(1, 3, 1f); Scope s = Scope.open()) {
      Map<String, Tensor> sgd = new LinkedHashMap<>(a.first.stateDict());
      assertEquals(2, sgd.size());
      CheckpointFixture.Snapshot before = a.snapshot();
      Map<String, Tensor> renamed = new LinkedHashMap<>();
      sgd.forEach((k, v) -> renamed.put(k.replace("0.momentum_buffer", "0.momentum_buffeR"), v.mul(1f)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.first.loadStateDict(renamed, 3));
      assertTrue(e.getMessage().contains("'0.momentum_buffeR'"), e.getMessage());
      assertNull(a.snapshot().diff(before));

      Map<String, Tensor> adam = new LinkedHashMap<>(a.second.stateDict());
      Map<String, Tensor> partial = new LinkedHashMap<>();
      adam.forEach((k, v) -> partial.put(k, v.mul(1f)));
      partial.remove("1.exp_avg_sq");
      e = assertThrows(IllegalArgumentException.class, () -> a.second.loadStateDict(partial, 3));
      assertTrue(e.getMessage().contains("'1.exp_avg_sq'"), e.getMessage());
      assertNull(a.snapshot().diff(before));

      // The complete state, doubled, loads.
      Map<String, Tensor> doubled = new LinkedHashMap<>();
      adam.forEach((k, v) -> doubled.put(k, v.mul(2f)));
      float first = adam.get("0.exp_avg").toArray()[0];
      a.second.loadStateDict(doubled, 5);
      assertEquals(5, a.second.stepCount());
      assertEquals(first * 2f, a.second.stateDict().get("0.exp_avg").toArray()[0]);
      assertTrue(adam.get("0.exp_avg").isClosed(), "the replaced state is freed");
    }
  }
}
