package dev.nerve;

import dev.nerve.ops.Memory;
import dev.nerve.ops.Storage;
import java.util.Arrays;

/**
 * An n-dimensional array on a {@link Device}: (storage, shape, strides, offset, dtype).
 * Tensors are contiguous unless a view (transpose, slice, permute) says otherwise. Data
 * crosses between host and device only when asked ({@link #of}, {@link #toArray()},
 * {@link #item()}, {@link #to(Device)}).
 *
 * <p>Ownership: a tensor is {@link AutoCloseable}; a {@link Scope} frees every tensor created in
 * it unless {@link #keep() kept}. Views share their base's storage, which is freed when the last
 * tensor on it is closed. Using a closed tensor throws {@link IllegalStateException}.
 *
 * <p>Autograd: a tensor with {@link #requiresGrad()} records the ops applied to it;
 * {@link #backward()} fills {@link #grad()} of the leaves. Method names follow PyTorch.
 *
 * <p>Not thread-safe: share a tensor across threads only with outside synchronisation.
 */
public final class Tensor implements AutoCloseable {
  private final Device device;
  private final Storage storage;
  private final long offset;
  private final long[] shape;
  private final long[] strides;
  private final DType dtype;
  private boolean closed;
  private boolean kept;
  private boolean requiresGrad;
  private Tensor grad;
  Autograd.Node gradFn;

  void requiresGradInternal() {
    requiresGrad = true;
  }

  /** A new handle on storage; takes one reference to it (the caller's, for fresh storage). */
  Tensor(Device device, Storage storage, long offset, long[] shape, long[] strides, DType dtype) {
    this.device = device;
    this.storage = storage;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
    this.dtype = dtype;
    Scope.adopt(this);
  }

  // ------------------------------------------------------------------ factories

  /** An uninitialised contiguous tensor. */
  public static Tensor empty(Device device, DType dtype, long... shape) {
    long[] s = Shapes.checkShape("empty", shape);
    long n = Shapes.numel(s);
    Storage storage = Storage.allocate(device.context(), Math.max(1, n) * dtype.bytes());
    return new Tensor(device, storage, 0, s, Shapes.contiguousStrides(s), dtype);
  }

  public static Tensor zeros(Device device, long... shape) {
    return full(device, 0f, shape);
  }

  public static Tensor ones(Device device, long... shape) {
    return full(device, 1f, shape);
  }

  public static Tensor full(Device device, float value, long... shape) {
    Tensor t = empty(device, DType.F32, shape);
    Memory.fill(t, value);
    return t;
  }

  /** A tensor of the given values on the default device. data.length must equal the shape's size. */
  public static Tensor of(float[] data, long... shape) {
    return of(Device.defaultDevice(), data, shape);
  }

  public static Tensor of(Device device, float[] data, long... shape) {
    if (data == null) throw new IllegalArgumentException("Tensor.of: data is null");
    long[] s = shape.length == 0 && data.length != 1 ? new long[] {data.length} : shape;
    Shapes.checkShape("Tensor.of", s);
    if (Shapes.numel(s) != data.length) {
      throw new IllegalArgumentException(
          "Tensor.of: " + data.length + " values do not fill shape " + Arrays.toString(s)
              + " (" + Shapes.numel(s) + " elements)");
    }
    Tensor t = empty(device, DType.F32, s);
    Memory.write(t, data);
    return t;
  }

  public static Tensor scalar(Device device, float value) {
    return of(device, new float[] {value});
  }

  /** An int32 tensor (labels, indices). */
  public static Tensor ofInts(int[] data, long... shape) {
    return ofInts(Device.defaultDevice(), data, shape);
  }

  public static Tensor ofInts(Device device, int[] data, long... shape) {
    if (data == null) throw new IllegalArgumentException("Tensor.ofInts: data is null");
    long[] s = shape.length == 0 ? new long[] {data.length} : shape;
    Shapes.checkShape("Tensor.ofInts", s);
    if (Shapes.numel(s) != data.length) {
      throw new IllegalArgumentException(
          "Tensor.ofInts: " + data.length + " values do not fill shape " + Arrays.toString(s));
    }
    Tensor t = empty(device, DType.I32, s);
    Memory.write(t, data);
    return t;
  }

