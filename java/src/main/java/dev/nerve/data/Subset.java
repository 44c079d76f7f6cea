package dev.nerve.data;

import java.util.Arrays;

/**
 * A view of some examples of another dataset, in a given order: example {@code i} of the subset
 * is example {@code indices[i]} of the base. Nothing is copied; it is as thread-safe as its base.
 */
public final class Subset implements Dataset {
  private final Dataset base;
  private final int[] indices;

  /**
   * @param base the dataset viewed
   * @param indices positions in base, each in {@code [0, base.size())}; copied
   * @throws IllegalArgumentException if base or indices is null or an index is out of range
   */
  public Subset(Dataset base, int[] indices) {
    if (base == null || indices == null) throw new IllegalArgumentException("Subset: base or indices is null");
    for (int i : indices) {
      if (i < 0 || i >= base.size()) {
        throw new IllegalArgumentException("Subset: index " + i + " is outside the base dataset's " + base.size() + " examples");
      }
    }
    this.base = base;
    this.indices = indices.clone();
  }

  /** The viewed dataset. */
  public Dataset base() {
    return base;
  }

  /** The positions in {@link #base()} of this subset's examples, in order (a copy). */
  public int[] indices() {
    return indices.clone();
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public long[] exampleShape() {
    return base.exampleShape();
  }

  @Override
  public void features(int index, float[] dst, int offset) {
    base.features(indices[index], dst, offset);
  }

  @Override
  public int label(int index) {
    return base.label(indices[index]);
  }

  @Override
  public String toString() {
    return "Subset[" + indices.length + " of " + base.size() + ": " + Arrays.toString(Arrays.copyOf(indices, Math.min(5, indices.length)))
        + (indices.length > 5 ? "...]" : "]");
  }
}
