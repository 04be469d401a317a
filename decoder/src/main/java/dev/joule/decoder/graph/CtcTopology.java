package dev.joule.decoder.graph;

import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;

/**
 * The CTC topology T (frame labels → tokens), in the compact form of CAT's {@code ctc_token_fst}.
 *
 * <p>State 0 is the start and the only final state; it has a blank self-loop {@code <blk>:ε}. Each
 * non-blank token {@code t} has a state {@code s_t} entered by {@code t:t}, with a self-loop
 * {@code t:ε} (repeated frames collapse) and an epsilon arc back to state 0. All weights are 0.
 * Input and output labels are graph token labels (token + 1).
 *
 * <p>The decoding variant adds {@code ε:#k} self-loops on state 0 for every disambiguation
 * symbol, so {@code T ∘ LG} consumes the symbols of LG and TLG's input side carries tokens only.
 * The variant without them is {@link #denominator}.
 */
public final class CtcTopology {
  private CtcTopology() {}

  /** T for decoding: tokens of {@code symbols} plus the {@code ε:#k} self-loops. */
  public static OpenFst decoding(GraphSymbols symbols) {
    return build(symbols.numTokenLabels(), Semiring.TROPICAL, symbols);
  }

  /**
   * T over {@code numTokens} tokens (blank included) with no disambiguation symbols. Note that
   * CTC-CRF denominator graphs use CAT's epsilon-free {@code build_ctc_topo} form instead, which
   * {@code dev.joule.engine.ctccrf.DenGraphBuilder} composes with the phone LM directly.
   */
  public static OpenFst denominator(int numTokens, Semiring semiring) {
    return build(numTokens, semiring, null);
  }

  private static OpenFst build(int numTokens, Semiring semiring, GraphSymbols disambig) {
    if (numTokens < 2) {
      throw new GraphException("a CTC topology needs the blank and at least one token, got " + numTokens);
    }
    ArcBuffer arcs = new ArcBuffer();
    int blank = 1;
    arcs.add(0, blank, 0, 0f, 0);
    int state = 1;
    for (int label = 2; label <= numTokens; label++, state++) {
      arcs.add(0, label, label, 0f, state);
      arcs.add(state, label, 0, 0f, state);
      arcs.add(state, 0, 0, 0f, 0);
    }
    if (disambig != null) {
      for (int k = 0; k <= disambig.maxDisambig(); k++) {
        int d = disambig.disambigLabel(k);
        arcs.add(0, 0, d, 0f, 0);
      }
    }
    OpenFst t = arcs.toFst(state, 0, semiring);
    t.setFinal(0, 0f);
    return t;
  }
}
