package dev.joule.engine.ops;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.tensor.Tensor;

/**
 * The plan and scratch of one or two float64 column sums over {@code [rows, cols]} in column tiles
 * ({@code native/cuda/column_tiles.cuh}): the segment length, the number of segments, and a buffer
 * of segments × cols partial sums per sum. A kernel built on {@code joule_column_pair_partials}
 * fills the partial sums, launched with {@link #partialShape()} and given {@link #chunk}, {@link #a}
 * and {@link #b} (null for a single sum, both null for none); {@link #finish} adds them up into
 * float results.
 * Layer norm's and batch norm's parameter gradients use it, and so do the backward kernels that
 * sum a bias's gradient while they write the gradient it is summed from.
 *
 * <p>Closing gives the buffers back to the cache once the kernels are queued, safe because every
 * user of the tensors' memory queues on the one tensor stream (see {@link GpuTensors}).
 */
final class ColumnPairSums implements AutoCloseable {
  final int chunk;
  final int segments;
  final int cols;
  final DeviceBuffer a;
  final DeviceBuffer b;

  /**
   * The plan, and scratch for {@code sums} sums (2, 1, or 0 for a kernel whose sums nobody wants
   * this time: {@link #a} and {@link #b} are then null); {@code rows} must be positive.
   */
  ColumnPairSums(GpuTensors gpu, long rows, int cols, int sums) {
    // A tensor holds fewer than 2^31 elements (Shape.size() is an int), so rows fits an int.
    this.chunk = GpuReductions.columnTileChunk(Math.toIntExact(rows), cols);
    this.segments = (int) ((rows + chunk - 1) / chunk);
    this.cols = cols;
    long bytes = (long) segments * cols * Double.BYTES;
    this.a = sums > 0 ? gpu.device().allocate(bytes) : null;
    this.b = sums > 1 ? gpu.device().allocate(bytes) : null;
  }

  ColumnPairSums(GpuTensors gpu, long rows, int cols) {
    this(gpu, rows, cols, 2);
  }

  LaunchShape partialShape() {
    return GpuMathKernels.columnTiles(segments, cols);
  }

  LaunchShape finishShape() {
    return GpuMathKernels.columnTiles(1, cols);
  }

  /**
   * Queues {@code joule_column_pair_finish}: the first sum into {@code outA}'s first {@code cols}
   * elements, the second (if any) into {@code outB}'s, each starting {@code atA} and {@code atB}
   * elements into its tensor.
   */
  void finish(GpuTensors gpu, Tensor outA, long atA, Tensor outB, long atB) {
    KernelArgs args = KernelArgs.of().i32(cols).i32(segments).buffer(a).bufferOrNull(b)
        .bufferAt(GpuOperands.buffer(outA), GpuOperands.at(outA) + 4 * atA);
    if (b == null) {
      args.bufferOrNull(null);
    } else {
      args.bufferAt(GpuOperands.buffer(outB), GpuOperands.at(outB) + 4 * atB);
    }
    gpu.kernel("ops", "joule_column_pair_finish").launch(finishShape(), gpu.stream(), args);
  }

  /** {@link #finish} of one sum into {@code out}. */
  void finish(GpuTensors gpu, Tensor out) {
    finish(gpu, out, 0, null, 0);
  }

  @Override
  public void close() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }
}
