package dev.joule.decoder.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words (or tokens) of a language model and their int ids.
 *
 * <p>{@code <s>}, {@code </s>} and {@code <unk>} always have ids {@link #BOS}, {@link #EOS} and
 * {@link #UNK}; other words follow in the order they were added. Immutable once built; build one
 * with {@link Builder}, which also applies vocabulary limits.
 */
public final class Vocabulary {
  public static final String BOS_WORD = "<s>";
  public static final String EOS_WORD = "</s>";
  public static final String UNK_WORD = "<unk>";
  public static final int BOS = 0;
  public static final int EOS = 1;
  public static final int UNK = 2;

  private final String[] words;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> words) {
    this.words = words.toArray(new String[0]);
    this.ids = new HashMap<>(words.size() * 2);
    for (int i = 0; i < this.words.length; i++) {
      ids.put(this.words[i], i);
    }
  }

  /** A vocabulary of the three special words plus {@code words} (duplicates ignored). */
  public static Vocabulary of(Iterable<String> words) {
    Builder b = new Builder();
    for (String w : words) {
      b.add(w, 1);
    }
    return b.build(0, Integer.MAX_VALUE);
  }

  /** Number of ids, the special words included. */
  public int size() {
    return words.length;
  }

  /** The word with this id. */
  public String word(int id) {
    return words[id];
  }

  /** The id of {@code word}, or -1 when it is not in the vocabulary. */
  public int id(String word) {
    Integer id = ids.get(word);
    return id == null ? -1 : id;
  }

  /** The id of {@code word}, or {@link #UNK} when it is not in the vocabulary. */
  public int idOrUnk(String word) {
    Integer id = ids.get(word);
    return id == null ? UNK : id;
  }

  /** All words in id order (a copy). */
  public List<String> words() {
    return Collections.unmodifiableList(Arrays.asList(words.clone()));
  }

  /**
   * Collects words with their frequencies, then keeps the most frequent ones.
   *
   * <p>Words kept are those seen at least {@code minCount} times, at most {@code maxWords} of
   * them (special words not counted), by decreasing frequency with ties broken by first
   * appearance so the result does not depend on hash order.
   */
  public static final class Builder {
    private final Map<String, long[]> counts = new HashMap<>();
    private final List<String> order = new ArrayList<>();

    /** Adds {@code count} occurrences of {@code word}; special words are ignored here. */
    public Builder add(String word, long count) {
      if (word.equals(BOS_WORD) || word.equals(EOS_WORD) || word.equals(UNK_WORD)) {
        return this;
      }
      long[] c = counts.get(word);
      if (c == null) {
        counts.put(word, new long[] {count});
        order.add(word);
      } else {
        c[0] += count;
      }
      return this;
    }

    public Vocabulary build(long minCount, int maxWords) {
      if (maxWords < 0) {
        throw new IllegalArgumentException("maxWords must be >= 0, got " + maxWords);
      }
      List<String> kept = new ArrayList<>();
      for (String w : order) {
        if (counts.get(w)[0] >= minCount) {
          kept.add(w);
        }
      }
      if (kept.size() > maxWords) {
        // Stable sort: equal counts keep first-appearance order.
        kept.sort((a, b) -> Long.compare(counts.get(b)[0], counts.get(a)[0]));
        kept = new ArrayList<>(kept.subList(0, maxWords));
        // Back to first-appearance order, so ids do not depend on the limit's cut.
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
          first.put(order.get(i), i);
        }
        kept.sort((a, b) -> Integer.compare(first.get(a), first.get(b)));
      }
      List<String> all = new ArrayList<>(kept.size() + 3);
      all.add(BOS_WORD);
      all.add(EOS_WORD);
      all.add(UNK_WORD);
      all.addAll(kept);
      return new Vocabulary(all);
    }
  }
}
