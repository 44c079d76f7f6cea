package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.LstmState;
import dev.nerve.RecurrentOutput;
import dev.nerve.Tensor;

/**
 * Long short-term memory, as torch.nn.LSTM (gate order i, f, g, o):
 * gates = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh, c_t = σ(f) c_{t-1} + σ(i) tanh(g),
 * h_t = σ(o) tanh(c_t). The input projection of all steps is one GEMM; per step one GEMM and one
 * fused cell kernel; the backward runs the fused backward kernel and one GEMM per step, and
 * W_hh's gradient is one GEMM over all steps.
 *
 * <p>Shapes: input [T, B, in] ([B, T, in] batch-first), state (h0, c0) [layers, B, hidden] each or
 * null (zeros), mask [T, B] ([B, T]) or null (0 marks padding: the state is carried through, so
 * the final state is each sequence's last real step), output [T, B, hidden] ([B, T, hidden]),
 * final (h, c) [layers, B, hidden]. Initialisation as PyTorch: uniform in ±1/sqrt(hidden).
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(128, 256, 1, true, device, gen);
 * RecurrentOutput o = lstm.forward(x, null);   // x [32, 64, 128] -> o.output() [32, 64, 256]
 * }</pre>
 */
public final class LSTM extends RecurrentLayers {
  /** One layer, time-major, on the default device, drawing from the global generator. */
  public LSTM(long inputSize, long hiddenSize) {
    this(inputSize, hiddenSize, 1, false, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public LSTM(long inputSize, long hiddenSize, int numLayers, boolean batchFirst, Device device, Generator gen) {
    super("LSTM", 4, inputSize, hiddenSize, numLayers, true, batchFirst, device, gen);
  }

  @Override
  RecurrentOutput layer(int l, Tensor x, Tensor h0, Tensor c0, Tensor mask) {
    return F.lstmLayer(x, h0 == null ? null : new LstmState(h0, c0), wIh[l], wHh[l], bIh[l], bHh[l], mask);
  }

  /** Outputs and final state; state and mask may be null. */
  public RecurrentOutput forward(Tensor x, LstmState state, Tensor mask) {
    if (state != null && (state.h() == null || state.c() == null)) {
      throw new IllegalArgumentException("LSTM: the initial state needs both h and c");
    }
    return run(x, state == null ? null : state.h(), state == null ? null : state.c(), mask);
  }

  /** Outputs and final state, without a mask; state may be null (zeros). */
  public RecurrentOutput forward(Tensor x, LstmState state) {
    return forward(x, state, null);
  }
}
