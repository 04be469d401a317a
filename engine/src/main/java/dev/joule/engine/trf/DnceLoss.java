package dev.joule.engine.trf;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TRF's loss in dynamic noise-contrastive estimation (Wang and Ou, SLT 2018). The "data"
 * class is drawn from the interpolation {@code p_int = α·p_data + (1−α)·q} of the training text
 * and the noise q (a fraction 1−α of it are noise sentences); the noise class is drawn from q,
 * ν sentences per interpolated one. The classifier models the interpolated class by
 * {@code α·p_θ + (1−α)·q}, so a sentence's log-odds of being from p_int are
 * {@code G(x) = log(α·p_θ(l, x) + (1−α)·q(x)) − log(ν·q(x))}, and the loss is the logistic loss
 * {@code −(1/|int|)·(Σ_int log σ(G) + Σ_noise log σ(−G))}. Its minimum over θ and ζ is where
 * {@code α·p_θ + (1−α)·q = p_int}, that is p_θ = p_data; the noise share of the "data" side keeps
 * the classifier from singling out the few training sentences, which is what curbs overfitting.
 * At α = 1 it is {@link NceLoss} with q as its noise.
 *
 * <p>q enters as given numbers: in DNCE the noise is trained by maximum likelihood on the data
 * alone ({@link LstmNoiseLm#negativeLogLikelihood}), not through this loss.
 */
public final class DnceLoss {
  private DnceLoss() {}

  /**
   * The loss (a scalar with a graph back to the TRF's parameters).
   *
   * @param alpha α in (0, 1], the data share of the interpolated side
   * @param interpolated the interpolated side: training sentences and noise sentences in the
   *     proportion α : 1−α
   * @param interpolatedLogQ natural-log q of each of them
   * @param noise the noise side, drawn from q
   * @param noiseLogQ natural-log q of each noise sentence
   */
  public static Tensor loss(
      TrfModel model, double alpha, List<int[]> interpolated, double[] interpolatedLogQ,
      List<int[]> noise, double[] noiseLogQ) {
    checkAlpha(alpha);
    if (interpolated.isEmpty() || noise.isEmpty() || interpolated.size() != interpolatedLogQ.length
        || noise.size() != noiseLogQ.length) {
      throw new IllegalArgumentException("DNCE needs interpolated and noise sentences, each with its noise log-probability");
    }
    double logNu = Math.log((double) noise.size() / interpolated.size());
    List<int[]> all = new ArrayList<>(interpolated);
    all.addAll(noise);
    int n = all.size();
    double[] minusLogQ = new double[n];
    for (int i = 0; i < n; i++) {
      minusLogQ[i] = -(i < interpolated.size() ? interpolatedLogQ[i] : noiseLogQ[i - interpolated.size()]);
    }
    Tensor logP = model.logProb(all);
    // r = log p_θ − log q; G = log(α·e^r + 1 − α) − log ν, as a two-term log-sum-exp.
    Tensor r = Ops.add(logP, Tensor.of(minusLogQ, n).to(logP.dtype()));
    Tensor mixed = Ops.addScalar(r, Math.log(alpha));
    if (alpha < 1) {
      double[] rest = new double[n];
      Arrays.fill(rest, Math.log1p(-alpha));
      mixed = Ops.logSumExp(Ops.stack(List.of(mixed, Tensor.of(rest, n).to(logP.dtype())), 1), 1);
    }
    return NceLoss.classifierLoss(Ops.addScalar(mixed, -logNu), interpolated.size());
  }

  /** The same loss from plain log-probabilities, in float64 with no tensors: the reference. */
  public static double reference(
      double alpha, double[] interpolatedLogP, double[] interpolatedLogQ, double[] noiseLogP, double[] noiseLogQ) {
    checkAlpha(alpha);
    double logNu = Math.log((double) noiseLogP.length / interpolatedLogP.length);
    double sum = 0;
    for (int i = 0; i < interpolatedLogP.length; i++) {
      sum += NceLoss.logSigmoid(logOdds(alpha, interpolatedLogP[i], interpolatedLogQ[i], logNu));
    }
    for (int i = 0; i < noiseLogP.length; i++) {
      sum += NceLoss.logSigmoid(-logOdds(alpha, noiseLogP[i], noiseLogQ[i], logNu));
    }
    return -sum / interpolatedLogP.length;
  }

  /** G = log(α·p + (1−α)·q) − log ν − log q, written out directly. */
  private static double logOdds(double alpha, double logP, double logQ, double logNu) {
    return Math.log(alpha * Math.exp(logP) + (1 - alpha) * Math.exp(logQ)) - logNu - logQ;
  }

  /**
   * @throws IllegalArgumentException unless 0 &lt; α ≤ 1
   */
  public static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("DNCE interpolation weight alpha must be in (0, 1], got " + alpha);
    }
  }
}
