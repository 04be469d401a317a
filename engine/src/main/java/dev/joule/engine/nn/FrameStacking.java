package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;

/**
 * Stacks {@code count} consecutive frames and keeps every {@code stride}-th result:
 * {@code [B, T, D] → [B, T', count·D]}, the usual way to cut the frame rate (e.g. 3 frames,
 * stride 3: 10 ms → 30 ms) before a recurrent or attention encoder.
 */
public final class FrameStacking extends Module {
  private final int count;
  private final int stride;

  public FrameStacking(int count, int stride) {
    if (count < 1 || stride < 1) {
      throw new IllegalArgumentException("frame stacking needs count ≥ 1 and stride ≥ 1; got " + count + ", " + stride);
    }
    this.count = count;
    this.stride = stride;
  }

  public Tensor forward(Tensor x) {
    return Ops.stackFrames(x, count, stride);
  }

  public Tensor outputLengths(Tensor lengths) {
    return Ops.convOutputLengths(lengths, count, stride, 1, 0, 0);
  }
}
