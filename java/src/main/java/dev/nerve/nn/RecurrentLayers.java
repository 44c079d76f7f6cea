package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.LstmState;
import dev.nerve.RecurrentOutput;
import dev.nerve.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share: the parameters of every layer (PyTorch's
 * names weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}), initialised uniform in
 * ±1/sqrt(hidden), and the layer loop with the batch-first and mask plumbing.
 */
abstract class RecurrentLayers extends Module {
  final String name;
  final long inputSize;
  final long hiddenSize;
  final int numLayers;
  final boolean batchFirst;
  final Tensor[] wIh;
  final Tensor[] wHh;
  final Tensor[] bIh;
  final Tensor[] bHh;

  RecurrentLayers(String name, int gates, long inputSize, long hiddenSize, int numLayers, boolean bias,
      boolean batchFirst, Device device, Generator gen) {
    if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
      throw new IllegalArgumentException(name + ": inputSize, hiddenSize and numLayers must be positive, got "
          + inputSize + ", " + hiddenSize + ", " + numLayers);
    }
    ParameterSizes.requireGenerator(name, gen);
    // Before the arrays below: numLayers = Integer.MAX_VALUE must be an IllegalArgumentException,
    // not the OutOfMemoryError of four 2^31-element arrays.
    new ParameterSizes(name, "inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + ", numLayers=" + numLayers)
        .tensor(gates, hiddenSize, inputSize)
        .tensors(numLayers - 1L, gates, hiddenSize, hiddenSize)
        .tensors(numLayers, gates, hiddenSize, hiddenSize)
        .tensors(bias ? 2L * numLayers : 0, gates, hiddenSize)
        .check(device);
    this.name = name;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.batchFirst = batchFirst;
    wIh = new Tensor[numLayers];
    wHh = new Tensor[numLayers];
    bIh = new Tensor[numLayers];
    bHh = new Tensor[numLayers];
    try {
      for (int l = 0; l < numLayers; l++) {
        long in = l == 0 ? inputSize : hiddenSize;
        wIh[l] = registerParameter("weight_ih_l" + l, Tensor.empty(device, DType.F32, gates * hiddenSize, in));
        wHh[l] = registerParameter("weight_hh_l" + l, Tensor.empty(device, DType.F32, gates * hiddenSize, hiddenSize));
        if (bias) {
          bIh[l] = registerParameter("bias_ih_l" + l, Tensor.empty(device, DType.F32, gates * hiddenSize));
          bHh[l] = registerParameter("bias_hh_l" + l, Tensor.empty(device, DType.F32, gates * hiddenSize));
        }
      }
      resetParameters(gen);
    } catch (RuntimeException | Error e) {
      close();  // a failure part-way (out of device memory) frees the layers made so far
      throw e;
    }
  }

  /** Draws every weight and bias again uniform in ±1/sqrt(hidden) from gen. */
  public final void resetParameters(Generator gen) {
    float k = (float) (1.0 / Math.sqrt(hiddenSize));
    try (Grad g = Grad.off()) {
      for (Tensor p : parameters()) p.fillUniform(gen, -k, k);
    }
  }

  /** The size of each layer's state h. */
  public final long hiddenSize() {
    return hiddenSize;
  }

  /** The number of stacked layers. */
  public final int numLayers() {
    return numLayers;
  }

  /** The outputs, from a zero initial state (not final: RNN, GRU and LSTM get public bridges to it). */
  @Override
  public Tensor forward(Tensor x) {
    return run(x, null, null, null).output();
  }

  /** One layer (time-first) through the functional form. */
  abstract RecurrentOutput layer(int l, Tensor x, Tensor h0, Tensor c0, Tensor mask);

  final RecurrentOutput run(Tensor x, Tensor h0, Tensor c0, Tensor mask) {
    if (x == null) throw new IllegalArgumentException(name + ": input is null");
    if (x.dim() != 3) {
      throw new IllegalArgumentException(name + ": input must be 3-D " + (batchFirst ? "[B, T, features]" : "[T, B, features]")
          + " but is " + java.util.Arrays.toString(x.shape()));
    }
    if (x.size(2) != inputSize) {
      throw new IllegalArgumentException(name + ": input has " + x.size(2) + " features but the layer expects " + inputSize
          + " (input " + java.util.Arrays.toString(x.shape()) + ")");
    }
    long b = batchFirst ? x.size(0) : x.size(1);
    checkState("h0", h0, b);
    checkState("c0", c0, b);
    if (mask != null && (mask.dim() != 2 || mask.size(0) != x.size(0) || mask.size(1) != x.size(1))) {
      throw new IllegalArgumentException(name + ": mask must be " + (batchFirst ? "[B, T]" : "[T, B]") + " = ["
          + x.size(0) + ", " + x.size(1) + "] but is " + java.util.Arrays.toString(mask.shape()));
    }
    Tensor seq = batchFirst ? x.transpose(0, 1) : x;
    Tensor m = mask != null && batchFirst ? mask.transpose(0, 1) : mask;
    List<Tensor> hs = new ArrayList<>();
    List<Tensor> cs = new ArrayList<>();
    for (int l = 0; l < numLayers; l++) {
      Tensor hl = h0 == null ? null : h0.slice(0, l, l + 1).reshape(b, hiddenSize);
      Tensor cl = c0 == null ? null : c0.slice(0, l, l + 1).reshape(b, hiddenSize);
      RecurrentOutput o = layer(l, seq, hl, cl, m);
      seq = o.output();
      hs.add(o.h());
      if (o.c() != null) cs.add(o.c());
    }
    Tensor out = batchFirst ? seq.transpose(0, 1) : seq;
    Tensor hn = F.stack(hs, 0);
    Tensor cn = cs.isEmpty() ? null : F.stack(cs, 0);
    return new RecurrentOutput(out, hn, cn);
  }

  private void checkState(String arg, Tensor s, long b) {
    if (s == null) return;
    if (s.dim() != 3 || s.size(0) != numLayers || s.size(1) != b || s.size(2) != hiddenSize) {
      throw new IllegalArgumentException(name + ": " + arg + " must be [layers, B, hidden] = [" + numLayers + ", " + b + ", "
          + hiddenSize + "] but is " + java.util.Arrays.toString(s.shape()));
    }
  }

  @Override
  public String toString() {
    return name + "(" + inputSize + " -> " + hiddenSize + ", layers=" + numLayers + (batchFirst ? ", batchFirst" : "") + ")";
  }
}
