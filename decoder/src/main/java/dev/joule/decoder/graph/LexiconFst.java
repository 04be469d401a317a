package dev.joule.decoder.graph;

import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import dev.joule.decoder.lexicon.Disambiguation;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the lexicon transducer L (tokens → words) in Kaldi's {@code make_lexicon_fst} layout.
 *
 * <p>Every pronunciation is a path from the loop state back to it; its first arc carries the word
 * on the output side, the others epsilon, and a disambiguation symbol {@code #k} (when the entry
 * has one) follows the last phone. The loop state also has a {@code #0:#0} self-loop, so G's
 * backoff arcs survive composition until T consumes them.
 *
 * <p>With optional silence (probability {@code p > 0}) there are a start state, the loop state and
 * a silence state, as in Kaldi: the sentence may start with silence (cost −log p, otherwise
 * −log(1−p)), and each word ends either in the loop state (−log(1−p)) or in the silence state
 * (−log p), which returns to the loop state through one silence token.
 */
public final class LexiconFst {
  private LexiconFst() {}

  /**
   * L over the entries of {@code disambiguation}, labelled with {@code symbols}.
   *
   * @param silenceProbability 0 for no optional silence, else in (0, 1)
   * @param silenceToken the silence token (must be in the token table when silence is used)
   */
  public static OpenFst build(
      Disambiguation disambiguation, GraphSymbols symbols, double silenceProbability, String silenceToken) {
    if (!(silenceProbability >= 0 && silenceProbability < 1)) {
      throw new IllegalArgumentException("silence probability must be in [0, 1), got " + silenceProbability);
    }
    boolean silence = silenceProbability > 0;
    float silCost = silence ? (float) -Math.log(silenceProbability) : 0f;
    float noSilCost = silence ? (float) -Math.log(1 - silenceProbability) : 0f;
    int silLabel = silence ? symbols.tokenLabel(silenceToken) : -1;

    ArcBuffer arcs = new ArcBuffer();
    int start = 0;
    int loop = silence ? 1 : 0;
    int silState = silence ? 2 : -1;
    int nextState = silence ? 3 : 1;
    if (silence) {
      arcs.add(start, 0, 0, noSilCost, loop);
      arcs.add(start, silLabel, 0, silCost, loop);
      arcs.add(silState, silLabel, 0, 0f, loop);
    }
    int backoff = symbols.disambigLabel(0);
    arcs.add(loop, backoff, symbols.wordBackoffLabel(), 0f, loop);

    for (Disambiguation.Entry e : disambiguation.entries()) {
      int word = symbols.wordLabel(e.word());
      if (word < 0) {
        throw new GraphException("word '" + e.word() + "' is not in the word table");
      }
      List<Integer> labels = new ArrayList<>(e.phones().size() + 1);
      for (String phone : e.phones()) {
        try {
          labels.add(symbols.tokenLabel(phone));
        } catch (GraphException ex) {
          throw new GraphException("phone '" + phone + "' of word '" + e.word() + "' is not in the token table");
        }
      }
      if (e.symbol() > 0) {
        labels.add(symbols.disambigLabel(e.symbol()));
      }
      int s = loop;
      for (int i = 0; i < labels.size(); i++) {
        int out = i == 0 ? word : 0;
        if (i < labels.size() - 1) {
          arcs.add(s, labels.get(i), out, 0f, nextState);
          s = nextState++;
        } else {
          arcs.add(s, labels.get(i), out, noSilCost, loop);
          if (silence) {
            arcs.add(s, labels.get(i), out, silCost, silState);
          }
        }
      }
    }
    OpenFst l = arcs.toFst(nextState, start, Semiring.TROPICAL);
    l.setFinal(loop, 0f);
    return l;
  }
}
