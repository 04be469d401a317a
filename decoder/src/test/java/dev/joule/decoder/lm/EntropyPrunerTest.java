package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntropyPrunerTest {
  private static BackoffLm model(int order) {
    Random r = new Random(21);
    Vocabulary vocab = Corpora.vocabulary(15);
    List<int[]> sentences = Corpora.sentences(r, vocab, 500, 10);
    return new KneserNeyEstimator(Discounts.FALLBACK).estimate(Corpora.count(sentences, order, vocab));
  }

  /**
   * The perplexity increase of removing one top-order n-gram, by brute force: a new model
   * without it whose context's backoff weight normalises by summing over the vocabulary, then
   * the KL divergence summed over the vocabulary.
   */
  private static double bruteForceIncrease(BackoffLm lm, int i) {
    int n = lm.order();
    int c = lm.context(n, i);
    int[] h = lm.words(n - 1, c);
    BackoffLm.Builder b = new BackoffLm.Builder(n, lm.vocabulary());
    int[] above = {0};
    for (int k = 1; k <= n; k++) {
      int[] map = new int[lm.size(k)];
      for (int j = 0; j < lm.size(k); j++) {
        map[j] = k == n && j == i ? -1 : b.add(k, above[lm.context(k, j)], lm.word(k, j), lm.logProb(k, j), lm.backoff(k, j));
      }
      above = map;
    }
    int v = lm.vocabulary().size();
    double listedKept = 0;
    double unlistedLower = 0;
    for (int w = 0; w < v; w++) {
      int j = lm.find(n, c, w);
      if (j >= 0 && j != i) {
        listedKept += Math.pow(10, lm.logProb(n, j));
      } else {
        unlistedLower += Math.pow(10, lm.logProb(h, 1, h.length, w));
      }
    }
    b.setBackoff(n - 1, c, Math.log10((1 - listedKept) / unlistedLower));
    BackoffLm without = b.build();
    double kl = 0;
    for (int w = 0; w < v; w++) {
      double p = Math.pow(10, lm.logProb(h, w));
      if (p > 0) {
        kl += p * Math.log(p / Math.pow(10, without.logProb(h, w)));
      }
    }
    double contextLog10 = 0;
    for (int k = h[0] == Vocabulary.BOS ? 1 : 0; k < h.length; k++) {
      contextLog10 += lm.logProb(Arrays.copyOf(h, k), h[k]);
    }
    return Math.expm1(Math.pow(10, contextLog10) * kl);
  }

  @Test
  void criterionMatchesBruteForce() {
    BackoffLm lm = model(3);
    double[] fast = EntropyPruner.increases(lm, 3);
    for (int i = 0; i < lm.size(3); i += 5) {
      double expected = bruteForceIncrease(lm, i);
      assertEquals(expected, fast[i], 1e-6 * Math.abs(expected) + 1e-13, "n-gram " + i);
    }
  }

  @Test
  void prunedModelKeepsWhatMattersAndStaysNormalised() {
    BackoffLm lm = model(3);
    double[] increase = EntropyPruner.increases(lm, 3);
    double[] sorted = increase.clone();
    Arrays.sort(sorted);
    double threshold = sorted[sorted.length / 2];
    BackoffLm pruned = new EntropyPruner(threshold, 3).prune(lm);
    // Order 3: exactly the n-grams at or above the threshold survive; bigrams all stay.
    int kept = 0;
    for (int i = 0; i < lm.size(3); i++) {
      int[] g = lm.words(3, i);
      boolean present = pruned.find(g) >= 0;
      assertEquals(increase[i] >= threshold, present, Arrays.toString(g));
      if (present) {
        assertEquals(lm.logProb(3, i), pruned.logProb(3, pruned.find(g)));
        kept++;
      }
    }
    assertTrue(kept > 0 && kept < lm.size(3), "pruned some, not all: " + kept);
    assertEquals(lm.size(2), pruned.size(2));
    KneserNeyEstimatorTest.assertNormalised(pruned, new Random(2), 300);
  }

  @Test
  void contextsOfKeptNgramsAreKept() {
    BackoffLm lm = model(4);
    BackoffLm pruned = new EntropyPruner(1e-4, 2).prune(lm);
    assertTrue(pruned.size(2) < lm.size(2) && pruned.size(4) < lm.size(4));
    for (int n = 2; n <= 4; n++) {
      for (int i = 0; i < pruned.size(n); i++) {
        int[] g = pruned.words(n, i);
        assertTrue(pruned.find(Arrays.copyOf(g, n - 1)) >= 0);
      }
    }
    assertEquals(lm.size(1), pruned.size(1));
    KneserNeyEstimatorTest.assertNormalised(pruned, new Random(3), 300);
    // A huge threshold prunes everything above unigrams; the result is the unigram model.
    BackoffLm unigrams = new EntropyPruner(1e9, 2).prune(lm);
    assertEquals(0, unigrams.size(2));
    assertEquals(lm.logProb(new int[0], 5), unigrams.logProb(new int[] {4, 4}, 5), 1e-12);
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new EntropyPruner(-1, 2));
    assertThrows(IllegalArgumentException.class, () -> new EntropyPruner(Double.NaN, 2));
    assertThrows(IllegalArgumentException.class, () -> new EntropyPruner(1e-8, 1));
  }
}
