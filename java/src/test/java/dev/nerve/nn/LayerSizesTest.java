package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.Generator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Layers with absurd sizes are refused up front with an IllegalArgumentException (never an
 * OutOfMemoryError), and a constructor that fails part-way frees every tensor it allocated: the
 * device's live bytes are the same before and after.
 */
class LayerSizesTest {
  // A device of its own, so tensors other tests leave to the garbage collector do not move the
  // counters: 5 threads, which no other test asks for (ErrorPathTest's kept tensors live on cpu(3),
  // and their collection during this test failed it on JDK 25: live bytes 6208 before, 0 after).
  private final Device dev = Device.cpu(5);
  private final Generator gen = new Generator(0);

  private void refused(String what, Supplier<Module> build) {
    long before = dev.memoryStats().liveBytes();
    long allocationsBefore = dev.memoryStats().liveAllocations();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get, what);
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), what);
    System.out.println(what + ": " + e.getMessage());
    assertEquals(before, dev.memoryStats().liveBytes(), what + ": live bytes after the failed constructor");
    assertEquals(allocationsBefore, dev.memoryStats().liveAllocations(), what + ": live allocations");
  }

  @Test
  void recurrentLayersWithIntegerMaxLayersAreRefused() {
    refused("LSTM numLayers=MAX", () -> new LSTM(10, 10, Integer.MAX_VALUE, false, dev, gen));
    refused("GRU numLayers=MAX", () -> new GRU(10, 10, Integer.MAX_VALUE, false, dev, gen));
    refused("RNN numLayers=MAX", () -> new RNN(10, 10, Integer.MAX_VALUE, false, false, dev, gen));
    refused("LSTM hidden=2^62", () -> new LSTM(10, 1L << 62, 1, false, dev, gen));
    // 20 million tiny tensors: a few GB of memory, but more Java objects than the heap holds
    int layers = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 256 / 4 + 1000);
    refused("LSTM with more tensors than the heap holds", () -> new LSTM(1, 1, layers, false, dev, gen));
  }

  @Test
  void hugeLayersAreRefused() {
    refused("Linear 2^20 x 2^20", () -> new Linear(1 << 20, 1 << 20, true, dev, gen));
    refused("Linear 2^40 x 2^40", () -> new Linear(1L << 40, 1L << 40, true, dev, gen));
    refused("Embedding", () -> new Embedding(Long.MAX_VALUE / 2, 3, dev, gen));
    refused("Conv2d", () -> new Conv2d(1 << 20, 1 << 20, 3, 1, 0, 1, 1, true, dev, gen));
    refused("ConvTranspose2d", () -> new ConvTranspose2d(1 << 20, 1 << 20, 3, 1, 0, 0, dev, gen));
    refused("BatchNorm2d", () -> new BatchNorm2d(Long.MAX_VALUE, 1e-5f, 0.1f, dev));
    refused("LSTMCell", () -> new LSTMCell(1L << 40, 1L << 20, dev, gen));
    refused("GRUCell", () -> new GRUCell(1L << 40, 1L << 20, dev, gen));
  }

  @Test
  void compositeLayersFreeWhatTheyAllocatedBeforeAFailure() {
    // the query projection is allocated, then the key projection is refused
    refused("BahdanauAttention", () -> new BahdanauAttention(8, 1L << 50, 8, dev, gen));
    // both embeddings and the encoder are allocated, then a decoder projection is refused
    refused("Seq2Seq", () -> new Seq2Seq(10, 1L << 45, 4, 4, 4, dev, gen));
    // conv1 [2^17, 4, 3, 3] and bn1 are allocated, then conv2 [2^17, 2^17, 3, 3] is refused
    refused("ResidualBlock", () -> new ResidualBlock(4, 1L << 17, 1, dev, gen));
  }

  @Test
  void nullDeviceOrGeneratorIsAnIllegalArgument() {
    refused("Linear null generator", () -> new Linear(3, 3, true, dev, null));
    assertThrows(IllegalArgumentException.class, () -> new Linear(3, 3, true, null, gen));
    refused("LSTM null generator", () -> new LSTM(3, 3, 2, false, dev, null));
    refused("Embedding null generator", () -> new Embedding(3, 3, dev, null));
    refused("Conv2d null generator", () -> new Conv2d(3, 3, 3, 1, 0, 1, 1, true, dev, null));
    refused("LSTMCell null generator", () -> new LSTMCell(3, 3, dev, null));
    refused("Seq2Seq null generator", () -> new Seq2Seq(3, 3, 3, 3, 3, dev, null));
  }
}
