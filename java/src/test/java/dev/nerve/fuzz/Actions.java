package dev.nerve.fuzz;

import static dev.nerve.fuzz.Campaign.closedOrMixed;
import static dev.nerve.fuzz.Campaign.d;
import static dev.nerve.fuzz.Campaign.dimOutOfRange;
import static dev.nerve.fuzz.Campaign.first;
import static dev.nerve.fuzz.Campaign.notF32;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Tensor;
import java.util.Arrays;
import java.util.Random;

/**
 * The tensor-level actions: factories, views, pointwise ops, reductions, matmul, softmax,
 * losses, embedding, convolution and pooling, in-place fills and copies, reading data out, and
 * closing. Each computes, independently of the library, whether its arguments are invalid.
 * Layers, optimizers, autograd, scopes and checkpoints are in {@link ModelActions}.
 */
final class Actions {
  private final Campaign c;
  private final Random r;
  private final ModelActions model;

  Actions(Campaign c) {
    this.c = c;
    this.r = c.r;
    this.model = new ModelActions(c);
  }

  /** One random action (one or a few calls). */
  void next() {
    int k = r.nextInt(100);
    if (k < 10) create();
    else if (k < 20) view();
    else if (k < 27) unary();
    else if (k < 30) scalarOp();
    else if (k < 38) binary();
    else if (k < 44) reduce();
    else if (k < 49) matmul();
    else if (k < 52) softmax();
    else if (k < 56) loss();
    else if (k < 58) embedding();
    else if (k < 62) convOrPool();
    else if (k < 66) inPlace();
    else if (k < 70) readOut();
    else if (k < 73) closeOne();
    else if (k < 75) checkedCompute();
    else model.next();
  }

  // ------------------------------------------------------------------ factories

  private void create() {
    Device dev = c.device();
    long[] s = c.anyShape();
    String bad = Campaign.invalidShape(s);
    String a = Arrays.toString(s) + " " + dev;
    switch (r.nextInt(8)) {
      case 0 -> c.add(c.call("Tensor.empty", a, bad, true, () -> Tensor.empty(dev, r.nextBoolean() ? DType.F32 : DType.I32, s)));
      case 1 -> c.add(c.call("Tensor.zeros", a, bad, true, () -> Tensor.zeros(dev, s)));
      case 2 -> {
        float v = c.value();
        c.add(c.call("Tensor.full", a + ", " + v, bad, true, () -> Tensor.full(dev, v, s)));
      }
      case 3 -> c.add(c.call("Tensor.randn", a, bad, true, () -> Tensor.randn(dev, c.gen, 0, 1, s)));
      case 4 -> c.add(c.call("Tensor.rand", a, bad, true, () -> Tensor.rand(dev, c.gen, -1, 1, s)));
      case 5 -> c.add(c.call("Tensor.scalar", dev.toString(), null, true, () -> Tensor.scalar(dev, c.value())));
      case 6 -> {
        long n = bad == null ? numel(s) : 3;
        int len = (int) n + (r.nextInt(5) == 0 ? 1 + r.nextInt(3) : 0);
        float[] data = new float[len];
        for (int i = 0; i < len; i++) data[i] = c.value();
        // no shape at all means a 1-D tensor of the values
        String why = first(bad, len != n && s.length > 0 ? len + " values for " + n + " elements" : null);
        c.add(c.call("Tensor.of", len + " values, " + a, why, true, () -> Tensor.of(dev, data, s)));
      }
      default -> {
        long n = bad == null ? numel(s) : 3;
        int[] data = new int[(int) n];
        for (int i = 0; i < n; i++) data[i] = r.nextInt(21) - 5;
        c.add(c.call("Tensor.ofInts", a, bad, true, () -> Tensor.ofInts(dev, data, s)));
      }
    }
  }

  static long numel(long[] s) {
    long n = 1;
    for (long d : s) n *= d;
    return n;
  }

  // ------------------------------------------------------------------ views

