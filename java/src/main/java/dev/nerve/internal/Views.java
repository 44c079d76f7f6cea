package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.shape;

import dev.nerve.DType;
import dev.nerve.Grad;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Memory;
import dev.nerve.internal.ops.Operand;
import java.util.Arrays;
import java.util.List;

/**
 * View ops (no data moves unless a layout forces a copy), each with its backward, and stack,
 * which copies its inputs into one tensor ({@link Memory#copy}).
 */
public final class Views {
  private Views() {}

  /** A handle on x's storage with another layout, without history; takes a storage reference. */
  private static Tensor view(Tensor x, long offset, long[] shape, long[] strides) {
    Operand d = Tensors.data(x);
    d.storage().retain();
    return Tensors.create(x.device(), new Operand(d.storage(), offset, shape, strides, d.elementBytes()), x.dtype());
  }

  /** A new handle on the same data that records no history. */
  public static Tensor detach(Tensor x) {
    Tensors.checkOpen(x, "detach");
    Operand d = Tensors.data(x);
    return view(x, d.offset(), d.shape(), d.strides());
  }

  /** A new handle on the same data; gradients pass straight through. */
  public static Tensor alias(Tensor x) {
    Tensors.checkOpen(x, "alias");
    Tensor out = view(x, x.offset(), x.shape(), x.strides());
    return Autograd.record(out, "alias", Autograd.savesNothing(), g -> new Tensor[] {alias(g)}, x);
  }

  public static Tensor contiguous(Tensor x) {
    Tensors.checkOpen(x, "contiguous");
    if (x.isContiguous()) return alias(x);
    Tensor out = MemoryFunctions.copy(x);
    return Autograd.record(out, "contiguous", Autograd.savesNothing(), g -> new Tensor[] {alias(g)}, x);
  }

