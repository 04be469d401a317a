package dev.joule.engine.am;

import dev.joule.engine.nn.Linear;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Properties;
import java.util.Random;

/**
 * The smallest acoustic model: one affine layer and a log-softmax per frame ({@code arch=linear},
 * {@code input.dim}, {@code tokens}). Useful as a baseline and for testing the pipeline around it.
 */
final class LinearAcousticModel extends AcousticModel {
  private final int inputDim;
  private final int tokens;
  private final Linear output;

  LinearAcousticModel(Properties config, Random random) {
    super(config);
    this.inputDim = AcousticModels.intProperty(config, "input.dim");
    this.tokens = AcousticModels.intProperty(config, "tokens");
    this.output = child("output", new Linear(inputDim, tokens, true, random, DType.FLOAT32));
  }

  @Override
  public int inputDim() {
    return inputDim;
  }

  @Override
  public int numTokens() {
    return tokens;
  }

  @Override
  public int subsampling() {
    return 1;
  }

  /** Each frame is scored on its own. */
  @Override
  public InputContext inputContext() {
    return InputContext.NONE;
  }

  @Override
  public Tensor forward(Tensor features, int[] lengths) {
    return Ops.logSoftmax(output.forward(features), 2);
  }
}
