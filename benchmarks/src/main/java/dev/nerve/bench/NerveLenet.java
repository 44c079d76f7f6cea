package dev.nerve.bench;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.examples.MnistCnn;

/** Nerve's side of the LeNet step: the examples module's {@code MnistCnn.lenet}, as the CLI trains it (dropout on). */
final class NerveLenet extends NerveClassifierStep {
  NerveLenet(int threads) {
    this(Device.cpu(threads), new Generator(StepBenchmark.SEED));
  }

  private NerveLenet(Device device, Generator gen) {
    super(MnistCnn.lenet(device, gen),
        Tensor.of(device, LenetSpec.inputs(), LenetSpec.BATCH, LenetSpec.CHANNELS, LenetSpec.SIDE, LenetSpec.SIDE),
        Tensor.ofInts(device, LenetSpec.labels(), LenetSpec.BATCH));
    model.train();
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
}
