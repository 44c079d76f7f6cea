package dev.nerve.examples.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cart-pole against values of Gymnasium's CartPole-v1 and its limits. */
class CartPoleTest {
  @Test
  void oneStepFromRestMatchesGymnasium() {
    CartPole env = new CartPole(0);
    env.reset(0, 0, 0, 0);
    Environment.Step s = env.step(1);
    // Gymnasium: env.unwrapped.state = [0, 0, 0, 0]; env.step(1) -> [0, 0.19512196, 0, -0.29268295]
    assertArrayEquals(new float[] {0f, 0.19512196f, 0f, -0.29268295f}, s.observation(), 1e-7f);
    assertEquals(1f, s.reward());
    assertFalse(s.done());
    Environment.Step s2 = env.step(0);
    assertEquals(0.0039024392f, s2.observation()[0], 1e-7f); // x += tau * 0.19512196
    assertEquals(-0.0058536590f, s2.observation()[2], 1e-7f); // theta += tau * -0.29268295
  }

  @Test
  void terminatesBeyondTwelveDegreesOrTwoPointFourMetres() {
    CartPole env = new CartPole(0);
    env.reset(0, 0, 0.2, 1.0); // 0.2 rad + 0.02 rad > 12 degrees (0.2094 rad)
    Environment.Step s = env.step(0);
    assertTrue(s.terminated());
    assertEquals(1f, s.reward());
    assertThrows(IllegalStateException.class, () -> env.step(0));
    env.reset(2.39, 1.0, 0, 0);
    assertTrue(env.step(1).terminated());
    assertThrows(IllegalArgumentException.class, () -> env.step(2));
  }

  @Test
  void truncatesAfterFiveHundredSteps() {
    CartPole env = new CartPole(3);
    float[] o = env.reset();
    int steps = 0;
    Environment.Step s;
    do {
      // A linear controller that balances: push toward where the pole and cart are heading.
      double u = 0.5 * o[0] + 1.0 * o[1] + 20 * o[2] + 3 * o[3];
      s = env.step(u > 0 ? 1 : 0);
      o = s.observation();
      steps++;
    } while (!s.done());
    assertEquals(500, steps);
    assertTrue(s.truncated());
    assertFalse(s.terminated());
  }

  @Test
  void resetIsSeededAndSmall() {
    float[] a = new CartPole(42).reset();
    float[] b = new CartPole(42).reset();
    assertArrayEquals(a, b);
    for (float v : a) assertTrue(Math.abs(v) <= 0.05f);
  }

  @Test
  void replayBufferKeepsTheLastTransitionsAndSamplesThem() {
    ReplayBuffer buf = new ReplayBuffer(3, 2, 0);
    for (int i = 0; i < 5; i++) buf.add(new float[] {i, i}, i % 2, i, new float[] {i + 1, i + 1}, i == 4);
    assertEquals(3, buf.size());
    ReplayBuffer.Batch b = buf.sample(200);
    boolean[] seen = new boolean[5];
    for (int i = 0; i < b.size(); i++) {
      int k = (int) b.rewards()[i];
      assertTrue(k >= 2, "transition " + k + " should have been overwritten");
      seen[k] = true;
      assertEquals(k, b.states()[2 * i]);
      assertEquals(k + 1, b.nextStates()[2 * i + 1]);
      assertEquals(k % 2, b.actions()[i]);
      assertEquals(k == 4, b.terminals()[i]);
    }
    assertTrue(seen[2] && seen[3] && seen[4]);
    assertThrows(IllegalStateException.class, () -> new ReplayBuffer(4, 2, 0).sample(1));
  }
}
