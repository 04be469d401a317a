package dev.joule.decoder.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.lexicon.Lexicon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLG pipeline on the toy lexicon and bigram: frame sequences decoded by shortest path give
 * the word strings a brute-force search over the lexicon and the reference LM scorer expects.
 */
class GraphCompilerTest {
  private static final List<String> WORDS = List.of("a", "cat", "cab", "at", "tack", "two", "too", "to");
  @TempDir Path dir;

  private static CompiledGraph compile(double silence) throws IOException {
    return GraphCompiler.compile(GraphTestData.lexicon(), GraphTestData.resource("toy.arpa"), GraphTestData.tokens(),
        new GraphCompiler.Options(silence, "SIL", OpenFst.DEFAULT_DELTA, 100_000));
  }

  /** CTC frames for a phone string: each phone 1-3 frames, blanks sometimes, always between repeats. */
  private static List<Integer> frames(List<String> phones, GraphSymbols sym, Random rnd, String silence) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < phones.size(); i++) {
      int label = sym.tokenLabel(phones.get(i));
      int repeat = 1 + rnd.nextInt(3);
      for (int r = 0; r < repeat; r++) {
        out.add(label);
      }
      boolean sameNext = i + 1 < phones.size() && phones.get(i + 1).equals(phones.get(i));
      if (sameNext || rnd.nextBoolean()) {
        out.add(sym.blankLabel());
      }
    }
    return out;
  }

  /** Decodes frames: best path through frames ∘ TLG; null when TLG accepts none. */
  private static GraphTestData.Path1 decode(CompiledGraph g, List<Integer> frames) {
    try (OpenFst in = GraphTestData.linear(frames); OpenFst c = OpenFst.compose(in, g.tlg());
        OpenFst best = c.shortestPath()) {
      return GraphTestData.readPath(best);
    }
  }

  /** Brute force: every word sequence whose pronunciations spell {@code phones}, best LM cost first. */
  private static void segmentations(Lexicon lex, List<String> phones, int from, List<String> words,
      List<List<String>> out) {
    if (from == phones.size()) {
      out.add(List.copyOf(words));
      return;
    }
    for (String w : WORDS) {
      for (List<String> p : lex.pronunciations(w)) {
        if (from + p.size() <= phones.size() && phones.subList(from, from + p.size()).equals(p)) {
          words.add(w);
          segmentations(lex, phones, from + p.size(), words, out);
          words.remove(words.size() - 1);
        }
      }
    }
  }

  @Test
  void decodesRandomSentencesAsBruteForceExpects() throws IOException {
    Lexicon lex = GraphTestData.lexicon();
    ReferenceLm lm = new ReferenceLm(GraphTestData.resource("toy.arpa"));
    Random rnd = new Random(42);
    try (CompiledGraph g = compile(0)) {
      assertEquals(List.of("dog"), g.outOfLexicon());
      for (int trial = 0; trial < 30; trial++) {
        List<String> sentence = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        int len = 1 + rnd.nextInt(4);
        for (int i = 0; i < len; i++) {
          String w = WORDS.get(rnd.nextInt(WORDS.size()));
          sentence.add(w);
          List<List<String>> prons = lex.pronunciations(w);
          phones.addAll(prons.get(rnd.nextInt(prons.size())));
        }
        List<List<String>> candidates = new ArrayList<>();
        segmentations(lex, phones, 0, new ArrayList<>(), candidates);
        double bestCost = candidates.stream().mapToDouble(lm::sentenceCost).min().orElseThrow();
        GraphTestData.Path1 p = decode(g, frames(phones, g.symbols(), rnd, null));
        assertNotNull(p, sentence.toString());
        List<String> decoded = p.outputs().stream().map(g.symbols().words()::symbol).toList();
        // The decoded words must be one of the best segmentations (several may tie).
        List<List<String>> best = candidates.stream().filter(c -> lm.sentenceCost(c) < bestCost + 1e-6).toList();
        assertTrue(best.contains(decoded), "spoken " + sentence + " as " + phones + ": decoded " + decoded
            + ", best " + best);
        // Determinization quantizes weights to OpenFST's delta (1/1024).
        assertEquals(bestCost, p.cost(), 4e-3, sentence.toString());
      }
    }
  }

  @Test
  void homophonesFollowTheLanguageModel() throws IOException {
    try (CompiledGraph g = compile(0)) {
      GraphSymbols sym = g.symbols();
      List<String> phones = List.of("AH", "K", "AE", "T", "AE", "T", "T", "UW");
      List<Integer> frames = new ArrayList<>();
      for (String ph : phones) {
        frames.add(sym.tokenLabel(ph));
        frames.add(sym.blankLabel());
      }
      GraphTestData.Path1 p = decode(g, frames);
      // "at two" is a seen bigram; "two" beats "too" and "to" there.
      assertEquals(List.of("a", "cat", "at", "two"), p.outputs().stream().map(sym.words()::symbol).toList());
    }
  }

  @Test
  void optionalSilenceBetweenWords() throws IOException {
    try (CompiledGraph plain = compile(0); CompiledGraph g = compile(0.2)) {
      GraphSymbols sym = g.symbols();
      List<Integer> frames = new ArrayList<>();
      for (String ph : List.of("SIL", "K", "AE", "T", "SIL", "SIL", "AE", "T", "SIL")) {
        frames.add(sym.tokenLabel(ph));
      }
      GraphTestData.Path1 p = decode(g, frames);
      assertEquals(List.of("cat", "at"), p.outputs().stream().map(sym.words()::symbol).toList());
      // Without optional silence the SIL token spells nothing.
      assertEquals(null, decode(plain, frames));
    }
  }

  @Test
  void writesGraphFilesThatLoadBack() throws Exception {
    try (CompiledGraph g = compile(0)) {
      g.write(dir);
      Fst compact = Fst.load(dir.resolve("TLG.jfst"));
      assertEquals(g.tlg().numStates(), compact.numStates());
      assertEquals(g.tlg().numArcs(), compact.numArcs());
      for (int a = 0; a < compact.numArcs(); a++) {
        assertEquals(g.compact().ilabel(a), compact.ilabel(a));
        assertEquals(g.compact().olabel(a), compact.olabel(a));
        assertEquals(g.compact().nextState(a), compact.nextState(a));
        assertEquals(g.compact().weight(a), compact.weight(a), 0f);
      }
      try (OpenFst back = OpenFst.read(dir.resolve("TLG.fst"))) {
        assertEquals(g.tlg().numArcs(), back.numArcs());
      }
      assertEquals(List.of("dog"), Files.readAllLines(dir.resolve("oov.txt")));
      SymbolTable words = SymbolTable.read(dir.resolve("words.txt"));
      assertEquals(0, words.id("<eps>"));
      assertTrue(words.id("#0") > 0);
      SymbolTable inputs = SymbolTable.read(dir.resolve("tokens.txt"));
      assertEquals(1, inputs.id("<blk>"));
      // The written input table serves as a token table again (EESEN's layout).
      SymbolTable tokens = GraphSymbols.ctcTokens(inputs);
      SymbolTable original = GraphTestData.tokens();
      assertEquals(original.size(), tokens.size());
      for (int id = 0; id < original.availableId(); id++) {
        assertEquals(original.symbol(id), tokens.symbol(id));
      }
      assertEquals(List.of("L", "G", "LG", "det(LG)", "min(LG)", "TLG"),
          g.stages().stream().map(GraphCompiler.Stage::name).toList());
    }
  }

  @Test
  void lexiconPhoneMissingFromTokensIsAClearError() throws IOException {
    SymbolTable tokens = GraphTestData.tokens();
    SymbolTable fewer = new SymbolTable();
    for (int id = 0; id < tokens.availableId(); id++) {
      if (!tokens.symbol(id).equals("UW") && !tokens.symbol(id).equals("SIL")) {
        fewer.add(tokens.symbol(id));
      }
    }
    GraphException e = assertThrows(GraphException.class, () -> GraphCompiler.compile(GraphTestData.lexicon(),
        GraphTestData.resource("toy.arpa"), fewer, GraphCompiler.Options.defaults()));
    assertTrue(e.getMessage().contains("phone 'UW'"), e.getMessage());
  }
}
