package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DnceLossTest {
  private static List<int[]> data(int n) {
    List<int[]> out = new ArrayList<>();
    for (int[] s : TinyModels.sentences()) {
      if (s.length <= 3 && out.size() < n) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void lossMatchesTheFloat64ReferenceAndItsGradientMatchesFiniteDifferences() {
    check(TinyModels.model(3, true, 21), 0.5);
    check(TinyModels.basedModel(3, 21), 0.25);
    check(TinyModels.model(3, false, 4), 1.0);
  }

  private static void check(TrfModel m, double alpha) {
    LstmNoiseLm q = LstmNoiseLmTest.noise(3, 6);
    q.setSampler(new SplittableRandom(8));
    List<int[]> interpolated = new ArrayList<>(data(4));
    // Noise sentences that join the data in the proportion 1−α : α.
    interpolated.addAll(q.sample((int) Math.round(4 * (1 - alpha) / alpha)));
    List<int[]> noise = q.sample(2 * interpolated.size());
    double[] iq = q.logProbs(interpolated);
    double[] nq = q.logProbs(noise);
    double loss = DnceLoss.loss(m, alpha, interpolated, iq, noise, nq).item();
    double ref = DnceLoss.reference(alpha, m.logProbs(interpolated), iq, m.logProbs(noise), nq);
    assertEquals(ref, loss, 1e-12);
    assertTrue(loss > 0);
    Tensor[] params = m.parameters().values().toArray(new Tensor[0]);
    GradCheck.check(in -> DnceLoss.loss(m, alpha, interpolated, iq, noise, nq), 1e-6, params);
  }

  @Test
  void atAlphaOneItIsNceWithTheSameNoise() {
    TrfModel m = TinyModels.model(3, true, 5);
    LstmNoiseLm q = LstmNoiseLmTest.noise(3, 2);
    List<int[]> d = data(5);
    List<int[]> noise = q.sample(15);
    double[] dq = q.logProbs(d);
    double[] nq = q.logProbs(noise);
    assertEquals(NceLoss.loss(m, d, dq, noise, nq).item(), DnceLoss.loss(m, 1.0, d, dq, noise, nq).item(), 1e-12);
  }

  @Test
  void theInterpolationLowersTheLossOfAModelThatMatchesNeitherSide() {
    // With α < 1 the interpolated side is partly noise, which α·p + (1−α)·q always explains in part:
    // the classifier cannot be driven to certainty, unlike plain NCE (a property of the formula).
    double[] logP = {-30, -30};
    double[] logQ = {-2, -2};
    double nce = DnceLoss.reference(1.0, logP, logQ, logP, logQ);
    double dnce = DnceLoss.reference(0.5, logP, logQ, logP, logQ);
    assertTrue(nce > 20, "NCE " + nce);
    assertTrue(dnce < 2, "DNCE " + dnce);
  }

  @Test
  void noiseMaximumLikelihoodGradientMatchesFiniteDifferences() {
    LstmNoiseLm q = LstmNoiseLmTest.noise(3, 12);
    List<int[]> d = data(6);
    Tensor[] params = q.parameters().values().toArray(new Tensor[0]);
    GradCheck.check(in -> q.negativeLogLikelihood(d), 1e-6, params);
  }

  @Test
  void alphaOutsideZeroToOneIsRejected() {
    for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new DynamicNce.Options(bad, 4, 4, 0.01, 0));
      assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new DynamicNce.Options(0.5, 0, 4, 0.01, 0));
    assertThrows(IllegalArgumentException.class, () -> new DynamicNce.Options(0.5, 4, 4, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new DynamicNce.Options(0.5, 4, 4, 0.01, -1));
  }

  @Test
  void sampleCountsRealiseAlpha() {
    DynamicNce d = new DynamicNce(LstmNoiseLmTest.noise(3, 1), new DynamicNce.Options(0.25, 3, 4, 0.01, 0));
    assertEquals(48, d.noiseShare(16));
    assertEquals(0.25, d.effectiveAlpha(16), 1e-15);
    DynamicNce third = new DynamicNce(LstmNoiseLmTest.noise(3, 1), new DynamicNce.Options(0.3, 3, 4, 0.01, 0));
    // 16·0.7/0.3 = 37.33 → 37 noise sentences: α realised 16/53.
    assertEquals(37, third.noiseShare(16));
    assertEquals(16.0 / 53, third.effectiveAlpha(16), 1e-15);
  }
}
