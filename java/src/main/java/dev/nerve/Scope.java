package dev.nerve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Frees every tensor created inside it when closed, except those kept with
 * {@link Tensor#keep()} (parameters, gradients and optimizer state are never owned by a scope).
 * Scopes nest per thread: a scope belongs to the thread that opened it, owns only the tensors
 * that thread creates while it is open, and is closed by that thread ({@link #close()} from
 * another thread throws). Each thread serving inference opens its own. A tensor created in one
 * thread's scope and handed to another thread is freed when the first thread's scope closes; an
 * op the other thread is running on it then still completes correctly or throws
 * IllegalStateException, but the handle is closed afterwards: {@link Tensor#keep()} it to pass it
 * on. A scope owns only what is created while it is open: a tensor made
 * before it (a {@code DataLoader} batch fetched by the for-each loop, say) is closed by its
 * creator, e.g. {@code try (batch; Scope s = Scope.open())}.
 *
 * <pre>{@code
 * for (int step = 0; step < steps; step++) {
 *   try (Scope s = Scope.open()) {
 *     Tensor loss = F.crossEntropy(model.forward(x), y);
 *     loss.backward();
 *     optimizer.step();
 *   } // every intermediate tensor of the step is freed here
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
  private static final ThreadLocal<ArrayDeque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

  private final List<Tensor> owned = new ArrayList<>();
  private final Thread thread = Thread.currentThread();
  private boolean closed;

  private Scope() {}

  /**
   * Opens a scope on the current thread, nested inside any scope it already has open.
   *
   * @return the scope; close it (try-with-resources) on this thread
   */
  public static Scope open() {
    Scope scope = new Scope();
    STACK.get().push(scope);
    return scope;
  }

  /** Called by every new tensor: the innermost open scope of this thread takes it. */
  static void adopt(Tensor t) {
    Scope scope = STACK.get().peek();
    if (scope != null) scope.owned.add(t);
  }

  @Override
  public void close() {
    if (closed) return;
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("Scope.close: a scope must be closed on the thread that opened it");
    }
    closed = true;
    ArrayDeque<Scope> stack = STACK.get();
    // Close inner scopes a user forgot, then this one.
    while (!stack.isEmpty()) {
      Scope top = stack.pop();
      top.freeOwned();
      if (top == this) break;
    }
  }

  private void freeOwned() {
    closed = true;
    for (Tensor t : owned) {
      if (!t.isKept()) t.close();
    }
    owned.clear();
  }
}
