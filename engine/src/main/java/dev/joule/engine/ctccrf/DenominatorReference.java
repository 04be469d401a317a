package dev.joule.engine.ctccrf;

/**
 * The denominator forward-backward written as plainly as possible: float64, log space, one
 * utterance at a time, one arc at a time. It is the reference the fast CPU and GPU paths are
 * tested against, and is itself checked by enumerating every path on tiny graphs.
 *
 * <p>With x[t][v] the input log-probabilities and each arc a = (s → d, token v, log-prob w):
 * <pre>
 *   α_0(start) = 0,  α_t(d) = log Σ_{a: s→d} exp(α_{t−1}(s) + w_a + x[t−1][v_a])
 *   log Z      = log Σ_s exp(α_T(s) + final(s))
 *   β_T(s)     = final(s),  β_{t−1}(s) = log Σ_{a: s→d} exp(w_a + x[t−1][v_a] + β_t(d))
 *   γ[t−1][v]  = Σ_{a with token v} exp(α_{t−1}(s) + w_a + x[t−1][v] + β_t(d) − log Z)
 * </pre>
 */
public final class DenominatorReference {
  private DenominatorReference() {}

  public static SequencePosteriors compute(DenGraph g, LogProbBatch x) {
    double[] logZ = new double[x.batch()];
    float[] occupancy = new float[x.data().length];
    for (int b = 0; b < x.batch(); b++) {
      logZ[b] = utterance(g, x, b, occupancy);
    }
    return new SequencePosteriors(logZ, occupancy);
  }

  private static double utterance(DenGraph g, LogProbBatch x, int b, float[] occupancy) {
    int frames = x.lengths()[b];
    int states = g.numStates();
    int[] src = g.srcStart();
    double[][] alpha = new double[frames + 1][states];
    for (double[] row : alpha) {
      java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
    }
    alpha[0][g.start()] = 0;
    for (int t = 1; t <= frames; t++) {
      int xo = x.offset(b, t - 1);
      for (int s = 0; s < states; s++) {
        for (int a = src[s]; a < src[s + 1]; a++) {
          double v = alpha[t - 1][s] + g.srcArcLogProb()[a] + x.data()[xo + g.srcArcToken()[a]];
          int d = g.srcArcDst()[a];
          alpha[t][d] = LogMath.logAdd(alpha[t][d], v);
        }
      }
    }
    double logZ = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < states; s++) {
      logZ = LogMath.logAdd(logZ, alpha[frames][s] + g.finalLogProb(s));
    }
    if (logZ == Double.NEGATIVE_INFINITY) {
      return logZ;
    }
    double[] beta = g.finalLogProbs().clone();
    double[][] gamma = new double[frames][x.tokens()];
    for (int t = frames; t >= 1; t--) {
      int xo = x.offset(b, t - 1);
      double[] previous = new double[states];
      java.util.Arrays.fill(previous, Double.NEGATIVE_INFINITY);
      for (int s = 0; s < states; s++) {
        for (int a = src[s]; a < src[s + 1]; a++) {
          int v = g.srcArcToken()[a];
          double arc = g.srcArcLogProb()[a] + x.data()[xo + v] + beta[g.srcArcDst()[a]];
          previous[s] = LogMath.logAdd(previous[s], arc);
          gamma[t - 1][v] += Math.exp(alpha[t - 1][s] + arc - logZ);
        }
      }
      beta = previous;
    }
    for (int t = 0; t < frames; t++) {
      int xo = x.offset(b, t);
      for (int v = 0; v < x.tokens(); v++) {
        occupancy[xo + v] = (float) gamma[t][v];
      }
    }
    return logZ;
  }
}
