package dev.nerve.bench;

import static org.bytedeco.pytorch.global.torch.relu;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;

/** The peer: the same mnist-mlp step with PyTorch 2.10 (libtorch through the JavaCPP presets). */
final class TorchMlp {
  private TorchMlp() {}

  /** Parameters w1, b1, w2, b2, w3, b3 in PyTorch's [out, in] layout. */
  static TorchClassifierStep create(int threads) {
    TorchClassifierStep.seed(threads);
    LinearImpl l1 = new LinearImpl(MlpSpec.IN, MlpSpec.H1);
    LinearImpl l2 = new LinearImpl(MlpSpec.H1, MlpSpec.H2);
    LinearImpl l3 = new LinearImpl(MlpSpec.H2, MlpSpec.OUT);
    return new TorchClassifierStep(new Module[] {l1, l2, l3}, x -> l3.forward(relu(l2.forward(relu(l1.forward(x))))),
        TorchTensors.fromFloats(MlpSpec.inputs(), MlpSpec.BATCH, MlpSpec.IN), TorchTensors.fromInts(MlpSpec.labels()));
  }
}
