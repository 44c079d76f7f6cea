package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkState;
import static dev.nerve.internal.Checks.shape;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Memory;
import dev.nerve.internal.ops.Operand;
import dev.nerve.internal.ops.Storage;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Tensors made, filled, copied and read on the memory kernels ({@link Memory}): the factories of
 * {@link Tensor}, its in-place fills and host transfers, casts and contiguous copies. None of
 * these records a gradient.
 */
public final class MemoryFunctions {
  private MemoryFunctions() {}

  // ---------------------------------------------------------------- factories

  /** An uninitialised contiguous tensor. */
  public static Tensor empty(Device device, DType dtype, long[] shape) {
    return empty("Tensor.empty", device, dtype, shape);
  }

  /** An uninitialised contiguous tensor; op names the public call in messages. */
  static Tensor empty(String op, Device device, DType dtype, long[] shape) {
    long[] s = Shapes.checkShape(op, shape);
    Storage storage = Storage.allocate(Tensors.context(device), Math.max(1, Shapes.numel(s)) * dtype.bytes());
    return Tensors.create(device, new Operand(storage, 0, s, Shapes.contiguousStrides(s), dtype.bytes()), dtype);
  }

  public static Tensor full(Device device, float value, long[] shape) {
    return full("Tensor.full", device, value, shape);
  }

  /** full, with op ("Tensor.zeros", "Tensor.ones") naming the public call in messages. */
  public static Tensor full(String op, Device device, float value, long[] shape) {
    Tensor t = empty(op, device, DType.F32, shape);
    Memory.fillF32(Tensors.data(t), value);
    return t;
  }

  /** data in shape (a 1-D tensor when no shape is given for more than one value). */
  public static Tensor of(Device device, float[] data, long[] shape) {
    check(data != null, "Tensor.of: data is null");
    long[] s = shape.length == 0 && data.length != 1 ? new long[] {data.length} : shape;
    Shapes.checkShape("Tensor.of", s);
    check(Shapes.numel(s) == data.length, "Tensor.of: %s values do not fill shape %s (%s elements)", data.length, s,
        Shapes.numel(s));
    Tensor t = empty("Tensor.of", device, DType.F32, s);
    Memory.write(Tensors.data(t), data);
    return t;
  }

  public static Tensor ofInts(Device device, int[] data, long[] shape) {
    check(data != null, "Tensor.ofInts: data is null");
    long[] s = shape.length == 0 ? new long[] {data.length} : shape;
    Shapes.checkShape("Tensor.ofInts", s);
    check(Shapes.numel(s) == data.length, "Tensor.ofInts: %s values do not fill shape %s", data.length, s);
    Tensor t = empty("Tensor.ofInts", device, DType.I32, s);
    Memory.write(Tensors.data(t), data);
    return t;
  }

  public static Tensor rand(Device device, Generator gen, float lo, float hi, long[] shape) {
    check(gen != null, "Tensor.rand: generator is null");
    return fillUniform(empty("Tensor.rand", device, DType.F32, shape), gen, lo, hi);
  }

  public static Tensor randn(Device device, Generator gen, float mean, float std, long[] shape) {
    check(gen != null, "Tensor.randn: generator is null");
    return fillNormal(empty("Tensor.randn", device, DType.F32, shape), gen, mean, std);
  }

  /** Foreign memory at address as a contiguous tensor; release runs when the last tensor on it closes. */
  public static Tensor wrap(Device device, long address, DType dtype, Runnable release, long[] shape) {
    long[] s = Shapes.checkShape("Tensor.wrap", shape);
    check(address % dtype.bytes() == 0, "Tensor.wrap: address 0x%s is not aligned to %s bytes", Long.toHexString(address),
        dtype.bytes());
    Storage storage = Storage.foreign(Tensors.context(device), address, Shapes.numel(s) * dtype.bytes(), release);
    return Tensors.create(device, new Operand(storage, 0, s, Shapes.contiguousStrides(s), dtype.bytes()), dtype);
  }

  // ---------------------------------------------------------------- in place

  /** An open, contiguous f32 tensor that no recorded op produced (or recording is off). */
  private static void checkInPlace(Tensor t, String op) {
    Tensors.checkOpen(t, op);
    check(t.dtype() == DType.F32, "%s: tensor is %s, not f32", op, t.dtype());
    check(t.isContiguous(), "%s: tensor %s is a non-contiguous view", op, shape(t));
    checkState(Tensors.gradFn(t) == null || !Grad.isEnabled(),
        "%s: cannot modify the result of a recorded op in place; use Grad.off() or detach()", op);
  }

  /**
   * Counts an in-place write into t's memory (its version, shared with its views): a recorded op
   * that saved t, or a view of it, for its gradient then refuses to back-propagate. Every write
   * into an existing tensor calls this, from the user (fill, copyFrom) or from the library
   * (optimizer updates, running statistics, gradient accumulation).
   */
  static void bumpVersion(Tensor t) {
    if (t != null) Tensors.data(t).storage().bumpVersion();
  }

  public static Tensor fill(Tensor t, float value) {
    checkInPlace(t, "fill");
    bumpVersion(t);
    Memory.fillF32(Tensors.data(t), value);
    return t;
  }

