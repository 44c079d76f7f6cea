package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.RecurrentOutput;
import dev.nerve.Tensor;

/**
 * Gated recurrent unit, as torch.nn.GRU (gate order r, z, n):
 * r = σ(x W_ir + b_ir + h W_hr + b_hr), z = σ(x W_iz + b_iz + h W_hz + b_hz),
 * n = tanh(x W_in + b_in + r (h W_hn + b_hn)), h' = (1 - z) n + z h. One fused kernel per step
 * after the recurrent GEMM; the input projection of all steps is one GEMM.
 *
 * <p>Shapes and initialisation as {@link RNN}; weights [3 hidden, in] and [3 hidden, hidden].
 */
public final class GRU extends HiddenStateLayers {
  /** One layer, time-major, on the default device, drawing from the global generator. */
  public GRU(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, 1, false, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public GRU(long inputSize, long hiddenSize, int numLayers, boolean batchFirst, Device device, Generator gen) {
    super("GRU", 3, inputSize, hiddenSize, numLayers, true, batchFirst, device, gen);
  }

  @Override
  RecurrentOutput layer(int l, Tensor x, Tensor h0, Tensor c0, Tensor mask) {
    return F.gruLayer(x, h0, wIh[l], wHh[l], bIh[l], bHh[l], mask);
  }
}
