package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/**
 * Inverted dropout in training mode, identity in evaluation mode. Masks come from a generator
 * seeded at construction, so a run with the same seed drops the same elements.
 */
public final class Dropout extends Module {
  private final double p;
  private Random random;

  public Dropout(double p, long seed) {
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1); got " + p);
    }
    this.p = p;
    this.random = new Random(seed);
  }

  @Override
  protected void reseedSelf(long seed) {
    random = new Random(seed);
  }

  /** The probability in force: {@code p} while training, 0 (nothing dropped, nothing drawn) when evaluating. */
  private double activeProbability() {
    return isTraining() ? p : 0;
  }

  public Tensor forward(Tensor x) {
    return Ops.dropout(x, activeProbability(), random); // p = 0: x itself, nothing drawn
  }

  /**
   * {@code x + alpha·forward(branch)}, the residual connection around a branch that ends in this
   * dropout, fused on a GPU ({@link Ops#residualDropout}) with the same mask.
   */
  public Tensor residual(Tensor x, Tensor branch, double alpha) {
    return residual(x, branch, null, alpha);
  }

  /** {@code x + alpha·forward(branch + bias)} ({@code bias} null: none), fused on a GPU likewise. */
  public Tensor residual(Tensor x, Tensor branch, Tensor bias, double alpha) {
    return Ops.residualDropout(x, branch, bias, alpha, activeProbability(), random);
  }

  /**
   * {@code forward(Ops.siluWithBias(z, bias))} with the same mask, one kernel each way on a GPU
   * ({@link Ops#siluWithBiasDropout}): for a feed-forward layer's hidden activations.
   */
  public Tensor afterSiluWithBias(Tensor z, Tensor bias) {
    return Ops.siluWithBiasDropout(z, bias, activeProbability(), random);
  }

  /**
   * {@link Ops#selfAttention} with this dropout on the attention weights (none when evaluating):
   * packed projections {@code qkv [B, T, 3d]} → the heads' context {@code [B, T, d]}.
   */
  public Tensor selfAttention(Tensor qkv, int heads, double scale, Tensor keyBias) {
    return Ops.selfAttention(qkv, heads, scale, keyBias, activeProbability(), random);
  }

  /**
   * {@code forward(Ops.softmax(scores, dim))} with the same mask, fused on a GPU
   * ({@link Ops#softmaxDropout}): for attention weights.
   */
  public Tensor afterSoftmax(Tensor scores, int dim) {
    return Ops.softmaxDropout(scores, dim, activeProbability(), random); // p = 0: the softmax alone
  }
}
