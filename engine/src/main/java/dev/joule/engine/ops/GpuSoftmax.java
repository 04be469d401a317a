package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.ops.GpuMathKernels.SoftmaxMode;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU path of {@link Softmax}: softmax, log-softmax and log-sum-exp along any dimension, the
 * tensor viewed as {@code [outer, n, inner]} and each slice normalised in place of a permute
 * (one warp per row when the dimension is the last, else one thread per strided slice). The
 * kernels follow the CPU's handling of masked slices: an all {@code -inf} slice gives softmax 0,
 * log-softmax and log-sum-exp {@code -inf}.
 */
final class GpuSoftmax {
  private GpuSoftmax() {}

  static Tensor softmax(Tensor x, int dim) {
    return normalise("softmax", x, dim, SoftmaxMode.SOFTMAX);
  }

  static Tensor logSoftmax(Tensor x, int dim) {
    return normalise("logSoftmax", x, dim, SoftmaxMode.LOG_SOFTMAX);
  }

  private static Tensor normalise(String op, Tensor x, int dim, SoftmaxMode mode) {
    Arithmetic.requireFloating(op, x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    int outer = s.outer(axis);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    Tensor y = GpuOperands.allocate(x.gpuContext(), s, DType.FLOAT32);
    GpuMathKernels.softmax(mode, outer, n, inner, x, y);
    return Autograd.record(
        y,
        op,
        g -> {
          Tensor dx = GpuOperands.allocate(g.gpuContext(), s, DType.FLOAT32);
          GpuMathKernels.softmaxBackward(mode, outer, n, inner, y, g, dx);
          return new Tensor[] {dx};
        },
        x);
  }

  /** {@code log Σ exp(x)} along {@code dim}, the dimension removed; the gradient is softmax times the upstream one. */
  static Tensor logSumExp(Tensor x, int dim) {
    Arithmetic.requireFloating("logSumExp", x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    int outer = s.outer(axis);
    int n = s.dim(axis);
    int inner = s.inner(axis);
    if (n == 0) {
      throw new IllegalArgumentException("logSumExp over an empty dimension of shape " + s);
    }
    Tensor y = GpuOperands.allocate(x.gpuContext(), s.without(axis), DType.FLOAT32);
    GpuMathKernels.softmax(SoftmaxMode.LOG_SUM_EXP, outer, n, inner, x, y);
    return Autograd.record(
        y,
        "logSumExp",
        g -> {
          Tensor dx = GpuOperands.allocate(g.gpuContext(), s, DType.FLOAT32);
          GpuMathKernels.logSumExpBackward(outer, n, inner, x, y, g, dx);
          return new Tensor[] {dx};
        },
        x);
  }
}
