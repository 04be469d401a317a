package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NgramCountsTest {
  @Test
  void countsEqualBruteForceEnumeration() {
    Random r = new Random(3);
    Vocabulary vocab = Corpora.vocabulary(12);
    List<int[]> sentences = Corpora.sentences(r, vocab, 300, 10);
    int order = 4;
    NgramCounts counts = Corpora.count(sentences, order, vocab);
    Map<List<Integer>, Long> expected = new HashMap<>();
    for (int[] s : sentences) {
      int[] t = new int[s.length + 2];
      t[0] = Vocabulary.BOS;
      System.arraycopy(s, 0, t, 1, s.length);
      t[t.length - 1] = Vocabulary.EOS;
      for (int end = 1; end < t.length; end++) {
        for (int n = 1; n <= order && end - n + 1 >= 0; n++) {
          List<Integer> g = new ArrayList<>();
          for (int k = end - n + 1; k <= end; k++) {
            g.add(t[k]);
          }
          expected.merge(g, 1L, Long::sum);
        }
      }
    }
    int listed = 0;
    for (int n = 1; n <= order; n++) {
      for (int i = 0; i < counts.size(n); i++) {
        int[] words = counts.words(n, i);
        List<Integer> g = Arrays.stream(words).boxed().toList();
        long want = expected.getOrDefault(g, 0L);
        assertEquals(want, counts.count(n, i), g.toString());
        assertEquals(i, counts.find(words));
        if (want > 0) {
          listed++;
        }
      }
    }
    assertEquals(expected.size(), listed);
    // Only <s> is listed without being counted.
    assertEquals(0, counts.count(1, counts.find(new int[] {Vocabulary.BOS})));
    long tokens = sentences.stream().mapToLong(s -> s.length + 1).sum();
    assertEquals(tokens, counts.tokens());
    assertEquals(sentences.size(), counts.sentences());
  }

  @Test
  void suffixesPointAtTheNgramWithoutItsFirstWord() {
    Random r = new Random(4);
    Vocabulary vocab = Corpora.vocabulary(6);
    NgramCounts counts = Corpora.count(Corpora.sentences(r, vocab, 100, 8), 3, vocab);
    int[][] suffixes = counts.suffixes();
    for (int n = 2; n <= 3; n++) {
      for (int i = 0; i < counts.size(n); i++) {
        int[] words = counts.words(n, i);
        assertArrayEquals(Arrays.copyOfRange(words, 1, n), counts.words(n - 1, suffixes[n][i]));
      }
    }
  }

  @Test
  void rejectsIdsThatAreNotWords() {
    NgramCounts counts = new NgramCounts(2, Vocabulary.of(List.of("a")));
    assertThrows(IllegalArgumentException.class, () -> counts.addSentence(new int[] {Vocabulary.BOS}));
    assertThrows(IllegalArgumentException.class, () -> counts.addSentence(new int[] {Vocabulary.EOS}));
    assertThrows(IllegalArgumentException.class, () -> counts.addSentence(new int[] {4}));
    assertThrows(IllegalArgumentException.class, () -> new NgramCounts(0, Vocabulary.of(List.of())));
  }
}
