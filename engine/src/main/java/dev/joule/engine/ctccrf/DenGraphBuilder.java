package dev.joule.engine.ctccrf;

import dev.joule.decoder.lm.phone.PhoneLm;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a CTC-CRF denominator graph: the CTC topology T composed with a phone LM G.
 *
 * <p>T is CAT's {@code build_ctc_topo}: state 0 means "blank last", state i means "token i last";
 * arcs 0→0 blank, 0→i token i (emits phone i), i→i token i (repeat, emits nothing), i→0 blank,
 * i→j token j ≠ i (emits phone j); every state is final. Composing with G (a deterministic
 * acceptor with no backoff arcs) pairs each T state with an LM state. The result is already
 * input-deterministic (every (state, token) has at most one arc), so the log-semiring
 * determinisation CAT applies next changes nothing; this builder constructs T ∘ G directly,
 * visiting only reachable pairs, which are (blank-last, g) and (last phone of g, g).
 *
 * <p>Tests check it against OpenFST's own composition of the same T and G.
 */
public final class DenGraphBuilder {
  private DenGraphBuilder() {}

  /**
   * @param lm phone LM over phone ids 1..numTokens−1
   * @param numTokens vocabulary size including blank (token id = phone id; 0 is blank)
   */
  public static DenGraph build(PhoneLm lm, int numTokens) {
    List<List<Integer>> out = new ArrayList<>();
    for (int s = 0; s < lm.numStates(); s++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < lm.arcs().size(); i++) {
      PhoneLm.Arc a = lm.arcs().get(i);
      if (a.phone() < 1 || a.phone() >= numTokens) {
        throw new IllegalArgumentException("phone " + a.phone() + " outside 1.." + (numTokens - 1));
      }
      out.get(a.from()).add(i);
    }
    Map<Long, Integer> id = new HashMap<>();
    ArrayDeque<long[]> queue = new ArrayDeque<>();
    List<long[]> states = new ArrayList<>();
    IntList src = new IntList();
    IntList dst = new IntList();
    IntList token = new IntList();
    IntList lmArc = new IntList(); // index into lm.arcs(), or -1 for T's own arcs (log-prob 0)
    List<PhoneLm.Arc> lmArcs = lm.arcs();
    java.util.function.BiFunction<Integer, Integer, Integer> state = (last, g) -> {
      long key = ((long) last << 32) | g;
      return id.computeIfAbsent(key, k -> {
        states.add(new long[] {last, g});
        queue.add(new long[] {last, g});
        return states.size() - 1;
      });
    };
    state.apply(0, 0);
    while (!queue.isEmpty()) {
      long[] pair = queue.poll();
      int last = (int) pair[0];
      int g = (int) pair[1];
      int from = id.get((pair[0] << 32) | pair[1]);
      if (last == 0) {
        addArc(src, dst, token, lmArc, from, from, 0, -1);
      } else {
        addArc(src, dst, token, lmArc, from, from, last, -1);
        addArc(src, dst, token, lmArc, from, state.apply(0, g), 0, -1);
      }
      for (int i : out.get(g)) {
        PhoneLm.Arc a = lmArcs.get(i);
        if (a.phone() != last) {
          addArc(src, dst, token, lmArc, from, state.apply(a.phone(), a.to()), a.phone(), i);
        }
      }
    }
    double[] finals = new double[states.size()];
    for (int s = 0; s < states.size(); s++) {
      finals[s] = lm.finalLogProb()[(int) states.get(s)[1]];
    }
    int[] arcOfLm = lmArc.toArray();
    double[] lp = new double[arcOfLm.length];
    for (int a = 0; a < lp.length; a++) {
      lp[a] = arcOfLm[a] < 0 ? 0 : lmArcs.get(arcOfLm[a]).logProb();
    }
    return new DenGraph(states.size(), numTokens, 0, finals, src.toArray(), dst.toArray(), token.toArray(), lp);
  }

  private static void addArc(IntList src, IntList dst, IntList token, IntList lmArc, int from, int to, int tok, int arc) {
    src.add(from);
    dst.add(to);
    token.add(tok);
    lmArc.add(arc);
  }

  /** A growable int array: den graphs have 10⁵–10⁶ arcs, too many to box. */
  private static final class IntList {
    private int[] values = new int[1024];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