  /** Same data in a new shape (one size may be -1); copies when the layout needs it. */
  public static Tensor reshape(Tensor x, long[] newShape) {
    Tensors.checkOpen(x, "reshape");
    long[] s = newShape.clone();
    Shapes.checkSize("reshape", s, newShape);
    int infer = -1;
    long known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        check(infer < 0, "reshape: more than one -1 in %s", newShape);
        infer = i;
      } else {
        check(s[i] >= 0, "reshape: negative size in %s", newShape);
        known *= s[i];
      }
    }
    long n = x.numel();
    if (infer >= 0) {
      check(known != 0 && n % known == 0, "reshape: cannot reshape %s (%s elements) into %s", shape(x), n, newShape);
      s[infer] = n / known;
    }
    Shapes.checkShape("reshape", s);
    check(Shapes.numel(s) == n, "reshape: cannot reshape %s (%s elements) into %s (%s elements)", shape(x), n, newShape,
        Shapes.numel(s));
    long[] original = x.shape();
    Tensor out;
    if (x.isContiguous()) {
      out = view(x, x.offset(), s, Shapes.contiguousStrides(s));
    } else {
      try (Tensor c = MemoryFunctions.copy(x)) {
        out = view(c, c.offset(), s, Shapes.contiguousStrides(s));
      }
    }
    return Autograd.record(out, "reshape", Autograd.savesNothing(), g -> new Tensor[] {reshape(g, original)}, x);
  }

  /** Dimensions startDim.. flattened into one. */
  public static Tensor flatten(Tensor x, int startDim) {
    Tensors.checkOpen(x, "flatten");
    int s = Shapes.dim("flatten", startDim, x.dim());
    long[] shape = x.shape();
    long[] ns = Arrays.copyOf(shape, s + 1);
    // The product, not -1: -1 is ambiguous when another size is 0 ([0, 3].flatten(1) is [0, 3]).
    for (int i = s + 1; i < shape.length; i++) ns[s] *= shape[i];
    return reshape(x, ns);
  }

  public static Tensor transpose(Tensor x, int d0, int d1) {
    Tensors.checkOpen(x, "transpose");
    int a = Shapes.dim("transpose", d0, x.dim());
    int b = Shapes.dim("transpose", d1, x.dim());
    long[] shape = x.shape();
    long[] strides = x.strides();
    swap(shape, a, b);
    swap(strides, a, b);
    Tensor out = view(x, x.offset(), shape, strides);
    return Autograd.record(out, "transpose", Autograd.savesNothing(), g -> new Tensor[] {transpose(g, a, b)}, x);
  }

  /** The transpose of a 2-D tensor. */
  public static Tensor t(Tensor x) {
    check(x.dim() == 2, "t: expects a 2-D tensor, got %s", shape(x));
    return transpose(x, 0, 1);
  }

  public static Tensor permute(Tensor x, int[] dims) {
    Tensors.checkOpen(x, "permute");
    int n = x.dim();
    check(dims.length == n, "permute: %s dimensions given for a %s-D tensor", dims.length, n);
    long[] shape = x.shape();
    long[] strides = x.strides();
    long[] ns = new long[n];
    long[] nst = new long[n];
    int[] inverse = new int[n];
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) {
      int d = Shapes.dim("permute", dims[i], n);
      check(!seen[d], "permute: dimension %s repeated in %s", d, dims);
      seen[d] = true;
      ns[i] = shape[d];
      nst[i] = strides[d];
      inverse[d] = i;
    }
    Tensor out = view(x, x.offset(), ns, nst);
    return Autograd.record(out, "permute", Autograd.savesNothing(), g -> new Tensor[] {permute(g, inverse)}, x);
  }

  public static Tensor slice(Tensor x, int dim, long start, long end) {
    Tensors.checkOpen(x, "slice");
    int d = Shapes.dim("slice", dim, x.dim());
    long size = x.size(d);
    check(start >= 0 && end <= size && start <= end, "slice: range [%s, %s) is outside dimension %s of size %s (tensor %s)",
        start, end, d, size, shape(x));
    long[] shape = x.shape();
    long[] strides = x.strides();
    shape[d] = end - start;
    Tensor out = view(x, x.offset() + start * strides[d], shape, strides);
    long[] original = x.shape();
    return Autograd.record(out, "slice", Autograd.savesNothing(), g -> {
      Tensor dx = Tensor.zeros(g.device(), original);
      try (Tensor window = slice(dx, d, start, end)) {
        Memory.copy(Tensors.data(g), Tensors.data(window));
      }
      return new Tensor[] {dx};
    }, x);
  }

  public static Tensor unsqueeze(Tensor x, int dim) {
    Tensors.checkOpen(x, "unsqueeze");
    int n = x.dim();
    int d = dim < 0 ? dim + n + 1 : dim;
    check(d >= 0 && d <= n, "unsqueeze: dimension %s is out of range for a %s-D tensor", dim, n);
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
    return Autograd.record(out, "unsqueeze", Autograd.savesNothing(), g -> new Tensor[] {reshape(g, original)}, x);
  }

  /** x[i] for a contiguous x: a view without history (the caller closes it). */
  static Tensor row(Tensor x, long i) {
    return select(x, 0, i);
  }

  /** x[..., i, ...] along dimension d: a strided view without history (the caller closes it). */
  static Tensor select(Tensor x, int d, long i) {
    Operand data = Tensors.data(x);
    long[] shape = data.shape();
    long[] strides = data.strides();
    long[] s = new long[shape.length - 1];
    long[] st = new long[shape.length - 1];
    for (int k = 0, j = 0; k < shape.length; k++) {
      if (k == d) continue;
      s[j] = shape[k];
      st[j++] = strides[k];
    }
    return view(x, data.offset() + i * strides[d], s, st);
  }

  /** Joins tensors of one shape along a new dimension dim. */
  public static Tensor stack(List<Tensor> xs, int dim) {
    return OpFrame.run(() -> stackUnguarded(xs, dim));
  }

  /** stack itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor stackUnguarded(List<Tensor> xs, int dim) {
    String op = "stack";
    check(xs != null && !xs.isEmpty(), "stack: no tensors");
    Tensor first = xs.get(0);
    Checks.checkF32(op, "tensors[0]", first);
    for (int i = 1; i < xs.size(); i++) {
      Tensor x = xs.get(i);
      Checks.checkF32(op, "tensors[" + i + "]", x);
      Checks.checkSameDevice(op, first, x);
      check(Arrays.equals(shape(first), shape(x)), "stack: tensors[%s] is %s but tensors[0] is %s", i, shape(x), shape(first));
    }
    int n = first.dim();
    int d = dim < 0 ? dim + n + 1 : dim;
    check(d >= 0 && d <= n, "stack: dimension %s is out of range for %s-D tensors", dim, n);
    long[] shape = new long[n + 1];
    for (int i = 0, j = 0; i <= n; i++) shape[i] = i == d ? xs.size() : shape(first)[j++];
    Shapes.checkShape(op, shape);
    Tensor out = Tensor.empty(first.device(), DType.F32, shape);
    try (Grad off = Grad.off()) {
      for (int i = 0; i < xs.size(); i++) {
        try (Tensor v = select(out, d, i)) {
          Memory.copy(Tensors.data(xs.get(i)), Tensors.data(v));
        }
      }
    }
    Tensor[] inputs = xs.toArray(new Tensor[0]);
    return Autograd.record(out, op, Autograd.savesNothing(), g -> {
      Tensor[] r = new Tensor[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        if (!inputs[i].requiresGrad()) continue;
        r[i] = select(g, d, i);
      }
      return r;
    }, inputs);
  }

  private static void swap(long[] a, int i, int j) {
    long t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
