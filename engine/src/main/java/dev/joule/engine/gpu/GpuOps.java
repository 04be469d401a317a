package dev.joule.engine.gpu;

import dev.joule.engine.ops.Ops;

/**
 * Typed launchers for the op kernels of {@code native/cuda/ops.cu} and {@code nn.cu}: the GPU
 * twins of the CPU reference ops, on float32 device buffers, queued on one stream (nothing waits
 * for the GPU and nothing is copied to the host). Each method checks that the buffers are large
 * enough for the sizes it is given, so a wrong size is a Java exception, not a memory fault.
 *
 * <p>These are the building blocks of the GPU tensor backend; layouts match the CPU ops
 * (row-major, sequences {@code [B, T, C]}).
 */
public final class GpuOps {
  /** Element-wise functions; the ordinal is the kernel's op code. */
  public enum Unary {
    EXP,
    LOG,
    RELU,
    SIGMOID,
    TANH,
    SILU
  }

  /** Element-wise arithmetic on equal shapes; the ordinal is the kernel's op code. */
  public enum Binary {
    ADD,
    SUB,
    MUL,
    DIV
  }

  /** Threads per row of the warp-per-row kernels (layer norm). */
  private static final int WARP = 32;

  private final CudaStream stream;
  private final PtxModule ops;
  private final PtxModule nn;
  private final Kernel fill;

  public GpuOps(GpuDevice gpu, CudaStream stream) {
    this.stream = stream;
    this.ops = gpu.module("ops");
    this.nn = gpu.module("nn");
    this.fill = gpu.module("elementwise").kernel("joule_fill_f32");
  }

  public void fill(long n, float value, DeviceBuffer out) {
    need(out, n, "out");
    fill.launch(LaunchShape.linear(n), stream, KernelArgs.of().i64(n).f32(value).buffer(out));
  }

  public void unary(Unary op, long n, DeviceBuffer x, DeviceBuffer y) {
    need(x, n, "x");
    need(y, n, "y");
    launch(ops, "joule_unary_f32", vectorThreads(n), KernelArgs.of().i64(n).i32(op.ordinal()).buffer(x).buffer(y));
  }

  /** {@code dx = dy·f'(x)} given input {@code x} and output {@code y} of the forward. */
  public void unaryBackward(Unary op, long n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
    need(x, n, "x");
    need(y, n, "y");
    need(dy, n, "dy");
    need(dx, n, "dx");
    launch(ops, "joule_unary_bwd_f32", vectorThreads(n), KernelArgs.of().i64(n).i32(op.ordinal()).buffer(x).buffer(y).buffer(dy).buffer(dx));
  }

  public void binary(Binary op, long n, DeviceBuffer a, DeviceBuffer b, DeviceBuffer y) {
    need(a, n, "a");
    need(b, n, "b");
    need(y, n, "y");
    launch(ops, "joule_binary_f32", vectorThreads(n), KernelArgs.of().i64(n).i32(op.ordinal()).buffer(a).buffer(b).buffer(y));
  }

  /** {@code x[r, c] += bias[c]} in place. */
  public void addBiasRows(long rows, int cols, DeviceBuffer bias, DeviceBuffer x) {
    need(bias, cols, "bias");
    need(x, rows * cols, "x");
    launch(nn, "joule_add_bias_rows", rows * cols, KernelArgs.of().i64(rows).i32(cols).buffer(bias).buffer(x));
  }

  /** {@code out[c] = Σ_r x[r, c]}. */
  public void columnSum(long rows, int cols, DeviceBuffer x, DeviceBuffer out) {
    need(x, rows * cols, "x");
    need(out, cols, "out");
    launch(nn, "joule_column_sum", cols, KernelArgs.of().i64(rows).i32(cols).buffer(x).buffer(out).i32(0));
  }

  public void softmaxRows(long rows, int cols, DeviceBuffer x, DeviceBuffer y) {
    rowsOf(rows, cols, x, y);
    launch(ops, "joule_softmax_rows", rows, KernelArgs.of().i64(rows).i32(cols).buffer(x).buffer(y));
  }

  public void softmaxRowsBackward(long rows, int cols, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
    rowsOf(rows, cols, y, dy, dx);
    launch(ops, "joule_softmax_rows_bwd", rows, KernelArgs.of().i64(rows).i32(cols).buffer(y).buffer(dy).buffer(dx));
  }

