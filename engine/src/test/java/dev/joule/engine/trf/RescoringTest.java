package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.TextCorpus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RescoringTest {
  /** Plain recursive edit distance: the reference for the dynamic programme. */
  private static int naive(String[] r, int i, String[] h, int j) {
    if (i == r.length) {
      return h.length - j;
    }
    if (j == h.length) {
      return r.length - i;
    }
    int sub = naive(r, i + 1, h, j + 1) + (r[i].equals(h[j]) ? 0 : 1);
    return Math.min(sub, Math.min(naive(r, i + 1, h, j), naive(r, i, h, j + 1)) + 1);
  }

  @Test
  void wordErrorsMatchTheRecursiveDefinition() {
    assertEquals(0, WordErrors.distance(new String[] {"a", "b"}, new String[] {"a", "b"}));
    assertEquals(2, WordErrors.distance(new String[] {}, new String[] {"a", "b"}));
    assertEquals(1, WordErrors.distance(new String[] {"a", "b", "c"}, new String[] {"a", "c"}));
    Random r = new Random(3);
    String[] alphabet = {"a", "b", "c"};
    for (int t = 0; t < 300; t++) {
      String[] x = new String[r.nextInt(6)];
      String[] y = new String[r.nextInt(6)];
      Arrays.setAll(x, i -> alphabet[r.nextInt(3)]);
      Arrays.setAll(y, i -> alphabet[r.nextInt(3)]);
      assertEquals(naive(x, 0, y, 0), WordErrors.distance(x, y), Arrays.toString(x) + " / " + Arrays.toString(y));
    }
  }

  private static NbestRescorer.Features f(double acoustic, double ngram, double trf, int words) {
    return new NbestRescorer.Features(acoustic, ngram, trf, words);
  }

  /**
   * Two utterances of two words: in the first the n-gram rescues the right hypothesis, in the
   * second only the TRF can (the n-gram prefers the wrong one).
   */
  private static List<WeightTuner.Utterance> dev() {
    return List.of(
        new WeightTuner.Utterance(List.of(f(10, -5, -4, 2), f(11, -3, -4, 2)), new int[] {1, 0}, 2),
        new WeightTuner.Utterance(List.of(f(10, -4, -6, 2), f(10.5, -5, -3, 2)), new int[] {1, 0}, 2));
  }

  @Test
  void tuningWithTheTrfBeatsTheNgramAlone() {
    double[] grid = WeightTuner.range(0, 2, 9);
    double[] zero = {0};
    WeightTuner.Result ngramOnly = WeightTuner.grid(dev(), grid, zero, zero);
    WeightTuner.Result withTrf = WeightTuner.grid(dev(), grid, grid, zero);
    assertEquals(0.25, ngramOnly.wer(), 1e-12);
    assertEquals(0.0, withTrf.wer(), 1e-12);
    assertEquals(0.5, WeightTuner.wer(dev(), new RescoringWeights(0, 0, 0)), 1e-12);
    // The chosen weights really give that WER, and no grid point does better (brute force).
    assertEquals(withTrf.wer(), WeightTuner.wer(dev(), withTrf.weights()), 0);
    for (double a : grid) {
      for (double b : grid) {
        assertTrue(WeightTuner.wer(dev(), new RescoringWeights(a, b, 0)) >= withTrf.wer());
      }
    }
    WeightTuner.Result coord = WeightTuner.coordinate(dev(), new RescoringWeights(1, 0, 0), grid, grid, grid);
    assertEquals(0.0, coord.wer(), 1e-12);
  }

  @Test
  void coordinateSearchNeverEndsWorseThanItsStart() {
    Random r = new Random(5);
    List<WeightTuner.Utterance> dev = new ArrayList<>();
    for (int u = 0; u < 30; u++) {
      List<NbestRescorer.Features> fs = new ArrayList<>();
      int[] errors = new int[4];
      for (int k = 0; k < 4; k++) {
        fs.add(f(10 + r.nextDouble() * 3, -r.nextDouble() * 10, -r.nextDouble() * 10, 2 + r.nextInt(3)));
        errors[k] = r.nextInt(3);
      }
      dev.add(new WeightTuner.Utterance(fs, errors, 3));
    }
    double[] grid = WeightTuner.range(-1, 2, 7);
    RescoringWeights start = new RescoringWeights(1, 0, 0);
    WeightTuner.Result c = WeightTuner.coordinate(dev, start, grid, grid, grid);
    WeightTuner.Result g = WeightTuner.grid(dev, grid, grid, grid);
    assertTrue(c.wer() <= WeightTuner.wer(dev, start));
    assertTrue(g.wer() <= c.wer());
    assertEquals(c.wer(), WeightTuner.wer(dev, c.weights()), 0);
  }

  @Test
  void featuresComeFromBothModelsAndTheTrfFallsBackToTheNgram() {
    BackoffLm lm = TinyModels.bigram();
    TrfModel trf = TinyModels.model(3, true, 4);
    NbestRescorer rescorer = new NbestRescorer(lm, trf);
    String[] shortOne = {"a", "b"};
    String[] tooLong = {"a", "b", "c", "a"};
    List<NbestRescorer.Features> fs = rescorer.features(List.of(
        new NbestRescorer.Candidate(shortOne, 3.5), new NbestRescorer.Candidate(tooLong, 2.0)));
    double ng0 = lm.sentenceLogProb(TextCorpus.ids(lm.vocabulary(), shortOne)) * Math.log(10);
    double ng1 = lm.sentenceLogProb(TextCorpus.ids(lm.vocabulary(), tooLong)) * Math.log(10);
    assertEquals(ng0, fs.get(0).ngramLogProb(), 1e-12);
    assertEquals(trf.logProbs(List.of(TextCorpus.ids(trf.vocabulary(), shortOne)))[0], fs.get(0).trfLogProb(), 1e-12);
    assertEquals(ng1, fs.get(1).trfLogProb(), 1e-12);
    assertEquals(3.5, fs.get(0).acousticCost());
    assertEquals(4, fs.get(1).words());
    RescoringWeights w = new RescoringWeights(0.5, 0.7, 0.1);
    assertEquals(-3.5 + 0.5 * ng0 + 0.7 * fs.get(0).trfLogProb() + 0.2, fs.get(0).total(w), 1e-12);
    int best = fs.get(0).total(w) > fs.get(1).total(w) ? 0 : 1;
    assertEquals(best, NbestRescorer.best(fs, w));
  }
}
