package dev.joule.engine.ctccrf;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The denominator forward-backward on the CPU: log Z_den and the per-frame token occupancies for
 * a batch of utterances of different lengths, utterances in parallel.
 *
 * <h2>Method</h2>
 * Probability space with per-frame rescaling instead of log space, so the inner loops are
 * multiply-adds rather than an exp and a log per arc (the approach of Kaldi's
 * chain-denominator): with emissions e_t(v) = exp(x[t][v] − m_t), m_t = max_v x[t][v], and arc
 * probabilities p_a,
 * <pre>
 *   α̂_t(d) = (Σ_{a: s→d} α̂_{t−1}(s) p_a e_t(v_a)) / c_t      c_t makes Σ_d α̂_t(d) = 1
 *   log Z  = Σ_t (log c_t + m_t) + log Σ_s α̂_T(s) exp(final(s))
 * </pre>
 * β̂ is scaled the same way from the end. The occupancy of frame t is
 * Σ_{a with token v} α̂_{t−1}(s) p_a e_t(v) β̂_t(d), renormalised to sum to 1 over v: every path
 * takes exactly one arc per frame, so the true posteriors of a frame sum to 1 and the unknown
 * product of scales cancels. Accumulation is float64 throughout; α̂ is kept for every frame
 * (T × S doubles per utterance in flight), β̂ only for the current frame.
 *
 * <h2>Graphs with one token per state</h2>
 * In a den graph built on the CTC topology every arc into a state carries the same token (the
 * state remembers the last token emitted, blank included), so the emission factors out of each
 * state's sum and the occupancy of a frame is α̂_t(d) β̂_t(d) summed over the states of each
 * token (α̂_t includes e_t, β̂_t does not):
 * <pre>
 *   α̂_t(d)   ∝ e_t(v_d) Σ_{a: s→d} α̂_{t−1}(s) p_a
 *   β̂_{t−1}(s) ∝ Σ_{a: s→d} p_a e_t(v_d) β̂_t(d)
 *   γ_t(v)    ∝ Σ_{d: v_d = v} α̂_t(d) β̂_t(d)
 * </pre>
 * Each arc then costs one multiply-add, forward and backward, instead of two multiplies, an
 * emission lookup and (backward) a scattered add into the occupancy. The constructor checks the
 * graph for this and uses the general arc-by-arc form above only when some state's incoming arcs
 * differ in token.
 *
 * <p>An utterance with no path through the graph gets log Z = −∞ and zero occupancy; callers
 * decide what to do with it ({@link CtcCrfLoss} skips it).
 */
public final class Denominator implements ForwardBackward {
  private final DenGraph graph;
  private final double[] dstArcProb;
  private final double[] srcArcProb;
  private final double[] finalProb;
  /** The token of every arc into each state, or null when some state's incoming arcs differ. */
  private final int[] stateToken;

  public Denominator(DenGraph graph) {
    this(graph, tokenPerState(graph));
  }

  private Denominator(DenGraph graph, int[] stateToken) {
    this.graph = graph;
    this.dstArcProb = exp(graph.dstArcLogProb());
    this.srcArcProb = exp(graph.srcArcLogProb());
    this.finalProb = exp(graph.finalLogProbs());
    this.stateToken = stateToken;
  }

  /**
   * A denominator that always runs the general, arc-by-arc form, even on a graph with one token
   * per state: for measuring the two forms against each other.
   */
  public static Denominator arcByArc(DenGraph graph) {
    return new Denominator(graph, null);
  }

  /**
   * The one token on the arcs into each state (0 for a state no arc enters: its forward score is
   * always 0), or null when some state is entered by arcs of different tokens.
   */
  static int[] tokenPerState(DenGraph graph) {
    int[] start = graph.dstStart();
    int[] token = graph.dstArcToken();
    int[] out = new int[graph.numStates()];
    for (int d = 0; d < out.length; d++) {
      for (int a = start[d]; a < start[d + 1]; a++) {
        if (token[a] != token[start[d]]) {
          return null;
        }
      }
      out[d] = start[d] < start[d + 1] ? token[start[d]] : 0;
    }
    return out;
  }

