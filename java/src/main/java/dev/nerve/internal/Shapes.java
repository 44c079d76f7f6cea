package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;

/** Shape arithmetic: validation, strides, dimension indices, broadcasting. */
public final class Shapes {
  static final int MAX_DIMS = 8;

  private Shapes() {}

  /** The most elements a tensor may have (and the most the non-zero sizes of an empty one may multiply to). */
  static final long MAX_ELEMENTS = 1L << 40;

  /** A copy of shape after checking it: at most 8 dimensions, no negative size, at most 2^40 elements. */
  public static long[] checkShape(String op, long[] shape) {
    check(shape != null, "%s: shape is null", op);
    check(shape.length <= MAX_DIMS, "%s: %s dimensions is more than %s", op, shape.length, MAX_DIMS);
    for (long s : shape) check(s >= 0, "%s: negative size in shape %s", op, shape);
    checkSize(op, shape, shape);
    return shape.clone();
  }

  /**
   * Throws IllegalArgumentException naming op and shown unless the sizes of shape other than 0
   * and -1 multiply to at most 2^40 (never an ArithmeticException: the product is checked
   * before each multiplication). Bounding the non-zero sizes keeps the strides of an empty
   * tensor from overflowing too.
   */
  static void checkSize(String op, long[] shape, long[] shown) {
    long n = 1;
    for (long s : shape) {
      if (s <= 0) continue;
      if (n > MAX_ELEMENTS / s) throw Checks.fail("%s: shape %s has more than 2^40 elements", op, shown);
      n *= s;
    }
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) n *= s;
    return n;
  }

  public static long[] contiguousStrides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(shape[i], 1);
    }
    return strides;
  }

  /** Normalises a possibly negative dimension index of an ndim-D tensor. */
  public static int dim(String op, int d, int ndim) {
    int r = d < 0 ? d + ndim : d;
    check(r >= 0 && r < ndim, "%s: dimension %s is out of range for a %s-D tensor", op, d, ndim);
    return r;
  }

  /** The broadcast shape of a and b (NumPy rules), or an exception naming op and both shapes. */
  static long[] broadcast(String op, long[] a, long[] b) {
    int n = Math.max(a.length, b.length);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long da = i < n - a.length ? 1 : a[i - (n - a.length)];
      long db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw Checks.fail("%s: shapes %s and %s cannot be broadcast (dimension %s: %s vs %s)", op, a, b, i, da, db);
      }
      out[i] = da == 1 ? db : da;
    }
    checkSize(op, out, out);
    return out;
  }
}
