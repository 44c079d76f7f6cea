package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import dev.nerve.bindings.Nerve.nv_ctx;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.Pointer;

/**
 * A native context (nv_ctx): backend, thread pool, allocator. One per {@code Device}.
 *
 * <p>Threads: the CPU backend takes concurrent calls (its allocator and workspace have locks,
 * its thread pool runs one job at a time, other scratch is per thread). A GPU context (cuda,
 * cuda-sim) has one stream and one scratch block that every launch of a call may use (split-K
 * partial sums, the index check's flag), so two calls from two threads must not interleave their
 * launches: {@link Pin} holds {@link #callLock} around each of its native calls. Allocation and
 * freeing need no lock (the device allocator has its own, and the stream orders reuse).
 */
public final class Context {
  final nv_ctx handle;
  /** Held around each native call on a GPU context; null on the CPU. */
  final ReentrantLock callLock;

  private Context(nv_ctx handle, boolean serialised) {
    this.handle = handle;
    this.callLock = serialised ? new ReentrantLock() : null;
  }

  /** Creates a context; threads &lt;= 0 means one per core. */
  public static Context create(Backend backend, int device, int threads) {
    Native.ensureLoaded();
    nv_ctx handle = new nv_ctx();
    Native.check(Nerve.nv_ctx_create(backend.code, device, threads, handle), "nv_ctx_create");
    return new Context(handle, backend != Backend.CPU);
  }

  public int threads() {
    int[] out = new int[1];
    Native.check(Nerve.nv_ctx_threads(handle, out), "nv_ctx_threads");
    return out[0];
  }

  public int isa() {
    int[] out = new int[1];
    Native.check(Nerve.nv_ctx_get_isa(handle, out), "nv_ctx_get_isa");
    return out[0];
  }

  /** Forces a lower ISA for this context's CPU kernels (benchmarks and tests). */
  public void setIsa(int isa) {
    Native.check(Nerve.nv_ctx_set_isa(handle, isa), "nv_ctx_set_isa");
  }

  /** Lets GEMMs use TF32 tensor cores on a GPU (no effect on the CPU). */
  public void setTf32(boolean enabled) {
    Native.check(Nerve.nv_ctx_set_tf32(handle, enabled ? 1 : 0), "nv_ctx_set_tf32");
  }

  /** The context's stream as an address (a cudaStream_t), 0 on the CPU. */
  public long stream() {
    Pointer out = new Pointer();
    Native.check(Nerve.nv_ctx_stream(handle, out), "nv_ctx_stream");
    return out.address();
  }

  /** {live bytes, peak bytes, cached bytes, live allocations}. */
  public long[] memoryStats() {
    long[] stats = new long[4];
    Native.check(Nerve.nv_memory_stats(handle, stats), "nv_memory_stats");
    return stats;
  }

  public void releaseCached() {
    Native.check(Nerve.nv_memory_release_cached(handle), "nv_memory_release_cached");
  }

  public void synchronize() {
    Native.check(Nerve.nv_ctx_synchronize(handle), "nv_ctx_synchronize");
  }
}
