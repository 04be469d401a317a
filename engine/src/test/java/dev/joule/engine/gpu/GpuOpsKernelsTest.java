package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.optim.Sgd;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.Matrices;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link GpuOps} launcher (the kernels of {@code ops.cu} and {@code nn.cu}) against the CPU reference op on random inputs: forward values,
 * and gradients against the CPU tape's.
 */
class GpuOpsKernelsTest {
  private GpuDevice gpu;
  private GpuOps ops;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
    ops = new GpuOps(gpu, gpu.defaultStream());
  }

  private float[] download(DeviceBuffer b, int n) {
    gpu.defaultStream().synchronize();
    float[] out = new float[n];
    b.copyTo(out);
    return out;
  }

  private static void assertClose(double[] want, float[] got, double tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + " element " + i);
    }
  }

  private static UnaryOperator<Tensor> cpu(GpuOps.Unary op) {
    switch (op) {
      case EXP:
        return Ops::exp;
      case LOG:
        return Ops::log;
      case RELU:
        return Ops::relu;
      case SIGMOID:
        return Ops::sigmoid;
      case TANH:
        return Ops::tanh;
      default:
        return Ops::silu;
    }
  }

  @ParameterizedTest
  @EnumSource(GpuOps.Unary.class)
  void unaryForwardAndBackward(GpuOps.Unary op) {
    int n = 10_001;
    Random r = new Random(op.ordinal());
    float[] x = Matrices.gaussian(n, r);
    if (op == GpuOps.Unary.LOG) {
      for (int i = 0; i < n; i++) {
        x[i] = Math.abs(x[i]) + 0.1f;
      }
    }
    float[] dy = Matrices.gaussian(n, r);
    Tensor tx = Tensor.of(x, n).requiresGrad(true);
    Tensor ty = cpu(op).apply(tx);
    ty.backward(Tensor.of(dy, n));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer y = gpu.allocate(4L * n);
        DeviceBuffer g = gpu.upload(dy);
        DeviceBuffer gx = gpu.allocate(4L * n)) {
      ops.unary(op, n, dx, y);
      assertClose(ty.values(), download(y, n), 1e-5, op + " forward");
      ops.unaryBackward(op, n, dx, y, g, gx);
      assertClose(tx.grad().values(), download(gx, n), 1e-5, op + " backward");
    }
  }

  @ParameterizedTest
  @EnumSource(GpuOps.Binary.class)
  void binaryArithmetic(GpuOps.Binary op) {
    int n = 4097;
    Random r = new Random(10 + op.ordinal());
    float[] a = Matrices.gaussian(n, r);
    float[] b = Matrices.gaussian(n, r);
    Tensor ta = Tensor.of(a, n);
    Tensor tb = Tensor.of(b, n);
    Tensor want = op == GpuOps.Binary.ADD ? Ops.add(ta, tb) : op == GpuOps.Binary.SUB ? Ops.sub(ta, tb)
        : op == GpuOps.Binary.MUL ? Ops.mul(ta, tb) : Ops.div(ta, tb);
    try (DeviceBuffer da = gpu.upload(a);
        DeviceBuffer db = gpu.upload(b);
        DeviceBuffer y = gpu.allocate(4L * n)) {
      ops.binary(op, n, da, db, y);
      assertClose(want.values(), download(y, n), 1e-6, op.toString());
    }
  }

  @Test
  void softmaxRowsForwardAndBackward() {
    int rows = 123;
    int cols = 57;
    Random r = new Random(20);
    float[] x = Matrices.gaussian(rows * cols, r);
    x[3] = 90f;
    float[] dy = Matrices.gaussian(rows * cols, r);
    Tensor tx = Tensor.of(x, rows, cols).requiresGrad(true);
    Tensor ty = Ops.softmax(tx, -1);
    ty.backward(Tensor.of(dy, rows, cols));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer y = gpu.allocate(4L * rows * cols);
        DeviceBuffer g = gpu.upload(dy);
        DeviceBuffer gx = gpu.allocate(4L * rows * cols)) {
      ops.softmaxRows(rows, cols, dx, y);
      assertClose(ty.values(), download(y, rows * cols), 1e-5, "softmax");
      ops.softmaxRowsBackward(rows, cols, y, g, gx);
      assertClose(tx.grad().values(), download(gx, rows * cols), 1e-5, "softmax backward");
    }
  }

  @Test
  void logSoftmaxRowsForwardAndBackward() {
    int rows = 300;
    int cols = 41;
    Random r = new Random(26);
    float[] x = Matrices.gaussian(rows * cols, r);
    x[5] = 80f;
    float[] dy = Matrices.gaussian(rows * cols, r);
    Tensor tx = Tensor.of(x, rows, cols).requiresGrad(true);
    Tensor ty = Ops.logSoftmax(tx, -1);
    ty.backward(Tensor.of(dy, rows, cols));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer y = gpu.allocate(4L * rows * cols);
        DeviceBuffer g = gpu.upload(dy);
        DeviceBuffer gx = gpu.allocate(4L * rows * cols)) {
      ops.logSoftmaxRows(rows, cols, dx, y);
      assertClose(ty.values(), download(y, rows * cols), 1e-5, "log-softmax");
      ops.logSoftmaxRowsBackward(rows, cols, y, g, gx);
      assertClose(tx.grad().values(), download(gx, rows * cols), 1e-4, "log-softmax backward");
    }
  }

  @Test
  void softmaxCrossEntropyMatchesTheCpuLossAndGradient() {
    int rows = 257;
    int cols = 40;
    Random r = new Random(27);
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
      ops.softmaxCrossEntropyRows(rows, cols, dx, dt, 1f / rows, grad, perRow);
      assertClose(tx.grad().values(), download(grad, rows * cols), 1e-5, "cross-entropy gradient");
      double mean = 0;
      for (float v : download(perRow, rows)) {
        mean += v / rows;
      }
      assertEquals(loss.item(), mean, 1e-4);
    }
  }

  @Test
  void biasRowsAndColumnSums() {
    int rows = 1000;
    int cols = 33;
    Random r = new Random(28);
    float[] x = Matrices.gaussian(rows * cols, r);
    float[] b = Matrices.gaussian(cols, r);
    Tensor want = Ops.biasAdd(Tensor.of(x, rows, cols), Tensor.of(b, cols));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer db = gpu.upload(b);
        DeviceBuffer sums = gpu.allocate(4L * cols)) {
      ops.addBiasRows(rows, cols, db, dx);
      assertClose(want.values(), download(dx, rows * cols), 1e-6, "bias add");
      ops.columnSum(rows, cols, dx, sums);
      assertClose(Ops.sum(want, 0, false).values(), download(sums, cols), 1e-4, "column sums");
    }
  }

  @Test
  void layerNormRowsForwardAndBackward() {
    int rows = 200;
    int cols = 64;
    Random r = new Random(21);
    float[] x = Matrices.gaussian(rows * cols, r);
    float[] gamma = Matrices.gaussian(cols, r);
    float[] beta = Matrices.gaussian(cols, r);
    float[] dy = Matrices.gaussian(rows * cols, r);
    Tensor tx = Tensor.of(x, rows, cols).requiresGrad(true);
    Tensor tg = Tensor.of(gamma, cols).requiresGrad(true);
    Tensor tb = Tensor.of(beta, cols).requiresGrad(true);
    Tensor ty = Ops.layerNorm(tx, tg, tb, 1e-5);
    ty.backward(Tensor.of(dy, rows, cols));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer dg = gpu.upload(gamma);
        DeviceBuffer db = gpu.upload(beta);
        DeviceBuffer y = gpu.allocate(4L * rows * cols);
        DeviceBuffer mean = gpu.allocate(4L * rows);
        DeviceBuffer rstd = gpu.allocate(4L * rows);
        DeviceBuffer g = gpu.upload(dy);
        DeviceBuffer gx = gpu.allocate(4L * rows * cols)) {
      ops.layerNormRows(rows, cols, 1e-5f, dx, dg, db, y, mean, rstd);
      assertClose(ty.values(), download(y, rows * cols), 1e-4, "layer norm");
      // The gain and bias gradients: GpuNormalizationOpsTest, through Ops.layerNorm.
      ops.layerNormRowsBackward(rows, cols, dx, dg, mean, rstd, g, null, gx);
      assertClose(tx.grad().values(), download(gx, rows * cols), 1e-4, "dx");
      // With an addend (the gradient from x's other uses): dx plus it, in the same pass.
      float[] other = Matrices.gaussian(rows * cols, r);
      try (DeviceBuffer addend = gpu.upload(other)) {
        ops.layerNormRowsBackward(rows, cols, dx, dg, mean, rstd, g, addend, gx);
      }
      assertClose(Ops.add(tx.grad(), Tensor.of(other, rows, cols)).values(), download(gx, rows * cols), 1e-4, "dx + addend");
    }
  }

  @Test
  void embeddingGatherAndScatter() {
    int vocab = 50;
    int dim = 24;
    int count = 300;
    Random r = new Random(22);
    float[] table = Matrices.gaussian(vocab * dim, r);
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = r.nextInt(vocab);
    }
    float[] dout = Matrices.gaussian(count * dim, r);
    Tensor tt = Tensor.of(table, vocab, dim).requiresGrad(true);
    Tensor ty = Ops.embedding(tt, Tensor.ofInts(ids, count));
    ty.backward(Tensor.of(dout, count, dim));
    try (DeviceBuffer dt = gpu.upload(table);
        DeviceBuffer di = gpu.upload(ids);
        DeviceBuffer y = gpu.allocate(4L * count * dim);
        DeviceBuffer g = gpu.upload(dout);
        DeviceBuffer gt = gpu.allocate(4L * vocab * dim)) {
      ops.embedding(count, dim, vocab, dt, di, y);
      assertClose(ty.values(), download(y, count * dim), 0, "embedding");
      ops.embeddingBackward(count, dim, vocab, di, g, gt);
      assertClose(tt.grad().values(), download(gt, vocab * dim), 1e-5, "embedding backward");
    }
  }

  @Test
  void unfoldWithStrideDilationAndPadding() {
    int batch = 3;
    int steps = 29;
    int channels = 5;
    int kernel = 3;
    int stride = 2;
    int dilation = 3;
    int padLeft = 2;
    int padRight = 4;
    Random r = new Random(23);
    float[] x = Matrices.gaussian(batch * steps * channels, r);
    Tensor tx = Tensor.of(x, batch, steps, channels).requiresGrad(true);
    Tensor ty = Ops.unfold(tx, kernel, stride, dilation, padLeft, padRight);
    float[] dout = Matrices.gaussian(ty.size(), r);
    ty.backward(Tensor.of(dout, ty.shape().dims()));
    try (DeviceBuffer dx = gpu.upload(x);
        DeviceBuffer y = gpu.allocate(4L * ty.size());
        DeviceBuffer g = gpu.upload(dout);
        DeviceBuffer gx = gpu.allocate(4L * x.length)) {
      ops.unfold(batch, steps, channels, kernel, stride, dilation, padLeft, padRight, dx, y);
      assertClose(ty.values(), download(y, ty.size()), 0, "unfold");
      ops.unfoldBackward(batch, steps, channels, kernel, stride, dilation, padLeft, padRight, g, gx);
      assertClose(tx.grad().values(), download(gx, x.length), 1e-6, "unfold backward");
    }
  }

  @Test
  void sgdAndAdamMatchTheCpuOptimisers() {
    int n = 3000;
    Random r = new Random(24);
    float[] w = Matrices.gaussian(n, r);
    Tensor sgdW = Tensor.of(w, n).requiresGrad(true);
    Tensor adamW = Tensor.of(w, n).requiresGrad(true);
    Sgd sgd = new Sgd(List.of(sgdW), 0.05, 0.9, 1e-3, true);
    Adam adam = new Adam(List.of(adamW), 1e-2, 0.9, 0.999, 1e-8, 1e-2, false);
    try (DeviceBuffer ws = gpu.upload(w);
        DeviceBuffer wa = gpu.upload(w);
        DeviceBuffer g = gpu.allocate(4L * n);
        DeviceBuffer vel = gpu.upload(new float[n]);
        DeviceBuffer m = gpu.upload(new float[n]);
        DeviceBuffer v = gpu.upload(new float[n])) {
      for (int t = 1; t <= 3; t++) {
        float[] grad = Matrices.gaussian(n, r);
        sgdW.setGrad(Tensor.of(grad, n));
        adamW.setGrad(Tensor.of(grad, n));
        sgd.step();
        adam.step();
        gpu.defaultStream().synchronize();
        g.copyFrom(grad);
        ops.sgd(n, 0.05f, 0.9f, 1e-3f, true, ws, g, vel);
        ops.adam(n, t, 1e-2f, 0.9f, 0.999f, 1e-8f, 1e-2f, false, wa, g, m, v);
      }
      assertClose(sgdW.values(), download(ws, n), 1e-5, "sgd");
      assertClose(adamW.values(), download(wa, n), 1e-5, "adam");
    }
  }

  @Test
  void undersizedBuffersAreRejectedBeforeLaunch() {
    try (DeviceBuffer small = gpu.allocate(16)) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> ops.unary(GpuOps.Unary.EXP, 5, small, small));
    }
  }
}
