package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Consumer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checks the emulated CUDA driver (native/cuda/emulation/driver) makes beyond a real one's,
 * which the emulated GPU test run relies on to catch launch mistakes. Runs only on it.
 */
class GpuEmulatedDriverTest {
  private GpuDevice gpu;

  @BeforeEach
  void emulatedDriverOnly() {
    gpu = Gpus.requireGpu();
    assumeTrue(gpu.name().startsWith("Joule kernel emulation"), "runs on the emulated driver only, not on " + gpu.name());
  }

  @Test
  void memoryNobodyWroteReadsAsNaN() {
    withDriverAllocation(64 * Float.BYTES, raw -> {
      float[] back = new float[64];
      assertEquals(CUresult.CUDA_SUCCESS, cuMemcpyDtoH(Pointer.to(back), raw, 64 * Float.BYTES));
      for (float v : back) {
        assertTrue(Float.isNaN(v), "fresh device memory should read as NaN, read " + v);
      }
    });
  }

  @Test
  void aKernelPointerArgumentOutsideDeviceMemoryIsRefused() {
    Kernel fill = gpu.module("elementwise").kernel("joule_fill_f32");
    long hostAddress = 4096;
    GpuException e =
        assertThrows(
            GpuException.class,
            () -> fill.launch(LaunchShape.linear(4), gpu.defaultStream(), KernelArgs.of().i64(4).f32(1f).i64(hostAddress)));
    assertTrue(e.getMessage().contains("cuLaunchKernel(joule_fill_f32)"), e.getMessage());
  }

  @Test
  void aCopyPastTheEndOfAnAllocationIsRefused() {
    withDriverAllocation(16 * Float.BYTES, raw -> {
      float[] host = new float[8];
      assertEquals(CUresult.CUDA_SUCCESS, cuMemcpyHtoD(raw.withByteOffset(8 * Float.BYTES), Pointer.to(host), 8L * Float.BYTES));
      assertEquals(
          CUresult.CUDA_ERROR_INVALID_VALUE,
          cuMemcpyHtoD(raw.withByteOffset(12 * Float.BYTES), Pointer.to(host), 8L * Float.BYTES));
    });
  }

  /** Runs {@code use} on memory straight from the driver, not from the caching allocator (which rounds sizes up). */
  private void withDriverAllocation(long bytes, Consumer<CUdeviceptr> use) {
    gpu.makeCurrent();
    CUdeviceptr raw = new CUdeviceptr();
    assertEquals(CUresult.CUDA_SUCCESS, cuMemAlloc(raw, bytes));
    try {
      use.accept(raw);
    } finally {
      cuMemFree(raw);
    }
  }

  @Test
  void synchronisingAStreamBeingCapturedIsRefused() {
    CudaStream stream = gpu.newStream();
    try {
      assertThrows(GpuException.class, () -> CudaGraph.capture(stream, stream::synchronize));
      stream.synchronize(); // the failed capture was ended: the stream is usable again
    } finally {
      stream.close();
    }
  }

  @Test
  void aCaptureEndingWithAForkedStreamNotJoinedBackFails() {
    Kernel fill = gpu.module("elementwise").kernel("joule_fill_f32");
    CudaStream main = gpu.newStream();
    CudaStream side = gpu.newStream();
    try (DeviceBuffer b = gpu.allocate(8 * Float.BYTES)) {
      Runnable forkWithoutJoin = () -> {
        side.waitFor(main);
        fill.launch(LaunchShape.linear(8), side, KernelArgs.of().i64(8).f32(1f).buffer(b));
      };
      GpuException e = assertThrows(GpuException.class, () -> CudaGraph.capture(main, forkWithoutJoin));
      assertTrue(e.getMessage().contains("cuStreamEndCapture"), e.getMessage());
      Runnable forkAndJoin = () -> {
        forkWithoutJoin.run();
        main.waitFor(side);
      };
      try (CudaGraph graph = CudaGraph.capture(main, forkAndJoin)) {
        graph.launch(main);
      }
      float[] back = new float[8];
      main.synchronize();
      b.copyTo(back);
      assertEquals(1f, back[7]);
    } finally {
      side.close();
      main.close();
    }
  }
}