  public void logSoftmaxRows(long rows, int cols, DeviceBuffer x, DeviceBuffer y) {
    rowsOf(rows, cols, x, y);
    launch(nn, "joule_log_softmax_rows", rows, KernelArgs.of().i64(rows).i32(cols).buffer(x).buffer(y));
  }

  public void logSoftmaxRowsBackward(long rows, int cols, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
    rowsOf(rows, cols, y, dy, dx);
    launch(nn, "joule_log_softmax_rows_bwd", rows, KernelArgs.of().i64(rows).i32(cols).buffer(y).buffer(dy).buffer(dx));
  }

  /**
   * Per row: {@code loss[r] = −log softmax(x[r])[target[r]]} and
   * {@code grad[r, :] = scale·(softmax(x[r]) − onehot(target[r]))}; with {@code scale = 1/rows}
   * that is the gradient of the mean cross-entropy. Targets are int32 in {@code [0, cols)}.
   */
  public void softmaxCrossEntropyRows(long rows, int cols, DeviceBuffer x, DeviceBuffer target, float scale,
      DeviceBuffer grad, DeviceBuffer loss) {
    rowsOf(rows, cols, x, grad);
    needInts(target, rows, "target");
    need(loss, rows, "loss");
    launch(nn, "joule_softmax_xent_rows", rows,
        KernelArgs.of().i64(rows).i32(cols).buffer(x).buffer(target).f32(scale).buffer(grad).buffer(loss));
  }

  /** Layer norm of each row; {@code mean} and {@code rstd} ({@code [rows]}) are saved for the backward. */
  public void layerNormRows(
      long rows, int cols, float eps, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
      DeviceBuffer y, DeviceBuffer mean, DeviceBuffer rstd) {
    rowsOf(rows, cols, x, y);
    need(gamma, cols, "gamma");
    need(beta, cols, "beta");
    need(mean, rows, "mean");
    need(rstd, rows, "rstd");
    launch(ops, "joule_layer_norm_rows", rows * WARP,
        KernelArgs.of().i64(rows).i32(cols).f32(eps).buffer(x).buffer(gamma).buffer(beta).buffer(y).buffer(mean).buffer(rstd));
  }

  /**
   * Layer norm's input gradient over rows, plus {@code addend} ({@code [rows, cols]}, or null:
   * none), a gradient the input already has from elsewhere; the gain and bias gradients are
   * column sums, which {@code GpuNormalization} takes in two deterministic passes.
   */
  public void layerNormRowsBackward(
      long rows, int cols, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer rstd,
      DeviceBuffer dy, DeviceBuffer addend, DeviceBuffer dx) {
    rowsOf(rows, cols, x, dy, dx);
    need(gamma, cols, "gamma");
    need(mean, rows, "mean");
    need(rstd, rows, "rstd");
    if (addend != null) {
      need(addend, rows * cols, "addend");
    }
    launch(ops, "joule_layer_norm_rows_bwd", rows * WARP,
        KernelArgs.of().i64(rows).i32(cols).buffer(x).buffer(gamma).buffer(mean).buffer(rstd).buffer(dy).bufferOrNull(addend)
            .buffer(dx));
  }

  /**
   * {@code out[i, :] = table[ids[i], :]}. The ids must be in {@code [0, vocabulary)}: the caller
   * checks them on the host (where they come from) because a kernel cannot throw.
   */
  public void embedding(long count, int dim, int vocabulary, DeviceBuffer table, DeviceBuffer ids, DeviceBuffer out) {
    need(table, (long) vocabulary * dim, "table");
    needInts(ids, count, "ids");
    need(out, count * dim, "out");
    launch(ops, "joule_embedding_fwd", count * dim, KernelArgs.of().i64(count).i32(dim).buffer(table).buffer(ids).buffer(out));
  }

  /** Sets {@code dtable} to the scatter-sum of {@code dout} rows by id. */
  public void embeddingBackward(long count, int dim, int vocabulary, DeviceBuffer ids, DeviceBuffer dout, DeviceBuffer dtable) {
    needInts(ids, count, "ids");
    need(dout, count * dim, "dout");
    fill((long) vocabulary * dim, 0f, dtable);
    launch(ops, "joule_embedding_bwd", count * dim, KernelArgs.of().i64(count).i32(dim).buffer(ids).buffer(dout).buffer(dtable));
  }

