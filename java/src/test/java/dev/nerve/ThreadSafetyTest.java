package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.BatchNorm2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.Linear;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Module;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The thread-safety contract of the README: one model in evaluation mode may serve inference
 * from many threads at once (each thread under Grad.off() in its own Scope), with results
 * bit-identical to one thread's; training one model from two threads at once is refused with
 * an IllegalStateException naming the optimizer, the parameter and the other thread.
 */
class ThreadSafetyTest {
  private static final int THREADS = 8;

  @Test
  void eightThreadsShareOneModelForInferenceOnCpu() throws Exception {
    sharedInference(Device.cpu(), 100);
  }

  @Test
  void eightThreadsShareOneModelForInferenceOnCudaSim() throws Exception {
    Assumptions.assumeTrue(Info.cudaSimAvailable(), "cuda-sim is not part of this build");
    sharedInference(Device.cudaSim(), 3);
  }

  private static void sharedInference(Device d, int forwardsPerThread) throws Exception {
    Generator gen = new Generator(11);
    Module model = new Sequential(new Conv2d(3, 8, 3, 1, 1, 1, 1, true, d, gen), new BatchNorm2d(8, 1e-5f, 0.1f, d),
        new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 4 * 4, 10, true, d, gen));
    model.eval();
    int inputs = 16;
    List<Tensor> xs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    try (Grad g = Grad.off()) {
      for (int i = 0; i < inputs; i++) {
        Tensor x = Tensor.randn(d, gen, 0, 1, 4, 3, 8, 8).keep();
        xs.add(x);
        try (Scope s = Scope.open()) {
          expected.add(model.forward(x).softmax(1).toArray());
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int first = t;
      results.add(pool.submit(() -> {
        start.await();
        int checked = 0;
        try (Grad g = Grad.off()) {
          for (int k = 0; k < forwardsPerThread; k++) {
            int i = (first + k * 5) % inputs;
            try (Scope s = Scope.open()) {
              assertArrayEquals(expected.get(i), model.forward(xs.get(i)).softmax(1).toArray(),
                  "forward of input " + i + " on a thread differs from the single-threaded result");
              checked++;
            }
          }
        }
        return checked;
      }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : results) total += f.get(300, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(THREADS * forwardsPerThread, total);
    for (Tensor x : xs) x.close();
    model.close();
  }

  @Test
  void trainingOneModelFromTwoThreadsIsRefused() throws Exception {
    Device cpu = Device.cpu();
    Generator gen = new Generator(3);
    Linear model = new Linear(4, 2, true, cpu, gen);
    SGD opt = new SGD(model.parameters(), 0.1f, 0.9f);
    opt.zeroGrad(); // this thread's training step has begun: it owns the parameters until step()
    ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "second-trainer"));
    try {
      Future<?> zero = other.submit(opt::zeroGrad);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> unwrap(zero));
      assertTrue(e.getMessage().startsWith("SGD.zeroGrad: "), e.getMessage());
      assertTrue(e.getMessage().contains("parameter 0 [2, 4]") && e.getMessage().contains(Thread.currentThread().getName()),
          e.getMessage());
      // A second optimizer over the same parameters is the same model trained twice.
      Adam second = new Adam(model.parameters(), 0.01f);
      Future<?> step = other.submit(() -> {
        try (Scope s = Scope.open()) {
          model.forward(Tensor.ones(cpu, 3, 4)).sum().backward();
          second.step();
        }
      });
      e = assertThrows(IllegalStateException.class, () -> unwrap(step));
      assertTrue(e.getMessage().startsWith("Adam.step: "), e.getMessage());
      // This thread finishes its step; then the other thread may train (one at a time is fine).
      try (Scope s = Scope.open()) {
        model.forward(Tensor.ones(cpu, 3, 4)).sum().backward();
      }
      opt.step();
      other.submit(() -> {
        opt.zeroGrad();
        try (Scope s = Scope.open()) {
          model.forward(Tensor.ones(cpu, 3, 4)).sum().backward();
        }
        opt.step();
      }).get(60, TimeUnit.SECONDS);
      second.close();
    } finally {
      other.shutdown();
      opt.close();
      model.close();
    }
  }

  private static void unwrap(Future<?> f) throws Throwable {
    try {
      f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause();
    }
  }
}
