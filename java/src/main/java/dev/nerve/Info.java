package dev.nerve;

import dev.nerve.internal.ops.Backend;
import dev.nerve.internal.ops.Native;
import java.util.List;

/** What this build of Nerve is and can run. */
public final class Info {
  private Info() {}

  /** The native library's version ("0.1.0"). */
  public static String version() {
    return Native.version();
  }

  /** The instruction set the CPU kernels pick on this machine ("avx512", "avx2+fma", "portable"). */
  public static String cpuIsa() {
    return Native.isaName(Native.cpuIsa());
  }

  /** Whether the CUDA backend was built in and finds a GPU with a working driver. */
  public static boolean cudaAvailable() {
    return Native.backendAvailable(Backend.CUDA);
  }

  /** Whether cuda-sim (the CUDA kernels run on the CPU) is part of this build. */
  public static boolean cudaSimAvailable() {
    return Native.backendAvailable(Backend.CUDA_SIM);
  }

  /** The GPUs the CUDA backend sees: name, compute capability and memory, one line each. */
  public static List<String> gpus() {
    return Native.devices(Backend.CUDA);
  }
}
