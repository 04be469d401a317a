package dev.joule.engine.ctccrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random den graphs and log-softmax batches for tests. */
final class RandomGraphs {
  private RandomGraphs() {}

  /** A random graph: each state gets 1..maxOut arcs with random tokens, weights and targets. */
  static DenGraph graph(Random r, int states, int tokens, int maxOut) {
    return graph(r, states, tokens, maxOut, null);
  }

  /**
   * A random graph shaped like one built on the CTC topology: each state has its own token
   * (random), carried by every arc into it.
   */
  static DenGraph oneTokenPerState(Random r, int states, int tokens, int maxOut) {
    int[] stateToken = new int[states];
    for (int s = 0; s < states; s++) {
      stateToken[s] = r.nextInt(tokens);
    }
    return graph(r, states, tokens, maxOut, stateToken);
  }

  private static DenGraph graph(Random r, int states, int tokens, int maxOut, int[] stateToken) {
    List<int[]> arcs = new ArrayList<>();
    List<Double> logProbs = new ArrayList<>();
    for (int s = 0; s < states; s++) {
      int out = 1 + r.nextInt(maxOut);
      for (int i = 0; i < out; i++) {
        int d = r.nextInt(states);
        arcs.add(new int[] {s, d, stateToken != null ? stateToken[d] : r.nextInt(tokens)});
        logProbs.add(Math.log(0.05 + r.nextDouble()));
      }
    }
    double[] finals = new double[states];
    for (int s = 0; s < states; s++) {
      finals[s] = r.nextDouble() < 0.4 ? Double.NEGATIVE_INFINITY : Math.log(0.1 + r.nextDouble());
    }
    finals[r.nextInt(states)] = 0;
    int n = arcs.size();
    int[] src = new int[n];
    int[] dst = new int[n];
    int[] tok = new int[n];
    double[] lp = new double[n];
    for (int i = 0; i < n; i++) {
      src[i] = arcs.get(i)[0];
      dst[i] = arcs.get(i)[1];
      tok[i] = arcs.get(i)[2];
      lp[i] = logProbs.get(i);
    }
    return new DenGraph(states, tokens, 0, finals, src, dst, tok, lp);
  }

  /** log-softmax of N(0, scale²) logits, with the given lengths padded to the longest. */
  static LogProbBatch logSoftmax(Random r, int tokens, double scale, int... lengths) {
    int maxFrames = java.util.Arrays.stream(lengths).max().orElseThrow();
    float[] data = new float[lengths.length * maxFrames * tokens];
    for (int row = 0; row < lengths.length * maxFrames; row++) {
      double[] z = new double[tokens];
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < tokens; v++) {
        z[v] = scale * r.nextGaussian();
        max = Math.max(max, z[v]);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      for (int v = 0; v < tokens; v++) {
        data[row * tokens + v] = (float) (z[v] - max - Math.log(sum));
      }
    }
    return new LogProbBatch(data, lengths.length, maxFrames, tokens, lengths.clone());
  }
}
