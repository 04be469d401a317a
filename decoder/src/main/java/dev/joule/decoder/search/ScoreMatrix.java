package dev.joule.decoder.search;

/**
 * Per-frame token log-probabilities from an acoustic model (its log-softmax output): the only
 * thing the decoder needs from the network. Token 0 is blank; graph input label = token + 1.
 */
public interface ScoreMatrix {
  int frames();

  int tokens();

  /** log P(token | frame t). */
  float logProb(int t, int token);

  /** A view over a row-major {@code frames × tokens} array (not copied). */
  static ScoreMatrix of(float[] data, int frames, int tokens) {
    if (frames < 0 || tokens < 1 || (long) frames * tokens != data.length) {
      throw new IllegalArgumentException(
          "score array of " + data.length + " values does not hold " + frames + " frames × " + tokens + " tokens");
    }
    for (float v : data) {
      if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("score matrix holds " + v + "; log-probabilities must be finite or −∞");
      }
    }
    return new ScoreMatrix() {
      @Override
      public int frames() {
        return frames;
      }

      @Override
      public int tokens() {
        return tokens;
      }

      @Override
      public float logProb(int t, int token) {
        return data[t * tokens + token];
      }
    };
  }
}
