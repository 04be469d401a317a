package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KneserNeyEstimatorTest {
  private static final double EPS = 1e-12;

  /**
   * Bigram model of: "a b", "c b", "a b", "b a", "c", "c b", "d". Checked by hand:
   *
   * <pre>
   * bigram counts: &lt;s&gt; a 2, a b 2, b &lt;/s&gt; 4, &lt;s&gt; c 3, c b 2, &lt;s&gt; b 1, b a 1,
   *   a &lt;/s&gt; 1, c &lt;/s&gt; 1, &lt;s&gt; d 1, d &lt;/s&gt; 1
   *   n1..n4 = 6, 3, 1, 1; Y = 6/12 = 0.5; D1 = 1 - 2·0.5·3/6 = 0.5, D2 = 2 - 3·0.5·1/3 = 1.5,
   *   D3+ = 3 - 4·0.5·1/1 = 1
   * unigram continuation counts: a 2 {&lt;s&gt;, b}, b 3 {a, c, &lt;s&gt;}, c 1, d 1, &lt;/s&gt; 4
   *   n1..n4 = 2, 1, 1, 1; Y = 0.5; D1 = 0.5, D2 = 2 - 1.5 = 0.5, D3+ = 3 - 2 = 1
   * unigrams: total 11, γ = (0.5·2 + 0.5·1 + 1·2)/11 = 3.5/11, uniform over 6 words
   *   p(a) = 1.5/11 + 3.5/66 = 12.5/66, p(b) = 15.5/66, p(&lt;/s&gt;) = 21.5/66, p(&lt;unk&gt;) = 3.5/66
   * context a: a b 2, a &lt;/s&gt; 1; γ(a) = (1.5 + 0.5)/3 = 2/3; p(b|a) = 0.5/3 + 2/3·15.5/66
   * context &lt;s&gt;: 2, 3, 1, 1; γ = (0.5·2 + 1.5 + 1)/7 = 0.5; p(b|&lt;s&gt;) = 0.5/7 + 0.5·15.5/66
   * </pre>
   */
  @Test
  void tinyCorpusMatchesHandComputation() {
    Vocabulary vocab = Vocabulary.of(List.of("a", "b", "c", "d"));
    NgramCounts counts = new NgramCounts(2, vocab);
    for (String s : new String[] {"a b", "c b", "a b", "b a", "c", "c b", "d"}) {
      counts.addSentence(TextCorpus.ids(vocab, s.split(" ")));
    }
    KneserNeyEstimator kn = new KneserNeyEstimator();
    Discounts[] d = kn.discounts(counts);
    assertEquals(new Discounts(0.5, 0.5, 1.0), d[1]);
    assertEquals(new Discounts(0.5, 1.5, 1.0), d[2]);

    BackoffLm lm = kn.estimate(counts);
    int a = vocab.id("a");
    int b = vocab.id("b");
    int c = vocab.id("c");
    int[] none = {};
    assertEquals(12.5 / 66, p(lm, none, a), EPS);
    assertEquals(15.5 / 66, p(lm, none, b), EPS);
    assertEquals(21.5 / 66, p(lm, none, Vocabulary.EOS), EPS);
    assertEquals(3.5 / 66, p(lm, none, Vocabulary.UNK), EPS);
    assertEquals(0, p(lm, none, Vocabulary.BOS));
    assertEquals(0.5 / 3 + 2.0 / 3 * 15.5 / 66, p(lm, new int[] {a}, b), EPS);
    assertEquals(2.0 / 3 * 6.5 / 66, p(lm, new int[] {a}, c), EPS);
    assertEquals(Math.log10(2.0 / 3), lm.backoff(1, a), EPS);
    assertEquals(0.5 / 7 + 0.5 * 15.5 / 66, p(lm, new int[] {Vocabulary.BOS}, b), EPS);
    assertEquals(0.5 * 21.5 / 66, p(lm, new int[] {Vocabulary.BOS}, Vocabulary.EOS), EPS);
    // Listed bigrams: the 11 counted; unigrams: the whole vocabulary.
    assertEquals(11, lm.size(2));
    assertEquals(vocab.size(), lm.size(1));
  }

  private static double p(BackoffLm lm, int[] h, int w) {
    return Math.pow(10, lm.logProb(h, w));
  }

  @Test
  void matchesFloat64ReferenceOnRandomCorpora() {
    Random r = new Random(11);
    for (int order = 1; order <= 5; order++) {
      Vocabulary vocab = Corpora.vocabulary(20);
      List<int[]> sentences = Corpora.sentences(r, vocab, 400, 9);
      NgramCounts counts = Corpora.count(sentences, order, vocab);
      // Small vocabularies leave some count-of-counts empty at low orders (and a unigram-only
      // model has no rare words at all): both sides use the fallback there.
      KneserNeyEstimator kn = new KneserNeyEstimator(Discounts.FALLBACK);
      BackoffLm lm = kn.estimate(counts);
      ReferenceKneserNey ref = new ReferenceKneserNey(sentences, order, vocab.size());
      if (order >= 2) {
        assertTrue(kn.discounts(counts)[order] != Discounts.FALLBACK, "highest order uses real discounts");
      }
      for (int t = 0; t < 150; t++) {
        int[] h = Corpora.history(r, vocab, order + 1);
        List<Integer> hl = new ArrayList<>();
        for (int x : h) {
          hl.add(x);
        }
        for (int w = 1; w < vocab.size(); w++) {
          double expected = ref.prob(hl, w);
          assertEquals(Math.log10(expected), lm.logProb(h, w), 1e-11, "order " + order + " w " + w);
        }
      }
    }
  }

  @Test
  void everyContextSumsToOneOverTheVocabulary() {
    Random r = new Random(5);
    for (int order = 1; order <= 5; order++) {
      Vocabulary vocab = Corpora.vocabulary(30);
      List<int[]> sentences = Corpora.sentences(r, vocab, 2000, 15);
      BackoffLm lm = new KneserNeyEstimator(Discounts.FALLBACK).estimate(Corpora.count(sentences, order, vocab));
      assertNormalised(lm, r, 300);
      // Every listed context too, not only random ones.
      for (int n = 1; n < order; n++) {
        for (int i = 0; i < lm.size(n); i += 7) {
          assertEquals(1.0, sum(lm, lm.words(n, i)), 1e-12);
        }
      }
    }
  }

  static void assertNormalised(BackoffLm lm, Random r, int contexts) {
    for (int t = 0; t < contexts; t++) {
      int[] h = Corpora.history(r, lm.vocabulary(), lm.order());
      assertEquals(1.0, sum(lm, h), 1e-12);
    }
  }

  static double sum(BackoffLm lm, int[] h) {
    double sum = 0;
    for (int w = 0; w < lm.vocabulary().size(); w++) {
      sum += Math.pow(10, lm.logProb(h, w));
    }
    return sum;
  }

  @Test
  void undefinedDiscountsFailClearlyUnlessAFallbackIsGiven() {
    Vocabulary vocab = Vocabulary.of(List.of("a", "b"));
    NgramCounts counts = new NgramCounts(3, vocab);
    counts.addSentence(new int[] {vocab.id("a"), vocab.id("b")});
    LmException e = assertThrows(LmException.class, () -> new KneserNeyEstimator().estimate(counts));
    assertTrue(e.getMessage().contains("order 1") && e.getMessage().contains("n2=0"), e.getMessage());
    BackoffLm lm = new KneserNeyEstimator(Discounts.FALLBACK).estimate(counts);
    assertEquals(1.0, sum(lm, new int[] {Vocabulary.BOS, vocab.id("a")}), 1e-12);
  }

  @Test
  void noSentencesIsAnError() {
    NgramCounts counts = new NgramCounts(2, Vocabulary.of(List.of("a")));
    assertThrows(LmException.class, () -> new KneserNeyEstimator(Discounts.FALLBACK).estimate(counts));
  }

  @Test
  void discountsFromCountOfCounts() {
    Discounts d = Discounts.estimate(100, 40, 20, 10);
    double y = 100.0 / 180;
    assertEquals(1 - 2 * y * 40 / 100, d.d1(), 1e-15);
    assertEquals(2 - 3 * y * 20 / 40, d.d2(), 1e-15);
    assertEquals(3 - 4 * y * 10 / 20, d.d3plus(), 1e-15);
    assertEquals(null, Discounts.estimate(0, 1, 1, 1));
    // Many n-grams seen 3 times, few twice: D2 < 0, rejected rather than producing
    // probabilities above the count.
    assertEquals(null, Discounts.estimate(100, 1, 100, 1));
  }
}
