package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lexicon.Lexicon;
import dev.joule.models.recipe.Corpus.Sentence;
import dev.joule.models.recipe.Corpus.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorpusTest {
  /** A lexicon of the words w0..w199 plus a few real ones. */
  static Lexicon lexicon() {
    Map<String, List<List<String>>> m = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      m.put("w" + NumberWords.cardinal(i).replace(" ", ""), List.of(List.of("W", "AH")));
    }
    for (String w : List.of("the", "cat", "sat", "on", "mat", "dog", "ran", "five", "dollars", "a", "and")) {
      m.put(w, List.of(List.of("D", "AH")));
    }
    return Lexicon.of(m);
  }

  static String word(int i) {
    return "w" + NumberWords.cardinal(i % 200).replace(" ", "");
  }

  static Corpus build(long seed, double dev, double test) {
    Corpus.Builder b = new Corpus.Builder(lexicon(), new Corpus.Options(2, 10, dev, test, seed));
    for (int i = 0; i < 3000; i++) {
      b.addSentence("alpha", word(i) + " " + word(i * 7 + 1) + " " + word(i / 200));
    }
    for (int i = 0; i < 1000; i++) {
      b.addText("beta", "The cat sat on " + word(i) + ". The dog ran " + word(i + 5) + "!");
    }
    return b.build();
  }

  @Test
  void splitsAreDisjointAndCoverEverySentence() {
    Corpus c = build(7, 0.05, 0.05);
    Set<String> seen = new HashSet<>();
    Set<String> ids = new HashSet<>();
    int total = 0;
    for (Split s : Split.values()) {
      for (Sentence x : c.split(s)) {
        assertTrue(seen.add(x.text()), "sentence in two places: " + x.text());
        assertTrue(ids.add(x.id()));
        total++;
      }
    }
    long kept = c.stats().values().stream().mapToLong(Corpus.SourceStats::kept).sum();
    assertEquals(kept, total);
    assertTrue(c.split(Split.DEV).size() > 50 && c.split(Split.TEST).size() > 50, c.split(Split.DEV).size() + " dev; " + c.stats().get("alpha").oov + " " + c.stats().get("alpha").duplicates + " " + c.stats().get("beta").oov);
    assertEquals(c.split(Split.DEV).size(), c.stats().values().stream().mapToLong(st -> st.perSplit.get(Split.DEV)).sum());
  }

  @Test
  void sameSeedSameSplitsOtherSeedOtherSplits() {
    Corpus a = build(42, 0.05, 0.05);
    Corpus b = build(42, 0.05, 0.05);
    Corpus c = build(43, 0.05, 0.05);
    for (Split s : Split.values()) {
      assertEquals(a.split(s), b.split(s));
    }
    assertNotEquals(a.split(Split.DEV), c.split(Split.DEV));
    assertEquals(a.split(Split.DEV).size(), c.split(Split.DEV).size());
  }

  @Test
  void duplicatesAcrossSourcesAreKeptOnce() {
    Corpus.Builder b = new Corpus.Builder(lexicon(), Corpus.Options.defaults(1));
    b.addSentence("one", "The cat sat.");
    b.addSentence("one", "the CAT, sat!");
    b.addSentence("two", "The cat -- sat");
    b.addSentence("two", "The dog sat.");
    Corpus c = b.build();
    assertEquals(1, c.stats().get("one").duplicates);
    assertEquals(1, c.stats().get("two").duplicates);
    assertEquals(1, c.stats().get("one").kept());
    assertEquals(1, c.stats().get("two").kept());
  }

  @Test
  void outOfLexiconSentencesAreDroppedAndCounted() {
    Corpus.Builder b = new Corpus.Builder(lexicon(), Corpus.Options.defaults(1));
    b.addSentence("src", "The cat sat on the mat.");
    b.addSentence("src", "The cat sat on the zorblat.");
    b.addSentence("src", "The zorblat sat on the quux.");
    b.addSentence("src", "It costs $5.");
    b.addSentence("src", "A dog ran, and five dollars ran.");
    Corpus c = b.build();
    Corpus.SourceStats st = c.stats().get("src");
    assertEquals(3, st.oov);
    assertEquals(2, st.kept());
    assertEquals(Map.of("zorblat", 2, "quux", 1, "it", 1, "costs", 1), c.oovWords());
    assertEquals(List.of("zorblat", "costs", "it", "quux"), new ArrayList<>(c.oovWords().keySet()));
    for (Split s : Split.values()) {
      for (Sentence x : c.split(s)) {
        assertFalse(x.text().contains("zorblat"));
      }
    }
  }

  @Test
  void filtersNonProseAndLength() {
    Corpus.Builder b = new Corpus.Builder(null, new Corpus.Options(2, 5, 0, 0, 1));
    b.addSentence("src", "int main() { return 0; }");
    b.addSentence("src", "see http://example.com now");
    b.addSentence("src", "one");
    b.addSentence("src", "one two three four five six");
    b.addSentence("src", "one two three");
    Corpus c = b.build();
    Corpus.SourceStats st = c.stats().get("src");
    assertEquals(2, st.notProse);
    assertEquals(2, st.badLength);
    assertEquals(List.of(new Sentence("src-000001", "src", "one two three")), c.split(Split.TRAIN));
  }

  @Test
  void wordListsBecomeInLexiconGroupsInTrainOnly() {
    Corpus.Builder b = new Corpus.Builder(lexicon(), new Corpus.Options(2, 10, 0.2, 0.2, 3));
    b.trainOnly("words");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      words.add(word(i));
    }
    words.add("zorblat");
    b.addWordList("words", words, 4, 6);
    Corpus c = b.build();
    assertEquals(1, c.stats().get("words").excluded);
    assertTrue(c.split(Split.DEV).isEmpty() && c.split(Split.TEST).isEmpty());
    Set<String> all = new HashSet<>();
    for (Sentence s : c.split(Split.TRAIN)) {
      int n = s.words().length;
      assertTrue(n >= 4 && n <= 9, s.text());
      all.addAll(List.of(s.words()));
    }
    assertEquals(200, all.size());
  }

  @Test
  void trainVocabularyCountsTrainWordsOnly() {
    Corpus c = build(5, 0.1, 0.1);
    Map<String, Long> v = c.trainVocabulary();
    long words = c.split(Split.TRAIN).stream().mapToLong(s -> s.words().length).sum();
    assertEquals(words, v.values().stream().mapToLong(Long::longValue).sum());
  }
}
