package dev.nerve.io;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.SGD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small model with two optimizers on disjoint halves of its parameters, as the GAN has
 * (an SGD with momentum on the first layer, an Adam on the last), and a bit-exact snapshot of
 * everything a checkpoint load may change.
 */
final class CheckpointFixture implements AutoCloseable {
  static final Device CPU = Device.cpu();

  final Sequential model;
  final SGD first;
  final Adam second;
  final Map<String, Optimizer> optimizers = new LinkedHashMap<>();

  /** A fixture from seed, trained steps times with learning rates scaled by lrScale, on the CPU. */
  CheckpointFixture(long seed, int steps, float lrScale) {
    this(seed, steps, lrScale, CPU);
  }

  CheckpointFixture(long seed, int steps, float lrScale, Device device) {
    Generator gen = new Generator(seed);
    model = new Sequential(new Linear(4, 5, true, device, gen), new ReLU(), new Linear(5, 3, true, device, gen));
    List<Tensor> p = model.parameters();
    first = new SGD(p.subList(0, 2), 0.05f * lrScale, 0.9f);
    second = new Adam(p.subList(2, 4), 0.01f * lrScale, 0.5f, 0.999f, 1e-8f, 0f);
    optimizers.put("g_optimizer", first);
    optimizers.put("d_optimizer", second);
    Generator data = new Generator(seed + 1000);
    for (int i = 0; i < steps; i++) {
      try (Scope s = Scope.open()) {
        Tensor x = Tensor.randn(device, data, 0, 1, 6, 4);
        Tensor y = Tensor.ofInts(device, new int[] {0, 1, 2, 0, 1, 2});
        first.zeroGrad();
        second.zeroGrad();
        F.crossEntropy(model.forward(x), y).backward();
        first.step();
        second.step();
      }
    }
  }

  /** Everything a load may change, as raw bits: model tensors, each optimizer's state, steps and lr. */
  record Snapshot(Map<String, List<Long>> bits, Map<String, Long> steps, Map<String, Integer> lrs) {
    /** The first difference from other, or null when equal. */
    String diff(Snapshot other) {
      if (!bits.keySet().equals(other.bits.keySet())) return "tensor names " + bits.keySet() + " vs " + other.bits.keySet();
      for (String k : bits.keySet()) {
        if (!bits.get(k).equals(other.bits.get(k))) return "tensor " + k + " differs";
      }
      if (!steps.equals(other.steps)) return "step counts " + steps + " vs " + other.steps;
      if (!lrs.equals(other.lrs)) return "learning rates differ";
      return null;
    }
  }

  Snapshot snapshot() {
    Map<String, List<Long>> bits = new LinkedHashMap<>();
    model.stateDict().forEach((k, t) -> bits.put(k, bitsOf(t)));
    Map<String, Long> steps = new LinkedHashMap<>();
    Map<String, Integer> lrs = new LinkedHashMap<>();
    for (Map.Entry<String, Optimizer> o : optimizers.entrySet()) {
      o.getValue().stateDict().forEach((k, t) -> bits.put(o.getKey() + "/" + k, bitsOf(t)));
      steps.put(o.getKey(), o.getValue().stepCount());
      lrs.put(o.getKey(), Float.floatToRawIntBits(o.getValue().lr()));
    }
    return new Snapshot(bits, steps, lrs);
  }

  /** The shape (rank, then sizes) followed by every value's raw bits. */
  private static List<Long> bitsOf(Tensor t) {
    List<Long> out = new ArrayList<>();
    out.add((long) t.shape().length);
    for (long d : t.shape()) out.add(d);
    for (float f : t.toArray()) out.add((long) Float.floatToRawIntBits(f));
    return out;
  }

  @Override
  public void close() {
    first.close();
    second.close();
    model.close();
  }
}
