package dev.nerve;

import java.util.Arrays;

/** Shape arithmetic: validation, strides, broadcasting. */
final class Shapes {
  static final int MAX_DIMS = 8;

  private Shapes() {}

  static long[] checkShape(String op, long[] shape) {
    if (shape == null) throw new IllegalArgumentException(op + ": shape is null");
    if (shape.length > MAX_DIMS) {
      throw new IllegalArgumentException(op + ": " + shape.length + " dimensions is more than " + MAX_DIMS);
    }
    long n = 1;
    for (long s : shape) {
      if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Arrays.toString(shape));
      n = Math.multiplyExact(n, s);
    }
    if (n > (1L << 40)) throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " is too large");
    return shape.clone();
  }

  static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) n *= s;
    return n;
  }

  static long[] contiguousStrides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(shape[i], 1);
    }
    return strides;
  }

  /** Normalises a possibly negative dimension index. */
  static int dim(String op, int d, int ndim) {
    int r = d < 0 ? d + ndim : d;
    if (r < 0 || r >= ndim) {
      throw new IllegalArgumentException(op + ": dimension " + d + " is out of range for a " + ndim + "-D tensor");
    }
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
        throw new IllegalArgumentException(
            op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " cannot be broadcast (dimension "
                + i + ": " + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  static String str(long[] shape) {
    return Arrays.toString(shape);
  }
}
