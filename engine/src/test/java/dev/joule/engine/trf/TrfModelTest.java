package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrfModelTest {
  @Test
  void lengthPriorIsSmoothedAndNormalised() {
    LengthPrior p = LengthPrior.fromCounts(new long[] {0, 3, 0, 1}, 3);
    assertEquals(Math.log(4.0 / 7), p.logProb(1), 1e-12);
    assertEquals(Math.log(1.0 / 7), p.logProb(2), 1e-12);
    assertEquals(Math.log(2.0 / 7), p.logProb(3), 1e-12);
    LengthPrior q = LengthPrior.ofLogProbs(p.logProbs());
    assertEquals(p.logProb(2), q.logProb(2), 0);
    assertThrows(IllegalArgumentException.class, () -> LengthPrior.ofLogProbs(new double[] {-1, -1}));
    assertThrows(IllegalArgumentException.class, () -> p.logProb(4));
  }

  @Test
  void withExactNormalisersTheModelSumsToOneOverAllSentences() {
    for (int variant = 0; variant < 3; variant++) {
      TrfModel m = variant == 2 ? TinyModels.basedModel(3, 11) : TinyModels.model(3, variant == 0, 11);
      for (int l = 1; l <= 3; l++) {
        m.setZeta(l, ExactNormaliser.logZ(m, l));
      }
      double total = 0;
      for (int l = 1; l <= 3; l++) {
        List<int[]> all = ExactNormaliser.sentences(m.vocabulary(), l);
        assertEquals(Math.pow(4, l), all.size());
        double lengthMass = 0;
        for (double lp : m.logProbs(all)) {
          lengthMass += Math.exp(lp);
        }
        // Each length gets exactly its prior mass, and all lengths together sum to one.
        assertEquals(Math.exp(m.prior().logProb(l)), lengthMass, 1e-12);
        total += lengthMass;
      }
      assertEquals(1.0, total, 1e-12);
    }
  }

  @Test
  void logProbIsPriorPlusPotentialMinusZeta() {
    TrfModel m = TinyModels.model(4, true, 3);
    m.setZeta(2, 1.25);
    int[] s = {3, 5};
    double phi = m.potentials(List.of(s))[0];
    assertEquals(m.prior().logProb(2) + phi - 1.25, m.logProbs(List.of(s))[0], 1e-12);
  }

  @Test
  void anNgramBaseAddsTheNgramLogProbabilityToThePotential() {
    TrfModel plain = TinyModels.model(3, true, 13);
    TrfModel based = TinyModels.basedModel(3, 13);
    int[] s = {3, 4, 2};
    double lnq = based.base().sentenceLogProb(s) * Math.log(10);
    assertEquals(plain.potentials(List.of(s))[0] + lnq, based.potentials(List.of(s))[0], 1e-12);
    assertEquals(0.0, based.zeta(2), 0);
  }

  @Test
  void paddingInABatchDoesNotChangeAnySentencesScore() {
    TrfModel m = TinyModels.model(4, true, 5);
    List<int[]> batch = new ArrayList<>(List.of(new int[] {3}, new int[] {4, 5, 2, 3}, new int[] {5, 5}));
    double[] together = m.logProbs(batch);
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(m.logProbs(List.of(batch.get(i)))[0], together[i], 1e-12);
    }
  }

  @Test
  void refusesSentencesItCannotScore() {
    TrfModel m = TinyModels.model(3, true, 1);
    assertThrows(IllegalArgumentException.class, () -> m.logProbs(List.of(new int[] {})));
    assertThrows(IllegalArgumentException.class, () -> m.logProbs(List.of(new int[] {3, 3, 3, 3})));
    assertThrows(IllegalArgumentException.class, () -> m.logProbs(List.of(new int[] {0, 3})));
    assertThrows(IllegalArgumentException.class, () -> m.logProbs(List.of(new int[] {9})));
  }
}
