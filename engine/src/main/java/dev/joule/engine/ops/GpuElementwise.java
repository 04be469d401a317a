package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.autograd.Backward;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.ops.GpuMathKernels.Pointwise;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU path of {@link Elementwise}: each op is one kernel into a new tensor, and its backward
 * one kernel of the upstream gradient and the saved input or output, as on the CPU.
 * exp/log/relu/sigmoid/tanh/silu use the kernels of {@code ops.cu}; neg, scale and addScalar are
 * the affine kernel {@code a·x + b}, and pow, sqrt and square have their own op codes.
 */
final class GpuElementwise {
  private GpuElementwise() {}

  static Tensor unary(String name, GpuOps.Unary op, Tensor x) {
    Arithmetic.requireFloating(name, x);
    Tensor y = GpuOperands.allocate(x.gpuContext(), x.shape(), DType.FLOAT32);
    GpuMathKernels.unary(op, x, y);
    return Autograd.record(
        y,
        name,
        g -> {
          Tensor dx = GpuOperands.allocate(g.gpuContext(), x.shape(), DType.FLOAT32);
          GpuMathKernels.unaryBackward(op, x, y, g, dx);
          return new Tensor[] {dx};
        },
        x);
  }

  /**
   * GLU over the last dimension of {@code x [.., 2h]} plus {@code bias} (null: none), the bias of
   * the linear layer before it: one kernel each way instead of a bias add, a split, a sigmoid and a
   * product.
   */
  static Tensor gluLastDimension(Tensor x, Tensor bias) {
    Arithmetic.requireFloating("glu", x);
    int h = x.dim(-1) / 2;
    long rows = x.shape().outer(x.rank() - 1);
    Tensor y = GpuOperands.allocate(x.gpuContext(), x.shape().with(-1, h), DType.FLOAT32);
    if (y.size() > 0) {
      GpuMathKernels.glu(rows, h, x, bias, y);
    }
    Backward backward = g -> {
      Tensor dx = GpuOperands.allocate(x.gpuContext(), x.shape(), DType.FLOAT32);
      if (dx.size() == 0) {
        return bias == null ? new Tensor[] {dx} : new Tensor[] {dx, GpuArithmetic.biasGradient(dx, bias)};
      }
      // The bias's gradient is summed in the backward kernel's pass.
      Tensor dBias = bias != null && bias.requiresGrad() ? GpuOperands.allocate(x.gpuContext(), bias.shape(), DType.FLOAT32) : null;
      GpuMathKernels.gluBackward(rows, h, x, bias, GpuOperands.gradient(x.gpuContext(), g), dx, dBias);
      return bias == null ? new Tensor[] {dx} : new Tensor[] {dx, dBias};
    };
    return bias == null ? Autograd.record(y, "glu", backward, x) : Autograd.record(y, "gluWithBias", backward, x, bias);
  }

  /**
   * {@code dropout(silu(z + bias))} with {@code mask} ({@link GpuDropout.Mask#NONE}: no dropout),
   * bias {@code [C]} over the last dimension, in one kernel each way.
   */
  static Tensor siluWithBiasDropout(Tensor z, Tensor bias, GpuDropout.Mask mask) {
    Arithmetic.requireFloating("siluWithBias", z, bias);
    int cols = z.dim(-1);
    long rows = z.shape().outer(z.rank() - 1);
    Tensor y = GpuOperands.allocate(z.gpuContext(), z.shape(), DType.FLOAT32);
    if (y.size() > 0) {
      GpuMathKernels.siluWithBiasDropout(rows, cols, z, bias, mask, y);
    }
    return Autograd.record(
        y,
        "siluWithBias",
        g -> {
          Tensor dz = GpuOperands.allocate(z.gpuContext(), z.shape(), DType.FLOAT32);
          if (dz.size() == 0) {
            return new Tensor[] {dz, GpuArithmetic.biasGradient(dz, bias)};
          }
          // The bias's gradient is summed in the backward kernel's pass.
          Tensor dBias = bias.requiresGrad() ? GpuOperands.allocate(z.gpuContext(), bias.shape(), DType.FLOAT32) : null;
          GpuMathKernels.siluWithBiasDropoutBackward(rows, cols, z, bias, mask, GpuOperands.gradient(z.gpuContext(), g), dz,
              dBias);
          return new Tensor[] {dz, dBias};
        },
        z,
        bias);
  }


  static Tensor neg(Tensor x) {
    return affine("neg", x, -1, 0);
  }

  static Tensor scale(Tensor x, double c) {
    return affine("scale", x, c, 0);
  }

  static Tensor addScalar(Tensor x, double c) {
    return affine("addScalar", x, 1, c);
  }

  static Tensor sqrt(Tensor x) {
    return pointwise("sqrt", Pointwise.SQRT, x, 0);
  }

  static Tensor pow(Tensor x, double p) {
    return pointwise("pow", Pointwise.POW, x, p);
  }

  static Tensor square(Tensor x) {
    return pointwise("square", Pointwise.SQUARE, x, 0);
  }

  /** {@code a·x + b}, not recorded: for gradients computed inside other ops' backwards. */
  static Tensor affine(Tensor x, double a, double b) {
    Tensor y = GpuOperands.allocate(x.gpuContext(), x.shape(), DType.FLOAT32);
    GpuMathKernels.pointwise(Pointwise.AFFINE, (float) a, (float) b, x, y);
    return y;
  }

  private static Tensor affine(String name, Tensor x, double a, double b) {
    Arithmetic.requireFloating(name, x);
    return Autograd.record(affine(x, a, b), name, g -> new Tensor[] {affine(g, a, 0)}, x);
  }

  /** {@code f(x)} for pow (exponent {@code a}), sqrt and square. */
  private static Tensor pointwise(String name, Pointwise op, Tensor x, double a) {
    Arithmetic.requireFloating(name, x);
    float fa = (float) a;
    Tensor y = GpuOperands.allocate(x.gpuContext(), x.shape(), DType.FLOAT32);
    GpuMathKernels.pointwise(op, fa, 0f, x, y);
    return Autograd.record(
        y,
        name,
        g -> {
          Tensor dx = GpuOperands.allocate(g.gpuContext(), x.shape(), DType.FLOAT32);
          GpuMathKernels.pointwiseBackward(op, fa, x, y, g, dx);
          return new Tensor[] {dx};
        },
        x);
  }
}
