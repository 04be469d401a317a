package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.at;
import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.autograd.Backward;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;

/**
 * Dropout on a GPU tensor with the mask made in the kernel from the call's key
 * ({@link DropoutMask}, {@code native/cuda/dropout.cu}): the same elements as the CPU drops for
 * the same key, with no mask drawn on the host, copied over or kept for the backward pass.
 */
final class GpuDropout {
  private GpuDropout() {}

  static Tensor dropout(Tensor x, long key, double p) {
    Arithmetic.requireFloating("dropout", x);
    GpuTensors gpu = x.gpuContext();
    Mask mask = new Mask(key, p);
    Tensor y = apply(gpu, x, mask);
    return Autograd.record(y, "dropout", g -> new Tensor[] {apply(gpu, GpuOperands.gradient(gpu, g), mask)}, x);
  }

  /**
   * {@code x + alpha·dropout(f + bias)} in one pass each way ({@code bias} null: none;
   * {@code joule_residual_dropout_f32}, or {@code _rows_f32} with a bias): the gradient of
   * {@code x} is the incoming one, that of {@code f} the incoming one dropped out with the same
   * mask and scaled by {@code alpha}, and the bias's that summed over the rows.
   */
  static Tensor residualDropout(Tensor x, Tensor f, Tensor bias, double alpha, long key, double p) {
    Arithmetic.requireFloating("residualDropout", x, f);
    GpuTensors gpu = x.gpuContext();
    Mask mask = new Mask(key, p);
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    if (bias == null) {
      gpu.launchLinear(gpu.kernel("dropout", "joule_residual_dropout_f32"), GpuOps.vectorThreads(x.size()),
          mask.append(KernelArgs.of().i64(x.size())).f32((float) alpha).bufferAt(buffer(x), at(x)).bufferAt(buffer(f), at(f))
              .buffer(buffer(y)));
    } else {
      int cols = x.dim(-1);
      long rows = x.size() / cols;
      GpuMathKernels.launchRowWarps(gpu, gpu.kernel("dropout", "joule_residual_dropout_rows_f32"), rows,
          mask.append(KernelArgs.of().i64(rows).i32(cols)).f32((float) alpha).bufferAt(buffer(x), at(x))
              .bufferAt(buffer(f), at(f)).bufferAt(buffer(bias), at(bias)).buffer(buffer(y)));
    }
    Mask branchGradient = new Mask(key, mask.threshold(), (float) (mask.scale() * alpha));
    Backward backward = g -> {
      Tensor gg = GpuOperands.gradient(gpu, g);
      Tensor dx = x.requiresGrad() ? gg : null;
      if (bias != null && bias.requiresGrad() && x.size() > 0) {
        // The branch's gradient and the bias's in one pass over dy.
        Tensor df = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
        Tensor dBias = GpuOperands.allocate(gpu, bias.shape(), DType.FLOAT32);
        branchAndBiasGradients(gpu, gg, branchGradient, df, dBias);
        return new Tensor[] {dx, df, dBias};
      }
      Tensor df = f.requiresGrad() || bias != null && bias.requiresGrad() ? apply(gpu, gg, branchGradient) : null;
      return bias == null ? new Tensor[] {dx, df} : new Tensor[] {dx, df, GpuArithmetic.biasGradient(df, bias)};
    };
    return bias == null
        ? Autograd.record(y, "residualDropout", backward, x, f)
        : Autograd.record(y, "residualDropout", backward, x, f, bias);
  }

  /**
   * {@code dropout(softmax(x))} along the last dimension, one warp per row; the softmax output is
   * kept for the backward, which regenerates the mask from the key.
   */
  static Tensor softmaxDropout(Tensor x, long key, double p) {
    Arithmetic.requireFloating("softmaxDropout", x);
    SoftmaxDropoutRows rows = softmaxDropoutRows(x, key, p);
    return Autograd.record(rows.output(), "softmaxDropout", g -> new Tensor[] {rows.backward(g)}, x);
  }

