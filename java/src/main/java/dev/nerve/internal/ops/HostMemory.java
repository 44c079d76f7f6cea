package dev.nerve.internal.ops;

import java.lang.ref.Cleaner;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Host memory the ops layer passes to the bindings (staging buffers of transfers, shape and
 * stride arrays, pointer arrays), taken with {@code malloc} and given back with {@code free}.
 *
 * <p>Why not {@code new FloatPointer(n)}: JavaCPP counts what it allocates against
 * {@code org.bytedeco.javacpp.maxPhysicalBytes}, and the count it checks is the resident size
 * of the whole process, tensors included. With a small heap ({@code -Xmx256m}: a cap of about
 * twice that) and a gigabyte of tensors, every {@code item()} and {@code toArray()} threw
 * OutOfMemoryError although memory was free. Memory from {@link Pointer#malloc} is not counted.
 */
final class HostMemory {
  private static final Cleaner CLEANER = Cleaner.create();

  private HostMemory() {}

  /** bytes of uninitialised host memory; the caller frees it with {@link #free}. */
  static Pointer allocate(long bytes) {
    Pointer p = Pointer.malloc(Math.max(bytes, 1));
    if (p == null || p.isNull()) throw new OutOfMemoryError("nerve: malloc of " + bytes + " bytes of host staging memory failed");
    return p;
  }

  static void free(Pointer p) {
    if (p != null && !p.isNull()) Pointer.free(p);
  }

  /**
   * Per-thread scratch arrays of int64 (shapes, strides) for the bindings whose overloads take
   * all their pointers of one kind: {@code slot} 0..2, valid until the next call on that slot
   * from this thread. The memory is freed when the thread's scratch becomes unreachable.
   */
  static LongPointer longs(int slot, long[] values) {
    return SCRATCH.get().put(slot, values);
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    private static final int SLOTS = 3;
    private final Slots slots = new Slots();

    Scratch() {
      CLEANER.register(this, slots);
    }

    LongPointer put(int slot, long[] values) {
      // memory == null: the first use of the slot, even for an empty array (a 0-D shape).
      if (slots.memory[slot] == null || slots.capacity[slot] < values.length) {
        free(slots.memory[slot]);
        slots.memory[slot] = null;
        slots.capacity[slot] = 0;
        int capacity = Math.max(8, values.length);
        slots.memory[slot] = new LongPointer(allocate(capacity * 8L));
        slots.capacity[slot] = capacity;
      }
      LongPointer p = slots.memory[slot];
      p.put(values, 0, values.length);
      return p;
    }

    /** The malloc'd blocks, apart from Scratch so that the Cleaner's action does not keep it alive. */
    private static final class Slots implements Runnable {
      final LongPointer[] memory = new LongPointer[SLOTS];
      final int[] capacity = new int[SLOTS];

      @Override
      public void run() {
        for (LongPointer p : memory) free(p);
      }
    }
  }
}
