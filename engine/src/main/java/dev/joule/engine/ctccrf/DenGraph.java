package dev.joule.engine.ctccrf;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A CTC-CRF denominator graph in the compact form the forward-backward walks: every arc once
 * in source order (for beta and the occupancies) and once in destination order (for alpha),
 * with probabilities stored as natural-log values.
 *
 * <p>Conventions (shared with CAT, see DESIGN.md): an OpenFST den graph's input label is
 * token + 1 (0 would be epsilon, which a den graph must not have); an arc's tropical weight is
 * a cost, so its log-probability is −weight; final weights likewise. Every arc consumes exactly
 * one frame, so a path through T frames takes exactly T arcs.
 */
public final class DenGraph {
  private final int numStates;
  private final int numTokens;
  private final int start;
  private final double[] finalLogProb;

  // Arcs in source order: arcs of state s are [srcStart[s], srcStart[s+1]).
  private final int[] srcStart;
  private final int[] srcArcDst;
  private final int[] srcArcToken;
  private final double[] srcArcLogProb;

  // The same arcs in destination order: arcs entering d are [dstStart[d], dstStart[d+1]).
  private final int[] dstStart;
  private final int[] dstArcSrc;
  private final int[] dstArcToken;
  private final double[] dstArcLogProb;

  /**
   * Builds the graph from parallel arc arrays.
   *
   * @param numTokens vocabulary size V; arc tokens must lie in {@code 0..V-1}
   * @param finalLogProb per state; −∞ for non-final states
   */
  public DenGraph(
      int numStates, int numTokens, int start, double[] finalLogProb,
      int[] arcSrc, int[] arcDst, int[] arcToken, double[] arcLogProb) {
    if (numStates < 1 || start < 0 || start >= numStates) {
      throw new IllegalArgumentException("den graph needs a start state in 0.." + (numStates - 1) + ", got " + start);
    }
    if (finalLogProb.length != numStates) {
      throw new IllegalArgumentException("final weights for " + finalLogProb.length + " states, graph has " + numStates);
    }
    int n = arcSrc.length;
    if (arcDst.length != n || arcToken.length != n || arcLogProb.length != n) {
      throw new IllegalArgumentException("arc arrays differ in length");
    }
    boolean anyFinal = false;
    for (double f : finalLogProb) {
      if (Double.isNaN(f) || f == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("final log-probability " + f + " is not a probability");
      }
      anyFinal |= f != Double.NEGATIVE_INFINITY;
    }
    if (!anyFinal) {
      throw new IllegalArgumentException("den graph has no final state");
    }
    for (int a = 0; a < n; a++) {
      if (arcSrc[a] < 0 || arcSrc[a] >= numStates || arcDst[a] < 0 || arcDst[a] >= numStates) {
        throw new IllegalArgumentException("arc " + a + " joins missing states " + arcSrc[a] + " -> " + arcDst[a]);
      }
      if (arcToken[a] < 0 || arcToken[a] >= numTokens) {
        throw new IllegalArgumentException("arc " + a + " has token " + arcToken[a] + " outside 0.." + (numTokens - 1));
      }
      if (Double.isNaN(arcLogProb[a]) || arcLogProb[a] == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("arc " + a + " has log-probability " + arcLogProb[a]);
      }
    }
    this.numStates = numStates;
    this.numTokens = numTokens;
    this.start = start;
    this.finalLogProb = finalLogProb.clone();

    Integer[] bySrc = sortedArcOrder(arcSrc, arcDst);
    this.srcStart = new int[numStates + 1];
    this.srcArcDst = new int[n];
    this.srcArcToken = new int[n];
    this.srcArcLogProb = new double[n];
    for (int i = 0; i < n; i++) {
      int a = bySrc[i];
      srcStart[arcSrc[a] + 1]++;
      srcArcDst[i] = arcDst[a];
      srcArcToken[i] = arcToken[a];
      srcArcLogProb[i] = arcLogProb[a];
    }
    Integer[] byDst = sortedArcOrder(arcDst, arcSrc);
    this.dstStart = new int[numStates + 1];
    this.dstArcSrc = new int[n];
    this.dstArcToken = new int[n];
    this.dstArcLogProb = new double[n];
    for (int i = 0; i < n; i++) {
      int a = byDst[i];
      dstStart[arcDst[a] + 1]++;
      dstArcSrc[i] = arcSrc[a];
      dstArcToken[i] = arcToken[a];
      dstArcLogProb[i] = arcLogProb[a];
    }
    for (int s = 0; s < numStates; s++) {
      srcStart[s + 1] += srcStart[s];
      dstStart[s + 1] += dstStart[s];
    }
  }

