package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Capture and replay of recorded work, including work forked onto a second stream. */
class CudaGraphTest {
  private GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
  }

  private float[] download(DeviceBuffer b, int n) {
    gpu.synchronize();
    float[] out = new float[n];
    b.copyTo(out);
    return out;
  }

  @Test
  void capturedWorkRunsOnlyWhenLaunchedAndReadsTheBuffersCurrentContents() {
    CudaStream main = gpu.defaultStream();
    GpuOps ops = new GpuOps(gpu, main);
    try (DeviceBuffer a = gpu.upload(new float[] {1, 2, 3});
        DeviceBuffer b = gpu.upload(new float[] {10, 20, 30});
        DeviceBuffer y = gpu.upload(new float[] {-1, -1, -1});
        CudaGraph graph = CudaGraph.capture(main, () -> ops.binary(GpuOps.Binary.ADD, 3, a, b, y))) {
      assertArrayEquals(new float[] {-1, -1, -1}, download(y, 3), "capture must not run the work");
      graph.launch(main);
      assertArrayEquals(new float[] {11, 22, 33}, download(y, 3));
      a.copyFrom(new float[] {5, 6, 7});
      graph.launch(main);
      assertArrayEquals(new float[] {15, 26, 37}, download(y, 3));
    }
  }

  @Test
  void workForkedOntoAnotherStreamBecomesABranchOfTheGraph() {
    CudaStream main = gpu.defaultStream();
    try (CudaStream side = gpu.newStream();
        DeviceBuffer left = gpu.upload(new float[] {0, 0});
        DeviceBuffer right = gpu.upload(new float[] {0, 0});
        DeviceBuffer sum = gpu.upload(new float[] {0, 0})) {
      GpuOps mainOps = new GpuOps(gpu, main);
      GpuOps sideOps = new GpuOps(gpu, side);
      try (CudaGraph graph = CudaGraph.capture(main, () -> {
        side.waitFor(main);
        mainOps.fill(2, 4f, left);
        sideOps.fill(2, 3f, right);
        main.waitFor(side);
        mainOps.binary(GpuOps.Binary.MUL, 2, left, right, sum);
      })) {
        graph.launch(main);
        assertArrayEquals(new float[] {12, 12}, download(sum, 2));
      }
    }
  }

  @Test
  void aFailureDuringCaptureLeavesTheStreamUsable() {
    CudaStream main = gpu.defaultStream();
    assertThrows(IllegalStateException.class, () -> CudaGraph.capture(main, () -> {
      throw new IllegalStateException("planted");
    }));
    GpuOps ops = new GpuOps(gpu, main);
    try (DeviceBuffer y = gpu.allocate(8)) {
      ops.fill(2, 7f, y);
      assertArrayEquals(new float[] {7, 7}, download(y, 2));
    }
  }
}
