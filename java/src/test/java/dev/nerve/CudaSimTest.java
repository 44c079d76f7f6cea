package dev.nerve;

import org.junit.jupiter.api.Assumptions;

/** The CUDA kernels on the CPU through cuda-sim: runs in CI, under every build. */
class CudaSimTest extends GpuBackendTests {
  @Override
  Device device() {
    Assumptions.assumeTrue(Info.cudaSimAvailable(), "cuda-sim is not part of this build");
    return Device.cudaSim();
  }
}
