package dev.nerve.bench;

import dev.nerve.F;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import java.util.List;

/**
 * Nerve's side of a classifier's training-step benchmark: a model, SGD ({@link StepBenchmark}'s
 * settings), and one fixed batch (x, y) that every step trains on, written as a user would write
 * the loop. The twin of {@link TorchClassifierStep}.
 */
abstract class NerveClassifierStep implements TrainingStep {
  final Sequential model;
  final SGD optimizer;
  final Tensor x;
  final Tensor y;

  NerveClassifierStep(Sequential model, Tensor x, Tensor y) {
    this.model = model;
    this.optimizer = new SGD(model.parameters(), StepBenchmark.LR, StepBenchmark.MOMENTUM, 0f, 0f, false);
    this.x = x;
    this.y = y;
  }

  /** One training step: zero grads, forward, cross-entropy, backward, SGD update. Returns the loss. */
  @Override
  public final float step() {
    try (Scope s = Scope.open()) {
      optimizer.zeroGrad();
      Tensor loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      optimizer.step();
      return loss.item();
    }
  }

  /** The parameters as host arrays, in the model's order. */
  final float[][] parameters() {
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