  private void view() {
    Tensor x = c.pick();
    String closed = x.isClosed() ? "closed tensor" : null;
    int n = x.dim();
    switch (r.nextInt(11)) {
      case 0, 1, 9 -> {
        long[] s = reshapeTarget(x.shape());
        boolean inferred = Arrays.stream(s).anyMatch(v -> v == -1);
        boolean asView = r.nextInt(3) == 0;
        String bad = first(closed, !inferred && numel(s) != x.numel() ? "reshape " + d(x) + " to " + Arrays.toString(s) : null);
        c.add(c.call(asView ? "view" : "reshape", d(x) + " -> " + Arrays.toString(s), bad, true,
            () -> asView ? x.view(s) : x.reshape(s)));
      }
      case 2 -> {
        int a = r.nextInt(n + 3) - 1;
        int b = r.nextInt(n + 3) - 1;
        c.add(c.call("transpose", d(x) + ", " + a + ", " + b, first(closed, dimOutOfRange(a, n), dimOutOfRange(b, n)), true,
            () -> x.transpose(a, b)));
      }
      case 3 -> {
        int[] p = permutation(n);
        String bad = first(closed, isPermutation(p, n) ? null : "not a permutation: " + Arrays.toString(p));
        c.add(c.call("permute", d(x) + ", " + Arrays.toString(p), bad, true, () -> x.permute(p)));
      }
      case 4 -> {
        int dim = r.nextInt(n + 2) - 1;
        long size = dimOutOfRange(dim, n) == null && n > 0 ? x.size(dim) : 1;
        long start = r.nextInt((int) size + 3) - 1;
        long end = r.nextInt((int) size + 3) - 1;
        String bad = first(closed, n == 0 ? "slice of a 0-D tensor" : dimOutOfRange(dim, n),
            start < 0 || end > size || start > end ? "range [" + start + ", " + end + ") of size " + size : null);
        c.add(c.call("slice", d(x) + ", " + dim + ", " + start + ", " + end, bad, true, () -> x.slice(dim, start, end)));
      }
      case 5 -> {
        int dim = r.nextInt(n + 4) - 2;
        String bad = first(closed, dim < -(n + 1) || dim > n ? "unsqueeze dimension " + dim + " of a " + n + "-D tensor" : null);
        c.add(c.call("unsqueeze", d(x) + ", " + dim, bad, true, () -> x.unsqueeze(dim)));
      }
      case 6 -> {
        int dim = r.nextInt(n + 2) - 1;
        c.add(c.call("flatten", d(x) + ", " + dim, first(closed, n > 0 ? dimOutOfRange(dim, n) : null), true, () -> x.flatten(dim)));
      }
      case 7 -> c.add(c.call("contiguous", d(x), closed, true, x::contiguous));
      case 8 -> c.add(c.call("detach", d(x), closed, true, x::detach));
      default -> c.add(c.call("t", d(x), first(closed, n != 2 && n > 2 ? "t() of a " + n + "-D tensor" : null), true, x::t));
    }
  }

  private long[] reshapeTarget(long[] shape) {
    long n = numel(shape);
    if (r.nextInt(6) == 0) {
      long[] s = shape.clone();
      if (s.length > 0) s[r.nextInt(s.length)] += 1; // another element count
      else s = new long[] {2};
      return s;
    }
    if (n == 0) return new long[] {0, 1 + r.nextInt(3)};
    long rest = n;
    long[] out = new long[1 + r.nextInt(4)];
    for (int i = 0; i < out.length - 1; i++) {
      long f = 1;
      for (long cand = 2; cand <= rest && cand <= 16; cand++) {
        if (rest % cand == 0 && r.nextBoolean()) {
          f = cand;
          break;
        }
      }
      out[i] = f;
      rest /= f;
    }
    out[out.length - 1] = rest;
    if (r.nextInt(3) == 0) out[r.nextInt(out.length)] = -1;
    return out;
  }

