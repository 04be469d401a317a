package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LstmNoiseLmTest {
  static LstmNoiseLm noise(int maxLength, long seed) {
    return new LstmNoiseLm(TinyModels.VOCAB, maxLength, 3, 4, new Random(seed), new SplittableRandom(seed), DType.FLOAT64);
  }

  /** Every sentence of 1..L words of the tiny vocabulary. */
  static List<int[]> allSentences(int maxLength) {
    List<int[]> all = new ArrayList<>();
    for (int l = 1; l <= maxLength; l++) {
      all.addAll(ExactNormaliser.sentences(TinyModels.VOCAB, l));
    }
    return all;
  }

  private static double total(LstmNoiseLm q, int maxLength) {
    double sum = 0;
    for (double lp : q.logProbs(allSentences(maxLength))) {
      sum += Math.exp(lp);
    }
    return sum;
  }

  /** Some maximum-likelihood steps on the tiny text, so q is far from its near-uniform start. */
  private static void fit(LstmNoiseLm q, int maxLength, int steps) {
    List<int[]> data = new ArrayList<>();
    for (int[] s : TinyModels.sentences()) {
      if (s.length <= maxLength) {
        data.add(s);
      }
    }
    DynamicNce d = new DynamicNce(q, new DynamicNce.Options(0.5, 3, 4, 0.05, 0));
    for (int i = 0; i < steps; i++) {
      d.updateNoise(data, 10);
    }
  }

  @Test
  void probabilitiesOfEverySentenceUpToTheCapSumToOne() {
    for (int maxLength = 1; maxLength <= 3; maxLength++) {
      LstmNoiseLm q = noise(maxLength, 3);
      assertEquals(1.0, total(q, maxLength), 1e-12, "untrained, L = " + maxLength);
      fit(q, maxLength, 40);
      assertEquals(1.0, total(q, maxLength), 1e-12, "trained, L = " + maxLength);
    }
  }

  @Test
  void batchedAndSingleScoresAgree() {
    LstmNoiseLm q = noise(3, 5);
    List<int[]> all = allSentences(3);
    double[] batched = q.logProbs(all);
    for (int i = 0; i < all.size(); i += 7) {
      assertEquals(batched[i], q.logProb(all.get(i)), 1e-12);
    }
  }

  @Test
  void samplesFollowTheModelsProbabilities() {
    int maxLength = 3;
    LstmNoiseLm q = noise(maxLength, 11);
    fit(q, maxLength, 40);
    List<int[]> all = allSentences(maxLength);
    double[] p = q.logProbs(all);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      index.put(Arrays.toString(all.get(i)), i);
    }
    int draws = 30_000;
    long[] counts = new long[all.size()];
    q.setSampler(new SplittableRandom(42));
    for (int[] s : q.sample(draws)) {
      Integer i = index.get(Arrays.toString(s));
      assertTrue(i != null, "sample outside lengths 1..3 or the vocabulary: " + Arrays.toString(s));
      counts[i]++;
    }
    // Pearson's chi-square over cells with an expected count of at least 5, the rest pooled.
    double chi2 = 0;
    int cells = 0;
    double pooledExpected = 0;
    long pooledCount = 0;
    for (int i = 0; i < all.size(); i++) {
      double expected = draws * Math.exp(p[i]);
      if (expected < 5) {
        pooledExpected += expected;
        pooledCount += counts[i];
        continue;
      }
      chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
      cells++;
    }
    if (pooledExpected >= 5) {
      chi2 += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
      cells++;
    }
    int dof = cells - 1;
    assertTrue(dof > 20, "too few cells: " + cells);
    // Mean dof, standard deviation sqrt(2·dof): five standard deviations above the mean.
    assertTrue(chi2 < dof + 5 * Math.sqrt(2.0 * dof), "chi-square " + chi2 + " with " + dof + " degrees of freedom");
    // And not a sampler that ignores q: the trained q is far from uniform over the 84 sentences.
    double uniformChi2 = 0;
    for (int i = 0; i < all.size(); i++) {
      double expected = (double) draws / all.size();
      uniformChi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    assertTrue(uniformChi2 > 10 * all.size(), "samples look uniform: " + uniformChi2);
  }

  @Test
  void theSameSeedGivesTheSameSamples() {
    LstmNoiseLm q = noise(3, 2);
    q.setSampler(new SplittableRandom(9));
    List<int[]> a = q.sample(50);
    q.setSampler(new SplittableRandom(9));
    List<int[]> b = q.sample(50);
    for (int i = 0; i < 50; i++) {
      assertTrue(Arrays.equals(a.get(i), b.get(i)));
    }
  }

  @Test
  void sentencesOutsideItsLengthsOrWithFramingIdsAreRejected() {
    LstmNoiseLm q = noise(2, 1);
    assertThrows(IllegalArgumentException.class, () -> q.logProb(new int[] {3, 3, 3}));
    assertThrows(IllegalArgumentException.class, () -> q.logProb(new int[0]));
    assertThrows(IllegalArgumentException.class, () -> q.logProb(new int[] {1}));
  }
}
