package dev.joule.engine.trf;

import java.util.ArrayList;
import java.util.List;

/**
 * A noise distribution over whole sentences of 1..L words, as NCE and DNCE need it: exact
 * natural-log probabilities (normalised over every sentence of those lengths) and exact samples.
 * {@link NoiseModel} (the fixed n-gram) and {@link LstmNoiseLm} (the trainable noise of dynamic
 * NCE) are the two kinds.
 */
public interface SentenceNoise {
  /** L, the longest sentence the distribution covers. */
  int maxLength();

  /** One sentence of 1..L words. */
  int[] sample();

  /** {@code n} independent sentences. */
  default List<int[]> sample(int n) {
    List<int[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(sample());
    }
    return out;
  }

  /** Natural-log probability of {@code sentence} (1..L words). */
  double logProb(int[] sentence);

  /** {@link #logProb(int[])} of each sentence. */
  default double[] logProbs(List<int[]> sentences) {
    double[] out = new double[sentences.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = logProb(sentences.get(i));
    }
    return out;
  }
}
