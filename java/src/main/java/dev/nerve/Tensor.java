package dev.nerve;

import dev.nerve.internal.Autograd;
import dev.nerve.internal.MemoryFunctions;
import dev.nerve.internal.Node;
import dev.nerve.internal.Shapes;
import dev.nerve.internal.Tensors;
import dev.nerve.internal.Views;
import dev.nerve.internal.ops.Context;
import dev.nerve.internal.ops.Operand;
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
 * {@link #backward()} fills {@link #grad()} of the leaves. The in-place writes ({@link #fill},
 * {@link #copyFrom(Tensor)}, ..., an optimizer's step) count versions of the memory a tensor
 * shares with its views, and backward refuses to use a tensor an op saved that was written since
 * (see {@link #backward(Tensor, boolean)}). Method names follow PyTorch.
 *
 * <p>Memory: a tensor's data is native memory (host or device), not Java heap; close it, or let a
 * {@link Scope} close it. An unclosed, unreachable tensor is freed by a Cleaner after a garbage
 * collection (a safety net), never while a native call still uses it.
 *
 * <p>Threads: a tensor that no thread writes or closes may be read by any number of threads at
 * once (the parameters of a model serving inference, an input batch). A tensor must not be
 * written ({@link #copyFrom(float[])}, {@link #fill}, an optimizer step) while another thread
 * uses it: that needs outside synchronisation. A handle's own state (closed, kept, grad) is not
 * synchronised. Closing a tensor while another thread computes on it is a bug, but never gives
 * wrong data: that op completes on the old values (the memory is freed when it returns) or
 * throws IllegalStateException naming the op.
 */
public final class Tensor implements AutoCloseable {
  static {
    Tensors.install(new Tensors.Access() {
      @Override
      public Tensor create(Device device, Operand data, DType dtype) {
        return new Tensor(device, data, dtype);
      }

      @Override
      public Operand data(Tensor t) {
        return t.data;
      }

      @Override
      public Node gradFn(Tensor t) {
        return t.gradFn;
      }

      @Override
      public void setGradFn(Tensor t, Node node) {
        t.gradFn = node;
        t.requiresGrad = true;
      }

      @Override
      public void setGrad(Tensor t, Tensor grad) {
        t.grad = grad;
      }

      @Override
      public void checkOpen(Tensor t, String op) {
        t.checkOpen(op);
      }

      @Override
      public Context context(Device device) {
        return device.context();
      }
    });
  }

  private final Device device;
  private final Operand data;
  private final DType dtype;
  private boolean closed;
  private boolean kept;
  private boolean requiresGrad;
  private Tensor grad;
  private Node gradFn;

  /** A new handle on data, which holds one reference to its storage for it (the caller's, for fresh storage). */
  private Tensor(Device device, Operand data, DType dtype) {
    this.device = device;
    this.data = data;
    this.dtype = dtype;
    Scope.adopt(this);
  }

  // ------------------------------------------------------------------ factories

  /** An uninitialised contiguous tensor. */
  public static Tensor empty(Device device, DType dtype, long... shape) {
    return MemoryFunctions.empty(device, dtype, shape);
  }

  /** A contiguous f32 tensor of zeros with the given shape (no dimensions: a 0-D scalar). */
  public static Tensor zeros(Device device, long... shape) {
    return MemoryFunctions.full("Tensor.zeros", device, 0f, shape);
  }

  /** A contiguous f32 tensor of ones with the given shape. */
  public static Tensor ones(Device device, long... shape) {
    return MemoryFunctions.full("Tensor.ones", device, 1f, shape);
  }

  /** A contiguous f32 tensor with every element equal to value. */
  public static Tensor full(Device device, float value, long... shape) {
    return MemoryFunctions.full(device, value, shape);
  }

  /** A tensor of the given values on the default device. data.length must equal the shape's size. */
  public static Tensor of(float[] data, long... shape) {
    return of(Device.defaultDevice(), data, shape);
  }

  /**
   * An f32 tensor on device holding a copy of data (row-major); data.length must equal the
   * product of shape. With no shape: a 1-D tensor of data.length elements (0-D for one value).
   *
   * @throws IllegalArgumentException when the lengths disagree or a size is negative
   */
  public static Tensor of(Device device, float[] data, long... shape) {
    return MemoryFunctions.of(device, data, shape);
  }

  /** A 0-D (shape []) f32 tensor holding value. */
  public static Tensor scalar(Device device, float value) {
    return of(device, new float[] {value});
  }

  /** An int32 tensor (labels, indices). */
  public static Tensor ofInts(int[] data, long... shape) {
    return ofInts(Device.defaultDevice(), data, shape);
  }

  /**
   * An i32 tensor on device holding a copy of data (labels, indices); with no shape, a 1-D
   * tensor of data.length elements.
   */
  public static Tensor ofInts(Device device, int[] data, long... shape) {
    return MemoryFunctions.ofInts(device, data, shape);
  }

  /** Uniform in [lo, hi). */
  public static Tensor rand(Device device, Generator gen, float lo, float hi, long... shape) {
    return MemoryFunctions.rand(device, gen, lo, hi, shape);
  }

  /** Normal with the given mean and standard deviation. */
  public static Tensor randn(Device device, Generator gen, float mean, float std, long... shape) {
    return MemoryFunctions.randn(device, gen, mean, std, shape);
  }

  /**
   * Wraps memory another library allocated on device (e.g. a cuBLAS workspace, a CUDA array from
   * the JavaCPP CUDA presets) as a contiguous tensor, without a copy. Nerve never frees it:
   * release (may be null) runs once when the last tensor on it is closed.
   *
   * @param address the device address of the first element (must stay valid until release)
   */
  public static Tensor wrap(Device device, long address, DType dtype, Runnable release, long... shape) {
    return MemoryFunctions.wrap(device, address, dtype, release, shape);
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
    return data.storage().deviceAddress() + data.offset() * dtype.bytes();
  }

  /** The sizes of the dimensions (a copy); empty for a 0-D tensor. */
  public long[] shape() {
    return data.shape().clone();
  }

  /** The size of dimension d (negative d counts from the end). */
  public long size(int d) {
    return data.size(Shapes.dim("size", d, data.dim()));
  }

  /** The number of dimensions. */
  public int dim() {
    return data.dim();
  }

  /** The number of elements (the product of the shape; 1 for a 0-D tensor). */
  public long numel() {
    return data.numel();
  }

  /** The step in elements between neighbours along each dimension (a copy). */
  public long[] strides() {
    return data.strides().clone();
  }

  /** The position of the first element in the storage, in elements (views start inside it). */
  public long offset() {
    return data.offset();
  }

  /** The element type, f32 or i32. */
  public DType dtype() {
    return dtype;
  }

  /** The device whose memory holds the elements. */
  public Device device() {
    return device;
  }

  /** True when the elements lie in row-major order without gaps (no transposed or sliced view). */
  public boolean isContiguous() {
    return data.isContiguous();
  }

  /** True once {@link #close()} ran (directly or through a scope). */
  public boolean isClosed() {
    return closed;
  }

  /** Throws when the tensor was closed; op names the operation for the message. */
  private void checkOpen(String op) {
    if (closed) {
      throw new IllegalStateException(
          op + ": tensor " + Arrays.toString(data.shape()) + " " + dtype + " was closed (used after close, or its scope ended)");
    }
  }

  // ------------------------------------------------------------------ ownership

  /** Takes this tensor out of every scope: the caller now closes it. Returns this. */
  public Tensor keep() {
    kept = true;
    return this;
  }

  /** True after {@link #keep()}: no scope will close this tensor. */
  public boolean isKept() {
    return kept;
  }

  /** Frees this handle; the storage goes when the last tensor on it is closed. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    data.storage().release();
    if (grad != null) {
      grad.close();
      grad = null;
    }
    gradFn = null;
  }

  // ------------------------------------------------------------------ autograd

  /** True when backward() computes a gradient for this tensor or it depends on one that does. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf tensor as one whose gradient backward() computes. Returns this. */
  public Tensor requiresGrad(boolean value) {
    Autograd.checkRequiresGrad(this, value);
    requiresGrad = value;
    return this;
  }

  /** The accumulated gradient of a leaf, or null before the first backward(). */
  public Tensor grad() {
    return grad;
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

  /**
   * Back-propagates from this one-element tensor, accumulating into the leaves' grad(), and frees
   * the graph: {@code backward(null, false)}.
   *
   * @throws IllegalStateException as {@link #backward(Tensor, boolean)}
   */
  public void backward() {
    Autograd.backward(this, null, false);
  }

  /**
   * Back-propagates with the given gradient of this tensor (same shape) and frees the graph:
   * {@code backward(gradient, false)}.
   *
   * @throws IllegalStateException as {@link #backward(Tensor, boolean)}
   */
  public void backward(Tensor gradient) {
    Autograd.backward(this, gradient, false);
  }

  /**
   * Back-propagates with the given gradient of this tensor, accumulating into the leaves'
   * grad(), as PyTorch's {@code backward(gradient, retain_graph)}.
   *
   * <p>In-place changes: each recorded op remembers the version of the tensors its gradient
   * reads (mul its inputs, exp its output, linear its input and weight; add nothing). A fill,
   * copyFrom, optimizer step or running-statistics update counts as a new version of the tensor
   * and of every tensor sharing its memory (views, detach()). If one of those tensors changed
   * since the op ran, backward throws instead of computing the gradient from the new values.
   *
   * <p>Freeing: unless retainGraph, each op's backward function and its references to the saved
   * tensors and private buffers are dropped once used, so a second backward through any part of
   * the graph throws; pass true to every call but the last to go through a graph several times.
   * Tensors still belong to their scope (or to whoever closes them).
   *
   * <p>All checks come first: a refused backward changes no gradient.
   *
   * @param gradient the gradient of this tensor (its shape, its device), or null when this
   *     tensor has one element (then 1)
   * @throws IllegalStateException when this tensor does not require grad, when a tensor saved for
   *     the gradient was modified in place (naming the op, the tensor and both versions) or
   *     closed, or when an earlier backward freed part of the graph
   * @throws IllegalArgumentException when gradient's shape or device differs, or when gradient is
   *     null and this tensor has more than one element
   */
  public void backward(Tensor gradient, boolean retainGraph) {
    Autograd.backward(this, gradient, retainGraph);
  }

  /** A view on the same data that records no history. */
  public Tensor detach() {
    return Views.detach(this);
  }

  // ------------------------------------------------------------------ in-place fills (no gradient)
  // Each counts a new version of the tensor's memory: a recorded op that saved this tensor (or a
  // view sharing its memory) for its gradient then makes backward() throw.

  /** Sets every element to value. Returns this. */
  public Tensor fill(float value) {
    return MemoryFunctions.fill(this, value);
  }

  /** Refills with uniform values in [lo, hi). Returns this. */
  public Tensor fillUniform(Generator gen, float lo, float hi) {
    return MemoryFunctions.fillUniform(this, gen, lo, hi);
  }

  /** Refills with normal values. Returns this. */
  public Tensor fillNormal(Generator gen, float mean, float std) {
    return MemoryFunctions.fillNormal(this, gen, mean, std);
  }

  /** Overwrites the values from a host array of the same size. Returns this. */
  public Tensor copyFrom(float[] data) {
    return MemoryFunctions.copyFrom(this, data);
  }

  /** Overwrites the values with src's (same shape and device). Returns this. */
  public Tensor copyFrom(Tensor src) {
    return MemoryFunctions.copyFrom(this, src);
  }

  // ------------------------------------------------------------------ data out

  /** Copies the values to a new Java array (row-major). */
  public float[] toArray() {
    return MemoryFunctions.toArray(this);
  }

  /** Copies the values of an i32 tensor to a new Java array (row-major). */
  public int[] toIntArray() {
    return MemoryFunctions.toIntArray(this);
  }

  /** The value of a one-element tensor. */
  public float item() {
    return MemoryFunctions.item(this);
  }

  /** A copy on another device, or a new handle on the same data when already there. */
  public Tensor to(Device target) {
    return MemoryFunctions.to(this, target);
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
    return Views.flatten(this, startDim);
  }

  /** A view with dimensions d0 and d1 swapped (no copy; negative dims count from the end). */
  public Tensor transpose(int d0, int d1) {
    return Views.transpose(this, d0, d1);
  }

  /** Transpose of a 2-D tensor. */
  public Tensor t() {
    return Views.t(this);
  }

  /** A view whose dimension i is this tensor's dims[i] (no copy); dims is a permutation. */
  public Tensor permute(int... dims) {
    return Views.permute(this, dims);
  }

  /** Elements start (inclusive) to end (exclusive) along dim. */
  public Tensor slice(int dim, long start, long end) {
    return Views.slice(this, dim, start, end);
  }

  /** A view with a new dimension of size 1 at position dim. */
  public Tensor unsqueeze(int dim) {
    return Views.unsqueeze(this, dim);
  }

  /** A contiguous tensor with the same values (a new handle on this one when already contiguous). */
  public Tensor contiguous() {
    return Views.contiguous(this);
  }

  // ------------------------------------------------------------------ math (see F for the formulas)

  /** this + o, broadcast ({@link F#add}). */
  public Tensor add(Tensor o) { return F.add(this, o); }
  /** this - o, broadcast ({@link F#sub}). */
  public Tensor sub(Tensor o) { return F.sub(this, o); }
  /** this * o, broadcast ({@link F#mul}). */
  public Tensor mul(Tensor o) { return F.mul(this, o); }
  /** this / o, broadcast ({@link F#div}). */
  public Tensor div(Tensor o) { return F.div(this, o); }
  /** max(this, o), broadcast ({@link F#maximum}). */
  public Tensor maximum(Tensor o) { return F.maximum(this, o); }
  /** min(this, o), broadcast ({@link F#minimum}). */
  public Tensor minimum(Tensor o) { return F.minimum(this, o); }
  /** this + s. */
  public Tensor add(float s) { return F.scaleShift(this, 1f, s); }
  /** this - s. */
  public Tensor sub(float s) { return F.scaleShift(this, 1f, -s); }
  /** this * s. */
  public Tensor mul(float s) { return F.scaleShift(this, s, 0f); }
  /** this / s (multiplies by 1 / s). */
  public Tensor div(float s) { return F.scaleShift(this, 1f / s, 0f); }
  /** -this. */
  public Tensor neg() { return F.neg(this); }
  /** e^this, elementwise. */
  public Tensor exp() { return F.exp(this); }
  /** ln(this), elementwise. */
  public Tensor log() { return F.log(this); }
  /** sqrt(this), elementwise. */
  public Tensor sqrt() { return F.sqrt(this); }
  /** |this|, elementwise. */
  public Tensor abs() { return F.abs(this); }
  /** this^2, elementwise. */
  public Tensor square() { return F.square(this); }
  /** this^p, elementwise. */
  public Tensor pow(float p) { return F.pow(this, p); }
  /** max(this, 0). */
  public Tensor relu() { return F.relu(this); }
  /** 1 / (1 + exp(-this)). */
  public Tensor sigmoid() { return F.sigmoid(this); }
  /** tanh(this). */
  public Tensor tanh() { return F.tanh(this); }
  /** log(1 + exp(this)), computed stably. */
  public Tensor softplus() { return F.softplus(this); }
  /** Matrix product ({@link F#matmul}: [M, K] x [K, N], batched, or [..., K] x [K, N]). */
  public Tensor matmul(Tensor o) { return F.matmul(this, o); }
  /** Sum of all elements, a 0-D tensor. */
  public Tensor sum() { return F.sum(this); }
  /** Sum along dim; keepDim keeps it as a dimension of size 1. */
  public Tensor sum(int dim, boolean keepDim) { return F.sum(this, dim, keepDim); }
  /** Mean of all elements, a 0-D tensor. */
  public Tensor mean() { return F.mean(this); }
  /** Mean along dim; keepDim keeps it as a dimension of size 1. */
  public Tensor mean(int dim, boolean keepDim) { return F.mean(this, dim, keepDim); }
  /** Maximum along dim ({@link F#max}). */
  public Tensor max(int dim, boolean keepDim) { return F.max(this, dim, keepDim); }
  /** Index of the first maximum along dim, as i32 ({@link F#argmax}). */
  public Tensor argmax(int dim) { return F.argmax(this, dim); }
  /** Softmax along dim ({@link F#softmax}). */
  public Tensor softmax(int dim) { return F.softmax(this, dim); }
  /** Log-softmax along dim ({@link F#logSoftmax}). */
  public Tensor logSoftmax(int dim) { return F.logSoftmax(this, dim); }
  /** 1.0 where this == o, else 0.0 (broadcast, no gradient). */
  public Tensor eq(Tensor o) { return F.compare(this, o, F.Compare.EQ); }
  /** 1.0 where this &gt; o, else 0.0 (broadcast, no gradient). */
  public Tensor gt(Tensor o) { return F.compare(this, o, F.Compare.GT); }
  /** 1.0 where this &lt; o, else 0.0 (broadcast, no gradient). */
  public Tensor lt(Tensor o) { return F.compare(this, o, F.Compare.LT); }
  /** Converts to another dtype (f32 to i32 truncates toward zero). */
  public Tensor toType(DType t) { return F.cast(this, t); }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(data.shape()) + " " + dtype + " on " + device + (closed ? " (closed)" : "")
        + (requiresGrad ? " requiresGrad" : "") + (gradFn != null ? " grad_fn=" + gradFn.name() : "");
  }
}
