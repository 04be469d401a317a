package dev.joule.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.nn.BatchNorm;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimisers, clipping and batch-norm statistics on GPU parameters against the same on CPU
 * parameters: the GPU updates in float32 where the CPU keeps float64 state, so they agree to
 * float32 rounding over a few steps.
 */
class GpuOptimizersTest {
  private static final double TOLERANCE = 2e-5;

  /** Three steps of {@code optimiser} on a quadratic, once on each device; returns both final parameters. */
  private static double[][] threeSteps(Function<List<Tensor>, Optimizer> optimiser, double clip) {
    GpuTensors gpu = GpuParity.requireGpu();
    double[][] out = new double[2][];
    for (int device = 0; device < 2; device++) {
      Tensor w = Tensor.randn(new Random(7), DType.FLOAT32, 1, 37, 11).requiresGrad(true);
      Tensor target = Tensor.randn(new Random(8), DType.FLOAT32, 1, 37, 11);
      if (device == 1) {
        w.moveTo(gpu);
      }
      Optimizer opt = optimiser.apply(List.of(w));
      for (int step = 0; step < 3; step++) {
        opt.zeroGrad();
        Tensor diff = Ops.sub(w, target);
        Ops.sum(Ops.mul(diff, Ops.mul(diff, diff))).backward();
        if (clip > 0) {
          GradientClipping.clipByGlobalNorm(List.of(w), clip);
        }
        opt.step();
      }
      assertEquals(device == 1, w.isGpu());
      out[device] = w.toDoubleArray();
    }
    return out;
  }

