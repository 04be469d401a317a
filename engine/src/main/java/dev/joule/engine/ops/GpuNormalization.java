package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;
import static dev.joule.engine.ops.GpuOperands.packedBuffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU path of {@link Ops#layerNorm}.
 *
 * <p>Layer norm is one fused tape node on the {@code joule_layer_norm_rows} kernels (the CPU
 * composes it from means and element-wise ops): the forward saves each row's mean and reciprocal
 * standard deviation, and the backward computes the input, gain and bias gradients together.
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
    return Autograd.record(
        y,
        "layerNorm",
        g -> {
          Tensor dx = GpuOperands.allocate(gpu, xs, DType.FLOAT32);
          Tensor dGamma = GpuOperands.allocate(gpu, gamma.shape(), DType.FLOAT32);
          Tensor dBeta = GpuOperands.allocate(gpu, beta.shape(), DType.FLOAT32);
          gpu.ops().layerNormRowsBackward(rows, cols, buffer(xp), buffer(gp), mean.buffer(), rstd.buffer(),
              packedBuffer(GpuOperands.gradient(gpu, g)), buffer(dx), buffer(dGamma), buffer(dBeta));
          return new Tensor[] {dx, dGamma, dBeta};
        },
        x,
        gamma,
        beta);
  }


}
