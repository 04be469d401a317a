package dev.joule.engine.am;

import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.nn.Module;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Properties;

/**
 * A network from feature frames to per-frame token log-probabilities (log-softmax), the input of
 * the CTC-CRF loss in training and of the decoder in recognition. Implementations are made from
 * a configuration by {@link AcousticModels}.
 */
public abstract class AcousticModel extends Module {
  private final Properties config;

  protected AcousticModel(Properties config) {
    this.config = (Properties) config.clone();
  }

  /** The configuration this model was made from (saved as {@code am.conf}). */
  public final Properties config() {
    return (Properties) config.clone();
  }

  public abstract int inputDim();

  /** Output vocabulary size, blank included. */
  public abstract int numTokens();

  /** Output frames per input frame: 1, or 1/3 for models that subsample by 3. */
  public abstract int subsampling();

  /**
   * The input frames each output frame depends on beyond its own (see {@link InputContext}),
   * counting the padding the model applies at an utterance's edges as part of the model. By
   * default {@link InputContext#UNBOUNDED}, which is always true; models with a finite reach
   * say so, which lets a stream compute them a window at a time with the offline result.
   */
  public InputContext inputContext() {
    return InputContext.UNBOUNDED;
  }

  /** Output length of an utterance of {@code inputFrames} frames. */
  public int outputLength(int inputFrames) {
    return (inputFrames + subsampling() - 1) / subsampling();
  }

  /**
   * Log-probabilities {@code [batch, outFrames, tokens]} for features {@code [batch, frames,
   * inputDim]}, on the autograd tape when recording; frames past an utterance's length are padding.
   */
  public abstract Tensor forward(Tensor features, int[] lengths);

  /** Inference for one utterance: features {@code [frames][inputDim]} to log-probs {@code [outFrames][tokens]}. */
  public final float[][] logProbs(float[][] features) {
    int frames = features.length;
    if (frames == 0) {
      return new float[0][numTokens()];
    }
    double[] x = new double[frames * inputDim()];
    for (int t = 0; t < frames; t++) {
      if (features[t].length != inputDim()) {
        throw new IllegalArgumentException("frame " + t + " has " + features[t].length + " values; the model takes " + inputDim());
      }
      for (int d = 0; d < inputDim(); d++) {
        x[t * inputDim() + d] = features[t][d];
      }
    }
    Tensor in = Tensor.wrap(x, Shape.of(1, frames, inputDim()), DType.FLOAT32);
    boolean wasTraining = isTraining();
    train(false);
    try {
      Tensor out = GradMode.withoutGrad(() -> forward(in, new int[] {frames}));
      int outFrames = outputLength(frames);
      float[] flat = out.toFloatArray();
      float[][] result = new float[outFrames][numTokens()];
      for (int t = 0; t < outFrames; t++) {
        System.arraycopy(flat, t * numTokens(), result[t], 0, numTokens());
      }
      return result;
    } finally {
      train(wasTraining);
    }
  }
}