  /**
   * Adam over many GPU parameters at once (one launch, chunked): sizes from 1 to past a chunk,
   * and a parameter left out of the first step, so the parameters' step counts differ.
   */
  @Test
  void adamOverManyParametersFollowsTheCpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    int[][] shapes = {{1}, {37, 11}, {200, 100}, {300}, {5, 7}};
    double[][][] out = new double[2][shapes.length][];
    for (int device = 0; device < 2; device++) {
      List<Tensor> params = new java.util.ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        Tensor w = Tensor.randn(new Random(20 + i), DType.FLOAT32, 1, shapes[i]).requiresGrad(true);
        if (device == 1) {
          w.moveTo(gpu);
        }
        params.add(w);
      }
      Adam adam = Adam.adamW(params, 0.01, 0.1);
      for (int step = 0; step < 3; step++) {
        adam.zeroGrad();
        Tensor loss = null;
        for (int i = step == 0 ? 1 : 0; i < params.size(); i++) {
          Tensor w = params.get(i);
          Tensor term = Ops.sum(Ops.mul(w, Ops.mul(w, w)));
          loss = loss == null ? term : Ops.add(loss, term);
        }
        loss.backward();
        adam.step();
      }
      for (int i = 0; i < shapes.length; i++) {
        assertEquals(device == 1, params.get(i).isGpu());
        out[device][i] = params.get(i).toDoubleArray();
      }
    }
    for (int i = 0; i < shapes.length; i++) {
      GpuParity.assertClose("AdamW parameter " + i, out[0][i], out[1][i], TOLERANCE);
    }
  }

  /** The global norm of many GPU gradients (two launches, float64), views among them, and the clipped result. */
  @Test
  void clippingManyGpuGradientsFollowsTheCpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    int[][] shapes = {{1}, {37, 11}, {200, 100}, {300}, {5, 7}};
    double[] norms = new double[2];
    double[][][] grads = new double[2][shapes.length][];
    for (int device = 0; device < 2; device++) {
      List<Tensor> params = new java.util.ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        Tensor w = Tensor.zeros(DType.FLOAT32, shapes[i]).requiresGrad(true);
        // Gradients as rows of a larger tensor: every one but the first starts at an offset.
        Tensor big = Tensor.randn(new Random(40 + i), DType.FLOAT32, 3, i + 1, Tensor.zeros(shapes[i]).size());
        Tensor g = big.rowsView(i, 1).view(shapes[i]);
        if (device == 1) {
          w.moveTo(gpu);
          g = big.toGpu(gpu).rowsView(i, 1).view(shapes[i]);
        }
        w.setGrad(g);
        params.add(w);
      }
      norms[device] = GradientClipping.clipByGlobalNorm(params, 1.0);
      for (int i = 0; i < shapes.length; i++) {
        assertEquals(device == 1, params.get(i).grad().isGpu());
        grads[device][i] = params.get(i).grad().toDoubleArray();
      }
    }
    assertEquals(norms[0], norms[1], 1e-6 * norms[0]);
    for (int i = 0; i < shapes.length; i++) {
      GpuParity.assertClose("clipped gradient " + i, grads[0][i], grads[1][i], TOLERANCE);
    }
  }

  /** A NaN or an infinity in any GPU gradient gives a non-finite norm and leaves the gradients alone. */
  @Test
  void aNonFiniteGpuGradientGivesANonFiniteNorm() {
    GpuTensors gpu = GpuParity.requireGpu();
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      List<Tensor> params = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Tensor w = Tensor.zeros(DType.FLOAT32, 50).requiresGrad(true);
        w.moveTo(gpu);
        double[] g = new double[50];
        java.util.Arrays.fill(g, 1);
        if (i == 1) {
          g[17] = bad;
        }
        w.setGrad(Tensor.of(g, 50).to(DType.FLOAT32).toGpu(gpu));
        params.add(w);
      }
      Tensor before = params.get(0).grad();
      assertTrue(!Double.isFinite(GradientClipping.clipByGlobalNorm(params, 1.0)), "norm with " + bad);
      assertTrue(before == params.get(0).grad(), "gradients untouched");
    }
  }

  @Test
  void adamOnTheGpuFollowsTheCpu() {
    double[][] r = threeSteps(p -> Adam.adam(p, 0.01), 0);
    GpuParity.assertClose("Adam", r[0], r[1], TOLERANCE);
  }

  @Test
  void adamWWithClippingOnTheGpuFollowsTheCpu() {
    double[][] r = threeSteps(p -> Adam.adamW(p, 0.01, 0.1), 1.0);
    GpuParity.assertClose("AdamW + clipping", r[0], r[1], TOLERANCE);
  }

  @Test
  void nesterovSgdOnTheGpuFollowsTheCpu() {
    double[][] r = threeSteps(p -> new Sgd(p, 0.001, 0.9, 0.01, true), 0);
    GpuParity.assertClose("SGD", r[0], r[1], TOLERANCE);
  }

  @Test
  void adamStateComesBackFromTheGpuAndGoesOnOnTheCpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor a = Tensor.randn(new Random(9), DType.FLOAT32, 1, 64).requiresGrad(true);
    Tensor b = Tensor.randn(new Random(9), DType.FLOAT32, 1, 64).requiresGrad(true);
    a.moveTo(gpu);
    Adam onGpu = Adam.adam(List.of(a), 0.01);
    Adam onCpu = Adam.adam(List.of(b), 0.01);
    for (Tensor p : List.of(a, b)) {
      Ops.sum(Ops.square(p)).backward();
    }
    onGpu.step();
    onCpu.step();
    Map<String, Tensor> gpuState = onGpu.state();
    Map<String, Tensor> cpuState = onCpu.state();
    GpuParity.assertClose("first moment", cpuState.get("m.0").values(), gpuState.get("m.0").values(), TOLERANCE);
    GpuParity.assertClose("second moment", cpuState.get("v.0").values(), gpuState.get("v.0").values(), TOLERANCE);
    // The parameter comes home; its optimiser state follows on the next step. Both start the
    // next step from fresh gradients, as a training loop does (moving drops a's gradient anyway).
    onGpu.zeroGrad();
    onCpu.zeroGrad();
    a.moveTo(null);
    Ops.sum(Ops.square(a)).backward();
    Ops.sum(Ops.square(b)).backward();
    onGpu.step();
    onCpu.step();
    GpuParity.assertClose("after moving back", b.values(), a.values(), TOLERANCE);
  }

  @Test
  void batchNormRunningStatisticsUpdateOnTheGpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    BatchNorm cpu = new BatchNorm(24, DType.FLOAT32);
    BatchNorm onGpu = new BatchNorm(24, DType.FLOAT32);
    onGpu.moveTo(gpu);
    Tensor x = Tensor.randn(new Random(10), DType.FLOAT32, 2, 5, 7, 24);
    for (int i = 0; i < 3; i++) {
      cpu.forward(x);
      onGpu.forward(x.toGpu(gpu));
    }
    assertTrue(onGpu.runningMean().isGpu());
    GpuParity.assertClose("running mean", cpu.runningMean().values(), onGpu.runningMean().values(), TOLERANCE);
    GpuParity.assertClose("running variance", cpu.runningVar().values(), onGpu.runningVar().values(), TOLERANCE);
  }
}
