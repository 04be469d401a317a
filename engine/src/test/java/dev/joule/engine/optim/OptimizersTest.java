package dev.joule.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.nn.Linear;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OptimizersTest {

  private static Tensor withGrad(double[] w, double[] g) {
    Tensor p = Tensor.of(w, w.length).requiresGrad(true);
    p.setGrad(Tensor.of(g, g.length));
    return p;
  }

  @Test
  void sgdMomentumTwoStepsByHand() {
    Tensor p = withGrad(new double[] {1}, new double[] {2});
    Sgd sgd = new Sgd(List.of(p), 0.1, 0.9);
    sgd.step(); // v = 2, w = 1 − 0.2
    assertEquals(0.8, p.item(), 1e-15);
    sgd.step(); // v = 0.9·2 + 2 = 3.8, w = 0.8 − 0.38
    assertEquals(0.42, p.item(), 1e-15);
    Tensor q = withGrad(new double[] {1}, new double[] {2});
    new Sgd(List.of(q), 0.1, 0.9, 0.5, true).step(); // g = 2.5, v = 2.5, d = 2.5 + 2.25
    assertEquals(1 - 0.475, q.item(), 1e-15);
  }

  @Test
  void adamFirstStepMovesByTheLearningRate() {
    Tensor p = withGrad(new double[] {1, -1}, new double[] {3, -0.001});
    Adam.adam(List.of(p), 0.01).step();
    // after bias correction the first step is lr·g/(|g| + eps)
    assertArrayEquals(new double[] {0.99, -0.99}, p.values(), 1e-7);
  }

  @Test
  void adamWDecaysWeightsSeparatelyFromTheGradient() {
    Tensor p = withGrad(new double[] {2}, new double[] {0});
    Adam.adamW(List.of(p), 0.1, 0.5).step();
    assertEquals(2 - 0.1 * 0.5 * 2, p.item(), 1e-12); // zero gradient: only the decay acts
    Tensor q = withGrad(new double[] {2}, new double[] {0});
    new Adam(List.of(q), 0.1, 0.9, 0.999, 1e-8, 0.5, false).step();
    assertEquals(2 - 0.1, q.item(), 1e-6); // L2: the decay enters Adam's normalised step
  }

  @Test
  void float32ParametersStayFloat32() {
    Tensor p = Tensor.of(new float[] {1}, 1).requiresGrad(true);
    p.setGrad(Tensor.of(new float[] {1f / 3}, 1));
    new Sgd(List.of(p), 0.1, 0).step();
    assertEquals((float) p.item(), p.item(), 0);
  }

  @Test
  void optimisersFitALinearRegression() {
    Random r = new Random(2);
    Tensor x = Tensor.randn(r, DType.FLOAT64, 1, 64, 3);
    Tensor trueW = Tensor.of(new double[] {1, -2, 0.5}, 3, 1);
    Tensor y = Ops.addScalar(Ops.matmul(x, trueW), 0.3);
    for (int which = 0; which < 3; which++) {
      Linear model = new Linear(3, 1, true, new Random(3), DType.FLOAT64);
      Optimizer opt = which == 0
          ? new Sgd(model.parameters().values(), 0.1, 0.9)
          : which == 1 ? Adam.adam(model.parameters().values(), 0.05) : Adam.adamW(model.parameters().values(), 0.05, 1e-4);
      double loss = 0;
      for (int step = 0; step < 300; step++) {
        opt.zeroGrad();
        Tensor l = Ops.mean(Ops.square(Ops.sub(model.forward(x), y)));
        l.backward();
        opt.step();
        loss = l.item();
      }
      assertTrue(loss < 1e-4, "optimiser " + which + " ended at loss " + loss);
      assertEquals(-2, model.weight().get(1, 0), 0.02);
    }
  }

  @Test
  void clippingScalesToTheGlobalNorm() {
    Tensor a = withGrad(new double[] {0, 0}, new double[] {3, 0});
    Tensor b = withGrad(new double[] {0}, new double[] {4});
    assertEquals(5, GradientClipping.clipByGlobalNorm(List.of(a, b), 1), 1e-15);
    assertArrayEquals(new double[] {0.6, 0}, a.grad().values(), 1e-15);
    assertArrayEquals(new double[] {0.8}, b.grad().values(), 1e-15);
    // below the limit nothing changes
    assertEquals(1, GradientClipping.clipByGlobalNorm(List.of(a, b), 2), 1e-15);
    assertArrayEquals(new double[] {0.8}, b.grad().values(), 1e-15);
  }

  @Test
  void schedulesByHand() {
    LrSchedule s = LrSchedule.warmupExponentialDecay(1e-3, 10, 0.5, 100, 1e-5);
    assertEquals(1e-4, s.at(1), 1e-18);
    assertEquals(1e-3, s.at(10), 1e-18);
    assertEquals(5e-4, s.at(110), 1e-15);
    assertEquals(1e-5, s.at(100_000), 0);
    LrSchedule noam = LrSchedule.noam(2, 256, 4000);
    assertEquals(2 / 16.0 / Math.sqrt(4000), noam.at(4000), 1e-15);
    assertTrue(noam.at(3999) < noam.at(4000) && noam.at(4001) < noam.at(4000));
    assertEquals(2 / 16.0 / Math.sqrt(16000), noam.at(16000), 1e-15);
  }

  @Test
  void reduceOnPlateauWaitsForPatience() {
    Tensor p = withGrad(new double[] {0}, new double[] {0});
    Sgd sgd = new Sgd(List.of(p), 1, 0);
    ReduceOnPlateau plateau = new ReduceOnPlateau(sgd, 0.5, 1, 0.01, 0.2);
    assertEquals(1, plateau.observe(10), 0);
    assertEquals(1, plateau.observe(9.95), 0); // not 1 % better: first bad evaluation
    assertEquals(0.5, plateau.observe(10), 0); // second: reduce
    assertEquals(0.5, plateau.observe(5), 0);
    plateau.observe(6);
    assertEquals(0.25, plateau.observe(6), 0);
    plateau.observe(6);
    assertEquals(0.2, plateau.observe(6), 0); // floor
  }

  @Test
  void rejectsBadSettings() {
    Tensor p = withGrad(new double[] {0}, new double[] {0});
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1, 1, 0.9, 1e-8, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(Ops.scale(p, 2)), 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(List.of(p), 0));
  }
}
