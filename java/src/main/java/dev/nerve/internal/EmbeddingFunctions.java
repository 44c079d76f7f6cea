package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Gathers;
import java.util.Arrays;

/** The embedding lookup with its scatter-add gradient, on the {@link Gathers} kernels. */
public final class EmbeddingFunctions {
  private EmbeddingFunctions() {}

  /** Rows of weight [num, dim] at i32 indices [...]: [..., dim]. */
  public static Tensor embedding(Tensor indices, Tensor weight) {
    return OpFrame.run(() -> embeddingUnguarded(indices, weight));
  }

  /** embedding itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor embeddingUnguarded(Tensor indices, Tensor weight) {
    String op = "embedding";
    checkF32(op, "weight", weight);
    Checks.checkI32(op, "indices", "", indices);
    checkSameDevice(op, indices, weight);
    check(weight.dim() == 2, "embedding: weight must be 2-D [num, dim], got %s", shape(weight));
    long num = weight.size(0);
    long dim = weight.size(1);
    Tensor idx = dense(indices);
    Tensor w = dense(weight);
    long[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
    shape[indices.dim()] = dim;
    Tensor out = Tensor.empty(weight.device(), DType.F32, shape);
    try {
      // An index out of range throws here, naming embedding and the shapes (ops.Gathers); the
      // OpFrame closes out and idx.
      Gathers.gatherRows(Tensors.data(w), Tensors.data(idx), Tensors.data(out));
    } finally {
      if (w != weight) w.close();
    }
    if (!Autograd.needsGrad(weight)) {
      if (idx != indices) idx.close();
      return out;
    }
    return Autograd.record(out, op, Autograd.saves("indices", idx), g -> {
      Tensor gd = dense(g);
      Tensor dw = Tensor.zeros(g.device(), num, dim);
      Gathers.scatterAddRows(Tensors.data(gd), Tensors.data(idx), Tensors.data(dw));
      if (gd != g) gd.close();
      return new Tensor[] {dw};
    }, weight);
  }
}
