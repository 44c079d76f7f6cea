package dev.nerve;

import dev.nerve.ops.Context;
import dev.nerve.ops.Native;

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

  /**
   * Whether the CUDA backend can run here. This build ships CPU kernels only (the CUDA backend is
   * in progress), so this is false on every machine for now.
   */
  public static boolean cudaAvailable() {
    return Native.backendAvailable(Context.CUDA);
  }
}
