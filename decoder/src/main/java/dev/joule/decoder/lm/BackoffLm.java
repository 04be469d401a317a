package dev.joule.decoder.lm;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A backoff n-gram language model in ARPA form: per order, n-grams with a log10 probability and
 * a log10 backoff weight.
 *
 * <p>{@code log10 p(w | h) = logProb(h w)} when {@code h w} is listed, otherwise {@code
 * backoff(h) + log10 p(w | h')} where {@code h'} drops the first word of {@code h} and a missing
 * {@code h} has backoff 0. Every vocabulary word has a unigram (words the model gives no mass,
 * like {@code <s>}, have {@code -Infinity}); the unigram of word id {@code w} has index {@code w}.
 *
 * <p>Within an order n-grams are sorted by (context index, word), so the extensions of an n-gram
 * are contiguous ({@link #firstChild}, {@link #childCount}). Immutable and thread-safe; built by
 * {@link Builder}, {@link KneserNeyEstimator}, {@link ArpaReader} or {@link EntropyPruner}.
 */
public final class BackoffLm {
  private final int order;
  private final Vocabulary vocabulary;
  private final NgramTrie trie;
  private final double[][] logProbs;
  private final double[][] backoffs;
  private final int[][] childStart;

  private BackoffLm(
      Vocabulary vocabulary, NgramTrie trie, double[][] logProbs, double[][] backoffs, int[][] childStart) {
    this.order = trie.order();
    this.vocabulary = vocabulary;
    this.trie = trie;
    this.logProbs = logProbs;
    this.backoffs = backoffs;
    this.childStart = childStart;
  }

  public int order() {
    return order;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Number of n-grams of order {@code n}. */
  public int size(int n) {
    return trie.size(n);
  }

  /** Index at order n-1 of the context of n-gram {@code i} of order {@code n} (0 for n = 1). */
  public int context(int n, int i) {
    return trie.context(n, i);
  }

  /** Last word of n-gram {@code i} of order {@code n}. */
  public int word(int n, int i) {
    return trie.word(n, i);
  }

  /** log10 probability of n-gram {@code i} of order {@code n}. */
  public double logProb(int n, int i) {
    return logProbs[n][i];
  }

  /** log10 backoff weight of n-gram {@code i} of order {@code n} (0 when it is no context). */
  public double backoff(int n, int i) {
    return backoffs[n][i];
  }

  /** Index at order n+1 of the first extension of n-gram {@code i} of order {@code n}. */
  public int firstChild(int n, int i) {
    return childStart[n][i];
  }

  /** Number of n-grams of order n+1 that extend n-gram {@code i} of order {@code n}. */
  public int childCount(int n, int i) {
    return childStart[n][i + 1] - childStart[n][i];
  }

  /** Index of the n-gram of order {@code n} made of {@code context} and {@code word}, or -1. */
  public int find(int n, int context, int word) {
    return trie.find(n, context, word);
  }

  /** Index of {@code ngram} (its length is the order) or -1 when not listed. */
  public int find(int[] ngram) {
    return trie.find(ngram, 0, ngram.length);
  }

  /** The words of n-gram {@code i} of order {@code n}, first word first. */
  public int[] words(int n, int i) {
    return trie.words(n, i);
  }

  /** The n-grams of order {@code n} in index order, for writers and graph compilers. */
  public Iterable<Ngram> ngrams(int n) {
    if (n < 1 || n > order) {
      throw new IllegalArgumentException("order " + n + " outside 1.." + order);
    }
    return () ->
        new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < size(n);
          }

          @Override
          public Ngram next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Ngram g = new Ngram(words(n, i), logProbs[n][i], backoffs[n][i]);
            i++;
            return g;
          }
        };
  }

  /** log10 p(word | history) with the whole history (only its last order-1 words matter). */
  public double logProb(int[] history, int word) {
    return logProb(history, 0, history.length, word);
  }

  /**
   * log10 p(word | history[from..to)); only the last order-1 words of the history matter. A
   * history starting a sentence should begin with {@link Vocabulary#BOS}.
   *
   * @throws IllegalArgumentException when {@code word} is not a vocabulary id
   */
  public double logProb(int[] history, int from, int to, int word) {
    if (word < 0 || word >= vocabulary.size()) {
      throw new IllegalArgumentException("word id " + word + " outside the vocabulary");
    }
    double acc = 0;
    for (int start = Math.max(from, to - (order - 1)); start < to; start++) {
      int m = to - start;
      int node = trie.find(history, start, to);
      if (node < 0) {
        continue;
      }
      int i = trie.find(m + 1, node, word);
      if (i >= 0) {
        return acc + logProbs[m + 1][i];
      }
      acc += backoffs[m][node];
    }
    return acc + logProbs[1][word];
  }

  /** log10 probability of {@code <s> ids </s>}, the end of sentence included. */
  public double sentenceLogProb(int[] ids) {
    int[] h = new int[ids.length + 2];
    h[0] = Vocabulary.BOS;
    System.arraycopy(ids, 0, h, 1, ids.length);
    h[ids.length + 1] = Vocabulary.EOS;
    double sum = 0;
    for (int i = 1; i < h.length; i++) {
      sum += logProb(h, 0, i, h[i]);
    }
    return sum;
  }

  /**
   * Sets every backoff weight so that each context's distribution sums to 1 over the vocabulary:
   * {@code (1 - Σ listed p(w|h)) / (1 - Σ listed p(w|h'))}, lowest order first since each order's
   * weights depend on the probabilities below it. Only for models not yet handed out (the
   * pruner's output); contexts whose listed words take all the backoff mass keep their weight.
   */
  void recomputeBackoffs() {
    for (int n = 1; n < order; n++) {
      for (int i = 0; i < size(n); i++) {
        int first = childStart[n][i];
        int end = childStart[n][i + 1];
        if (first == end) {
          backoffs[n][i] = 0;
          continue;
        }
        int[] h = words(n, i);
        double listed = 0;
        double listedLower = 0;
        for (int j = first; j < end; j++) {
          listed += Math.pow(10, logProbs[n + 1][j]);
          listedLower += Math.pow(10, logProb(h, 1, n, trie.word(n + 1, j)));
        }
        double numerator = 1 - listed;
        double denominator = 1 - listedLower;
        if (numerator > 0 && denominator > 0) {
          backoffs[n][i] = Math.log10(numerator / denominator);
        }
      }
    }
  }

  /**
   * Collects n-grams in any order and sorts them into a {@link BackoffLm}. An n-gram's context
   * must be added before it. Vocabulary words without a unigram get one with probability 0.
   */
  public static final class Builder {
    private final int order;
    private final Vocabulary vocabulary;
    private final NgramTrie trie;
    private final double[][] logProbs;
    private final double[][] backoffs;

    public Builder(int order, Vocabulary vocabulary) {
      if (order < 1 || order > NgramCounts.MAX_ORDER) {
        throw new IllegalArgumentException("n-gram order must be 1.." + NgramCounts.MAX_ORDER + ", got " + order);
      }
      this.order = order;
      this.vocabulary = vocabulary;
      trie = new NgramTrie(order, Math.max(1024, vocabulary.size()));
      logProbs = new double[order + 1][];
      backoffs = new double[order + 1][];
      for (int n = 1; n <= order; n++) {
        logProbs[n] = new double[trie.capacity(n)];
        backoffs[n] = new double[trie.capacity(n)];
      }
    }

    public int order() {
      return order;
    }

    /** Number of n-grams of order {@code n} added so far. */
    public int size(int n) {
      return trie.size(n);
    }

    /** Builder index of the n-gram (context index at order n-1, word), or -1. */
    public int find(int n, int context, int word) {
      return trie.find(n, context, word);
    }

    /**
     * Adds an n-gram of order {@code n} whose context has builder index {@code context} at order
     * n-1 (0 for unigrams) and returns its builder index.
     *
     * @throws IllegalArgumentException when it was added before or the word is not in the
     *     vocabulary
     */
    public int add(int n, int context, int word, double logProb, double logBackoff) {
      if (word < 0 || word >= vocabulary.size()) {
        throw new IllegalArgumentException("word id " + word + " outside the vocabulary");
      }
      if (n > 1 && (context < 0 || context >= trie.size(n - 1))) {
        throw new IllegalArgumentException("context index " + context + " not added at order " + (n - 1));
      }
      int before = trie.size(n);
      int i = trie.add(n, n == 1 ? 0 : context, word);
      if (i < before) {
        throw new IllegalArgumentException("duplicate n-gram of order " + n);
      }
      if (logProbs[n].length < trie.capacity(n)) {
        logProbs[n] = Arrays.copyOf(logProbs[n], trie.capacity(n));
        backoffs[n] = Arrays.copyOf(backoffs[n], trie.capacity(n));
      }
      logProbs[n][i] = logProb;
      backoffs[n][i] = logBackoff;
      return i;
    }

    /** Sets the backoff weight of an n-gram already added. */
    public void setBackoff(int n, int i, double logBackoff) {
      backoffs[n][i] = logBackoff;
    }

    /**
     * Sorts everything into an immutable model. The builder's storage is released on the way
     * (peak memory matters for large models), so it cannot be used after this call.
     */
    public BackoffLm build() {
      for (int w = 0; w < vocabulary.size(); w++) {
        if (trie.find(1, 0, w) < 0) {
          add(1, 0, w, Double.NEGATIVE_INFINITY, 0);
        }
      }
      int[][] outContexts = new int[order + 1][];
      int[][] outWords = new int[order + 1][];
      double[][] outProbs = new double[order + 1][];
      double[][] outBackoffs = new double[order + 1][];
      int[][] childStart = new int[order + 1][];
      // Sorted position of each builder entry of the order above (the root: one node).
      int[] newIndexAbove = new int[] {0};
      int parents = 1;
      for (int n = 1; n <= order; n++) {
        int size = trie.size(n);
        int[] ctx = new int[size];
        for (int i = 0; i < size; i++) {
          ctx[i] = newIndexAbove[trie.context(n, i)];
        }
        // Counting sort by context, then words sorted within each context.
        int[] start = new int[parents + 1];
        for (int i = 0; i < size; i++) {
          start[ctx[i] + 1]++;
        }
        for (int p = 0; p < parents; p++) {
          start[p + 1] += start[p];
        }
        long[] packed = new long[size];
        int[] fill = Arrays.copyOf(start, parents);
        for (int i = 0; i < size; i++) {
          packed[fill[ctx[i]]++] = ((long) trie.word(n, i) << 32) | i;
        }
        for (int p = 0; p < parents; p++) {
          Arrays.sort(packed, start[p], start[p + 1]);
        }
        int[] newIndex = new int[size];
        outContexts[n] = new int[size];
        outWords[n] = new int[size];
        outProbs[n] = new double[size];
        outBackoffs[n] = new double[size];
        int p = 0;
        for (int j = 0; j < size; j++) {
          int old = (int) packed[j];
          while (start[p + 1] <= j) {
            p++;
          }
          newIndex[old] = j;
          outContexts[n][j] = p;
          outWords[n][j] = trie.word(n, old);
          outProbs[n][j] = logProbs[n][old];
          outBackoffs[n][j] = backoffs[n][old];
        }
        childStart[n - 1] = start;
        newIndexAbove = newIndex;
        parents = size;
        trie.release(n);
        logProbs[n] = null;
        backoffs[n] = null;
      }
      childStart[order] = new int[parents + 1];
      return new BackoffLm(
          vocabulary, new NgramTrie(order, outContexts, outWords), outProbs, outBackoffs, childStart);
    }
  }
}
