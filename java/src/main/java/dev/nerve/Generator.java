package dev.nerve;

/**
 * A seeded source of random numbers for initialisation, shuffling and dropout. Random tensors
 * come from the native counter-based generator: element i depends only on (seed, offset + i),
 * so the same seed gives the same numbers on every backend and thread count. Each draw advances
 * the offset.
 */
public final class Generator {
  private static volatile Generator global = new Generator(0);

  private final long seed;
  private long offset;

  /** The generator layers use when none is given (seed 0 until {@link #manualSeed}). */
  public static Generator global() {
    return global;
  }

  /** Restarts the global generator from seed, as torch.manual_seed. */
  public static void manualSeed(long seed) {
    global = new Generator(seed);
  }

  /** A generator starting at offset 0 of the stream for seed; the same seed gives the same draws. */
  public Generator(long seed) {
    this.seed = seed;
  }

  /** The seed this generator was created with. */
  public long seed() {
    return seed;
  }

  /** How many counters have been drawn: with the seed, the generator's whole state. */
  public synchronized long offset() {
    return offset;
  }

  /** Puts the generator back to a saved {@link #offset()} (a resumed training run's dropout). */
  public synchronized void seek(long offset) {
    if (offset < 0) throw new IllegalArgumentException("Generator.seek: offset must be >= 0, got " + offset);
    this.offset = offset;
  }

  /** Reserves n counters and returns the first. */
  public synchronized long advance(long n) {
    long start = offset;
    offset += n;
    return start;
  }

  /** A 64-bit value for host-side randomness (shuffles), drawn from the same stream. */
  public synchronized long nextLong() {
    long z = seed + 0x9E3779B97F4A7C15L * (++offset);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
