package dev.joule.engine.ctccrf;

/**
 * The CTC numerator: log p_ctc(l | x) and its per-frame token occupancies for each utterance's
 * label sequence, in float64 log space.
 *
 * <p>Labels are token ids 1..V−1 (0 is blank and never appears in a label sequence). The search
 * runs over the blank-interleaved sequence l' = (0, l1, 0, l2, …, 0) of length S = 2L+1:
 * <pre>
 *   α_0(0) = x[0][0], α_0(1) = x[0][l1]
 *   α_t(s) = x[t][l'_s] + log(α_{t−1}(s) + α_{t−1}(s−1) + [l'_s ≠ 0 and l'_s ≠ l'_{s−2}] α_{t−1}(s−2))
 *   log p  = log(α_{T−1}(S−1) + α_{T−1}(S−2))
 * </pre>
 * β runs the mirror recursion without the frame's own emission, so the posterior of being at
 * position s at frame t is exp(α_t(s) + β_t(s) − log p), and a token's occupancy sums the
 * positions carrying it. An utterance whose labels need more frames than it has (L plus the
 * number of adjacent repeats) has no alignment: log p = −∞ and zero occupancy.
 */
public final class CtcNumerator {
  private CtcNumerator() {}

  /** Minimum frames needed to emit {@code labels}: one per label plus a blank between repeats. */
  public static int minimumFrames(int[] labels) {
    int needed = labels.length;
    for (int i = 1; i < labels.length; i++) {
      if (labels[i] == labels[i - 1]) {
        needed++;
      }
    }
    return needed;
  }

  public static SequencePosteriors compute(LogProbBatch x, int[][] labels) {
    validateLabels(x, labels);
    double[] logp = new double[x.batch()];
    float[] occupancy = new float[x.data().length];
    java.util.stream.IntStream.range(0, x.batch()).parallel()
        .forEach(b -> logp[b] = utterance(x, b, labels[b], occupancy));
    return new SequencePosteriors(logp, occupancy);
  }

  /** Checks that there is one label sequence per utterance, each of tokens 1..V−1. */
  static void validateLabels(LogProbBatch x, int[][] labels) {
    validateLabels(x.batch(), x.tokens(), labels);
  }

  /** {@link #validateLabels(LogProbBatch, int[][])} for a batch of {@code batch} over {@code tokens} tokens. */
  static void validateLabels(int batch, int tokens, int[][] labels) {
    if (labels.length != batch) {
      throw new IllegalArgumentException(labels.length + " label sequences for a batch of " + batch);
    }
    for (int b = 0; b < labels.length; b++) {
      for (int i = 0; i < labels[b].length; i++) {
        if (labels[b][i] <= 0 || labels[b][i] >= tokens) {
          throw new IllegalArgumentException(
              "utterance " + b + ": label " + i + " is " + labels[b][i] + "; labels must be tokens 1.." + (tokens - 1));
        }
      }
    }
  }

  private static double utterance(LogProbBatch x, int b, int[] labels, float[] occupancy) {
    int frames = x.lengths()[b];
    if (minimumFrames(labels) > frames) {
      return Double.NEGATIVE_INFINITY;
    }
    int positions = 2 * labels.length + 1;
    int[] token = new int[positions];
    for (int i = 0; i < labels.length; i++) {
      token[2 * i + 1] = labels[i];
    }
    float[] data = x.data();
    double[][] alpha = new double[frames][positions];
    for (double[] row : alpha) {
      java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
    }
    int o0 = x.offset(b, 0);
    alpha[0][0] = data[o0];
    if (positions > 1) {
      alpha[0][1] = data[o0 + token[1]];
    }
    for (int t = 1; t < frames; t++) {
      int o = x.offset(b, t);
      for (int s = 0; s < positions; s++) {
        double sum = alpha[t - 1][s];
        if (s >= 1) {
          sum = LogMath.logAdd(sum, alpha[t - 1][s - 1]);
        }
        if (s >= 2 && token[s] != 0 && token[s] != token[s - 2]) {
          sum = LogMath.logAdd(sum, alpha[t - 1][s - 2]);
        }
        alpha[t][s] = sum + data[o + token[s]];
      }
    }
    double logp = alpha[frames - 1][positions - 1];
    if (positions > 1) {
      logp = LogMath.logAdd(logp, alpha[frames - 1][positions - 2]);
    }
    if (logp == Double.NEGATIVE_INFINITY) {
      return logp;
    }
    double[] beta = new double[positions];
    java.util.Arrays.fill(beta, Double.NEGATIVE_INFINITY);
    beta[positions - 1] = 0;
    if (positions > 1) {
      beta[positions - 2] = 0;
    }
    for (int t = frames - 1; t >= 0; t--) {
      int o = x.offset(b, t);
      for (int s = 0; s < positions; s++) {
        double post = alpha[t][s] + beta[s] - logp;
        if (post > -700) {
          occupancy[o + token[s]] += (float) Math.exp(post);
        }
      }
      if (t == 0) {
        break;
      }
      // β_{t−1}(s) = log Σ over successors s' of x[t][l'_s'] + β_t(s').
      double[] previous = new double[positions];
      for (int s = 0; s < positions; s++) {
        double sum = beta[s] + data[o + token[s]];
        if (s + 1 < positions) {
          sum = LogMath.logAdd(sum, beta[s + 1] + data[o + token[s + 1]]);
        }
        if (s + 2 < positions && token[s + 2] != 0 && token[s + 2] != token[s]) {
          sum = LogMath.logAdd(sum, beta[s + 2] + data[o + token[s + 2]]);
        }
        previous[s] = sum;
      }
      beta = previous;
    }
    return logp;
  }
}