  private int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    if (n > 0 && r.nextInt(5) == 0) p[r.nextInt(n)] = r.nextInt(n + 2) - 1; // a repeat or an out-of-range one
    if (r.nextInt(15) == 0) p = Arrays.copyOf(p, n + 1);
    return p;
  }

  private static boolean isPermutation(int[] p, int n) {
    if (p.length != n) return false;
    boolean[] seen = new boolean[n];
    for (int v : p) {
      int d = v < 0 ? v + n : v;
      if (d < 0 || d >= n || seen[d]) return false;
      seen[d] = true;
    }
    return true;
  }

  // ------------------------------------------------------------------ pointwise

  private static final String[] UNARY = {"neg", "exp", "log", "sqrt", "abs", "square", "reciprocal", "relu", "sigmoid",
      "tanh", "softplus", "pow", "leakyRelu", "toType"};

  private void unary() {
    Tensor x = c.pick();
    String op = UNARY[r.nextInt(UNARY.length)];
    if (op.equals("toType") && r.nextInt(3) == 0) {
      float p = r.nextInt(6) == 0 ? (r.nextBoolean() ? -0.5f : 1.5f) : r.nextFloat();
      boolean training = r.nextBoolean();
      String bad = first(x.isClosed() ? "closed tensor" : null, notF32(x), p < 0 || p > 1 ? "dropout p " + p : null);
      c.add(c.call("dropout", d(x) + ", p " + p + (training ? ", training" : ""), bad, true, () -> F.dropout(x, p, training, c.gen)));
      return;
    }
    String bad = first(x.isClosed() ? "closed tensor" : null, op.equals("toType") ? null : notF32(x));
    float p = c.value();
    c.add(c.call(op, d(x), bad, true, () -> switch (op) {
      case "neg" -> x.neg();
      case "exp" -> x.exp();
      case "log" -> x.log();
      case "sqrt" -> x.sqrt();
      case "abs" -> x.abs();
      case "square" -> x.square();
      case "reciprocal" -> F.reciprocal(x);
      case "relu" -> x.relu();
      case "sigmoid" -> x.sigmoid();
      case "tanh" -> x.tanh();
      case "softplus" -> x.softplus();
      case "pow" -> x.pow(p);
      case "leakyRelu" -> F.leakyRelu(x, p);
      default -> x.toType(r.nextBoolean() ? DType.F32 : DType.I32);
    }));
  }

  private void scalarOp() {
    Tensor x = c.pick();
    float v = c.value();
    String bad = first(x.isClosed() ? "closed tensor" : null, notF32(x));
    int k = r.nextInt(4);
    c.add(c.call(new String[] {"add(s)", "sub(s)", "mul(s)", "div(s)"}[k], d(x) + ", " + v, bad, true,
        () -> switch (k) {
          case 0 -> x.add(v);
          case 1 -> x.sub(v);
          case 2 -> x.mul(v);
          default -> x.div(v);
        }));
  }

  /** A second operand for x: broadcast-compatible most of the time. */
  private Tensor partner(Tensor x) {
    if (r.nextInt(4) == 0 || x.isClosed()) return c.pick();
    long[] s = x.shape();
    int keep = r.nextInt(s.length + 1);
    long[] b = Arrays.copyOfRange(s, s.length - keep, s.length);
    for (int i = 0; i < b.length; i++) if (r.nextInt(3) == 0) b[i] = 1;
    if (r.nextInt(8) == 0 && b.length > 0) b[r.nextInt(b.length)] += 2;   // likely incompatible
    Device dev = r.nextInt(30) == 0 ? c.device() : x.device();
    Tensor t = c.call("Tensor.randn", Arrays.toString(b) + " " + dev, null, true, () -> Tensor.randn(dev, c.gen, 0, 1, b));
    c.add(t);
    return t == null ? c.pick() : t;
  }

  static boolean broadcastable(long[] a, long[] b) {
    for (int i = 1; i <= Math.min(a.length, b.length); i++) {
      long x = a[a.length - i];
      long y = b[b.length - i];
      if (x != y && x != 1 && y != 1) return false;
    }
    return true;
  }

  private void binary() {
    Tensor a = c.pick();
    Tensor b = partner(a);
    if (r.nextBoolean()) {
      Tensor t = a;
      a = b;
      b = t;
    }
    Tensor x = a;
    Tensor y = b;
    String op = new String[] {"add", "sub", "mul", "div", "maximum", "minimum", "eq", "gt", "lt"}[r.nextInt(9)];
    // comparisons take two i32 tensors too (labels against predicted indices, compared as floats)
    boolean bothInts = x.dtype() == DType.I32 && y.dtype() == DType.I32 && (op.equals("eq") || op.equals("gt") || op.equals("lt"));
    String bad = first(closedOrMixed(x, y), bothInts ? null : notF32(x, y),
        broadcastable(x.shape(), y.shape()) ? null : "shapes " + d(x) + " and " + d(y) + " do not broadcast");
    c.add(c.call(op, d(x) + ", " + d(y), bad, true, () -> switch (op) {
      case "add" -> x.add(y);
      case "sub" -> x.sub(y);
      case "mul" -> x.mul(y);
      case "div" -> x.div(y);
      case "maximum" -> x.maximum(y);
      case "minimum" -> x.minimum(y);
      case "eq" -> x.eq(y);
      case "gt" -> x.gt(y);
      default -> x.lt(y);
    }));
  }

  // ------------------------------------------------------------------ reductions, matmul, softmax

  private void reduce() {
    Tensor x = c.pick();
    int n = x.dim();
    int dim = r.nextInt(n + 3) - 1;
    boolean keep = r.nextBoolean();
    String base = first(x.isClosed() ? "closed tensor" : null, notF32(x));
    String bad = first(base, dimOutOfRange(dim, n));
    switch (r.nextInt(6)) {
      case 0 -> c.add(c.call("sum", d(x), base, true, x::sum));
      case 1 -> c.add(c.call("mean", d(x), base, true, x::mean));
      case 2 -> c.add(c.call("sum(dim)", d(x) + ", " + dim, bad, true, () -> x.sum(dim, keep)));
      case 3 -> c.add(c.call("mean(dim)", d(x) + ", " + dim, bad, true, () -> x.mean(dim, keep)));
      case 4 -> c.add(c.call("max(dim)", d(x) + ", " + dim, bad, true, () -> x.max(dim, keep)));
      default -> c.add(c.call("argmax", d(x) + ", " + dim, bad, true, () -> x.argmax(dim)));
    }
  }

  private void matmul() {
    Tensor a;
    Tensor b;
    if (r.nextInt(4) == 0) {
      a = c.pick();
      b = c.pick();
    } else {
      long m = 1 + r.nextInt(9);
      long k = r.nextInt(10);
      long nn = 1 + r.nextInt(9);
      long k2 = r.nextInt(6) == 0 ? k + 1 : k;
      boolean batched = r.nextBoolean();
      long bt = 1 + r.nextInt(3);
      long[] as = batched ? new long[] {bt, m, k} : new long[] {m, k};
      long[] bs = batched && r.nextBoolean() ? new long[] {bt, k2, nn} : new long[] {k2, nn};
      Device dev = c.device();
      a = c.call("Tensor.randn", Arrays.toString(as), null, true, () -> Tensor.randn(dev, c.gen, 0, 1, as));
      b = c.call("Tensor.randn", Arrays.toString(bs), null, true, () -> Tensor.randn(dev, c.gen, 0, 1, bs));
      c.add(a);
      c.add(b);
      if (a == null || b == null) return;
      if (r.nextInt(3) == 0) { // a transposed view: the GEMM reads it without a copy
        Tensor a0 = a;
        Tensor view = c.call("t.contiguous.t", d(a0), null, true, () -> a0.dim() == 2 ? a0.t().contiguous().t() : a0.transpose(1, 2).contiguous().transpose(1, 2));
        c.add(view);
        if (view != null) a = view;
      }
    }
    Tensor x = a;
    Tensor y = b;
    long[] as = x.shape();
    long[] bs = y.shape();
    String shapes = null;
    if (as.length >= 2 && bs.length == 2 && as[as.length - 1] != bs[0]) shapes = "inner dimensions differ";
    if (as.length == 3 && bs.length == 3 && (as[0] != bs[0] || as[2] != bs[1])) shapes = "batch or inner dimensions differ";
    c.add(c.call("matmul", d(x) + ", " + d(y), first(closedOrMixed(x, y), notF32(x, y), shapes), true, () -> x.matmul(y)));
  }

  private void softmax() {
    Tensor x = c.pick();
    int n = x.dim();
    int dim = r.nextInt(n + 2) - 1;
    boolean log = r.nextBoolean();
    String bad = first(x.isClosed() ? "closed tensor" : null, notF32(x), dimOutOfRange(dim, n));
    c.add(c.call(log ? "logSoftmax" : "softmax", d(x) + ", " + dim, bad, true, () -> log ? x.logSoftmax(dim) : x.softmax(dim)));
  }

  // ------------------------------------------------------------------ losses, embedding, conv, pool

  private void loss() {
    Device dev = c.device();
    long b = 1 + r.nextInt(6);
    long classes = 1 + r.nextInt(6);
    switch (r.nextInt(3)) {
      case 0 -> {
        int[] labels = new int[(int) b];
        boolean outside = false;
        for (int i = 0; i < b; i++) {
          labels[i] = r.nextInt(12) == 0 ? (int) classes + r.nextInt(3) - (r.nextBoolean() ? 0 : (int) classes + 3) : r.nextInt((int) classes);
          outside |= labels[i] < 0 || labels[i] >= classes;
        }
        Tensor logits = c.call("Tensor.randn", "[" + b + ", " + classes + "]", null, true,
            () -> Tensor.randn(dev, c.gen, 0, 3, b, classes));
        Tensor y = c.call("Tensor.ofInts", Arrays.toString(labels), null, true, () -> Tensor.ofInts(dev, labels, b));
        c.add(logits);
        c.add(y);
        if (logits == null || y == null) return;
        if (r.nextInt(5) == 0) {
          float v = c.value();
          c.call("fill", d(logits) + ", " + v, null, true, () -> logits.fill(v));
        }
        String bad = outside ? "label outside [0, " + classes + ") in " + Arrays.toString(labels) : null;
        c.add(c.call("crossEntropy", d(logits) + ", " + Arrays.toString(labels), bad, true, () -> F.crossEntropy(logits, y)));
      }
      case 1 -> {
        Tensor x = c.pick();
        Tensor t = partner(x);
        String bad = first(closedOrMixed(x, t), notF32(x, t),
            broadcastable(x.shape(), t.shape()) ? null : "shapes " + d(x) + " and " + d(t) + " do not broadcast");
        c.add(c.call("mseLoss", d(x) + ", " + d(t), bad, true, () -> F.mseLoss(x, t)));
      }
      default -> {
        Tensor x = c.pick();
        Tensor t = partner(x);
        String bad = first(closedOrMixed(x, t), notF32(x, t),
            broadcastable(x.shape(), t.shape()) ? null : "shapes " + d(x) + " and " + d(t) + " do not broadcast");
        c.add(c.call("bceWithLogits", d(x) + ", " + d(t), bad, true, () -> F.bceWithLogits(x, t)));
      }
    }
  }

  private void embedding() {
    Device dev = c.device();
    long num = 1 + r.nextInt(8);
    long dim = 1 + r.nextInt(5);
    int count = r.nextInt(6);
    int[] idx = new int[count];
    boolean outside = false;
    for (int i = 0; i < count; i++) {
      idx[i] = r.nextInt(10) == 0 ? (r.nextBoolean() ? -1 : (int) num) : r.nextInt((int) num);
      outside |= idx[i] < 0 || idx[i] >= num;
    }
    Tensor w = c.call("Tensor.randn", "[" + num + ", " + dim + "]", null, true, () -> Tensor.randn(dev, c.gen, 0, 1, num, dim));
    Tensor ix = c.call("Tensor.ofInts", Arrays.toString(idx), null, true, () -> Tensor.ofInts(dev, idx, count));
    c.add(w);
    c.add(ix);
    if (w == null || ix == null) return;
    String bad = outside ? "index outside [0, " + num + ") in " + Arrays.toString(idx) : null;
    c.add(c.call("embedding", Arrays.toString(idx) + ", " + d(w), bad, true, () -> F.embedding(ix, w)));
  }

  private void convOrPool() {
    Device dev = c.device();
    long n = 1 + r.nextInt(2);
    long ch = 1 + r.nextInt(3);
    long h = 1 + r.nextInt(7);
    long wd = 1 + r.nextInt(7);
    int kernel = r.nextInt(4);
    int stride = r.nextInt(3);
    int padding = r.nextInt(3) - (r.nextInt(8) == 0 ? 1 : 0);
    Tensor x = c.call("Tensor.randn", "[" + n + ", " + ch + ", " + h + ", " + wd + "]", null, true,
        () -> Tensor.randn(dev, c.gen, 0, 1, n, ch, h, wd));
    c.add(x);
    if (x == null) return;
    int op = r.nextInt(3);
    int kk = op == 0 ? Math.max(kernel, 1) : kernel; // a convolution's kernel is its weight's
    boolean geometry = kk <= 0 || stride <= 0 || padding < 0 || h + 2L * padding < kk || wd + 2L * padding < kk;
    String args = d(x) + ", kernel " + kk + ", stride " + stride + ", padding " + padding;
    switch (op) {
      case 0 -> {
        long k = 1 + r.nextInt(3);
        long wc = r.nextInt(8) == 0 ? ch + 1 : ch;
        Tensor w = c.call("Tensor.randn", "conv weight", null, true, () -> Tensor.randn(dev, c.gen, 0, 1, k, wc, kk, kk));
        c.add(w);
        if (w == null) return;
        String bad = first(geometry ? "conv geometry " + args : null, wc != ch ? "weight has " + wc + " input channels, input " + ch : null);
        c.add(c.call("conv2d", args + ", weight " + d(w), bad, true, () -> F.conv2d(x, w, null, stride, padding)));
      }
      case 1 -> {
        String bad = first(geometry ? "pool geometry " + args : null, padding * 2 > kernel ? "padding more than half the kernel" : null);
        c.add(c.call("maxPool2d", args, bad, true, () -> F.maxPool2d(x, kernel, stride, padding, false)));
      }
      default -> {
        String bad = first(geometry ? "pool geometry " + args : null, padding * 2 > kernel ? "padding more than half the kernel" : null);
        c.add(c.call("avgPool2d", args, bad, true, () -> F.avgPool2d(x, kernel, stride, padding, false, true)));
      }
    }
  }

  // ------------------------------------------------------------------ in place, data out, close

  private void inPlace() {
    Tensor x = c.pick();
    String closed = x.isClosed() ? "closed tensor" : null;
    switch (r.nextInt(4)) {
      case 0 -> {
        float v = c.value();
        c.call("fill", d(x) + ", " + v, closed, true, () -> x.fill(v));
      }
      case 1 -> c.call("fillUniform", d(x), first(closed, notF32(x)), true, () -> x.fillUniform(c.gen, -1, 1));
      case 2 -> {
        long n = x.numel();
        int len = (int) Math.min(n, 1 << 16) + (r.nextInt(5) == 0 ? 1 : 0);
        float[] data = new float[len];
        for (int i = 0; i < len; i++) data[i] = c.value();
        c.call("copyFrom(float[])", d(x) + ", " + len + " values", first(closed, notF32(x), len != n ? len + " values for " + n : null),
            true, () -> x.copyFrom(data));
      }
      default -> {
        Tensor src = r.nextBoolean() ? c.pick() : partner(x);
        String bad = first(closedOrMixed(x, src), !Arrays.equals(x.shape(), src.shape()) ? "shapes differ" : null,
            x.dtype() != src.dtype() ? "dtypes differ" : null);
        c.call("copyFrom(Tensor)", d(x) + ", " + d(src), bad, true, () -> x.copyFrom(src));
      }
    }
  }

  private void readOut() {
    Tensor x = c.pick();
    String closed = x.isClosed() ? "closed tensor" : null;
    switch (r.nextInt(4)) {
      case 0 -> c.call("toArray", d(x), first(closed, notF32(x)), false, x::toArray);
      case 1 -> c.call("toIntArray", d(x), first(closed, x.dtype() != DType.I32 ? "f32 tensor" : null), false, x::toIntArray);
      case 2 -> c.call("item", d(x), first(closed, x.numel() != 1 ? x.numel() + " elements" : null), false, x::item);
      default -> {
        Device to = c.device();
        c.add(c.call("to", d(x) + " -> " + to, closed, true, () -> x.to(to)));
      }
    }
  }

  private void closeOne() {
    if (c.pool.isEmpty()) return;
    Tensor x = c.pool.get(r.nextInt(c.pool.size()));
    c.call("close", d(x), null, false, () -> {
      x.close();
      return null;
    }); // stays in the pool: later calls use it after close
  }

  /**
   * Known answers computed on the side: a full tensor times 2 (issue 12's GC case: wrong values
   * when the Cleaner frees memory in use), the sum of ones, max/argmax with NaN (NaN propagates,
   * as in PyTorch, on every backend alike) and logSoftmax of large equal values.
   */
  private void checkedCompute() {
    Device dev = c.device();
    switch (r.nextInt(5)) {
      case 4 -> {
        Device to = c.device();
        long[] s = c.call("scalar.to.shape", dev + " -> " + to, null, false, () -> Tensor.scalar(dev, 2f).to(to).shape());
        if (s != null && s.length != 0) c.wrong("to", "a 0-D tensor moved from " + dev + " to " + to + " has shape " + Arrays.toString(s));
      }
      case 0 -> {
        int n = dev == c.cpu ? 1 << (14 + r.nextInt(7)) : 4096;
        float v = 1 + r.nextInt(9);
        float[] out = c.call("full.mul.toArray", n + " x " + v + " on " + dev, null, false,
            () -> Tensor.full(dev, v, n).mul(2f).toArray());  // neither tensor closed: the GC's to free
        if (out == null) return;
        int bad = 0;
        for (float f : out) if (f != 2 * v) bad++;
        if (bad > 0) c.wrong("full.mul.toArray", bad + " of " + n + " values are not " + 2 * v + " on " + dev);
      }
      case 1 -> {
        int n = 1 + r.nextInt(1 << 16);
        Float s = c.call("ones.sum.item", n + " on " + dev, null, false, () -> Tensor.ones(dev, n).sum().item());
        if (s != null && s != n) c.wrong("ones.sum.item", "sum of " + n + " ones is " + s + " on " + dev);
      }
      case 2 -> {
        float[] data = {1, Float.NaN, 3, -2};
        Float m = c.call("max(NaN)", "[1, NaN, 3, -2] on " + dev, null, false,
            () -> Tensor.of(dev, data, 4).max(0, false).item());
        if (m != null && !Float.isNaN(m)) c.wrong("max", "max of [1, NaN, 3, -2] is " + m + " on " + dev + ", not NaN");
        int[] am = c.call("argmax(NaN)", "[1, NaN, 3, -2] on " + dev, null, false,
            () -> Tensor.of(dev, data, 4).argmax(0).toIntArray());
        if (am != null && am[0] != 1) c.wrong("argmax", "argmax of [1, NaN, 3, -2] is " + am[0] + " on " + dev + ", not 1");
      }
      default -> {
        float[] out = c.call("logSoftmax(1e7)", "[1e7, 1e7] on " + dev, null, false,
            () -> Tensor.of(dev, new float[] {1e7f, 1e7f}, 2).logSoftmax(0).toArray());
        if (out != null && Math.abs(out[0] + 0.6931472f) > 1e-4f) {
          c.wrong("logSoftmax", "logSoftmax([1e7, 1e7]) is " + out[0] + " on " + dev + ", not -0.6931");
        }
      }
    }
  }
}
