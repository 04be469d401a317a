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
 *
 * <p>Each convolution reaches {@code d} stacked frames either side, so an output frame depends on
 * {@code sum(dilations)} stacked frames either side of its own: {@code 3·sum(dilations)} input
 * frames (27, 0.27 s, for the default dilations), its {@link #inputContext()}.
 */
final class TdnnAcousticModel extends StackedAcousticModel {
  /** Frames each convolution splices: t−d, t, t+d. */
  private static final int KERNEL = 3;

  private final Linear input;
  private final LayerNorm inputNorm;
  private final List<Conv1d> layers = new ArrayList<>();
  private final List<LayerNorm> norms = new ArrayList<>();
  private final Linear output;
  private final InputContext context;

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
      layers.add(child("tdnn" + i, new Conv1d(hidden, hidden, KERNEL, 1, d, KERNEL / 2 * d, random, f32)));
      norms.add(child("norm" + i, new LayerNorm(hidden, f32)));
    }
    this.output = child("output", new Linear(hidden, tokens, true, random, f32));
    int reach = 0;
    for (int d : dilations) {
      reach += KERNEL / 2 * d;
    }
    this.context = new InputContext(Subsampling.FACTOR * reach, Subsampling.FACTOR * reach);
  }

  @Override
  public InputContext inputContext() {
    return context;
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
