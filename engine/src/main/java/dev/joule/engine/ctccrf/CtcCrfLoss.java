package dev.joule.engine.ctccrf;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The CTC-CRF loss of a batch (DESIGN.md, as in CAT):
 * <pre>
 *   loss_b = log Z_den(x_b) − (1 + λ) · log p_ctc(l_b | x_b)
 *   ∂loss_b / ∂x_b[t][v] = γ_den[t][v] − (1 + λ) · γ_ctc[t][v]
 * </pre>
 * where x is the network's log-softmax output, γ are occupancies and λ (default 0.01) weights
 * the CTC term. log p_LM(l) is a constant of the data and is not part of the loss.
 *
 * <p>Utterances that cannot be scored — labels needing more frames than the utterance has, no
 * path through the den graph in that many frames, and (when asked for) a label sequence the den
 * graph forbids — are skipped: reported by id, logged once
 * per batch as a warning, and given zero loss and zero gradient so the batch stays finite.
 */
public final class CtcCrfLoss {
  private static final Logger LOG = System.getLogger(CtcCrfLoss.class.getName());

  /** CAT's default weight of the extra CTC term. */
  public static final double DEFAULT_LAMBDA = 0.01;

  private final ForwardBackward denominator;
  private final double lambda;
  private final boolean skipForbiddenLabels;

  /**
   * @param skipForbiddenLabels also skip utterances whose label sequence the den graph forbids
   *     (checked with {@link DenGraph#accepts}). Off by default, as in CAT: the loss stays finite
   *     for such utterances, because log p_LM(l) is not part of it.
   */
  public CtcCrfLoss(ForwardBackward denominator, double lambda, boolean skipForbiddenLabels) {
    checkLambda(lambda);
    this.denominator = denominator;
    this.lambda = lambda;
    this.skipForbiddenLabels = skipForbiddenLabels;
  }

  public CtcCrfLoss(ForwardBackward denominator, double lambda) {
    this(denominator, lambda, false);
  }

  public CtcCrfLoss(ForwardBackward denominator) {
    this(denominator, DEFAULT_LAMBDA);
  }

  static void checkLambda(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be a finite value >= 0, got " + lambda);
    }
  }

  /**
   * @param perUtterance loss of each utterance (0 for skipped ones)
   * @param total sum over scored utterances
   * @param gradient ∂total/∂x, laid out like the input
   * @param skipped ids of utterances that could not be scored
   * @param frames frames of the scored utterances (to normalise the loss per frame)
   */
  public record Result(double[] perUtterance, double total, float[] gradient, List<String> skipped, long frames) {
    /** Everything but the gradient. */
    public Summary summary() {
      return new Summary(perUtterance, total, skipped, frames);
    }
  }

  /**
   * The loss of a batch without its gradient: what a training loop reports.
   *
   * @param perUtterance loss of each utterance (0 for skipped ones)
   * @param total sum over scored utterances
   * @param skipped ids of utterances that could not be scored
   * @param frames frames of the scored utterances (to normalise the loss per frame)
   */
  public record Summary(double[] perUtterance, double total, List<String> skipped, long frames) {}

  /**
   * @param labels token ids 1..V−1 per utterance
   * @param ids utterance ids, for reports
   */
  public Result compute(LogProbBatch x, int[][] labels, String[] ids) {
    if (ids.length != x.batch()) {
      throw new IllegalArgumentException(ids.length + " ids for a batch of " + x.batch());
    }
    SequencePosteriors num = CtcNumerator.compute(x, labels);
    SequencePosteriors den = denominator.compute(x);
    double scale = 1 + lambda;
    double[] loss = new double[x.batch()];
    float[] gradient = new float[x.data().length];
    List<String> skipped = new ArrayList<>();
    double total = 0;
    long frames = 0;
    for (int b = 0; b < x.batch(); b++) {
      if (!num.feasible(b) || !den.feasible(b) || (skipForbiddenLabels && !denominator.graph().accepts(labels[b]))) {
        skipped.add(ids[b]);
        continue;
      }
      loss[b] = den.logLikelihood()[b] - scale * num.logLikelihood()[b];
      total += loss[b];
      frames += x.lengths()[b];
      for (int i = x.offset(b, 0), end = x.offset(b, x.lengths()[b]); i < end; i++) {
        gradient[i] = (float) (den.occupancy()[i] - scale * num.occupancy()[i]);
      }
    }
    warnSkipped(skipped);
    return new Result(loss, total, gradient, List.copyOf(skipped), frames);
  }

  /** Logs a batch's skipped utterances, once per batch. */
  static void warnSkipped(List<String> skipped) {
    if (!skipped.isEmpty()) {
      LOG.log(Level.WARNING, "skipped " + skipped.size() + " utterance(s) that cannot be scored: " + skipped);
    }
  }
}
