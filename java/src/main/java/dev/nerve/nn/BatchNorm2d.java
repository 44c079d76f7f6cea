package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * Batch normalisation per channel of [N, C, H, W] (also [N, C]):
 * y = (x - mean) / sqrt(var + eps) * weight + bias.
 *
 * <p>In training mode mean and var are the batch's (over N, H, W) and the running statistics
 * (buffers runningMean, runningVar, saved in checkpoints) move toward them:
 * running = (1 - momentum) running + momentum batch (unbiased variance). In evaluation mode the
 * running statistics are used. Initialisation: weight 1, bias 0, running mean 0, running var 1.
 */
public final class BatchNorm2d extends Module {
  private final long channels;
  private final float eps;
  private final float momentum;
  private final Tensor weight;
  private final Tensor bias;
  private final Tensor runningMean;
  private final Tensor runningVar;

  /** eps 1e-5, momentum 0.1, on the default device. */
  public BatchNorm2d(long channels) {
    this(channels, 1e-5f, 0.1f, Device.defaultDevice());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public BatchNorm2d(long channels, float eps, float momentum, Device device) {
    if (channels <= 0) throw new IllegalArgumentException("BatchNorm2d: channels must be positive, got " + channels);
    if (!(eps > 0 && Float.isFinite(eps))) {
      throw new IllegalArgumentException("BatchNorm2d: eps must be a positive finite number, got " + eps);
    }
    if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("BatchNorm2d: momentum must be in [0, 1], got " + momentum);
    this.channels = channels;
    this.eps = eps;
    this.momentum = momentum;
    new ParameterSizes("BatchNorm2d", "channels=" + channels).tensors(4, channels).check(device);
    try {
      this.weight = registerParameter("weight", Tensor.empty(device, DType.F32, channels));
      this.bias = registerParameter("bias", Tensor.empty(device, DType.F32, channels));
      this.runningMean = registerBuffer("runningMean", Tensor.empty(device, DType.F32, channels));
      this.runningVar = registerBuffer("runningVar", Tensor.empty(device, DType.F32, channels));
      resetParameters();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Weight 1, bias 0, running mean 0, running variance 1. */
  public void resetParameters() {
    try (Grad g = Grad.off()) {
      weight.fill(1f);
      bias.fill(0f);
      runningMean.fill(0f);
      runningVar.fill(1f);
    }
  }

  /** The scale per channel [C] (gamma). */
  public Tensor weight() {
    return weight;
  }

  /** The shift per channel [C] (beta). */
  public Tensor bias() {
    return bias;
  }

  /** The running mean per channel [C], a buffer (saved, not trained). */
  public Tensor runningMean() {
    return runningMean;
  }

  /** The running (unbiased) variance per channel [C], a buffer. */
  public Tensor runningVar() {
    return runningVar;
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x != null && !x.isClosed() && (x.dim() < 2 || x.size(1) != channels)) {
      throw new IllegalArgumentException("BatchNorm2d: input has " + (x.dim() < 2 ? 0 : x.size(1)) + " channels but the layer has "
          + channels + " (input " + java.util.Arrays.toString(x.shape()) + ")");
    }
    if (isTraining() && x != null && !x.isClosed() && x.dim() >= 2 && x.numel() / Math.max(1, x.size(1)) <= 1) {
      throw new IllegalStateException("BatchNorm2d: training mode needs more than one value per channel, got input "
          + java.util.Arrays.toString(x.shape()) + "; call eval() to normalise single examples with the running statistics");
    }
    return F.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
  }

  @Override
  public String toString() {
    return "BatchNorm2d(" + channels + ")";
  }
}
