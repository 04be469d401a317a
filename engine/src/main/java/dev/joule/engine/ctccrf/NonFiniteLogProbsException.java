package dev.joule.engine.ctccrf;

import java.util.List;

/**
 * Log-probabilities handed to the CTC-CRF loss hold NaN or +∞ within some utterance's length
 * (−∞, an impossible token, is allowed): a diverged network or a broken input, refused before it
 * reaches the weights. The host path refuses the batch when it is made ({@link LogProbBatch}); the
 * GPU path finds it on the device and refuses it when the loss is read ({@link GpuCtcCrfLoss}).
 */
public final class NonFiniteLogProbsException extends IllegalArgumentException {
  private final List<String> utterances;

  NonFiniteLogProbsException(List<String> utterances, String message) {
    super(message);
    this.utterances = List.copyOf(utterances);
  }

  /** The utterances holding the values: ids where the loss knows them, else batch positions. */
  public List<String> utterances() {
    return utterances;
  }
}
