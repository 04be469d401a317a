package dev.joule.engine.ops;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/** Inputs for the GPU op tests, which check each op with {@link dev.joule.engine.testing.GpuParity#check}. */
final class GpuOpCheck {
  private GpuOpCheck() {}

  /** A FLOAT32 tensor of standard normal values. */
  static Tensor randn(long seed, int... dims) {
    return Tensor.randn(new Random(seed), DType.FLOAT32, 1, dims);
  }
}
