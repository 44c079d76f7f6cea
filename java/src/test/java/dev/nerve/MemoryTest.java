package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.SGD;
import org.junit.jupiter.api.Test;

/** A training loop of any length holds flat memory when each step runs in a scope. */
class MemoryTest {
  @Test
  void twoThousandStepsHoldFlatMemory() {
    // A device of its own: tensors other tests leaked to the garbage collector would otherwise be
    // freed by the Cleaner mid-test and move the counters.
    Device cpu = Device.cpu(2);
    Generator gen = new Generator(3);
    Sequential model = new Sequential(new Linear(20, 32, true, cpu, gen), new ReLU(), new Linear(32, 5, true, cpu, gen));
    SGD opt = new SGD(model.parameters(), 0.05f, 0.9f);
    Tensor x = Tensor.randn(cpu, gen, 0, 1, 16, 20).keep();
    Tensor y = Tensor.ofInts(cpu, new int[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0}).keep();
    long afterFirst = -1;
    long allocationsAfterFirst = -1;
    float firstLoss = 0;
    float lastLoss = 0;
    for (int step = 0; step < 2000; step++) {
      try (Scope s = Scope.open()) {
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        if (step == 0) firstLoss = loss.item();
        if (step == 1999) lastLoss = loss.item();
      }
      if (step == 0) {
        afterFirst = cpu.memoryStats().liveBytes();
        allocationsAfterFirst = cpu.memoryStats().liveAllocations();
      }
    }
    Device.MemoryStats end = cpu.memoryStats();
    System.out.printf("live bytes after step 1: %d, after step 2000: %d (allocations %d -> %d); loss %.4f -> %.4f%n",
        afterFirst, end.liveBytes(), allocationsAfterFirst, end.liveAllocations(), firstLoss, lastLoss);
    assertEquals(afterFirst, end.liveBytes());
    assertEquals(allocationsAfterFirst, end.liveAllocations());
    org.junit.jupiter.api.Assertions.assertTrue(lastLoss < firstLoss * 0.1, "the model should fit 16 points");
    opt.close();
    model.close();
    x.close();
    y.close();
  }
}