  /** Zeroes the frames of {@code x [B, T, C]} at or past each int32 {@code lengths[b]}, in place. */
  public void maskByLengths(int batch, int steps, int channels, DeviceBuffer lengths, DeviceBuffer x) {
    needInts(lengths, batch, "lengths");
    long n = (long) batch * steps * channels;
    need(x, n, "x");
    launch(ops, "joule_mask_by_lengths", n, KernelArgs.of().i32(batch).i32(steps).i32(channels).buffer(lengths).buffer(x));
  }

  /** Sliding windows {@code [B, T, C] → [B, T', K·C]}, as {@code Ops.unfold}. */
  public void unfold(int batch, int steps, int channels, int kernel, int stride, int dilation, int padLeft, int padRight,
      DeviceBuffer x, DeviceBuffer out) {
    int outSteps = Ops.convOutputLength(steps, kernel, stride, dilation, padLeft, padRight);
    need(x, (long) batch * steps * channels, "x");
    long n = (long) batch * outSteps * kernel * channels;
    need(out, n, "out");
    launch(ops, "joule_unfold_fwd", n, KernelArgs.of().i32(batch).i32(steps).i32(channels).i32(kernel).i32(stride)
        .i32(dilation).i32(padLeft).i32(outSteps).buffer(x).buffer(out));
  }

  public void unfoldBackward(int batch, int steps, int channels, int kernel, int stride, int dilation, int padLeft,
      int padRight, DeviceBuffer dout, DeviceBuffer dx) {
    int outSteps = Ops.convOutputLength(steps, kernel, stride, dilation, padLeft, padRight);
    need(dout, (long) batch * outSteps * kernel * channels, "dout");
    long n = (long) batch * steps * channels;
    need(dx, n, "dx");
    launch(ops, "joule_unfold_bwd", n, KernelArgs.of().i32(batch).i32(steps).i32(channels).i32(kernel).i32(stride)
        .i32(dilation).i32(padLeft).i32(outSteps).buffer(dout).buffer(dx));
  }

  /** One SGD step, as {@code optim.Sgd}; {@code velocity} starts at zero. */
  public void sgd(long n, float lr, float momentum, float weightDecay, boolean nesterov, DeviceBuffer w, DeviceBuffer g,
      DeviceBuffer velocity) {
    need(w, n, "w");
    need(g, n, "g");
    need(velocity, n, "velocity");
    launch(ops, "joule_sgd_f32", n, KernelArgs.of().i64(n).f32(lr).f32(momentum).f32(weightDecay).i32(nesterov ? 1 : 0)
        .buffer(w).buffer(g).buffer(velocity));
  }

  /**
   * Adam's bias correction {@code 1 − β^t} as the GPU kernels get it (from the float32 β): the one
   * formula for the one-parameter and the many-parameter updates, so a parameter's update does not
   * depend on which of the two ran it.
   */
  public static float adamBiasCorrection(float beta, int t) {
    return (float) (1 - Math.pow(beta, t));
  }

  /** Adam step {@code t} (from 1), as {@code optim.Adam}; {@code m} and {@code v} start at zero. */
  public void adam(long n, int t, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
      DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v) {
    need(w, n, "w");
    need(g, n, "g");
    need(m, n, "m");
    need(v, n, "v");
    float c1 = adamBiasCorrection(beta1, t);
    float c2 = adamBiasCorrection(beta2, t);
    launch(nn, "joule_adam_f32", n, KernelArgs.of().i64(n).f32(lr).f32(beta1).f32(beta2).f32(eps).f32(c1).f32(c2)
        .f32(weightDecay).i32(decoupled ? 1 : 0).buffer(w).buffer(g).buffer(m).buffer(v));
  }

  /**
   * Threads to launch for a kernel that moves four elements per iteration
   * ({@code native/cuda/vector4.cuh}): a quarter of {@code n}, rounded up. Its grid-stride loops
   * stay correct for any count, including its one-element fallback for unaligned pointers.
   */
  public static long vectorThreads(long n) {
    return (n + 3) / 4;
  }

  private void launch(PtxModule module, String kernel, long threads, KernelArgs args) {
    if (threads > 0) {
      module.kernel(kernel).launch(LaunchShape.linear(threads), stream, args);
    }
  }

  private static void rowsOf(long rows, int cols, DeviceBuffer... buffers) {
    for (DeviceBuffer b : buffers) {
      need(b, rows * cols, "matrix");
    }
  }

  private static void need(DeviceBuffer b, long floats, String name) {
    b.requireBytes(floats * Float.BYTES, name);
  }

  private static void needInts(DeviceBuffer b, long ints, String name) {
    b.requireBytes(ints * Integer.BYTES, name);
  }
}