  /** Uniform values in [lo, hi) from gen's next numel() counters. */
  public static Tensor fillUniform(Tensor t, Generator gen, float lo, float hi) {
    checkInPlace(t, "fillUniform");
    check(gen != null, "fillUniform: generator is null");
    bumpVersion(t);
    Memory.randUniform(Tensors.data(t), gen.seed(), gen.advance(t.numel()), lo, hi);
    return t;
  }

  public static Tensor fillNormal(Tensor t, Generator gen, float mean, float std) {
    checkInPlace(t, "fillNormal");
    check(gen != null, "fillNormal: generator is null");
    bumpVersion(t);
    Memory.randNormal(Tensors.data(t), gen.seed(), gen.advance(t.numel()), mean, std);
    return t;
  }

  public static Tensor copyFrom(Tensor t, float[] data) {
    checkInPlace(t, "copyFrom");
    check(data.length == t.numel(), "copyFrom: %s values for tensor %s", data.length, shape(t));
    bumpVersion(t);
    Memory.write(Tensors.data(t), data);
    return t;
  }

  public static Tensor copyFrom(Tensor t, Tensor src) {
    checkInPlace(t, "copyFrom");
    Tensors.checkOpen(src, "copyFrom");
    Checks.checkSameDevice("copyFrom", t, src);
    Checks.checkSameShape("copyFrom", t, src);
    check(src.dtype() == t.dtype(), "copyFrom: dtype %s into %s", src.dtype(), t.dtype());
    bumpVersion(t);
    Memory.copy(Tensors.data(src), Tensors.data(t));
    return t;
  }

  // ---------------------------------------------------------------- out, across, converted

  public static float[] toArray(Tensor t) {
    Tensors.checkOpen(t, "toArray");
    check(t.dtype() == DType.F32, "toArray: tensor is %s; use toIntArray()", t.dtype());
    return read("toArray", t, float[]::new, Memory::read);
  }

  public static int[] toIntArray(Tensor t) {
    Tensors.checkOpen(t, "toIntArray");
    check(t.dtype() == DType.I32, "toIntArray: tensor is %s; use toArray()", t.dtype());
    return read("toIntArray", t, int[]::new, Memory::read);
  }

  /** The values into a new host array of numel elements (through a contiguous copy when t is strided). */
  private static <A> A read(String op, Tensor t, IntFunction<A> newArray, BiConsumer<Operand, A> read) {
    check(t.numel() <= Integer.MAX_VALUE - 8, "%s: tensor %s has %s elements, more than a Java array holds", op, shape(t),
        t.numel());
    try (Tensor c = t.isContiguous() ? null : copy(t)) {
      A out = newArray.apply(Math.toIntExact(t.numel()));
      read.accept(Tensors.data(c == null ? t : c), out);
      return out;
    }
  }

  public static float item(Tensor t) {
    Tensors.checkOpen(t, "item");
    check(t.numel() == 1, "item: tensor %s has %s elements, not 1", shape(t), t.numel());
    if (t.dtype() == DType.I32) return toIntArray(t)[0];
    return toArray(t)[0];
  }

  /** A copy on target, or a new handle on the same data when already there. */
  public static Tensor to(Tensor t, Device target) {
    Tensors.checkOpen(t, "to");
    if (target == t.device()) return Views.alias(t);
    // empty() and write(), not of()/ofInts(): those read a missing shape as 1-D, and t may be 0-D.
    // Read first, allocate after: a tensor too large for a Java array fails before anything is allocated.
    if (t.dtype() == DType.F32) {
      float[] values = toArray(t);
      Tensor out = empty("to", target, t.dtype(), t.shape());
      Memory.write(Tensors.data(out), values);
      return out;
    }
    int[] values = toIntArray(t);
    Tensor out = empty("to", target, t.dtype(), t.shape());
    Memory.write(Tensors.data(out), values);
    return out;
  }

  /** A contiguous copy of t (any layout), without history. */
  public static Tensor copy(Tensor t) {
    Tensor out = Tensor.empty(t.device(), t.dtype(), t.shape());
    Memory.copy(Tensors.data(t), Tensors.data(out));
    return out;
  }

  /** t itself when contiguous, else a contiguous copy (the caller closes it when it is not t). */
  static Tensor dense(Tensor t) {
    return t.isContiguous() ? t : copy(t);
  }

  /** A copy converted to dtype (f32 to i32 truncates toward zero); no gradient. */
  public static Tensor cast(Tensor x, DType dtype) {
    return OpFrame.run(() -> castUnguarded(x, dtype));
  }

  /** cast itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor castUnguarded(Tensor x, DType dtype) {
    Tensors.checkOpen(x, "cast");
    Tensor xc = dense(x);
    Tensor out = Tensor.empty(x.device(), dtype, x.shape());
    if (xc.dtype() == DType.I32 && dtype == DType.F32) Memory.castI32ToF32(Tensors.data(xc), Tensors.data(out));
    else if (xc.dtype() == DType.F32 && dtype == DType.I32) Memory.castF32ToI32(Tensors.data(xc), Tensors.data(out));
    else Memory.copy(Tensors.data(xc), Tensors.data(out));
    if (xc != x) xc.close();
    return out;
  }
}
