package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import dev.joule.decoder.lm.phone.PhoneLm;
import dev.joule.decoder.lm.phone.PhoneLmEstimator;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T ∘ G built in Java against OpenFST's composition of the same T and G. */
class DenGraphBuilderTest {
  @TempDir Path dir;

  /** CAT's build_ctc_topo: input token+1, output the emitted phone (0 = nothing). */
  static OpenFst ctcTopology(int tokens) {
    OpenFst t = OpenFst.create(Semiring.TROPICAL);
    t.addStates(tokens);
    t.setStart(0);
    for (int s = 0; s < tokens; s++) {
      t.setFinal(s, 0f);
    }
    t.addArc(0, new Arc(1, 0, 0f, 0));
    for (int i = 1; i < tokens; i++) {
      t.addArc(0, new Arc(i + 1, i, 0f, i));
      t.addArc(i, new Arc(i + 1, 0, 0f, i));
      t.addArc(i, new Arc(1, 0, 0f, 0));
      for (int j = 1; j < tokens; j++) {
        if (j != i) {
          t.addArc(i, new Arc(j + 1, j, 0f, j));
        }
      }
    }
    return t;
  }

  static OpenFst acceptor(PhoneLm lm) {
    OpenFst g = OpenFst.create(Semiring.TROPICAL);
    g.addStates(lm.numStates());
    g.setStart(0);
    for (PhoneLm.Arc a : lm.arcs()) {
      g.addArc(a.from(), new Arc(a.phone(), a.phone(), (float) -a.logProb(), a.to()));
    }
    for (int s = 0; s < lm.numStates(); s++) {
      if (lm.finalLogProb()[s] != Double.NEGATIVE_INFINITY) {
        g.setFinal(s, (float) -lm.finalLogProb()[s]);
      }
    }
    return g;
  }

  private static PhoneLm randomLm(Random r, int phones) {
    PhoneLmEstimator e = new PhoneLmEstimator(4, 3, 4);
    for (int i = 0; i < 400; i++) {
      int[] s = new int[1 + r.nextInt(8)];
      for (int j = 0; j < s.length; j++) {
        s[j] = 1 + r.nextInt(phones);
      }
      e.add(s);
    }
    return e.estimate();
  }

  @Test
  void equalsOpenFstCompositionOfTheSameTopologyAndLm() {
    Random r = new Random(12);
    int tokens = 6;
    PhoneLm lm = randomLm(r, tokens - 1);
    DenGraph ours = DenGraphBuilder.build(lm, tokens);
    DenGraph openfst;
    try (OpenFst t = ctcTopology(tokens); OpenFst g = acceptor(lm); OpenFst tg = OpenFst.compose(t, g)) {
      openfst = DenGraph.fromOpenFst(tg, tokens, "T o G");
    }
    assertEquals(openfst.numStates(), ours.numStates());
    assertEquals(openfst.numArcs(), ours.numArcs());
    LogProbBatch x = RandomGraphs.logSoftmax(r, tokens, 2.0, 30, 7, 19);
    SequencePosteriors want = new Denominator(openfst).compute(x);
    SequencePosteriors got = new Denominator(ours).compute(x);
    for (int b = 0; b < x.batch(); b++) {
      // OpenFST stores weights as float32: agreement to float precision per arc.
      assertEquals(want.logLikelihood()[b], got.logLikelihood()[b], 1e-6 * Math.abs(want.logLikelihood()[b]));
    }
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(want.occupancy()[i], got.occupancy()[i], 1e-6);
    }
  }

  @Test
  void resultIsInputDeterministicAndRoundTripsThroughOpenFst() throws Exception {
    Random r = new Random(3);
    DenGraph g = DenGraphBuilder.build(randomLm(r, 4), 5);
    for (int s = 0; s < g.numStates(); s++) {
      Set<Integer> seen = new HashSet<>();
      for (int a = g.srcStart()[s]; a < g.srcStart()[s + 1]; a++) {
        assertTrue(seen.add(g.srcArcToken()[a]), "state " + s + " has two arcs on token " + g.srcArcToken()[a]);
      }
    }
    Path file = dir.resolve("den.fst");
    g.write(file);
    DenGraph back = DenGraph.read(file, 5);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 5, 1.0, 12);
    assertEquals(new Denominator(g).compute(x).logLikelihood()[0], new Denominator(back).compute(x).logLikelihood()[0], 1e-5);
  }
}
