package dev.joule.engine.ops;

import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.tensor.Tensor;

/**
 * Typed launchers of the math kernels of {@code native/cuda/tensor_math.cu}, and of the tested
 * element-wise kernels of {@code ops.cu}, on GPU tensors. Tensors are passed as pointers to their
 * first element, so views with an offset into a larger storage work as they are (unlike
 * {@link GpuOps}, whose launchers take whole buffers). Each call queues one kernel on the tensors'
 * stream and returns; argument order follows the kernel signatures in the .cu files.
 */
final class GpuMathKernels {
  private static final String MODULE = "tensor_math";

  /** Op codes of {@code joule_pointwise_f32}: {@code a·x + b}, {@code x^a}, √x, x². */
  enum Pointwise {
    AFFINE,
    POW,
    SQRT,
    SQUARE
  }

  /** Op codes of {@code joule_broadcast_f32}; the first four match {@link Arithmetic.Op}. */
  enum Combine {
    ADD,
    SUB,
    MUL,
    DIV,
    COPY;

    static Combine of(Arithmetic.Op op) {
      return values()[op.ordinal()];
    }
  }

  /** Op codes of the reduction kernels. */
  enum Reduce {
    SUM,
    MAX
  }

  /** Modes of the softmax kernels. */
  enum SoftmaxMode {
    SOFTMAX,
    LOG_SOFTMAX,
    LOG_SUM_EXP
  }

  /** Rank of the broadcast kernel's index arithmetic. */
  static final int BROADCAST_RANK = 6;

  /** Rows at least this long are reduced or normalised by a warp each rather than a thread. */
  static final int WARP_ROW_MIN = 32;

  /** Columns per block of {@code joule_reduce_columns_f32} (its block's x), and its row lanes (y). */
  static final int COLUMN_TILE = 32;
  static final int COLUMN_LANES = 8;

  private GpuMathKernels() {}

