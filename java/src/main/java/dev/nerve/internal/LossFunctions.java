package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;

import dev.nerve.F;
import dev.nerve.Tensor;
import java.util.Arrays;

/**
 * The losses composed of other ops (MSE, BCE with logits): no kernels of their own, their
 * gradients come from their parts. The fused cross-entropy is in {@link SoftmaxFunctions}.
 */
public final class LossFunctions {
  private LossFunctions() {}

  /** mean((input - target)^2). */
  public static Tensor mse(Tensor input, Tensor target) {
    return OpFrame.run(() -> mseUnguarded(input, target));
  }

  /** mse itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor mseUnguarded(Tensor input, Tensor target) {
    checkSameShaped("mseLoss", "input", input, target);
    Tensor diff = F.sub(input, target);
    Tensor sq = F.square(diff);
    return Autograd.dropTemporaries(F.mean(sq), diff, sq);
  }

  /** mean(max(x, 0) - x y + log(1 + exp(-|x|))). */
  public static Tensor bceWithLogits(Tensor logits, Tensor target) {
    return OpFrame.run(() -> bceWithLogitsUnguarded(logits, target));
  }

  /** bceWithLogits itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor bceWithLogitsUnguarded(Tensor logits, Tensor target) {
    checkSameShaped("bceWithLogits", "logits", logits, target);
    Tensor pos = F.relu(logits);
    Tensor xy = F.mul(logits, target);
    Tensor absx = F.abs(logits);
    Tensor negAbs = F.neg(absx);
    Tensor sp = F.softplus(negAbs);
    Tensor t1 = F.sub(pos, xy);
    Tensor t2 = F.add(t1, sp);
    return Autograd.dropTemporaries(F.mean(t2), pos, xy, absx, negAbs, sp, t1, t2);
  }

  /** Both f32 on one device and of one shape ("mseLoss: input [2] and target [3] differ in shape"). */
  private static void checkSameShaped(String op, String arg, Tensor x, Tensor target) {
    checkF32(op, arg, x);
    checkF32(op, "target", target);
    checkSameDevice(op, x, target);
    check(Arrays.equals(shape(x), shape(target)), "%s: %s %s and target %s differ in shape", op, arg, shape(x),
        shape(target));
  }
}
