package dev.joule.decoder.graph;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.Ngram;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The n-grams of a back-off language model laid out for building G: words are interned to ids,
 * and the n-grams of each order sit in flat arrays with a hash index for lookup by word
 * sequence. Probabilities are log10, as in ARPA files. Made from the model
 * {@link dev.joule.decoder.lm.ArpaReader} reads.
 */
final class ArpaGrammar {
  /** Words by id. */
  final List<String> vocabulary;
  private final Map<String, Integer> ids;
  /** orders[k - 1] holds the k-grams. */
  final Order[] orders;

  ArpaGrammar(List<String> vocabulary, Map<String, Integer> ids, Order[] orders) {
    this.vocabulary = vocabulary;
    this.ids = ids;
    this.orders = orders;
  }

  /** The n-grams of {@code lm}, order by order. */
  static ArpaGrammar from(BackoffLm lm) {
    List<String> vocabulary = lm.vocabulary().words();
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < vocabulary.size(); i++) {
      ids.put(vocabulary.get(i), i);
    }
    Order[] orders = new Order[lm.order()];
    for (int n = 1; n <= lm.order(); n++) {
      int count = lm.size(n);
      int[] words = new int[count * n];
      float[] logProb = new float[count];
      float[] backoff = new float[count];
      int i = 0;
      for (Ngram g : lm.ngrams(n)) {
        System.arraycopy(g.words(), 0, words, i * n, n);
        logProb[i] = (float) g.logProb();
        backoff[i] = (float) g.logBackoff();
        i++;
      }
      orders[n - 1] = new Order(n, count, words, logProb, backoff, vocabulary);
    }
    return new ArpaGrammar(vocabulary, ids, orders);
  }

  int maxOrder() {
    return orders.length;
  }

  /** The id of {@code word}, or -1. */
  int wordId(String word) {
    return ids.getOrDefault(word, -1);
  }

  /** The n-grams of one order. */
  static final class Order {
    final int order;
    final int count;
    /** Word ids, {@code order} per n-gram. */
    final int[] words;
    final float[] logProb;
    /** log10 backoff weight; 0 when the file gives none. */
    final float[] backoff;
    private final int[] table;

    /**
     * @throws IllegalStateException naming the first n-gram that appears twice
     */
    Order(int order, int count, int[] words, float[] logProb, float[] backoff, List<String> vocabulary) {
      this.order = order;
      this.count = count;
      this.words = words;
      this.logProb = logProb;
      this.backoff = backoff;
      int size = Integer.highestOneBit(Math.max(4, count * 2)) * 2;
      table = new int[size];
      Arrays.fill(table, -1);
      for (int i = 0; i < count; i++) {
        int slot = hash(words, i * order) & (size - 1);
        while (table[slot] >= 0) {
          if (same(words, table[slot] * order, words, i * order)) {
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < order; k++) {
              text.append(k == 0 ? "" : " ").append(vocabulary.get(words[i * order + k]));
            }
            throw new IllegalStateException(order + "-gram '" + text + "' appears twice");
          }
          slot = (slot + 1) & (size - 1);
        }
        table[slot] = i;
      }
    }

    /** Index of the n-gram {@code seq[from .. from+order-1]}, or -1. */
    int find(int[] seq, int from) {
      int mask = table.length - 1;
      int slot = hash(seq, from) & mask;
      while (table[slot] >= 0) {
        if (same(words, table[slot] * order, seq, from)) {
          return table[slot];
        }
        slot = (slot + 1) & mask;
      }
      return -1;
    }

    private int hash(int[] seq, int from) {
      int h = 0x9E3779B9;
      for (int k = 0; k < order; k++) {
        h = (h ^ seq[from + k]) * 0x01000193;
        h ^= h >>> 15;
      }
      return h;
    }

    private boolean same(int[] a, int fa, int[] b, int fb) {
      for (int k = 0; k < order; k++) {
        if (a[fa + k] != b[fb + k]) {
          return false;
        }
      }
      return true;
    }
  }
}
