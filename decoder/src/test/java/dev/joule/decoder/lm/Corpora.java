package dev.joule.decoder.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small random corpora for tests: Zipf-like word frequencies and a little sequential structure. */
final class Corpora {
  private Corpora() {}

  /** A vocabulary of {@code words} words named w0, w1, ... */
  static Vocabulary vocabulary(int words) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      names.add("w" + i);
    }
    return Vocabulary.of(names);
  }

  /**
   * {@code count} sentences of 0..maxLength ids from {@code vocab} (specials excluded, {@code
   * <unk>} included), each word depending a little on the previous one so higher orders matter.
   */
  static List<int[]> sentences(Random r, Vocabulary vocab, int count, int maxLength) {
    int first = Vocabulary.UNK;
    int words = vocab.size() - first;
    List<int[]> out = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      int[] ids = new int[r.nextInt(maxLength + 1)];
      int prev = 0;
      for (int i = 0; i < ids.length; i++) {
        // Zipf-like rank, shifted by the previous word: frequent and rare n-grams both occur.
        int rank = (int) Math.floor(Math.exp(r.nextDouble() * Math.log(words + 1))) - 1;
        prev = r.nextInt(3) == 0 ? prev : (rank + prev) % words;
        ids[i] = first + prev;
      }
      out.add(ids);
    }
    return out;
  }

  static NgramCounts count(List<int[]> sentences, int order, Vocabulary vocab) {
    NgramCounts counts = new NgramCounts(order, vocab);
    for (int[] s : sentences) {
      counts.addSentence(s);
    }
    return counts;
  }

  /** A random history: sometimes from {@code <s>}, any length up to {@code maxLength}. */
  static int[] history(Random r, Vocabulary vocab, int maxLength) {
    int[] h = new int[r.nextInt(maxLength + 1)];
    for (int i = 0; i < h.length; i++) {
      h[i] = Vocabulary.UNK + r.nextInt(vocab.size() - Vocabulary.UNK);
    }
    if (h.length > 0 && r.nextBoolean()) {
      h[0] = Vocabulary.BOS;
    }
    return h;
  }
}
