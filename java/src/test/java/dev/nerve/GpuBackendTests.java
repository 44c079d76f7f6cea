package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GPU backend through the Java API: the same Java code as on the CPU device, the CUDA kernels
 * underneath. Trains xor and the mnist-mlp network, and checks that the GPU path computes what the
 * CPU path computes. Subclasses pick the device: {@link CudaSimTest} (cuda-sim, in CI) and
 * {@link CudaTest} (a real GPU, tagged "gpu", skipped without one).
 */
abstract class GpuBackendTests {
  Device sim;

  /** The device under test, or an assumption failure when it is not available. */
  abstract Device device();

  @BeforeEach
  void pickDevice() {
    sim = device();
  }

  @Test
  void sameResultsAsTheCpu() {
    Device cpu = Device.cpu();
    try (Scope s = Scope.open()) {
      Generator g1 = new Generator(9);
      Generator g2 = new Generator(9);
      Tensor a = Tensor.rand(cpu, g1, -1, 1, 33, 17);
      Tensor b = Tensor.rand(cpu, g1, -1, 1, 17, 9);
      Tensor as = Tensor.rand(sim, g2, -1, 1, 33, 17);
      Tensor bs = Tensor.rand(sim, g2, -1, 1, 17, 9);
      // counter-based random numbers: the same bits on both backends
      assertArrayEquals(a.toArray(), as.toArray());
      float[] want = a.matmul(b).relu().softmax(-1).toArray();
      float[] got = as.matmul(bs).relu().softmax(-1).toArray();
      for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5, "element " + i);
      Tensor labels = Tensor.ofInts(sim, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4,
          5, 6, 7, 8, 0, 1, 2, 3, 4, 5});
      Tensor cpuLabels = labels.to(cpu);
      assertEquals(F.crossEntropy(a.matmul(b), cpuLabels).item(), F.crossEntropy(as.matmul(bs), labels).item(), 1e-5);
    }
  }

  @Test
  void trainsXor() {
    XorFit.Result r = XorFit.train(sim, 300);
    float[] p = r.probabilities();
    System.out.printf("cuda-sim xor predictions %.3f %.3f %.3f %.3f%n", p[0], p[1], p[2], p[3]);
    assertArrayEquals(new float[] {0, 1, 1, 0}, r.rounded());
  }

  @Test
  void mnistMlpTrainsLikeTheCpu() {
    // The mnist-mlp architecture at a batch the simulator runs in seconds: 784-512-256-10, ReLU,
    // cross-entropy, SGD with momentum, on a fixed batch of random "images". The same seed on the
    // CPU gives the same initial weights (counter-based random numbers), so the two loss curves
    // must agree step by step.
    float[] device = mlpLosses(sim);
    float[] cpu = mlpLosses(Device.cpu());
    System.out.printf("%s mnist-mlp: loss %.4f -> %.4f (cpu %.4f -> %.4f)%n", sim, device[0], device[7], cpu[0], cpu[7]);
    for (int i = 0; i < device.length; i++) assertEquals(cpu[i], device[i], 1e-3 * Math.abs(cpu[i]), "step " + i);
    assertTrue(device[7] < device[0] * 0.8, "loss " + device[0] + " -> " + device[7]);
  }

  private float[] mlpLosses(Device d) {
    Generator gen = new Generator(4);
    Sequential model = new Sequential(new Linear(784, 512, true, d, gen), new ReLU(),
        new Linear(512, 256, true, d, gen), new ReLU(), new Linear(256, 10, true, d, gen));
    Optimizer opt = new SGD(model.parameters(), 0.05f, 0.9f);
    Tensor x = Tensor.rand(d, gen, 0, 1, 8, 784).keep();
    Tensor y = Tensor.ofInts(d, new int[] {0, 1, 2, 3, 4, 5, 6, 7}).keep();
    float[] losses = new float[8];
    long live = -1;
    for (int step = 0; step < losses.length; step++) {
      try (Scope s = Scope.open()) {
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        losses[step] = loss.item();
      }
      if (step == 0) live = d.memoryStats().liveBytes();
    }
    assertEquals(live, d.memoryStats().liveBytes(), d + ": memory must stay flat over the steps");
    opt.close();
    model.close();
    x.close();
    y.close();
    return losses;
  }
}
