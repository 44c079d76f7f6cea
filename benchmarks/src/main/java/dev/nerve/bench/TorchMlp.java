package dev.nerve.bench;

import static org.bytedeco.pytorch.global.torch.cross_entropy;
import static org.bytedeco.pytorch.global.torch.relu;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** The peer: the same step with PyTorch 2.10 (libtorch through the JavaCPP presets). */
final class TorchMlp implements AutoCloseable {
  private final LinearImpl l1;
  private final LinearImpl l2;
  private final LinearImpl l3;
  private final TensorVector params;
  private final SGD optimizer;
  private final SGDOptions options;
  private final Tensor x;
  private final Tensor y;

  TorchMlp(int threads) {
    torch.set_num_threads(threads);
    torch.manual_seed(MlpSpec.SEED);
    l1 = new LinearImpl(MlpSpec.IN, MlpSpec.H1);
    l2 = new LinearImpl(MlpSpec.H1, MlpSpec.H2);
    l3 = new LinearImpl(MlpSpec.H2, MlpSpec.OUT);
    params = new TensorVector();
    for (LinearImpl l : new LinearImpl[] {l1, l2, l3}) {
      for (Tensor p : l.parameters().get()) params.push_back(p);
    }
    options = new SGDOptions(MlpSpec.LR);
    options.momentum().put((double) MlpSpec.MOMENTUM);
    optimizer = new SGD(params, options);
    x = TorchTensors.fromFloats(MlpSpec.inputs(), MlpSpec.BATCH, MlpSpec.IN);
    int[] labels = MlpSpec.labels();
    long[] l = new long[labels.length];
    for (int i = 0; i < l.length; i++) l[i] = labels[i];
    try (LongPointer lp = new LongPointer(l)) {
      y = torch.from_blob(lp, new long[] {l.length}, new TensorOptions(torch.ScalarType.Long)).clone();
    }
  }

  /** One training step: zero grads, forward, cross-entropy, backward, SGD update. Returns the loss. */
  float step() {
    try (PointerScope scope = new PointerScope()) {
      optimizer.zero_grad();
      Tensor h = relu(l1.forward(x));
      h = relu(l2.forward(h));
      Tensor loss = cross_entropy(l3.forward(h), y);
      loss.backward();
      optimizer.step();
      return loss.item_float();
    }
  }

  /** Overwrites the parameters (w1, b1, w2, b2, w3, b3 in PyTorch's [out, in] layout). */
  void loadParameters(float[][] values) {
    TorchTensors.load(params, values, MlpSpec.PARAM_SHAPES);
  }

  @Override
  public void close() {
    optimizer.close();
    options.close();
    params.close();
    x.close();
    y.close();
    l1.close();
    l2.close();
    l3.close();
  }
}
