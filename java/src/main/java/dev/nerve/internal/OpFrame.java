package dev.nerve.internal;

import dev.nerve.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tensors one op creates, so that an op which fails part-way (a label only the kernel sees
 * out of range, a setting only the kernel refuses, out of memory on its second buffer) closes
 * them before its exception propagates. Without this, and with no {@code Scope} open, they would
 * hold native memory until the garbage collector happened to run their Cleaner.
 *
 * <p>Frames nest per thread: an op that calls ops hands the tensors of a succeeded inner op to
 * its own frame (they are its temporaries or its result), so that its own failure later closes
 * them too. A succeeded outermost op forgets them: its result and the buffers its autograd node
 * keeps belong to the caller, as before. Every tensor is registered by {@link Tensors#create}.
 */
final class OpFrame {
  private static final ThreadLocal<OpFrame> CURRENT = new ThreadLocal<>();

  private final List<Tensor> created = new ArrayList<>();

  private OpFrame() {}

  /** Runs op in a frame: returns its result, or closes every tensor it created and rethrows. */
  static <T> T run(Supplier<T> op) {
    OpFrame parent = CURRENT.get();
    OpFrame frame = new OpFrame();
    CURRENT.set(frame);
    boolean done = false;
    try {
      T result = op.get();
      done = true;
      return result;
    } finally {
      CURRENT.set(parent);
      if (!done) {
        frame.closeAll();
      } else if (parent != null) {
        parent.created.addAll(frame.created);
      }
    }
  }

  /** Called for every new tensor handle: the innermost open frame of this thread takes note of it. */
  static void created(Tensor t) {
    OpFrame frame = CURRENT.get();
    if (frame != null) frame.created.add(t);
  }

  /** Closes what the op created, except kept tensors (a leaf's new gradient): someone else owns those, as in a Scope. */
  private void closeAll() {
    for (Tensor t : created) {
      if (t.isKept()) continue;
      try {
        t.close();
      } catch (RuntimeException ignored) {
        // the op's own exception is the one to report
      }
    }
  }
}
