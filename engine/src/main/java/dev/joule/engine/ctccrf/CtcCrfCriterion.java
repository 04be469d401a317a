package dev.joule.engine.ctccrf;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.function.Supplier;

/**
 * The CTC-CRF loss as an autograd op: from the network's log-softmax output
 * {@code [batch, frames, tokens]} to a scalar, whose backward hands
 * {@code ∂loss/∂logProbs = γ_den − (1+λ)·γ_ctc} (scaled by the incoming gradient) back to the
 * network. Utterances the loss skips contribute nothing (see {@link CtcCrfLoss}).
 *
 * <p>Two ways to compute it:
 * <ul>
 *   <li>with a {@link CtcCrfLoss} (the host path): the log-probs are read to the host, wherever
 *       they live, and a GPU input gets its gradient back on the GPU;
 *   <li>with a {@link GpuCtcCrfLoss} (the device path, for GPU training): the log-probs, the
 *       forward-backwards and the gradient stay in device memory, the loss is a GPU scalar, and
 *       nothing is read back from the GPU until {@link Output#details()} is.
 * </ul>
 */
public final class CtcCrfCriterion {
  /** One way of computing {@link #forward}'s output (its arguments already checked for rank). */
  private interface Path {
    Output forward(Tensor logProbs, int[] lengths, int[][] labels, String[] ids);
  }

  private final Path path;

  /** The host path, for log-probs on any device. */
  public CtcCrfCriterion(CtcCrfLoss loss) {
    this.path = (logProbs, lengths, labels, ids) -> onHost(loss, logProbs, lengths, labels, ids);
  }

  /** The device path, for log-probs on {@code gpuLoss}'s GPU. */
  public CtcCrfCriterion(GpuCtcCrfLoss gpuLoss) {
    this.path = (logProbs, lengths, labels, ids) -> onDevice(gpuLoss, logProbs, lengths, labels, ids);
  }

  /** The loss on the tape, and what it was made of. */
  public static final class Output {
    private final Tensor total;
    private final Supplier<CtcCrfLoss.Summary> details;

    Output(Tensor total, Supplier<CtcCrfLoss.Summary> details) {
      this.total = total;
      this.details = details;
    }

    /** The summed loss over scored utterances, on the tape, on the device of the path that made it. */
    public Tensor total() {
      return total;
    }

    /**
     * Per-utterance losses, skipped ids and frame count (to report loss per frame). On the device
     * path the first call waits for the GPU; read it before the GPU step closes, and expect it to
     * refuse NaN or +∞ log-probs there (the host path refuses them in {@link #forward}).
     */
    public CtcCrfLoss.Summary details() {
      return details.get();
    }
  }

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
    return path.forward(logProbs, lengths, labels, ids);
  }

  private static Output onDevice(GpuCtcCrfLoss gpuLoss, Tensor logProbs, int[] lengths, int[][] labels, String[] ids) {
    GpuCtcCrfLoss.Queued queued = gpuLoss.queue(logProbs, lengths, labels, ids);
    Tensor gradient = queued.gradient();
    Tensor total = queued.total();
    Autograd.record(total, "ctc_crf_loss", gradOutput -> new Tensor[] {Ops.mul(gradient, gradOutput)}, logProbs);
    return new Output(total, queued::summary);
  }

  private static Output onHost(CtcCrfLoss loss, Tensor logProbs, int[] lengths, int[][] labels, String[] ids) {
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
    CtcCrfLoss.Summary summary = result.summary();
    return new Output(total, () -> summary);
  }
}
