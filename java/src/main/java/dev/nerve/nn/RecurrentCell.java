package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * What {@link LSTMCell} and {@link GRUCell} share: the four parameters of one cell with G gates
 * (weight_ih [G hidden, in], weight_hh [G hidden, hidden], bias_ih, bias_hh [G hidden]),
 * initialised uniform in ±1/sqrt(hidden) as PyTorch, and the check of the input [B, in].
 */
abstract class RecurrentCell extends Module {
  private final String name;
  final long inputSize;
  final long hiddenSize;
  final Tensor wIh;
  final Tensor wHh;
  final Tensor bIh;
  final Tensor bHh;

  RecurrentCell(String name, int gates, long inputSize, long hiddenSize, Device device, Generator gen) {
    if (inputSize <= 0 || hiddenSize <= 0) {
      throw new IllegalArgumentException(name + ": sizes must be positive, got " + inputSize + ", " + hiddenSize);
    }
    ParameterSizes.requireGenerator(name, gen);
    new ParameterSizes(name, "inputSize=" + inputSize + ", hiddenSize=" + hiddenSize)
        .tensor(gates, hiddenSize, inputSize).tensor(gates, hiddenSize, hiddenSize).tensors(2, gates, hiddenSize).check(device);
    this.name = name;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    try {
      wIh = registerParameter("weight_ih", Tensor.empty(device, DType.F32, gates * hiddenSize, inputSize));
      wHh = registerParameter("weight_hh", Tensor.empty(device, DType.F32, gates * hiddenSize, hiddenSize));
      bIh = registerParameter("bias_ih", Tensor.empty(device, DType.F32, gates * hiddenSize));
      bHh = registerParameter("bias_hh", Tensor.empty(device, DType.F32, gates * hiddenSize));
      float k = (float) (1.0 / Math.sqrt(hiddenSize));
      try (Grad g = Grad.off()) {
        for (Tensor p : parameters()) p.fillUniform(gen, -k, k);
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** x is [B, inputSize]. */
  final void checkInput(Tensor x) {
    if (x == null || x.dim() != 2 || x.size(1) != inputSize) {
      throw new IllegalArgumentException(name + ": input must be [B, " + inputSize + "] but is "
          + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
    }
  }
}
