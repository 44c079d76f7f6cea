package dev.nerve;

/**
 * Turns gradient recording off for the current thread while open:
 * {@code try (var g = Grad.off()) { ... }}. Nests.
 */
public final class Grad implements AutoCloseable {
  private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);
  private boolean closed;

  private Grad() {}

  /**
   * Turns recording off on this thread until the returned handle is closed (nested calls
   * count: recording resumes when the outermost closes). Inside, ops build no graph and results do
   * not require gradients: use it for evaluation and inference.
   */
  public static Grad off() {
    DISABLED.get()[0]++;
    return new Grad();
  }

  /** True while recording is on for this thread. */
  public static boolean isEnabled() {
    return DISABLED.get()[0] == 0;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      DISABLED.get()[0]--;
    }
  }
}
