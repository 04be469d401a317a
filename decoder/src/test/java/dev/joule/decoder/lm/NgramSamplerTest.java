package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NgramSamplerTest {
  private static BackoffLm model() {
    Random r = new Random(8);
    Vocabulary vocab = Corpora.vocabulary(12);
    List<int[]> sentences = Corpora.sentences(r, vocab, 600, 10);
    return new KneserNeyEstimator(Discounts.FALLBACK).estimate(Corpora.count(sentences, 3, vocab));
  }

  /** Draws many words after {@code history} and compares frequencies with the model. */
  private static void assertDrawsMatch(BackoffLm lm, NgramSampler sampler, int[] history) {
    int draws = 200_000;
    int v = lm.vocabulary().size();
    long[] seen = new long[v];
    for (int t = 0; t < draws; t++) {
      seen[sampler.word(history, 0, history.length)]++;
    }
    for (int w = 0; w < v; w++) {
      double p = Math.pow(10, lm.logProb(history, w));
      double sd = Math.sqrt(draws * p * (1 - p));
      // 5 standard deviations (plus one count): fails for a wrong distribution, not by chance.
      assertTrue(Math.abs(seen[w] - draws * p) <= 5 * sd + 1,
          "word " + w + ": drew " + seen[w] + ", expected " + draws * p);
    }
  }

  @Test
  void wordsFollowTheModelDistribution() {
    BackoffLm lm = model();
    NgramSampler sampler = new NgramSampler(lm, new SplittableRandom(1));
    int w3 = lm.vocabulary().id("w3");
    int w0 = lm.vocabulary().id("w0");
    assertDrawsMatch(lm, sampler, new int[] {Vocabulary.BOS});
    assertDrawsMatch(lm, sampler, new int[] {Vocabulary.BOS, w3});
    assertDrawsMatch(lm, sampler, new int[] {w3, w0});
    assertDrawsMatch(lm, sampler, new int[] {});
    // A context never seen: pure backoff, with redraws of listed words at each level.
    assertDrawsMatch(lm, sampler, new int[] {Vocabulary.UNK, Vocabulary.UNK});
  }

  @Test
  void sentencesAreWordsOnlyAndReproducible() {
    BackoffLm lm = model();
    NgramSampler a = new NgramSampler(lm, new SplittableRandom(42));
    NgramSampler b = new NgramSampler(lm, new SplittableRandom(42));
    double meanLength = 0;
    for (int i = 0; i < 2000; i++) {
      int[] s = a.sentence(30);
      assertArrayEquals(s, b.sentence(30));
      assertTrue(s.length <= 30);
      for (int w : s) {
        assertTrue(w != Vocabulary.BOS && w != Vocabulary.EOS);
      }
      meanLength += s.length / 2000.0;
    }
    // The corpus has 0..10 words a sentence, 5 on average; sampled ones are near that.
    assertEquals(5, meanLength, 1.0);
  }

  @Test
  void lengthLimitIsRespectedByRedrawing() {
    NgramSampler s = new NgramSampler(model(), new SplittableRandom(3));
    for (int i = 0; i < 500; i++) {
      assertTrue(s.sentence(2).length <= 2);
    }
  }

  @Test
  void neverDrawsSentenceStartEvenWhenTheModelGivesItMass() {
    // IRSTLM writes p(<s>) > 0; sentences must still not contain <s>.
    BackoffLm lm = ArpaReader.parse(
        "\\data\\\nngram 1=4\n\n\\1-grams:\n-0.3\t<s>\n-0.6\t</s>\n-0.6\ta\n-99\t<unk>\n\n\\end\\\n",
        Path.of("m.arpa"));
    NgramSampler sampler = new NgramSampler(lm, new SplittableRandom(5));
    int words = 0;
    for (int i = 0; i < 2000; i++) {
      for (int w : sampler.sentence(50)) {
        assertEquals(lm.vocabulary().id("a"), w);
        words++;
      }
    }
    // p(a) = p(</s>) once <s> is excluded: one word per sentence on average.
    assertEquals(1.0, words / 2000.0, 0.15);
  }
}
