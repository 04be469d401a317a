package dev.joule.engine.trf;

import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity of a TRF on sentences: {@code exp(−Σ log p(l, x) / Σ (l + 1))}. Each sentence
 * counts its words plus one for its end, as an n-gram's perplexity counts {@code </s>}: the
 * length prior π plays the part of the end-of-sentence probability, so the figures compare.
 *
 * <p>The estimate is only as good as ζ: the learnt ζ_l from NCE (or ones replaced by
 * {@link ImportanceSampler} or, on tiny vocabularies, {@link ExactNormaliser}). An error δ in
 * every ζ_l moves log-perplexity by δ·sentences/(words + sentences).
 */
public final class TrfPerplexity {
  private static final int BATCH = 64;

  /**
   * Totals: {@code logProb} is the natural-log sum over scored sentences; {@code skipped}
   * sentences were empty or longer than the model's maximum length and are not in the figures.
   */
  public record Result(long sentences, long words, long skipped, double logProb) {
    public double perplexity() {
      return Math.exp(-logProb / (words + sentences));
    }
  }

  private TrfPerplexity() {}

  /** Scores every sentence the model accepts (see {@link TrfModel#accepts}); others are counted as skipped. */
  public static Result of(TrfModel model, List<int[]> sentences) {
    long n = 0;
    long words = 0;
    long skipped = 0;
    double logProb = 0;
    List<int[]> batch = new ArrayList<>();
    for (int i = 0; i <= sentences.size(); i++) {
      if (i < sentences.size()) {
        int[] s = sentences.get(i);
        if (!model.accepts(s)) {
          skipped++;
          continue;
        }
        batch.add(s);
      }
      if (batch.size() == BATCH || (i == sentences.size() && !batch.isEmpty())) {
        for (double lp : model.logProbs(batch)) {
          logProb += lp;
        }
        for (int[] s : batch) {
          words += s.length;
        }
        n += batch.size();
        batch.clear();
      }
    }
    return new Result(n, words, skipped, logProb);
  }
}
