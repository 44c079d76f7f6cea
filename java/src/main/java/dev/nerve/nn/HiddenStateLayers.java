package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.RecurrentOutput;
import dev.nerve.Tensor;

/**
 * The recurrent layers whose state is h alone, {@link RNN} and {@link GRU}: their forward
 * overloads take h0 where {@link LSTM}'s take an (h, c) state. The methods are not final, so that
 * javac gives RNN and GRU public bridges to them: reflection finds them there, as before they moved.
 */
abstract class HiddenStateLayers extends RecurrentLayers {
  HiddenStateLayers(String name, int gates, long inputSize, long hiddenSize, int numLayers, boolean bias,
      boolean batchFirst, Device device, Generator gen) {
    super(name, gates, inputSize, hiddenSize, numLayers, bias, batchFirst, device, gen);
  }

  /** Outputs and final state; h0 and mask may be null. */
  public RecurrentOutput forward(Tensor x, Tensor h0, Tensor mask) {
    return run(x, h0, null, mask);
  }

  /** Outputs and final state, without a mask; h0 may be null (zeros). */
  public RecurrentOutput forward(Tensor x, Tensor h0) {
    return run(x, h0, null, null);
  }
}
