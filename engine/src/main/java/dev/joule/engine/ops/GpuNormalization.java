package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;
import static dev.joule.engine.ops.GpuOperands.packedBuffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.autograd.FoldingBackward;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU paths of {@link Ops#layerNorm} and {@link Ops#batchNormTraining}.
 *
 * <p>Layer norm is one fused tape node (the CPU composes it from means and element-wise ops): the
 * forward ({@code joule_layer_norm_rows}) saves each row's mean and reciprocal standard
 * deviation; the backward computes the input gradient by rows ({@code joule_layer_norm_rows_bwd})
 * and the gain and bias gradients as ordered column sums ({@code joule_layer_norm_params_partial},
 * then {@code joule_column_pair_finish}).
 */
final class GpuNormalization {
  private GpuNormalization() {}

  /** Layer norm over the last dimension of {@code x}, then {@code ·gamma + beta}; all three on one GPU. */
  static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
    Arithmetic.requireFloating("layerNorm", x, gamma, beta);
    int cols = x.dim(-1);
    if (gamma.rank() != 1 || gamma.dim(0) != cols || beta.rank() != 1 || beta.dim(0) != cols) {
      throw new ShapeMismatchException(
          "layerNorm", x.shape(), gamma.shape(), "gamma and beta must be [C] with C the last dimension of x; beta is " + beta.shape());
    }
    GpuTensors gpu = x.gpuContext();
    long rows = x.shape().outer(x.rank() - 1);
    Tensor xp = GpuOperands.packed(x);
    Tensor gp = GpuOperands.packed(gamma);
    // The storages, not their buffers, are what the backward keeps: a storage nobody references
    // gives its buffer back.
    GpuStorage mean = gpu.allocate(GpuStorage.Kind.FLOAT32, rows);
    GpuStorage rstd = gpu.allocate(GpuStorage.Kind.FLOAT32, rows);
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    gpu.ops().layerNormRows(rows, cols, (float) eps, buffer(xp), buffer(gp), packedBuffer(beta), buffer(y), mean.buffer(), rstd.buffer());
    Shape xs = x.shape();
    // The input's gradient folds in the one x already has (FoldingBackward): a residual
    // connection's x feeds both the sum and this norm, and the sum's gradient is added here.
    return Autograd.record(
        y,
        "layerNorm",
        FoldingBackward.into(0, (g, gathered) -> {
          Tensor dx = GpuOperands.allocate(gpu, xs, DType.FLOAT32);
          Tensor dGamma = GpuOperands.allocate(gpu, gamma.shape(), DType.FLOAT32);
          Tensor dBeta = GpuOperands.allocate(gpu, beta.shape(), DType.FLOAT32);
          Tensor dy = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          DeviceBuffer addend = gathered == null ? null : GpuOperands.packedBuffer(GpuOperands.gradient(gpu, gathered));
          gpu.ops().layerNormRowsBackward(rows, cols, buffer(xp), buffer(gp), mean.buffer(), rstd.buffer(), buffer(dy), addend,
              buffer(dx));
          layerNormParamGradients(gpu, rows, cols, xp, mean, rstd, dy, dGamma, dBeta);
          return new Tensor[] {dx, dGamma, dBeta};
        }),
        x,
        gamma,
        beta);
  }

  /**
   * Layer norm's {@code dGamma[c] = Σ_r dy·x̂} and {@code dBeta[c] = Σ_r dy}: float64 column sums
   * per segment of rows ({@code joule_layer_norm_params_partial}), then one pass over the segments
   * ({@code joule_column_pair_finish}), so every run gives the same bits.
   */
  private static void layerNormParamGradients(GpuTensors gpu, long rows, int cols, Tensor x, GpuStorage mean,
      GpuStorage rstd, Tensor dy, Tensor dGamma, Tensor dBeta) {
    if (rows == 0 || cols == 0) {
      gpu.ops().fill(cols, 0f, buffer(dGamma)); // sums over no rows
      gpu.ops().fill(cols, 0f, buffer(dBeta));
      return;
    }
    try (ColumnPairSums sums = new ColumnPairSums(gpu, rows, cols)) {
      gpu.kernel("ops", "joule_layer_norm_params_partial").launch(sums.partialShape(), gpu.stream(),
          KernelArgs.of().i64(rows).i32(cols).i32(sums.chunk).buffer(buffer(x)).buffer(mean.buffer()).buffer(rstd.buffer())
              .buffer(buffer(dy)).buffer(sums.a).buffer(sums.b));
      sums.finish(gpu, dGamma, 0, dBeta, 0);
    }
  }

  /**
   * Batch norm in training mode of {@code x [rows, cols]} on the kernels of
   * {@code native/cuda/batch_norm.cu}: one fused tape node whose backward computes the input,
   * gain and bias gradients together. The batch mean and biased variance come back off the tape.
   *
   * <p>The launches are mirrored by the kernels' host-emulation test
   * ({@code native/cuda/emulation/batch_norm_test.cc}); change both. The partial sums are
   * {@link ColumnPairSums} scratch.
   */
  static Ops.BatchNormed batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double eps) {
    GpuTensors gpu = x.gpuContext();
    int rows = x.dim(0);
    int cols = x.dim(1);
    GpuStorage mean = gpu.allocate(GpuStorage.Kind.FLOAT32, cols);
    GpuStorage variance = gpu.allocate(GpuStorage.Kind.FLOAT32, cols);
    GpuStorage invStd = gpu.allocate(GpuStorage.Kind.FLOAT32, cols);
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    try (ColumnPairSums sums = new ColumnPairSums(gpu, rows, cols)) { // of x and of x²
      kernel(gpu, "joule_bn_stats_partial").launch(sums.partialShape(), gpu.stream(), KernelArgs.of()
          .i64(rows).i32(cols).i32(sums.chunk).bufferAt(buffer(x), GpuOperands.at(x)).buffer(sums.a).buffer(sums.b));
      kernel(gpu, "joule_bn_stats_finish").launch(sums.finishShape(), gpu.stream(), KernelArgs.of()
          .i64(rows).i32(cols).i32(sums.segments).f32((float) eps).buffer(sums.a).buffer(sums.b)
          .buffer(mean.buffer()).buffer(variance.buffer()).buffer(invStd.buffer()));
    }
    GpuMathKernels.launchRowWarps(gpu, kernel(gpu, "joule_bn_forward"), rows, KernelArgs.of()
        .i64(rows).i32(cols).bufferAt(buffer(x), GpuOperands.at(x)).buffer(mean.buffer()).buffer(invStd.buffer())
        .bufferAt(buffer(gamma), GpuOperands.at(gamma)).bufferAt(buffer(beta), GpuOperands.at(beta)).buffer(buffer(y)));
    Tensor out = Autograd.record(
        y,
        "batchNorm",
        g -> {
          Tensor gg = GpuOperands.gradient(gpu, g);
          Tensor dGamma = GpuOperands.allocate(gpu, gamma.shape(), DType.FLOAT32);
          Tensor dBeta = GpuOperands.allocate(gpu, beta.shape(), DType.FLOAT32);
          try (ColumnPairSums sums = new ColumnPairSums(gpu, rows, cols)) { // of dy and of dy·x̂
            kernel(gpu, "joule_bn_backward_partial").launch(sums.partialShape(), gpu.stream(), KernelArgs.of()
                .i64(rows).i32(cols).i32(sums.chunk).bufferAt(buffer(gg), GpuOperands.at(gg))
                .bufferAt(buffer(x), GpuOperands.at(x)).buffer(mean.buffer()).buffer(invStd.buffer())
                .buffer(sums.a).buffer(sums.b));
            sums.finish(gpu, dBeta, 0, dGamma, 0);
          }
          if (!x.requiresGrad()) {
            return new Tensor[] {null, dGamma, dBeta};
          }
          Tensor dx = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
          GpuMathKernels.launchRowWarps(gpu, kernel(gpu, "joule_bn_backward_dx"), rows, KernelArgs.of()
              .i64(rows).i32(cols).bufferAt(buffer(gg), GpuOperands.at(gg)).bufferAt(buffer(x), GpuOperands.at(x))
              .buffer(mean.buffer()).buffer(invStd.buffer()).bufferAt(buffer(gamma), GpuOperands.at(gamma))
              .buffer(buffer(dBeta)).buffer(buffer(dGamma)).buffer(buffer(dx)));
          return new Tensor[] {dx, dGamma, dBeta};
        },
        x,
        gamma,
        beta);
    Shape c = Shape.of(cols);
    return new Ops.BatchNormed(out, Tensor.onGpu(mean, 0, c, DType.FLOAT32), Tensor.onGpu(variance, 0, c, DType.FLOAT32));
  }

  private static Kernel kernel(GpuTensors gpu, String name) {
    return gpu.kernel("batch_norm", name);
  }
}
