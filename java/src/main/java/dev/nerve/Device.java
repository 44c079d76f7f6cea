package dev.nerve;

import dev.nerve.internal.ops.Backend;
import dev.nerve.internal.ops.Context;
import dev.nerve.internal.ops.Native;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where tensors live and kernels run. {@link #cpu()} uses every core; {@link #cpu(int)} is a
 * separate CPU device with its own thread pool and allocator (for benchmarks and
 * single-threaded work). Tensors of different devices never mix in one op.
 *
 * <p>Threads: a device may be used from any number of threads at once. On the CPU, calls from
 * several threads run concurrently (the kernel thread pool takes one parallel job at a time,
 * small ops run on the calling thread); on a GPU (cuda, cuda-sim) the device runs one call at a
 * time, in the order the threads reach it, since the launches of one call share the device's
 * scratch memory and stream. Results do not depend on how many threads use the device.
 */
public final class Device {
  private static final ConcurrentHashMap<Integer, Device> CPUS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Integer, Device> GPUS = new ConcurrentHashMap<>();
  private static volatile Device cudaSim;
  private static volatile Device defaultDevice;

  private final String name;
  private final Context context;

  private Device(String name, Context context) {
    this.name = name;
    this.context = context;
  }

  /** The CPU with one thread per core. */
  public static Device cpu() {
    return cpu(0);
  }

  /**
   * A CPU device whose kernels use the given number of threads (0 = one per core).
   *
   * @throws IllegalArgumentException for a count outside [0, 1024]
   * @throws NerveException when the system refuses one of the threads (a limit on threads or
   *     address space, such as {@code ulimit -v}): "Device.cpu(1024): could not start thread 37
   *     of 1024: Resource temporarily unavailable". The threads already started are stopped,
   *     and the library stays usable (a smaller device may still be created).
   */
  public static Device cpu(int threads) {
    if (threads < 0 || threads > 1024) {
      throw new IllegalArgumentException("Device.cpu: threads must be in [0, 1024], got " + threads);
    }
    return CPUS.computeIfAbsent(threads, t -> {
      try {
        return new Device(t == 0 ? "cpu" : "cpu(threads=" + t + ")", Context.create(Backend.CPU, 0, t));
      } catch (NerveException e) {
        String detail = e.getMessage().replaceFirst("^nv_ctx_create: ", "");
        throw new NerveException("Device.cpu(" + t + "): " + detail, e);
      }
    });
  }

  /**
   * The CUDA GPU with the given index. Its tensors live in GPU memory; data crosses to the host
   * only through {@code toArray()}, {@code item()} and {@code to(Device)}.
   *
   * @throws UnsupportedOperationException naming what is missing: this build has no CUDA backend
   *     (built without nvcc), or the machine has no NVIDIA GPU or driver
   * @throws IllegalArgumentException for an index outside the GPUs found
   */
  public static Device cuda(int index) {
    Native.ensureLoaded();
    if (index < 0) throw new IllegalArgumentException("Device.cuda: index must be >= 0, got " + index);
    return GPUS.computeIfAbsent(index, i -> {
      try {
        return new Device("cuda:" + i, Context.create(Backend.CUDA, i, 0));
      } catch (UnsupportedOperationException e) {
        throw new UnsupportedOperationException("Device.cuda(" + i + "): " + e.getMessage()
            + "; use Device.cpu(), or Device.cudaSim() to run the CUDA kernels on the CPU", e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Device.cuda(" + i + "): " + e.getMessage(), e);
      }
    });
  }

  /**
   * cuda-sim: Nerve's CUDA kernels compiled for the CPU, each CUDA thread a fiber. Slow, exact,
   * and available everywhere: it runs the CUDA backend's code paths in tests without a GPU.
   */
  public static Device cudaSim() {
    Native.ensureLoaded();
    Device d = cudaSim;
    if (d == null) {
      synchronized (Device.class) {
        if (cudaSim == null) {
          try {
            cudaSim = new Device("cuda-sim", Context.create(Backend.CUDA_SIM, 0, 0));
          } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException("Device.cudaSim(): " + e.getMessage(), e);
          }
        }
        d = cudaSim;
      }
    }
    return d;
  }

  /** A device by name: "cpu", "cuda", "cuda:N" or "cuda-sim" (for command lines). */
  public static Device parse(String name) {
    if (name == null) throw new IllegalArgumentException("Device.parse: name is null");
    switch (name) {
      case "cpu":
        return cpu();
      case "cuda":
        return cuda(0);
      case "cuda-sim":
        return cudaSim();
      default:
        if (name.startsWith("cuda:")) {
          try {
            return cuda(Integer.parseInt(name.substring(5)));
          } catch (NumberFormatException e) {
            // fall through to the error below
          }
        }
        throw new IllegalArgumentException("unknown device '" + name + "'; use cpu, cuda, cuda:N or cuda-sim");
    }
  }

  /** The device that {@code Tensor.of(...)} and friends use when none is named: the CPU. */
  public static Device defaultDevice() {
    Device d = defaultDevice;
    return d != null ? d : cpu();
  }

  /**
   * Sets the device {@link #defaultDevice()} returns for every thread (null: the CPU again).
   * Set it once at start-up: one setting shared by all threads.
   */
  public static void setDefaultDevice(Device device) {
    defaultDevice = device;
  }

  /** The native context (the implementation reaches it through dev.nerve.internal.Tensors). */
  Context context() {
    return context;
  }

  /** The device's name as {@link #parse} reads it: "cpu", "cuda:0", "cuda-sim", ... */
  public String name() {
    return name;
  }

  /** The number of kernel threads of this device (CPU: one per core unless given). */
  public int threads() {
    return context.threads();
  }

  /** The instruction set this device's CPU kernels use ("avx512", "avx2+fma", "portable"). */
  public String isa() {
    return Native.isaName(context.isa());
  }

  /**
   * Lets matrix products on this GPU use TF32 tensor cores (inputs rounded to 10 mantissa bits,
   * float accumulation): several times faster, about 1e-3 relative error. Off by default, as in
   * PyTorch; no effect on the CPU. Returns this.
   */
  public Device allowTf32(boolean enabled) {
    context.setTf32(enabled);
    return this;
  }

  /**
   * The stream this device's kernels run on (a cudaStream_t as an address; 0 on the CPU), for
   * interop: work a user queues on it is ordered with Nerve's own.
   */
  public long streamHandle() {
    return context.stream();
  }

  /** Live, peak and cached bytes of this device's allocator. */
  public MemoryStats memoryStats() {
    long[] s = context.memoryStats();
    return new MemoryStats(s[0], s[1], s[2], s[3]);
  }

  /** Gives the allocator's cached free blocks back to the system. */
  public void releaseCached() {
    context.releaseCached();
  }

  /** Waits for all queued work (a no-op on the CPU). */
  public void synchronize() {
    context.synchronize();
  }

  @Override
  public String toString() {
    return name;
  }

  /** A snapshot of a device allocator's counters, in bytes. */
  public record MemoryStats(long liveBytes, long peakBytes, long cachedBytes, long liveAllocations) {}
}
