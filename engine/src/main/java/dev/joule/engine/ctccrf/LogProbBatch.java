package dev.joule.engine.ctccrf;

import java.util.List;

/**
 * A batch of per-frame token log-probabilities (the network's log-softmax output), row-major
 * {@code [utterance][frame][token]} in one flat array, with each utterance's true length.
 * Frames past an utterance's length are padding and never read.
 *
 * @param data {@code batch × maxFrames × tokens} values
 * @param batch number of utterances
 * @param maxFrames padded frame count
 * @param tokens vocabulary size V (token 0 is blank)
 * @param lengths frames per utterance, each in {@code 1..maxFrames}
 */
public record LogProbBatch(float[] data, int batch, int maxFrames, int tokens, int[] lengths) {

  public LogProbBatch {
    checkShape(batch, maxFrames, tokens, lengths);
    if ((long) batch * maxFrames * tokens != data.length) {
      throw new IllegalArgumentException(
          "log-prob array has " + data.length + " values; shape " + batch + " × " + maxFrames + " × " + tokens
              + " needs " + (long) batch * maxFrames * tokens);
    }
    for (int b = 0; b < batch; b++) {
      for (int i = (b * maxFrames) * tokens, end = i + lengths[b] * tokens; i < end; i++) {
        float v = data[i];
        if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
          int frame = i / tokens - b * maxFrames;
          throw new NonFiniteLogProbsException(List.of("utterance " + b),
              "utterance " + b + ", frame " + frame + ", token " + i % tokens + ": log-probability " + v);
        }
      }
    }
  }

  /**
   * Checks a batch's shape and lengths, each in {@code 1..maxFrames}: what every forward-backward
   * needs, also where the values stay on a GPU and are checked there.
   */
  static void checkShape(int batch, int maxFrames, int tokens, int[] lengths) {
    if (batch < 1 || maxFrames < 1 || tokens < 1) {
      throw new IllegalArgumentException(
          "batch, frames and tokens must be positive: " + batch + " × " + maxFrames + " × " + tokens);
    }
    if (lengths.length != batch) {
      throw new IllegalArgumentException(lengths.length + " lengths for a batch of " + batch);
    }
    for (int b = 0; b < batch; b++) {
      if (lengths[b] < 1 || lengths[b] > maxFrames) {
        throw new IllegalArgumentException(
            "utterance " + b + " has length " + lengths[b] + "; lengths must be in 1.." + maxFrames);
      }
    }
  }

  /** Offset of {@code [b][t][0]} in {@link #data}. */
  public int offset(int b, int t) {
    return (b * maxFrames + t) * tokens;
  }

  /** A batch of one utterance holding a copy of utterance {@code b}, truncated to its length. */
  public LogProbBatch single(int b) {
    int n = lengths[b] * tokens;
    float[] one = new float[n];
    System.arraycopy(data, offset(b, 0), one, 0, n);
    return new LogProbBatch(one, 1, lengths[b], tokens, new int[] {lengths[b]});
  }
}
