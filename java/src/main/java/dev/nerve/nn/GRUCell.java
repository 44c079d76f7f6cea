package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * One GRU step, as torch.nn.GRUCell: h = cell(x, h_prev), gates as {@link GRU}. x [B, in],
 * h_prev [B, hidden] or null (zeros). Two GEMMs and one fused kernel.
 */
public final class GRUCell extends Module {
  private final long inputSize;
  private final Tensor wIh;
  private final Tensor wHh;
  private final Tensor bIh;
  private final Tensor bHh;

  public GRUCell(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, Device.defaultDevice(), Generator.global());
  }

  public GRUCell(long inputSize, long hiddenSize, Device device, Generator gen) {
    if (inputSize <= 0 || hiddenSize <= 0) {
      throw new IllegalArgumentException("GRUCell: sizes must be positive, got " + inputSize + ", " + hiddenSize);
    }
    this.inputSize = inputSize;
    wIh = registerParameter("weight_ih", Tensor.empty(device, DType.F32, 3 * hiddenSize, inputSize));
    wHh = registerParameter("weight_hh", Tensor.empty(device, DType.F32, 3 * hiddenSize, hiddenSize));
    bIh = registerParameter("bias_ih", Tensor.empty(device, DType.F32, 3 * hiddenSize));
    bHh = registerParameter("bias_hh", Tensor.empty(device, DType.F32, 3 * hiddenSize));
    float k = (float) (1.0 / Math.sqrt(hiddenSize));
    try (Grad g = Grad.off()) {
      for (Tensor p : parameters()) p.fillUniform(gen, -k, k);
    }
  }

  public Tensor forward(Tensor x, Tensor h) {
    if (x == null || x.dim() != 2 || x.size(1) != inputSize) {
      throw new IllegalArgumentException("GRUCell: input must be [B, " + inputSize + "] but is "
          + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
    }
    return F.gruCell(x, h, wIh, wHh, bIh, bHh);
  }

  @Override
  public Tensor forward(Tensor x) {
    return forward(x, null);
  }
}
