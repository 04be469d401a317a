package dev.joule.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GradCheck;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AutogradTest {

  @Test
  void gradientsAccumulateAcrossBackwardPasses() {
    Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
    Ops.sum(Ops.square(x)).backward();
    assertArrayEquals(new double[] {2, 4}, x.grad().values(), 0);
    Ops.sum(Ops.square(x)).backward();
    assertArrayEquals(new double[] {4, 8}, x.grad().values(), 0);
    x.zeroGrad();
    assertNull(x.grad());
  }

  @Test
  void noGradRecordsNothing() {
    Tensor x = Tensor.ones(2).requiresGrad(true);
    GradMode.Scope scope = GradMode.noGrad();
    Tensor y = Ops.mul(x, x);
    assertFalse(GradMode.isEnabled());
    scope.close();
    assertTrue(GradMode.isEnabled());
    assertNull(y.gradFn());
    assertFalse(y.requiresGrad());
    assertThrows(IllegalStateException.class, () -> Ops.sum(y).backward());
  }

  @Test
  void withoutGradRestoresTheModeEvenOnFailure() {
    Tensor x = Tensor.ones(2).requiresGrad(true);
    assertNull(GradMode.withoutGrad(() -> Ops.mul(x, x)).gradFn());
    assertThrows(IllegalStateException.class, () -> GradMode.withoutGrad(() -> {
      throw new IllegalStateException("boom");
    }));
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void deepChainsDoNotOverflowTheStack() {
    Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad(true);
    Tensor y = x;
    for (int i = 0; i < 20_000; i++) {
      y = Ops.addScalar(y, 1e-3);
    }
    Ops.sum(y).backward();
    assertArrayEquals(new double[] {1}, x.grad().values(), 0);
  }

  @Test
  void seedShapeMustMatch() {
    Tensor x = Tensor.ones(2, 3).requiresGrad(true);
    Tensor y = Ops.scale(x, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 2)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"));
  }

  @Test
  void gradCheckCatchesAWrongBackwardRule() {
    // x·x with a backward rule that forgets the factor 2
    Tensor x = GradCheck.param(new Random(1), 3);
    assertThrows(
        AssertionFailedError.class,
        () -> GradCheck.check(
            in -> {
              Tensor a = in.get(0);
              Tensor y = Tensor.wrap(Ops.square(a.detach()).toDoubleArray(), a.shape(), DType.FLOAT64);
              return Autograd.record(y, "badSquare", g -> new Tensor[] {Ops.mul(g, a)}, a);
            },
            x));
  }

  @Test
  void onlyInputsThatNeedGradientsGetThem() {
    Tensor a = Tensor.ones(2).requiresGrad(true);
    Tensor b = Tensor.ones(2);
    Ops.sum(Ops.concat(List.of(a, b), 0)).backward();
    assertArrayEquals(new double[] {1, 1}, a.grad().values(), 0);
    assertNull(b.grad());
  }
  /**
   * A folding rule gets the gradient its input already gathered from the input's other use (here
   * x's own term of {@code x + 3·x}) and its result replaces that gradient; the total is the same
   * as without folding. A rule given one that returns no gradient for that input is an error.
   */
  @Test
  void foldingRulesAddTheGradientAlreadyGathered() {
    Tensor x = Tensor.of(new double[] {1, -2}, 2).requiresGrad(true);
    List<Tensor> seen = new java.util.ArrayList<>();
    Tensor tripled = Autograd.record(Ops.scale(x.detach(), 3), "tripled", FoldingBackward.into(0, (g, gathered) -> {
      seen.add(gathered);
      Tensor own = Ops.scale(g, 3);
      return new Tensor[] {gathered == null ? own : Ops.add(own, gathered)};
    }), x);
    Ops.sum(Ops.add(x, tripled)).backward(); // the sum's backward reaches x's term before the rule
    assertArrayEquals(new double[] {4, 4}, x.grad().values(), 0);
    assertEquals(1, seen.size());
    assertArrayEquals(new double[] {1, 1}, seen.get(0).values(), 0);

    Tensor dropping = Autograd.record(Ops.scale(x.detach(), 3), "dropping",
        FoldingBackward.into(0, (g, gathered) -> new Tensor[] {null}), x);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ops.sum(Ops.add(x, dropping)).backward());
    assertTrue(e.getMessage().contains("dropping"), e.getMessage());
  }
}