  /** {@code y = f(x)} with the ops.cu unary kernel. */
  static void unary(GpuOps.Unary op, Tensor x, Tensor y) {
    long n = y.size();
    launch(x.gpuContext(), "ops", "joule_unary_f32", GpuOps.vectorThreads(n), KernelArgs.of().i64(n).i32(op.ordinal()).bufferAt(GpuOperands.buffer(x), GpuOperands.at(x))
        .bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  /** {@code dx = dy·f'(x)} given the forward's input and output, with the ops.cu kernel. */
  static void unaryBackward(GpuOps.Unary op, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    long n = dx.size();
    launch(x.gpuContext(), "ops", "joule_unary_bwd_f32", GpuOps.vectorThreads(n), KernelArgs.of().i64(n).i32(op.ordinal())
        .bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)).bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx)));
  }

  /** {@code y = a op b} for operands of equal shape, with the ops.cu kernel. */
  static void binarySameShape(Arithmetic.Op op, Tensor a, Tensor b, Tensor y) {
    long n = y.size();
    int code = GpuOps.Binary.valueOf(op.name()).ordinal();
    launch(a.gpuContext(), "ops", "joule_binary_f32", GpuOps.vectorThreads(n), KernelArgs.of().i64(n).i32(code).bufferAt(GpuOperands.buffer(a), GpuOperands.at(a))
        .bufferAt(GpuOperands.buffer(b), GpuOperands.at(b)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  static void pointwise(Pointwise op, float a, float b, Tensor x, Tensor y) {
    long n = y.size();
    launch(x.gpuContext(), MODULE, "joule_pointwise_f32", GpuOps.vectorThreads(n), KernelArgs.of().i64(n).i32(op.ordinal()).f32(a).f32(b)
        .bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  static void pointwiseBackward(Pointwise op, float a, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    long n = dx.size();
    launch(x.gpuContext(), MODULE, "joule_pointwise_bwd_f32", n, KernelArgs.of().i64(n).i32(op.ordinal()).f32(a)
        .bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)).bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx)));
  }

  /**
   * {@code y = a op b} over the output shape {@code dims} ({@link #BROADCAST_RANK} entries,
   * innermost last) with the operands' element strides {@code sa}, {@code sb} (0 where broadcast).
   */
  static void broadcast(Combine op, int[] dims, int[] sa, int[] sb, Tensor a, Tensor b, Tensor y) {
    if (dims.length != BROADCAST_RANK || sa.length != BROADCAST_RANK || sb.length != BROADCAST_RANK) {
      throw new IllegalArgumentException("broadcast kernel takes " + BROADCAST_RANK + " dimensions");
    }
    long n = y.size();
    if (n >= Divisor.DIVIDEND_LIMIT) {
      throw new IllegalArgumentException("the broadcast kernel indexes below 2^31 elements; the output has " + n);
    }
    KernelArgs args = KernelArgs.of().i64(n).i32(op.ordinal());
    for (int d : dims) {
      args.i32(d);
    }
    Divisor[] divisors = new Divisor[BROADCAST_RANK];
    for (int i = 0; i < BROADCAST_RANK; i++) {
      divisors[i] = Divisor.of(dims[i]);
      args.i32(divisors[i].magic());
    }
    for (Divisor d : divisors) {
      args.i32(d.shift());
    }
    for (int[] list : new int[][] {sa, sb}) {
      for (int v : list) {
        args.i32(v);
      }
    }
    // Four outputs per thread when the innermost dimension allows it (the kernel checks the rest).
    long threads = dims[BROADCAST_RANK - 1] % 4 == 0 ? GpuOps.vectorThreads(n) : n;
    launch(a.gpuContext(), MODULE, "joule_broadcast_f32", threads,
        args.bufferAt(GpuOperands.buffer(a), GpuOperands.at(a)).bufferAt(GpuOperands.buffer(b), GpuOperands.at(b)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  /**
   * One pass of a reduction of {@code x} viewed as {@code [outer, n, inner]} into
   * {@code y [outer, ceil(n / chunk), inner]} with the pass's {@code kernel}
   * ({@link GpuReductions.Kernel}). For {@link Reduce#MAX}, {@code argOut} receives the winners' indices along {@code n}
   * ({@code argIn}, when not null, holds the indices that the elements of {@code x} stand for: the
   * partial maxima of an earlier pass).
   */
  static void reduce(Reduce op, int outer, int n, int inner, int chunk, GpuReductions.Kernel kernel, Tensor x, GpuStorage argIn,
      Tensor y, GpuStorage argOut) {
    long segments = (n + (long) chunk - 1) / chunk;
    GpuTensors gpu = x.gpuContext();
    if (kernel == GpuReductions.Kernel.COLUMN_TILES) {
      if (op != Reduce.SUM || inner < COLUMN_TILE) {
        throw new IllegalArgumentException("the column-tile reduction sums at least " + COLUMN_TILE + " columns");
      }
      gpu.kernel(MODULE, "joule_reduce_columns_f32").launch(columnTiles(outer * segments, inner), gpu.stream(), KernelArgs.of().i64(outer).i32(n)
          .i32(inner).i32(chunk).bufferAt(GpuOperands.buffer(x), GpuOperands.at(x))
          .bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
      return;
    }
    KernelArgs args = KernelArgs.of().i64(outer).i32(n);
    String name;
    long threads;
    if (kernel == GpuReductions.Kernel.WARP_ROWS) {
      if (inner != 1) {
        throw new IllegalArgumentException("the warp-per-row reduction needs inner == 1, not " + inner);
      }
      name = "joule_reduce_rows_f32";
      threads = 32L * outer * segments;
    } else {
      name = "joule_reduce_strided_f32";
      threads = (long) outer * segments * inner;
      args.i32(inner);
    }
    args.i32(chunk).i32(op.ordinal()).bufferAt(GpuOperands.buffer(x), GpuOperands.at(x));
    args.bufferOrNull(argIn == null ? null : argIn.buffer()).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y));
    args.bufferOrNull(argOut == null ? null : argOut.buffer());
    launch(gpu, MODULE, name, threads, args);
  }

  /**
   * GLU over the last dimension: {@code y [rows, h]} from {@code x [rows, 2h]} plus {@code bias
   * [2h]} (null: none) ({@code ops.cu}).
   */
  static void glu(long rows, int h, Tensor x, Tensor bias, Tensor y) {
    GpuTensors gpu = x.gpuContext();
    launchRowWarps(gpu, gpu.kernel("ops", "joule_glu_rows"), rows, tensorOrNull(KernelArgs.of().i64(rows).i32(h)
        .bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)), bias).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  /**
   * The gradient of {@link #glu}: {@code dx [rows, 2h]} from {@code dy [rows, h]}, the input and
   * the bias, and the bias's gradient into {@code dBias [2h]} (null: not wanted) summed in the
   * same pass ({@code joule_glu_bwd_cols}, column tiles, then {@code joule_column_pair_finish}).
   * {@code rows} must be positive.
   */
  static void gluBackward(long rows, int h, Tensor x, Tensor bias, Tensor dy, Tensor dx, Tensor dBias) {
    GpuTensors gpu = x.gpuContext();
    try (ColumnPairSums sums = new ColumnPairSums(gpu, rows, h, dBias == null ? 0 : 2)) {
      gpu.kernel("ops", "joule_glu_bwd_cols").launch(sums.partialShape(), gpu.stream(), tensorOrNull(KernelArgs.of()
          .i64(rows).i32(h).i32(sums.chunk).bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)), bias)
          .bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx))
          .bufferOrNull(sums.a).bufferOrNull(sums.b));
      if (dBias != null) {
        sums.finish(gpu, dBias, 0, dBias, h);
      }
    }
  }

  /** {@code dropout(silu(z + bias))} over the rows of {@code z [rows, cols]}, bias {@code [cols]} ({@code ops.cu}). */
  static void siluWithBiasDropout(long rows, int cols, Tensor z, Tensor bias, GpuDropout.Mask mask, Tensor y) {
    GpuTensors gpu = z.gpuContext();
    launchRowWarps(gpu, gpu.kernel("ops", "joule_bias_silu_rows"), rows, mask.append(KernelArgs.of().i64(rows).i32(cols))
        .bufferAt(GpuOperands.buffer(z), GpuOperands.at(z)).bufferAt(GpuOperands.buffer(bias), GpuOperands.at(bias))
        .bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
  }

  /**
   * The gradient of {@link #siluWithBiasDropout} with respect to {@code z}, and the bias's into
   * {@code dBias} (null: not wanted) summed over the rows in the same pass
   * ({@code joule_bias_silu_bwd_cols}, column tiles, then {@code joule_column_pair_finish}).
   * {@code rows} must be positive.
   */
  static void siluWithBiasDropoutBackward(long rows, int cols, Tensor z, Tensor bias, GpuDropout.Mask mask, Tensor dy,
      Tensor dz, Tensor dBias) {
    GpuTensors gpu = z.gpuContext();
    try (ColumnPairSums sums = new ColumnPairSums(gpu, rows, cols, dBias == null ? 0 : 1)) {
      gpu.kernel("ops", "joule_bias_silu_bwd_cols").launch(sums.partialShape(), gpu.stream(),
          mask.append(KernelArgs.of().i64(rows).i32(cols).i32(sums.chunk))
              .bufferAt(GpuOperands.buffer(z), GpuOperands.at(z)).bufferAt(GpuOperands.buffer(bias), GpuOperands.at(bias))
              .bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dz), GpuOperands.at(dz))
              .bufferOrNull(sums.a));
      if (dBias != null) {
        sums.finish(gpu, dBias);
      }
    }
  }

  /**
   * Launches a warp-per-row kernel (one written with {@code JOULE_FOR_WARP}, {@code warp.cuh}): 32
   * threads per row, so each row has a warp whose lanes run along its columns, grid-stride over
   * rows where the grid is capped; no thread divides to find its row or column.
   */
  static void launchRowWarps(GpuTensors gpu, Kernel kernel, long rows, KernelArgs args) {
    gpu.launchLinear(kernel, 32L * rows, args);
  }

  /**
   * Blocks of {@link #COLUMN_TILE} columns × {@link #COLUMN_LANES} row lanes, one per column tile
   * of each of {@code slices} (segments of rows), for the column-tile kernels
   * ({@code joule_reduce_columns_f32}, batch norm's sums); grid-stride when there are more.
   */
  static LaunchShape columnTiles(long slices, int columns) {
    return LaunchShape.gridStride(slices * ((columns + COLUMN_TILE - 1) / COLUMN_TILE), COLUMN_TILE, COLUMN_LANES);
  }

  /** {@code dx[o, k, i] = dy[o, i]} where {@code k = arg[o, i]}, else 0. */
  static void maxBackward(int outer, int n, int inner, GpuStorage arg, Tensor dy, Tensor dx) {
    long total = dx.size();
    launch(dx.gpuContext(), MODULE, "joule_max_bwd_f32", total, KernelArgs.of().i64(outer).i32(n).i32(inner)
        .buffer(arg.buffer()).bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx)));
  }

  /**
   * Softmax, log-softmax ({@code y} shaped like {@code x}) or log-sum-exp ({@code y [outer, inner]})
   * of {@code x [outer, n, inner]} along {@code n}.
   */
  static void softmax(SoftmaxMode mode, int outer, int n, int inner, Tensor x, Tensor y) {
    if (inner == 1 && n >= WARP_ROW_MIN) {
      launch(x.gpuContext(), MODULE, "joule_softmax_rows_warp_f32", 32L * outer, KernelArgs.of().i64(outer).i32(n)
          .i32(mode.ordinal()).bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
    } else {
      launch(x.gpuContext(), MODULE, "joule_softmax_strided_f32", (long) outer * inner, KernelArgs.of().i64(outer).i32(n)
          .i32(inner).i32(mode.ordinal()).bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)));
    }
  }

  /** The gradient of softmax or log-softmax given the forward's output {@code y}. */
  static void softmaxBackward(SoftmaxMode mode, int outer, int n, int inner, Tensor y, Tensor dy, Tensor dx) {
    if (mode == SoftmaxMode.LOG_SUM_EXP) {
      throw new IllegalArgumentException("log-sum-exp has its own backward");
    }
    if (inner == 1 && n >= WARP_ROW_MIN) {
      launch(y.gpuContext(), MODULE, "joule_softmax_bwd_rows_warp_f32", 32L * outer, KernelArgs.of().i64(outer).i32(n)
          .i32(mode.ordinal()).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)).bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx)));
    } else {
      launch(y.gpuContext(), MODULE, "joule_softmax_bwd_strided_f32", (long) outer * inner, KernelArgs.of().i64(outer)
          .i32(n).i32(inner).i32(mode.ordinal()).bufferAt(GpuOperands.buffer(y), GpuOperands.at(y)).bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy))
          .bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx)));
    }
  }

  /** {@code dx[o, k, i] = dy[o, i]·exp(x[o, k, i] − lse[o, i])}. */
  static void logSumExpBackward(int outer, int n, int inner, Tensor x, Tensor lse, Tensor dy, Tensor dx) {
    long total = dx.size();
    launch(x.gpuContext(), MODULE, "joule_log_sum_exp_bwd_f32", total, KernelArgs.of().i64(outer).i32(n).i32(inner)
        .bufferAt(GpuOperands.buffer(x), GpuOperands.at(x)).bufferAt(GpuOperands.buffer(lse), GpuOperands.at(lse)).bufferAt(GpuOperands.buffer(dy), GpuOperands.at(dy)).bufferAt(GpuOperands.buffer(dx), GpuOperands.at(dx)));
  }

  private static void launch(GpuTensors gpu, String module, String kernel, long threads, KernelArgs args) {
    gpu.launchLinear(gpu.kernel(module, kernel), threads, args);
  }

  /** A tensor's elements as a pointer argument, or a null pointer when {@code t} is null. */
  private static KernelArgs tensorOrNull(KernelArgs args, Tensor t) {
    return t == null ? args.bufferOrNull(null) : args.bufferAt(GpuOperands.buffer(t), GpuOperands.at(t));
  }
}
