package dev.nerve;

import dev.nerve.nn.Linear;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Optimizer;

/**
 * The XOR fit that LearningTest runs on the CPU and the GPU backend tests on their device: a 2-8-1
 * tanh MLP from seed 11, BCE with logits, Adam with lr 0.05, the four examples as one batch.
 */
public final class XorFit {
  private XorFit() {}

  /** The last step's loss, and the model's probabilities for the four inputs after training. */
  public record Result(float loss, float[] probabilities) {
    /** The probabilities rounded to 0 or 1, to compare with XOR's truth table {0, 1, 1, 0}. */
    public float[] rounded() {
      float[] r = new float[probabilities.length];
      for (int i = 0; i < r.length; i++) r[i] = Math.round(probabilities[i]);
      return r;
    }
  }

  /** Trains steps full-batch steps on device; frees what it made. */
  public static Result train(Device device, int steps) {
    Generator gen = new Generator(11);
    Sequential model = new Sequential(new Linear(2, 8, true, device, gen), new Tanh(), new Linear(8, 1, true, device, gen));
    Optimizer opt = new Adam(model.parameters(), 0.05f);
    Tensor x = Tensor.of(device, new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2).keep();
    Tensor y = Tensor.of(device, new float[] {0, 1, 1, 0}, 4, 1).keep();
    try {
      float loss = 0;
      for (int step = 0; step < steps; step++) {
        try (Scope s = Scope.open()) {
          opt.zeroGrad();
          Tensor l = F.bceWithLogits(model.forward(x), y);
          l.backward();
          opt.step();
          if (step == steps - 1) loss = l.item();
        }
      }
      try (Scope s = Scope.open(); Grad g = Grad.off()) {
        return new Result(loss, model.forward(x).sigmoid().toArray());
      }
    } finally {
      opt.close();
      model.close();
      x.close();
      y.close();
    }
  }
}
