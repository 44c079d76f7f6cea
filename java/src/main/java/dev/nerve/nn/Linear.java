package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * Fully connected layer: y = x W^T + b.
 *
 * <p>Shapes: input [..., in], weight [out, in], bias [out], output [..., out].
 *
 * <p>Initialisation (as PyTorch): W and b uniform in ±1/sqrt(in); {@link #resetParameters} draws
 * them again. Use {@link Init#kaimingUniform} or {@link Init#xavierUniform} on {@link #weight()}
 * for other schemes.
 *
 * <pre>{@code Linear fc = new Linear(784, 256); Tensor y = fc.forward(x); // x [128, 784] -> y [128, 256]}</pre>
 */
public final class Linear extends Module {
  private final long in;
  private final long out;
  private final Tensor weight;
  private final Tensor bias;

  /** in to out features with bias, on the default device, drawing from the global generator. */
  public Linear(long in, long out) {
    this(in, out, true, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public Linear(long in, long out, boolean bias, Device device, Generator gen) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("Linear: in and out features must be positive, got in=" + in + ", out=" + out);
    }
    ParameterSizes.requireGenerator("Linear", gen);
    new ParameterSizes("Linear", "in=" + in + ", out=" + out).tensor(out, in).tensors(bias ? 1 : 0, out).check(device);
    this.in = in;
    this.out = out;
    try {
      this.weight = registerParameter("weight", Tensor.empty(device, DType.F32, out, in));
      this.bias = bias ? registerParameter("bias", Tensor.empty(device, DType.F32, out)) : null;
      resetParameters(gen);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Draws W and b again uniform in ±1/sqrt(in) from gen. */
  public void resetParameters(Generator gen) {
    float b = (float) (1.0 / Math.sqrt(in));
    try (Grad g = Grad.off()) {
      weight.fillUniform(gen, -b, b);
      if (bias != null) bias.fillUniform(gen, -b, b);
    }
  }

  /** W [out, in]. */
  public Tensor weight() {
    return weight;
  }

  /** b [out], or null when built without. */
  public Tensor bias() {
    return bias;
  }

  /**
   * y = x W^T + b: x [..., in] (f32, on the layer's device) to y [..., out].
   *
   * @throws IllegalArgumentException naming {@code linear} and both shapes when x's last
   *     dimension is not in, or x is on another device or not f32
   */
  @Override
  public Tensor forward(Tensor x) {
    return F.linear(x, weight, bias);
  }

  @Override
  public String toString() {
    return "Linear(" + in + " -> " + out + (bias == null ? ", no bias" : "") + ")";
  }
}
