package dev.joule.decoder.lm;

/**
 * Interpolated modified Kneser-Ney estimation (Chen &amp; Goodman 1998), as in SRILM's {@code
 * -kndiscount -interpolate} and KenLM's {@code lmplz}.
 *
 * <p>The highest order uses raw counts; lower orders use continuation counts (the number of
 * distinct words seen before the n-gram), except n-grams starting with {@code <s>}, which cannot
 * be extended to the left and keep their raw counts. Each order has three discounts estimated
 * from the count-of-counts of those adjusted counts. With {@code a} the adjusted count:
 *
 * <pre>
 *   p(w | h) = (a(h w) - D(a(h w))) / a(h ·) + γ(h) p(w | h')
 *   γ(h)     = (D1 N1(h ·) + D2 N2(h ·) + D3+ N3+(h ·)) / a(h ·)
 * </pre>
 *
 * where {@code h'} drops the first word of {@code h}; unigrams are interpolated with the uniform
 * distribution over the vocabulary except {@code <s>} (so unseen words, {@code <unk>} among them,
 * get a little mass). The model is written in backoff form: listed n-grams carry the
 * interpolated probability and {@code γ(h)} is the backoff weight of {@code h}, which gives every
 * unlisted word exactly its interpolated probability.
 */
public final class KneserNeyEstimator {
  private final Discounts fallback;

  /** An estimator that fails when count-of-counts do not define an order's discounts. */
  public KneserNeyEstimator() {
    this(null);
  }

  /**
   * An estimator that uses {@code fallback} for orders whose discounts are undefined (tiny
   * corpora), or fails there when it is null.
   */
  public KneserNeyEstimator(Discounts fallback) {
    this.fallback = fallback;
  }

  /** The model estimated from {@code counts}. */
  public BackoffLm estimate(NgramCounts counts) {
    int order = counts.order();
    if (counts.sentences() == 0) {
      throw new LmException("cannot estimate a language model from no sentences");
    }
    int[][] suffixes = counts.suffixes();
    long[][] adjusted = adjustedCounts(counts, suffixes);
    Discounts[] discounts = discounts(counts, adjusted);
    Vocabulary vocab = counts.vocabulary();
    BackoffLm.Builder builder = new BackoffLm.Builder(order, vocab);
    // Interpolated probabilities (not log) of the order below, by count index, and gammas.
    double[] lower = null;
    int[] unigramWord = new int[counts.size(1)];
    for (int n = 1; n <= order; n++) {
      int size = counts.size(n);
      int contexts = n == 1 ? 1 : counts.size(n - 1);
      long[] a = adjusted[n];
      double[] total = new double[contexts];
      double[] gammaNumerator = new double[contexts];
      for (int i = 0; i < size; i++) {
        int c = counts.context(n, i);
        total[c] += a[i];
        gammaNumerator[c] += discounts[n].of(a[i]);
      }
      int[] suffix = suffixes[n];
      double[] prob = new double[size];
      if (n == 1) {
        // Every vocabulary word gets a unigram; those never counted only the uniform share.
        double gamma = gammaNumerator[0] / total[0];
        double uniform = 1.0 / (vocab.size() - 1);
        boolean[] seen = new boolean[vocab.size()];
        for (int i = 0; i < size; i++) {
          int w = counts.word(1, i);
          seen[w] = true;
          unigramWord[i] = w;
          prob[i] = w == Vocabulary.BOS ? 0 : (a[i] - discounts[1].of(a[i])) / total[0] + gamma * uniform;
        }
        for (int w = 0; w < vocab.size(); w++) {
          int i = counts.find(1, 0, w);
          double p = i >= 0 ? prob[i] : w == Vocabulary.BOS ? 0 : gamma * uniform;
          builder.add(1, 0, w, Math.log10(p), 0);
        }
      } else {
        for (int i = 0; i < size; i++) {
          int c = counts.context(n, i);
          double gamma = gammaNumerator[c] / total[c];
          prob[i] = (a[i] - discounts[n].of(a[i])) / total[c] + gamma * lower[suffix[i]];
          int builderContext = n == 2 ? unigramWord[c] : c;
          int b = builder.add(n, builderContext, counts.word(n, i), Math.log10(prob[i]), 0);
          if (b != i) {
            throw new IllegalStateException("builder and counts disagree on n-gram order");
          }
        }
        // Backoff weights of the contexts, now that their gammas are known.
        for (int c = 0; c < contexts; c++) {
          if (total[c] > 0) {
            builder.setBackoff(n - 1, n == 2 ? unigramWord[c] : c, Math.log10(gammaNumerator[c] / total[c]));
          }
        }
      }
      lower = prob;
    }
    // Let the estimation's arrays go before sorting doubles the model in memory.
    suffixes = null;
    adjusted = null;
    lower = null;
    return builder.build();
  }

  /** The discounts of each order (index 1 to order; index 0 is unused and null). */
  public Discounts[] discounts(NgramCounts counts) {
    return discounts(counts, adjustedCounts(counts, counts.suffixes()));
  }

  private Discounts[] discounts(NgramCounts counts, long[][] adjusted) {
    Discounts[] out = new Discounts[counts.order() + 1];
    for (int n = 1; n <= counts.order(); n++) {
      long[] coc = new long[5];
      for (long a : adjusted[n]) {
        if (a >= 1 && a <= 4) {
          coc[(int) a]++;
        }
      }
      Discounts d = Discounts.estimate(coc[1], coc[2], coc[3], coc[4]);
      if (d == null) {
        if (fallback == null) {
          throw new LmException(
              String.format(
                  "order %d: modified Kneser-Ney discounts are undefined for count-of-counts "
                      + "n1=%d n2=%d n3=%d n4=%d (corpus too small or not natural text); "
                      + "use fixed fallback discounts (joule lm train --discount-fallback: 0.5 1 1.5)",
                  n, coc[1], coc[2], coc[3], coc[4]));
        }
        d = fallback;
      }
      out[n] = d;
    }
    return out;
  }

  /**
   * Kneser-Ney adjusted counts by count index: raw counts at the highest order and for n-grams
   * starting with {@code <s>}, continuation counts otherwise.
   */
  static long[][] adjustedCounts(NgramCounts counts, int[][] suffixes) {
    int order = counts.order();
    long[][] adjusted = new long[order + 1][];
    boolean[] startsWithBosAbove = null;
    boolean[][] startsWithBos = new boolean[order + 1][];
    for (int n = 1; n <= order; n++) {
      boolean[] s = new boolean[counts.size(n)];
      for (int i = 0; i < s.length; i++) {
        s[i] = n == 1 ? counts.word(1, i) == Vocabulary.BOS : startsWithBosAbove[counts.context(n, i)];
      }
      startsWithBos[n] = s;
      startsWithBosAbove = s;
    }
    for (int n = order; n >= 1; n--) {
      long[] a = new long[counts.size(n)];
      if (n == order) {
        for (int i = 0; i < a.length; i++) {
          a[i] = counts.count(n, i);
        }
      } else {
        for (int suffix : suffixes[n + 1]) {
          a[suffix]++;
        }
        for (int i = 0; i < a.length; i++) {
          if (startsWithBos[n][i]) {
            a[i] = counts.count(n, i);
          }
        }
      }
      adjusted[n] = a;
    }
    return adjusted;
  }
}
