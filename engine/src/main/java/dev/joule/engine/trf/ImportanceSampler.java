package dev.joule.engine.trf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Importance-sampling estimates of the TRF's log-normalisers with the noise model as proposal:
 * {@code Z_l = Σ_{|x|=l} e^{φ(x)} = E_{x~q_L}[1{|x|=l}·e^{φ(x)}/q_L(x)]}, so with M draws
 * {@code log Z_l ≈ logsumexp_{draws of length l}(φ(x) − log q_L(x)) − log M}. Unbiased in Z_l
 * (not in log Z_l); its error shrinks as the noise approaches the model.
 */
public final class ImportanceSampler {
  private static final int BATCH = 256;

  /**
   * Estimates per length 1..L; {@code samples[l−1]} draws had length l; {@code standardError}
   * is the delta-method standard error of each log Z_l ({@code sd(w)/(√M·mean(w))} over all M
   * draws, weight 0 for other lengths). A length no draw hit has no estimate: {@code logZ[l−1]}
   * is then the model's current ζ_l and its standard error infinite.
   */
  public record Estimate(double[] logZ, int[] samples, double[] standardError) {}

  private ImportanceSampler() {}

  public static Estimate estimate(TrfModel model, NoiseModel noise, int draws) {
    if (draws < 1) {
      throw new IllegalArgumentException("importance sampling needs at least one draw");
    }
    int maxLength = model.config().maxLength();
    if (noise.maxLength() != maxLength) {
      throw new IllegalArgumentException("noise covers lengths 1.." + noise.maxLength() + ", the model 1.." + maxLength);
    }
    double[] max = new double[maxLength];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    double[] weights = new double[draws];
    int[] lengths = new int[draws];
    List<int[]> batch = new ArrayList<>();
    for (int d = 0; d < draws; d += BATCH) {
      batch.clear();
      for (int k = d; k < Math.min(draws, d + BATCH); k++) {
        batch.add(noise.sample());
      }
      double[] phi = model.potentials(batch);
      for (int k = 0; k < batch.size(); k++) {
        int[] s = batch.get(k);
        double w = phi[k] - noise.logProb(s);
        weights[d + k] = w;
        lengths[d + k] = s.length;
        max[s.length - 1] = Math.max(max[s.length - 1], w);
      }
    }
    double[] sum = new double[maxLength];
    double[] sumSq = new double[maxLength];
    int[] count = new int[maxLength];
    for (int i = 0; i < draws; i++) {
      int l = lengths[i] - 1;
      double w = Math.exp(weights[i] - max[l]);
      sum[l] += w;
      sumSq[l] += w * w;
      count[l]++;
    }
    double[] logZ = new double[maxLength];
    double[] se = new double[maxLength];
    for (int l = 0; l < maxLength; l++) {
      if (count[l] == 0) {
        logZ[l] = model.zeta(l + 1);
        se[l] = Double.POSITIVE_INFINITY;
        continue;
      }
      logZ[l] = max[l] + Math.log(sum[l]) - Math.log(draws);
      double mean = sum[l] / draws;
      double var = draws > 1 ? Math.max(0, (sumSq[l] - draws * mean * mean) / (draws - 1)) : Double.POSITIVE_INFINITY;
      se[l] = Math.sqrt(var / draws) / mean;
    }
    return new Estimate(logZ, count, se);
  }
}
