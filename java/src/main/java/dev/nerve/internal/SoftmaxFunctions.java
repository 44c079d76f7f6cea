package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Pointwise;
import dev.nerve.internal.ops.Pointwise.Binary;
import dev.nerve.internal.ops.Softmaxes;

/**
 * softmax and log-softmax along a dimension (the kernels work on rows; other dims are moved
 * last), and the cross-entropy fused with its softmax, on the {@link Softmaxes} kernels.
 */
public final class SoftmaxFunctions {
  private SoftmaxFunctions() {}

  /** softmax (or log-softmax) of x along dim. */
  public static Tensor softmax(Tensor x, int dim, boolean log) {
    return OpFrame.run(() -> softmaxUnguarded(x, dim, log));
  }

  /** softmax itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor softmaxUnguarded(Tensor x, int dim, boolean log) {
    String name = log ? "logSoftmax" : "softmax";
    checkF32(name, "input", x);
    check(x.dim() != 0, "%s: input is a 0-D tensor", name);
    int d = Shapes.dim(name, dim, x.dim());
    int last = x.dim() - 1;
    if (d != last) {
      Tensor moved = Views.transpose(x, d, last);
      Tensor y = softmax(moved, last, log);
      return Autograd.dropTemporaries(Views.transpose(y, d, last), moved, y);
    }
    Tensor xc = dense(x);
    long cols = x.size(last);
    long rows = cols == 0 ? 0 : x.numel() / cols;
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    if (log) Softmaxes.logSoftmax(Tensors.data(xc), rows, cols, Tensors.data(y));
    else Softmaxes.softmax(Tensors.data(xc), rows, cols, Tensors.data(y));
    if (xc != x) xc.close();
    return Autograd.record(y, name, Autograd.saves("output", y), g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, g.shape());
      if (log) Softmaxes.logSoftmaxBackward(Tensors.data(y), Tensors.data(gc), rows, cols, Tensors.data(dx));
      else Softmaxes.softmaxBackward(Tensors.data(y), Tensors.data(gc), rows, cols, Tensors.data(dx));
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }

  /** Mean cross-entropy of logits [N, C] against i32 labels [N], fused with its gradient (NaN for N = 0). */
  public static Tensor crossEntropy(Tensor logits, Tensor labels) {
    return OpFrame.run(() -> crossEntropyUnguarded(logits, labels));
  }

  /** crossEntropy itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor crossEntropyUnguarded(Tensor logits, Tensor labels) {
    checkF32("crossEntropy", "logits", logits);
    check(labels != null, "crossEntropy: labels is null");
    Tensors.checkOpen(labels, "crossEntropy");
    checkSameDevice("crossEntropy", logits, labels);
    check(logits.dim() == 2, "crossEntropy: logits must be [N, C], got %s", shape(logits));
    check(labels.dtype() == DType.I32, "crossEntropy: labels must be i32 class indices but are %s (shape %s)",
        labels.dtype(), shape(labels));
    check(labels.dim() == 1 && labels.size(0) == logits.size(0),
        "crossEntropy: labels %s do not match logits %s (expected [%s])", shape(labels), shape(logits), logits.size(0));
    if (logits.size(0) == 0) {
      // The mean over no examples, NaN as in PyTorch; nothing flows back.
      Tensor loss = Tensor.full(logits.device(), Float.NaN);
      long[] shape = logits.shape();
      return Autograd.record(loss, "crossEntropy", Autograd.savesNothing(),
          g -> new Tensor[] {Tensor.zeros(g.device(), shape)}, logits);
    }
    Tensor x = dense(logits);
    Tensor y = dense(labels);
    Tensor loss = Tensor.empty(logits.device(), DType.F32);
    boolean grad = Autograd.needsGrad(logits);
    Tensor dlogits = grad ? Tensor.empty(logits.device(), DType.F32, logits.shape()) : null;
    try {
      // A label out of range throws here, naming crossEntropy and the shapes (ops.Softmaxes);
      // the OpFrame closes loss and dlogits.
      Softmaxes.crossEntropy(Tensors.data(x), Tensors.data(y), Tensors.data(loss),
          dlogits == null ? null : Tensors.data(dlogits));
    } finally {
      if (x != logits) x.close();
      if (y != labels) y.close();
    }
    if (!grad) return loss;
    return Autograd.record(loss, "crossEntropy", Autograd.saves("buffer dlogits", dlogits), g -> {
      Tensor dx = Tensor.empty(g.device(), DType.F32, dlogits.shape());
      Pointwise.binary(Binary.MUL, Tensors.data(dlogits), Tensors.data(g), Tensors.data(dx));
      return new Tensor[] {dx};
    }, logits);
  }
}
