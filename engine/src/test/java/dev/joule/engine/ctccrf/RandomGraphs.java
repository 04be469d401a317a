package dev.joule.engine.ctccrf;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random den graphs and log-softmax batches for tests. */
final class RandomGraphs {
  private RandomGraphs() {}

  /** A random graph: each state gets 1..maxOut arcs with random tokens, weights and targets. */
  static DenGraph graph(Random r, int states, int tokens, int maxOut) {
    List<int[]> arcs = new ArrayList<>();
    List<Double> logProbs = new ArrayList<>();
    for (int s = 0; s < states; s++) {
      int out = 1 + r.nextInt(maxOut);
      for (int i = 0; i < out; i++) {
        arcs.add(new int[] {s, r.nextInt(states), r.nextInt(tokens)});
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
