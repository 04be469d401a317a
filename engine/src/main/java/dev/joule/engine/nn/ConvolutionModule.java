package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/**
 * Conformer convolution module: LayerNorm → pointwise Linear(d, 2d) → GLU → depthwise conv
 * (odd kernel, "same" padding) → BatchNorm → SiLU → pointwise Linear(d, d) → Dropout. Padding
 * frames are zeroed before the depthwise convolution so they do not leak into valid frames.
 */
public final class ConvolutionModule extends Module {
  private final LayerNorm norm;
  private final Linear pointwise1;
  private final Tensor depthwise;
  private final Tensor depthwiseBias;
  private final BatchNorm batchNorm;
  private final Linear pointwise2;
  private final Dropout dropout;
  private final int kernel;

  public ConvolutionModule(int dim, int kernel, double dropout, Random random, DType dtype) {
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("the depthwise kernel must be odd for 'same' padding; got " + kernel);
    }
    this.norm = child("norm", new LayerNorm(dim, dtype));
    this.pointwise1 = child("pointwise1", new Linear(dim, 2 * dim, true, random, dtype));
    this.depthwise = param("depthwise_weight", Init.fanIn(random, dtype, kernel, kernel, dim));
    this.depthwiseBias = param("depthwise_bias", Init.fanIn(random, dtype, kernel, dim));
    this.batchNorm = child("batch_norm", new BatchNorm(dim, dtype));
    this.pointwise2 = child("pointwise2", new Linear(dim, dim, true, random, dtype));
    this.dropout = child("dropout", new Dropout(dropout, random.nextLong()));
    this.kernel = kernel;
  }

  public Tensor forward(Tensor x, Tensor lengths) {
    return dropout.forward(pointwise2.forward(activations(x, lengths)));
  }

  /**
   * {@code x + forward(x, lengths)}, the residual connection: the last pointwise layer's bias, the
   * dropout and the sum are one pass on a GPU.
   */
  public Tensor residual(Tensor x, Tensor lengths) {
    return dropout.residual(x, pointwise2.project(activations(x, lengths)), pointwise2.bias(), 1);
  }

  /** Everything before the last pointwise layer; GLU adds the first one's bias. */
  private Tensor activations(Tensor x, Tensor lengths) {
    Tensor h = Ops.gluWithBias(pointwise1.project(norm.forward(x)), pointwise1.bias());
    if (!Ops.noPadding(lengths, h)) {
      h = Ops.maskByLengths(h, lengths);
    }
    int pad = (kernel - 1) / 2;
    h = Ops.depthwiseConv1d(h, depthwise, depthwiseBias, 1, 1, pad, pad);
    return Ops.silu(batchNorm.forward(h));
  }
}
