package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CAT's own tiny test case (src/ctc_crf/test in CAT): a 9-state den LM over the tokens
 * blank, a, c, s, t, five frames of given probabilities, label "c a t", λ = 0.01. An independent
 * recomputation of CAT's semantics gives log Z_den = −6.258328, log p_ctc = −3.742280 and
 * loss = −2.478625; Joule must agree.
 */
class CatReferenceCaseTest {

  static DenGraph catDenLm() throws IOException {
    List<int[]> arcs = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    double[] finals = new double[9];
    Arrays.fill(finals, Double.NEGATIVE_INFINITY);
    try (InputStream in = CatReferenceCaseTest.class.getResourceAsStream("/ctccrf/cat-den-lm.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        if (f.length <= 2) {
          finals[Integer.parseInt(f[0])] = f.length == 2 ? -Double.parseDouble(f[1]) : 0;
        } else {
          arcs.add(new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]) - 1});
          costs.add(f.length == 5 ? Double.parseDouble(f[4]) : 0);
        }
      }
    }
    int n = arcs.size();
    int[] src = new int[n];
    int[] dst = new int[n];
    int[] tok = new int[n];
    double[] lp = new double[n];
    for (int a = 0; a < n; a++) {
      src[a] = arcs.get(a)[0];
      dst[a] = arcs.get(a)[1];
      tok[a] = arcs.get(a)[2];
      lp[a] = -costs.get(a);
    }
    return new DenGraph(9, 5, 0, finals, src, dst, tok, lp);
  }

  static LogProbBatch catLogits() {
    double[][] p = {
      {0.1, 0.1, 0.5, 0.1, 0.2},
      {0.5, 0.1, 0.1, 0.2, 0.2},
      {0.1, 0.7, 0.1, 0.05, 0.05},
      {0.6, 0.1, 0.1, 0.1, 0.1},
      {0.1, 0.1, 0.1, 0.6, 0.1}
    };
    float[] x = new float[25];
    for (int t = 0; t < 5; t++) {
      for (int v = 0; v < 5; v++) {
        x[t * 5 + v] = (float) Math.log((float) p[t][v]);
      }
    }
    return new LogProbBatch(x, 1, 5, 5, new int[] {5});
  }

  @Test
  void matchesCatsPublishedValues() throws IOException {
    DenGraph g = catDenLm();
    LogProbBatch x = catLogits();
    int[][] cat = {{2, 1, 4}};
    assertEquals(-6.258328, DenominatorReference.compute(g, x).logLikelihood()[0], 1e-6);
    assertEquals(-6.258328, new Denominator(g).compute(x).logLikelihood()[0], 1e-6);
    assertEquals(-3.742280, CtcNumerator.compute(x, cat).logLikelihood()[0], 1e-6);
    CtcCrfLoss.Result loss = new CtcCrfLoss(new Denominator(g), 0.01).compute(x, cat, new String[] {"cat"});
    assertEquals(-2.478625, loss.total(), 1e-6);
  }
}
