package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GPU 0 for tests, opened once and shared by the GPU test classes; without a usable GPU each
 * test is skipped with the reason.
 */
final class Gpus {
  private static GpuDevice shared;

  private Gpus() {}

  static synchronized GpuDevice requireGpu() {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("elementwise"), "GPU test skipped: the build had no nvcc, so no PTX is bundled");
    if (shared == null) {
      shared = GpuDevice.open(0);
    }
    return shared;
  }
}
