package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.XorFit;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.SGD;
import org.junit.jupiter.api.Test;

/** Small models must actually learn. */
class LearningTest {
  private final Device cpu = Device.cpu();

  @Test
  void mlpLearnsXorWithBceAndAdam() {
    XorFit.Result r = XorFit.train(cpu, 500);
    float[] p = r.probabilities();
    System.out.printf("xor: loss %.4f, predictions %.3f %.3f %.3f %.3f%n", r.loss(), p[0], p[1], p[2], p[3]);
    assertArrayEquals(new float[] {0, 1, 1, 0}, r.rounded());
    assertTrue(r.loss() < 0.05, "loss " + r.loss());
  }

  @Test
  void softmaxClassifierSeparatesGaussianBlobsWithSgd() {
    Generator gen = new Generator(5);
    int n = 300;
    float[] xs = new float[n * 2];
    int[] ys = new int[n];
    float[] noise = Tensor.randn(cpu, gen, 0, 0.5f, n * 2).toArray();
    float[][] centers = {{2, 0}, {-2, 2}, {-1, -2}};
    for (int i = 0; i < n; i++) {
      ys[i] = i % 3;
      xs[2 * i] = centers[ys[i]][0] + noise[2 * i];
      xs[2 * i + 1] = centers[ys[i]][1] + noise[2 * i + 1];
    }
    Sequential model = new Sequential(new Linear(2, 16, true, cpu, gen), new ReLU(), new Linear(16, 3, true, cpu, gen));
    Optimizer opt = new SGD(model.parameters(), 0.1f, 0.9f, 0f, 0f, true);
    Tensor x = Tensor.of(cpu, xs, n, 2).keep();
    Tensor y = Tensor.ofInts(cpu, ys).keep();
    for (int step = 0; step < 200; step++) {
      try (Scope s = Scope.open()) {
        opt.zeroGrad();
        F.crossEntropy(model.forward(x), y).backward();
        opt.step();
      }
    }
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      int[] pred = model.forward(x).argmax(1).toIntArray();
      int correct = 0;
      for (int i = 0; i < n; i++) if (pred[i] == ys[i]) correct++;
      System.out.printf("blobs: %d/%d correct%n", correct, n);
      assertTrue(correct >= 0.97 * n, correct + " of " + n);
    }
  }
}
