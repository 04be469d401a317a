package dev.joule.engine.ops;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax, log-softmax and log-sum-exp on the GPU against the CPU along every dimension (the last
 * one by a warp per row when rows are long, others strided), with attention-style −inf biases
 * (partly and fully masked rows), +inf and NaN, large logits, views and a large size.
 */
class GpuSoftmaxOpsTest {
  private static final double TOLERANCE = 2e-5;

  private static final int[][] SHAPES = {{1}, {7}, {4, 9}, {2, 3, 40}, {3, 17, 5}, {5, 1000}, {2, 3, 4, 33}};

  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("softmax", (BiFunction<Tensor, Integer, Tensor>) Ops::softmax),
        Arguments.of("logSoftmax", (BiFunction<Tensor, Integer, Tensor>) Ops::logSoftmax),
        Arguments.of("logSumExp", (BiFunction<Tensor, Integer, Tensor>) Ops::logSumExp));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void matchesTheCpuAlongEveryDimension(String name, BiFunction<Tensor, Integer, Tensor> op) {
    Random r = new Random(name.hashCode());
    for (int[] dims : SHAPES) {
      Tensor x = Tensor.randn(r, DType.FLOAT32, 3, dims);
      for (int d = -1; d < dims.length; d++) {
        int dim = d;
        GpuParity.check(name + " " + Arrays.toString(dims) + " dim " + d, in -> op.apply(in.get(0), dim), TOLERANCE, x);
      }
    }
  }

  /** Logits in the hundreds: the maximum is subtracted first, so nothing overflows. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void largeLogitsStayFinite(String name, BiFunction<Tensor, Integer, Tensor> op) {
    Tensor x = Tensor.randn(new Random(3), DType.FLOAT32, 200, 6, 50);
    GpuParity.check(name + " large logits, rows", in -> op.apply(in.get(0), 1), 1e-4, x);
    GpuParity.check(name + " large logits, columns", in -> op.apply(in.get(0), 0), 1e-4, x);
  }

  /**
   * Attention scores plus a causal −inf bias, one query row fully masked, one row holding +inf and
   * one NaN: along the keys (rows of 6 and of 40, thread and warp kernels) and along the queries.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void infiniteBiasesFollowTheCpu(String name, BiFunction<Tensor, Integer, Tensor> op) {
    for (int t : new int[] {6, 40}) {
      Tensor scores = Tensor.randn(new Random(t), DType.FLOAT32, 2, 2, 3, t, t);
      double[] v = scores.toDoubleArray();
      for (int b = 0; b < 2 * 3; b++) {
        for (int i = 0; i < t; i++) {
          for (int j = 0; j < t; j++) {
            int at = (b * t + i) * t + j;
            if (j > i || (b == 1 && i == 2)) {
              v[at] = Double.NEGATIVE_INFINITY;
            }
          }
        }
      }
      v[(4 * t + 3) * t + 1] = Double.POSITIVE_INFINITY;
      v[(5 * t + 4) * t] = Double.NaN;
      Tensor biased = Tensor.wrap(v, scores.shape(), DType.FLOAT32);
      GpuParity.check(name + " masked keys, T " + t, in -> op.apply(in.get(0), -1), TOLERANCE, biased);
      GpuParity.check(name + " masked queries, T " + t, in -> op.apply(in.get(0), 2), TOLERANCE, biased);
      GpuParity.check(name + " masked heads, T " + t, in -> op.apply(in.get(0), 1), TOLERANCE, biased);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void worksOnViewsWithOffsets(String name, BiFunction<Tensor, Integer, Tensor> op) {
    Tensor x = Tensor.randn(new Random(4), DType.FLOAT32, 2, 3, 5, 45);
    for (int d = 0; d < 3; d++) {
      int dim = d;
      GpuOffsetViews.check(name + " on a view, dim " + d, in -> op.apply(in.get(0), dim), TOLERANCE, x);
    }
  }

  /** More rows than one launch of warps covers (17 M elements): the warp kernels' grid-stride loops. */
  @Test
  void largeTensorsUseTheGridStrideLoop() {
    Tensor x = Tensor.randn(new Random(5), DType.FLOAT32, 2, 540_000, 32);
    GpuParity.check("large logSoftmax", in -> Ops.logSoftmax(in.get(0), -1), 1e-4, x);
    GpuParity.check("large softmax over columns", in -> Ops.softmax(in.get(0), 0), 1e-4, Tensor.randn(new Random(6),
        DType.FLOAT32, 1, 100, 170_000));
  }
}
