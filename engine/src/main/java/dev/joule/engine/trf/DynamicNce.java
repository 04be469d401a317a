package dev.joule.engine.trf;

import dev.joule.engine.optim.Adam;
import dev.joule.engine.optim.GradientClipping;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One step's work of dynamic NCE (Wang and Ou, SLT 2018) around a trainable noise q_λ
 * ({@link LstmNoiseLm}): drawing the two sides of {@link DnceLoss} for a batch of training
 * sentences, and moving q_λ toward the data by maximum likelihood on that batch (minimising
 * KL(p_data ‖ q_λ); the paper trains the noise on the data, not on samples of p_int), with its own
 * Adam.
 *
 * <p>Sample counts for a batch of B training sentences: the interpolated side adds
 * {@code B₁ = round(B·(1−α)/α)} noise sentences, so it holds α of data; the noise side has
 * {@code ν·(B + B₁)} sentences. The loss uses the α these counts realise, {@code B/(B + B₁)},
 * so the classifier's model of the interpolated side matches what it is shown exactly.
 */
public final class DynamicNce {
  /**
   * Settings.
   *
   * @param alpha α in (0, 1], the data share of the interpolated side
   * @param noiseEmbed the noise LSTM's word embedding size
   * @param noiseHidden the noise LSTM's units
   * @param noiseLearningRate Adam's step size for the noise LSTM
   * @param warmUpSteps maximum-likelihood steps of the noise alone before the TRF's first step:
   *     a freshly initialised LSTM is close to uniform over the vocabulary, a noise that any φ
   *     tells from text at once and so teaches it little (0: none, the paper's joint start)
   */
  public record Options(double alpha, int noiseEmbed, int noiseHidden, double noiseLearningRate, int warmUpSteps) {
    public Options {
      if (warmUpSteps < 0) {
        throw new IllegalArgumentException("noise warm-up steps must be >= 0, got " + warmUpSteps);
      }
      DnceLoss.checkAlpha(alpha);
      if (noiseEmbed < 1 || noiseHidden < 1) {
        throw new IllegalArgumentException("noise LSTM sizes must be positive: embed " + noiseEmbed + ", hidden " + noiseHidden);
      }
      if (!(noiseLearningRate > 0) || Double.isInfinite(noiseLearningRate)) {
        throw new IllegalArgumentException("noise learning rate must be positive, got " + noiseLearningRate);
      }
    }
  }

  private final LstmNoiseLm noise;
  private final Options options;
  private final Adam adam;
  private final List<Tensor> params;

  public DynamicNce(LstmNoiseLm noise, Options options) {
    if (noise.embedDim() != options.noiseEmbed() || noise.hidden() != options.noiseHidden()) {
      throw new IllegalArgumentException("the noise LSTM's sizes differ from the DNCE settings");
    }
    this.noise = noise;
    this.options = options;
    this.params = new ArrayList<>(noise.parameters().values());
    this.adam = Adam.adam(params, options.noiseLearningRate());
  }

  public LstmNoiseLm noise() {
    return noise;
  }

  public Options options() {
    return options;
  }

  /** The noise LSTM's optimiser (its state goes into checkpoints). */
  public Adam optimizer() {
    return adam;
  }

  /** B₁, the noise sentences that join {@code batch} training sentences on the interpolated side. */
  public int noiseShare(int batch) {
    return (int) Math.round(batch * (1 - options.alpha()) / options.alpha());
  }

  /** The α that {@code batch} training sentences and {@link #noiseShare} noise ones realise. */
  public double effectiveAlpha(int batch) {
    return (double) batch / (batch + noiseShare(batch));
  }

  /** The DNCE loss of {@code model} on {@code data} plus fresh draws from the current q_λ. */
  public Tensor trfLoss(TrfModel model, List<int[]> data, int noiseRatio) {
    List<int[]> interpolated = new ArrayList<>(data);
    interpolated.addAll(noise.sample(noiseShare(data.size())));
    List<int[]> noiseSide = noise.sample(noiseRatio * interpolated.size());
    return DnceLoss.loss(
        model, effectiveAlpha(data.size()), interpolated, noise.logProbs(interpolated), noiseSide, noise.logProbs(noiseSide));
  }

  /**
   * One maximum-likelihood step of q_λ on {@code data}; a step with a non-finite loss or gradient
   * is skipped.
   *
   * @return the mean negative log-likelihood per sentence before the step (NaN when skipped)
   */
  public double updateNoise(List<int[]> data, double clipNorm) {
    adam.zeroGrad();
    Tensor nll = noise.negativeLogLikelihood(data);
    nll.backward();
    double norm = GradientClipping.clipByGlobalNorm(params, clipNorm);
    if (!Double.isFinite(norm) || !Double.isFinite(nll.item())) {
      return Double.NaN;
    }
    adam.step();
    return nll.item();
  }
}
