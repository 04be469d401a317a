package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU twins of {@link MatMul}'s products, on cuBLAS: {@code [.., m, k]×[k, n]} as one SGEMM
 * over the flattened rows, and {@code [B, m, k]×[B, k, n]} as one strided-batched SGEMM. The
 * gradients {@code G·Bᵀ} and {@code Aᵀ·G} use cuBLAS's transpose flags on the stored operands
 * instead of materialising transposes. Operands are read in place at their element offsets, so
 * views cost no copy. Every product writes a fresh output with {@code beta = 0}: nothing carries
 * over from an earlier call.
 */
final class GpuMatMul {
  private GpuMatMul() {}

  /** {@code a [.., m, k]} (flattened to {@code m} rows) times {@code b [k, n]}, both on {@code gpu}. */
  static Tensor flattened(GpuTensors gpu, Tensor a, Tensor b, int m, int n, int k) {
    Tensor y = product(gpu, false, false, m, n, k, a, b, a.shape().with(-1, n), 1, 0, 0, 0);
    return Autograd.record(
        y,
        "matmul",
        g -> {
          Tensor gg = GpuOperands.gradient(gpu, g);
          Tensor ga = a.requiresGrad() ? product(gpu, false, true, m, k, n, gg, b, a.shape(), 1, 0, 0, 0) : null;
          Tensor gb = b.requiresGrad() ? product(gpu, true, false, k, n, m, a, gg, b.shape(), 1, 0, 0, 0) : null;
          return new Tensor[] {ga, gb};
        },
        a,
        b);
  }

  /**
   * {@code a [.., m, k]·w [k, n] + bias [n]}: the bias is written to every row of the output
   * first and the SGEMM adds the product to it ({@code beta = 1}). The output is then read inside
   * the product, where the read overlaps the arithmetic of a compute-bound GEMM, instead of by a
   * separate bias pass after it: the same bytes, one launch and one temporary fewer. (cuBLASLt's
   * bias epilogue would also save the write of the broadcast bias.) The bias gradient is the
   * column sum of the output gradient.
   */
  static Tensor linear(GpuTensors gpu, Tensor a, Tensor w, Tensor bias, int m, int n, int k) {
    Shape shape = a.shape().with(-1, n);
    Tensor y = GpuArithmetic.expand(bias, shape);
    if (k > 0 && shape.size() > 0) {
      gpu.cublas().sgemm(false, false, m, n, k, 1f, buffer(a), a.offset(), buffer(w), w.offset(), 1f, buffer(y), y.offset());
    }
    return Autograd.record(
        y,
        "linear",
        g -> {
          Tensor gg = GpuOperands.gradient(gpu, g);
          Tensor ga = a.requiresGrad() ? product(gpu, false, true, m, k, n, gg, w, a.shape(), 1, 0, 0, 0) : null;
          Tensor gw = w.requiresGrad() ? product(gpu, true, false, k, n, m, a, gg, w.shape(), 1, 0, 0, 0) : null;
          Tensor gb = GpuArithmetic.biasGradient(gg, bias);
          return new Tensor[] {ga, gw, gb};
        },
        a,
        w,
        bias);
  }

  /** {@code a [batch, m, k]} times {@code b [batch, k, n]}, matrix by matrix, both on {@code gpu}. */
  static Tensor batched(GpuTensors gpu, Tensor a, Tensor b, int batch, int m, int n, int k) {
    long mk = (long) m * k;
    long kn = (long) k * n;
    long mn = (long) m * n;
    Tensor y = product(gpu, false, false, m, n, k, a, b, Shape.of(batch, m, n), batch, mk, kn, mn);
    return Autograd.record(
        y,
        "bmm",
        g -> {
          Tensor gg = GpuOperands.gradient(gpu, g);
          Tensor ga = a.requiresGrad() ? product(gpu, false, true, m, k, n, gg, b, a.shape(), batch, mn, kn, mk) : null;
          Tensor gb = b.requiresGrad() ? product(gpu, true, false, k, n, m, a, gg, b.shape(), batch, mk, mn, kn) : null;
          return new Tensor[] {ga, gb};
        },
        a,
        b);
  }

  /**
   * A new tensor of {@code shape} holding {@code op(left)·op(right)} ({@code m×n}, inner size
   * {@code k}) for each of {@code batch} matrix pairs, matrix {@code i} of each operand
   * {@code i·stride} elements after the first. One SGEMM when {@code batch} is 1.
   */
  private static Tensor product(
      GpuTensors gpu, boolean transL, boolean transR, int m, int n, int k, Tensor left, Tensor right, Shape shape,
      int batch, long strideL, long strideR, long strideOut) {
    if (shape.size() == 0) {
      return GpuOperands.allocate(gpu, shape, DType.FLOAT32);
    }
    if (k == 0) {
      // An empty sum; cuBLAS rejects leading dimensions of 0, so no call.
      return GpuOperands.zeros(gpu, shape, DType.FLOAT32);
    }
    Tensor out = GpuOperands.allocate(gpu, shape, DType.FLOAT32);
    if (batch == 1) {
      gpu.cublas().sgemm(transL, transR, m, n, k, 1f, buffer(left), left.offset(), buffer(right), right.offset(), 0f,
          buffer(out), 0);
    } else {
      gpu.cublas().sgemmStridedBatched(transL, transR, m, n, k, 1f, buffer(left), left.offset(), strideL, buffer(right),
          right.offset(), strideR, 0f, buffer(out), 0, strideOut, batch);
    }
    return out;
  }
}
