package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A block of device memory from the context's caching allocator, shared by a tensor and its
 * views through a reference count. The last {@link #release()} frees it; a {@link Cleaner} frees
 * it too if every tensor on it became unreachable without being closed (a safety net, not the
 * way memory is meant to go back).
 *
 * <p>Every native call pins the storages it uses ({@link Pin}) for the length of the call: a
 * pinned storage is reachable (so its Cleaner cannot run) and a release of its last reference
 * while it is pinned (a scope closed by another thread) defers the free to the last unpin, so
 * the allocator never hands the block to another tensor while a kernel reads it. Pinning a
 * storage that is already freed throws, naming the op: the misuse is detected, never silent.
 */
public final class Storage {
  private static final Cleaner CLEANER = Cleaner.create();
  /** -Dnerve.debugLeaks=true: remember where each block was allocated and report leaked ones. */
  private static final boolean DEBUG_LEAKS = Boolean.getBoolean("nerve.debugLeaks");

  private final Context context;
  private final Pointer base;
  private final FreeAction free;
  private final Cleaner.Cleanable cleanable;
  private int references = 1; // tensors on it; guarded by this
  private int pins; // native calls using it now; guarded by this

  private Storage(Context context, Pointer base, long bytes, Runnable foreignRelease) {
    this.context = context;
    this.base = base;
    this.free = new FreeAction(context, base.address(), bytes, DEBUG_LEAKS ? new Throwable("allocated here") : null,
        foreignRelease);
    this.cleanable = CLEANER.register(this, free);
  }

  /**
   * Memory that Nerve did not allocate (another library's device buffer): used in place, never
   * freed by Nerve; release runs once when the last tensor on it is closed (or collected).
   */
  public static Storage foreign(Context context, long address, long bytes, Runnable release) {
    if (address == 0) throw new IllegalArgumentException("Tensor.wrap: the address is 0 (NULL)");
    return new Storage(context, withAddress(address), bytes, release == null ? () -> { } : release);
  }

  private static Pointer withAddress(long value) {
    return new Pointer() {
      {
        address = value;
      }
    };
  }

  /** The device address of byte offset 0 (interop: cuBLAS, cuDNN, one's own kernels). */
  public long deviceAddress() {
    return base.address();
  }

  /** Allocates bytes on the context (uninitialised). */
  public static Storage allocate(Context context, long bytes) {
    Pointer out = new Pointer();
    Native.check(Nerve.nv_alloc(context.handle, bytes, out), "nv_alloc", "allocating a tensor", "");
    return new Storage(context, out, bytes, null);
  }

  Context context() {
    return context;
  }

  public synchronized void retain() {
    if (references <= 0) throw new IllegalStateException("storage already freed");
    references++;
  }

  /** Drops one reference; frees the memory when it was the last (after the last unpin if pinned). */
  public void release() {
    synchronized (this) {
      if (references <= 0) return;
      if (--references > 0 || pins > 0) return;
    }
    freeNow();
  }

  /**
   * Marks the storage as used by a native call until {@link #unpin()}.
   *
   * @throws IllegalStateException naming op when every tensor on it was closed already (by
   *     another thread, or a scope that ended while the tensor was still in use)
   */
  synchronized void pin(String op) {
    if (references <= 0) {
      throw new IllegalStateException(op + ": a tensor it uses was closed during the call (its scope was closed, "
          + "or it was closed by another thread, while the op ran); keep tensors open until every op on them returned");
    }
    pins++;
  }

  /** Ends one {@link #pin}; frees the memory when the last reference went while it was pinned. */
  void unpin() {
    boolean last;
    synchronized (this) {
      last = --pins == 0 && references == 0;
    }
    if (last) freeNow();
    // The caller's native call is over only now: until here this storage must stay reachable.
    Reference.reachabilityFence(this);
  }

  private void freeNow() {
    free.released = true;
    cleanable.clean();
  }

  /** A float pointer at element offset (only for calls into the bindings). */
  FloatPointer f32(long offset) {
    return new FloatPointer(base).position(offset);
  }

  IntPointer i32(long offset) {
    return new IntPointer(base).position(offset);
  }

  Pointer raw(long byteOffset) {
    return new Pointer(base).position(byteOffset);
  }

  /** Frees the block exactly once, from release() or from the Cleaner thread. */
  private static final class FreeAction implements Runnable {
    private final Context context;
    private final long address;
    private final long bytes;
    private final Throwable allocation;
    private final Runnable foreignRelease;
    private final AtomicBoolean done = new AtomicBoolean();
    volatile boolean released;
    /** Where -Dnerve.debugLeaks reports go; the application's logging decides where that is. */
    private static final System.Logger LEAKS = System.getLogger("dev.nerve.leaks");

    FreeAction(Context context, long address, long bytes, Throwable allocation, Runnable foreignRelease) {
      this.context = context;
      this.address = address;
      this.bytes = bytes;
      this.allocation = allocation;
      this.foreignRelease = foreignRelease;
    }

    @Override
    public void run() {
      if (done.compareAndSet(false, true)) {
        if (!released && allocation != null) {
          // A warning through System.Logger (JUL by default), with the allocation's stack trace.
          LEAKS.log(System.Logger.Level.WARNING,
              "nerve: leaked " + bytes + " bytes (a tensor was never closed); freed by the garbage collector", allocation);
        }
        if (foreignRelease != null) {
          foreignRelease.run();
          return;
        }
        Nerve.nv_free(context.handle, new Pointer() {
          {
            address = FreeAction.this.address;
          }
        });
      }
    }
  }

  // ---------------------------------------------------------------- autograd version counter

  /**
   * How many in-place writes this memory has seen (fills, copies into it, optimizer updates,
   * running statistics): shared by a tensor and all its views, as PyTorch's version counter.
   * Autograd records it for each tensor a node saves and refuses a backward through a node whose
   * saved tensor has changed since. Kernels writing a fresh output do not count.
   */
  private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

  /** The number of in-place writes so far. */
  public long version() {
    return version.get();
  }

  /** Counts one in-place write (called before the write, so that a failed write still counts). */
  public void bumpVersion() {
    version.incrementAndGet();
  }
}
