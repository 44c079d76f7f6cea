package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * A short DQN run (8,000 steps instead of the CLI's 40,000) must already balance the pole: an
 * average return of at least 195 over 100 greedy episodes. And the same seed gives the same loss.
 */
class DqnCartPoleTest {
  @Test
  void shortRunReachesTheMark() throws Exception {
    StringWriter log = new StringWriter();
    DqnCartPole.Result r = DqnCartPole.train(DqnCartPole.Config.defaults(8, 64, 5e-4f, 0, Device.cpu(1)),
        new PrintWriter(log), RunOutput.none(), null);
    System.out.println("DqnCartPoleTest: average greedy return " + r.evalReturn() + " over " + r.evalEpisodes()
        + " episodes after 8,000 steps");
    assertTrue(r.evalReturn() >= DqnCartPole.TARGET, log.toString());
    DqnCartPole.Result again = DqnCartPole.train(DqnCartPole.Config.defaults(2, 64, 5e-4f, 0, Device.cpu(1)),
        new PrintWriter(new StringWriter()), RunOutput.none(), null);
    DqnCartPole.Result again2 = DqnCartPole.train(DqnCartPole.Config.defaults(2, 64, 5e-4f, 0, Device.cpu(1)),
        new PrintWriter(new StringWriter()), RunOutput.none(), null);
    assertEquals(Double.doubleToRawLongBits(again.lastLoss()), Double.doubleToRawLongBits(again2.lastLoss()));
  }
}
