package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.Matrices;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernels of {@code native/cuda/nn.cu} against the CPU ops and optimisers on random inputs. */
class GpuNnKernelsTest {
  private GpuDevice gpu;
  private PtxModule nn;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
    nn = gpu.module("nn");
  }

  private float[] run(String kernel, long threads, KernelArgs args, DeviceBuffer result, int count) {
    nn.kernel(kernel).launch(LaunchShape.linear(threads), gpu.defaultStream(), args);
    gpu.defaultStream().synchronize();
    float[] out = new float[count];
    result.copyTo(out);
    return out;
  }

  private static void assertClose(double[] want, float[] got, double tol) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), "element " + i);
    }
  }

  @Test
  void logSoftmaxForwardAndBackward() {
    int rows = 300;
    int cols = 41;
    Random r = new Random(1);
    float[] x = Matrices.gaussian(rows * cols, r);
    x[5] = 80f; // large logits must stay finite
    float[] dy = Matrices.gaussian(rows * cols, r);
    Tensor tx = Tensor.of(x, rows, cols).requiresGrad(true);
    Tensor ty = Ops.logSoftmax(tx, -1);
    ty.backward(Tensor.of(dy, rows, cols));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer y = gpu.allocate(4L * rows * cols);
        DeviceBuffer g = gpu.upload(dy);
        DeviceBuffer gx = gpu.allocate(4L * rows * cols)) {
      float[] got = run("joule_log_softmax_rows", rows, KernelArgs.of().i64(rows).i32(cols).buffer(dx).buffer(y), y, rows * cols);
      assertClose(ty.values(), got, 1e-5);
      float[] gotGrad = run("joule_log_softmax_rows_bwd", rows, KernelArgs.of().i64(rows).i32(cols).buffer(y).buffer(g).buffer(gx), gx, rows * cols);
      assertClose(tx.grad().values(), gotGrad, 1e-4);
    }
  }

  @Test
  void softmaxCrossEntropyMatchesTheCpuLossAndGradient() {
    int rows = 257;
    int cols = 40;
    Random r = new Random(2);
    float[] x = Matrices.gaussian(rows * cols, r);
    int[] target = new int[rows];
    double[] oneHot = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      target[i] = r.nextInt(cols);
      oneHot[i * cols + target[i]] = 1;
    }
    Tensor tx = Tensor.of(x, rows, cols).requiresGrad(true);
    Tensor loss = Ops.scale(Ops.sum(Ops.mul(Ops.logSoftmax(tx, -1), Tensor.of(oneHot, rows, cols))), -1.0 / rows);
    loss.backward();
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer dt = gpu.upload(target);
        DeviceBuffer grad = gpu.allocate(4L * rows * cols);
        DeviceBuffer perRow = gpu.allocate(4L * rows)) {
      float[] g = run("joule_softmax_xent_rows", rows,
          KernelArgs.of().i64(rows).i32(cols).buffer(dx).buffer(dt).f32(1f / rows).buffer(grad).buffer(perRow), grad, rows * cols);
      assertClose(tx.grad().values(), g, 1e-5);
      float[] l = new float[rows];
      perRow.copyTo(l);
      double mean = 0;
      for (float v : l) {
        mean += v / rows;
      }
      assertEquals(loss.item(), mean, 1e-4);
    }
  }

  @Test
  void biasRowsAndColumnSums() {
    int rows = 1000;
    int cols = 33;
    Random r = new Random(3);
    float[] x = Matrices.gaussian(rows * cols, r);
    float[] b = Matrices.gaussian(cols, r);
    Tensor want = Ops.add(Tensor.of(x, rows, cols), Tensor.of(b, cols));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer db = gpu.upload(b);
        DeviceBuffer sums = gpu.allocate(4L * cols)) {
      float[] got = run("joule_add_bias_rows", (long) rows * cols, KernelArgs.of().i64(rows).i32(cols).buffer(db).buffer(dx), dx, rows * cols);
      assertClose(want.values(), got, 1e-6);
      float[] s = run("joule_column_sum", cols, KernelArgs.of().i64(rows).i32(cols).buffer(dx).buffer(sums).i32(0), sums, cols);
      assertClose(Ops.sum(want, 0, false).values(), s, 1e-4);
    }
  }

  @Test
  void adamStepsMatchTheCpuOptimiser() {
    int n = 5000;
    Random r = new Random(4);
    float[] w = Matrices.gaussian(n, r);
    Tensor cpuW = Tensor.of(w, n).requiresGrad(true);
    Adam adam = Adam.adamW(List.of(cpuW), 1e-2, 0.1);
    try (DeviceBuffer dw = gpu.upload(w);
        DeviceBuffer dg = gpu.allocate(4L * n);
        DeviceBuffer m = gpu.upload(new float[n]);
        DeviceBuffer v = gpu.upload(new float[n])) {
      for (int step = 1; step <= 3; step++) {
        float[] g = Matrices.gaussian(n, r);
        cpuW.setGrad(Tensor.of(g, n));
        adam.step();
        dg.copyFrom(g);
        nn.kernel("joule_adam_f32").launch(LaunchShape.linear(n), gpu.defaultStream(),
            KernelArgs.of().i64(n).f32(1e-2f).f32(0.9f).f32(0.999f).f32(1e-8f)
                .f32((float) (1 - Math.pow(0.9, step))).f32((float) (1 - Math.pow(0.999, step)))
                .f32(0.1f).i32(1).buffer(dw).buffer(dg).buffer(m).buffer(v));
      }
      gpu.defaultStream().synchronize();
      float[] got = new float[n];
      dw.copyTo(got);
      assertClose(cpuW.values(), got, 1e-5);
    }
  }

  @Test
  void typedEngineTensorsRoundTripThroughDeviceBuffers() {
    Tensor t = Tensor.randn(new Random(5), DType.FLOAT32, 1, 17, 3);
    try (DeviceBuffer d = gpu.upload(t.toFloatArray())) {
      float[] back = new float[t.size()];
      d.copyTo(back);
      assertClose(t.values(), back, 0);
    }
  }
}
