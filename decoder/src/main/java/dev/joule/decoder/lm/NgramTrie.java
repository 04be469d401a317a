package dev.joule.decoder.lm;

import java.util.Arrays;

/**
 * The n-gram trie shared by counts and models: the n-gram at index {@code i} of order {@code n}
 * is its context, the (n-1)-gram at index {@code context(n, i)} (0 for unigrams: the root),
 * followed by {@code word(n, i)}. One {@link NgramIndex} per order maps (context, word) back to
 * the index. Callers keep their per-n-gram values (counts, probabilities) in parallel arrays of
 * at least {@link #capacity(int)} entries.
 */
final class NgramTrie {
  private final int order;
  private final NgramIndex[] index;
  private final int[][] contexts;
  private final int[][] words;

  /** An empty trie with room for {@code capacity} n-grams per order before growing. */
  NgramTrie(int order, int capacity) {
    this.order = order;
    index = new NgramIndex[order + 1];
    contexts = new int[order + 1][];
    words = new int[order + 1][];
    for (int n = 1; n <= order; n++) {
      index[n] = new NgramIndex(capacity);
      contexts[n] = new int[capacity];
      words[n] = new int[capacity];
    }
  }

  /** A trie over the given arrays (owned from now on), indexed as they are. */
  NgramTrie(int order, int[][] contexts, int[][] words) {
    this.order = order;
    this.contexts = contexts;
    this.words = words;
    index = new NgramIndex[order + 1];
    for (int n = 1; n <= order; n++) {
      index[n] = new NgramIndex(words[n].length);
      for (int i = 0; i < words[n].length; i++) {
        index[n].putNew(contexts[n][i], words[n][i], i);
      }
    }
  }

  int order() {
    return order;
  }

  int size(int n) {
    return index[n].size();
  }

  /** Length of the arrays of order {@code n}; parallel arrays must be at least this long. */
  int capacity(int n) {
    return words[n].length;
  }

  int context(int n, int i) {
    return contexts[n][i];
  }

  int word(int n, int i) {
    return words[n][i];
  }

  int find(int n, int context, int word) {
    return index[n].get(context, word);
  }

  /** Index of the n-gram {@code ids[from..to)} at order to-from, or -1. */
  int find(int[] ids, int from, int to) {
    int node = 0;
    for (int k = from; k < to; k++) {
      node = index[k - from + 1].get(node, ids[k]);
      if (node < 0) {
        return -1;
      }
    }
    return node;
  }

  int[] words(int n, int i) {
    int[] out = new int[n];
    for (int k = n; k >= 1; k--) {
      out[k - 1] = words[k][i];
      i = contexts[k][i];
    }
    return out;
  }

  /** Index of (context, word) at order {@code n}, added with the next index when absent. */
  int add(int n, int context, int word) {
    int before = index[n].size();
    int i = index[n].getOrAdd(context, word);
    if (i == before) {
      if (i == words[n].length) {
        contexts[n] = Arrays.copyOf(contexts[n], i * 2);
        words[n] = Arrays.copyOf(words[n], i * 2);
      }
      contexts[n][i] = context;
      words[n][i] = word;
    }
    return i;
  }

  /** Drops the n-grams of order {@code n} to free memory; the trie is unusable afterwards. */
  void release(int n) {
    index[n] = null;
    contexts[n] = null;
    words[n] = null;
  }
}
