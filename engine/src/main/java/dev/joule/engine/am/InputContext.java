package dev.joule.engine.am;

/**
 * How many input frames around its own an acoustic model's output frame depends on: output frame
 * {@code j} of a model that subsamples by {@code s} covers input frames {@code s·j .. s·j+s−1}
 * and is a function of input frames {@code s·j − left .. s·j+s−1 + right} only. Within that
 * reach the model pads the utterance's edges as it always does; beyond it nothing matters, so
 * a long input can be computed a window at a time ({@code RecognizerStream} does) with results
 * equal to computing it whole.
 *
 * @param left input frames before an output frame's own that it depends on
 * @param right input frames after an output frame's own that it depends on: what a stream must
 *     wait for (the lookahead)
 */
public record InputContext(int left, int right) {
  /** Each output frame sees only its own input frames (a per-frame model such as {@code linear}). */
  public static final InputContext NONE = new InputContext(0, 0);

  /**
   * Every output frame may depend on the whole utterance (recurrent or attention models): no
   * window smaller than the utterance gives the same result.
   */
  public static final InputContext UNBOUNDED = new InputContext(Integer.MAX_VALUE, Integer.MAX_VALUE);

  public InputContext {
    if (left < 0 || right < 0) {
      throw new IllegalArgumentException("input context must be >= 0 frames each side, not " + left + " and " + right);
    }
  }

  /** Whether the context is finite, so that a window of the input gives exact results. */
  public boolean isFinite() {
    return left != Integer.MAX_VALUE && right != Integer.MAX_VALUE;
  }
}
