package dev.joule.engine.nn;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/** Conformer feed-forward module: LayerNorm → Linear(d, m·d) → SiLU → Dropout → Linear(m·d, d) → Dropout. */
public final class FeedForward extends Module {
  private final LayerNorm norm;
  private final Linear up;
  private final Linear down;
  private final Dropout dropout1;
  private final Dropout dropout2;

  public FeedForward(int dim, int multiplier, double dropout, Random random, DType dtype) {
    this.norm = child("norm", new LayerNorm(dim, dtype));
    this.up = child("linear1", new Linear(dim, multiplier * dim, true, random, dtype));
    this.down = child("linear2", new Linear(multiplier * dim, dim, true, random, dtype));
    this.dropout1 = child("dropout1", new Dropout(dropout, random.nextLong()));
    this.dropout2 = child("dropout2", new Dropout(dropout, random.nextLong()));
  }

  public Tensor forward(Tensor x) {
    return dropout2.forward(down.forward(hidden(x)));
  }

  /**
   * {@code x + alpha·forward(x)}, the residual connection: the second layer's bias, the last
   * dropout and the sum are one pass on a GPU.
   */
  public Tensor residual(Tensor x, double alpha) {
    return dropout2.residual(x, down.project(hidden(x)), down.bias(), alpha);
  }

  /** The hidden layer: the first layer's bias, SiLU and the first dropout, one pass on a GPU. */
  private Tensor hidden(Tensor x) {
    return dropout1.afterSiluWithBias(up.project(norm.forward(x)), up.bias());
  }
}
