package dev.joule.engine.ctccrf;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The CTC-CRF loss as an autograd op: from the network's log-softmax output
 * {@code [batch, frames, tokens]} to a scalar, whose backward hands
 * {@code ∂loss/∂logProbs = γ_den − (1+λ)·γ_ctc} (scaled by the incoming gradient) back to the
 * network. Utterances the loss skips contribute nothing (see {@link CtcCrfLoss}).
 *
 * <p>A GPU {@code logProbs} is read back to the host once (the loss value is asked for every step
 * anyway) and its gradient goes back to the GPU, so the network's backward stays there.
 */
public final class CtcCrfCriterion {
  private final CtcCrfLoss loss;

  public CtcCrfCriterion(CtcCrfLoss loss) {
    this.loss = loss;
  }

  /**
   * @param total the summed loss over scored utterances, on the tape
   * @param details per-utterance losses, skipped ids and frame count (to report loss per frame)
   */
  public record Output(Tensor total, CtcCrfLoss.Result details) {}

  /**
   * @param logProbs log-softmax output, shape [batch, frames, tokens]
   * @param lengths valid frames per utterance
   * @param labels token ids 1..V−1 per utterance
   * @param ids utterance ids for reports
   */
  public Output forward(Tensor logProbs, int[] lengths, int[][] labels, String[] ids) {
    if (logProbs.rank() != 3) {
      throw new IllegalArgumentException("CTC-CRF loss needs log-probs of shape [batch, frames, tokens]; got " + logProbs.shape());
    }
    int batch = logProbs.dim(0);
    int frames = logProbs.dim(1);
    int tokens = logProbs.dim(2);
    LogProbBatch x = new LogProbBatch(logProbs.toFloatArray(), batch, frames, tokens, lengths);
    CtcCrfLoss.Result result = loss.compute(x, labels, ids);
    Tensor total = Tensor.scalar(result.total(), DType.FLOAT64);
    float[] gradient = result.gradient();
    Autograd.record(total, "ctc_crf_loss", gradOutput -> {
      double scale = gradOutput.item();
      double[] g = new double[gradient.length];
      for (int i = 0; i < g.length; i++) {
        g[i] = scale * gradient[i];
      }
      Tensor grad = Tensor.wrap(g, Shape.of(batch, frames, tokens), logProbs.dtype());
      return new Tensor[] {logProbs.isGpu() ? Ops.toGpu(grad, logProbs.gpuContext()) : grad};
    }, logProbs);
    return new Output(total, result);
  }
}
