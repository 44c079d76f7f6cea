package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.RecurrentOutput;
import dev.nerve.Tensor;

/**
 * Elman recurrent net, as torch.nn.RNN: for each layer and step
 * h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act tanh or relu. The input projection of
 * all steps is one GEMM; the loop runs one GEMM and one activation per step.
 *
 * <p>Shapes: input [T, B, in] ([B, T, in] batch-first), h0 [layers, B, hidden] or null (zeros),
 * mask [T, B] ([B, T]) or null, output [T, B, hidden] ([B, T, hidden]), final h [layers, B, hidden].
 * Initialisation as PyTorch: every weight and bias uniform in ±1/sqrt(hidden).
 *
 * <pre>{@code RNN rnn = new RNN(1, 64); RecurrentOutput o = rnn.forward(x, null); // x [T, B, 1]}</pre>
 */
public final class RNN extends HiddenStateLayers {
  private final boolean relu;

  /** One tanh layer, time-major, on the default device, drawing from the global generator. */
  public RNN(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, 1, false, false, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public RNN(long inputSize, long hiddenSize, int numLayers, boolean relu, boolean batchFirst, Device device,
      Generator gen) {
    super(relu ? "RNN(relu)" : "RNN", 1, inputSize, hiddenSize, numLayers, true, batchFirst, device, gen);
    this.relu = relu;
  }

  @Override
  RecurrentOutput layer(int l, Tensor x, Tensor h0, Tensor c0, Tensor mask) {
    return F.rnnLayer(x, h0, wIh[l], wHh[l], bIh[l], bHh[l], relu, mask);
  }
}
