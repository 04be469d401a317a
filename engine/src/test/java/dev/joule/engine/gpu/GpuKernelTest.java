package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.testing.Matrices;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kernels loaded from the bundled PTX, checked element by element against the CPU. */
class GpuKernelTest {
  private GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 255, 256, 257, 100_003, 20_000_000})
  void axpbyEqualsTheCpuBitForBit(int n) {
    Random r = new Random(n);
    float[] x = Matrices.gaussian(n, r);
    float[] y = Matrices.gaussian(n, r);
    float a = 0.37f;
    float b = -1.25f;
    float[] want = new float[n];
    for (int i = 0; i < n; i++) {
      want[i] = Math.fma(a, x[i], b * y[i]); // the kernel's fmaf(a, x, b*y), same rounding
    }
    float[] got = new float[n];
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer dy = gpu.upload(y)) {
      Kernel axpby = gpu.module("elementwise").kernel("joule_axpby_f32");
      axpby.launch(LaunchShape.linear(n), gpu.defaultStream(), KernelArgs.of().i64(n).f32(a).buffer(dx).f32(b).buffer(dy));
      gpu.defaultStream().synchronize();
      dy.copyTo(got);
    }
    assertArrayEquals(want, got, 0f);
  }

  @Test
  void fillWritesEveryElementAndNoMore() {
    int n = 1000;
    float[] got = new float[n + 1];
    try (DeviceBuffer d = gpu.upload(new float[n + 1])) {
      gpu.module("elementwise")
          .kernel("joule_fill_f32")
          .launch(LaunchShape.linear(n), gpu.defaultStream(), KernelArgs.of().i64(n).f32(2.5f).buffer(d));
      d.copyTo(got);
    }
    for (int i = 0; i < n; i++) {
      assertEquals(2.5f, got[i], 0f, "element " + i);
    }
    assertEquals(0f, got[n], 0f, "element past the end");
  }

  @Test
  void unknownKernelNamesTheCudaError() {
    GpuException e = assertThrows(GpuException.class, () -> gpu.module("elementwise").kernel("no_such_kernel"));
    assertTrue(e.getMessage().contains("CUDA_ERROR_NOT_FOUND"), e.getMessage());
  }

  @Test
  void steadyStateAllocationHitsTheCache() {
    long before = gpu.memory().rawAllocations();
    for (int i = 0; i < 10_000; i++) {
      try (DeviceBuffer b = gpu.allocate(1 << 16)) {
        assertEquals(1 << 16, b.bytes());
      }
    }
    assertTrue(gpu.memory().rawAllocations() - before <= 1, gpu.memoryReport());
  }
}
