package dev.joule.decoder.search;

import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * A pruned lattice of one utterance: states are search tokens (state 0 is the start), arcs carry
 * a word label (0 for none) and their graph and acoustic costs separately, and states of the last
 * frame carry a final cost. Immutable.
 */
public final class WordLattice {
  private final int numStates;
  private final int[] from;
  private final int[] to;
  private final int[] word;
  private final float[] graph;
  private final float[] acoustic;
  private final float[] finalCost;

  WordLattice(int numStates, int[] from, int[] to, int[] word, float[] graph, float[] acoustic, float[] finalCost) {
    this.numStates = numStates;
    this.from = from;
    this.to = to;
    this.word = word;
    this.graph = graph;
    this.acoustic = acoustic;
    this.finalCost = finalCost;
  }

  public int numStates() {
    return numStates;
  }

  public int numArcs() {
    return from.length;
  }

  /**
   * As an OpenFST tropical acceptor over words (weight = graph + acoustic cost), for
   * {@code fstprint}, determinisation or shortest paths.
   */
  public OpenFst toOpenFst() {
    OpenFst f = OpenFst.create(Semiring.TROPICAL);
    f.addStates(numStates);
    f.setStart(0);
    float[] w = new float[from.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = graph[i] + acoustic[i];
    }
    f.addArcs(from, word, word, w, to);
    for (int s = 0; s < numStates; s++) {
      if (finalCost[s] != Float.POSITIVE_INFINITY) {
        f.setFinal(s, finalCost[s]);
      }
    }
    return f;
  }

  /**
   * The word lattice with epsilons removed, determinised and minimised in the tropical semiring:
   * one path per distinct word sequence, carrying that sequence's best cost.
   */
  public OpenFst determinized() {
    try (OpenFst raw = toOpenFst(); OpenFst noEpsilon = raw.rmEpsilon()) {
      OpenFst det = noEpsilon.determinize();
      try {
        return det.minimize(OpenFst.DEFAULT_DELTA); // in place: returns det itself
      } catch (RuntimeException e) {
        det.close();
        throw e;
      }
    }
  }

  /** Writes the lattice as an OpenFST binary file. */
  public void writeOpenFst(Path file) throws IOException {
    try (OpenFst f = toOpenFst()) {
      f.write(file);
    }
  }

  /**
   * Writes the lattice in Kaldi's text lattice format: a line with the utterance id, then
   * {@code from to word word graph,acoustic} per arc and {@code state graph,acoustic} per final
   * state, then a blank line.
   */
  public void writeKaldiText(String utteranceId, Writer out) throws IOException {
    StringBuilder b = new StringBuilder(utteranceId).append('\n');
    for (int i = 0; i < from.length; i++) {
      b.append(from[i]).append('\t').append(to[i]).append('\t').append(word[i]).append('\t').append(word[i])
          .append('\t').append(graph[i]).append(',').append(acoustic[i]).append('\n');
    }
    for (int s = 0; s < numStates; s++) {
      if (finalCost[s] != Float.POSITIVE_INFINITY) {
        b.append(s).append('\t').append(finalCost[s]).append(",0\n");
      }
    }
    out.write(b.append('\n').toString());
  }
}
