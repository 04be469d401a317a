package dev.joule.engine.am;

import java.util.Properties;

/**
 * Base of the architectures that subsample by 3 with {@link Subsampling}: the input dimension
 * and the token count come from the configuration's {@code input.dim} and {@code tokens}.
 */
abstract class StackedAcousticModel extends AcousticModel {
  protected final int inputDim;
  protected final int tokens;

  protected StackedAcousticModel(Properties config) {
    super(config);
    this.inputDim = AcousticModels.intProperty(config, "input.dim");
    this.tokens = AcousticModels.intProperty(config, "tokens");
    if (inputDim < 1 || tokens < 2) {
      throw new IllegalArgumentException("acoustic models need input.dim >= 1 and tokens >= 2; got " + inputDim + " and " + tokens);
    }
  }

  @Override
  public final int inputDim() {
    return inputDim;
  }

  @Override
  public final int numTokens() {
    return tokens;
  }

  @Override
  public final int subsampling() {
    return Subsampling.FACTOR;
  }
}
