package dev.joule.engine.ops;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every element-wise op on the GPU against the CPU: values and gradients, edge values, views, a large size. */
class GpuElementwiseOpsTest {
  private static final double TOLERANCE = 2e-5;

  /** Name, op, and whether the op needs positive inputs. */
  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("neg", (UnaryOperator<Tensor>) Ops::neg, false),
        Arguments.of("scale", (UnaryOperator<Tensor>) x -> Ops.scale(x, -2.5), false),
        Arguments.of("scale by a third", (UnaryOperator<Tensor>) x -> Ops.scale(x, 1.0 / 3), false),
        Arguments.of("addScalar", (UnaryOperator<Tensor>) x -> Ops.addScalar(x, 0.75), false),
        Arguments.of("exp", (UnaryOperator<Tensor>) Ops::exp, false),
        Arguments.of("log", (UnaryOperator<Tensor>) Ops::log, true),
        Arguments.of("sqrt", (UnaryOperator<Tensor>) Ops::sqrt, true),
        Arguments.of("pow 3", (UnaryOperator<Tensor>) x -> Ops.pow(x, 3), false),
        Arguments.of("pow 2", (UnaryOperator<Tensor>) x -> Ops.pow(x, 2), false),
        Arguments.of("pow 0.5", (UnaryOperator<Tensor>) x -> Ops.pow(x, 0.5), true),
        Arguments.of("pow -1.5", (UnaryOperator<Tensor>) x -> Ops.pow(x, -1.5), true),
        Arguments.of("square", (UnaryOperator<Tensor>) Ops::square, false),
        Arguments.of("relu", (UnaryOperator<Tensor>) Ops::relu, false),
        Arguments.of("sigmoid", (UnaryOperator<Tensor>) Ops::sigmoid, false),
        Arguments.of("tanh", (UnaryOperator<Tensor>) Ops::tanh, false),
        Arguments.of("silu", (UnaryOperator<Tensor>) Ops::silu, false));
  }

  private static Tensor input(Random r, boolean positive, int... dims) {
    return positive ? Tensor.uniform(r, DType.FLOAT32, 0.1, 3, dims) : Tensor.randn(r, DType.FLOAT32, 1.5, dims);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void matchesTheCpuOnSeveralShapes(String name, UnaryOperator<Tensor> op, boolean positive) {
    Random r = new Random(name.hashCode());
    for (int[] dims : new int[][] {{}, {1}, {7}, {3, 5, 17}, {2, 3, 4, 5, 6}, {1000, 33}}) {
      GpuParity.check(name + " " + java.util.Arrays.toString(dims), in -> op.apply(in.get(0)), TOLERANCE,
          input(r, positive, dims));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void worksOnAViewWithAnOffset(String name, UnaryOperator<Tensor> op, boolean positive) {
    GpuOffsetViews.check(name + " on a view", in -> op.apply(in.get(0)), TOLERANCE,
        input(new Random(7), positive, 4, 3, 5));
  }

  /** The CPU's answers at the edges of the domains: log 0 = −inf, log of a negative and pow of one to a fraction are NaN. */
  @Test
  void edgeValuesMatchTheCpu() {
    Tensor edges = Tensor.of(new float[] {0f, -0f, -1f, -2f, 1e-30f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 8);
    GpuParity.check("log edges", in -> Ops.log(in.get(0)), TOLERANCE, edges);
    GpuParity.check("sqrt edges", in -> Ops.sqrt(in.get(0)), TOLERANCE, edges);
    GpuParity.check("pow 0.5 edges", in -> Ops.pow(in.get(0), 0.5), TOLERANCE, edges);
    GpuParity.check("pow 3 edges", in -> Ops.pow(in.get(0), 3), TOLERANCE, edges);
    GpuParity.check("pow -1 edges", in -> Ops.pow(in.get(0), -1), TOLERANCE, edges);
    GpuParity.check("pow 0 edges", in -> Ops.pow(in.get(0), 0), TOLERANCE, edges);
    GpuParity.check("exp edges", in -> Ops.exp(in.get(0)), TOLERANCE, edges);
    GpuParity.check("square edges", in -> Ops.square(in.get(0)), TOLERANCE, edges);
    GpuParity.check("scale edges", in -> Ops.scale(in.get(0), 0.5), TOLERANCE, edges);
    GpuParity.check("relu edges", in -> Ops.relu(in.get(0)), TOLERANCE, edges);
    Tensor big = Tensor.of(new float[] {-100f, -30f, 0f, 30f, 100f}, 5);
    GpuParity.check("sigmoid saturates", in -> Ops.sigmoid(in.get(0)), TOLERANCE, big);
    GpuParity.check("silu saturates", in -> Ops.silu(in.get(0)), TOLERANCE, big);
    GpuParity.check("tanh saturates", in -> Ops.tanh(in.get(0)), TOLERANCE, big);
  }

  /** More elements than one launch of 65,535 blocks × 256 threads covers: the grid-stride loops. */
  @Test
  void largeTensorsUseTheGridStrideLoop() {
    Tensor x = Tensor.randn(new Random(3), DType.FLOAT32, 1, 65_535 * 256 + 1_001);
    GpuParity.check("large chain", in -> Ops.sqrt(Ops.addScalar(Ops.square(Ops.scale(Ops.tanh(in.get(0)), 2)), 1)),
        TOLERANCE, x);
  }

  /** Chains of ops, and an input used twice (its gradients add up on the GPU). */
  @Test
  void chainsMixWithOtherOps() {
    Tensor x = Tensor.randn(new Random(4), DType.FLOAT32, 1, 6, 10);
    GpuParity.check("mean of pow of exp", in -> Ops.mean(Ops.pow(Ops.exp(Ops.neg(in.get(0))), 1.5)), TOLERANCE, x);
    GpuParity.check("log of sigmoid", in -> Ops.log(Ops.sigmoid(in.get(0))), TOLERANCE, x);
    GpuParity.check("x used twice", in -> Ops.mul(Ops.silu(in.get(0)), in.get(0)), TOLERANCE, x);
  }
}
