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

  @Test
  void aCapturedForwardBackwardReplaysLikeTheEagerOneOnNewInput() {
    int in = 6;
    int hidden = 8;
    int layers = 2;
    int batch = 3;
    int steps = 11;
    Random r = new Random(5);
    Lstm cpu = new Lstm(in, hidden, layers, true, 0, r, DType.FLOAT32);
    int[] len = {11, 6, 9};
    float[] first = Tensor.randn(r, DType.FLOAT32, 1, batch, steps, in).toFloatArray();
    float[] second = Tensor.randn(r, DType.FLOAT32, 1, batch, steps, in).toFloatArray();
    float[] upstream = Tensor.randn(r, DType.FLOAT32, 1, batch, steps, 2 * hidden).toFloatArray();
    CudaStream stream = gpu.defaultStream();
    try (GpuBlstm eager = new GpuBlstm(gpu, stream, cpu, in, hidden, layers, true);
        GpuBlstm replayed = new GpuBlstm(gpu, stream, cpu, in, hidden, layers, true);
        DeviceBuffer dx = gpu.upload(first);
        DeviceBuffer dxEager = gpu.upload(second);
        DeviceBuffer dLen = gpu.upload(len);
        DeviceBuffer dUp = gpu.upload(upstream)) {
      DeviceBuffer[] outputs = new DeviceBuffer[2];
      try (CudaGraph graph = CudaGraph.capture(stream, () -> {
        outputs[0] = replayed.forward(dx, dLen, batch, steps);
        outputs[1] = replayed.backward(dUp);
      })) {
        dx.copyFrom(second);
        graph.launch(stream);
        DeviceBuffer y = eager.forward(dxEager, dLen, batch, steps);
        DeviceBuffer gx = eager.backward(dUp);
        stream.synchronize();
        assertSame(y, outputs[0], batch * steps * 2 * hidden, "output");
        assertSame(gx, outputs[1], batch * steps * in, "input gradient");
        Map<String, DeviceBuffer> want = eager.gradients();
        Map<String, Long> sizes = eager.parameterSizes();
        for (Map.Entry<String, DeviceBuffer> e : replayed.gradients().entrySet()) {
          assertSame(want.get(e.getKey()), e.getValue(), Math.toIntExact(sizes.get(e.getKey())), e.getKey());
        }
      }
    }
  }

  /** The same kernels on the same data: equal up to float32 rounding of reordered sums. */
  private static void assertSame(DeviceBuffer want, DeviceBuffer got, int n, String what) {
    float[] w = new float[n];
    float[] g = new float[n];
    want.copyTo(w);
    got.copyTo(g);
    double[] wd = new double[n];
    for (int i = 0; i < n; i++) {
      wd[i] = w[i];
    }
    assertClose(wd, g, 1e-6, what);
  }
}
