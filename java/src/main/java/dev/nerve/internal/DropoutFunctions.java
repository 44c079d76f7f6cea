package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.MemoryFunctions.dense;

import dev.nerve.DType;
import dev.nerve.Generator;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Dropouts;

/** Inverted dropout with its gradient, on the {@link Dropouts} kernels. */
public final class DropoutFunctions {
  private DropoutFunctions() {}

  /** In training each element zeroed with probability p (mask from gen), the rest scaled by 1 / (1 - p). */
  public static Tensor dropout(Tensor x, float p, boolean training, Generator gen) {
    return OpFrame.run(() -> dropoutUnguarded(x, p, training, gen));
  }

  /** dropout itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor dropoutUnguarded(Tensor x, float p, boolean training, Generator gen) {
    final String op = "dropout";
    checkF32(op, "input", x);
    check(p >= 0 && p <= 1, "dropout: p must be in [0, 1], got %s", p);
    if (!training || p == 0f) return x;
    check(gen != null, "dropout: generator is null");
    Tensor xc = dense(x);
    Tensor y = Tensor.empty(x.device(), DType.F32, x.shape());
    Tensor mask = Tensor.empty(x.device(), DType.F32, x.shape());
    long offset = gen.advance(x.numel());
    Dropouts.forward(Tensors.data(xc), p, gen.seed(), offset, Tensors.data(y), Tensors.data(mask));
    if (xc != x) xc.close();
    if (!Autograd.needsGrad(x)) {
      mask.close();
      return y;
    }
    return Autograd.record(y, op, Autograd.saves("buffer mask", mask), g -> {
      Tensor gc = dense(g);
      Tensor dx = Tensor.empty(g.device(), DType.F32, g.shape());
      Dropouts.backward(Tensors.data(gc), Tensors.data(mask), Tensors.data(dx));
      if (gc != g) gc.close();
      return new Tensor[] {dx};
    }, x);
  }
}
