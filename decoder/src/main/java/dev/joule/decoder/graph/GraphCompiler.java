package dev.joule.decoder.graph;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.FstException;
import dev.joule.decoder.fst.LabelSide;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.lexicon.Disambiguation;
import dev.joule.decoder.lexicon.Lexicon;
import dev.joule.decoder.lm.ArpaReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles the decoding graph {@code TLG = T ∘ min(det(L ∘ G))} from a lexicon, an ARPA language
 * model and the CTC token table, as EESEN/CAT do:
 *
 * <ol>
 *   <li>the lexicon is restricted to the LM's words; LM words without a pronunciation are reported;
 *   <li>disambiguation symbols are assigned, L and G built (L sorted by output label);
 *   <li>{@code LG = L ∘ G}, epsilon-removed, determinized (bounded by {@link Options#maxDeterminizedStates})
 *       and minimized with labels and weights encoded;
 *   <li>{@code TLG = T ∘ LG} with T's {@code ε:#k} loops consuming the disambiguation symbols, then
 *       connected and sorted by input label; no disambiguation symbol may remain on either side.
 * </ol>
 */
public final class GraphCompiler {
  private GraphCompiler() {}

  /**
   * Compilation settings.
   *
   * @param silenceProbability optional silence between words (0: none, as CTC models usually use)
   * @param silenceToken the silence token, used when {@code silenceProbability > 0}
   * @param delta determinization quantization delta
   * @param maxDeterminizedStates give up when det(LG) grows past this (0: no limit)
   */
  public record Options(double silenceProbability, String silenceToken, float delta, long maxDeterminizedStates) {
    public static Options defaults() {
      return new Options(0, "SIL", OpenFst.DEFAULT_DELTA, 50_000_000L);
    }
  }

  /** One step's output size and time. */
  public record Stage(String name, int states, long arcs, long millis) {
    @Override
    public String toString() {
      return String.format("%-8s %,12d states %,14d arcs %,9d ms", name, states, arcs, millis);
    }
  }

  /** Reads the ARPA file and compiles. */
  public static CompiledGraph compile(Lexicon lexicon, Path arpa, SymbolTable tokens, Options options)
      throws IOException {
    return compile(lexicon, ArpaGrammar.from(ArpaReader.read(arpa)), tokens, options);
  }

  static CompiledGraph compile(Lexicon lexicon, ArpaGrammar lm, SymbolTable tokens, Options options) {
    List<Stage> stages = new ArrayList<>();
    List<String> vocabulary = GrammarFst.vocabulary(lm);
    List<String> outOfLexicon = lexicon.missing(vocabulary);
    Lexicon used = lexicon.restrictTo(vocabulary);
    if (used.words().isEmpty()) {
      throw new GraphException("no word of the language model has a pronunciation in the lexicon");
    }
    Disambiguation disambiguation = Disambiguation.assign(used);
    GraphSymbols symbols = GraphSymbols.create(tokens, used.words(), disambiguation.maxSymbol());

    try {
      OpenFst lg = buildLg(disambiguation, symbols, lm, options, stages);
      try (OpenFst detLg = lg) {
        long t0 = System.nanoTime();
        try (OpenFst t = CtcTopology.decoding(symbols)) {
          t.arcSort(LabelSide.OUTPUT);
          OpenFst tlg = OpenFst.composePresorted(t, detLg);
          try {
            tlg.connect().arcSort(LabelSide.INPUT);
            stages.add(stage("TLG", tlg, t0));
            Fst compact = Fst.fromOpenFst(tlg);
            checkNoDisambiguation(compact, symbols);
            return new CompiledGraph(tlg, compact, symbols, outOfLexicon, stages);
          } catch (RuntimeException e) {
            tlg.close();
            throw e;
          }
        }
      }
    } catch (FstException e) {
      throw new GraphException("compiling the graph failed: " + e.getMessage());
    }
  }

  /** min(det(rmeps(L ∘ G))), sorted by input label. */
  private static OpenFst buildLg(
      Disambiguation disambiguation, GraphSymbols symbols, ArpaGrammar lm, Options options, List<Stage> stages) {
    long t0 = System.nanoTime();
    OpenFst composed;
    try (OpenFst l = LexiconFst.build(disambiguation, symbols, options.silenceProbability(), options.silenceToken())) {
      l.arcSort(LabelSide.OUTPUT);
      stages.add(stage("L", l, t0));
      t0 = System.nanoTime();
      try (OpenFst g = GrammarFst.build(lm, symbols).fst()) {
        stages.add(stage("G", g, t0));
        t0 = System.nanoTime();
        composed = OpenFst.composePresorted(l, g);
      }
    }
    OpenFst det;
    try (OpenFst lg = composed) {
      lg.rmEpsilon();
      stages.add(stage("LG", lg, t0));
      t0 = System.nanoTime();
      det = lg.determinize(options.delta(), options.maxDeterminizedStates());
    }
    try {
      stages.add(stage("det(LG)", det, t0));
      t0 = System.nanoTime();
      det.minimizeEncoded().arcSort(LabelSide.INPUT);
      stages.add(stage("min(LG)", det, t0));
      return det;
    } catch (RuntimeException e) {
      det.close();
      throw e;
    }
  }

  /** TLG's input side must carry tokens only and its output side words only. */
  private static void checkNoDisambiguation(Fst view, GraphSymbols symbols) {
    int backoff = symbols.wordBackoffLabel();
    for (int a = 0; a < view.numArcs(); a++) {
      if (view.ilabel(a) > symbols.numTokenLabels() || view.olabel(a) == backoff) {
        throw new GraphException("internal error: a disambiguation symbol survived in TLG (arc " + a + ")");
      }
    }
  }

  private static Stage stage(String name, OpenFst f, long t0) {
    return new Stage(name, f.numStates(), f.numArcs(), (System.nanoTime() - t0) / 1_000_000);
  }
}
