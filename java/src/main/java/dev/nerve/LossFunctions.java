package dev.nerve;

import dev.nerve.ops.Pointwise;
import dev.nerve.ops.Softmaxes;

/** Losses. Cross-entropy is one fused kernel; MSE and BCE are composed from primitives. */
final class LossFunctions {
  private LossFunctions() {}

  static Tensor crossEntropy(Tensor logits, Tensor labels) {
    F.checkF32("crossEntropy", "logits", logits);
    if (labels == null) throw new IllegalArgumentException("crossEntropy: labels is null");
    labels.checkOpen("crossEntropy");
    F.checkSameDevice("crossEntropy", logits, labels);
    if (logits.dim() != 2) {
      throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Shapes.str(logits.shape()));
    }
    if (labels.dtype() != DType.I32) {
      throw new IllegalArgumentException("crossEntropy: labels must be i32 class indices but are " + labels.dtype()
          + " (shape " + Shapes.str(labels.shape()) + ")");
    }
    if (labels.dim() != 1 || labels.size(0) != logits.size(0)) {
      throw new IllegalArgumentException("crossEntropy: labels " + Shapes.str(labels.shape()) + " do not match logits "
          + Shapes.str(logits.shape()) + " (expected [" + logits.size(0) + "])");
    }
    if (logits.size(0) == 0) throw new IllegalArgumentException("crossEntropy: empty batch " + Shapes.str(logits.shape()));
    Tensor x = PointwiseFunctions.dense(logits);
    Tensor y = PointwiseFunctions.dense(labels);
    Tensor loss = Tensor.empty(logits.device(), DType.F32);
    boolean grad = Autograd.needsGrad(logits);
    Tensor dlogits = grad ? Tensor.empty(logits.device(), DType.F32, logits.shape()) : null;
    try {
      Softmaxes.crossEntropy(x, y, loss, dlogits);
    } catch (IllegalArgumentException e) {
      loss.close();
      if (dlogits != null) dlogits.close();
      throw new IllegalArgumentException("crossEntropy: " + e.getMessage(), e);
    } finally {
      if (x != logits) x.close();
      if (y != labels) y.close();
    }
    if (!grad) return loss;
    return Autograd.record(loss, "crossEntropy", g -> {
      Tensor dx = Tensor.empty(g.device(), DType.F32, dlogits.shape());
      Pointwise.binary(PointwiseFunctions.MUL, dlogits, g, dx);
      return new Tensor[] {dx};
    }, logits);
  }

  static Tensor mse(Tensor input, Tensor target) {
    F.checkF32("mseLoss", "input", input);
    F.checkF32("mseLoss", "target", target);
    F.checkSameDevice("mseLoss", input, target);
    if (!java.util.Arrays.equals(input.shape(), target.shape())) {
      throw new IllegalArgumentException("mseLoss: input " + Shapes.str(input.shape()) + " and target "
          + Shapes.str(target.shape()) + " differ in shape");
    }
    Tensor diff = F.sub(input, target);
    Tensor sq = F.square(diff);
    return Autograd.dropTemporaries(F.mean(sq), diff, sq);
  }

  static Tensor bceWithLogits(Tensor logits, Tensor target) {
    F.checkF32("bceWithLogits", "logits", logits);
    F.checkF32("bceWithLogits", "target", target);
    F.checkSameDevice("bceWithLogits", logits, target);
    if (!java.util.Arrays.equals(logits.shape(), target.shape())) {
      throw new IllegalArgumentException("bceWithLogits: logits " + Shapes.str(logits.shape()) + " and target "
          + Shapes.str(target.shape()) + " differ in shape");
    }
    Tensor pos = F.relu(logits);
    Tensor xy = F.mul(logits, target);
    Tensor absx = F.abs(logits);
    Tensor negAbs = F.neg(absx);
    Tensor sp = F.softplus(negAbs);
    Tensor t1 = F.sub(pos, xy);
    Tensor t2 = F.add(t1, sp);
    return Autograd.dropTemporaries(F.mean(t2), pos, xy, absx, negAbs, sp, t1, t2);
  }
}
