package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Steps give their device memory back when they close; pinned memory (parameters, optimiser state) stays. */
class GpuStepTest {
  @Test
  void aStepGivesBackItsMemoryAndKeepsPinnedState() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor w = Tensor.randn(new Random(1), DType.FLOAT32, 1, 256, 256).requiresGrad(true);
    w.moveTo(gpu);
    Adam adam = Adam.adam(List.of(w), 1e-3);
    Tensor x = Tensor.randn(new Random(2), DType.FLOAT32, 1, 512, 256);
    long before = -1;
    for (int i = 0; i < 5; i++) {
      try (GpuTensors.Step step = gpu.step()) {
        adam.zeroGrad();
        Ops.mean(Ops.square(Ops.matmul(x.toGpu(gpu), w))).backward();
        adam.step();
        adam.zeroGrad();
      }
      long now = gpu.bytesInUse();
      if (i == 0) {
        before = now;
      }
      // After the first step (which made Adam's pinned moments), every step returns to the same level.
      assertEquals(before, now, "device memory held after step " + i);
    }
    assertTrue(w.isGpu());
    assertEquals(256 * 256, w.toFloatArray().length);
  }

  @Test
  void aTensorUsedAfterItsStepFailsClearly() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor kept;
    try (GpuTensors.Step step = gpu.step()) {
      kept = Ops.exp(Tensor.ones(4, 4).toGpu(gpu));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, kept::toFloatArray);
    assertTrue(e.getMessage().contains("step"), e.getMessage());
    try (GpuTensors.Step step = gpu.step()) {
      assertThrows(IllegalStateException.class, gpu::step, "steps do not nest");
    }
  }

  @Test
  void memoryMadeBeforeAStepIsUntouchedByIt() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor outside = Ops.exp(Tensor.ones(8).toGpu(gpu));
    try (GpuTensors.Step step = gpu.step()) {
      Ops.exp(outside);
    }
    float[] e = new float[8];
    java.util.Arrays.fill(e, (float) Math.E);
    assertArrayEquals(e, outside.toFloatArray(), 1e-6f);
  }
}
