package dev.joule.engine.trf;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.Discounts;
import dev.joule.decoder.lm.KneserNeyEstimator;
import dev.joule.decoder.lm.NgramCounts;
import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A three-word vocabulary (plus {@code <unk>}), a bigram over it and small TRFs for exact checks. */
final class TinyModels {
  static final Vocabulary VOCAB = Vocabulary.of(List.of("a", "b", "c"));
  /** Training text; "zz" is outside the vocabulary, so {@code <unk>} gets mass too. */
  static final String[] TEXT = {
    "a b", "a b c", "b c", "a", "c a b", "a b b", "zz a", "b", "a c", "a b c a", "c", "b zz",
  };

  private TinyModels() {}

  static List<int[]> sentences() {
    List<int[]> out = new ArrayList<>();
    for (String line : TEXT) {
      String[] w = line.split(" ");
      int[] ids = new int[w.length];
      for (int i = 0; i < w.length; i++) {
        ids[i] = VOCAB.idOrUnk(w[i]);
      }
      out.add(ids);
    }
    return out;
  }

  static BackoffLm bigram() {
    NgramCounts counts = new NgramCounts(2, VOCAB);
    for (int[] s : sentences()) {
      counts.addSentence(s);
    }
    return new KneserNeyEstimator(Discounts.FALLBACK).estimate(counts);
  }

  static LengthPrior prior(int maxLength) {
    long[] counts = new long[maxLength + 1];
    for (int[] s : sentences()) {
      if (s.length <= maxLength) {
        counts[s.length]++;
      }
    }
    return LengthPrior.fromCounts(counts, maxLength);
  }

  static TrfModel model(int maxLength, boolean bidirectional, long seed) {
    TrfConfig c = new TrfConfig(maxLength, 3, 4, 1, bidirectional);
    return new TrfModel(c, VOCAB, prior(maxLength), new Random(seed), DType.FLOAT64);
  }

  /** A model whose potential has the tiny bigram as its base. */
  static TrfModel basedModel(int maxLength, long seed) {
    TrfConfig c = new TrfConfig(maxLength, 3, 4, 1, true);
    return new TrfModel(c, VOCAB, prior(maxLength), bigram(), new Random(seed), DType.FLOAT64);
  }
}
