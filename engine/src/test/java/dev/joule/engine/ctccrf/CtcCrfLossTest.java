package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CtcCrfLossTest {

  /** The CAT CTC topology over V tokens with a uniform "LM": every token sequence allowed. */
  static DenGraph ctcTopology(int tokens) {
    // State 0 = blank/start, state i = last emitted token i. Arcs as in CAT's build_ctc_topo.
    java.util.List<int[]> arcs = new java.util.ArrayList<>();
    arcs.add(new int[] {0, 0, 0});
    for (int i = 1; i < tokens; i++) {
      arcs.add(new int[] {0, i, i});
      arcs.add(new int[] {i, i, i});
      arcs.add(new int[] {i, 0, 0});
      for (int j = 1; j < tokens; j++) {
        if (j != i) {
          arcs.add(new int[] {i, j, j});
        }
      }
    }
    int n = arcs.size();
    int[] src = new int[n];
    int[] dst = new int[n];
    int[] tok = new int[n];
    for (int a = 0; a < n; a++) {
      src[a] = arcs.get(a)[0];
      dst[a] = arcs.get(a)[1];
      tok[a] = arcs.get(a)[2];
    }
    return new DenGraph(tokens, tokens, 0, new double[tokens], src, dst, tok, new double[n]);
  }

  @Test
  void lossAndGradientCombineDenominatorAndNumerator() {
    Random r = new Random(11);
    DenGraph g = RandomGraphs.graph(r, 20, 4, 5);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 4, 1.0, 12, 8);
    int[][] labels = {{1, 2, 3}, {3, 3}};
    CtcCrfLoss.Result result = new CtcCrfLoss(new Denominator(g), 0.01).compute(x, labels, new String[] {"a", "b"});
    SequencePosteriors den = DenominatorReference.compute(g, x);
    SequencePosteriors num = CtcNumerator.compute(x, labels);
    for (int b = 0; b < 2; b++) {
      assertEquals(den.logLikelihood()[b] - 1.01 * num.logLikelihood()[b], result.perUtterance()[b], 1e-9);
    }
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(den.occupancy()[i] - 1.01 * num.occupancy()[i], result.gradient()[i], 1e-5);
    }
    assertEquals(List.of(), result.skipped());
    assertEquals(20, result.frames());
  }

  @Test
  void withAFreeTopologyTheCrfLossIsNonNegative() {
    // Over the plain CTC topology with zero weights, Z_den sums p_ctc over all label sequences
    // (each path weighted by its emissions), so log Z_den ≥ log p_ctc(l) for every l.
    Random r = new Random(2);
    DenGraph g = ctcTopology(5);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 5, 2.0, 30);
    CtcCrfLoss.Result result = new CtcCrfLoss(new Denominator(g), 0).compute(x, new int[][] {{1, 4, 4, 2}}, new String[] {"u"});
    assertTrue(result.perUtterance()[0] >= 0, "loss " + result.perUtterance()[0]);
    // log-softmax rows sum to 1 and every frame path is allowed, so Z_den = 1.
    assertEquals(0, DenominatorReference.compute(g, x).logLikelihood()[0], 1e-5);
  }

  @Test
  void unalignableUtterancesAreSkippedAndTheBatchStaysFinite() {
    Random r = new Random(4);
    DenGraph g = ctcTopology(4);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 4, 1.0, 10, 2);
    CtcCrfLoss.Result result = new CtcCrfLoss(new Denominator(g)).compute(x, new int[][] {{1, 2}, {1, 2, 3}}, new String[] {"ok", "too-long"});
    assertEquals(List.of("too-long"), result.skipped());
    assertTrue(Double.isFinite(result.total()));
    assertEquals(0.0, result.perUtterance()[1]);
    for (int i = x.offset(1, 0); i < x.offset(2, 0); i++) {
      assertEquals(0f, result.gradient()[i]);
    }
    assertEquals(10, result.frames());
  }

  /** log-softmax of each row of z, as the network computes it. */
  private static LogProbBatch logSoftmax(double[] z, int frames, int tokens) {
    float[] x = new float[z.length];
    for (int t = 0; t < frames; t++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < tokens; v++) {
        max = Math.max(max, z[t * tokens + v]);
      }
      double sum = 0;
      for (int v = 0; v < tokens; v++) {
        sum += Math.exp(z[t * tokens + v] - max);
      }
      for (int v = 0; v < tokens; v++) {
        x[t * tokens + v] = (float) (z[t * tokens + v] - max - Math.log(sum));
      }
    }
    return new LogProbBatch(x, 1, frames, tokens, new int[] {frames});
  }

  @Test
  void gradientThroughLogSoftmaxMatchesFiniteDifferences() {
    // d loss / d z[t][u] = g[t][u] − softmax(z[t])[u] · Σ_v g[t][v], with g the gradient w.r.t. log-softmax.
    Random r = new Random(21);
    int frames = 8;
    int tokens = 4;
    DenGraph g = RandomGraphs.graph(r, 15, tokens, 4);
    CtcCrfLoss loss = new CtcCrfLoss(new Denominator(g), 0.01);
    int[][] labels = {{1, 3, 3}};
    String[] ids = {"u"};
    double[] z = new double[frames * tokens];
    for (int i = 0; i < z.length; i++) {
      z[i] = r.nextGaussian();
    }
    CtcCrfLoss.Result base = loss.compute(logSoftmax(z, frames, tokens), labels, ids);
    for (int t = 0; t < frames; t++) {
      double gsum = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < tokens; v++) {
        gsum += base.gradient()[t * tokens + v];
        max = Math.max(max, z[t * tokens + v]);
      }
      double norm = 0;
      for (int v = 0; v < tokens; v++) {
        norm += Math.exp(z[t * tokens + v] - max);
      }
      for (int u = 0; u < tokens; u++) {
        int i = t * tokens + u;
        double softmax = Math.exp(z[i] - max) / norm;
        double analytic = base.gradient()[i] - softmax * gsum;
        double h = 1e-2;
        double[] plus = z.clone();
        double[] minus = z.clone();
        plus[i] += h;
        minus[i] -= h;
        double numeric = (loss.compute(logSoftmax(plus, frames, tokens), labels, ids).total()
            - loss.compute(logSoftmax(minus, frames, tokens), labels, ids).total()) / (2 * h);
        assertEquals(analytic, numeric, 2e-3, "frame " + t + " token " + u);
      }
    }
  }

  @Test
  void labelSequencesTheDenGraphForbidsAreSkipped() throws Exception {
    // CAT's tiny den LM starts every sentence with "a" (token 1): "a t" passes, "c a t" doesn't.
    DenGraph g = CatReferenceCaseTest.catDenLm();
    assertTrue(g.accepts(new int[] {1, 4}));
    assertTrue(!g.accepts(new int[] {2, 1, 4}));
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(6), 5, 1.0, 6, 6);
    int[][] labels = {{1, 4}, {2, 1, 4}};
    String[] ids = {"at", "cat"};
    CtcCrfLoss.Result strict = new CtcCrfLoss(new Denominator(g), 0.01, true).compute(x, labels, ids);
    assertEquals(List.of("cat"), strict.skipped());
    assertTrue(Double.isFinite(strict.total()));
    // CAT's behaviour (the default): both are scored and the loss is finite.
    CtcCrfLoss.Result lenient = new CtcCrfLoss(new Denominator(g)).compute(x, labels, ids);
    assertEquals(List.of(), lenient.skipped());
    assertTrue(Double.isFinite(lenient.total()));
  }
}