  /**
   * {@code dropout(softmax(x))} along the last dimension of {@code x} with the mask of
   * {@code key}, or the softmax alone when {@code p} is 0, off the tape: for ops that fuse it
   * into a node of their own ({@link GpuAttention#selfAttention}).
   */
  static SoftmaxDropoutRows softmaxDropoutRows(Tensor x, long key, double p) {
    GpuTensors gpu = x.gpuContext();
    int n = x.dim(-1);
    long rows = x.size() / n;
    Tensor softmax = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    if (p == 0) {
      GpuMathKernels.softmax(GpuMathKernels.SoftmaxMode.SOFTMAX, Math.toIntExact(rows), n, 1, x, softmax);
      return new SoftmaxDropoutRows(gpu, rows, n, softmax, softmax, null);
    }
    Mask mask = new Mask(key, p);
    Tensor dropped = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    GpuMathKernels.launchRowWarps(gpu, gpu.kernel("dropout", "joule_softmax_dropout_rows_f32"), rows,
        mask.append(KernelArgs.of().i64(rows).i32(n)).bufferAt(buffer(x), at(x)).buffer(buffer(softmax)).buffer(buffer(dropped)));
    return new SoftmaxDropoutRows(gpu, rows, n, softmax, dropped, mask);
  }

  /**
   * The rows of a softmax followed by dropout ({@code mask} null: no dropout): the softmax, kept
   * for the backward, and the output.
   */
  record SoftmaxDropoutRows(GpuTensors gpu, long rows, int n, Tensor softmax, Tensor output, Mask mask) {
    /** The input's gradient from the output's {@code g}; the mask is regenerated from its key. */
    Tensor backward(Tensor g) {
      Tensor gg = GpuOperands.gradient(gpu, g);
      Tensor dx = GpuOperands.allocate(gpu, softmax.shape(), DType.FLOAT32);
      if (mask == null) {
        GpuMathKernels.softmaxBackward(GpuMathKernels.SoftmaxMode.SOFTMAX, Math.toIntExact(rows), n, 1, softmax, gg, dx);
      } else {
        GpuMathKernels.launchRowWarps(gpu, gpu.kernel("dropout", "joule_softmax_dropout_rows_bwd_f32"), rows,
            mask.append(KernelArgs.of().i64(rows).i32(n)).buffer(buffer(softmax)).bufferAt(buffer(gg), at(gg)).buffer(buffer(dx)));
      }
      return dx;
    }
  }

  /**
   * A call's mask as the dropout kernels take it ({@code dropout_mask.cuh}): the key's two 32-bit
   * halves, the keep threshold as an unsigned 32-bit word, and the scale of kept elements.
   */
  record Mask(long key, int threshold, float scale) {
    /** Keeps every element as it is: for kernels whose dropout is optional. */
    static final Mask NONE = new Mask(0, 0, 1f);

    Mask(long key, double p) {
      this(key, (int) DropoutMask.threshold(p), (float) (1 / (1 - p)));
    }

    KernelArgs append(KernelArgs args) {
      return args.i32((int) key).i32((int) (key >>> 32)).i32(threshold).f32(scale);
    }
  }

  /**
   * {@code df = dy} with {@code mask} applied (as {@link #apply} computes it) and its column sums
   * over the rows into {@code dBias}, in one pass over {@code dy} ({@code joule_dropout_bias_bwd_cols},
   * column tiles, then {@code joule_column_pair_finish}).
   */
  private static void branchAndBiasGradients(GpuTensors gpu, Tensor dy, Mask mask, Tensor df, Tensor dBias) {
    int cols = dy.dim(-1);
    long rows = dy.size() / cols;
    try (ColumnPairSums sums = new ColumnPairSums(gpu, rows, cols, 1)) {
      gpu.kernel("dropout", "joule_dropout_bias_bwd_cols").launch(sums.partialShape(), gpu.stream(),
          mask.append(KernelArgs.of().i64(rows).i32(cols).i32(sums.chunk)).bufferAt(buffer(dy), at(dy)).buffer(buffer(df))
              .buffer(sums.a));
      sums.finish(gpu, dBias);
    }
  }

  /** {@code x} with the mask applied and the kept elements scaled, in a new tensor. */
  private static Tensor apply(GpuTensors gpu, Tensor x, Mask mask) {
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    gpu.launchLinear(gpu.kernel("dropout", "joule_dropout_f32"), GpuOps.vectorThreads(x.size()),
        mask.append(KernelArgs.of().i64(x.size())).bufferAt(buffer(x), at(x)).buffer(buffer(y)));
    return y;
  }
}