  /** Whether this graph has one token per state, so the faster form runs (for tests). */
  boolean oneTokenPerState() {
    return stateToken != null;
  }

  private static double[] exp(double[] logs) {
    double[] out = new double[logs.length];
    for (int i = 0; i < logs.length; i++) {
      out[i] = Math.exp(logs[i]);
    }
    return out;
  }

  @Override
  public DenGraph graph() {
    return graph;
  }

  /** Runs the batch on the common fork-join pool. */
  @Override
  public SequencePosteriors compute(LogProbBatch x) {
    return compute(x, ForkJoinPool.commonPool());
  }

  /** Runs the batch, utterances in parallel on {@code pool}. */
  public SequencePosteriors compute(LogProbBatch x, ForkJoinPool pool) {
    if (x.tokens() != graph.numTokens()) {
      throw new IllegalArgumentException(
          "log-probs have " + x.tokens() + " tokens; the den graph has " + graph.numTokens());
    }
    double[] logZ = new double[x.batch()];
    float[] occupancy = new float[x.data().length];
    try {
      pool.submit(() -> IntStream.range(0, x.batch()).parallel()
          .forEach(b -> logZ[b] = utterance(x, b, occupancy))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("denominator failed: " + e.getCause(), e.getCause());
    }
    return new SequencePosteriors(logZ, occupancy);
  }

  /**
   * The forward pass of utterance {@code b}: fills {@code alpha[0..frames]} (α̂, each frame summing
   * to 1) and returns log Z, or −∞ when no path of that length reaches a final state. With
   * {@link #stateToken} the emission multiplies each state's sum once (see the class comment);
   * otherwise every arc's term carries its own.
   */
  private double forward(LogProbBatch x, int b, double[][] alpha) {
    final int frames = x.lengths()[b];
    final int states = graph.numStates();
    final int tokens = x.tokens();
    final float[] data = x.data();
    final int[] dstStart = graph.dstStart();
    final int[] dstArcSrc = graph.dstArcSrc();
    final int[] dstArcToken = graph.dstArcToken();
    final int[] token = stateToken;

    double[] emission = new double[tokens];
    alpha[0] = new double[states];
    alpha[0][graph.start()] = 1;
    double logZ = 0;
    for (int t = 1; t <= frames; t++) {
      logZ += emissions(data, x.offset(b, t - 1), tokens, emission);
      double[] prev = alpha[t - 1];
      double[] cur = new double[states];
      double sum = 0;
      for (int d = 0; d < states; d++) {
        double acc = 0;
        if (token != null) {
          for (int a = dstStart[d]; a < dstStart[d + 1]; a++) {
            acc += prev[dstArcSrc[a]] * dstArcProb[a];
          }
          acc *= emission[token[d]];
        } else {
          for (int a = dstStart[d]; a < dstStart[d + 1]; a++) {
            acc += prev[dstArcSrc[a]] * dstArcProb[a] * emission[dstArcToken[a]];
          }
        }
        cur[d] = acc;
        sum += acc;
      }
      if (!(sum > 0)) {
        return Double.NEGATIVE_INFINITY;
      }
      scale(cur, 1 / sum);
      logZ += Math.log(sum);
      alpha[t] = cur;
    }
    double end = 0;
    for (int s = 0; s < states; s++) {
      end += alpha[frames][s] * finalProb[s];
    }
    if (!(end > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    return logZ + Math.log(end);
  }

  /**
   * log Z of utterance {@code b}; its occupancies go into {@code occupancy}. The forward pass is
   * shared; the backward pass is {@link #backwardByState} or {@link #backwardByArc}.
   */
  private double utterance(LogProbBatch x, int b, float[] occupancy) {
    double[][] alpha = new double[x.lengths()[b] + 1][];
    double logZ = forward(x, b, alpha);
    if (logZ == Double.NEGATIVE_INFINITY) {
      return logZ;
    }
    if (stateToken != null) {
      backwardByState(x, b, alpha, occupancy);
    } else {
      backwardByArc(x, b, alpha, occupancy);
    }
    return logZ;
  }

  /** The backward pass arc by arc, occupancies from each arc's α̂·p·e·β̂. */
  private void backwardByArc(LogProbBatch x, int b, double[][] alpha, float[] occupancy) {
    final int states = graph.numStates();
    final int tokens = x.tokens();
    final int[] srcStart = graph.srcStart();
    final int[] srcArcDst = graph.srcArcDst();
    final int[] srcArcToken = graph.srcArcToken();

    double[] emission = new double[tokens];
    double[] beta = normalised(finalProb.clone());
    double[] gamma = new double[tokens];
    for (int t = x.lengths()[b]; t >= 1; t--) {
      int xo = x.offset(b, t - 1);
      emissions(x.data(), xo, tokens, emission);
      double[] prevAlpha = alpha[t - 1];
      double[] prevBeta = new double[states];
      java.util.Arrays.fill(gamma, 0);
      for (int s = 0; s < states; s++) {
        double acc = 0;
        double as = prevAlpha[s];
        for (int a = srcStart[s]; a < srcStart[s + 1]; a++) {
          int v = srcArcToken[a];
          double arc = srcArcProb[a] * emission[v] * beta[srcArcDst[a]];
          acc += arc;
          gamma[v] += as * arc;
        }
        prevBeta[s] = acc;
      }
      writeOccupancy(gamma, occupancy, xo);
      beta = normalised(prevBeta);
      alpha[t - 1] = null; // no longer needed: frees memory as the backward pass proceeds
    }
  }

  /** The backward pass on a graph with one token per state, occupancies from α̂·β̂ per state (see the class comment). */
  private void backwardByState(LogProbBatch x, int b, double[][] alpha, float[] occupancy) {
    final int states = graph.numStates();
    final int tokens = x.tokens();
    final int[] srcStart = graph.srcStart();
    final int[] srcArcDst = graph.srcArcDst();
    final int[] token = stateToken;

    double[] emission = new double[tokens];
    double[] beta = normalised(finalProb.clone());
    double[] gamma = new double[tokens];
    double[] emittedBeta = new double[states];
    for (int t = x.lengths()[b]; t >= 1; t--) {
      int xo = x.offset(b, t - 1);
      emissions(x.data(), xo, tokens, emission);
      double[] alphaT = alpha[t];
      java.util.Arrays.fill(gamma, 0);
      for (int d = 0; d < states; d++) {
        gamma[token[d]] += alphaT[d] * beta[d];
        emittedBeta[d] = emission[token[d]] * beta[d];
      }
      writeOccupancy(gamma, occupancy, xo);
      double[] prevBeta = new double[states];
      for (int s = 0; s < states; s++) {
        double acc = 0;
        for (int a = srcStart[s]; a < srcStart[s + 1]; a++) {
          acc += srcArcProb[a] * emittedBeta[srcArcDst[a]];
        }
        prevBeta[s] = acc;
      }
      beta = normalised(prevBeta);
      alpha[t] = null; // no longer needed: frees memory as the backward pass proceeds
    }
  }

  /** One frame's token posteriors, {@code gamma} renormalised to sum to 1, from {@code offset}. */
  private static void writeOccupancy(double[] gamma, float[] occupancy, int offset) {
    double total = sum(gamma);
    if (total > 0) {
      for (int v = 0; v < gamma.length; v++) {
        occupancy[offset + v] = (float) (gamma[v] / total);
      }
    }
  }

  /** {@code beta} scaled to sum to 1 (left as it is when all zero); returns it. */
  private static double[] normalised(double[] beta) {
    double total = sum(beta);
    if (total > 0) {
      scale(beta, 1 / total);
    }
    return beta;
  }

  /** Fills e(v) = exp(x[v] − max x) and returns the max. */
  private static double emissions(float[] data, int offset, int tokens, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < tokens; v++) {
      max = Math.max(max, data[offset + v]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      java.util.Arrays.fill(out, 0); // nothing can be emitted: the frame's sum becomes 0
      return 0;
    }
    for (int v = 0; v < tokens; v++) {
      out[v] = Math.exp(data[offset + v] - max);
    }
    return max;
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s;
  }

  private static void scale(double[] x, double factor) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= factor;
    }
  }
}
