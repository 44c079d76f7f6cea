package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.Linear;
import dev.nerve.optim.Adam;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service with a small heap holds large models: tensor memory is native, and the host memory
 * Nerve stages transfers in is not counted against JavaCPP's physical-memory cap (by default a
 * few times -Xmx, checked against the resident size of the whole process). A child JVM with
 * -Xmx256m holds 1.25 GiB of tensors and then reads, writes, broadcasts and steps an optimizer.
 * Before, every item(), toArray() and Tensor.of threw "OutOfMemoryError: Cannot allocate new
 * FloatPointer(1) ... physicalBytes".
 */
class SmallHeapTest {
  @Test
  void largeTensorsUnderASmallHeap() throws Exception {
    List<String> cmd = ChildJvm.command("-Xmx256m");
    cmd.add(SmallHeapTest.class.getName());
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    child.getInputStream().transferTo(out);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), "the child JVM failed:\n" + text);
    assertTrue(text.contains("all calls succeeded"), text);
  }

  /** The child: 1.25 GiB of tensors (filled, so resident), then the calls that stage host memory. */
  public static void main(String[] args) throws Exception {
    Device cpu = Device.cpu();
    Tensor[] big = new Tensor[5];
    for (int i = 0; i < big.length; i++) big[i] = Tensor.full(cpu, i, 64L << 20).keep(); // 256 MiB each
    float item = big[3].slice(0, 5, 6).sum().item();
    float[] array = Tensor.full(cpu, 2f, 1000).toArray();
    Tensor of = Tensor.of(cpu, new float[] {1, 2, 3}, 3);
    Tensor ints = Tensor.ofInts(cpu, new int[] {1, 2}, 2);
    int[] intArray = ints.toIntArray();
    Tensor broadcast = of.add(Tensor.ones(cpu, 2, 3)); // shape and stride arrays
    float[] fromThread = new float[1];
    Thread t = new Thread(() -> fromThread[0] = Tensor.ones(cpu, 4, 1).add(Tensor.ones(cpu, 1, 4)).sum().item());
    t.start();
    t.join();
    Linear fc = new Linear(3, 2, true, cpu, new Generator(1));
    Adam opt = new Adam(fc.parameters(), 0.01f);
    fc.forward(Tensor.ones(cpu, 4, 3)).sum().backward();
    opt.step(); // the optimizer's pointer and size arrays
    float[] read = big[4].slice(0, 0, 8).toArray();
    if (item != 3f || array[999] != 2f || of.toArray()[2] != 3f || intArray[1] != 2 || broadcast.toArray()[5] != 4f
        || fromThread[0] != 32f || read[7] != 4f) {
      throw new AssertionError("wrong values");
    }
    for (Tensor b : List.of(big)) b.close();
    System.out.println("all calls succeeded");
  }
}