  /** Uniform in [lo, hi). */
  public static Tensor rand(Device device, Generator gen, float lo, float hi, long... shape) {
    Tensor t = empty(device, DType.F32, shape);
    Memory.randUniform(t, gen.seed(), gen.advance(t.numel()), lo, hi);
    return t;
  }

  /** Normal with the given mean and standard deviation. */
  public static Tensor randn(Device device, Generator gen, float mean, float std, long... shape) {
    Tensor t = empty(device, DType.F32, shape);
    Memory.randNormal(t, gen.seed(), gen.advance(t.numel()), mean, std);
    return t;
  }

  /**
   * Wraps memory another library allocated on device (e.g. a cuBLAS workspace, a CUDA array from
   * the JavaCPP CUDA presets) as a contiguous tensor, without a copy. Nerve never frees it:
   * release (may be null) runs once when the last tensor on it is closed.
   *
   * @param address the device address of the first element (must stay valid until release)
   */
  public static Tensor wrap(Device device, long address, DType dtype, Runnable release, long... shape) {
    long[] s = Shapes.checkShape("Tensor.wrap", shape);
    if (address % dtype.bytes() != 0) {
      throw new IllegalArgumentException("Tensor.wrap: address 0x" + Long.toHexString(address) + " is not aligned to "
          + dtype.bytes() + " bytes");
    }
    Storage storage = Storage.foreign(device.context(), address, Shapes.numel(s) * dtype.bytes(), release);
    return new Tensor(device, storage, 0, s, Shapes.contiguousStrides(s), dtype);
  }

  // ------------------------------------------------------------------ metadata

