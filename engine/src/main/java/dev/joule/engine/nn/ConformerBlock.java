package dev.joule.engine.nn;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/**
 * One Conformer block (Gulati et al. 2020): half-step feed-forward, multi-head self-attention,
 * convolution module, half-step feed-forward, each residual, then a final LayerNorm.
 * {@code [B, T, d] → [B, T, d]}.
 */
public final class ConformerBlock extends Module {
  private final FeedForward ff1;
  private final MultiHeadSelfAttention attention;
  private final ConvolutionModule conv;
  private final FeedForward ff2;
  private final LayerNorm norm;

  public ConformerBlock(int dim, int heads, int convKernel, double dropout, Random random, DType dtype) {
    this.ff1 = child("ff1", new FeedForward(dim, 4, dropout, random, dtype));
    this.attention = child("attention", new MultiHeadSelfAttention(dim, heads, dropout, random, dtype));
    this.conv = child("conv", new ConvolutionModule(dim, convKernel, dropout, random, dtype));
    this.ff2 = child("ff2", new FeedForward(dim, 4, dropout, random, dtype));
    this.norm = child("norm", new LayerNorm(dim, dtype));
  }

  public Tensor forward(Tensor x, Tensor lengths) {
    // Each residual connection adds its module's output after the module's last dropout, in one
    // pass on a GPU (Dropout.residual).
    Tensor h = ff1.residual(x, 0.5);
    h = attention.residual(h, lengths);
    h = conv.residual(h, lengths);
    h = ff2.residual(h, 0.5);
    return norm.forward(h);
  }
}
