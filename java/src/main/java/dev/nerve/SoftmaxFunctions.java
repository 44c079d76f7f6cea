package dev.nerve;

import dev.nerve.ops.Softmaxes;

/** softmax and log-softmax along a dimension (the kernels work on rows; other dims are moved last). */
final class SoftmaxFunctions {
  private SoftmaxFunctions() {}

  static Tensor softmax(Tensor x, int dim, boolean log) {
    String name = log ? "logSoftmax" : "softmax";
    F.checkF32(name, "input", x);
    if (x.dim() == 0) throw new IllegalArgumentException(name + ": input is a 0-D tensor");
    int d = Shapes.dim(name, dim, x.dim());
    int last = x.dim() - 1;
    if (d != last) {
      Tensor moved = Views.transpose(x, d, last);
      Tensor y = softmax(moved, last, log);
      return Autograd.dropTemporaries(Views.transpose(y, d, last), moved, y);
    }
    Tensor xc = PointwiseFunctions.dense(x);
    long cols = x.size(last);
    long rows = cols == 0 ? 0 : x.numel() / cols;
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    if (log) Softmaxes.logSoftmax(xc, rows, cols, y);
    else Softmaxes.softmax(xc, rows, cols, y);
    if (xc != x) xc.close();
    return Autograd.record(y, name, g -> {
      Tensor gc = PointwiseFunctions.dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, g.shape());
      if (log) Softmaxes.logSoftmaxBackward(y, gc, rows, cols, dx);
      else Softmaxes.softmaxBackward(y, gc, rows, cols, dx);
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }
}
