package dev.joule.engine.trf;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.TextCorpus;
import java.util.ArrayList;
import java.util.List;

/**
 * Rescores n-best lists: each hypothesis gets {@code −acoustic + α·log p_ngram + β·log p_TRF +
 * γ·words} ({@link RescoringWeights}, natural logs) and the best total wins.
 *
 * <p>Language-model scores are computed once per hypothesis ({@link #features}) so that tuning
 * can try many weights cheaply. A hypothesis the TRF cannot score (empty, or longer than its
 * maximum length) takes its n-gram log-probability in the TRF's place, so its total stays finite
 * and comparable.
 */
public final class NbestRescorer {
  private static final double LN10 = Math.log(10);

  /** One n-best entry: its words and its acoustic cost (−log-likelihood, lower is better). */
  public record Candidate(String[] words, double acousticCost) {}

  /** The scores of one candidate that the weights combine. */
  public record Features(double acousticCost, double ngramLogProb, double trfLogProb, int words) {
    public double total(RescoringWeights w) {
      return -acousticCost + w.alpha() * ngramLogProb + w.beta() * trfLogProb + w.gamma() * words;
    }
  }

  private final BackoffLm ngram;
  private final TrfModel trf;

  /** {@code trf} may be null: then the TRF feature repeats the n-gram's and β should be 0. */
  public NbestRescorer(BackoffLm ngram, TrfModel trf) {
    this.ngram = ngram;
    this.trf = trf;
  }

  /** Features of every candidate of one utterance, in order. */
  public List<Features> features(List<Candidate> nbest) {
    List<Features> out = new ArrayList<>(nbest.size());
    List<int[]> forTrf = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    double[] ng = new double[nbest.size()];
    for (int i = 0; i < nbest.size(); i++) {
      String[] w = nbest.get(i).words();
      ng[i] = ngram.sentenceLogProb(TextCorpus.ids(ngram.vocabulary(), w)) * LN10;
      if (trf != null) {
        int[] ids = TextCorpus.ids(trf.vocabulary(), w);
        if (trf.accepts(ids)) {
          forTrf.add(ids);
          where.add(i);
        }
      }
    }
    double[] t = ng.clone();
    if (!forTrf.isEmpty()) {
      double[] lp = trf.logProbs(forTrf);
      for (int k = 0; k < lp.length; k++) {
        t[where.get(k)] = lp[k];
      }
    }
    for (int i = 0; i < nbest.size(); i++) {
      out.add(new Features(nbest.get(i).acousticCost(), ng[i], t[i], nbest.get(i).words().length));
    }
    return out;
  }

  /** Index of the best candidate under {@code weights} (the first on ties). */
  public static int best(List<Features> features, RescoringWeights weights) {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("empty n-best list");
    }
    int best = 0;
    double top = features.get(0).total(weights);
    for (int i = 1; i < features.size(); i++) {
      double v = features.get(i).total(weights);
      if (v > top) {
        top = v;
        best = i;
      }
    }
    return best;
  }
}
