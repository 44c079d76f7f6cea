package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.Generator;
import org.junit.jupiter.api.Test;

/** The perceptron rule against the truth tables: converges on AND and OR, never on XOR. */
class PerceptronTest {
  @Test
  void learnsAndAndOrForManySeeds() {
    for (long seed = 0; seed < 20; seed++) {
      for (Perceptron.Gate gate : new Perceptron.Gate[] {Perceptron.AND, Perceptron.OR}) {
        Perceptron.Result r = Perceptron.learn(gate, 100, 0.1f, new Generator(seed), Device.cpu(1));
        assertTrue(r.converged(), gate.name() + " seed " + seed);
        assertEquals(1.0, r.bestAccuracy());
        assertArrayEquals(gate.targets(), r.outputs(), gate.name() + " seed " + seed);
      }
    }
  }

  @Test
  void neverLearnsXorAndNeverGetsMoreThanThreeOfFour() {
    for (long seed = 0; seed < 20; seed++) {
      Perceptron.Result r = Perceptron.learn(Perceptron.XOR, 200, 0.1f, new Generator(seed), Device.cpu(1));
      assertFalse(r.converged(), "seed " + seed);
      assertEquals(200, r.epochs());
      // No line separates XOR's classes, so no weights get all four right; three is the most.
      // (Which states the cycling weights visit depends on the start: some seeds never pass 2/4.)
      assertTrue(r.bestAccuracy() == 0.5 || r.bestAccuracy() == 0.75, "seed " + seed + ": " + r.bestAccuracy());
    }
  }
}
