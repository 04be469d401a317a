package dev.joule.engine.am;

import dev.joule.engine.nn.Conv1d;
import dev.joule.engine.nn.LayerNorm;
import dev.joule.engine.nn.Linear;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

/**
 * A TDNN ({@code arch=tdnn}), the architecture that trains in reasonable time on the CPU: frames
 * stacked by 3 (30 ms frame rate), an affine layer, then one dilated convolution per entry of
 * {@code dilations} (kernel 3, splicing t−d, t, t+d at the subsampled rate), each followed by ReLU
 * and layer norm, and an affine output with log-softmax.
 *
 * <p>Settings: {@code input.dim}, {@code tokens} (set by training), {@code hidden} (default 256),
 * {@code dilations} (default {@code 1,1,2,2,3}). Padding frames are zeroed before every
 * convolution, so an utterance gets the same output in any batch.
 */
final class TdnnAcousticModel extends StackedAcousticModel {
  private final Linear input;
  private final LayerNorm inputNorm;
  private final List<Conv1d> layers = new ArrayList<>();
  private final List<LayerNorm> norms = new ArrayList<>();
  private final Linear output;

  TdnnAcousticModel(Properties config, Random random) {
    super(config);
    int hidden = Subsampling.intSetting(config, "hidden", 256);
    int[] dilations = Subsampling.intList(config, "dilations", "1,1,2,2,3");
    if (hidden < 1) {
      throw new IllegalArgumentException("tdnn needs hidden >= 1");
    }
    DType f32 = DType.FLOAT32;
    this.input = child("input", new Linear(Subsampling.FACTOR * inputDim, hidden, true, random, f32));
    this.inputNorm = child("input_norm", new LayerNorm(hidden, f32));
    for (int i = 0; i < dilations.length; i++) {
      int d = dilations[i];
      layers.add(child("tdnn" + i, new Conv1d(hidden, hidden, 3, 1, d, d, random, f32)));
      norms.add(child("norm" + i, new LayerNorm(hidden, f32)));
    }
    this.output = child("output", new Linear(hidden, tokens, true, random, f32));
  }

  @Override
  public Tensor forward(Tensor features, int[] lengths) {
    Tensor outLengths = Subsampling.lengths(lengths);
    Tensor h = inputNorm.forward(Ops.relu(input.forward(Subsampling.stack(features, Tensor.ofInts(lengths, lengths.length)))));
    for (int i = 0; i < layers.size(); i++) {
      h = Ops.maskByLengths(h, outLengths);
      h = norms.get(i).forward(Ops.relu(layers.get(i).forward(h)));
    }
    return Ops.logSoftmax(output.forward(h), 2);
  }
}
