package dev.nerve.bench;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Tensor;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;

/** Nerve's side of the MLP step; parameters() gives w1, b1, w2, b2, w3, b3 (weights [out, in]). */
final class NerveMlp extends NerveClassifierStep {
  NerveMlp(int threads) {
    this(Device.cpu(threads), new Generator(StepBenchmark.SEED));
  }

  private NerveMlp(Device device, Generator gen) {
    super(new Sequential(
            new Linear(MlpSpec.IN, MlpSpec.H1, true, device, gen),
            new ReLU(),
            new Linear(MlpSpec.H1, MlpSpec.H2, true, device, gen),
            new ReLU(),
            new Linear(MlpSpec.H2, MlpSpec.OUT, true, device, gen)),
        Tensor.of(device, MlpSpec.inputs(), MlpSpec.BATCH, MlpSpec.IN),
        Tensor.ofInts(device, MlpSpec.labels(), MlpSpec.BATCH));
  }
}
