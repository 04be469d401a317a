package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Copies between the CPU and the GPU, in both directions and through the tape. */
class GpuDeviceCopyTest {
  @Test
  void roundTripKeepsFloatAndIntValues() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = Tensor.randn(new Random(1), DType.FLOAT32, 1, 3, 5, 7);
    Tensor onGpu = x.toGpu(gpu);
    assertTrue(onGpu.isGpu());
    assertArrayEquals(x.toFloatArray(), onGpu.toFloatArray());
    Tensor back = onGpu.toCpu();
    assertFalse(back.isGpu());
    assertArrayEquals(x.values(), back.values());
    Tensor ids = Tensor.ofInts(new int[] {3, -1, 7, 1 << 30}, 4);
    assertArrayEquals(ids.toIntArray(), ids.toGpu(gpu).toIntArray());
    assertArrayEquals(new int[] {5, 7}, onGpu.view(3, 5, 7).rowsView(1, 1).view(5, 7).shape().dims());
    assertArrayEquals(x.rowsView(2, 1).toFloatArray(), onGpu.rowsView(2, 1).toFloatArray());
  }

  @Test
  void gradientsCrossDevicesBothWays() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = Tensor.randn(new Random(2), DType.FLOAT32, 1, 4, 6).requiresGrad(true);
    Tensor w = Tensor.randn(new Random(3), DType.FLOAT32, 1, 4, 6);
    Ops.sum(Ops.mul(x.toGpu(gpu).toCpu(), w)).backward();
    assertFalse(x.grad().isGpu());
    assertArrayEquals(w.toFloatArray(), x.grad().toFloatArray());
  }

  @Test
  void movingAParameterDropsItsGradientAndKeepsItsValues() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor p = Tensor.randn(new Random(4), DType.FLOAT32, 1, 8).requiresGrad(true);
    float[] before = p.toFloatArray();
    p.moveTo(gpu);
    assertTrue(p.isGpu());
    assertArrayEquals(before, p.toFloatArray());
    assertThrows(IllegalStateException.class, p::buffer);
    p.moveTo(null);
    assertFalse(p.isGpu());
    assertArrayEquals(before, p.toFloatArray());
  }
}
