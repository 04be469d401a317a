package dev.joule.decoder.lm;

import java.util.Arrays;

/**
 * Relative-entropy pruning of a backoff model (Stolcke 1998, SRILM's {@code -prune}).
 *
 * <p>An n-gram {@code h w} is removed when doing so raises the model's perplexity by a relative
 * amount below the threshold: {@code exp(P(h) · D(p(·|h) ‖ p'(·|h))) - 1 < threshold}, where
 * {@code p'} backs off for {@code w} with the recomputed backoff weight of {@code h}, {@code
 * D} is in nats and {@code P(h)} is the model's probability of the context (from {@code <s>}
 * when {@code h} starts with it). As in SRILM, every candidate of an order is judged against the
 * model before any removal, orders are pruned from the highest down, an n-gram that is the
 * context of a kept longer n-gram is kept, unigrams are never pruned, and backoff weights of
 * all contexts are recomputed at the end so that every context stays normalised.
 */
public final class EntropyPruner {
  private final double threshold;
  private final int minOrder;

  /**
   * @param threshold relative perplexity increase allowed per removed n-gram (e.g. 1e-8)
   * @param minOrder lowest order that may be pruned, at least 2 (3 keeps bigrams, as den
   *     graphs need)
   */
  public EntropyPruner(double threshold, int minOrder) {
    if (!(threshold >= 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("pruning threshold must be a finite number >= 0, got " + threshold);
    }
    if (minOrder < 2) {
      throw new IllegalArgumentException("unigrams cannot be pruned: minOrder must be >= 2, got " + minOrder);
    }
    this.threshold = threshold;
    this.minOrder = minOrder;
  }

  /** The pruned model; {@code lm} is unchanged. */
  public BackoffLm prune(BackoffLm lm) {
    int order = lm.order();
    boolean[][] keep = new boolean[order + 1][];
    for (int n = 1; n <= order; n++) {
      keep[n] = new boolean[lm.size(n)];
      Arrays.fill(keep[n], true);
    }
    for (int n = order; n >= Math.max(2, minOrder); n--) {
      // Each order is judged against the unpruned model: the criterion of an order-n n-gram
      // involves orders below n only, which are not pruned yet.
      double[] increase = increases(lm, n);
      for (int i = 0; i < lm.size(n); i++) {
        keep[n][i] = !(increase[i] < threshold) || hasKeptChild(lm, n, i, keep);
      }
    }
    BackoffLm pruned = rebuild(lm, keep);
    // Removals change lower-order probabilities that higher-order backoff weights were
    // normalised against: recompute all of them, lowest order first (SRILM does the same).
    pruned.recomputeBackoffs();
    return pruned;
  }

  /**
   * The relative perplexity increase from removing each n-gram of order {@code n} alone, with
   * the backoff weight of its context recomputed ({@code NaN} where removal is impossible: no
   * mass would be left to back off with).
   */
  static double[] increases(BackoffLm lm, int n) {
    double[] out = new double[lm.size(n)];
    for (int c = 0; c < lm.size(n - 1); c++) {
      if (lm.childCount(n - 1, c) > 0) {
        contextIncreases(lm, n, c, out);
      }
    }
    return out;
  }

  private static void contextIncreases(BackoffLm lm, int n, int c, double[] out) {
    int[] h = lm.words(n - 1, c);
    int first = lm.firstChild(n - 1, c);
    int end = first + lm.childCount(n - 1, c);
    double[] p = new double[end - first];
    double[] lower = new double[end - first];
    double listed = 0;
    double listedLower = 0;
    for (int i = first; i < end; i++) {
      p[i - first] = Math.pow(10, lm.logProb(n, i));
      lower[i - first] = Math.pow(10, lm.logProb(h, 1, h.length, lm.word(n, i)));
      listed += p[i - first];
      listedLower += lower[i - first];
    }
    // Mass left to unlisted words under h and under h', before any removal.
    double numerator = 1 - listed;
    double denominator = 1 - listedLower;
    double oldBackoff = Math.pow(10, lm.backoff(n - 1, c));
    double contextProb = contextProb(lm, h);
    for (int i = first; i < end; i++) {
      double pw = p[i - first];
      double pl = lower[i - first];
      double newBackoff = (numerator + pw) / (denominator + pl);
      if (!(newBackoff > 0) || Double.isInfinite(newBackoff)) {
        out[i] = Double.NaN;
        continue;
      }
      // KL divergence (nats) of the context's distribution: w moves to the backoff, and every
      // unlisted word's probability scales by newBackoff / oldBackoff.
      double kl = 0;
      if (pw > 0) {
        kl -= pw * (Math.log(pl) + Math.log(newBackoff) - Math.log(pw));
      }
      if (numerator > 0 && oldBackoff > 0) {
        kl -= numerator * (Math.log(newBackoff) - Math.log(oldBackoff));
      }
      out[i] = Math.expm1(contextProb * kl);
    }
  }

  private static boolean hasKeptChild(BackoffLm lm, int n, int i, boolean[][] keep) {
    if (n == lm.order()) {
      return false;
    }
    int first = lm.firstChild(n, i);
    for (int j = first; j < first + lm.childCount(n, i); j++) {
      if (keep[n + 1][j]) {
        return true;
      }
    }
    return false;
  }

  /** P(h) under the model, each word given the words before it (from {@code <s>} if first). */
  static double contextProb(BackoffLm lm, int[] h) {
    double logP = 0;
    for (int k = h[0] == Vocabulary.BOS ? 1 : 0; k < h.length; k++) {
      logP += lm.logProb(h, 0, k, h[k]);
    }
    return Math.pow(10, logP);
  }

  private static BackoffLm rebuild(BackoffLm lm, boolean[][] keep) {
    BackoffLm.Builder b = new BackoffLm.Builder(lm.order(), lm.vocabulary());
    int[] above = new int[] {0};
    for (int n = 1; n <= lm.order(); n++) {
      int[] map = new int[lm.size(n)];
      for (int i = 0; i < lm.size(n); i++) {
        if (keep[n][i]) {
          map[i] = b.add(n, above[lm.context(n, i)], lm.word(n, i), lm.logProb(n, i), lm.backoff(n, i));
        } else {
          map[i] = -1;
        }
      }
      above = map;
    }
    return b.build();
  }
}
