package dev.joule.decoder.lm;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Draws sentences from a {@link BackoffLm} (the noise distribution of TRF training).
 *
 * <p>Each word is drawn exactly from {@code p(· | h)} without summing over the vocabulary: with
 * probability equal to the mass of the n-grams listed under {@code h}, one of them is chosen by
 * binary search over cumulative sums; otherwise a word is drawn from {@code p(· | h')} and
 * redrawn while it is listed under {@code h}, which gives the backoff distribution restricted to
 * unlisted words. The expected number of redraws per word is below 1 for a normalised model.
 * Unigrams are drawn from a cumulative table over the vocabulary. {@code <s>} is never drawn.
 * Not thread-safe (one
 * generator); use one sampler per thread.
 */
public final class NgramSampler {
  private static final int MAX_REDRAWS = 100_000;
  private static final int MAX_SENTENCE_ATTEMPTS = 10_000;

  private final BackoffLm lm;
  private final RandomGenerator random;
  /** Per order n ≥ 1: cumulative probability of n-gram i and its earlier siblings. */
  private final double[][] cumulative;

  public NgramSampler(BackoffLm lm, RandomGenerator random) {
    this.lm = lm;
    this.random = random;
    cumulative = new double[lm.order() + 1][];
    for (int n = 1; n <= lm.order(); n++) {
      double[] cum = new double[lm.size(n)];
      double sum = 0;
      for (int i = 0; i < cum.length; i++) {
        if (i > 0 && lm.context(n, i) != lm.context(n, i - 1)) {
          sum = 0;
        }
        // <s> is never drawn, even from models that give it mass (IRSTLM lists p(<s>) > 0).
        sum += lm.word(n, i) == Vocabulary.BOS ? 0 : Math.pow(10, lm.logProb(n, i));
        cum[i] = sum;
      }
      cumulative[n] = cum;
    }
    double unigramMass = cumulative[1][cumulative[1].length - 1];
    if (!(unigramMass > 0)) {
      throw new LmException("the model gives no probability to any word: nothing to sample");
    }
  }

  /**
   * One sentence of word ids without {@code <s>} and {@code </s>}, drawn from the model given
   * that it has at most {@code maxWords} words (longer draws are discarded and redrawn).
   */
  public int[] sentence(int maxWords) {
    int[] h = new int[maxWords + 2];
    for (int attempt = 0; attempt < MAX_SENTENCE_ATTEMPTS; attempt++) {
      h[0] = Vocabulary.BOS;
      int len = 1;
      while (true) {
        int w = word(h, 0, len);
        if (w == Vocabulary.EOS) {
          return Arrays.copyOfRange(h, 1, len);
        }
        if (len > maxWords) {
          break;
        }
        h[len++] = w;
      }
    }
    throw new LmException("no sentence of at most " + maxWords + " words in "
        + MAX_SENTENCE_ATTEMPTS + " draws; raise the length limit");
  }

  /** One sentence as words. */
  public String[] sentenceWords(int maxWords) {
    int[] ids = sentence(maxWords);
    String[] out = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = lm.vocabulary().word(ids[i]);
    }
    return out;
  }

  /** A word drawn from {@code p(· | history[from..to))}. */
  public int word(int[] history, int from, int to) {
    int start = Math.max(from, to - (lm.order() - 1));
    return draw(history, start, to);
  }

  /** Draws from p(· | history[start..to)). */
  private int draw(int[] history, int start, int to) {
    if (start == to) {
      return pick(1, 0, lm.size(1));
    }
    int m = to - start;
    int node = findContext(history, start, to);
    if (node < 0 || lm.childCount(m, node) == 0) {
      return draw(history, start + 1, to);
    }
    int first = lm.firstChild(m, node);
    int end = first + lm.childCount(m, node);
    double listed = cumulative[m + 1][end - 1];
    double u = random.nextDouble();
    if (u < listed) {
      return pick(m + 1, first, end);
    }
    for (int k = 0; k < MAX_REDRAWS; k++) {
      int w = draw(history, start + 1, to);
      if (lm.find(m + 1, node, w) < 0) {
        return w;
      }
    }
    throw new LmException("backoff distribution of a context is exhausted by its listed n-grams:"
        + " the model is not normalised");
  }

  /**
   * The word of an n-gram in [first, end), all the extensions of one context, chosen in
   * proportion to its probability (the cumulative sums restart at {@code first}).
   */
  private int pick(int n, int first, int end) {
    double[] cum = cumulative[n];
    double target = random.nextDouble() * cum[end - 1];
    int lo = first;
    int hi = end - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lm.word(n, lo);
  }

  private int findContext(int[] history, int start, int to) {
    int node = 0;
    for (int k = start; k < to; k++) {
      node = lm.find(k - start + 1, node, history[k]);
      if (node < 0) {
        return -1;
      }
    }
    return node;
  }
}
