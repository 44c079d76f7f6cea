package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.LstmState;
import dev.nerve.Tensor;

/**
 * One LSTM step, as torch.nn.LSTMCell: (h, c) = cell(x, (h_prev, c_prev)), gates as {@link LSTM}.
 * x [B, in], state [B, hidden] each or null (zeros). Two GEMMs and one fused kernel.
 */
public final class LSTMCell extends RecurrentCell {
  /** On the default device, drawing from the global generator. */
  public LSTMCell(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public LSTMCell(long inputSize, long hiddenSize, Device device, Generator gen) {
    super("LSTMCell", 4, inputSize, hiddenSize, device, gen);
  }

  /** The next (h, c), each [B, hidden]; state may be null (zeros). */
  public LstmState forward(Tensor x, LstmState state) {
    checkInput(x);
    return F.lstmCell(x, state, wIh, wHh, bIh, bHh);
  }

  /** h from a zero state. */
  @Override
  public Tensor forward(Tensor x) {
    return forward(x, null).h();
  }

  /** The size of h and c. */
  public long hiddenSize() {
    return hiddenSize;
  }
}
