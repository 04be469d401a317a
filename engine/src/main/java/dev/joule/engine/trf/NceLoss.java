package dev.joule.engine.trf;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The noise-contrastive estimation loss of a TRF. Data sentences are class 1, noise sentences
 * (drawn from q_L) class 0, ν = |noise| / |data|; a sentence's log-odds of being data are
 * {@code G(x) = log p_θ(l, x) − log(ν·q_L(x))}, and the loss is
 * {@code −(1/|data|)·(Σ_data log σ(G) + Σ_noise log σ(−G))}. Its minimum over θ and ζ, for
 * enough data, is at p_θ = the data distribution, which is why ζ can be learnt as a free
 * parameter and needs no partition function.
 */
public final class NceLoss {
  private NceLoss() {}

  /**
   * The loss (a scalar with a graph back to the model's parameters).
   *
   * @param dataLogNoise natural-log q_L of each data sentence
   * @param noiseLogNoise natural-log q_L of each noise sentence
   */
  public static Tensor loss(
      TrfModel model, List<int[]> data, double[] dataLogNoise, List<int[]> noise, double[] noiseLogNoise) {
    if (data.isEmpty() || noise.isEmpty() || data.size() != dataLogNoise.length || noise.size() != noiseLogNoise.length) {
      throw new IllegalArgumentException("NCE needs data and noise sentences, each with its noise log-probability");
    }
    double logNu = Math.log((double) noise.size() / data.size());
    List<int[]> all = new ArrayList<>(data);
    all.addAll(noise);
    int n = all.size();
    // Per sentence: the constant part −log ν − log q_L.
    double[] offset = new double[n];
    for (int i = 0; i < n; i++) {
      boolean isData = i < data.size();
      offset[i] = -logNu - (isData ? dataLogNoise[i] : noiseLogNoise[i - data.size()]);
    }
    Tensor logP = model.logProb(all);
    Tensor g = Ops.add(logP, Tensor.of(offset, n).to(logP.dtype()));
    return classifierLoss(g, data.size());
  }

  /**
   * {@code −(1/D)·(Σ_{i<D} log σ(G_i) + Σ_{i≥D} log σ(−G_i))}: the logistic loss of log-odds
   * {@code g} whose first D entries are the data class and the rest the noise class.
   */
  static Tensor classifierLoss(Tensor g, int dataCount) {
    int n = g.size();
    double[] sign = new double[n];
    for (int i = 0; i < n; i++) {
      sign[i] = i < dataCount ? 1 : -1;
    }
    Tensor signed = Ops.mul(g, Tensor.of(sign, n).to(g.dtype()));
    // log σ(z) = −log(e^0 + e^−z), the numerically safe form for either sign of z.
    Tensor pair = Ops.stack(List.of(Ops.scale(signed, 0), Ops.neg(signed)), 1);
    Tensor logSigmoid = Ops.neg(Ops.logSumExp(pair, 1));
    return Ops.scale(Ops.sum(logSigmoid), -1.0 / dataCount);
  }

  /** The same loss from plain log-probabilities, in float64 with no tensors: the reference. */
  public static double reference(double[] dataLogP, double[] dataLogNoise, double[] noiseLogP, double[] noiseLogNoise) {
    double logNu = Math.log((double) noiseLogP.length / dataLogP.length);
    double sum = 0;
    for (int i = 0; i < dataLogP.length; i++) {
      sum += logSigmoid(dataLogP[i] - logNu - dataLogNoise[i]);
    }
    for (int i = 0; i < noiseLogP.length; i++) {
      sum += logSigmoid(-(noiseLogP[i] - logNu - noiseLogNoise[i]));
    }
    return -sum / dataLogP.length;
  }

  static double logSigmoid(double z) {
    return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
  }
}