  private static Integer[] sortedArcOrder(int[] primary, int[] secondary) {
    Integer[] order = new Integer[primary.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (x, y) -> primary[x] != primary[y]
        ? Integer.compare(primary[x], primary[y]) : Integer.compare(secondary[x], secondary[y]));
    return order;
  }

  /** Reads an OpenFST den graph (tropical or log arcs; input label = token + 1). */
  public static DenGraph read(Path file, int numTokens) {
    try (OpenFst fst = OpenFst.read(file)) {
      return fromOpenFst(fst, numTokens, file.toString());
    }
  }

  /** Converts an OpenFST den graph; {@code name} appears in error messages. */
  public static DenGraph fromOpenFst(OpenFst fst, int numTokens, String name) {
    int states = fst.numStates();
    if (states == 0 || fst.start() < 0) {
      throw new IllegalArgumentException(name + ": den graph is empty or has no start state");
    }
    int arcs = Math.toIntExact(fst.numArcs());
    int[] src = new int[arcs];
    int[] dst = new int[arcs];
    int[] token = new int[arcs];
    double[] logProb = new double[arcs];
    double[] finals = new double[states];
    int i = 0;
    for (int s = 0; s < states; s++) {
      finals[s] = -fst.finalWeight(s);
      List<Arc> out = fst.arcs(s);
      for (Arc arc : out) {
        if (arc.ilabel() == 0) {
          throw new IllegalArgumentException(name + ": state " + s + " has an input-epsilon arc; a den graph must be epsilon-free");
        }
        src[i] = s;
        dst[i] = arc.nextState();
        token[i] = arc.ilabel() - 1;
        logProb[i] = -arc.weight();
        i++;
      }
    }
    try {
      return new DenGraph(states, numTokens, fst.start(), finals, src, dst, token, logProb);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * This graph as an OpenFST tropical FST in the CAT conventions (input label = token + 1, output
   * label = token, weight = −log-probability), arcs in source order.
   */
  public OpenFst toOpenFst() {
    OpenFst fst = OpenFst.create(Semiring.TROPICAL);
    fst.addStates(numStates);
    fst.setStart(start);
    int n = numArcs();
    int[] from = new int[n];
    int[] ilabel = new int[n];
    int[] olabel = new int[n];
    float[] weight = new float[n];
    for (int s = 0; s < numStates; s++) {
      for (int a = srcStart[s]; a < srcStart[s + 1]; a++) {
        from[a] = s;
        ilabel[a] = srcArcToken[a] + 1;
        olabel[a] = srcArcToken[a];
        weight[a] = (float) -srcArcLogProb[a];
      }
      if (finalLogProb[s] != Double.NEGATIVE_INFINITY) {
        fst.setFinal(s, (float) -finalLogProb[s]);
      }
    }
    fst.addArcs(from, ilabel, olabel, weight, srcArcDst);
    return fst;
  }

  /** Writes the graph as an OpenFST binary file (see {@link #toOpenFst()}), e.g. into a model directory. */
  public void write(Path file) throws java.io.IOException {
    try (OpenFst fst = toOpenFst()) {
      fst.write(file);
    }
  }

  public int numStates() {
    return numStates;
  }

  public int numArcs() {
    return srcArcDst.length;
  }

  public int numTokens() {
    return numTokens;
  }

  public int start() {
    return start;
  }

  public double finalLogProb(int state) {
    return finalLogProb[state];
  }

  /**
   * Whether some path through the graph has {@code labels} (tokens 1..V−1) as its CTC output,
   * i.e. collapses to it after merging repeats and dropping blanks, and ends in a final state.
   * A sequence the den graph forbids (for instance a phone n-gram its LM never saw) has zero
   * probability under the CRF.
   *
   * <p>Searches the product of graph states × labels emitted × "last frame was blank", so it
   * costs O(arcs × labels) in the worst case: a diagnostic, not something to run per frame.
   */
  public boolean accepts(int[] labels) {
    int positions = labels.length + 1;
    java.util.BitSet seen = new java.util.BitSet();
    java.util.ArrayDeque<int[]> queue = new java.util.ArrayDeque<>();
    // Node (state, emitted, afterBlank): afterBlank is 1 at the start and after a blank frame.
    visit(seen, queue, start, 0, 1, positions);
    while (!queue.isEmpty()) {
      int[] node = queue.poll();
      int s = node[0];
      int emitted = node[1];
      int afterBlank = node[2];
      if (emitted == labels.length && finalLogProb[s] != Double.NEGATIVE_INFINITY) {
        return true;
      }
      int previous = emitted == 0 || afterBlank == 1 ? -1 : labels[emitted - 1];
      for (int a = srcStart[s]; a < srcStart[s + 1]; a++) {
        int v = srcArcToken[a];
        int d = srcArcDst[a];
        if (v == 0) {
          visit(seen, queue, d, emitted, 1, positions);
        } else if (v == previous) {
          visit(seen, queue, d, emitted, 0, positions); // a repeat merges into the last label
        } else if (emitted < labels.length && v == labels[emitted]) {
          visit(seen, queue, d, emitted + 1, 0, positions);
        }
      }
    }
    return false;
  }

  private static void visit(java.util.BitSet seen, java.util.ArrayDeque<int[]> queue,
      int state, int emitted, int afterBlank, int positions) {
    int key = (state * positions + emitted) * 2 + afterBlank;
    if (!seen.get(key)) {
      seen.set(key);
      queue.add(new int[] {state, emitted, afterBlank});
    }
  }

  /**
   * One CSR copy of the arcs: arcs of state s are {@code [start[s], start[s+1])}; {@code other}
   * is the arc's destination (source order) or source (destination order).
   */
  public record Csr(int[] start, int[] other, int[] token, double[] logProb) {}

  /** A copy of the arcs grouped by source state. */
  public Csr bySource() {
    return new Csr(srcStart.clone(), srcArcDst.clone(), srcArcToken.clone(), srcArcLogProb.clone());
  }

  /** A copy of the arcs grouped by destination state. */
  public Csr byDestination() {
    return new Csr(dstStart.clone(), dstArcSrc.clone(), dstArcToken.clone(), dstArcLogProb.clone());
  }

  /** A copy of the final log-probabilities (−∞ for non-final states). */
  public double[] finalLogProbArray() {
    return finalLogProb.clone();
  }

  // Package-private views for the forward-backward implementations (not copied: read-only by contract).
  int[] srcStart() { return srcStart; }
  int[] srcArcDst() { return srcArcDst; }
  int[] srcArcToken() { return srcArcToken; }
  double[] srcArcLogProb() { return srcArcLogProb; }
  int[] dstStart() { return dstStart; }
  int[] dstArcSrc() { return dstArcSrc; }
  int[] dstArcToken() { return dstArcToken; }
  double[] dstArcLogProb() { return dstArcLogProb; }
  double[] finalLogProbs() { return finalLogProb; }
}
