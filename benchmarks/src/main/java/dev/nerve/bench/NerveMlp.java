package dev.nerve.bench;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import java.util.List;

/** Nerve's side of the step, written as a user would write it. */
final class NerveMlp implements AutoCloseable {
  private final Sequential model;
  private final SGD optimizer;
  private final Tensor x;
  private final Tensor y;

  NerveMlp(int threads) {
    Device device = Device.cpu(threads);
    Generator gen = new Generator(MlpSpec.SEED);
    model = new Sequential(
        new Linear(MlpSpec.IN, MlpSpec.H1, true, device, gen),
        new ReLU(),
        new Linear(MlpSpec.H1, MlpSpec.H2, true, device, gen),
        new ReLU(),
        new Linear(MlpSpec.H2, MlpSpec.OUT, true, device, gen));
    optimizer = new SGD(model.parameters(), MlpSpec.LR, MlpSpec.MOMENTUM, 0f, 0f, false);
    x = Tensor.of(device, MlpSpec.inputs(), MlpSpec.BATCH, MlpSpec.IN);
    y = Tensor.ofInts(device, MlpSpec.labels(), MlpSpec.BATCH);
  }

  /** One training step: zero grads, forward, cross-entropy, backward, SGD update. Returns the loss. */
  float step() {
    try (Scope s = Scope.open()) {
      optimizer.zeroGrad();
      Tensor loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      optimizer.step();
      return loss.item();
    }
  }

  /** The parameters as host arrays: w1, b1, w2, b2, w3, b3 (weights [out, in]). */
  float[][] parameters() {
    List<Tensor> p = model.parameters();
    float[][] out = new float[p.size()][];
    for (int i = 0; i < out.length; i++) out[i] = p.get(i).toArray();
    return out;
  }

  @Override
  public void close() {
    optimizer.close();
    model.close();
    x.close();
    y.close();
  }
}
