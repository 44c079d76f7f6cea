package dev.nerve.fuzz;

import dev.nerve.Device;
import dev.nerve.Tensor;
import java.util.Random;

/**
 * The concurrent garbage collector's side of the campaign: allocates tensors on the campaign's
 * device that it never closes (so the Cleaner frees them, on its own thread, while the campaign
 * computes) and calls System.gc() every few allocations. Paused in alternate blocks, when the
 * campaign measures error-path leaks; it stops when the campaign ends.
 */
final class GcThread extends Thread {
  private final Device device;
  private final Random r;
  private volatile boolean paused;
  private volatile boolean stopped;
  private volatile boolean idle;
  volatile Throwable failure;

  GcThread(Device device, long seed) {
    super("fuzz-gc");
    setDaemon(true);
    this.device = device;
    this.r = new Random(~seed);
  }

  @Override
  public void run() {
    long n = 0;
    while (!stopped) {
      if (paused) {
        idle = true;
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      idle = false;
      try {
        Tensor.full(device, 7f, 1 + r.nextInt(1 << 16)); // never closed: the Cleaner's to free
        if (++n % 20 == 0) System.gc(); // about 40 collections a second, each a stop of the world
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        if (!Oracle.documented(t)) failure = t;
      }
    }
    idle = true;
  }

  /** Pauses (and waits until the thread is between allocations) or resumes. */
  void setPaused(boolean value) {
    paused = value;
    if (value) {
      while (!idle && isAlive()) Thread.yield();
    }
  }

  boolean isPaused() {
    return paused && idle;
  }

  void finish() throws InterruptedException {
    stopped = true;
    join();
  }
}
