package dev.joule.decoder.graph;

import dev.joule.decoder.fst.LabelSide;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import dev.joule.decoder.lm.ArpaReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the grammar acceptor G from an ARPA back-off model, as Kaldi's {@code arpa2fst}.
 *
 * <p>One state per history that some longer n-gram extends (or that has a back-off weight), plus
 * the empty history; the start state is the history {@code <s>}. An n-gram {@code h w} is an arc
 * {@code w:w} from state {@code h} to the longest suffix of {@code h w} that is a state, with cost
 * −ln 10 · log10 p; {@code h </s>} becomes the final cost of {@code h}. Each non-empty history
 * has a back-off arc {@code #0:ε} to its longest proper suffix state with the back-off cost. Words
 * outside the vocabulary are left out (with their arcs) and listed by {@link Result#skippedWords}.
 */
public final class GrammarFst {
  private static final double LN10 = Math.log(10);

  private GrammarFst() {}

  /** G with the words skipped because they have no label in the vocabulary. */
  public record Result(OpenFst fst, List<String> skippedWords) {}

  /** Reads an ARPA file and builds G over the words of {@code symbols}. */
  public static Result fromArpa(Path arpa, GraphSymbols symbols) throws IOException {
    return build(ArpaGrammar.from(ArpaReader.read(arpa)), symbols);
  }

  /** The words of a model other than {@code <s>}, {@code </s>} and {@code <unk>}, in model order. */
  static List<String> vocabulary(ArpaGrammar lm) {
    List<String> out = new ArrayList<>();
    for (String w : lm.vocabulary) {
      if (!w.equals("<s>") && !w.equals("</s>") && !w.equals("<unk>")) {
        out.add(w);
      }
    }
    return out;
  }

  static Result build(ArpaGrammar lm, GraphSymbols symbols) {
    int n = lm.maxOrder();
    int bos = lm.wordId("<s>");
    int eos = lm.wordId("</s>");
    int[] label = new int[lm.vocabulary.size()];
    Set<String> skipped = new LinkedHashSet<>();
    for (int id = 0; id < label.length; id++) {
      String w = lm.vocabulary.get(id);
      label[id] = id == bos || id == eos ? -1 : symbols.wordLabel(w);
      if (label[id] < 0 && id != bos && id != eos && !w.equals("<unk>")) {
        skipped.add(w);
      }
    }

    // States: the empty history is 0; then every k-gram (k < n) that is a context or backs off.
    int[][] stateOf = new int[n][];
    int numStates = 1;
    for (int k = 1; k < n; k++) {
      ArpaGrammar.Order o = lm.orders[k - 1];
      stateOf[k] = new int[o.count];
      Arrays.fill(stateOf[k], -1);
      for (int i = 0; i < o.count; i++) {
        if (o.backoff[i] != 0f) {
          stateOf[k][i] = 0;
        }
      }
      ArpaGrammar.Order longer = lm.orders[k];
      for (int i = 0; i < longer.count; i++) {
        int ctx = o.find(longer.words, i * (k + 1));
        if (ctx < 0) {
          throw new GraphException(describe(lm, longer, i) + " has no " + k + "-gram prefix in the ARPA file");
        }
        stateOf[k][ctx] = 0;
      }
      for (int i = 0; i < o.count; i++) {
        if (stateOf[k][i] == 0 && o.words[i * k + k - 1] != eos) {
          stateOf[k][i] = numStates++;
        } else {
          stateOf[k][i] = -1;
        }
      }
    }

    int start = 0;
    if (bos >= 0 && n > 1) {
      int i = lm.orders[0].find(new int[] {bos}, 0);
      if (i >= 0 && stateOf[1][i] >= 0) {
        start = stateOf[1][i];
      }
    }

    ArcBuffer arcs = new ArcBuffer();
    float[] finals = new float[numStates];
    Arrays.fill(finals, Float.POSITIVE_INFINITY);
    int backoffLabel = symbols.wordBackoffLabel();
    for (int k = 1; k <= n; k++) {
      ArpaGrammar.Order o = lm.orders[k - 1];
      for (int i = 0; i < o.count; i++) {
        int last = o.words[i * k + k - 1];
        float lp = o.logProb[i];
        int src = k == 1 ? 0 : stateOf[k - 1][lm.orders[k - 2].find(o.words, i * k)];
        if (src < 0) {
          continue; // the context ends in </s>: nothing follows it
        }
        if (last != bos && lp != Float.NEGATIVE_INFINITY) {
          float cost = (float) (-lp * LN10);
          if (last == eos) {
            finals[src] = cost;
          } else if (label[last] >= 0) {
            arcs.add(src, label[last], label[last], cost, longestSuffixState(lm, stateOf, o.words, i * k, k, n));
          }
        }
        if (k < n && stateOf[k][i] > 0) {
          int from = stateOf[k][i];
          int to = longestSuffixState(lm, stateOf, o.words, i * k + 1, k - 1, n);
          arcs.add(from, backoffLabel, 0, (float) (-o.backoff[i] * LN10), to);
        }
      }
    }
    OpenFst g = arcs.toFst(numStates, start, Semiring.TROPICAL);
    try {
      for (int s = 0; s < numStates; s++) {
        if (finals[s] != Float.POSITIVE_INFINITY) {
          g.setFinal(s, finals[s]);
        }
      }
      g.connect().arcSort(LabelSide.INPUT);
      if (g.numStates() == 0) {
        throw new GraphException("the grammar accepts no sentence over the lexicon's words");
      }
      return new Result(g, List.copyOf(skipped));
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** The state of the longest suffix of {@code seq[from .. from+len)} (at most n-1 words) that is one. */
  private static int longestSuffixState(ArpaGrammar lm, int[][] stateOf, int[] seq, int from, int len, int n) {
    for (int drop = Math.max(0, len - (n - 1)); drop < len; drop++) {
      int k = len - drop;
      int i = lm.orders[k - 1].find(seq, from + drop);
      if (i >= 0 && stateOf[k][i] >= 0) {
        return stateOf[k][i];
      }
    }
    return 0;
  }

  private static String describe(ArpaGrammar lm, ArpaGrammar.Order o, int i) {
    StringBuilder b = new StringBuilder(o.order + "-gram '");
    for (int k = 0; k < o.order; k++) {
      b.append(k == 0 ? "" : " ").append(lm.vocabulary.get(o.words[i * o.order + k]));
    }
    return b.append('\'').toString();
  }
}
