package dev.nerve;

import dev.nerve.ops.Memory;

/** View ops (no data moves unless a layout forces a copy), each with its backward. */
final class Views {
  private Views() {}

  private static Tensor view(Tensor x, long offset, long[] shape, long[] strides) {
    x.storage().retain();
    return new Tensor(x.device(), x.storage(), offset, shape, strides, x.dtype());
  }

  /** A new handle on the same data; gradients pass straight through. */
  static Tensor alias(Tensor x) {
    x.checkOpen("alias");
    Tensor out = view(x, x.offset(), x.shape(), x.strides());
    return Autograd.record(out, "alias", g -> new Tensor[] {alias(g)}, x);
  }

  static Tensor contiguous(Tensor x) {
    x.checkOpen("contiguous");
    if (x.isContiguous()) return alias(x);
    Tensor out = x.contiguousNoGrad();
    return Autograd.record(out, "contiguous", g -> new Tensor[] {alias(g)}, x);
  }

  static Tensor reshape(Tensor x, long[] newShape) {
    x.checkOpen("reshape");
    long[] s = newShape.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(newShape));
        infer = i;
      } else if (s[i] < 0) {
        throw new IllegalArgumentException("reshape: negative size in " + Shapes.str(newShape));
      } else {
        known *= s[i];
      }
    }
    long n = x.numel();
    if (infer >= 0) {
      if (known == 0 || n % known != 0) {
        throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.shape()) + " (" + n
            + " elements) into " + Shapes.str(newShape));
      }
      s[infer] = n / known;
    }
    Shapes.checkShape("reshape", s);
    if (Shapes.numel(s) != n) {
      throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.shape()) + " (" + n
          + " elements) into " + Shapes.str(newShape) + " (" + Shapes.numel(s) + " elements)");
    }
    long[] original = x.shape();
    Tensor out;
    if (x.isContiguous()) {
      out = view(x, x.offset(), s, Shapes.contiguousStrides(s));
    } else {
      try (Tensor c = x.contiguousNoGrad()) {
        out = view(c, c.offset(), s, Shapes.contiguousStrides(s));
      }
    }
    return Autograd.record(out, "reshape", g -> new Tensor[] {reshape(g, original)}, x);
  }

  static Tensor transpose(Tensor x, int d0, int d1) {
    x.checkOpen("transpose");
    int a = Shapes.dim("transpose", d0, x.dim());
    int b = Shapes.dim("transpose", d1, x.dim());
    long[] shape = x.shape();
    long[] strides = x.strides();
    swap(shape, a, b);
    swap(strides, a, b);
    Tensor out = view(x, x.offset(), shape, strides);
    return Autograd.record(out, "transpose", g -> new Tensor[] {transpose(g, a, b)}, x);
  }

  static Tensor permute(Tensor x, int[] dims) {
    x.checkOpen("permute");
    int n = x.dim();
    if (dims.length != n) {
      throw new IllegalArgumentException("permute: " + dims.length + " dimensions given for a " + n + "-D tensor");
    }
    long[] shape = x.shape();
    long[] strides = x.strides();
    long[] ns = new long[n];
    long[] nst = new long[n];
    int[] inverse = new int[n];
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) {
      int d = Shapes.dim("permute", dims[i], n);
      if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeated in " + java.util.Arrays.toString(dims));
      seen[d] = true;
      ns[i] = shape[d];
      nst[i] = strides[d];
      inverse[d] = i;
    }
    Tensor out = view(x, x.offset(), ns, nst);
    return Autograd.record(out, "permute", g -> new Tensor[] {permute(g, inverse)}, x);
  }

  static Tensor slice(Tensor x, int dim, long start, long end) {
    x.checkOpen("slice");
    int d = Shapes.dim("slice", dim, x.dim());
    long size = x.size(d);
    if (start < 0 || end > size || start > end) {
      throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is outside dimension " + d
          + " of size " + size + " (tensor " + Shapes.str(x.shape()) + ")");
    }
    long[] shape = x.shape();
    long[] strides = x.strides();
    shape[d] = end - start;
    Tensor out = view(x, x.offset() + start * strides[d], shape, strides);
    long[] original = x.shape();
    return Autograd.record(out, "slice", g -> {
      Tensor dx = Tensor.zeros(g.device(), original);
      try (Tensor window = slice(dx, d, start, end)) {
        Memory.copy(g, window);
      }
      return new Tensor[] {dx};
    }, x);
  }

  static Tensor unsqueeze(Tensor x, int dim) {
    x.checkOpen("unsqueeze");
    int n = x.dim();
    int d = dim < 0 ? dim + n + 1 : dim;
    if (d < 0 || d > n) {
      throw new IllegalArgumentException("unsqueeze: dimension " + dim + " is out of range for a " + n + "-D tensor");
    }
    long[] shape = new long[n + 1];
    long[] strides = new long[n + 1];
    long[] s = x.shape();
    long[] st = x.strides();
    for (int i = 0, j = 0; i <= n; i++) {
      if (i == d) {
        shape[i] = 1;
        strides[i] = j < n ? st[j] * s[j] : 1;
      } else {
        shape[i] = s[j];
        strides[i] = st[j];
        j++;
      }
    }
    long[] original = x.shape();
    Tensor out = view(x, x.offset(), shape, strides);
    return Autograd.record(out, "unsqueeze", g -> new Tensor[] {reshape(g, original)}, x);
  }

  private static void swap(long[] a, int i, int j) {
    long t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
