package dev.nerve.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The learning-rate schedules against their formulas. */
class LrScheduleTest {
  @Test
  void cosineAnnealingFollowsTheFormulaToTheBit() {
    CosineAnnealing s = new CosineAnnealing(0.05f, 15);
    for (int t = 0; t < 15; t++) {
      float expected = (float) (0.05f * 0.5 * (1 + Math.cos(Math.PI * t / 15)));
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(s.lr(t)), "epoch " + t);
    }
    assertEquals(0.05f, s.lr(0));
  }

  @Test
  void stepDecayMultipliesByGammaAtEachBoundary() {
    StepDecay s = new StepDecay(1f, 3, 0.5f);
    float[] expected = {1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.25f};
    for (int t = 0; t < expected.length; t++) assertEquals(expected[t], s.lr(t), "step " + t);
  }

  @Test
  void linearWarmupRampsToTheNextScheduleAndHandsOver() {
    LinearWarmup s = new LinearWarmup(4, new StepDecay(0.8f, 10, 0.1f));
    assertEquals(0.2f, s.lr(0), 1e-7f);
    assertEquals(0.4f, s.lr(1), 1e-7f);
    assertEquals(0.8f, s.lr(3), 1e-7f);
    assertEquals(0.8f, s.lr(4));
    assertEquals(0.8f * 0.1f, s.lr(14), 1e-7f);
    assertEquals(0.3f, new LinearWarmup(0, t -> 0.3f).lr(0));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0.1f, 0));
    assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(-1f, 5));
    assertThrows(IllegalArgumentException.class, () -> new StepDecay(0.1f, 0, 0.5f));
    assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(-1, t -> 1f));
  }
}
