package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.BatchNorms;
import dev.nerve.internal.ops.Operand;

/** Batch normalisation with its gradient, on the {@link BatchNorms} kernels. */
public final class NormFunctions {
  private NormFunctions() {}

  /**
   * Batch normalisation of x [N, C, ...] per channel; training uses (and moves the running
   * statistics toward) the batch statistics, evaluation the running ones. See F.batchNorm.
   */
  public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, float momentum, float eps) {
    return OpFrame.run(() -> batchNormUnguarded(x, runningMean, runningVar, weight, bias, training, momentum, eps));
  }

  /** batchNorm itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor batchNormUnguarded(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, float momentum, float eps) {
    final String op = "batchNorm";
    checkF32(op, "input", x);
    check(x.dim() >= 2, "batchNorm: input must be [N, C, ...] (at least 2-D), got %s", shape(x));
    final long n = x.size(0);
    final long c = x.size(1);
    final long hw = c == 0 ? 0 : (n == 0 ? 1 : x.numel() / (n * c));
    check(c != 0 && hw != 0, "batchNorm: input %s has no channels or no values", shape(x));
    Tensor[] perChannel = {runningMean, runningVar, weight, bias};
    String[] names = {"runningMean", "runningVar", "weight", "bias"};
    for (int i = 0; i < 4; i++) {
      Tensor t = perChannel[i];
      if (t == null) continue;
      checkF32(op, names[i], t);
      checkSameDevice(op, x, t);
      check(t.dim() == 1 && t.size(0) == c && t.isContiguous(), "batchNorm: %s must be [%s] (one per channel), got %s"
          + " (input %s)", names[i], c, shape(t), shape(x));
    }
    check(momentum >= 0 && momentum <= 1, "batchNorm: momentum must be in [0, 1], got %s", momentum);
    check(eps > 0 && Float.isFinite(eps), "batchNorm: eps must be a positive finite number, got %s", eps);
    check(!training || n * hw > 1, "batchNorm: training needs more than one value per channel, got input %s (use a"
        + " larger batch, or eval() mode)", shape(x));
    check(training || (runningMean != null && runningVar != null),
        "batchNorm: evaluation mode needs runningMean and runningVar (input %s)", shape(x));
    check((runningMean == null) == (runningVar == null), "batchNorm: give both runningMean and runningVar or neither");
    if (training) {
      // The kernel moves the running statistics: an in-place write into the module's buffers.
      MemoryFunctions.bumpVersion(runningMean);
      MemoryFunctions.bumpVersion(runningVar);
    }
    Tensor xc = dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    Tensor saveMean = Tensor.empty(x.device(), DType.F32, c);
    Tensor saveInvstd = Tensor.empty(x.device(), DType.F32, c);
    BatchNorms.forward(Tensors.data(xc), n, c, hw, data(weight), data(bias), data(runningMean), data(runningVar),
        momentum, eps, training, Tensors.data(y), Tensors.data(saveMean), Tensors.data(saveInvstd));
    if (!Autograd.needsGrad(x, weight, bias)) {
      if (xc != x) xc.close();
      saveMean.close();
      saveInvstd.close();
      return y;
    }
    return Autograd.record(y, op, Autograd.saves("input", xc, "weight", weight, "buffer mean", saveMean,
        "buffer invstd", saveInvstd), g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, x.shape());
      boolean wantW = weight != null && weight.requiresGrad();
      boolean wantB = bias != null && bias.requiresGrad();
      Tensor dw = wantW ? Tensor.empty(g.device(), DType.F32, c) : null;
      Tensor db = wantB ? Tensor.empty(g.device(), DType.F32, c) : null;
      BatchNorms.backward(Tensors.data(xc), Tensors.data(gc), n, c, hw, data(weight), Tensors.data(saveMean),
          Tensors.data(saveInvstd), training, Tensors.data(dx), data(dw), data(db));
      if (gc != g) gc.close();
      if (!x.requiresGrad()) {
        dx.close();
        dx = null;
      }
      return new Tensor[] {dx, dw, db};
    }, x, weight, bias);
  }

  /** The operand of an optional tensor (null stays null). */
  private static Operand data(Tensor t) {
    return t == null ? null : Tensors.data(t);
  }
}
