package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Tensor;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the others
 * scaled by 1 / (1 - p), so evaluation mode (where the module is the identity) needs no
 * rescaling. The masks come from the generator given (the global one by default).
 */
public final class Dropout extends Module {
  private final float p;
  private final Generator gen;

  /** Dropout with probability p in [0, 1), masks drawn from {@link dev.nerve.Generator#global()}. */
  public Dropout(float p) {
    this(p, null);
  }

  /** gen null: {@link Generator#global()} at each call. */
  public Dropout(float p, Generator gen) {
    if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
    this.p = p;
    this.gen = gen;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.dropout(x, p, isTraining(), gen == null ? Generator.global() : gen);
  }

  @Override
  public String toString() {
    return "Dropout(" + p + ")";
  }
}
