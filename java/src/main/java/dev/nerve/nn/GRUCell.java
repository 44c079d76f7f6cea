package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Tensor;

/**
 * One GRU step, as torch.nn.GRUCell: h = cell(x, h_prev), gates as {@link GRU}. x [B, in],
 * h_prev [B, hidden] or null (zeros). Two GEMMs and one fused kernel.
 */
public final class GRUCell extends RecurrentCell {
  /** On the default device, drawing from the global generator. */
  public GRUCell(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public GRUCell(long inputSize, long hiddenSize, Device device, Generator gen) {
    super("GRUCell", 3, inputSize, hiddenSize, device, gen);
  }

  /** The next h [B, hidden]; h may be null (zeros). */
  public Tensor forward(Tensor x, Tensor h) {
    checkInput(x);
    return F.gruCell(x, h, wIh, wHh, bIh, bHh);
  }

  @Override
  public Tensor forward(Tensor x) {
    return forward(x, null);
  }
}
