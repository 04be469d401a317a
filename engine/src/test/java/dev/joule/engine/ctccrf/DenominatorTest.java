package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DenominatorTest {

  /** Sums over every path of exactly T arcs by explicit enumeration: log Z and occupancies. */
  private static double[] bruteForce(DenGraph g, LogProbBatch x, double[][] occupancy) {
    int frames = x.lengths()[0];
    double[] z = {0};
    enumerate(g, x, g.start(), 0, frames, 0.0, new int[frames], z, occupancy);
    return z;
  }

  private static void enumerate(DenGraph g, LogProbBatch x, int state, int t, int frames, double logp,
      int[] tokens, double[] z, double[][] occupancy) {
    if (t == frames) {
      double p = Math.exp(logp + g.finalLogProb(state));
      z[0] += p;
      for (int f = 0; f < frames; f++) {
        occupancy[f][tokens[f]] += p;
      }
      return;
    }
    for (int a = g.srcStart()[state]; a < g.srcStart()[state + 1]; a++) {
      int v = g.srcArcToken()[a];
      tokens[t] = v;
      enumerate(g, x, g.srcArcDst()[a], t + 1, frames,
          logp + g.srcArcLogProb()[a] + x.data()[x.offset(0, t) + v], tokens, z, occupancy);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 6})
  void referenceEqualsEnumerationOfAllPaths(int frames) {
    Random r = new Random(frames);
    DenGraph g = RandomGraphs.graph(r, 4, 3, 3);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 3, 1.0, frames);
    double[][] occ = new double[frames][3];
    double z = bruteForce(g, x, occ)[0];
    SequencePosteriors ref = DenominatorReference.compute(g, x);
    assertEquals(Math.log(z), ref.logLikelihood()[0], 1e-10);
    for (int t = 0; t < frames; t++) {
      for (int v = 0; v < 3; v++) {
        assertEquals(occ[t][v] / z, ref.occupancy()[t * 3 + v], 1e-6, "frame " + t + " token " + v);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void fastPathEqualsReferenceOnRandomGraphsAndRaggedBatches(long seed) {
    Random r = new Random(seed);
    int tokens = 2 + r.nextInt(8);
    DenGraph g = RandomGraphs.graph(r, 5 + r.nextInt(60), tokens, 6);
    LogProbBatch x = RandomGraphs.logSoftmax(r, tokens, 3.0, 40, 1, 17, 33);
    SequencePosteriors ref = DenominatorReference.compute(g, x);
    SequencePosteriors fast = new Denominator(g).compute(x);
    for (int b = 0; b < x.batch(); b++) {
      assertEquals(ref.logLikelihood()[b], fast.logLikelihood()[b], 1e-9 * Math.max(1, Math.abs(ref.logLikelihood()[b])), "utterance " + b);
    }
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(ref.occupancy()[i], fast.occupancy()[i], 1e-5, "occupancy " + i);
    }
  }

  /** The one-token-per-state form (den graphs on the CTC topology) against the reference. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void oneTokenPerStateFormEqualsReference(long seed) {
    Random r = new Random(seed);
    int tokens = 2 + r.nextInt(8);
    DenGraph g = RandomGraphs.oneTokenPerState(r, 5 + r.nextInt(60), tokens, 6);
    Denominator den = new Denominator(g);
    assertTrue(den.oneTokenPerState());
    LogProbBatch x = RandomGraphs.logSoftmax(r, tokens, 3.0, 40, 1, 17, 33, 2);
    SequencePosteriors ref = DenominatorReference.compute(g, x);
    SequencePosteriors fast = den.compute(x);
    SequencePosteriors general = Denominator.arcByArc(g).compute(x);
    for (int b = 0; b < x.batch(); b++) {
      assertEquals(general.logLikelihood()[b], fast.logLikelihood()[b], 1e-12 * Math.max(1, Math.abs(general.logLikelihood()[b])));
    }
    for (int b = 0; b < x.batch(); b++) {
      assertEquals(ref.logLikelihood()[b], fast.logLikelihood()[b], 1e-9 * Math.max(1, Math.abs(ref.logLikelihood()[b])), "utterance " + b);
    }
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(ref.occupancy()[i], fast.occupancy()[i], 1e-5, "occupancy " + i);
    }
  }

  @Test
  void oneTokenPerStateFormEqualsEnumerationOfAllPaths() {
    Random r = new Random(11);
    DenGraph g = RandomGraphs.oneTokenPerState(r, 4, 3, 3);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 3, 1.5, 5);
    double[][] occupancy = new double[5][3];
    double z = bruteForce(g, x, occupancy)[0];
    assertTrue(z > 0, "the graph has paths of 5 arcs");
    SequencePosteriors fast = new Denominator(g).compute(x);
    assertEquals(Math.log(z), fast.logLikelihood()[0], 1e-9);
    for (int t = 0; t < 5; t++) {
      for (int v = 0; v < 3; v++) {
        assertEquals(occupancy[t][v] / z, fast.occupancy()[x.offset(0, t) + v], 1e-6, "frame " + t + " token " + v);
      }
    }
  }

  @Test
  void whichFormRunsFollowsTheGraph() {
    // Random arcs almost surely give some state incoming arcs of two tokens.
    assertTrue(!new Denominator(RandomGraphs.graph(new Random(1), 30, 6, 5)).oneTokenPerState());
    assertTrue(new Denominator(RandomGraphs.oneTokenPerState(new Random(1), 30, 6, 5)).oneTokenPerState());
    assertTrue(!Denominator.arcByArc(RandomGraphs.oneTokenPerState(new Random(1), 30, 6, 5)).oneTokenPerState());
  }

  @Test
  void occupancyIsTheGradientOfLogZ() {
    Random r = new Random(42);
    DenGraph g = RandomGraphs.graph(r, 12, 5, 4);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 5, 1.0, 9);
    SequencePosteriors base = new Denominator(g).compute(x);
    double h = 1e-3;
    for (int i = 0; i < x.data().length; i += 3) {
      float[] plus = x.data().clone();
      float[] minus = x.data().clone();
      plus[i] += h;
      minus[i] -= h;
      double up = DenominatorReference.compute(g, new LogProbBatch(plus, 1, 9, 5, new int[] {9})).logLikelihood()[0];
      double down = DenominatorReference.compute(g, new LogProbBatch(minus, 1, 9, 5, new int[] {9})).logLikelihood()[0];
      double numeric = (up - down) / (plus[i] - minus[i]);
      assertEquals(numeric, base.occupancy()[i], 1e-4, "element " + i);
    }
  }

  @Test
  void eachFrameOfOccupancySumsToOne() {
    Random r = new Random(7);
    DenGraph g = RandomGraphs.graph(r, 30, 6, 5);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 6, 2.0, 50, 25);
    SequencePosteriors p = new Denominator(g).compute(x);
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 50; t++) {
        double s = 0;
        for (int v = 0; v < 6; v++) {
          s += p.occupancy()[x.offset(b, t) + v];
        }
        assertEquals(t < x.lengths()[b] ? 1.0 : 0.0, s, 1e-5, "utterance " + b + " frame " + t);
      }
    }
  }

  @Test
  void unreachableFinalStateGivesMinusInfinityNotNaN() {
    // 0 -a-> 1 -a-> 2(final): exactly two frames reach the final state.
    DenGraph g = new DenGraph(3, 2, 0,
        new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0},
        new int[] {0, 1}, new int[] {1, 2}, new int[] {1, 1}, new double[] {0, 0});
    Random r = new Random(1);
    SequencePosteriors p = new Denominator(g).compute(RandomGraphs.logSoftmax(r, 2, 1.0, 3, 2));
    assertEquals(Double.NEGATIVE_INFINITY, p.logLikelihood()[0]);
    assertTrue(Double.isFinite(p.logLikelihood()[1]));
  }

  @Test
  void badInputIsRejectedClearly() {
    DenGraph g = RandomGraphs.graph(new Random(3), 3, 2, 2);
    float[] data = {0, 0, Float.NaN, 0};
    NonFiniteLogProbsException nan = assertThrows(NonFiniteLogProbsException.class,
        () -> new LogProbBatch(data, 1, 2, 2, new int[] {2}));
    assertTrue(nan.getMessage().contains("frame 1"), nan.getMessage());
    assertEquals(java.util.List.of("utterance 0"), nan.utterances());
    IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
        () -> new Denominator(g).compute(RandomGraphs.logSoftmax(new Random(1), 3, 1.0, 4)));
    assertTrue(tokens.getMessage().contains("3 tokens"), tokens.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new DenGraph(2, 2, 0, new double[] {0, 0}, new int[] {0}, new int[] {5}, new int[] {0}, new double[] {0}));
  }
}
