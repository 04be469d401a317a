package dev.joule.engine.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Gradient check by central finite differences in float64: the analytic gradient of
 * {@code L = Σ f(inputs)·R} (R a fixed random tensor, so every output element matters with a
 * different weight) must match {@code (L(x+h) − L(x−h)) / 2h} for every element of every input.
 */
public final class GradCheck {
  private static final double STEP = 1e-6;

  private GradCheck() {}

  /** Checks the gradient of {@code f} with respect to every FLOAT64 input that requires one. */
  public static void check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
    check(f, 1e-6, inputs);
  }

  public static void check(Function<List<Tensor>, Tensor> f, double tolerance, Tensor... inputs) {
    List<Tensor> in = List.of(inputs);
    Tensor probe = GradMode.withoutGrad(() -> f.apply(in));
    Tensor weights = Tensor.randn(new Random(7), DType.FLOAT64, 1, probe.shape().dims());
    for (Tensor t : inputs) {
      t.zeroGrad();
    }
    Ops.sum(Ops.mul(f.apply(in), weights)).backward();
    for (Tensor t : inputs) {
      if (!t.requiresGrad()) {
        continue;
      }
      assertTrue(t.dtype() == DType.FLOAT64, "gradient checks need FLOAT64 inputs");
      assertNotNull(t.grad(), "no gradient reached an input of shape " + t.shape());
      double[] analytic = t.grad().values();
      double[] x = t.buffer();
      for (int i = 0; i < t.size(); i++) {
        int at = t.offset() + i;
        double saved = x[at];
        x[at] = saved + STEP;
        double up = loss(f, in, weights);
        x[at] = saved - STEP;
        double down = loss(f, in, weights);
        x[at] = saved;
        double numeric = (up - down) / (2 * STEP);
        double err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric));
        assertTrue(
            err < tolerance,
            "input " + t.shape() + " element " + i + ": analytic " + analytic[i] + " vs numeric " + numeric);
      }
    }
  }

  private static double loss(Function<List<Tensor>, Tensor> f, List<Tensor> in, Tensor weights) {
    return GradMode.withoutGrad(() -> Ops.sum(Ops.mul(f.apply(in), weights)).item());
  }

  /** A FLOAT64 leaf with standard normal values that requires a gradient. */
  public static Tensor param(Random random, int... dims) {
    return Tensor.randn(random, DType.FLOAT64, 1, dims).requiresGrad(true);
  }
}
