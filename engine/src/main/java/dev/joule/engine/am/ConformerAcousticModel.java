package dev.joule.engine.am;

import dev.joule.engine.nn.ConformerBlock;
import dev.joule.engine.nn.Linear;
import dev.joule.engine.nn.SinusoidalPositions;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

/**
 * A Conformer encoder ({@code arch=conformer}): frames stacked by 3, an affine projection to
 * {@code dim} plus sinusoidal positions, {@code layers} Conformer blocks, an affine output with
 * log-softmax. Meant for the GPU.
 *
 * <p>Settings: {@code input.dim}, {@code tokens} (set by training), {@code dim} (default 144),
 * {@code heads} (default 4), {@code layers} (default 4), {@code conv.kernel} (default 15),
 * {@code dropout} (default 0.1).
 *
 * <p>Its self-attention over the whole utterance makes every output frame depend on the whole utterance: its
 * {@link #inputContext()} is {@link InputContext#UNBOUNDED}.
 */
final class ConformerAcousticModel extends StackedAcousticModel {
  private final int dim;
  private final Linear input;
  private final List<ConformerBlock> blocks = new ArrayList<>();
  private final Linear output;

  ConformerAcousticModel(Properties config, Random random) {
    super(config);
    this.dim = Subsampling.intSetting(config, "dim", 144);
    int heads = Subsampling.intSetting(config, "heads", 4);
    int layers = Subsampling.intSetting(config, "layers", 4);
    int kernel = Subsampling.intSetting(config, "conv.kernel", 15);
    double dropout = Subsampling.doubleSetting(config, "dropout", 0.1);
    if (dim < 1 || heads < 1 || dim % heads != 0 || layers < 1 || kernel < 1 || kernel % 2 == 0) {
      throw new IllegalArgumentException(
          "conformer needs dim a multiple of heads, layers >= 1 and an odd conv.kernel");
    }
    DType f32 = DType.FLOAT32;
    this.input = child("input", new Linear(Subsampling.FACTOR * inputDim, dim, true, random, f32));
    for (int i = 0; i < layers; i++) {
      blocks.add(child("block" + i, new ConformerBlock(dim, heads, kernel, dropout, random, f32)));
    }
    this.output = child("output", new Linear(dim, tokens, true, random, f32));
  }

  @Override
  public Tensor forward(Tensor features, int[] lengths) {
    Tensor outLengths = Subsampling.lengths(lengths);
    Tensor h = input.forward(Subsampling.stack(features, Tensor.ofInts(lengths, lengths.length)));
    h = Ops.add(h, SinusoidalPositions.tableLike(h.dim(1), dim, h));
    for (ConformerBlock b : blocks) {
      h = b.forward(Ops.maskByLengths(h, outLengths), outLengths);
    }
    return Ops.logSoftmax(output.forward(h), 2);
  }
}
