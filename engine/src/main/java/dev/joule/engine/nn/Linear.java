package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/** {@code y = x·W + b} over the last dimension; {@code W} is {@code [in, out]}. */
public final class Linear extends Module {
  private final Tensor weight;
  private final Tensor bias;

  public Linear(int in, int out, boolean withBias, Random random, DType dtype) {
    this.weight = param("weight", Init.fanIn(random, dtype, in, in, out));
    this.bias = withBias ? param("bias", Init.fanIn(random, dtype, in, out)) : null;
  }

  public Tensor forward(Tensor x) {
    return Ops.linear(x, weight, bias);
  }

  /**
   * {@code x·W} without the bias, for an op that adds {@link #bias()} itself in a pass it makes
   * anyway ({@link Ops#siluWithBias}, {@link Ops#gluWithBias}, {@link Ops#residualDropout}).
   */
  public Tensor project(Tensor x) {
    return Ops.linear(x, weight, null);
  }

  public Tensor weight() {
    return weight;
  }

  public Tensor bias() {
    return bias;
  }
}
