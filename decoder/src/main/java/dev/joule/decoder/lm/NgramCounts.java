package dev.joule.decoder.lm;

import java.util.Arrays;

/**
 * Counts of every n-gram of orders 1 to {@link #order()} in a set of sentences of int ids.
 *
 * <p>Each sentence is counted as {@code <s> w1 … wk </s>}: every n-gram ending at {@code w1 …
 * </s>} gets one count, so {@code <s>} starts n-grams but is never counted as a word (its
 * unigram exists with count 0, as a context). Storage is a trie: the n-gram at index {@code i}
 * of order {@code n} is its context, the (n-1)-gram at index {@link #context(int, int)} of order
 * n-1 (0 for unigrams, whose context is the empty root), followed by {@link #word(int, int)}.
 *
 * <p>The counts are raw; estimators (Kneser-Ney here; a count-threshold backoff for phone LMs)
 * derive what they need from them. Not thread-safe while counting.
 */
public final class NgramCounts {
  /** Largest order supported. */
  public static final int MAX_ORDER = 9;

  private final int order;
  private final Vocabulary vocabulary;
  private final NgramTrie trie;
  private final long[][] counts;
  private final int[] previous;
  private final int[] current;
  private long sentences;
  private long tokens;

  /** Empty counts of n-grams up to {@code order} over {@code vocabulary}'s ids. */
  public NgramCounts(int order, Vocabulary vocabulary) {
    if (order < 1 || order > MAX_ORDER) {
      throw new IllegalArgumentException("n-gram order must be 1.." + MAX_ORDER + ", got " + order);
    }
    this.order = order;
    this.vocabulary = vocabulary;
    trie = new NgramTrie(order, 1024);
    counts = new long[order + 1][];
    for (int n = 1; n <= order; n++) {
      counts[n] = new long[trie.capacity(n)];
    }
    previous = new int[order + 1];
    current = new int[order + 1];
    // <s> as a unigram context: index 0 of order 1, count 0.
    add(1, 0, Vocabulary.BOS);
  }

  /**
   * Counts one sentence of word ids, without {@code <s>} and {@code </s>} (they are added).
   *
   * @throws IllegalArgumentException when an id is outside the vocabulary or is {@code <s>} or
   *     {@code </s>}
   */
  public void addSentence(int[] ids) {
    for (int id : ids) {
      if (id < 0 || id >= vocabulary.size() || id == Vocabulary.BOS || id == Vocabulary.EOS) {
        throw new IllegalArgumentException(
            "word id " + id + " is not a countable word of a vocabulary of " + vocabulary.size());
      }
    }
    // previous[n]: index of the n-gram of order n ending at the previous position, -1 if none.
    Arrays.fill(previous, -1);
    previous[1] = 0;
    for (int i = 0; i <= ids.length; i++) {
      int w = i < ids.length ? ids[i] : Vocabulary.EOS;
      current[1] = add(1, 0, w);
      counts[1][current[1]]++;
      for (int n = 2; n <= order; n++) {
        int ctx = previous[n - 1];
        if (ctx < 0) {
          current[n] = -1;
        } else {
          current[n] = add(n, ctx, w);
          counts[n][current[n]]++;
        }
      }
      System.arraycopy(current, 1, previous, 1, order);
    }
    sentences++;
    tokens += ids.length + 1;
  }

  private int add(int n, int context, int word) {
    int i = trie.add(n, context, word);
    if (counts[n].length < trie.capacity(n)) {
      counts[n] = Arrays.copyOf(counts[n], trie.capacity(n));
    }
    return i;
  }

  public int order() {
    return order;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Sentences counted. */
  public long sentences() {
    return sentences;
  }

  /** Words counted, one {@code </s>} per sentence included. */
  public long tokens() {
    return tokens;
  }

  /** Number of distinct n-grams of order {@code n} (for n = 1, {@code <s>} included). */
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

  /** Raw count of n-gram {@code i} of order {@code n}. */
  public long count(int n, int i) {
    return counts[n][i];
  }

  /** Index of the n-gram of order {@code n} made of {@code context} and {@code word}, or -1. */
  public int find(int n, int context, int word) {
    return trie.find(n, context, word);
  }

  /** Index of the n-gram {@code ngram} (its length is the order), or -1 when never seen. */
  public int find(int[] ngram) {
    return trie.find(ngram, 0, ngram.length);
  }

  /** The words of n-gram {@code i} of order {@code n}, first word first. */
  public int[] words(int n, int i) {
    return trie.words(n, i);
  }

  /**
   * For each order n (index 1 to order) and each n-gram of that order, the index at order n-1 of
   * its suffix (the n-gram without its first word); for n = 1, all 0 (the root). Every suffix of
   * a counted n-gram was counted itself, so no entry is -1.
   */
  public int[][] suffixes() {
    int[][] out = new int[order + 1][];
    out[1] = new int[size(1)];
    for (int n = 2; n <= order; n++) {
      int[] s = new int[size(n)];
      for (int i = 0; i < s.length; i++) {
        s[i] = trie.find(n - 1, out[n - 1][trie.context(n, i)], trie.word(n, i));
        if (s[i] < 0) {
          throw new IllegalStateException("suffix of a counted n-gram was not counted");
        }
      }
      out[n] = s;
    }
    return out;
  }
}
