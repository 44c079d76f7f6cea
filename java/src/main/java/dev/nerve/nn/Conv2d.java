package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * 2-D convolution over NCHW images: y[n, k] = b[k] + sum over c, r, s of w[k, c, r, s] x[n, c, p*stride + r - padding, ...].
 *
 * <p>Shapes: input [N, C, H, W], weight [K, C/groups, R, S], bias [K], output [N, K, P, Q] with
 * P = (H + 2 padding - dilation (R - 1) - 1) / stride + 1.
 *
 * <p>Initialisation: weight Kaiming (He) uniform for ReLU, U(±sqrt(6 / fan_in)) with fan_in = C/groups R S;
 * bias U(±1/sqrt(fan_in)).
 *
 * <pre>{@code Conv2d conv = new Conv2d(1, 6, 5); Tensor y = conv.forward(x); // [64, 1, 28, 28] -> [64, 6, 24, 24]}</pre>
 */
public final class Conv2d extends Module {
  private final long in;
  private final long out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final int groups;
  private final Tensor weight;
  private final Tensor bias;

  /** A kernel x kernel convolution with stride 1, no padding, with bias. */
  public Conv2d(long in, long out, int kernel) {
    this(in, out, kernel, 1, 0, 1, 1, true, Device.defaultDevice(), Generator.global());
  }

  /** A kernel x kernel convolution with the given stride and padding, no dilation, one group, with bias. */
  public Conv2d(long in, long out, int kernel, int stride, int padding) {
    this(in, out, kernel, stride, padding, 1, 1, true, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public Conv2d(long in, long out, int kernel, int stride, int padding, int dilation, int groups, boolean bias,
      Device device, Generator gen) {
    if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0 || groups <= 0) {
      throw new IllegalArgumentException("Conv2d: invalid configuration in=" + in + ", out=" + out + ", kernel=" + kernel
          + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation + ", groups=" + groups);
    }
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in=" + in + " and out=" + out);
    }
    ParameterSizes.requireGenerator("Conv2d", gen);
    new ParameterSizes("Conv2d", "in=" + in + ", out=" + out + ", kernel=" + kernel + ", groups=" + groups)
        .tensor(out, in / groups, kernel, kernel).tensors(bias ? 1 : 0, out).check(device);
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    try {
      this.weight = registerParameter("weight", Tensor.empty(device, DType.F32, out, in / groups, kernel, kernel));
      this.bias = bias ? registerParameter("bias", Tensor.empty(device, DType.F32, out)) : null;
      resetParameters(gen);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Draws weight and bias again as at construction, from gen. */
  public void resetParameters(Generator gen) {
    try (Grad g = Grad.off()) {
      Init.kaimingUniform(weight, gen);
      if (bias != null) {
        float b = (float) (1.0 / Math.sqrt((double) (in / groups) * kernel * kernel));
        bias.fillUniform(gen, -b, b);
      }
    }
  }

  /** The kernels [K, C/groups, R, S]. */
  public Tensor weight() {
    return weight;
  }

  /** The bias [K], or null when built without. */
  public Tensor bias() {
    return bias;
  }

  /**
   * The convolution of x [N, C, H, W] (f32, on the layer's device): [N, K, P, Q] as in the class
   * comment.
   *
   * @throws IllegalArgumentException naming {@code conv2d} and the shapes when x is not 4-D, has
   *     another channel count than the weight expects, or is too small for the kernel
   */
  @Override
  public Tensor forward(Tensor x) {
    return F.conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {dilation, dilation}, groups);
  }

  @Override
  public String toString() {
    return "Conv2d(" + in + " -> " + out + ", " + kernel + "x" + kernel + (stride != 1 ? ", stride " + stride : "")
        + (padding != 0 ? ", padding " + padding : "") + (dilation != 1 ? ", dilation " + dilation : "")
        + (groups != 1 ? ", groups " + groups : "") + (bias == null ? ", no bias" : "") + ")";
  }
}
