package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;

/** The native backends a {@link Context} can run on. */
public enum Backend {
  CPU(Nerve.NV_BACKEND_CPU),
  CUDA(Nerve.NV_BACKEND_CUDA),
  /** The CUDA kernels compiled for the CPU, each CUDA thread a fiber. */
  CUDA_SIM(Nerve.NV_BACKEND_CUDA_SIM);

  final int code;

  Backend(int code) {
    this.code = code;
  }
}
