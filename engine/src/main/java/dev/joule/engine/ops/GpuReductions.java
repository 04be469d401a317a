package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ops.GpuMathKernels.Reduce;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU path of {@link Reductions} (sum and max along a dimension, sum of everything; the means
 * are the CPU code's scaled sums) and the sum of a broadcast gradient back to its operand's shape.
 *
 * <p>A reduction views its input as {@code [outer, n, inner]}. One pass gives every output its own
 * thread (or warp, for rows: {@code inner == 1}), which is fast when there are many outputs; when
 * there are few (the sum of 16 M elements, the column sums of a tall matrix) that would leave the
 * GPU idle, so the first pass cuts each slice into segments, giving
 * {@code outer × segments × inner} partial results, and further passes reduce those the same way
 * until one segment is left. Segments are long enough to amortise a thread's (or warp's) start and
 * short enough that the pass has about {@link #TARGET_THREADS} threads.
 */
final class GpuReductions {
  /** Threads a pass aims for: a few waves on current GPUs. */
  private static final long TARGET_THREADS = 1L << 18;

  /** Shortest segment a thread reduces (strided kernel) ... */
  private static final int MIN_CHUNK_THREAD = 64;

  /** ... a warp (row kernel: 64 elements per lane) ... */
  private static final int MIN_CHUNK_WARP = 2048;

  /**
   * ... and a column tile's block (16 rows per row lane: a [16,000, 256] bias gradient then fills
   * an H100 with ~1,000 blocks, each thread with 16 loads, and its 125 partial rows take one more
   * short pass).
   */
  private static final int MIN_CHUNK_COLUMNS = 16 * GpuMathKernels.COLUMN_LANES;

  /** The kernel of a pass (see {@link GpuMathKernels#reduce}). */
  enum Kernel {
    /** {@code joule_reduce_strided_f32}: a thread per output. */
    STRIDED,
    /** {@code joule_reduce_rows_f32}: a warp per output, for rows ({@code inner == 1}). */
    WARP_ROWS,
    /** {@code joule_reduce_columns_f32}: a block per 32 outputs, for sums over many columns. */
    COLUMN_TILES
  }

  /** One pass: each slice's {@code n} elements cut into segments of {@code chunk}, reduced by {@code kernel}. */
  record Pass(int n, int chunk, Kernel kernel) {
    /** The partial results per output this pass leaves: the next pass's {@code n}. */
    int segments() {
      return (int) ceilDiv(n, chunk);
    }
  }

  private GpuReductions() {}

  /** Values of a reduction ({@code [outer·inner]}) and, for max, the int32 arg-max along n. */
  private record Reduced(Tensor values, GpuStorage args) {}

  static Tensor sumAll(Tensor x) {
    Arithmetic.requireFloating("sum", x);
    Tensor y = sumAlong(x, 1, x.size(), 1).view(Shape.scalar().dims());
    Shape xs = x.shape();
    return Autograd.record(y, "sum", g -> new Tensor[] {GpuArithmetic.expand(g, xs)}, x);
  }

  static Tensor sum(Tensor x, int dim, boolean keepDim) {
    Arithmetic.requireFloating("sum", x);
    Shape s = x.shape();
    int axis = s.axis(dim);
    Shape kept = s.with(axis, 1);
    Shape out = keepDim ? kept : s.without(axis);
    Tensor y = sumAlong(x, s.outer(axis), s.dim(axis), s.inner(axis)).view(out.dims());
    return Autograd.record(y, "sum", g -> new Tensor[] {GpuArithmetic.expand(g.view(kept.dims()), s)}, x);
  }

  /**
   * Maximum along {@code axis} of {@code x} viewed as {@code [outer, n, inner]} (checked by
   * {@link Reductions#max}, n ≥ 1); the gradient goes to the first position holding the maximum
   * (a NaN first).
   */
  static Tensor max(Tensor x, int axis, int outer, int n, int inner, boolean keepDim) {
    Shape s = x.shape();
    Shape out = keepDim ? s.with(axis, 1) : s.without(axis);
    if (out.size() == 0) {
      return Autograd.record(GpuOperands.allocate(x.gpuContext(), out, DType.FLOAT32), "max",
          g -> new Tensor[] {GpuOperands.allocate(g.gpuContext(), s, DType.FLOAT32)}, x);
    }
    Reduced r = reduce(Reduce.MAX, x, outer, n, inner);
    Tensor y = r.values().view(out.dims());
    GpuStorage arg = r.args();
    return Autograd.record(
        y,
        "max",
        g -> {
          Tensor dx = GpuOperands.allocate(g.gpuContext(), s, DType.FLOAT32);
          GpuMathKernels.maxBackward(outer, n, inner, arg, g, dx);
          return new Tensor[] {dx};
        },
        x);
  }

  /**
   * {@code g} summed over the dimensions along which {@code shape} was broadcast to {@code g}'s
   * shape, not recorded: the reductions of {@link #sumToPasses} one after the other.
   */
  static Tensor sumTo(Tensor g, Shape shape) {
    if (g.size() == 0) {
      return Tensor.zeros(g.gpuContext(), DType.FLOAT32, shape.dims());
    }
    Tensor cur = g;
    for (int[] pass : sumToPasses(g.shape(), shape)) {
      cur = sumAlong(cur, pass[0], pass[1], pass[2]);
    }
    return cur.view(shape.dims());
  }

  /**
   * The reductions {@code {outer, n, inner}} that sum a tensor of shape {@code from} down to
   * {@code to} (which broadcasts to {@code from}; both non-empty), each applied to the previous
   * one's result. Dimensions are grouped into alternating runs of summed and kept ones; each
   * summed run is one reduction, the largest first.
   */
  static List<int[]> sumToPasses(Shape from, Shape to) {
    int[] aligned = Broadcasting.alignedStrides(to, from);
    List<int[]> runs = new ArrayList<>(); // {size, 1 if summed}
    for (int d = 0; d < from.rank(); d++) {
      int size = from.dim(d);
      if (size == 1) {
        continue;
      }
      int summed = aligned[d] == 0 ? 1 : 0;
      int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[1] == summed) {
        last[0] *= size;
      } else {
        runs.add(new int[] {size, summed});
      }
    }
    List<int[]> passes = new ArrayList<>();
    while (true) {
      int pick = -1;
      for (int i = 0; i < runs.size(); i++) {
        if (runs.get(i)[1] == 1 && (pick < 0 || runs.get(i)[0] > runs.get(pick)[0])) {
          pick = i;
        }
      }
      if (pick < 0) {
        return passes;
      }
      int outer = 1;
      int inner = 1;
      for (int i = 0; i < runs.size(); i++) {
        if (i < pick) {
          outer *= runs.get(i)[0];
        } else if (i > pick) {
          inner *= runs.get(i)[0];
        }
      }
      passes.add(new int[] {outer, runs.get(pick)[0], inner});
      runs.remove(pick);
    }
  }

  /** The sums along n of {@code x} viewed as {@code [outer, n, inner]}, as a new {@code [outer·inner]} tensor. */
  private static Tensor sumAlong(Tensor x, int outer, int n, int inner) {
    GpuTensors gpu = x.gpuContext();
    if (n == 0 || (long) outer * inner == 0) {
      return Tensor.zeros(gpu, DType.FLOAT32, outer * inner);
    }
    return reduce(Reduce.SUM, x, outer, n, inner).values();
  }

  /** The passes of {@link #kernelPasses} run one after the other; n ≥ 1, outer·inner ≥ 1. */
  private static Reduced reduce(Reduce op, Tensor x, int outer, int n, int inner) {
    GpuTensors gpu = x.gpuContext();
    Tensor cur = x;
    GpuStorage curArgs = null;
    for (Pass pass : kernelPasses(op, outer, n, inner)) {
      long count = (long) outer * pass.segments() * inner;
      Tensor part = GpuOperands.allocate(gpu, Shape.of(Math.toIntExact(count)), DType.FLOAT32);
      GpuStorage args = op == Reduce.MAX ? gpu.allocate(GpuStorage.Kind.INT32, count) : null;
      GpuMathKernels.reduce(op, outer, pass.n(), inner, pass.chunk(), pass.kernel(), cur, curArgs, part, args);
      cur = part;
      curArgs = args;
    }
    return new Reduced(cur, curArgs);
  }

  /**
   * The passes that reduce {@code [outer, n, inner]} to {@code [outer, inner]} with {@code op},
   * each leaving {@link Pass#segments} partial results per output for the next, until one is left.
   * The kernel is {@link Kernel#WARP_ROWS} for rows ({@code inner == 1}) of at least a warp,
   * {@link Kernel#COLUMN_TILES} for sums over at least 32 columns of at least two rows per row
   * lane, {@link Kernel#STRIDED} otherwise.
   */
  static List<Pass> kernelPasses(Reduce op, int outer, int n, int inner) {
    List<Pass> passes = new ArrayList<>();
    int m = n;
    do {
      Kernel kernel = inner == 1 && m >= GpuMathKernels.WARP_ROW_MIN ? Kernel.WARP_ROWS
          : op == Reduce.SUM && inner >= GpuMathKernels.COLUMN_TILE && m >= 2 * GpuMathKernels.COLUMN_LANES ? Kernel.COLUMN_TILES
          : Kernel.STRIDED;
      Pass pass = new Pass(m, chunk(outer, m, inner, kernel), kernel);
      passes.add(pass);
      m = pass.segments();
    } while (m > 1);
    return passes;
  }

  /**
   * Rows per segment when {@code n} rows of {@code inner} columns are summed by column tiles in
   * one pass of partial sums (as {@link #kernelPasses} plans its first pass): for kernels that
   * sum columns their own way, such as batch norm's.
   */
  static int columnTileChunk(int n, int inner) {
    return chunk(1, n, inner, Kernel.COLUMN_TILES);
  }

  /** The segment length for one pass over {@code [outer, n, inner]}: {@code n} itself when one pass suffices. */
  private static int chunk(int outer, int n, int inner, Kernel kernel) {
    long threadsPerSegment;
    long minChunk;
    if (kernel == Kernel.WARP_ROWS) {
      threadsPerSegment = 32L * outer;
      minChunk = MIN_CHUNK_WARP;
    } else if (kernel == Kernel.COLUMN_TILES) {
      long tiles = ceilDiv(inner, GpuMathKernels.COLUMN_TILE);
      threadsPerSegment = (long) outer * tiles * GpuMathKernels.COLUMN_TILE * GpuMathKernels.COLUMN_LANES;
      minChunk = MIN_CHUNK_COLUMNS;
    } else {
      threadsPerSegment = (long) outer * inner;
      minChunk = MIN_CHUNK_THREAD;
    }
    long bySize = ceilDiv(n, minChunk);
    long byThreads = TARGET_THREADS / threadsPerSegment;
    long segments = Math.max(1, Math.min(bySize, byThreads));
    return (int) ceilDiv(n, segments);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
