package dev.joule.decoder.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.LabelSide;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The CTC topology: size by hand, and the token strings it maps frame strings to. */
class CtcTopologyTest {
  @Test
  void sizesByHand() {
    // 4 tokens (blank + 3): state 0 and one state per non-blank token;
    // 1 blank loop + 3 arcs per token.
    try (OpenFst t = CtcTopology.denominator(4, Semiring.LOG)) {
      assertEquals(4, t.numStates());
      assertEquals(10, t.numArcs());
      assertEquals(Semiring.LOG, t.semiring());
    }
  }

  @Test
  void decodingVariantHasDisambiguationLoops() throws Exception {
    GraphSymbols sym = GraphSymbols.create(GraphTestData.tokens(), List.of("x"), 2);
    try (OpenFst t = CtcTopology.decoding(sym)) {
      // 11 tokens: 1 + 3 * 10 arcs, plus #0..#2 as ε:#k loops on state 0.
      assertEquals(34, t.numArcs());
      long loops = t.arcs(0).stream().filter(a -> a.ilabel() == 0 && sym.isDisambig(a.olabel())).count();
      assertEquals(3, loops);
    }
  }

  /** Frames (graph labels) → the set of token strings T accepts them as. */
  private static Set<List<Integer>> outputs(OpenFst t, List<Integer> frames) {
    try (OpenFst in = GraphTestData.linear(frames); OpenFst c = OpenFst.compose(in, t)) {
      c.project(LabelSide.OUTPUT).rmEpsilon();
      Set<List<Integer>> out = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
      collect(c, c.start(), new ArrayList<>(), out);
      return out;
    }
  }

  private static void collect(OpenFst f, int s, List<Integer> prefix, Set<List<Integer>> out) {
    if (f.finalWeight(s) != Float.POSITIVE_INFINITY) {
      out.add(List.copyOf(prefix));
    }
    for (Arc a : f.arcs(s)) {
      prefix.add(a.olabel());
      collect(f, a.nextState(), prefix, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  @Test
  void collapsesRepeatsAndBlanks() {
    // Labels: 1 blank, 2 = a, 3 = b.
    try (OpenFst t = CtcTopology.denominator(3, Semiring.TROPICAL)) {
      assertEquals(Set.of(List.of(2, 3)), outputs(t, List.of(1, 2, 1, 3)));
      assertEquals(Set.of(List.of(2, 2)), outputs(t, List.of(2, 1, 2)));
      // The compact topology (as CAT's) also reads repeated frames without a blank between
      // them as repeated tokens: "a a" is "a" or "a a".
      assertEquals(Set.of(List.of(2), List.of(2, 2)), outputs(t, List.of(2, 2)));
      assertEquals(Set.of(List.of(2, 3), List.of(2, 2, 3)), outputs(t, List.of(1, 2, 2, 1, 3)));
      assertEquals(Set.of(List.of()), outputs(t, List.of(1, 1)));
    }
  }
}
