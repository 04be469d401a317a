package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.nn.Lstm;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GPU BLSTM against the CPU reference {@link Lstm} with the same weights, on random inputs of
 * unequal lengths: outputs, the input gradient and every parameter gradient.
 */
class GpuBlstmTest {
  private GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
  }

  /** float32 against the float64 reference, relative to the largest magnitude. */
  private static void assertClose(double[] want, float[] got, double tolerance, String what) {
    double scale = 0;
    for (double w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs(want[i] - got[i]) / (1e-3 + scale);
      assertTrue(err < tolerance, what + " element " + i + ": CPU " + want[i] + ", GPU " + got[i]);
    }
  }

  @Test
  void matchesTheCpuForwardAndBackward() {
    int in = 7;
    int hidden = 5;
    int layers = 3;
    int batch = 4;
    int steps = 9;
    Random r = new Random(3);
    Lstm cpu = new Lstm(in, hidden, layers, true, 0, r, DType.FLOAT32);
    Tensor x = Tensor.randn(r, DType.FLOAT32, 1, batch, steps, in).requiresGrad(true);
    int[] len = {9, 4, 1, 7};
    Tensor lengths = Tensor.ofInts(len, batch);
    Tensor weights = Tensor.randn(r, DType.FLOAT32, 1, batch, steps, 2 * hidden);
    Tensor out = cpu.forward(x, lengths);
    Ops.sum(Ops.mul(out, weights)).backward();

    CudaStream stream = gpu.defaultStream();
    try (GpuBlstm blstm = new GpuBlstm(gpu, stream, cpu, in, hidden, layers, true);
        DeviceBuffer dx = gpu.upload(x.toFloatArray());
        DeviceBuffer dLen = gpu.upload(len);
        DeviceBuffer dW = gpu.upload(weights.toFloatArray())) {
      DeviceBuffer y = blstm.forward(dx, dLen, batch, steps);
      float[] gotOut = new float[out.size()];
      stream.synchronize();
      y.copyTo(gotOut);
      assertClose(out.values(), gotOut, 1e-4, "output");
      DeviceBuffer gx = blstm.backward(dW);
      stream.synchronize();
      float[] gotGx = new float[x.size()];
      gx.copyTo(gotGx);
      assertClose(x.grad().values(), gotGx, 5e-4, "input gradient");
      Map<String, Tensor> params = cpu.parameters();
      for (Map.Entry<String, DeviceBuffer> e : blstm.gradients().entrySet()) {
        Tensor p = params.get(e.getKey());
        float[] got = new float[p.size()];
        e.getValue().copyTo(got);
        assertClose(p.grad().values(), got, 5e-4, e.getKey() + " gradient");
      }
    }
  }
}