  /**
   * The device address of this tensor's first element (a CUDA device pointer on a GPU, a host
   * address on the CPU), to hand to cuBLAS, cuDNN or one's own kernels along with
   * {@link Device#streamHandle()}. Valid while the tensor is open; use {@link #strides()} for the
   * layout.
   */
  public long dataAddress() {
    checkOpen("dataAddress");
    return storage.deviceAddress() + offset * dtype.bytes();
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The size of dimension d (negative d counts from the end). */
  public long size(int d) {
    return shape[Shapes.dim("size", d, shape.length)];
  }

  public int dim() {
    return shape.length;
  }

  public long numel() {
    return Shapes.numel(shape);
  }

  public long[] strides() {
    return strides.clone();
  }

  public long offset() {
    return offset;
  }

  public DType dtype() {
    return dtype;
  }

  public Device device() {
    return device;
  }

  /** The storage (internal: used by dev.nerve.ops). */
  public Storage storage() {
    checkOpen("storage");
    return storage;
  }

  public boolean isContiguous() {
    return Arrays.equals(strides, Shapes.contiguousStrides(shape)) || numel() <= 1;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Throws when the tensor was closed; op names the operation for the message. */
  void checkOpen(String op) {
    if (closed) {
      throw new IllegalStateException(
          op + ": tensor " + Arrays.toString(shape) + " " + dtype + " was closed (used after close, or its scope ended)");
    }
  }

  // ------------------------------------------------------------------ ownership

  /** Takes this tensor out of every scope: the caller now closes it. Returns this. */
  public Tensor keep() {
    kept = true;
    return this;
  }

  public boolean isKept() {
    return kept;
  }

  /** Frees this handle; the storage goes when the last tensor on it is closed. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    storage.release();
    if (grad != null) {
      grad.close();
      grad = null;
    }
    gradFn = null;
  }

  // ------------------------------------------------------------------ autograd

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf tensor as one whose gradient backward() computes. Returns this. */
  public Tensor requiresGrad(boolean value) {
    if (value && dtype != DType.F32) {
      throw new IllegalArgumentException("requiresGrad: only f32 tensors have gradients, this one is " + dtype);
    }
    if (!value && gradFn != null) {
      throw new IllegalArgumentException("requiresGrad(false): the tensor is the result of an op; use detach()");
    }
    requiresGrad = value;
    return this;
  }

  /** The accumulated gradient of a leaf, or null before the first backward(). */
  public Tensor grad() {
    return grad;
  }

  void setGrad(Tensor g) {
    grad = g;
  }

  /** Drops the gradient (the next backward() starts from zero). */
  public void clearGrad() {
    if (grad != null) {
      grad.close();
      grad = null;
    }
  }

  /** True for a tensor that is not the result of a recorded op. */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** Back-propagates from this scalar, accumulating into the leaves' grad(). */
  public void backward() {
    Autograd.backward(this, null);
  }

  /** Back-propagates with the given gradient of this tensor (same shape). */
  public void backward(Tensor gradient) {
    Autograd.backward(this, gradient);
  }

  /** A view on the same data that records no history. */
  public Tensor detach() {
    checkOpen("detach");
    storage.retain();
    return new Tensor(device, storage, offset, shape, strides, dtype);
  }

  // ------------------------------------------------------------------ in-place fills (no gradient)

  /** Sets every element to value. Returns this. */
  public Tensor fill(float value) {
    checkInPlace("fill");
    Memory.fill(this, value);
    return this;
  }

  /** Refills with uniform values in [lo, hi). Returns this. */
  public Tensor fillUniform(Generator gen, float lo, float hi) {
    checkInPlace("fillUniform");
    Memory.randUniform(this, gen.seed(), gen.advance(numel()), lo, hi);
    return this;
  }

  /** Refills with normal values. Returns this. */
  public Tensor fillNormal(Generator gen, float mean, float std) {
    checkInPlace("fillNormal");
    Memory.randNormal(this, gen.seed(), gen.advance(numel()), mean, std);
    return this;
  }

  /** Overwrites the values from a host array of the same size. Returns this. */
  public Tensor copyFrom(float[] data) {
    checkInPlace("copyFrom");
    if (data.length != numel()) {
      throw new IllegalArgumentException("copyFrom: " + data.length + " values for tensor " + Arrays.toString(shape));
    }
    Memory.write(this, data);
    return this;
  }

  /** Overwrites the values with src's (same shape and device). Returns this. */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copyFrom");
    src.checkOpen("copyFrom");
    F.checkSameDevice("copyFrom", this, src);
    F.checkSameShape("copyFrom", this, src);
    if (src.dtype != dtype) throw new IllegalArgumentException("copyFrom: dtype " + src.dtype + " into " + dtype);
    Memory.copy(src, this);
    return this;
  }

  private void checkInPlace(String op) {
    checkOpen(op);
    if (dtype != DType.F32) throw new IllegalArgumentException(op + ": tensor is " + dtype + ", not f32");
    if (!isContiguous()) throw new IllegalArgumentException(op + ": tensor " + Arrays.toString(shape) + " is a non-contiguous view");
    if (gradFn != null && Grad.isEnabled()) {
      throw new IllegalStateException(op + ": cannot modify the result of a recorded op in place; use Grad.off() or detach()");
    }
  }

  // ------------------------------------------------------------------ data out

  /** Copies the values to a new Java array (row-major). */
  public float[] toArray() {
    checkOpen("toArray");
    if (dtype != DType.F32) throw new IllegalArgumentException("toArray: tensor is " + dtype + "; use toIntArray()");
    try (Tensor c = isContiguous() ? null : contiguousNoGrad()) {
      float[] out = new float[Math.toIntExact(numel())];
      Memory.read(c == null ? this : c, out);
      return out;
    }
  }

  public int[] toIntArray() {
    checkOpen("toIntArray");
    if (dtype != DType.I32) throw new IllegalArgumentException("toIntArray: tensor is " + dtype + "; use toArray()");
    try (Tensor c = isContiguous() ? null : contiguousNoGrad()) {
      int[] out = new int[Math.toIntExact(numel())];
      Memory.read(c == null ? this : c, out);
      return out;
    }
  }

  /** The value of a one-element tensor. */
  public float item() {
    checkOpen("item");
    if (numel() != 1) {
      throw new IllegalArgumentException("item: tensor " + Arrays.toString(shape) + " has " + numel() + " elements, not 1");
    }
    if (dtype == DType.I32) return toIntArray()[0];
    return toArray()[0];
  }

  /** A copy on another device, or a new handle on the same data when already there. */
  public Tensor to(Device target) {
    checkOpen("to");
    if (target == device) return Views.alias(this);
    Tensor out;
    if (dtype == DType.F32) out = of(target, toArray(), shape);
    else out = ofInts(target, toIntArray(), shape);
    return out;
  }

  Tensor contiguousNoGrad() {
    Tensor out = empty(device, dtype, shape);
    Memory.copy(this, out);
    return out;
  }

  // ------------------------------------------------------------------ views

  /** Same data in a new shape (one size may be -1); copies when the layout needs it. */
  public Tensor reshape(long... newShape) {
    return Views.reshape(this, newShape);
  }

  /** Alias of reshape. */
  public Tensor view(long... newShape) {
    return Views.reshape(this, newShape);
  }

  /** Flattens dimensions start..end into one. */
  public Tensor flatten(int startDim) {
    int s = Shapes.dim("flatten", startDim, shape.length);
    long[] ns = new long[s + 1];
    System.arraycopy(shape, 0, ns, 0, s);
    ns[s] = -1;
    return reshape(ns);
  }

  public Tensor transpose(int d0, int d1) {
    return Views.transpose(this, d0, d1);
  }

  /** Transpose of a 2-D tensor. */
  public Tensor t() {
    if (shape.length != 2) throw new IllegalArgumentException("t: expects a 2-D tensor, got " + Arrays.toString(shape));
    return transpose(0, 1);
  }

  public Tensor permute(int... dims) {
    return Views.permute(this, dims);
  }

  /** Elements start (inclusive) to end (exclusive) along dim. */
  public Tensor slice(int dim, long start, long end) {
    return Views.slice(this, dim, start, end);
  }

  public Tensor unsqueeze(int dim) {
    return Views.unsqueeze(this, dim);
  }

  /** A contiguous tensor with the same values (a new handle on this one when already contiguous). */
  public Tensor contiguous() {
    return Views.contiguous(this);
  }

  // ------------------------------------------------------------------ math (see F for the formulas)

  public Tensor add(Tensor o) { return F.add(this, o); }
  public Tensor sub(Tensor o) { return F.sub(this, o); }
  public Tensor mul(Tensor o) { return F.mul(this, o); }
  public Tensor div(Tensor o) { return F.div(this, o); }
  public Tensor maximum(Tensor o) { return F.maximum(this, o); }
  public Tensor minimum(Tensor o) { return F.minimum(this, o); }
  public Tensor add(float s) { return F.scaleShift(this, 1f, s); }
  public Tensor sub(float s) { return F.scaleShift(this, 1f, -s); }
  public Tensor mul(float s) { return F.scaleShift(this, s, 0f); }
  public Tensor div(float s) { return F.scaleShift(this, 1f / s, 0f); }
  public Tensor neg() { return F.neg(this); }
  public Tensor exp() { return F.exp(this); }
  public Tensor log() { return F.log(this); }
  public Tensor sqrt() { return F.sqrt(this); }
  public Tensor abs() { return F.abs(this); }
  public Tensor square() { return F.square(this); }
  public Tensor pow(float p) { return F.pow(this, p); }
  public Tensor relu() { return F.relu(this); }
  public Tensor sigmoid() { return F.sigmoid(this); }
  public Tensor tanh() { return F.tanh(this); }
  public Tensor softplus() { return F.softplus(this); }
  public Tensor matmul(Tensor o) { return F.matmul(this, o); }
  public Tensor sum() { return F.sum(this); }
  public Tensor sum(int dim, boolean keepDim) { return F.sum(this, dim, keepDim); }
  public Tensor mean() { return F.mean(this); }
  public Tensor mean(int dim, boolean keepDim) { return F.mean(this, dim, keepDim); }
  public Tensor max(int dim, boolean keepDim) { return F.max(this, dim, keepDim); }
  public Tensor argmax(int dim) { return F.argmax(this, dim); }
  public Tensor softmax(int dim) { return F.softmax(this, dim); }
  public Tensor logSoftmax(int dim) { return F.logSoftmax(this, dim); }
  public Tensor eq(Tensor o) { return F.compare(this, o, F.Compare.EQ); }
  public Tensor gt(Tensor o) { return F.compare(this, o, F.Compare.GT); }
  public Tensor lt(Tensor o) { return F.compare(this, o, F.Compare.LT); }
  /** Converts to another dtype (f32 to i32 truncates toward zero). */
  public Tensor toType(DType t) { return F.cast(this, t); }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape) + " " + dtype + " on " + device + (closed ? " (closed)" : "")
        + (requiresGrad ? " requiresGrad" : "") + (gradFn != null ? " grad_fn=" + gradFn.name : "");
  }
}
