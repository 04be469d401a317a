package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;

/**
 * Batch normalisation of the last (channel) dimension over all other dimensions.
 *
 * <p>Training mode normalises with the batch's mean and biased variance and updates running
 * averages ({@code running = (1−momentum)·running + momentum·batch}, the variance unbiased), as
 * PyTorch does; evaluation mode normalises with the running averages. Padding frames of a padded
 * batch count as data, so callers mask them or accept their effect.
 */
public final class BatchNorm extends Module {
  private final Tensor gamma;
  private final Tensor beta;
  private final Tensor runningMean;
  private final Tensor runningVar;
  private final double momentum;
  private final double eps;

  public BatchNorm(int channels, double momentum, double eps, DType dtype) {
    this.gamma = param("weight", Tensor.full(dtype, 1, channels));
    this.beta = param("bias", Tensor.zeros(dtype, channels));
    this.runningMean = buffer("running_mean", Tensor.zeros(dtype, channels));
    this.runningVar = buffer("running_var", Tensor.full(dtype, 1, channels));
    this.momentum = momentum;
    this.eps = eps;
  }

  public BatchNorm(int channels, DType dtype) {
    this(channels, 0.1, 1e-5, dtype);
  }

  public Tensor forward(Tensor x) {
    int c = gamma.size();
    if (x.dim(-1) != c) {
      throw new dev.joule.engine.tensor.ShapeMismatchException("BatchNorm", x.shape(), gamma.shape(), "last dimension must be the channels");
    }
    Tensor flat = Ops.reshape(x, -1, c);
    Tensor y;
    if (isTraining()) {
      int n = flat.dim(0);
      if (n < 2) {
        throw new IllegalArgumentException("BatchNorm in training mode needs more than one value per channel; got shape " + x.shape());
      }
      Ops.BatchNormed normed = Ops.batchNormTraining(flat, gamma, beta, eps);
      // Running statistics are plain numbers, written outside the tape.
      update(runningMean, normed.mean(), 1);
      update(runningVar, normed.variance(), n / (n - 1.0));
      y = normed.output();
    } else {
      y = Ops.batchNormInference(flat, runningMean, runningVar, gamma, beta, eps);
    }
    return Ops.reshape(y, x.shape().dims());
  }

  /** {@code running ← (1 − momentum)·running + momentum·correction·batch}, in place and off the tape. */
  private void update(Tensor running, Tensor batchStatistic, double correction) {
    Ops.axpby(momentum * correction, batchStatistic.detach(), 1 - momentum, running);
  }

  public Tensor runningMean() {
    return runningMean;
  }

  public Tensor runningVar() {
    return runningVar;
  }
}
