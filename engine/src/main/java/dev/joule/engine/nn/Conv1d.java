package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/**
 * 1-D convolution over time, {@code [B, T, Cin] → [B, T', Cout]}, with stride, dilation and
 * symmetric zero padding. A TDNN layer is a dilated {@code Conv1d} (e.g. kernel 3, dilation 3
 * splices frames t−3, t, t+3). Weight layout {@code [K, Cin, Cout]}.
 */
public final class Conv1d extends Module {
  private final Tensor weight;
  private final Tensor bias;
  private final int kernel;
  private final int stride;
  private final int dilation;
  private final int padding;

  public Conv1d(int in, int out, int kernel, int stride, int dilation, int padding, Random random, DType dtype) {
    this.weight = param("weight", Init.fanIn(random, dtype, in * kernel, kernel, in, out));
    this.bias = param("bias", Init.fanIn(random, dtype, in * kernel, out));
    this.kernel = kernel;
    this.stride = stride;
    this.dilation = dilation;
    this.padding = padding;
  }

  public Tensor forward(Tensor x) {
    return Ops.conv1d(x, weight, bias, stride, dilation, padding, padding);
  }

  /** Valid output frames for sequences of the given INT32 lengths. */
  public Tensor outputLengths(Tensor lengths) {
    return Ops.convOutputLengths(lengths, kernel, stride, dilation, padding, padding);
  }
}
