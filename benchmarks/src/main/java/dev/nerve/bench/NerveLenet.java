package dev.nerve.bench;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.examples.MnistCnn;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import java.util.List;

/** Nerve's side of the LeNet step: the examples module's {@code MnistCnn.lenet}, as the CLI trains it. */
final class NerveLenet implements AutoCloseable {
  private final Sequential model;
  private final SGD optimizer;
  private final Tensor x;
  private final Tensor y;

  NerveLenet(int threads) {
    Device device = Device.cpu(threads);
    Generator gen = new Generator(LenetSpec.SEED);
    model = MnistCnn.lenet(device, gen);
    model.train();
    optimizer = new SGD(model.parameters(), LenetSpec.LR, LenetSpec.MOMENTUM, 0f, 0f, false);
    x = Tensor.of(device, LenetSpec.inputs(), LenetSpec.BATCH, LenetSpec.CHANNELS, LenetSpec.SIDE, LenetSpec.SIDE);
    y = Tensor.ofInts(device, LenetSpec.labels(), LenetSpec.BATCH);
  }

  /** One training step: zero grads, forward (dropout on), cross-entropy, backward, SGD update. Returns the loss. */
  float step() {
    try (Scope s = Scope.open()) {
      optimizer.zeroGrad();
      Tensor loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      optimizer.step();
      return loss.item();
    }
  }

  /** The loss on the batch in evaluation mode (dropout off), without a gradient or an update. */
  float evalLoss() {
    model.eval();
    try (Grad g = Grad.off(); Scope s = Scope.open()) {
      return F.crossEntropy(model.forward(x), y).item();
    } finally {
      model.train();
    }
  }

  /** The parameters as host arrays, in {@link LenetSpec#PARAM_SHAPES}' order. */
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
