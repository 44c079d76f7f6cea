package dev.nerve.internal.ops;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds the operands of one native call: {@code try (Pin p = Pin.of(op, x, y)) { native call }}.
 * It pins each operand's {@link Storage} (so neither the garbage collector's safety net nor a
 * scope closed by another thread frees memory a kernel still reads; a storage freed before the
 * call starts throws {@link IllegalStateException} naming op), and on a context that must run one
 * call at a time (the GPU backends: their scratch memory is shared by all the launches of one
 * call) it holds the context's lock. Null operands (optional arguments) are skipped; an operand
 * may appear twice (in-place ops), it is then pinned twice.
 */
final class Pin implements AutoCloseable {
  private final Storage[] storages;
  private int pinned;
  private final ReentrantLock lock;

  private Pin(String op, Storage[] storages) {
    this.storages = storages;
    Context context = null;
    try {
      for (Storage s : storages) {
        if (s == null) {
          pinned++;
          continue;
        }
        s.pin(op);
        pinned++;
        if (context == null) context = s.context();
      }
    } catch (RuntimeException e) {
      unpin();
      throw e;
    }
    lock = context == null ? null : context.callLock;
    if (lock != null) lock.lock();
  }

  static Pin of(String op, Operand a) {
    return new Pin(op, new Storage[] {storage(a)});
  }

  static Pin of(String op, Operand a, Operand b) {
    return new Pin(op, new Storage[] {storage(a), storage(b)});
  }

  static Pin of(String op, Operand a, Operand b, Operand c) {
    return new Pin(op, new Storage[] {storage(a), storage(b), storage(c)});
  }

  static Pin of(String op, Operand... operands) {
    Storage[] s = new Storage[operands.length];
    for (int i = 0; i < s.length; i++) s[i] = storage(operands[i]);
    return new Pin(op, s);
  }

  /** Every operand of the lists (null lists and null entries skipped). */
  @SafeVarargs
  static Pin ofLists(String op, List<Operand>... lists) {
    int n = 0;
    for (List<Operand> l : lists) if (l != null) n += l.size();
    Storage[] s = new Storage[n];
    int i = 0;
    for (List<Operand> l : lists) {
      if (l == null) continue;
      for (Operand o : l) s[i++] = storage(o);
    }
    return new Pin(op, s);
  }

  private static Storage storage(Operand o) {
    return o == null ? null : o.storage();
  }

  private void unpin() {
    for (int i = 0; i < pinned; i++) {
      if (storages[i] != null) storages[i].unpin();
    }
    pinned = 0;
  }

  @Override
  public void close() {
    if (lock != null) lock.unlock();
    unpin();
  }
}
