package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The 2-8-1 MLP must get all four XOR inputs right, confidently, for several seeds. */
class XorMlpTest {
  @Test
  void learnsXorForSeveralSeeds() {
    for (long seed = 0; seed < 5; seed++) {
      XorMlp.Result r = XorMlp.train(8, 300, 0.05f, seed, Device.cpu(1), new PrintWriter(new StringWriter()));
      assertEquals(1.0, r.accuracy(), "seed " + seed);
      float[] p = r.probabilities();
      float[] t = {0, 1, 1, 0};
      for (int i = 0; i < 4; i++) {
        assertTrue(Math.abs(p[i] - t[i]) < 0.1f, "seed " + seed + ": p(1) = " + p[i] + " for target " + t[i]);
      }
    }
  }
}
