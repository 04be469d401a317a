package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Add, sub, mul and div on the GPU against the CPU, with equal shapes and NumPy broadcasting in
 * both directions (the gradient of a broadcast operand is summed back on the GPU), and broadcastTo.
 */
class GpuArithmeticOpsTest {
  private static final double TOLERANCE = 2e-5;

  /** Operand shape pairs: equal, bias-like, attention-mask-like, scalar-like, both broadcast, rank 6. */
  private static final int[][][] SHAPES = {
    {{3, 4}, {3, 4}},
    {{2, 5, 7}, {7}},
    {{7}, {2, 5, 7}},
    {{2, 1, 1, 5}, {2, 3, 5, 5}},
    {{2, 3, 5, 5}, {2, 1, 5, 5}},
    {{2, 3, 5, 5}, {2, 1, 1, 5}},
    {{1}, {3, 4}},
    {{3, 4}, {1}},
    {{}, {3, 4}},
    {{3, 4}, {}},
    {{4, 1}, {1, 5}},
    {{2, 3, 1, 5}, {1, 1, 4, 1}},
    {{3, 1, 6}, {3, 4, 1}},
    {{2, 1, 3, 1, 2, 1}, {1, 2, 1, 2, 1, 3}},
    {{1, 2, 1, 3, 1, 2, 2}, {2, 1, 2, 1, 3, 2, 2}},
    {{6, 33, 17}, {6, 1, 17}},
    // Innermost dimensions that are multiples of 4: the kernel's four-wide path, with operands
    // running along the row, repeating one value per row, or both.
    {{5, 8}, {8}},
    {{5, 8}, {5, 1}},
    {{3, 5, 12}, {3, 1, 12}},
    {{3, 5, 12}, {3, 5, 1}},
    {{2, 1, 16}, {1, 6, 1}},
    {{4, 1}, {1, 4}},
    {{300, 70}, {300, 1}}
  };

  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("add", (BinaryOperator<Tensor>) Ops::add),
        Arguments.of("sub", (BinaryOperator<Tensor>) Ops::sub),
        Arguments.of("mul", (BinaryOperator<Tensor>) Ops::mul),
        Arguments.of("div", (BinaryOperator<Tensor>) Ops::div));
  }

  /** Random values; for a divisor, magnitudes in [0.5, 2) with random signs. */
  private static Tensor operand(Random r, boolean divisor, int... dims) {
    Tensor t = Tensor.randn(r, DType.FLOAT32, 1, dims);
    if (!divisor) {
      return t;
    }
    double[] v = t.toDoubleArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.copySign(0.5 + 1.5 * r.nextDouble(), v[i]);
    }
    return Tensor.wrap(v, t.shape(), DType.FLOAT32);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void matchesTheCpuWithBroadcasting(String name, BinaryOperator<Tensor> op) {
    Random r = new Random(name.hashCode());
    for (int[][] pair : SHAPES) {
      String what = name + " " + Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]);
      GpuParity.check(what, in -> op.apply(in.get(0), in.get(1)), TOLERANCE,
          operand(r, false, pair[0]), operand(r, name.equals("div"), pair[1]));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void worksOnViewsWithOffsets(String name, BinaryOperator<Tensor> op) {
    Random r = new Random(5);
    GpuOffsetViews.check(name + " equal shapes", in -> op.apply(in.get(0), in.get(1)), TOLERANCE,
        operand(r, false, 4, 6), operand(r, name.equals("div"), 4, 6));
    GpuOffsetViews.check(name + " broadcast", in -> op.apply(in.get(0), in.get(1)), TOLERANCE,
        operand(r, false, 3, 4, 6), operand(r, name.equals("div"), 3, 1, 6));
    GpuOffsetViews.check(name + " broadcast the other way", in -> op.apply(in.get(0), in.get(1)), TOLERANCE,
        operand(r, false, 6), operand(r, name.equals("div"), 3, 4, 6));
    // Views start off 16-byte boundaries: the four-wide kernels must fall back to one at a time.
    GpuOffsetViews.check(name + " rows of 8", in -> op.apply(in.get(0), in.get(1)), TOLERANCE,
        operand(r, false, 5, 8), operand(r, name.equals("div"), 8));
    GpuOffsetViews.check(name + " equal shapes of 4k+3", in -> op.apply(in.get(0), in.get(1)), TOLERANCE,
        operand(r, false, 7, 9), operand(r, name.equals("div"), 7, 9));
  }

  @Test
  void broadcastToMatchesTheCpu() {
    Random r = new Random(6);
    int[][][] cases = {
      {{5}, {3, 4, 5}},
      {{3, 1, 5}, {2, 3, 4, 5}},
      {{1}, {7}},
      {{}, {2, 3}},
      {{4, 1}, {4, 9}},
      {{2, 3}, {2, 3}},
      {{8}, {3, 8}},
      {{4, 1}, {4, 8}},
      {{2, 1, 12}, {2, 5, 12}}
    };
    for (int[][] c : cases) {
      GpuParity.check("broadcastTo " + Arrays.toString(c[0]) + " -> " + Arrays.toString(c[1]),
          in -> Ops.broadcastTo(in.get(0), c[1]), TOLERANCE, operand(r, false, c[0]));
    }
    GpuOffsetViews.check("broadcastTo on a view", in -> Ops.broadcastTo(in.get(0), 3, 4, 5), TOLERANCE,
        operand(r, false, 4, 1));
  }

  /** {@code y ← a·x + b·y} in place on a view of a GPU tensor (its neighbours untouched), x from the host. */
  @Test
  void axpbyUpdatesAGpuViewInPlace() {
    GpuTensors gpu = GpuParity.requireGpu();
    Random r = new Random(10);
    Tensor whole = Tensor.randn(r, DType.FLOAT32, 1, 3, 1001);
    Tensor x = Tensor.randn(r, DType.FLOAT32, 1, 1, 1001);
    Tensor onGpu = whole.toGpu(gpu);
    Ops.axpby(0.3, x, 0.7, onGpu.rowsView(1, 1));
    Ops.axpby(0.3, x, 0.7, whole.rowsView(1, 1));
    GpuParity.assertClose("axpby", whole.toDoubleArray(), onGpu.toDoubleArray(), TOLERANCE);
  }

  /** A bias on the CPU meets GPU activations: the sum is on the GPU, the bias's gradient back on the CPU. */
  @Test
  void aCpuOperandJoinsAGpuOne() {
    GpuTensors gpu = GpuParity.requireGpu();
    Random r = new Random(8);
    Tensor x = Tensor.randn(r, DType.FLOAT32, 1, 2, 3, 4);
    Tensor bias = Tensor.randn(r, DType.FLOAT32, 1, 4).requiresGrad(true);
    Tensor y = Ops.add(x.toGpu(gpu), bias);
    assertTrue(y.isGpu());
    Tensor want = Ops.add(x, bias.detach());
    GpuParity.assertClose("x + bias", want.toDoubleArray(), y.toDoubleArray(), TOLERANCE);
    Ops.sum(y).backward();
    assertFalse(bias.grad().isGpu());
    assertArrayEquals(new double[] {6, 6, 6, 6}, bias.grad().toDoubleArray());
  }

  /** More output elements than one launch covers, with a broadcast operand whose gradient sums 262,147 rows. */
  @Test
  void largeBroadcastUsesTheGridStrideLoop() {
    Random r = new Random(9);
    GpuParity.check("large bias add", in -> Ops.mul(in.get(0), in.get(1)), 1e-4,
        operand(r, false, 262_147, 64), operand(r, false, 64));
  }
}
