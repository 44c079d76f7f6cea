package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.LstmState;
import dev.nerve.Tensor;

/**
 * One LSTM step, as torch.nn.LSTMCell: (h, c) = cell(x, (h_prev, c_prev)), gates as {@link LSTM}.
 * x [B, in], state [B, hidden] each or null (zeros). Two GEMMs and one fused kernel.
 */
public final class LSTMCell extends Module {
  private final long inputSize;
  private final long hiddenSize;
  private final Tensor wIh;
  private final Tensor wHh;
  private final Tensor bIh;
  private final Tensor bHh;

  public LSTMCell(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, Device.defaultDevice(), Generator.global());
  }

  public LSTMCell(long inputSize, long hiddenSize, Device device, Generator gen) {
    if (inputSize <= 0 || hiddenSize <= 0) {
      throw new IllegalArgumentException("LSTMCell: sizes must be positive, got " + inputSize + ", " + hiddenSize);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    wIh = registerParameter("weight_ih", Tensor.empty(device, DType.F32, 4 * hiddenSize, inputSize));
    wHh = registerParameter("weight_hh", Tensor.empty(device, DType.F32, 4 * hiddenSize, hiddenSize));
    bIh = registerParameter("bias_ih", Tensor.empty(device, DType.F32, 4 * hiddenSize));
    bHh = registerParameter("bias_hh", Tensor.empty(device, DType.F32, 4 * hiddenSize));
    float k = (float) (1.0 / Math.sqrt(hiddenSize));
    try (Grad g = Grad.off()) {
      for (Tensor p : parameters()) p.fillUniform(gen, -k, k);
    }
  }

  public LstmState forward(Tensor x, LstmState state) {
    if (x == null || x.dim() != 2 || x.size(1) != inputSize) {
      throw new IllegalArgumentException("LSTMCell: input must be [B, " + inputSize + "] but is "
          + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
    }
    return F.lstmCell(x, state, wIh, wHh, bIh, bHh);
  }

  /** h from a zero state. */
  @Override
  public Tensor forward(Tensor x) {
    return forward(x, null).h();
  }

  public long hiddenSize() {
    return hiddenSize;
  }
}
