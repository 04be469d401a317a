package dev.joule.engine.nn;

import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Conformer self-attention module: LayerNorm, sinusoidal positions added to the normalised input,
 * scaled dot-product attention with {@code heads} heads over the valid frames of each sequence
 * (padding keys get {@code -inf} before the softmax), output projection, dropout.
 *
 * <p>The queries', keys' and values' projections are one {@link Linear} of {@code d → 3d}
 * ({@code in_projection}, as PyTorch's {@code nn.MultiheadAttention} packs them): one product
 * each way instead of three, and on a GPU the attention writes the three gradients into one
 * tensor, so the normalised input's gradient is one product, not three summed.
 */
public final class MultiHeadSelfAttention extends Module {
  /** The layers that {@code in_projection} replaced, in the order of its column blocks. */
  private static final String[] SEPARATE_PROJECTIONS = {"query", "key", "value"};

  private final LayerNorm norm;
  private final Linear inProjection;
  private final Linear output;
  private final Dropout attentionDropout;
  private final Dropout dropout;
  private final int heads;
  private final int dim;

  public MultiHeadSelfAttention(int dim, int heads, double dropout, Random random, DType dtype) {
    if (dim % heads != 0) {
      throw new IllegalArgumentException("attention dimension " + dim + " is not a multiple of " + heads + " heads");
    }
    this.norm = child("norm", new LayerNorm(dim, dtype));
    this.inProjection = child("in_projection", new Linear(dim, 3 * dim, true, random, dtype));
    this.output = child("output", new Linear(dim, dim, true, random, dtype));
    this.attentionDropout = child("attention_dropout", new Dropout(dropout, random.nextLong()));
    this.dropout = child("dropout", new Dropout(dropout, random.nextLong()));
    this.heads = heads;
    this.dim = dim;
  }

  /**
   * Files written before the projections were packed hold {@code query}, {@code key} and
   * {@code value} linear layers of {@code d → d}; their weights and biases side by side are
   * {@code in_projection}'s.
   */
  @Override
  protected void upgradeSelf(String path, Map<String, Tensor> stored) {
    for (String part : new String[] {"weight", "bias"}) {
      List<Tensor> separate = new ArrayList<>();
      for (String projection : SEPARATE_PROJECTIONS) {
        Tensor t = stored.get(path + projection + "." + part);
        if (t != null) {
          separate.add(t);
        }
      }
      // Three floating tensors of one shape, or the loader reports what the file holds as it is.
      boolean alike = separate.size() == 3 && separate.get(0).rank() > 0
          && separate.stream().allMatch(t -> t.dtype().isFloating() && t.shape().equals(separate.get(0).shape()));
      if (alike && !stored.containsKey(path + "in_projection." + part)) {
        try (GradMode.Scope noTape = GradMode.noGrad()) {
          stored.put(path + "in_projection." + part, Ops.concat(separate, -1));
        }
        for (String projection : SEPARATE_PROJECTIONS) {
          stored.remove(path + projection + "." + part);
        }
      }
    }
  }

  /** {@code x [B, T, d]}, INT32 {@code lengths [B]} → {@code [B, T, d]}. */
  public Tensor forward(Tensor x, Tensor lengths) {
    return dropout.forward(output.forward(merged(x, lengths)));
  }

  /**
   * {@code x + forward(x, lengths)}, the residual connection: the output projection's bias, the
   * last dropout and the sum are one pass on a GPU.
   */
  public Tensor residual(Tensor x, Tensor lengths) {
    return dropout.residual(x, output.project(merged(x, lengths)), output.bias(), 1);
  }

  /** The heads' outputs in the [B, T, d] layout, before the output projection. */
  private Tensor merged(Tensor x, Tensor lengths) {
    if (x.rank() != 3 || x.dim(2) != dim) {
      throw new ShapeMismatchException("MultiHeadSelfAttention", x.shape(), "input must be [B, T, " + dim + "]");
    }
    int b = x.dim(0);
    int t = x.dim(1);
    Tensor h = Ops.add(norm.forward(x), SinusoidalPositions.tableLike(t, dim, x));
    // Padding keys get −inf; a batch without padding skips a pass over the B·heads·T·T scores.
    Tensor keyBias = Ops.noPadding(lengths, x) ? null : Ops.reshape(Ops.attentionBias(lengths, t, x.dtype()), b, 1, 1, t);
    return attentionDropout.selfAttention(inProjection.forward(h), heads, 1 / Math.sqrt(dim / heads), keyBias);
  }
}
