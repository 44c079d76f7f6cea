package dev.nerve;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/** The CUDA kernels on a real GPU (the GPU kit runs these); skipped where there is none. */
@Tag("gpu")
class CudaTest extends GpuBackendTests {
  @Override
  Device device() {
    Assumptions.assumeTrue(Info.cudaAvailable(), "no CUDA GPU here (or this build has no CUDA backend)");
    return Device.cuda(0);
  }
}
