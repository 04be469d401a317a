package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;

/**
 * Matrix products: {@code [.., m, k] × [k, n]} (leading dimensions of the left operand are
 * flattened, which is how a Linear layer applies to every frame) and the batched
 * {@code [B, m, k] × [B, k, n]}. Products, forward and backward, run in the precision of their
 * result ({@link Gemm}): float32 for FLOAT32 operands, float64 when either is FLOAT64. When
 * either operand is on a GPU, both run there in float32 on cuBLAS ({@link GpuMatMul}).
 */
final class MatMul {
  private MatMul() {}

  static Tensor matmul(Tensor a, Tensor b) {
    Arithmetic.requireFloating("matmul", a, b);
    if (a.rank() < 2 || b.rank() < 2) {
      throw new ShapeMismatchException("matmul", a.shape(), b.shape(), "both operands need at least 2 dimensions");
    }
    if (b.rank() == 2) {
      return flattened(a, b);
    }
    if (a.rank() == 3 && b.rank() == 3) {
      return batched(a, b);
    }
    throw new ShapeMismatchException("matmul", a.shape(), b.shape(), "supported: [.., m, k]×[k, n] and [B, m, k]×[B, k, n]");
  }

  /** {@code x·w + bias} (see {@link Ops#linear}). */
  static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    if (bias == null) {
      return matmul(x, w);
    }
    Arithmetic.requireFloating("linear", x, w, bias);
    if (x.rank() < 2 || w.rank() != 2 || x.dim(-1) != w.dim(0)) {
      throw new ShapeMismatchException("linear", x.shape(), w.shape(), "needs x [.., k] with at least 2 dimensions and weights [k, n]");
    }
    if (bias.rank() != 1 || bias.dim(0) != w.dim(1)) {
      throw new ShapeMismatchException("linear", w.shape(), bias.shape(), "bias must be [n] with n the weights' last dimension");
    }
    GpuTensors gpu = Placement.gpuOf("linear", x, w, bias);
    if (gpu == null) {
      // The CPU reference: the product, then the bias add, each with its own gradient.
      return Ops.biasAdd(matmul(x, w), bias);
    }
    return GpuMatMul.linear(gpu, Placement.on(gpu, x), Placement.on(gpu, w), Placement.on(gpu, bias),
        x.shape().outer(x.rank() - 1), w.dim(1), w.dim(0));
  }

  private static Tensor flattened(Tensor a, Tensor b) {
    int k = a.dim(-1);
    if (b.dim(0) != k) {
      throw new ShapeMismatchException("matmul", a.shape(), b.shape(), "inner dimensions " + k + " and " + b.dim(0) + " differ");
    }
    int m = a.shape().outer(a.rank() - 1);
    int n = b.dim(1);
    GpuTensors gpu = Placement.gpuOf("matmul", a, b);
    if (gpu != null) {
      return GpuMatMul.flattened(gpu, Placement.on(gpu, a), Placement.on(gpu, b), m, n, k);
    }
    DType type = DType.promote(a.dtype(), b.dtype());
    double[] c = new double[m * n];
    Gemm.product(type, false, false, m, n, k, a.values(), 0, b.values(), 0, c, 0);
    Shape out = a.shape().with(-1, n);
    Tensor y = Tensor.wrapRounded(c, out, type);
    return Autograd.record(
        y,
        "matmul",
        g -> {
          double[] gv = g.values();
          DType gt = DType.promote(type, g.dtype());
          Tensor ga = null;
          Tensor gb = null;
          if (a.requiresGrad()) {
            double[] r = new double[m * k];
            Gemm.product(gt, false, true, m, k, n, gv, 0, b.values(), 0, r, 0);
            ga = productTensor(r, a.shape(), gt, g.dtype());
          }
          if (b.requiresGrad()) {
            double[] r = new double[k * n];
            Gemm.product(gt, true, false, k, n, m, a.values(), 0, gv, 0, r, 0);
            gb = productTensor(r, b.shape(), gt, g.dtype());
          }
          return new Tensor[] {ga, gb};
        },
        a,
        b);
  }

  private static Tensor batched(Tensor a, Tensor b) {
    int batch = a.dim(0);
    int m = a.dim(1);
    int k = a.dim(2);
    int n = b.dim(2);
    if (b.dim(0) != batch || b.dim(1) != k) {
      throw new ShapeMismatchException(
          "matmul", a.shape(), b.shape(), "batched product needs equal batch sizes and inner dimensions");
    }
    GpuTensors gpu = Placement.gpuOf("matmul", a, b);
    if (gpu != null) {
      return GpuMatMul.batched(gpu, Placement.on(gpu, a), Placement.on(gpu, b), batch, m, n, k);
    }
    double[] av = a.values();
    double[] bv = b.values();
    DType type = DType.promote(a.dtype(), b.dtype());
    double[] c = new double[batch * m * n];
    for (int i = 0; i < batch; i++) {
      Gemm.product(type, false, false, m, n, k, av, i * m * k, bv, i * k * n, c, i * m * n);
    }
    Tensor y = Tensor.wrapRounded(c, Shape.of(batch, m, n), type);
    return Autograd.record(
        y,
        "bmm",
        g -> {
          double[] gv = g.values();
          DType gt = DType.promote(type, g.dtype());
          Tensor ga = null;
          Tensor gb = null;
          if (a.requiresGrad()) {
            double[] r = new double[batch * m * k];
            for (int i = 0; i < batch; i++) {
              Gemm.product(gt, false, true, m, k, n, gv, i * m * n, bv, i * k * n, r, i * m * k);
            }
            ga = productTensor(r, a.shape(), gt, g.dtype());
          }
          if (b.requiresGrad()) {
            double[] r = new double[batch * k * n];
            for (int i = 0; i < batch; i++) {
              Gemm.product(gt, true, false, k, n, m, av, i * m * k, gv, i * m * n, r, i * k * n);
            }
            gb = productTensor(r, b.shape(), gt, g.dtype());
          }
          return new Tensor[] {ga, gb};
        },
        a,
        b);
  }

  /**
   * A tensor of type {@code type} over values {@link Gemm#product} computed in {@code productType}:
   * already representable when the two agree (float32 products accumulate in float32).
   */
  private static Tensor productTensor(double[] values, Shape shape, DType productType, DType type) {
    return productType == type ? Tensor.wrapRounded(values, shape, type) : Tensor.wrap(values, shape, type);
  }
}
