package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerplexityTest {
  @TempDir Path dir;

  /** The bigram model of {@link KneserNeyEstimatorTest#tinyCorpusMatchesHandComputation}. */
  private static BackoffLm tinyModel() {
    Vocabulary vocab = Vocabulary.of(List.of("a", "b", "c", "d"));
    NgramCounts counts = new NgramCounts(2, vocab);
    for (String s : new String[] {"a b", "c b", "a b", "b a", "c", "c b", "d"}) {
      counts.addSentence(TextCorpus.ids(vocab, s.split(" ")));
    }
    return new KneserNeyEstimator().estimate(counts);
  }

  @Test
  void handComputedSentence() throws IOException {
    // p(a|<s>) = 0.5/7 + 0.5·12.5/66; p(b|a) = 0.5/3 + 2/3·15.5/66;
    // context b: b </s> 4, b a 1, γ(b) = (0.5 + 1)/5 = 0.3, p(</s>|b) = 3/5 + 0.3·21.5/66.
    double p = (0.5 / 7 + 0.5 * 12.5 / 66) * (0.5 / 3 + 2.0 / 3 * 15.5 / 66) * (3.0 / 5 + 0.3 * 21.5 / 66);
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "\n<s> a b </s>\n\n");
    Perplexity.Result r = Perplexity.of(tinyModel(), text);
    assertEquals(1, r.sentences());
    assertEquals(2, r.words());
    assertEquals(0, r.oovs());
    assertEquals(Math.log10(p), r.logProb(), 1e-12);
    assertEquals(Math.pow(p, -1.0 / 3), r.perplexity(), 1e-9);
    assertEquals(r.perplexity(), r.perplexityWithoutOovs(), 1e-12);
  }

  @Test
  void oovsAreScoredAsUnkOrLeftOut() {
    BackoffLm lm = tinyModel();
    Perplexity.Result r = Perplexity.of(lm, new String[] {"a", "zebra", "b"});
    int a = lm.vocabulary().id("a");
    int b = lm.vocabulary().id("b");
    int[] h = {Vocabulary.BOS, a, Vocabulary.UNK, b, Vocabulary.EOS};
    double[] lp = new double[5];
    for (int i = 1; i < 5; i++) {
      lp[i] = lm.logProb(h, 0, i, h[i]);
    }
    assertEquals(1, r.oovs());
    assertEquals(lp[1] + lp[2] + lp[3] + lp[4], r.logProb(), 1e-12);
    assertEquals(lp[1] + lp[3] + lp[4], r.logProbWithoutOovs(), 1e-12);
    assertEquals(Math.pow(10, -(lp[1] + lp[3] + lp[4]) / 3), r.perplexityWithoutOovs(), 1e-9);
    assertEquals(lm.sentenceLogProb(new int[] {a, Vocabulary.UNK, b}), r.logProb(), 1e-12);
  }

  @Test
  void sentenceMarkersInsideALineAreRejectedWithTheLine() throws IOException {
    Path text = dir.resolve("bad.txt");
    Files.writeString(text, "a b\nb </s> a\n");
    LmFormatException e = assertThrows(LmFormatException.class, () -> Perplexity.of(tinyModel(), text));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("bad.txt:2: </s> inside a sentence"), e.getMessage());
  }
}
