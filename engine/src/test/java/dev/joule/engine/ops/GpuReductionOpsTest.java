package dev.joule.engine.ops;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sum, mean and max on the GPU against the CPU: every dimension with and without keepDim, shapes
 * in each regime of the kernels (many short slices; few long ones, which take several passes;
 * rows, columns and middle dimensions), max's tie rule (the first maximum; the first NaN) across
 * those passes, and views with an offset.
 */
class GpuReductionOpsTest {
  private static final double TOLERANCE = 2e-5;

  private static final int[][] SHAPES = {{1}, {7}, {4, 5, 6}, {3, 1, 8}, {2, 3, 4, 5}, {1000, 33}, {33, 1000}};

  private static Tensor randn(long seed, int... dims) {
    return Tensor.randn(new Random(seed), DType.FLOAT32, 1, dims);
  }

  /** Small integers, so that many elements tie for the maximum. */
  private static Tensor ties(long seed, int levels, int... dims) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(DType.FLOAT32, dims);
    double[] v = new double[t.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(levels);
    }
    return Tensor.wrap(v, t.shape(), DType.FLOAT32);
  }

  @Test
  void sumAndMeanOfEverything() {
    for (int[] dims : SHAPES) {
      Tensor x = randn(dims.length, dims);
      GpuParity.check("sum " + Arrays.toString(dims), in -> Ops.sum(in.get(0)), TOLERANCE, x);
      GpuParity.check("mean " + Arrays.toString(dims), in -> Ops.mean(in.get(0)), TOLERANCE, x);
    }
    GpuParity.check("sum of a scalar", in -> Ops.sum(in.get(0)), TOLERANCE, Tensor.scalar(2.5, DType.FLOAT32));
  }

  @Test
  void sumMeanAndMaxAlongEveryDimension() {
    for (int[] dims : SHAPES) {
      for (int d = -1; d < dims.length; d++) {
        for (boolean keep : new boolean[] {false, true}) {
          int dim = d;
          String what = Arrays.toString(dims) + " dim " + d + (keep ? " kept" : "");
          Tensor x = randn(31L * dims.length + d, dims);
          GpuParity.check("sum " + what, in -> Ops.sum(in.get(0), dim, keep), TOLERANCE, x);
          GpuParity.check("mean " + what, in -> Ops.mean(in.get(0), dim, keep), TOLERANCE, x);
          GpuParity.check("max " + what, in -> Ops.max(in.get(0), dim, keep), TOLERANCE, x);
          GpuParity.check("max with ties " + what, in -> Ops.max(in.get(0), dim, keep), TOLERANCE, ties(d + 5, 3, dims));
        }
      }
    }
  }

  /** Few outputs over long slices: several passes of partial results, for rows, columns and a middle dimension. */
  @Test
  void fewLongSlicesTakeSeveralPasses() {
    Tensor columns = randn(1, 16_000, 256);
    GpuParity.check("column sums", in -> Ops.sum(in.get(0), 0, false), 1e-4, columns);
    GpuParity.check("column max", in -> Ops.max(in.get(0), 0, false), TOLERANCE, ties(2, 50, 16_000, 256));
    Tensor rows = randn(3, 256, 16_000);
    GpuParity.check("row sums", in -> Ops.sum(in.get(0), 1, true), 1e-4, rows);
    GpuParity.check("row max", in -> Ops.max(in.get(0), 1, false), TOLERANCE, ties(4, 50, 256, 16_000));
    GpuParity.check("one long row max", in -> Ops.max(in.get(0), 0, false), TOLERANCE, ties(5, 1000, 3_000_001));
    Tensor middle = randn(6, 3, 100_000, 2);
    GpuParity.check("middle sums", in -> Ops.sum(in.get(0), 1, false), 1e-4, middle);
    GpuParity.check("middle mean", in -> Ops.mean(in.get(0), 1, true), 1e-4, middle);
    GpuParity.check("middle max", in -> Ops.max(in.get(0), 1, false), TOLERANCE, ties(7, 20, 3, 100_000, 2));
    // Column tiles with a partial last tile (40 = 32 + 8 columns) and several outer slices.
    GpuParity.check("middle sums over 40 columns", in -> Ops.sum(in.get(0), 1, false), 1e-4, randn(8, 3, 5000, 40));
    GpuParity.check("bias-gradient column sums", in -> Ops.sum(in.get(0), 0, false), 1e-4, randn(9, 16_000, 1024));
  }

  /** The sum of 16.8 M elements (and its gradient, a broadcast of one value to all of them). */
  @Test
  void sumOfALargeTensor() {
    Tensor x = Tensor.uniform(new Random(8), DType.FLOAT32, 0, 1, 65_535 * 256 + 77);
    GpuParity.check("large sum", in -> Ops.sum(in.get(0)), 1e-4, x);
    GpuParity.check("large mean", in -> Ops.mean(in.get(0)), 1e-4, x);
  }

  /** The CPU's rule: the first NaN wins, else the first maximum; −inf everywhere picks the first. */
  @Test
  void maxPicksLikeTheCpu() {
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    Tensor x = Tensor.of(new float[] {
        1, 3, 3, 2, //
        nan, 5, nan, 1, //
        -inf, -inf, -inf, -inf, //
        0, -0f, 0, -1, //
        2, inf, inf, nan}, 5, 4);
    GpuParity.check("max edge rows", in -> Ops.max(in.get(0), 1, false), TOLERANCE, x);
    GpuParity.check("max edge columns", in -> Ops.max(in.get(0), 0, true), TOLERANCE, x);
    float[] longRow = new float[5000];
    longRow[4321] = nan;
    longRow[77] = nan;
    longRow[4000] = 9;
    GpuParity.check("NaN in a long row", in -> Ops.max(in.get(0), 0, false), TOLERANCE, Tensor.of(longRow, 5000));
  }

  @Test
  void worksOnViewsWithOffsets() {
    Tensor x = randn(9, 4, 70, 5);
    GpuOffsetViews.check("sum all on a view", in -> Ops.sum(in.get(0)), TOLERANCE, x);
    GpuOffsetViews.check("mean all on a view", in -> Ops.mean(in.get(0)), TOLERANCE, x);
    for (int d = 0; d < 3; d++) {
      int dim = d;
      GpuOffsetViews.check("sum on a view, dim " + d, in -> Ops.sum(in.get(0), dim, false), TOLERANCE, x);
      GpuOffsetViews.check("max on a view, dim " + d, in -> Ops.max(in.get(0), dim, true), TOLERANCE, x);
    }
    GpuOffsetViews.check("row sums on a view", in -> Ops.sum(in.get(0), 1, false), TOLERANCE, randn(10, 3, 5000));
  }
}
