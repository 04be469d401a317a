package dev.joule.engine.am;

import dev.joule.engine.nn.Linear;
import dev.joule.engine.nn.Lstm;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Properties;
import java.util.Random;

/**
 * A bidirectional LSTM ({@code arch=blstm}), CAT's usual CTC-CRF encoder: frames stacked by 3,
 * {@code layers} BLSTM layers of {@code hidden} cells per direction (dropout between layers),
 * an affine output with log-softmax. Accurate, but slow on the CPU tensors: meant for the GPU.
 *
 * <p>Settings: {@code input.dim}, {@code tokens} (set by training), {@code hidden} (default 320),
 * {@code layers} (default 3), {@code dropout} (default 0).
 *
 * <p>Its bidirectional recurrence makes every output frame depend on the whole utterance: its
 * {@link #inputContext()} is {@link InputContext#UNBOUNDED}.
 */
final class BlstmAcousticModel extends StackedAcousticModel {
  private final Lstm lstm;
  private final Linear output;

  BlstmAcousticModel(Properties config, Random random) {
    super(config);
    int hidden = Subsampling.intSetting(config, "hidden", 320);
    int layers = Subsampling.intSetting(config, "layers", 3);
    double dropout = Subsampling.doubleSetting(config, "dropout", 0);
    if (hidden < 1 || layers < 1) {
      throw new IllegalArgumentException("blstm needs hidden >= 1 and layers >= 1");
    }
    this.lstm = child("lstm", new Lstm(Subsampling.FACTOR * inputDim, hidden, layers, true, dropout, random, DType.FLOAT32));
    this.output = child("output", new Linear(2 * hidden, tokens, true, random, DType.FLOAT32));
  }

  /** The recurrent stack, for {@link GpuBlstmModel}. */
  Lstm lstm() {
    return lstm;
  }

  @Override
  public Tensor forward(Tensor features, int[] lengths) {
    Tensor h = Subsampling.stack(features, Tensor.ofInts(lengths, lengths.length));
    h = lstm.forward(h, Subsampling.lengths(lengths));
    return Ops.logSoftmax(output.forward(h), 2);
  }
}
