package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOpCheck.randn;
import static dev.joule.engine.testing.GpuParity.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Layer norm (values and the gradients of x, gamma and beta, with gamma and beta on either
 * device) and dropout (the same seeded mask as on the CPU, element for element) on the GPU.
 */
class GpuNormalizationOpsTest {
  private static final double TOL = 1e-4;

  @Test
  void layerNormMatchesTheCpuWithGradientsOfEveryInput() {
    check("layerNorm [4, 7, 33]", in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), TOL, randn(1, 4, 7, 33),
        randn(2, 33), randn(3, 33));
    check("layerNorm [5, 1]", in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), TOL, randn(4, 5, 1), randn(5, 1),
        randn(6, 1));
    check("layerNorm [3, 256], eps 1e-3", in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-3), TOL, randn(7, 3, 256),
        randn(8, 256), randn(9, 256));
    check("layerNorm 1-D", in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), TOL, randn(10, 17), randn(11, 17),
        randn(12, 17));
    check("layerNorm of no rows", in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), TOL, randn(19, 0, 6),
        randn(20, 6), randn(21, 6));
  }

  @Test
  void layerNormReadsAViewAtItsOffset() {
    check("layerNorm of rows 2..6", in -> Ops.layerNorm(Ops.narrow(in.get(0), 0, 2, 4), in.get(1), in.get(2), 1e-5), TOL,
        randn(13, 8, 19), randn(14, 19), randn(15, 19));
  }

  /**
   * A residual connection around a layer norm, as every Conformer module has: the norm's backward
   * folds in the gradient x has from the sum (FoldingBackward); a norm of a view of x folds in
   * the gradient gathered for the view; a norm whose input has no other use folds nothing in.
   */
  @Test
  void layerNormFoldsInTheGradientOfTheResidualSum() {
    check("x + layerNorm(x)", in -> Ops.add(in.get(0), Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5)), TOL,
        randn(40, 3, 5, 33), randn(41, 33), randn(42, 33));
    check("x + layerNorm(x) + layerNorm(x)·2", in -> {
      Tensor x = in.get(0);
      Tensor y = Ops.add(x, Ops.layerNorm(x, in.get(1), in.get(2), 1e-5));
      return Ops.add(y, Ops.scale(Ops.layerNorm(x, in.get(2), in.get(1), 1e-5), 2));
    }, TOL, randn(43, 4, 40), randn(44, 40), randn(45, 40));
    check("residual around a norm of a view", in -> {
      Tensor v = Ops.narrow(in.get(0), 0, 1, 3);
      return Ops.add(v, Ops.layerNorm(v, in.get(1), in.get(2), 1e-5));
    }, TOL, randn(46, 5, 7), randn(47, 7), randn(48, 7));
  }

  @Test
  void layerNormOfManyRowsCoversEveryRow() {
    GpuParity.requireGpu(); // before making the large inputs
    // 70,000 rows: more rows than one pass of a 65,535-block grid has blocks; the parameter
    // gradients sum over all of them.
    check("layerNorm [70000, 24]", in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), 1e-3, randn(16, 70_000, 24),
        randn(17, 24), randn(18, 24));
  }

  /** The gain and bias gradients are column sums in a fixed order: every run, the same bits. */
  @Test
  void layerNormParameterGradientsAreTheSameBitsEveryRun() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(30, 3000, 40).toGpu(gpu);
    Tensor dy = randn(31, 3000, 40).toGpu(gpu);
    float[][] gammaGrads = new float[2][];
    float[][] betaGrads = new float[2][];
    for (int run = 0; run < 2; run++) {
      Tensor gamma = randn(32, 40).toGpu(gpu).requiresGrad(true);
      Tensor beta = randn(33, 40).toGpu(gpu).requiresGrad(true);
      Ops.layerNorm(x, gamma, beta, 1e-5).backward(dy);
      gammaGrads[run] = gamma.grad().toFloatArray();
      betaGrads[run] = beta.grad().toFloatArray();
    }
    assertArrayEquals(gammaGrads[0], gammaGrads[1]);
    assertArrayEquals(betaGrads[0], betaGrads[1]);
  }

  @Test
  void gammaAndBetaOnTheHostGetHostGradients() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(20, 6, 10);
    Tensor gamma = randn(21, 10).requiresGrad(true);
    Tensor beta = randn(22, 10).requiresGrad(true);
    Tensor y = Ops.layerNorm(x.toGpu(gpu), gamma, beta, 1e-5);
    assertTrue(y.isGpu());
    Tensor w = randn(23, 6, 10);
    y.backward(w.toGpu(gpu));
    assertFalse(gamma.grad().isGpu());
    assertFalse(beta.grad().isGpu());
    Tensor gammaCpu = randn(21, 10).requiresGrad(true);
    Tensor betaCpu = randn(22, 10).requiresGrad(true);
    Tensor yCpu = Ops.layerNorm(x, gammaCpu, betaCpu, 1e-5);
    yCpu.backward(w);
    GpuParity.assertClose("forward", yCpu.toDoubleArray(), y.toDoubleArray(), TOL);
    GpuParity.assertClose("dgamma", gammaCpu.grad().toDoubleArray(), gamma.grad().toDoubleArray(), TOL);
    GpuParity.assertClose("dbeta", betaCpu.grad().toDoubleArray(), beta.grad().toDoubleArray(), TOL);
  }

  @Test
  void layerNormRefusesParametersOfTheWrongSize() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(24, 3, 8).toGpu(gpu);
    assertThrows(ShapeMismatchException.class, () -> Ops.layerNorm(x, randn(25, 7), randn(26, 8), 1e-5));
  }

  @Test
  void dropoutDropsTheSameElementsAsTheCpuForTheSameSeed() {
    GpuTensors gpu = GpuParity.requireGpu();
    for (double p : new double[] {0.1, 0.3, 0.5, 0.9}) {
      Tensor x = randn(30, 64, 129);
      Tensor cpuLeaf = Tensor.wrap(x.toDoubleArray(), x.shape(), DType.FLOAT32).requiresGrad(true);
      Tensor gpuLeaf = Tensor.wrap(x.toDoubleArray(), x.shape(), DType.FLOAT32);
      gpuLeaf.moveTo(gpu);
      gpuLeaf.requiresGrad(true);
      Tensor cpuOut = Ops.dropout(cpuLeaf, p, new Random(7));
      Tensor gpuOut = Ops.dropout(gpuLeaf, p, new Random(7));
      assertTrue(gpuOut.isGpu());
      // Products of two float32 values, rounded once on either device: equal bit for bit.
      assertArrayEquals(cpuOut.toFloatArray(), gpuOut.toFloatArray(), "dropout p=" + p);
      Tensor w = randn(31, 64, 129);
      cpuOut.backward(w);
      gpuOut.backward(w.toGpu(gpu));
      assertTrue(gpuLeaf.grad().isGpu());
      assertArrayEquals(cpuLeaf.grad().toFloatArray(), gpuLeaf.grad().toFloatArray(), "dropout gradient p=" + p);
    }
  }

  @Test
  void dropoutLeavesTheGeneratorWhereTheCpuDoes() {
    GpuTensors gpu = GpuParity.requireGpu();
    Random cpuRandom = new Random(8);
    Random gpuRandom = new Random(8);
    Ops.dropout(randn(32, 5, 7), 0.25, cpuRandom);
    Ops.dropout(randn(32, 5, 7).toGpu(gpu), 0.25, gpuRandom);
    assertEquals(cpuRandom.nextLong(), gpuRandom.nextLong());
  }

  @Test
  void dropoutOfAViewAndOfALargeTensor() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(33, 9, 5);
    assertArrayEquals(
        Ops.dropout(Ops.narrow(x, 0, 3, 4), 0.5, new Random(9)).toFloatArray(),
        Ops.dropout(Ops.narrow(x.toGpu(gpu), 0, 3, 4), 0.5, new Random(9)).toFloatArray());
    // 4100 × 4100 = 16,810,000 elements.
    Tensor big = randn(34, 4100, 4100);
    assertArrayEquals(Ops.dropout(big, 0.2, new Random(10)).toFloatArray(), Ops.dropout(big.toGpu(gpu), 0.2, new Random(10)).toFloatArray());
  }

  /** Fused training-mode batch norm: output and the gradients of x, gamma and beta; shapes across its segment plans. */
  @Test
  void batchNormMatchesTheCpuWithGradientsOfEveryInput() {
    int[][] shapes = {{7, 5}, {300, 40}, {2, 33}, {16_000, 256}, {4001, 64}};
    for (int[] s : shapes) {
      check("batchNorm " + java.util.Arrays.toString(s), in -> Ops.batchNormTraining(in.get(0), in.get(1), in.get(2), 1e-5).output(),
          s[0] > 1000 ? 1e-3 : TOL, randn(s[0] + s[1], s[0], s[1]), randn(s[1] + 1, s[1]), randn(s[1] + 2, s[1]));
    }
    check("batchNorm of a row view", in -> Ops.batchNormTraining(Ops.narrow(in.get(0), 0, 3, 50), in.get(1), in.get(2), 1e-3)
        .output(), TOL, randn(40, 60, 36), randn(41, 36), randn(42, 36));
  }

  @Test
  void batchNormStatisticsMatchTheCpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    // An offset mean makes E[x²] − mean² the hard case for the variance.
    Tensor x = Ops.addScalar(randn(50, 5000, 48), 30);
    Tensor gamma = randn(51, 48);
    Tensor beta = randn(52, 48);
    Ops.BatchNormed cpu = Ops.batchNormTraining(x, gamma, beta, 1e-5);
    Ops.BatchNormed onGpu = Ops.batchNormTraining(x.toGpu(gpu), gamma.toGpu(gpu), beta.toGpu(gpu), 1e-5);
    GpuParity.assertClose("batch mean", cpu.mean().values(), onGpu.mean().values(), 1e-5);
    GpuParity.assertClose("batch variance", cpu.variance().values(), onGpu.variance().values(), 1e-4);
    assertTrue(onGpu.mean().isGpu() && onGpu.mean().gradFn() == null, "statistics stay on the GPU, off the tape");
  }

  @Test
  void batchNormRefusesMismatchedShapes() {
    assertThrows(ShapeMismatchException.class,
        () -> Ops.batchNormTraining(Tensor.zeros(4, 3), Tensor.zeros(4), Tensor.zeros(3), 1e-5));
    assertThrows(ShapeMismatchException.class,
        () -> Ops.batchNormTraining(Tensor.zeros(2, 4, 3), Tensor.zeros(3), Tensor.zeros(3), 1e-5));
  }

  /** Softmax then dropout, fused on the GPU along the last dimension: the CPU's values, mask and gradient. */
  @Test
  void softmaxDropoutMatchesTheCpu() {
    check("softmaxDropout [4, 6, 50]", in -> Ops.softmaxDropout(in.get(0), -1, 0.25, new Random(3)), TOL, randn(60, 4, 6, 50));
    check("softmaxDropout rows shorter than a warp", in -> Ops.softmaxDropout(in.get(0), 1, 0.5, new Random(4)), TOL,
        randn(61, 9, 7));
    check("softmaxDropout of a row view", in -> Ops.softmaxDropout(Ops.narrow(in.get(0), 0, 2, 5), -1, 0.1, new Random(5)),
        TOL, randn(62, 9, 40));
    check("softmaxDropout along a middle dimension", in -> Ops.softmaxDropout(in.get(0), 1, 0.2, new Random(6)), TOL,
        randn(63, 3, 8, 5));
  }

  /** x + alpha·dropout(f), fused on the GPU: the CPU's values, mask and both gradients. */
  @Test
  void residualDropoutMatchesTheCpu() {
    check("residualDropout [4, 6, 50], alpha 1/2", in -> Ops.residualDropout(in.get(0), in.get(1), 0.5, 0.25, new Random(7)),
        TOL, randn(64, 4, 6, 50), randn(65, 4, 6, 50));
    check("residualDropout of row views (unaligned), odd size",
        in -> Ops.residualDropout(Ops.narrow(in.get(0), 0, 1, 3), Ops.narrow(in.get(1), 0, 2, 3), 1, 0.5, new Random(8)), TOL,
        randn(66, 5, 7), randn(67, 6, 7));
    check("residualDropout with the branch's bias",
        in -> Ops.residualDropout(in.get(0), in.get(1), in.get(2), 0.5, 0.25, new Random(9)), TOL, randn(68, 3, 9, 70),
        randn(69, 3, 9, 70), randn(70, 70));
    // The bias's gradient summed in the branch gradient's pass over many segments of rows, and
    // from a view of the incoming gradient (the sum's input is a row view).
    check("residualDropout with a bias, 3000 rows",
        in -> Ops.residualDropout(in.get(0), in.get(1), in.get(2), 1, 0.1, new Random(10)), 1e-3, randn(71, 3000, 40),
        randn(72, 3000, 40), randn(73, 40));
    check("residualDropout with a bias of row views",
        in -> Ops.residualDropout(Ops.narrow(in.get(0), 0, 1, 5), Ops.narrow(in.get(1), 0, 0, 5), in.get(2), 1, 0.3,
            new Random(11)), TOL, randn(74, 7, 33), randn(75, 6, 33), randn(76, 33));
    // Concatenated after another part, the op's incoming gradient is a row view at an offset.
    check("residualDropout with a bias, its gradient a view",
        in -> Ops.concat(List.of(in.get(3), Ops.residualDropout(in.get(0), in.get(1), in.get(2), 1, 0.3, new Random(12))), 0),
        TOL, randn(77, 5, 33), randn(78, 5, 33), randn(79, 33), randn(80, 3, 33));
  }

  @Test
  void dropoutWithProbabilityZeroIsTheInput() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(35, 3, 4).toGpu(gpu);
    assertSame(x, Ops.dropout(x, 0, new Random(11)));
  }
}
