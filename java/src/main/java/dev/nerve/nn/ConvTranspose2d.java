package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * Transposed 2-D convolution (the adjoint of {@link Conv2d} in its input), the upsampling layer of
 * decoders: a stride-2 kernel-4 padding-1 layer doubles H and W.
 *
 * <p>Shapes: input [N, in, H, W], weight [in, out, k, k], bias [out], output
 * [N, out, (H - 1) stride - 2 padding + k + outputPadding, ...].
 *
 * <p>Initialisation: Kaiming uniform with fan_in = out k k (the fan of the equivalent convolution
 * seen from the output), bias U(±1/sqrt(fan_in)).
 */
public final class ConvTranspose2d extends Module {
  private final long in;
  private final long out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int outputPadding;
  private final Tensor weight;
  private final Tensor bias;

  /** No output padding, with bias, on the default device. */
  public ConvTranspose2d(long in, long out, int kernel, int stride, int padding) {
    this(in, out, kernel, stride, padding, 0, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public ConvTranspose2d(long in, long out, int kernel, int stride, int padding, int outputPadding, Device device,
      Generator gen) {
    if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || outputPadding < 0 || outputPadding >= stride) {
      throw new IllegalArgumentException("ConvTranspose2d: invalid configuration in=" + in + ", out=" + out + ", kernel="
          + kernel + ", stride=" + stride + ", padding=" + padding + ", outputPadding=" + outputPadding);
    }
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    ParameterSizes.requireGenerator("ConvTranspose2d", gen);
    new ParameterSizes("ConvTranspose2d", "in=" + in + ", out=" + out + ", kernel=" + kernel)
        .tensor(in, out, kernel, kernel).tensor(out).check(device);
    try {
      this.weight = registerParameter("weight", Tensor.empty(device, DType.F32, in, out, kernel, kernel));
      this.bias = registerParameter("bias", Tensor.empty(device, DType.F32, out));
      resetParameters(gen);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Draws weight and bias again as at construction, from gen. */
  public void resetParameters(Generator gen) {
    double fanIn = (double) out * kernel * kernel;
    try (Grad g = Grad.off()) {
      float w = (float) Math.sqrt(6.0 / fanIn);
      weight.fillUniform(gen, -w, w);
      float b = (float) (1.0 / Math.sqrt(fanIn));
      bias.fillUniform(gen, -b, b);
    }
  }

  /** The kernels [in, out, k, k]. */
  public Tensor weight() {
    return weight;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.convTranspose2d(x, weight, bias, stride, padding, outputPadding);
  }

  @Override
  public String toString() {
    return "ConvTranspose2d(" + in + " -> " + out + ", " + kernel + "x" + kernel + ", stride " + stride
        + (padding != 0 ? ", padding " + padding : "") + ")";
  }
}
