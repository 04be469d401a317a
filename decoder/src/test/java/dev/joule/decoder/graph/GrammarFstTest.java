package dev.joule.decoder.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.lexicon.Lexicon;
import dev.joule.decoder.lm.LmFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** G from ARPA: structure by hand, sentence costs against the reference scorer, bad files. */
class GrammarFstTest {
  @TempDir Path dir;

  private static GraphSymbols symbols(Lexicon lex) throws IOException {
    return GraphSymbols.create(GraphTestData.tokens(), lex.words(), 3);
  }

  @Test
  void toyBigramByHand() throws IOException {
    Lexicon lex = GraphTestData.lexicon();
    GraphSymbols sym = symbols(lex);
    GrammarFst.Result g = GrammarFst.fromArpa(GraphTestData.resource("toy.arpa"), sym);
    try (OpenFst f = g.fst()) {
      // States: empty history + <s>, a, cat, at, two. Arcs: 8 unigram words in the lexicon
      // (dog is not), 4 bigram words, 5 back-off arcs. Finals: empty history, cat, two.
      assertEquals(List.of("dog"), g.skippedWords());
      assertEquals(6, f.numStates());
      assertEquals(17, f.numArcs());
      assertEquals(3, f.info().numFinal());
    }
  }

  @Test
  void sentenceCostsMatchTheReferenceScorer() throws IOException {
    Lexicon lex = GraphTestData.lexicon();
    GraphSymbols sym = symbols(lex);
    Path arpa = GraphTestData.resource("toy.arpa");
    ReferenceLm ref = new ReferenceLm(arpa);
    List<String> words = List.of("a", "cat", "cab", "at", "tack", "two", "too", "to");
    try (OpenFst g = GrammarFst.fromArpa(arpa, sym).fst()) {
      // Back-off arcs become epsilons so that word strings compose with G directly.
      g.relabel(Map.of(sym.wordBackoffLabel(), 0), Map.of());
      Random rnd = new Random(1);
      for (int trial = 0; trial < 40; trial++) {
        List<String> sentence = new ArrayList<>();
        int len = rnd.nextInt(5);
        for (int i = 0; i < len; i++) {
          sentence.add(words.get(rnd.nextInt(words.size())));
        }
        try (OpenFst s = GraphTestData.linear(sentence.stream().map(sym::wordLabel).toList());
            OpenFst c = OpenFst.compose(s, g);
            OpenFst best = c.shortestPath()) {
          GraphTestData.Path1 p = GraphTestData.readPath(best);
          assertEquals(ref.sentenceCost(sentence), p.cost(), 1e-3, sentence.toString());
        }
      }
    }
  }

  @Test
  void malformedArpaFilesNameFileAndLine() throws IOException {
    // ArpaReader's own tests cover every message; here: errors reach G's callers with file and line.
    String good = Files.readString(GraphTestData.resource("toy.arpa"));
    assertBad(good.replace("ngram 2=6", "ngram 2=7"), ":30:");
    assertBad(good.replace("-0.4\tcat at", "-0.4x\tcat at"), ":25:");
    assertBad(good.replace("-0.4\tcat at", "-0.4\tcat at at at"), ":25:");
    assertBad("no arpa here\n", ":1:");
  }

  private Path write(String text) throws IOException {
    Path p = dir.resolve("bad.arpa");
    Files.writeString(p, text);
    return p;
  }

  private void assertBad(String text, String message) throws IOException {
    Path p = write(text);
    LmFormatException e = assertThrows(LmFormatException.class,
        () -> GrammarFst.fromArpa(p, symbols(GraphTestData.lexicon())));
    assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains(message), e.getMessage());
  }
}
